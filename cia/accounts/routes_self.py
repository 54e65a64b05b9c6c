"""Your account: your details, changing your password, your sessions; and the links to set a password."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, logout_user

from cia.accounts import your_account
from cia.accounts.forms import ROLE_LABELS, ChangePasswordForm, ConfirmForm, SetPasswordForm
from cia.data import accounts, audit
from cia.data.users import AccountError
from cia.extensions import db
from cia.models import APPROVER_LEVELS
from cia.requestinfo import remote_addr


@your_account.route("/account")
@login_required
def account():
    me = current_user.user
    return render_template("accounts/your_account.html", account=me, sessions=accounts.active_sessions(me),
                           current_session=current_user.get_id(), role_labels=ROLE_LABELS, levels=APPROVER_LEVELS,
                           has_password=accounts.has_password(me), form=ConfirmForm(), title="Your account")


@your_account.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    me = current_user.user
    if not current_app.config["CIA_PASSWORD_SIGN_IN"] or not accounts.has_password(me):
        return render_template("accounts/cannot.html", account=me, title="You do not have a password to change",
                               message="You sign in with your council account. Change its password the way "
                               "your council tells you to."), 409
    form = ChangePasswordForm(me)
    throttle = current_app.extensions["cia_throttle"]
    if form.validate_on_submit():
        wait = throttle.locked_for(me.email, remote_addr())
        if wait:  # the same lock-out as signing in: a borrowed session cannot guess the password
            minutes = max(1, (wait + 59) // 60)
            form.current.errors.append(f"Too many wrong passwords. Wait {minutes} minute{'s' if minutes > 1 else ''} "
                                       "and try again")
            return render_template("accounts/change_password.html", form=form, title="Change your password"), 429
        try:
            ended = accounts.change_password(me, form.current.data, form.password.data, current_user.get_id(),
                                             remote_addr())
        except AccountError as error:
            db.session.rollback()
            throttle.failure(me.email, remote_addr())
            audit.record("user.password_change_failed", actor=me, remote_addr=remote_addr(), object_type="user",
                         object_id=me.id)
            form.current.errors.append(str(error))
        else:
            throttle.success(me.email, remote_addr())
            others = f" and your {ended} other session{'s' if ended != 1 else ''} ended" if ended else ""
            flash(f"Your password has been changed{others}")
            return redirect(url_for("your_account.account"))
    return render_template("accounts/change_password.html", form=form, title="Change your password")


@your_account.route("/account/sessions/<session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: str):
    me = current_user.user
    if not ConfirmForm().validate_on_submit() or len(session_id) > 64:
        abort(400)
    if not accounts.end_one_session(me, session_id, remote_addr()):
        abort(404)
    flash("That session has ended")
    return redirect(url_for("your_account.account"))


@your_account.route("/account/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    me = current_user.user
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ended = accounts.end_sessions(me, me, remote_addr(), keep=current_user.get_id())
    flash(f"{ended} other session{'s' if ended != 1 else ''} ended" if ended else "You had no other sessions")
    return redirect(url_for("your_account.account"))


@your_account.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    link = accounts.link_for(token)
    if link is None:
        return render_template("accounts/link_not_valid.html", title="This link does not work"), 404
    form = SetPasswordForm(link.user)
    if form.validate_on_submit():
        accounts.use_link(link, form.password.data, remote_addr())
        if current_user.is_authenticated:
            logout_user()
        session.clear()
        flash("Your password has been set. Sign in with your email address and new password")
        return redirect(url_for("auth.sign_in"))
    return render_template("accounts/set_password.html", form=form, account=link.user, purpose=link.purpose,
                           title="Choose your password" if link.purpose == "invitation" else "Choose a new password")
