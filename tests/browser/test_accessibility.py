"""axe-core (WCAG 2.2 A and AA) on every page state listed in tests/browser/pages.py."""

from __future__ import annotations

import inspect

import pytest

from tests.browser.conftest import axe_violations, sign_in
from tests.browser.pages import ACCEPTED_FINDINGS, PAGE_STATES

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
    violations = axe_violations(page)
    accepted = ACCEPTED_FINDINGS.get(label, {})
    for rule, targets in accepted.items():
        found = [v["targets"] for v in violations if v["id"] == rule]
        assert found == [targets], f"{label}: accepted axe finding {rule} on {targets} is now {found}: " \
                                   "update ACCEPTED_FINDINGS in tests/browser/pages.py and the accessibility statement"
    violations = [v for v in violations if v["id"] not in accepted]
    assert violations == [], f"axe-core found violations on {label}: {violations}"


def test_accepted_findings_are_page_states():
    assert set(ACCEPTED_FINDINGS) <= {s[0] for s in PAGE_STATES}
