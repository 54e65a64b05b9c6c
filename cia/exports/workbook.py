"""The full CIA workbook (Excel), the Background Paper.

Sheets: Cover (details, status, template, sign-off record), one sheet per template
section laid out like the template (row label and question, the four columns, one
spreadsheet row per risk so each risk's mitigations sit beside it, then the section's
Evidence Base), Project team, Engagement, Staff impact (with the workforce profile grid),
Checklist, Checker findings (with acknowledgements) and Revision history.

Every sheet: styled header row, wrapped text, frozen panes under the header, landscape,
fit to one page wide, header row repeated on every printed page, DRAFT in the page
header and footer and in cell A1 when the revision is not approved. All user text goes
through `textsafe`: never a formula, nothing illegal, long text continued not cut.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from datetime import UTC

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from cia import readable
from cia.domain import YES_NO, RowAnswer, SectionSpec, answers_of, section_rows
from cia.exports import DRAFT_MARK, ExportInput
from cia.exports.marks import mark_workbook
from cia.exports.summary import (
    DECISION_LABELS,
    LocationNamer,
    checklist_lines,
    format_date,
    format_datetime,
    plain,
    proposal_details,
    signed_as,
    status_label,
)
from cia.exports.textsafe import CONTINUED, clean_line, excel_text, header_footer_text, set_cell_text
from cia.kinds import impact_row
from cia.readable import AnsweredQuestion

NO_IMPACT = "No impact identified"
NOT_ANSWERED = "Not answered"
_BAD_SHEET_CHARS = re.compile(r"\s*[\[\]:*?/\\]\s*")
_THIN = Side(style="thin", color="B1B4B6")


def _styles() -> list[NamedStyle]:
    border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
    top_wrap = Alignment(wrap_text=True, vertical="top")
    return [
        NamedStyle("cia_text", alignment=top_wrap, border=border),
        NamedStyle("cia_label", font=Font(bold=True), alignment=top_wrap, border=border),
        NamedStyle("cia_muted", font=Font(color="505A5F"), alignment=top_wrap, border=border),
        NamedStyle("cia_plain", alignment=top_wrap),
        NamedStyle("cia_header", font=Font(bold=True), fill=PatternFill("solid", fgColor="DDE3EA"),
                   alignment=top_wrap, border=border),
        NamedStyle("cia_title", font=Font(bold=True, size=14), alignment=Alignment(vertical="top")),
        NamedStyle("cia_subtitle", font=Font(bold=True, size=12), alignment=Alignment(vertical="top")),
        NamedStyle("cia_draft", font=Font(bold=True, size=14, color="FFFFFF"),
                   fill=PatternFill("solid", fgColor="D4351C"), alignment=Alignment(vertical="center")),
        NamedStyle("cia_final", font=Font(bold=True, size=12, color="00703C"), alignment=Alignment(vertical="center")),
    ]


def sheet_title(title: str, used: set[str]) -> str:
    """A legal, unique sheet name: ≤ 31 characters, none of []:*?/\\, not "History"."""
    text = clean_line(_BAD_SHEET_CHARS.sub(" - ", title)).strip("'") or "Sheet"
    text = re.sub(r"(?: - )+", " - ", text)
    if len(text) > 31:
        acronym = re.search(r"\(([A-Za-z0-9 &-]{2,12})\)\s*$", text)
        if acronym:
            text = acronym.group(1)
        else:
            text = text[:31]
            if " " in text[15:]:
                text = text.rsplit(" ", 1)[0]
    text = text.strip(" -'") or "Sheet"
    if text.casefold() == "history":
        text = "Revision history"
    base, n = text, 2
    while text.casefold() in used:
        suffix = f" ({n})"
        text = base[: 31 - len(suffix)].rstrip() + suffix
        n += 1
    used.add(text.casefold())
    return text


#: Points per line of wrapped 11-point Calibri, with a little to spare.
LINE_HEIGHT = 15.0
#: Wrapped lines one cell shows: Excel rows are at most 409 points high, and a taller
#: cell is cut off on screen and on paper. Longer text continues on the next row.
MAX_LINES = 25


def _line_count(text: str, width: int) -> int:
    """Wrapped lines of `text` in a column `width` characters wide (estimated high)."""
    return sum(max(1, -(-len(line) // width)) for line in text.split("\n"))


def _visual_chunks(text: str, width: int, max_lines: int = MAX_LINES) -> list[str]:
    """Pieces of at most `max_lines` wrapped lines; their concatenation is `text`."""
    if len(text) <= width or _line_count(text, width) <= max_lines:
        return [text]
    lines: list[str] = []
    for para in re.split(r"(?<=\n)", text):
        while len(para.rstrip("\n")) > width:
            cut = para.rfind(" ", 0, width + 1)
            cut = width if cut <= 0 else cut + 1
            lines.append(para[:cut])
            para = para[cut:]
        if para:
            lines.append(para)
    return ["".join(lines[i : i + max_lines]) for i in range(0, len(lines), max_lines)]


def _height(text: str, width_chars: float) -> float | None:
    """Row height (points) for wrapped text in a merged cell, which Excel does not auto-fit."""
    if not text:
        return None
    lines = sum(max(1, math.ceil(len(line) / max(1.0, width_chars))) for line in text.split("\n"))
    return min(409.0, 15.0 * lines + 3)


class Sheet:
    """One worksheet: banner, title, an optional header row and rows of cells."""

    def __init__(self, book: _Book, title: str, widths: Sequence[float], heading: str = "") -> None:
        self.book = book
        self.ws: Worksheet = book.wb.create_sheet(sheet_title(title, book.used))
        self.widths = widths
        self.row = 1
        self.header_row = 0
        ws = self.ws
        for i, w in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = w
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.gridLines = False
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.75
        self._header_footer()
        self.banner()
        self.line(heading or title, "cia_title", height=20)

    def _header_footer(self) -> None:
        inp = self.book.inp
        ws = self.ws
        name = header_footer_text(inp.assessment.details.name or "Untitled proposal", 60)
        rev = inp.assessment.revision
        if inp.is_final:
            ws.oddHeader.center.text = f"{header_footer_text(inp.template.title, 60)} – approved revision {rev}"
            ws.oddFooter.center.text = f"Approved revision {rev}"
        else:
            for part in (ws.oddHeader.center, ws.oddFooter.center):
                part.text = DRAFT_MARK
                part.font = "Arial,Bold"
                part.color = "D4351C"
        ws.oddHeader.left.text = name
        ws.oddFooter.left.text = "&A"
        ws.oddFooter.right.text = "Page &P of &N"

    # --- writing ---------------------------------------------------------------

    def banner(self) -> None:
        inp = self.book.inp
        if inp.is_final:
            text, style = f"Approved – revision {inp.assessment.revision}", "cia_final"
        else:
            text, style = f"{DRAFT_MARK} (revision {inp.assessment.revision})", "cia_draft"
        self.line(text, style, height=22, fill_row=True)

    def line(self, text: str, style: str, height: float | None = None, fill_row: bool = False) -> None:
        """A short unwrapped line in column A (it overflows to the right); not merged."""
        cell = self.ws.cell(row=self.row, column=1)
        cell.style = style
        set_cell_text(cell, clean_line(text)[:1000])
        if fill_row:
            for c in range(2, len(self.widths) + 1):
                self.ws.cell(row=self.row, column=c).style = style
        if height:
            self.ws.row_dimensions[self.row].height = height
        self.row += 1

    def merged(self, text: str, style: str = "cia_plain", height: float | None = -1.0) -> int:
        """One line across every column (banner, title, intro): merged, so height estimated."""
        r = self.row
        pieces = excel_text(text)
        for k, piece in enumerate(pieces):
            cell = self.ws.cell(row=self.row, column=1)
            cell.style = style
            set_cell_text(cell, piece if k == 0 else f"{CONTINUED} {piece}")
            if len(self.widths) > 1:
                self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row,
                                    end_column=len(self.widths))
            h = _height(piece, sum(self.widths) * 1.1) if height == -1.0 else height
            if h:
                self.ws.row_dimensions[self.row].height = h
            self.row += 1
        return r

    def blank(self) -> None:
        self.row += 1

    def header(self, labels: Sequence[str], repeat: bool = True) -> None:
        """A styled header row; the first one is frozen and printed on every page."""
        lines = 1
        for c, label in enumerate(labels, 1):
            cell = self.ws.cell(row=self.row, column=c)
            cell.style = "cia_header"
            text = clean_line(label)
            set_cell_text(cell, text)
            lines = max(lines, _line_count(text, int(self.widths[c - 1])))
        self._set_height(lines)
        if repeat and not self.header_row:
            self.header_row = self.row
            self.ws.freeze_panes = self.ws.cell(row=self.row + 1, column=1)
            self.ws.print_title_rows = f"{self.row}:{self.row}"
        self.row += 1

    def _set_height(self, lines: int) -> None:
        if lines > 1:
            self.ws.row_dimensions[self.row].height = min(409.0, LINE_HEIGHT * lines + 3)

    def _pieces(self, value: object, column: int) -> list:
        if not isinstance(value, str):
            return [value]
        width = int(self.widths[column])
        return [chunk for piece in excel_text(value) for chunk in _visual_chunks(piece, width)]

    def put(self, values: Sequence[object], styles: Sequence[str] | str = "cia_text") -> int:
        """Write one logical row; text too long for one cell continues on the rows below.

        "Too long" is over the cell limit (32,000 characters) or, in practice well
        before, over what a row can show (`MAX_LINES`). Continuation rows carry
        "<first cell> (continued)" in the first column, so a reader (or a filter)
        still knows which row the text belongs to. Row heights are set from the text,
        as Excel and LibreOffice do not size wrapped rows written by openpyxl.
        """
        pieces = [self._pieces(v, c) for c, v in enumerate(values)]
        count = max(len(p) for p in pieces)
        first = self.row
        for k in range(count):
            lines = 1
            for c, (cell_pieces, value) in enumerate(zip(pieces, values, strict=True), 1):
                cell = self.ws.cell(row=self.row, column=c)
                cell.style = styles if isinstance(styles, str) else styles[c - 1]
                if k < len(cell_pieces):
                    piece = cell_pieces[k]
                    if isinstance(piece, str):
                        if piece:
                            set_cell_text(cell, piece)
                            lines = max(lines, _line_count(piece, int(self.widths[c - 1])))
                    elif piece is not None:
                        cell.value = piece
                elif c == 1:
                    label = clean_line(value)[:200] if isinstance(value, str) else ""
                    text = f"{label} {CONTINUED}".strip()
                    set_cell_text(cell, text)
                    lines = max(lines, _line_count(text, int(self.widths[0])))
            self._set_height(lines)
            self.row += 1
        return first

    def link(self, row: int, column: int, url: str) -> None:
        if re.fullmatch(r"https?://[^\s<>\"]{1,2000}", url):
            self.ws.cell(row=row, column=column).hyperlink = url


class _Book:
    def __init__(self, inp: ExportInput) -> None:
        self.inp = inp
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        for style in _styles():
            self.wb.add_named_style(style)
        self.used: set[str] = set()
        self.namer = LocationNamer(inp.template, inp.assessment)
        props = self.wb.properties
        name = clean_line(inp.assessment.details.name)
        title = clean_line(inp.template.title)
        props.title = f"{title}: {name}"[:250] if name else title[:250]
        props.creator = clean_line(inp.author_name)[:250] or None
        props.lastModifiedBy = props.creator
        props.subject = f"{title} (full workbook)"[:250]
        props.keywords = f"{title}; " + ("approved" if inp.is_final else "draft")
        props.language = "en-GB"
        props.description = f"Revision {inp.assessment.revision}"
        generated = inp.generated_at
        if generated.tzinfo is not None:  # Excel stores naive UTC datetimes
            generated = generated.astimezone(UTC).replace(tzinfo=None)
        props.created = props.modified = generated


# --- sheets -----------------------------------------------------------------


def _cover(book: _Book) -> None:
    inp = book.inp
    a, t = inp.assessment, inp.template
    s = Sheet(book, "Cover", (30, 62, 22, 20, 18), heading=t.title)
    s.line(t.organisation or inp.organisation, "cia_subtitle")
    s.line(a.details.name or "Untitled proposal", "cia_subtitle")
    s.blank()
    s.header(["Proposal details", "Answer"])
    label = status_label(inp)
    for d in proposal_details(a, t, label):
        s.put([d.label, plain(d.value) if d.rich else d.value], ("cia_label", "cia_text"))
    s.put(["Revision", str(a.revision)], ("cia_label", "cia_text"))
    s.put(["Template", f"{t.name} (version {t.version})"], ("cia_label", "cia_text"))
    s.put(["Produced", f"{format_datetime(inp.generated_at)}" + (f" by {inp.author_name}" if inp.author_name else "")],
          ("cia_label", "cia_text"))
    s.blank()
    s.line("Sign-off record", "cia_subtitle")
    if a.signoffs:
        s.header(["Name", "Comment", "Level", "Decision", "Date"], repeat=False)
        for so in a.signoffs:
            s.put([so.name, plain(so.comment), signed_as(so), DECISION_LABELS.get(so.decision, so.decision),
                   format_date(so.at)])
    else:
        s.put(["Not yet signed off", ""], ("cia_text", "cia_text"))
    s.blank()
    s.merged("Sheets in this workbook: one per section of the template, then Project team, Engagement, "
             "Staff impact, Checklist, Checker findings and Revision history.", "cia_plain")


def _mitigation_text(m: impact_row.MitigationLine) -> str:
    text = f"{m.number} {plain(m.text)}"
    extra = "; ".join(x for x in (f"Owner: {m.owner}" if m.owner else "",
                                  f"by {format_date(m.target_date)}" if m.target_date else "") if x)
    return text + (f" ({extra})" if extra else "")


def _row_block(s: Sheet, title: str, question: str, row: RowAnswer, risk_no: int) -> int:
    """The spreadsheet rows of one category row; returns the next risk number."""
    label_styles = ("cia_label", "cia_text", "cia_text", "cia_text", "cia_text", "cia_text")
    cont_styles = ("cia_muted",) + label_styles[1:]
    laid, risk_no = impact_row.layout(row, risk_no)
    if laid.impact == "no":
        s.put([title, question, NO_IMPACT, "N/A", "N/A", "N/A"], label_styles)
        return risk_no
    if laid.impact != "yes":
        s.put([title, question, NOT_ANSWERED, "", "", ""], label_styles)
        return risk_no
    benefits = [f"Benefit {number}: {plain(text)}" for number, text in laid.benefits]
    risks, mitigations = [], []
    for r in laid.risks:
        risks.append(f"{r.label}: {plain(r.text)}")
        mits = [_mitigation_text(m) for m in r.mitigations]
        mitigations.append("\n".join(mits) if mits else "No mitigation recorded")
    if laid.maximise:
        risks.append("")
        mitigations.append(f"Maximising benefits and trade-offs: {plain(laid.maximise)}")
    lines = max(1, len(benefits), len(risks))
    for i in range(lines):
        s.put([
            title,
            question if i == 0 else "",
            plain(laid.groups) if i == 0 else "",
            benefits[i] if i < len(benefits) else "",
            risks[i] if i < len(risks) else "",
            mitigations[i] if i < len(mitigations) else "",
        ], label_styles if i == 0 else cont_styles)
    return risk_no


def _section(book: _Book, spec: SectionSpec, answered: list[AnsweredQuestion]) -> None:
    s = Sheet(book, spec.title, (22, 32, 30, 42, 42, 46))
    s.merged(spec.intro)
    if spec.prompts:
        s.merged(f"{spec.prompts_label} " + "; ".join(spec.prompts))
    else:
        s.blank()  # the header row is row 5 on every section sheet
    if spec.has_rows:
        _rows(book, s, spec)
    if answered:
        if spec.has_rows:
            s.blank()
        s.header(["Question", "Answer"], repeat=not spec.has_rows)
        for q in answered:
            s.put([q.label, (plain(q.text) if q.rich else q.text) or NOT_ANSWERED], ("cia_label", "cia_text"))
    if spec.evidence_base and book.inp.assessment.section(spec.key) is not None:
        _evidence(book, s, spec)


def _rows(book: _Book, s: Sheet, spec: SectionSpec) -> None:
    a, t = book.inp.assessment, book.inp.template
    row_label, *columns = impact_row.headers(t, spec)
    s.header([row_label, "Question", *columns])
    answers = a.section(spec.key)
    if answers is None:
        for area in spec.category_areas:
            s.put([area.title, area.question, NOT_ANSWERED, "", "", ""], "cia_text")
        return
    risk_no = 1
    for title, question, row in section_rows(spec, answers):
        risk_no = _row_block(s, title, question, row, risk_no)


def _evidence(book: _Book, s: Sheet, spec: SectionSpec) -> None:
    t, ev = book.inp.template, answers_of(book.inp.assessment, spec).evidence
    s.blank()
    s.line(spec.evidence_base_label or t.evidence_base_label or "Evidence Base", "cia_subtitle")
    kv = ("cia_label", "cia_text")
    s.put(["Likelihood", t.scale_label("likelihood", ev.likelihood) if ev.likelihood else "Not stated"], kv)
    s.put(["Size of impact", t.scale_label("impact", ev.size) if ev.size else "Not stated"], kv)
    s.put(["Overall direction", t.direction_label(ev.direction) or "Not stated"], kv)
    s.put(["Narrative", plain(ev.narrative)], kv)
    s.blank()
    s.header(["Evidence item", "Title", "Type", "Period", "Link", "Description"], repeat=False)
    if not ev.items:
        s.put(["None recorded", "", "", "", "", ""])
    for n, item in enumerate(ev.items, 1):
        r = s.put([f"Evidence {n}", plain(item.title), t.evidence_type_label(item.kind), item.period,
                   item.link, plain(item.description)])
        s.link(r, 5, item.link.strip())


def _team(book: _Book) -> None:
    role = book.inp.template.team_role.name
    s = Sheet(book, "Project team", (28, 28, 36, 26, 12, 18) if role else (28, 28, 36, 26, 18))
    s.header(["Name", "Job title", "Expertise", "Organisation", *([role] if role else []), "Date first involved"])
    members = book.inp.assessment.team.members
    if not members:
        s.put(["No project team recorded", "", "", "", *([""] if role else []), ""])
    for m in members:
        holds = [YES_NO.get(m.has_team_role, m.has_team_role)] if role else []
        s.put([m.name, m.job_title, plain(m.expertise), m.organisation, *holds, format_date(m.date_first_involved)])


def _engagement(book: _Book) -> None:
    s = Sheet(book, "Engagement", (30, 30, 18, 24, 46, 46))
    s.header(["Activity", "Groups engaged", "Dates", "Method", "Findings", "How the findings shaped the proposal"])
    activities = book.inp.assessment.engagement.activities
    if not activities:
        s.put(["No engagement or consultation recorded", "", "", "", "", ""])
    for e in activities:
        s.put([plain(e.activity), plain(e.groups), e.dates, plain(e.method), plain(e.findings), plain(e.influence)])


def _staff(book: _Book) -> None:
    st = book.inp.assessment.staff
    s = Sheet(book, "Staff impact", (34, 34, 18, 18))
    s.header(["Question", "Answer", "", ""])
    kv = ("cia_label", "cia_text", "cia_text", "cia_text")
    s.put(["Does the proposal affect council staff?", YES_NO.get(st.affects_staff, st.affects_staff) or "Not answered",
           "", ""], kv)
    s.put(["Expected job losses", plain(st.job_losses), "", ""], kv)
    s.put(["Groups affected by job losses", plain(st.job_loss_groups), "", ""], kv)
    s.put(["Support available for staff", plain(st.support), "", ""], kv)
    s.put(["HR protocols", plain(st.hr_protocols), "", ""], kv)
    s.blank()
    s.line("Workforce profile against the protected characteristics, pre and post change", "cia_subtitle")
    s.header(["Characteristic", "Group", "Pre-change %", "Post-change %"], repeat=False)
    if not st.profile:
        s.put(["No workforce profile recorded", "", "", ""])
    for line in st.profile:
        s.put([line.characteristic, line.group, line.pre_percent, line.post_percent])


def _checklist(book: _Book) -> None:
    s = Sheet(book, "Checklist", (12, 50, 12, 16, 70))
    s.header(["Rule", "Check", "Severity", "Met", "Findings"])
    for c in checklist_lines(book.inp.report, book.inp.template):
        s.put([c.rule_id, c.title, c.severity, c.answer, c.finding])


def _findings(book: _Book) -> None:
    inp = book.inp
    acks = {x.finding_key: x for x in inp.assessment.acknowledgements}
    s = Sheet(book, "Checker findings", (12, 12, 40, 60, 14, 44, 24))
    s.header(["Severity", "Rule", "Where", "Finding", "Acknowledged", "Reason", "Acknowledged by"])
    if not inp.report.findings:
        s.put(["", "", "", "No findings: the assessment meets every check.", "", "", ""])
    for f in inp.report.findings:
        reason = inp.report.acknowledged.get(f.key, "")
        ack = acks.get(f.key)
        by = ", ".join(x for x in (ack.by, format_date(ack.at)) if x) if ack and reason else ""
        s.put([f.severity.capitalize(), f.rule_id, book.namer(f.location), f.message, "Yes" if reason else "No",
               plain(reason), by])


def _history(book: _Book) -> None:
    s = Sheet(book, "Revision history", (12, 28, 24, 30, 24))
    s.header(["Revision", "Status", "Started", "Started by", "Approved"])
    history = book.inp.history
    if not history:
        a = book.inp.assessment
        s.put([a.revision, status_label(book.inp), "", "", ""])
    for h in history:
        s.put([h.revision, h.status_label or h.status, format_date(h.started_at), h.started_by,
               format_date(h.approved_at)])


def build_workbook(inp: ExportInput) -> Workbook:
    """The full CIA workbook as an openpyxl Workbook (not yet saved)."""
    book = _Book(inp)
    _cover(book)
    answered = readable.answered_questions(inp.template, inp.assessment)
    for spec, _answers, _rows_of in readable.sections(inp.template, inp.assessment):
        _section(book, spec, answered[spec.key])
    pages = readable.standard_pages(inp.template, inp.assessment)  # a page the template leaves out is not exported
    for page, write in (("team", _team), ("engagement", _engagement), ("staff", _staff)):
        if page in pages:
            write(book)
    _checklist(book)
    _findings(book)
    _history(book)
    return book.wb


def workbook_xlsx(inp: ExportInput) -> bytes:
    """The full CIA workbook, as .xlsx bytes."""
    out = io.BytesIO()
    workbook = build_workbook(inp)
    mark_workbook(workbook, inp.exempt_mark)
    workbook.save(out)
    return out.getvalue()
