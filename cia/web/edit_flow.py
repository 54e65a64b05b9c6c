"""The one edit flow: every page that edits stored data through a form, authoring and designer alike.

GET shows the stored data with the version it was loaded at in a hidden field (an assessment
part's `version` number, a template draft's fingerprint `spec_hash`). POST:
- a button named `action` ("add:", "remove:", "up:", "down:") changes what was typed and shows the
  page again: nothing is saved, nothing typed is lost;
- input a field refuses is shown again as typed, with the messages in the error summary;
- otherwise the page saves. A save that finds the data changed since that version raises `Stale`: the
  request's writes are rolled back and the page is shown again (409) with the differences, the
  form still holding what was typed. The authoring pages merge from the version the page was loaded
  at (cia/merge.py): what only one person changed is kept without asking, and the conflict page asks
  only about the rows and questions both changed; the designer's form is given the stored version,
  so that saving again keeps the typed version. A save that refuses the input as a whole raises `Refused`: rolled back,
  shown again as typed with the messages on their fields (or another page instead);
- a save that succeeds answers with what the page does next (a redirect, usually).

`EditFlow` is that sequence. Each family of pages subclasses it to say how to load, how to save and
what a conflict shows: the authoring pages in cia/web/flow.py, the template designer's in
cia/designer/common.py. A page is rendered from its WTForms form, or (a page with a `view`) from
plain data read by cia/web/plain_reading.py, with no form built at all.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue

from cia.web import editing, plain_reading
from cia.web.transaction import roll_back


class Stale(Exception):
    """Somebody saved since the page was loaded: what is stored now, and its version."""

    def __init__(self, current: Any, version: str | int, mine: Any = None, *, merging: bool = False):
        super().__init__("saved by somebody else since the page was loaded")
        self.current, self.version = current, str(version)
        #: What the save would have stored, if the conflict page compares it with `current`.
        self.mine = mine
        #: The page merges from the version it was loaded at (cia/merge.py): the form keeps carrying
        #: that version, and the person's choices on the conflict page settle what both changed.
        #: Otherwise the form is given the stored version, so that saving again keeps the typed one.
        self.merging = merging


class Refused(Exception):
    """Input every field accepts but the save refuses as a whole. Nothing is kept; the page is shown
    again as typed, with `problems` ([(field id, message)]) on their fields and `message` over the
    form, or `respond()` is the answer instead (made after the rollback, so it shows what is stored)."""

    def __init__(self, problems: Iterable[tuple[str, str]] = (), message: str = "",
                 respond: Callable[[], ResponseReturnValue] | None = None):
        self.problems, self.message, self.respond = list(problems), message, respond
        super().__init__("; ".join(m for m in [message, *(m for _, m in self.problems)] if m))


@dataclass
class Posted:
    """A posted page, read: by its WTForms form, or (a page with a `view`) as plain data."""

    #: None for a page read without a form.
    form: Any
    #: The form's data, without the version, the CSRF token and the buttons.
    values: dict[str, Any]
    #: The version the page was loaded at, as posted.
    version: str
    #: Messages by field id, for a page read without a form (a form keeps its own).
    errors: dict[str, list[str]]
    #: Where each of `errors`' fields is in `values` ([list name, position, field name, ...]).
    paths: dict[str, list[str | int]] = field(default_factory=dict)

    def problems(self) -> list[tuple[list[str | int], str, str]]:
        """Every message on the page: (path in `values`, field id, message), in page order."""
        if self.form is not None:
            return editing.form_problems(self.form)
        return [(self.paths.get(field_id, field_id.split("-")), field_id, message)
                for field_id, messages in self.errors.items() for message in messages]


class EditFlow(ABC):
    """Show, act on, check and save one page. A subclass supplies `load`, `save` and `conflict`;
    the other methods it may override are the page's own rules, each with the plain default."""

    #: The hidden field carrying the version the page was loaded at.
    version_field = "version"
    #: What the page says about a button it cannot act on.
    words = editing.ButtonWords()

    def __init__(self, form_class: type, template: str, context: dict[str, Any], *,
                 lists: Mapping[str, editing.ListRule] | None = None,
                 view: Callable[[dict[str, Any], dict[str, list[str]]], dict[str, Any]] | None = None):
        self.form_class, self.template, self.context = form_class, template, context
        #: The lists the page's buttons add to, remove from and reorder.
        self.lists: Mapping[str, editing.ListRule] = lists or {}
        #: Renders the page from plain data rather than from its form: (form data, messages by field
        #: id) -> the template's context, which must hold `error_list` for the error summary.
        self.view = view

    # --- what a family of pages supplies --------------------------------------------------------

    @abstractmethod
    def load(self) -> tuple[dict[str, Any], str | int]:
        """The stored data as form data, and its version."""

    @abstractmethod
    def save(self, posted: Posted) -> ResponseReturnValue:
        """Store what was posted (checked field by field) and answer; raises Stale or Refused."""

    def conflict(self, posted: Posted, stale: Stale) -> dict[str, Any]:
        """The template's context for the conflict page (at least `conflict`)."""
        return {"conflict": {}}

    # --- the page's own rules (the defaults do nothing) -----------------------------------------

    def kept(self):
        """A form typed before the session ended, to show again unsaved (a MultiDict), or None."""
        return None

    def unsaved(self):
        """Input an earlier save could not keep, to show again with its messages (a MultiDict), or None."""
        return None

    def save_invalid(self, posted: Posted) -> ResponseReturnValue:
        """Input a field refuses: the page again as typed, with its messages (a family of pages may
        also save what is valid); may raise Stale or Refused."""
        return self.show_posted(posted)

    def namer(self) -> Callable[[list[str | int]], str] | None:
        """Names an item in its fields' messages ("Risk 2 in Transport"); read after `prepare_values`."""
        return None

    def prepare_form(self, form) -> None:
        """Finish a form once built (choices that depend on the template)."""
        return None

    def prepare_values(self, values: dict[str, Any]) -> None:
        """Like prepare_form, for a page read without a form: given the posted form data."""
        return None

    def refuse_action(self, action: str) -> str:
        """Why this page does not allow a button its lists would ("" if it does)."""
        return ""

    def ignore(self, values: dict[str, Any], errors: dict[str, list[str]]) -> None:
        """For a page read without a form: drop the messages of fields the posted answers leave
        unasked (the other fields of a row marked N/A); saving keeps what is stored for them."""
        return None

    def action_values(self, values: dict[str, Any]) -> dict[str, Any]:
        """The form data a button acts on (the posted data, put in the page's shape)."""
        return values

    # --- the sequence ----------------------------------------------------------------------------

    def respond(self) -> ResponseReturnValue:
        if request.method == "GET":
            kept = self.kept()
            if kept is not None:  # typed before the session ended: shown as typed, checked when saved
                restored = self.read(kept)
                restored.errors = {}
                return self.show_posted(restored, restored=True)
            unsaved = self.unsaved()
            if unsaved is not None:  # an earlier save kept the rest: shown as typed, with its messages
                restored = self.read(unsaved)
                self.valid(restored)
                return self.show_posted(restored, unsaved_input=True)
            values, version = self.load()
            return self.show(values, version)

        posted = self.read(request.form)
        action = request.form.get("action", "")
        if action:
            return self.act(posted, action)
        try:
            if not self.valid(posted):
                return self.save_invalid(posted)
            return self.save(posted)
        except Stale as stale:
            roll_back()
            if not stale.merging:
                posted.version = stale.version
                if posted.form is not None:
                    posted.form[self.version_field].data = stale.version
            return self.show_posted(posted, **self.conflict(posted, stale)), 409
        except Refused as refused:
            roll_back()
            if refused.respond is not None:
                return refused.respond()
            extra = {"action_problem": refused.message} if refused.message else {}
            return self.show_posted(posted, refused.problems, **extra)

    def act(self, posted: Posted, action: str) -> ResponseReturnValue:
        """A button that changes the lists: the page again with the change (focus on what changed),
        or with why not (focus on the error summary). Nothing is saved."""
        values = self.action_values(posted.values)
        focus, problem = "", self.refuse_action(action)
        if not problem:
            try:
                focus = editing.apply_action(action, values, self.lists, self.words)
            except editing.ActionError as error:
                problem = str(error)
        return self.show(values, posted.version, focus=focus, action_problem=problem)

    def read(self, formdata) -> Posted:
        skip = {"csrf_token", "action", "submit", self.version_field}
        if self.view is None:
            form = self.make_form(formdata=formdata)
            values = {k: v for k, v in form.data.items() if k not in skip}
            return Posted(form, values, str(form[self.version_field].data or ""), {})
        reading = plain_reading.read(self.form_class, formdata)
        version = reading.values.get(self.version_field)
        values = {k: v for k, v in reading.values.items() if k not in skip}
        self.prepare_values(values)
        self.ignore(values, reading.errors)
        namer = self.namer()
        if namer:
            reading.name_errors(namer)
        return Posted(None, values, str(version or ""), reading.errors, reading.paths)

    def valid(self, posted: Posted) -> bool:
        if posted.form is None:
            return not posted.errors
        if posted.form.validate():
            return True
        namer = self.namer()
        if namer:
            editing.name_errors(posted.form, namer)
        return False

    # --- showing the page ------------------------------------------------------------------------

    def make_form(self, *, formdata=None, values: dict[str, Any] | None = None, version: str | int = ""):
        if formdata is not None:
            form = self.form_class(formdata=formdata)
        else:
            form = self.form_class(formdata=None, data={**(values or {}), self.version_field: str(version)})
        self.prepare_form(form)
        return form

    def show(self, values: dict[str, Any], version: str | int, problems: Iterable[tuple[str, str]] = (),
             **extra: Any) -> str:
        """The page from form data at `version`, with `problems` ([(field id, message)]) on their fields."""
        problems = list(problems)
        if self.view is not None:
            return self._render_plain(values, version, _by_field(problems), extra)
        form = self.make_form(values=values, version=version)
        if problems:
            editing.attach_errors(form, problems)
        return self._render(form=form, **extra)

    def show_posted(self, posted: Posted, problems: Iterable[tuple[str, str]] = (), **extra: Any) -> str:
        """The page as posted, with its messages and `problems` added to them."""
        problems = list(problems)
        if posted.form is not None:
            if problems:
                editing.attach_errors(posted.form, problems)
            return self._render(form=posted.form, **extra)
        errors = {field_id: list(messages) for field_id, messages in posted.errors.items()}
        for field_id, messages in _by_field(problems).items():
            errors.setdefault(field_id, []).extend(messages)
        return self._render_plain(posted.values, posted.version, errors, extra)

    def _render_plain(self, values: dict[str, Any], version: str | int, errors: dict[str, list[str]],
                      extra: dict[str, Any]) -> str:
        assert self.view is not None  # only called for a page with a view
        return self._render(form=None, **{self.version_field: version}, **self.view(values, errors), **extra)

    def _render(self, **page: Any) -> str:
        return render_template(self.template, **{**self.context, **page})


def _by_field(problems: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field_id, message in problems:
        errors.setdefault(field_id, []).append(message)
    return errors
