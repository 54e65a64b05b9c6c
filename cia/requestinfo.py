"""Who is asking, for audit rows: the signed-in user and the remote address."""

from __future__ import annotations

from flask import request


def remote_addr() -> str:
    return (request.remote_addr or "")[:64]

