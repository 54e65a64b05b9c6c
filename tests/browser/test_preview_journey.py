"""An administrator previews the English template and answers its screening question both ways.

"No" leads to the screened-out path: the explanation is asked for, and the full assessment and the
action plan do not apply. "Yes" leads to the full path: they apply, and the Engagement and Staff
impact pages appear. "Start the preview again" clears the answers. Also without JavaScript.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.preview_states import england_preview

ADMIN = "admin@example.gov.uk"
FULL = "Impact on people with protected characteristics"


def _answer(page, answer: str) -> None:
    page.get_by_role("link", name="Screening").click()
    question = page.get_by_role("group", name="Is a full equality impact assessment needed?")
    question.get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Save and continue").click()


def _journey(page, app) -> None:
    sign_in(page, ADMIN)
    page.goto(england_preview(app))
    expect(page.get_by_role("heading", name="Preview of version 1")).to_be_visible()
    expect(page.get_by_text("they are not saved to any assessment")).to_be_visible()

    _answer(page, "No")
    expect(page.get_by_text("More questions now apply")).to_be_visible()
    expect(page.get_by_role("textbox", name="Explain why a full assessment is not needed")).to_be_visible()
    page.get_by_role("textbox", name="Explain why a full assessment is not needed").fill("Opening hours move by an hour.")
    page.get_by_role("button", name="Save and come back later").click()
    tasks = page.locator("main")
    expect(tasks.get_by_text("Your answers have been kept in this preview")).to_be_visible()
    expect(tasks.get_by_role("link", name=FULL)).to_have_count(0)
    expect(tasks.get_by_role("link", name="Staff impact")).to_have_count(0)

    _answer(page, "Yes")
    page.goto(england_preview(app))
    expect(tasks.get_by_role("link", name=FULL)).to_be_visible()
    expect(tasks.get_by_role("link", name="Staff impact")).to_be_visible()
    tasks.get_by_role("link", name=FULL).click()
    expect(page.get_by_role("heading", name=FULL, level=1)).to_be_visible()
    expect(page).to_have_url(f"{page.url.split('/templates/')[0]}{england_preview(app)}/sections/characteristics/questions")

    page.goto(england_preview(app))
    page.get_by_role("button", name="Start the preview again").click()
    expect(page.get_by_text("every answer has been cleared")).to_be_visible()
    expect(page.locator("main").get_by_role("link", name=FULL)).to_have_count(0)


def test_answer_the_screening_question_both_ways_in_the_preview(page, app, users):
    _journey(page, app)


def test_the_preview_without_javascript(page_without_js, app, users):
    _journey(page_without_js, app)
