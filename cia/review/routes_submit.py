"""The authors' side: submit for sign-off (choose approvers, confirm; after changes, say what changed), withdraw, reopen."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cia import workflow as wf
from cia.data import assessments as data
from cia.data import review_threads
from cia.data import workflow as flow
from cia.extensions import db
from cia.formfields import whole_number
from cia.requestinfo import remote_addr
from cia.review import bp, forms
from cia.review.common import already, finish, refused
from cia.review.threads import named_threads
from cia.web import checking
from cia.web.access import readable_or_404, require_role


def _team_or_403(assessment_id: int) -> data.Access:
    access = readable_or_404(assessment_id)
    require_role(access.can_edit)
    return access


def _not_now(access: data.Access, action: str):
    """A GET of a confirmation page when the action is not possible: say why (nothing was tried)."""
    transition = wf.transition(action)
    message = (f"You cannot {transition.label.lower()} now: revision {access.revision.number} is "
               f"{wf.state_label(access.revision.status).lower()}")
    return render_template("review/refused.html", access=access, message=message, action=transition,
                           title="This cannot be done now"), 409


def _what_changed(access: data.Access) -> tuple[str, dict[str, str]]:
    """The authors' note of what changed since the approvers asked for changes (required then), and any problem."""
    if not review_threads.resubmitting(access.revision):
        return "", {}
    try:
        return review_threads.clean_text(request.form.get("what_changed", ""), "what_changed"), {}
    except flow.Blocked as error:
        message = ("Enter what has changed since the approvers asked for changes" if "Enter" in error.message
                   else error.message.replace("Your comment", "What has changed"))
        return "", {"what_changed": message}


def _submit_page(access: data.Access, chosen: dict[str, list[str]] | None = None,
                 problems: dict[str, str] | None = None, report=None, status: int = 200):
    revision = access.revision
    stored = data.part_versions(revision)
    assessment = data.load_assessment(revision, stored)
    template = data.template_for(revision)
    stage = flow.stage_for(assessment, template)
    if report is None:
        assessment, report = data.check(revision, checking.config(stage), stored)
    findings = [f for f in checking.shown(report, assessment, access.assessment.id)
                if f.finding.severity == "error" or f.finding in report.unacknowledged_warnings]
    plans = flow.step_plans(access, assessment)
    chosen = chosen or {}
    checkboxes = {plan.field: [{"value": str(u.id), "text": f"{u.name} ({u.email})",
                                "checked": str(u.id) in chosen.get(plan.field, [])} for u in plan.eligible]
                  for plan in plans}
    return render_template(
        "review/submit.html", access=access, report=report, findings=findings, stage=stage,
        plans=plans, checkboxes=checkboxes, revision_seen=str(revision.number),
        size_label=template.project_size_label(assessment.details.project_size),
        problems=problems or {}, title="Submit for sign-off",
        resubmitting=review_threads.resubmitting(revision), what_changed=request.form.get("what_changed", ""),
        threads=named_threads(access, review_threads.threads(revision, open_only=True), assessment),
    ), status


def _chosen(plans: list[flow.StepPlan]) -> dict[str, list[int]]:
    """{step key: approver ids} as posted; a value that is not an id becomes 0, which no approver has (so it
    is refused, not silently dropped)."""
    return {plan.step.key: [whole_number(v, 0) for v in request.form.getlist(plan.field)] for plan in plans}


def _typed(plans: list[flow.StepPlan], chosen: dict[str, list[int]]) -> dict[str, list[str]]:
    return {plan.field: [str(i) for i in chosen.get(plan.step.key, [])] for plan in plans}


@bp.route("/<int:assessment_id>/submit", methods=["GET", "POST"])
@login_required
def submit(assessment_id: int):
    access = _team_or_403(assessment_id)
    if not wf.allowed(wf.SUBMIT, access.revision.status, flow.kinds_of(access, current_user.user)):
        return _not_now(access, wf.SUBMIT)
    form = forms.ConfirmForm()
    if request.method == "GET" or not form.validate_on_submit():
        return _submit_page(access)
    plans = flow.step_plans(access)
    ids = _chosen(plans)
    note, problems = _what_changed(access)
    try:
        chosen = flow.chosen_approvers(access, ids)
    except flow.Blocked as error:
        return _submit_page(access, _typed(plans, ids), {**problems, **error.problems})
    if problems:
        return _submit_page(access, _typed(plans, ids), problems)
    return render_template("review/submit_confirm.html", access=access, chosen=chosen,
                           several_steps=len(chosen) > 1, what_changed=note,
                           form=forms.ConfirmForm(revision=str(access.revision.number)),
                           title="Are you sure you want to submit this assessment for sign-off?")


@bp.route("/<int:assessment_id>/submit/confirm", methods=["POST"])
@login_required
def submit_confirm(assessment_id: int):
    access = _team_or_403(assessment_id)
    form = forms.ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("review.submit", assessment_id=assessment_id))
    if form.revision.data != str(access.revision.number):
        return refused(access, wf.SUBMIT, flow.WrongState(
            "The assessment has changed since you chose the approvers. Choose them again"))
    plans = flow.step_plans(access)
    ids = _chosen(plans)
    note, problems = _what_changed(access)
    if problems:
        return _submit_page(access, _typed(plans, ids), problems)
    try:
        outcome = flow.submit(access, ids, current_user.user, remote_addr(), configure=checking.config,
                              what_changed=note)
    except flow.Blocked as error:
        db.session.rollback()
        return _submit_page(access, _typed(plans, ids), error.problems if error.report is None else None,
                            report=error.report)
    except flow.WorkflowError as error:
        return refused(access, wf.SUBMIT, error)
    return finish(access, outcome, url_for("review.submitted", assessment_id=assessment_id), announce=False)


@bp.route("/<int:assessment_id>/submitted")
@login_required
def submitted(assessment_id: int):
    access = _team_or_403(assessment_id)
    return render_template("review/submitted.html", access=access, requests=flow.requests_for(access.revision),
                           title="Assessment submitted for sign-off")


# --- withdraw ----------------------------------------------------------------------------


@bp.route("/<int:assessment_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(assessment_id: int):
    access = _team_or_403(assessment_id)
    if request.method == "GET":
        if not wf.allowed(wf.WITHDRAW, access.revision.status, flow.kinds_of(access, current_user.user)):
            return _not_now(access, wf.WITHDRAW)
        return render_template("review/confirm.html", access=access, action=wf.transition(wf.WITHDRAW),
                               form=forms.ConfirmForm(revision=str(access.revision.number)),
                               title="Are you sure you want to withdraw this assessment from sign-off?")
    forms.ConfirmForm().validate_on_submit()  # CSRF (a failure answers 400 before this line)
    try:
        outcome = flow.withdraw(access, current_user.user, remote_addr())
    except flow.WorkflowError as error:
        return refused(access, wf.WITHDRAW, error)
    return finish(access, outcome, url_for("assessments.task_list", assessment_id=assessment_id))


# --- reopen --------------------------------------------------------------------------------


@bp.route("/<int:assessment_id>/reopen", methods=["GET", "POST"])
@login_required
def reopen(assessment_id: int):
    access = _team_or_403(assessment_id)
    if request.method == "GET":
        if not wf.allowed(wf.REOPEN, access.revision.status, flow.kinds_of(access, current_user.user)):
            return _not_now(access, wf.REOPEN)
        return render_template("review/confirm.html", access=access, action=wf.transition(wf.REOPEN),
                               form=forms.ConfirmForm(revision=str(access.revision.number)),
                               title="Are you sure you want to reopen this assessment as a new revision?")
    form = forms.ConfirmForm()
    form.validate_on_submit()
    seen = whole_number(form.revision.data)
    if seen is not None and seen < access.revision.number and access.revision.status == wf.DRAFT:
        return already(access, flow.Outcome(False, wf.DRAFT, access.revision,
                                            "This assessment has already been reopened"))
    try:
        outcome = flow.reopen(access, current_user.user, remote_addr())
    except flow.WorkflowError as error:
        return refused(access, wf.REOPEN, error)
    if not outcome.changed:
        return already(access, outcome)
    flash(outcome.message)
    return redirect(url_for("assessments.task_list", assessment_id=assessment_id))
