"""Abbreviations: the maintained allow-list, expansions in brackets, and what is not prose.

An abbreviation counts as spelled out when brackets follow its words ("Looked after
children and care leavers (LAC&CL)", "Integrated Care Boards (ICBs)") or its words follow
it in brackets ("ICB (Integrated Care Board)"); each part of a compound ("LAC&CL",
"SEN/D", "ASC-CYP") counts as spelled out with it. Web addresses and file names are
masked first: their capitals are not abbreviations.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

_LIST_FILE = Path(__file__).with_name("abbreviations.txt")

# An abbreviation as written in brackets: capitals, with compound parts joined by & / + or -.
_ABBREVIATION = r"[A-Z][A-Z0-9]*[a-z]?[A-Z][A-Z0-9]*(?:[&/+-][A-Z][A-Za-z0-9]*)*"
DEFINED_AFTER = re.compile(rf"[A-Za-z][\w’'-]*[ \t]*\([ \t]*({_ABBREVIATION})(?:s['’]?|['’]s?)?[ \t]*\)")
DEFINED_BEFORE = re.compile(
    rf"\b({_ABBREVIATION})(?:s['’]?|['’]s?)?[ \t]*\([ \t]*([A-Za-z][\w’'-]*(?:[ \t,&/-]+[\w’'-]+)+)[ \t]*\)"
)
_PARTS = re.compile(r"[&/+-]")
#: File names and paths: "ASC_Strategy_2024.pdf", "S:\\ASC\\Data", "JSNA-2024.xlsx".
FILE_NAME = re.compile(
    r"(?:[A-Za-z]:\\|\\\\)[^\s]+|[\w.()-]*[\w)]\.(?:pdf|docx?|xlsx?|xlsm|pptx?|csv|odt|ods|odp|rtf|txt|zip|msg|jpe?g|png)\b",
    re.I,
)


@functools.cache
def allow_list() -> frozenset[str]:
    lines = _LIST_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


#: National Insurance numbers ("JT 48 21 76 B"): personal details (rule CIA-R09), not abbreviations.
NI_NUMBER = re.compile(r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


def mask_file_names(text: str) -> str:
    """`text` with its file names, paths and National Insurance numbers blanked (same length)."""
    if "." in text or "\\" in text:
        text = FILE_NAME.sub(_blank, text)
    return NI_NUMBER.sub(_blank, text) if any(c.isdigit() for c in text) else text


def _parts(token: str) -> list[str]:
    """ "LAC&CL" -> ["LAC&CL", "LAC", "CL"]; "ICB" -> ["ICB"]."""
    pieces = [p for p in _PARTS.split(token) if p]
    return [token] + pieces if len(pieces) > 1 else [token]


_WORD = re.compile(r"[A-Za-z][A-Za-z’']*")
_WORDS_BEFORE = 12  # words before the brackets in which an expansion is looked for


def expands(words: str, abbreviation: str) -> bool:
    """Whether `words` can be the expansion of `abbreviation`: its letters, in order, are initials of the
    words ("Looked after children and care leavers" for LAC&CL; "Office for Health Improvement and
    Disparities" for OHID), and the first letter is the initial of one of the last words before it."""
    letters = [c for c in abbreviation.upper() if c.isalpha()]
    initials = [w[0].upper() for w in _WORD.findall(words.replace("-", " ").replace("/", " "))]
    if not letters or not initials:
        return False
    # The expansion ends at the brackets: match the letters backwards from the last word.
    i = len(initials) - 1
    for letter in reversed(letters):
        while i >= 0 and initials[i] != letter:
            i -= 1
        if i < 0:
            return False
        i -= 1
    return True


def defined_in(text: str) -> dict[int, str]:
    """{position of each letter group of an abbreviation spelled out in `text`: that group}."""
    positions: dict[int, str] = {}
    for m in DEFINED_AFTER.finditer(text):
        before = " ".join(_WORD.findall(text[max(0, m.start() - 200):m.start(1)])[-_WORDS_BEFORE:])
        if expands(before, m.group(1)):
            _add(positions, m.group(1), m.start(1))
    for m in DEFINED_BEFORE.finditer(text):
        if any(c.islower() for c in m.group(2)) and expands(m.group(2), m.group(1)):
            _add(positions, m.group(1), m.start(1))
    return positions


def _add(positions: dict[int, str], token: str, start: int) -> None:
    offset = 0
    for piece in _PARTS.split(token):
        if piece:
            positions[start + offset] = piece.rstrip("s") if piece.endswith("s") and piece[:-1].isupper() else piece
        offset += len(piece) + 1
    if len(_parts(token)) > 1:
        positions.setdefault(-start - 1, token)  # the compound itself, at a key no letter group uses
