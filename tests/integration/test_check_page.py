"""Check your assessment: every finding links to the exact field; warnings are acknowledged with a reason."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from cia.data import assessments as data
from cia.data.imports import import_assessment
from cia.domain import EvidenceItem, Risk, TeamMember
from cia.extensions import db
from cia.models import User
from tests.factories import load_staffordshire, realistic_assessment
from tests.helpers import sign_in


def _broken_assessment():
    """A realistic CIA with one of most kinds of problem, so most rules fire somewhere."""
    a = realistic_assessment(load_staffordshire())
    a.details.lead = ""
    a.details.sponsor = ""
    psed = a.section("psed")
    psed.rows[0].impact = ""  # R01: not answered
    psed.rows[1].risks.append(Risk(text="Loss of the hearing loop in the library"))  # R02
    psed.rows[2].groups = ""  # R03
    psed.rows[2].impact = "yes"
    a.section("economy").evidence.likelihood = ""  # R04
    a.section("environment").evidence.items.append(
        EvidenceItem(title="Staff briefing", link="http://intranet.staffordshire.local/briefing"))  # R10
    a.team.members = [TeamMember(name="Sam Officer", job_title="Commissioning Officer")]  # R06, R07
    a.engagement.activities = []  # R08
    a.section("health_and_care").rows[0].groups += "\n\nContact Mrs Jones at 12 Station Road, ST16 2LP."  # R09
    return a


@pytest.fixture
def broken(app, users):
    with app.app_context():
        created = import_assessment(_broken_assessment(), db.session.get(User, users.author))
        db.session.commit()
        return created.id


def _links(page: str, heading_id: str, next_heading_id: str | None) -> list[str]:
    start = page.index(f'id="{heading_id}"')
    end = page.index(f'id="{next_heading_id}"') if next_heading_id else len(page)
    return [htmllib.unescape(h) for h in re.findall(r'<a[^>]*href="(/assessments/[^"]+#[^"]+)"', page[start:end])]


def test_every_finding_link_resolves_to_an_element_on_the_linked_page(client, broken):
    sign_in(client, "author@example.gov.uk")
    page = client.get(f"/assessments/{broken}/check").get_data(as_text=True)
    links = _links(page, "errors", "warnings") + _links(page, "warnings", "advice") + _links(page, "advice", None)
    assert len(links) >= 10
    pages: dict[str, str] = {}
    for link in links:
        path, fragment = link.split("#", 1)
        if path not in pages:
            response = client.get(path)
            assert response.status_code == 200, path
            pages[path] = response.get_data(as_text=True)
        assert f'id="{fragment}"' in pages[path], f"{link}: no element with id {fragment} on {path}"


def test_errors_come_first_and_name_the_section_and_row(client, broken):
    sign_in(client, "author@example.gov.uk")
    page = htmllib.unescape(client.get(f"/assessments/{broken}/check").get_data(as_text=True))
    errors = page[page.index('id="errors"'):page.index('id="warnings"')]
    assert "Public Sector Equality Duty (PSED), Race" in errors
    assert "has no mitigation" in errors
    assert "cannot be submitted for sign-off" in page


def test_acknowledging_a_warning_needs_a_reason_and_keeps_what_was_typed(app, client, broken):
    sign_in(client, "author@example.gov.uk")
    page = htmllib.unescape(client.get(f"/assessments/{broken}/check").get_data(as_text=True))
    key = re.search(r'name="finding_key" value="([^"]+)"', page).group(1)
    empty = client.post(f"/assessments/{broken}/check/acknowledge", data={"finding_key": key, "reason": "  "})
    assert "Enter why this warning does not need to be fixed" in empty.get_data(as_text=True)

    long = "x" * 2001
    too_long = client.post(f"/assessments/{broken}/check/acknowledge", data={"finding_key": key, "reason": long})
    body = too_long.get_data(as_text=True)
    assert "Reason must be 2,000 characters or fewer" in body and long in body

    done = client.post(f"/assessments/{broken}/check/acknowledge",
                       data={"finding_key": key, "reason": "The team is only one officer for this small change."})
    assert done.status_code == 302
    after = htmllib.unescape(client.get(f"/assessments/{broken}/check").get_data(as_text=True))
    assert "Acknowledged" in after and "only one officer for this small change" in after and "Alex Author" in after
    with app.app_context():
        author = db.session.query(User).filter_by(email="author@example.gov.uk").one()
        revision = data.access_for(author, broken).revision
        acks = {a.finding_key: a for a in data.load_part(revision, "acknowledgements").data.items}
        assert acks[key].by == "Alex Author" and acks[key].at and acks[key].rule_id == key.split("@")[0]


def test_can_submit_only_with_no_errors_and_every_warning_acknowledged(app, users):
    with app.app_context():
        clean = realistic_assessment(load_staffordshire())
        created = import_assessment(clean, db.session.get(User, users.author))
        db.session.commit()
        _, report = data.check(created.current_revision)
        assert report.can_submit
        broken = import_assessment(_broken_assessment(), db.session.get(User, users.author))
        _, report = data.check(broken.current_revision)
        assert report.errors and not report.can_submit


def test_a_stale_acknowledgement_is_refused_politely(client, broken):
    sign_in(client, "author@example.gov.uk")
    response = client.post(f"/assessments/{broken}/check/acknowledge",
                           data={"finding_key": "CIA-R06@team:::nothing", "reason": "because"})
    assert response.status_code == 302
    assert "no longer applies" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_task_list_shows_errors_and_warnings_per_section(client, broken):
    sign_in(client, "author@example.gov.uk")
    page = client.get(f"/assessments/{broken}").get_data(as_text=True)
    psed = page[page.index('id="task-section-psed-status"'):]
    psed = psed[:psed.index("</div>")]
    assert re.search(r"\d+ errors?", psed)


def test_only_the_team_can_acknowledge(client, broken):
    sign_in(client, "other@example.gov.uk")
    assert client.get(f"/assessments/{broken}/check").status_code == 404
    assert client.post(f"/assessments/{broken}/check/acknowledge",
                       data={"finding_key": "x", "reason": "y"}).status_code == 404
