"""An officer signs in and opens the CIA template, with and without JavaScript."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import sign_in


def test_sign_in_and_open_the_template(page, users):
    sign_in(page, "author@example.gov.uk")
    expect(page.get_by_role("heading", name="Community Impact Assessments")).to_be_visible()
    page.get_by_role("link", name="The CIA template").first.click()
    expect(page.get_by_role("heading", name="Community Impact Assessment Template")).to_be_visible()
    expect(page.get_by_role("heading", name="5. Localities / Communities")).to_be_visible()
    expect(page.get_by_text("Will the proposal cause disruptive noise?")).to_be_visible()
    # The compiled GOV.UK styles and JavaScript load (served from our static folder).
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "GDS Transport" not in font and "arial" in font.lower()


def test_wrong_password_then_sign_out_without_javascript(page_without_js, users):
    page = page_without_js
    sign_in(page, "author@example.gov.uk", "wrong password here")
    expect(page.get_by_text("Enter a correct email address and password").first).to_be_visible()
    sign_in(page, "author@example.gov.uk")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out")).to_be_visible()
    page.goto("/template")
    assert "/sign-in" in page.url


def test_no_crown_crest_or_govuk_logotype_is_loaded(page, users):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, "author@example.gov.uk")
    page.goto("/template")
    assert not [url for url in requested if "crest" in url or "crown" in url or "logotype" in url]
    assert page.locator(".govuk-header__logotype, .govuk-footer__crown, .govuk-footer__copyright-logo").count() == 0
