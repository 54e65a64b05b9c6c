"""The exports: Checklist and Executive Summary (Word), full workbook (Excel), full CIA (Word).

Each output is opened again with openpyxl / python-docx and searched for what must be in
it: every row's text, every risk beside its mitigations, N/A rows, evidence items, the
sign-off record, DRAFT marking, formula-safe strings, long text continued not cut.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from cia import richtext
from cia.checks import run_checks
from cia.domain import (
    Benefit,
    CommunityImpact,
    EvidenceItem,
    Mitigation,
    Risk,
    SignOff,
    TeamMember,
    section_rows,
)
from cia.exports import (
    CONTENT_TYPES,
    DOCX_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    ExportInput,
    RevisionSummary,
    filename,
    render,
)
from cia.exports.full_docx import full_docx
from cia.exports.summary import build_summary, draft_community_impact, format_date
from cia.exports.summary_docx import summary_docx
from cia.exports.textsafe import CELL_TEXT_LIMIT, clean, split_for_cell, utf16_length
from cia.exports.workbook import PRINT_WIDTH, sheet_title, workbook_xlsx
from tests.factories import load_staffordshire, realistic_assessment

GENERATED = datetime(2024, 7, 1, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def template():
    return load_staffordshire()


def make_input(assessment, template, **kw) -> ExportInput:
    history = [RevisionSummary(1, "approved", "Approved", "2024-05-01T09:00:00Z", "Alex Morgan", "2024-05-20"),
               RevisionSummary(assessment.revision, assessment.status, "Draft", "2024-06-01T09:00:00Z",
                               "Alex Morgan", "")]
    return ExportInput(assessment=assessment, template=template, report=run_checks(assessment, template),
                       history=kw.pop("history", history), organisation="Staffordshire County Council",
                       generated_at=GENERATED, author_name="Alex Morgan", **kw)


@pytest.fixture(scope="module")
def draft(template):
    return make_input(realistic_assessment(template), template)


@pytest.fixture(scope="module")
def approved(template):
    a = realistic_assessment(template)
    a.status = "approved"
    a.signoffs = [
        SignOff(name="Sam Patel", email="sam@example.org", level="manager", decision="approved",
                comment="Approved subject to the transport review.", at="2024-06-28T10:00:00Z"),
        SignOff(name="Dr Ruth Green", level="sponsor", decision="approved", comment="", at="2024-06-30"),
    ]
    return make_input(a, template)


@pytest.fixture(scope="module")
def outputs(draft):
    return {"summary": summary_docx(draft), "xlsx": workbook_xlsx(draft), "full": full_docx(draft)}


# --- reading the outputs back ------------------------------------------------------


def load_xlsx(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def all_cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield ws, cell


def xlsx_text(wb) -> str:
    return "\n".join(str(c.value) for _, c in all_cells(wb))


def p_text(p_el) -> str:
    return "".join(t.text or "" for t in p_el.iter(qn("w:t")))


def docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    return "\n".join(p_text(p) for p in d.element.body.iter(qn("w:p")))


def cell_text(tc) -> str:
    return "\n".join(p_text(p) for p in tc.iter(qn("w:p")))


def docx_rows(data: bytes) -> list[list[str]]:
    """Every row of every top-level table, as cell texts (nested tables flattened in)."""
    d = docx.Document(io.BytesIO(data))
    return [[cell_text(tc) for tc in tr.findall(qn("w:tc"))] for t in d.tables for tr in t._tbl.tr_lst]


def fragments(markup: str) -> list[str]:
    """The pieces of text a renderer must carry: each inline text and link of the markup."""
    out = []
    for block in richtext.parse(clean(markup)):
        if isinstance(block, richtext.Table):
            inline_lists = [c for row in block.rows for c in row]
        elif isinstance(block, richtext.Paragraph):
            inline_lists = [block.inlines]
        else:
            inline_lists = block.items
        for inlines in inline_lists:
            for x in inlines:
                if isinstance(x, richtext.Text) and x.text.strip():
                    out.append(x.text.strip())
                elif isinstance(x, richtext.Link):
                    out.extend(s for s in (x.text, x.url) if s)
    return out


def assert_markup_in(markup: str, text: str) -> None:
    for frag in fragments(markup):
        assert frag in text, f"missing from the document: {frag!r}"


def logical_rows(ws, max_col: int = 6) -> list[list[str]]:
    """Rows of a sheet with their "(continued)" rows joined back on, cell by cell."""
    out: list[list[str]] = []
    for r in ws.iter_rows(min_row=1, max_col=max_col, values_only=True):
        values = ["" if v is None else str(v) for v in r]
        if out and values[0].endswith(" (continued)") and values[0][: -len(" (continued)")] == out[-1][0]:
            out[-1] = [a + b for a, b in zip(out[-1], ["", *values[1:]], strict=True)]
        else:
            out.append(values)
    return out


def answered_rows(inp):
    for spec in inp.template.sections:
        for title, question, row in section_rows(spec, inp.assessment.section(spec.key)):
            yield spec, title, question, row


# --- the workbook --------------------------------------------------------------------


def test_workbook_has_every_row_risk_mitigation_and_na(draft, outputs):
    wb = load_xlsx(outputs["xlsx"])
    assert wb.sheetnames[0] == "Cover"
    text = xlsx_text(wb)
    n_na = 0
    for spec, title, question, row in answered_rows(draft):
        ws = wb[sheet_title(spec.title, set())]
        block = [r for r in logical_rows(ws) if r[0] == title]
        assert block, f"{spec.title}: no row for {title}"
        assert block[0][1] == (question or "")
        if row.impact == "no":
            n_na += 1
            assert block[0][2] == "No impact identified"
            continue
        assert block[0][2] == richtext.to_plain(row.groups)
        for b in row.benefits:
            assert richtext.to_plain(b.text) in text
        for risk in row.risks:
            line = next(r for r in block if r[4].endswith(": " + richtext.to_plain(risk.text)))
            assert re.match(r"Risk \d+: ", line[4])
            number = line[4].split(":")[0].split()[1]
            for j, m in enumerate(risk.mitigations, 1):
                assert f"{number}.{j} {richtext.to_plain(m.text)}" in line[5]
        if row.maximise:
            assert any(richtext.to_plain(row.maximise) in r[5] for r in block)
    assert n_na > 0


def test_workbook_risks_are_numbered_one_row_each(draft, outputs):
    ws = load_xlsx(outputs["xlsx"])["PSED"]
    risk_cells = [c.value for c in ws["E"] if isinstance(c.value, str) and c.value.startswith("Risk ")]
    psed = draft.assessment.section("psed")
    assert len(risk_cells) == sum(len(r.risks) for r in psed.rows)
    assert [int(v.split(":")[0].split()[1]) for v in risk_cells] == list(range(1, len(risk_cells) + 1))


def test_workbook_evidence_base_team_engagement_staff(draft, outputs):
    wb = load_xlsx(outputs["xlsx"])
    a = draft.assessment
    for spec in draft.template.sections:
        ws = wb[sheet_title(spec.title, set())]
        text = "\n".join(str(c.value) for r in ws.iter_rows() for c in r if c.value is not None)
        assert spec.evidence_base_label in text
        ev = a.section(spec.key).evidence
        assert richtext.to_plain(ev.narrative) in text
        assert draft.template.scale_label("likelihood", ev.likelihood) in text
        for item in ev.items:
            assert item.title in text and item.link in text and richtext.to_plain(item.description) in text
            link_cell = next(c for r in ws.iter_rows() for c in r if c.value == item.link)
            label = ws.cell(row=link_cell.row, column=1)  # "Evidence 1" opens the address written in full
            assert label.value.startswith("Evidence ") and label.hyperlink.target == item.link
    team = xlsx_text_of(wb["Project team"])
    for m in a.team.members:
        assert m.name in team and m.job_title in team
    assert "alex.morgan@staffordshire.gov.uk" not in xlsx_text(wb)  # account e-mails are not published
    engagement = xlsx_text_of(wb["Engagement"])
    for e in a.engagement.activities:
        assert richtext.to_plain(e.findings) in engagement and richtext.to_plain(e.influence) in engagement
    staff = wb["Staff impact"]
    grid = [[c.value for c in r] for r in staff.iter_rows(values_only=False)]
    for line in a.staff.profile:
        assert [line.characteristic, line.group, line.pre_percent, line.post_percent] in [g[:4] for g in grid]


def xlsx_text_of(ws) -> str:
    return "\n".join(str(c.value) for r in ws.iter_rows() for c in r if c.value is not None)


def test_workbook_checklist_findings_and_history(draft, outputs):
    wb = load_xlsx(outputs["xlsx"])
    ids = [r[0] for r in wb["Checklist"].iter_rows(min_row=4, values_only=True) if r[0]]
    assert ids == [f"CIA-R{n:02d}" for n in range(1, 17)]
    findings = xlsx_text_of(wb["Checker findings"])
    for f in draft.report.findings:
        assert f.message in findings
    history = [r for r in wb["Revision history"].iter_rows(min_row=4, values_only=True)]
    assert [h[0] for h in history] == [1, 2]
    assert history[0][4] == "20 May 2024"


def test_workbook_print_setup_and_draft_marking(outputs):
    wb = load_xlsx(outputs["xlsx"])
    assert wb.properties.title.startswith("Community Impact Assessment: Community Support Hubs")
    assert wb.properties.creator == "Alex Morgan"
    for ws in wb.worksheets:
        assert len(ws.title) <= 31 and not re.search(r"[\[\]:*?/\\]", ws.title)
        assert "DRAFT" in ws["A1"].value
        assert "DRAFT" in ws.oddHeader.center.text and "DRAFT" in ws.oddFooter.center.text
        assert ws.page_setup.orientation == "landscape"
        assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0  # 1 is the file's default
        # readable on paper: fitting the columns to the page's width keeps 11-point text at 10 point or more
        widths = [d.width for d in ws.column_dimensions.values() if d.width]
        assert sum(widths) <= PRINT_WIDTH + len(widths)  # the file stores each width with its padding
        assert min(c.font.sz for row in ws.iter_rows() for c in row if c.value is not None) >= 11
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows and ws.freeze_panes
        header_row = int(ws.print_title_rows.split(":")[0].lstrip("$"))
        assert ws.freeze_panes == f"A{header_row + 1}"
        header = ws.cell(row=header_row, column=1)
        assert header.font.b and header.fill.fgColor.rgb.endswith("DDE3EA")
        assert ws.column_dimensions["A"].width >= 10
    psed = wb["PSED"]
    assert [c.value for c in psed[5]][2:] == ["Which groups will be affected", "Benefits", "Risks",
                                             "Mitigations / Recommendations"]
    assert psed["E6"].alignment.wrap_text


def test_workbook_approved_has_signoff_and_no_draft(approved):
    wb = load_xlsx(workbook_xlsx(approved))
    cover = [[c for c in r] for r in wb["Cover"].iter_rows(values_only=True)]
    assert ["Sam Patel", "Approved subject to the transport review.", "Manager", "Approved", "28 June 2024"] \
        in [list(r) for r in cover]
    assert any(r[0] == "Dr Ruth Green" and r[3] == "Approved" for r in cover)
    for ws in wb.worksheets:
        assert "DRAFT" not in (ws.oddHeader.center.text or "") and "DRAFT" not in str(ws["A1"].value)
        assert "Approved" in ws["A1"].value


# --- formula injection, control characters, long text ----------------------------------

DANGEROUS = ["=1+1", "+cmd|' /C calc'!A0", "@SUM(A1:A2)", "-2", "=HYPERLINK(\"http://x\",\"y\")"]


def hostile_input(template, texts: list[str]) -> ExportInput:
    a = realistic_assessment(template)
    row = a.section("psed").rows[0]
    row.impact = "yes"
    row.groups = texts[0]
    row.benefits = [Benefit(text=t) for t in texts]
    row.risks = [Risk(text=t, mitigations=[Mitigation(text=t, owner=t)]) for t in texts]
    a.details.name = texts[0]
    a.team.members.append(TeamMember(name=texts[1], job_title=texts[2]))
    a.section("economy").evidence.items.append(EvidenceItem(title=texts[3], link=texts[0], description=texts[4]))
    a.signoffs.append(SignOff(name=texts[2], level=texts[3], decision="approved", comment=texts[4]))
    return make_input(a, template)


def test_formula_like_text_is_a_string_with_quote_prefix(template):
    wb = load_xlsx(workbook_xlsx(hostile_input(template, DANGEROUS)))
    found = {}
    for _, cell in all_cells(wb):
        assert cell.data_type != "f"
        if cell.value in DANGEROUS:
            found[cell.value] = cell
    assert set(found) == set(DANGEROUS)
    for value, cell in found.items():
        assert cell.data_type == "s", value
        assert cell.quotePrefix, value


def test_control_characters_export_without_error(template):
    texts = ["Line one\x0bline two", "nul\x00here", "unit\x1fsep", "bell\x07 and \x1b esc", "ok\r\nwindows"]
    inp = hostile_input(template, texts)
    wb = load_xlsx(workbook_xlsx(inp))
    text = xlsx_text(wb)
    assert "Line one\nline two" in text  # a pasted Word line break stays a line break
    assert "nulhere" in text and "unitsep" in text
    body = docx_text(full_docx(inp))
    assert "nulhere" in body and "unitsep" in body
    # the summary names the approvers but not the team
    assert "unitsep" in docx_text(summary_docx(inp))


def test_answer_of_many_short_lines_is_continued_and_every_row_tall_enough(template):
    lines = [f"Ward {n} has a library" for n in range(1, 61)]  # short lines: about 1,300 characters, 60 lines
    a = realistic_assessment(template)
    row = a.section("economy").rows[0]
    row.impact, row.groups = "yes", "Businesses"
    row.risks = [Risk(text="\n".join(lines), mitigations=[Mitigation(text="A mitigation")])]
    row.benefits, row.maximise = [Benefit(text="A benefit")], ""
    ws = load_xlsx(workbook_xlsx(make_input(a, template)))["Economy"]
    block = [r for r in ws.iter_rows(min_row=6, max_col=6)
             if r[0].value in ("Economic Growth", "Economic Growth (continued)")][:4]
    risk_rows = [r for r in block if r[4].value]
    assert len(risk_rows) >= 3  # 61 lines do not fit one row that shows 25
    assert "".join(r[4].value for r in risk_rows) == "Risk 1: " + "\n".join(lines)
    for r in risk_rows:
        shown = r[4].value.rstrip("\n").count("\n") + 1
        assert shown <= 25
        assert ws.row_dimensions[r[0].row].height >= 15 * shown  # no line hidden below the row's edge


def test_long_answer_is_continued_not_cut(template):
    words = " ".join(f"word{n}" for n in range(6000))  # about 56,000 characters
    long_text = words[:40_000]
    a = realistic_assessment(template)
    row = a.section("economy").rows[0]
    row.impact, row.groups = "yes", "Businesses"
    row.risks = [Risk(text=long_text, mitigations=[Mitigation(text="A mitigation")])]
    row.benefits = [Benefit(text="A benefit")]
    row.maximise = ""
    inp = make_input(a, template)
    wb = load_xlsx(workbook_xlsx(inp))
    ws = wb["Economy"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=6, max_col=6)]
    start = next(i for i, r in enumerate(rows) if r[0] == "Economic Growth")
    block = [rows[start]]
    for r in rows[start + 1:]:
        if r[0] != "Economic Growth (continued)":
            break
        block.append(r)
    assert len(block) >= 2  # continued: past 32,000 characters, and past what one printed row can show
    assert "".join(r[4] or "" for r in block) == "Risk 1: " + long_text
    for n, r in enumerate(ws.iter_rows(min_row=6 + start, max_row=5 + start + len(block)), 0):
        assert r[0].value == ("Economic Growth" if n == 0 else "Economic Growth (continued)")
        assert ws.row_dimensions[r[0].row].height <= 409
    assert block[0][5].startswith("1.1 A mitigation")
    for _, cell in all_cells(wb):
        assert utf16_length(str(cell.value)) <= 32_767
    assert long_text in docx_text(full_docx(inp))
    # the summary gives the opening of a risk; the full CIA has it whole
    summary = docx_text(summary_docx(inp))
    assert "word0 word1 word2" in summary and long_text not in summary


def test_split_for_cell_concatenates_and_respects_limit():
    text = ("abc " * 30_000) + "\U0001F600" * 20_000
    pieces = split_for_cell(text)
    assert "".join(pieces) == text
    assert all(utf16_length(p) <= CELL_TEXT_LIMIT for p in pieces)
    assert split_for_cell("short") == ["short"]
    assert split_for_cell("") == [""]


def test_clean_removes_illegal_characters_only():
    assert clean("a\x00b\x0bc\x0cd\x1fe\tf\ng\r\nh\ud800i\uffff") == "ab\nc\nde\tf\ng\nhi"
    assert clean(None) == ""
    assert clean("£ – “quotes” \U0001F600") == "£ – “quotes” \U0001F600"


def test_sheet_titles_are_legal_and_unique():
    used: set[str] = set()
    titles = [sheet_title(t, used) for t in [
        "Public Sector Equality Duty (PSED)", "Localities / Communities", "A very long title that goes on and on",
        "A very long title that goes on and on", "What? [x]*:\\", "History", "'quoted'"]]
    assert titles[0] == "PSED" and titles[1] == "Localities - Communities"
    assert titles[2] != titles[3]
    assert titles[5] != "History"
    assert len({t.casefold() for t in titles}) == len(titles)
    for t in titles:
        assert 0 < len(t) <= 31 and not re.search(r"[\[\]:*?/\\]", t) and not t.startswith("'")


# --- the Checklist and Executive Summary -----------------------------------------------


def test_summary_docx_checklist_is_one_plain_english_table(draft, outputs):
    """Each check as the template words it, Met / Not met / Not applicable and a reason of one line:
    no rule codes, no findings' messages (they are the full CIA's)."""
    d = docx.Document(io.BytesIO(outputs["summary"]))
    [table] = [t for t in d.tables if [c.text for c in t.rows[0].cells] == ["Check", "Met?", "Reason"]]
    checklist = [[cell_text(tc) for tc in tr.findall(qn("w:tc"))] for tr in table._tbl.tr_lst[1:]]
    outcomes = [o for o in draft.report.outcomes if o.enabled]
    assert [r[0] for r in checklist] == [o.rule.title for o in outcomes]
    states = {"Yes": "Met", "No": "Not met", "Not applicable": "Not applicable"}
    assert [r[1] for r in checklist] == [states[o.answer] for o in outcomes]
    assert all(r[2] and "\n" not in r[2] and len(r[2]) <= 60 for r in checklist), checklist
    text = docx_text(outputs["summary"])
    assert "CIA-R" not in text
    assert not [f.message for f in draft.report.findings if f.message in text]


def test_summary_docx_sections_give_key_risks_beside_their_first_mitigation(draft, outputs):
    rows = docx_rows(outputs["summary"])
    text = docx_text(outputs["summary"])
    summary = build_summary(draft)
    for sec in summary.sections:
        assert sec.title in text
        assert f"No impact identified: {'; '.join(sec.na_rows)}." in text if sec.na_rows else True
        assert f"Overall: {sec.direction}. Likelihood: {sec.likelihood}. Size of impact: {sec.size}." in text
        assert 2 <= len(sec.key_risks) <= 3 and not sec.marked_by_authors
        for risk in sec.key_risks:
            [row] = [r for r in rows if len(r) == 3 and r[0] == risk.row_title and r[1] == risk.gist]
            assert row[2].startswith(risk.mitigation_gist)
        assert f"and {sec.more_risks} more risks in the full CIA." in text
    # benefits and every risk's long text are the full CIA's
    all_risks = [r for sec in summary.sections for r in sec.risks]
    assert len([r for r in all_risks if r.gist in text]) < len(all_risks)


def test_summary_docx_key_facts_community_impact_and_draft(draft, outputs):
    d = docx.Document(io.BytesIO(outputs["summary"]))
    text = docx_text(outputs["summary"])
    assert d.paragraphs[0].style.name == "Title" and d.paragraphs[0].text == "Checklist and Executive Summary"
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    for h in ["Key facts", "Checklist", "Impacts by section", "Community impact", "Equalities and Legal",
              "Resources and Value for Money", "Risk", "Climate Change", "Health", "Sign-off"]:
        assert h in headings
    a = draft.assessment
    for value in [a.details.name, a.details.sponsor, a.details.lead, "June 2024", "Cabinet", "18 September 2024",
                  "Public", "Draft, revision 2", "Project Manager or Lead", "Project Sponsor"]:
        assert value in text
    assert "(if applicable)" not in text
    for key in ("equalities_legal", "resources_value", "risk", "climate_change", "health"):
        assert getattr(a.community_impact, key) in text
    for section in d.sections:
        assert "DRAFT – not approved" in "\n".join(p.text for p in section.header.paragraphs)
        assert not section.different_first_page_header_footer
    assert d.core_properties.language == "en-GB"
    assert d.core_properties.title.startswith("Checklist and Executive Summary: Community Support Hubs")
    assert d.core_properties.author == "Alex Morgan"
    langs = {el.get(qn("w:val")) for el in d.styles.element.iter(qn("w:lang"))}
    assert langs == {"en-GB"}


def all_bold(tr) -> bool:
    runs = list(tr.iter(qn("w:r")))
    return bool(runs) and all(r.find(qn("w:rPr")) is not None and r.find(qn("w:rPr")).find(qn("w:b")) is not None
                              for r in runs)


def test_summary_docx_table_headers_repeat(outputs):
    d = docx.Document(io.BytesIO(outputs["summary"]))
    header_tables = [t for t in d.tables if all_bold(t.rows[0]._tr)]  # a row of bold column headings
    assert len(header_tables) >= 5
    for t in header_tables:
        el = t.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert el is not None and el.get(qn("w:val")) == "true"


def test_summary_docx_renders_rich_text(template):
    """The authors' own paragraphs keep their lists and links; the proposal's summary its links."""
    a = realistic_assessment(template)
    a.community_impact.risk = "The main risks:\n- online booking\n- rural travel\n\n1. first step\n2. second step"
    data = summary_docx(make_input(a, template))
    d = docx.Document(io.BytesIO(data))
    style_ids = {el.get(qn("w:val")) for el in d.element.body.iter(qn("w:pStyle"))}
    assert {d.styles["List Bullet"].style_id, d.styles["List Number"].style_id} <= style_ids
    num_ids = {el.get(qn("w:val")) for el in d.element.body.iter(qn("w:numId"))}
    numbering = d.part.numbering_part.element
    starts = [n for n in numbering.iter(qn("w:num")) if n.get(qn("w:numId")) in num_ids]
    assert len(starts) == len(num_ids) >= 1
    assert all(n.find(".//" + qn("w:startOverride")).get(qn("w:val")) == "1" for n in starts)
    links = [r.target_ref for r in d.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert "https://www.staffordshire.gov.uk/Your-council-and-democracy/Meetings.aspx" in links
    assert d.element.body.find(".//" + qn("w:hyperlink")) is not None


def test_summary_docx_approved_has_signoff_record_and_no_draft(approved):
    data = summary_docx(approved)
    rows = docx_rows(data)
    assert ["Sam Patel", "Manager", "Approved", "28 June 2024", "Approved subject to the transport review."] in rows
    assert any(r[0] == "Dr Ruth Green" and r[3] == "30 June 2024" for r in rows)
    d = docx.Document(io.BytesIO(data))
    assert "DRAFT" not in docx_text(data)
    assert all("DRAFT" not in p.text for s in d.sections for p in s.header.paragraphs)


def test_acknowledged_warnings_are_listed(template):
    a = realistic_assessment(template)
    a.team.members = a.team.members[:1]  # one-person team: rule 6 warns
    report = run_checks(a, template)
    finding = next(f for f in report.warnings if f.rule_id == "CIA-R06")
    a.acknowledgements.append(type(a.acknowledgements[0])(
        finding_key=finding.key, rule_id="CIA-R06", reason="The team is one officer for a small change.",
        by="alex", at="2024-06-21T09:00:00Z"))
    inp = make_input(a, template)
    summary = build_summary(inp)
    ack = next(x for x in summary.acknowledged if x.rule_id == "CIA-R06")
    assert ack.message == finding.message and ack.date == "21 June 2024"
    assert "The team is one officer for a small change." in docx_text(summary_docx(inp))
    wb = load_xlsx(workbook_xlsx(inp))
    row = next(r for r in wb["Checker findings"].iter_rows(values_only=True) if r[1] == "CIA-R06")
    assert row[4] == "Yes" and row[5] == "The team is one officer for a small change."


def test_draft_community_impact_from_the_content(template):
    a = realistic_assessment(template)
    a.community_impact = CommunityImpact()
    drafted = draft_community_impact(a, template)
    assert "Public Sector Equality Duty" in drafted.equalities_legal
    psed_groups = richtext.to_plain(next(r for r in a.section("psed").rows if r.impact == "yes").groups)
    assert any(line.strip("• ").rstrip(".")[:30] in drafted.equalities_legal for line in psed_groups.splitlines()[1:])
    assert "Care Act 2014" in drafted.health
    assert "environment" in drafted.climate_change.lower()
    assert "risks" in drafted.risk and "Mitigation:" in drafted.risk
    assert "12" in drafted.resources_value and "staff" in drafted.resources_value
    na = [spec.category_areas[i].title for spec in template.sections[:1]
          for i, r in enumerate(a.section(spec.key).rows) if r.impact == "no"]
    assert all(t in drafted.equalities_legal for t in na)
    inp = make_input(a, template)
    summary = build_summary(inp)
    assert all(p.drafted for p in summary.community_impact)
    text = docx_text(summary_docx(inp))
    assert "Drafted automatically" in text
    for para in summary.community_impact:
        assert_markup_in(para.text, text)


def test_draft_community_impact_of_an_empty_assessment(template):
    from cia.domain import blank_assessment

    a = blank_assessment(template, "Empty")
    drafted = draft_community_impact(a, template)
    assert "not been completed" in drafted.health
    assert "no significant risks" in drafted.risk
    inp = make_input(a, template)
    for kind in ("summary-docx", "xlsx", "docx"):
        assert render(inp, kind)


# --- the full CIA in Word ----------------------------------------------------------------


def test_full_docx_has_every_row_risk_mitigation_na_and_evidence(draft, outputs):
    data = outputs["full"]
    rows = docx_rows(data)
    text = docx_text(data)
    for spec, title, _question, row in answered_rows(draft):
        if row.impact == "no":  # named on the section's one line of rows with no impact
            named = [r[0].removeprefix("No impact identified: ").rstrip(".").split("; ") for r in rows
                     if len(r) == 1 and r[0].startswith("No impact identified: ")]
            assert any(title in names for names in named), title
            continue
        assert_markup_in(row.groups, text)
        for b in row.benefits:
            assert_markup_in(b.text, text)
        for risk in row.risks:
            first = fragments(risk.text)[0]
            match = [r for r in rows if len(r) == 5 and first in r[3] and r[3].startswith("Risk ")]
            assert match, f"risk of {title} not found"
            assert any(all(f in r[4] for m in risk.mitigations for f in fragments(m.text)) for r in match)
    for spec in draft.template.sections:
        for item in draft.assessment.section(spec.key).evidence.items:
            assert item.title in text and item.link in text
    for m in draft.assessment.team.members:
        assert m.name in text
    for line in draft.assessment.staff.profile:
        assert [line.characteristic, line.group, line.pre_percent, line.post_percent] in rows
    assert sum(1 for r in rows if re.fullmatch(r"CIA-R\d\d", r[0])) == 16
    assert not any(len(r) == 5 and r[1] == "No impact identified" for r in rows)  # not a row of N/As each


def test_full_docx_structure_and_draft(outputs):
    d = docx.Document(io.BytesIO(outputs["full"]))
    assert d.core_properties.language == "en-GB" and d.core_properties.title
    headings = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    for h in ["Proposal details", "Project team", "Engagement and consultation", "Public Sector Equality Duty (PSED)",
              "Localities / Communities", "Staff impact", "Checklist", "Checker findings", "Sign-off record",
              "Revision history"]:
        assert h in headings
    for section in d.sections:
        assert "DRAFT – not approved" in section.header.paragraphs[0].text
        assert section.page_width > section.page_height  # landscape
    section_table = next(t for t in d.tables if t.rows[0].cells[0].text == "Protected Characteristics")
    assert section_table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_full_docx_approved_has_signoff(approved):
    data = full_docx(approved)
    assert ["Sam Patel", "Manager", "Approved", "28 June 2024", "Approved subject to the transport review."] \
        in docx_rows(data)
    assert "DRAFT" not in docx_text(data)


# --- size, names, content types ---------------------------------------------------------


def test_300_row_assessment_exports(template):
    a = realistic_assessment(template, rows_per_section=60)
    assert sum(len(s.rows) for s in a.sections) == 300
    inp = make_input(a, template)
    wb = load_xlsx(workbook_xlsx(inp))
    labels = {c.value for ws in wb.worksheets[1:6] for c in ws["A"] if c.value}
    for _spec, title, _q, _row in answered_rows(inp):
        assert title in labels
    d = docx.Document(io.BytesIO(full_docx(inp)))
    assert sum(1 for _ in d.element.body.iter(qn("w:tr"))) > 300
    assert docx.Document(io.BytesIO(summary_docx(inp))).paragraphs[0].text == "Checklist and Executive Summary"


def test_filename_and_content_types(draft, approved, template):
    assert filename(draft, "summary-docx") == \
        "CIA-community-support-hubs-redesign-of-face-to-face-services-rev2-DRAFT-2024-07-01-summary.docx"
    assert filename(approved, "xlsx").endswith("-rev2-APPROVED-2024-07-01-workbook.xlsx")
    assert filename(draft, "docx").endswith("-full.docx") and filename(draft, "json").endswith("-full.json")
    a = realistic_assessment(template)
    a.details.name = "Café « Zoë » / ../../etc/passwd " + "x" * 200
    name = filename(make_input(a, template), "xlsx")
    assert re.fullmatch(r"CIA-[a-z0-9-]+-rev2-DRAFT-2024-07-01-workbook\.xlsx", name)
    assert name.startswith("CIA-cafe-zoe-etc-passwd-") and len(name.split("-rev2")[0]) <= 64
    a.details.name = "日本語"
    assert filename(make_input(a, template), "docx").startswith("CIA-untitled-rev2-")
    with pytest.raises(ValueError):
        filename(draft, "odt")
    assert CONTENT_TYPES["xlsx"] == XLSX_CONTENT_TYPE and CONTENT_TYPES["summary-docx"] == DOCX_CONTENT_TYPE
    assert CONTENT_TYPES["json"] == "application/json"


def test_render_dispatches(draft):
    assert render(draft, "xlsx")[:2] == b"PK"
    assert render(draft, "json").startswith(b"{")
    with pytest.raises(ValueError):
        render(draft, "odt")
    with pytest.raises(ValueError, match="print HTML"):
        render(draft, "pdf")  # a PDF is made from the pages' print HTML, which the web layer renders


def test_format_date():
    assert format_date("2024-06") == "June 2024"
    assert format_date("2024-06-05") == "5 June 2024"
    assert format_date("2024-06-28T10:00:00Z") == "28 June 2024"
    assert format_date("next spring") == "next spring"
    assert format_date("2024-13-01") == "2024-13-01"


def test_export_file_names_start_with_the_templates_reference_prefix():
    template = load_staffordshire()
    a = realistic_assessment(template)
    template.reference_prefix = "IIA"
    assert filename(make_input(a, template), "docx").startswith("IIA-community-support-hubs-")


def test_the_exempt_mark_names_the_status_and_paragraph_and_is_blank_when_published():
    from cia.exports import ExportInput

    template = load_staffordshire()
    data = realistic_assessment(template)
    inp = ExportInput(data, template, run_checks(data, template))
    data.details.publication_status, data.details.exempt_paragraph = "exempt", "3"
    assert inp.exempt_mark.startswith("Not for publication – ")
    assert inp.exempt_mark.endswith(", paragraph 3")
    data.details.exempt_paragraph = ""
    assert inp.exempt_mark.startswith("Not for publication – ") and not inp.exempt_mark.endswith("paragraph 3")
    for published in ("public", ""):
        data.details.publication_status = published
        assert inp.exempt_mark == ""


def test_a_check_that_found_only_warnings_is_never_listed_as_an_error(template):
    a = realistic_assessment(template)
    a.details.date = "2024-01-10"
    for m in a.team.members:  # the people the template names joined after the CIA was dated: a warning
        m.has_team_role, m.date_first_involved = "yes", "2024-05-01"
    inp = make_input(a, template)
    found = [f for f in inp.report.findings if f.rule_id == "CIA-R07"]
    assert found and {f.severity for f in found} == {"warning"}
    wb = load_xlsx(workbook_xlsx(inp))
    checklist = {r[0]: r for r in wb["Checklist"].iter_rows(values_only=True) if r[0]}
    assert checklist["CIA-R07"][2] == "Warning" and checklist["CIA-R07"][3] == "No"
    findings = [r for r in wb["Checker findings"].iter_rows(values_only=True) if r[1] == "CIA-R07"]
    assert findings and all(r[0] == "Warning" for r in findings)
    rows = docx_rows(full_docx(inp))
    assert ["CIA-R07", found[0] and checklist["CIA-R07"][1], "Warning", "No"] in [r[:4] for r in rows]
    assert all(r[0] == "Warning" for r in rows if len(r) == 5 and r[1] == "CIA-R07")


def test_sign_off_levels_are_written_as_people_write_them():
    from cia.exports.summary import level_label

    assert level_label("slt") == "Senior Leadership Team (SLT)"
    assert level_label("hr_business_partner") == "HR business partner"  # never "Hr business partner"
    assert level_label("head_of_ict") == "Head of ICT"
    assert level_label("Sponsor") == "Sponsor"


def test_an_exempt_workbook_says_not_for_publication_on_every_printed_page(template):
    a = realistic_assessment(template)
    a.details.publication_status, a.details.exempt_paragraph = "exempt", "3"
    inp = make_input(a, template)
    wb = load_xlsx(workbook_xlsx(inp))
    for ws in wb.worksheets:
        assert ws.oddHeader.center.text.startswith(inp.exempt_mark)
        assert "DRAFT" in ws.oddHeader.center.text
        assert ws.oddFooter.left.text.startswith("Community Support Hubs")  # the name moved to make room
