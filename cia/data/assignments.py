"""Section contributors: the project lead asks a colleague on the team to write a section.

An assignment says who is writing a section; it does not limit who may edit it (the whole team
still may). The person assigned is told (in the service and by e-mail, after the commit), sees the
section under "Assigned to you" on their home page, and the task list shows who is on what.
Nothing here commits: the view does, once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from cia.data import audit
from cia.data import notifications as notices
from cia.data.assessments import Access, template_for
from cia.data.workflow import team
from cia.domain import SectionSpec
from cia.extensions import db
from cia.models import Assessment, EmailOutbox, Revision, SectionAssignment, User


class NotOnTheTeam(ValueError):
    """Only someone who can edit the assessment can be asked to write a section of it."""


def for_assessment(assessment_id: int) -> dict[str, User]:
    """{section key: the person writing it}, in one query."""
    rows = db.session.execute(
        select(SectionAssignment).where(SectionAssignment.assessment_id == assessment_id)
    ).scalars()
    return {row.section_key: row.user for row in rows}


def assign(access: Access, section_key: str, user_id: int | None, by: User,
           remote_addr: str = "") -> list[EmailOutbox]:
    """Ask `user_id` to write the section (None: nobody); the e-mails to send once committed."""
    assessment = access.assessment
    section = template_for(access.revision).section(section_key)
    if section is None:
        raise KeyError(section_key)
    people = {u.id: u for u in team(assessment)}
    if user_id is not None and user_id not in people:
        raise NotOnTheTeam("Select someone on the project team who can edit this assessment")
    current = db.session.execute(
        select(SectionAssignment).where(SectionAssignment.assessment_id == assessment.id,
                                        SectionAssignment.section_key == section_key)
    ).scalar_one_or_none()
    if (current.user_id if current else None) == user_id:
        return []
    details = {"section": section_key, "from": current.user_id if current else None, "to": user_id}
    if current is not None:
        db.session.execute(delete(SectionAssignment).where(SectionAssignment.id == current.id))
    emails: list[EmailOutbox] = []
    if user_id is not None:
        db.session.add(SectionAssignment(assessment_id=assessment.id, section_key=section_key, user_id=user_id,
                                         assigned_by_id=by.id))
        name = access.revision.proposal_name or assessment.reference
        emails = notices.notify([people[user_id]], notices.Message(
            text=f"{by.name} asked you to write “{section.title}” in {name}",
            link=f"/assessments/{assessment.id}/sections/{section_key}",
            subject=f"You have been asked to write a section: {name}",
            body=(f"{by.name} asked you to write the section “{section.title}” of the impact assessment "
                  f"“{name}”. Everyone on the project team can still edit it; the task list shows who is "
                  "writing which section."),
        ), assessment_id=assessment.id, actor=by)
    audit.record("section.assigned" if user_id is not None else "section.unassigned", actor=by,
                 remote_addr=remote_addr, object_type="assessment", object_id=assessment.id,
                 assessment_id=assessment.id, revision=access.revision.number, details=details)
    return emails


@dataclass(frozen=True)
class AssignedSection:
    assessment_id: int
    reference: str
    proposal: str
    section_key: str
    section_title: str
    status: str
    section: SectionSpec | None = None


def assigned_to(user: User) -> list[AssignedSection]:
    """The sections the person has been asked to write, newest first (their home page)."""
    rows = db.session.execute(
        select(SectionAssignment, Assessment, Revision)
        .join(Assessment, Assessment.id == SectionAssignment.assessment_id)
        .join(Revision, Revision.id == Assessment.current_revision_id)
        .where(SectionAssignment.user_id == user.id)
        .order_by(SectionAssignment.assigned_at.desc(), SectionAssignment.id.desc())
        .limit(100)
    ).all()
    out = []
    for assignment, assessment, revision in rows:
        section = template_for(revision).section(assignment.section_key)
        out.append(AssignedSection(assessment.id, assessment.reference, revision.proposal_name or assessment.reference,
                                   assignment.section_key, section.title if section else assignment.section_key,
                                   revision.status, section))
    return out
