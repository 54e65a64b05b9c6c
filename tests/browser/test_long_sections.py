"""Long section pages in the browser: choosing N/A hides a row's other fields (GOV.UK conditional
reveal, JavaScript on), and the page per category area is worked through with the keyboard alone."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.pages import _new_assessment
from tests.browser.test_keyboard_journey import press_enter, tab_to

AUTHOR = "author@example.gov.uk"


def _impact(page, row: str, answer: str) -> None:
    page.get_by_role("group", name=f"Is there an impact? – {row}", exact=True).get_by_label(answer).check()


def test_choosing_na_hides_the_rows_fields_and_yes_brings_them_back(page, users):
    sign_in(page, AUTHOR)
    page.goto(_new_assessment(page) + "/sections/economy")
    groups = page.get_by_label("Which groups will be affected – Economic Growth", exact=True)
    benefits = page.get_by_role("button", name="Add a benefit").first
    groups.wait_for(state="hidden")  # not answered yet: nothing but the question
    _impact(page, "Economic Growth", "Yes, there is an impact")
    expect(groups).to_be_visible()
    expect(benefits).to_be_visible()
    groups.fill("Shop owners in the town centre")
    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_text("Your answers have been saved").wait_for()

    page.get_by_role("link", name="Economy", exact=True).click()
    assert groups.input_value() == "Shop owners in the town centre"
    _impact(page, "Economic Growth", "No impact identified (N/A)")
    groups.wait_for(state="hidden")
    expect(page.get_by_label("Benefits – Economic Growth").first).to_be_hidden()
    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_text("Your answers have been saved").wait_for()

    page.get_by_role("link", name="Economy", exact=True).click()
    assert page.locator(".app-area-contents").get_by_text("Not applicable").count() == 1
    groups.wait_for(state="hidden")  # GOV.UK's radios script hides it once the page has loaded
    _impact(page, "Economic Growth", "Yes, there is an impact")
    expect(groups).to_be_visible()
    assert groups.input_value() == "Shop owners in the town centre"  # kept, hidden


def test_one_area_at_a_time_by_keyboard(page, users):
    sign_in(page, AUTHOR)
    page.goto(_new_assessment(page) + "/sections/economy")
    tab_to(page, page.get_by_role("link", name="Work on one category area at a time"), "the one-area link")
    press_enter(page)
    assert page.url.endswith("/sections/economy/areas/economic_growth")
    expect(page.get_by_text("Category area 1 of 4.")).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Next"), "the next area")
    press_enter(page)
    assert page.url.endswith("/areas/poverty_and_income")
    tab_to(page, page.get_by_role("link", name="Previous"), "the previous area")
    press_enter(page)
    assert page.url.endswith("/areas/economic_growth")

    # answer it by keyboard, and "Save and continue" goes on to the next area
    tab_to(page, page.get_by_label("Yes, there is an impact"), "Yes, there is an impact")
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Which groups will be affected – Economic Growth", exact=True), "the groups")
    page.keyboard.type("Market traders")
    tab_to(page, page.get_by_role("button", name="Save and continue"), "Save and continue")
    press_enter(page)
    assert page.url.endswith("/areas/poverty_and_income")
    tab_to(page, page.get_by_role("link", name="Show every category area on one page"), "every area")
    press_enter(page)
    assert page.locator(".app-area-contents").get_by_text("Completed").count() == 1
    assert page.get_by_label("Which groups will be affected – Economic Growth", exact=True).input_value() == \
        "Market traders"
