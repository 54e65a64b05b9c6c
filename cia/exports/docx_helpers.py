"""Word building blocks shared by the Checklist and Executive Summary and the full CIA.

A `DocxWriter` owns one python-docx Document: A4 pages, en-GB language on every style,
core properties, "DRAFT – not approved" in the page header (every page) when the
revision is not approved, and user markup (`cia.richtext`) rendered as paragraphs,
"List Bullet" / "List Number" lists, nested tables and real hyperlinks.

Tables are in council document style (docs/decisions/0025-council-document-style.md):
no row of a table with column headings ever breaks across a page (w:cantSplit on every
row, so "Healthy Lifestyles" is never cut in two), the header row repeats on every page (w:tblHeader), and the
layout is fixed with the column widths given, so Word and LibreOffice lay a table out
the same way instead of sizing columns from their content. A writer given a `font`
sets it on every style (the full CIA uses Arial, 11 point).

Tables are filled row by row through the cells of each new row, never with
`table.cell(i, j)`, which is quadratic in python-docx. For speed (a 300-row CIA), new
rows are copies of an empty row, paragraph and table styles are set by style id, and
paragraphs and runs are built with lxml directly: python-docx looks styles up by
scanning styles.xml each time, and its element API costs several calls per element.
Text without markup skips the markup parser.
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
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement

from cia import richtext
from cia.exports import DRAFT_MARK, ExportInput
from cia.exports.marks import mark_docx
from cia.exports.textsafe import clean, clean_line

LANGUAGE = "en-GB"
#: The full CIA's font: Arial, which every council PC has (LibreOffice shows it in the
#: metric-compatible Liberation Sans), at 11 point for body text.
COUNCIL_FONT = "Arial"
BODY_POINTS = 11
_W_P, _W_R, _W_RPR, _W_B, _W_I, _W_BR, _W_TAB, _W_T = (
    qn(t) for t in ("w:p", "w:r", "w:rPr", "w:b", "w:i", "w:br", "w:tab", "w:t"))
_XML_SPACE = qn("xml:space")
_W_PPR, _W_PSTYLE, _W_VAL = qn("w:pPr"), qn("w:pStyle"), qn("w:val")
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
    ppr = SubElement(p._p, _W_PPR)
    p._p.insert(0, ppr)
    if style:
        SubElement(ppr, _W_PSTYLE, {_W_VAL: style})
    if num_id is not None:
        num_pr = SubElement(ppr, qn("w:numPr"))
        SubElement(num_pr, qn("w:ilvl"), {qn("w:val"): "0"})
        SubElement(num_pr, qn("w:numId"), {qn("w:val"): str(num_id)})


_NS = nsdecls("w", "r")


def esc(text: str) -> str:
    """Clean text escaped for XML character data and attributes."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def run_xml(text: str, bold: bool = False, italic: bool = False) -> str:
    """One w:r of clean text ("\\n" becomes a line break, "\\t" a tab)."""
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    start = f"<w:r><w:rPr>{props}</w:rPr>" if props else "<w:r>"
    if "\n" not in text and "\t" not in text:
        return f'{start}<w:t xml:space="preserve">{esc(text)}</w:t></w:r>' if text else f"{start}</w:r>"
    parts = [start]
    for i, line in enumerate(text.split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{esc(piece)}</w:t>')
    parts.append("</w:r>")
    return "".join(parts)


def paragraph_xml(runs: str, style: str = "", num_id: int | None = None) -> str:
    if not style and num_id is None:
        return f"<w:p>{runs}</w:p>"
    numbering = (f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
                 if num_id is not None else "")
    style_el = f'<w:pStyle w:val="{style}"/>' if style else ""
    return f"<w:p><w:pPr>{style_el}{numbering}</w:pPr>{runs}</w:p>"


def cell_xml(width: int, content: str, span: int = 1) -> str:
    """A w:tc `width` twips wide, across `span` grid columns. A cell's last block must be a paragraph."""
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if not content.endswith("</w:p>"):
        content += "<w:p/>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def row_xml(cells: Sequence[str], header: bool = False, keep: bool = True) -> str:
    """A w:tr that never breaks across a page (and, for a header row, repeats on every page)."""
    props = ('<w:cantSplit w:val="true"/>' if keep else "") + ('<w:tblHeader w:val="true"/>' if header else "")
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>"


def append_xml(parent, xml: str) -> list:
    """Parse block-level XML (paragraphs, tables, rows) and append it to `parent` (w:body before its
    sectPr, a w:tc or a w:tbl); returns the new elements. One parse for many elements: far cheaper
    than building them one python-docx call at a time."""
    if not xml:
        return []
    holder = parse_xml(f"<w:tbl {_NS}>{xml}</w:tbl>")
    new = list(holder)
    sect_pr = parent.find(qn("w:sectPr")) if parent.tag == qn("w:body") else None
    for el in new:
        if sect_pr is not None:
            sect_pr.addprevious(el)
        else:
            parent.append(el)
    return new


class DocxWriter:
    def __init__(self, inp: ExportInput, title: str, subject: str, landscape: bool = False,
                 font: str = "") -> None:
        self.inp = inp
        self.doc = Document()
        self.body = self.doc
        self._set_language()
        if font:
            self._set_font(font, BODY_POINTS)
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
        self.text_width = Mm(297 - 36) if landscape else Mm(210 - 36)  # the page less its margins
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

    def _set_font(self, font: str, points: int) -> None:
        """`font` in every style and the document defaults (the template's theme fonts dropped),
        body text at `points`."""
        styles = self.doc.styles.element
        defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for rfonts in styles.iter(qn("w:rFonts")):
            for attr in list(rfonts.attrib):
                if attr.endswith("Theme") or attr.endswith("theme"):
                    del rfonts.attrib[attr]
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                rfonts.set(qn(attr), font)
        for tag, value in (("w:sz", str(points * 2)), ("w:szCs", str(points * 2))):
            _set_on(defaults, tag, **{"w:val": value})

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

    def inlines_xml(self, inlines: Sequence, bold: bool = False) -> str:
        out = []
        for x in inlines:
            if isinstance(x, richtext.LineBreak):
                out.append("<w:r><w:br/></w:r>")
            elif isinstance(x, richtext.Link) and x.url and richtext.safe_url(x.url):
                out.append(self.hyperlink_xml(x.text or x.url, x.url))
                if x.text and x.text != x.url:
                    out.append(run_xml(f" ({x.url})"))
            elif x.text:
                out.append(run_xml(x.text, bold=bold))
        return "".join(out)

    def hyperlink_xml(self, text: str, url: str) -> str:
        r_id = self.doc.part.relate_to(url, RT.HYPERLINK, is_external=True)
        return (f'<w:hyperlink r:id="{r_id}"><w:r><w:rPr><w:rStyle w:val="{self.link_style}"/></w:rPr>'
                f'<w:t xml:space="preserve">{esc(text)}</w:t></w:r></w:hyperlink>')

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

    def rich_xml(self, text: str, width: int = 0, lead: str = "") -> str:
        """User markup as Word block XML: paragraphs, "List Bullet" / "List Number" items and
        tables (`width` twips wide, the width of the cell or page they sit in).

        `lead` is runs to put at the start of the first paragraph (a bold "Risk 1: " before the
        risk's text); "" when the text is empty and there is no lead.
        """
        text = clean(text)
        if richtext.is_plain(text):  # one plain paragraph: no need to parse
            body = text.strip()
            return f"<w:p>{lead}{run_xml(body) if body else ''}</w:p>" if body or lead else ""
        out: list[str] = []
        for block in richtext.parse(text):
            if isinstance(block, richtext.Paragraph):
                out.append(paragraph_xml(lead + self.inlines_xml(block.inlines)))
            elif isinstance(block, richtext.BulletList):
                out.extend(paragraph_xml((lead if n == 0 else "") + self.inlines_xml(item), self.s_bullet)
                           for n, item in enumerate(block.items))
            elif isinstance(block, richtext.NumberedList):
                num_id = self._restart_numbering()
                out.extend(paragraph_xml((lead if n == 0 else "") + self.inlines_xml(item), self.s_number, num_id)
                           for n, item in enumerate(block.items))
            elif isinstance(block, richtext.Table) and block.rows:
                if lead:
                    out.append(paragraph_xml(lead))
                out.append(self._table_xml(block, width or Mm(174).twips))
            else:
                continue
            lead = ""
        if lead:
            out.append(paragraph_xml(lead))
        return "".join(out)

    def _table_xml(self, block: richtext.Table, width: int) -> str:
        """A pasted table: fixed layout, equal columns filling `width`, header row repeated."""
        cols = max(len(r) for r in block.rows)
        col = max(1, (width - 120) // cols)
        rows = []
        for n, row in enumerate(block.rows):
            header = block.header and n == 0
            cells = [cell_xml(col, paragraph_xml(self.inlines_xml(content, bold=header))) for content in row]
            cells += [cell_xml(col, "")] * (cols - len(row))
            rows.append(row_xml(cells, header=header, keep=False))
        grid = f'<w:gridCol w:w="{col}"/>' * cols
        return (f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.s_grid}"/><w:tblW w:w="{col * cols}" w:type="dxa"/>'
                f'<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0"/></w:tblPr>'
                f'<w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')

    def rich(self, text: str, container=None, first=None) -> None:
        """User markup as Word blocks, appended to `container` (the body or a table cell).

        `first` is an empty paragraph to use for the first paragraph-like block (a table
        cell's own paragraph), so cells do not start with a blank line.
        """
        target = container or self.doc
        if isinstance(target, _Cell):
            parent, width = target._tc, int((target.width or Mm(100)).twips)
        else:
            parent, width = self.doc.element.body, int(self.text_width.twips)
        new = append_xml(parent, self.rich_xml(text, width))
        if first is not None and new and new[0].tag == _W_P:
            # the first block's runs continue `first` (a cell's own paragraph, or one holding a label)
            head = new[0]
            ppr = head.find(_W_PPR)
            if ppr is not None and first._p.find(_W_PPR) is None:
                first._p.insert(0, ppr)
            for child in list(head):
                if child.tag != _W_PPR:
                    first._p.append(child)
            parent.remove(head)

    # --- tables ------------------------------------------------------------------

    @staticmethod
    def keep_row(tr) -> None:
        """The row never breaks across a page."""
        _set_on(tr.get_or_add_trPr(), "w:cantSplit", **{"w:val": "true"})

    @classmethod
    def repeat_header(cls, row) -> None:
        cls.keep_row(row._tr)
        # schema order within w:trPr: cantSplit before tblHeader
        _set_on(row._tr.get_or_add_trPr(), "w:tblHeader", **{"w:val": "true"})

    @staticmethod
    def fix_layout(table, widths_mm: Sequence[float]) -> None:
        """Fixed layout at the given column widths (grid and table width), so the office suite
        does not size columns from their content: a long link cannot squeeze its neighbours."""
        for col, width in zip(table.columns, widths_mm, strict=False):
            col.width = Mm(width)
        tbl_pr = table._tbl.tblPr
        total = str(int(sum(Mm(w).twips for w in widths_mm)))
        _set_on(tbl_pr, "w:tblW", **{"w:w": total, "w:type": "dxa"})
        layout = tbl_pr.find(qn("w:tblLayout"))
        if layout is None:  # schema order: tblLayout comes after tblW, tblJc, tblInd, tblBorders, tblShd
            layout = OxmlElement("w:tblLayout")
            later = [tbl_pr.find(qn(t)) for t in ("w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")]
            anchor = next((el for el in later if el is not None), None)
            if anchor is not None:
                anchor.addprevious(layout)
            else:
                tbl_pr.append(layout)
        layout.set(qn("w:type"), "fixed")

    def table(self, headers: Sequence[str], widths_mm: Sequence[float] | None = None, container=None):
        """A grid table with a bold header row that repeats on every page."""
        target = container or self.doc
        table = target.add_table(rows=1, cols=len(headers))
        table._tbl.tblPr.style = self.s_grid
        if widths_mm:
            self.fix_layout(table, widths_mm)
        table._cia_widths = self.column_widths(table)
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
            DocxWriter.keep_row(tr)
            table._cia_empty_row = copy.deepcopy(tr)
        else:
            tr = copy.deepcopy(template)
            table._tbl.append(tr)
        return [_Cell(tc, table) for tc in tr.tc_lst]

    @staticmethod
    def column_widths(table) -> list[int]:
        """The table's column widths in twips, from its grid."""
        return [int(col.width.twips) if col.width else Mm(30).twips for col in table.columns]

    def row(self, table, values: Sequence[str | None], rich: Sequence[bool] | None = None):
        """Add a row; `rich[i]` renders values[i] as markup, else as plain text. Built as one piece
        of XML (`row_xml`); returns its cells."""
        widths = getattr(table, "_cia_widths", None) or self.column_widths(table)
        cells = []
        for i, width in enumerate(widths):
            value = values[i] if i < len(values) else None
            if not value:
                content = ""
            elif rich and rich[i]:
                content = self.rich_xml(value, width)
            else:
                content = paragraph_xml(run_xml(clean(value)))
            cells.append(cell_xml(width, content))
        (tr,) = append_xml(table._tbl, row_xml(cells))
        return [_Cell(tc, table) for tc in tr.findall(qn("w:tc"))]

    def key_values(self, lines: Sequence[tuple[str, str, bool]], widths_mm=(55, 115)):
        """A two-column table of label / value (no header row).

        Its rows may run on to the next page, as the paragraphs of a long answer would: LibreOffice
        drops the rest of a table like this one whose rows are all kept whole when it starts near the
        foot of a page (the rows after the first vanish from the layout)."""
        table = self.doc.add_table(rows=0, cols=2)
        table._tbl.tblPr.style = self.s_grid
        self.fix_layout(table, widths_mm)
        first, second = self.column_widths(table)
        rows = []
        for label, value, is_rich in lines:
            content = self.rich_xml(value, second) if is_rich else paragraph_xml(run_xml(clean(value)))
            rows.append(row_xml([cell_xml(first, paragraph_xml(run_xml(clean_line(label), bold=True))),
                                 cell_xml(second, content)], keep=False))
        append_xml(table._tbl, "".join(rows))
        return table
