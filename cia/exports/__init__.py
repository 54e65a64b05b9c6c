"""Exports of an assessment: the Checklist and Executive Summary (Word), the full CIA
workbook (Excel), the full CIA as a Word document, and JSON.

Everything here works on plain data (`cia.domain`, `cia.checks.base.Report`) and imports
nothing from Flask: a route builds an `ExportInput`, calls one builder and sends the
bytes with `filename()` and `CONTENT_TYPES`.

    summary_docx(inp) -> bytes   cia.exports.summary_docx   "summary-docx"
    workbook_xlsx(inp) -> bytes  cia.exports.workbook       "xlsx"
    full_docx(inp) -> bytes      cia.exports.full_docx      "docx"

All user text goes through `cia.exports.textsafe` on its way into an office file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cia.checks.base import Report
from cia.domain import Assessment, TemplateSpec

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON_CONTENT_TYPE = "application/json"

SUMMARY_DOCX = "summary-docx"
XLSX = "xlsx"
DOCX = "docx"
JSON = "json"
EXPORT_KINDS = (SUMMARY_DOCX, XLSX, DOCX, JSON)

CONTENT_TYPES = {
    SUMMARY_DOCX: DOCX_CONTENT_TYPE,
    XLSX: XLSX_CONTENT_TYPE,
    DOCX: DOCX_CONTENT_TYPE,
    JSON: JSON_CONTENT_TYPE,
}
#: kind -> (file name part, extension)
_NAME_PARTS = {
    SUMMARY_DOCX: ("summary", "docx"),
    XLSX: ("workbook", "xlsx"),
    DOCX: ("full", "docx"),
    JSON: ("full", "json"),
}

DRAFT_MARK = "DRAFT – not approved"
NOT_FOR_PUBLICATION = "Not for publication"


@dataclass
class RevisionSummary:
    """One line of the revision history (the audit summary in the exports)."""

    revision: int
    status: str
    status_label: str
    started_at: str = ""
    started_by: str = ""
    approved_at: str = ""


@dataclass
class ExportInput:
    """Everything an export needs; built by the web layer (or a test) from the database."""

    assessment: Assessment
    template: TemplateSpec
    report: Report
    history: list[RevisionSummary] = field(default_factory=list)
    organisation: str = ""
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    author_name: str = ""

    @property
    def is_final(self) -> bool:
        """Only an approved revision is exported without the DRAFT marking."""
        return self.assessment.status == "approved"

    @property
    def exempt_mark(self) -> str:
        """What every page of every output of an assessment that is not for publication says:
        "Not for publication – Exempt under Schedule 12A of the Local Government Act 1972,
        paragraph 3" (the template's words for the status, and the paragraph the authors chose);
        "" when the assessment is published with the decision or its status is not set."""
        details = self.assessment.details
        status = self.template.publication_status(details.publication_status)
        if status is None or status.published:
            return ""
        paragraph = f", paragraph {details.exempt_paragraph}" if status.asks_paragraph and details.exempt_paragraph else ""
        return f"{NOT_FOR_PUBLICATION} – {status.label}{paragraph}"


def slugify(text: str, max_length: int = 60) -> str:
    """ASCII, lower-case, hyphen-separated; "" when nothing usable is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length]
        if "-" in slug[max_length // 2 :]:  # cut at a word boundary when one is near
            slug = slug.rsplit("-", 1)[0]
    return slug.strip("-")


def filename(inp: ExportInput, kind: str) -> str:
    """A meaningful, safe ASCII file name for an export.

    "<prefix>-<proposal-slug>-rev<N>-<DRAFT|APPROVED>-<YYYY-MM-DD>-<summary|workbook|full>.<ext>"
    The prefix is the template's reference prefix (CIA, EIA, IIA ...); the date is the day the export
    was generated.
    """
    if kind not in _NAME_PARTS:
        raise ValueError(f"unknown export kind {kind!r}")
    part, ext = _NAME_PARTS[kind]
    slug = slugify(inp.assessment.details.name) or "untitled"
    state = "APPROVED" if inp.is_final else "DRAFT"
    day = inp.generated_at.strftime("%Y-%m-%d")
    prefix = slugify(inp.template.reference_start).upper() or "CIA"
    return f"{prefix}-{slug}-rev{int(inp.assessment.revision)}-{state}-{day}-{part}.{ext}"


def render(inp: ExportInput, kind: str) -> bytes:
    """The bytes of an office export ("summary-docx", "xlsx" or "docx")."""
    if kind == SUMMARY_DOCX:
        from cia.exports.summary_docx import summary_docx

        return summary_docx(inp)
    if kind == XLSX:
        from cia.exports.workbook import workbook_xlsx

        return workbook_xlsx(inp)
    if kind == DOCX:
        from cia.exports.full_docx import full_docx

        return full_docx(inp)
    raise ValueError(f"render() builds the office exports only, not {kind!r}")
