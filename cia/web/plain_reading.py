"""Reading a posted form by the rules of its WTForms class, without building the form.

Why: a section's rows form is a tree of FieldList and FormField (a form per row, benefit, risk and
mitigation). WTForms builds a field object for every input before it checks anything: for a 34-row
section, 8,000 objects on every save, which cost more than saving and checking the answers did.

The rules stay where they are declared, on the form classes in cia/web/forms.py: this
module walks a class's declared fields and applies each field's own filters, choices and
validators (the same objects WTForms would call) to the posted text. It reads the fields those
forms use: text, hidden and item-id fields, radios, checkboxes, GOV.UK date inputs and lists of sub-forms. The
result is what `form.data` and the fields' errors would be (lists renumbered from 0, as WTForms
does), with the messages keyed by field id ("rows-2-risks-0-text") for the page to show.

CSRF is not a form field here: Flask-WTF's CSRFProtect checks every POST before any view runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace
from typing import Any

from wtforms import BooleanField, FieldList, FormField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.validators import Optional, StopValidation, ValidationError

from cia.formfields import ItemIdField, is_item_id, posted_positions
from cia.web.forms import DateInputField, DateParts, date_problem, date_problem_field

Path = list[str | int]


@dataclass
class Reading:
    """What was posted, as form data, and what is wrong with it."""

    values: dict[str, Any]
    #: Messages by field id, in the order of the form's fields.
    errors: dict[str, list[str]] = field(default_factory=dict)
    #: Where each message's field is ([list name, position, field name, ...]), for naming the item.
    paths: dict[str, Path] = field(default_factory=dict)

    def name_errors(self, namer: Callable[[Path], str]) -> None:
        """Prefix each message about an item with the item ("Risk 2 in Transport: ..."), as
        editing.name_errors does for a WTForms form."""
        for field_id, messages in self.errors.items():
            path = self.paths.get(field_id, [])
            context = namer(path) if len(path) > 1 else ""
            if context:
                messages[:] = [m if m.startswith(context) else f"{context}: {m}" for m in messages]


@cache
def _declared(form_class: type) -> list[tuple[str, UnboundField]]:
    """The form's fields in the order WTForms would build them (the class is never changed at run time)."""
    found = [(name, value) for name in dir(form_class)
             if not name.startswith("_") and isinstance(value := getattr(form_class, name), UnboundField)]
    inline = [f"validate_{name}" for name, _ in found if hasattr(form_class, f"validate_{name}")]
    if inline:  # a rule this reading does not apply: refuse rather than skip it
        raise TypeError(f"{form_class.__name__} checks fields in methods ({', '.join(inline)}): read it with WTForms")
    return sorted(found, key=lambda item: (item[1].creation_counter, item[0]))


class _Posted:
    """What a validator looks at: the field's filtered data, the raw values posted and its errors."""

    __slots__ = ("data", "raw_data", "errors")

    def __init__(self, data: Any, raw_data: list[str]):
        self.data, self.raw_data, self.errors = data, raw_data, []


def read(form_class: type, formdata) -> Reading:
    """Read `formdata` (a MultiDict) by the fields of `form_class`."""
    reading = Reading({})
    reading.values = _read_form(form_class, formdata, "", [], reading)
    return reading


@cache
def _plan(form_class: type) -> tuple[tuple[str, str, Any], ...]:
    """(name, kind, what reading it needs) per declared field: worked out once per form class."""
    plan = []
    for name, unbound in _declared(form_class):
        kind = unbound.field_class
        if issubclass(kind, FieldList):
            entry = unbound.args[0]
            if not issubclass(entry.field_class, FormField):
                raise TypeError(f"{form_class.__name__}.{name} lists single fields: read it with WTForms")
            plan.append((name, "list", (entry.args[0], unbound.kwargs.get("max_entries"))))
        elif issubclass(kind, DateInputField):
            label = unbound.args[0] if unbound.args else unbound.kwargs.get("label", "")
            plan.append((name, "date", (label, unbound.kwargs.get("day_required", False))))
        elif issubclass(kind, FormField):
            plan.append((name, "form", unbound.args[0]))
        elif issubclass(kind, BooleanField) and not (unbound.kwargs.get("validators") or unbound.args[1:]):
            plan.append((name, "checkbox", tuple(unbound.kwargs.get("false_values") or BooleanField.false_values)))
        elif not (kind is StringField or issubclass(kind, (TextAreaField, HiddenField, RadioField))):
            # Other kinds convert or check what is posted in ways this reading does not repeat.
            raise TypeError(f"{form_class.__name__}.{name} is a {kind.__name__}: read it with WTForms")
        else:
            validators = tuple(unbound.kwargs.get("validators", ()))
            plan.append((name, "field", _FieldRules(
                filters=tuple(unbound.kwargs.get("filters", ())), validators=validators,
                optional_first=bool(validators) and isinstance(validators[0], Optional),
                item_id=issubclass(kind, ItemIdField),
                choices=_choice_values(unbound) if issubclass(kind, RadioField) else None)))
    return tuple(plan)


@dataclass(frozen=True, slots=True)
class _FieldRules:
    filters: tuple
    validators: tuple
    #: Optional() first: an empty field has no message at all (Optional clears them and stops).
    optional_first: bool
    item_id: bool
    #: A radio's values; None for a field without choices.
    choices: frozenset[str] | None


def _read_form(form_class: type, formdata, prefix: str, path: Path, reading: Reading) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, kind, rules in _plan(form_class):
        field_id = prefix + name
        if kind == "field":
            out[name] = _read_field(rules, formdata, field_id, path, name, reading)
        elif kind == "list":
            out[name] = _read_list(rules, formdata, field_id, [*path, name], reading)
        elif kind == "date":
            out[name] = _read_date(rules, formdata, field_id, [*path, name], reading)
        elif kind == "checkbox":  # as BooleanField reads it: ticked unless absent or one of its false values
            raw = formdata.getlist(field_id) if field_id in formdata else []
            out[name] = bool(raw) and raw[0] not in rules
        else:
            out[name] = _read_form(rules, formdata, f"{field_id}-", [*path, name], reading)
    return out


def _read_list(rules: tuple[type, int | None], formdata, field_id: str, path: Path, reading: Reading) -> list[Any]:
    entry_class, limit = rules
    positions = _positions_of(formdata, field_id)
    if limit:
        positions = positions[:limit]
    items = []
    for number, position in enumerate(positions):
        # Read at the posted position, shown and named at its place in the list (WTForms renumbers too).
        prefix = f"{field_id}-{number}-"
        seen_as = formdata if position == number else _Renumbered(formdata, f"{field_id}-{position}-", prefix)
        items.append(_read_form(entry_class, seen_as, prefix, [*path, number], reading))
    return items


class _Renumbered:
    """The posted form as seen by one list item: its names at their new position."""

    __slots__ = ("formdata", "posted", "shown")

    def __init__(self, formdata, posted: str, shown: str):
        self.formdata, self.posted, self.shown = formdata, posted, shown

    def _name(self, name: str) -> str:
        return self.posted + name[len(self.shown):] if self.posted != self.shown and name.startswith(self.shown) else name

    def __contains__(self, name: str) -> bool:
        return self._name(name) in self.formdata

    def getlist(self, name: str) -> list[str]:
        return self.formdata.getlist(self._name(name))


def _positions_of(formdata, field_id: str) -> list[int]:
    """The item positions posted for the list `field_id`, looked up under the names it was posted with."""
    while isinstance(formdata, _Renumbered):
        field_id = formdata._name(field_id + "-")[:-1]
        formdata = formdata.formdata
    return list(posted_positions(formdata, "-").get(field_id, ()))


def _read_field(rules: _FieldRules, formdata, field_id: str, path: Path, name: str, reading: Reading) -> Any:
    raw = formdata.getlist(field_id) if field_id in formdata else []
    data = raw[0] if raw else None
    for cleaner in rules.filters:
        data = cleaner(data)
    if rules.optional_first and (not raw or not raw[0].strip()):
        return data  # what Optional() does: no message, whatever else would have been said
    posted = _Posted(data, raw)
    if rules.item_id and data and not is_item_id(data):
        posted.errors.append(_item_id_message())
    if rules.choices is not None and data not in rules.choices:
        posted.errors.append("Not a valid choice.")
    for validator in rules.validators:
        try:
            validator(None, posted)
        except StopValidation as stop:
            if stop.args and stop.args[0]:
                posted.errors.append(stop.args[0])
            break
        except ValidationError as error:
            posted.errors.append(error.args[0])
    if posted.errors:
        reading.errors[field_id] = posted.errors
        reading.paths[field_id] = [*path, name]
    return data


def _choice_values(unbound: UnboundField) -> frozenset[str]:
    return frozenset(str(choice.value if hasattr(choice, "value") else choice[0]) for choice in unbound.kwargs.get("choices", ()))


@cache
def _item_id_message() -> str:
    """The message ItemIdField gives for an id it refuses (asked of the field itself, not copied)."""
    probe = SimpleNamespace(data="\n")
    try:
        ItemIdField.pre_validate(probe, None)
    except ValidationError as error:
        return error.args[0]
    raise AssertionError("ItemIdField accepted an id with a line break")


def _read_date(rules: tuple[str, bool], formdata, field_id: str, path: Path, reading: Reading) -> dict[str, Any]:
    label, day_required = rules
    parts = _read_form(DateParts, formdata, f"{field_id}-", path, reading)
    if not (parts["day"] or parts["month"] or parts["year"]):
        return parts  # an empty date is a date not given
    view = SimpleNamespace(**{name: SimpleNamespace(data=value, name=name) for name, value in parts.items()})
    problem = date_problem(view, label, day_required=day_required)
    if problem:
        target = date_problem_field(view, day_required).name
        reading.errors[f"{field_id}-{target}"] = [problem]
        reading.paths[f"{field_id}-{target}"] = [*path, target]
    return parts
