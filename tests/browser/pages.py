"""Every page state the accessibility suite checks, in one place.

Each entry: (label, path or a callable that brings the page to that state, role to sign in as).
The browser tests of each feature add their states here; test_accessibility.py runs axe on all.
"""

from __future__ import annotations


def _sign_in_error(page) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("nobody@example.gov.uk")
    page.get_by_label("Password", exact=True).fill("wrong password here")
    page.get_by_role("button", name="Sign in").click()


def _sign_in_empty(page) -> None:
    page.goto("/sign-in")
    page.get_by_role("button", name="Sign in").click()


PAGE_STATES = [
    ("sign-in page", "/sign-in", None),
    ("sign-in page with a wrong password", _sign_in_error, None),
    ("sign-in page with empty fields", _sign_in_empty, None),
    ("accessibility statement", "/accessibility", None),
    ("not found page", "/no-such-page", "author"),
    ("home page", "/", "author"),
    ("the CIA template", "/template", "author"),
]
