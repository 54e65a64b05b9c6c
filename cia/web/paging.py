"""Lists and filters read from a page's address: page numbers, GOV.UK pagination, searches and dates."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from flask import request

from cia.formfields import is_number, whole_number

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def text_arg(name: str, limit: int) -> str:
    """A search or filter typed into a page's address, without control characters (nothing stored has
    them, and PostgreSQL refuses a NUL in a query), trimmed and cut to `limit` characters."""
    return _CONTROL.sub("", request.args.get(name, "")).strip()[:limit]


def page_number() -> int:
    value = whole_number(request.args.get("page"), 1)
    return value if 0 < value < 100_000 else 1


def pagination(current: int, pages: int, href: Callable[[int], str]) -> dict | None:
    """Parameters for the GOV.UK pagination component (None when one page is enough)."""
    if pages <= 1:
        return None
    numbers = sorted({1, pages, current - 1, current, current + 1} & set(range(1, pages + 1)))
    items: list[dict] = []
    for number in numbers:
        if items and number - items[-1].get("number", number) > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == current})
    params: dict = {"items": items}
    if current > 1:
        params["previous"] = {"href": href(current - 1)}
    if current < pages:
        params["next"] = {"href": href(current + 1)}
    return params


def date_arg(prefix: str, label: str, errors: dict[str, str]) -> tuple[date | None, dict[str, str]]:
    """A GOV.UK date input read from the query string (<prefix>-day, -month, -year); errors on the day field."""
    typed = {k: request.args.get(f"{prefix}-{k}", "").strip()[:4] for k in ("day", "month", "year")}
    if not any(typed.values()):
        return None, typed
    try:
        if not all(is_number(v, 4) for v in typed.values()):
            raise ValueError(prefix)
        value = date(int(typed["year"]), int(typed["month"]), int(typed["day"]))
        if not 1000 <= value.year < 9999:  # a search runs to the end of the day: 31 12 9999 has no next day
            raise ValueError(prefix)
        return value, typed
    except ValueError:
        errors[f"{prefix}-day"] = f"{label} must be a real date, for example 27 3 2026"
        return None, typed
