"""Moving a draft assessment to the newest published version of its template.

Its owner and administrators may do it; only while the revision can be edited. The page
first shows what changed in the template between the two versions (cia/template_changes.py, the
same words as the designer's "Check and publish") and what will happen to the assessment's rows
(matched, added and kept), then the report of what did.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import select

from cia import template_changes
from cia.data import assessments, designer, template_moves
from cia.designer import bp, forms
from cia.designer.common import user, version_or_404
from cia.extensions import db
from cia.models import AuditEvent
from cia.requestinfo import remote_addr


def _access_or_404(assessment_id: int) -> assessments.Access:
    found = assessments.access_for(user(), assessment_id)
    if found is None:
        abort(404)
    if not (found.is_owner or user().is_admin):
        abort(403)
    return found


@bp.route("/move/<int:assessment_id>", methods=["GET", "POST"])
def move(assessment_id: int):
    access = _access_or_404(assessment_id)
    revision = access.revision
    form = forms.ConfirmForm()
    context = {"access": access, "form": form, "title": "Move to the newest version of the template"}
    try:
        plan = template_moves.plan(revision)
    except template_moves.CannotMove as error:
        return render_template("designer/move.html", problem=str(error), plan=None, **context), 409
    context["changes"] = template_changes.compare(designer.spec_of(plan.source), designer.spec_of(plan.target))
    if request.method == "POST":
        if not form.validate():
            return render_template("designer/move.html", plan=plan, problem="Your request could not be checked: "
                                   "try again", **context), 400
        try:
            template_moves.move(revision, user(), remote_addr())
        except template_moves.CannotMove as error:
            db.session.rollback()
            return render_template("designer/move.html", problem=str(error), plan=None, **context), 409
        return redirect(url_for("designer.move_done", assessment_id=assessment_id))
    return render_template("designer/move.html", plan=plan, problem="", **context)


@bp.route("/move/<int:assessment_id>/done")
def move_done(assessment_id: int):
    access = _access_or_404(assessment_id)
    event = db.session.execute(
        select(AuditEvent).where(AuditEvent.assessment_id == assessment_id,
                                 AuditEvent.action == "template.assessment_moved")
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    if event is None:
        abort(404)
    return render_template("designer/move_done.html", access=access, report=event.details, event=event,
                           title="Your assessment has moved to the new version")


@bp.route("/versions/<int:version_id>/assessments")
def version_assessments(version_id: int):
    version = version_or_404(version_id)
    rows = designer.assessments_on(version)
    targets = {a.id: template_moves.target_for(r) if r.status in template_moves.MOVABLE_STATES else None
               for a, r in rows}
    return render_template("designer/version_assessments.html", version=version, rows=rows, targets=targets,
                           title=f"Assessments using version {version.number}")


@bp.app_context_processor
def _move_notice():
    """For the authors' task list: the newer version the assessment could move to, if any."""

    def template_move_target(access):
        revision = getattr(access, "revision", None)
        if getattr(access, "preview", False) or revision is None or getattr(revision, "id", None) is None:
            return None
        if revision.status not in template_moves.MOVABLE_STATES:
            return None
        if not (access.is_owner or user().is_admin):
            return None
        return template_moves.target_for(revision)

    return {"template_move_target": template_move_target}
