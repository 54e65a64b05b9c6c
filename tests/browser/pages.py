"""Every page state the accessibility suite checks, in one place.

Each entry: (label, path or a callable that brings the page to that state, role to sign in as).
A callable receives the Playwright page, and also the Flask app if it takes a second argument
(to change the database behind the browser's back, e.g. to cause an edit conflict).
The browser tests of each feature add their states here; test_accessibility.py runs axe on all.
"""

from __future__ import annotations

from tests.browser.account_states import ACCOUNT_PAGE_STATES
from tests.browser.checker_states import CHECKER_PAGE_STATES
from tests.browser.condition_states import CONDITION_PAGE_STATES
from tests.browser.confidential_states import CONFIDENTIAL_PAGE_STATES
from tests.browser.designer_states import DESIGNER_PAGE_STATES
from tests.browser.preview_states import PREVIEW_PAGE_STATES
from tests.browser.question_states import QUESTION_PAGE_STATES
from tests.browser.rule_parameter_states import RULE_PARAMETER_PAGE_STATES
from tests.browser.saving_states import SAVING_PAGE_STATES
from tests.browser.section_states import SECTION_PAGE_STATES
from tests.browser.starting_states import STARTING_PAGE_STATES
from tests.browser.template_states import TEMPLATE_PAGE_STATES
from tests.browser.vocabulary_states import VOCABULARY_PAGE_STATES
from tests.browser.workflow_states import WORKFLOW_PAGE_STATES


def _sign_in_error(page) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("nobody@example.gov.uk")
    page.get_by_label("Password", exact=True).fill("wrong password here")
    page.get_by_role("button", name="Sign in").click()
    page.locator(".govuk-error-summary").wait_for()  # the new page, not the one being left


def _sign_in_empty(page) -> None:
    page.goto("/sign-in")
    page.get_by_role("button", name="Sign in").click()
    page.locator(".govuk-error-summary").wait_for()


# --- authoring -----------------------------------------------------------------


def _new_assessment(page, name: str = "Library redesign") -> str:
    """Start an assessment through the pages; the URL of its task list."""
    page.goto("/assessments/new")
    page.get_by_label("What is the name of the proposal?").fill(name)
    page.get_by_role("button", name="Start assessment").click()
    page.get_by_role("heading", name=name).wait_for()
    return page.url


def _transport_risk(page, task_list: str, mitigation: str = "") -> None:
    """On the Environment page: Transport with a risk (and its mitigation if given), Noise N/A."""
    page.goto(task_list + "/sections/environment")
    page.get_by_role("group", name="Is there an impact? – Transport", exact=True).get_by_label(
        "Yes, there is an impact").check()
    page.get_by_label("Which groups will be affected – Transport", exact=True).fill("Bus users")
    page.get_by_role("group", name="Risks and Mitigations / Recommendations – Transport", exact=True) \
        .get_by_role("button", name="Add a risk").click()
    page.get_by_label("Risk 1 in Transport", exact=True).fill("Fewer buses")
    page.get_by_label("Mitigation or recommendation 1 for risk 1 in Transport", exact=True).fill(mitigation)
    page.get_by_role("group", name="Is there an impact? – Noise", exact=True).get_by_label(
        "No impact identified (N/A)").check()


def _on_the_template_with_questions(page, app) -> str:
    """Start an assessment on the shipped template that asks questions; the URL of its task list."""
    import re

    from cia.data import templates
    from cia.extensions import db

    with app.app_context():
        templates.seed_bundled_templates(["integrated-impact-assessment-wales"])
        db.session.commit()
    page.goto("/assessments/new")
    page.get_by_label("What is the name of the proposal?").fill("Closing Llanfair library")
    page.get_by_label(re.compile(r"Integrated Impact Assessment \(Wales\)")).check()
    page.get_by_role("button", name="Start assessment").click()
    page.get_by_role("heading", name="Closing Llanfair library").wait_for()
    return page.url


def _questions_page(page, app) -> None:
    page.goto(_on_the_template_with_questions(page, app) + "/sections/wellbeing_goals/questions")


def _questions_page_with_errors(page, app) -> None:
    page.goto(_on_the_template_with_questions(page, app) + "/sections/about/questions")
    page.get_by_label("Month").fill("13")
    page.get_by_label("Year").fill("27")
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".govuk-error-summary").wait_for()


def _section_that_does_not_apply(page, app) -> None:
    page.goto(_on_the_template_with_questions(page, app) + "/sections/socio_economic/questions")


def _task_list(page) -> None:
    _new_assessment(page)


def _section_page(page) -> None:
    page.goto(_new_assessment(page) + "/sections/environment")


def _section_page_with_errors(page) -> None:
    _transport_risk(page, _new_assessment(page))
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".govuk-error-summary").wait_for()


def _evidence_page(page) -> None:
    page.goto(_new_assessment(page) + "/sections/environment/evidence")
    page.get_by_role("button", name="Add an evidence item").click()
    page.get_by_label("Title of evidence item 1", exact=True).wait_for()


def _with_answers(page) -> str:
    task_list = _new_assessment(page)
    _transport_risk(page, task_list, mitigation="Community transport grant")
    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_text("Your answers have been saved").wait_for()
    return task_list


def _view(page) -> None:
    page.goto(_with_answers(page) + "/view")


def _exempt_view(page) -> None:
    """An exempt CIA with a confidential row: the "Not for publication" banner, the row's tag, and the
    downloads' public version opened."""
    task_list = _new_assessment(page)
    _transport_risk(page, task_list, mitigation="Community transport grant")
    page.get_by_label("Mark as confidential: not for the public version (Transport)", exact=True).check()
    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_text("Your answers have been saved").wait_for()
    page.goto(task_list + "/details")
    page.get_by_role("group", name="Can this assessment be published?").get_by_label(
        "Exempt under Schedule 12A", exact=False).check()
    page.get_by_label("Paragraph of Schedule 12A").select_option("3")
    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_text("Your answers have been saved").wait_for()
    page.goto(task_list + "/view")
    page.get_by_text("Public version", exact=True).click()
    page.get_by_text("answers marked confidential are withheld", exact=False).wait_for()


def _check_answers(page) -> None:
    page.goto(_with_answers(page) + "/check-answers")


def _details_page(page) -> None:
    """Proposal details with "Other" chosen, so its further question is revealed."""
    page.goto(_new_assessment(page) + "/details")
    page.get_by_role("group", name="How will the decision be made?").get_by_label("Other", exact=True).check()
    page.get_by_label("Describe how the decision will be made").wait_for()


def _with_one(path: str, button: str, first_field: str):
    """A task page of a new assessment with one item added by its "Add" button."""
    def state(page) -> None:
        page.goto(_new_assessment(page) + path)
        page.get_by_role("button", name=button).click()
        page.locator(f"#{first_field}").wait_for()

    return state


def _check_page(page) -> None:
    page.goto(_with_answers(page) + "/check")


def _conflict_page(page, app) -> None:
    """Someone else saves the page (simulated in the database) while the author is typing."""
    from sqlalchemy import select

    from cia.extensions import db
    from cia.models import Assessment, RevisionPart

    page.goto(_new_assessment(page) + "/sections/economy")
    with app.app_context():
        assessment = db.session.execute(select(Assessment).order_by(Assessment.id.desc())).scalars().first()
        part = db.session.execute(select(RevisionPart).where(
            RevisionPart.revision_id == assessment.current_revision_id,
            RevisionPart.part == "section:economy")).scalar_one()
        rows = [dict(row) for row in part.data["rows"]]
        rows[0]["groups"] = "Small businesses in the town centre"
        part.data = {**part.data, "rows": rows}
        part.version += 1
        db.session.commit()
    page.get_by_role("group", name="Is there an impact? – Economic Growth", exact=True).get_by_label(
        "Yes, there is an impact").check()
    page.get_by_label("Which groups will be affected – Economic Growth", exact=True).fill("Market traders")
    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_text("changed the same answer while you were editing").wait_for()


#: axe findings accepted on purpose: {page state label: {rule id: the elements it is reported on}}.
#: test_accessibility.py fails if one is no longer found, or is found on other elements. Each is a
#: known issue in the accessibility statement (templates/main/accessibility.html).
ACCEPTED_FINDINGS: dict[str, dict[str, list]] = {
    # (none: the one the GOV.UK Design System makes on purpose, aria-expanded on a radio that reveals
    # further questions, is let through on every page by tests/browser/conftest.py)
}


def _contributors(page) -> None:
    page.goto(_new_assessment(page) + "/contributors")


def _assign_with_error(page) -> None:
    """Who is writing a section, saved with nobody chosen: the error summary."""
    page.goto(_new_assessment(page) + "/sections/economy/assign")
    page.evaluate("() => document.querySelectorAll('input[name=person]').forEach(r => { r.checked = false; })")
    page.get_by_role("button", name="Save").click()
    page.locator(".govuk-error-summary").wait_for()


PAGE_STATES = [
    ("sign-in page", "/sign-in", None),
    ("sign-in page with a wrong password", _sign_in_error, None),
    ("sign-in page with empty fields", _sign_in_empty, None),
    ("accessibility statement", "/accessibility", None),
    ("not found page", "/no-such-page", "author"),
    ("home page", "/", "author"),
    ("the CIA template", "/template", "author"),
    ("task list of a new assessment", _task_list, "author"),
    ("who is writing which section", _contributors, "author"),
    ("who is writing a section, with nobody chosen", _assign_with_error, "author"),
    ("a section's questions", _questions_page, "author"),
    ("a section's questions with a date that does not exist", _questions_page_with_errors, "author"),
    ("a section that does not apply", _section_that_does_not_apply, "author"),
    ("section page", _section_page, "author"),
    ("section page with a risk without mitigation", _section_page_with_errors, "author"),
    ("evidence base page", _evidence_page, "author"),
    ("conflict page", _conflict_page, "author"),
    ("read-only view of the CIA", _view, "author"),
    ("read-only view of an exempt CIA with a confidential row, public version downloads open", _exempt_view,
     "author"),
    ("check your answers", _check_answers, "author"),
    ("proposal details", _details_page, "author"),
    ("project team with a member", _with_one("/team", "Add a team member", "members-0-name"), "author"),
    ("engagement with an activity", _with_one("/engagement", "Add an activity", "activities-0-activity"),
     "author"),
    ("staff impact with a workforce line", _with_one("/staff", "Add a line to the workforce profile",
                                                     "profile-0-characteristic"), "author"),
    ("check your assessment, with findings", _check_page, "author"),
    # saving that keeps what is valid, and merges: tests/browser/saving_states.py
    *SAVING_PAGE_STATES,
    # long section pages (contents list, N/A, one area per page): tests/browser/section_states.py
    *SECTION_PAGE_STATES,
    # sign-off workflow: tests/browser/workflow_states.py
    *WORKFLOW_PAGE_STATES,
    # template designer: tests/browser/designer_states.py
    *DESIGNER_PAGE_STATES,
    *VOCABULARY_PAGE_STATES,
    *PREVIEW_PAGE_STATES,
    *STARTING_PAGE_STATES,
    # the checker's link check and template terms: tests/browser/checker_states.py
    *CHECKER_PAGE_STATES,
    *RULE_PARAMETER_PAGE_STATES,
    # accounts: tests/browser/account_states.py
    *ACCOUNT_PAGE_STATES,
    # other templates' shapes (list questions, sign-off steps): tests/browser/template_states.py
    *TEMPLATE_PAGE_STATES,
    *CONDITION_PAGE_STATES,
    *QUESTION_PAGE_STATES,
    # confidential evidence items, activities, answers and paragraphs: tests/browser/confidential_states.py
    *CONFIDENTIAL_PAGE_STATES,
]
