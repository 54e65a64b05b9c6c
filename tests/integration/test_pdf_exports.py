"""The PDFs for publication, exempt (Schedule 12A) marking on every page of every output, and the
public version that withholds the answers the authors marked confidential.

The PDFs are read back as a reader would: pikepdf for the structure (tags, language, title,
bookmarks, table header cells), poppler's pdftotext for the text of each page. The Word and Excel
files are laid out by LibreOffice (tests/office.py) and read page by page the same way.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess  # nosec B404: runs pdftotext on files the test wrote
import tempfile
from pathlib import Path

import docx
import openpyxl
import pikepdf
import pytest

from cia import exports
from cia.data.imports import import_assessment
from cia.exports.pdf import BASE_URL, StaticOnly
from cia.extensions import db
from cia.models import User
from tests.factories import cabinet_sized_assessment, load_staffordshire
from tests.helpers import sign_in
from tests.office import to_pdf

SECRET_RISK = "Closing the Tamworth office would reveal the confidential lease terms of the landlord"
WITHHELD = "Withheld: confidential (Schedule 12A paragraph 3)"


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, as poppler's pdftotext reads it (in the order it was written, so a table
    cell's text is not interleaved with its neighbours')."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext is not installed: make test installs it (poppler-utils)")
    with tempfile.TemporaryDirectory(prefix="cia-pdf-") as work:
        source = Path(work) / "document.pdf"
        source.write_bytes(pdf)
        result = subprocess.run([tool, "-raw", "-enc", "UTF-8", str(source), "-"],  # nosec B603: fixed program
                                capture_output=True, check=True, timeout=120)
    pages = result.stdout.decode("utf-8").split("\f")
    return [" ".join(page.split()) for page in pages[:-1]]  # the text ends with a form feed


def _store(users, *, exempt: bool = False, confidential: bool = False) -> int:
    data = cabinet_sized_assessment(load_staffordshire())
    data.details.name = "Library service review"
    if exempt:
        data.details.publication_status, data.details.exempt_paragraph = "exempt", "3"
    row = next(r for r in data.section("psed").rows if r.key == "race")
    row.impact = "yes"
    row.risks[0].text = SECRET_RISK
    row.confidential = confidential
    created = import_assessment(data, db.session.get(User, users.author))
    db.session.commit()
    return created.id


@pytest.fixture
def plain(app, users):
    with app.app_context():
        return _store(users)


@pytest.fixture
def exempt(app, users):
    with app.app_context():
        return _store(users, exempt=True, confidential=True)


def _structure(pdf: bytes) -> dict:
    """What a screen reader and a PDF viewer read: language, title, marking, bookmarks, tag counts."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        outline: list[str] = []
        with document.open_outline() as tree:
            todo = list(tree.root)
            while todo:
                item = todo.pop(0)
                outline.append(item.title)
                todo[:0] = list(item.children)
        tags: dict[str, int] = {}
        headed_cells = 0
        todo = [root.StructTreeRoot]
        while todo:
            node = todo.pop()
            if not isinstance(node, pikepdf.Dictionary):
                continue
            if "/S" in node:
                tags[str(node.S)] = tags.get(str(node.S), 0) + 1
                if str(node.S) == "/TD" and "/A" in node and "/Headers" in node.A:
                    headed_cells += 1
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                todo.extend(kids)
            elif isinstance(kids, pikepdf.Dictionary):
                todo.append(kids)
        return {"lang": str(root.get("/Lang", "")), "marked": bool(root.MarkInfo.get("/Marked", False)),
                "title": str(document.docinfo.get("/Title", "")), "outline": outline, "tags": tags,
                "headed_cells": headed_cells, "pages": len(document.pages),
                "display_title": bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False))}


def test_the_full_cia_pdf_is_tagged_in_english_with_a_title_bookmarks_and_the_answers_as_text(client, plain):
    sign_in(client, "author@example.gov.uk")
    response = client.get(f"/assessments/{plain}/download/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].endswith('-full.pdf"')
    found = _structure(response.data)
    assert found["lang"] == "en-GB" and found["marked"]
    assert found["title"] == "Community Impact Assessment: Library service review (revision 1)"
    for section in load_staffordshire().sections:
        assert any(section.title in title for title in found["outline"]), section.title
    assert "Proposal details" in found["outline"]
    assert found["tags"]["/H1"] == 1 and found["tags"]["/H2"] >= 9
    assert found["tags"]["/TH"] > 30 and found["headed_cells"] > 30, "data cells name their header cells"
    text = " ".join(page_texts(response.data))
    assert SECRET_RISK in text and "Library service review" in text
    assert "Download" not in text, "the links and buttons of the page are not printed"


def test_the_summary_pdf_is_tagged_and_holds_the_checklist(client, plain):
    sign_in(client, "author@example.gov.uk")
    response = client.get(f"/assessments/{plain}/download/summary-pdf")
    found = _structure(response.data)
    assert found["lang"] == "en-GB" and found["marked"] and found["tags"]["/TH"] > 5
    assert found["title"] == "Checklist and Executive Summary: Library service review (revision 1)"
    assert {"Checklist and Executive Summary", "Key facts", "Checklist"} <= set(found["outline"])
    text = " ".join(page_texts(response.data))
    assert "DRAFT – not approved" in text and "Not for publication" not in text


def test_an_exempt_cia_says_not_for_publication_on_every_page_of_every_output(client, exempt):
    mark = ("Not for publication – Exempt under Schedule 12A of the Local Government Act 1972, paragraph 3")
    sign_in(client, "author@example.gov.uk")
    for path in ("view", "summary"):
        assert mark in client.get(f"/assessments/{exempt}/{path}").get_data(as_text=True), path
    laid_out = {kind: client.get(f"/assessments/{exempt}/download/{kind}").data for kind in ("pdf", "summary-pdf")}
    for kind, suffix in (("docx", ".docx"), ("summary-docx", ".docx"), ("xlsx", ".xlsx")):
        laid_out[kind] = to_pdf(client.get(f"/assessments/{exempt}/download/{kind}").data, suffix)
    for kind, pdf in laid_out.items():
        pages = page_texts(pdf)
        assert pages, kind
        unmarked = [n for n, text in enumerate(pages, 1) if "Not for publication" not in text]
        assert not unmarked, f"{kind}: pages {unmarked} of {len(pages)} are not marked"
        assert "paragraph 3" in pages[0], kind
    with_words = docx.Document(io.BytesIO(client.get(f"/assessments/{exempt}/download/docx").data))
    for section in with_words.sections:
        assert mark in "\n".join(p.text for p in section.header.paragraphs)
        assert mark in "\n".join(p.text for p in section.footer.paragraphs)
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/assessments/{exempt}/download/xlsx").data))
    assert all(ws.oddHeader.center.text.startswith(mark) for ws in book.worksheets)


def _texts(kind: str, body: bytes) -> str:
    if kind.endswith("pdf"):
        return " ".join(page_texts(body))
    if kind.endswith("docx"):
        document = docx.Document(io.BytesIO(body))
        parts = [p.text for p in document.paragraphs]
        parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return " ".join(" ".join(parts).split())
    if kind == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(body))
        return " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    return json.dumps(json.loads(body), ensure_ascii=False)


def test_the_public_version_withholds_the_confidential_answers_in_every_format_and_says_so(app, client, exempt):
    sign_in(client, "author@example.gov.uk")
    for kind in exports.FORMATS:
        full = client.get(f"/assessments/{exempt}/download/{kind}")
        public = client.get(f"/assessments/{exempt}/download/{kind}?version=public")
        assert public.status_code == 200, kind
        assert public.headers["Content-Disposition"].endswith(f'-public.{exports.FORMATS[kind].extension}"'), kind
        public_text, full_text = _texts(kind, public.data), _texts(kind, full.data)
        assert "Library service review" in public_text, kind
        assert "Tamworth office" not in public_text, kind
        if kind.startswith("summary"):
            continue  # the summary lists a few key risks, not every row: it says nothing of this one
        assert WITHHELD in public_text, kind
        assert SECRET_RISK in " ".join(full_text.split()), kind
        assert WITHHELD not in full_text, kind
    # The public version is for publication: its pages are not marked "Not for publication"
    public_pdf = page_texts(client.get(f"/assessments/{exempt}/download/pdf?version=public").data)
    assert not any("Not for publication" in page for page in public_pdf)
    assert "public version" in _structure(client.get(
        f"/assessments/{exempt}/download/summary-pdf?version=public").data)["title"]


def test_the_cli_writes_the_pdf_and_the_public_version(app, exempt, tmp_path):
    runner = app.test_cli_runner()
    for extra in ([], ["--public"]):
        result = runner.invoke(args=["cia", "export", str(exempt), "--format", "pdf", "--output", str(tmp_path),
                                     *extra])
        assert result.exit_code == 0, result.output
    public, full = sorted(tmp_path.iterdir(), key=lambda p: p.name.endswith("-full.pdf"))
    assert full.name.endswith("-full.pdf") and public.name.endswith("-full-public.pdf")
    assert SECRET_RISK in " ".join(page_texts(full.read_bytes()))
    assert WITHHELD in " ".join(page_texts(public.read_bytes()))
    assert "Tamworth office" not in " ".join(page_texts(public.read_bytes()))


def test_the_pdf_renderer_reads_only_the_apps_static_files(app):
    fetcher = StaticOnly(Path(app.static_folder))
    assert fetcher.fetch(f"{BASE_URL}static/images/favicon.svg").read().startswith(b"<svg")
    for url in ("https://example.com/static/css/app.css", "http://print.invalid/static/css/app.css",
                f"{BASE_URL}static/../../cia/config.py", f"{BASE_URL}cia/config.py", "file:///etc/passwd",
                f"{BASE_URL}static/no-such-file.css", "http://169.254.169.254/latest/meta-data/"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
