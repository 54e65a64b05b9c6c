"""The shipped English-style equality impact assessment, end to end through the pages.

Screening decides everything: answered "no", the explanation is asked for and the full assessment
(a rating per protected characteristic, the outcome and the action plan) does not apply, so it is
neither a task, checked nor exported; answered "yes", it applies, is checked (inside the action
plan's items too) and reaches Word, Excel and JSON.
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
from tests.helpers import error_summary, page_fields, post_page, press, signed_in, stored_part
from tests.integration.designer_support import AUTHOR, main_text

ENGLAND = "equality-impact-assessment-england"
CHARACTERISTICS = {
    "age": "Age", "disability": "Disability", "gender_reassignment": "Gender reassignment",
    "marriage_civil_partnership": "Marriage and civil partnership", "pregnancy_maternity": "Pregnancy and maternity",
    "race": "Race", "religion_belief": "Religion or belief", "sex": "Sex", "sexual_orientation": "Sexual orientation",
}
FULL = "Impact on people with protected characteristics"
PLAN = "Outcome and action plan"


@pytest.fixture
def england(app) -> int:
    with app.app_context():
        templates.seed_bundled_templates([ENGLAND])
        db.session.commit()
        return db.session.execute(select(Template).where(Template.slug == ENGLAND)).scalar_one().versions[0].id


@pytest.fixture
def author(app, users):
    return signed_in(app, AUTHOR)


def _url(aid: int, key: str) -> str:
    return f"/assessments/{aid}/sections/{key}/questions"


def _text(author, path: str) -> str:
    return " ".join(main_text(author.get(path).get_data(as_text=True)).split())


def _word(author, aid: int) -> str:
    with zipfile.ZipFile(io.BytesIO(author.get(f"/assessments/{aid}/download/docx").data)) as z:
        return " ".join(re.sub(r"<[^>]+>", " ", z.read("word/document.xml").decode("utf-8")).split())


def _excel(author, aid: int) -> tuple[list[str], str]:
    book = openpyxl.load_workbook(io.BytesIO(author.get(f"/assessments/{aid}/download/xlsx").data))
    cells = " ".join(str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value)
    return [ws.title for ws in book.worksheets], cells


def test_the_template_is_shipped_after_the_first_two():
    slugs = templates.bundled_template_slugs()
    assert slugs[:2] == ["staffordshire-cia", "integrated-impact-assessment-wales"] and slugs[2] == ENGLAND
    spec = templates.bundled_template_spec(ENGLAND)
    ratings = [q for q in spec.section("characteristics").questions if q.kind == "rating"]
    assert [q.label for q in ratings] == list(CHARACTERISTICS.values())
    assert [o.key for o in spec.scales[0].options] == ["positive", "negative", "neutral", "none"]
    assert set(spec.rule_settings) == {"CIA-R05", "CIA-R09", "CIA-R12", "CIA-R14", "CIA-R15", "CIA-R17", "CIA-R18"}


def test_screened_out_the_full_assessment_does_not_apply_and_screened_in_it_does(app, england, author):
    response = author.post("/assessments/new", data={"name": "Library opening hours", "template": str(england)})
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    aid = int(response.headers["Location"].rsplit("/", 1)[1])
    screening = _url(aid, "screening")

    # Screened out: the explanation is asked for on the same page, and checked.
    response = post_page(author, screening, {
        "q-proposal_summary": "Open the central library one hour later on Mondays.",
        "q-who_is_affected": "People who use the central library on Monday mornings.",
        "q-full_assessment_needed": "no"}, submit="continue")
    assert response.status_code == 302 and response.headers["Location"].startswith(screening)
    page = author.get(screening).get_data(as_text=True)
    assert "Explain why a full assessment is not needed" in page
    check = _text(author, f"/assessments/{aid}/check")
    assert "Screening: “Explain why a full assessment is not needed”: answer this question" in check
    response = post_page(author, screening, {
        "q-why_not_needed": "Monday morning visits are few and spread evenly across groups of users."},
        submit="continue")
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))

    tasks = author.get(f"/assessments/{aid}").get_data(as_text=True)
    assert f'href="{_url(aid, "characteristics")}"' not in tasks and f'href="{_url(aid, "action_plan")}"' not in tasks
    assert " ".join(main_text(tasks).split()).count("Does not apply to this proposal") == 2
    assert "This section does not apply" in author.get(_url(aid, "characteristics")).get_data(as_text=True)
    check = _text(author, f"/assessments/{aid}/check")
    assert FULL not in check and PLAN not in check and "explain why a full assessment" not in check.lower()
    view = _text(author, f"/assessments/{aid}/view")
    assert "Monday morning visits are few" in view and FULL not in view and PLAN not in view
    word = _word(author, aid)
    assert "Monday morning visits are few" in word and FULL not in word and "Action plan" not in word
    sheets, cells = _excel(author, aid)
    assert "Monday morning visits are few" in cells and FULL not in cells and PLAN not in sheets

    # Screened in: the full assessment applies; the explanation is kept but no longer asked or shown.
    response = post_page(author, screening, {"q-full_assessment_needed": "yes"}, submit="continue")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(_url(aid, "characteristics"))
    tasks = author.get(f"/assessments/{aid}").get_data(as_text=True)
    assert f'href="{_url(aid, "characteristics")}"' in tasks and f'href="{_url(aid, "action_plan")}"' in tasks
    with app.app_context():
        assert stored_part(aid, "questions:screening")["answers"]["why_not_needed"].startswith("Monday morning")
    check = _text(author, f"/assessments/{aid}/check")
    for label in CHARACTERISTICS.values():
        assert f"{FULL}: “{label}”: answer this question" in check
    assert f"{PLAN}: “Action plan”: answer this question" in check

    # A rating the scale does not have is refused, naming the characteristic; nothing typed is lost.
    typed = {f"q-{key}": "neutral" for key in CHARACTERISTICS}
    typed |= {f"q-{key}_evidence": f"Library use by {label.lower()} matches the borough's population."
              for key, label in CHARACTERISTICS.items()}
    typed |= {"q-disability": "negative",
              "q-disability_evidence": "Disabled users visit more often in the morning, when the bus runs.",
              "q-age": "brilliant"}
    response = post_page(author, _url(aid, "characteristics"), typed, submit="continue")
    assert response.status_code == 200
    assert any(href == "#q-age" and "Age" in text for href, text in error_summary(response.get_data(as_text=True)))
    assert page_fields(response.get_data(as_text=True))["q-disability_evidence"].strip().startswith("Disabled users")
    response = post_page(author, _url(aid, "characteristics"), {**typed, "q-age": "none"}, submit="continue")
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    assert response.headers["Location"].endswith(_url(aid, "action_plan"))

    # The action plan: two actions, the second without its lead officer.
    plan = _url(aid, "action_plan")
    html = press(author, plan, "add:q-actions", author.get(plan).get_data(as_text=True), {
        "q-outcome": "adjust",
        "q-actions-0-action": "Run a Monday morning home library delivery for disabled users",
        "q-actions-0-lead_officer": "Head of Libraries",
        "q-actions-0-timescale": "By March 2027", "q-actions-0-resources": "One driver for two hours a week",
    }).get_data(as_text=True)
    response = post_page(author, plan, {"q-actions-1-action": "Count Monday morning visits for six months",
                                        "q-actions-1-timescale": "By September 2027"},
                         fields=page_fields(html), submit="later")
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    html = author.get(f"/assessments/{aid}/check").get_data(as_text=True)
    check = " ".join(main_text(html).split())
    assert f"{PLAN}: “Action plan”, action 2: “Lead officer”: answer this question" in check
    assert f'href="{plan}#q-actions-1-lead_officer"' in html
    assert f"{FULL}: “" not in check and "“Action plan”: answer this question" not in check
    assert "“Resources needed”" not in check  # optional

    view = _text(author, f"/assessments/{aid}/view")
    assert "Disability Negative" in view and "Disabled users visit more often in the morning" in view
    assert "Lead officer: Head of Libraries" in view and "Action 2" in view
    assert "Explain why a full assessment is not needed" not in view  # no longer applies
    assert FULL in view and PLAN in view
    word = _word(author, aid)
    assert FULL in word and PLAN in word
    assert "Disability" in word and "Negative" in word and "Disabled users visit more often" in word
    assert "Lead officer: Head of Libraries" in word and "Timescale: By September 2027" in word
    assert "Change the proposal" in word
    sheets, cells = _excel(author, aid)
    assert PLAN in sheets and "Disabled users visit more often" in cells and "Lead officer: Head of Libraries" in cells
    assert "Gender reassignment" in cells and "Change the proposal" in cells
    document = json.loads(author.get(f"/assessments/{aid}/download/json").data)
    answers = {s["key"]: s["answers"] for s in document["assessment"]["sections"]}
    assert answers["characteristics"]["disability"] == "negative" and answers["characteristics"]["age"] == "none"
    assert [a["lead_officer"] for a in answers["action_plan"]["actions"]] == ["Head of Libraries", ""]
    assert answers["action_plan"]["outcome"] == "adjust"


def test_screened_out_the_engagement_and_staff_pages_are_left_out_and_their_answers_kept(app, england, author):
    """The template has the Project team page always, and the Engagement and Staff impact pages only
    for a full assessment (`standard_pages`)."""
    response = author.post("/assessments/new", data={"name": "Library opening hours", "template": str(england)})
    aid = int(response.headers["Location"].rsplit("/", 1)[1])
    screening = _url(aid, "screening")
    post_page(author, screening, {"q-full_assessment_needed": "yes"}, submit="later")
    tasks = " ".join(main_text(author.get(f"/assessments/{aid}").get_data(as_text=True)).split())
    assert "Project team" in tasks and "Engagement and consultation" in tasks and "Staff impact" in tasks
    response = post_page(author, f"/assessments/{aid}/engagement", {
        "activities-0-activity": "Drop-in session", "activities-0-findings": "Mrs Edna Smith of 12 Elm Road, "
        "ST16 2AB, said mornings matter to her."}, action="add:activities")
    response = post_page(author, f"/assessments/{aid}/engagement", fields=page_fields(response.get_data(as_text=True)),
                         submit="later")
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    response = post_page(author, f"/assessments/{aid}/staff", {"affects_staff": "yes",
                                                               "support": "Rotas agreed with the library team."},
                         submit="later")
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    assert "Rotas agreed with the library team." in _text(author, f"/assessments/{aid}/view")
    assert "Engagement and consultation, activity 1" in _text(author, f"/assessments/{aid}/check")  # CIA-R09

    # Screened out: not tasks, not in the order of pages, not checked, not shown or exported; kept.
    post_page(author, screening, {"q-full_assessment_needed": "no"}, submit="continue")
    response = post_page(author, screening, {"q-why_not_needed": "Few visits."}, submit="continue")
    assert response.headers["Location"].endswith(f"/assessments/{aid}/check-answers")  # no staff page to go to
    tasks = " ".join(main_text(author.get(f"/assessments/{aid}").get_data(as_text=True)).split())
    assert "Project team" in tasks and "Engagement and consultation" not in tasks and "Staff impact" not in tasks
    assert "You have completed 0 of 3 tasks" in tasks  # details, team, screening
    response = post_page(author, f"/assessments/{aid}/team", {}, submit="continue")
    assert response.headers["Location"].endswith(screening)  # the team page leads past engagement
    page = author.get(f"/assessments/{aid}/engagement").get_data(as_text=True)
    assert "This page does not apply to this proposal, because of your answer to “Is a full equality impact " \
           "assessment needed?”" in " ".join(main_text(page).split()) and 'id="main-form"' not in page
    response = author.post(f"/assessments/{aid}/staff", data={"version": "1", "affects_staff": "no",
                                                             "submit": "continue"})
    assert response.status_code == 200 and "This page does not apply" in response.get_data(as_text=True)
    check = _text(author, f"/assessments/{aid}/check")
    assert "Engagement and consultation" not in check and "Edna" not in check
    view = _text(author, f"/assessments/{aid}/view")
    assert "Rotas agreed" not in view and "Staff impact" not in view and "Engagement and consultation" not in view
    assert "Project team" in view
    word = _word(author, aid)
    assert "Rotas agreed" not in word and "Staff impact" not in word and "Drop-in session" not in word
    assert "Project team" in word
    sheets, cells = _excel(author, aid)
    assert "Engagement" not in sheets and "Staff impact" not in sheets and "Project team" in sheets
    with app.app_context():
        assert stored_part(aid, "staff")["support"] == "Rotas agreed with the library team."
        assert stored_part(aid, "engagement")["activities"][0]["activity"] == "Drop-in session"

    post_page(author, screening, {"q-full_assessment_needed": "yes"}, submit="later")
    assert "Rotas agreed with the library team." in _text(author, f"/assessments/{aid}/view")  # back, as it was


def test_the_designer_preview_shows_the_standard_pages_a_new_assessment_has(app, england, users):
    from cia.data.designer import create_draft
    from cia.models import TemplateVersion, User

    with app.app_context():
        admin_user = db.session.execute(select(User).where(User.email == "admin@example.gov.uk")).scalar_one()
        draft = create_draft(db.session.get(TemplateVersion, england), admin_user).id
        db.session.commit()
    admin = signed_in(app, "admin@example.gov.uk")
    tasks = " ".join(main_text(admin.get(f"/templates/versions/{draft}/preview").get_data(as_text=True)).split())
    assert "Project team" in tasks and "Screening" in tasks
    assert "Engagement and consultation" not in tasks and "Staff impact" not in tasks  # not until screened in
