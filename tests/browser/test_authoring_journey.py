"""An officer fills in part of an assessment in the browser, signs out, and finds it all again.

With JavaScript on, "Add another" and "Remove" replace the page's content without a reload;
without JavaScript they are ordinary submit buttons (the second test).
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import sign_in

AUTHOR = "author@example.gov.uk"
NAME = "Community hub for Tamworth"


def _start(page, name: str = NAME) -> str:
    page.goto("/")
    page.get_by_role("button", name="Start a new assessment").click()
    page.get_by_label("What is the name of the proposal?").fill(name)
    page.get_by_role("button", name="Start assessment").click()
    page.get_by_role("heading", name=name).wait_for()
    return page.url


def _impact(page, row: str, answer: str) -> None:
    page.get_by_role("group", name=f"Is there an impact? – {row}", exact=True).get_by_label(answer).check()


def test_fill_in_a_section_sign_out_and_find_it_all_again(page, users):
    sign_in(page, AUTHOR)
    task_list = _start(page)
    page.get_by_role("link", name="Environment", exact=True).click()
    expect(page.get_by_role("heading", name="Environment", level=1)).to_be_visible()

    # Transport: an impact, the groups, and two risks each with a mitigation (Add buttons).
    _impact(page, "Transport", "Yes, there is an impact")
    page.get_by_label("Which groups will be affected – Transport", exact=True).fill(
        "Bus users in rural parishes, older and disabled people")
    risks = page.get_by_role("group", name="Risks and Mitigations / Recommendations – Transport", exact=True)
    risks.get_by_role("button", name="Add a risk").click()
    page.get_by_label("Risk 1 in Transport", exact=True).fill("Fewer buses to the town centre")
    page.get_by_label("Mitigation or recommendation 1 for risk 1 in Transport", exact=True).fill(
        "Community transport grant for the two rural routes")
    risks.get_by_role("button", name="Add another risk").click()
    page.get_by_label("Risk 2 in Transport", exact=True).fill("Longer walks to the new hub")
    page.get_by_label("Mitigation or recommendation 1 for risk 2 in Transport", exact=True).fill(
        "Dial-a-ride service on request")
    # What was typed before each Add survived it.
    assert page.get_by_label("Risk 1 in Transport", exact=True).input_value() == "Fewer buses to the town centre"
    assert page.get_by_label("Which groups will be affected – Transport", exact=True).input_value().startswith(
        "Bus users")

    # Noise: no impact.
    _impact(page, "Noise", "No impact identified (N/A)")

    # A row of our own.
    page.get_by_role("button", name="Add your own category area").click()
    own = page.locator(".app-row").last
    own.get_by_label("Name of the category area").fill("Tourism")
    own.get_by_label("Yes, there is an impact").check()
    own.get_by_role("textbox", name=re.compile("^Which groups will be affected")).fill("Visitors and hotels")
    page.get_by_role("button", name="Save and continue").click()

    # The Evidence Base, with one item added.
    page.get_by_role("heading", name="Environment: Evidence Base").wait_for()
    page.get_by_role("button", name="Add an evidence item").click()
    page.get_by_label("Title of evidence item 1", exact=True).fill("Bus passenger survey 2025")
    page.get_by_role("group", name="Type of evidence for item 1").get_by_label("Data", exact=True).check()
    page.get_by_label("Link (web address) of evidence item 1", exact=True).fill("https://www.example.org/survey")
    page.get_by_role("group", name="How likely are the impacts?").get_by_label("Likely", exact=True).check()
    page.get_by_role("group", name="How large are the impacts?").get_by_label("Medium", exact=True).check()
    page.get_by_role("group", name="Have you completed this section?").get_by_label(
        "Yes, I've completed this section").check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name="Localities / Communities", level=1).wait_for()

    # Sign out, sign in again, and find it all.
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You have signed out").wait_for()
    sign_in(page, AUTHOR)
    page.get_by_role("link", name=NAME).click()
    assert page.url == task_list
    assert page.locator("#task-section-environment-status").inner_text().startswith("Completed")
    assert "Not started" in page.locator("#task-section-economy-status").inner_text()
    assert "Not started" in page.locator("#task-details-status").inner_text()

    page.get_by_role("link", name="Environment", exact=True).click()
    assert page.get_by_label("Risk 2 in Transport", exact=True).input_value() == "Longer walks to the new hub"
    assert page.get_by_label("Mitigation or recommendation 1 for risk 1 in Transport", exact=True).input_value() \
        == "Community transport grant for the two rural routes"
    assert page.get_by_role("group", name="Is there an impact? – Noise", exact=True).get_by_label(
        "No impact identified (N/A)").is_checked()
    assert page.locator(".app-row").last.get_by_label("Name of the category area").input_value() == "Tourism"

    page.goto(task_list + "/view")
    environment = page.locator("section", has=page.get_by_role("heading", name="4. Environment"))
    transport = environment.get_by_role("row", name=re.compile("^Transport"))
    for text in ("Bus users in rural parishes", "Fewer buses to the town centre",
                 "Community transport grant for the two rural routes", "Longer walks to the new hub",
                 "Dial-a-ride service on request"):
        assert text in transport.inner_text(), text
    assert "N/A – no impact identified" in environment.get_by_role("row", name=re.compile("^Noise")).inner_text()
    assert "Visitors and hotels" in environment.get_by_role("row", name=re.compile("^Tourism")).inner_text()
    assert page.get_by_role("link", name="Bus passenger survey 2025").get_attribute("href") == \
        "https://www.example.org/survey"


def test_add_and_remove_without_javascript(page_without_js, users):
    page = page_without_js
    sign_in(page, AUTHOR)
    _start(page, "Library opening hours")
    page.get_by_role("link", name="Economy", exact=True).click()
    page.get_by_label("Which groups will be affected – Economic Growth", exact=True).fill("Town centre shops")
    page.get_by_role("group", name="Benefits – Economic Growth", exact=True).get_by_role(
        "button", name="Add a benefit").click()
    assert page.url.endswith("#rows-0-benefits-0-text")  # the page comes back at the new box
    page.get_by_label("Benefit 1 in Economic Growth", exact=True).fill("More footfall")
    page.get_by_role("group", name="Risks and Mitigations / Recommendations – Economic Growth", exact=True) \
        .get_by_role("button", name="Add a risk").click()
    page.get_by_label("Risk 1 in Economic Growth", exact=True).fill("Parking pressure")
    assert page.get_by_label("Benefit 1 in Economic Growth", exact=True).input_value() == "More footfall"
    assert page.get_by_label("Which groups will be affected – Economic Growth", exact=True).input_value() \
        == "Town centre shops"
    page.get_by_role("button", name="Remove benefit 1").click()
    assert page.get_by_label("Benefit 1 in Economic Growth", exact=True).count() == 0
    assert page.get_by_label("Risk 1 in Economic Growth", exact=True).input_value() == "Parking pressure"
    # Save and continue with the risk unmitigated: the checker's message, linked to the risk.
    _impact(page, "Economic Growth", "Yes, there is an impact")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".govuk-error-summary")
    link = summary.get_by_role("link", name=re.compile("Economy, Economic Growth: risk 1 has no mitigation"))
    link.click()
    assert page.url.endswith("#rows-0-risks-0-mitigations-0-text")
