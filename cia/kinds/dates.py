"""Date kinds: a date (day, month and year inputs) and a month and year.

Month inputs also accept month names ("March", "mar"), as the GOV.UK date pattern recommends.
"""

from __future__ import annotations

import datetime
import re

from cia.domain import Question, TemplateSpec
from cia.kinds.base import Answer, Kind, Posted, register
from cia.kinds.text import as_text, first, named

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
_MONTH_NAMES = {name.lower(): n for n, name in enumerate(MONTHS, 1)}
_MONTH_NAMES |= {name[:3].lower(): n for n, name in enumerate(MONTHS, 1)}
_MONTH_NAMES["sept"] = 9

_SMALL = re.compile(r"[0-9]{1,2}", re.ASCII)
_YEAR = re.compile(r"[0-9]{4}", re.ASCII)
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)
_MONTH_YEAR = re.compile(r"([0-9]{4})-([0-9]{2})", re.ASCII)


def _missing(question: Question, parts: dict[str, str]) -> str:
    missing = [name for name, value in parts.items() if not value]
    if not missing:
        return ""
    return f"{named(question)} must include a {' and '.join(missing)}"


def _month(value: str) -> int | None:
    if _SMALL.fullmatch(value):
        return int(value)
    return _MONTH_NAMES.get(value.lower().rstrip("."))


def _year_message(question: Question, year: str) -> str:
    """"" when the year has 4 digits; a message otherwise."""
    if _YEAR.fullmatch(year):
        return ""
    if _DIGITS.fullmatch(year):
        return f"The year of {named(question)} must include 4 numbers"
    return f"{named(question)} must be a real date"


# --- date ---------------------------------------------------------------------------------------


def _read_date(question: Question, posted: Posted) -> tuple[Answer, str]:
    parts = {name: first(posted, f"-{name}").strip() for name in ("day", "month", "year")}
    if not any(parts.values()):
        return "", ""
    if message := _missing(question, parts) or _year_message(question, parts["year"]):
        return "", message
    month = _month(parts["month"])
    if not _SMALL.fullmatch(parts["day"]) or month is None:
        return "", f"{named(question)} must be a real date"
    try:
        date = datetime.date(int(parts["year"]), month, int(parts["day"]))
    except ValueError:
        return "", f"{named(question)} must be a real date"
    return date.isoformat(), ""


def _show_date(question: Question, answer: Answer, template: TemplateSpec) -> str:  # noqa: ARG001
    text = as_text(answer).strip()
    if match := _DATE.fullmatch(text):
        try:
            date = datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            return text
        return f"{date.day} {MONTHS[date.month - 1]} {date.year}"
    return text


DATE = register(Kind(
    key="date",
    name="Date",
    description="A day, month and year, such as the date a consultation started.",
    read=_read_date,
    show=_show_date,
    schema={"type": "string", "pattern": "^([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))?$"},
    macro="date_input",
))


# --- month and year -----------------------------------------------------------------------------


def _read_month_year(question: Question, posted: Posted) -> tuple[Answer, str]:
    parts = {name: first(posted, f"-{name}").strip() for name in ("month", "year")}
    if not any(parts.values()):
        return "", ""
    if message := _missing(question, parts) or _year_message(question, parts["year"]):
        return "", message
    month = _month(parts["month"])
    if month is None or not 1 <= month <= 12 or int(parts["year"]) < 1:
        return "", f"{named(question)} must be a real date"
    return f"{parts['year']}-{month:02d}", ""


def _show_month_year(question: Question, answer: Answer, template: TemplateSpec) -> str:  # noqa: ARG001
    text = as_text(answer).strip()
    if (match := _MONTH_YEAR.fullmatch(text)) and 1 <= int(match[2]) <= 12:
        return f"{MONTHS[int(match[2]) - 1]} {int(match[1])}"
    return text


MONTH_YEAR = register(Kind(
    key="month_year",
    name="Month and year",
    description="A month and year, when the day does not matter, such as when a change takes effect.",
    read=_read_month_year,
    show=_show_month_year,
    schema={"type": "string", "pattern": "^([0-9]{4}-(0[1-9]|1[0-2]))?$"},
    macro="month_year_input",
))
