"""Which account a person signed in by the council's OpenID provider gets, or why they get none.

Accounts are matched first by the provider's subject (`sub`, stored once linked), then by a
verified e-mail address in an allowed domain. A person with no account gets one at first
sign-in (CIA_OIDC_CREATE_ACCOUNTS, with CIA_OIDC_DEFAULT_ROLES) or is refused with a page
saying to ask an administrator. With CIA_OIDC_GROUPS_CLAIM set, the provider's groups decide
the roles at every sign-in (CIA_OIDC_GROUP_ROLES); a token without the claim changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from cia.data import audit
from cia.data.users import by_email
from cia.extensions import db
from cia.models import APPROVER_LEVELS, ROLES, User

BY_PROVIDER = "council sign-in"


class SignInRefused(Exception):
    """No account for these claims: `reason` for the audit row, `title` and `message` for the person."""

    def __init__(self, reason: str, title: str, message: str):
        super().__init__(reason)
        self.reason, self.title, self.message = reason, title, message


def roles_from_groups(groups: list[str], mapping: Mapping[str, Any]) -> tuple[list[str], str] | None:
    """The roles and approver level the groups give, or None when no group is mapped.

    Each mapped value is a role ("author", "admin"), "approver:<level>", or a list of them;
    several approver levels give the highest.
    """
    roles: set[str] = set()
    levels: set[str] = set()
    for group in groups:
        values = mapping.get(group)
        if values is None:
            continue
        for value in [values] if isinstance(values, str) else list(values):
            role, _, level = str(value).partition(":")
            if role in ROLES:
                roles.add(role)
            if role == "approver" and level in APPROVER_LEVELS:
                levels.add(level)
    if not roles:
        return None
    level = next((lv for lv in reversed(APPROVER_LEVELS) if lv in levels), "")
    if "approver" in roles and not level:
        roles.discard("approver")  # an approver without a level cannot be asked to sign off
    return [r for r in ROLES if r in roles], level if "approver" in roles else ""


def _verified(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in ("true", "1"))


def account_for(claims: Mapping[str, Any], config: Mapping[str, Any], remote_addr: str = "") -> User:
    """The active account for these ID-token claims (linked, created or updated here), or SignInRefused."""
    subject = str(claims.get("sub") or "")[:255]
    email = str(claims.get("email") or "").strip().lower()
    if not subject or "@" not in email or len(email) > 254:
        raise SignInRefused("no_email", "Your council account has no email address",
                            "The council sign-in service did not give this service your email address. "
                            "Ask your IT service desk to check the account.")
    if not _verified(claims.get(config["CIA_OIDC_EMAIL_VERIFIED_CLAIM"])):
        raise SignInRefused("email_not_verified", "Your email address has not been verified",
                            f"The council sign-in service has not confirmed that {email} is yours, so you cannot "
                            "use it to sign in here. Ask your IT service desk to verify it.")
    if email.rsplit("@", 1)[1] not in config["CIA_OIDC_ALLOWED_DOMAINS"]:
        raise SignInRefused("domain_not_allowed", "You cannot sign in with this email address",
                            f"Accounts with addresses ending @{email.rsplit('@', 1)[1]} cannot use this service. "
                            "Sign in with your council account, or ask an administrator for access.")
    user = db.session.execute(select(User).where(User.oidc_subject == subject)).scalar_one_or_none()
    if user is None:
        user = by_email(email)
        if user is not None and user.oidc_subject:
            raise SignInRefused("subject_mismatch", "Your account is linked to someone else",
                                f"The account for {email} is already linked to a different council sign-in. "
                                "Ask an administrator to check it.")
        if user is not None:
            user.oidc_subject = subject
            audit.record("user.linked_to_council_sign_in", actor=user, remote_addr=remote_addr,
                         object_type="user", object_id=user.id, details={"email": email})
    elif user.email != email:
        if by_email(email) is not None:
            raise SignInRefused("email_taken", "Your email address belongs to another account",
                                f"Another account already uses {email}. Ask an administrator to check them.")
        audit.record("user.email_changed", actor=user, remote_addr=remote_addr, object_type="user",
                     object_id=user.id, details={"from": user.email, "to": email, "by": BY_PROVIDER})
        user.email = email
    if user is None:
        user = _create(subject, email, claims, config, remote_addr)
    if not user.active:
        raise SignInRefused("deactivated", "Your account has been deactivated",
                            "You cannot sign in to this service. If you need to, ask an administrator "
                            "to reactivate your account.")
    _apply_groups(user, claims, config, remote_addr)
    db.session.flush()
    return user


def _create(subject: str, email: str, claims: Mapping[str, Any], config: Mapping[str, Any],
            remote_addr: str) -> User:
    if not config["CIA_OIDC_CREATE_ACCOUNTS"]:
        raise SignInRefused("no_account", "You do not have an account for this service",
                            f"There is no account for {email}. Ask an administrator to invite you, "
                            "then sign in with your council account again.")
    roles = [r for r in ROLES if r in config["CIA_OIDC_DEFAULT_ROLES"] and r != "approver"] or ["author"]
    name = str(claims.get("name") or "").strip()[:200] or email.split("@")[0]
    user = User(email=email, name=name, password_hash="", roles=" ".join(roles), approver_level="",
                oidc_subject=subject)
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", actor=user, remote_addr=remote_addr, object_type="user", object_id=user.id,
                 details={"email": email, "roles": user.roles, "by": BY_PROVIDER})
    return user


def _apply_groups(user: User, claims: Mapping[str, Any], config: Mapping[str, Any], remote_addr: str) -> None:
    claim = config.get("CIA_OIDC_GROUPS_CLAIM")
    groups = claims.get(claim) if claim else None
    if not isinstance(groups, list):
        return
    mapped = roles_from_groups([str(g) for g in groups], config.get("CIA_OIDC_GROUP_ROLES") or {})
    roles, level = mapped or ([r for r in ROLES if r in config["CIA_OIDC_DEFAULT_ROLES"] and r != "approver"], "")
    roles_text = " ".join(roles)
    if (roles_text, level) != (user.roles, user.approver_level):
        audit.record("user.roles_changed", actor=user, remote_addr=remote_addr, object_type="user",
                     object_id=user.id, details={"from": user.roles, "to": roles_text, "from_level":
                                                 user.approver_level, "to_level": level, "by": BY_PROVIDER})
        user.roles, user.approver_level = roles_text, level
