"""Sign-off workflow, data layer: submit, approve, request changes, withdraw, reopen; frozen revisions;
notifications and e-mail; the audit trail. The pages are tested in test_workflow_routes.py."""

from __future__ import annotations

import smtplib

import pytest
from sqlalchemy import func, inspect, select, text, update

from cia import workflow as wf
from cia.checks import PUBLICATION
from cia.data import assessments, audit, notifications, templates
from cia.data import workflow as flow
from cia.domain import Acknowledgement
from cia.extensions import db
from cia.models import (
    ApprovalRequest,
    AuditEvent,
    AuditIsAppendOnly,
    EmailOutbox,
    Notification,
    ReviewComment,
    Revision,
    RevisionFrozen,
    RevisionPart,
)
from tests.workflow_helpers import (
    access_as,
    app_config,
    clean_assessment,
    current,
    first_row,
    in_state,
    make_cast,
)


@pytest.fixture
def cast(ctx):
    return make_cast()


def audit_rows(assessment_id: int, action: str) -> list[AuditEvent]:
    return list(db.session.execute(select(AuditEvent).where(AuditEvent.assessment_id == assessment_id,
                                                            AuditEvent.action == action)).scalars())


# --- submitting --------------------------------------------------------------------------


def test_a_clean_assessment_is_submitted_to_its_approver_with_one_audit_row_and_a_notification(cast):
    aid = in_state(cast, wf.DRAFT)
    outcome = flow.submit(access_as(cast.owner, aid), [cast.approver.id], cast.owner, "10.0.0.1")
    db.session.commit()
    assert outcome.changed and outcome.state == wf.SUBMITTED
    revision = current(aid)
    assert revision.status == wf.SUBMITTED and revision.submitted_at is not None
    (request,) = db.session.execute(select(ApprovalRequest).where(ApprovalRequest.revision_id == revision.id)).scalars()
    assert (request.approver_id, request.level, request.decision) == (cast.approver.id, "manager", "")
    (row,) = audit_rows(aid, "workflow.submit")
    assert row.actor_id == cast.owner.id and row.remote_addr == "10.0.0.1" and row.revision == 1
    assert row.details["approvers"][0]["email"] == cast.approver.email and row.details["to"] == wf.SUBMITTED
    (notice,) = db.session.execute(select(Notification).where(Notification.user_id == cast.approver.id)).scalars()
    assert "asked you to sign off" in notice.text and notice.link == f"/assessments/{aid}/sign-off"
    (email,) = db.session.execute(select(EmailOutbox)).scalars()
    assert email.to_email == cast.approver.email and email.sent_at is None
    assert f"/assessments/{aid}/sign-off" in email.body


def test_submit_is_refused_while_the_checker_reports_errors(cast):
    aid = in_state(cast, wf.DRAFT)
    revision = current(aid)
    loaded = assessments.load_part(revision, "section:economy")
    loaded.data.rows[0].groups = ""  # a completed row must name the groups affected: an error
    loaded.data.rows[0].impact = "yes"
    assert assessments.save_part(revision, "section:economy", loaded.data, loaded.version, cast.owner).ok
    db.session.commit()
    with pytest.raises(flow.Blocked) as refused:
        flow.submit(access_as(cast.owner, aid), [cast.approver.id], cast.owner)
    db.session.rollback()
    assert refused.value.report.errors
    assert "error" in refused.value.message and "cannot submit" in refused.value.message
    assert current(aid).status == wf.DRAFT
    assert not audit_rows(aid, "workflow.submit")


def test_submit_is_refused_while_a_warning_is_not_acknowledged(cast):
    aid = in_state(cast, wf.DRAFT)
    revision = current(aid)
    team = assessments.load_part(revision, "team")
    # Only the District Commissioning Lead: "a good CIA involves more than one person" (a warning, not an error).
    team.data.members = [m for m in team.data.members if m.has_team_role == "yes"][:1]
    assert assessments.save_part(revision, "team", team.data, team.version, cast.owner).ok
    db.session.commit()
    with pytest.raises(flow.Blocked) as refused:
        flow.submit(access_as(cast.owner, aid), [cast.approver.id], cast.owner)
    db.session.rollback()
    report = refused.value.report
    assert not report.errors and report.unacknowledged_warnings
    assert refused.value.message.endswith("fixed or acknowledged")
    assert current(aid).status == wf.DRAFT


def test_personal_details_are_a_warning_in_drafting_but_block_a_public_assessment(cast):
    aid = in_state(cast, wf.DRAFT)
    revision = current(aid)
    loaded = assessments.load_part(revision, "section:economy")
    row = next(r for r in loaded.data.rows if r.impact == "yes")
    row.groups += "\n\nMrs Jane Smith of 12 High Street, ST16 2LZ, jane.smith@example.com, told us about it."
    assert assessments.save_part(revision, "section:economy", loaded.data, loaded.version, cast.owner).ok
    _, drafting = assessments.check(revision)
    personal = [f for f in drafting.findings if f.rule_id == "CIA-R09"]
    assert personal and all(f.severity == "warning" for f in personal)
    data = assessments.load_assessment(revision)
    assert flow.stage_for(data) == PUBLICATION  # the realistic assessment is public
    # Acknowledge every drafting warning: still blocked, because publication makes them errors.
    acks = assessments.load_part(revision, "acknowledgements")
    acks.data.items += [Acknowledgement(finding_key=f.key, rule_id=f.rule_id, reason="Agreed", by="x", at="")
                        for f in drafting.unacknowledged_warnings]
    assert assessments.save_part(revision, "acknowledgements", acks.data, acks.version, cast.owner).ok
    db.session.commit()
    with pytest.raises(flow.Blocked) as refused:
        flow.submit(access_as(cast.owner, aid), [cast.approver.id], cast.owner)
    db.session.rollback()
    assert any(f.rule_id == "CIA-R09" for f in refused.value.report.errors)


def test_an_exempt_assessment_is_checked_as_a_draft():
    from cia.domain import Assessment, ProposalDetails

    assert flow.stage_for(Assessment(details=ProposalDetails(publication_status="exempt"))) == "drafting"
    assert flow.stage_for(Assessment(details=ProposalDetails(publication_status="public"))) == PUBLICATION


def test_approvers_must_be_at_the_level_the_project_size_calls_for(cast):
    aid = clean_assessment(cast, size="large").id  # large: SLT
    db.session.commit()
    with pytest.raises(flow.Blocked) as refused:
        flow.submit(access_as(cast.owner, aid), [cast.approver.id], cast.owner)
    assert "Senior Leadership Team" in refused.value.problems["approvers"]
    db.session.rollback()
    with pytest.raises(flow.Blocked) as none_chosen:
        flow.submit(access_as(cast.owner, aid), [], cast.owner)
    assert none_chosen.value.problems["approvers"] == "Select at least one approver"
    db.session.rollback()
    with pytest.raises(flow.Blocked):  # a team member cannot sign off their own work
        flow.submit(access_as(cast.owner, aid), [cast.collaborator.id], cast.owner)
    db.session.rollback()
    assert current(aid).status == wf.DRAFT


def test_without_a_project_size_the_author_is_asked_to_set_it(cast):
    assessment = clean_assessment(cast)
    revision = db.session.get(Revision, assessment.current_revision_id)
    details = assessments.load_part(revision, "details")
    details.data.project_size = ""
    assert assessments.save_part(revision, "details", details.data, details.version, cast.owner).ok
    db.session.commit()
    with pytest.raises(flow.Blocked) as refused:
        flow.submit(access_as(cast.owner, assessment.id), [cast.approver.id], cast.owner)
    assert "Set the project size on Proposal details" in refused.value.message


def test_the_templates_own_sizes_decide_the_level_over_the_installation_setting(cast):
    """The seeded template lists its sizes (small -> manager): CIA_APPROVER_LEVELS is only a default."""
    aid = in_state(cast, wf.DRAFT)  # small, and the approver is a manager
    with app_config(CIA_APPROVER_LEVELS={"small": "slt", "medium": "slt", "large": "slt"}):
        outcome = flow.submit(access_as(cast.owner, aid), [cast.approver.id], cast.owner)
    assert outcome.changed and outcome.state == wf.SUBMITTED
    db.session.rollback()


# --- replays -----------------------------------------------------------------------------------


def test_a_replayed_submit_makes_one_transition_and_one_audit_row(cast):
    aid = in_state(cast, wf.DRAFT)
    first = flow.submit(access_as(cast.owner, aid), [cast.approver.id], cast.owner)
    db.session.commit()
    again = flow.submit(access_as(cast.owner, aid), [cast.approver.id], cast.owner)
    db.session.commit()
    assert first.changed and not again.changed and "already been submitted" in again.message
    assert len(audit_rows(aid, "workflow.submit")) == 1
    assert db.session.execute(select(func.count()).select_from(Notification)).scalar_one() == 1


def test_a_submit_racing_another_finds_nothing_to_update(cast):
    """Two requests that both read "draft": the conditional UPDATE lets only the first through."""
    aid = in_state(cast, wf.DRAFT)
    access = access_as(cast.owner, aid)
    assert access.revision.status == wf.DRAFT
    # The other request commits its transition after this one read the revision.
    db.session.execute(update(Revision).where(Revision.id == access.revision.id).values(status=wf.SUBMITTED)
                       .execution_options(synchronize_session=False))
    outcome = flow.submit(access, [cast.approver.id], cast.owner)
    db.session.commit()
    assert not outcome.changed
    assert not audit_rows(aid, "workflow.submit")
    assert db.session.execute(select(func.count()).select_from(ApprovalRequest)).scalar_one() == 0


def test_a_replayed_approval_makes_one_transition_and_one_audit_row(cast):
    aid = in_state(cast, wf.SUBMITTED)
    first = flow.approve(current(aid), cast.approver, "Fine.", True)
    db.session.commit()
    again = flow.approve(current(aid), cast.approver, "Fine.", True)
    db.session.commit()
    assert first.changed and not again.changed and "already signed off" in again.message
    assert len(audit_rows(aid, "workflow.approve")) == 1
    assert current(aid).status == wf.APPROVED


def test_an_approval_racing_another_finds_nothing_to_update(cast):
    aid = in_state(cast, wf.SUBMITTED)
    revision = current(aid)
    request = flow.request_of(revision, cast.approver)
    assert request.decision == ""
    db.session.execute(update(ApprovalRequest).where(ApprovalRequest.id == request.id)
                       .values(decision="approved").execution_options(synchronize_session=False))
    outcome = flow.approve(revision, cast.approver, "", True)
    assert not outcome.changed and not audit_rows(aid, "workflow.approve")


# --- approvers' decisions -------------------------------------------------------------------------


def test_with_two_approvers_the_assessment_is_approved_only_when_both_have_signed_off(cast):
    aid = in_state(cast, wf.SUBMITTED, approvers=[cast.approver, cast.second_approver])
    first = flow.approve(current(aid), cast.approver, "Good.", True, "10.0.0.2")
    db.session.commit()
    assert first.changed and first.state == wf.SUBMITTED and "Bea Approver" in first.message
    assert current(aid).status == wf.SUBMITTED
    assert not db.session.execute(select(Notification).where(Notification.user_id == cast.owner.id)).first()
    second = flow.approve(current(aid), cast.second_approver, "Agreed.", True)
    db.session.commit()
    revision = current(aid)
    assert second.state == wf.APPROVED and revision.status == wf.APPROVED and revision.approved_at
    rows = audit_rows(aid, "workflow.approve")
    assert [r.details["to"] for r in sorted(rows, key=lambda r: r.id)] == [wf.SUBMITTED, wf.APPROVED]
    # The sign-off record is part of the revision's plain data, in the order of the decisions.
    data = assessments.load_assessment(revision)
    assert [(s.name, s.level, s.decision, s.comment) for s in data.signoffs] == [
        ("Ann Approver", "manager", "approved", "Good."), ("Bea Approver", "manager", "approved", "Agreed.")]
    assert all(s.email and s.at for s in data.signoffs)
    told = {n.user_id for n in db.session.execute(select(Notification).where(
        Notification.text.contains("approved"))).scalars()}
    assert told == {cast.owner.id, cast.collaborator.id}


def test_signing_off_needs_the_declaration(cast):
    aid = in_state(cast, wf.SUBMITTED)
    with pytest.raises(flow.Blocked) as refused:
        flow.approve(current(aid), cast.approver, "", False)
    assert "Confirm that you have read" in refused.value.problems["declaration"]
    db.session.rollback()
    assert current(aid).status == wf.SUBMITTED


def test_changes_requested_with_comments_tied_to_rows(cast):
    aid = in_state(cast, wf.SUBMITTED, approvers=[cast.approver, cast.second_approver])
    row = first_row("economy", aid)
    outcome = flow.request_changes(current(aid), cast.second_approver, "Add the rural data.",
                                   [("section:economy", row, "Which bus routes?"), ("section:psed", "age", " ")])
    db.session.commit()
    assert outcome.changed and current(aid).status == wf.CHANGES_REQUESTED
    comments = flow.row_comments(current(aid), "section:economy")
    assert [c.text for c in comments[row]] == ["Which bus routes?"]
    assert not flow.row_comments(current(aid), "section:psed")  # a blank comment is not kept
    (row_audit,) = audit_rows(aid, "workflow.request_changes")
    assert row_audit.details["comment"] == "Add the rural data."
    assert row_audit.details["row_comments"] == [{"part": "section:economy", "row": row, "text": "Which bus routes?"}]
    told = {n.user_id for n in db.session.execute(select(Notification).where(
        Notification.text.contains("asked for changes"))).scalars()}
    assert told == {cast.owner.id, cast.collaborator.id}
    # The other approver can no longer decide on this round.
    with pytest.raises(flow.WrongState):
        flow.approve(current(aid), cast.approver, "", True)
    db.session.rollback()


def test_asking_for_changes_needs_a_comment(cast):
    aid = in_state(cast, wf.SUBMITTED)
    with pytest.raises(flow.Blocked) as refused:
        flow.request_changes(current(aid), cast.approver, " ", [])
    assert "Enter what needs to change" in refused.value.message


def test_resubmitting_after_changes_asks_every_approver_again(cast):
    aid = in_state(cast, wf.SUBMITTED, approvers=[cast.approver, cast.second_approver])
    flow.approve(current(aid), cast.approver, "", True)
    flow.request_changes(current(aid), cast.second_approver, "One thing.", [])
    db.session.commit()
    revision = current(aid)
    details = assessments.load_part(revision, "details")
    details.data.summary += " Updated."
    assert assessments.save_part(revision, "details", details.data, details.version, cast.collaborator).ok
    db.session.commit()
    outcome = flow.submit(access_as(cast.collaborator, aid), [cast.approver.id, cast.second_approver.id],
                          cast.collaborator)
    db.session.commit()
    assert outcome.changed
    assert {r.decision for r in db.session.execute(select(ApprovalRequest)).scalars()} == {""}
    assert current(aid).status == wf.SUBMITTED


def test_resolving_a_comment(cast):
    from cia.data import review_threads

    aid = in_state(cast, wf.CHANGES_REQUESTED)
    (comment,) = db.session.execute(select(ReviewComment)).scalars()
    assert review_threads.set_resolved(access_as(cast.owner, aid), comment, cast.owner, True, "Economy")[0]
    db.session.commit()
    assert not review_threads.set_resolved(access_as(cast.owner, aid), comment, cast.owner, True, "Economy")[0]
    db.session.refresh(comment)
    assert comment.resolved_at and comment.resolved_by_id == cast.owner.id
    assert len(audit_rows(aid, "workflow.comment_resolved")) == 1
    with pytest.raises(flow.NotPermitted):  # an administrator reads the thread but is not part of it
        review_threads.set_resolved(access_as(cast.admin, aid), comment, cast.admin, False, "Economy")


def test_withdraw_then_resubmit(cast):
    aid = in_state(cast, wf.SUBMITTED)
    outcome = flow.withdraw(access_as(cast.owner, aid), cast.owner)
    db.session.commit()
    assert outcome.changed and current(aid).status == wf.WITHDRAWN
    assert db.session.execute(select(Notification).where(Notification.user_id == cast.approver.id,
                                                          Notification.text.contains("withdrew"))).first()
    again = flow.withdraw(access_as(cast.owner, aid), cast.owner)
    assert not again.changed
    flow.submit(access_as(cast.owner, aid), [cast.approver.id], cast.owner)
    db.session.commit()
    assert current(aid).status == wf.SUBMITTED


# --- frozen revisions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [wf.SUBMITTED, wf.APPROVED])
def test_a_frozen_revision_cannot_be_changed_by_any_data_function(cast, state):
    aid = in_state(cast, state)
    revision = current(aid)
    loaded = assessments.load_part(revision, "details")
    loaded.data.name = "Changed"
    with pytest.raises(RevisionFrozen):
        assessments.save_part(revision, "details", loaded.data, loaded.version, cast.owner)
    db.session.rollback()
    # Even a revision object that still says "draft" (a status change racing the save) is refused.
    revision = current(aid)
    revision.__dict__["status"] = wf.DRAFT  # stale in memory, not in the database
    with pytest.raises(RevisionFrozen):
        assessments.save_part(revision, "details", loaded.data, loaded.version, cast.owner)
    db.session.rollback()
    # And a direct ORM update or delete of one of its parts.
    part = db.session.execute(select(RevisionPart).where(RevisionPart.revision_id == current(aid).id,
                                                         RevisionPart.part == "details")).scalar_one()
    part.data = {**part.data, "name": "Changed behind the data layer"}
    with pytest.raises(RevisionFrozen):
        db.session.commit()
    db.session.rollback()
    part = db.session.execute(select(RevisionPart).where(RevisionPart.revision_id == current(aid).id,
                                                         RevisionPart.part == "details")).scalar_one()
    db.session.delete(part)
    with pytest.raises(RevisionFrozen):
        db.session.commit()
    db.session.rollback()
    assert assessments.load_part(current(aid), "details").data.name != "Changed"


def test_reopen_makes_a_new_draft_revision_and_keeps_the_approved_one(cast):
    aid = in_state(cast, wf.APPROVED)
    approved = current(aid)
    approved_parts = {p.part: p.data for p in db.session.execute(
        select(RevisionPart).where(RevisionPart.revision_id == approved.id)).scalars()}
    outcome = flow.reopen(access_as(cast.collaborator, aid), cast.collaborator, "10.0.0.3")
    db.session.commit()
    new = current(aid)
    assert outcome.changed and new.number == 2 and new.status == wf.DRAFT
    assert new.template_version_id == approved.template_version_id
    copied = {p.part: (p.data, p.version) for p in db.session.execute(
        select(RevisionPart).where(RevisionPart.revision_id == new.id)).scalars()}
    assert {k: v for k, (v, _) in copied.items()} == approved_parts
    assert {version for _, version in copied.values()} == {1}
    old = db.session.get(Revision, approved.id)
    assert old.status == wf.APPROVED and old.number == 1
    assert assessments.load_assessment(old).signoffs[0].decision == "approved"
    assert assessments.load_assessment(new).signoffs == []
    (row,) = audit_rows(aid, "workflow.reopen")
    assert row.details["new_revision"] == 2 and row.revision == 1
    # The new revision can be changed; the approved one still cannot.
    loaded = assessments.load_part(new, "details")
    loaded.data.summary = "A new summary."
    assert assessments.save_part(new, "details", loaded.data, loaded.version, cast.owner).ok
    db.session.commit()
    assert assessments.load_part(old, "details").data.summary != "A new summary."
    again = flow.reopen(access_as(cast.owner, aid, 1), cast.owner)
    assert not again.changed


# --- the audit trail and notifications ----------------------------------------------------------------------


def test_audit_rows_cannot_be_updated_or_deleted_through_the_application(cast):
    aid = in_state(cast, wf.SUBMITTED)
    (row,) = audit_rows(aid, "workflow.submit")
    row.details = {"tampered": True}
    with pytest.raises(AuditIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    (row,) = audit_rows(aid, "workflow.submit")
    db.session.delete(row)
    with pytest.raises(AuditIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert audit_rows(aid, "workflow.submit")[0].details.get("tampered") is None
    record = audit.record("test.appended", actor=cast.owner, assessment_id=aid)
    db.session.commit()
    assert record.id  # appending still works


class FakeSMTP:
    sent: list = []
    fail = False

    def __init__(self, host, port, timeout):
        self.host, self.port, self.timeout = host, port, timeout

    def __enter__(self):
        if FakeSMTP.fail:
            raise smtplib.SMTPConnectError(421, b"Service not available")
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        FakeSMTP.sent.append((self.host, self.timeout, message["To"], message["Subject"]))


def test_emails_go_through_smtp_after_the_commit_when_it_is_configured(cast, monkeypatch):
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    FakeSMTP.sent, FakeSMTP.fail = [], False
    aid = in_state(cast, wf.DRAFT)
    with app_config(CIA_SMTP_HOST="smtp.example.gov.uk", CIA_SMTP_TIMEOUT=3):
        outcome = flow.submit(access_as(cast.owner, aid), [cast.approver.id], cast.owner)
        db.session.commit()
        assert notifications.deliver(outcome.emails) == 1
    (sent,) = FakeSMTP.sent
    assert sent[0] == "smtp.example.gov.uk" and sent[1] == 3 and sent[2] == cast.approver.email
    (email,) = db.session.execute(select(EmailOutbox)).scalars()
    assert email.sent_at and not email.error


def test_an_smtp_failure_is_recorded_and_never_undoes_the_transition(cast, monkeypatch):
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    FakeSMTP.sent, FakeSMTP.fail = [], True
    aid = in_state(cast, wf.DRAFT)
    with app_config(CIA_SMTP_HOST="smtp.example.gov.uk"):
        outcome = flow.submit(access_as(cast.owner, aid), [cast.approver.id], cast.owner)
        db.session.commit()
        assert notifications.deliver(outcome.emails) == 0
    (email,) = db.session.execute(select(EmailOutbox)).scalars()
    assert email.sent_at is None and "SMTPConnectError" in email.error
    assert current(aid).status == wf.SUBMITTED


def test_without_smtp_emails_wait_in_the_outbox(cast):
    aid = in_state(cast, wf.DRAFT)
    outcome = flow.submit(access_as(cast.owner, aid), [cast.approver.id], cast.owner)
    db.session.commit()
    assert notifications.deliver(outcome.emails) == 0
    rows, total = notifications.outbox()
    assert total == 1 and rows[0].sent_at is None and rows[0].error == ""


def test_unread_count_and_marking_read(cast):
    in_state(cast, wf.SUBMITTED, approvers=[cast.approver, cast.second_approver])
    assert notifications.unread_count(cast.approver) == 1
    (notice,), total = notifications.for_user(cast.approver)
    assert total == 1
    assert notifications.mark_read(cast.approver, notice.id) == 1
    assert notifications.mark_read(cast.second_approver) == 1
    db.session.commit()
    assert notifications.unread_count(cast.approver) == notifications.unread_count(cast.second_approver) == 0


def test_the_migration_creates_the_workflow_tables(ctx):
    names = set(inspect(db.engine).get_table_names())
    assert {"review_comment", "notification", "email_outbox"} <= names
    assert db.session.execute(text("SELECT version_num FROM alembic_version")).scalar() >= "0002"
    assert templates.newest_published_version() is not None

