"""Factories and helpers for integration tests."""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser

from sqlalchemy import text

from cia.data import templates
from cia.extensions import db
from cia.models import User
from cia.passwords import hash_password

PASSWORD = "correct horse battery staple"


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return hash_password(PASSWORD)


def empty_database() -> None:
    """Delete every row (raw SQL: the audit trail refuses deletes through the application)."""
    db.session.rollback()
    # assessment -> revision is a cycle (its current revision): break it before deleting.
    db.session.execute(text("UPDATE assessment SET current_revision_id = NULL"))
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    templates._spec_cache.clear()


@dataclass
class Accounts:
    author: int
    other_author: int
    approver: int
    admin: int


def make_user(email: str, name: str, roles: str = "author", level: str = "") -> User:
    user = User(email=email, name=name, password_hash=_password_hash(), roles=roles, approver_level=level)
    db.session.add(user)
    db.session.flush()
    return user


def make_users() -> Accounts:
    accounts = Accounts(
        author=make_user("author@example.gov.uk", "Alex Author").id,
        other_author=make_user("other@example.gov.uk", "Olu Other").id,
        approver=make_user("approver@example.gov.uk", "Asha Approver", "approver", "manager").id,
        admin=make_user("admin@example.gov.uk", "Adam Admin", "admin author").id,
    )
    db.session.commit()
    return accounts


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post("/sign-in", data={"email": email, "password": password})


# --- authoring pages through the test client ---------------------------------------
#
# `page_fields(html)` reads the authoring form of a page the way a browser would submit it
# (inputs, checked radios, selected options, textareas); the tests change a few fields and
# post the whole form back, so every test exercises the page as rendered.


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: dict[str, str] = {}
        self.radios: set[str] = set()
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button"):
                return
            if kind in ("radio", "checkbox"):
                self.radios.add(name)
                if "checked" in a:
                    self.fields[name] = a.get("value") or "on"
                return
            self.fields[name] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self.fields.setdefault(self._select, value)
            if "selected" in a:
                self.fields[self._select] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.fields[self._textarea] = text[1:] if text.startswith("\n") else text
            self._textarea = None
        elif tag == "select":
            self._select = None


def page_fields(html: str, form_id: str = "main-form") -> dict[str, str]:
    """What a browser would post from the page's form (without the button pressed)."""
    reader = _FormReader(form_id)
    reader.feed(html)
    assert reader.fields or reader.radios, f"no form #{form_id} on the page"
    return reader.fields


def start_assessment(client, name: str = "Closing the Tamworth library") -> int:
    """Start an assessment as the signed-in user; its id."""
    response = client.post("/assessments/new", data={"name": name})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def post_page(client, url: str, changes: dict | None = None, *, submit: str | None = "continue",
              action: str | None = None, fields: dict | None = None, drop: tuple[str, ...] = ()):
    """GET the page (unless `fields` are given), change some fields and post the whole form back."""
    if fields is None:
        got = client.get(url)
        assert got.status_code == 200, f"GET {url}: {got.status_code}"
        fields = page_fields(got.get_data(as_text=True))
    data = {k: v for k, v in fields.items() if k not in drop}
    data.update(changes or {})
    if action:
        data["action"] = action
    elif submit:
        data["submit"] = submit
    return client.post(url, data=data)


def press(client, url: str, action: str, html: str, changes: dict | None = None):
    """Press an "Add" or "Remove" button on the page shown (`html`), after typing `changes`."""
    assert f'value="{action}"' in html, f"no button {action} on the page"
    return post_page(client, url, changes, action=action, fields=page_fields(html))


def error_summary(html: str) -> list[tuple[str, str]]:
    """(href, text) of every link in the error summary."""
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    if not match:
        return []
    return [(unescape(h), unescape(re.sub(r"<[^>]+>", "", t)).strip())
            for h, t in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', match.group(0), re.S)]


def ids_on(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def section_url(assessment_id: int, key: str) -> str:
    return f"/assessments/{assessment_id}/sections/{key}"


def row_index(html: str, key: str) -> int:
    """The position of the row whose key is `key` on a section page."""
    match = re.search(r'name="rows-(\d+)-key"[^>]*value="' + re.escape(key) + '"', html) or re.search(
        r'value="' + re.escape(key) + r'"[^>]*name="rows-(\d+)-key"', html)
    assert match, f"no row {key} on the page"
    return int(match.group(1))


def custom_rows(count: int, start: int, text: str = "Own row") -> dict[str, str]:
    """Form fields for `count` of the author's own rows at positions start, start+1, ..."""
    fields = {}
    for n in range(count):
        i = start + n
        fields.update({f"rows-{i}-key": f"own-test{n:04d}", f"rows-{i}-custom": "1",
                       f"rows-{i}-title": f"{text} {n + 1}", f"rows-{i}-question": "",
                       f"rows-{i}-impact": "no", f"rows-{i}-groups": "", f"rows-{i}-maximise": ""})
    return fields


def stored_part(assessment_id: int, part: str) -> dict:
    """A part as stored now (call inside an app context)."""
    from sqlalchemy import select as _select

    from cia.models import Assessment, RevisionPart

    assessment = db.session.get(Assessment, assessment_id)
    db.session.expire_all()
    row = db.session.execute(_select(RevisionPart).where(
        RevisionPart.revision_id == assessment.current_revision_id, RevisionPart.part == part)).scalar_one()
    return {"version": row.version, **row.data}


def signed_in(app, email: str):
    """A new test client, signed in as `email`."""
    client = app.test_client()
    response = sign_in(client, email)
    assert response.status_code == 302, f"could not sign in as {email}"
    return client


def give_edit_access(client, assessment_id: int, email: str, name: str = "Olu Other") -> None:
    """Add a team member with edit access through the team page (as the signed-in owner)."""
    url = f"/assessments/{assessment_id}/team"
    html = press(client, url, "add:members", client.get(url).get_data(as_text=True)).get_data(as_text=True)
    index = len([k for k in page_fields(html) if k.endswith("-name")]) - 1
    response = post_page(client, url, {f"members-{index}-name": name, f"members-{index}-account_email": email,
                                       f"members-{index}-edit_access": "yes"}, fields=page_fields(html))
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))


def assert_kept(html: str, typed: dict[str, str]) -> None:
    """Every field typed is shown again, as typed (the page re-shows all the input)."""
    shown = page_fields(html)
    lost = {k: (v[:60], (shown.get(k) or "")[:60]) for k, v in typed.items()
            if k not in ("submit", "action", "csrf_token", "version") and shown.get(k) != v}
    assert not lost, f"input not shown again (typed, shown): {lost}"


def assert_summary_links_work(html: str) -> list[tuple[str, str]]:
    """The error summary has messages and each links to an element on the page; the messages."""
    summary = error_summary(html)
    assert summary, "no error summary on the page"
    ids = ids_on(html)
    broken = [href for href, _ in summary if not href.startswith("#") or href[1:] not in ids]
    assert not broken, f"error summary links to ids not on the page: {broken}"
    return summary


@contextmanager
def empty_postgresql_database(prefix: str):
    """A new, empty PostgreSQL database on the local server (its SQLAlchemy URL), dropped afterwards.

    Skips the test where PostgreSQL does not answer, except in CI, where the suite must run on it.
    """
    import os

    import psycopg
    import pytest

    try:
        conn = psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL must be reachable in CI")
        pytest.skip("PostgreSQL is not reachable")
    name = f"{prefix}_{os.getpid()}"
    conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


def findings_text(html: str, severity: str) -> str:
    """The text of the check page's findings of one severity ("error", "warning", "advice"), each
    finding's block from its start to the next one's."""
    blocks = re.split(r'(?=<div class="app-finding app-finding--)', html)
    return "\n".join(b for b in blocks if b.startswith(f'<div class="app-finding app-finding--{severity}"'))
