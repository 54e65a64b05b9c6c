"""Key risks: the authors mark the risks a decision maker must know about, on the section page.

The mark is stored on the risk (`Risk.key_risk`), read back through the section page (a GOV.UK
checkbox, read by the rules of `RiskForm`), kept in the JSON format, shown in the read-only view and
the full exports, named on the comparison of revisions, and chooses the risks of the Checklist and
Executive Summary (tests/unit/test_summary.py).
"""

from __future__ import annotations

import io
import re

import docx
import openpyxl
import pytest
from werkzeug.datastructures import MultiDict

from cia import jsonformat
from cia import workflow as wf
from cia.data import assessments as data
from cia.extensions import db
from cia.models import Assessment, User
from cia.web import forms, plain_reading
from tests.helpers import assert_kept, page_fields, post_page, press, row_index, section_url, signed_in
from tests.workflow_helpers import current, in_state, make_cast

LABEL = "Key risk: include it in the executive summary"


def _stored_risks(app, assessment_id: int, section: str = "psed"):
    with app.app_context():
        revision = db.session.get(Assessment, assessment_id).current_revision
        rows = data.load_part(revision, f"section:{section}").data.rows
        return {row.key: row.risks for row in rows}


def _page_with_a_risk(author, assessment_id: int) -> tuple[str, str, int]:
    """The PSED page with a risk added to the Race row: (its html, the page's address, the row's position)."""
    url = section_url(assessment_id, "psed")
    html = author.get(url).get_data(as_text=True)
    r = row_index(html, "race")
    return press(author, url, f"add:rows-{r}-risks", html).get_data(as_text=True), url, r


def _typed(r: int) -> dict[str, str]:
    return {f"rows-{r}-impact": "yes", f"rows-{r}-groups": "Older people",
            f"rows-{r}-risks-0-text": "Longer walks to the hub",
            f"rows-{r}-risks-0-mitigations-0-text": "Community transport"}


def test_the_section_page_offers_a_key_risk_box_beside_each_risk(author, assessment_id):
    html, _url, r = _page_with_a_risk(author, assessment_id)
    box = f"rows-{r}-risks-0-key_risk"
    assert re.search(rf'<input class="govuk-checkboxes__input" id="{box}" name="{box}" type="checkbox" value="yes">',
                     html)
    assert f'<label class="govuk-label govuk-checkboxes__label" for="{box}">{LABEL}' in html
    assert forms.KEY_RISK_LABEL == LABEL
    assert box not in page_fields(html), "a new risk starts unmarked"


def test_marking_a_risk_key_round_trips_through_the_section_page(app, author, assessment_id):
    html, url, r = _page_with_a_risk(author, assessment_id)
    box = f"rows-{r}-risks-0-key_risk"
    fields = page_fields(html)
    response = post_page(author, url, {**_typed(r), box: "yes"}, submit="later", fields=fields)
    assert response.status_code == 302
    [risk] = _stored_risks(app, assessment_id)["race"]
    assert (risk.text, risk.key_risk) == ("Longer walks to the hub", True)

    shown = author.get(url).get_data(as_text=True)
    assert page_fields(shown)[box] == "yes"
    assert re.search(rf'id="{box}" name="{box}" type="checkbox" value="yes" checked>', shown)
    # Unticked: a browser sends nothing for the box
    assert post_page(author, url, submit="later", drop=(box,)).status_code == 302
    [risk] = _stored_risks(app, assessment_id)["race"]
    assert (risk.text, risk.key_risk) == ("Longer walks to the hub", False)


@pytest.mark.parametrize("value, ticked", [
    ("yes", True), ("y", True), ("on", True), ("banana", True), ("<script>alert(1)</script>", True),
    ("\x00", True), ("x" * 30_000, True), ("false", False), ("", False)])
def test_any_value_of_the_box_is_read_as_wtforms_reads_it_and_nothing_typed_is_lost(app, author, assessment_id,
                                                                                   value, ticked):
    """The box is ticked or not: a browser sends it only when ticked, so no value is refused. Whatever
    is sent, the page never fails and the answers typed beside it are saved as typed."""
    html, url, r = _page_with_a_risk(author, assessment_id)
    typed = _typed(r)
    response = post_page(author, url, {**typed, f"rows-{r}-risks-0-key_risk": value}, submit="later",
                         fields=page_fields(html))
    assert response.status_code == 302, response.status_code
    [risk] = _stored_risks(app, assessment_id)["race"]
    assert risk.key_risk is ticked
    assert (risk.text, risk.mitigations[0].text) == ("Longer walks to the hub", "Community transport")


def test_a_refused_page_shows_the_box_again_as_it_was_ticked(app, author, assessment_id):
    html, url, r = _page_with_a_risk(author, assessment_id)
    box = f"rows-{r}-risks-0-key_risk"
    typed = {**_typed(r), box: "yes", f"rows-{r}-risks-0-mitigations-0-owner": "o" * 201}
    response = post_page(author, url, typed, submit="continue", fields=page_fields(html))
    assert response.status_code == 200
    shown = response.get_data(as_text=True)
    assert "There is a problem" in shown
    assert_kept(shown, typed)
    assert _stored_risks(app, assessment_id)["race"] == []


@pytest.mark.parametrize("posted", [
    {}, {"rows-0-risks-0-key_risk": "yes"}, {"rows-0-risks-0-key_risk": "banana"},
    {"rows-0-risks-0-key_risk": "false"}, {"rows-0-risks-0-key_risk": ""},
    {"rows-0-risks-0-key_risk": ["", "yes"]}, {"rows-0-risks-0-key_risk": ["yes", "false"]},
    {"rows-0-risks-1-key_risk": "yes"}, {"rows-0-risks-7-key_risk": "yes", "rows-0-risks-7-text": "gap"},
])
def test_the_plain_reading_of_the_box_is_what_wtforms_makes_of_it(app, posted):
    formdata = MultiDict({"rows-0-key": "race", "rows-0-impact": "yes", "rows-0-risks-0-id": "r1",
                          "rows-0-risks-0-text": "Longer walks", "version": "1"})
    for name, value in posted.items():
        for one in value if isinstance(value, list) else [value]:
            formdata.add(name, one)
    with app.test_request_context(method="POST"):
        reading = plain_reading.read(forms.SectionForm, formdata)
        form = forms.SectionForm(formdata=formdata, meta={"csrf": False})
        form.validate()
    assert reading.values == {k: v for k, v in form.data.items() if k != "csrf_token"}
    assert not reading.errors


# --- the JSON format, the read-only view and the full exports ------------------------------------


@pytest.fixture
def marked(app, users):
    """A realistic assessment, imported, with the first risk of Race marked key."""
    from cia.data.imports import import_assessment
    from tests.factories import load_staffordshire, realistic_assessment

    with app.app_context():
        assessment = realistic_assessment(load_staffordshire())
        risk = next(r for r in assessment.section("psed").rows if r.key == "race").risks[0]
        risk.key_risk = True
        created = import_assessment(assessment, db.session.get(User, users.author))
        db.session.commit()
        return created.id, risk.text


def test_the_mark_is_exported_and_imported_in_json(app, client, marked):
    from tests.helpers import sign_in

    aid, text = marked
    sign_in(client, "author@example.gov.uk")
    document = client.get(f"/assessments/{aid}/download/json").get_json()
    risks = [risk for section in document["assessment"]["sections"] for row in section["rows"]
             for risk in row["risks"]]
    assert [r["text"] for r in risks if r["key_risk"]] == [text]
    assert all(list(r)[:4] == ["id", "text", "key_risk", "mitigations"] for r in risks)
    loaded = jsonformat.load(document)
    assert [r.text for s in loaded.sections for row in s.rows for r in row.risks if r.key_risk] == [text]
    # a document written before the mark existed still imports: its risks are not key
    for r in risks:
        del r["key_risk"]
    older = jsonformat.load(document)
    assert not any(r.key_risk for s in older.sections for row in s.rows for r in row.risks)
    assert len([r for s in older.sections for row in s.rows for r in row.risks]) == len(risks)


def test_the_mark_is_shown_in_the_read_only_view_and_the_full_exports(app, client, marked):
    from tests.helpers import sign_in

    aid, text = marked
    sign_in(client, "author@example.gov.uk")
    view = client.get(f"/assessments/{aid}/view").get_data(as_text=True)
    assert view.count('<strong class="govuk-tag govuk-tag--purple">Key risk</strong>') == 1
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/assessments/{aid}/download/xlsx").data))
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert [c for c in cells if "(key risk)" in c] == [c for c in cells if c.startswith("Risk 1 (key risk): ")]
    assert len([c for c in cells if "(key risk)" in c]) == 1
    document = docx.Document(io.BytesIO(client.get(f"/assessments/{aid}/download/docx").data))
    paragraphs = [p.text for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs]
    assert any(p.startswith("Risk 1 (key risk): ") and text.split("\n")[0][:40] in p for p in paragraphs)


def test_comparing_revisions_names_a_risk_marked_key(app):
    with app.app_context():
        cast = make_cast()
        aid = in_state(cast, wf.APPROVED)
        owner_email = cast.owner.email
    owner = signed_in(app, owner_email)
    assert owner.post(f"/assessments/{aid}/reopen", data={"revision": "1"}).status_code == 302
    with app.app_context():
        revision = current(aid)
        loaded = data.load_part(revision, "section:economy")
        row = next(r for r in loaded.data.rows if r.risks)
        row.risks[0].key_risk = True
        user = db.session.execute(db.select(User).where(User.email == owner_email)).scalar_one()
        assert data.save_part(revision, "section:economy", loaded.data, loaded.version, user).ok
        db.session.commit()
    page = owner.get(f"/assessments/{aid}/compare?from=1&to=2").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert re.search(r"Risk 1: Key risk .{0,200}?No .{0,200}?Yes", text), text[text.find("Key risk") - 300:][:800]
