"""Two people editing the same page: a conflict page with both versions, never a lost update.

Runs on whichever database the suite runs on: SQLite by default, PostgreSQL when
CIA_TEST_DATABASE_URL is set (`make test` runs the suite on both).
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.helpers import (
    give_edit_access,
    page_fields,
    post_page,
    section_url,
    signed_in,
    stored_part,
)


def _conflict_rows(html: str) -> list[tuple[str, str, str]]:
    """(answer, saved text, your text) of each row of the conflict table."""
    table = re.search(r'<table class="govuk-table app-conflict-table">.*?</table>', html, re.S)
    assert table, "no conflict table on the page"
    rows = re.findall(r'<th scope="row"[^>]*>(.*?)</th>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>',
                      table.group(0), re.S)
    return [tuple(unescape(cell).strip() for cell in row) for row in rows]


@pytest.fixture
def two_editors(app, author, assessment_id):
    """The owner and a team member with edit access, each signed in on their own client."""
    give_edit_access(author, assessment_id, "other@example.gov.uk")
    return author, signed_in(app, "other@example.gov.uk")


def test_second_save_of_the_same_version_gets_the_conflict_page(app, assessment_id, two_editors):
    first, second = two_editors
    url = section_url(assessment_id, "economy")
    page_first = page_fields(first.get(url).get_data(as_text=True))
    page_second = page_fields(second.get(url).get_data(as_text=True))
    assert page_first["version"] == page_second["version"]

    saved = post_page(first, url, {"rows-1-impact": "yes", "rows-1-groups": "Families on low incomes"},
                      fields=page_first, submit="later")
    assert saved.status_code == 302

    theirs = {"rows-1-impact": "yes", "rows-1-groups": "Older people living alone",
              "rows-3-groups": "Job seekers"}
    response = post_page(second, url, theirs, fields=page_second, submit="later")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this page while you were editing it" in html
    assert "Alex Author saved it on" in html
    rows = _conflict_rows(html)
    assert ("Poverty and Income: Which groups will be affected", "Families on low incomes",
            "Older people living alone") in rows
    assert any(saved_text == "(blank)" and mine == "Job seekers" for _, saved_text, mine in rows)
    assert "Save my version" in html and "Discard my changes" in html
    # Nothing overwritten: what is stored is the first saver's.
    with app.app_context():
        stored = stored_part(assessment_id, "section:economy")
    assert stored["rows"][1]["groups"] == "Families on low incomes" and stored["rows"][3]["groups"] == ""
    # The form still holds what the second person typed, with the version now stored.
    fields = page_fields(html)
    assert fields["rows-1-groups"] == "Older people living alone" and fields["rows-3-groups"] == "Job seekers"
    assert fields["version"] == str(stored["version"])

    # "Save my version": their text is saved.
    response = post_page(second, url, {}, fields=fields, submit="continue")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    with app.app_context():
        stored_after = stored_part(assessment_id, "section:economy")
    assert stored_after["rows"][1]["groups"] == "Older people living alone"
    assert stored_after["version"] == stored["version"] + 1

    # The first person's page is now out of date in turn: a conflict again, not a silent overwrite.
    response = post_page(first, url, {"rows-1-groups": "Families on low incomes, again"},
                         fields={**page_first, "rows-1-impact": "yes"}, submit="later")
    assert response.status_code == 409
    with app.app_context():
        assert stored_part(assessment_id, "section:economy")["rows"][1]["groups"] == "Older people living alone"


def test_discarding_shows_the_saved_version(app, assessment_id, two_editors):
    first, second = two_editors
    url = section_url(assessment_id, "economy")
    page_second = page_fields(second.get(url).get_data(as_text=True))
    post_page(first, url, {"rows-0-groups": "Mine"}, submit="later")
    html = post_page(second, url, {"rows-0-groups": "Theirs"}, fields=page_second, submit="later") \
        .get_data(as_text=True)
    assert f'href="{url}"' in html  # "Discard my changes and keep the saved version"
    assert page_fields(second.get(url).get_data(as_text=True))["rows-0-groups"] == "Mine"


def test_conflict_on_the_details_page(app, author, assessment_id):
    """The same person in two browser tabs gets the conflict page too."""
    tab_one, tab_two = author, signed_in(app, "author@example.gov.uk")
    url = f"/assessments/{assessment_id}/details"
    one, two = page_fields(tab_one.get(url).get_data(as_text=True)), page_fields(tab_two.get(url).get_data(as_text=True))
    assert post_page(tab_one, url, {"summary": "Summary from tab one"}, fields=one, submit="later").status_code == 302
    response = post_page(tab_two, url, {"summary": "Summary from tab two"}, fields=two, submit="later")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert ("Summary", "Summary from tab one", "Summary from tab two") in _conflict_rows(html)
    with app.app_context():
        assert stored_part(assessment_id, "details")["summary"] == "Summary from tab one"
    assert post_page(tab_two, url, {}, fields=page_fields(html), submit="later").status_code == 302
    with app.app_context():
        assert stored_part(assessment_id, "details")["summary"] == "Summary from tab two"


def test_conflict_with_an_error_in_the_form_shows_the_error_first(app, assessment_id, two_editors):
    """Validation comes before the version check: invalid input is never compared or saved."""
    first, second = two_editors
    url = f"/assessments/{assessment_id}/details"
    page_second = page_fields(second.get(url).get_data(as_text=True))
    post_page(first, url, {"summary": "Saved first"}, submit="later")
    response = post_page(second, url, {"name": ""}, fields=page_second, submit="later")
    assert response.status_code == 200 and "Enter the name of the proposal" in response.get_data(as_text=True)


def test_a_missing_or_forged_version_never_overwrites(app, author, assessment_id):
    url = section_url(assessment_id, "economy")
    post_page(author, url, {"rows-0-groups": "Saved"}, submit="later")
    for version in ("", "abc", "1", "999"):
        response = post_page(author, url, {"rows-0-groups": f"Forged {version}", "version": version},
                             submit="later")
        assert response.status_code == 409, version
    with app.app_context():
        assert stored_part(assessment_id, "section:economy")["rows"][0]["groups"] == "Saved"
