"""The section rows page is shown and read without a WTForms form (cia/web/section_view.py,
cia/web/plain_reading.py): the same rules, messages, ids and markup as the form gave.

The rules are still those declared on forms.SectionForm; the reading applies them to the posted
text. These tests check the reading against WTForms itself, and the page a browser gets back.
"""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from cia.web import forms, plain_reading
from tests.helpers import (
    assert_kept,
    assert_summary_links_work,
    page_fields,
    post_page,
    row_index,
    section_url,
)


def _wtforms_reading(formdata: MultiDict) -> tuple[dict, dict[str, list[str]]]:
    """What WTForms makes of the same post: form data, and every message by field id in field order."""
    form = forms.SectionForm(formdata=formdata, meta={"csrf": False})
    form.validate()
    found: dict[str, list[str]] = {}

    def visit(field) -> None:
        entries = getattr(field, "entries", None)
        if entries is not None:
            for entry in entries:
                visit(entry)
            return
        subform = getattr(field, "form", None)
        if subform is not None and hasattr(subform, "_fields"):
            for sub in subform._fields.values():
                visit(sub)
            return
        if field.errors:
            found[field.id] = list(field.errors)

    for top in form._fields.values():
        visit(top)
    return form.data, found


def _post(**fields: str) -> MultiDict:
    row = {"rows-0-key": "race", "rows-0-custom": "", "rows-0-impact": "yes", "rows-0-groups": "Older people",
           "rows-0-benefits-0-id": "b1", "rows-0-benefits-0-text": "Closer to home",
           "rows-0-risks-0-id": "r1", "rows-0-risks-0-text": "Longer walks",
           "rows-0-risks-0-mitigations-0-id": "m1", "rows-0-risks-0-mitigations-0-text": "A bus",
           "rows-0-risks-0-mitigations-0-owner": "Transport",
           "rows-0-risks-0-mitigations-0-target_date-day": "",
           "rows-0-risks-0-mitigations-0-target_date-month": "9",
           "rows-0-risks-0-mitigations-0-target_date-year": "2026",
           "rows-0-maximise": "", "rows-1-key": "sex", "rows-1-impact": "no", "version": "3"}
    row.update(fields)
    return MultiDict({k: v for k, v in row.items() if v is not None})


@pytest.mark.parametrize("changes", [
    {},
    {"rows-0-risks-0-mitigations-0-target_date-month": "13"},
    {"rows-0-risks-0-mitigations-0-target_date-year": "26"},
    {"rows-0-risks-0-mitigations-0-target_date-day": "31", "rows-0-risks-0-mitigations-0-target_date-month": "2"},
    {"rows-0-risks-0-mitigations-0-target_date-day": "²", "rows-0-risks-0-mitigations-0-target_date-month": ""},
    {"rows-0-groups": "x" * (forms.LONG_TEXT + 1), "rows-0-impact": "maybe",
     "rows-0-risks-0-mitigations-0-owner": "o" * 201},
    {"rows-0-key": "bad\nid", "rows-0-benefits-0-id": " padded", "rows-0-title": "t" * 301},
    {"rows-0-groups": "<script>alert(1)</script> <b>bold</b>\r\nnext line", "rows-1-impact": ""},
    {"rows-0-impact": None, "rows-0-maximise": None, "version": None},
    # positions with gaps, or not written in ASCII digits, as only a hand-made post would send them
    {"rows-7-key": "age", "rows-7-risks-4-text": "Gap", "rows-7-risks-4-mitigations-2-target_date-month": "x",
     "rows-²-groups": "y", "rows-99999999-groups": "z"},
])
def test_reading_a_post_gives_what_wtforms_gives(app, changes):
    posted = _post(**changes)
    with app.test_request_context(method="POST"):
        reading = plain_reading.read(forms.SectionForm, posted)
        data, errors = _wtforms_reading(posted)
    assert reading.values == {k: v for k, v in data.items() if k != "csrf_token"}
    assert list(reading.errors.items()) == list(errors.items())


def test_bad_input_is_shown_again_with_govuk_messages_naming_the_row(author, assessment_id):
    url = section_url(assessment_id, "psed")
    html = author.get(url).get_data(as_text=True)
    r = row_index(html, "race")
    mitigation = f"rows-{r}-risks-0-mitigations-0"
    page = post_page(author, url, action=f"add:rows-{r}-risks").get_data(as_text=True)
    typed = {f"rows-{r}-risks-0-text": "Longer walks to the hub", f"{mitigation}-text": "Community transport",
             f"{mitigation}-owner": "o" * 201, f"{mitigation}-target_date-month": "13",
             f"{mitigation}-target_date-year": "2026", f"rows-{r}-groups": "Older people"}
    response = post_page(author, url, typed, fields=page_fields(page))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<title>Error: " in html
    summary = assert_summary_links_work(html)
    assert (f"#{mitigation}-owner",
            "Mitigation 1 of risk 1 in Race: Owner (optional) must be 200 characters or fewer") in summary
    assert (f"#{mitigation}-target_date-month",
            "Mitigation 1 of risk 1 in Race: Target date must be a real date: month must be between 1 and 12") in summary
    assert (f'<p id="{mitigation}-owner-error" class="govuk-error-message"><span class="govuk-visually-hidden">'
            "Error:</span> Mitigation 1 of risk 1 in Race: Owner (optional) must be 200 characters or fewer</p>") in html
    assert f'aria-describedby="{mitigation}-owner-error"' in html
    assert f'aria-describedby="{mitigation}-target_date-error"' in html
    assert "govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error" in html
    assert_kept(html, typed)
