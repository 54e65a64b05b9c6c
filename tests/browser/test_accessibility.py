"""axe-core (WCAG 2.2 A and AA) on every page state listed in tests/browser/pages.py."""

from __future__ import annotations

import inspect

import pytest

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.pages import PAGE_STATES

EMAILS = {"author": "author@example.gov.uk", "approver": "approver@example.gov.uk",
          "admin": "admin@example.gov.uk"}


@pytest.mark.parametrize("label, target, role", PAGE_STATES, ids=[s[0] for s in PAGE_STATES])
def test_no_axe_violations(app, page, users, label, target, role):
    if role:
        sign_in(page, EMAILS[role])
    if callable(target):
        # A state may need the app too (to change the database behind the browser's back).
        target(page, app) if len(inspect.signature(target).parameters) > 1 else target(page)
    else:
        page.goto(target)
    assert_accessible(page, label)
