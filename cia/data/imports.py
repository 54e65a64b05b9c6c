"""Assessments in and out of the documented JSON form (`cia.jsonformat`): import and export.

An import makes a new assessment: a new reference, revision 1, status "draft", owned by
the person importing. It is never a sign-off, so the document's status and sign-offs are
kept only in the audit row. Nothing here commits: the caller commits once, so a failure
leaves nothing half-imported. docs/assessment-format.md ("Importing") lists what differs.
"""

from __future__ import annotations

from sqlalchemy import select

from cia.data import assessments, audit, parts, templates
from cia.domain import Assessment as AssessmentData
from cia.domain import TemplateSpec
from cia.extensions import db
from cia.models import (
    Assessment,
    Revision,
    RevisionPart,
    Template,
    TemplateVersion,
    User,
    utcnow,
)

#: Versions an imported document may name: a draft version is not a template anyone writes against.
_USABLE_STATUSES = ("published", "retired")


def template_version_for(name: str, number: int) -> TemplateVersion | None:
    """The published or retired version called `name` with `number`, else the newest published one."""
    found = db.session.execute(
        select(TemplateVersion)
        .join(Template)
        .where(TemplateVersion.name == name, TemplateVersion.number == number,
               TemplateVersion.status.in_(_USABLE_STATUSES))
        .order_by(Template.id, TemplateVersion.id)
        .limit(1)
    ).scalar_one_or_none()
    return found or templates.newest_published_version()


def template_for_data(data: AssessmentData) -> tuple[TemplateVersion, TemplateSpec]:
    """The template version a document is read against (see `template_version_for`)."""
    version = template_version_for(data.template_name, data.template_version)
    if version is None:
        raise assessments.NotFound("No template has been published yet")
    return version, templates.spec_for_version(version.id)


def import_assessment(data: AssessmentData, owner: User, remote_addr: str = "", source: str = "") -> Assessment:
    """A new draft assessment holding `data`'s answers, owned by `owner` (in the caller's transaction)."""
    version, spec = template_for_data(data)
    assessment = Assessment(reference=assessments._next_reference(spec.reference_start), owner=owner)
    db.session.add(assessment)
    db.session.flush()
    revision = Revision(assessment_id=assessment.id, number=1, template_version_id=version.id,
                        status="draft", created_by_id=owner.id)
    db.session.add(revision)
    db.session.flush()
    assessment.current_revision_id = revision.id
    _store_parts(revision, spec, data, owner)
    assessments._copy_details(revision, data.details)
    assessments._sync_collaborators(assessment, data.team, owner, remote_addr)
    audit.record("assessment.imported", actor=owner, remote_addr=remote_addr, object_type="assessment",
                 object_id=assessment.id, assessment_id=assessment.id, revision=1,
                 details=_import_details(data, version, source))
    db.session.flush()
    assessments.check(revision)  # the task list's and dashboard's counts
    return assessment


def _store_parts(revision: Revision, spec: TemplateSpec, data: AssessmentData, owner: User) -> None:
    """One row per part; a part that holds imported answers counts as saved once (version 2)."""
    blank = {name: part.to_dict() for name, part in parts.blank_parts(spec).items()}
    now = utcnow()
    for name, part in parts.split(data, spec).items():
        content = part.to_dict()
        changed = content != blank.get(name)
        db.session.add(RevisionPart(revision_id=revision.id, part=name, data=content,
                                    version=2 if changed else 1, updated_at=now,
                                    updated_by_id=owner.id if changed else None))


def _import_details(data: AssessmentData, version: TemplateVersion, source: str) -> dict:
    return {
        "source": source,
        "original": {"reference": data.reference, "revision": data.revision, "status": data.status,
                     "template_name": data.template_name, "template_version": data.template_version},
        "template_version_id": version.id,
        "template": {"name": version.name, "number": version.number},
        "template_matched": version.name == data.template_name and version.number == data.template_version,
        "signoffs": [s.to_dict() for s in data.signoffs],
        "name": data.details.name,
    }


def export_assessment(assessment_id: int, revision_number: int | None = None) -> AssessmentData:
    """The plain data of a revision (the current one by default); NotFound when there is none."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        raise assessments.NotFound(f"There is no assessment with id {assessment_id}")
    if revision_number is None:
        revision = db.session.get(Revision, assessment.current_revision_id)
    else:
        revision = db.session.execute(
            select(Revision).where(Revision.assessment_id == assessment.id, Revision.number == revision_number)
        ).scalar_one_or_none()
    if revision is None:
        raise assessments.NotFound(f"Assessment {assessment.reference} has no revision {revision_number}")
    return assessments.load_assessment(revision)  # sign-offs included, from the approval requests

