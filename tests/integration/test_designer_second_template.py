"""A second, different template (tests/data/integrated-impact-assessment.yaml), imported from YAML,
runs the whole journey with no code change: start, fill in, check, export."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from cia.data import assessments
from cia.extensions import db
from cia.models import Assessment, Revision, Template
from tests.helpers import error_summary, page_fields, post_page, row_index, signed_in
from tests.integration.designer_support import AUTHOR, IIA_YAML, main_text, seeded_version_id


def _import(app) -> int:
    result = app.test_cli_runner().invoke(args=["cia", "template-import", str(IIA_YAML), "--publish"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        template = db.session.execute(select(Template).where(Template.name == "Integrated Impact Assessment")).scalar_one()
        return template.versions[0].id


@pytest.fixture
def author(app, users):
    return signed_in(app, AUTHOR)


def test_with_one_template_the_start_page_asks_nothing_more(app, author):
    html = author.get("/assessments/new").get_data(as_text=True)
    assert "Which template do you want to use?" not in html


def test_the_whole_journey_on_a_second_template(app, author):
    iia = _import(app)
    # Two templates are published: the author chooses.
    html = author.get("/assessments/new").get_data(as_text=True)
    assert "Which template do you want to use?" in html and "Borsetshire District Council, version 1" in html
    refused = author.post("/assessments/new", data={"name": "Closing the Ambridge office"})
    assert ("#template", "Select the template to use") in error_summary(refused.get_data(as_text=True))
    assert 'value="Closing the Ambridge office"' in refused.get_data(as_text=True)
    response = author.post("/assessments/new", data={"name": "Closing the Ambridge office", "template": str(iia)})
    assert response.status_code == 302
    assessment_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        revision = db.session.get(Revision, db.session.get(Assessment, assessment_id).current_revision_id)
        assert revision.template_version_id == iia

    task_list = main_text(author.get(f"/assessments/{assessment_id}").get_data(as_text=True))
    for title in ("Access to services", "Environment", "Travel"):
        assert title in task_list
    assert "Public Sector Equality Duty" not in task_list

    # Fill in a section through its pages, as an author would.
    url = f"/assessments/{assessment_id}/sections/access"
    html = author.get(url).get_data(as_text=True)
    assert "Will people without the internet" in html and "Positive impacts" in html  # its own columns
    i = row_index(html, "digital_access")
    html = post_page(author, url, {f"rows-{i}-impact": "yes"}, action=f"add:rows-{i}-risks").get_data(as_text=True)
    fields = page_fields(html)
    response = post_page(author, url, {
        f"rows-{i}-groups": "Older residents without the internet",
        f"rows-{i}-risks-0-text": "Online-only booking shuts out people without the internet",
        f"rows-{i}-risks-0-mitigations-0-text": "Keep a telephone booking line",
        f"rows-{row_index(html, 'physical_access')}-impact": "no",
        f"rows-{row_index(html, 'opening_hours')}-impact": "no",
    }, submit="later", fields=fields)
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    evidence = author.get(f"/assessments/{assessment_id}/sections/access/evidence").get_data(as_text=True)
    assert "Almost certain" in evidence and "Negligible" in evidence  # its own scales
    response = post_page(author, f"/assessments/{assessment_id}/sections/access/evidence",
                         {"likelihood": "probable", "size": "moderate", "narrative": "From the 2024 survey."},
                         submit="later")
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))

    # The checker works on it, with this template's rule settings.
    with app.app_context():
        revision = db.session.get(Revision, db.session.get(Assessment, assessment_id).current_revision_id)
        data, report = assessments.check(revision)
        spec = assessments.template_for(revision)
        db.session.rollback()
    row = data.section("access").row("digital_access")
    assert row.groups == "Older residents without the internet" and row.risks[0].mitigations[0].text
    assert data.section("access").evidence.likelihood == "probable"
    parts_found = {f.location.part for f in report.findings}
    assert {"section:environment", "section:travel"} & parts_found  # unanswered rows are found...
    assert not [f for f in report.findings if f.location.part == "section:access" and f.rule_id in ("CIA-R01", "CIA-R02")]
    assert not [f for f in report.findings if f.rule_id == "CIA-R07"]  # switched off in this template
    assert spec.rule_settings["CIA-R13"].severity == "warning"
    assert all(f.severity == "warning" for f in report.findings if f.rule_id == "CIA-R13")

    # And it exports (when the exports module is there).
    try:
        from cia.exports import ExportInput
        from cia.exports.workbook import workbook_xlsx
    except ImportError:
        return
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(workbook_xlsx(ExportInput(assessment=data, template=spec, report=report))))
    text = " ".join(str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value)
    assert "Access to services" in text and "Older residents without the internet" in text
    assert "Keep a telephone booking line" in text


def test_the_read_only_view_and_template_page_work_for_it(app, author):
    iia = _import(app)
    response = author.post("/assessments/new", data={"name": "Bus route review", "template": str(iia)})
    assessment_id = int(response.headers["Location"].rsplit("/", 1)[1])
    view = main_text(author.get(f"/assessments/{assessment_id}/view").get_data(as_text=True))
    assert "Carbon emissions" in view and "Council staff travel" in view
    assert author.get(f"/assessments/{assessment_id}/staff").status_code == 200
    # The default template still comes first where one is needed without a choice.
    assert "Community Impact Assessment Template" in author.get("/template").get_data(as_text=True)
    assert seeded_version_id(app) != iia
