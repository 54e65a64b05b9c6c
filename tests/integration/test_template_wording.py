"""A council's own wording comes from its template, never from the code.

Two templates run side by side: the seeded council template (which asks about a team role and calls
its documents "Community Impact Assessment") and a second council's (tests/data, which asks about no
role and has its own document title). Each author sees, and each export says, only their own.
"""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from sqlalchemy import select

from cia.data import templates
from cia.extensions import db
from cia.models import Template, TemplateVersion
from tests.helpers import error_summary, page_fields, post_page, signed_in
from tests.integration.designer_support import (
    ADMIN,
    AUTHOR,
    IIA_YAML,
    main_text,
    new_draft,
    seeded_version_id,
    spec,
)

ROLE_QUESTION = "Are they a District Commissioning Lead (DCL)?"


def _import_second_template(app, tmp_path, document_title: str = "Integrated Impact Assessment Record") -> int:
    text = IIA_YAML.read_text(encoding="utf-8").replace(
        "version: 1\n", f"version: 1\ndocument_title: {document_title}\n", 1)
    path = tmp_path / "second-template.yaml"
    path.write_text(text, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["cia", "template-import", str(path), "--publish"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        template = db.session.execute(select(Template).where(Template.name == "Integrated Impact Assessment")).scalar_one()
        return template.versions[0].id


def _start(author, name: str, version_id: int | None = None) -> int:
    data = {"name": name} if version_id is None else {"name": name, "template": str(version_id)}
    response = author.post("/assessments/new", data=data)
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        xml = " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    return re.sub(r"<[^>]+>", " ", xml)


def _xlsx_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = " ".join(str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value)
    headers = " ".join(ws.oddHeader.center.text or "" for ws in book.worksheets)
    return f"{cells} {headers} {book.properties.title} {book.properties.subject}"


@pytest.fixture
def author(app, users):
    return signed_in(app, AUTHOR)


def test_the_team_role_is_asked_only_where_the_template_asks_it(app, author, tmp_path):
    second = _import_second_template(app, tmp_path)
    council = _start(author, "Closing a library", seeded_version_id(app))
    other = _start(author, "Closing the Ambridge office", second)

    url = f"/assessments/{council}/team"
    html = post_page(author, url, {}, action="add:members").get_data(as_text=True)
    assert ROLE_QUESTION in html and "District Commissioning Leads (DCLs) must be engaged" in html
    fields = page_fields(html)
    response = post_page(author, url, {"members-0-name": "Priya Shah", "members-0-has_team_role": "yes"},
                         submit="later", fields=fields)
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    view = main_text(author.get(f"/assessments/{council}/view").get_data(as_text=True))
    assert "District Commissioning Lead" in view

    url = f"/assessments/{other}/team"
    html = post_page(author, url, {}, action="add:members").get_data(as_text=True)
    assert "District Commissioning" not in html and "has_team_role" not in html
    fields = page_fields(html)
    response = post_page(author, url, {"members-0-name": "Olu Other"}, submit="later", fields=fields)
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    view = main_text(author.get(f"/assessments/{other}/view").get_data(as_text=True))
    assert "Olu Other" in view and "District Commissioning" not in view
    staff = main_text(author.get(f"/assessments/{other}/staff").get_data(as_text=True))
    assert "SCC" not in staff and "council's staff" in staff


def test_exports_are_titled_and_headed_by_their_own_template(app, author, tmp_path):
    second = _import_second_template(app, tmp_path)
    council = _start(author, "Closing a library", seeded_version_id(app))
    other = _start(author, "Closing the Ambridge office", second)

    theirs = _xlsx_text(author.get(f"/assessments/{other}/download/xlsx").data)
    assert "Integrated Impact Assessment Record" in theirs and "Borsetshire District Council" in theirs
    assert "Community Impact Assessment" not in theirs and "District Commissioning" not in theirs
    assert "Staffordshire" not in theirs
    for kind in ("docx", "summary-docx"):
        text = _docx_text(author.get(f"/assessments/{other}/download/{kind}").data)
        assert "Integrated Impact Assessment Record" in text and "Borsetshire District Council" in text
        assert "Community Impact Assessment" not in text and "Staffordshire" not in text

    ours = _xlsx_text(author.get(f"/assessments/{council}/download/xlsx").data)
    assert "Community Impact Assessment" in ours and "Staffordshire County Council" in ours
    assert "District Commissioning Lead" in ours  # the team sheet's column for its role


def test_the_checklist_uses_the_templates_wording_of_each_rule(app, author):
    council = _start(author, "Closing a library")
    summary = main_text(author.get(f"/assessments/{council}/summary").get_data(as_text=True))
    assert "District Commissioning Leads are engaged at an early stage" in summary


def test_the_header_names_the_first_templates_council_when_no_name_is_configured(app, author):
    assert app.config["CIA_ORGANISATION_NAME"] == ""
    assert "Staffordshire County Council" in author.get("/").get_data(as_text=True)


# --- the designer ---------------------------------------------------------------------------


@pytest.fixture
def admin(app, users):
    return signed_in(app, ADMIN)


def test_an_administrator_sets_the_council_wording_of_a_draft(admin, app):
    draft = new_draft(admin, app)
    url = f"/templates/versions/{draft}/details"
    fields = page_fields(admin.get(url).get_data(as_text=True))
    assert fields["team_role_name"] == "District Commissioning Lead"
    response = post_page(admin, url, {
        "document_title": "Equality Impact Assessment", "team_role_name": "Housing Officer",
        "team_role_plural": "Housing Officers", "team_role_question": "Are they a Housing Officer?",
        "team_role_guidance": "Involve the area's Housing Officer from the start.",
    }, fields=fields, submit="save")
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    saved = spec(app, draft)
    assert saved.title == "Equality Impact Assessment"
    assert saved.team_role.question == "Are they a Housing Officer?"


def test_a_team_role_question_without_the_role_is_refused_and_nothing_is_lost(app, admin):
    draft = new_draft(admin, app)
    url = f"/templates/versions/{draft}/details"
    fields = page_fields(admin.get(url).get_data(as_text=True))
    response = post_page(admin, url, {"team_role_name": "", "team_role_question": "Are they a warden?",
                                      "document_title": "Typed title"}, fields=fields, submit="save")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ("#team_role_name", "Enter the name of the team role, or remove its question and guidance") in error_summary(html)
    assert 'value="Are they a warden?"' in html and 'value="Typed title"' in html
    assert spec(app, draft).team_role.name == "District Commissioning Lead"  # nothing saved


def test_the_rules_page_shows_unlisted_rules_as_off_and_keeps_each_rules_wording(app, admin):
    draft = new_draft(admin, app)
    with app.app_context():
        version = db.session.get(TemplateVersion, draft)
        content = templates.spec_for_version(draft).copy()
        del content.rule_settings["CIA-R16"]
        templates.write_spec(version, content)
        db.session.commit()
    url = f"/templates/versions/{draft}/rules"
    fields = page_fields(admin.get(url).get_data(as_text=True))
    r16 = next(k for k, v in fields.items() if v == "CIA-R16").rsplit("-", 1)[0]
    r07 = next(k for k, v in fields.items() if v == "CIA-R07").rsplit("-", 1)[0]
    assert fields[f"{r16}-enabled"] == "no"
    assert fields[f"{r07}-title"] == "District Commissioning Leads are engaged at an early stage"
    response = post_page(admin, url, {f"{r07}-severity": "warning"}, fields=fields, submit="save")
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    setting = spec(app, draft).rule_settings["CIA-R07"]
    assert setting.severity == "warning" and setting.title == "District Commissioning Leads are engaged at an early stage"
    assert setting.sentence.startswith("District Commissioning Leads (DCL's) have a great deal of knowledge")
    assert spec(app, draft).rule_settings["CIA-R16"].enabled is False

