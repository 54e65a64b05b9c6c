"""The one place that makes user text safe for office files.

Three traps (docs/decisions/0004-export-layout.md):

* XML 1.0 forbids most control characters; the office libraries raise on them or write
  files that do not open (text pasted from Word carries \\x0b for a line break). `clean()`
  turns the line-break-like ones into "\\n" and drops the rest, so nothing readable is lost.
* A string starting with "=" can become a live formula, and Excel re-evaluates "+", "-",
  "@" on edit. The workbook writes every text as a string, with a quote prefix on text that
  `looks_like_formula()`.
* An Excel cell holds at most 32,767 characters (UTF-16 units) and writers cut the rest
  silently. `split_for_cell()` splits long text into pieces the caller writes to
  continuation cells; the pieces concatenate back to the whole text.
"""

from __future__ import annotations

import re
from typing import Any

#: Largest piece written to one Excel cell (Excel's hard limit is 32,767 UTF-16 units).
CELL_TEXT_LIMIT = 32_000
#: Text starting with one of these is a formula, or becomes one when edited in Excel.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTINUED = "(continued)"

_LINE_BREAKS = {0x0B: "\n", 0x0C: "\n", 0x85: "\n", 0x2028: "\n", 0x2029: "\n\n"}
_TRANSLATE: dict[int, Any] = {c: None for c in range(0x20) if c not in (0x09, 0x0A)}
_TRANSLATE.update(_LINE_BREAKS)
# Lone surrogates cannot be encoded; U+FFFE / U+FFFF are not XML characters.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")
_NEEDS_CLEANING = re.compile("[\x00-\x08\x0b-\x1f\x85\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def clean(text: Any) -> str:
    """User text without XML-illegal characters; line endings normalised to "\\n"."""
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    if not _NEEDS_CLEANING.search(text):  # the usual case: nothing to change
        return text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_TRANSLATE)
    return _NOT_XML.sub("", text)


def clean_line(text: Any) -> str:
    """`clean()` folded onto one line (for headers, sheet names, table labels)."""
    return " ".join(clean(text).split())


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def utf16_length(text: str) -> int:
    """Length as Excel counts it: characters outside the BMP take two units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def split_for_cell(text: str, limit: int = CELL_TEXT_LIMIT) -> list[str]:
    """Pieces of at most `limit` UTF-16 units whose concatenation is `text`.

    Cuts after a line break, else after a space, when one is within the last tenth of a
    piece, so continuation cells start at a word. Always at least one piece.
    """
    if len(text) * 2 <= limit or utf16_length(text) <= limit:
        return [text]
    pieces: list[str] = []
    rest = text
    while utf16_length(rest) > limit:
        cut = min(len(rest), limit)
        excess = utf16_length(rest[:cut]) - limit
        while excess > 0:  # each character is one or two units: drop half the excess in characters
            cut = max(1, cut - (excess + 1) // 2)
            excess = utf16_length(rest[:cut]) - limit
            if cut == 1:
                break
        window = max(1, cut - limit // 10)
        for sep in ("\n", " "):
            at = rest.rfind(sep, window, cut)
            if at != -1:
                cut = at + 1
                break
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return pieces


def excel_text(text: Any) -> list[str]:
    """Clean user text and split it into cell-sized pieces."""
    return split_for_cell(clean(text))


def header_footer_text(text: Any, max_length: int = 80) -> str:
    """Text for an Excel header/footer: one line, "&" escaped (it starts a code there)."""
    line = clean_line(text)
    if len(line) > max_length:
        line = line[: max_length - 1].rstrip() + "…"
    return line.replace("&", "&&")
