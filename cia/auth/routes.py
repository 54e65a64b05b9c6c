"""Sign in (password, or the council's OpenID provider: cia/auth/oidc.py) and sign out.

Both ways of signing in start the same revocable server-side session; sign-out revokes it,
so a copied cookie stops working.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from cia import stash
from cia.auth import oidc
from cia.auth.forms import SignInForm
from cia.data import audit, users
from cia.models import utcnow
from cia.requestinfo import remote_addr

bp = Blueprint("auth", __name__)


_NEXT_MAX = 2000


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a path in this service, or the home page.

    Control, format and space characters (a Location header cannot carry them: "/%0ax" once gave
    a 500 after the sign-in had succeeded), backslashes (browsers read "\\" as "/"), "//host" and
    anything with a scheme all go home.
    """
    if (not target or len(target) > _NEXT_MAX or not target.startswith("/") or target.startswith("//")
            or "\\" in target or any(unicodedata.category(ch)[0] in "CZ" for ch in target)):
        return url_for("main.home")
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else url_for("main.home")


def _page(form: SignInForm, status: int = 200):
    return render_template("auth/sign_in.html", form=form, oidc_enabled=oidc.enabled(),
                           password_sign_in=current_app.config["CIA_PASSWORD_SIGN_IN"]), status


def finish_sign_in(user, method: str, next_url: str | None):
    """Start the server-side session for `user` (signed in by `method`), keeping any stashed answers."""
    kept = session.get(stash.SESSION_KEY)  # answers typed before the last session ended
    session.clear()
    if kept:
        session[stash.SESSION_KEY] = kept
    user_session = users.start_session(user, remote_addr())
    audit.record("auth.signed_in", actor=user, remote_addr=remote_addr(), details={"method": method})
    login_user(user_session)
    session.permanent = True
    return redirect(_safe_next(next_url))


@bp.route("/sign-in/oidc")
def oidc_start():
    return oidc.start(_safe_next)


@bp.route("/sign-in/oidc/callback")
def oidc_callback():
    return oidc.callback(finish_sign_in)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    throttle = current_app.extensions["cia_throttle"]
    if request.method == "POST" and not current_app.config["CIA_PASSWORD_SIGN_IN"]:
        audit.record("auth.sign_in_failed", actor_email=str(form.email.data or "")[:254], remote_addr=remote_addr(),
                     details={"method": "password", "reason": "password_sign_in_off"})
        return _page(form, 403)
    if form.validate_on_submit():
        email, address = form.email.data.strip().lower(), remote_addr()
        wait = throttle.locked_for(email, address, known_address=users.signed_in_from(email, address))
        if wait:
            minutes = max(1, (wait + 59) // 60)
            form.email.errors.append(
                f"Too many failed attempts to sign in. Wait {minutes} minute{'s' if minutes > 1 else ''} and try again"
            )
            audit.record("auth.sign_in_locked", actor_email=email, remote_addr=address)
            return _page(form, 429)
        user = users.authenticate(email, form.password.data,
                                  allow_demo=current_app.config["CIA_ENV"] != "production")
        if user is None:
            throttle.failure(email, address)
            audit.record("auth.sign_in_failed", actor_email=email, remote_addr=address)
            form.email.errors.append("Enter a correct email address and password")
            return _page(form)
        throttle.success(email, address)
        return finish_sign_in(user, "password", request.args.get("next"))
    return _page(form)


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    ended = ""
    if current_user.is_authenticated:
        ended = current_user.get_id()
        users.revoke_session(ended)
        audit.record("auth.signed_out", actor=current_user.user, remote_addr=remote_addr())
    logout_user()
    session.clear()
    if ended:  # a form then posted from another tab is kept for this person (cia/stash.py)
        session[stash.ENDED_SESSION_KEY] = ended
    flash("You have signed out")
    response = redirect(url_for("auth.sign_in"))
    # Pages kept by the browser (back button, cache) and anything stored for this site go too.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


# --- the idle-timeout warning (static/js/session-timeout.mjs) ------------------------------------


@bp.route("/session")
def session_status():
    """How long the signed-in session has left (asking does not extend it), for the warning."""
    if not current_user.is_authenticated:
        return jsonify(signed_in=False, seconds_left=0)
    limits = users.SessionLimits.from_config(current_app.config)
    ends_at = users.session_ends_at(current_user._get_current_object(), limits)
    idle_ends_at = current_user.last_seen_at + limits.idle
    return jsonify(signed_in=True, seconds_left=max(0, int((ends_at - utcnow()).total_seconds())),
                   warning_seconds=int(current_app.config["CIA_SESSION_WARNING_SECONDS"]),
                   can_extend=idle_ends_at <= ends_at)


@bp.route("/session/stay-signed-in", methods=["POST"])
@login_required
def stay_signed_in():
    """"Stay signed in": the request itself is the activity that restarts the idle timeout."""
    users.touch_session(current_user.get_id())
    if request.accept_mimetypes.best == "application/json":
        return jsonify(signed_in=True)
    return redirect(_safe_next(request.form.get("next")))
