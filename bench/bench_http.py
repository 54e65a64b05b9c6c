"""HTTP load: gunicorn on 127.0.0.1, 20 concurrent users for 30 seconds, then it stops by itself.

Each user signs in (with a real CSRF token) and cycles through the pages an author
uses on a realistic 34-row assessment of their own, saving a section now and then,
reading each page for 1 to 3 seconds. Runs on SQLite, then on PostgreSQL when reachable. Reports the
request count, errors and p50 / p95 latency per page. Only loopback is contacted.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.bench_pages import _section_form
from bench.setup import PG_URL, make_bench_app, postgres_reachable, throwaway_postgres

ROOT = Path(__file__).resolve().parents[1]
USERS = int(os.environ.get("BENCH_USERS", "20"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
#: Seconds an officer spends reading a page before the next (uniform between the two). With none,
#: 20 users saturate the machine and the figures measure the queue, not the pages.
THINK = tuple(float(x) for x in os.environ.get("BENCH_THINK", "1,3").split(","))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A minimal cookie-keeping client for one simulated officer."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, float]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   "Origin": f"http://127.0.0.1:{self.port}"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        elapsed = (time.perf_counter() - start) * 1000
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, text, elapsed


def _wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if Browser(port).request("GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start within 60 seconds")


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _form(fields: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(fields)


def _user(port: int, email: str, password: str, assessment_id: int, clock: dict, ready: threading.Barrier,
          results: list, errors: list):
    """One officer working on their own assessment: reads its pages in turn, saves a section now and then."""
    browser = Browser(port)
    status, page, _ = browser.request("GET", "/sign-in")
    token = _csrf(page)
    status, _, _ = browser.request("POST", "/sign-in", _form({"csrf_token": token, "email": email,
                                                              "password": password}))
    base = f"/assessments/{assessment_id}"
    pages = [("task list", base), ("read-only view", f"{base}/view"), ("section page", f"{base}/sections/economy"),
             ("check page", f"{base}/check"), ("summary page", f"{base}/summary"), ("home", "/")]
    for _, path in pages:  # a server in use has warm workers: the first view of each page is not measured
        browser.request("GET", path)
    ready.wait()  # the measured 30 seconds start when every officer has signed in
    if status != 302:
        errors.append(("sign-in", status))
        return
    stop = clock["stop"]
    pause = random.Random(email + str(threading.get_ident()))  # noqa: S311 - simulated reading time
    time.sleep(pause.uniform(0, THINK[1]))  # officers do not all click at the same instant
    n = 0
    while time.monotonic() < stop:
        name, path = pages[n % len(pages)]
        status, text, ms = browser.request("GET", path)
        results.append((name, ms))
        if status != 200:
            errors.append((name, status))
        if name == "section page" and n % 4 == 2:
            fields = {**_section_form(text), "csrf_token": _csrf(text)}
            status, _, ms = browser.request("POST", path, _form(fields))
            results.append(("save section", ms))
            if status not in (302, 409):  # a conflict between simulated users is a correct answer
                errors.append(("save section", status))
        n += 1
        if THINK[1] > 0:
            time.sleep(pause.uniform(*THINK))


def _percentile_95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] if ordered else 0.0


def _load(database: str, database_url: str | None) -> dict:
    """One 30-second run against a fresh database: rows per page, and the totals."""
    bench = make_bench_app({f"officer {n}": None for n in range(USERS)}, database_url=database_url)
    instance = os.environ["CIA_INSTANCE_PATH"]
    with bench.app.app_context():
        from cia.extensions import db

        db.engine.dispose()  # the benchmark's own connections must not hold the database
    port = _free_port()
    env = {**os.environ, "CIA_INSTANCE_PATH": instance, "SECRET_KEY": "bench-" + "k" * 40,
           "DATABASE_URL": bench.app.config["SQLALCHEMY_DATABASE_URI"], "CIA_ENV": "development",
           "CIA_LOGIN_MAX_FAILURES_PER_ADDRESS": "100000"}
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn on loopback
        [sys.executable, "-m", "gunicorn", "--no-control-socket", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)
    try:
        _wait_until_up(port)
        from tests.helpers import PASSWORD

        clock: dict[str, float] = {}
        ready = threading.Barrier(USERS, action=lambda: clock.update(stop=time.monotonic() + SECONDS))
        results: list[tuple[str, float]] = []
        errors: list = []
        threads = [threading.Thread(target=_user, args=(port, bench.author_email, PASSWORD,
                                                        bench.assessments[f"officer {n}"], clock, ready, results,
                                                        errors))
                   for n in range(USERS)]
        load_before = os.getloadavg()[0]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=SECONDS + 180)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    rows = []
    for name in sorted({n for n, _ in results}):
        times = sorted(ms for n, ms in results if n == name)
        rows.append({"database": database, "page": name, "requests": len(times),
                     "p50 ms": f"{statistics.median(times):.0f}", "p95 ms": f"{_percentile_95(times):.0f}",
                     "max ms": f"{times[-1]:.0f}"})
    return {"rows": rows, "requests": len(results), "errors": errors, "p95": _percentile_95([ms for _, ms in results]),
            "worst_p95": max((float(r["p95 ms"]) for r in rows), default=0.0), "load_before": load_before}


def run() -> dict:
    runs = {"SQLite": _load("SQLite", None)}
    if postgres_reachable():
        with throwaway_postgres(f"cia_bench_http_{os.getpid()}") as database_url:
            runs["PostgreSQL"] = _load("PostgreSQL", database_url)
    notes = [f"{USERS} simulated officers, each reading a page for {THINK[0]:g} to {THINK[1]:g} s before the next, "
             f"for {SECONDS:.0f} s against gunicorn with {WORKERS} workers on 127.0.0.1. Each officer works on an "
             "assessment of their own (34 rows of realistic text), after one unmeasured visit to each page (warm "
             "workers, as on a server in use); the load generator runs on the same machine."]
    for database, result in runs.items():
        kinds = sorted(set(map(str, result["errors"])))[:5]
        notes.append(f"- {database}: {result['requests']} requests, {len(result['errors'])} errors"
                     f"{' ' + ', '.join(kinds) if kinds else ''}, {result['requests'] / SECONDS:.0f} "
                     f"requests a second, overall p95 {result['p95']:.0f} ms, worst page p95 "
                     f"{result['worst_p95']:.0f} ms (target: under 300 ms); load average before the run "
                     f"{result['load_before']:.2f}.")
    if "PostgreSQL" not in runs:
        notes.append(f"- PostgreSQL was not reachable at {PG_URL}: not measured.")
    return {"title": f"HTTP load (gunicorn, {USERS} concurrent users, {SECONDS:.0f} s)",
            "rows": [row for result in runs.values() for row in result["rows"]], "notes": "\n".join(notes) + "\n",
            "errors": sum(len(r["errors"]) for r in runs.values()),
            "worst_p95": max(r["worst_p95"] for r in runs.values())}


if __name__ == "__main__":
    print(run())
