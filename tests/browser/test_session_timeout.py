"""The warning before the idle timeout (WCAG 2.2.1): shown in time, "Stay signed in" works, then signed out."""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import assert_accessible, sign_in


@pytest.fixture
def short_sessions(app, monkeypatch):
    """A 16-second idle timeout with the warning 12 seconds before it."""
    monkeypatch.setitem(app.config, "CIA_SESSION_IDLE_MINUTES", 16 / 60)
    monkeypatch.setitem(app.config, "CIA_SESSION_WARNING_SECONDS", 12)


def test_the_warning_comes_before_the_timeout_and_stay_signed_in_extends_it(app, page, users, short_sessions):
    sign_in(page, "author@example.gov.uk")
    dialog = page.get_by_role("dialog", name="You are about to be signed out")
    dialog.wait_for(state="visible", timeout=10_000)
    stay = dialog.get_by_role("button", name="Stay signed in")
    assert stay.evaluate("button => button === document.activeElement")
    assert "we will sign you out in" in dialog.inner_text().lower()
    assert_accessible(page, "the idle-timeout warning")

    stay.click()
    dialog.wait_for(state="hidden")
    seconds_left = page.evaluate("fetch('/session').then(r => r.json()).then(s => s.seconds_left)")
    assert seconds_left > 12, "Stay signed in restarted the idle timeout on the server"

    dialog.wait_for(state="visible", timeout=10_000)  # warned again; this time nobody answers
    ended = page.get_by_role("dialog", name="You have been signed out")
    ended.wait_for(state="visible", timeout=20_000)
    assert_accessible(page, "the signed-out notice")
    ended.get_by_role("button", name="Close").click()
    page.goto("/")
    assert "/sign-in" in page.url


def test_escape_means_stay_signed_in(app, page, users, short_sessions):
    sign_in(page, "author@example.gov.uk")
    dialog = page.get_by_role("dialog", name="You are about to be signed out")
    dialog.wait_for(state="visible", timeout=10_000)
    started = time.monotonic()
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert time.monotonic() - started < 5
    page.goto("/")
    assert "/sign-in" not in page.url
