"""The review conversation: starting a comment on what it is about, a thread's page (reply, resolve,
reopen), and "Changes since you reviewed" for an approver after the authors resubmit."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cia import workflow as wf
from cia.data import assessments as data
from cia.data import parts
from cia.data import review_threads as threads
from cia.data import workflow as flow
from cia.extensions import db
from cia.models import ReviewComment
from cia.requestinfo import remote_addr
from cia.review import bp, compare, forms
from cia.review.routes_decide import cia_context, sign_off_form
from cia.review.threads import Place, named_threads, place_of, target_of
from cia.web import transaction
from cia.web.access import readable_or_404, require_role


def _target() -> threads.Target:
    source = request.form if request.method == "POST" else request.args
    return threads.Target(*(source.get(name, "")[:120] for name in ("part", "row", "question", "item")))


class _Refused(Exception):
    """A comment page that cannot be shown or used: the page says why (404 or 403)."""

    def __init__(self, message: str, status: int, title: str) -> None:
        super().__init__(message)
        self.message, self.status, self.title = message, status, title


def _place(access: data.Access, target: threads.Target) -> tuple[Place, dict]:
    """The target in the revision with what the read-only pieces need; refused (404) when it is not there."""
    context = cia_context(access)
    found = place_of(target, context["spec"], context["data"])
    if found is None:
        raise _Refused("There is no such question, row or item in this assessment to comment on", 404,
                       "There is nothing to comment on there")
    return found, context


def _refused(error: flow.WorkflowError) -> str:
    """The message of a refusal the page shows; a person who may never do it is refused outright (403)."""
    db.session.rollback()
    if isinstance(error, flow.NotPermitted):
        raise _Refused(error.message, 403, "You cannot do this")
    return error.message


@bp.errorhandler(_Refused)
def _refused_page(error: _Refused):
    access = readable_or_404(request.view_args["assessment_id"]) if request.view_args else None
    if access is None:
        abort(error.status)
    return render_template("review/comment_refused.html", access=access, message=error.message,
                           title=error.title), error.status


def _deliver(emails) -> None:
    from cia.data import notifications

    sent = list(emails)
    transaction.after_commit(lambda: notifications.deliver(sent))


@bp.route("/<int:assessment_id>/comments/new", methods=["GET", "POST"])
@login_required
def new_comment(assessment_id: int):
    access = readable_or_404(assessment_id)
    target = _target()
    place, context = _place(access, target)
    user = current_user.user
    problems: dict[str, str] = {}
    form = forms.ThreadForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            comment, emails = threads.start(access, user, target, form.text.data or "", place.about, remote_addr())
        except flow.Blocked as error:
            db.session.rollback()
            problems = error.problems
        except flow.WorkflowError as error:
            problems = {"text": _refused(error)}
        else:
            _deliver(emails)
            flash(f"Your comment on {place.about} has been added. The authors have been told")
            return redirect(url_for("review.thread", assessment_id=assessment_id, comment_id=comment.id))
    elif request.method == "GET":
        try:
            threads._check_start(access, user)
        except flow.WorkflowError as error:
            problems = {"": _refused(error)}
    return render_template("review/comment_new.html", place=place, form=form, problems=problems, target=target,
                           title=f"Comment on {place.about}", **context), (400 if problems else 200)


def _thread_or_404(access: data.Access, comment_id: int) -> ReviewComment:
    comment = threads.thread_of(access, comment_id)
    if comment is None:
        abort(404, description="There is no such comment on this assessment")
    return comment


def _thread_page(access: data.Access, comment: ReviewComment, form=None, problems=None, status: int = 200):
    context = cia_context(access)
    place = place_of(target_of(comment), context["spec"], context["data"])
    (_, about), = named_threads(access, [comment], context["data"])
    user = current_user.user
    return render_template(
        "review/thread.html", comment=comment, place=place, about=about, form=form or forms.ThreadForm(formdata=None),
        problems=problems or {}, may_take_part=threads.may_take_part(access, user),
        confirm=forms.ConfirmForm(revision=str(access.revision.number)),
        back=url_for("review.sign_off", assessment_id=access.assessment.id)
        if threads.may_start(access, user) or (access.revision.status == wf.SUBMITTED and not access.can_edit)
        else url_for("assessments.task_list", assessment_id=access.assessment.id),
        title=f"Comment on {about}", **context), status


@bp.route("/<int:assessment_id>/comments/<int:comment_id>", methods=["GET", "POST"])
@login_required
def thread(assessment_id: int, comment_id: int):
    access = readable_or_404(assessment_id)
    comment = _thread_or_404(access, comment_id)
    if request.method == "GET":
        return _thread_page(access, comment)
    form = forms.ThreadForm()
    if not form.validate_on_submit():
        return _thread_page(access, comment, form, {"text": "Enter your reply"}, 400)
    (_, about), = named_threads(access, [comment])
    try:
        emails = threads.reply(access, comment, current_user.user, form.text.data or "", about, remote_addr())
    except flow.Blocked as error:
        db.session.rollback()
        return _thread_page(access, _thread_or_404(access, comment_id), form,
                            {"text": error.message.replace("comment", "reply")}, 400)
    except flow.WorkflowError as error:
        return _thread_page(access, comment, form, {"text": _refused(error)}, 409)
    _deliver(emails)
    flash("Your reply has been added")
    return redirect(url_for("review.thread", assessment_id=assessment_id, comment_id=comment_id) + "#replies")


def _set_resolved(assessment_id: int, comment_id: int, resolved: bool):
    access = readable_or_404(assessment_id)
    comment = _thread_or_404(access, comment_id)
    forms.ConfirmForm().validate_on_submit()  # CSRF (a failure answers 400 before this line)
    (_, about), = named_threads(access, [comment])
    try:
        changed, emails = threads.set_resolved(access, comment, current_user.user, resolved, about, remote_addr())
    except flow.WorkflowError as error:
        return _thread_page(access, comment, problems={"": _refused(error)}, status=409)
    _deliver(emails)
    if resolved:
        flash("Comment marked as resolved" if changed else "This comment had already been marked as resolved")
    else:
        flash("Comment reopened" if changed else "This comment was already open")
    return redirect(url_for("review.thread", assessment_id=assessment_id, comment_id=comment_id))


@bp.route("/<int:assessment_id>/comments/<int:comment_id>/resolve", methods=["GET", "POST"])
@login_required
def resolve_comment(assessment_id: int, comment_id: int):
    if request.method == "GET":  # the thread page has the button
        access = readable_or_404(assessment_id)
        comment = _thread_or_404(access, comment_id)
        if not threads.may_take_part(access, current_user.user):
            try:
                threads._check_take_part(access, current_user.user)
            except flow.WorkflowError as error:
                return _thread_page(access, comment, problems={"": _refused(error)}, status=409)
        return redirect(url_for("review.thread", assessment_id=assessment_id, comment_id=comment_id) + "#resolve")
    return _set_resolved(assessment_id, comment_id, True)


@bp.route("/<int:assessment_id>/comments/<int:comment_id>/reopen", methods=["POST"])
@login_required
def reopen_comment(assessment_id: int, comment_id: int):
    return _set_resolved(assessment_id, comment_id, False)


# --- changes since the approver reviewed ----------------------------------------------------------


@bp.route("/<int:assessment_id>/sign-off/changes")
@login_required
def changes_since(assessment_id: int):
    access = readable_or_404(assessment_id)
    require_role(current_user.user.is_approver)
    context = cia_context(access)
    rounds = threads.rounds(access.revision)
    reviewed, latest = (rounds[-2], rounds[-1]) if len(rounds) > 1 else (None, rounds[-1] if rounds else None)
    result = []
    if reviewed is not None:
        now = {n: p.data.to_dict() for n, p in data.part_versions(access.revision).items()}
        result = compare.compare(reviewed.parts or {}, now, context["spec"], parts.all_part_names(context["spec"]))
    form, decision = sign_off_form(access, context)
    return render_template(
        "review/changes.html", reviewed=reviewed, latest=latest, result=result, form=form, problems={},
        threads=named_threads(access, threads.threads(access.revision), context["data"]),
        title="Changes since you reviewed", **decision, **context)
