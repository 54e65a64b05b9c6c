"""Accounts in the browser: invitations and resets by real e-mail (aiosmtpd on loopback), roles,
deactivation, sessions, one's own password. Every refusal explains itself; every change is audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from cia.extensions import db
from cia.models import AccountLink, AuditEvent, EmailOutbox, User, UserSession, utcnow
from tests.helpers import PASSWORD, error_summary, sign_in, signed_in
from tests.smtp_support import smtp_server

NEW_PASSWORD = "plum orchard telescope marble"


@pytest.fixture
def mail(app, monkeypatch):
    with smtp_server() as (inbox, config):
        for name, value in config.items():
            monkeypatch.setitem(app.config, name, value)
        yield inbox


@pytest.fixture
def admin(app, users):
    return signed_in(app, "admin@example.gov.uk")


def actions(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars())


def user_by_email(app, email: str) -> User:
    with app.app_context():
        return db.session.execute(select(User).where(User.email == email)).scalar_one()


def link_in(body: str) -> str:
    match = re.search(r"https://cia\.example\.gov\.uk(/set-password/[A-Za-z0-9_-]+)", body)
    assert match, body
    return match.group(1)


def invite(client, **changes):
    data = {"name": "Nia New", "email": "nia.new@example.gov.uk", "roles": ["author"], "level": ""}
    data.update(changes)
    return client.post("/accounts/invite", data=data)


# --- invitations ------------------------------------------------------------------------


def test_an_invitation_is_emailed_and_its_link_sets_the_password_once(app, admin, mail):
    response = invite(admin)
    assert response.status_code == 302
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nia New has been invited" in page and "nia.new@example.gov.uk" in page
    [body] = mail.bodies_to("nia.new@example.gov.uk")
    assert "Adam Admin has given you an account" in body and "72 hours" in body
    path = link_in(body)
    # The outbox keeps no working link once sent; the database keeps only the token's hash.
    with app.app_context():
        kept = db.session.execute(select(EmailOutbox)).scalar_one()
        assert kept.sent_at is not None and path not in kept.body and "link removed" in kept.body
        link = db.session.execute(select(AccountLink)).scalar_one()
        assert path.rsplit("/", 1)[1] not in link.token_hash and len(link.token_hash) == 64
    newcomer = app.test_client()
    assert sign_in(newcomer, "nia.new@example.gov.uk", "").status_code == 200  # no password yet
    page = newcomer.get(path)
    assert page.status_code == 200 and "Choose your password" in page.get_data(as_text=True)
    weak = newcomer.post(path, data={"password": "short", "confirm": "short"})
    assert [t for _, t in error_summary(weak.get_data(as_text=True))] == ["Password must be 12 characters or more"]
    mismatch = newcomer.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"})
    assert [t for _, t in error_summary(mismatch.get_data(as_text=True))] == [
        "The passwords do not match: enter the same new password twice"]
    done = newcomer.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/sign-in"
    assert sign_in(newcomer, "nia.new@example.gov.uk", NEW_PASSWORD).status_code == 302
    used = app.test_client().get(path)
    assert used.status_code == 404 and "This link does not work" in used.get_data(as_text=True)
    assert [e.details["email"] for e in actions(app, "user.invited")] == ["nia.new@example.gov.uk"]
    assert [e.details["through"] for e in actions(app, "user.password_set")] == ["invitation"]


def test_an_expired_or_unknown_link_does_not_work(app, admin, mail):
    invite(admin)
    path = link_in(mail.bodies_to("nia.new@example.gov.uk")[0])
    with app.app_context():
        db.session.execute(select(AccountLink)).scalar_one().expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    for target in (path, "/set-password/not-a-real-token", "/set-password/" + "x" * 500):
        response = app.test_client().post(target, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
        assert response.status_code == 404 and "This link does not work" in response.get_data(as_text=True)
    assert actions(app, "user.password_set") == []


def test_without_a_mail_server_the_invitation_waits_in_the_outbox(app, admin):
    invite(admin)
    with app.app_context():
        kept = db.session.execute(select(EmailOutbox)).scalar_one()
    assert kept.sent_at is None and "/set-password/" in kept.body


@pytest.mark.parametrize("changes, field, message", [
    ({"name": "", "email": ""}, "name", "Enter their full name"),
    ({"email": "not an address"}, "email", "Enter an email address in the correct format, like name@example.gov.uk"),
    ({"email": "author@example.gov.uk"}, "email", "An account for author@example.gov.uk already exists"),
    ({"roles": []}, "roles", "Select at least one role"),
    ({"roles": ["approver"]}, "level", "Select the approver level"),
    ({"roles": ["superuser"]}, "roles", "Select roles from the list"),
    ({"roles": ["approver"], "level": "chief"}, "level", "Select an approver level from the list"),
    ({"name": "N" * 201}, "name", "Full name must be 200 characters or fewer"),
    ({"name": "\u202e\x00\x07"}, "name", "Enter their full name"),
    ({"email": "a" * 250 + "@example.gov.uk"}, "email", "Email address must be 254 characters or fewer"),
])
def test_a_wrong_invitation_explains_itself_and_keeps_what_was_typed(app, admin, changes, field, message):
    response = invite(admin, **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in [t for _, t in error_summary(html)]
    assert any(href.startswith(f"#{field}") for href, _ in error_summary(html))
    if changes.get("email"):
        assert f'value="{changes["email"]}"' in html
    with app.app_context():
        assert db.session.query(User).count() == 4
    assert actions(app, "user.invited") == []


def test_with_password_sign_in_off_an_invitation_says_to_use_the_council_account(app, admin, users, mail,
                                                                                monkeypatch):
    monkeypatch.setitem(app.config, "CIA_PASSWORD_SIGN_IN", False)
    assert invite(admin).status_code == 302
    [body] = mail.bodies_to("nia.new@example.gov.uk")
    assert "Sign in with your council account: https://cia.example.gov.uk/sign-in" in body
    with app.app_context():
        assert db.session.query(AccountLink).count() == 0
    refused = admin.get(f"/accounts/{users.author}/reset-password")
    assert refused.status_code == 409 and "Signing in with a password is turned off" in refused.get_data(as_text=True)
    assert admin.post(f"/accounts/{users.author}/reset-password").status_code == 409
    assert mail.bodies_to("author@example.gov.uk") == []


def test_the_error_summary_follows_the_page_order(admin):
    response = invite(admin, name="", email="", roles=["approver"])
    assert [href for href, _ in error_summary(response.get_data(as_text=True))] == ["#name", "#email", "#level"]


def test_an_approver_is_invited_with_a_level(app, admin):
    invite(admin, name="  Nia \u202eNew\u2066 ", roles=["author", "approver"], level="sponsor")
    user = user_by_email(app, "nia.new@example.gov.uk")
    assert (user.name, user.roles, user.approver_level, user.password_hash) == (
        "Nia New", "author approver", "sponsor", "")


# --- list, search, roles -----------------------------------------------------------------


def test_accounts_are_listed_and_searched(admin):
    html = admin.get("/accounts/").get_data(as_text=True)
    assert all(n in html for n in ("Alex Author", "Asha Approver", "Adam Admin", "Olu Other"))
    found = admin.get("/accounts/?q=ASHA").get_data(as_text=True)
    assert "Asha Approver" in found and "Alex Author" not in found and "1 account matching" in found
    assert "No accounts match" in admin.get("/accounts/?q=%25%5F").get_data(as_text=True)


def test_roles_and_level_are_changed_and_audited(app, admin, users):
    response = admin.post(f"/accounts/{users.author}/roles", data={"roles": ["author", "approver"], "level": "slt"})
    assert response.status_code == 302
    assert "Alex Author&#39;s roles have been changed" in admin.get(response.headers["Location"]).get_data(as_text=True)
    user = user_by_email(app, "author@example.gov.uk")
    assert (user.roles, user.approver_level) == ("author approver", "slt")
    [event] = actions(app, "user.roles_changed")
    assert event.details == {"from": "author", "to": "author approver", "from_level": "", "to_level": "slt"}


def test_the_only_administrator_cannot_be_demoted(app, admin, users):
    response = admin.post(f"/accounts/{users.admin}/roles", data={"roles": ["author"]})
    assert response.status_code == 200
    assert error_summary(response.get_data(as_text=True)) == [
        ("#roles", "Adam Admin is the only administrator. Give another account the administrator role first")]
    assert user_by_email(app, "admin@example.gov.uk").roles == "admin author"
    # With a second administrator, the first may step down.
    admin.post(f"/accounts/{users.approver}/roles", data={"roles": ["approver", "admin"], "level": "manager"})
    assert admin.post(f"/accounts/{users.admin}/roles", data={"roles": ["author"]}).status_code == 302
    assert user_by_email(app, "admin@example.gov.uk").roles == "author"


# --- deactivate, reactivate, end sessions ---------------------------------------------------


def test_deactivating_ends_their_sessions_at_once_and_stops_sign_in(app, admin, users):
    author = signed_in(app, "author@example.gov.uk")
    assert author.get("/").status_code == 200
    page = admin.get(f"/accounts/{users.author}/deactivate").get_data(as_text=True)
    assert "Are you sure you want to deactivate this account?" in page and "They will be signed out at once" in page
    response = admin.post(f"/accounts/{users.author}/deactivate")
    assert response.status_code == 302
    assert "deactivated and 1 session ended" in admin.get(response.headers["Location"]).get_data(as_text=True)
    assert author.get("/").status_code == 302  # signed out at once
    assert sign_in(app.test_client(), "author@example.gov.uk").status_code == 200  # refused
    assert actions(app, "user.deactivated")[0].details["sessions_ended"] == 1
    admin.post(f"/accounts/{users.author}/reactivate")
    assert sign_in(app.test_client(), "author@example.gov.uk").status_code == 302
    assert len(actions(app, "user.reactivated")) == 1


def test_administrators_cannot_deactivate_themselves(app, admin, users):
    response = admin.post(f"/accounts/{users.admin}/deactivate")
    assert response.status_code == 400
    assert error_summary(response.get_data(as_text=True)) == [
        ("#confirm", "You cannot deactivate your own account. Ask another administrator")]
    assert user_by_email(app, "admin@example.gov.uk").active


def test_a_deactivated_administrator_does_not_count_as_another(app, admin, users):
    admin.post(f"/accounts/{users.approver}/roles", data={"roles": ["approver", "admin"], "level": "manager"})
    assert admin.post(f"/accounts/{users.approver}/deactivate").status_code == 302
    response = admin.post(f"/accounts/{users.admin}/roles", data={"roles": ["author"]})
    assert "Adam Admin is the only administrator" in response.get_data(as_text=True)
    assert user_by_email(app, "admin@example.gov.uk").is_admin


def test_ending_someones_sessions(app, admin, users):
    author = signed_in(app, "author@example.gov.uk")
    assert "Are you sure you want to end all their sessions?" in admin.get(
        f"/accounts/{users.author}/end-sessions").get_data(as_text=True)
    response = admin.post(f"/accounts/{users.author}/end-sessions")
    assert "1 session of Alex Author ended" in admin.get(response.headers["Location"]).get_data(as_text=True)
    assert author.get("/").status_code == 302
    assert actions(app, "user.sessions_ended")[0].details["sessions_ended"] == 1


def test_a_password_reset_is_emailed_and_ends_sessions_when_used(app, admin, users, mail):
    author = signed_in(app, "author@example.gov.uk")
    assert "Send a password reset link?" in admin.get(f"/accounts/{users.author}/reset-password").get_data(as_text=True)
    response = admin.post(f"/accounts/{users.author}/reset-password")
    assert "A password reset link has been sent" in admin.get(response.headers["Location"]).get_data(as_text=True)
    [body] = mail.bodies_to("author@example.gov.uk")
    path = link_in(body)
    assert author.get("/").status_code == 200  # the old password and session still work until it is used
    assert app.test_client().post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert author.get("/").status_code == 302
    assert sign_in(app.test_client(), "author@example.gov.uk", PASSWORD).status_code == 200
    assert sign_in(app.test_client(), "author@example.gov.uk", NEW_PASSWORD).status_code == 302
    assert len(actions(app, "user.password_reset_sent")) == 1


def test_a_new_reset_link_replaces_the_earlier_one(app, admin, users, mail):
    admin.post(f"/accounts/{users.author}/reset-password")
    admin.post(f"/accounts/{users.author}/reset-password")
    first, second = (link_in(b) for b in mail.bodies_to("author@example.gov.uk"))
    assert app.test_client().get(first).status_code == 404
    assert app.test_client().get(second).status_code == 200


def test_unknown_accounts_are_not_found(admin):
    assert admin.get("/accounts/999999").status_code == 404
    assert admin.post("/accounts/999999/deactivate").status_code == 404


# --- your account ---------------------------------------------------------------------------


def test_your_account_lists_your_sessions_and_ends_one(app, users):
    here = signed_in(app, "author@example.gov.uk")
    elsewhere = signed_in(app, "author@example.gov.uk")
    page = here.get("/account").get_data(as_text=True)
    assert "Your account" in page and "This session" in page and page.count("End session<span") == 1
    with app.app_context():
        other = db.session.execute(select(UserSession).where(UserSession.user_id == users.author)
                                   .order_by(UserSession.created_at.desc())).scalars().all()
    target = [s.id for s in other if f"/account/sessions/{s.id}/end" in page][0]
    response = here.post(f"/account/sessions/{target}/end")
    assert "That session has ended" in here.get(response.headers["Location"]).get_data(as_text=True)
    assert elsewhere.get("/").status_code == 302 and here.get("/").status_code == 200
    assert len(actions(app, "user.session_ended")) == 1


def test_you_cannot_end_someone_elses_session(app, users):
    signed_in(app, "other@example.gov.uk")
    with app.app_context():
        theirs = db.session.execute(select(UserSession.id).where(UserSession.user_id == users.other_author)).scalar_one()
    me = signed_in(app, "author@example.gov.uk")
    assert me.post(f"/account/sessions/{theirs}/end").status_code == 404
    with app.app_context():
        assert db.session.get(UserSession, theirs).revoked_at is None


def test_ending_all_other_sessions(app, users):
    here = signed_in(app, "author@example.gov.uk")
    elsewhere = [signed_in(app, "author@example.gov.uk") for _ in range(2)]
    response = here.post("/account/sessions/end-others")
    assert "2 other sessions ended" in here.get(response.headers["Location"]).get_data(as_text=True)
    assert [c.get("/").status_code for c in elsewhere] == [302, 302] and here.get("/").status_code == 200


@pytest.mark.parametrize("data, message", [
    ({"current": "", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, "Enter your current password"),
    ({"current": "wrong password entirely", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
     "Your current password is not right"),
    ({"current": PASSWORD, "password": "password1234", "confirm": "password1234"},
     "Password is too easy to guess: use 3 or more random words, or a longer mix of words, numbers and symbols "
     "that other people are unlikely to use"),
    ({"current": PASSWORD, "password": "alex author 2026 plan", "confirm": "alex author 2026 plan"},
     "Password must not contain your name or email address"),
    ({"current": PASSWORD, "password": NEW_PASSWORD, "confirm": "different"},
     "The passwords do not match: enter the same new password twice"),
])
def test_a_wrong_password_change_explains_itself(app, users, data, message):
    me = signed_in(app, "author@example.gov.uk")
    response = me.post("/account/password", data=data)
    assert response.status_code == 200
    assert message in [t for _, t in error_summary(response.get_data(as_text=True))]
    assert sign_in(app.test_client(), "author@example.gov.uk", PASSWORD).status_code == 302


def test_changing_your_password_ends_your_other_sessions(app, users):
    here = signed_in(app, "author@example.gov.uk")
    elsewhere = signed_in(app, "author@example.gov.uk")
    response = here.post("/account/password", data={"current": PASSWORD, "password": NEW_PASSWORD,
                                                    "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert "Your password has been changed and your 1 other session ended" in here.get(
        response.headers["Location"]).get_data(as_text=True)
    assert elsewhere.get("/").status_code == 302 and here.get("/").status_code == 200
    assert sign_in(app.test_client(), "author@example.gov.uk", NEW_PASSWORD).status_code == 302
    assert len(actions(app, "user.password_changed")) == 1


def test_wrong_current_passwords_are_audited_and_lock_out_like_sign_in(app, users):
    me = signed_in(app, "author@example.gov.uk")
    wrong = {"current": "not it at all", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    limit = app.config["CIA_LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        assert me.post("/account/password", data=wrong).status_code == 200
    assert len(actions(app, "user.password_change_failed")) == limit
    right = {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    locked = me.post("/account/password", data=right)
    assert locked.status_code == 429
    assert [t for _, t in error_summary(locked.get_data(as_text=True))] == [
        "Too many wrong passwords. Wait 15 minutes and try again"]
    assert sign_in(app.test_client(), "author@example.gov.uk", PASSWORD).status_code == 429


def test_people_who_sign_in_with_their_council_account_have_no_password_to_change(app, users):
    me = signed_in(app, "author@example.gov.uk")
    with app.app_context():
        db.session.get(User, users.author).password_hash = ""
        db.session.commit()
    response = me.get("/account/password")
    assert response.status_code == 409 and "You sign in with your council account" in response.get_data(as_text=True)


def test_the_header_links_to_your_account(app, users):
    me = signed_in(app, "author@example.gov.uk")
    html = me.get("/").get_data(as_text=True)
    assert 'href="/account"' in html and 'href="/accounts/"' not in html
