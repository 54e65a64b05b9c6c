"""Bad input to every account form: generated data never gives a 500; a refusal explains itself in
the error summary and changes nothing; what is accepted is exactly what was typed (cleaned).

The forms: invite someone, change roles, change your password, choose a password from a link; the
search in the address; and every POST of the account pages with a missing or forged CSRF token.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from cia.data import accounts
from cia.extensions import db
from cia.models import APPROVER_LEVELS, ROLES, AuditEvent, User
from tests.conftest import csrf_token, make_app
from tests.helpers import PASSWORD, make_users, page_fields, signed_in
from tests.integration.bad_input_support import (
    FORGED,
    HOSTILE,
    ODD_NUMBERS,
    assert_explained,
    assert_forgery_refused,
    assert_never_broken,
    examples,
    hostile_post,
    post_urls,
)

ROLE_VALUES = st.one_of(st.sampled_from([*ROLES, *APPROVER_LEVELS]), HOSTILE)


def _fresh(app) -> None:
    from tests import helpers

    with app.app_context():
        helpers.empty_database()
        make_users()


def _accounts(app) -> list[tuple]:
    with app.app_context():
        db.session.expire_all()
        return db.session.execute(select(User.id, User.email, User.name, User.roles, User.approver_level,
                                         User.active, User.password_hash).order_by(User.id)).all()


def _changes(app) -> list[str]:
    with app.app_context():
        return list(db.session.execute(select(AuditEvent.action).where(AuditEvent.action.like("user.%"))
                                       .order_by(AuditEvent.id)).scalars())


def _roles_are_valid(roles: str, level: str) -> bool:
    names = roles.split()
    return bool(names) and set(names) <= set(ROLES) and (level in APPROVER_LEVELS if "approver" in names else not level)


@given(data=st.data())
@examples(40)
def test_invitations(app, data):
    _fresh(app)
    admin = signed_in(app, "admin@example.gov.uk")
    fields = page_fields(admin.get("/accounts/invite").get_data(as_text=True))
    fields.update(name="Nia New", email="nia.new@example.gov.uk")
    post = hostile_post(data, fields)
    extra_roles = data.draw(st.lists(ROLE_VALUES, max_size=3), label="roles ticked")
    before = _accounts(app)
    response = admin.post("/accounts/invite", data=MultiDict(post.pairs + [("roles", r) for r in extra_roles]))
    assert_never_broken(response, (200, 302))
    after = _accounts(app)
    if response.status_code == 200:
        assert_explained(response)
        assert after == before and "user.invited" not in _changes(app)
        return
    [new] = [a for a in after if a not in before]
    assert new.email == (post.first("email") or "").strip().lower()
    assert new.name and "\x00" not in new.name and "\u202e" not in new.name
    assert _roles_are_valid(new.roles, new.approver_level) and new.password_hash == ""


@given(data=st.data())
@examples(40)
def test_changing_roles(app, data):
    _fresh(app)
    admin = signed_in(app, "admin@example.gov.uk")
    target = data.draw(st.sampled_from(["author@example.gov.uk", "admin@example.gov.uk"]), label="whose roles")
    with app.app_context():
        user_id = db.session.execute(select(User.id).where(User.email == target)).scalar_one()
    url = f"/accounts/{user_id}/roles"
    post = hostile_post(data, page_fields(admin.get(url).get_data(as_text=True)))
    extra_roles = data.draw(st.lists(ROLE_VALUES, max_size=3), label="roles ticked")
    before = _accounts(app)
    response = admin.post(url, data=MultiDict(post.pairs + [("roles", r) for r in extra_roles]))
    assert_never_broken(response, (200, 302))
    after = _accounts(app)
    if response.status_code == 200:
        assert_explained(response)
        assert after == before
    changed = {a.id: a for a in after}[user_id]
    assert _roles_are_valid(changed.roles, changed.approver_level)
    assert any("admin" in a.roles.split() and a.active for a in after), "nobody is an administrator any more"


@given(data=st.data())
@examples(30)
def test_changing_your_password(app, data):
    _fresh(app)
    app.extensions["cia_throttle"].store.__init__()
    me = signed_in(app, "author@example.gov.uk")
    fields = page_fields(me.get("/account/password").get_data(as_text=True))
    chosen = data.draw(st.sampled_from(["plum orchard telescope marble", "x"]), label="new password")
    fields.update(current=PASSWORD, password=chosen, confirm=chosen)
    post = hostile_post(data, fields, max_changes=3)
    before = _accounts(app)
    response = me.post("/account/password", data=post.body())
    assert_never_broken(response, (200, 302, 429))
    if response.status_code != 302:
        assert_explained(response)
        assert _accounts(app) == before
        return
    with app.app_context():
        user = db.session.execute(select(User).where(User.email == "author@example.gov.uk")).scalar_one()
        from cia.passwords import verify_password

        assert verify_password(user.password_hash, post.first("password"))


@given(data=st.data())
@examples(30)
def test_choosing_a_password_from_a_link(app, data):
    _fresh(app)
    with app.app_context():
        admin = db.session.execute(select(User).where(User.email == "admin@example.gov.uk")).scalar_one()
        author = db.session.execute(select(User).where(User.email == "author@example.gov.uk")).scalar_one()
        token = accounts.issue_link(author, "password_reset", admin, "", 1)
        db.session.commit()
    client = app.test_client()
    url = f"/set-password/{token}"
    fields = page_fields(client.get(url).get_data(as_text=True))
    fields.update(password="plum orchard telescope marble", confirm="plum orchard telescope marble")
    post = hostile_post(data, fields, max_changes=3)
    before = _accounts(app)
    response = client.post(url, data=post.body())
    assert_never_broken(response, (200, 302))
    if response.status_code == 200:
        assert_explained(response)
        assert _accounts(app) == before
        assert client.get(url).status_code == 200  # the link still works
    else:
        assert client.get(url).status_code == 404  # used once


@given(query=st.one_of(HOSTILE, st.sampled_from(["%", "_", "\\", "%%", "a%b", "' OR 1=1 --"])),
       page=st.one_of(st.sampled_from(ODD_NUMBERS), HOSTILE))
@examples(40)
def test_searching_accounts(app, users, query, page):
    admin = signed_in(app, "admin@example.gov.uk")
    response = admin.get("/accounts/", query_string={"q": query, "page": page})
    assert_never_broken(response, (200,))


def test_every_account_form_refuses_a_missing_or_forged_csrf_token(app, users):
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        author = db.session.execute(select(User).where(User.email == "author@example.gov.uk")).scalar_one()
        admin = db.session.execute(select(User).where(User.email == "admin@example.gov.uk")).scalar_one()
        token = accounts.issue_link(author, "invitation", admin, "", 1)
        author_id = author.id
        db.session.commit()
    values = {"user_id": author_id, "session_id": "x", "token": token}
    urls = post_urls(csrf_app, "accounts", values) + post_urls(csrf_app, "your_account", values)
    assert len(urls) >= 10, urls
    client = csrf_app.test_client()
    html = client.get("/sign-in").get_data(as_text=True)
    assert client.post("/sign-in", data={"email": "admin@example.gov.uk", "password": PASSWORD,
                                         "csrf_token": csrf_token(html)}).status_code == 302
    before = _accounts(app)
    for url in urls:
        for request in FORGED:
            assert_forgery_refused(client.post(url, **request))
    assert _accounts(app) == before
