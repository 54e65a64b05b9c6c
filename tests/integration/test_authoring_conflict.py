"""Two people editing the same page: merged row by row and question by question, never a lost update.

What only one of them changed is kept without asking; only the rows and questions both changed
differently are put to the second person, both versions side by side, with a choice for each.

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


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _choices(html: str) -> list[str]:
    """The rows and questions the conflict page asks about (the names of their choices)."""
    return list(dict.fromkeys(re.findall(r'name="(keep:[^"]*)"', html)))


def _unit_rows(html: str) -> list[tuple[str, str, str]]:
    """(answer, saved text, your text) of each row of the side-by-side tables."""
    rows = re.findall(r'<th scope="row"[^>]*>(.*?)</th>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>', html, re.S)
    return [tuple(unescape(cell).strip() for cell in row) for row in rows]


@pytest.fixture
def two_editors(app, author, assessment_id):
    """The owner and a team member with edit access, each signed in on their own client."""
    give_edit_access(author, assessment_id, "other@example.gov.uk")
    return author, signed_in(app, "other@example.gov.uk")


@pytest.fixture
def economy(assessment_id, two_editors):
    """Both people have the Economy section open at the same version."""
    first, second = two_editors
    url = section_url(assessment_id, "economy")
    page_first = page_fields(first.get(url).get_data(as_text=True))
    page_second = page_fields(second.get(url).get_data(as_text=True))
    assert page_first["version"] == page_second["version"]
    return url, page_first, page_second


def test_two_people_changing_different_rows_both_keep_their_changes(app, assessment_id, two_editors, economy):
    first, second = two_editors
    url, page_first, page_second = economy
    saved = post_page(first, url, {"rows-1-impact": "yes", "rows-1-groups": "Families on low incomes"},
                      fields=page_first, submit="later")
    assert saved.status_code == 302

    response = post_page(second, url, {"rows-3-impact": "yes", "rows-3-groups": "Job seekers"},
                         fields=page_second, submit="later")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    with app.app_context():
        stored = stored_part(assessment_id, "section:economy")
    assert stored["rows"][1]["groups"] == "Families on low incomes"
    assert stored["rows"][3]["groups"] == "Job seekers"
    notice = _text(second.get(response.headers["Location"]).get_data(as_text=True))
    assert ("Your changes were saved. Alex Author also changed this page; their changes to "
            "Poverty and Income were kept.") in notice


def test_both_changing_the_same_row_gets_the_conflict_page_naming_that_row_only(app, assessment_id, two_editors,
                                                                                 economy):
    first, second = two_editors
    url, page_first, page_second = economy
    post_page(first, url, {"rows-1-impact": "yes", "rows-1-groups": "Families on low incomes",
                           "rows-0-groups": "Town centre traders"}, fields=page_first, submit="later")

    mine = {"rows-1-impact": "yes", "rows-1-groups": "Older people living alone", "rows-3-groups": "Job seekers"}
    response = post_page(second, url, mine, fields=page_second, submit="later")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    text = _text(html)
    assert "Alex Author changed the same answer while you were editing" in text
    assert "You both changed 1 row or question" in text
    assert _choices(html) == ["keep:rows[poverty_and_income]"]
    assert ("Poverty and Income: Which groups will be affected", "Families on low incomes",
            "Older people living alone") in _unit_rows(html)
    assert "Their changes to Economic Growth will be kept with yours." in text
    # Nothing stored yet, and the form still holds everything typed, at the version loaded.
    with app.app_context():
        stored = stored_part(assessment_id, "section:economy")
    assert stored["rows"][1]["groups"] == "Families on low incomes" and stored["rows"][3]["groups"] == ""
    fields = page_fields(html)
    assert fields["rows-1-groups"] == "Older people living alone" and fields["rows-3-groups"] == "Job seekers"
    assert fields["version"] == page_second["version"]


@pytest.mark.parametrize("choice, expected", [("mine", "Older people living alone"),
                                              ("theirs", "Families on low incomes")])
def test_choosing_mine_or_theirs_for_the_row(app, assessment_id, two_editors, economy, choice, expected):
    first, second = two_editors
    url, page_first, page_second = economy
    post_page(first, url, {"rows-1-impact": "yes", "rows-1-groups": "Families on low incomes",
                           "rows-0-groups": "Town centre traders"}, fields=page_first, submit="later")
    html = post_page(second, url, {"rows-1-impact": "yes", "rows-1-groups": "Older people living alone",
                                   "rows-3-groups": "Job seekers"}, fields=page_second,
                     submit="later").get_data(as_text=True)

    response = post_page(second, url, {"keep:rows[poverty_and_income]": choice}, fields=page_fields(html),
                         submit="later")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    with app.app_context():
        stored = stored_part(assessment_id, "section:economy")
    assert stored["rows"][1]["groups"] == expected
    assert stored["rows"][0]["groups"] == "Town centre traders"  # their row nobody else touched
    assert stored["rows"][3]["groups"] == "Job seekers"  # my row nobody else touched


@pytest.mark.parametrize("bad", [{}, {"keep:rows[poverty_and_income]": "both"},
                                 {"keep:rows[poverty_and_income]": ""}, {"keep:rows[nowhere]": "mine"}])
def test_a_conflict_form_without_a_choice_says_so_and_loses_nothing(app, assessment_id, two_editors, economy, bad):
    first, second = two_editors
    url, page_first, page_second = economy
    post_page(first, url, {"rows-1-impact": "yes", "rows-1-groups": "Families on low incomes"},
              fields=page_first, submit="later")
    html = post_page(second, url, {"rows-1-impact": "yes", "rows-1-groups": "Older people living alone",
                                   "rows-3-groups": "Job seekers"}, fields=page_second,
                     submit="later").get_data(as_text=True)

    response = post_page(second, url, {"keep:rows[other]": "mine", **bad}, fields=page_fields(html), submit="later")
    again = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Choose whose version of Poverty and Income to keep" in _text(again)
    fields = page_fields(again)
    assert fields["rows-1-groups"] == "Older people living alone" and fields["rows-3-groups"] == "Job seekers"
    with app.app_context():
        assert stored_part(assessment_id, "section:economy")["rows"][1]["groups"] == "Families on low incomes"


def test_discarding_shows_the_saved_version(app, assessment_id, two_editors):
    first, second = two_editors
    url = section_url(assessment_id, "economy")
    page_second = page_fields(second.get(url).get_data(as_text=True))
    post_page(first, url, {"rows-0-groups": "Mine"}, submit="later")
    html = post_page(second, url, {"rows-0-groups": "Theirs"}, fields=page_second, submit="later") \
        .get_data(as_text=True)
    assert f'href="{url}"' in html  # "Discard my changes and keep the saved version"
    assert page_fields(second.get(url).get_data(as_text=True))["rows-0-groups"] == "Mine"


def test_the_details_page_merges_question_by_question(app, author, assessment_id):
    """The same person in two browser tabs: different questions merge; the same one is asked about."""
    tab_one, tab_two = author, signed_in(app, "author@example.gov.uk")
    url = f"/assessments/{assessment_id}/details"
    one, two = page_fields(tab_one.get(url).get_data(as_text=True)), page_fields(tab_two.get(url).get_data(as_text=True))
    assert post_page(tab_one, url, {"summary": "Summary from tab one"}, fields=one, submit="later").status_code == 302
    assert post_page(tab_two, url, {"sponsor": "Sam Sponsor"}, fields=two, submit="later").status_code == 302
    with app.app_context():
        stored = stored_part(assessment_id, "details")
    assert stored["summary"] == "Summary from tab one" and stored["sponsor"] == "Sam Sponsor"

    response = post_page(tab_two, url, {"summary": "Summary from tab two"}, fields=two, submit="later")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert _choices(html) == ["keep:summary"]
    assert ("Summary", "Summary from tab one", "Summary from tab two") in _unit_rows(html)
    assert post_page(tab_two, url, {"keep:summary": "mine"}, fields=page_fields(html), submit="later").status_code == 302
    with app.app_context():
        stored = stored_part(assessment_id, "details")
    assert stored["summary"] == "Summary from tab two" and stored["sponsor"] == "Sam Sponsor"


def test_conflict_with_an_error_in_the_form_shows_the_error_first(app, assessment_id, two_editors):
    """Validation comes before the version check: invalid input is never compared or saved."""
    first, second = two_editors
    url = f"/assessments/{assessment_id}/details"
    page_second = page_fields(second.get(url).get_data(as_text=True))
    post_page(first, url, {"summary": "Saved first"}, submit="later")
    response = post_page(second, url, {"name": ""}, fields=page_second, submit="continue")
    assert response.status_code == 200 and "Enter the name of the proposal" in response.get_data(as_text=True)
    with app.app_context():
        assert stored_part(assessment_id, "details")["summary"] == "Saved first"


def test_a_missing_or_forged_version_never_overwrites(app, author, assessment_id):
    url = section_url(assessment_id, "economy")
    post_page(author, url, {"rows-0-groups": "Saved"}, submit="later")
    for version in ("", "abc", "1", "999"):
        response = post_page(author, url, {"rows-0-groups": f"Forged {version}", "version": version},
                             submit="later")
        assert response.status_code == 409, version
        assert _choices(response.get_data(as_text=True)) == ["keep:rows[economic_growth]"], version
    with app.app_context():
        assert stored_part(assessment_id, "section:economy")["rows"][0]["groups"] == "Saved"


def test_a_choice_made_is_kept_while_another_is_still_missing(app, assessment_id, two_editors, economy):
    first, second = two_editors
    url, page_first, page_second = economy
    post_page(first, url, {"rows-0-groups": "Theirs on growth", "rows-1-groups": "Theirs on poverty"},
              fields=page_first, submit="later")
    html = post_page(second, url, {"rows-0-groups": "Mine on growth", "rows-1-groups": "Mine on poverty"},
                     fields=page_second, submit="later").get_data(as_text=True)
    assert _choices(html) == ["keep:rows[economic_growth]", "keep:rows[poverty_and_income]"]

    response = post_page(second, url, {"keep:rows[economic_growth]": "mine"}, fields=page_fields(html),
                         submit="later")
    again = response.get_data(as_text=True)
    assert response.status_code == 409
    text = _text(again)
    assert "Choose whose version of Poverty and Income to keep" in text
    assert "Choose whose version of Economic Growth to keep" not in text
    fields = page_fields(again)
    assert fields["keep:rows[economic_growth]"] == "mine"  # still chosen

    response = post_page(second, url, {"keep:rows[poverty_and_income]": "theirs"}, fields=fields, submit="later")
    assert response.status_code == 302
    with app.app_context():
        rows = stored_part(assessment_id, "section:economy")["rows"]
    assert (rows[0]["groups"], rows[1]["groups"]) == ("Mine on growth", "Theirs on poverty")


def test_a_part_keeps_only_its_recent_versions(app, author, assessment_id):
    """A page left open across many saves is merged without a base: every difference is asked about."""
    from sqlalchemy import select

    from cia.data.part_history import KEEP_VERSIONS
    from cia.extensions import db
    from cia.models import RevisionPart, RevisionPartVersion

    url = f"/assessments/{assessment_id}/details"
    stale = page_fields(author.get(url).get_data(as_text=True))
    for number in range(2 * KEEP_VERSIONS):
        assert post_page(author, url, {"sponsor": f"Sponsor {number}"}, submit="later").status_code == 302
    with app.app_context():
        kept = db.session.execute(select(RevisionPartVersion.version).join(RevisionPart).where(
            RevisionPart.part == "details")).scalars().all()
    assert KEEP_VERSIONS <= len(kept) <= 2 * KEEP_VERSIONS and int(stale["version"]) not in kept
    response = post_page(author, url, {"summary": "Typed on the old page"}, fields=stale, submit="later")
    assert response.status_code == 409
    assert _choices(response.get_data(as_text=True)) == ["keep:sponsor", "keep:summary"]



@pytest.mark.parametrize("version", ["", "x"])
def test_a_save_at_an_unknown_version_with_a_row_key_of_odd_digits_is_asked_never_an_error(
        app, assessment_id, author, version):
    """A row key Python counts as digits ("²") is no position: the page asks about every difference
    (the version it was loaded at is unknown) and names them; nothing is stored meanwhile."""
    url = section_url(assessment_id, "economy")
    with app.app_context():
        before = stored_part(assessment_id, "section:economy")
    response = author.post(url, data={"rows-0-key": "0", "rows-4-key": "²", "version": version, "submit": "later"})
    assert response.status_code in (200, 302, 409), response.status_code
    if response.status_code != 302:
        assert "govuk-error-summary" in response.get_data(as_text=True) or \
            "govuk-notification-banner" in response.get_data(as_text=True)
    with app.app_context():
        assert stored_part(assessment_id, "section:economy") == before


@pytest.mark.parametrize("odd_name", ["rows-1-risks-7²-text", "rows-1-benefits-٣-text", "rows-7²-groups"])
def test_a_stale_save_with_odd_positions_in_posted_names_is_merged_or_asked_never_an_error(
        app, assessment_id, two_editors, economy, odd_name):
    """A digit Python reads as one ("²", an Arabic-Indic three) is no list position: such a name is
    ignored as anywhere else, and the colleague's change is still kept."""
    first, second = two_editors
    url, page_first, page_second = economy
    post_page(first, url, {"rows-1-impact": "yes", "rows-1-groups": "Families on low incomes"},
              fields=page_first, submit="later")
    mine = {"rows-1-impact": "yes", "rows-1-groups": "Older people living alone", odd_name: "Fewer buses",
            "rows-3-impact": "yes", "rows-3-target_date-year": "20x6"}
    response = post_page(second, url, mine, fields=page_second, submit="later")
    assert response.status_code in (302, 409), response.get_data(as_text=True)[:300]
    with app.app_context():
        stored = stored_part(assessment_id, "section:economy")
    assert stored["rows"][1]["groups"] == "Families on low incomes"
