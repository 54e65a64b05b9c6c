"""A list of items ("add another"): team members, engagement activities, an action plan ...

Each item answers the question's sub-questions (`Question.questions`), each of one of the other
kinds (short text, a date, a rating ...); the sub-question's own kind reads, checks and shows its
answer. An item is stored as {"id": <stable id>, <sub-question key>: <answer>, ...}: the id is
made once (`new_id`) and posted back with the item, so links, acknowledged warnings and the
comparison of revisions follow the item when others are added or removed.

The page posts item n's answers as `<question input>-<n>-<sub key>` (plus "-day" ... for a date)
and its id as `<question input>-<n>-id`, so reading needs no count: it stops at the first item
without an id. A list inside a list is not supported (the template format refuses it).
"""

from __future__ import annotations

import re
from typing import Any

from cia import richtext
from cia.domain import Question, ScaleOption, TemplateSpec, new_id
from cia.kinds import choice, dates, numbers, text
from cia.kinds.base import Answer, Entry, Kind, Posted, kind_of, posted_under, register

#: The most items one list may hold.
MAX_ITEMS = 50
_ID = re.compile(r"[a-z0-9]{1,32}", re.ASCII)
#: The kinds an item's sub-question may have (every kind but a list).
SCALAR_KINDS = (text.SHORT_TEXT, text.LONG_TEXT, choice.YES_NO, choice.SINGLE_CHOICE, choice.MULTIPLE_CHOICE,
                choice.RATING, dates.DATE, dates.MONTH_YEAR, numbers.NUMBER, numbers.PERCENTAGE)


def item_name(question: Question) -> str:
    """What one item is called, in lower case ("action"); "item" when the template says nothing."""
    return " ".join(question.item_name.split()) or "item"


def item_label(question: Question, number: int) -> str:
    """"Action 2": the legend of the item's fieldset, and how messages and exports name it."""
    name = item_name(question)
    return f"{name[:1].upper()}{name[1:]} {number}"


def sub_questions(question: Question) -> list[tuple[Question, Kind]]:
    """The sub-questions an item answers, with their kinds (any of an unknown kind, or a list, left out)."""
    out = []
    for sub in question.questions:
        kind = kind_of(sub.kind)
        if kind is not None and kind.read_items is None:
            out.append((sub, kind))
    return out


def items_of(answer: Any) -> list[dict[str, Any]]:
    """The stored items, whatever was stored (anything that is not an item is left out)."""
    if not isinstance(answer, list):
        return []
    return [item for item in answer if isinstance(item, dict)]


def blank_item(question: Question) -> dict[str, Any]:
    """A new item: a new id and every sub-question unanswered."""
    return {"id": new_id(), **{sub.key: kind.blank for sub, kind in sub_questions(question)}}


def _has_something(question: Question, item: dict[str, Any]) -> bool:
    return any(kind.answered(item.get(sub.key, kind.blank)) for sub, kind in sub_questions(question))


def _in_item(label: str, message: str) -> str:
    """'"Timescale" must be a real date' -> 'Action 2: "Timescale" must be a real date'."""
    return f"{label}: {message[:1].lower()}{message[1:]}" if message[:1].isalpha() else f"{label}: {message}"


def read_items(question: Question, posted: Posted, options: dict[str, list[ScaleOption]] | None
               ) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The posted items, in order, and per item {sub-question key: message}. An answer that could
    not be read keeps what its kind keeps (the page shows what was typed from the posted values)."""
    subs = sub_questions(question)
    items: list[dict[str, Any]] = []
    messages: list[dict[str, str]] = []
    for index in range(MAX_ITEMS):
        ids = posted(f"-{index}-id")
        if not ids:
            break
        ident = ids[0] if isinstance(ids[0], str) and _ID.fullmatch(ids[0]) else new_id()
        item: dict[str, Any] = {"id": ident}
        problems: dict[str, str] = {}
        label = item_label(question, index + 1)
        for sub, kind in subs:
            value, message = kind.read(sub, posted_under(posted, f"-{index}-{sub.key}"))
            if not message and options is not None and kind.chosen_from_options and kind.answered(value):
                known = {o.key for o in options.get(sub.key, [])}
                chosen = value if isinstance(value, list) else [value]
                if any(v not in known for v in chosen):
                    value, message = kind.blank, f"Select one of the options for {text.named(sub)}"
            item[sub.key] = value
            if message:
                problems[sub.key] = _in_item(label, message)
        items.append(item)
        messages.append(problems)
    return items, messages


def _read(question: Question, posted: Posted) -> tuple[Answer, str]:
    items, messages = read_items(question, posted, None)
    return items, next((m for problems in messages for m in problems.values()), "")


def _stored(question: Question, answer: Answer) -> Answer:
    """The items with something in them: an item added and left blank is not kept."""
    return [item for item in items_of(answer) if _has_something(question, item)]


def _answered(answer: Answer) -> bool:
    """At least one item with something in it (any sub-answer that is not blank)."""
    return any(_filled(value) for item in items_of(answer) for key, value in item.items() if key != "id")


def _filled(value: Any) -> bool:
    return bool(value.strip()) if isinstance(value, str) else bool(value)


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _show(question: Question, answer: Answer, template: TemplateSpec) -> str:
    """One paragraph per item, in the service's rich-text markup: the item's name, then a line per
    sub-question ("Lead officer: Sam Jones"). A long answer is put on its one line as plain text,
    so that an item always stays one paragraph wherever it is shown (page, Word, Excel)."""
    paragraphs = []
    number = 0
    for item in items_of(answer):
        if not _has_something(question, item):
            continue
        number += 1
        lines = [item_label(question, number)]
        for sub, kind in sub_questions(question):
            value = item.get(sub.key, kind.blank)
            shown = kind.show(sub, value, template) if kind.answered(value) else ""
            if kind.rich:
                shown = richtext.to_plain(shown)
            lines.append(f"{_one_line(sub.label or sub.key)}: {_one_line(shown) or 'Not answered'}")
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _entries(question: Question, answer: Answer) -> list[Entry]:
    """Every sub-answer of every item with something in it, numbered as shown."""
    out = []
    number = 0
    for item in items_of(answer):
        if not _has_something(question, item) or not isinstance(item.get("id"), str):
            continue
        number += 1
        for sub, kind in sub_questions(question):
            out.append(Entry(item["id"], item_label(question, number), sub, kind, item.get(sub.key, kind.blank)))
    return out


def _texts(answer: Answer) -> list[str]:
    """Every text in the items (without the question, the kinds of its sub-answers are unknown:
    the checker reads them through `entries`, which knows them)."""
    return [value for item in items_of(answer) for key, value in item.items()
            if key != "id" and isinstance(value, str) and value.strip()]


LIST = register(Kind(
    key="list",
    name="List of items (add another)",
    description="Items the author adds one by one, each answering the same questions, such as the "
                "actions of an action plan (action, lead officer, timescale).",
    read=_read,
    show=_show,
    schema={
        "type": "array",
        "maxItems": MAX_ITEMS,
        "items": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string", "pattern": "^[a-z0-9]{1,32}$"}},
            "additionalProperties": {"anyOf": [kind.schema for kind in SCALAR_KINDS]},
        },
    },
    macro="list_input",
    blank=[],
    texts=_texts,
    answered=_answered,
    rich=True,
    read_items=read_items,
    entries=_entries,
    stored=_stored,
    sub_kinds=tuple(kind.key for kind in SCALAR_KINDS),
    extra_settings=("item_name",),
))
