"""The approvers' side: what is awaiting them, the sign-off page, signing off and asking for changes."""

from __future__ import annotations

import re

from flask import current_app, render_template, request, url_for
from flask_login import current_user, login_required

from cia import readable
from cia import workflow as wf
from cia.data import assessments as data
from cia.data import dashboard, review_threads
from cia.data import workflow as flow
from cia.extensions import db
from cia.kinds import impact_row
from cia.models import APPROVER_LEVELS
from cia.requestinfo import remote_addr
from cia.review import bp, forms
from cia.review.common import finish, refused
from cia.review.threads import named_threads
from cia.web import checking
from cia.web.access import readable_or_404, require_role


@bp.route("/awaiting")
@login_required
def awaiting():
    require_role(current_user.user.is_approver)
    return render_template("review/awaiting.html", rows=dashboard.awaiting(current_user.user),
                           levels=APPROVER_LEVELS, title="Awaiting your sign-off")


def cia_context(access: data.Access) -> dict:
    """What the read-only CIA (templates/components/cia.html) needs, from stored data."""
    stored = data.part_versions(access.revision)
    assessment, report = data.check(access.revision, checking.config(), stored)
    spec = data.template_for(access.revision)
    return {
        "access": access, "spec": spec, "data": assessment, "sections": readable.sections(spec, assessment),
        "answered": readable.answered_questions(spec, assessment), "cover": readable.cover_lines(spec, assessment),
        "standard_pages": readable.standard_pages(spec, assessment),
        "report": report,
        "labels": spec.vocabulary_labels(),
        "columns": impact_row.column_labels(spec),
    }


def _submission(revision) -> str:
    return revision.submitted_at.isoformat() if revision.submitted_at else ""


def sign_off_form(access: data.Access, context: dict, form=None) -> tuple[forms.SignOffForm, dict]:
    """The decision's form and what the decision part of a page needs (the sign-off page and the
    changes page both end with it)."""
    user = current_user.user
    summary = flow.summary(access, user)
    mine = next((r for r, u in summary.requests if u.id == user.id), None)
    if form is None:
        form = forms.SignOffForm(formdata=None, submission=_submission(access.revision))
    declaration = flow.declaration_for(access.revision, mine)
    form.declaration.label.text = declaration  # the words of this approver's step
    return form, {"summary": summary, "mine": mine, "declaration": declaration, "levels": APPROVER_LEVELS,
                  "can_decide": wf.APPROVE in summary.my_action_names}


def _sign_off_page(access: data.Access, *, form=None, problems=None, status=200):
    context = cia_context(access)
    findings = checking.shown(context["report"], context["data"], access.assessment.id)
    form, decision = sign_off_form(access, context, form)
    return render_template(
        "review/sign_off.html", form=form, problems=problems or {},
        acknowledged=[f for f in findings if f.acknowledged_reason and f.finding.severity == "warning"],
        threads=named_threads(access, review_threads.threads(access.revision), context["data"]),
        may_comment=review_threads.may_start(access, current_user.user),
        changes=len(review_threads.rounds(access.revision)) > 1,
        summary_url=(url_for("exports.summary", assessment_id=access.assessment.id)
                     if "exports.summary" in current_app.view_functions else ""),
        title="Sign off this assessment", **decision, **context,
    ), status


def _approver_or_403(assessment_id: int) -> data.Access:
    """The assessment for an approver who may read it (one asked to sign off one of its revisions); 403
    for anyone else. Whether they may decide now is the workflow table's business."""
    access = readable_or_404(assessment_id)
    require_role(current_user.user.is_approver)
    return access


@bp.route("/<int:assessment_id>/sign-off")
@login_required
def sign_off(assessment_id: int):
    return _sign_off_page(_approver_or_403(assessment_id))


def _stale(access: data.Access, seen: str | None) -> bool:
    return (seen or "") != _submission(access.revision) and access.revision.status == wf.SUBMITTED


@bp.route("/<int:assessment_id>/sign-off/approve", methods=["POST"])
@login_required
def approve(assessment_id: int):
    access = _approver_or_403(assessment_id)
    form = forms.SignOffForm()
    if not form.validate_on_submit():
        return _sign_off_page(access, form=form, problems={f.id: f.errors[0] for f in form if f.errors})
    if _stale(access, form.submission.data):
        return refused(access, wf.APPROVE, flow.WrongState(
            "The assessment was submitted again since you opened it. Read it again before you decide"))
    try:
        outcome = flow.approve(access.revision, current_user.user, form.comment.data or "",
                               bool(form.declaration.data), remote_addr())
    except flow.Blocked as error:
        db.session.rollback()
        return _sign_off_page(access, form=form, problems=error.problems)
    except flow.WorkflowError as error:
        return refused(access, wf.APPROVE, error)
    return finish(access, outcome, url_for("review.sign_off", assessment_id=assessment_id))


# --- request changes ----------------------------------------------------------------------


def _field_id(part: str, row_key: str) -> str:
    return "row-" + re.sub(r"[^A-Za-z0-9_-]", "-", f"{part}-{row_key}")


def _commentable_rows(context: dict) -> list[tuple]:
    """(section spec, [(part, row key, row title, field id)]) for every row an approver can comment on."""
    out = []
    for section_spec, _answers, rows in context["sections"]:
        part = f"section:{section_spec.key}"
        out.append((section_spec, [(part, row.key, title, _field_id(part, row.key)) for title, _q, row in rows]))
    return out


def _request_changes_page(access, form, typed=None, problems=None, status=200):
    context = cia_context(access)
    return render_template("review/request_changes.html", access=access, form=form,
                           sections=_commentable_rows(context), typed=typed or {}, problems=problems or {},
                           title="Request changes"), status


@bp.route("/<int:assessment_id>/sign-off/request-changes", methods=["GET", "POST"])
@login_required
def request_changes(assessment_id: int):
    access = _approver_or_403(assessment_id)
    user = current_user.user
    if request.method == "GET":
        mine = flow.request_of(access.revision, user)
        if (not wf.allowed(wf.REQUEST_CHANGES, access.revision.status, flow.kinds_of(access, user))
                or (mine is not None and mine.waiting)):  # not their turn: the sign-off page says why
            return _sign_off_page(access)
        return _request_changes_page(access, forms.RequestChangesForm(formdata=None,
                                                                      submission=_submission(access.revision)))
    form = forms.RequestChangesForm()
    rows = [row for _spec, items in _commentable_rows(cia_context(access)) for row in items]
    typed = {field_id: request.form.get(field_id, "") for *_rest, field_id in rows}
    if not form.validate_on_submit():
        return _request_changes_page(access, form, typed, {f.id: f.errors[0] for f in form if f.errors})
    if _stale(access, form.submission.data):
        return refused(access, wf.REQUEST_CHANGES, flow.WrongState(
            "The assessment was submitted again since you opened it. Read it again before you decide"))
    row_comments = [(part, key, typed[field_id]) for part, key, _title, field_id in rows if typed[field_id].strip()]
    try:
        outcome = flow.request_changes(access.revision, user, form.comment.data or "", row_comments, remote_addr())
    except flow.Blocked as error:
        db.session.rollback()
        problems = {}
        for key, message in error.problems.items():
            match = next((f for part, row, _t, f in rows if key == f"row-{part}-{row}"), None)
            problems[match or key or "comment"] = message
        return _request_changes_page(access, form, typed, problems)
    except flow.WorkflowError as error:
        return refused(access, wf.REQUEST_CHANGES, error)
    return finish(access, outcome, url_for("review.sign_off", assessment_id=assessment_id))
