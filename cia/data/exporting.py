"""Everything an export needs about one revision, gathered in a few queries."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from cia.checks import DRAFTING, PUBLICATION, CheckConfig
from cia.data import assessments as data
from cia.exports import ExportInput, RevisionSummary
from cia.exports.public import public_copy, public_report
from cia.extensions import db
from cia.models import Revision, User
from cia.workflow import state_label


def history(assessment_id: int) -> list[RevisionSummary]:
    rows = db.session.execute(
        select(Revision, User.name).join(User, User.id == Revision.created_by_id)
        .where(Revision.assessment_id == assessment_id).order_by(Revision.number)
    ).all()
    return [RevisionSummary(revision=r.number, status=r.status, status_label=state_label(r.status),
                            started_at=r.created_at.strftime("%Y-%m-%d"), started_by=name,
                            approved_at=r.approved_at.strftime("%Y-%m-%d") if r.approved_at else "")
            for r, name in rows]


def export_input(access: data.Access, organisation: str, config: CheckConfig | None = None,
                 public: bool = False) -> ExportInput:
    """The plain data, checker report and history of the revision `access` points at; for the
    public version, the copy with the confidential answers withheld, and the report whose findings
    about them say so rather than quote them."""
    revision = access.revision
    stage = PUBLICATION if revision.status == "approved" else DRAFTING
    config = config or CheckConfig(stage=stage)
    assessment, report = data.check(revision, config)
    template = data.template_for(revision)
    return ExportInput(
        assessment=public_copy(assessment, template) if public else assessment,
        template=template,
        public=public,
        report=public_report(report, assessment, template) if public else report,
        history=history(access.assessment.id),
        organisation=organisation,
        generated_at=datetime.now(UTC),
        author_name=access.assessment.owner.name,
    )
