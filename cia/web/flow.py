"""The one save flow every authoring page uses.

GET shows the stored answers with the part's version in a hidden field. POST:
- an "add" or "remove" button changes the form data and shows the page again (nothing saved);
- invalid input re-shows everything typed, with the messages in the error summary;
- otherwise the part is saved if nobody saved it since the version the page was loaded at;
  if somebody did, the author gets the conflict page: both versions side by side, and the form
  (filled with what they typed) to keep theirs, keep the saved one, or merge the two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cia import diff, stash
from cia.data import assessments as data
from cia.data import parts
from cia.domain import Plain
from cia.extensions import db
from cia.formfields import whole_number
from cia.requestinfo import remote_addr
from cia.web import editing, plain_reading
from cia.web.labels import label_change


def access_or_404(assessment_id: int, *, edit: bool = False, revision: int | None = None) -> data.Access:
    """The assessment if the signed-in user may see it; a draft is 404 to everyone else."""
    found = data.access_for(current_user.user, assessment_id, revision)
    if found is None:
        from cia.web.access import refuse_not_shared

        refuse_not_shared(assessment_id)
    if edit and not found.can_edit:
        abort(403)
    return found


@dataclass
class Page:
    """How one task page maps between its stored part and its form."""

    part: str
    form_class: type
    template: str
    title: str
    #: Stored dict -> form data dict (defaults to the same shape).
    unpack: Callable[[dict[str, Any]], dict[str, Any]] = lambda d: d
    #: Form data dict -> stored dict.
    pack: Callable[[dict[str, Any]], dict[str, Any]] = lambda d: d
    #: Names items in error messages ("Risk 2 in Transport").
    namer: Callable[[list], str] | None = None
    #: Extra checks on "Save and continue" once saved: (the saved part, the checker's run on the
    #: saved answers, so it is not run again) -> [(field id, message)].
    completeness: Callable[[Plain, tuple], list[tuple[str, str]]] | None = None
    context: dict[str, Any] = field(default_factory=dict)
    prepare_form: Callable[[Any], None] | None = None
    #: Like prepare_form, for a page read without a form (`view`): given the posted form data.
    prepare_values: Callable[[dict[str, Any]], None] | None = None
    #: Why an "add" / "remove" button may not be used on this page ("" = it may).
    refuse_action: Callable[[str], str] | None = None
    #: Whether `unpack` and `pack` alone map the stored dict to the form's data and back. The
    #: fixed pages' lists, dates and ids go through `editing`; a page of template questions,
    #: whose keys are the template's, must not (its fields read and check their own answers).
    plain: bool = False
    #: Renders the page from plain data rather than from its WTForms form (a page with hundreds of
    #: fields, see cia/web/section_view.py): (form data, messages by field id) -> the
    #: template's context, which must hold `error_list` for the error summary.
    view: Callable[[dict[str, Any], dict[str, list[str]]], dict[str, Any]] | None = None

    def form_data(self, stored: Plain) -> dict[str, Any]:
        return self.unpack(stored.to_dict() if self.plain else editing.to_form(stored))

    def stored(self, form_data: dict[str, Any]) -> dict[str, Any]:
        if self.plain:
            return self.pack(form_data)
        return editing.prune_blank_items(editing.from_form(self.pack(form_data)))


def _form(page: Page, *, formdata=None, data_dict: dict[str, Any] | None = None, version: int | str = ""):
    if formdata is not None:
        form = page.form_class(formdata=formdata)
    else:
        form = page.form_class(formdata=None, data={**(data_dict or {}), "version": str(version)})
    if page.prepare_form:
        page.prepare_form(form)
    return form


def _form_dict(form) -> dict[str, Any]:
    return {k: v for k, v in form.data.items() if k not in editing.SKIP_KEYS}


@dataclass
class _Posted:
    """A posted page, read: by its WTForms form, or (a page with a `view`) by plain_reading."""

    form: Any
    values: dict[str, Any]
    version: str
    #: Messages by field id (a page read without a form; a form keeps its own).
    errors: dict[str, list[str]]

    def show(self, page: Page, template_context: dict[str, Any], **extra: Any):
        if self.form is not None:
            return _show(page, template_context, form=self.form, **extra)
        return _show(page, template_context, values=self.values, version=self.version, errors=self.errors, **extra)


def _read_post(page: Page, formdata) -> _Posted:
    if page.view is None:
        form = _form(page, formdata=formdata)
        return _Posted(form, _form_dict(form), str(form.version.data or ""), {})
    reading = plain_reading.read(page.form_class, formdata)
    version = reading.values.get("version")
    values = {k: v for k, v in reading.values.items() if k not in editing.SKIP_KEYS}
    if page.prepare_values:
        page.prepare_values(values)
    if page.namer:
        reading.name_errors(page.namer)
    return _Posted(None, values, str(version or ""), reading.errors)


def _valid(page: Page, posted: _Posted) -> bool:
    if posted.form is None:
        return not posted.errors
    if posted.form.validate():
        return True
    if page.namer:
        editing.name_errors(posted.form, page.namer)
    return False


def edit_part(access: data.Access, page: Page, next_url: str | Callable[[], str], **context: Any):
    """Show and save one part. `next_url` may be worked out after the save (a page whose answers
    decide which questions apply next)."""
    revision = access.revision
    if not access.editable:
        return render_template("assessments/not_editable.html", access=access, title=page.title), 409
    template_context = {**page.context, **context, "access": access, "title": page.title}
    if request.method == "GET":
        kept = stash.take(request.path)
        if kept is not None:  # typed before the session ended: shown again, not yet saved
            restored = _read_post(page, kept)
            restored.errors = {}  # not checked yet: shown as typed, checked when saved
            return restored.show(page, template_context, restored=True)
        loaded = data.load_part(revision, page.part)
        return _show(page, template_context, values=page.form_data(loaded.data), version=loaded.version,
                     loaded=loaded)

    posted = _read_post(page, request.form)
    action = request.form.get("action", "")
    if action.startswith(("add:", "remove:")):
        return _add_or_remove(page, posted, action, template_context)
    if not _valid(page, posted):
        return posted.show(page, template_context)

    submitted = parts.part_class(page.part).from_dict(page.stored(posted.values))
    seen = whole_number(posted.version, -1)
    result = data.save_part(revision, page.part, submitted, seen, current_user.user, remote_addr())
    if not result.ok:
        db.session.rollback()
        return _conflict(access, page, posted, submitted, result.current, template_context)
    checked = data.check(revision)

    going_on = request.form.get("submit") != "later"
    problems = page.completeness(submitted, checked) if (page.completeness and going_on) else []
    if problems:
        fresh = data.load_part(revision, page.part)
        values = page.form_data(fresh.data)
        if page.view is not None:
            errors: dict[str, list[str]] = {}
            for field_id, message in problems:
                errors.setdefault(field_id, []).append(message)
            return _show(page, template_context, values=values, version=fresh.version, errors=errors,
                         saved_with_problems=True)
        form = _form(page, data_dict=values, version=fresh.version)
        editing.attach_errors(form, problems)
        return _show(page, template_context, form=form, saved_with_problems=True)
    if not going_on:
        flash("Your answers have been saved. You can come back to them at any time.")
        return redirect(url_for("assessments.task_list", assessment_id=access.assessment.id))
    return redirect(next_url() if callable(next_url) else next_url)


def _add_or_remove(page: Page, posted: _Posted, action: str, template_context: dict[str, Any]):
    if page.plain:  # a page of template questions: its list questions act on the form as posted
        focus, problem = "", ""
        try:
            focus = posted.form.apply_action(action)
        except editing.ActionError as error:
            problem = str(error)
        return posted.show(page, template_context, focus=focus, action_problem=problem)
    form_data = page.unpack(editing.to_form(editing.from_form(page.pack(posted.values))))
    focus, problem = "", page.refuse_action(action) if page.refuse_action else ""
    if not problem:
        try:
            focus = editing.apply_action(action, form_data, editing.REPEATABLE)
        except editing.ActionError as error:
            problem = str(error)
    return _show(page, template_context, values=form_data, version=posted.version, focus=focus,
                 action_problem=problem)


def _conflict(access, page: Page, posted: _Posted, mine: Plain, theirs: data.Loaded,
              template_context: dict[str, Any]):
    saved_doc, mine_doc = theirs.data.to_dict(), mine.to_dict()
    differences = [label_change(access, page.part, change, saved_doc, mine_doc)
                   for change in diff.changes(saved_doc, mine_doc)]
    posted.version = str(theirs.version)
    if posted.form is not None:
        posted.form.version.data = posted.version
    return posted.show(page, template_context, conflict={
        "differences": differences, "saved_by": theirs.updated_by, "saved_at": theirs.updated_at}), 409


def _show(page: Page, template_context: dict[str, Any], *, form=None, values: dict[str, Any] | None = None,
          version: int | str = "", errors: dict[str, list[str]] | None = None, **extra: Any):
    """Render the page from `form`, or from form data `values` at `version`.

    A page with a `view` renders from plain data (form data and messages by field id) and is read
    without a form (cia/web/plain_reading.py): no WTForms form is built for it at all.
    """
    if page.view is None:
        if form is None:
            form = _form(page, data_dict=values, version=version)
        return render_template(page.template, form=form, **extra, **template_context)
    if form is not None:
        raise ValueError(f"{page.template} renders from plain data, not from a form")
    return render_template(page.template, form=None, version=version,
                           **page.view(values or {}, errors or {}), **extra, **template_context)

