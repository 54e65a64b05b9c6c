"""Property tests: any text a user can type exports to every format, and never as a formula."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import docx
import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cia import richtext
from cia.checks import run_checks
from cia.domain import (
    Benefit,
    EngagementActivity,
    EvidenceItem,
    Mitigation,
    Risk,
    SignOff,
    TeamMember,
    WorkforceLine,
    blank_assessment,
)
from cia.exports import ExportInput, filename
from cia.exports.full_docx import full_docx
from cia.exports.summary_docx import summary_docx
from cia.exports.textsafe import CELL_TEXT_LIMIT, FORMULA_PREFIXES, clean, split_for_cell, utf16_length
from cia.exports.workbook import workbook_xlsx
from tests.factories import load_staffordshire

TEMPLATE = load_staffordshire()
# Any Unicode text Python can encode (lone surrogates excluded), control characters included.
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
FORMULA_TEXT = st.builds(lambda p, t: p + t, st.sampled_from(["=", "+", "-", "@", "\t", "=1+1", "=cmd|"]), ANY_TEXT)
FIELD_TEXT = st.one_of(ANY_TEXT, FORMULA_TEXT)


def small_assessment(texts: list[str], status: str = "draft"):
    """A small assessment with the given texts in names, answers, evidence, team and sign-off."""
    a = blank_assessment(TEMPLATE, texts[0])
    a.status = status
    a.details.summary = texts[1]
    a.details.lead = texts[2]
    for n, section in enumerate(a.sections):
        row = section.rows[0]
        row.impact = "yes"
        row.groups = texts[n % len(texts)]
        row.benefits = [Benefit(text=texts[1])]
        row.risks = [Risk(text=texts[2], mitigations=[Mitigation(text=texts[3], owner=texts[4])])]
        row.maximise = texts[5]
        section.rows[1].impact = "no"
        section.evidence.items = [EvidenceItem(title=texts[3], kind="data", link=texts[4], description=texts[5])]
        section.evidence.narrative = texts[0]
        section.evidence.likelihood, section.evidence.size = "likely", "high"
    a.team.members = [TeamMember(name=texts[0], job_title=texts[1], expertise=texts[2])]
    a.engagement.activities = [EngagementActivity(activity=texts[3], findings=texts[4], influence=texts[5])]
    a.staff.affects_staff = "yes"
    a.staff.profile = [WorkforceLine(characteristic="Age", group=texts[1], pre_percent=texts[2], post_percent="10")]
    a.signoffs = [SignOff(name=texts[4], level="manager", decision="approved", comment=texts[5], at="2024-06-01")]
    return a


def export_input(a) -> ExportInput:
    return ExportInput(a, TEMPLATE, run_checks(a, TEMPLATE), [], "Council", datetime(2024, 7, 1, tzinfo=UTC),
                       "Author")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FIELD_TEXT, min_size=6, max_size=6), st.sampled_from(["draft", "approved"]))
def test_any_text_exports_to_every_format_without_formulas(texts, status):
    inp = export_input(small_assessment(texts, status))

    wb = openpyxl.load_workbook(io.BytesIO(workbook_xlsx(inp)))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    for cell in cells:
        assert cell.data_type != "f", cell.value
        if isinstance(cell.value, str):
            assert utf16_length(cell.value) <= 32_767
            if cell.value.startswith(FORMULA_PREFIXES):
                assert cell.data_type == "s" and cell.quotePrefix, cell.value
    joined = "\n".join(str(c.value) for c in cells)
    for t in texts:
        as_plain = richtext.to_plain(clean(t))
        if as_plain.strip():
            assert as_plain.strip() in joined

    for data in (summary_docx(inp), full_docx(inp)):
        d = docx.Document(io.BytesIO(data))
        assert d.core_properties.language == "en-GB"
        header = d.sections[0].header.paragraphs[0].text
        assert ("DRAFT" in header) == (status != "approved")

    name = filename(inp, "xlsx")
    assert name.isascii() and "/" not in name and " " not in name


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))), st.integers(min_value=2, max_value=40))
def test_split_for_cell_is_lossless_and_bounded(text, limit):
    pieces = split_for_cell(text, limit)
    assert "".join(pieces) == text
    assert all(utf16_length(p) <= limit for p in pieces)
    assert all(pieces) or pieces == [""]


def test_split_for_cell_default_limit_on_astral_text():
    text = "\U0001F600" * 40_000
    pieces = split_for_cell(text)
    assert "".join(pieces) == text and all(utf16_length(p) <= CELL_TEXT_LIMIT for p in pieces)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_clean_output_is_xml_safe(text):
    out = clean(text)
    assert all(ch in "\n\t" or ord(ch) >= 0x20 for ch in out)
    assert not any(0xD800 <= ord(ch) <= 0xDFFF or ch in "\ufffe\uffff" for ch in out)
    assert clean(out) == out
