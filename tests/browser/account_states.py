"""Page states of the account pages for the accessibility suite (see tests/browser/pages.py)."""

from __future__ import annotations


def _invite_with_errors(page) -> None:
    page.goto("/accounts/invite")
    page.get_by_role("button", name="Send invitation").click()
    page.locator(".govuk-error-summary").wait_for()


def _account_page(page) -> None:
    page.goto("/accounts/")
    page.get_by_role("link", name="Alex Author").click()
    page.get_by_role("heading", name="Alex Author").wait_for()


def _change_roles_with_errors(page) -> None:
    _account_page(page)
    page.get_by_role("link", name="Change roles").click()
    page.get_by_label("Approver: signs off assessments at their level").check()
    page.get_by_role("button", name="Save roles").click()
    page.locator(".govuk-error-summary").wait_for()


def _deactivate_confirmation(page) -> None:
    _account_page(page)
    page.get_by_role("button", name="Deactivate account").click()
    page.get_by_role("heading", name="Are you sure you want to deactivate this account?").wait_for()


def _deactivated_account(page) -> None:
    _deactivate_confirmation(page)
    page.get_by_role("button", name="Deactivate account").click()
    page.get_by_role("button", name="Reactivate account").wait_for()


def _change_password_with_errors(page) -> None:
    page.goto("/account/password")
    page.get_by_role("button", name="Change password").click()
    page.locator(".govuk-error-summary").wait_for()


def _set_password_link(page, app) -> None:
    from sqlalchemy import select

    from cia.data import accounts
    from cia.extensions import db
    from cia.models import User

    with app.app_context():
        admin = db.session.execute(select(User).where(User.email == "admin@example.gov.uk")).scalar_one()
        author = db.session.execute(select(User).where(User.email == "author@example.gov.uk")).scalar_one()
        token = accounts.issue_link(author, "password_reset", admin, "", 1)
        db.session.commit()
    page.goto(f"/set-password/{token}")
    page.get_by_role("button", name="Save password").click()
    page.locator(".govuk-error-summary").wait_for()


ACCOUNT_PAGE_STATES = [
    ("accounts list", "/accounts/", "admin"),
    ("invite someone, with errors", _invite_with_errors, "admin"),
    ("an account's page", _account_page, "admin"),
    ("change roles, with errors", _change_roles_with_errors, "admin"),
    ("deactivate an account: confirmation", _deactivate_confirmation, "admin"),
    ("a deactivated account, with its banner", _deactivated_account, "admin"),
    ("your account", "/account", "author"),
    ("change your password, with errors", _change_password_with_errors, "author"),
    ("choose a new password from a link, with errors", _set_password_link, None),
    ("a password link that does not work", "/set-password/not-a-real-token", None),
]
