"""The Checklist and Executive Summary as a Word document (for the Cabinet papers).

Layout (docs/decisions/0021-cabinet-summary.md): title, DRAFT banner, the key facts, the
checklist (one table: each check, Met / Not met / Not applicable, a reason of one line), a few
lines per section (direction, likelihood, size, the groups most affected, a table of its key risks
beside their first mitigation), the Community Impact paragraphs, the sign-off record and the
reasons the authors gave for warnings. At most three A4 pages for a completed CIA the size of the
council's template: text sizes and spacing are set for that, and the long form is the full CIA's.
Every page of a draft says DRAFT in its header.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml.etree import SubElement

from cia.exports import ExportInput
from cia.exports.docx_helpers import DocxWriter
from cia.exports.summary import Summary, build_summary
from cia.exports.summary_sections import RiskSummary, SectionSummary
from cia.exports.textsafe import clean, clean_line
from cia.exports.words import count, gist

#: Text in tables, in half-points (9 pt): the tables are most of the summary.
TABLE_TEXT_SIZE = "18"
REASON_LENGTH = 300


def _compact(w: DocxWriter) -> None:
    """Text sizes and spacing of this document only: a Cabinet paper's summary, not the full CIA."""
    styles = w.doc.styles
    for name, size, before, after in (("Normal", 10, 0, 3), ("Title", 20, 0, 4), ("Heading 1", 13, 9, 3),
                                      ("Heading 2", 11, 5, 2), ("Heading 3", 10, 4, 2)):
        style = styles[name]
        style.font.size = Pt(size)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)


def _small_table_text(w: DocxWriter) -> None:
    """Every run in a table at TABLE_TEXT_SIZE, set on the run: Word lets a paragraph style's size win
    over a table style's, so the table style cannot do it."""
    for table in w.doc.element.body.iter(qn("w:tbl")):
        for run in table.iter(qn("w:r")):
            rpr = run.find(qn("w:rPr"))
            if rpr is None:
                rpr = SubElement(run, qn("w:rPr"))
                run.insert(0, rpr)
            if rpr.find(qn("w:sz")) is None:
                SubElement(rpr, qn("w:sz"), {qn("w:val"): TABLE_TEXT_SIZE})


def _facts(w: DocxWriter, s: Summary) -> None:
    """The proposal and its summary across the page, then the other facts two to a row."""
    name, *others = s.facts
    w.key_values([(name.label, name.value, False),
                  ("Summary of the proposal", s.proposal_summary or "Not provided", s.proposal_summary_rich)],
                 widths_mm=(34, 140))
    table = w.doc.add_table(rows=0, cols=4)
    table._tbl.tblPr.style = w.s_grid
    widths = (34, 53, 34, 53)
    for col, width in zip(table.columns, widths, strict=True):
        col.width = Mm(width)
    for i in range(0, len(others), 2):
        cells = w.add_row(table)
        for j, fact in enumerate(others[i:i + 2]):
            w.run(cells[2 * j].paragraphs[0], clean_line(fact.label), bold=True)
            w.run(cells[2 * j + 1].paragraphs[0], clean_line(fact.value))


def _checklist(w: DocxWriter, s: Summary) -> None:
    w.heading("Checklist", 1)
    table = w.table(["Check", "Met?", "Reason"], (90, 20, 64))
    for c in s.checklist:
        w.row(table, [c.title, c.state, c.reason])


def _mitigation_cell(w: DocxWriter, cell, risk: RiskSummary) -> None:
    if not risk.mitigations:
        w.run(cell.paragraphs[0], "No mitigation recorded", italic=True)
        return
    w.run(cell.paragraphs[0], risk.mitigation_gist)
    if risk.more_mitigations:
        w.run(cell.paragraphs[0], f" (and {risk.more_mitigations} more)", italic=True)


def _section(w: DocxWriter, sec: SectionSummary, is_final: bool) -> None:
    w.heading(sec.title, 2)
    p = w.para()
    for label, value in (("Overall", sec.direction), ("Likelihood", sec.likelihood),
                         ("Size of impact", sec.size), ("Evidence", count(sec.evidence_items, "item", "items"))):
        w.run(p, f"{label}: ", bold=True)
        w.run(p, f"{clean(value)}. ")
    p = w.para()
    w.run(p, "Groups most affected: ", bold=True)
    words = "; ".join(sec.main_groups) or "None identified"
    w.run(p, clean(words) + (f"; and {sec.other_groups} more." if sec.other_groups else "."))
    if sec.na_rows:
        p = w.para()
        w.run(p, "No impact identified: ", bold=True)
        w.run(p, clean("; ".join(sec.na_rows)) + ".")
    if sec.unanswered_rows:
        w.para("Not answered yet: " + "; ".join(sec.unanswered_rows) + ".", italic=True)
    if not sec.key_risks:
        w.para("No risks recorded in this section.")
        return
    table = w.table(["Area", "Key risk" if sec.marked_by_authors else "Main risk", "Mitigation"], (28, 76, 70))
    for risk in sec.key_risks:
        cells = w.row(table, [risk.row_title, risk.gist, None])
        _mitigation_cell(w, cells[2], risk)
    notes = []
    if sec.more_risks:
        notes.append(f"and {sec.more_risks} more {'risk' if sec.more_risks == 1 else 'risks'} in the full CIA.")
    if not sec.marked_by_authors and not is_final:
        notes.append("None is marked as a key risk: the summary chose these.")
    if notes:
        cells = w.add_row(table)
        cells[0].merge(cells[2])
        w.run(cells[0].paragraphs[0], " ".join(notes), italic=True)


def _closing(w: DocxWriter, s: Summary) -> None:
    w.heading("Community impact", 1)
    for ip in s.community_impact:
        w.heading(ip.heading, 2)
        if ip.drafted and not s.is_final:
            w.para("Drafted automatically from the assessment; the authors have not edited it yet.", italic=True)
        w.rich(ip.text)

    w.heading("Sign-off", 1)
    if s.signoffs:
        table = w.table(["Name", "Level", "Decision", "Date", "Comment"], (34, 36, 26, 26, 52))
        for so in s.signoffs:
            w.row(table, [so.name, so.level, so.decision, so.date, so.comment],
                  rich=(False, False, False, False, True))
    else:
        w.para("Not yet signed off.")

    reasons = s.acknowledged_reasons()
    if reasons:
        w.heading("Warnings the authors gave reasons for", 1)
        table = w.table(["Check", "Reason given", "Warnings"], (60, 92, 22))
        for title, reason, n in reasons:
            w.row(table, [title, gist(reason, REASON_LENGTH), str(n)])


def summary_docx(inp: ExportInput) -> bytes:
    """The Checklist and Executive Summary, as .docx bytes."""
    s = build_summary(inp)
    w = DocxWriter(inp, s.title, subject=f"{inp.template.title}: {s.title}")
    _compact(w)
    w.heading(s.title, 0)
    p = w.para(f"{s.organisation} – {inp.template.title}".lstrip(" –") + ". ", bold=True)
    w.run(p, f"Produced {s.generated_at} from {clean(s.template_name)}, version {s.template_version}. "
             "The full CIA is a background paper.")
    w.draft_banner()

    w.heading("Key facts", 1)
    _facts(w, s)
    _checklist(w, s)
    w.heading("Impacts by section", 1)
    for sec in s.sections:
        _section(w, sec, s.is_final)
    _closing(w, s)
    _small_table_text(w)
    return w.to_bytes()
