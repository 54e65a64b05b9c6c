"""Council sign-in through a real OpenID provider on loopback (npm's oidc-provider), not a mock.

The test client starts the flow, `walk_provider` goes through the provider's own pages with
requests, and the test client follows the provider's redirect back to the service.
"""

from __future__ import annotations

import socket
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from sqlalchemy import select

from cia.extensions import db
from cia.models import AuditEvent, User, UserSession
from tests.oidc_support import DOMAIN, running_provider, settings, walk_provider

BACK = "http://localhost/sign-in/oidc/callback"


@pytest.fixture(scope="module")
def issuer():
    with running_provider([BACK]) as url:
        yield url


@pytest.fixture
def oidc(app, issuer, monkeypatch):
    """Council sign-in turned on for this test (the settings go back afterwards)."""
    def configure(**changes):
        for name, value in settings(issuer, **changes).items():
            monkeypatch.setitem(app.config, name, value)
    configure()
    return configure


def provider_redirect(client, path: str = "/sign-in/oidc") -> str:
    response = client.get(path)
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return response.headers["Location"]


def come_back(client, callback_url: str):
    parts = urlsplit(callback_url)
    return client.get(f"{parts.path}?{parts.query}")


def sign_in_through_provider(client, login: str, path: str = "/sign-in/oidc"):
    return come_back(client, walk_provider(provider_redirect(client, path), login, BACK))


def audit_rows(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.execute(select(AuditEvent).where(AuditEvent.action == action)
                                       .order_by(AuditEvent.id)).scalars())


def account(app, email: str) -> User | None:
    with app.app_context():
        return db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def test_the_flow_uses_pkce_state_and_nonce(client, oidc, issuer):
    location = provider_redirect(client)
    assert location.startswith(issuer + "/")
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert len(query["state"][0]) >= 20 and len(query["nonce"][0]) >= 20
    assert query["redirect_uri"] == [BACK] and query["scope"] == ["openid email profile"]


def test_first_sign_in_creates_an_account_with_the_default_role_and_a_server_side_session(app, client, oidc):
    response = sign_in_through_provider(client, "officer")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200 and "Sam Officer" in home.get_data(as_text=True)
    user = account(app, f"sam.officer@{DOMAIN}")
    assert (user.name, user.roles, user.oidc_subject, user.password_hash) == ("Sam Officer", "author", "officer", "")
    with app.app_context():
        sessions = db.session.execute(select(UserSession).where(UserSession.user_id == user.id)).scalars().all()
    assert len(sessions) == 1 and sessions[0].revoked_at is None
    assert [e.details for e in audit_rows(app, "auth.signed_in")] == [{"method": "oidc"}]
    assert audit_rows(app, "user.created")[0].details["by"] == "council sign-in"
    # Signing out revokes that session like a password sign-in's.
    client.post("/sign-out")
    with app.app_context():
        assert db.session.get(UserSession, sessions[0].id).revoked_at is not None
    assert client.get("/").status_code == 302


def test_signing_in_again_uses_the_same_account(app, client, oidc):
    sign_in_through_provider(client, "officer")
    client.post("/sign-out")
    assert sign_in_through_provider(client, "officer").status_code == 302
    with app.app_context():
        assert db.session.query(User).filter(User.email.like(f"%@{DOMAIN}")).count() == 1


def test_an_existing_account_is_matched_by_verified_email_and_linked(app, client, users, oidc):
    assert sign_in_through_provider(client, "admin").status_code == 302
    user = account(app, "admin@example.gov.uk")
    assert (user.id, user.roles, user.oidc_subject) == (users.admin, "admin author", "admin")
    assert [e.object_id for e in audit_rows(app, "user.linked_to_council_sign_in")] == [str(users.admin)]


def test_the_next_page_is_kept_through_the_provider(client, oidc):
    response = sign_in_through_provider(client, "officer", "/sign-in/oidc?next=/template")
    assert response.headers["Location"] == "/template"


def test_groups_claim_gives_roles_and_approver_level(app, client, oidc):
    oidc(CIA_OIDC_GROUPS_CLAIM="groups",
         CIA_OIDC_GROUP_ROLES={"cia-authors": "author", "cia-slt-approvers": ["approver:slt"]})
    sign_in_through_provider(client, "head")
    user = account(app, f"pat.head@{DOMAIN}")
    assert (user.roles, user.approver_level) == ("author approver", "slt")
    changed = audit_rows(app, "user.roles_changed")
    assert changed and changed[-1].details["to"] == "author approver"


def test_the_sign_in_page_offers_council_sign_in(client, oidc):
    html = client.get("/sign-in").get_data(as_text=True)
    assert "Sign in with your council account" in html and 'href="/sign-in/oidc' in html
    assert 'name="password"' in html


def test_password_sign_in_can_be_turned_off(app, client, users, oidc):
    oidc(CIA_PASSWORD_SIGN_IN=False)
    html = client.get("/sign-in").get_data(as_text=True)
    assert "Sign in with your council account" in html and 'name="password"' not in html
    from tests.helpers import PASSWORD

    refused = client.post("/sign-in", data={"email": "author@example.gov.uk", "password": PASSWORD})
    assert refused.status_code == 403
    assert "Signing in with a password is turned off" in refused.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert audit_rows(app, "auth.sign_in_failed")[-1].details == {"method": "password",
                                                                   "reason": "password_sign_in_off"}


def test_without_settings_there_is_no_council_sign_in(client):
    assert client.get("/sign-in/oidc").status_code == 404
    assert client.get("/sign-in/oidc/callback?code=x&state=y").status_code == 404
    assert "council account" not in client.get("/sign-in").get_data(as_text=True)


def test_turning_password_sign_in_off_needs_council_sign_in():
    from tests.conftest import make_app

    with pytest.raises(RuntimeError, match="CIA_PASSWORD_SIGN_IN is off"):
        make_app(CIA_PASSWORD_SIGN_IN=False)


# --- refusals: each a clear page, an audit row, no session -----------------------------


def assert_refused(app, client, response, status: int, heading: str, reason: str):
    html = response.get_data(as_text=True)
    assert response.status_code == status, html[:1000]
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
    assert 'href="/sign-in"' in html
    assert client.get("/").status_code == 302  # not signed in
    assert audit_rows(app, "auth.sign_in_failed")[-1].details == {"method": "oidc", "reason": reason}
    assert audit_rows(app, "auth.signed_in") == []


def test_a_wrong_state_is_refused(app, client, oidc):
    back = walk_provider(provider_redirect(client), "officer", BACK)
    parts = urlsplit(back)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["state"] = "forged-state-value"
    forged = urlunsplit(parts._replace(query=urlencode(query)))
    assert_refused(app, client, come_back(client, forged), 400, "Your sign-in could not be completed",
                   "state_mismatch")


def test_a_callback_from_another_browser_is_refused(app, client, oidc):
    """The code and state were issued to someone else's browser: this one has no matching state."""
    other = app.test_client()
    back = walk_provider(provider_redirect(other), "officer", BACK)
    assert_refused(app, client, come_back(client, back), 400, "Your sign-in could not be completed",
                   "state_mismatch")
    assert account(app, f"sam.officer@{DOMAIN}") is None


def test_an_error_from_the_provider_is_refused(app, client, oidc):
    response = client.get("/sign-in/oidc/callback?error=access_denied&error_description=End-User+aborted&state=x")
    assert_refused(app, client, response, 400, "The council sign-in service did not sign you in",
                   "provider_error:access_denied")


def test_a_disallowed_domain_is_refused(app, client, oidc):
    response = sign_in_through_provider(client, "outsider")
    assert_refused(app, client, response, 403, "You cannot sign in with this email address", "domain_not_allowed")
    assert "@elsewhere.example.com" in response.get_data(as_text=True)
    assert account(app, "kim@elsewhere.example.com") is None


def test_an_unverified_email_is_refused(app, client, oidc):
    response = sign_in_through_provider(client, "unverified")
    assert_refused(app, client, response, 403, "Your email address has not been verified", "email_not_verified")
    assert account(app, f"una.verified@{DOMAIN}") is None


def test_a_deactivated_account_is_refused(app, client, users, oidc):
    with app.app_context():
        db.session.get(User, users.admin).active = False
        db.session.commit()
    response = sign_in_through_provider(client, "admin")
    assert_refused(app, client, response, 403, "Your account has been deactivated", "deactivated")


def test_without_account_creation_people_without_an_account_are_refused(app, client, oidc):
    oidc(CIA_OIDC_CREATE_ACCOUNTS=False)
    response = sign_in_through_provider(client, "officer")
    assert_refused(app, client, response, 403, "You do not have an account for this service", "no_account")
    assert account(app, f"sam.officer@{DOMAIN}") is None


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_provider_that_is_down_gives_a_clear_page(app, client, oidc):
    oidc(CIA_OIDC_ISSUER=f"http://127.0.0.1:{_closed_port()}")
    response = client.get("/sign-in/oidc")
    assert_refused(app, client, response, 503, "The council sign-in service is not responding",
                   "provider_unreachable")


def test_a_provider_that_stops_before_the_code_is_exchanged_gives_a_clear_page(app, client, oidc):
    with running_provider([BACK]) as short_lived:
        oidc(CIA_OIDC_ISSUER=short_lived)
        back = walk_provider(provider_redirect(client), "officer", BACK)
    response = come_back(client, back)  # the provider has gone: the code cannot be exchanged
    assert_refused(app, client, response, 503, "The council sign-in service is not responding",
                   "provider_unreachable")
