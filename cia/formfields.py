"""Reading numbers and list positions out of posted forms, whatever is posted.

str.isdigit() is not enough to guard int(): "²" passes it and int() then fails, and so does a
number thousands of digits long (Python refuses to convert more than 4,300); a 20-digit id
overflows the database's integer. Every form reads numbers and item positions through these.
"""

from __future__ import annotations

from wtforms import FieldList


def is_number(text: str | None, max_digits: int = 9) -> bool:
    """Whether `text` is a whole number written in ASCII digits, at most `max_digits` of them."""
    return bool(text) and text.isascii() and text.isdigit() and len(text) <= max_digits


class ItemList(FieldList):
    """A FieldList that reads only item positions written in ASCII digits, of a sensible length.

    WTForms reads any name whose position passes str.isdigit(), and then int() fails on "²" or on
    a position of thousands of digits: a posted "areas-²-title" was a 500.
    """

    def _extract_indices(self, prefix, formdata):
        offset = len(prefix) + 1
        for name in formdata:
            if name.startswith(prefix):
                position = name[offset:].split(self._field_separator, 1)[0]
                if is_number(position, 6):
                    yield int(position)
