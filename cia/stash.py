"""Keep an officer's typed answers when their session ended before they saved.

A save posted after the session expired (or after signing out in another tab)
fails the CSRF check and is not signed in. Rather than lose a long answer, the
form is kept server-side under a random id held in the browser's new session;
after signing in, the same page shows it again, unsaved, with a message. Only
same-origin posts to authoring pages are kept, so another site cannot plant
text in an officer's form.

Only a person who was signed in is kept for: the browser's session still names
their ended server-side session (it expired, or they signed out in another tab,
which leaves its id behind), and only they get the form back. Each person has at
most CIA_STASH_MAX_PER_PERSON forms kept (one per page, the oldest dropped first),
each at most CIA_STASH_MAX_BYTES; anyone else's post is simply sent to sign in.

The same table keeps, for a signed-in person, what a save could not keep: "Save and come back
later" saves every answer that is valid, and the input that is not (a mistyped date) is kept here
and shown on the page, as typed and with its message, each time they come back until they save it
(`keep_invalid`, `invalid`, `forget`). "Save and continue" with a mistyped answer keeps it too.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Request, current_app, flash, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import and_, delete, or_, select
from werkzeug.datastructures import MultiDict

from cia.extensions import db
from cia.models import FormStash, UserSession, utcnow

KEEP_FOR = timedelta(days=2)
#: Input a save could not keep ("Save and come back later" with a mistyped date) waits this long.
KEEP_INVALID_FOR = timedelta(days=60)
MAX_INVALID_PER_PERSON = 50
MAX_FIELDS = 20_000
SESSION_KEY = "form_stash"
#: Left in the browser's session at sign-out: a form posted from another tab still names its person.
ENDED_SESSION_KEY = "ended_session"


def _same_origin(req: Request) -> bool:
    origin = req.headers.get("Origin") or req.headers.get("Referer") or ""
    return bool(origin) and urlsplit(origin).netloc == req.host


def _person_whose_session_ended() -> int | None:
    """The account whose server-side session the browser's session names, if it is still active."""
    session_id = session.get("_user_id") or session.get(ENDED_SESSION_KEY)
    found = db.session.get(UserSession, session_id) if isinstance(session_id, str) else None
    return found.user_id if found is not None and found.user.active else None


def can_keep(req: Request) -> bool:
    # The size and the person are checked before the body is read.
    return (req.method == "POST" and req.path.startswith("/assessments/") and req.content_length is not None
            and req.content_length <= current_app.config["CIA_STASH_MAX_BYTES"] and _same_origin(req)
            and _person_whose_session_ended() is not None and bool(req.form) and len(req.form) <= MAX_FIELDS)


def keep_and_sign_in():
    """Store the posted form for its person, remember it in the session, and go to the sign-in page."""
    token = _store(_person_whose_session_ended(), request.path, "ended",
                   int(current_app.config["CIA_STASH_MAX_PER_PERSON"]))
    session[SESSION_KEY] = token
    flash("Your session ended before your answers were saved. Sign in again: what you typed has been kept "
          "and will be shown on the page for you to save.", "important")
    return redirect(url_for("auth.sign_in", next=request.path))


def _store(user_id: int | None, path: str, kind: str, most: int, **replace: str) -> str:
    """Keep the posted form (with `replace`d fields) as the person's one form of this kind for this
    page, dropping expired ones and their oldest beyond `most`."""
    token = secrets.token_urlsafe(32)
    fields = {k: v for k, v in request.form.lists() if k not in ("csrf_token", "action")}
    fields.update({k: [v] for k, v in replace.items()})
    now = utcnow()
    db.session.execute(delete(FormStash).where(
        or_(and_(FormStash.kind == "ended", FormStash.created_at < now - KEEP_FOR),
            FormStash.created_at < now - KEEP_INVALID_FOR)))
    db.session.execute(delete(FormStash).where(FormStash.user_id == user_id, FormStash.path == path,
                                               FormStash.kind == kind))
    older = db.session.execute(select(FormStash.id).where(FormStash.user_id == user_id, FormStash.kind == kind)
                               .order_by(FormStash.created_at.desc(), FormStash.id)
                               .offset(max(0, most - 1))).scalars().all()
    if older:
        db.session.execute(delete(FormStash).where(FormStash.id.in_(older)))
    db.session.add(FormStash(id=token, user_id=user_id, path=path, form=fields, kind=kind))
    return token


def keep_invalid(**replace: str) -> bool:
    """Keep the posted form of this page, which a save could not keep whole, for the signed-in person
    until they save the page: it is shown again as typed, with its messages, whenever they come back
    (another day, another session). False if it is too large to keep."""
    length = request.content_length
    if length is None or length > current_app.config["CIA_STASH_MAX_BYTES"] or len(request.form) > MAX_FIELDS:
        return False
    _store(current_user.user.id, request.path, "invalid", MAX_INVALID_PER_PERSON, **replace)
    return True


def invalid(path: str) -> MultiDict | None:
    """The signed-in person's input on this page that was not saved yet, if any (kept until saved)."""
    kept = db.session.execute(select(FormStash).where(
        FormStash.user_id == current_user.user.id, FormStash.path == path, FormStash.kind == "invalid",
        FormStash.created_at >= utcnow() - KEEP_INVALID_FOR)).scalars().first()
    return None if kept is None else _multidict(kept.form)


def forget(path: str) -> None:
    """The page was saved: input kept from an earlier save of it is no longer wanted."""
    db.session.execute(delete(FormStash).where(
        FormStash.user_id == current_user.user.id, FormStash.path == path, FormStash.kind == "invalid"))


def _multidict(form: dict[str, list[str]]) -> MultiDict:
    return MultiDict([(k, v) for k, values in form.items() for v in values])


def take(path: str) -> MultiDict | None:
    """The kept form for this page, once (it is deleted as it is given back)."""
    token = session.get(SESSION_KEY)
    if not token:
        return None
    kept = db.session.get(FormStash, token)
    if kept is None or kept.path != path or kept.user_id != current_user.user.id or kept.kind != "ended":
        return None
    session.pop(SESSION_KEY, None)
    form = _multidict(kept.form)
    db.session.delete(kept)
    return form
