"""Bad input: generated data posted to every authoring form never gives a 500, never changes saved data
when refused, and always explains itself in the error summary. XSS payloads are inert everywhere."""

from __future__ import annotations

import html as htmllib
import io
import re

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cia.data import assessments as data
from cia.extensions import db
from cia.models import User
from tests.helpers import page_fields, sign_in
from tests.integration.bad_input_support import (
    HOSTILE,
    NASTY,
    ODD_NUMBERS,
    assert_never_broken,
    examples,
    hostile_post,
    pick,
)

PAGES = {
    "details": ["name", "sponsor", "lead", "date-day", "date-month", "date-year", "directorate", "summary",
                "decision_route", "decision_route_other", "decision_date-day", "decision_date-month",
                "decision_date-year", "project_size", "publication_status", "exempt_paragraph", "completed"],
    "team": ["members-0-id", "members-0-name", "members-0-job_title", "members-0-has_team_role",
             "members-0-date_first_involved-month", "members-0-date_first_involved-year",
             "members-0-account_email", "members-0-edit_access", "completed"],
    "engagement": ["activities-0-activity", "activities-0-groups", "activities-0-findings",
                   "activities-0-influence", "completed"],
    "sections/economy": ["rows-0-key", "rows-0-impact", "rows-0-groups", "rows-0-benefits-0-text",
                         "rows-0-risks-0-text", "rows-0-risks-0-key_risk", "rows-0-risks-0-mitigations-0-text",
                         "rows-0-risks-0-mitigations-0-target_date-month", "rows-4-key", "rows-4-custom",
                         "rows-4-title"],
    "sections/economy/evidence": ["items-0-title", "items-0-kind", "items-0-link", "items-0-description",
                                  "likelihood", "size", "direction", "narrative", "completed"],
    "staff": ["affects_staff", "profile-0-characteristic", "profile-0-pre_percent", "profile-0-post_percent",
              "job_losses", "support", "completed"],
    "community-impact": ["equalities_legal", "risk", "health", "completed"],
}


@pytest.fixture
def started(app, client, users):
    sign_in(client, "author@example.gov.uk")
    response = client.post("/assessments/new", data={"name": "Bad input"})
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _snapshot(app, assessment_id):
    with app.app_context():
        author = db.session.query(User).filter_by(email="author@example.gov.uk").one()
        stored = data.part_versions(data.access_for(author, assessment_id).revision)
        return {name: (p.version, p.data.to_dict()) for name, p in stored.items()}


@pytest.mark.parametrize("page", list(PAGES))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(NASTY, min_size=20, max_size=20), version=st.sampled_from(["", "1", "x", "999"]))
def test_generated_input_never_breaks_a_page_or_what_was_saved(app, client, started, page, values, version):
    path = f"/assessments/{started}/{page}"
    form = dict(zip(PAGES[page], values, strict=False))
    form["version"] = version
    form["submit"] = "later"
    before = _snapshot(app, started)
    response = client.post(path, data=form)
    assert response.status_code in (200, 302, 409), response.status_code
    body = response.get_data(as_text=True)
    if response.status_code in (200, 409):
        assert "govuk-error-summary" in body or "govuk-notification-banner" in body, "refused without a message"
        if response.status_code == 409 or "There is a problem" in body:
            assert _snapshot(app, started) == before, "a refused save changed saved data"


#: The lists on each page, for names at odd positions ("members-²-name").
LISTS = {"details": (), "team": ("members",), "engagement": ("activities",),
         "sections/economy": ("rows", "rows-0-risks", "rows-0-benefits", "rows-0-risks-0-mitigations"),
         "sections/economy/evidence": ("items",), "staff": ("profile",), "community-impact": ()}
#: "Add another" and "Remove" buttons no page shows.
ODD_ACTIONS = ["add:rows-²-risks", "remove:rows-" + "1" * 5000, "remove:members-٣", "add:nothing",
               "remove:rows-0-risks-99999", "add:rows-0-risks-0-mitigations-1" + "0" * 30, "remove:", "add:rows-0-nothing"]


@pytest.mark.parametrize("page", list(PAGES))
@examples(12)
@given(data=st.data())
def test_odd_positions_numbers_and_buttons_never_break_a_page(app, client, started, page, data):
    """The page's own form posted back with items at odd positions ("members-²-name", a position of 5,000
    digits), odd numbers in dates and the version, repeated and missing fields, and buttons no page shows."""
    path = f"/assessments/{started}/{page}"
    fields = page_fields(client.get(path).get_data(as_text=True))
    post = hostile_post(data, fields, lists=LISTS[page], values=st.one_of(st.sampled_from(ODD_NUMBERS), HOSTILE))
    body = post.body()
    if data.draw(st.booleans(), label="with a button"):
        body["action"] = pick(data, ODD_ACTIONS, "button")
    before = _snapshot(app, started)
    response = client.post(path, data=body)
    assert_never_broken(response, (200, 302, 409))
    html = response.get_data(as_text=True)
    if response.status_code != 302:
        assert "govuk-error-summary" in html or "govuk-notification-banner" in html, "refused without a message"
    if response.status_code == 409 or "There is a problem" in html:
        assert _snapshot(app, started) == before, "a refused save changed saved data"


def test_ids_too_big_for_the_database_are_not_found(app, client, users):
    """Every address with an id, given one of 20 digits (it overflows the database's integer): a 404."""
    sign_in(client, "admin@example.gov.uk")
    huge = "9" * 20
    paths = [re.sub(r"<(?:string:)?[a-z_]+>", "economy", re.sub(r"<int:[a-z_]+>", huge, rule.rule))
             for rule in app.url_map.iter_rules() if "GET" in rule.methods and "<int:" in rule.rule]
    assert len(paths) > 20
    for path in paths:
        assert client.get(path).status_code == 404, path


XSS = [
    "<script>alert('x1')</script>", '"><img src=x onerror=alert("x2")>', "<svg onload=alert('x3')>",
    "[click](javascript:alert('x4'))", "<a href=\"javascript:alert('x5')\">x5</a>",
    "<iframe src=\"https://evil.example\"></iframe>", "<body onload=alert('x6')>", "'';!--\"<XSS>=&{()}",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('x7')>", "=cmd|' /C calc'!A0",
    "+SUM(1,1)", "@SUM(1,1)", "-2+3",
]


def _no_live_script(page: str) -> None:
    lowered = page.lower()
    assert "<script>alert" not in lowered
    assert not re.search(r"<[a-z][^>]*\son\w+\s*=", lowered), "an event handler attribute survived"
    assert 'href="javascript:' not in lowered
    assert "<iframe" not in lowered and "<svg" not in lowered and "<xss>" not in lowered


def test_xss_payloads_are_escaped_on_every_page_and_inert_in_every_export(app, client, started):
    payload = "\n\n".join(XSS)
    page = client.get(f"/assessments/{started}/sections/economy").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    keys = re.findall(r'name="(rows-\d+-key)"[^>]*value="([^"]*)"', page)
    form = {"version": version, "submit": "later", **dict(keys),
            "rows-0-impact": "yes", "rows-0-groups": payload, "rows-0-benefits-0-text": payload,
            "rows-0-risks-0-text": payload, "rows-0-risks-0-mitigations-0-text": payload,
            "rows-0-risks-0-mitigations-0-owner": XSS[1],
            # Formula-looking text on its own: no HTML around it for the sanitiser to drop.
            "rows-0-maximise": "\n\n".join(x for x in XSS if x[0] in "=+-@")}
    assert client.post(f"/assessments/{started}/sections/economy", data=form).status_code == 302
    details = client.get(f"/assessments/{started}/details").get_data(as_text=True)
    dversion = re.search(r'name="version"[^>]*value="(\d+)"', details).group(1)
    assert client.post(f"/assessments/{started}/details", data={
        "version": dversion, "submit": "later", "name": XSS[1], "summary": payload, "lead": XSS[0],
        "directorate": XSS[2]}).status_code == 302

    for path in ("", "/view", "/check-answers", "/check", "/summary", "/details", "/sections/economy"):
        response = client.get(f"/assessments/{started}{path}")
        assert response.status_code == 200, path
        _no_live_script(response.get_data(as_text=True))
    # Markup is removed on the way in (cia/richtext.clean); ordinary text around it survives as text.
    shown = htmllib.unescape(client.get(f"/assessments/{started}/view").get_data(as_text=True))
    assert "=cmd|' /C calc'!A0" in shown and "+SUM(1,1)" in shown

    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/assessments/{started}/download/xlsx").data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} became a formula"
    for kind in ("summary-docx", "docx"):
        document = docx.Document(io.BytesIO(client.get(f"/assessments/{started}/download/{kind}").data))
        targets = [rel.target_ref for rel in document.part.rels.values() if rel.is_external]
        assert not [t for t in targets if not t.lower().startswith(("http://", "https://", "mailto:"))], targets
