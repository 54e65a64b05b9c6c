"""Small text helpers shared by the exports: dates as people write them, one-line extracts of the
authors' rich text, and lists in words. Imports nothing from Flask.

`cia.exports.summary` re-exports them under the names the exporters have always used.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from cia import richtext
from cia.checks.base import KNOWN_ACRONYMS
from cia.exports.textsafe import clean

_MONTHS = (
    "January February March April May June July August September October November December"
).split()


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


def format_date(value: str) -> str:
    """"2025-03-04" -> "4 March 2025", "2025-03" -> "March 2025"; other text unchanged."""
    value = (value or "").strip()
    m = _ISO_DATE.fullmatch(value)
    if not m:
        return value
    year, month, day = int(m[1]), int(m[2]), m[3]
    if not 1 <= month <= 12:
        return value
    if day is None:
        return f"{_MONTHS[month - 1]} {year}"
    try:
        d = date(year, month, int(day))
    except ValueError:
        return value
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _london():
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/London")
    except (ImportError, KeyError):  # no time zone data: print UTC
        return UTC


def format_datetime(value: datetime) -> str:
    """"1 July 2024 10:30", in UK time when `value` knows its time zone."""
    if value.tzinfo is not None:
        value = value.astimezone(_london())
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year} {value:%H:%M}"


def shorten(text: str, limit: int) -> str:
    """One line of at most `limit` characters, cut at a word with "…"."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"


def plain(text: str) -> str:
    """User markup as plain text (paragraphs, bullets and tables kept readable)."""
    return richtext.to_plain(clean(text)) if text else ""


def gist(text: str, limit: int) -> str:
    """The opening of the authors' markup as one line of at most `limit` characters: its first
    paragraph, cut after its last whole sentence that fits, else at a word with "…".

    Why the first paragraph: authors put the point first and the figures (a pasted table, a list of
    wards) after it, which belong to the full CIA.
    """
    paragraphs = [p for p in re.split(r"\n\s*\n", plain(text)) if p.strip()]
    if not paragraphs:
        return ""
    first = " ".join(paragraphs[0].split())
    if len(first) <= limit:
        return first
    sentences = re.findall(r".+?[.!?](?=\s|$)", first[:limit])
    whole = "".join(sentences).strip()
    return whole if len(whole) >= limit // 2 else shorten(first, limit)


def list_words(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def count(n: int, one: str, many: str) -> str:
    """"1 risk has", "3 risks have": a number with the words that agree with it."""
    return f"{n} {one if n == 1 else many}"


_ACRONYMS = {a.casefold(): a for a in KNOWN_ACRONYMS}


def label_from_key(key: str) -> str:
    """A stored key as people write it: "head_of_service" -> "Head of service", "slt" -> "SLT",
    "hr_business_partner" -> "HR business partner" (acronyms in capitals, never "Slt")."""
    words = [w for w in key.split("_") if w]
    out = [_ACRONYMS.get(w.casefold(), w) for w in words]
    if out and out[0] == words[0]:
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)
