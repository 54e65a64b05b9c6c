"""Password policy: long enough, not a common password, not about the user.

Hashing is Werkzeug's scrypt. The common-password list is short on purpose:
with a 12-character minimum, the passwords that matter are long common ones
and simple patterns, which the checks below catch without a large word list.
"""

from __future__ import annotations

import re
from importlib import resources

from werkzeug.security import check_password_hash, generate_password_hash

_COMMON = frozenset(
    line.strip().lower()
    for line in resources.files("cia").joinpath("common_passwords.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
)
_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


def problems(password: str, *, email: str = "", name: str = "", min_length: int = 12) -> list[str]:
    """What is wrong with a proposed password, in words a user can act on (empty when fine)."""
    found = []
    if len(password) < min_length:
        found.append(f"Password must be {min_length} characters or more")
    lowered = password.lower()
    squashed = re.sub(r"[^a-z0-9]", "", lowered)
    if lowered in _COMMON or squashed in _COMMON or re.sub(r"\d+$", "", lowered) in _COMMON:
        found.append("Password is too common: choose one that other people are unlikely to use")
    elif len(set(lowered)) <= 3 or any(squashed and squashed in seq * 3 for seq in _SEQUENCES):
        found.append("Password must not be a simple pattern such as a repeated character or a keyboard row")
    personal = [p for p in [email.split("@")[0], *name.split()] if len(p) >= 4]
    if any(p.lower() in lowered for p in personal):
        found.append("Password must not contain your name or email address")
    return found
