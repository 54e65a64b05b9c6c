"""A template that asks its own questions: the shipped Welsh-style integrated impact assessment.

Its sections ask questions of several kinds (long text, yes or no, one choice, month and year,
a rating per well-being goal, several choices), one section applies only to strategic decisions,
and three have no Evidence Base. Filled in through the pages as an officer would, without
JavaScript: bad input is refused with a clear message and nothing typed is lost; what does not
apply is neither asked, checked nor exported, and its answers are kept.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

import openpyxl
import pytest
from sqlalchemy import select

from cia.data import templates
from cia.extensions import db
from cia.models import Template
from tests.helpers import error_summary, page_fields, post_page, signed_in, stored_part
from tests.integration.designer_support import AUTHOR, main_text

WALES = "integrated-impact-assessment-wales"


@pytest.fixture
def wales(app) -> int:
    with app.app_context():
        templates.seed_bundled_templates([WALES])
        db.session.commit()
        template = db.session.execute(select(Template).where(Template.slug == WALES)).scalar_one()
        return template.versions[0].id


@pytest.fixture
def author(app, users):
    return signed_in(app, AUTHOR)


def _start(author, version_id: int, name: str = "Closing Llanfair library") -> int:
    response = author.post("/assessments/new", data={"name": name, "template": str(version_id)})
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _stored(app, assessment_id: int, part: str) -> dict:
    with app.app_context():
        return stored_part(assessment_id, part)


def _url(assessment_id: int, key: str) -> str:
    return f"/assessments/{assessment_id}/sections/{key}/questions"


def test_the_task_list_follows_the_templates_sections_and_conditions(app, wales, author):
    aid = _start(author, wales)
    tasks = main_text(author.get(f"/assessments/{aid}").get_data(as_text=True))
    for title in ("About the proposal", "The well-being goals", "The five ways of working", "Equality",
                  "The Welsh language"):
        assert title in tasks
    assert "Socio-economic disadvantage Does not apply to this proposal" in " ".join(tasks.split())
    html = author.get(f"/assessments/{aid}").get_data(as_text=True)
    assert f'href="{_url(aid, "about")}"' in html  # a section of questions starts at its questions
    assert f'href="/assessments/{aid}/sections/equality"' in html  # a section of rows at its rows


def test_answers_are_read_by_their_kind_and_bad_input_is_refused_with_nothing_lost(app, wales, author):
    aid = _start(author, wales)
    url = _url(aid, "about")
    html = author.get(url).get_data(as_text=True)
    assert "Is this a strategic decision?" in html and "Who will make the decision?" in html
    fields = page_fields(html)
    typed = {"q-proposal_summary": "Move the library into the community hub.\n\n- Fewer opening hours",
             "q-strategic_decision": "maybe", "q-decision_maker": "cabinet",
             "q-decision_date-month": "13", "q-decision_date-year": "2027"}
    response = post_page(author, url, typed, fields=fields, submit="continue")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    summary = error_summary(html)
    assert ("#q-strategic_decision", "Select yes or no for “Is this a strategic decision?”") in summary or any(
        href == "#q-strategic_decision" and "Is this a strategic decision?" in text for href, text in summary)
    assert any(href.startswith("#q-decision_date") and "must be a real date" in text for href, text in summary)
    assert "Move the library into the community hub." in html and 'value="13"' in html and 'value="2027"' in html
    assert _stored(app, aid, "questions:about").get("answers", {}) == {}  # nothing saved

    # "Save and come back later" saves the valid answers; the others are kept as typed, with their messages.
    assert post_page(author, url, typed, fields=fields, submit="later").status_code == 302
    assert {k: v for k, v in _stored(app, aid, "questions:about")["answers"].items() if v} == {
        "proposal_summary": "Move the library into the community hub.\n\n- Fewer opening hours",
        "decision_maker": "cabinet"}
    kept = author.get(url).get_data(as_text=True)
    assert 'value="13"' in kept and any("must be a real date" in text for _, text in error_summary(kept))

    response = post_page(author, url, {**typed, "q-strategic_decision": "no", "q-decision_date-month": "3"},
                         fields=fields, submit="continue")
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    assert response.headers["Location"].endswith(_url(aid, "wellbeing_goals"))
    answers = _stored(app, aid, "questions:about")["answers"]
    assert answers == {"proposal_summary": "Move the library into the community hub.\n\n- Fewer opening hours",
                       "strategic_decision": "no", "decision_maker": "cabinet", "decision_date": "2027-03"}
    again = page_fields(author.get(url).get_data(as_text=True))
    assert again["q-decision_date-month"] == "3" and again["q-decision_maker"] == "cabinet"


def test_an_option_the_question_does_not_have_is_refused(app, wales, author):
    aid = _start(author, wales)
    url = _url(aid, "wellbeing_goals")
    response = post_page(author, url, {"q-goal_prosperous": "brilliant"}, submit="continue")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert any(href == "#q-goal_prosperous" and "A prosperous Wales" in text for href, text in error_summary(html))


def test_a_section_for_strategic_decisions_applies_only_to_them_and_keeps_its_answers(app, wales, author):
    aid = _start(author, wales)
    socio = _url(aid, "socio_economic")
    assert "This section does not apply to this proposal" in author.get(socio).get_data(as_text=True)

    about = _url(aid, "about")
    response = post_page(author, about, {"q-strategic_decision": "yes"}, submit="later")
    assert response.status_code == 302
    tasks = " ".join(main_text(author.get(f"/assessments/{aid}").get_data(as_text=True)).split())
    assert "Socio-economic disadvantage Does not apply" not in tasks
    response = post_page(author, socio, {"q-socio_economic_approach": "We mapped the wards with most child poverty."},
                         submit="later")
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))

    def findings_about(part: str) -> list[str]:
        html = author.get(f"/assessments/{aid}/check").get_data(as_text=True)
        return [m for m in re.findall(r'href="[^"]*#([^"]+)"', html) if part in m]

    view = main_text(author.get(f"/assessments/{aid}/view").get_data(as_text=True))
    assert "We mapped the wards with most child poverty." in view

    post_page(author, about, {"q-strategic_decision": "no"}, submit="later")
    view = main_text(author.get(f"/assessments/{aid}/view").get_data(as_text=True))
    assert "Socio-economic disadvantage" not in view and "child poverty" not in view  # not shown
    assert _stored(app, aid, "questions:socio_economic")["answers"]["socio_economic_approach"]  # but kept
    check = author.get(f"/assessments/{aid}/check").get_data(as_text=True)
    assert "Socio-economic disadvantage" not in main_text(check)  # not checked
    workbook = openpyxl.load_workbook(io.BytesIO(author.get(f"/assessments/{aid}/download/xlsx").data))
    assert "Socio-economic disadvantage" not in [ws.title for ws in workbook.worksheets]  # not exported

    post_page(author, about, {"q-strategic_decision": "yes"}, submit="later")
    view = main_text(author.get(f"/assessments/{aid}/view").get_data(as_text=True))
    assert "We mapped the wards with most child poverty." in view  # back, as it was


def test_the_checker_asks_for_each_question_that_applies_and_links_to_it(app, wales, author):
    aid = _start(author, wales)
    html = author.get(f"/assessments/{aid}/check").get_data(as_text=True)
    text = " ".join(main_text(html).split())
    assert "About the proposal: “Is this a strategic decision?”: answer this question" in text
    assert f'href="{_url(aid, "about")}#q-strategic_decision"' in html
    assert "“When is the decision expected?”" not in text  # optional
    assert "Socio-economic disadvantage" not in text  # does not apply yet
    post_page(author, _url(aid, "about"), {"q-strategic_decision": "no"}, submit="later")
    text = " ".join(main_text(author.get(f"/assessments/{aid}/check").get_data(as_text=True)).split())
    assert "“Is this a strategic decision?”: answer this question" not in text


def test_answers_reach_the_view_word_excel_and_json(app, wales, author):
    aid = _start(author, wales)
    post_page(author, _url(aid, "about"), {"q-strategic_decision": "no", "q-decision_maker": "officer"},
              submit="later")
    post_page(author, _url(aid, "wellbeing_goals"), {
        "q-goal_healthier": "positive", "q-goal_healthier_why": "More people can walk to the hub."}, submit="later")
    post_page(author, _url(aid, "welsh_language"), {"q-welsh_services": ["online", "telephone"]}, submit="later")

    view = " ".join(main_text(author.get(f"/assessments/{aid}/view").get_data(as_text=True)).split())
    assert "A healthier Wales Positive" in view and "More people can walk to the hub." in view
    assert "An officer, under delegated powers" in view
    assert "Telephone services, Online services and forms" in view

    book = openpyxl.load_workbook(io.BytesIO(author.get(f"/assessments/{aid}/download/xlsx").data))
    cells = [str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value]
    assert "A healthier Wales" in cells and "Positive" in cells and "Integrated Impact Assessment" in " ".join(cells)
    with zipfile.ZipFile(io.BytesIO(author.get(f"/assessments/{aid}/download/docx").data)) as z:
        word = re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode("utf-8"))
    assert "A healthier Wales" in word and "More people can walk to the hub." in word

    document = json.loads(author.get(f"/assessments/{aid}/download/json").data)
    sections = {s["key"]: s for s in document["assessment"]["sections"]}
    assert sections["about"]["answers"]["decision_maker"] == "officer"
    assert sections["welsh_language"]["answers"]["welsh_services"] == ["telephone", "online"]


def test_a_submitted_revision_cannot_be_changed_through_its_questions(app, wales, author):
    from cia.models import Assessment, Revision

    aid = _start(author, wales)
    post_page(author, _url(aid, "about"), {"q-strategic_decision": "no"}, submit="later")
    with app.app_context():
        revision = db.session.get(Revision, db.session.get(Assessment, aid).current_revision_id)
        revision.status = "submitted"
        db.session.commit()
    response = author.post(_url(aid, "about"), data={"version": "1", "q-strategic_decision": "yes",
                                                     "submit": "continue"})
    assert response.status_code == 409 and "cannot be changed" in response.get_data(as_text=True)
    assert _stored(app, aid, "questions:about")["answers"]["strategic_decision"] == "no"


def test_the_designer_previews_a_section_of_questions(app, wales, users):
    from cia.data.designer import create_draft
    from cia.models import TemplateVersion, User

    with app.app_context():
        admin_user = db.session.execute(select(User).where(User.email == "admin@example.gov.uk")).scalar_one()
        draft = create_draft(db.session.get(TemplateVersion, wales), admin_user).id
        db.session.commit()
    admin = signed_in(app, "admin@example.gov.uk")
    task_list = admin.get(f"/templates/versions/{draft}/preview").get_data(as_text=True)
    assert f'href="/templates/versions/{draft}/preview/sections/about/questions"' in task_list
    page = admin.get(f"/templates/versions/{draft}/preview/sections/about/questions").get_data(as_text=True)
    assert "Is this a strategic decision?" in page and "id=\"main-form\" class=\"app-preview\"" in page
    saved = admin.post(f"/templates/versions/{draft}/preview/sections/about/questions",
                       data={**page_fields(page), "submit": "continue"})  # kept in the preview only
    assert saved.headers["Location"].endswith(f"/templates/versions/{draft}/preview/sections/wellbeing_goals/questions")
    assert admin.get(f"/templates/versions/{draft}/preview/sections/about").status_code == 404  # no rows
    assert admin.get(f"/templates/versions/{draft}/preview/sections/about/evidence").status_code == 404


def test_a_json_export_imports_back_with_every_answer(app, wales, author, tmp_path):
    aid = _start(author, wales)
    post_page(author, _url(aid, "about"), {"q-strategic_decision": "yes", "q-decision_date-month": "4",
                                           "q-decision_date-year": "2027"}, submit="later")
    exported = author.get(f"/assessments/{aid}/download/json").data
    path = tmp_path / "export.json"
    path.write_bytes(exported)
    result = app.test_cli_runner().invoke(args=["cia", "import-json", str(path), "--owner", AUTHOR])
    assert result.exit_code == 0, result.output
    new_id = int(re.search(r"\(id (\d+)\)", result.output).group(1))
    assert "Template: Integrated Impact Assessment (Wales), version 1." in result.output
    again = json.loads(author.get(f"/assessments/{new_id}/download/json").data)
    before = {s["key"]: s["answers"] for s in json.loads(exported)["assessment"]["sections"]}
    assert {s["key"]: s["answers"] for s in again["assessment"]["sections"]} == before


def test_answering_a_question_that_brings_in_another_on_the_same_page_shows_the_page_again(app, author, tmp_path):
    text = (templates.bundled_template_spec(WALES).to_dict())
    about = text["sections"][0]
    about["questions"].insert(2, {"key": "why_strategic", "kind": "long_text", "label": "Why is it strategic?",
                                  "show_if": {"question": "strategic_decision", "values": ["yes"]}})
    from cia import templateformat
    from cia.domain import TemplateSpec

    path = tmp_path / "with-follow-up.yaml"
    spec = TemplateSpec.from_dict(text)
    spec.name = "Follow-up questions"
    path.write_text(templateformat.dump(spec), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["cia", "template-import", str(path), "--publish"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        version_id = db.session.execute(select(Template).where(Template.name == "Follow-up questions")
                                        ).scalar_one().versions[0].id
    aid = _start(author, version_id)
    url = _url(aid, "about")
    assert "Why is it strategic?" not in author.get(url).get_data(as_text=True)
    response = post_page(author, url, {"q-strategic_decision": "yes"}, submit="continue")
    assert response.status_code == 302 and response.headers["Location"].startswith(url)
    page = author.get(url).get_data(as_text=True)
    assert "Why is it strategic?" in page and "More questions now apply" in page
