"""A section that ends the assessment (screening, `SectionSpec.end_if`): when its condition is met,
the later sections and the standard pages do not apply, and the task list says so in the template's
words; the checker and every export leave them out; answers given in them are kept."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from sqlalchemy import select

from cia.conditions import Applicable
from cia.data import designer, templates
from cia.domain import Condition, blank_assessment
from cia.extensions import db
from cia.models import Template, TemplateVersion, User
from tests.helpers import error_summary, post_page, signed_in
from tests.integration.designer_support import ADMIN, AUTHOR, in_app, main_text

ENGLAND = "equality-impact-assessment-england"
ENDS = "A full equality impact assessment is not needed. Check your answers and send the screening for sign-off."
FULL = "Impact on people with protected characteristics"
PLAN = "Outcome and action plan"
EVIDENCE = "Older people use the library on Monday mornings more than anyone else."


def ending_spec():
    """The England template, ending after screening instead of hiding each later part."""
    spec = templates.bundled_template_spec(ENGLAND).copy()
    screening = spec.section("screening")
    screening.end_if = Condition("full_assessment_needed", ["no"])
    screening.end_message = ENDS
    for section in spec.sections[1:]:
        section.show_if = Condition()
    for page in spec.standard_pages:
        page.show_if = Condition()
    return spec


@pytest.fixture
def ending(app, users) -> int:
    """A published version of that template; its id."""
    with in_app(app):
        templates.seed_bundled_templates([ENGLAND])
        published = db.session.execute(select(Template).where(Template.slug == ENGLAND)).scalar_one().versions[0]
        admin = db.session.execute(select(User).where(User.email == ADMIN)).scalar_one()
        draft = designer.create_draft(db.session.get(TemplateVersion, published.id), admin)
        templates.write_spec(draft, ending_spec())
        designer.publish(draft, admin)
        db.session.commit()
        return draft.id


@pytest.fixture
def author(app, users):
    return signed_in(app, AUTHOR)


def questions(aid: int, key: str) -> str:
    return f"/assessments/{aid}/sections/{key}/questions"


def screen(author, aid: int, needed: str):
    typed = {"q-proposal_summary": "Open the central library one hour later on Mondays.",
             "q-who_is_affected": "People who use the central library on Monday mornings.",
             "q-full_assessment_needed": needed,
             "q-why_not_needed": "Monday morning visits are few and spread evenly across groups of users."}
    response = post_page(author, questions(aid, "screening"), typed, submit="continue")
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))


def text(author, path: str) -> str:
    return " ".join(main_text(author.get(path).get_data(as_text=True)).split())


def word(author, aid: int) -> str:
    with zipfile.ZipFile(io.BytesIO(author.get(f"/assessments/{aid}/download/docx").data)) as z:
        return " ".join(re.sub(r"<[^>]+>", " ", z.read("word/document.xml").decode("utf-8")).split())


def test_ended_the_later_sections_and_pages_are_not_tasks_and_the_end_message_is_shown(app, ending, author):
    response = author.post("/assessments/new", data={"name": "Library opening hours", "template": str(ending)})
    aid = int(response.headers["Location"].rsplit("/", 1)[1])
    before = text(author, f"/assessments/{aid}")  # not answered yet: not ended
    assert FULL in before and PLAN in before and "Project team" in before and ENDS not in before

    # screened in, with an answer in the full assessment
    screen(author, aid, "yes")
    response = post_page(author, questions(aid, "characteristics"), {"q-age": "negative", "q-age_evidence": EVIDENCE},
                         submit="later")
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    assert EVIDENCE in word(author, aid)
    check = author.get(f"/assessments/{aid}/check").get_data(as_text=True)
    assert questions(aid, "action_plan") in check, "the action plan is not checked when it applies"

    # screened out: the assessment ends after screening
    screen(author, aid, "no")
    html = author.get(f"/assessments/{aid}").get_data(as_text=True)
    tasks = " ".join(main_text(html).split())
    assert "The assessment ends after “Screening”" in tasks and ENDS in tasks
    assert 'id="assessment-ends"' in html and "govuk-inset-text" in html
    for gone in (FULL, PLAN, "Project team", "Engagement and consultation", "Staff impact"):
        assert gone not in tasks, f"{gone} is still on the task list"
    assert "Screening" in tasks
    check = author.get(f"/assessments/{aid}/check").get_data(as_text=True)
    assert questions(aid, "action_plan") not in check and questions(aid, "characteristics") not in check
    assert "/team" not in re.findall(r'href="([^"]+)"', check.split('id="main-content"', 1)[1])
    # the JSON file is the assessment's whole data (it can be imported again): it keeps the answer, as
    # it keeps every answer of a part that does not apply
    document = json.loads(author.get(f"/assessments/{aid}/download/json").data)
    kept = {s["key"]: s["answers"] for s in document["assessment"]["sections"]}
    assert kept["characteristics"]["age_evidence"] == EVIDENCE
    assert EVIDENCE not in word(author, aid) and FULL not in word(author, aid)
    assert "This section does not apply" in author.get(questions(aid, "characteristics")).get_data(as_text=True)

    # screened in again: the answer was kept
    screen(author, aid, "yes")
    assert EVIDENCE in word(author, aid)
    assert ENDS not in text(author, f"/assessments/{aid}")


def test_the_end_is_worked_out_in_one_pass_in_template_order():
    spec = ending_spec()
    assessment = blank_assessment(spec)
    shown = Applicable(spec, assessment)
    assert shown.ended_after == "" and {"characteristics", "action_plan"} <= shown.sections and shown.pages
    assessment.sections[0].answers["full_assessment_needed"] = "no"
    shown = Applicable(spec, assessment)
    assert shown.ended_after == "screening" and shown.ended_by(spec) is spec.section("screening")
    assert shown.sections == {"screening"} and shown.pages == set()
    assert "age" not in shown.questions and "why_not_needed" in shown.questions
    # a section that does not apply ends nothing, even when an earlier answer meets its end condition
    spec.section("characteristics").end_if = Condition("full_assessment_needed", ["yes"])
    spec.section("characteristics").show_if = Condition("full_assessment_needed", ["no"])
    spec.section("screening").end_if = Condition()
    assessment.sections[0].answers["full_assessment_needed"] = "yes"
    shown = Applicable(spec, assessment)
    assert shown.ended_after == "" and "action_plan" in shown.sections


def test_the_template_format_refuses_an_end_condition_on_a_later_question():
    from cia import templateformat

    spec = ending_spec()
    spec.section("screening").end_if = Condition("outcome", ["stop"])
    problems = [p.message for p in templateformat.structure_problems(spec)]
    assert any("ending the assessment" in m and "not a question asked before it" in m for m in problems), problems
    spec.section("screening").end_if = Condition("full_assessment_needed", [])
    assert templateformat.structure_problems(spec)
    spec.section("screening").end_if = Condition("proposal_summary", ["x"])
    assert any("not answered by choosing" in p.message for p in templateformat.structure_problems(spec))
    round_trip = templateformat.load(templateformat.dump(ending_spec()))
    assert round_trip.section("screening").end_if == Condition("full_assessment_needed", ["no"])
    assert round_trip.section("screening").end_message == ENDS
