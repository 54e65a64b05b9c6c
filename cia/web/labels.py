"""Plain-English names for stored fields ("Transport, risk 2: mitigation 1"), for people, not machines.

Used by the conflict page, the history page and the comparison of revisions.
"""

from __future__ import annotations

import re
from typing import Any

from cia import richtext, shape
from cia.diff import Change
from cia.kinds import impact_row

#: Fields by their stored names, as people read them: the standard parts' (cia/shape.py, where a
#: part's own words win, see `_field_words`) and the impact row's.
FIELD_LABELS = {**{f.key: f.label for p in reversed(shape.PARTS) for f in (*p.fields, *p.item_fields)},
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
    if ident.isdigit() and int(ident) < len(items):
        return items[int(ident)], int(ident) + 1
    return None, 0


def show_value(value: Any) -> str:
    if value is None:
        return "(not there)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value in ("", [], {}):
        return "(blank)"
    return richtext.to_plain(str(value)) if isinstance(value, str) else str(value)


def label_change(access, part: str, change: Change, old_doc: dict | None = None, new_doc: dict | None = None) -> dict:
    from cia.data.assessments import template_for

    template = template_for(access.revision) if access else None
    return {"field": path_label(change.path, part, template, old_doc, new_doc), "path": change.path,
            "old": show_value(change.old), "new": show_value(change.new), "kind": change.kind}
