"""Accounts and their server-side sessions."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from cia import richtext
from cia.data import audit
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
    # The shipped equality impact assessment's sign-off steps: a Head of Service signs a screened-out
    # proposal; an equalities officer reviews a full assessment before the decision-maker.
    ("head.of.service@example.gov.uk", "Demo Head of Service", ["approver"], "head_of_service"),
    ("equalities@example.gov.uk", "Demo Equalities Officer", ["approver"], "equalities"),
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
    user = User(email=email, name=richtext.clean_line(name), password_hash=hash_password(password),
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


#: last_seen_at is written at most this often (a write per request would serialise page views on SQLite).
TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class SessionLimits:
    absolute: timedelta
    idle: timedelta

    @classmethod
    def from_config(cls, config) -> SessionLimits:
        return cls(timedelta(hours=float(config["CIA_SESSION_ABSOLUTE_HOURS"])),
                   timedelta(minutes=float(config["CIA_SESSION_IDLE_MINUTES"])))


def session_ends_at(found: UserSession, limits: SessionLimits) -> datetime:
    """When the session ends unless it is used again: idle timeout or absolute lifetime, the sooner."""
    return min(found.created_at + limits.absolute, found.last_seen_at + limits.idle)


def load_session(session_id: str, limits: SessionLimits | None = None, *, touch: bool = True) -> UserSession | None:
    """The signed-in session, if it is still live. One past its idle timeout or absolute lifetime is
    ended on the server (revoked) there and then. `touch` records this request as activity."""
    found = db.session.get(UserSession, session_id)
    if found is None or not found.is_active:
        return None
    if limits is None:
        return found
    now = utcnow()
    if now >= session_ends_at(found, limits):
        revoke_session(found.id, reason="expired")
        return None
    if touch and now - found.last_seen_at >= TOUCH_EVERY:
        touch_session(found.id)
    return found


def touch_session(session_id: str) -> None:
    """Record activity now: the idle timeout starts again (the absolute lifetime does not)."""
    db.session.execute(update(UserSession).where(UserSession.id == session_id).values(last_seen_at=utcnow()))


def revoke_session(session_id: str, reason: str = "") -> None:
    """End a session on the server (sign-out, or `reason` "expired"); audited when it expired."""
    ended = db.session.execute(
        update(UserSession).where(UserSession.id == session_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    ).rowcount
    if ended and reason:
        found = db.session.get(UserSession, session_id)
        audit.record(f"auth.session_{reason}", actor=found.user if found else None)


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
