"""Regression tests for the findings of the security review that have no better home.

Each test names the finding it guards; each failed before its fix.
"""

from __future__ import annotations

import os
import stat

import pytest

from cia import create_app
from cia.data import notifications
from cia.data.users import DEMO_EMAILS
from cia.extensions import db
from cia.models import EmailOutbox, User
from tests.conftest import make_app
from tests.helpers import PASSWORD, make_user, sign_in

PRODUCTION = {"CIA_ENV": "production", "CIA_BASE_URL": "https://cia.council.example"}

# --- links in e-mails come from the configured address only -------------------------------------


def _mailed_body(app, host: str) -> str:
    with app.test_request_context("/assessments/1/submit", base_url=f"http://{host}"):
        approver = make_user("approver-links@example.gov.uk", "Asha Approver", "approver", "manager")
        notifications.notify([approver], notifications.Message("Please sign off", "/assessments/1/sign-off",
                                                               "Sign-off requested"))
        body = db.session.query(EmailOutbox).one().body
        db.session.rollback()
    return body


def test_without_a_base_url_links_in_e_mails_ignore_the_host_header(app, users):
    """Finding: with CIA_BASE_URL unset, an author chose the host of the links approvers were sent."""
    body = _mailed_body(app, "attacker.example")
    assert "attacker.example" not in body
    assert "http://127.0.0.1:5000/assessments/1/sign-off" in body


def test_links_in_e_mails_use_the_configured_base_url(users):
    app = make_app(CIA_BASE_URL="https://cia.council.example/")
    assert "https://cia.council.example/assessments/1/sign-off" in _mailed_body(app, "attacker.example")


def _app_in(instance, monkeypatch, **config):
    monkeypatch.setenv("CIA_INSTANCE_PATH", str(instance))
    for key in ("SECRET_KEY", "DATABASE_URL", "CIA_ENV", "CIA_BASE_URL"):
        monkeypatch.delenv(key, raising=False)
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/x.sqlite3", **config})


def test_production_needs_an_https_base_url(tmp_path, monkeypatch):
    key = {"SECRET_KEY": "k" * 40}
    with pytest.raises(RuntimeError, match="CIA_BASE_URL is not set"):
        _app_in(tmp_path, monkeypatch, CIA_ENV="production", **key)
    for bad in ("http://cia.council.example", "cia.council.example", "https://cia.council.example/?next=x",
                "javascript:alert(1)", "https://user@cia.council.example"):
        with pytest.raises(RuntimeError, match="CIA_BASE_URL must be"):
            _app_in(tmp_path, monkeypatch, CIA_ENV="production", CIA_BASE_URL=bad, **key)
    app = _app_in(tmp_path, monkeypatch, **PRODUCTION, **key)
    assert app.config["CIA_BASE_URL"] == "https://cia.council.example"


# --- demo accounts and instance files ------------------------------------------------------------


@pytest.mark.parametrize("email", sorted(DEMO_EMAILS))
def test_demo_accounts_cannot_sign_in_in_production(app, email):
    """Finding: demo accounts still signed in under CIA_ENV=production, though the README said not."""
    with app.app_context():
        db.session.query(User).filter_by(email=email).delete()
        make_user(email, "Demo account", "admin author approver", "manager")
        db.session.commit()
    production = make_app(**PRODUCTION)
    client = production.test_client()
    response = sign_in(client, email)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.get_data(as_text=True)
    assert sign_in(make_app().test_client(), email).status_code == 302  # development: allowed


def test_a_real_account_signs_in_in_production(app, users):
    client = make_app(**PRODUCTION).test_client()
    assert sign_in(client, "other@example.gov.uk", PASSWORD).status_code == 302


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_instance_files_are_readable_by_their_owner_only(tmp_path, monkeypatch):
    """Finding: instance/demo-password, the secret key and the SQLite file were world-readable."""
    instance = tmp_path / "instance"
    old_umask = os.umask(0o022)
    try:
        app = _app_in(instance, monkeypatch)
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
        result = app.test_cli_runner().invoke(args=["cia", "seed", "--demo-accounts"])
        assert result.exit_code == 0, result.output
    finally:
        os.umask(old_umask)
    assert _mode(instance) == 0o700
    for name in ("secret_key", "demo-password", "x.sqlite3"):
        assert _mode(instance / name) == 0o600, name
    for extra in instance.glob("x.sqlite3-*"):  # WAL and shared-memory files, when present
        assert _mode(extra) & 0o077 == 0, extra.name


def test_files_left_readable_by_an_older_copy_are_tightened(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    instance.chmod(0o755)
    for name in ("secret_key", "demo-password", "x.sqlite3"):
        (instance / name).write_text("k" * 48 if name != "x.sqlite3" else "")
        (instance / name).chmod(0o644)
    app = _app_in(instance, monkeypatch)
    app.test_cli_runner().invoke(args=["cia", "seed"])  # the demo password is read by --demo-accounts only
    _app_in(instance, monkeypatch).test_cli_runner().invoke(args=["db", "upgrade"])
    from cia.instancefiles import read_or_create

    read_or_create(instance / "demo-password", lambda: "unused")
    assert _mode(instance) == 0o700
    for name in ("secret_key", "demo-password", "x.sqlite3"):
        assert _mode(instance / name) == 0o600, name


# --- bidirectional controls in one-line fields ---------------------------------------------------

RLO_NAME = "\u202egnp.exe Library \u2067closure\u2069 \u200fplan\u200e"


def test_bidi_controls_are_removed_from_proposal_names_in_lists(app, client, users):
    """Finding: right-to-left override characters were kept in proposal names (shown reversed in lists)."""
    sign_in(client, "author@example.gov.uk")
    response = client.post("/assessments/new", data={"name": RLO_NAME})
    assert response.status_code == 302
    from cia.models import Revision

    with app.app_context():
        assert db.session.query(Revision.proposal_name).scalar() == "gnp.exe Library closure plan"
    home = client.get("/").get_data(as_text=True)
    assert "gnp.exe Library closure plan" in home
    assert not any(ch in home for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def test_bidi_controls_never_reach_an_e_mail_subject(app, users):
    with app.test_request_context("/"):
        approver = make_user("approver-bidi@example.gov.uk", "Asha Approver", "approver", "manager")
        notifications.notify([approver], notifications.Message(f"Please sign off {RLO_NAME}", "/assessments/1",
                                                               f"Sign-off requested: {RLO_NAME}\r\nBcc: x@evil.example"))
        email = db.session.query(EmailOutbox).one()
        assert email.subject == "Sign-off requested: gnp.exe Library closure plan Bcc: x@evil.example"  # one line
        from cia.models import Notification

        assert db.session.query(Notification).one().text == "Please sign off gnp.exe Library closure plan"
        db.session.rollback()


def test_account_names_lose_bidi_controls(app):
    from cia.data.users import create_user

    with app.app_context():
        assert create_user("bidi@example.gov.uk", "\u202eSam Officer", "tarn lantern orbit 42", ["author"]).name == \
            "Sam Officer"
        db.session.rollback()


# --- security headers on every response, errors included ----------------------------------------

EVERY_RESPONSE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'", "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY", "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=()", "Strict-Transport-Security": "max-age=63072000",
}


def test_every_security_header_is_on_error_responses_in_production(app, users):
    production = make_app(**PRODUCTION, TESTING=False, MAX_CONTENT_LENGTH=1000, CIA_LOGIN_MAX_FAILURES_PER_ACCOUNT=1)

    @production.route("/boom-for-headers")
    def boom():
        raise RuntimeError("injected failure")

    client = production.test_client()
    https = {"base_url": "https://localhost"}
    client.post("/sign-in", data={"email": "other@example.gov.uk", "password": "wrong password here"}, **https)
    with_csrf = make_app(**PRODUCTION, WTF_CSRF_ENABLED=True).test_client()
    responses = {
        "404": client.get("/no-such-page", **https),
        "404 static": client.get("/static/no-such-file.js", **https),
        "405": client.put("/sign-in", **https),
        "400 csrf": with_csrf.post("/sign-in", data={"email": "a@example.gov.uk", "password": "x"}, **https),
        "413": client.post("/sign-in", data={"password": "x" * 5000}, **https),
        "429": client.post("/sign-in", data={"email": "other@example.gov.uk", "password": PASSWORD}, **https),
        "500": client.get("/boom-for-headers", **https),
        "redirect": client.get("/", **https),
    }
    for label, response in responses.items():
        expected_status = label.split()[0]
        assert expected_status == "redirect" or str(response.status_code) == expected_status, (label, response.status_code)
        for header, start in EVERY_RESPONSE_HEADERS.items():
            assert response.headers.get(header, "").startswith(start), (label, header)
        if label != "404 static":
            assert response.headers["Cache-Control"] == "no-store", label


def test_in_production_the_session_cookie_is_host_only_secure_and_http_only(app, users):
    client = make_app(**PRODUCTION).test_client()
    response = client.post("/sign-in", data={"email": "other@example.gov.uk", "password": PASSWORD},
                           base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-cia_session=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie and "SameSite=Lax" in cookie
    assert "Domain=" not in cookie
    assert client.get("/", base_url="https://localhost").status_code == 200


# --- further ASVS level 2 checks the threat model lists ------------------------------------------


def test_signing_in_always_starts_a_new_session(app, users):
    """ASVS 7.2.4: a session id planted before signing in, or left from an earlier session, is not reused."""
    from cia.models import UserSession

    client = app.test_client()
    with client.session_transaction() as planted:
        planted["_user_id"] = "planted-by-someone-else"
    sign_in(client, "author@example.gov.uk")
    client.post("/sign-out")
    sign_in(client, "author@example.gov.uk")
    with app.app_context():
        ids = [s.id for s in db.session.query(UserSession).order_by(UserSession.created_at)]
    assert len(ids) == 2 and len(set(ids)) == 2 and "planted-by-someone-else" not in ids
    assert all(len(i) >= 43 for i in ids)  # 32 random bytes from secrets


def test_a_deactivated_account_is_signed_out_at_once(app, client, users):
    """ASVS 7.4.2: sessions of an account that is deactivated end with its next request."""
    sign_in(client, "author@example.gov.uk")
    assert client.get("/").status_code == 200
    with app.app_context():
        db.session.query(User).filter_by(email="author@example.gov.uk").update({"active": False})
        db.session.commit()
    response = client.get("/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_sign_out_clears_what_the_browser_kept(client, users):
    sign_in(client, "author@example.gov.uk")
    assert client.post("/sign-out").headers["Clear-Site-Data"] == '"cache", "storage"'


def test_a_path_cannot_forge_a_line_in_the_error_log(users, caplog):
    """ASVS 16.4.1: the path of a request that failed is logged quoted, line breaks and all."""
    failing = make_app(TESTING=False)

    @failing.before_request
    def fails():
        raise RuntimeError("injected failure")

    assert failing.test_client().get("/a%0aINFO forged line").status_code == 500
    (record,) = [r for r in caplog.records if "Unhandled error" in r.getMessage()]
    assert "\n" not in record.getMessage() and "\\n" in record.getMessage()


def test_trace_is_not_supported(client):
    """ASVS 13.4.4."""
    assert client.open("/sign-in", method="TRACE").status_code == 405
