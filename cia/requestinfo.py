"""Who is asking, for audit rows: the signed-in user and the remote address."""

from __future__ import annotations

from flask import request
from flask_login import current_user


def remote_addr() -> str:
    return (request.remote_addr or "")[:64]


def user():
    """The signed-in User, or None."""
    return current_user.user if current_user.is_authenticated else None
