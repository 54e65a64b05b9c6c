"""Every office export opens in a real office suite (LibreOffice) and holds the assessment's words."""

from __future__ import annotations

import pytest

from cia.checks import run_checks
from cia.exports import DOCX, SUMMARY_DOCX, XLSX, ExportInput, render
from tests.factories import load_staffordshire, realistic_assessment
from tests.office import page_count, pdf_text, to_pdf


@pytest.mark.parametrize("kind, suffix", [(SUMMARY_DOCX, ".docx"), (DOCX, ".docx"), (XLSX, ".xlsx")])
def test_each_office_export_opens_and_shows_the_proposal(kind, suffix):
    template = load_staffordshire()
    data = realistic_assessment(template)
    pdf = to_pdf(render(ExportInput(data, template, run_checks(data, template)), kind), suffix)
    assert page_count(pdf) >= 1
    text = " ".join(pdf_text(pdf).split())
    assert " ".join(data.details.name.split())[:40] in text
