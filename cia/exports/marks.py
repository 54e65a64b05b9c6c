"""The exempt mark on every page of the office exports: "Not for publication – Exempt under
Schedule 12A of the Local Government Act 1972, paragraph 3".

Why one module applied to the finished document rather than in each writer: whatever sections or
sheets a writer makes, the mark goes on each of them (a Word section's header and footer; a
sheet's printed header), in one pass just before the file is saved. The PDF carries it in its
@page margin boxes (cia.exports.pdf); the pages show it as a banner.
"""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from cia.exports.textsafe import clean_line

#: GOV.UK red, as the DRAFT mark.
MARK_COLOUR = RGBColor(0xD4, 0x35, 0x1C)


def mark_docx(document: Any, mark: str) -> None:
    """The mark as the first line of the header and the last of the footer of every section."""
    if not mark:
        return
    text = clean_line(mark)
    for section in document.sections:
        for part, first in ((section.header, True), (section.footer, False)):
            part.is_linked_to_previous = False
            existing = part.paragraphs
            if existing and not existing[0 if first else -1].text:
                p = existing[0 if first else -1]
            elif first and existing:
                p = existing[0].insert_paragraph_before()
            else:
                p = part.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(text)
            run.bold = True
            run.font.size = Pt(10)
            run.font.color.rgb = MARK_COLOUR
