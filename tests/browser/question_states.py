"""Page states of the designer's question pages for the accessibility suite (tests/browser/pages.py):
a draft of the England template (screening questions, one shown only if another is answered no, an
action plan as a list question), opened by URL and brought to each state through the pages."""

from __future__ import annotations

from tests.browser.condition_states import england_draft


def _open(part: str):
    def state(page, app) -> None:
        page.goto(england_draft(app) + part)
        page.get_by_role("heading", level=1).wait_for()

    return state


def _move_refused(page, app) -> None:
    """"Move up" on a question shown only if the one above it has certain answers: refused, said why."""
    page.goto(england_draft(app) + "/sections/screening/questions")
    page.get_by_role("button", name="Move up question 4").click()
    page.locator(".govuk-error-summary").wait_for()


def _new_list_with_errors(page, app) -> None:
    """A new list question saved with nothing typed: every message in the error summary."""
    page.goto(england_draft(app) + "/sections/action_plan/questions/new")
    page.get_by_label("List of items (add another)").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Add another question").click()
    page.get_by_label("Kind of answer to question 2").select_option("single_choice")
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".govuk-error-summary").wait_for()


def _kind_not_chosen(page, app) -> None:
    page.goto(england_draft(app) + "/sections/screening/questions/new")
    page.get_by_role("button", name="Continue").click()
    page.locator(".govuk-error-summary").wait_for()


QUESTION_PAGE_STATES = [
    ("designer: a section's questions, one with a condition", _open("/sections/screening/questions"), "admin"),
    ("designer: a question that cannot move above what it depends on", _move_refused, "admin"),
    ("designer: choosing the kind of a new question", _open("/sections/screening/questions/new"), "admin"),
    ("designer: the kind of a new question not chosen", _kind_not_chosen, "admin"),
    ("designer: a new question with options", _open("/sections/screening/questions/new/single_choice"), "admin"),
    ("designer: a new grid", _open("/sections/screening/questions/new/grid"), "admin"),
    ("designer: a new rating", _open("/sections/characteristics/questions/new/rating"), "admin"),
    ("designer: a new list question saved with mistakes", _new_list_with_errors, "admin"),
    ("designer: a list question with its questions for each item", _open("/sections/action_plan/questions/actions"),
     "admin"),
    ("designer: removing a question", _open("/sections/screening/questions/who_is_affected/remove"), "admin"),
    ("designer: a question others depend on cannot be removed",
     _open("/sections/screening/questions/full_assessment_needed/remove"), "admin"),
]
