"""Three-way merge of one part's plain data: what two people saved from the same loaded version.

`base` is the part as the second person loaded it, `theirs` what is stored now (somebody saved
meanwhile), `mine` what the second person posted. Everything only one side changed is taken from
that side; where both changed the same thing differently, the conflict is reported by its *unit*:
the row, list item or question it is in (the first list item on its path, such as
"rows[transport]" or "evidence.items[ab12]", else the answer itself, such as "answers.budget").
A person chooses "mine" or "theirs" for each unit; merging again with those choices settles them.

Paths are cia/diff.py's, so the conflict page names units as the history page names fields.
Without a base (a version no longer kept), every unit the two sides differ in is a conflict:
nothing is taken from either side silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cia.diff import identity

_MISSING: Any = object()
#: A stand-in for a base that is not known: equal to nothing, so every difference is a conflict.
UNKNOWN: Any = object()
_FIRST_ITEM = re.compile(r"^[^\[]*\[[^\]]*\]")


@dataclass
class Merged:
    """The merged data, the units both sides changed differently (in document order, not yet chosen),
    and the units only the other side changed (kept from theirs)."""

    data: dict[str, Any]
    conflicts: list[str] = field(default_factory=list)
    kept_theirs: list[str] = field(default_factory=list)


def unit_of(path: str) -> str:
    """The row, item or question a field's path is in."""
    found = _FIRST_ITEM.match(path)
    return found.group(0) if found else path


def merge(base: Any, theirs: dict[str, Any], mine: dict[str, Any],
          choices: Mapping[str, str] | None = None) -> Merged:
    """Merge `mine` into `theirs` from `base`; `choices` ({unit: "mine" | "theirs"}) settles conflicts.
    An unsettled conflict takes theirs, so the data is whole either way."""
    state = _State(dict(choices or {}))
    data = state.value(base, theirs, mine, "")
    return Merged(data, state.conflicts, state.kept_theirs)


class _State:
    def __init__(self, choices: dict[str, str]):
        self.choices = choices
        self.conflicts: list[str] = []
        self.kept_theirs: list[str] = []

    def _note(self, names: list[str], path: str) -> None:
        unit = unit_of(path)
        if unit not in names:
            names.append(unit)

    def value(self, base: Any, theirs: Any, mine: Any, path: str) -> Any:
        if _same(theirs, mine):
            return theirs
        if _same(base, theirs):
            return mine
        if _same(base, mine):
            self._note(self.kept_theirs, path)
            return theirs
        if isinstance(theirs, dict) and isinstance(mine, dict):
            return self._dicts(base if isinstance(base, dict) else {}, theirs, mine, path,
                               unknown=base is UNKNOWN)
        if _identified(theirs) and _identified(mine):
            return self._lists(base if _identified(base) else [], theirs, mine, path, unknown=base is UNKNOWN)
        return self._conflict(theirs, mine, path)

    def _conflict(self, theirs: Any, mine: Any, path: str) -> Any:
        unit = unit_of(path)
        choice = self.choices.get(unit)
        if choice == "mine":
            return mine
        if choice != "theirs" and unit not in self.conflicts:
            self.conflicts.append(unit)
        return theirs

    def _dicts(self, base: dict, theirs: dict, mine: dict, path: str, *, unknown: bool) -> dict:
        out: dict[str, Any] = {}
        for key in [*theirs, *(k for k in mine if k not in theirs)]:
            below = f"{path}.{key}" if path else str(key)
            b = UNKNOWN if unknown else base.get(key, _MISSING)
            found = self.value(b, theirs.get(key, _MISSING), mine.get(key, _MISSING), below)
            if found is not _MISSING:
                out[key] = found
        return out

    def _lists(self, base: list, theirs: list, mine: list, path: str, *, unknown: bool) -> list:
        b_items = {identity(item, i): item for i, item in enumerate(base)}
        t_items = {identity(item, i): item for i, item in enumerate(theirs)}
        m_items = {identity(item, i): item for i, item in enumerate(mine)}
        kept: dict[str, Any] = {}
        for ident in [*t_items, *(k for k in m_items if k not in t_items)]:
            b = UNKNOWN if unknown else b_items.get(ident, _MISSING)
            found = self.value(b, t_items.get(ident, _MISSING), m_items.get(ident, _MISSING), f"{path}[{ident}]")
            if found is not _MISSING:
                kept[ident] = found
        return [kept[ident] for ident in _order(list(b_items), list(t_items), list(m_items), kept)]


def _order(base: list[str], theirs: list[str], mine: list[str], kept: dict[str, Any]) -> list[str]:
    """Theirs' order, or mine's if only I reordered; items only one side has go after the item
    they follow there."""
    shared = [i for i in base if i in theirs and i in mine]
    mine_shared = [i for i in mine if i in shared]
    theirs_shared = [i for i in theirs if i in shared]
    first, second = (mine, theirs) if theirs_shared == shared and mine_shared != shared else (theirs, mine)
    out = [i for i in first if i in kept]
    for index, ident in enumerate(second):
        if ident in kept and ident not in out:
            before = next((p for p in reversed(second[:index]) if p in out), None)
            out.insert(out.index(before) + 1 if before is not None else 0, ident)
    return out


def _identified(value: Any) -> bool:
    """A list matched item by item (by key or id), rather than compared whole."""
    return isinstance(value, list) and bool(value) and all(
        isinstance(item, dict) and (item.get("key") or item.get("id")) for item in value) or value == []


def _same(a: Any, b: Any) -> bool:
    """Equal, counting an answer not given and one left empty as the same."""
    if a is UNKNOWN or b is UNKNOWN:
        return False
    return a is b or a == b or (_empty(a) and _empty(b))


def _empty(value: Any) -> bool:
    return value is _MISSING or value is None or (not isinstance(value, bool) and value in ("", [], {}))
