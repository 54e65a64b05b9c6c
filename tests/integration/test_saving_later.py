"""Saving never loses typed text: "Save and come back later" saves every valid answer and keeps the rest.

The page says exactly what was not saved (with links to the fields); coming back to the page, even
in another session, shows the input as typed with its message until it is corrected and saved.
"""

from __future__ import annotations

import re
from html import unescape

from tests.helpers import page_fields, post_page, signed_in, stored_part

MISTYPED = {"summary": "Closing two branch libraries", "sponsor": "Sam Sponsor",
            "decision_date-day": "31", "decision_date-month": "2", "decision_date-year": "2027"}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_an_invalid_date_with_save_later_keeps_every_other_answer_and_says_so(app, author, assessment_id):
    url = f"/assessments/{assessment_id}/details"
    post_page(author, url, {"decision_date-day": "27", "decision_date-month": "5", "decision_date-year": "2026"},
              submit="later")
    response = post_page(author, url, MISTYPED, submit="later")
    assert response.status_code == 302
    with app.app_context():
        stored = stored_part(assessment_id, "details")
    assert stored["summary"] == "Closing two branch libraries" and stored["sponsor"] == "Sam Sponsor"
    assert stored["decision_date"] == "2026-05-27"  # the mistyped date did not replace the saved one

    landing = author.get(response.headers["Location"]).get_data(as_text=True)
    text = _text(landing)
    assert "Your answers have been saved, except 1 that needs correcting:" in text
    assert "Expected decision date must be a real date" in text
    assert f'href="{url}#decision_date-day"' in landing

    for client in (author, signed_in(app, "author@example.gov.uk")):  # later, and in a new sign-in
        page = client.get(url).get_data(as_text=True)
        fields = page_fields(page)
        assert (fields["decision_date-day"], fields["decision_date-month"], fields["decision_date-year"]) == \
            ("31", "2", "2027")
        assert fields["summary"] == "Closing two branch libraries"
        assert "Expected decision date must be a real date" in _text(page)
        assert "were not saved because they need correcting" in _text(page)

    corrected = post_page(author, url, {"decision_date-day": "28"}, fields=page_fields(author.get(url).get_data(as_text=True)),
                          submit="later")
    assert corrected.status_code == 302
    with app.app_context():
        assert stored_part(assessment_id, "details")["decision_date"] == "2027-02-28"
    assert "must be a real date" not in _text(author.get(url).get_data(as_text=True))


def test_save_and_continue_with_an_invalid_date_saves_nothing_and_keeps_the_input(app, author, assessment_id):
    url = f"/assessments/{assessment_id}/details"
    response = post_page(author, url, MISTYPED, submit="continue")
    assert response.status_code == 200
    assert "Expected decision date must be a real date" in _text(response.get_data(as_text=True))
    with app.app_context():
        assert stored_part(assessment_id, "details")["summary"] == ""
    fields = page_fields(author.get(url).get_data(as_text=True))  # left and came back
    assert fields["summary"] == "Closing two branch libraries" and fields["decision_date-day"] == "31"


def test_a_required_answer_left_empty_keeps_the_saved_one(app, author, assessment_id):
    url = f"/assessments/{assessment_id}/details"
    response = post_page(author, url, {"name": "", "sponsor": "Sam Sponsor"}, submit="later")
    assert response.status_code == 302
    with app.app_context():
        stored = stored_part(assessment_id, "details")
    assert stored["name"] == "Closing the Tamworth library" and stored["sponsor"] == "Sam Sponsor"
    assert "Enter the name of the proposal" in _text(author.get(response.headers["Location"]).get_data(as_text=True))
    assert page_fields(author.get(url).get_data(as_text=True))["name"] == ""


def test_input_kept_for_one_person_is_never_shown_to_another(app, author, assessment_id):
    from tests.helpers import give_edit_access

    give_edit_access(author, assessment_id, "other@example.gov.uk")
    url = f"/assessments/{assessment_id}/details"
    assert post_page(author, url, MISTYPED, submit="later").status_code == 302
    colleague = signed_in(app, "other@example.gov.uk")
    page = colleague.get(url).get_data(as_text=True)
    fields = page_fields(page)
    assert fields["decision_date-day"] == "" and fields["summary"] == "Closing two branch libraries"
    assert "must be a real date" not in _text(page)
