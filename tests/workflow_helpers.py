"""Building assessments in each sign-off state, for the workflow tests (integration and browser).

`clean_assessment` imports tests.factories.realistic_assessment (which the checker passes) with the
given owner, one collaborator and project size; `in_state` walks it through the workflow's own data
functions to any state of cia.workflow.STATES. Call inside an app context; nothing is committed
unless `commit=True`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from cia import workflow as wf
from cia.data import assessments, templates
from cia.data import workflow as flow
from cia.domain import DEFAULT_PROJECT_SIZES
from cia.extensions import db
from cia.models import ApprovalRequest, Assessment, Revision, User
from tests.factories import realistic_assessment
from tests.helpers import make_user

SIZE_FOR_LEVEL = {size.approver_level: size.key for size in DEFAULT_PROJECT_SIZES}


@dataclass
class Cast:
    """The people of a workflow test, by the kind of person they are to the assessment."""

    owner: User
    collaborator: User
    approver: User  # asked to sign off
    second_approver: User  # at the same level, asked only when a test says so
    other_approver: User  # at the same level, never asked
    admin: User
    outsider: User  # an author with no part in the assessment


def make_cast(level: str = "manager", prefix: str = "") -> Cast:
    def user(email: str, name: str, roles: str = "author", lvl: str = "") -> User:
        found = db.session.execute(select(User).where(User.email == f"{prefix}{email}")).scalar_one_or_none()
        return found or make_user(f"{prefix}{email}", name, roles, lvl)

    cast = Cast(
        owner=user("owner@example.gov.uk", "Olivia Owner"),
        collaborator=user("colleague@example.gov.uk", "Colin Colleague"),
        approver=user("approver1@example.gov.uk", "Ann Approver", "approver", level),
        second_approver=user("approver2@example.gov.uk", "Bea Approver", "approver", level),
        other_approver=user("approver3@example.gov.uk", "Cal Approver", "approver", level),
        admin=user("boss@example.gov.uk", "Ada Admin", "admin"),
        outsider=user("outsider@example.gov.uk", "Otto Outsider"),
    )
    db.session.commit()
    return cast


def clean_data(owner_email: str, collaborator_email: str, size: str = "small", name: str = "", small: bool = False):
    """The realistic assessment (no checker errors or unacknowledged warnings), with our team and size.

    `small`: one benefit, one risk and one mitigation per row (still clean; the checker runs 6 times faster).
    """
    version = templates.newest_published_version()
    spec = templates.spec_for_version(version.id)
    data = realistic_assessment(spec)
    if small:
        for section in data.sections:
            for row in section.rows:
                row.benefits, row.risks = row.benefits[:1], row.risks[:1]
                for risk in row.risks:
                    risk.mitigations = risk.mitigations[:1]
    data.details.project_size = size
    if name:
        data.details.name = name
    members = data.team.members
    members[0].account_email, members[0].edit_access = owner_email, "no"
    members[1].account_email, members[1].edit_access = collaborator_email, "yes"
    return data


def clean_assessment(cast: Cast, size: str = "small", name: str = "", small: bool = False) -> Assessment:
    from cia.data.imports import import_assessment

    data = clean_data(cast.owner.email, cast.collaborator.email, size, name, small)
    assessment = import_assessment(data, cast.owner, "127.0.0.1", source="workflow test")
    db.session.flush()
    return assessment


def access_as(user: User, assessment_id: int, revision: int | None = None) -> assessments.Access:
    found = assessments.access_for(user, assessment_id, revision)
    assert found is not None, f"{user.email} cannot read assessment {assessment_id}"
    return found


def current(assessment_id: int) -> Revision:
    db.session.expire_all()
    assessment = db.session.get(Assessment, assessment_id)
    return db.session.get(Revision, assessment.current_revision_id)


def in_state(cast: Cast, state: str, approvers: list[User] | None = None, size: str = "small",
             name: str = "", small: bool = True) -> int:
    """A committed assessment whose current revision is in `state`, reached through the workflow."""
    approvers = approvers or [cast.approver]
    assessment = clean_assessment(cast, size, name, small)
    db.session.commit()
    aid = assessment.id
    if state == wf.DRAFT:
        return aid
    flow.submit(access_as(cast.owner, aid), [a.id for a in approvers], cast.owner)
    db.session.commit()
    if state == wf.WITHDRAWN:
        flow.withdraw(access_as(cast.owner, aid), cast.owner)
    elif state == wf.CHANGES_REQUESTED:
        flow.request_changes(current(aid), cast.approver, "Please add the rural transport data.",
                             [("section:economy", first_row("economy", aid), "Say which bus routes.")])
    elif state == wf.APPROVED:
        for approver in approvers:
            flow.approve(current(aid), approver, "Content with this.", True)
            db.session.commit()
    db.session.commit()
    assert current(aid).status == state, (current(aid).status, state)
    return aid


def first_row(section_key: str, assessment_id: int) -> str:
    spec = templates.spec_for_version(current(assessment_id).template_version_id)
    return spec.section(section_key).category_areas[0].key


def submission_of(assessment_id: int) -> str:
    revision = current(assessment_id)
    return revision.submitted_at.isoformat() if revision.submitted_at else ""


def requests_of(assessment_id: int) -> list[ApprovalRequest]:
    revision = current(assessment_id)
    return list(db.session.execute(
        select(ApprovalRequest).where(ApprovalRequest.revision_id == revision.id)).scalars())


def signed_in_client(app, email: str):
    """A test client with a server-side session for `email`, without paying for the password hash."""
    from cia.data import users

    with app.app_context():
        user = users.by_email(email)
        session_id = users.start_session(user, "127.0.0.1").id
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = session_id, True
    return client


def app_config(**values):
    """Temporarily change the app's configuration (a context manager)."""
    from contextlib import contextmanager

    @contextmanager
    def changed():
        saved = {k: current_app.config.get(k) for k in values}
        current_app.config.update(values)
        try:
            yield
        finally:
            current_app.config.update(saved)

    return changed()
