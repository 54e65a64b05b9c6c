"""The shipped Welsh-style integrated impact assessment from a complete draft to an approved, exported
record: checked with nothing left to fix, submitted to an approver at the level its own project size
calls for, signed off, and exported to Word, Excel and JSON with its questions' answers.

The draft is built as an import would build it (the pages themselves are exercised in
test_question_sections.py); everything after that goes through the pages, without JavaScript.
"""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from sqlalchemy import select

from cia.data import templates
from cia.data.imports import import_assessment
from cia.extensions import db
from cia.models import Template, User
from tests.factories import realistic_assessment
from tests.helpers import error_summary, signed_in
from tests.integration.designer_support import AUTHOR, main_text

WALES = "integrated-impact-assessment-wales"
APPROVER = "approver@example.gov.uk"  # manager level: what the template's "Low impact" size calls for

ANSWERS = {
    "about": {"proposal_summary": "Move the Llanfair library into the community hub.", "strategic_decision": "no",
              "decision_maker": "officer", "decision_date": "2027-03"},
    "wellbeing_goals": {**{f"goal_{g}": "neutral" for g in ("prosperous", "resilient", "more_equal", "cohesive",
                                                            "global", "culture_language")},
                        "goal_healthier": "positive", "goal_healthier_why": "More people can walk to the hub."},
    "ways_of_working": {"long_term": "The hub lease runs for twenty years.",
                        "prevention": "Early help services share the building.",
                        "integration": "Fits the county's hubs strategy.",
                        "collaboration": "Run with the community council.",
                        "involvement": "Residents chose the opening hours."},
    "welsh_language": {"welsh_opportunities": "positive", "welsh_no_less_favourably": "neutral",
                       "welsh_improve": "Bilingual story times every week.", "welsh_services": ["online"]},
}


@pytest.fixture
def complete_draft(app, users) -> int:
    with app.app_context():
        templates.seed_bundled_templates([WALES])
        version = db.session.execute(select(Template).where(Template.slug == WALES)).scalar_one().versions[0]
        spec = templates.spec_for_version(version.id)
        data = realistic_assessment(spec)
        data.details.name, data.details.project_size = "Llanfair library move", "low"
        data.details.decision_route, data.details.publication_status = "officer_delegated", "publish"
        for section in data.sections:
            section.answers = dict(ANSWERS.get(section.key, {}))
            if section.key == "socio_economic":
                section.answers["socio_economic_approach"] = "Kept for a strategic decision."
        owner = db.session.execute(select(User).where(User.email == AUTHOR)).scalar_one()
        for member in data.team.members:
            member.account_email, member.edit_access = "", "no"
        assessment = import_assessment(data, owner, "127.0.0.1", source="end-to-end test")
        db.session.commit()
        return assessment.id


def _text(client, path: str) -> str:
    return " ".join(main_text(client.get(path).get_data(as_text=True)).split())


def test_a_complete_welsh_assessment_is_checked_signed_off_and_exported(app, complete_draft):
    aid = complete_draft
    author = signed_in(app, AUTHOR)
    assert author.get(f"/assessments/{aid}").status_code == 200
    assert "IIA-" in _text(author, f"/assessments/{aid}")  # the template's own reference prefix

    submit = author.get(f"/assessments/{aid}/submit").get_data(as_text=True)
    blocking = re.search(r'id="blocking-findings">(.*?)</ul>', submit, re.S)
    assert blocking is None, " ".join(main_text(blocking.group(1)).split())
    text = " ".join(main_text(submit).split())
    assert "The project size is Low impact, so it needs sign-off at Manager level" in text
    with app.app_context():
        approver = db.session.execute(select(User).where(User.email == APPROVER)).scalar_one().id
    response = author.post(f"/assessments/{aid}/submit", data={"revision": "1", "approvers": [str(approver)]})
    assert response.status_code == 200, error_summary(response.get_data(as_text=True))
    assert author.post(f"/assessments/{aid}/submit/confirm",
                       data={"revision": "1", "approvers": [str(approver)]}).status_code == 302

    signer = signed_in(app, APPROVER)
    page = signer.get(f"/assessments/{aid}/sign-off").get_data(as_text=True)
    read = " ".join(main_text(page).split())
    assert "A healthier Wales" in read  # the approver reads the answers
    assert "I have read this Integrated Impact Assessment and its Checklist" in read  # the template's title
    submission = re.search(r'name="submission"[^>]*value="([^"]*)"', page).group(1)
    response = signer.post(f"/assessments/{aid}/sign-off/approve",
                           data={"declaration": "y", "comment": "", "submission": submission})
    assert response.status_code == 302
    assert "Approved" in _text(author, f"/assessments/{aid}")

    with zipfile.ZipFile(io.BytesIO(author.get(f"/assessments/{aid}/download/docx").data)) as z:
        word = re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode("utf-8"))
    assert "A healthier Wales" in word and "Bilingual story times every week." in word
    assert "Kept for a strategic decision." not in word  # the socio-economic section does not apply
    book = openpyxl.load_workbook(io.BytesIO(author.get(f"/assessments/{aid}/download/xlsx").data))
    cells = " ".join(str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value)
    assert "Residents chose the opening hours." in cells and "Asha Approver" in cells
    document = author.get(f"/assessments/{aid}/download/json").get_json()
    assert document["assessment"]["status"] == "approved"
    answers = {s["key"]: s["answers"] for s in document["assessment"]["sections"]}
    assert answers["welsh_language"]["welsh_services"] == ["online"]
    assert answers["socio_economic"]["socio_economic_approach"] == "Kept for a strategic decision."  # kept
