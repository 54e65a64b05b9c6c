"""The authoring pages' edit flow: an assessment part, saved under its version.

Every authoring page (the fixed pages, a section's rows and Evidence Base, the template's own
questions, the community impact summary) runs the one edit flow (cia/web/edit_flow.py), which the
template designer runs too. What is particular to an assessment part is here:
- the version is the part's `version` number; a save that finds a newer one is merged from the part at
  that version (cia/web/merging.py): what only one person changed is kept, with a notice, and only the
  rows and questions both changed are put on the conflict page, labelled as the author knows them;
- answers typed before the session ended are shown again, unsaved (cia/stash.py);
- input a field refuses is kept (cia/stash.py) and shown again with its messages whenever its person
  comes back, until the page is saved; with "Save and come back later" everything else is saved;
- "Save and come back later" (`submit=later`) goes to the task list; "Save and continue" first
  asks the page's completeness checks, and shows the saved answers again with their messages if
  something is still missing;
- a page of template questions acts on its list buttons through its own form (cia/web/questions.py);
  a fixed page's buttons act on its form data, by the lists of `editing.REPEATABLE`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from cia import diff, stash
from cia.data import assessments as data
from cia.data import parts
from cia.domain import Plain
from cia.formfields import whole_number
from cia.requestinfo import remote_addr
from cia.web import editing, merging
from cia.web.edit_flow import EditFlow, Posted, Stale
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
    #: Drops the messages of fields the posted answers leave unasked: (form data, messages by field id).
    ignore: Callable[[dict[str, Any], dict[str, list[str]]], None] | None = None
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


def edit_part(access: data.Access, page: Page, next_url: str | Callable[[], str], **context: Any):
    """Show and save one part. `next_url` may be worked out after the save (a page whose answers
    decide which questions apply next)."""
    if not access.editable:
        return render_template("assessments/not_editable.html", access=access, title=page.title), 409
    template_context = {**page.context, **context, "access": access, "title": page.title}
    return _PartFlow(access, page, next_url, template_context).respond()


class _PartFlow(EditFlow):
    version_field = "version"

    def __init__(self, access: data.Access, page: Page, next_url: str | Callable[[], str],
                 context: dict[str, Any]):
        super().__init__(page.form_class, page.template, context, lists=editing.REPEATABLE, view=page.view)
        self.access, self.page, self.next_url = access, page, next_url

    def load(self):
        loaded = data.load_part(self.access.revision, self.page.part)
        return self.page.form_data(loaded.data), loaded.version

    def kept(self):
        return stash.take(request.path)

    def namer(self):
        return self.page.namer  # read each time: a section's namer is set from the posted rows

    def prepare_form(self, form) -> None:
        if self.page.prepare_form:
            self.page.prepare_form(form)

    def prepare_values(self, values: dict[str, Any]) -> None:
        if self.page.prepare_values:
            self.page.prepare_values(values)

    def refuse_action(self, action: str) -> str:
        return self.page.refuse_action(action) if self.page.refuse_action else ""

    def ignore(self, values: dict[str, Any], errors: dict[str, list[str]]) -> None:
        if self.page.ignore:
            self.page.ignore(values, errors)

    def action_values(self, values: dict[str, Any]) -> dict[str, Any]:
        # stored and back, as a save would: new items get their ids, the page's rules are applied
        page = self.page
        return page.unpack(editing.to_form(editing.from_form(page.pack(values))))

    def act(self, posted: Posted, action: str):
        if not self.page.plain:
            return super().act(posted, action)
        # a page of template questions: its list questions act on the form as posted
        focus, problem = "", ""
        try:
            focus = posted.form.apply_action(action)
        except editing.ActionError as error:
            problem = str(error)
        return self.show_posted(posted, focus=focus, action_problem=problem)

    def unsaved(self):
        kept = stash.invalid(request.path)
        if kept is not None:
            kept.setlist("csrf_token", [generate_csrf()])  # checked again for its messages, not posted
        return kept

    def save_invalid(self, posted: Posted):
        """"Save and come back later" saves every answer that is valid and keeps the rest, as typed,
        to show on the page until it is saved; "Save and continue" saves nothing but keeps it too."""
        problems = posted.problems()
        if request.form.get("submit") != "later":
            stash.keep_invalid()
            return self.show_posted(posted)
        stored, _ = self.load()
        values = editing.keep_stored(posted.values, stored, [path for path, _, _ in problems])
        _, notice = self.store(Posted(None, values, posted.version, {}))
        kept = stash.keep_invalid(**{self.version_field: str(data.load_part(self.access.revision, self.page.part).version)})
        data.check(self.access.revision)
        if notice:
            flash(notice, "important")
        flash({"count": len(problems), "kept": kept,
               "problems": [{"text": message, "href": f"{request.path}#{field_id}"}
                            for _, field_id, message in problems[:10]]},
              "partly_saved")
        return redirect(url_for("assessments.task_list", assessment_id=self.access.assessment.id))

    def store(self, posted: Posted) -> tuple[Plain, str]:
        """Save the posted part, merged with what somebody else saved meanwhile: what was stored, and
        the notice saying whose changes were kept ("" if nobody else saved)."""
        revision, page = self.access.revision, self.page
        submitted = parts.part_class(page.part).from_dict(page.stored(posted.values))
        seen = whole_number(posted.version, -1)
        result = data.save_part(revision, page.part, submitted, seen, current_user.user, remote_addr())
        notice = ""
        if not result.ok:  # saved by somebody else since: merged from the version this page was loaded at
            theirs = result.current
            merged = merging.merge_part(revision, page.part, seen, theirs, submitted.to_dict(),
                                        merging.choices(request.form))
            if merged.conflicts:
                raise Stale(theirs, theirs.version, mine=submitted, merging=True)
            mine = submitted
            submitted = parts.part_class(page.part).from_dict(merged.data)
            result = data.save_part(revision, page.part, submitted, theirs.version, current_user.user,
                                    remote_addr())
            if not result.ok:  # saved yet again meanwhile: merged again from the page's version
                raise Stale(result.current, result.current.version, mine=mine, merging=True)
            notice = merging.notice(self.access, page.part, merged, theirs.updated_by)
        return submitted, notice

    def save(self, posted: Posted):
        revision, page = self.access.revision, self.page
        submitted, notice = self.store(posted)
        stash.forget(request.path)
        checked = data.check(revision)

        going_on = request.form.get("submit") != "later"
        problems = page.completeness(submitted, checked) if (page.completeness and going_on) else []
        if problems:
            fresh = data.load_part(revision, page.part)
            return self.show(page.form_data(fresh.data), fresh.version, problems, saved_with_problems=True,
                             merge_notice=notice)
        if notice:
            flash(notice, "important")
        if not going_on:
            flash("Your answers have been saved. You can come back to them at any time.")
            return redirect(url_for("assessments.task_list", assessment_id=self.access.assessment.id))
        return redirect(self.next_url() if callable(self.next_url) else self.next_url)

    def conflict(self, posted: Posted, stale: Stale) -> dict[str, Any]:
        theirs: data.Loaded = stale.current
        saved_doc, mine_doc = theirs.data.to_dict(), stale.mine.to_dict()
        if stale.merging:
            return {"conflict": merging.conflict_page(self.access, self.page.part, posted, theirs, mine_doc,
                                                      request.form)}
        differences = [label_change(self.access, self.page.part, change, saved_doc, mine_doc)
                       for change in diff.changes(saved_doc, mine_doc)]
        return {"conflict": {"differences": differences, "saved_by": theirs.updated_by,
                             "saved_at": theirs.updated_at}}
