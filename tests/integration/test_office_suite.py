"""Every office export opens in a real office suite (LibreOffice) and holds the assessment's words; the
full CIA in Word never splits a row across pages and repeats its header rows, and the workbook prints
its long links whole, at 10 point or more, with warnings called warnings."""

from __future__ import annotations

import io
import re
import subprocess  # nosec B404: runs poppler's pdftotext on a PDF the test made
import tempfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from cia import richtext
from cia.checks import run_checks
from cia.domain import section_rows
from cia.exports import DOCX, SUMMARY_DOCX, XLSX, ExportInput, render
from tests.factories import cabinet_sized_assessment, load_staffordshire, realistic_assessment
from tests.office import page_count, pdf_text, to_pdf


@pytest.mark.parametrize("kind, suffix", [(SUMMARY_DOCX, ".docx"), (DOCX, ".docx"), (XLSX, ".xlsx")])
def test_each_office_export_opens_and_shows_the_proposal(kind, suffix):
    template = load_staffordshire()
    data = realistic_assessment(template)
    pdf = to_pdf(render(ExportInput(data, template, run_checks(data, template)), kind), suffix)
    assert page_count(pdf) >= 1
    text = " ".join(pdf_text(pdf).split())
    assert " ".join(data.details.name.split())[:40] in text


# --- the full CIA in Word and the workbook, as LibreOffice lays them out ----------------------------

LONG_LINK = ("https://www.staffordshire.gov.uk/Your-council-and-democracy/Equality-and-diversity/"
             "Community-impact-assessments/Background-papers/2024/Community-support-hubs-redesign-of-"
             "face-to-face-services-evidence-base-rural-transport-and-digital-access-data.aspx")


def squeezed(text: str) -> str:
    """Text without white space or hyphens: a PDF's text breaks lines (and long addresses) where it lays
    them out, and pdftotext drops a hyphen that ends a line ("Newcastle-under-" "Lyme")."""
    return "".join(text.split()).replace("-", "")


def pdf_pages(pdf: bytes) -> list[str]:
    """Each page's text, as poppler's pdftotext reads it (a table cell's lines stay together)."""
    with tempfile.TemporaryDirectory(prefix="cia-pdftotext-") as work:
        path = Path(work) / "document.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True,  # nosec
                             timeout=120).stdout
    return out.split("\f")[:-1]


def answer_fragments(a) -> list[str]:
    """The words of every answer in the section tables and Evidence Bases: each piece of text and link."""
    texts = []
    for section in a.sections:
        for row in section.rows:
            texts += [row.groups, *(b.text for b in row.benefits), row.maximise]
            for risk in row.risks:
                texts += [risk.text, *(m.text for m in risk.mitigations)]
        texts += [section.evidence.narrative, *(i.title for i in section.evidence.items),
                  *(i.link for i in section.evidence.items)]
    out = []
    for text in texts:
        for block in richtext.parse(text or ""):
            rows = block.rows if isinstance(block, richtext.Table) else [
                [block.inlines] if isinstance(block, richtext.Paragraph) else block.items]
            for inlines in (cell for row in rows for cell in row):
                for x in inlines:
                    if isinstance(x, richtext.Link):
                        out += [s for s in (x.text, x.url) if s]
                    elif isinstance(x, richtext.Text) and x.text.strip():
                        out.append(x.text)
    return out


def placed_lines(pdf: bytes) -> list[list[tuple[float, float, str]]]:
    """Each page's pieces of text with where they start (x, y in points): to read one column or one row
    of a sheet, which pdftotext reads interleaved with its neighbours."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        lines: list[tuple[float, float, str]] = []

        def visit(chars, cm, tm, _font, _size, lines=lines):
            if chars.strip():
                lines.append((round(tm[4] * cm[0] + cm[4], 1), round(tm[5] * cm[3] + cm[5], 1), chars))

        page.extract_text(visitor_text=visit)
        pages.append(lines)
    return pages


def column_text(pdf: bytes, marker: str) -> str:
    """For each line that holds `marker`, the lines of its page that begin where it begins, top down: the
    text of a wrapped cell and of the cells above and below it. Blank lines between."""
    found = []
    for lines in placed_lines(pdf):
        for left in {x for x, _y, chars in lines if marker in chars}:
            found.append(" ".join(c for x, _y, c in sorted(lines, key=lambda line: -line[1]) if abs(x - left) < 2))
    return "\n\n".join(found)


def row_text(pdf: bytes, first_cell: str) -> str:
    """The text on the line of each row whose first line reads `first_cell`, left to right."""
    found = []
    for lines in placed_lines(pdf):
        for top in {y for _x, y, chars in lines if chars.strip() == first_cell}:
            found.append(" ".join(c for _x, y, c in sorted(lines) if abs(y - top) < 1))
    return "\n".join(found)


@pytest.fixture(scope="module")
def cabinet_cia():
    """A fully completed 34-row CIA, with a check that finds only warnings (the people the template
    names joined after the CIA was dated) and an evidence link longer than any column."""
    template = load_staffordshire()
    a = cabinet_sized_assessment(template)
    a.details.date = "2024-01-10"
    for m in a.team.members:
        m.has_team_role, m.date_first_involved = "yes", "2024-05-01"
    a.sections[0].evidence.items[0].link = LONG_LINK
    return ExportInput(a, template, run_checks(a, template), organisation="Staffordshire County Council")


@pytest.fixture(scope="module")
def full_word(cabinet_cia):
    data = render(cabinet_cia, DOCX)
    return data, pdf_pages(to_pdf(data, ".docx"))


def test_full_word_cia_never_splits_a_row_and_repeats_header_rows(cabinet_cia, full_word):
    data, pages = full_word
    document = docx.Document(io.BytesIO(data))
    # every row of every table with column headings is kept whole (question / answer tables are not:
    # their answers run on like paragraphs)
    tables = [t._tbl for t in document.tables if t._tbl.tr_lst[0].trPr is not None
              and t._tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None]
    assert len(tables) >= 10
    rows = [tr for tbl in tables for tr in tbl.iter(qn("w:tr")) if tr.getparent() is tbl]
    assert all(tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows)
    # as LibreOffice lays it out: no category label starts on one page and ends on the next
    whole = " ".join(" ".join(p.split()) for p in pages)
    labels = {title for spec in cabinet_cia.template.sections for title, _q, _row in
              section_rows(spec, cabinet_cia.assessment.section(spec.key)) if " " in title}
    assert "Healthy Lifestyles" in labels
    for label in labels:
        on_pages = sum(" ".join(p.split()).count(label) for p in pages)
        assert on_pages == whole.count(label) and on_pages, f"{label!r} breaks across pages"
    # the section tables' header row is printed on every page their rows run onto
    header = "Mitigations / Recommendations"
    risk_pages = [p for p in pages if re.search(r"Risk \d+:", p)]
    assert len(risk_pages) > len(cabinet_cia.template.sections)
    assert all(header in p for p in risk_pages)


def test_full_word_cia_has_every_answer_in_a_readable_font(cabinet_cia, full_word):
    data, pages = full_word
    text = squeezed(" ".join(pages))
    missing = [f for f in answer_fragments(cabinet_cia.assessment) if squeezed(f) not in text]
    assert not missing, missing[:5]
    d = docx.Document(io.BytesIO(data))
    assert d.styles["Normal"].font.name is None  # from the document defaults:
    defaults = d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:ascii")) == "Arial"
    assert defaults.find(qn("w:sz")).get(qn("w:val")) == "22"  # 11 point
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    assert d.core_properties.title and d.core_properties.language == "en-GB"
    headings = [p.style.name for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert headings.count("Heading 1") >= 10 and "Heading 2" in headings


def test_workbook_in_libreoffice_has_the_long_link_whole_readable_text_and_warnings(cabinet_cia):
    pdf = to_pdf(render(cabinet_cia, XLSX), ".xlsx")
    # the long link wraps in its cell, whole: the lines that start where its lines start read as the address
    assert squeezed(LONG_LINK) in squeezed(column_text(pdf, "democracy/Equality-and-"))
    # the check that found only warnings is listed as a warning, never as an error
    line = row_text(pdf, "CIA-R07")
    assert "Warning" in line and "Error" not in line, line
    # no printed text smaller than 10 point once the sheets are fitted to the page's width
    sizes: list[float] = []

    def visit(chars, cm, tm, _font, size):
        if chars.strip():
            sizes.append(abs(size * (tm[3] or tm[0]) * (cm[3] or cm[0])))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    assert sizes and min(sizes) >= 9.95, min(sizes)
    # no blank page: every printed page carries the page header (the DRAFT mark of an unapproved CIA)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    blank = [n for n, text in enumerate(pages, 1) if "DRAFT" not in text]
    assert not blank, f"pages {blank} of {len(pages)} have no page header"
