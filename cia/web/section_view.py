"""A section's rows page as plain data: for each field, its id, what it shows and its message.

Why: the page used to render from a WTForms tree (a FieldList and a FormField per row, benefit,
risk and mitigation: about 8,000 field objects for a 34-row section), which cost more to build
than the page cost to render, and it was built again on every save. The page now renders from
these plain records through the macros in templates/components/plain_fields.html, which write
the same GOV.UK Frontend markup (classes, ids, aria-describedby, error messages) the field macros
wrote. Field ids and names are unchanged ("rows-2-risks-0-mitigations-1-text"): the error summary,
the checker's links and the browser tests point at them.

Records are built once per request from the form data (stored answers, or what was posted) and the
messages by field id; nothing is kept between requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cia.domain import SectionSpec

Errors = dict[str, list[str]]


@dataclass(slots=True)
class Field:
    """One input: its id (also its name), the text it shows and its first message ("" if none)."""

    id: str
    value: str
    error: str


@dataclass(slots=True)
class DateField:
    """A GOV.UK date input: its three parts and the message about the date as a whole."""

    id: str
    day: Field
    month: Field
    year: Field
    error: str


@dataclass(slots=True)
class Mitigation:
    path: str
    number: int
    id: Field
    text: Field
    owner: Field
    target_date: DateField


@dataclass(slots=True)
class Checkbox:
    """A single GOV.UK checkbox: its id (also its name) and whether it is ticked."""

    id: str
    checked: bool


@dataclass(slots=True)
class Risk:
    path: str
    number: int
    id: Field
    text: Field
    key_risk: Checkbox
    mitigations: list[Mitigation]


@dataclass(slots=True)
class Benefit:
    path: str
    number: int
    id: Field
    text: Field


@dataclass(slots=True)
class Row:
    path: str
    #: The template's category area, or None for a row the authors added.
    area: Any
    title: str
    key: Field
    custom: Field
    title_field: Field
    question: Field
    impact: Field
    groups: Field
    benefits: list[Benefit]
    benefits_error: str
    risks: list[Risk]
    risks_error: str
    maximise: Field
    confidential: Checkbox
    #: How far the row is answered (`area_state`): the contents list's tag.
    state: str = "not_started"

    @property
    def state_label(self) -> str:
        return AREA_STATE_LABELS[self.state]

    @property
    def state_tag(self) -> str:
        """The GOV.UK tag's colour class for the state."""
        return AREA_STATE_TAGS[self.state]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _field(field_id: str, value: Any, errors: Errors) -> Field:
    messages = errors.get(field_id)
    return Field(field_id, _text(value), messages[0] if messages else "")


def _date(field_id: str, parts: Any, errors: Errors) -> DateField:
    parts = parts if isinstance(parts, dict) else {}
    day = _field(f"{field_id}-day", parts.get("day"), errors)
    month = _field(f"{field_id}-month", parts.get("month"), errors)
    year = _field(f"{field_id}-year", parts.get("year"), errors)
    return DateField(field_id, day, month, year, day.error or month.error or year.error)


def _list_error(list_id: str, errors: Errors) -> str:
    messages = errors.get(list_id)
    return messages[0] if messages else ""


def _items(value: Any) -> list[dict[str, Any]]:
    return [item if isinstance(item, dict) else {} for item in value] if isinstance(value, list) else []


def rows(section: SectionSpec, values: dict[str, Any], errors: Errors,
         rows_with_errors: frozenset[str] = frozenset()) -> list[Row]:
    """The page's rows from form data (`values["rows"]`) and messages by field id; `rows_with_errors`
    holds the keys of the rows the checker finds errors in."""
    areas = {area.key: area for area in section.category_areas}
    out = []
    for i, row in enumerate(_items(values.get("rows"))):
        path = f"rows-{i}"
        key = _text(row.get("key"))
        area = areas.get(key)
        problems = key in rows_with_errors or any(f.startswith(f"{path}-") for f in errors)
        benefits = [Benefit(f"{path}-benefits-{j}", j + 1, _field(f"{path}-benefits-{j}-id", b.get("id"), errors),
                            _field(f"{path}-benefits-{j}-text", b.get("text"), errors))
                    for j, b in enumerate(_items(row.get("benefits")))]
        risks = []
        for j, risk in enumerate(_items(row.get("risks"))):
            risk_path = f"{path}-risks-{j}"
            mitigations = [
                Mitigation(f"{risk_path}-mitigations-{k}", k + 1,
                           _field(f"{risk_path}-mitigations-{k}-id", m.get("id"), errors),
                           _field(f"{risk_path}-mitigations-{k}-text", m.get("text"), errors),
                           _field(f"{risk_path}-mitigations-{k}-owner", m.get("owner"), errors),
                           _date(f"{risk_path}-mitigations-{k}-target_date", m.get("target_date"), errors))
                for k, m in enumerate(_items(risk.get("mitigations")))]
            risks.append(Risk(risk_path, j + 1, _field(f"{risk_path}-id", risk.get("id"), errors),
                              _field(f"{risk_path}-text", risk.get("text"), errors),
                              Checkbox(f"{risk_path}-key_risk", risk.get("key_risk") is True), mitigations))
        title_field = _field(f"{path}-title", row.get("title"), errors)
        out.append(Row(
            path=path, area=area,
            title=area.title if area else (title_field.value or "Your own category area"),
            key=Field(f"{path}-key", key, ""),
            custom=_field(f"{path}-custom", row.get("custom"), errors),
            title_field=title_field,
            question=_field(f"{path}-question", row.get("question"), errors),
            impact=_field(f"{path}-impact", row.get("impact"), errors),
            groups=_field(f"{path}-groups", row.get("groups"), errors),
            benefits=benefits, benefits_error=_list_error(f"{path}-benefits", errors),
            risks=risks, risks_error=_list_error(f"{path}-risks", errors),
            maximise=_field(f"{path}-maximise", row.get("maximise"), errors),
            confidential=Checkbox(f"{path}-confidential", row.get("confidential") is True),
            state=area_state(row, problems),
        ))
    return out


# --- how far a category area is answered ---------------------------------------------------------

#: The states of a category area, as its contents list tags them.
AREA_STATE_LABELS = {"completed": "Completed", "not_applicable": "Not applicable",
                     "in_progress": "In progress", "not_started": "Not started"}
#: Their GOV.UK tag colours.
AREA_STATE_TAGS = {"completed": "", "not_applicable": "govuk-tag--grey",
                   "in_progress": "govuk-tag--light-blue", "not_started": "govuk-tag--grey"}


def _any_text(value: Any) -> bool:
    """Whether form data (a text, a list of items, an item) holds any typed text."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return any(_any_text(item) for item in value)
    if isinstance(value, dict):
        return any(_any_text(v) for k, v in value.items() if k not in ("id", "key_risk"))
    return False


def area_state(row: dict[str, Any], has_problems: bool) -> str:
    """"not_applicable" for a row marked N/A; "completed" for a row with an impact and nothing for
    the checker to stop at; "in_progress" once anything is answered; else "not_started"."""
    impact = row.get("impact")
    if impact == "no":
        return "not_applicable"
    if impact == "yes" and not has_problems:
        return "completed"
    if impact or any(_any_text(row.get(name)) for name in ANSWER_FIELDS):
        return "in_progress"
    return "not_started"


# --- a row marked N/A: its other fields are not asked ----------------------------------------------

#: A row's fields beyond "Is there an impact?": shown only for a row with an impact.
ANSWER_FIELDS: dict[str, Any] = {"groups": "", "benefits": [], "risks": [], "maximise": ""}


def drop_unasked_messages(values: dict[str, Any], errors: Errors) -> None:
    """Forget the messages of the answer fields of rows marked N/A: they are not asked (without
    JavaScript they stay on the page, and what is typed in them is ignored)."""
    prefixes = tuple(f"rows-{i}-{name}" for i, row in enumerate(_items(values.get("rows")))
                     if row.get("impact") == "no" for name in ANSWER_FIELDS)
    if not prefixes:
        return
    for field_id in [f for f in errors if f.startswith(prefixes)]:
        if field_id in prefixes or field_id.startswith(tuple(f"{p}-" for p in prefixes)):
            del errors[field_id]


def keep_stored_answers(posted_rows: list[dict[str, Any]], stored_rows: list[dict[str, Any]]) -> None:
    """A row marked N/A keeps the answers stored for its other fields, whatever was posted for them:
    they are not asked, and come back if the row is given an impact again (as a hidden question's
    answer does)."""
    stored = {row.get("key"): row for row in stored_rows}
    for row in posted_rows:
        if row.get("impact") == "no":
            before = stored.get(row.get("key")) or {}
            for name, empty in ANSWER_FIELDS.items():
                row[name] = before.get(name, type(empty)())


def _page_order(page_rows: list[Row]):
    """Every field id of the page, top to bottom (the order of the error summary)."""
    for row in page_rows:
        yield from (row.key.id, row.custom.id, row.title_field.id, row.question.id, row.impact.id, row.groups.id)
        yield f"{row.path}-benefits"
        for benefit in row.benefits:
            yield from (benefit.id.id, benefit.text.id)
        yield f"{row.path}-risks"
        for risk in row.risks:
            yield from (risk.id.id, risk.text.id, risk.key_risk.id)
            for m in risk.mitigations:
                date = m.target_date
                yield from (m.id.id, m.text.id, m.owner.id, date.day.id, date.month.id, date.year.id)
        yield from (row.maximise.id, row.confidential.id)


def summary(page_rows: list[Row], errors: Errors) -> list[dict[str, str]]:
    """The error summary's entries, in page order, each linking to its field (`#rows-1-groups`).

    A message about something that is not one of the rows' fields (the hidden version, say) comes first.
    """
    if not errors:
        return []
    ordered = list(_page_order(page_rows))
    known = set(ordered)
    ids = [field_id for field_id in errors if field_id not in known] + [i for i in ordered if i in errors]
    return [{"text": errors[i][0], "href": f"#{i}"} for i in ids if errors[i]]
