"""Form data on the edit pages: the buttons that change lists, and messages put on fields.

Both kinds of edit page use these through the one edit flow (cia/web/edit_flow.py): the authoring
pages and the template designer's. A list's "Add", "Remove", "Move up" and "Move down" buttons are
submit buttons named `action` ("remove:rows-2-risks-0"); `apply_action` changes the posted form
data as asked, by the rules of the page's lists (`ListRule`), so the page can be shown again with
everything typed kept and nothing saved.

The authoring pages' form data mirrors the stored dataclasses field for field, with two differences:
dates are {day, month, year} (a GOV.UK date input) and "completed" is a yes/no radio.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from wtforms import FormField

from cia.domain import (
    Benefit,
    EngagementActivity,
    EvidenceItem,
    Mitigation,
    Plain,
    Risk,
    RowAnswer,
    TeamMember,
    WorkforceLine,
    new_id,
)
from cia.formfields import is_number
from cia.web.forms import MAX_BENEFITS, MAX_ITEMS, MAX_MITIGATIONS, MAX_RISKS, MAX_ROWS, DateParts

DATE_FIELDS = {"date", "decision_date", "date_first_involved", "target_date"}
SKIP_KEYS = {"csrf_token", "version", "action", "submit"}


# --- stored <-> form -----------------------------------------------------------


def to_form(value: Any) -> Any:
    if isinstance(value, Plain):
        value = value.to_dict()
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in DATE_FIELDS and isinstance(item, str):
                out[key] = DateParts.parts_of(item)
            elif key == "completed" and isinstance(item, bool):
                out[key] = "yes" if item else ""
            elif key == "custom" and isinstance(item, bool):
                out[key] = "1" if item else ""
            else:
                out[key] = to_form(item)
        return out
    if isinstance(value, list):
        return [to_form(v) for v in value]
    return value


def from_form(value: Any) -> Any:
    """Form data back to stored shape; new list items get their ids here."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in SKIP_KEYS:
                continue
            if key in DATE_FIELDS and isinstance(item, dict):
                out[key] = _iso(item)
            elif key == "completed":
                out[key] = item == "yes"
            elif key == "custom":
                out[key] = item in ("1", "True", "true", True)
            elif key == "id" and not item:
                out[key] = new_id()
            else:
                out[key] = from_form(item)
        return out
    if isinstance(value, list):
        return [from_form(v) for v in value]
    return "" if value is None else value


def _blank(value: Any) -> bool:
    if isinstance(value, dict):  # a confidential mark on nothing typed is not an item either
        return all(_blank(v) for k, v in value.items()
                   if k not in ("id", "key", "custom", "characteristic", "confidential"))
    if isinstance(value, list):
        return all(_blank(v) for v in value)
    return value in (None, "", False)


def prune_blank_items(value: Any) -> Any:
    """Drop list items the author added but left empty (an empty risk is not a risk).

    Template rows are always kept; the author's own rows only when they hold something.
    """
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in REPEATABLE and isinstance(item, list):
                kept = [prune_blank_items(i) for i in item]
                if key == "rows":
                    kept = [i for i in kept if not (i.get("custom") and _blank(i))]
                else:
                    kept = [i for i in kept if not _blank(i)]
                out[key] = kept
            else:
                out[key] = prune_blank_items(item)
        return out
    if isinstance(value, list):
        return [prune_blank_items(v) for v in value]
    return value


def _iso(parts: dict[str, str]) -> str:
    day, month, year = (parts.get("day") or "").strip(), (parts.get("month") or "").strip(), (parts.get("year") or "").strip()
    if not (is_number(month, 4) and is_number(year, 4)):
        return ""
    if is_number(day, 4):
        return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    return f"{int(year):04d}-{int(month):02d}"


# --- the lists' buttons: add, remove, move up, move down -------------------------


@dataclass(frozen=True)
class ListRule:
    """A list in form data that "Add", "Remove" and (if `movable`) "Move up" / "Move down" change."""

    #: A new item, as form data.
    blank: Callable[[], dict[str, Any]]
    limit: int
    #: The list's items in the limit's message: "You can add up to 20 <risks to a row>".
    words: str
    #: The new item's input to focus; "" is its first field other than id, key and custom.
    first_field: str = ""
    movable: bool = False
    #: Why an item may not be removed ("" if it may).
    refuse_remove: Callable[[dict[str, Any]], str] | None = None


@dataclass(frozen=True)
class ButtonWords:
    """What a page says about a button it cannot act on. The designer's pages word these differently
    from the authoring pages (ask to try again; an item that went is "no longer on the page")."""

    unrecognised: str = "That button is not recognised"
    cannot_add: str = "That list cannot be added to"
    cannot_remove: str = "That item cannot be removed"
    gone: str = "That item has already been removed"


def _blank_row() -> dict[str, Any]:
    return to_form(RowAnswer(key=f"own-{new_id()}", custom=True, risks=[]))


def _only_own_rows(row: dict[str, Any]) -> str:
    return "" if row.get("custom") in ("1", True) else "Only rows you added can be removed"


#: The authoring pages' lists: the blank item each gets, and the most it may hold.
REPEATABLE: dict[str, ListRule] = {
    "members": ListRule(lambda: to_form(TeamMember()), MAX_ITEMS, "team members"),
    "activities": ListRule(lambda: to_form(EngagementActivity()), MAX_ITEMS, "activities"),
    "benefits": ListRule(lambda: to_form(Benefit()), MAX_BENEFITS, "benefits to a row"),
    "risks": ListRule(lambda: to_form(Risk(mitigations=[Mitigation()])), MAX_RISKS, "risks to a row"),
    "mitigations": ListRule(lambda: to_form(Mitigation()), MAX_MITIGATIONS, "mitigations to a risk"),
    "items": ListRule(lambda: to_form(EvidenceItem()), MAX_ITEMS, "evidence items"),
    "profile": ListRule(lambda: to_form(WorkforceLine()), MAX_ITEMS, "workforce profile lines"),
    # the author's own rows, kept apart from the template's by "custom"; only they can be removed
    "rows": ListRule(_blank_row, MAX_ROWS, "rows to a section", refuse_remove=_only_own_rows),
}

#: "verb:path": a list ("rows-2-risks") to add to, or an item ("rows-2-risks-0") to remove or move.
_ACTION = re.compile(r"^(add|remove|up|down):([a-z_]+(?:-\d{1,6}-[a-z_]+)*(?:-\d{1,6})?)$", re.ASCII)


class ActionError(ValueError):
    pass


def _tokens(path: str) -> list[str | int]:
    return [int(t) if is_number(t, 6) else t for t in path.split("-")]


def apply_action(action: str, data: dict[str, Any], lists: Mapping[str, ListRule],
                 words: ButtonWords = ButtonWords()) -> str:
    """Change form data as the button asks; returns the id to focus. Raises ActionError with the
    message for the page when the button cannot be acted on (nothing is changed then)."""
    match = _ACTION.match(action or "")
    if not match:
        raise ActionError(words.unrecognised)
    verb, path = match.groups()
    tokens = _tokens(path)
    if verb == "add":
        name = tokens[-1]
        if not isinstance(name, str) or name not in lists:
            raise ActionError(words.cannot_add)
        container = _walk(data, tokens[:-1])
        items = container.get(name) if isinstance(container, dict) else None
        if not isinstance(items, list):  # a button for a list this page does not have
            raise ActionError("That button is not on this page")
        rule = lists[name]
        if len(items) >= rule.limit:
            raise ActionError(f"You can add up to {rule.limit} {rule.words}")
        item = rule.blank()
        items.append(item)
        first = rule.first_field or next(iter(k for k in item if k not in ("id", "key", "custom")), "")
        return f"{path}-{len(items) - 1}-{first}"
    *list_path, index = tokens
    if not isinstance(index, int):
        raise ActionError(words.cannot_remove)
    name = list_path[-1]
    if not isinstance(name, str) or name not in lists or (verb != "remove" and not lists[name].movable):
        raise ActionError(words.unrecognised)
    container = _walk(data, list_path[:-1])
    items = container.get(name) if isinstance(container, dict) else None
    if not isinstance(items, list):
        raise ActionError("That button is not on this page")
    if index >= len(items):
        raise ActionError(words.gone)
    where = "-".join(str(t) for t in list_path)
    if verb == "remove":
        refused = lists[name].refuse_remove(items[index]) if lists[name].refuse_remove else ""
        if refused:
            raise ActionError(refused)
        items.pop(index)
        return where
    other = index - 1 if verb == "up" else index + 1
    if not 0 <= other < len(items):  # already first (or last): nothing to move
        return f"{where}-{index}"
    items[index], items[other] = items[other], items[index]
    return f"{where}-{other}"


def _walk(data: Any, tokens: list[str | int]) -> Any:
    node = data
    for token in tokens:
        try:
            node = node[token]
        except (KeyError, IndexError, TypeError) as error:
            raise ActionError("That item is no longer on the page") from error
    return node


# --- messages on fields: named by their item, put on by id -------------------------


def name_errors(form, namer: Callable[[list[str | int]], str]) -> None:
    """Prefix every nested error with the item it belongs to ("Risk 2 in Transport: ...")."""

    def visit(field, path: list[str | int]) -> None:
        entries = getattr(field, "entries", None)
        if entries is not None:  # FieldList
            for index, entry in enumerate(entries):
                visit(entry, [*path, index])
            return
        subform = getattr(field, "form", None)
        if subform is not None and hasattr(subform, "_fields") and field is not form:
            for name, sub in subform._fields.items():
                visit(sub, [*path, name])
            subform._errors = None
            return
        if field.errors and len(path) > 1 and isinstance(field.errors, list):
            context = namer(path)
            if context:
                field.errors[:] = [e if e.startswith(context) else f"{context}: {e}" for e in field.errors]

    for name, field in form._fields.items():
        visit(field, [name])
    form._errors = None


def generic_namer(labels: dict[str, str]) -> Callable[[list[str | int]], str]:
    """"Team member 2", "Evidence item 3": the list's label and the item's number."""

    def namer(path: list[str | int]) -> str:
        if len(path) >= 2 and isinstance(path[1], int):
            return f"{labels.get(str(path[0]), str(path[0]).capitalize())} {path[1] + 1}"
        return ""

    return namer


def attach_errors(form, problems: Iterable[tuple[str, str]]) -> None:
    """Put each message on the field whose id is given ("rows-2-risks-0-mitigations-0-text",
    "likelihood-2-key") and rebuild the error summary. A message for a field the form does not
    have is dropped: the page is still shown, with the rest."""
    for field_id, message in problems:
        node: Any = form
        try:
            for token in field_id.split("-"):
                if is_number(token, 6):
                    node = node.entries[int(token)]
                else:
                    node = (node.form if isinstance(node, FormField) else node)[token]
        except (KeyError, IndexError, TypeError, AttributeError):
            continue
        if hasattr(node, "errors"):
            node.errors = [*list(node.errors or []), message]
    refresh_errors(form)


def refresh_errors(form) -> None:
    """Rebuild nested error structures after messages were put on fields by hand.

    WTForms computes a FieldList's errors during validate(); a form that was not validated (the
    saved answers shown again with the checker's messages), or whose messages came after it (a
    draft the designer refused as a whole), needs them rebuilt from its leaves for the error
    summary to list them.
    """

    def visit(field) -> bool:
        entries = getattr(field, "entries", None)
        if entries is not None:
            has = [visit(entry) for entry in entries]
            # A message about the list itself ("add the evidence you used") is kept.
            own = [e for e in field.errors or [] if isinstance(e, str)]
            field.errors = [entry.errors for entry in entries] if any(has) else own
            return any(has) or bool(own)
        subform = getattr(field, "form", None)
        if subform is not None and hasattr(subform, "_fields"):
            found = any([visit(sub) for sub in subform._fields.values()])
            subform._errors = None
            return found
        return bool(field.errors)

    for field in form._fields.values():
        visit(field)
    form._errors = None


# --- keeping what is valid: "Save and come back later" with a mistyped answer --------------------


def form_problems(form) -> list[tuple[list[str | int], str, str]]:
    """Every message on a WTForms form's fields: (path in its data, field id, message), in page order."""
    found: list[tuple[list[str | int], str, str]] = []

    def visit(field, path: list[str | int]) -> None:
        entries = getattr(field, "entries", None)
        if entries is not None:  # FieldList
            for index, entry in enumerate(entries):
                visit(entry, [*path, index])
            found.extend((path, field.id, e) for e in field.errors or [] if isinstance(e, str))
            return
        subform = getattr(field, "form", None)
        if subform is not None and hasattr(subform, "_fields"):
            for name, sub in subform._fields.items():
                visit(sub, [*path, name])
            return
        found.extend((path, field.id, e) for e in field.errors or [] if isinstance(e, str))

    for name, field in form._fields.items():
        if name != "csrf_token":
            visit(field, [name])
    return found


def keep_stored(values: dict[str, Any], stored: dict[str, Any], paths: Iterable[list[str | int]]) -> dict[str, Any]:
    """The posted form data with each field at `paths` (a field a check refused) put back as stored,
    so that everything else can be saved: a list item is found in the stored data by its id or key;
    a date goes back whole; a field with nothing stored (a new item's) is left empty."""
    out = copy.deepcopy(values)
    for path in paths:
        path = list(path)
        parent = _at(out, path[:-1]) if len(path) > 1 else out
        if isinstance(parent, dict) and {"day", "month", "year"} <= set(parent) and len(path) > 1:
            path = path[:-1]  # a date is put back whole
        if not path:
            continue
        holder = _at(out, path[:-1]) if len(path) > 1 else out
        old = _stored_at(out, stored, path)
        try:
            holder[path[-1]] = copy.deepcopy(old) if old is not _NOTHING else _empty_like(holder[path[-1]])
        except (KeyError, IndexError, TypeError):
            continue
    return out


_NOTHING: Any = object()


def _at(data: Any, path: list[str | int]) -> Any:
    node = data
    for token in path:
        try:
            node = node[token]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _stored_at(posted: Any, stored: Any, path: list[str | int]) -> Any:
    """The stored value at the place `path` names in the posted data (list items matched by id or key)."""
    node_posted, node_stored = posted, stored
    for token in path:
        if isinstance(token, int):
            try:
                item = node_posted[token]
            except (IndexError, TypeError, KeyError):
                return _NOTHING
            ident = item.get("id") or item.get("key") if isinstance(item, dict) else None
            candidates = node_stored if isinstance(node_stored, list) else []
            match = next((c for c in candidates if isinstance(c, dict) and ident
                          and (c.get("id") or c.get("key")) == ident), _NOTHING)
            node_posted, node_stored = item, match
        else:
            if not isinstance(node_stored, dict) or token not in node_stored:
                return _NOTHING
            node_posted = node_posted.get(token) if isinstance(node_posted, dict) else None
            node_stored = node_stored[token]
        if node_stored is _NOTHING:
            return _NOTHING
    return node_stored


def _empty_like(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _empty_like(item) for key, item in value.items()}
    if isinstance(value, list):
        return []
    return ""
