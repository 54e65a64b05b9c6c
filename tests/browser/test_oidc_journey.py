"""Signing in through the council's OpenID provider in a real browser, end to end.

npm's oidc-provider runs on loopback (tests/oidc_support.py); chromium goes from the service's
sign-in page to the provider's own sign-in and consent pages and back, signed in.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible
from tests.oidc_support import running_provider, settings


@pytest.fixture(scope="module")
def issuer(live_server):
    with running_provider([live_server + "/sign-in/oidc/callback"]) as url:
        yield url


@pytest.fixture
def council_sign_in(app, issuer, monkeypatch):
    for name, value in settings(issuer).items():
        monkeypatch.setitem(app.config, name, value)


def _through_the_provider(page, login: str) -> None:
    page.goto("/sign-in")
    page.get_by_role("button", name="Sign in with your council account").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # the provider's consent page


def test_signing_in_with_a_council_account(page, live_server, users, council_sign_in):
    page.goto("/sign-in")
    assert_accessible(page, "sign-in page with council sign-in")
    _through_the_provider(page, "officer")
    page.get_by_role("button", name="Sign out (Sam Officer)").wait_for()
    assert page.url == live_server + "/"
    page.get_by_role("link", name="Your account").click()
    page.get_by_text("Council account", exact=True).wait_for()
    page.get_by_role("button", name="Sign out (Sam Officer)").click()
    page.get_by_role("heading", name="Sign in", exact=True).wait_for()


def test_a_refusal_is_a_clear_page(page, users, council_sign_in):
    _through_the_provider(page, "outsider")
    page.get_by_role("heading", name="You cannot sign in with this email address").wait_for()
    assert_accessible(page, "council sign-in refused")
