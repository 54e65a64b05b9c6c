"""Read-only pages rendered from stored data (never from form widgets): check answers, the full CIA."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from cia.assessments import bp
from cia.data import assessments as data
from cia.web.flow import access_or_404
from cia.web.print_view import read_context


@bp.route("/<int:assessment_id>/check-answers")
@login_required
def check_answers(assessment_id: int):
    access = access_or_404(assessment_id)
    _, report = data.check(access.revision)  # as the task list ran it: kept, so not run again
    return render_template("assessments/view.html", change_links=access.editable, title="Check your answers",
                           report=report, **read_context(access))


@bp.route("/<int:assessment_id>/view")
@bp.route("/<int:assessment_id>/revisions/<int:revision>/view")
@login_required
def view(assessment_id: int, revision: int | None = None):
    access = access_or_404(assessment_id, revision=revision)
    return render_template("assessments/view.html", change_links=False, title="Community Impact Assessment",
                           **read_context(access))
