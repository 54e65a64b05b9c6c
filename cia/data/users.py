"""Accounts and their server-side sessions."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select, update

from cia.extensions import db
from cia.models import APPROVER_LEVELS, ROLES, User, UserSession, utcnow
from cia.passwords import hash_password, verify_password

# Compared against when the e-mail is unknown, so a wrong address costs as long as a wrong password.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


#: `flask cia seed --demo-accounts` makes these; they can never sign in under CIA_ENV=production.
DEMO_ACCOUNTS = (
    ("admin@example.gov.uk", "Demo Administrator", ["admin", "author"], ""),
    ("author@example.gov.uk", "Demo Author", ["author"], ""),
    ("approver@example.gov.uk", "Demo Approver", ["approver"], "manager"),
)
DEMO_EMAILS = frozenset(email for email, *_ in DEMO_ACCOUNTS)


class AccountError(ValueError):
    pass


def by_email(email: str) -> User | None:
    return db.session.execute(select(User).where(User.email == email.strip().lower())).scalar_one_or_none()


def by_id(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def create_user(email: str, name: str, password: str, roles: list[str], level: str = "") -> User:
    email = email.strip().lower()
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise AccountError(f"Unknown role: {', '.join(unknown)}. Roles are {', '.join(ROLES)}")
    if level and level not in APPROVER_LEVELS:
        raise AccountError(f"Unknown approver level: {level}. Levels are {', '.join(APPROVER_LEVELS)}")
    if "approver" in roles and not level:
        raise AccountError("An approver needs a level: " + ", ".join(APPROVER_LEVELS))
    if by_email(email):
        raise AccountError(f"An account for {email} already exists")
    user = User(email=email, name=name.strip(), password_hash=hash_password(password),
                roles=" ".join(r for r in ROLES if r in roles), approver_level=level)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str, *, allow_demo: bool = True) -> User | None:
    """The account if the password is right (and, with allow_demo False, it is not a demo account)."""
    user = by_email(email)
    if user is None or not user.active or (not allow_demo and user.email in DEMO_EMAILS):
        verify_password(_DUMMY_HASH, password)
        return None
    return user if verify_password(user.password_hash, password) else None


def start_session(user: User, remote_addr: str = "") -> UserSession:
    session = UserSession(id=secrets.token_urlsafe(32), user=user, remote_addr=remote_addr[:64])
    db.session.add(session)
    db.session.flush()
    return session


#: Addresses an account signed in from within this many days count as its own (cia/throttle.py).
KNOWN_ADDRESS_DAYS = 30


def signed_in_from(email: str, address: str) -> bool:
    """Whether this account signed in from this address recently (a session was started from it)."""
    if not address:
        return False
    return db.session.execute(
        select(UserSession.id).join(User, User.id == UserSession.user_id)
        .where(User.email == email.strip().lower(), UserSession.remote_addr == address[:64],
               UserSession.created_at >= utcnow() - timedelta(days=KNOWN_ADDRESS_DAYS)).limit(1)
    ).first() is not None


def load_session(session_id: str) -> UserSession | None:
    found = db.session.get(UserSession, session_id)
    if found is None or not found.is_active:
        return None
    return found


def revoke_session(session_id: str) -> None:
    db.session.execute(
        update(UserSession).where(UserSession.id == session_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def approvers(level: str | None = None) -> list[User]:
    query = select(User).where(User.active.is_(True), User.roles.contains("approver")).order_by(User.name)
    if level:
        query = query.where(User.approver_level == level)
    return list(db.session.execute(query).scalars())


def users_by_emails(emails: list[str]) -> dict[str, User]:
    wanted = {e.strip().lower() for e in emails if e.strip()}
    if not wanted:
        return {}
    rows = db.session.execute(select(User).where(User.email.in_(wanted))).scalars()
    return {u.email: u for u in rows}
