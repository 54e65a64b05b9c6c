"""Which account the claims of a council sign-in give (cia/data/oidc_accounts.py), case by case.

The whole flow runs against a real provider in test_oidc_sign_in.py; these are the rules on their own.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cia.data.oidc_accounts import SignInRefused, account_for, roles_from_groups
from cia.extensions import db
from cia.models import AuditEvent, User
from tests.oidc_support import settings

CONFIG = settings("https://login.example.com/tenant/v2.0", CIA_OIDC_GROUPS_CLAIM="groups",
                  CIA_OIDC_GROUP_ROLES={"g-admin": "admin", "g-slt": "approver:slt",
                                        "g-manager": ["author", "approver:manager"]})


def claims(**changes):
    found = {"sub": "subject-1", "email": "Sam.Officer@Example.gov.uk", "email_verified": True, "name": "Sam Officer"}
    found.update(changes)
    return {k: v for k, v in found.items() if v is not None}


@pytest.mark.parametrize("groups, expected", [
    (["g-admin"], (["admin"], "")),
    (["g-manager", "g-slt"], (["author", "approver"], "slt")),
    (["g-manager"], (["author", "approver"], "manager")),
    (["unknown"], None),
    ([], None),
])
def test_groups_give_roles_and_the_highest_level(groups, expected):
    assert roles_from_groups(groups, CONFIG["CIA_OIDC_GROUP_ROLES"]) == expected


def test_an_approver_group_without_a_level_gives_no_approver_role():
    assert roles_from_groups(["g"], {"g": ["author", "approver"]}) == (["author"], "")


def test_a_new_person_gets_the_default_role_and_a_clean_name(ctx):
    user = account_for(claims(groups=None), CONFIG)
    assert (user.email, user.roles, user.oidc_subject) == ("sam.officer@example.gov.uk", "author", "subject-1")


@pytest.mark.parametrize("verified", [True, "true", "True", "1"])
def test_verified_is_read_as_true_in_the_forms_providers_send(ctx, verified):
    assert account_for(claims(email_verified=verified), CONFIG).email == "sam.officer@example.gov.uk"


@pytest.mark.parametrize("changes, reason", [
    ({"email_verified": False}, "email_not_verified"),
    ({"email_verified": "false"}, "email_not_verified"),
    ({"email_verified": None}, "email_not_verified"),
    ({"email": None}, "no_email"),
    ({"email": "no-at-sign"}, "no_email"),
    ({"sub": None}, "no_email"),
    ({"email": "sam@example.gov.uk.evil.test"}, "domain_not_allowed"),
    ({"email": "sam@sub.example.gov.uk"}, "domain_not_allowed"),
])
def test_claims_that_cannot_be_trusted_are_refused(ctx, changes, reason):
    with pytest.raises(SignInRefused) as refused:
        account_for(claims(**changes), CONFIG)
    assert refused.value.reason == reason
    assert db.session.query(User).count() == 0


def test_entra_ids_verified_domain_claim_can_be_used(ctx):
    config = {**CONFIG, "CIA_OIDC_EMAIL_VERIFIED_CLAIM": "xms_edov"}
    with pytest.raises(SignInRefused):
        account_for(claims(), config)  # email_verified is not the claim asked for
    assert account_for(claims(email_verified=None, xms_edov=True), config).oidc_subject == "subject-1"


def test_an_address_linked_to_another_subject_is_refused(ctx, users):
    db.session.get(User, users.author).oidc_subject = "someone-else"
    db.session.flush()
    with pytest.raises(SignInRefused) as refused:
        account_for(claims(email="author@example.gov.uk"), CONFIG)
    assert refused.value.reason == "subject_mismatch"


def test_a_changed_address_at_the_provider_follows_the_subject(ctx, users):
    db.session.get(User, users.author).oidc_subject = "subject-1"
    db.session.flush()
    user = account_for(claims(email="alex.author-renamed@example.gov.uk"), CONFIG)
    assert (user.id, user.email) == (users.author, "alex.author-renamed@example.gov.uk")
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "user.email_changed")).scalar_one()
    assert event.details["to"] == "alex.author-renamed@example.gov.uk"


def test_a_changed_address_that_another_account_has_is_refused(ctx, users):
    db.session.get(User, users.author).oidc_subject = "subject-1"
    db.session.flush()
    with pytest.raises(SignInRefused) as refused:
        account_for(claims(email="other@example.gov.uk"), CONFIG)
    assert refused.value.reason == "email_taken"


def test_groups_replace_roles_but_a_token_without_them_changes_nothing(ctx, users):
    user = account_for(claims(email="approver@example.gov.uk", groups=["g-slt"]), CONFIG)
    assert (user.roles, user.approver_level) == ("approver", "slt")
    user = account_for(claims(email="approver@example.gov.uk", groups=None), CONFIG)
    assert (user.roles, user.approver_level) == ("approver", "slt")
    user = account_for(claims(email="approver@example.gov.uk", groups=["not-mapped"]), CONFIG)
    assert (user.roles, user.approver_level) == ("author", "")


def test_allowed_domains_may_be_one_line_of_text():
    from tests.conftest import make_app

    app = make_app(CIA_OIDC_ALLOWED_DOMAINS=" Staffordshire.gov.uk, @staffordshirecc.gov.uk ,",
                   CIA_OIDC_DEFAULT_ROLES="author, admin")
    assert app.config["CIA_OIDC_ALLOWED_DOMAINS"] == ["staffordshire.gov.uk", "staffordshirecc.gov.uk"]
    assert app.config["CIA_OIDC_DEFAULT_ROLES"] == ["author", "admin"]
