"""A throw-away application with realistic assessments, for the page and HTTP benchmarks."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import event

from cia.data import parts, templates
from cia.domain import Assessment
from cia.extensions import db
from cia.models import Revision, RevisionPart, User
from tests.factories import realistic_assessment


@dataclass
class BenchApp:
    app: object
    author_email: str
    assessments: dict[str, int]  # label -> assessment id


def make_bench_app(sizes: dict[str, int | None], database_url: str | None = None) -> BenchApp:
    """sizes: label -> rows per section (None: the template's own rows, e.g. 34 in all)."""
    instance = tempfile.mkdtemp(prefix="cia-bench-")
    os.environ["CIA_INSTANCE_PATH"] = instance
    from flask_migrate import upgrade

    from cia import create_app
    from tests.helpers import PASSWORD, make_user

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{instance}/bench.sqlite3",
        "SECRET_KEY": "bench-" + "k" * 40, "WTF_CSRF_ENABLED": False, "CIA_ENV": "testing",
        "CIA_LOGIN_MAX_FAILURES_PER_ADDRESS": 10_000,
    })
    ids = {}
    with app.app_context():
        upgrade()
        templates.seed_bundled_templates(templates.bundled_template_slugs()[:1])
        user = make_user("bench@example.gov.uk", "Bench Author", "author approver admin", "manager")
        db.session.commit()
        for label, rows in sizes.items():
            ids[label] = store_assessment(user, realistic_assessment(
                templates.spec_for_version(templates.newest_published_version().id), rows))
        db.session.commit()
    assert PASSWORD
    return BenchApp(app, "bench@example.gov.uk", ids)


def store_assessment(user: User, data: Assessment) -> int:
    from cia.data import assessments

    created = assessments.create(user, data.details.name)
    revision: Revision = created.current_revision
    spec = assessments.template_for(revision)
    for name, value in parts.split(data, spec).items():
        row = db.session.query(RevisionPart).filter_by(revision_id=revision.id, part=name).one_or_none()
        if row is None:
            db.session.add(RevisionPart(revision_id=revision.id, part=name, data=value.to_dict(), version=2))
        else:
            row.data, row.version = value.to_dict(), 2
    revision.proposal_name = data.details.name
    db.session.flush()
    return created.id


def signed_in_client(bench: BenchApp):
    from tests.helpers import sign_in

    client = bench.app.test_client()
    response = sign_in(client, bench.author_email)
    assert response.status_code == 302, "bench sign-in failed"
    return client


def median_ms(fn, repeat: int) -> float:
    """Median wall time of `fn` in milliseconds, after one unmeasured call (template and spec caches)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def statements(engine, fn) -> int:
    """How many SQL statements `fn` sends through `engine`."""
    count = 0

    def counter(*_args, **_kwargs):
        nonlocal count
        count += 1

    event.listen(engine, "before_cursor_execute", counter)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return count


#: The PostgreSQL server the benchmarks use (a database of their own is created and dropped on it).
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def postgres_reachable(url: str = PG_URL) -> bool:
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=3).close()
    except Exception:  # noqa: BLE001 - any failure means "not reachable" here
        return False
    return True


@contextmanager
def throwaway_postgres(name: str, url: str = PG_URL) -> Iterator[str]:
    """The address of a new, empty database `name` on the server, dropped afterwards."""
    import psycopg

    def admin(sql: str) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql)

    admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin(f"CREATE DATABASE {name}")
    try:
        yield urlunsplit(urlsplit(url)._replace(path="/" + name))
    finally:
        admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
