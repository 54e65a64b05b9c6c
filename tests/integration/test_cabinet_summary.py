"""The Checklist and Executive Summary goes into the Cabinet papers: for a completed CIA the size of
the council's template (34 rows, 40 risks, 40 evidence items) it is at most three A4 pages as
LibreOffice lays it out, and holds the key facts, every check with its state, each section's key
risks and the sign-off record. The on-screen summary gives the same."""

from __future__ import annotations

import re
from html import unescape

import pytest

from cia.checks import run_checks
from cia.exports import SUMMARY_DOCX, ExportInput, render
from cia.exports.summary import build_summary
from cia.extensions import db
from cia.models import User
from tests.factories import cabinet_sized_assessment, load_staffordshire
from tests.helpers import page_fields, post_page, row_index, section_url, sign_in
from tests.office import page_count, pdf_text, to_pdf

MAX_PAGES = 3


def _words(text: str) -> str:
    return " ".join(text.split())


def _marked(approved: bool):
    """The completed CIA; approved, with one risk of each section marked key by the authors."""
    template = load_staffordshire()
    a = cabinet_sized_assessment(template, approved=approved)
    if approved:
        for section in a.sections:
            row = next(r for r in reversed(section.rows) if r.risks)
            row.risks[-1].key_risk = True
    return template, a


@pytest.mark.parametrize("approved", [False, True], ids=["draft, no risk marked", "approved, key risks marked"])
def test_the_summary_of_a_completed_cia_fits_on_three_pages(approved):
    template, a = _marked(approved)
    rows = [r for s in a.sections for r in s.rows]
    assert len(rows) == 34 and all(r.impact in ("yes", "no") for r in rows)
    assert sum(len(r.risks) for r in rows) == 40 and sum(len(s.evidence.items) for s in a.sections) == 40
    inp = ExportInput(a, template, run_checks(a, template))
    pdf = to_pdf(render(inp, SUMMARY_DOCX), ".docx")
    assert page_count(pdf) <= MAX_PAGES
    text = _words(pdf_text(pdf))
    summary = build_summary(inp)

    for fact in summary.facts:
        assert _words(f"{fact.label} {fact.value}") in text, fact
    for check in summary.checklist:
        assert _words(f"{check.title} {check.state} {check.reason}") in text, check
    for section in summary.sections:
        assert section.title in text
        assert section.marked_by_authors is approved
        for risk in section.key_risks:
            assert _words(f"{risk.row_title} {risk.gist}") in text, risk.gist
            assert _words(risk.mitigation_gist) in text
        if section.more_risks:
            assert f"and {section.more_risks} more risks in the full CIA." in text
    for signoff in a.signoffs:
        assert signoff.name in text and _words(signoff.comment) in text
    for line in summary.signoffs:
        assert line.decision.split()[0] in text and line.date in text
    for paragraph in summary.community_impact:
        assert paragraph.heading in text and _words(paragraph.text) in text
    assert ("DRAFT" in text) is not approved


# --- the on-screen summary --------------------------------------------------------------------------


@pytest.fixture
def completed(app, users):
    from cia.data.imports import import_assessment

    with app.app_context():
        created = import_assessment(cabinet_sized_assessment(load_staffordshire()), db.session.get(User, users.author))
        db.session.commit()
        return created.id


def _text(response) -> str:
    return _words(re.sub(r"<[^>]+>", " ", unescape(response.get_data(as_text=True))))


def test_the_summary_page_gives_what_the_word_summary_gives(app, client, completed):
    sign_in(client, "author@example.gov.uk")
    page = client.get(f"/assessments/{completed}/summary")
    assert page.status_code == 200
    text = _text(page)
    template = load_staffordshire()
    a = cabinet_sized_assessment(template)
    summary = build_summary(ExportInput(a, template, run_checks(a, template)))
    for fact in summary.facts[1:]:
        if fact.label not in ("Reference", "Status"):  # an import gets its own reference, as a new draft
            assert f"{fact.label} {fact.value}" in text
    for check in summary.checklist:
        assert _words(f"{check.title} {check.state} {check.reason}") in text
    for section in summary.sections:
        assert "Main risks and their mitigations Area Main risk Mitigation" in text
        for risk in section.key_risks:
            assert _words(f"{risk.row_title} {risk.gist}") in text
        assert f"and {section.more_risks} more risks in the full CIA." in text
        assert f"Mark the key risks of {section.title}" in text
    assert "CIA-R" not in text


def test_a_risk_marked_key_on_the_section_page_leads_the_summary(app, client, completed):
    sign_in(client, "author@example.gov.uk")
    url = section_url(completed, "economy")
    html = client.get(url).get_data(as_text=True)
    r = row_index(html, "economic_growth")
    fields = page_fields(html)
    risk_text = fields[f"rows-{r}-risks-0-text"]
    assert post_page(client, url, {f"rows-{r}-risks-0-key_risk": "yes"}, submit="later",
                     fields=fields).status_code == 302
    text = _text(client.get(f"/assessments/{completed}/summary"))
    economy = text[text.index("Economy Overall direction"):text.index("Environment Overall direction")]
    assert "Key risks and their mitigations Area Key risk Mitigation" in economy
    assert f"Economic Growth {_words(risk_text.split(chr(10))[0])}" in economy
    assert "Mark the key risks of Economy" not in economy
    assert "None is marked as a key risk" not in economy
