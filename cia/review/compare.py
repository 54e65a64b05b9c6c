"""Comparing two revisions, for people: what was added, removed and changed, word by word.

Works on the stored part documents (`cia.diff` matches list items by id and rows by key, so a
reordered risk is not "every later risk changed"). A risk, mitigation or row that exists on one
side only is one entry ("Risk 3 added") with its fields, not a dozen field changes. Changed text
is compared word by word. No Flask: the page only renders what this returns.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from cia import diff, richtext
from cia.web.labels import LIST_LABELS, part_label, path_label, show_value

#: Words, runs of spaces and single punctuation marks: what the word-by-word comparison works on.
_TOKEN = re.compile(r"\s+|[\w'’-]+|[^\w\s]")


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "added", "removed"
    text: str


def word_diff(old: str, new: str) -> list[Segment]:
    """The new text as runs of unchanged, added and removed words (removed ones shown where they were)."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    out: list[Segment] = []

    def emit(kind: str, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if out and out[-1].kind == kind:
            out[-1] = Segment(kind, out[-1].text + text)
        else:
            out.append(Segment(kind, text))

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            emit("same", a[i1:i2])
        else:
            emit("removed", a[i1:i2])
            emit("added", b[j1:j2])
    return out


@dataclass
class Entry:
    kind: str  # "added", "removed" (a whole item), "changed" (one field)
    label: str  # "Transport: Risk 2" / "Proposal details: Decision route"
    old: str = ""
    new: str = ""
    words: list[Segment] | None = None
    #: For an item added or removed: (field, value) for each answer it holds.
    fields: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class PartChanges:
    part: str
    title: str
    entries: list[Entry]

    @property
    def counts(self) -> dict[str, int]:
        out = {"added": 0, "removed": 0, "changed": 0}
        for e in self.entries:
            out[e.kind] += 1
        return out


def _item_prefixes(path: str) -> list[str]:
    """"rows[a].risks[b].text" -> ["rows[a]", "rows[a].risks[b]"]."""
    return [path[: i + 1] for i, ch in enumerate(path) if ch == "]"]


def _items(flat: dict[str, Any]) -> set[str]:
    return {prefix for path in flat for prefix in _item_prefixes(path)}


def _what(prefix: str) -> str:
    if prefix.startswith("answers."):  # an item of a list question
        return "Item"
    name = re.findall(r"([a-z_]+)\[[^\]]*\]$", prefix)
    return LIST_LABELS.get(name[0], "Row") if name and name[0] != "rows" else "Row"


def compare_part(part: str, old: dict[str, Any], new: dict[str, Any], template) -> list[Entry]:
    flat_old, flat_new = diff.flatten(old), diff.flatten(new)
    items_old, items_new = _items(flat_old), _items(flat_new)
    whole: dict[str, Entry] = {}
    entries: list[Entry] = []
    for change in diff.changes(old, new):
        prefix = next((p for p in _item_prefixes(change.path) if (p in items_old) != (p in items_new)), "")
        if prefix:
            entry = whole.get(prefix)
            if entry is None:
                kind = "added" if prefix in items_new else "removed"
                doc_old, doc_new = (old, new)
                entry = Entry(kind, f"{path_label(prefix, part, template, doc_old, doc_new)} ({_what(prefix).lower()} "
                                    f"{kind})")
                whole[prefix] = entry
                entries.append(entry)
            value = change.new if entry.kind == "added" else change.old
            sub = change.path[len(prefix):].lstrip(".")
            is_id = sub.rsplit(".", 1)[-1] in ("id", "key")  # an item's id is the service's, not the authors'
            if value not in (None, "", [], {}, False) and not is_id:
                if sub and prefix.startswith("answers."):  # the sub-question's label, from the template
                    label = path_label(f"{prefix}.{sub}", part, template, old, new).rsplit(": ", 1)[-1]
                else:
                    label = path_label(sub, part, None, None, None) if sub else _what(prefix)
                entry.fields.append((label, show_value(value, part, change.path, template)))
            continue
        label = path_label(change.path, part, template, old, new)
        old_text = show_value(change.old, part, change.path, template)
        new_text = show_value(change.new, part, change.path, template)
        # Word by word only in text people typed, with words around the change: a choice, a date or
        # "No" to "Yes" reads as one answer swapped for another.
        typed = (isinstance(change.old, str) and isinstance(change.new, str) and change.old and change.new
                 and old_text == richtext.to_plain(change.old) and new_text == richtext.to_plain(change.new))
        words = (word_diff(old_text, new_text)
                 if typed and len(old_text.split()) > 1 and len(new_text.split()) > 1 else None)
        entries.append(Entry("changed", label, old_text, new_text, words))
    return entries


def compare(old_parts: dict[str, dict[str, Any]], new_parts: dict[str, dict[str, Any]], template,
            order: list[str] | None = None) -> list[PartChanges]:
    """The changes part by part (in the template's order), leaving out parts that did not change."""
    names = list(order or [])
    names += sorted((set(old_parts) | set(new_parts)) - set(names))
    out = []
    for name in names:
        entries = compare_part(name, old_parts.get(name) or {}, new_parts.get(name) or {}, template)
        if entries:
            out.append(PartChanges(name, part_label(name, template), entries))
    return out
