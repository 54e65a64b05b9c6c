"""Plain-English names for stored fields ("Transport, risk 2: mitigation 1"), for people, not machines.

Used by the conflict page, the history page and the comparison of revisions.
"""

from __future__ import annotations

import re
from typing import Any

from cia import richtext, shape
from cia.diff import Change
from cia.domain import IMPACT_CHOICES, YES_NO
from cia.filters import format_date
from cia.formfields import is_number
from cia.kinds import impact_row

#: Fields by their stored names, as people read them: the standard parts' (cia/shape.py, where a
#: part's own words win, see `_field_words`) and the impact row's.
FIELD_LABELS = {**{f.key: f.label for p in reversed(shape.PARTS)
                   for f in (*p.fields, *p.item_fields, *p.flags, *p.item_flags)},
                **impact_row.FIELD_WORDS}
LIST_LABELS = {**{p.items: p.item_label for p in shape.PARTS if p.items}, **impact_row.LIST_WORDS}
PART_LABELS = {p.key: p.label for p in shape.PARTS if p.key != "evidence"}
_SEGMENT = re.compile(r"([a-z_]+)(?:\[([^\]]*)\])?")

#: What the task list says of a task.
TASK_STATUS_LABELS = {"not_started": "Not started", "in_progress": "In progress", "completed": "Completed"}


def part_label(part: str, template) -> str:
    if part in PART_LABELS:
        return PART_LABELS[part]
    kind, _, key = part.partition(":")
    section = template.section(key) if template else None
    title = section.title if section else key
    if kind == "questions":
        return f"{title}: questions"
    return f"{title}: Evidence Base" if kind == "evidence" else title


def path_label(path: str, part: str, template, old_doc: dict | None = None, new_doc: dict | None = None) -> str:
    """"rows[transport].risks[ab12].text" -> "Transport, risk 2"."""
    section = template.section(part.split(":", 1)[1]) if template and ":" in part else None
    if path.startswith("confidential.") and (part.startswith("questions:") or part == "community_impact"):
        return f"{part_label(part, template)}: {_marked_name(part, path[len('confidential.'):], template)}: " \
               f"{shape.CONFIDENTIAL.label.lower()}"
    if part.startswith("questions:") and path.startswith("answers."):
        key = path[len("answers."):].split("[", 1)[0]
        question = template.question(key) if template else None
        label = f"{part_label(part, template)}: {question.label if question else key}"
        item = _LIST_ITEM.fullmatch(path[len("answers.") + len(key):])
        if question is None or not question.questions or item is None:
            return label
        return label + _item_words(question, key, item[1], item[2], old_doc, new_doc)
    words: list[str] = []
    node_old, node_new = old_doc, new_doc
    for name, ident in _SEGMENT.findall(path):
        if name in ("evidence",) and not ident:
            node_old, node_new = _get(node_old, name), _get(node_new, name)
            continue
        if ident:
            items_old, items_new = _get(node_old, name) or [], _get(node_new, name) or []
            node_old, number_old = _find(items_old, ident)
            node_new, number_new = _find(items_new, ident)
            if name == "rows":
                area = section.area(ident) if section else None
                row = node_new or node_old or {}
                words.append(area.title if area else (row.get("title") or "Your own row"))
            else:
                number = number_new or number_old
                label = LIST_LABELS.get(name, name.replace("_", " ").capitalize())
                words.append(f"{label} {number}" if number else label)
        else:
            node_old, node_new = _get(node_old, name), _get(node_new, name)
            if name != "text" or not words:
                words.append(_field_words(part, name))
    if not words:
        return part_label(part, template)
    return ": ".join(words)


def _marked_name(part: str, key: str, template) -> str:
    """What a confidential mark is on: a question by its label, a paragraph by the template's heading."""
    if part == "community_impact":
        paragraphs = template.community_impact_paragraphs if template else []
        return next((p.heading for p in paragraphs if p.key == key), None) or shape.field_label(part, key) or key
    question = template.question(key) if template else None
    return question.label if question else key


def _field_words(part: str, name: str) -> str:
    """A field as people read it: in its standard part's words (engagement's "groups" are the groups
    engaged), else a section row's, else the name made readable."""
    if not part.startswith("section:"):
        label = shape.field_label(part, name)
        if label:
            return label
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


#: "[ab12cd].lead": one field of one item of a list question.
_LIST_ITEM = re.compile(r"\[([^\]]+)\](?:\.([a-z0-9_-]+))?")


def _item_words(question, key: str, ident: str, sub_key: str | None, old_doc: dict | None,
                new_doc: dict | None) -> str:
    """", action 2: Lead officer": the item by its number (in the newer document if it is there)."""
    from cia.kinds.lists import item_label

    number = 0
    for doc in (new_doc, old_doc):
        items = _get(_get(doc, "answers"), key)
        if isinstance(items, list):
            number = next((i + 1 for i, item in enumerate(items) if isinstance(item, dict) and item.get("id") == ident), 0)
        if number:
            break
    name = item_label(question, number) if number else item_label(question, 0).rsplit(" ", 1)[0]
    sub = next((q for q in question.questions if q.key == sub_key), None)
    words = f", {name[:1].lower()}{name[1:]}"
    return f"{words}: {sub.label if sub else sub_key}" if sub_key else words


def _get(node: Any, name: str) -> Any:
    return node.get(name) if isinstance(node, dict) else None


def _find(items: list, ident: str) -> tuple[Any, int]:
    for index, item in enumerate(items):
        if isinstance(item, dict) and ident in (item.get("key"), item.get("id"),
                                                f"{item.get('characteristic')}/{item.get('group', '')}"):
            return item, index + 1
    if is_number(ident, 6) and int(ident) < len(items):
        return items[int(ident)], int(ident) + 1
    return None, 0


def show_value(value: Any, part: str = "", path: str = "", template=None) -> str:
    """A stored value as people read it: the label of a key ("Impact identified", "Cabinet"), a date
    as people write it ("4 March 2026"), an answer as its question's kind shows it; never an id."""
    if value is None:
        return "(not there)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value in ("", [], {}):
        return "(blank)"
    if part.startswith("questions:") and path.startswith("answers.") and template is not None:
        shown = _answer(template, path, value)
        if shown is not None:
            return shown
    if isinstance(value, str):
        return _stored_text(part, path, value, template)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(_stored_text(part, path, v, template) for v in value)
    if isinstance(value, dict):  # an item: its answers, not its id
        return "; ".join(f"{_field_words(part, k)}: {show_value(v, part, f'{path}.{k}', template)}"
                         for k, v in value.items() if k not in ("id", "key") and v not in ("", [], {}, None))
    return str(value)


def _stored_text(part: str, path: str, value: str, template) -> str:
    name = _last_field(path)
    declared = shape.field_of(part, name) if not part.startswith(("section:", "questions:")) else None
    stores = declared.stores if declared else (impact_row.STORES.get(name, "") if part.startswith("section:") else "")
    if stores == "date":
        return format_date(value)
    if stores == "yes_no":
        return YES_NO.get(value, value)
    if stores == "impact":
        return IMPACT_CHOICES.get(value, value)
    if stores and template is not None:
        return _vocabulary_label(template, stores, value)
    return richtext.to_plain(value)


def _vocabulary_label(template, stores: str, value: str) -> str:
    if stores == "decision_routes":
        return template.decision_route_label(value)
    if stores == "project_sizes":
        return template.project_size_label(value)
    if stores == "publication_statuses":
        return template.publication_label(value)
    if stores == "evidence_types":
        return template.evidence_type_label(value)
    if stores == "directions":
        return template.direction_label(value)
    if stores in ("likelihood_scale", "impact_scale"):
        return template.scale_label("likelihood" if stores == "likelihood_scale" else "impact", value)
    return value


def _answer(template, path: str, value: Any) -> str | None:
    """An answer (or a part of a list's item) as its kind shows it; None when the question is unknown."""
    from cia.kinds.base import kind_of

    key, _, rest = path[len("answers."):].partition("[")
    question = template.question(key)
    if question is None:
        return None
    if rest:  # a field of one item of a list question
        sub_key = rest.split("]", 1)[1].lstrip(".") if "]" in rest else ""
        question = next((q for q in question.questions if q.key == sub_key), None)
        if question is None:
            return None
    kind = kind_of(question.kind)
    if kind is None:
        return None
    try:
        return kind.show(question, value, template) or "(blank)"
    except (TypeError, ValueError, AttributeError, KeyError):  # an answer stored before its question changed kind
        return None


def _last_field(path: str) -> str:
    names = _SEGMENT.findall(path)
    return names[-1][0] if names else ""


def label_change(access, part: str, change: Change, old_doc: dict | None = None, new_doc: dict | None = None) -> dict:
    from cia.data.assessments import template_for

    template = template_for(access.revision) if access else None
    return {"field": path_label(change.path, part, template, old_doc, new_doc), "path": change.path,
            "old": show_value(change.old, part, change.path, template),
            "new": show_value(change.new, part, change.path, template), "kind": change.kind}
