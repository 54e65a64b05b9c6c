"""What every designer page shares: finding the version, refusing frozen ones, the edit flow.

The designer's edit pages run the one edit flow (cia/web/edit_flow.py), as the authoring pages do:
GET shows the draft with its fingerprint (`spec_hash`) in a hidden field; "Add", "Remove", "Move up"
and "Move down" change what was typed and show the page again (nothing saved); invalid input is
shown again with the error summary; a save that meets a draft another administrator saved since
gets the conflict page (409), ready to "Save my version". What is particular to the designer:
- the version a page was loaded at is the fingerprint of the whole draft (`spec_hash`), so a
  change anywhere in the draft is a conflict;
- a page's `apply` puts the form data into a copy of the draft, and may refuse it as a whole
  (`FieldProblem`: two options with one key); the data layer may refuse the draft it makes
  (`designer.InvalidSpec`) or find the version no longer a draft (the frozen page, 409);
- a save says so on the next page (`saved_message`) and goes back to where the page was opened from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import abort, flash, redirect, render_template
from flask_login import current_user

from cia import templateformat
from cia.data import designer
from cia.data.templates import TemplateVersionIsFrozen
from cia.domain import TemplateSpec
from cia.models import TemplateVersion
from cia.requestinfo import remote_addr
from cia.web.edit_flow import EditFlow, Posted, Refused, Stale
from cia.web.editing import ButtonWords, ListRule, generic_namer
from cia.web.transaction import roll_back

#: How items of each list are named in messages ("Category area 3: Enter the title ...").
LIST_LABELS = {"areas": "Category area", "bullets": "Bullet", "likelihood": "Likelihood option",
               "impact": "Size of impact option", "headers": "Header field", "columns": "Column", "rules": "Rule"}
#: What the designer's pages say about a button they cannot act on.
WORDS = ButtonWords(unrecognised="That button is not recognised: try again",
                    cannot_add="That button is not recognised: try again",
                    cannot_remove="That item is no longer on the page", gone="That item is no longer on the page")


class FieldProblem(Refused):
    """Input that is valid field by field but not as a whole (e.g. two options with one key)."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(problems)


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


# --- the edit flow ------------------------------------------------------------------------------


def movable_list(blank: Callable[[], dict[str, Any]], limit: int, words: str, first_field: str = "title") -> ListRule:
    """A list on a designer page: items are added, removed and moved up and down."""
    return ListRule(blank, limit, words, first_field, movable=True)


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
    #: Names an item in its fields' messages; the default names it by its list ("Category area 3").
    namer: Callable[[list[str | int]], str] | None = None


def edit(version: TemplateVersion, page: EditPage):
    if version.status != "draft":
        return frozen(version)
    return _DraftFlow(version, page).respond()


class _DraftFlow(EditFlow):
    version_field = "spec_hash"
    words = WORDS

    def __init__(self, version: TemplateVersion, page: EditPage):
        self.draft, self.page, self.spec = version, page, designer.spec_of(version)
        context = {**page.context, "version": version, "spec": self.spec, "title": page.title}
        super().__init__(page.form_class, page.template, context, lists=page.lists)

    def load(self):
        return self.page.to_form(self.spec), templateformat.spec_hash(self.spec)

    def namer(self):
        return self.page.namer or generic_namer(LIST_LABELS)

    def prepare_form(self, form) -> None:
        if self.page.prepare_form:
            self.page.prepare_form(form)

    def save(self, posted: Posted):
        draft, page = self.draft, self.page
        try:
            new_spec = page.apply(self.spec.copy(), posted.values)
            designer.save(draft, new_spec, user(), remote_addr(), seen_hash=posted.version, page=page.page)
        except designer.StaleSpec as stale:
            raise Stale(stale.current, templateformat.spec_hash(stale.current)) from stale
        except designer.InvalidSpec as invalid:
            raise Refused(message=invalid.problems[0].message) from invalid
        except TemplateVersionIsFrozen as error:
            raise Refused(respond=lambda: frozen(draft)) from error
        flash(page.saved_message)
        return redirect(page.done_url)

    def conflict(self, posted: Posted, stale: Stale) -> dict[str, Any]:
        current: TemplateSpec = stale.current
        try:  # what the administrator typed, put into the draft as it is now
            differences = designer.spec_changes(current, self.page.apply(current.copy(), posted.values))
        except FieldProblem:
            differences = []
        return {"conflict": {"differences": differences}, "spec": current}


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


def option_keys(items: list[dict[str, Any]], existing: set[str], list_name: str,
                what: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Keys for posted options whose key an administrator may choose (scale options, Schedule 12A
    paragraphs): a saved option keeps its key ("locked"); a new one takes the key typed, if no other
    option has it, or one made from its label. Returns the keys and the problems with those typed."""
    problems: list[tuple[str, str]] = []
    chosen: list[str] = []
    for index, item in enumerate(items):
        key = (item.get("key") or "").strip()
        if item.get("locked") == "1" and key in existing:
            chosen.append(key)  # a saved option keeps its key
        elif key and key not in existing:
            chosen.append(key)  # a new option with the key the administrator chose
        elif key:
            problems.append((f"{list_name}-{index}-key", f'{what} {index + 1}: the key "{key}" is already '
                                                         "used by another option: choose another key"))
            chosen.append(key)
        else:
            chosen.append("")
    seen: dict[str, int] = {}
    for index, key in enumerate(chosen):
        if key and key in seen:
            problems.append((f"{list_name}-{index}-key", f'{what} {index + 1} has the same key ("{key}") as '
                                                         f"option {seen[key] + 1}: keys must be unique"))
        seen.setdefault(key, index)
    taken = {k for k in chosen if k} | existing
    for index, item in enumerate(items):
        if not chosen[index]:
            chosen[index] = templateformat.make_key(item.get("label") or "", taken, "option")
            taken.add(chosen[index])
    return chosen, problems


def save_simple(version: TemplateVersion, spec: TemplateSpec, page: str, seen_hash: str) -> str | None:
    """Store a change made by a button (no form to re-show); returns a problem message or None."""
    try:
        designer.save(version, spec, user(), remote_addr(), seen_hash=seen_hash, page=page)
    except designer.StaleSpec:
        roll_back()
        return ("Another administrator changed this draft since you opened the page. Nothing was changed: "
                "check the page as it is now and try again")
    except designer.InvalidSpec as invalid:
        roll_back()
        return invalid.problems[0].message
    return None
