"""An administrator makes version 2 of the template in the browser: renames a category area, adds
one, previews it and publishes it; a new assessment then shows the change. Also without JavaScript."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.designer_states import draft

ADMIN = "admin@example.gov.uk"


def test_create_edit_preview_and_publish_a_version(page, users):
    sign_in(page, ADMIN)
    page.get_by_role("link", name="Templates").click()
    expect(page.get_by_role("heading", name="Templates", level=1)).to_be_visible()
    page.get_by_role("button", name="Create new version").click()
    page.get_by_text("Version 2 has been created as a draft, copied from version 1").wait_for()
    version = page.url

    # Rename a category area and add one.
    page.get_by_role("link", name="Sections and category areas").click()
    page.get_by_role("link", name="4. Environment").click()
    page.get_by_label("Title of category area 7", exact=True).fill("Noise and vibration")
    page.get_by_role("button", name="Add another category area").click()
    new_title = page.get_by_label("Title of category area 8", exact=True)
    assert new_title.evaluate("el => el === document.activeElement")  # focus moved to the new area
    new_title.fill("Light pollution")
    page.get_by_label("Guiding question of category area 8", exact=True).fill(
        "Will the proposal add street or building lighting?")
    # The renamed title survived the Add (nothing typed is lost), then Move up works too.
    assert page.get_by_label("Title of category area 7", exact=True).input_value() == "Noise and vibration"
    page.get_by_role("button", name="Move up category area 8").click()
    expect(page.get_by_label("Title of category area 7", exact=True)).to_have_value("Light pollution")
    expect(page.get_by_label("Title of category area 8", exact=True)).to_have_value("Noise and vibration")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("The section “Environment” has been saved").wait_for()

    # Preview it as an author would see it.
    page.goto(version)
    page.get_by_role("link", name="Preview this version as an author sees it").click()
    page.get_by_text("This is how authors will see version 2").wait_for()
    page.get_by_role("link", name="Environment", exact=True).click()
    expect(page.get_by_role("heading", name="Light pollution")).to_be_visible()
    expect(page.get_by_role("heading", name="Noise and vibration")).to_be_visible()
    expect(page.get_by_text("Will the proposal add street or building lighting?")).to_be_visible()
    expect(page.get_by_text("not saved to any assessment")).to_be_visible()  # the preview keeps its answers to itself

    # Publish.
    page.goto(version)
    page.get_by_role("link", name="Check and publish").click()
    page.get_by_text("The draft passes every check").wait_for()
    page.get_by_role("button", name="Publish version 2").click()
    page.get_by_text("New assessments will use it").wait_for()

    # A new assessment starts on version 2 and shows the change.
    page.goto("/assessments/new")
    page.get_by_label("What is the name of the proposal?").fill("Street lighting upgrade")
    page.get_by_role("button", name="Start assessment").click()
    page.get_by_role("link", name="Environment", exact=True).click()
    expect(page.get_by_role("heading", name="Light pollution")).to_be_visible()
    expect(page.get_by_role("heading", name="Noise and vibration")).to_be_visible()


def test_edit_a_list_without_javascript(page_without_js, users):
    page = page_without_js
    sign_in(page, ADMIN)
    version = draft(page)
    page.goto(version + "/guidance/please-note")
    page.get_by_label("Text of bullet 3", exact=True).fill("Do not name members of the public.")
    page.get_by_role("button", name="Move up bullet 3").click()
    assert page.get_by_label("Text of bullet 2", exact=True).input_value() == "Do not name members of the public."
    page.get_by_role("button", name="Add another bullet").click()
    page.get_by_label("Text of bullet 4", exact=True).fill("Write in plain English.")
    page.get_by_role("button", name="Remove bullet 1").click()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Your changes have been saved").wait_for()
    page.goto(version + "/guidance/please-note")
    texts = [page.get_by_label(f"Text of bullet {n}", exact=True).input_value() for n in (1, 2, 3)]
    assert texts == ["Do not name members of the public.",
                     "Where no major impacts have been identified, please state N/A.", "Write in plain English."]
