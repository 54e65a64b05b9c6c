"""The full CIA workbook (Excel), the Background Paper.

Sheets: Cover (details, status, template, sign-off record), one sheet per template
section laid out like the template (row label and question, the four columns, one
spreadsheet row per risk so each risk's mitigations sit beside it, then the section's
Evidence Base), Project team, Engagement, Staff impact (with the workforce profile grid),
Checklist, Checker findings (with acknowledgements) and Revision history.

Every sheet: styled header row, wrapped text, frozen panes under the header, landscape A4,
fit to one page wide, header row repeated on every printed page, DRAFT in the page
header and footer and in cell A1 when the revision is not approved. Each sheet's columns
add up to at most `PRINT_WIDTH` characters, the width of the printed page, so it prints at its
own 11 point ("fit to the page's width" stays only as a safety net). Evidence
links are written whole as wrapped text, and "Evidence 1" beside each is a hyperlink to it
(`Sheet.link` says why).

All user text goes through `textsafe`: never a formula, nothing illegal, long text
continued not cut. Written with XlsxWriter, which streams cells straight into the
file's XML (docs/decisions/0025-council-document-style.md); tests read it back with
openpyxl.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from datetime import UTC

import xlsxwriter

from cia import readable
from cia.checks.base import SEVERITY_LABELS
from cia.domain import YES_NO, RowAnswer, SectionSpec, answers_of, section_rows
from cia.exports import DRAFT_MARK, ExportInput
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
from cia.exports.textsafe import (
    CELL_TEXT_LIMIT,
    CONTINUED,
    clean_line,
    excel_text,
    header_footer_text,
    looks_like_formula,
    utf16_length,
)
from cia.kinds import impact_row
from cia.readable import AnsweredQuestion

NO_IMPACT = "No impact identified"
NOT_ANSWERED = "Not answered"
_BAD_SHEET_CHARS = re.compile(r"\s*[\[\]:*?/\\]\s*")
_BORDER = {"border": 1, "border_color": "#B1B4B6"}
_WRAP = {"text_wrap": True, "valign": "top"}
#: The cell formats, by name.
FORMATS: dict[str, dict] = {
    "cia_text": _WRAP | _BORDER,
    "cia_label": {"bold": True} | _WRAP | _BORDER,
    "cia_muted": {"font_color": "#505A5F"} | _WRAP | _BORDER,
    "cia_link": {"font_color": "#1D70B8", "underline": 1} | _WRAP | _BORDER,
    "cia_plain": dict(_WRAP),
    "cia_header": {"bold": True, "bg_color": "#DDE3EA", "pattern": 1} | _WRAP | _BORDER,
    "cia_title": {"bold": True, "font_size": 14, "valign": "top"},
    "cia_subtitle": {"bold": True, "font_size": 12, "valign": "top"},
    "cia_draft": {"bold": True, "font_size": 14, "font_color": "#FFFFFF", "bg_color": "#D4351C", "pattern": 1,
                  "valign": "vcenter"},
    "cia_final": {"bold": True, "font_size": 12, "font_color": "#00703C", "valign": "vcenter"},
}
#: Widest a sheet's columns may add up to (in Excel's character widths): landscape A4 with half-inch
#: margins holds about 135 at 100%, so a sheet prints at its own 11 point with nothing to shrink.
#: Why not a little wider and let "fit to the page's width" shrink it: LibreOffice then printed a
#: blank page, without even the page header, after a sheet whose heading row repeats (at 140).
PRINT_WIDTH = 134
_URL = re.compile(r"https?://[^\s<>\"]{1,2000}")


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
    if "\n" not in text:
        return -(-len(text) // width) if len(text) > width else 1
    lines = 0
    for line in text.split("\n"):
        lines += -(-len(line) // width) if len(line) > width else 1
    return lines


def _visual_chunks(text: str, width: int, max_lines: int = MAX_LINES) -> list[tuple[str, int]]:
    """Pieces of at most `max_lines` wrapped lines, each with its wrapped line count (measured once,
    here, as the row height needs it); their concatenation is `text`."""
    if len(text) <= width * max_lines:
        lines = _line_count(text, width)
        if lines <= max_lines or len(text) <= width:
            return [(text, lines)]
    starts: list[int] = []  # where each wrapped line starts: one pass, no copies of the rest
    pos, end_of_text = 0, len(text)
    while pos < end_of_text:
        newline = text.find("\n", pos)
        end, stop = (end_of_text, end_of_text) if newline == -1 else (newline, newline + 1)
        start = pos
        while end - start > width:
            cut = text.rfind(" ", start, start + width + 1)
            starts.append(start)
            start = start + width if cut <= start else cut + 1
        if start < stop:
            starts.append(start)
        pos = stop
    starts.append(end_of_text)
    chunks = [text[starts[i] : starts[min(i + max_lines, len(starts) - 1)]] for i in range(0, len(starts) - 1, max_lines)]
    return [(chunk, _line_count(chunk, width)) for chunk in chunks]


def _height(text: str, width_chars: float) -> float | None:
    """Row height (points) for wrapped text in a merged cell, which Excel does not auto-fit."""
    if not text:
        return None
    lines = sum(max(1, math.ceil(len(line) / max(1.0, width_chars))) for line in text.split("\n"))
    return min(409.0, 15.0 * lines + 3)


class Sheet:
    """One worksheet: banner, title, an optional header row and rows of cells.

    Rows are numbered from 1 here, as Excel shows them; XlsxWriter counts from 0.
    """

    def __init__(self, book: _Book, title: str, widths: Sequence[float], heading: str = "") -> None:
        if sum(widths) > PRINT_WIDTH:
            raise ValueError(f"sheet {title!r}: columns add up to {sum(widths)}, over {PRINT_WIDTH}")
        self.book = book
        self.ws = book.wb.add_worksheet(sheet_title(title, book.used))
        self.widths = widths
        self.row = 1
        self.header_row = 0
        self.heights: dict[int, float] = {}
        ws = self.ws
        for i, w in enumerate(widths):
            ws.set_column(i, i, w)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.hide_gridlines(0)  # on screen as usual, not on paper
        ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
        self._header_footer()
        self.banner()
        self.line(heading or title, "cia_title", height=20)

    def _header_footer(self) -> None:
        inp = self.book.inp
        name = header_footer_text(inp.assessment.details.name or "Untitled proposal", 60)
        rev = inp.assessment.revision
        if inp.is_final:
            centre_head = f"{header_footer_text(inp.template.title, 60)} – approved revision {rev}"
            centre_foot = f"Approved revision {rev}"
        else:
            centre_head = centre_foot = f'&"Arial,Bold"&KD4351C{DRAFT_MARK}'
        left_head, left_foot = name, "&A"
        if inp.exempt_mark:  # "Not for publication – ..." first in the header's centre; the name makes room
            centre_head = f"{header_footer_text(inp.exempt_mark, 120)} – {centre_head}"
            left_head, left_foot = "", f"{name} – &A"
        self.ws.set_header((f"&L{left_head}" if left_head else "") + f"&C{centre_head}")
        self.ws.set_footer(f"&L{left_foot}&C{centre_foot}&RPage &P of &N")

    # --- writing ---------------------------------------------------------------

    def text(self, row: int, column: int, text: str, style: str) -> None:
        """Write clean, cell-sized text as a string, never a formula (quote prefix on text that starts
        like one, so Excel does not turn it into one when the cell is edited)."""
        if len(text) > CELL_TEXT_LIMIT and utf16_length(text) > CELL_TEXT_LIMIT:
            raise ValueError("text too long for one cell: split it with split_for_cell()")
        self.ws.write_string(row - 1, column - 1, text, self.book.format(style, looks_like_formula(text)))

    def value(self, row: int, column: int, value: object, style: str) -> None:
        if isinstance(value, str):
            self.text(row, column, value, style)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            self.ws.write_number(row - 1, column - 1, value, self.book.format(style))
        else:
            self.ws.write_blank(row - 1, column - 1, None, self.book.format(style))

    def set_height(self, row: int, height: float) -> None:
        self.heights[row] = height
        self.ws.set_row(row - 1, height)

    def banner(self) -> None:
        inp = self.book.inp
        if inp.is_final:
            text, style = f"Approved – revision {inp.assessment.revision}", "cia_final"
        else:
            text, style = f"{DRAFT_MARK} (revision {inp.assessment.revision})", "cia_draft"
        self.line(text, style, height=22, fill_row=True)

    def line(self, text: str, style: str, height: float | None = None, fill_row: bool = False) -> None:
        """A short unwrapped line in column A (it overflows to the right); not merged."""
        self.text(self.row, 1, clean_line(text)[:1000], style)
        if fill_row:
            for c in range(2, len(self.widths) + 1):
                self.value(self.row, c, None, style)
        if height:
            self.set_height(self.row, height)
        self.row += 1

    def merged(self, text: str, style: str = "cia_plain", height: float | None = -1.0) -> int:
        """One line across every column (banner, title, intro): merged, so height estimated."""
        r = self.row
        for k, piece in enumerate(excel_text(text)):
            if len(self.widths) > 1:
                self.ws.merge_range(self.row - 1, 0, self.row - 1, len(self.widths) - 1, "", self.book.format(style))
            self.text(self.row, 1, piece if k == 0 else f"{CONTINUED} {piece}", style)
            h = _height(piece, sum(self.widths) * 1.1) if height == -1.0 else height
            if h:
                self.set_height(self.row, h)
            self.row += 1
        return r

    def blank(self) -> None:
        self.row += 1

    def header(self, labels: Sequence[str], repeat: bool = True) -> None:
        """A styled header row; the first one is frozen and printed on every page."""
        lines = 1
        for c, label in enumerate(labels, 1):
            text = clean_line(label)
            self.text(self.row, c, text, "cia_header")
            lines = max(lines, _line_count(text, int(self.widths[c - 1])))
        self._set_lines(lines)
        if repeat and not self.header_row:
            self.header_row = self.row
            self.ws.freeze_panes(self.row, 0)
            self.ws.repeat_rows(self.row - 1)
        self.row += 1

    def _set_lines(self, lines: int) -> None:
        if lines > 1:
            self.set_height(self.row, min(409.0, LINE_HEIGHT * lines + 3))

    def _pieces(self, value: object, column: int) -> Sequence[tuple[object, int]]:
        """The cell pieces of one value, each with its wrapped line count."""
        if not isinstance(value, str):
            return [(value, 1)]
        width = int(self.widths[column])
        pieces = excel_text(value)
        if len(pieces) == 1:
            text = pieces[0]
            if len(text) <= width and "\n" not in text:  # the usual short value
                return [(text, 1)]
            return _visual_chunks(text, width)
        return [chunk for piece in pieces for chunk in _visual_chunks(piece, width)]

    def put(self, values: Sequence[object], styles: Sequence[str] | str = "cia_text") -> int:
        """Write one logical row; text too long for one cell continues on the rows below.

        "Too long" is over the cell limit (32,000 characters) or, in practice well
        before, over what a row can show (`MAX_LINES`). Continuation rows carry
        "<first cell> (continued)" in the first column, so a reader (or a filter)
        still knows which row the text belongs to. Row heights are set from the text,
        as Excel and LibreOffice do not size wrapped rows a writer leaves unsized.
        """
        pieces = [self._pieces(v, c) for c, v in enumerate(values)]
        if isinstance(styles, str):
            formats = [self.book.formats(styles)] * len(values)
        else:
            formats = [self.book.formats(styles[c]) for c in range(len(values))]
        first = self.row
        count = max(map(len, pieces))
        if count == 1:  # the usual row: one piece a cell
            self._write_row(self.row - 1, [p[0] for p in pieces], formats)
            self.row += 1
            return first
        for k in range(count):
            row: list[tuple[object, int]] = []
            for c, cell_pieces in enumerate(pieces):
                if k < len(cell_pieces):
                    row.append(cell_pieces[k])
                elif k and c == 0:  # a continuation row names the row it continues
                    value = values[0]
                    text = f"{clean_line(value)[:200] if isinstance(value, str) else ''} {CONTINUED}".strip()
                    row.append((text, _line_count(text, int(self.widths[0]))))
                else:
                    row.append((None, 1))
            self._write_row(self.row - 1, row, formats)
            self.row += 1
        return first

    def _write_row(self, r: int, row: Sequence[tuple[object, int]], formats: list[tuple]) -> None:
        """Write one spreadsheet row of (piece, wrapped lines) and size it to its tallest cell."""
        ws = self.ws
        lines = 1
        for c, (piece, piece_lines) in enumerate(row):
            plain_format, quoted = formats[c]
            if isinstance(piece, str) and piece:
                if len(piece) > CELL_TEXT_LIMIT and utf16_length(piece) > CELL_TEXT_LIMIT:
                    raise ValueError("text too long for one cell: split it with split_for_cell()")
                ws.write_string(r, c, piece, quoted if looks_like_formula(piece) else plain_format)
                if piece_lines > lines:
                    lines = piece_lines
            elif isinstance(piece, int | float) and not isinstance(piece, bool):
                ws.write_number(r, c, piece, plain_format)
            else:
                ws.write_blank(r, c, None, plain_format)
        if lines > 1:
            self.set_height(r + 1, min(409.0, LINE_HEIGHT * lines + 3))

    def link(self, row: int, column: int, url: str, label: str) -> bool:
        """Make the cell at (row, column) a hyperlink to `url` showing `label`; False, writing nothing,
        when `url` is not an http(s) address.

        Why on a short label and not on the address itself: LibreOffice shows a hyperlink cell on one
        line, never wrapped, so a long address would be cut off at the column's edge. The address is
        written whole, as wrapped text, in its own cell; the label beside it opens it.
        """
        if not _URL.fullmatch(url):
            return False
        self.ws.write_url(row - 1, column - 1, url, self.book.format("cia_link"), string=label, tip=url[:255])
        return True


class _Book:
    def __init__(self, inp: ExportInput) -> None:
        self.inp = inp
        self.out = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.out, {
            "in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
        })
        self._formats: dict[str, tuple] = {}
        self.used: set[str] = set()
        self.namer = LocationNamer(inp.template, inp.assessment)
        name = clean_line(inp.assessment.details.name)
        title = clean_line(inp.template.title)
        generated = inp.generated_at
        if generated.tzinfo is not None:  # Excel stores naive UTC datetimes
            generated = generated.astimezone(UTC).replace(tzinfo=None)
        self.wb.set_properties({
            "title": f"{title}: {name}"[:250] if name else title[:250],
            "subject": f"{title} (full workbook)"[:250],
            "author": clean_line(inp.author_name)[:250],
            "company": clean_line(inp.template.organisation or inp.organisation)[:250],
            "keywords": f"{title}; " + ("approved" if inp.is_final else "draft"),
            "comments": f"Revision {inp.assessment.revision}",
            "created": generated,
        })
        self.wb.set_custom_property("Language", "en-GB")

    def formats(self, style: str) -> tuple:
        """The style's format, and the same with a quote prefix (for text that starts like a formula)."""
        if style not in self._formats:
            self._formats[style] = (self.wb.add_format(FORMATS[style]),
                                    self.wb.add_format(FORMATS[style] | {"quote_prefix": True}))
        return self._formats[style]

    def format(self, style: str, quote: bool = False):
        return self.formats(style)[quote]

    def close(self) -> bytes:
        self.wb.close()
        return self.out.getvalue()


# --- sheets -----------------------------------------------------------------


def _cover(book: _Book) -> None:
    inp = book.inp
    a, t = inp.assessment, inp.template
    s = Sheet(book, "Cover", (27, 50, 21, 19, 17), heading=t.title)
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
    s = Sheet(book, spec.title, (16, 22, 22, 24, 24, 26))
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
        s.link(r, 1, item.link.strip(), f"Evidence {n}")


def _team(book: _Book) -> None:
    role = book.inp.template.team_role.name
    s = Sheet(book, "Project team", (25, 25, 32, 23, 12, 17) if role else (28, 27, 36, 26, 17))
    s.header(["Name", "Job title", "Expertise", "Organisation", *([role] if role else []), "Date first involved"])
    members = book.inp.assessment.team.members
    if not members:
        s.put(["No project team recorded", "", "", "", *([""] if role else []), ""])
    for m in members:
        holds = [YES_NO.get(m.has_team_role, m.has_team_role)] if role else []
        s.put([m.name, m.job_title, plain(m.expertise), m.organisation, *holds, format_date(m.date_first_involved)])


def _engagement(book: _Book) -> None:
    s = Sheet(book, "Engagement", (20, 20, 13, 16, 32, 33))
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
    s = Sheet(book, "Checklist", (11, 40, 11, 13, 59))
    s.header(["Rule", "Check", "Severity", "Met", "Findings"])
    for c in checklist_lines(book.inp.report, book.inp.template):
        s.put([c.rule_id, c.title, c.severity, c.answer, c.finding])


def _findings(book: _Book) -> None:
    inp = book.inp
    acks = {x.finding_key: x for x in inp.assessment.acknowledgements}
    s = Sheet(book, "Checker findings", (10, 10, 22, 36, 11, 29, 16))
    s.header(["Severity", "Rule", "Where", "Finding", "Acknowledged", "Reason", "Acknowledged by"])
    if not inp.report.findings:
        s.put(["", "", "", "No findings: the assessment meets every check.", "", "", ""])
    for f in inp.report.findings:
        reason = inp.report.acknowledged.get(f.key, "")
        ack = acks.get(f.key)
        by = ", ".join(x for x in (ack.by, format_date(ack.at)) if x) if ack and reason else ""
        s.put([SEVERITY_LABELS.get(f.severity, f.severity), f.rule_id, book.namer(f.location), f.message, "Yes" if reason else "No",
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


def workbook_xlsx(inp: ExportInput) -> bytes:
    """The full CIA workbook, as .xlsx bytes."""
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
    return book.close()
