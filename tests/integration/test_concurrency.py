"""Five processes saving at once lose nothing and never hit "database is locked" (SQLite and PostgreSQL).

Processes 0-2 save to the same assessment (two of them to the same part, so they
conflict and must retry on fresh data, as the conflict page makes a person do);
processes 3-4 save to assessments of their own. Every marker each process
appended must be in the database at the end.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback

import pytest
from sqlalchemy import text

from cia.data import assessments as data
from cia.extensions import db
from cia.models import User
from tests.conftest import database_url

SAVES = 12


def _worker(url: str, instance: str, assessment_id: int, part: str, marker: str, queue) -> None:
    os.environ["CIA_INSTANCE_PATH"] = instance
    try:
        from tests.conftest import make_app

        app = make_app(SQLALCHEMY_DATABASE_URI=url)
        conflicts = 0
        with app.app_context():
            user = db.session.query(User).filter_by(email="author@example.gov.uk").one()
            for n in range(SAVES):
                while True:
                    revision = data.access_for(user, assessment_id).revision
                    loaded = data.load_part(revision, part)
                    details = loaded.data
                    if part == "details":
                        details.summary = (details.summary + f"\n{marker}-{n}").strip()
                    else:
                        details.activities[0].findings = (details.activities[0].findings + f"\n{marker}-{n}").strip()
                    result = data.save_part(revision, part, details, loaded.version, user)
                    if result.ok:
                        db.session.commit()
                        break
                    db.session.rollback()
                    conflicts += 1
        queue.put(("ok", marker, conflicts))
    except Exception:  # noqa: BLE001 - report anything to the parent
        queue.put(("error", marker, traceback.format_exc()))


def test_five_processes_saving_at_once_lose_nothing(app, users):
    from cia.domain import EngagementActivity

    with app.app_context():
        author = db.session.get(User, users.author)
        shared = data.create(author, "Shared assessment")
        own = [data.create(author, f"Own assessment {i}") for i in (3, 4)]
        db.session.flush()
        for assessment in (shared, *own):
            revision = assessment.current_revision
            loaded = data.load_part(revision, "engagement")
            loaded.data.activities = [EngagementActivity(activity="Survey")]
            assert data.save_part(revision, "engagement", loaded.data, loaded.version, author).ok
        db.session.commit()
        plan = [(shared.id, "details", "p0"), (shared.id, "details", "p1"), (shared.id, "engagement", "p2"),
                (own[0].id, "details", "p3"), (own[1].id, "engagement", "p4")]

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    processes = [context.Process(target=_worker, args=(database_url(), os.environ["CIA_INSTANCE_PATH"],
                                                       aid, part, marker, queue))
                 for aid, part, marker in plan]
    for process in processes:
        process.start()
    results = [queue.get(timeout=240) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    errors = [r for r in results if r[0] == "error"]
    assert not errors, errors[0][2]
    assert not any("database is locked" in str(r) for r in results)

    with app.app_context():
        author = db.session.get(User, users.author)
        for aid, part, marker in plan:
            revision = data.access_for(author, aid).revision
            stored = data.load_part(revision, part).data
            text = stored.summary if part == "details" else stored.activities[0].findings
            missing = [f"{marker}-{n}" for n in range(SAVES) if f"{marker}-{n}" not in text.split("\n")]
            assert not missing, f"lost updates from {marker}: {missing}"


sqlite_only = pytest.mark.skipif(not database_url().startswith("sqlite"), reason="SQLite only")


def _statements(engine) -> list[str]:
    from sqlalchemy import event

    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


@sqlite_only
def test_sqlite_write_transactions_begin_immediately(app):
    """The reason concurrent savers wait instead of failing: BEGIN IMMEDIATE for anything but a read-only request."""
    with app.test_request_context("/assessments/1/details", method="POST"):
        seen = _statements(db.engine)
        db.session.execute(db.select(User).limit(1))
        db.session.rollback()
    assert "BEGIN IMMEDIATE" in seen


@sqlite_only
def test_sqlite_read_only_requests_do_not_wait_for_a_writer(app, users):
    """A page view reads while another worker is in the middle of a save (WAL), instead of queueing."""
    import sqlite3

    path = database_url().removeprefix("sqlite:///")
    writer = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE user SET name = name || '' WHERE id = ?", (users.author,))
    try:
        with app.test_request_context("/", method="GET"):
            db.session.execute(text("PRAGMA busy_timeout=100"))  # fail fast if it did wait
            seen = _statements(db.engine)
            assert db.session.get(User, users.author).email == "author@example.gov.uk"
            db.session.rollback()
            db.session.execute(text("PRAGMA busy_timeout=30000"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert "BEGIN" in seen and "BEGIN IMMEDIATE" not in seen


@sqlite_only
def test_sqlite_read_only_request_that_writes_after_another_worker_saved(app, users):
    """A GET that records something (a download's audit row) after another worker committed a save
    since it began reading: in a deferred transaction SQLite would refuse at once with "database is
    locked"; the write moves to an immediate transaction and succeeds."""
    import sqlite3

    from cia.data import audit
    from cia.models import AuditEvent

    path = database_url().removeprefix("sqlite:///")
    with app.test_request_context("/assessments/1/download/xlsx", method="GET"):
        author = db.session.get(User, users.author)  # the read snapshot starts here
        other = sqlite3.connect(path, isolation_level=None, timeout=5)
        other.execute("UPDATE user SET name = 'Renamed elsewhere' WHERE id = ?", (users.author,))
        other.close()
        audit.record("assessment.exported", actor=author, remote_addr="127.0.0.1", details={"kind": "xlsx"})
        db.session.commit()
    with app.app_context():
        kinds = db.session.execute(db.select(AuditEvent.action)).scalars().all()
        assert "assessment.exported" in kinds
        assert db.session.get(User, users.author).name == "Renamed elsewhere"
