"""Sign in (password, or the council's OpenID provider: cia/auth/oidc.py) and sign out.

Both ways of signing in start the same revocable server-side session; sign-out revokes it,
so a copied cookie stops working.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from cia import stash
from cia.auth import oidc
from cia.auth.forms import SignInForm
from cia.data import audit, users
from cia.extensions import db
from cia.requestinfo import remote_addr

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.home")


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
    db.session.commit()
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
        db.session.commit()
        return _page(form, 403)
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        wait = throttle.locked_for(email, remote_addr())
        if wait:
            minutes = max(1, (wait + 59) // 60)
            form.email.errors.append(
                f"Too many failed attempts to sign in. Wait {minutes} minute{'s' if minutes > 1 else ''} and try again"
            )
            audit.record("auth.sign_in_locked", actor_email=email, remote_addr=remote_addr())
            db.session.commit()
            return _page(form, 429)
        user = users.authenticate(email, form.password.data)
        if user is None:
            throttle.failure(email, remote_addr())
            audit.record("auth.sign_in_failed", actor_email=email, remote_addr=remote_addr())
            db.session.commit()
            form.email.errors.append("Enter a correct email address and password")
            return _page(form)
        throttle.success(email)
        return finish_sign_in(user, "password", request.args.get("next"))
    return _page(form)


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    if current_user.is_authenticated:
        users.revoke_session(current_user.get_id())
        audit.record("auth.signed_out", actor=current_user.user, remote_addr=remote_addr())
        db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out")
    return redirect(url_for("auth.sign_in"))
