"""Where a checker finding lives on screen: the page and the id of the field.

The checker speaks in stable keys and ids (row key, risk id, mitigation id);
pages number their fields by position (rows-2-risks-0-mitigations-1-text).
This is the one place that translates, for the "Check your assessment" page
and for the errors a section page shows on "Save and continue".
"""

from __future__ import annotations

from flask import url_for

from cia import shape
from cia.checks import Location
from cia.domain import Assessment
from cia.kinds import impact_row

DATE_FIELDS = shape.date_fields()


def _index(items, ident: str, attr: str = "id") -> int | None:
    return next((i for i, item in enumerate(items) if getattr(item, attr, None) == ident), None)


def _leaf(prefix: str, field: str) -> str:
    if field in DATE_FIELDS:
        return f"{prefix}{field}-day"
    return f"{prefix}{field}"


def question_field_id(question_key: str) -> str:
    """The name and id of a question's input on its page: "q-" and the question's key."""
    return f"q-{question_key}"


def field_id(location: Location, data: Assessment) -> str:
    """The id of the element to focus for this location (an anchor on the part's page)."""
    part, field = location.part, location.field
    if part.startswith("section:"):
        section = data.section(part.split(":", 1)[1])
        rows = section.rows if section else []
        row_index = _index(rows, location.row, "key")
        if row_index is None:
            return "rows"
        return impact_row.field_id(row_index, rows[row_index], location.item, location.sub, field)
    if part.startswith("questions:"):
        if location.row and location.item:  # a field of one item of a list question
            section = data.section(part.split(":", 1)[1])
            items = section.answers.get(location.row) if section else None
            index = next((i for i, item in enumerate(items) if isinstance(item, dict)
                          and item.get("id") == location.item), None) if isinstance(items, list) else None
            if index is None:
                return question_field_id(location.row)
            return f"{question_field_id(location.row)}-{index}-{field}"
        return question_field_id(field) if field else "main-content"
    if part.startswith("evidence:"):
        section = data.section(part.split(":", 1)[1])
        items = section.evidence.items if section else []
        if location.item:
            index = _index(items, location.item)
            if index is not None:
                return f"items-{index}-{field or 'title'}"
        if field == "items":
            return "items-0-title" if items else "items"
        return field or "items"
    lists = {"team": (shape.TEAM.items, data.team.members),
             "engagement": (shape.ENGAGEMENT.items, data.engagement.activities)}
    if part in lists:
        name, items = lists[part]
        if location.item:
            index = _index(items, location.item)
            if index is not None:
                return _leaf(f"{name}-{index}-", field or "name")
        return name
    if part == "staff" and field == "profile":
        return "profile-0-pre_percent" if data.staff.profile else "profile"
    return _leaf("", field) if field else "main-content"


def page_url(location: Location, assessment_id: int) -> str:
    part = location.part
    if part.startswith("section:"):
        return url_for("assessments.section", assessment_id=assessment_id, key=part.split(":", 1)[1])
    if part.startswith("evidence:"):
        return url_for("assessments.evidence", assessment_id=assessment_id, key=part.split(":", 1)[1])
    if part.startswith("questions:"):
        return url_for("assessments.questions", assessment_id=assessment_id, key=part.split(":", 1)[1])
    endpoint = {"details": "details", "team": "team", "engagement": "engagement", "staff": "staff"}.get(part)
    if endpoint:
        return url_for(f"assessments.{endpoint}", assessment_id=assessment_id)
    return url_for("assessments.task_list", assessment_id=assessment_id)


def href(location: Location, data: Assessment, assessment_id: int) -> str:
    return f"{page_url(location, assessment_id)}#{field_id(location, data)}"
