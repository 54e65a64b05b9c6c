"""Confidential rows: the authors mark a row's answers as not for the public version, on the section page.

The mark is stored on the row (`RowAnswer.confidential`), read back through the section page (a
GOV.UK checkbox read by the rules of `RowForm`), kept in the JSON format and shown as a tag in the
read-only view; the public version of each export withholds the row (tests/integration/test_pdf_exports.py).
"""

from __future__ import annotations

import re

import pytest

from cia import jsonformat
from cia.data import assessments as data
from cia.extensions import db
from cia.models import Assessment
from cia.web import forms
from tests.helpers import assert_kept, page_fields, post_page, row_index, section_url

LABEL = "Mark as confidential: not for the public version"


def _stored_rows(app, assessment_id: int, section: str = "psed"):
    with app.app_context():
        revision = db.session.get(Assessment, assessment_id).current_revision
        return {row.key: row for row in data.load_part(revision, f"section:{section}").data.rows}


def _typed(r: int) -> dict[str, str]:
    return {f"rows-{r}-impact": "yes", f"rows-{r}-groups": "Tenants of the Tamworth office"}


def _page(author, assessment_id: int) -> tuple[str, str, int]:
    url = section_url(assessment_id, "psed")
    html = author.get(url).get_data(as_text=True)
    return html, url, row_index(html, "race")


def test_each_row_has_a_confidential_box_unticked_at_first(author, assessment_id):
    html, _url, r = _page(author, assessment_id)
    box = f"rows-{r}-confidential"
    assert re.search(rf'<input class="govuk-checkboxes__input" id="{box}" name="{box}" type="checkbox" value="yes">',
                     html)
    assert f'<label class="govuk-label govuk-checkboxes__label" for="{box}">{LABEL}' in html
    assert forms.CONFIDENTIAL_LABEL == LABEL
    assert box not in page_fields(html)


def test_the_author_marks_and_unmarks_a_row_confidential(app, client, author, assessment_id):
    html, url, r = _page(author, assessment_id)
    box = f"rows-{r}-confidential"
    assert post_page(author, url, {**_typed(r), box: "yes"}, submit="later", fields=page_fields(html)).status_code == 302
    row = _stored_rows(app, assessment_id)["race"]
    assert (row.groups, row.confidential) == ("Tenants of the Tamworth office", True)
    shown = author.get(url).get_data(as_text=True)
    assert re.search(rf'id="{box}" name="{box}" type="checkbox" value="yes" checked>', shown)
    view = author.get(f"/assessments/{assessment_id}/view").get_data(as_text=True)
    assert view.count('<strong class="govuk-tag govuk-tag--grey">Confidential</strong>') == 1
    document = author.get(f"/assessments/{assessment_id}/download/json").get_json()
    assert [row["key"] for s in document["assessment"]["sections"] for row in s["rows"] if row["confidential"]] == [
        "race"]
    assert jsonformat.load(document).section("psed").row("race").confidential is True
    public = author.get(f"/assessments/{assessment_id}/download/json?version=public").get_json()
    [race] = [row for s in public["assessment"]["sections"] for row in s["rows"] if row["key"] == "race"]
    assert race["groups"] == "Withheld: confidential" and "Tamworth office" not in str(public)
    # Unticked: a browser sends nothing for the box
    assert post_page(author, url, submit="later", drop=(box,)).status_code == 302
    row = _stored_rows(app, assessment_id)["race"]
    assert (row.groups, row.confidential) == ("Tenants of the Tamworth office", False)


@pytest.mark.parametrize("value, ticked", [
    ("yes", True), ("banana", True), ("<script>alert(1)</script>", True), ("x" * 30_000, True),
    ("false", False), ("", False)])
def test_any_value_of_the_box_is_read_and_nothing_typed_is_lost(app, author, assessment_id, value, ticked):
    html, url, r = _page(author, assessment_id)
    response = post_page(author, url, {**_typed(r), f"rows-{r}-confidential": value}, submit="later",
                         fields=page_fields(html))
    assert response.status_code == 302
    row = _stored_rows(app, assessment_id)["race"]
    assert (row.groups, row.confidential) == ("Tenants of the Tamworth office", ticked)


def test_a_refused_page_shows_the_box_as_it_was_ticked_and_keeps_what_was_typed(app, author, assessment_id):
    html, url, r = _page(author, assessment_id)
    box = f"rows-{r}-confidential"
    typed = {**_typed(r), box: "yes", f"rows-{r}-groups": "g" * 20_001}
    response = post_page(author, url, typed, submit="continue", fields=page_fields(html))
    assert response.status_code == 200
    shown = response.get_data(as_text=True)
    assert "There is a problem" in shown
    assert re.search(rf'id="{box}" name="{box}" type="checkbox" value="yes" checked>', shown)
    assert_kept(shown, {k: v for k, v in typed.items() if k != box})
    assert _stored_rows(app, assessment_id)["race"].confidential is False
