"""What every sign-off page shares: access checks that leave an audit row, refusals, pagination."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import NoReturn

from flask import abort, flash, redirect, render_template, request
from flask_login import current_user

from cia import errors
from cia import workflow as wf
from cia.data import assessments as data
from cia.data import notifications
from cia.data import workflow as flow
from cia.extensions import db
from cia.formfields import is_number, whole_number
from cia.models import Assessment
from cia.requestinfo import remote_addr
from cia.web import transaction

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def readable_or_404(assessment_id: int, revision: int | None = None) -> data.Access:
    """The assessment if the signed-in user may read it; 404 otherwise (and an audit row if it exists)."""
    found = data.access_for(current_user.user, assessment_id, revision)
    if found is None:
        refuse_not_shared(assessment_id)
    return found


def refuse_not_shared(assessment_id: int) -> NoReturn:
    """404 for an assessment (or revision) the signed-in user may not read, audited when it exists."""
    if db.session.get(Assessment, assessment_id) is not None:
        errors.refuse(404, assessment_id=assessment_id,
                      details={"path": request.path, "method": request.method, "reason": "not shared"})
    abort(404)


def require_role(allowed: bool) -> None:
    """403 (with its "access.refused" audit row, see cia/errors.py) for the wrong kind of account."""
    if not allowed:
        abort(403)


def refused(access: data.Access, action: str, error: flow.WorkflowError):
    """The page for a refused transition: 403 for the wrong person, 409 for the wrong state (audited)."""
    db.session.rollback()
    if isinstance(error, flow.NotPermitted):
        abort(403, description=error.message)
    flow.record_refusal(action, access, current_user.user, remote_addr(), error.message)
    return render_template("review/refused.html", access=access, message=error.message,
                           title="This cannot be done now", action=wf.transition(action)), 409


def already(access: data.Access, outcome: flow.Outcome):
    """A replayed or double-clicked request: nothing changed, nothing recorded."""
    db.session.rollback()
    return render_template("review/already.html", access=access, message=outcome.message, title=outcome.message)


def finish(access: data.Access, outcome: flow.Outcome, next_url: str, *, announce: bool = True):
    """The end of every transition: a replay changes nothing; otherwise e-mail after the commit, and go on.

    E-mails are sent after the request's commit so a mail failure can never undo or block the transition.
    """
    if not outcome.changed:
        return already(access, outcome)
    emails = list(outcome.emails)
    transaction.after_commit(lambda: notifications.deliver(emails))
    if announce:
        flash(outcome.message)
    return redirect(next_url)


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
