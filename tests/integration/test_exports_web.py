"""Downloads from the assessment pages: right files, right names, DRAFT, audited, access-checked."""

from __future__ import annotations

import io
import json
import re

import docx
import openpyxl
import pytest

from cia import exports, jsonformat
from cia.data.imports import import_assessment
from cia.extensions import db
from cia.models import AuditEvent, User
from tests.factories import cabinet_sized_assessment, load_staffordshire, realistic_assessment
from tests.helpers import sign_in

#: kind -> (MIME type, how the file name ends), from the one list of formats.
KINDS = {f.name: (f.mime, f"{f.part}.{f.extension}") for f in exports.FORMATS.values()}


def test_the_formats_are_the_documented_ones():
    assert KINDS == {
        "summary-docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "summary.docx"),
        "summary-pdf": ("application/pdf", "summary.pdf"),
        "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "workbook.xlsx"),
        "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "full.docx"),
        "pdf": ("application/pdf", "full.pdf"),
        "json": ("application/json", "full.json"),
    }


@pytest.fixture
def filled(app, users):
    with app.app_context():
        data = cabinet_sized_assessment(load_staffordshire())
        data.details.name = "Library service review"
        created = import_assessment(data, db.session.get(User, users.author))
        db.session.commit()
        return created.id


def _docx_text(body: bytes) -> str:
    document = docx.Document(io.BytesIO(body))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs]
    return "\n".join(parts)


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_download_has_the_right_type_name_and_audit_row(app, client, filled, kind):
    sign_in(client, "author@example.gov.uk")
    response = client.get(f"/assessments/{filled}/download/{kind}")
    content_type, ending = KINDS[kind]
    assert response.status_code == 200
    assert response.mimetype == content_type
    disposition = response.headers["Content-Disposition"]
    assert re.search(r'filename="CIA-library-service-review-rev1-DRAFT-\d{4}-\d{2}-\d{2}-', disposition)
    assert disposition.endswith(f'{ending}"')
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="assessment.exported").one()
        assert event.details["kind"] == kind and event.assessment_id == filled and event.actor_email


def test_word_summary_says_draft_and_holds_the_proposal(client, filled):
    sign_in(client, "author@example.gov.uk")
    text = _docx_text(client.get(f"/assessments/{filled}/download/summary-docx").data)
    assert "DRAFT" in text and "Library service review" in text
    assert "Checklist and Executive Summary" in text


def test_workbook_marks_every_sheet_draft_and_has_a_sheet_per_section(client, filled):
    sign_in(client, "author@example.gov.uk")
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/assessments/{filled}/download/xlsx").data))
    from cia.exports.workbook import sheet_title

    titles = workbook.sheetnames
    for section in load_staffordshire().sections:
        assert sheet_title(section.title, set()) in titles, section.title
    for sheet in workbook.worksheets:
        assert "DRAFT" in (sheet.oddHeader.center.text or "") + (sheet.oddFooter.center.text or "") + \
            (sheet.oddHeader.left.text or "") + (sheet.oddHeader.right.text or "")


def test_json_download_is_the_documented_format(client, filled):
    sign_in(client, "author@example.gov.uk")
    document = json.loads(client.get(f"/assessments/{filled}/download/json").data)
    assessment = jsonformat.load(document)
    assert assessment.details.name == "Library service review"


def test_unknown_format_is_not_found(client, filled):
    sign_in(client, "author@example.gov.uk")
    assert client.get(f"/assessments/{filled}/download/odt").status_code == 404
    assert client.get(f"/assessments/{filled}/download/pdf?version=secret").status_code == 404


def test_someone_outside_the_team_cannot_download_or_see_the_summary(client, filled):
    sign_in(client, "other@example.gov.uk")
    for path in ("summary", "download/xlsx", "download/json", "community-impact"):
        assert client.get(f"/assessments/{filled}/{path}").status_code == 404


def test_summary_page_lists_every_check_and_the_downloads(client, filled):
    from html import unescape

    from cia.checks import run_checks

    sign_in(client, "author@example.gov.uk")
    html = unescape(client.get(f"/assessments/{filled}/summary").get_data(as_text=True))
    template = load_staffordshire()
    report = run_checks(realistic_assessment(template), template)
    for outcome in report.outcomes:
        assert f'<th scope="row" class="govuk-table__header">{outcome.rule.title}</th>' in html
    assert "CIA-R" not in html  # the checks in plain English: rule codes are the full CIA's
    assert "Download Checklist and Executive Summary (Word)" in html
    assert "Download Full CIA (Excel)" in html
    assert "Draft" in html


def test_downloads_are_on_the_task_list_and_the_view(client, filled):
    sign_in(client, "author@example.gov.uk")
    for path in ("", "/view"):
        html = client.get(f"/assessments/{filled}{path}").get_data(as_text=True)
        assert f"/assessments/{filled}/download/summary-docx" in html
        for kind in KINDS:
            assert f"/assessments/{filled}/download/{kind}" in html
            assert f"/assessments/{filled}/download/{kind}?version=public" in html


def test_community_impact_paragraphs_are_drafted_then_edited_into_the_summary(client, filled):
    sign_in(client, "author@example.gov.uk")
    page = client.get(f"/assessments/{filled}/community-impact").get_data(as_text=True)
    assert "Equalities and Legal" in page
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    response = client.post(f"/assessments/{filled}/community-impact", data={
        "version": version, "equalities_legal": "Due regard has been paid to the PSED (Public Sector Equality Duty).",
        "resources_value": "Saves 120,000 pounds a year.", "risk": "Low.", "climate_change": "Neutral.",
        "health": "Positive for carers.", "completed": "yes", "submit": "continue"})
    assert response.status_code == 302
    text = _docx_text(client.get(f"/assessments/{filled}/download/summary-docx").data)
    assert "Saves 120,000 pounds a year." in text


def test_cli_export_writes_each_format(app, filled, tmp_path):
    runner = app.test_cli_runner()
    for kind in KINDS:
        result = runner.invoke(args=["cia", "export", str(filled), "--format", kind, "--output", str(tmp_path)])
        assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == len(KINDS) and all(n.startswith("CIA-library-service-review-rev1-DRAFT-") for n in names)
    missing = runner.invoke(args=["cia", "export", "999", "--format", "xlsx", "--output", str(tmp_path)])
    assert missing.exit_code != 0 and "no assessment with id 999" in missing.output
