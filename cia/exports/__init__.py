"""Exports of an assessment: the Checklist and Executive Summary (Word, PDF), the full CIA
workbook (Excel), the full CIA as a Word document or PDF, and JSON.

Everything here works on plain data (`cia.domain`, `cia.checks.base.Report`) and imports
nothing from Flask: a route builds an `ExportInput`, looks the format up in `FORMATS` (the one
list of formats: the download links, `flask cia export --format` and the tests derive from it),
calls its writer and sends the bytes with `filename()` and the format's MIME type.

    summary_docx(inp) -> bytes   cia.exports.summary_docx   "summary-docx"
    summary_pdf(inp) -> bytes    cia.exports.pdf            "summary-pdf"
    workbook_xlsx(inp) -> bytes  cia.exports.workbook       "xlsx"
    full_docx(inp) -> bytes      cia.exports.full_docx      "docx"
    full_pdf(inp) -> bytes       cia.exports.pdf            "pdf"
    json_bytes(inp) -> bytes     cia.exports                "json"

A public version (`ExportInput.public`) is written from `cia.exports.public.public_copy`: the
answers the authors marked confidential are withheld, and the place says so.

All user text goes through `cia.exports.textsafe` on its way into an office file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cia.checks.base import Report
from cia.domain import Assessment, TemplateSpec

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON_CONTENT_TYPE = "application/json"
PDF_CONTENT_TYPE = "application/pdf"

SUMMARY_DOCX = "summary-docx"
SUMMARY_PDF = "summary-pdf"
XLSX = "xlsx"
DOCX = "docx"
PDF = "pdf"
JSON = "json"

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
    #: The public version: `assessment` is already the copy with confidential answers withheld.
    public: bool = False
    #: The print HTML of "full" (the read-only CIA) or "summary", rendered by the web layer from the
    #: same templates as the pages; the PDF is made from it.
    print_html: Callable[[str], str] | None = None
    #: The folder the print HTML's stylesheets are in (the app's static folder): the PDF renderer
    #: reads those files and fetches nothing else.
    static_folder: Path | None = None

    @property
    def is_final(self) -> bool:
        """Only an approved revision is exported without the DRAFT marking."""
        return self.assessment.status == "approved"

    @property
    def exempt_mark(self) -> str:
        """What every page of every output of an assessment that is not for publication says; the
        public version (confidential answers withheld) is for publication, so it is not marked."""
        return "" if self.public else exempt_mark(self.assessment, self.template)


def exempt_mark(assessment: Assessment, template: TemplateSpec) -> str:
    """"Not for publication – Exempt under Schedule 12A of the Local Government Act 1972,
    paragraph 3" (the template's words for the status, and the paragraph the authors chose);
    "" when the assessment is published with the decision or its status is not set. The pages
    show it as a banner; every page of every export carries it in its header or footer."""
    details = assessment.details
    status = template.publication_status(details.publication_status)
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

    "<prefix>-<proposal-slug>-rev<N>-<DRAFT|APPROVED>-<YYYY-MM-DD>-<summary|workbook|full>[-public].<ext>"
    The prefix is the template's reference prefix (CIA, EIA, IIA ...); the date is the day the export
    was generated; "-public" marks the public version.
    """
    if kind not in FORMATS:
        raise ValueError(f"unknown export kind {kind!r}")
    fmt = FORMATS[kind]
    slug = slugify(inp.assessment.details.name) or "untitled"
    state = "APPROVED" if inp.is_final else "DRAFT"
    day = inp.generated_at.strftime("%Y-%m-%d")
    prefix = slugify(inp.template.reference_start).upper() or "CIA"
    public = "-public" if inp.public else ""
    return f"{prefix}-{slug}-rev{int(inp.assessment.revision)}-{state}-{day}-{fmt.part}{public}.{fmt.extension}"


def render(inp: ExportInput, kind: str) -> bytes:
    """The bytes of an export of any kind in `FORMATS`."""
    if kind not in FORMATS:
        raise ValueError(f"unknown export kind {kind!r}")
    return FORMATS[kind].writer(inp)


# --- the formats ---------------------------------------------------------------------------------
# Writers import their module when called: a page that offers the links loads no office library.


def _summary_docx(inp: ExportInput) -> bytes:
    from cia.exports.summary_docx import summary_docx

    return summary_docx(inp)


def _workbook_xlsx(inp: ExportInput) -> bytes:
    from cia.exports.workbook import workbook_xlsx

    return workbook_xlsx(inp)


def _full_docx(inp: ExportInput) -> bytes:
    from cia.exports.full_docx import full_docx

    return full_docx(inp)


def _full_pdf(inp: ExportInput) -> bytes:
    from cia.exports.pdf import full_pdf

    return full_pdf(inp)


def _summary_pdf(inp: ExportInput) -> bytes:
    from cia.exports.pdf import summary_pdf

    return summary_pdf(inp)


def json_bytes(inp: ExportInput) -> bytes:
    """The assessment format (docs/assessment-format.md) of the revision, as it is or its public version."""
    from cia import jsonformat

    return jsonformat.dumps(inp.assessment).encode("utf-8")


@dataclass(frozen=True)
class ExportFormat:
    """One kind of export: what the links call it, its file and the function that writes it."""

    name: str  # the `kind` in URLs and `flask cia export --format`
    label: str  # "Full CIA (Word)": the download link reads "Download <label>"
    part: str  # the file name's part: "summary", "workbook" or "full"
    extension: str
    mime: str
    writer: Callable[[ExportInput], bytes]


#: Every export, in the order the download links list them.
FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat(SUMMARY_DOCX, "Checklist and Executive Summary (Word)", "summary", "docx", DOCX_CONTENT_TYPE,
                 _summary_docx),
    ExportFormat(SUMMARY_PDF, "Checklist and Executive Summary (PDF)", "summary", "pdf", PDF_CONTENT_TYPE,
                 _summary_pdf),
    ExportFormat(XLSX, "Full CIA (Excel)", "workbook", "xlsx", XLSX_CONTENT_TYPE, _workbook_xlsx),
    ExportFormat(DOCX, "Full CIA (Word)", "full", "docx", DOCX_CONTENT_TYPE, _full_docx),
    ExportFormat(PDF, "Full CIA (PDF)", "full", "pdf", PDF_CONTENT_TYPE, _full_pdf),
    ExportFormat(JSON, "JSON", "full", "json", JSON_CONTENT_TYPE, json_bytes),
)}
EXPORT_KINDS = tuple(FORMATS)
CONTENT_TYPES = {f.name: f.mime for f in FORMATS.values()}
