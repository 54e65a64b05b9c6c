"""Reading numbers, list positions and item ids out of posted forms, whatever is posted.

str.isdigit() is not enough to guard int(): "²" passes it and int() then fails, and so does a
number thousands of digits long (Python refuses to convert more than 4,300); a 20-digit id
overflows the database's integer. Every form reads numbers and item positions through these.
"""

from __future__ import annotations

from flask import g, has_app_context
from wtforms import FieldList, HiddenField
from wtforms.validators import ValidationError


def is_number(text: str | None, max_digits: int = 9) -> bool:
    """Whether `text` is a whole number written in ASCII digits, at most `max_digits` of them."""
    return bool(text) and text.isascii() and text.isdigit() and len(text) <= max_digits


def whole_number(value: str | None, default: int | None = None) -> int | None:
    """`value` as a number if `is_number` accepts it (it fits any id column); `default` otherwise."""
    return int(value) if value is not None and is_number(value) else default


class ItemList(FieldList):
    """A FieldList that reads only item positions written in ASCII digits, of a sensible length,
    and reads them from an index of the posted names built once per request (see posted_positions).

    WTForms reads any name whose position passes str.isdigit(), and then int() fails on "²" or on
    a position of thousands of digits: a posted "areas-²-title" was a 500. And each FieldList looks
    through every posted name for its own: with a list per row, risk and mitigation, a 60-row
    section (7,000 fields, 1,400 lists) spent most of its save doing that.
    """

    def _extract_indices(self, prefix, formdata):
        return posted_positions(formdata, self._field_separator).get(prefix, ())


def posted_positions(formdata, separator: str) -> dict[str, list[int]]:
    """{list name: the item positions posted for it}, e.g. "rows-0-risks-3-text" gives rows: [0]
    and rows-0-risks: [3]. Worked out once per posted form in a request.

    Kept on flask.g (this request only) with the form itself, so it is found again by identity: a
    request's form (an ImmutableMultiDict) cannot be weakly referenced, and an index keyed by
    weak reference was silently worked out again for every list, a scan of every posted name each
    time (on a 34-row section, 305 scans of 1,100 names).
    """
    remembered = getattr(g, "_posted_positions", None) if has_app_context() else None
    if remembered is not None and remembered[0] is formdata and remembered[1] == separator:
        return remembered[2]
    found: dict[str, set[int]] = {}
    seen: set[str] = set()
    for name in formdata:
        # A position is a part of the name after the first, of 1 to 6 ASCII digits (what is_number(_, 6)
        # accepts). Each name is cut at its last separator, then the rest again: every leading piece
        # of a name ("rows-0-risks-3") is looked at once, however many fields its item has.
        while name not in seen:
            seen.add(name)
            stem, separated, last = name.rpartition(separator)
            if not separated:
                break
            if is_number(last, 6):
                found.setdefault(stem, set()).add(int(last))
            name = stem
    index = {prefix: sorted(positions) for prefix, positions in found.items()}
    if has_app_context():
        g._posted_positions = (formdata, separator, index)
    return index


#: The longest item id the assessment JSON format accepts (cia/schema/assessment.schema.json, "key").
ITEM_ID_MAX = 200


def is_item_id(value: str | None) -> bool:
    """Whether `value` can be an item's id: what the JSON format accepts (at most 200 characters),
    printable, with no spaces at either end. The service's own ids are 10 hex digits
    (cia.domain.new_id) and template keys; other ids arrive only from an imported JSON file."""
    return bool(value) and len(value) <= ITEM_ID_MAX and value.isprintable() and value == value.strip()


class ItemIdField(HiddenField):
    """The hidden id of a list item (a team member, a risk, a row...): empty for a new item, else an id
    `is_item_id` accepts. Anything else is refused with a message, never stored: a 7 MB id was once
    saved, and the assessment's own JSON export then failed to import."""

    def pre_validate(self, form):
        if self.data and not is_item_id(self.data):
            raise ValidationError("The page was changed before it was sent, so it could not be saved: open the "
                                  "page again from the task list and make your changes there")
