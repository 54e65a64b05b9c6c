"""On a phone (375 px wide) no page is wider than the screen: wide tables scroll inside their own
box, so the page itself never has to be scrolled sideways to read or reach anything."""

from __future__ import annotations

import inspect

import pytest

from tests.browser.conftest import sign_in
from tests.browser.pages import PAGE_STATES, _new_assessment, _with_answers
from tests.browser.test_accessibility import EMAILS

PHONE = {"width": 375, "height": 812}


def _overflow(page) -> int:
    """How many pixels the page is wider than the screen (0: none)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def _home(page) -> None:
    _new_assessment(page)
    page.goto("/")


def _staff(page) -> None:
    page.goto(_new_assessment(page) + "/staff")


def _check_answers(page) -> None:
    page.goto(_with_answers(page) + "/check-answers")


def _view(page) -> None:
    page.goto(_with_answers(page) + "/view")


def _check(page) -> None:
    page.goto(_with_answers(page) + "/check")


def _all_assessments(page) -> None:
    _new_assessment(page)
    page.goto("/assessments/all")


@pytest.mark.parametrize("state, email", [
    (_home, "author@example.gov.uk"), (_staff, "author@example.gov.uk"),
    (_check_answers, "author@example.gov.uk"), (_view, "author@example.gov.uk"),
    (_check, "author@example.gov.uk"), (_all_assessments, "admin@example.gov.uk"),
], ids=["home", "staff impact", "check your answers", "read-only view", "check page", "all assessments"])
def test_no_page_is_wider_than_a_phone(page, users, state, email):
    page.set_viewport_size(PHONE)
    sign_in(page, email)
    state(page)
    page.wait_for_load_state("load")
    assert _overflow(page) == 0, f"{page.url} is {_overflow(page)} px wider than a 375 px screen"


@pytest.mark.parametrize("label, target, role", PAGE_STATES, ids=[s[0] for s in PAGE_STATES])
def test_no_page_state_is_wider_than_a_phone(app, page, users, label, target, role):
    page.set_viewport_size(PHONE)
    if role:
        sign_in(page, EMAILS[role])
    if callable(target):
        target(page, app) if len(inspect.signature(target).parameters) > 1 else target(page)
    else:
        page.goto(target)
    page.wait_for_load_state("load")
    assert _overflow(page) == 0, f"{label}: {page.url} is {_overflow(page)} px wider than a 375 px screen"
