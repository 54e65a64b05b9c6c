"""What every designer page shares: finding the version, refusing frozen ones, the edit flow.

The edit flow mirrors the authoring pages (cia/web/flow.py):
- GET shows the draft with its fingerprint (`spec_hash`) in a hidden field;
- "Add", "Remove", "Move up" and "Move down" are submit buttons named `action`: the page is
  shown again with the change made to what was typed (nothing is saved, nothing is lost);
- invalid input is shown again with the error summary;
- a valid save stores the draft unless another administrator saved it since the page was
  opened: then the page is shown again with both versions' differences (409) and the form
  still holding what was typed, ready to "Save my version".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import abort, flash, redirect, render_template, request
from flask_login import current_user

from cia import templateformat
from cia.data import designer
from cia.data.templates import TemplateVersionIsFrozen
from cia.domain import TemplateSpec
from cia.extensions import db
from cia.models import TemplateVersion
from cia.requestinfo import remote_addr
from cia.web.editing import (
    ActionError,
    ButtonWords,
    ListRule,
    apply_action,
    attach_errors,
    generic_namer,
    name_errors,
)

SKIP_KEYS = {"csrf_token", "spec_hash", "action", "submit"}
#: How items of each list are named in messages ("Category area 3: Enter the title ...").
LIST_LABELS = {"areas": "Category area", "bullets": "Bullet", "likelihood": "Likelihood option",
               "impact": "Size of impact option", "headers": "Header field", "columns": "Column", "rules": "Rule"}
#: What the designer's pages say about a button they cannot act on.
WORDS = ButtonWords(unrecognised="That button is not recognised: try again",
                    cannot_add="That button is not recognised: try again",
                    cannot_remove="That item is no longer on the page", gone="That item is no longer on the page")


class FieldProblem(Exception):
    """Input that is valid field by field but not as a whole (e.g. two options with one key)."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems  # (field id, message)
        super().__init__("; ".join(m for _, m in problems))


def version_or_404(version_id: int) -> TemplateVersion:
    version = designer.get_version(version_id)
    if version is None:
        abort(404)
    return version


def frozen(version: TemplateVersion, message: str = ""):
    """The 409 page for any attempt to change a published or retired version."""
    return render_template("designer/frozen.html", version=version, message=message,
                           title=f"Version {version.number} cannot be changed"), 409


def user():
    return current_user.user


# --- the lists on a page -----------------------------------------------------------------------


def movable_list(blank: Callable[[], dict[str, Any]], limit: int, words: str, first_field: str = "title") -> ListRule:
    """A list on a designer page: items are added, removed and moved up and down."""
    return ListRule(blank, limit, words, first_field, movable=True)


# --- the edit flow ------------------------------------------------------------------------------


@dataclass
class EditPage:
    page: str  # for the audit row: "details", "section psed" ...
    form_class: type
    template: str
    title: str
    #: The draft's content -> form data.
    to_form: Callable[[TemplateSpec], dict[str, Any]]
    #: (a copy of the draft's content, form data) -> the new content; may raise FieldProblem.
    apply: Callable[[TemplateSpec, dict[str, Any]], TemplateSpec]
    done_url: str
    lists: dict[str, ListRule] = field(default_factory=dict)
    prepare_form: Callable[[Any], None] | None = None
    context: dict[str, Any] = field(default_factory=dict)
    saved_message: str = "Your changes have been saved"


def form_dict(form) -> dict[str, Any]:
    return {k: v for k, v in form.data.items() if k not in SKIP_KEYS}


def _make_form(page: EditPage, *, formdata=None, data: dict[str, Any] | None = None, spec_hash: str = ""):
    if formdata is not None:
        form = page.form_class(formdata=formdata)
    else:
        form = page.form_class(formdata=None, data={**(data or {}), "spec_hash": spec_hash})
    if page.prepare_form:
        page.prepare_form(form)
    return form


def edit(version: TemplateVersion, page: EditPage):
    if version.status != "draft":
        return frozen(version)
    spec = designer.spec_of(version)
    context = {**page.context, "version": version, "spec": spec, "title": page.title}
    if request.method == "GET":
        form = _make_form(page, data=page.to_form(spec), spec_hash=templateformat.spec_hash(spec))
        return render_template(page.template, form=form, **context)

    form = _make_form(page, formdata=request.form)
    action = request.form.get("action", "")
    if action:
        data = form_dict(form)
        focus, problem = "", ""
        try:
            focus = apply_action(action, data, page.lists, WORDS)
        except ActionError as error:
            problem = str(error)
        form = _make_form(page, data=data, spec_hash=form.spec_hash.data or "")
        return render_template(page.template, form=form, focus=focus, action_problem=problem, **context)
    if not form.validate():
        name_errors(form, generic_namer(LIST_LABELS))
        return render_template(page.template, form=form, **context)
    try:
        new_spec = page.apply(spec.copy(), form_dict(form))
        designer.save(version, new_spec, user(), remote_addr(), seen_hash=form.spec_hash.data or "", page=page.page)
    except FieldProblem as problem:
        db.session.rollback()
        attach_errors(form, problem.problems)
        return render_template(page.template, form=form, **context)
    except designer.StaleSpec as stale:
        db.session.rollback()
        return _conflict(page, form, stale.current, context)
    except designer.InvalidSpec as invalid:
        db.session.rollback()
        return render_template(page.template, form=form, action_problem=invalid.problems[0].message, **context)
    except TemplateVersionIsFrozen:
        db.session.rollback()
        return frozen(version)
    flash(page.saved_message)
    return redirect(page.done_url)


def _conflict(page: EditPage, form, current: TemplateSpec, context: dict[str, Any]):
    try:
        mine = page.apply(current.copy(), form_dict(form))
        differences = designer.spec_changes(current, mine)
    except FieldProblem:
        differences = []
    form.spec_hash.data = templateformat.spec_hash(current)
    conflict = {"differences": differences}
    return render_template(page.template, form=form, conflict=conflict, **{**context, "spec": current}), 409


def lines(text: str) -> list[str]:
    """A textarea with one item per line -> the items (blank lines dropped)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def keyed(items: list[dict[str, Any]], existing: set[str], title_field: str, fallback: str) -> list[str]:
    """Keys for posted items: a posted key is kept only if the draft has it (and only once);
    a new item gets a key made from its title, unique among the list."""
    keys: list[str] = []
    used: set[str] = set()
    for item in items:
        key = (item.get("key") or "").strip()
        if key and key in existing and key not in used:
            keys.append(key)
            used.add(key)
        else:
            keys.append("")
    taken = used | existing
    for index, item in enumerate(items):
        if not keys[index]:
            text = " ".join((item.get(title_field) or "").split()[:8])
            keys[index] = templateformat.make_key(text, taken, fallback)
            taken.add(keys[index])
    return keys


def save_simple(version: TemplateVersion, spec: TemplateSpec, page: str, seen_hash: str) -> str | None:
    """Store a change made by a button (no form to re-show); returns a problem message or None."""
    try:
        designer.save(version, spec, user(), remote_addr(), seen_hash=seen_hash, page=page)
    except designer.StaleSpec:
        db.session.rollback()
        return ("Another administrator changed this draft since you opened the page. Nothing was changed: "
                "check the page as it is now and try again")
    except designer.InvalidSpec as invalid:
        db.session.rollback()
        return invalid.problems[0].message
    return None
