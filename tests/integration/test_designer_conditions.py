"""The designer's condition page: one page for a section's, a question's, a sign-off step's and a
standard page's condition, and for "end the assessment after this section"."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cia import templateformat
from cia.data import templates
from cia.designer.condition_words import REMOVED, describe
from cia.domain import Condition
from cia.extensions import db
from cia.models import Template, TemplateVersion
from tests.helpers import error_summary, page_fields, signed_in
from tests.integration.designer_support import (
    ADMIN,
    audit_rows,
    in_app,
    main_text,
    new_draft,
    seeded_version_id,
    spec,
)

ENGLAND = "equality-impact-assessment-england"
NEEDED = "Is a full equality impact assessment needed?"


@pytest.fixture
def admin(app, users):
    return signed_in(app, ADMIN)


@pytest.fixture
def draft(app, admin) -> int:
    """A draft of the England template: screening, then sections shown only when it is needed."""
    with in_app(app):
        templates.seed_bundled_templates([ENGLAND])
        db.session.commit()
        published = db.session.execute(select(Template).where(Template.slug == ENGLAND)).scalar_one().versions[0].id
    return new_draft(admin, app, published)


def write(app, draft: int, change) -> None:
    """Another administrator's change to the draft (straight to the store)."""
    with in_app(app):
        version = templates.spec_for_version(draft).copy()
        change(version)
        templates.write_spec(db.session.get(TemplateVersion, draft), version)
        db.session.commit()


def url(draft: int, target: str, key: str) -> str:
    return f"/templates/versions/{draft}/conditions/{target}/{key}"


def post(admin, page: str, depends_on: str, answers: list[str] | None = None, *, field: str = "", spec_hash=None):
    fields = page_fields(admin.get(page).get_data(as_text=True))
    data: dict = {"csrf_token": fields.get("csrf_token", ""),
                  "spec_hash": fields["spec_hash"] if spec_hash is None else spec_hash,
                  "depends_on": depends_on, "submit": "save"}
    if answers is not None:
        data[field or f"answers_{depends_on}"] = answers
    return admin.post(page, data=data)


def text(response) -> str:
    return main_text(response.get_data(as_text=True))


def messages(response) -> list[str]:
    return [message for _, message in error_summary(response.get_data(as_text=True))]


# --- each target --------------------------------------------------------------------------------


def test_a_section_condition_is_shown_in_words_and_changed(app, admin, draft):
    page = url(draft, "section", "characteristics")
    shown = text(admin.get(page))
    assert "Show this section only if" in shown and "Section: “Impact on people with protected characteristics”" in shown
    assert f"Now: Only if “{NEEDED}” is “Yes”." in shown
    html = admin.get(page).get_data(as_text=True)
    assert 'value="full_assessment_needed" checked' in html
    assert 'value="outcome"' not in html, "a question of a later section is offered"
    assert 'value="proposal_summary"' not in html, "a free-text question is offered"

    response = post(admin, page, "full_assessment_needed", ["yes", "no"])
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/templates/versions/{draft}/sections/characteristics")
    assert spec(app, draft).section("characteristics").show_if == Condition("full_assessment_needed", ["yes", "no"])
    assert "The condition has been saved" in text(admin.get(response.headers["Location"]))
    assert audit_rows(app, "template.edited")[-1].details["page"] == "condition section characteristics"


def test_a_question_condition_may_depend_on_an_earlier_question_of_its_own_section(app, admin, draft):
    page = url(draft, "question", "why_not_needed")
    shown = text(admin.get(page))
    assert "Show this question only if" in shown and "Question: “Explain why a full assessment is not needed”" in shown
    assert post(admin, page, "full_assessment_needed", ["yes"]).status_code == 302
    assert spec(app, draft).question("why_not_needed").show_if == Condition("full_assessment_needed", ["yes"])


def test_a_sign_off_step_condition_may_depend_on_any_question(app, admin, draft):
    page = url(draft, "step", "decision-maker")
    assert "Use this sign-off step only if" in text(admin.get(page))
    response = post(admin, page, "outcome", ["stop", "adjust"])
    assert response.status_code == 302
    step = next(s for s in spec(app, draft).signoff_steps if s.key == "decision-maker")
    assert step.show_if == Condition("outcome", ["stop", "adjust"])


def test_a_page_condition_on_a_template_that_lists_its_pages(app, admin, draft):
    page = url(draft, "page", "staff")
    assert "Show this page only if" in text(admin.get(page)) and "Page: “Staff impact”" in text(admin.get(page))
    assert post(admin, page, "outcome", ["stop"]).status_code == 302
    pages = {p.key: p.show_if for p in spec(app, draft).standard_pages}
    assert pages["staff"] == Condition("outcome", ["stop"]) and pages["team"] == Condition()


def test_a_page_condition_on_a_template_with_every_page_makes_the_list_explicit(app, admin, draft):
    write(app, draft, lambda version: setattr(version, "standard_pages", None))
    page = url(draft, "page", "engagement")
    assert "It has no condition now." in text(admin.get(page))
    assert post(admin, page, "full_assessment_needed", ["yes"]).status_code == 302
    after = spec(app, draft).standard_pages
    assert [p.key for p in after] == ["team", "engagement", "staff"]
    assert [p.show_if.question for p in after] == ["", "full_assessment_needed", ""]


def test_ending_the_assessment_may_depend_on_a_question_of_the_section_itself(app, admin, draft):
    page = url(draft, "end", "screening")
    shown = text(admin.get(page))
    assert "End the assessment after this section if" in shown and "It has no condition now." in shown
    assert "No condition: never end the assessment here" in shown
    assert post(admin, page, "full_assessment_needed", ["no"]).status_code == 302
    assert spec(app, draft).section("screening").end_if == Condition("full_assessment_needed", ["no"])


def test_removing_a_condition(app, admin, draft):
    page = url(draft, "question", "why_not_needed")
    html = admin.get(page).get_data(as_text=True)
    assert "Remove the condition" in html
    fields = page_fields(html, "remove-form")
    assert fields["depends_on"] == ""
    response = admin.post(page, data={**fields, "submit": "save"})
    assert response.status_code == 302
    assert spec(app, draft).question("why_not_needed").show_if == Condition()
    assert "The condition has been removed" in text(admin.get(response.headers["Location"]))
    assert "Remove the condition" not in admin.get(page).get_data(as_text=True)


def test_choosing_no_condition_removes_it_too(app, admin, draft):
    assert post(admin, url(draft, "section", "action_plan"), "").status_code == 302
    assert spec(app, draft).section("action_plan").show_if == Condition()


def test_the_answers_of_other_questions_are_ignored(app, admin, draft):
    page = url(draft, "end", "characteristics")
    fields = page_fields(admin.get(page).get_data(as_text=True))
    response = admin.post(page, data={**fields, "depends_on": "age", "answers_age": ["negative"],
                                      "answers_disability": ["positive", "not-an-answer"], "submit": "save"})
    assert response.status_code == 302
    assert spec(app, draft).section("characteristics").end_if == Condition("age", ["negative"])


# --- refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("target, key, depends_on, answers, message", [
    ("section", "characteristics", "outcome", ["stop"],
     "“What is the outcome of the assessment?” is asked in this section or after it: choose a question asked before it"),
    ("section", "characteristics", "age", ["negative"],
     "“Age” is asked in this section or after it: choose a question asked before it"),
    ("question", "disability", "disability", ["negative"],
     "A question cannot depend on its own answer: choose a question asked before it"),
    ("question", "disability", "race", ["negative"],
     "“Race” is asked after this question: choose a question asked before it"),
    ("end", "screening", "age", ["negative"],
     "“Age” is asked after this section: choose a question asked before it"),
    ("question", "why_not_needed", "removed_question", ["yes"],
     "That question is no longer in the template (it may have been removed): choose another question"),
    ("question", "why_not_needed", "who_is_affected", ["yes"],
     "“Who does the proposal affect?” is not answered by choosing from options: choose a yes or no, choice or rating "
     "question"),
    ("question", "why_not_needed", "full_assessment_needed", [],
     f"Select the answers to “{NEEDED}” that show it"),
    ("end", "screening", "full_assessment_needed", [],
     f"Select the answers to “{NEEDED}” that end the assessment"),
    ("question", "why_not_needed", "full_assessment_needed", ["maybe"],
     f"“maybe” is not an answer to “{NEEDED}”: choose one of its answers"),
])
def test_a_condition_the_template_cannot_have_is_refused_with_a_message(app, admin, draft, target, key, depends_on,
                                                                        answers, message):
    before = spec(app, draft)
    response = post(admin, url(draft, target, key), depends_on, answers)
    assert response.status_code == 200
    assert messages(response) == [message]
    assert spec(app, draft) == before


def test_a_question_removed_meanwhile_is_refused(app, admin, draft):
    """The page was opened while the question was there; another administrator removed it."""
    page = url(draft, "question", "why_not_needed")
    fields = page_fields(admin.get(page).get_data(as_text=True))
    write(app, draft, lambda version: setattr(version.sections[0], "questions", [
        q for q in version.sections[0].questions if q.key != "who_is_affected"]))
    before = spec(app, draft)
    response = admin.post(page, data={**fields, "depends_on": "who_is_affected", "answers_who_is_affected": ["yes"],
                                      "submit": "save"})
    assert messages(response) == ["That question is no longer in the template (it may have been removed): "
                                  "choose another question"]
    assert spec(app, draft) == before


def test_a_draft_changed_meanwhile_gets_the_conflict_page_and_keeps_what_was_chosen(app, admin, draft):
    page = url(draft, "section", "characteristics")
    before = spec(app, draft)
    response = post(admin, page, "full_assessment_needed", ["no"], spec_hash="stale")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Another administrator changed this draft while you were editing it" in main_text(html)
    assert 'name="answers_full_assessment_needed" type="checkbox" value="no" checked' in html
    assert spec(app, draft) == before
    again = admin.post(page, data={**page_fields(html), "answers_full_assessment_needed": ["no"], "submit": "save"})
    assert again.status_code == 302
    assert spec(app, draft).section("characteristics").show_if == Condition("full_assessment_needed", ["no"])


def test_no_earlier_question_is_said_plainly_with_a_way_back(app, admin, draft):
    page = url(draft, "section", "screening")
    response = admin.get(page)
    assert response.status_code == 200
    assert "There is no earlier question to depend on" in text(response)
    assert f'href="/templates/versions/{draft}/sections/screening"' in response.get_data(as_text=True)
    refused = admin.post(page, data={"depends_on": "full_assessment_needed"})
    assert refused.status_code == 400 and messages(refused)


@pytest.mark.parametrize("target, key", [("colour", "screening"), ("section", "nope"), ("question", "nope"),
                                         ("question", "age-sub"), ("step", "nope"), ("page", "other"),
                                         ("end", "nope")])
def test_an_unknown_target_or_key_is_not_found(admin, draft, target, key):
    assert admin.get(url(draft, target, key)).status_code == 404


def test_a_published_version_cannot_be_changed(app, admin, draft):
    published = seeded_version_id(app)
    assert admin.get(url(published, "page", "team")).status_code == 409


# --- in words -------------------------------------------------------------------------------------


def test_a_condition_in_words():
    england = templates.bundled_template_spec(ENGLAND)
    assert describe(england, Condition()) == ""
    assert describe(england, Condition("full_assessment_needed", ["no"])) == f"Only if “{NEEDED}” is “No”"
    assert describe(england, Condition("outcome", ["no_change", "adjust", "stop"])) == (
        "Only if “What is the outcome of the assessment?” is “No major change needed”, “Change the proposal” or "
        "“Stop and rethink”")
    assert describe(england, Condition("gone", ["yes"])) == REMOVED
    assert templateformat.structure_problems(england) == []
