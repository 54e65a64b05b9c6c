"""Opening our Word and Excel files with a real office suite: Debian's LibreOffice, headless.

A council officer opens the exports in Word or Excel; LibreOffice is the office suite a test can
run. `to_pdf` lays a document out as the suite prints it, so a test can count its pages and read its
text back (a file LibreOffice cannot open raises, with what it said). Each conversion uses its own
LibreOffice profile, so tests on parallel workers never share one (a shared profile locks).
"""

from __future__ import annotations

import shutil
import subprocess  # nosec B404: runs LibreOffice on files the test wrote
import tempfile
from io import BytesIO
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def require_office() -> None:
    """Skip outside `make test` when LibreOffice is not installed; CI installs it (`make office`)."""
    if SOFFICE is None:
        import os

        if os.environ.get("CI"):
            pytest.fail("LibreOffice is not installed: make test installs it with `make office`")
        pytest.skip("LibreOffice is not installed (make office installs it)")


def to_pdf(content: bytes, suffix: str, timeout: int = 180) -> bytes:
    """The PDF LibreOffice makes of a .docx or .xlsx file's bytes."""
    require_office()
    with tempfile.TemporaryDirectory(prefix="cia-office-") as work:
        folder = Path(work)
        source = folder / f"document{suffix}"
        source.write_bytes(content)
        profile = (folder / "profile").as_uri()
        result = subprocess.run(  # nosec B603: a fixed program and arguments
            [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
             "--outdir", str(folder), str(source)],
            capture_output=True, text=True, timeout=timeout, check=False)
        made = folder / "document.pdf"
        if not made.exists():
            raise AssertionError(f"LibreOffice could not open the {suffix} file: {result.stdout} {result.stderr}")
        return made.read_bytes()


def page_count(pdf: bytes) -> int:
    with pikepdf.open(BytesIO(pdf)) as document:
        return len(document.pages)


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF, page after page, for asserting that words are there."""
    return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages)
