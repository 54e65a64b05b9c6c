"""Signing in and out, lock-out, CSRF, security headers, accounts from the command line."""

from __future__ import annotations

import pytest

from cia.data import users as user_data
from cia.extensions import db
from cia.models import AuditEvent
from cia.passwords import problems
from tests.conftest import csrf_token, make_app
from tests.helpers import PASSWORD, sign_in


def test_sign_in_lands_on_the_home_page(client, users):
    response = sign_in(client, "author@example.gov.uk")
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    html = client.get("/").get_data(as_text=True)
    assert "Alex Author" in html and "Sign out" in html


def test_pages_need_signing_in(client):
    response = client.get("/template")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_wrong_password_shows_a_clear_message_and_keeps_the_email(client, users):
    response = sign_in(client, "author@example.gov.uk", "not the password")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter a correct email address and password" in html
    assert 'value="author@example.gov.uk"' in html
    assert "Error: Sign in" in html


def test_empty_sign_in_form_says_what_to_enter(client, users):
    html = client.post("/sign-in", data={"email": "", "password": ""}).get_data(as_text=True)
    assert "Enter your email address" in html and "Enter your password" in html
    assert 'href="#email"' in html and 'href="#password"' in html


def test_sign_ins_are_audited(app, client, users):
    sign_in(client, "author@example.gov.uk", "wrong password here")
    sign_in(client, "author@example.gov.uk")
    with app.app_context():
        actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions == ["auth.sign_in_failed", "auth.signed_in"]


def test_lock_out_after_repeated_failures_even_with_the_right_password(app, client, users):
    limit = app.config["CIA_LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        sign_in(client, "author@example.gov.uk", "wrong password here")
    response = sign_in(client, "author@example.gov.uk", PASSWORD)
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Too many failed attempts to sign in" in html
    assert client.get("/").status_code == 302  # still not signed in


def test_lock_out_is_per_account(app, client, users):
    for _ in range(app.config["CIA_LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        sign_in(client, "author@example.gov.uk", "wrong password here")
    assert sign_in(client, "other@example.gov.uk").status_code == 302


def test_sign_out_ends_the_session_on_the_server(app, users):
    client = app.test_client()
    sign_in(client, "author@example.gov.uk")
    assert client.get("/").status_code == 200
    stolen = client.get_cookie("cia_session").value

    client.post("/sign-out")
    assert client.get("/").status_code == 302

    replay = app.test_client()
    replay.set_cookie("cia_session", stolen, domain="localhost")
    response = replay.get("/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_open_redirects_are_refused(client, users):
    response = client.post("/sign-in?next=//evil.example/", data={"email": "author@example.gov.uk",
                                                                   "password": PASSWORD})
    assert response.headers["Location"].endswith("/") and "evil" not in response.headers["Location"]


def test_post_without_csrf_token_is_refused_with_a_clear_page(app, users):
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    response = client.post("/sign-in", data={"email": "author@example.gov.uk", "password": PASSWORD})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your form could not be sent" in html
    assert response.headers["Content-Security-Policy"]

    page = client.get("/sign-in").get_data(as_text=True)
    ok = client.post("/sign-in", data={"email": "author@example.gov.uk", "password": PASSWORD,
                                       "csrf_token": csrf_token(page)})
    assert ok.status_code == 302


SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options")


def _assert_security_headers(response):
    for header in SECURITY_HEADERS:
        assert header in response.headers, header
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_security_headers_on_a_200_a_404_and_a_500(app, client, users):
    _assert_security_headers(client.get("/sign-in"))
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and "Page not found" in missing.get_data(as_text=True)
    _assert_security_headers(missing)

    boom_app = make_app(TESTING=False)

    @boom_app.route("/boom")
    def boom():
        raise RuntimeError("injected failure")

    response = boom_app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)
    _assert_security_headers(response)


def test_session_cookie_is_httponly_and_lax(client, users):
    response = sign_in(client, "author@example.gov.uk")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_have_no_inline_script_or_style(client, users):
    sign_in(client, "author@example.gov.uk")
    for path in ("/", "/template", "/accessibility", "/sign-in"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html and "<style" not in html


# --- accounts ----------------------------------------------------------------


@pytest.mark.parametrize(
    "password, message",
    [
        ("short", "12 characters or more"),
        ("password1234", "too easy to guess"),
        ("Password12345", "too easy to guess"),
        ("aaaaaaaaaaaaaaa", "too easy to guess"),
        ("1234567890123", "too easy to guess"),
        ("qwertyuiopasdf", "too easy to guess"),
        # Found by the security review: a season, a year and symbols passed a 95-entry list.
        ("Summer2026!!", "too easy to guess"),
        ("Winter2025?!", "too easy to guess"),
        ("Staffordshire1!", "too easy to guess"),
        ("alexander-secret-99", "must not contain your name"),
        ("xx.author.xx-tarn-lantern", "must not contain your name"),
    ],
)
def test_password_policy(password, message):
    found = problems(password, email="alexander.author@example.gov.uk", name="Alexander Author")
    assert any(message in p for p in found), found


def test_the_councils_own_words_do_not_make_a_password(tmp_path):
    """The context-specific words (ASVS 6.1.2): the council's and the service's names, and words about CIAs."""
    for password in ("Community Impact 2026", "CouncilImpact2026!", "Assessment 2026 !!"):
        assert any("too easy to guess" in p for p in problems(password, email="a@example.gov.uk", name="A Person"))
    borsetshire = make_app(CIA_ORGANISATION_NAME="Borsetshire Council", CIA_SERVICE_NAME="Impact checks")
    assert problems("Borsetshire Council 1", email="a@example.gov.uk", name="A Person") == []  # elsewhere
    with borsetshire.app_context():
        assert problems("Borsetshire Council 1", email="a@example.gov.uk", name="A Person")


@pytest.mark.parametrize("password", ["tarn lantern orbit 42", "violet harbour window 7", "Gx7#pq2!Lm9@vR",
                                      "7#2!9@4$1%8^3&6*"])
def test_strong_passwords_pass_the_policy(password):
    assert problems(password, email="a@example.gov.uk", name="A Person") == []


def test_a_very_long_password_is_checked_quickly():
    import time

    started = time.perf_counter()
    assert problems("tarn lantern orbit " * 50, email="a@example.gov.uk", name="A Person") == []
    assert time.perf_counter() - started < 2


def test_create_user_command(app, users):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["cia", "create-user", "new.approver@example.gov.uk", "--name", "Nia Approver",
              "--role", "approver", "--level", "slt", "--password-stdin"],
        input="violet harbour window 7\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = user_data.by_email("new.approver@example.gov.uk")
        assert user.is_approver and user.approver_level == "slt"
        assert user.password_hash.startswith("scrypt:")
        assert user_data.authenticate("new.approver@example.gov.uk", "violet harbour window 7")


def test_create_user_refuses_a_weak_password(app, users):
    result = app.test_cli_runner().invoke(
        args=["cia", "create-user", "weak@example.gov.uk", "--name", "W", "--role", "author", "--password-stdin"],
        input="Summer2026!!\n",
    )
    assert result.exit_code != 0 and "too easy to guess" in result.output


def test_create_user_refuses_an_approver_without_a_level(app, users):
    result = app.test_cli_runner().invoke(
        args=["cia", "create-user", "lv@example.gov.uk", "--name", "L", "--role", "approver", "--password-stdin"],
        input="violet harbour window 7\n",
    )
    assert result.exit_code != 0 and "needs a level" in result.output


@pytest.mark.parametrize("target", ["/%0ax", "/%0d%0aSet-Cookie:%20a=b", "/%09/evil.example", "/%5Cevil.example",
                                    "/\\evil.example", "https://evil.example/", "/%E2%80%AEgpj.exe",
                                    pytest.param("/" + "a" * 3000, id="too-long")])
def test_an_unsafe_next_address_goes_home_after_signing_in(client, users, target):
    """Found by the security review: `next=/%0ax` gave a 500 after the sign-in had succeeded."""
    response = client.post(f"/sign-in?next={target}", data={"email": "author@example.gov.uk", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "http://localhost/")
    assert client.get("/").status_code == 200


def test_a_safe_next_address_is_followed(client, users):
    response = client.post("/sign-in?next=/template%3Fpage%3D2", data={"email": "author@example.gov.uk",
                                                                       "password": PASSWORD})
    assert response.headers["Location"].endswith("/template?page=2")
