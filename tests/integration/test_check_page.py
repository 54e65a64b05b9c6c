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
from tests.helpers import findings_text, sign_in


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


def _links(page: str, severity: str) -> list[str]:
    return [htmllib.unescape(h) for h in re.findall(r'<a[^>]*href="(/assessments/[^"]+#[^"]+)"',
                                                       findings_text(page, severity))]


def test_every_finding_link_resolves_to_an_element_on_the_linked_page(client, broken):
    sign_in(client, "author@example.gov.uk")
    page = client.get(f"/assessments/{broken}/check").get_data(as_text=True)
    links = _links(page, "error") + _links(page, "warning") + _links(page, "advice")
    assert len(links) >= 10
    pages: dict[str, str] = {}
    for link in links:
        path, fragment = link.split("#", 1)
        if path not in pages:
            response = client.get(path)
            assert response.status_code == 200, path
            pages[path] = response.get_data(as_text=True)
        assert f'id="{fragment}"' in pages[path], f"{link}: no element with id {fragment} on {path}"


def test_errors_name_the_section_and_row(client, broken):
    sign_in(client, "author@example.gov.uk")
    page = htmllib.unescape(client.get(f"/assessments/{broken}/check").get_data(as_text=True))
    errors = findings_text(page, "error")
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


def test_findings_are_grouped_by_task_in_task_list_order_with_rule_codes_only_in_the_details(client, broken):
    sign_in(client, "author@example.gov.uk")
    page = htmllib.unescape(client.get(f"/assessments/{broken}/check").get_data(as_text=True))
    titles = re.findall(r'<h2 class="govuk-heading-m govuk-!-margin-top-8" id="task-\d+">([^<]+)</h2>', page)
    template = load_staffordshire()
    in_task_list = ["Proposal details", "Project team", "Engagement and consultation",
                    *[s.title for s in template.sections], "Staff impact", "Community Impact paragraphs"]
    assert titles and titles == sorted(titles, key=in_task_list.index)
    assert titles.index("Project team") < titles.index("Engagement and consultation") < titles.index(
        "Public Sector Equality Duty (PSED)")
    # Plain English first: rule codes appear only inside "About this check".
    outside = re.sub(r'<div class="govuk-details__text">.*?</div>', "", page, flags=re.S)
    assert not re.search(r"CIA-R\d\d", re.sub(r"<[^>]+>", " ", outside))  # in the text people read
    assert re.search(r'<div class="govuk-details__text">[^<]*\(CIA-R02\)', page)
    # Within a section, the findings follow the rows in the order the page asks them.
    psed = page[page.index(">Public Sector Equality Duty (PSED)</h2>"):]
    psed = psed[:psed.index('<section')] if '<section' in psed else psed
    rows = [a.title for a in template.section("psed").category_areas]
    # (each finding's link starts with the place it is about)
    named = [r for r in re.findall(r'<a class="govuk-link" href="[^"]+">Public Sector Equality Duty \(PSED\), '
                                   r'([^:,]+)', psed) if r in rows]
    assert named and named == sorted(named, key=rows.index)
    race = re.findall(r'href="[^"#]+#(rows-0-[^"]+)"', psed)
    assert race.index("rows-0-impact") < race.index("rows-0-benefits-0-text") < race.index("rows-0-risks-0-text")
    assert race.index("rows-0-risks-0-mitigations-0-text") < race.index("rows-0-risks-0-mitigations-2-text")
    assert race.index("rows-0-risks-2-text") < race.index("rows-0-maximise")
    assert "Submit for sign-off" not in page


def test_a_ready_assessment_can_be_submitted_from_the_check_page(app, client, users):
    with app.app_context():
        created = import_assessment(realistic_assessment(load_staffordshire()), db.session.get(User, users.author))
        db.session.commit()
        aid = created.id
    sign_in(client, "author@example.gov.uk")
    page = client.get(f"/assessments/{aid}/check").get_data(as_text=True)
    assert "Ready for sign-off" in page
    assert re.search(rf'<a href="/assessments/{aid}/submit" role="button"[^>]*class="govuk-button"', page)


def test_check_your_answers_ends_with_submit_when_ready_and_says_what_is_left_when_not(app, client, users, broken):
    with app.app_context():
        created = import_assessment(realistic_assessment(load_staffordshire()), db.session.get(User, users.author))
        db.session.commit()
        ready = created.id
    sign_in(client, "author@example.gov.uk")
    page = htmllib.unescape(client.get(f"/assessments/{ready}/check-answers").get_data(as_text=True))
    assert "Now send your assessment for sign-off" in page
    assert page.rindex(f'href="/assessments/{ready}/submit"') > page.index("Now send your assessment")
    not_ready = htmllib.unescape(client.get(f"/assessments/{broken}/check-answers").get_data(as_text=True))
    assert "Before you can submit it for sign-off" in not_ready and "Submit for sign-off" not in not_ready
    assert f'href="/assessments/{broken}/check"' in not_ready
