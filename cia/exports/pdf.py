"""The full CIA and the Checklist and Executive Summary as tagged PDF for publication.

Why WeasyPrint from the print HTML: the PDF says what the pages say (the same templates and print
stylesheet, so there is one layout to keep right), WeasyPrint writes PDF/UA-1 (tagged: headings,
lists and tables with their header cells; document language and title; headings as bookmarks), and
no office suite is needed when the service runs.

It never fetches anything from outside: `StaticOnly` serves the stylesheets and images of the app's
static folder and refuses every other address, so a link or image in an answer cannot make the
server call out. Fonts are the system's (Liberation Sans stands in for Arial).
"""

from __future__ import annotations

import functools
import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from cia.exports import DRAFT_MARK, ExportInput

#: The address the print HTML is read from: its "/static/..." links resolve under it.
BASE_URL = "https://print.invalid/"

PDF_VARIANT = "pdf/ua-1"


def full_pdf(inp: ExportInput) -> bytes:
    """The full CIA, as the read-only page prints it."""
    return _pdf(inp, "full")


def summary_pdf(inp: ExportInput) -> bytes:
    """The Checklist and Executive Summary, as its page prints it."""
    return _pdf(inp, "summary")


def _pdf(inp: ExportInput, document: str) -> bytes:
    if inp.print_html is None or inp.static_folder is None:
        raise ValueError("a PDF needs the print HTML and the static folder (ExportInput.print_html, static_folder)")
    marks = [m for m in (inp.exempt_mark, "" if inp.is_final else DRAFT_MARK) if m]
    return html_to_pdf(inp.print_html(document), inp.static_folder, marks)


def css_string(text: str) -> str:
    """`text` as a CSS string literal: quotes, backslashes and line breaks escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("\r", "")
    return f'"{escaped}"'


def page_css(marks: list[str]) -> str:
    """A4 landscape pages (the council's template is a wide table) with the marks (exempt, DRAFT) at
    the top of every page and "Page N of M" at the foot; type and columns sized for paper."""
    top = f"@top-center {{ content: {css_string(' – '.join(marks))}; font-weight: bold; font-size: 9pt; }}" if marks else ""
    return f"""
@page {{ size: A4 landscape; margin: 16mm 14mm 16mm 14mm;
  {top}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); font-size: 8pt; }} }}
html {{ font-family: "Liberation Sans", Arial, sans-serif; font-size: 9pt; }}
body, .govuk-body, .govuk-body-s, .govuk-list, .govuk-table, .govuk-summary-list, .govuk-hint, .govuk-tag,
.govuk-caption-l, .govuk-warning-text__text, .app-cia-table, .app-cia-table .govuk-body, .app-cia-table .govuk-list {{
  font-family: inherit !important; font-size: 9pt !important; line-height: 1.3 !important; }}
.govuk-heading-xl {{ font-size: 20pt !important; margin-bottom: 4mm !important; }}
.govuk-heading-l {{ font-size: 15pt !important; margin: 5mm 0 3mm !important; }}
.govuk-heading-m {{ font-size: 12pt !important; margin: 4mm 0 2mm !important; }}
.govuk-heading-s {{ font-size: 10pt !important; }}
.govuk-width-container {{ max-width: none !important; margin: 0 !important; }}
.govuk-main-wrapper {{ padding: 0 !important; }}
.govuk-grid-column-two-thirds, .govuk-grid-column-one-third {{ width: 100% !important; float: none !important; }}
.govuk-body, .govuk-list, .govuk-summary-list, .govuk-table {{ margin-bottom: 3mm !important; }}
.govuk-table__header, .govuk-table__cell, .govuk-summary-list__key, .govuk-summary-list__value {{
  padding: 1.5mm 2mm 1.5mm 0 !important; }}
.app-table-scroll {{ overflow: visible !important; }}
.app-cia-table {{ width: 100% !important; }}
.app-cia-table th.app-cia-table__area {{ width: 14% !important; }}
.app-cia-table thead th:nth-child(2) {{ width: 20% !important; }}
.app-cia-table thead th:nth-child(3) {{ width: 24% !important; }}
.app-cia-table thead th:nth-child(4) {{ width: auto !important; }}
.app-risks > li {{ margin-bottom: 1.5mm !important; }}
.govuk-template__header, .govuk-template__footer, .govuk-phase-banner {{ display: none !important; }}
/* WeasyPrint does not evaluate width media queries: the desktop layout of summary lists, by hand */
.govuk-summary-list {{ display: table !important; width: 100%; table-layout: fixed; border-collapse: collapse; }}
.govuk-summary-list__row {{ display: table-row !important; border-bottom: 1px solid #b1b4b6; }}
.govuk-summary-list__key, .govuk-summary-list__value {{ display: table-cell !important;
  border-bottom: 1px solid #b1b4b6; vertical-align: top; }}
.govuk-summary-list__key {{ width: 30%; font-weight: bold; }}
"""


class StaticOnly(URLFetcher):
    """A WeasyPrint URL fetcher that reads files of the static folder and refuses every other URL."""

    def __init__(self, static_folder: Path):
        super().__init__(allowed_protocols=("https",))
        self.root = static_folder.resolve()

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith("/static/"):
            raise ValueError(f"the PDF fetches only the app's own static files, not {url}")
        path = (self.root / unquote(parts.path[len("/static/"):])).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ValueError(f"no static file {parts.path}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})


#: The pages' stylesheets, in the order the layout links them (the print HTML of a PDF leaves them out).
STYLESHEETS = ("css/app.css", "css/print.css")


@functools.lru_cache(maxsize=4)
def _stylesheets(static_folder: Path, versions: tuple[float, ...]) -> tuple[CSS, ...]:
    """The pages' stylesheets, parsed once per process (about a tenth of a PDF's time); parsed
    again when a file changes (`versions` are their modification times)."""
    fetcher = StaticOnly(static_folder)
    return tuple(CSS(url=f"{BASE_URL}static/{name}", url_fetcher=fetcher, media_type="print") for name in STYLESHEETS)


def html_to_pdf(html: str, static_folder: Path, marks: list[str]) -> bytes:
    """PDF/UA-1 bytes of the print HTML (its <title> and lang become the document's title and
    language), laid out with the pages' stylesheets and the page rules."""
    # WeasyPrint warns on CSS it does not support (GOV.UK Frontend's screen-only rules): not news.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fetcher = StaticOnly(static_folder)
    versions = tuple((static_folder / name).stat().st_mtime for name in STYLESHEETS)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher, media_type="print")
    sheets = [*_stylesheets(static_folder, versions), CSS(string=page_css(marks))]
    pdf = document.write_pdf(stylesheets=sheets, pdf_variant=PDF_VARIANT)
    if pdf is None:
        raise RuntimeError("WeasyPrint wrote no PDF")
    return pdf
