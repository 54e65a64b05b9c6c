"""Saving never loses work, in a real browser.

- "Save and come back later" with a mistyped date saves everything else, says what was not saved
  with a link to it, and the page shows the mistyped date as typed, with its message, on return.
- Two people change different rows of the same section at the same time: both keep their changes.
- Leaving a page with unsaved changes asks first; saving it does not.
"""

from __future__ import annotations

from tests.browser.conftest import sign_in
from tests.helpers import give_edit_access

AUTHOR, OTHER = "author@example.gov.uk", "other@example.gov.uk"


def _new_assessment(page, name: str = "Library opening hours") -> str:
    page.goto("/assessments/new")
    page.get_by_label("What is the name of the proposal?").fill(name)
    page.get_by_role("button", name="Start assessment").click()
    page.get_by_role("heading", name=name).wait_for()
    return page.url


def _mistyped_date(page, details: str) -> None:
    page.goto(details)
    page.get_by_label("Summary of the proposal").fill("Fewer opening hours at two branch libraries")
    date = page.get_by_role("group", name="Expected decision date")
    date.get_by_label("Day").fill("31")
    date.get_by_label("Month").fill("2")
    date.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_text("Not everything was saved").wait_for()


def test_an_invalid_date_with_save_later_keeps_every_other_answer_and_says_so(page, users):
    sign_in(page, AUTHOR)
    details = _new_assessment(page) + "/details"
    _mistyped_date(page, details)
    banner = page.locator(".govuk-notification-banner", has_text="Not everything was saved")
    assert "Your answers have been saved, except 1 that needs correcting:" in banner.inner_text()

    banner.get_by_role("link", name="Expected decision date must be a real date").click()
    page.get_by_text("were not saved because they need correcting").wait_for()
    assert page.get_by_label("Summary of the proposal").input_value() == "Fewer opening hours at two branch libraries"
    date = page.get_by_role("group", name="Expected decision date")
    assert date.get_by_label("Day").input_value() == "31"
    assert "Expected decision date must be a real date" in page.locator(".govuk-error-summary").inner_text()

    # Signed out and in again: still there, until corrected and saved.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, AUTHOR)
    page.goto(details)
    date = page.get_by_role("group", name="Expected decision date")
    assert date.get_by_label("Day").input_value() == "31"
    date.get_by_label("Day").fill("28")
    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_text("Your answers have been saved. You can come back to them at any time.").wait_for()
    page.goto(details)
    assert page.get_by_role("group", name="Expected decision date").get_by_label("Day").input_value() == "28"
    assert page.locator(".govuk-error-summary").count() == 0


def test_two_people_changing_different_rows_both_keep_their_changes(browser, live_server, app, users, author,
                                                                      assessment_id):
    give_edit_access(author, assessment_id, OTHER)
    url = f"/assessments/{assessment_id}/sections/economy"
    contexts = [browser.new_context(base_url=live_server) for _ in range(2)]
    try:
        first, second = (context.new_page() for context in contexts)
        for page, email in ((first, AUTHOR), (second, OTHER)):
            page.set_default_timeout(15_000)
            sign_in(page, email)
            page.goto(url)
        for page, area in ((first, "Economic Growth"), (second, "Poverty and Income")):
            page.get_by_role("group", name=f"Is there an impact? – {area}", exact=True).get_by_label(
                "Yes, there is an impact").check()
        first.get_by_label("Which groups will be affected – Economic Growth", exact=True).fill("Market traders")
        second.get_by_label("Which groups will be affected – Poverty and Income", exact=True).fill(
            "Families on low incomes")
        first.get_by_role("button", name="Save and come back later").click()
        first.get_by_text("Your answers have been saved").wait_for()
        second.get_by_role("button", name="Save and come back later").click()
        second.get_by_text("Your changes were saved. Alex Author also changed this page; "
                           "their changes to Economic Growth were kept.").wait_for()

        first.goto(url)
        assert first.get_by_label("Which groups will be affected – Economic Growth", exact=True) \
            .input_value() == "Market traders"
        assert first.get_by_label("Which groups will be affected – Poverty and Income", exact=True) \
            .input_value() == "Families on low incomes"
    finally:
        for context in contexts:
            context.close()


def test_leaving_with_unsaved_changes_asks_first_but_saving_does_not(page, users):
    sign_in(page, AUTHOR)
    details = _new_assessment(page) + "/details"
    page.goto(details)
    dialogs: list[str] = []

    def answer(dialog) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()  # "Stay on page"

    page.on("dialog", answer)
    page.get_by_role("link", name="Back to task list").click()  # nothing typed: no question
    page.get_by_role("heading", name="Library opening hours").wait_for()
    assert dialogs == []

    page.goto(details)
    summary = page.get_by_label("Summary of the proposal")
    summary.click()
    summary.press_sequentially("Shorter hours")
    with page.expect_event("dialog"):  # answered by the handler above
        page.get_by_role("link", name="Back to task list").click(no_wait_after=True)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith("/details")  # stayed on the page, with what was typed
    assert summary.input_value() == "Shorter hours"

    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_text("Your answers have been saved").wait_for()
    assert dialogs == ["beforeunload"]
