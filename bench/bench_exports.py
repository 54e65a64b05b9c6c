"""Benchmark of the exports: time and peak memory of each, for a 34-row and a 300-row CIA.

Run it as a script (`python bench/bench_exports.py`) or call `run()`, which returns the
figures. The assessments come from `tests.factories.realistic_assessment` (multi-paragraph
answers, bullet lists, pasted tables, URLs, 1-8 risks a row with 1-7 mitigations each).

The workbook (written with XlsxWriter) is compared, in the same run, with XlsxWriter writing
the same cells (values, formats, quote prefixes, merges, hyperlinks, widths, heights, print
set-up) through the small equivalent writer below, and with openpyxl writing those cells:
the difference is the price of our layout code (and what openpyxl would cost).
The cells are read back from our file with openpyxl; each cell's format is recognised from
its font, fill and border (`format_of`).

Time is the median of several runs; peak memory is measured by tracemalloc in a separate
run (tracing slows the code, so it is not timed). tracemalloc sees Python allocations only:
the XML trees python-docx and openpyxl keep in libxml2 are not counted, so the Word figures
understate their real peak. Cost should grow about linearly with
the number of rows: the last column is the 300-row figure over the 34-row one.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
import xlsxwriter  # noqa: E402

from cia import richtext  # noqa: E402
from cia.checks import run_checks  # noqa: E402
from cia.exports import ExportInput  # noqa: E402
from cia.exports.full_docx import full_docx  # noqa: E402
from cia.exports.summary_docx import summary_docx  # noqa: E402
from cia.exports.workbook import FORMATS, workbook_xlsx  # noqa: E402
from tests.factories import load_staffordshire, realistic_assessment  # noqa: E402

REPEATS = 5
XW = "xlsx (XlsxWriter, same cells)"


# --- the same cells, for the library comparison -----------------------------------------


@dataclass
class SheetCells:
    title: str
    widths: dict[str, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    cells: list[tuple[int, int, object, str, bool]] = field(default_factory=list)  # row, col, value, format, quote
    links: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    freeze: tuple[int, int] | None = None
    print_rows: tuple[int, int] | None = None
    header: str = ""
    footer: str = ""


def format_of(cell) -> str:
    """Which of our formats (`cia.exports.workbook.FORMATS`) a cell read back with openpyxl has; ""
    for none."""
    font, fill = cell.font, (cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type else "") or ""
    colour = (font.color.rgb if font.color is not None and isinstance(font.color.rgb, str) else "") or ""
    if fill.endswith("DDE3EA"):
        return "cia_header"
    if fill.endswith("D4351C"):
        return "cia_draft"
    if font.b and colour.endswith("00703C"):
        return "cia_final"
    if font.b and font.sz == 14:
        return "cia_title"
    if font.b and font.sz == 12:
        return "cia_subtitle"
    if font.u:
        return "cia_link"
    if font.b:
        return "cia_label"
    if colour.endswith("505A5F"):
        return "cia_muted"
    if cell.border.left is not None and cell.border.left.style:
        return "cia_text"
    return "cia_plain" if cell.alignment.wrap_text else ""


def snapshot(data: bytes) -> list[SheetCells]:
    """What our workbook holds, as plain data both writers can write."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheets = []
    for ws in wb.worksheets:
        s = SheetCells(ws.title)
        s.widths = {k: d.width for k, d in ws.column_dimensions.items() if d.width}
        s.heights = {k: d.height for k, d in ws.row_dimensions.items() if d.height}
        for row in ws.iter_rows():
            for c in row:
                style = format_of(c)
                if c.value is not None or style:
                    s.cells.append((c.row, c.column, c.value, style, bool(c.quotePrefix)))
                if c.hyperlink is not None:
                    s.links[(c.row, c.column)] = c.hyperlink.target
        s.merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
        if ws.freeze_panes:
            cell = ws[ws.freeze_panes]
            s.freeze = (cell.row - 1, cell.column - 1)
        if ws.print_title_rows:
            first, last = (int(x.lstrip("$")) for x in ws.print_title_rows.split(":"))
            s.print_rows = (first - 1, last - 1)
        s.header = "&C" + (ws.oddHeader.center.text or "")
        s.footer = "&C" + (ws.oddFooter.center.text or "") + "&RPage &P of &N"
        sheets.append(s)
    return sheets


def xlsxwriter_write(sheets: list[SheetCells]) -> bytes:
    """The equivalent XlsxWriter writer: same cells, formats, merges and print set-up."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                   "strings_to_urls": False})
    wb.set_properties({"title": "Community Impact Assessment", "author": "bench"})
    formats = {}
    for name, props in FORMATS.items():
        formats[(name, False)] = wb.add_format(props)
        formats[(name, True)] = wb.add_format(props | {"quote_prefix": True})
    for s in sheets:
        ws = wb.add_worksheet(s.title)
        for letter, width in s.widths.items():
            col = openpyxl.utils.column_index_from_string(letter) - 1
            ws.set_column(col, col, width)
        for row, height in s.heights.items():
            ws.set_row(row - 1, height)
        merged = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in s.merges}
        for row, col, value, style, quote in s.cells:
            fmt = formats.get((style, quote))
            if (row, col) in s.links:
                ws.write_url(row - 1, col - 1, s.links[(row, col)], fmt, string=str(value))
            elif (row, col) in merged:
                r2, c2 = merged[(row, col)]
                ws.merge_range(row - 1, col - 1, r2 - 1, c2 - 1, value if value is not None else "", fmt)
            elif isinstance(value, str):
                ws.write_string(row - 1, col - 1, value, fmt)
            elif value is None:
                ws.write_blank(row - 1, col - 1, None, fmt)
            else:
                ws.write_number(row - 1, col - 1, value, fmt)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.hide_gridlines(0)
        ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
        if s.freeze:
            ws.freeze_panes(*s.freeze)
        if s.print_rows:
            ws.repeat_rows(*s.print_rows)
        ws.set_header(s.header)
        ws.set_footer(s.footer)
    wb.close()
    return out.getvalue()


def _named_styles() -> list[openpyxl.styles.NamedStyle]:
    """`FORMATS` as openpyxl's named styles."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    side = Side(style="thin", color="B1B4B6")
    styles = []
    for name, f in FORMATS.items():
        colour = f.get("font_color", "#000000").lstrip("#")
        style = NamedStyle(name, font=Font(bold=f.get("bold", False), size=f.get("font_size", 11), color=colour,
                                            underline="single" if f.get("underline") else None),
                           alignment=Alignment(wrap_text=f.get("text_wrap", False), vertical="top"))
        if "border" in f:
            style.border = Border(left=side, right=side, top=side, bottom=side)
        if "bg_color" in f:
            style.fill = PatternFill("solid", fgColor=f["bg_color"].lstrip("#"))
        styles.append(style)
    return styles


def openpyxl_write(sheets: list[SheetCells]) -> bytes:
    """openpyxl writing the same cells, without our layout code (library cost only)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for st in _named_styles():
        wb.add_named_style(st)
    for s in sheets:
        ws = wb.create_sheet(s.title)
        for letter, width in s.widths.items():
            ws.column_dimensions[letter].width = width
        for row, height in s.heights.items():
            ws.row_dimensions[row].height = height
        for row, col, value, style, quote in s.cells:
            cell = ws.cell(row=row, column=col)
            if style:
                cell.style = style
            if value is not None:
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"
            if quote:
                cell.quotePrefix = True
        for r1, c1, r2, c2 in s.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- measuring ------------------------------------------------------------------------------


def measure(fn: Callable[[], object], repeats: int = REPEATS) -> dict:
    fn()  # warm up (imports, caches)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"ms": statistics.median(times) * 1000, "peak_mb": peak / 1e6}


def first_export(inp: ExportInput) -> bytes:
    """The workbook with nothing remembered: the answers as plain text (`richtext.to_plain`) are
    remembered between exports, so the "xlsx" line times a repeated export of the same CIA (the Word
    and workbook downloads of one assessment share them) and this one the first."""
    richtext._remembered_plain.cache_clear()
    return workbook_xlsx(inp)


def export_input(rows_per_section: int | None) -> ExportInput:
    template = load_staffordshire()
    a = realistic_assessment(template, rows_per_section=rows_per_section)
    return ExportInput(a, template, run_checks(a, template), [], "Staffordshire County Council",
                       datetime(2024, 7, 1, tzinfo=UTC), "Benchmark")


def measure_all(repeats: int = REPEATS) -> dict:
    """{case: {export: {"ms", "peak_mb"}}} for the 34-row and 300-row CIAs, plus the ratios."""
    results: dict = {}
    for case, rows in (("34 rows", None), ("300 rows", 60)):
        inp = export_input(rows)
        sheets = snapshot(workbook_xlsx(inp))
        n_rows = sum(len(s.rows) for s in inp.assessment.sections)
        results[case] = {
            "rows": n_rows,
            "risks": sum(len(r.risks) for s in inp.assessment.sections for r in s.rows),
            "cells": sum(len(s.cells) for s in sheets),
            "summary-docx": measure(lambda inp=inp: summary_docx(inp), repeats),
            "docx": measure(lambda inp=inp: full_docx(inp), repeats),
            "xlsx": measure(lambda inp=inp: workbook_xlsx(inp), repeats),
            "xlsx (first export of the CIA)": measure(lambda inp=inp: first_export(inp), repeats),
            "xlsx (openpyxl, same cells)": measure(lambda sheets=sheets: openpyxl_write(sheets), repeats),
            "xlsx (XlsxWriter, same cells)": measure(lambda sheets=sheets: xlsxwriter_write(sheets), repeats),
        }
    small, large = results["34 rows"], results["300 rows"]
    results["ratio 300/34"] = {k: large[k]["ms"] / small[k]["ms"] for k in small if isinstance(small[k], dict)}
    results["ratio 300/34"]["rows"] = large["rows"] / small["rows"]
    return results


def run(repeats: int = REPEATS) -> dict:
    """The figures as `make bench` records them: one row per export, both sizes side by side."""
    results = measure_all(repeats)
    small, large, ratio = results["34 rows"], results["300 rows"], results["ratio 300/34"]
    rows = [{"export": key, "34 rows ms": f"{small[key]['ms']:.1f}", "34 rows peak MB": f"{small[key]['peak_mb']:.1f}",
             "300 rows ms": f"{large[key]['ms']:.1f}", "300 rows peak MB": f"{large[key]['peak_mb']:.1f}",
             "300/34": f"{ratio[key]:.1f}"} for key in ratio if key != "rows"]
    notes = (f"34-row CIA: {small['rows']} rows, {small['risks']} risks, {small['cells']} workbook cells; "
             f"300-row CIA: {large['rows']} rows, {large['risks']} risks, {large['cells']} workbook cells "
             f"({ratio['rows']:.1f} times the rows). Median of {repeats} runs; peak memory by tracemalloc "
             "(Python allocations only). The workbook is written with XlsxWriter; the two \"same cells\" lines "
             "write its cells without our layout code, through openpyxl and through XlsxWriter: the price of "
             "our layout, and what openpyxl would cost. \"xlsx\" is a repeated export of the same CIA (answers "
             "are remembered as plain text between exports); \"first export\" forgets them before each run. "
             f"Workbook over XlsxWriter, same cells, 300 rows: {large['xlsx']['ms'] / large[XW]['ms']:.2f}x "
             f"repeated, {large['xlsx (first export of the CIA)']['ms'] / large[XW]['ms']:.2f}x first.\n")
    return {"title": "Exports (in process)", "rows": rows, "notes": notes}


def main() -> None:
    results = measure_all()
    small, large, ratio = results["34 rows"], results["300 rows"], results["ratio 300/34"]
    print(f"34-row CIA: {small['rows']} rows, {small['risks']} risks, {small['cells']} workbook cells")
    print(f"300-row CIA: {large['rows']} rows, {large['risks']} risks, {large['cells']} workbook cells")
    print()
    print(f"{'export':32} {'34 rows ms':>11} {'MB':>7} {'300 rows ms':>12} {'MB':>7} {'300/34':>7}")
    for key in ratio:
        if key == "rows":
            continue
        print(f"{key:32} {small[key]['ms']:11.1f} {small[key]['peak_mb']:7.1f} {large[key]['ms']:12.1f} "
              f"{large[key]['peak_mb']:7.1f} {ratio[key]:7.1f}")
    print(f"{'(rows)':32} {'':11} {'':7} {'':12} {'':7} {ratio['rows']:7.1f}")


if __name__ == "__main__":
    main()
