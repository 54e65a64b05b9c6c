"""The full CIA as a readable Word document: the workbook's content, in landscape.

Proposal details, project team, engagement, then per template section a table laid out
like the template (row label and question, groups, benefits, one table row per risk with
its mitigations beside it; a row's further risks name the row in italics)
followed by the section's Evidence Base; staff impact with the workforce profile;
the checklist, the checker findings with acknowledgements, the sign-off record and the
revision history. Every page of a draft says DRAFT in its header.

In council document style (docs/decisions/0025-council-document-style.md): Arial 11 point,
Heading 1 per part and Heading 2 per Evidence Base (the navigation pane's outline), fixed
column widths that fill the landscape page, rows that never break across a page, header
rows repeated, and the rows of a section with no impact named on one line ("No impact
identified: Age, Disability and Sex") instead of a table row of "N/A" each.
"""

from __future__ import annotations

from docx.shared import Mm

from cia import readable
from cia.checks.base import SEVERITY_LABELS
from cia.domain import YES_NO, RowAnswer, SectionSpec, answers_of, section_rows
from cia.exports import ExportInput
from cia.exports.docx_helpers import (
    COUNCIL_FONT,
    DocxWriter,
    append_xml,
    cell_xml,
    paragraph_xml,
    row_xml,
    run_xml,
)
from cia.exports.summary import (
    DECISION_LABELS,
    LocationNamer,
    checklist_lines,
    format_date,
    proposal_details,
    signed_as,
    status_label,
)
from cia.exports.textsafe import clean, clean_line
from cia.exports.workbook import NO_IMPACT, NOT_ANSWERED
from cia.kinds import impact_row
from cia.readable import AnsweredQuestion

SECTION_WIDTHS = (40, 45, 56, 56, 64)  # mm, landscape A4 less margins
COLUMN_TWIPS = tuple(int(Mm(x).twips) for x in SECTION_WIDTHS)


def _rich(w: DocxWriter, width: int, text: str, prefix: str) -> str:
    """`text` (markup) with a bold prefix at the start of its first paragraph."""
    return w.rich_xml(text, width, lead=run_xml(prefix, bold=True))


def _label_xml(title: str, question: str) -> str:
    label = paragraph_xml(run_xml(clean_line(title), bold=True))
    return label + (paragraph_xml(run_xml(clean(question), italic=True)) if clean(question).strip() else "")


def _row_block(w: DocxWriter, title: str, question: str, row: RowAnswer, risk_no: int) -> tuple[list[str], int]:
    """The table rows (XML) of one category row, and the next risk number: the label, groups and
    benefits cells span the row's risks, each risk has its mitigations beside it."""
    widths = COLUMN_TWIPS
    laid, risk_no = impact_row.layout(row, risk_no)
    if laid.impact != "yes":  # "no" rows are named together after the table (`_rows`)
        return [row_xml([cell_xml(widths[0], _label_xml(title, question)),
                         cell_xml(widths[1], paragraph_xml(run_xml(NOT_ANSWERED))),
                         *(cell_xml(x, "") for x in widths[2:])])], risk_no
    risk_cells, mitigation_cells = [], []
    for risk in laid.risks:
        risk_cells.append(_rich(w, widths[3], risk.text, f"{risk.label}: "))
        if not risk.mitigations:
            mitigation_cells.append(paragraph_xml(run_xml("No mitigation recorded", italic=True)))
            continue
        parts = []
        for m in risk.mitigations:
            parts.append(_rich(w, widths[4], m.text, f"{m.number} "))
            note = "; ".join(x for x in (f"Owner: {m.owner}" if m.owner else "",
                                         f"by {format_date(m.target_date)}" if m.target_date else "") if x)
            if note:
                parts.append(paragraph_xml(run_xml(clean(note), italic=True)))
        mitigation_cells.append("".join(parts))
    if laid.maximise:
        risk_cells.append("")
        mitigation_cells.append(_rich(w, widths[4], laid.maximise, "Maximising benefits and trade-offs: "))
    first = [
        cell_xml(widths[0], _label_xml(title, question)),
        cell_xml(widths[1], w.rich_xml(laid.groups, widths[1])),
        cell_xml(widths[2], "".join(_rich(w, widths[2], text, f"Benefit {number}: ") for number, text in laid.benefits)),
    ]
    # The row's next risks go on rows of their own, each naming the row it belongs to: cells merged down
    # over them would flow across a page break, which is what a row that never splits is to prevent.
    more = [cell_xml(widths[0], paragraph_xml(run_xml(clean_line(title), italic=True))),
            cell_xml(widths[1], ""), cell_xml(widths[2], "")]
    rows = []
    for i in range(max(1, len(risk_cells))):
        rows.append(row_xml([*(first if i == 0 else more),
                             cell_xml(widths[3], risk_cells[i] if i < len(risk_cells) else ""),
                             cell_xml(widths[4], mitigation_cells[i] if i < len(mitigation_cells) else "")]))
    return rows, risk_no


def _section(w: DocxWriter, inp: ExportInput, spec: SectionSpec, answered: list[AnsweredQuestion]) -> None:
    a = inp.assessment
    w.heading(spec.title, 1)
    if spec.intro:
        w.para(spec.intro)
    if spec.prompts:
        w.para(spec.prompts_label or "Please consider:", bold=True)
        for prompt in spec.prompts:
            w.para(prompt, style=w.s_bullet)
    if answered:
        w.key_values([(q.label, q.text or NOT_ANSWERED, q.rich and bool(q.text)) for q in answered],
                     widths_mm=(100, 161))
    if spec.has_rows:
        _rows(w, inp, spec)
    if spec.evidence_base and a.section(spec.key) is not None:
        _evidence(w, inp, spec)


def _rows(w: DocxWriter, inp: ExportInput, spec: SectionSpec) -> None:
    t, a = inp.template, inp.assessment
    table = w.table(impact_row.headers(t, spec), SECTION_WIDTHS)
    answers = a.section(spec.key)
    rows: list[str] = []
    no_impact = []
    if answers is None:
        for area in spec.category_areas:
            rows.append(row_xml([cell_xml(COLUMN_TWIPS[0], _label_xml(area.title, area.question)),
                                 cell_xml(COLUMN_TWIPS[1], paragraph_xml(run_xml(NOT_ANSWERED))),
                                 *(cell_xml(x, "") for x in COLUMN_TWIPS[2:])]))
    else:
        risk_no = 1
        for title, question, row in section_rows(spec, answers):
            if row.impact == "no":
                no_impact.append(clean_line(title))
                continue
            block, risk_no = _row_block(w, title, question, row, risk_no)
            rows += block
    if no_impact:
        line = run_xml(f"{NO_IMPACT}: ", bold=True) + run_xml("; ".join(no_impact) + ".")
        rows.append(row_xml([cell_xml(sum(COLUMN_TWIPS), paragraph_xml(line), span=len(COLUMN_TWIPS))]))
    append_xml(table._tbl, "".join(rows))


def _evidence(w: DocxWriter, inp: ExportInput, spec: SectionSpec) -> None:
    t, ev = inp.template, answers_of(inp.assessment, spec).evidence
    w.heading(f"{spec.title}: Evidence Base", 2)
    if spec.evidence_base_label or t.evidence_base_label:
        w.para(spec.evidence_base_label or t.evidence_base_label, italic=True)
    w.key_values([
        ("Likelihood", t.scale_label("likelihood", ev.likelihood) if ev.likelihood else "Not stated", False),
        ("Size of impact", t.scale_label("impact", ev.size) if ev.size else "Not stated", False),
        ("Overall direction", t.direction_label(ev.direction) or "Not stated", False),
        ("Narrative", ev.narrative or "None", bool(ev.narrative.strip())),
    ], widths_mm=(50, 211))
    if not ev.items:
        w.para("No evidence items recorded.")
        return
    items = w.table(["No.", "Title", "Type", "Period", "Link", "Description"], (14, 55, 30, 30, 60, 72))
    for n, item in enumerate(ev.items, 1):
        w.row(items, [str(n), item.title, t.evidence_type_label(item.kind), item.period, item.link,
                      item.description], rich=(False, True, False, False, True, True))


def _team_and_engagement(w: DocxWriter, inp: ExportInput, pages: set[str]) -> None:
    a = inp.assessment
    if "team" in pages:
        _team(w, inp)
    if "engagement" not in pages:
        return
    w.heading("Engagement and consultation", 1)
    if a.engagement.activities:
        table = w.table(["Activity", "Groups engaged", "Dates", "Method", "Findings",
                         "How the findings shaped the proposal"], (40, 40, 25, 35, 60, 61))
        for e in a.engagement.activities:
            w.row(table, [e.activity, e.groups, e.dates, e.method, e.findings, e.influence],
                  rich=(True, True, False, True, True, True))
    else:
        w.para("No engagement or consultation recorded.")


def _team(w: DocxWriter, inp: ExportInput) -> None:
    a = inp.assessment
    w.heading("Project team", 1)
    if a.team.members:
        role = inp.template.team_role.name
        table = w.table(["Name", "Job title", "Expertise", "Organisation", *([role] if role else []),
                         "Date first involved"], (40, 45, 66, 45, 30, 35) if role else (45, 50, 76, 50, 40))
        for m in a.team.members:
            holds = [YES_NO.get(m.has_team_role, m.has_team_role)] if role else []
            cells = [m.name, m.job_title, m.expertise, m.organisation, *holds, format_date(m.date_first_involved)]
            w.row(table, cells, rich=tuple(i == 2 for i in range(len(cells))))
    else:
        w.para("No project team recorded.")


def _staff(w: DocxWriter, inp: ExportInput) -> None:
    st = inp.assessment.staff
    w.heading("Staff impact", 1)
    w.key_values([
        ("Does the proposal affect council staff?", YES_NO.get(st.affects_staff, st.affects_staff) or "Not answered",
         False),
        ("Expected job losses", st.job_losses or "Not stated", bool(st.job_losses.strip())),
        ("Groups affected by job losses", st.job_loss_groups or "Not stated", bool(st.job_loss_groups.strip())),
        ("Support available for staff", st.support or "Not stated", bool(st.support.strip())),
        ("HR protocols", st.hr_protocols or "Not stated", bool(st.hr_protocols.strip())),
    ], widths_mm=(70, 191))
    w.heading("Workforce profile, pre and post change", 2)
    if st.profile:
        table = w.table(["Characteristic", "Group", "Pre-change %", "Post-change %"], (60, 100, 50, 50))
        for line in st.profile:
            w.row(table, [line.characteristic, line.group, line.pre_percent, line.post_percent])
    else:
        w.para("No workforce profile recorded.")


def _checks(w: DocxWriter, inp: ExportInput) -> None:
    w.heading("Checklist", 1)
    table = w.table(["Rule", "Check", "Severity", "Met", "Findings"], (25, 80, 25, 28, 103))
    for c in checklist_lines(inp.report, inp.template):
        w.row(table, [c.rule_id, c.title, c.severity, c.answer, c.finding])
    w.heading("Checker findings", 1)
    if not inp.report.findings:
        w.para("No findings: the assessment meets every check.")
        return
    namer = LocationNamer(inp.template, inp.assessment)
    acks = {x.finding_key: x for x in inp.assessment.acknowledgements}
    table = w.table(["Severity", "Rule", "Where", "Finding", "Acknowledgement"], (22, 22, 55, 90, 72))
    for f in inp.report.findings:
        reason = inp.report.acknowledged.get(f.key, "")
        ack = acks.get(f.key)
        note = ""
        if reason:
            by = ", ".join(x for x in (ack.by, format_date(ack.at)) if x) if ack else ""
            note = reason + (f"\n\n({by})" if by else "")
        w.row(table, [SEVERITY_LABELS.get(f.severity, f.severity), f.rule_id, namer(f.location), f.message,
                      note or "Not acknowledged"],
              rich=(False, False, False, False, bool(reason)))


def _signoff_and_history(w: DocxWriter, inp: ExportInput) -> None:
    a = inp.assessment
    w.heading("Sign-off record", 1)
    if a.signoffs:
        table = w.table(["Name", "Level", "Decision", "Date", "Comment"], (45, 40, 35, 35, 106))
        for so in a.signoffs:
            w.row(table, [so.name, signed_as(so), DECISION_LABELS.get(so.decision, so.decision), format_date(so.at),
                          so.comment], rich=(False, False, False, False, True))
    else:
        w.para("Not yet signed off.")
    w.heading("Revision history", 1)
    table = w.table(["Revision", "Status", "Started", "Started by", "Approved"], (25, 60, 50, 76, 50))
    if not inp.history:
        w.row(table, [str(a.revision), status_label(inp), "", "", ""])
    for h in inp.history:
        w.row(table, [str(h.revision), h.status_label or h.status, format_date(h.started_at), h.started_by,
                      format_date(h.approved_at)])


def full_docx(inp: ExportInput) -> bytes:
    """The full CIA, as .docx bytes."""
    a, t = inp.assessment, inp.template
    w = DocxWriter(inp, t.title, subject=f"{t.title} (full)", landscape=True, font=COUNCIL_FONT)
    w.heading(t.title, 0)
    w.para(a.details.name or "Untitled proposal", bold=True)
    if t.organisation or inp.organisation:
        w.para(t.organisation or inp.organisation)
    w.draft_banner()
    w.para(f"Revision {a.revision}: {status_label(inp)}. Template: {t.name} (version {t.version}).")
    w.heading("Proposal details", 1)
    w.key_values([(d.label, d.value, d.rich) for d in proposal_details(a, t, status_label(inp))],
                 widths_mm=(70, 191))
    pages = readable.standard_pages(t, a)  # a page the template leaves out is not exported
    _team_and_engagement(w, inp, pages)
    answered = readable.answered_questions(t, a)
    for spec, _answers, _rows_of in readable.sections(t, a):
        _section(w, inp, spec, answered[spec.key])
    if "staff" in pages:
        _staff(w, inp)
    _checks(w, inp)
    _signoff_and_history(w, inp)
    return w.to_bytes()
