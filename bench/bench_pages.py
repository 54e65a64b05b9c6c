"""In-process page timings (Flask test client) as ratios to a trivial endpoint, and SQL per page.

For the 34-row template filled with realistic text, a 30-row and a 300-row
assessment: the read-only view, the biggest section's edit page, saving that
section (with the GET that reads the page's version, and the POST alone), the
checker, the task list and the check page. A save posts a body encoded once, before the timing,
as a browser sends it: the figure is the server's, not the test client's (encoding the 1,100
fields of the 34-row PSED section was about 4 ms of every POST). Cost should grow
linearly with rows (300 rows within 12x of 30), and SQL statements per page
should not grow with rows at all.
"""

from __future__ import annotations

import html as html_lib
import re
import statistics
import time
from urllib.parse import urlencode

from bench.setup import make_bench_app, median_ms, signed_in_client, statements
from cia.data import assessments
from cia.extensions import db
from cia.models import Assessment

SIZES = {"34 rows (template)": None, "30 rows": 6, "300 rows": 60}


def _stored_rows(app, assessment_id: int) -> str:
    """The PSED section's stored answers (a repeated save of the same form must not change them)."""
    import json

    with app.app_context():
        revision = db.session.get(Assessment, assessment_id).current_revision
        data = assessments.load_part(revision, "section:psed").data.to_dict()
        db.session.rollback()
    return json.dumps(data, sort_keys=True)


def _section_form(html: str) -> dict[str, str]:
    """The section page's own form fields, as a browser would post them back: a checkbox or a radio
    button only when it is checked (posting every key-risk box once marked every risk as key)."""
    data: dict[str, str] = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        name = re.search(r'\sname="([^"]+)"', tag)
        kind = re.search(r'\stype="([^"]+)"', tag)
        value = re.search(r'\svalue="([^"]*)"', tag)
        if name is None or (kind and kind.group(1) in ("submit", "button")):
            continue
        if kind and kind.group(1) in ("checkbox", "radio"):
            if re.search(r"\schecked(?=[\s=/>])", tag):
                data[name.group(1)] = value.group(1) if value else "on"
            continue
        data.setdefault(name.group(1), value.group(1) if value else "")
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = value
    data = {name: html_lib.unescape(value) for name, value in data.items()}  # as a browser sends them
    data.pop("csrf_token", None)
    data["submit"] = "later"
    return data


FORM = "application/x-www-form-urlencoded"


def _encoded(form: dict[str, str]) -> bytes:
    """The form as a browser's POST body, without its version (added for each save)."""
    return urlencode({name: value for name, value in form.items() if name != "version"}).encode()


def _version(client, section: str) -> bytes:
    """The page's version field as the end of a POST body, read from the page as it is now."""
    version = re.search(r'name="version"[^>]*value="(\d+)"', client.get(section).get_data(as_text=True))
    return b"&version=" + (version.group(1) if version else "0").encode()


def run() -> dict:
    bench = make_bench_app(SIZES)
    client = signed_in_client(bench)
    app = bench.app
    with app.app_context():
        engine = db.engine
    trivial = median_ms(lambda: client.get("/healthz"), 200)
    rows = []
    growth: dict[str, dict[str, float]] = {}
    for label, assessment_id in bench.assessments.items():
        base = f"/assessments/{assessment_id}"
        section = f"{base}/sections/psed"
        page = client.get(section).get_data(as_text=True)
        body = _encoded(_section_form(page))

        def save(body=body, section=section):
            response = client.post(section, data=body + _version(client, section), content_type=FORM)
            assert response.status_code in (200, 302), response.status_code

        def post_alone(body=body, section=section):
            """The save's POST only (the GET for the version is not timed): milliseconds."""
            posted = body + _version(client, section)
            start = time.perf_counter()
            response = client.post(section, data=posted, content_type=FORM)
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code in (200, 302), response.status_code
            return elapsed

        def checker(assessment_id=assessment_id):
            with app.app_context():
                assessments.check(db.session.get(Assessment, assessment_id).current_revision)
                db.session.rollback()

        measures = {
            "read-only view": lambda base=base: client.get(f"{base}/view"),
            "task list": lambda base=base: client.get(base),
            "section edit page (PSED)": lambda section=section: client.get(section),
            "save section (PSED, incl. reload)": save,
            "check page": lambda base=base: client.get(f"{base}/check"),
            "checker (in process)": checker,
        }
        rows_before = _stored_rows(app, assessment_id)
        for name, fn in measures.items():
            ms = median_ms(fn, 5 if "300" in label else 10)
            sql = statements(engine, fn) if "checker" not in name else ""
            growth.setdefault(name, {})[label] = ms
            rows.append({"assessment": label, "measure": name, "median ms": f"{ms:.1f}",
                         "x trivial": f"{ms / trivial:.0f}", "SQL statements": sql})
            if name.startswith("save section"):
                post_alone()
                ms = statistics.median(post_alone() for _ in range(5 if "300" in label else 10))
                name = "save section (PSED, the POST alone)"
                growth.setdefault(name, {})[label] = ms
                rows.append({"assessment": label, "measure": name, "median ms": f"{ms:.1f}",
                             "x trivial": f"{ms / trivial:.0f}", "SQL statements": ""})
        # A benchmark of a save that loses answers would measure the wrong thing (it once did).
        assert _stored_rows(app, assessment_id) == rows_before, f"{label}: saving changed the stored rows"
    notes = [f"Trivial endpoint (/healthz, one SELECT): {trivial:.2f} ms median. \"x trivial\" is each page's "
             "median divided by this, measured in the same run.", "",
             "Growth from 30 to 300 rows (ratio of medians; linear would be about 10):", ""]
    for name, by_size in growth.items():
        ratio = by_size["300 rows"] / by_size["30 rows"]
        notes.append(f"- {name}: x{ratio:.1f}")
    return {"title": "Pages in process (Flask test client, SQLite)", "rows": rows, "notes": "\n".join(notes) + "\n"}


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
