"""Keep an officer's typed answers when their session ended before they saved.

A save posted after the session expired (or after signing out in another tab)
fails the CSRF check and is not signed in. Rather than lose a long answer, the
form is kept server-side under a random id held in the browser's new session;
after signing in, the same page shows it again, unsaved, with a message. Only
same-origin posts to authoring pages are kept, so another site cannot plant
text in an officer's form.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Request, flash, redirect, request, session, url_for
from sqlalchemy import delete
from werkzeug.datastructures import MultiDict

from cia.extensions import db
from cia.models import FormStash, utcnow

KEEP_FOR = timedelta(days=2)
MAX_FIELDS = 20_000
SESSION_KEY = "form_stash"


def _same_origin(req: Request) -> bool:
    origin = req.headers.get("Origin") or req.headers.get("Referer") or ""
    return bool(origin) and urlsplit(origin).netloc == req.host


def can_keep(req: Request) -> bool:
    return (req.method == "POST" and req.path.startswith("/assessments/") and bool(req.form)
            and len(req.form) <= MAX_FIELDS and _same_origin(req))


def keep_and_sign_in():
    """Store the posted form, remember it in the session, and go to the sign-in page."""
    token = secrets.token_urlsafe(32)
    fields = {k: v for k, v in request.form.lists() if k not in ("csrf_token", "action")}
    db.session.execute(delete(FormStash).where(FormStash.created_at < utcnow() - KEEP_FOR))
    db.session.add(FormStash(id=token, path=request.path, form=fields))
    db.session.commit()
    session[SESSION_KEY] = token
    flash("Your session ended before your answers were saved. Sign in again: what you typed has been kept "
          "and will be shown on the page for you to save.")
    return redirect(url_for("auth.sign_in", next=request.path))


def take(path: str) -> MultiDict | None:
    """The kept form for this page, once (it is deleted as it is given back)."""
    token = session.get(SESSION_KEY)
    if not token:
        return None
    kept = db.session.get(FormStash, token)
    if kept is None or kept.path != path:
        return None
    session.pop(SESSION_KEY, None)
    form = MultiDict([(k, v) for k, values in kept.form.items() for v in values])
    db.session.delete(kept)
    return form
