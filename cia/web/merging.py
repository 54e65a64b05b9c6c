"""Saving a page somebody else saved meanwhile: merged row by row and question by question.

The page's form carries the version it was loaded at; the part as it was then is the base
(cia/data/part_history.py), what is stored now is "theirs", what was posted is "mine"
(cia/merge.py). What only one person changed is kept and the save goes through, with a notice
naming whose changes to what were kept. Only the rows and questions both changed differently are
put to the person on the conflict page, both versions side by side, with a choice for each: the
choices are posted with the form (`keep:<unit>` = "mine" or "theirs"), which still holds everything
they typed and still carries the version it was loaded at.
"""

from __future__ import annotations

from typing import Any

from cia import diff, merge
from cia.data import part_history
from cia.data.assessments import Loaded, template_for
from cia.formfields import is_number
from cia.web.edit_flow import Posted
from cia.web.labels import label_change, path_label

CHOICE_PREFIX = "keep:"
CHOICES = ("mine", "theirs")


def choices(form) -> dict[str, str]:
    """The person's choices on the conflict page, by unit (other values are no choice)."""
    return {name[len(CHOICE_PREFIX):]: value for name, value in form.items()
            if name.startswith(CHOICE_PREFIX) and value in CHOICES}


def merge_part(revision, part: str, seen: int, current: Loaded, mine: dict[str, Any],
               chosen: dict[str, str]) -> merge.Merged:
    base = part_history.at_version(revision.id, part, seen) if seen >= 0 else None
    return merge.merge(merge.UNKNOWN if base is None else base, current.data.to_dict(), mine, chosen)


def unit_label(access, part: str, unit: str, *docs: dict[str, Any]) -> str:
    template = template_for(access.revision)
    old_doc, new_doc = (docs + ({}, {}))[:2]
    return path_label(unit, part, template, old_doc, new_doc)


def notice(access, part: str, merged: merge.Merged, saved_by: str = "") -> str:
    """What the person is told after a merged save."""
    who = saved_by or "Somebody else"
    if not merged.kept_theirs:
        return f"Your changes were saved. {who} also saved this page; nothing they changed was lost."
    names = [unit_label(access, part, unit, merged.data) for unit in merged.kept_theirs]
    return (f"Your changes were saved. {who} also changed this page; their changes to "
            f"{_join(names)} were kept.")


def conflict_page(access, part: str, posted: Posted, theirs: Loaded, mine: dict[str, Any], form) -> dict[str, Any]:
    """The conflict page's context: each unit both changed, with both versions and the choice."""
    chosen = choices(form)
    # Every unit both changed is shown, with the choices already made kept checked.
    merged = merge_part(access.revision, part, _number(posted.version), theirs, mine, {})
    theirs_doc = theirs.data.to_dict()
    by_unit: dict[str, list[dict]] = {}
    for change in diff.changes(theirs_doc, mine):
        unit = merge.unit_of(change.path)
        if unit in merged.conflicts:
            by_unit.setdefault(unit, []).append(label_change(access, part, change, theirs_doc, mine))
    asked = any(name.startswith(CHOICE_PREFIX) for name in form)
    units = []
    for number, unit in enumerate(merged.conflicts, start=1):
        label = unit_label(access, part, unit, theirs_doc, mine)
        units.append({"unit": unit, "name": CHOICE_PREFIX + unit, "id": f"keep-{number}", "label": label,
                      "differences": by_unit.get(unit, []), "chosen": chosen.get(unit, ""),
                      "error": f"Choose whose version of {label} to keep" if asked and unit not in chosen else ""})
    return {"units": units, "differences": [], "saved_by": theirs.updated_by, "saved_at": theirs.updated_at,
            "kept_theirs": [unit_label(access, part, u, theirs_doc) for u in merged.kept_theirs]}


def _number(text: str) -> int:
    return int(text) if is_number(text, 6) else -1


def _join(names: list[str]) -> str:
    names = list(dict.fromkeys(names))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
