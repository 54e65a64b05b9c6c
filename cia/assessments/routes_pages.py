"""Read-only pages rendered from stored data (never from form widgets): check answers, the full CIA."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from cia import readable
from cia.assessments import bp
from cia.data import assessments as data
from cia.kinds import impact_row
from cia.web.flow import access_or_404


def _context(access: data.Access) -> dict:
    assessment = data.assessment_to_read(access.revision)
    spec = data.template_for(access.revision)
    return {
        "access": access, "spec": spec, "data": assessment, "sections": readable.sections(spec, assessment),
        "answered": readable.answered_questions(spec, assessment),
        "standard_pages": readable.standard_pages(spec, assessment),
        "cover": readable.cover_lines(spec, assessment),
        "labels": spec.vocabulary_labels(),
        "columns": impact_row.column_labels(spec),
    }


@bp.route("/<int:assessment_id>/check-answers")
@login_required
def check_answers(assessment_id: int):
    access = access_or_404(assessment_id)
    _, report = data.check(access.revision)  # as the task list ran it: kept, so not run again
    return render_template("assessments/view.html", change_links=access.editable, title="Check your answers",
                           report=report, **_context(access))


@bp.route("/<int:assessment_id>/view")
@bp.route("/<int:assessment_id>/revisions/<int:revision>/view")
@login_required
def view(assessment_id: int, revision: int | None = None):
    access = access_or_404(assessment_id, revision=revision)
    return render_template("assessments/view.html", change_links=False, title="Community Impact Assessment",
                           **_context(access))
