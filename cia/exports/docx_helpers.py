"""Word building blocks shared by the Checklist and Executive Summary and the full CIA.

A `DocxWriter` owns one python-docx Document: A4 pages, en-GB language on every style,
core properties, "DRAFT – not approved" in the page header (every page) when the
revision is not approved, tables whose header row repeats on every page, and user
markup (`cia.richtext`) rendered as paragraphs, "List Bullet" / "List Number" lists,
nested tables and real hyperlinks.

Tables are filled row by row through the cells of each new row, never with
`table.cell(i, j)`, which is quadratic in python-docx. For speed (a 300-row CIA), new
rows are copies of an empty row, paragraph and table styles are set by style id, and
runs are built directly: python-docx looks styles up by scanning styles.xml each time.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from datetime import UTC

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement

from cia import richtext
from cia.exports import DRAFT_MARK, ExportInput
from cia.exports.marks import mark_docx
from cia.exports.textsafe import clean, clean_line

LANGUAGE = "en-GB"
_W_P, _W_R, _W_RPR, _W_B, _W_I, _W_BR, _W_TAB, _W_T = (
    qn(t) for t in ("w:p", "w:r", "w:rPr", "w:b", "w:i", "w:br", "w:tab", "w:t"))
_XML_SPACE = qn("xml:space")
LINK_COLOUR = RGBColor(0x1D, 0x70, 0xB8)
DRAFT_COLOUR = RGBColor(0xD4, 0x35, 0x1C)


def _set_on(parent, tag: str, **attrs: str):
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.append(el)
    for k, v in attrs.items():
        el.set(qn(k), v)
    return el


def _style_paragraph(p, style: str, num_id: int | None) -> None:
    """Set the paragraph style (and numbering) on a paragraph that has no w:pPr yet,
    or through python-docx when it has one."""
    if p._p.pPr is not None:
        ppr = p._p.pPr
        if style:
            ppr.style = style
        if num_id is not None:
            num_pr = ppr.get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num_id
        return
    ppr = OxmlElement("w:pPr")
    p._p.insert(0, ppr)
    if style:
        SubElement(ppr, qn("w:pStyle"), {qn("w:val"): style})
    if num_id is not None:
        num_pr = SubElement(ppr, qn("w:numPr"))
        SubElement(num_pr, qn("w:ilvl"), {qn("w:val"): "0"})
        SubElement(num_pr, qn("w:numId"), {qn("w:val"): str(num_id)})


class DocxWriter:
    def __init__(self, inp: ExportInput, title: str, subject: str, landscape: bool = False) -> None:
        self.inp = inp
        self.doc = Document()
        self.body = self.doc
        self._set_language()
        props = self.doc.core_properties
        name = clean_line(inp.assessment.details.name)
        props.title = f"{title}: {name}" if name else title
        props.subject = subject
        props.author = clean_line(inp.author_name)
        props.last_modified_by = clean_line(inp.author_name)
        props.language = LANGUAGE
        document_title = clean_line(inp.template.title)
        props.keywords = f"{document_title}; " + ("approved" if inp.is_final else "draft")
        props.category = document_title
        props.comments = f"Revision {inp.assessment.revision}"
        generated = inp.generated_at
        if generated.tzinfo is not None:
            generated = generated.astimezone(UTC).replace(tzinfo=None)
        props.created = generated
        props.modified = generated
        props.revision = max(1, int(inp.assessment.revision))

        styles = self.doc.styles
        self.s_bullet = styles["List Bullet"].style_id
        self.s_number_style = styles["List Number"]
        self.s_number = self.s_number_style.style_id
        self.s_grid = styles["Table Grid"].style_id
        self.s_link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        self.s_link.font.color.rgb = LINK_COLOUR
        self.s_link.font.underline = True
        self.link_style = self.s_link.style_id
        self.s_normal = styles["Normal"]
        self.s_normal.paragraph_format.space_after = Pt(6)
        self._number_abstract = None

        section = self.doc.sections[0]
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        else:
            section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(18))
        self._header_footer(section, title)

    # --- document set-up ---------------------------------------------------------

    def _set_language(self) -> None:
        """w:lang en-GB on the document defaults and on every style that sets a language."""
        styles = self.doc.styles.element
        for lang in styles.iter(qn("w:lang")):
            lang.set(qn("w:val"), LANGUAGE)
            lang.set(qn("w:eastAsia"), LANGUAGE)
        defaults = styles.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_on(rpr, "w:lang", **{"w:val": LANGUAGE, "w:eastAsia": LANGUAGE})

    def _header_footer(self, section, title: str) -> None:
        a = self.inp.assessment
        header = section.header
        header.is_linked_to_previous = False
        hp = header.paragraphs[0]
        hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if self.inp.is_final:
            hp.add_run(f"Approved – revision {a.revision}")
        else:
            run = hp.add_run(DRAFT_MARK)
            run.bold = True
            run.font.size = Pt(14)
            run.font.color.rgb = DRAFT_COLOUR
        footer = section.footer
        footer.is_linked_to_previous = False
        fp = footer.paragraphs[0]
        name = clean_line(a.details.name) or "Untitled proposal"
        if len(name) > 90:
            name = name[:89] + "…"
        fp.add_run(f"{title}: {name} – revision {a.revision}"
                   + ("" if self.inp.is_final else " – DRAFT") + " – page ")
        self._field(fp, "PAGE")
        fp.add_run(" of ")
        self._field(fp, "NUMPAGES")

    @staticmethod
    def _field(paragraph, code: str) -> None:
        for kind, text in (("begin", None), ("instr", f" {code} "), ("separate", None), ("text", "1"),
                           ("end", None)):
            r = OxmlElement("w:r")
            if kind == "instr":
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            elif kind == "text":
                el = OxmlElement("w:t")
                el.text = text
            else:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            r.append(el)
            paragraph._p.append(r)

    def to_bytes(self) -> bytes:
        mark_docx(self.doc, self.inp.exempt_mark)
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    # --- text --------------------------------------------------------------------

    def heading(self, text: str, level: int):
        return self.doc.add_heading(clean_line(text), level)

    def para(self, text: str = "", bold: bool = False, italic: bool = False, container=None, style: str = ""):
        """A paragraph of plain text; `style` is a paragraph style id."""
        p = self.new_paragraph(container or self.doc, style)
        if text:
            self.run(p, clean(text), bold=bold, italic=italic)
        return p

    @staticmethod
    def new_paragraph(container, style: str = "", num_id: int | None = None):
        """A new paragraph at the end of the body or of a table cell, with a style id
        and, for a numbered list item, its numbering instance."""
        if isinstance(container, _Cell):  # in a cell, a paragraph simply goes last
            p = Paragraph(SubElement(container._tc, _W_P), container)
        else:
            p = container.add_paragraph()
        if style or num_id is not None:
            _style_paragraph(p, style, num_id)
        return p

    @staticmethod
    def run(p, text: str, bold: bool = False, italic: bool = False) -> None:
        """Append a run of clean text ("\\n" becomes a line break, "\\t" a tab).

        Built with lxml's SubElement (the document's parser still gives python-docx's
        element classes): several times faster than python-docx's add_r/add_t.
        """
        r = SubElement(p._p, _W_R)
        if bold or italic:
            rpr = SubElement(r, _W_RPR)
            if bold:
                SubElement(rpr, _W_B)
            if italic:
                SubElement(rpr, _W_I)
        for i, line in enumerate(text.split("\n")):
            if i:
                SubElement(r, _W_BR)
            for j, piece in enumerate(line.split("\t")):
                if j:
                    SubElement(r, _W_TAB)
                if piece:
                    t = SubElement(r, _W_T)
                    t.text = piece
                    if piece[0].isspace() or piece[-1].isspace():
                        t.set(_XML_SPACE, "preserve")

    def draft_banner(self) -> None:
        if not self.inp.is_final:
            p = self.doc.add_paragraph()
            run = p.add_run(f"{DRAFT_MARK}. This revision has not been signed off.")
            run.bold = True
            run.font.color.rgb = DRAFT_COLOUR
            run.font.size = Pt(13)

    def _inlines(self, p, inlines: Sequence, bold: bool = False) -> None:
        for x in inlines:
            if isinstance(x, richtext.LineBreak):
                p._p.add_r().add_br()
            elif isinstance(x, richtext.Link) and x.url and richtext.safe_url(x.url):
                self.hyperlink(p, x.text or x.url, x.url)
                if x.text and x.text != x.url:
                    self.run(p, f" ({x.url})")
            elif x.text:
                self.run(p, x.text, bold=bold)

    def hyperlink(self, p, text: str, url: str) -> None:
        r_id = p.part.relate_to(url, RT.HYPERLINK, is_external=True)
        link = SubElement(p._p, qn("w:hyperlink"), {qn("r:id"): r_id})
        r = SubElement(link, _W_R)
        SubElement(SubElement(r, _W_RPR), qn("w:rStyle"), {qn("w:val"): self.link_style})
        t = SubElement(r, _W_T, {_XML_SPACE: "preserve"})
        t.text = text

    def _restart_numbering(self) -> int:
        """A new numbering instance of the "List Number" list, starting at 1.

        Built by hand: python-docx's add_num() rescans every w:num for a free id.
        """
        numbering = self.doc.part.numbering_part.element
        if self._number_abstract is None:
            num_id = self.s_number_style.element.pPr.numPr.numId.val
            self._number_abstract = numbering.num_having_numId(num_id).abstractNumId.val
            self._next_num_id = max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1
        num_id = self._next_num_id
        self._next_num_id += 1
        num = SubElement(numbering, qn("w:num"), {qn("w:numId"): str(num_id)})
        SubElement(num, qn("w:abstractNumId"), {qn("w:val"): str(self._number_abstract)})
        override = SubElement(num, qn("w:lvlOverride"), {qn("w:ilvl"): "0"})
        SubElement(override, qn("w:startOverride"), {qn("w:val"): "1"})
        return num_id

    def rich(self, text: str, container=None, first=None) -> None:
        """User markup as Word blocks, appended to `container` (the body or a table cell).

        `first` is an empty paragraph to use for the first paragraph-like block (a table
        cell's own paragraph), so cells do not start with a blank line.
        """
        target = container or self.doc
        blocks = richtext.parse(clean(text))
        pending = first

        def new_paragraph(style: str = "", num_id: int | None = None):
            nonlocal pending
            if pending is not None:
                p, pending = pending, None
                if style or num_id is not None:
                    _style_paragraph(p, style, num_id)
                return p
            return self.new_paragraph(target, style, num_id)

        for block in blocks:
            if isinstance(block, richtext.Paragraph):
                self._inlines(new_paragraph(), block.inlines)
            elif isinstance(block, richtext.BulletList):
                for item in block.items:
                    self._inlines(new_paragraph(self.s_bullet), item)
            elif isinstance(block, richtext.NumberedList):
                num_id = self._restart_numbering()
                for item in block.items:
                    self._inlines(new_paragraph(self.s_number, num_id), item)
            elif isinstance(block, richtext.Table) and block.rows:
                if pending is not None and target is not self.doc:
                    pending = None  # a cell must start with its paragraph; keep it before the table
                width = max(len(r) for r in block.rows)
                table = target.add_table(rows=0, cols=width)
                table._tbl.tblPr.style = self.s_grid
                for n, row in enumerate(block.rows):
                    cells = self.add_row(table)
                    for cell, content in zip(cells, row, strict=False):
                        self._inlines(cell.paragraphs[0], content, bold=block.header and n == 0)
                    if n == 0 and block.header:
                        self.repeat_header(table.rows[0])

    # --- tables ------------------------------------------------------------------

    @staticmethod
    def repeat_header(row) -> None:
        tr_pr = row._tr.get_or_add_trPr()
        # schema order within w:trPr: cantSplit before tblHeader
        _set_on(tr_pr, "w:cantSplit", **{"w:val": "true"})
        _set_on(tr_pr, "w:tblHeader", **{"w:val": "true"})

    def table(self, headers: Sequence[str], widths_mm: Sequence[float] | None = None, container=None):
        """A grid table with a bold header row that repeats on every page."""
        target = container or self.doc
        table = target.add_table(rows=1, cols=len(headers))
        table._tbl.tblPr.style = self.s_grid
        if widths_mm:
            for col, width in zip(table.columns, widths_mm, strict=False):
                col.width = Mm(width)
        header = table.rows[0]
        widths: list[float | None] = list(widths_mm) if widths_mm else [None] * len(headers)
        for cell, text, cell_width in zip(header.cells, headers, widths, strict=False):
            if cell_width:
                cell.width = Mm(cell_width)
            self.run(cell.paragraphs[0], clean_line(text), bold=True)
        self.repeat_header(header)
        return table

    @staticmethod
    def add_row(table) -> list:
        """Append a row and return its cells: a copy of an empty row after the first."""
        template = getattr(table, "_cia_empty_row", None)
        if template is None:
            tr = table.add_row()._tr
            table._cia_empty_row = copy.deepcopy(tr)
        else:
            tr = copy.deepcopy(template)
            table._tbl.append(tr)
        return [_Cell(tc, table) for tc in tr.tc_lst]

    def row(self, table, values: Sequence[str | None], rich: Sequence[bool] | None = None, keep: bool = False):
        """Add a row; `rich[i]` renders values[i] as markup, else as plain text.

        `keep` stops a (short) row from breaking across pages.
        """
        cells = self.add_row(table)
        if keep:
            _set_on(cells[0]._tc.getparent().get_or_add_trPr(), "w:cantSplit", **{"w:val": "true"})
        for i, (cell, value) in enumerate(zip(cells, values, strict=False)):
            if not value:
                continue
            if rich and rich[i]:
                self.rich(value, container=cell, first=cell.paragraphs[0])
            else:
                self.run(cell.paragraphs[0], clean(value))
        return cells

    def key_values(self, lines: Sequence[tuple[str, str, bool]], widths_mm=(55, 115)):
        """A two-column table of label / value (no header row)."""
        table = self.doc.add_table(rows=0, cols=2)
        table._tbl.tblPr.style = self.s_grid
        for col, w in zip(table.columns, widths_mm, strict=False):
            col.width = Mm(w)
        for label, value, is_rich in lines:
            cells = self.add_row(table)
            self.run(cells[0].paragraphs[0], clean_line(label), bold=True)
            if is_rich:
                self.rich(value, container=cells[1], first=cells[1].paragraphs[0])
            else:
                self.run(cells[1].paragraphs[0], clean(value))
        return table

    @staticmethod
    def merge_down(cells_by_row: list, col: int) -> None:
        """Merge column `col` of consecutive rows vertically (w:vMerge), in O(rows)."""
        if len(cells_by_row) < 2:
            return
        for i, cells in enumerate(cells_by_row):
            tc_pr = cells[col]._tc.get_or_add_tcPr()
            el = OxmlElement("w:vMerge")
            if i == 0:
                el.set(qn("w:val"), "restart")
            tc_pr.append(el)
