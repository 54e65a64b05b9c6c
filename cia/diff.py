"""Field-level differences between two plain-data documents.

Lists of items with an "id" are matched by id (so a reordered or inserted risk
is not reported as every later risk changing); rows are matched by "key".
Used for audit rows (what changed on a save) and for comparing revisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    path: str  # e.g. "rows[transport].risks[a1b2c3].text"
    old: Any
    new: Any

    @property
    def kind(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"


def identity(item: Any, index: int) -> str:
    """How a list item is named in a path: its key, id or characteristic, else its place."""
    if isinstance(item, dict):
        for key in ("key", "id", "characteristic"):
            if item.get(key):
                return str(item[key]) if key != "characteristic" else f"{item[key]}/{item.get('group', '')}"
    return str(index)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """{path: scalar} for every leaf; an empty list or dict is a leaf of its own."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        if not value and prefix:
            out[prefix] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list):
        if not value and prefix:
            out[prefix] = []
        for index, item in enumerate(value):
            out.update(flatten(item, f"{prefix}[{identity(item, index)}]"))
    else:
        out[prefix] = value
    return out


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every leaf that differs, in the order of the new document then removed ones."""
    before, after = flatten(old), flatten(new)
    found = [Change(path, before.get(path), value) for path, value in after.items()
             if before.get(path) != value and not (path not in before and value in ("", [], {}, False))]
    found += [Change(path, value, None) for path, value in before.items()
              if path not in after and value not in ("", [], {}, False)]
    return found
