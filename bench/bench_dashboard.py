"""The dashboards with 100,000 assessments on PostgreSQL.

A throw-away PostgreSQL database gets 100,000 assessments (one revision each, spread over
2,000 officers, every workflow status, 40 directorates, decision dates over three years) and
1,000 waiting for one approver, written in bulk by SQL. Then each list a user opens is timed
in process (Flask test client) with its SQL statements counted: the home page, "All
assessments" for an administrator (first page, a page deep in the list, each filter, the
search) and for an approver (only what they may open), and the sign-off queue.

The same pages are timed again at 1,000 assessments, so the growth is visible. PostgreSQL is
found through BENCH_PG_URL (default: the local server); when it cannot be reached the
section says so instead of printing figures.
"""

from __future__ import annotations

import os
import time

from sqlalchemy import text

from bench.setup import (
    PG_URL,
    make_bench_app,
    median_ms,
    postgres_reachable,
    signed_in_client,
    statements,
    throwaway_postgres,
)
from cia.extensions import db

SIZES = (1_000, 100_000)
OFFICERS = 2_000
WAITING = 1_000

PAGES = {
    "home (your assessments, sign-off queue)": "/",
    "all assessments, admin, page 1": "/assessments/all",
    "all assessments, admin, page 2,000": "/assessments/all?page=2000",
    "all assessments, admin, status filter": "/assessments/all?status=submitted",
    "all assessments, admin, directorate filter": "/assessments/all?directorate=Directorate+7",
    "all assessments, admin, decision dates": ("/assessments/all?from-day=1&from-month=3&from-year=2026"
                                               "&to-day=31&to-month=3&to-year=2026"),
    "all assessments, admin, decision route": "/assessments/all?decision_route=committee",
    "all assessments, admin, search": "/assessments/all?q=library+review+95",
    "all assessments, approver (what they may open)": "/assessments/all",
    "awaiting your sign-off": "/assessments/awaiting",
}

# Plain SQL keeps 100,000 rows to seconds; the ORM would take minutes.
FILL = """
INSERT INTO "user" (email, name, password_hash, roles, approver_level, active, created_at)
SELECT 'officer' || n || '@example.gov.uk', 'Officer ' || n, 'x', 'author', '', true, now()
FROM generate_series(1, :officers) AS n;

INSERT INTO assessment (reference, owner_id, created_at)
SELECT 'BENCH-' || lpad(n::text, 6, '0'),
       (SELECT min(id) FROM "user" WHERE email LIKE 'officer%') + (n % :officers), now()
FROM generate_series(1, :count) AS n;

INSERT INTO revision (assessment_id, number, template_version_id, status, created_at, created_by_id,
                      updated_at, proposal_name, directorate, decision_route, decision_date, project_size,
                      error_count, warning_count)
SELECT a.id, 1, :version, (ARRAY['draft','submitted','changes_requested','approved','withdrawn'])[1 + a.id % 5],
       now() - (a.id || ' minutes')::interval, a.owner_id, now() - (a.id || ' minutes')::interval,
       'Proposal ' || a.id || ': ' || (ARRAY['library','bus route','care home','leisure centre','waste'])[1 + a.id % 5]
         || ' review ' || (a.id % 100),
       'Directorate ' || (a.id % 40), (ARRAY['cabinet','cabinet_member','officer','committee'])[1 + a.id % 4],
       to_char(date '2025-01-01' + (a.id % 1095), 'YYYY-MM-DD'),
       (ARRAY['small','medium','large'])[1 + a.id % 3], a.id % 4, a.id % 3
FROM assessment a WHERE a.reference LIKE 'BENCH-%';

UPDATE assessment a SET current_revision_id = r.id FROM revision r
WHERE r.assessment_id = a.id AND a.reference LIKE 'BENCH-%';

INSERT INTO approval_request (revision_id, assessment_id, approver_id, level, requested_at, requested_by_id,
                              decision, comment)
SELECT r.id, r.assessment_id, :approver, 'manager', r.updated_at, r.created_by_id, '', ''
FROM revision r WHERE r.status = 'submitted' ORDER BY r.id LIMIT :waiting;

ANALYZE;
"""


def _measure(count: int) -> tuple[dict[str, tuple[float, int, int]], float]:
    """{page: (median ms, SQL statements, status)} and the trivial endpoint's median, at `count` assessments."""
    with throwaway_postgres(f"cia_bench_dashboard_{os.getpid()}") as database_url:
        bench = make_bench_app({}, database_url=database_url)
        app = bench.app
        from tests.helpers import make_user

        with app.app_context():
            approver = make_user("approver.bench@example.gov.uk", "Asha Approver", "approver", "manager")
            from cia.data import templates

            version = templates.newest_published_version().id
            db.session.commit()
            started = time.perf_counter()
            for statement in FILL.split(";\n"):
                if statement.strip():
                    db.session.execute(text(statement), {"officers": OFFICERS, "count": count, "version": version,
                                                         "approver": approver.id, "waiting": WAITING})
            db.session.commit()
            print(f"   {count:,} assessments written in {time.perf_counter() - started:.1f} s", flush=True)
            engine = db.engine
        admin = signed_in_client(bench)  # the bench user is an administrator (and author, approver)
        approver_client = app.test_client()
        from tests.helpers import sign_in

        assert sign_in(approver_client, "approver.bench@example.gov.uk").status_code == 302
        trivial = median_ms(lambda: admin.get("/healthz"), 100)
        results = {}
        for label, path in PAGES.items():
            client = approver_client if "approver" in label or "awaiting" in label else admin
            status = client.get(path).status_code
            results[label] = (median_ms(lambda client=client, path=path: client.get(path), 15),
                              statements(engine, lambda client=client, path=path: client.get(path)), status)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        return results, trivial


def run() -> dict:
    title = "Dashboards with 100,000 assessments (PostgreSQL)"
    if not postgres_reachable():
        return {"title": title, "rows": [], "notes": f"PostgreSQL was not reachable at {PG_URL}: not measured.\n"}
    measured = {count: _measure(count) for count in SIZES}
    small, large = SIZES
    rows = []
    for label in PAGES:
        ms_small, _, _ = measured[small][0][label]
        ms, statements, status = measured[large][0][label]
        rows.append({"page": label, "status": status, f"median ms ({large:,})": f"{ms:.1f}",
                     "x trivial": f"{ms / measured[large][1]:.0f}", f"median ms ({small:,})": f"{ms_small:.1f}",
                     "growth": f"x{ms / ms_small:.2f}", "SQL statements": statements})
    worst = max(measured[large][0].values())[0]
    notes = (f"In process (Flask test client) on PostgreSQL: {large:,} assessments, one revision each, owned by "
             f"{OFFICERS:,} officers; {WAITING:,} of them waiting for one approver. Growth is the median at "
             f"{large:,} over the median at {small:,} assessments ({large // small} times as many). Trivial endpoint "
             f"(/healthz): {measured[large][1]:.2f} ms. Slowest list: {worst:.0f} ms.\n")
    return {"title": title, "rows": rows, "notes": notes, "worst_ms": worst}


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
