"""Number kinds: a number and a percentage, stored as normalised text.

What is typed is normalised the same way for both: spaces and commas are dropped ("1,250" ->
"1250"), a leading "+" and leading zeros go ("007" -> "7", ".5" -> "0.5", "5." -> "5"), a minus
sign stays unless the number is zero, and the decimal places stay as typed ("2.50" stays "2.50").
"""

from __future__ import annotations

import re
from decimal import Decimal

from cia.domain import Question, TemplateSpec
from cia.kinds.base import Answer, Kind, Posted, register
from cia.kinds.text import as_text, first, named

MAX_DIGITS = 30

_TYPED = re.compile(r"([-+]?)([0-9]*)(?:\.([0-9]*))?", re.ASCII)
_STORED = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?", re.ASCII)
_DROPPED = re.compile(r"[\s,]+")


def normalise(typed: str) -> str | None:
    """The stored form of a typed number, or None when it is not a number."""
    text = _DROPPED.sub("", typed.replace("\u2212", "-"))
    match = _TYPED.fullmatch(text)
    if not match or not (match[2] or match[3]):
        return None
    whole = match[2].lstrip("0") or "0"
    number = whole + (f".{match[3]}" if match[3] else "")
    negative = match[1] == "-" and number.strip("0.") != ""
    return ("-" if negative else "") + number


def _digits(number: str) -> int:
    return sum(c.isdigit() for c in number)


def _read(question: Question, posted: Posted, percentage: bool) -> tuple[Answer, str]:
    typed = first(posted).strip()
    text = typed.removesuffix("%") if percentage else typed
    if not text.strip():
        return ("", "") if not typed else (typed, f"Enter a percentage for {named(question)}")
    number = normalise(text)
    if number is None:
        what = "a percentage" if percentage else "a number"
        return typed, f"Enter {what} for {named(question)}"
    if _digits(number) > MAX_DIGITS:
        return typed, f"{named(question)} must be {MAX_DIGITS} digits or fewer"
    if percentage and not 0 <= Decimal(number) <= 100:
        return typed, f"{named(question)} must be between 0 and 100"
    return number, ""


def _read_number(question: Question, posted: Posted) -> tuple[Answer, str]:
    return _read(question, posted, percentage=False)


def _read_percentage(question: Question, posted: Posted) -> tuple[Answer, str]:
    return _read(question, posted, percentage=True)


def grouped(number: str) -> str:
    """A stored number with thousands separators ("-1250.5" -> "-1,250.5"); anything else as it is."""
    match = _STORED.fullmatch(number)
    if not match:
        return number
    return f"{match[1]}{int(match[2]):,}" + (f".{match[3]}" if match[3] else "")


def _show_number(question: Question, answer: Answer, template: TemplateSpec) -> str:  # noqa: ARG001
    return grouped(as_text(answer).strip())


def _show_percentage(question: Question, answer: Answer, template: TemplateSpec) -> str:  # noqa: ARG001
    text = as_text(answer).strip()
    return f"{text}%" if _STORED.fullmatch(text) else text


NUMBER = register(Kind(
    key="number",
    name="Number",
    description="A number, such as how many people or how much money, whole or with decimal places.",
    read=_read_number,
    show=_show_number,
    schema={"type": "string", "maxLength": MAX_DIGITS + 2,
            "pattern": "^(-?(0|[1-9][0-9]*)(\\.[0-9]+)?)?$"},
    macro="number_input",
))

PERCENTAGE = register(Kind(
    key="percentage",
    name="Percentage",
    description="A percentage from 0 to 100, such as the share of service users who are online.",
    read=_read_percentage,
    show=_show_percentage,
    schema={"type": "string", "maxLength": MAX_DIGITS + 1,
            "pattern": "^((100(\\.0+)?)|([1-9]?[0-9](\\.[0-9]+)?))?$"},
    macro="percentage_input",
))
