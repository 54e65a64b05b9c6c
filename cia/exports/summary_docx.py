"""The Checklist and Executive Summary as a Word document (for the Cabinet papers).

Layout (docs/decisions/0004-export-layout.md): title, DRAFT banner, proposal details,
the checklist (one line per rule: Yes / No / Not applicable with the finding), a
summary per section (direction, likelihood, size, groups, benefits, risks beside their
mitigations, rows with no impact), the five Community Impact paragraphs, the sign-off
record and the acknowledged warnings. Every page of a draft says DRAFT in its header.
"""

from __future__ import annotations

from cia.exports import ExportInput
from cia.exports.docx_helpers import DocxWriter
from cia.exports.summary import MitigationSummary, RiskSummary, Summary, build_summary


def _groups_text(groups: list[str], more: int) -> str:
    if not groups:
        return "None identified"
    text = "; ".join(groups)
    return text + (f"; and {more} more" if more else "")


def _mitigations(w: DocxWriter, cell, number: int, mitigations: list[MitigationSummary]) -> None:
    if not mitigations:
        w.run(cell.paragraphs[0], "No mitigation recorded", italic=True)
        return
    for j, m in enumerate(mitigations, 1):
        p = cell.paragraphs[0] if j == 1 else cell.add_paragraph()
        w.run(p, f"{number}.{j} ", bold=True)
        w.rich(m.text, container=cell, first=p)
        if m.note:
            w.para(m.note, italic=True, container=cell)


def _risks_table(w: DocxWriter, risks: list[RiskSummary]) -> None:
    table = w.table(["Area", "Risk", "Mitigations / Recommendations"], (32, 64, 78))
    for i, r in enumerate(risks, 1):
        cells = w.row(table, [r.row_title, None, None])
        p = cells[1].paragraphs[0]
        w.run(p, f"Risk {i}: ", bold=True)
        w.rich(r.text, container=cells[1], first=p)
        _mitigations(w, cells[2], i, r.mitigations)


def _sections(w: DocxWriter, s: Summary) -> None:
    w.heading("Summary of impacts by section", 1)
    for sec in s.sections:
        w.heading(sec.title, 2)
        w.key_values([
            ("Overall direction", sec.direction, False),
            ("Likelihood", sec.likelihood, False),
            ("Size of impact", sec.size, False),
            ("Main groups affected", _groups_text(sec.groups, sec.more_groups), False),
            ("Evidence items", str(sec.evidence_items), False),
        ], widths_mm=(50, 124))
        if sec.benefits:
            w.heading(f"{sec.title}: benefits", 3)
            table = w.table(["Area", "Benefit"], (45, 129))
            for b in sec.benefits:
                w.row(table, [b.row_title, b.text], rich=(False, True))
        if sec.risks:
            w.heading(f"{sec.title}: risks and mitigations", 3)
            _risks_table(w, sec.risks)
        if not sec.benefits and not sec.risks:
            w.para("No benefits or risks recorded in this section.")
        if sec.na_rows:
            w.para("No impact identified (N/A): " + "; ".join(sec.na_rows) + ".")
        if sec.unanswered_rows:
            w.para("Not yet answered: " + "; ".join(sec.unanswered_rows) + ".", italic=True)


def summary_docx(inp: ExportInput) -> bytes:
    """The Checklist and Executive Summary, as .docx bytes."""
    s = build_summary(inp)
    w = DocxWriter(inp, s.title, subject=f"{inp.template.title}: {s.title}")
    w.heading(s.title, 0)
    w.para(f"{s.organisation} – {inp.template.title}".lstrip(" –"), bold=True)
    if s.proposal_name:
        w.para(s.proposal_name)
    w.draft_banner()
    w.para(f"Revision {s.revision}: {s.status_label}. Produced {s.generated_at}.")

    w.heading("Proposal details", 1)
    w.key_values([(d.label, d.value, d.rich) for d in s.details]
                 + [("Template", f"{s.template_name} (version {s.template_version})", False)])

    w.heading("Checklist", 1)
    w.para("Each check the template asks for, and whether this assessment meets it.")
    table = w.table(["Rule", "Check", "Met", "Finding"], (25, 62, 22, 65))
    for c in s.checklist:
        w.row(table, [c.rule_id, c.title, c.answer, c.finding or ("None" if c.answer == "Yes" else "")], keep=True)

    _sections(w, s)

    w.heading("Community impact", 1)
    for ip in s.community_impact:
        w.heading(ip.heading, 2)
        if ip.drafted and not s.is_final:
            w.para("Drafted automatically from the assessment; the authors have not edited it yet.", italic=True)
        w.rich(ip.text)

    w.heading("Sign-off", 1)
    if s.signoffs:
        table = w.table(["Name", "Level", "Decision", "Date", "Comment"], (35, 30, 28, 28, 53))
        for so in s.signoffs:
            w.row(table, [so.name, so.level, so.decision, so.date, so.comment],
                  rich=(False, False, False, False, True), keep=True)
    else:
        w.para("Not yet signed off.")

    if s.acknowledged:
        w.heading("Acknowledged warnings", 1)
        table = w.table(["Rule", "Warning", "Reason given", "By"], (20, 62, 62, 30))
        for ack in s.acknowledged:
            where = f" ({ack.where})" if ack.where else ""
            by = ", ".join(x for x in (ack.by, ack.date) if x)
            w.row(table, [ack.rule_id, ack.message + where, ack.reason, by], rich=(False, False, True, False))
    return w.to_bytes()
