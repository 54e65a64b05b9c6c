"""Account administration and self-service: invitations, roles, deactivation, passwords, sessions.

Every change writes its audit row here, in the caller's transaction. Links to set a password
are single-use and time-limited; only the SHA-256 of their random token is stored. The service
always keeps at least one active administrator.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update

from cia.data import audit
from cia.data.users import AccountError, by_email
from cia.extensions import db
from cia.models import APPROVER_LEVELS, ROLES, AccountLink, User, UserSession, utcnow
from cia.passwords import hash_password, verify_password

PER_PAGE = 50


class LastAdministrator(AccountError):
    """The change would leave nobody able to administer the service."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- reading -------------------------------------------------------------------------


def search(query: str = "", page: int = 1) -> tuple[list[User], int]:
    """Accounts whose name or e-mail contains `query`, by name, a page at a time; and how many in all."""
    condition = select(User)
    text = query.strip().lower()
    if text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        condition = condition.where(or_(func.lower(User.name).like(like, escape="\\"),
                                        User.email.like(like, escape="\\")))
    total = db.session.execute(select(func.count()).select_from(condition.subquery())).scalar_one()
    rows = db.session.execute(condition.order_by(func.lower(User.name), User.id)
                              .limit(PER_PAGE).offset((max(page, 1) - 1) * PER_PAGE)).scalars()
    return list(rows), total


def active_sessions(user: User) -> list[UserSession]:
    return list(db.session.execute(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .order_by(UserSession.created_at.desc())).scalars())


def session_counts(users: list[User]) -> dict[int, int]:
    if not users:
        return {}
    rows = db.session.execute(
        select(UserSession.user_id, func.count()).where(UserSession.user_id.in_([u.id for u in users]),
                                                        UserSession.revoked_at.is_(None))
        .group_by(UserSession.user_id))
    return dict(rows.tuples().all())


def _other_active_admins(user: User) -> int:
    return db.session.execute(
        select(func.count()).select_from(User)
        .where(User.active.is_(True), User.roles.contains("admin"), User.id != user.id)).scalar_one()


# --- administrators' actions ----------------------------------------------------------------


def validate_roles(roles: list[str], level: str) -> tuple[str, str]:
    """Roles as stored (in ROLES order) and the level (kept only for approvers)."""
    unknown = [r for r in roles if r not in ROLES]
    if unknown or (level and level not in APPROVER_LEVELS):
        raise AccountError("Choose roles and a level from the lists")
    if not roles:
        raise AccountError("Select at least one role")
    if "approver" in roles and not level:
        raise AccountError("Select the approver level")
    return " ".join(r for r in ROLES if r in roles), level if "approver" in roles else ""


def invite(email: str, name: str, roles: list[str], level: str, actor: User, remote_addr: str,
           hours: int) -> tuple[User, str | None]:
    """A new account and, when `hours` is given, the token of its link to set a password."""
    email = email.strip().lower()
    roles_text, level = validate_roles(roles, level)
    if by_email(email) is not None:
        raise AccountError(f"An account for {email} already exists")
    user = User(email=email, name=name.strip(), password_hash="", roles=roles_text, approver_level=level)
    db.session.add(user)
    db.session.flush()
    audit.record("user.invited", actor=actor, remote_addr=remote_addr, object_type="user", object_id=user.id,
                 details={"email": email, "roles": roles_text, "level": level})
    token = issue_link(user, "invitation", actor, remote_addr, hours) if hours else None
    return user, token


def set_roles(user: User, roles: list[str], level: str, actor: User, remote_addr: str) -> bool:
    """Change the roles and level; False when nothing changed. Refuses to remove the last administrator."""
    roles_text, level = validate_roles(roles, level)
    if (roles_text, level) == (user.roles, user.approver_level):
        return False
    if user.is_admin and user.active and "admin" not in roles_text.split() and not _other_active_admins(user):
        raise LastAdministrator(f"{user.name} is the only administrator. Give another account the "
                                "administrator role first")
    audit.record("user.roles_changed", actor=actor, remote_addr=remote_addr, object_type="user",
                 object_id=user.id, details={"from": user.roles, "to": roles_text,
                                             "from_level": user.approver_level, "to_level": level})
    user.roles, user.approver_level = roles_text, level
    return True


def deactivate(user: User, actor: User, remote_addr: str) -> int:
    """Deactivate the account and end its sessions at once; how many sessions ended."""
    if user.id == actor.id:
        raise AccountError("You cannot deactivate your own account. Ask another administrator")
    if user.is_admin and user.active and not _other_active_admins(user):
        raise LastAdministrator(f"{user.name} is the only administrator. Give another account the "
                                "administrator role first")
    user.active = False
    ended = _end_sessions(user)
    _cancel_links(user)
    audit.record("user.deactivated", actor=actor, remote_addr=remote_addr, object_type="user",
                 object_id=user.id, details={"email": user.email, "sessions_ended": ended})
    return ended


def reactivate(user: User, actor: User, remote_addr: str) -> None:
    user.active = True
    audit.record("user.reactivated", actor=actor, remote_addr=remote_addr, object_type="user",
                 object_id=user.id, details={"email": user.email})


def end_sessions(user: User, actor: User, remote_addr: str, keep: str | None = None) -> int:
    """End every active session of `user` (except `keep`, the one in use); how many ended."""
    ended = _end_sessions(user, keep)
    audit.record("user.sessions_ended", actor=actor, remote_addr=remote_addr, object_type="user",
                 object_id=user.id, details={"sessions_ended": ended, "kept_current": keep is not None})
    return ended


def end_one_session(user: User, session_id: str, remote_addr: str) -> bool:
    """The person ends one of their own sessions; False when it is not theirs or already ended."""
    ended = db.session.execute(
        update(UserSession).where(UserSession.id == session_id, UserSession.user_id == user.id,
                                  UserSession.revoked_at.is_(None)).values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    if ended:
        audit.record("user.session_ended", actor=user, remote_addr=remote_addr, object_type="user",
                     object_id=user.id, details={"session_started": _started(session_id)})
    return bool(ended)


def _started(session_id: str) -> str:
    found = db.session.get(UserSession, session_id)
    return found.created_at.isoformat(timespec="seconds") if found else ""


def _end_sessions(user: User, keep: str | None = None) -> int:
    query = update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    if keep:
        query = query.where(UserSession.id != keep)
    return db.session.execute(query.values(revoked_at=utcnow())
                              .execution_options(synchronize_session=False)).rowcount


# --- links to set a password -------------------------------------------------------------------


def issue_link(user: User, purpose: str, actor: User, remote_addr: str, hours: int) -> str:
    """A new single-use link (earlier unused ones stop working); its token, which is not stored."""
    _cancel_links(user)
    token = secrets.token_urlsafe(32)
    db.session.add(AccountLink(user_id=user.id, purpose=purpose, token_hash=_hash(token),
                               expires_at=utcnow() + timedelta(hours=hours), created_by_id=actor.id))
    if purpose == "password_reset":
        audit.record("user.password_reset_sent", actor=actor, remote_addr=remote_addr, object_type="user",
                     object_id=user.id, details={"email": user.email, "hours": hours})
    db.session.flush()
    return token


def _cancel_links(user: User) -> None:
    db.session.execute(update(AccountLink).where(AccountLink.user_id == user.id, AccountLink.used_at.is_(None))
                       .values(used_at=utcnow()).execution_options(synchronize_session=False))


def link_for(token: str, now: datetime | None = None) -> AccountLink | None:
    """The unused, unexpired link of an active account with this token, or None."""
    if not token or len(token) > 100:
        return None
    link = db.session.execute(select(AccountLink).where(AccountLink.token_hash == _hash(token))).scalar_one_or_none()
    if link is None or link.used_at is not None or link.expires_at <= (now or utcnow()) or not link.user.active:
        return None
    return link


def use_link(link: AccountLink, password: str, remote_addr: str) -> User:
    """Set the password through the link (once): every session of the account ends."""
    user = link.user
    link.used_at = utcnow()
    user.password_hash = hash_password(password)
    ended = _end_sessions(user)
    audit.record("user.password_set", actor=user, remote_addr=remote_addr, object_type="user", object_id=user.id,
                 details={"through": link.purpose, "sessions_ended": ended})
    return user


# --- the person's own account ----------------------------------------------------------------


def has_password(user: User) -> bool:
    return bool(user.password_hash)


def change_password(user: User, current: str, new: str, keep_session: str, remote_addr: str) -> int:
    """Change one's own password (the current one must be right); other sessions end. How many ended."""
    if not verify_password(user.password_hash, current):
        raise AccountError("Your current password is not right")
    user.password_hash = hash_password(new)
    ended = _end_sessions(user, keep_session)
    audit.record("user.password_changed", actor=user, remote_addr=remote_addr, object_type="user",
                 object_id=user.id, details={"other_sessions_ended": ended})
    return ended
