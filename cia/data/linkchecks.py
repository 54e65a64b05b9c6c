"""The link_check table: the last result for each public link, and which links are due a check."""

from __future__ import annotations

import threading
import time
from datetime import datetime

from flask import current_app
from sqlalchemy import String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from cia import linkfetch as fetch
from cia.checks.rules.links import public_links
from cia.data import assessments
from cia.extensions import db
from cia.models import Assessment, Revision, utcnow


class LinkCheck(db.Model):
    """What happened the last time a link was fetched."""

    __tablename__ = "link_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    outcome: Mapped[str] = mapped_column(String(20), index=True)  # fetch.OK, DEAD, UNREACHABLE or REFUSED
    reason: Mapped[str] = mapped_column(String(200), default="")
    status_code: Mapped[int | None]
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)


def settings() -> fetch.Settings:
    config = current_app.config
    return fetch.Settings(timeout=float(config["CIA_LINK_CHECK_TIMEOUT"]),
                          host_interval=float(config["CIA_LINK_CHECK_HOST_INTERVAL"]),
                          allow_loopback=bool(config["CIA_LINK_CHECK_ALLOW_LOOPBACK"]),
                          hosts=dict(config["CIA_LINK_CHECK_HOSTS"] or {}))


def current_links(internal_hosts: tuple[str, ...], newest: int | None = None) -> dict[str, set[str]]:
    """{public link: references of the assessments whose current revision holds it}.

    `internal_hosts`: the council's intranet hosts (the checker's setting), whose links are not public.
    `newest`: only the assessments whose current revision changed most recently (the page's button)."""
    query = (select(Revision).join(Assessment, Assessment.current_revision_id == Revision.id)
             .order_by(Revision.updated_at.desc(), Revision.id.desc()))
    if newest is not None:
        query = query.limit(newest)
    out: dict[str, set[str]] = {}
    for revision in db.session.execute(query).scalars():
        data = assessments.load_assessment(revision)
        for url in public_links(data, assessments.template_for(revision), internal_hosts):
            out.setdefault(url, set()).add(revision.assessment.reference)
    return out


def due(urls: list[str], limit: int | None) -> list[str]:
    """The links never checked first, then those checked longest ago; at most `limit`."""
    checked = {row.url: row.checked_at for row in db.session.execute(
        select(LinkCheck.url, LinkCheck.checked_at)).all()}
    ordered = sorted(urls, key=lambda u: (u in checked, checked.get(u) or datetime.min, u))
    return ordered if limit is None else ordered[:limit]


def record(results: list[fetch.Result]) -> None:
    rows = {row.url: row for row in db.session.execute(
        select(LinkCheck).where(LinkCheck.url.in_([r.url for r in results]))).scalars()} if results else {}
    now = utcnow()
    for result in results:
        row = rows.get(result.url) or LinkCheck(url=result.url)
        row.outcome, row.reason, row.status_code, row.checked_at = (
            result.outcome, result.reason[:200], result.status, now)
        db.session.add(row)
    forget_dead_links()


def last_checked() -> datetime | None:
    return db.session.execute(select(func.max(LinkCheck.checked_at))).scalar_one_or_none()


def dead_rows() -> list[LinkCheck]:
    return list(db.session.execute(select(LinkCheck).where(LinkCheck.outcome == fetch.DEAD)
                                   .order_by(LinkCheck.checked_at.desc(), LinkCheck.url)).scalars())


# Dead links for the checker, read at most once a minute per worker: every page that checks an
# assessment asks for them, and they change only when links are checked.
_DEAD_TTL = 60.0
_dead_lock = threading.Lock()
_dead: dict[str, tuple[float, tuple[tuple[str, str, str], ...]]] = {}


def forget_dead_links() -> None:
    with _dead_lock:
        _dead.clear()


def dead_links() -> tuple[tuple[str, str, str], ...]:
    """(link, what happened, the date it was checked) of every link found dead, for `CheckConfig.dead_links`."""
    key = str(db.engine.url)
    with _dead_lock:
        cached = _dead.get(key)
    if cached is not None and time.monotonic() - cached[0] < _DEAD_TTL:
        return cached[1]
    found = tuple((row.url, row.reason, f"{row.checked_at.day} {row.checked_at:%B %Y}") for row in dead_rows())
    with _dead_lock:
        _dead[key] = (time.monotonic(), found)
    return found


def run(internal_hosts: tuple[str, ...], limit: int | None = None, newest: int | None = None,
        seconds: float | None = None) -> RunSummary:
    """Check the due links of current assessments and record the results (the caller commits)."""
    links = current_links(internal_hosts, newest)
    todo = due(sorted(links), limit)
    deadline = time.monotonic() + seconds if seconds is not None else None
    results = fetch.check_many(todo, settings(), deadline=deadline)
    record(results)
    return RunSummary(len(links), results, len(todo) - len(results))


class RunSummary:
    def __init__(self, total: int, results: list[fetch.Result], left: int) -> None:
        self.total = total
        self.results = results
        self.left = left  # due but not reached in the time allowed

    @property
    def dead(self) -> list[fetch.Result]:
        return [r for r in self.results if r.outcome == fetch.DEAD]

    @property
    def unreachable(self) -> list[fetch.Result]:
        return [r for r in self.results if r.outcome == fetch.UNREACHABLE]

    def sentence(self) -> str:
        n = len(self.results)
        text = (f"Checked {n} link{'' if n == 1 else 's'} of {self.total}: {len(self.dead)} dead, "
                f"{len(self.unreachable)} could not be reached")
        if self.left:
            text += f"; {self.left} more were due but not checked in the time allowed"
        return text
