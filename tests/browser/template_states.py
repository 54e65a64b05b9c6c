"""Page states of other templates' shapes for the accessibility suite (listed in tests/browser/pages.py):
a list question ("add another"), its error in one item, and sign-off in steps (the shipped English-style
equality impact assessment). The assessments are built through the pages with a test client as the
same author the browser is signed in as; the browser then opens the page.
"""

from __future__ import annotations

from sqlalchemy import select

from cia.extensions import db
from cia.models import User
from tests.helpers import signed_in
from tests.signoff_support import EQUALITIES, question_page, seed_england_and_signers, start_england

AUTHOR, APPROVER = "author@example.gov.uk", "approver@example.gov.uk"


def _full_assessment(app) -> int:
    version = seed_england_and_signers(app)
    return start_england(signed_in(app, AUTHOR), version, full=True)


def _action_plan_with_two_actions(page, app) -> None:
    page.goto(question_page(_full_assessment(app), "action_plan"))
    page.get_by_role("button", name="Add another action").click()
    page.get_by_role("group", name="Action 2").wait_for()


def _action_plan_with_an_error_in_the_second_action(page, app) -> None:
    _action_plan_with_two_actions(page, app)
    second = page.get_by_role("group", name="Action 2")
    second.get_by_label("Action", exact=True).fill("Count Monday visits")
    second.get_by_label("Lead officer").fill("Head of Libraries " * 30)  # longer than a short answer may be
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".govuk-error-summary").wait_for()


def _submit_in_two_steps(page, app) -> None:
    page.goto(f"/assessments/{_full_assessment(app)}/submit")


def _sign_off_waiting_for_an_earlier_step(page, app) -> None:
    aid = _full_assessment(app)
    with app.app_context():
        ids = {u.email: u.id for u in db.session.execute(select(User)).scalars()}
    author = signed_in(app, AUTHOR)
    response = author.post(f"/assessments/{aid}/submit/confirm", data={
        "revision": "1", "approvers": [str(ids[EQUALITIES])], "approvers-decision-maker": [str(ids[APPROVER])]})
    assert response.status_code == 302, response.status_code
    page.goto(f"/assessments/{aid}/sign-off")


TEMPLATE_PAGE_STATES = [
    ("a list question with two items", _action_plan_with_two_actions, "author"),
    ("a list question with an error in its second item", _action_plan_with_an_error_in_the_second_action, "author"),
    ("submit for sign-off in two steps", _submit_in_two_steps, "author"),
    ("sign-off page of an approver whose step comes later", _sign_off_waiting_for_an_earlier_step, "approver"),
]
