"""Factories and helpers for integration tests."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

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
    for table in reversed(db.metadata.sorted_tables):
        if table.name == "assessment":
            db.session.execute(text("UPDATE assessment SET current_revision_id = NULL"))
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
