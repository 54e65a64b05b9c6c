"""Administrators' account pages: find, invite, roles, deactivate, reactivate, reset password, end sessions.

Destructive actions (deactivate, reset a password, end sessions) have a confirmation page
that says what will happen; each ends on the account's page with a confirmation banner.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from cia.accounts import bp, emails
from cia.accounts.forms import ROLE_LABELS, ConfirmForm, InviteForm, RolesForm
from cia.data import accounts
from cia.data.users import AccountError, by_id
from cia.extensions import db
from cia.models import APPROVER_LEVELS, User
from cia.requestinfo import remote_addr
from cia.web import transaction
from cia.web.paging import page_number, pagination, text_arg


def _account_or_404(user_id: int) -> User:
    user = by_id(user_id)
    if user is None:
        abort(404)
    return user


def _me() -> User:
    return current_user.user


@bp.route("/")
def index():
    query = text_arg("q", 200)
    page = page_number()
    rows, total = accounts.search(query, page)
    pages = max(1, -(-total // accounts.PER_PAGE))
    return render_template(
        "accounts/index.html", rows=rows, total=total, query=query, sessions=accounts.session_counts(rows),
        pagination=pagination(min(page, pages), pages, lambda n: url_for("accounts.index", q=query or None, page=n)),
        title="Accounts")


@bp.route("/invite", methods=["GET", "POST"])
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        password_links = current_app.config["CIA_PASSWORD_SIGN_IN"]
        hours = int(current_app.config["CIA_INVITATION_LINK_HOURS"])
        try:
            user, token = accounts.invite(form.email.data, form.name.data, form.roles.data, form.level.data or "",
                                          _me(), remote_addr(), hours if password_links else 0)
        except AccountError as error:
            db.session.rollback()
            form.email.errors.append(str(error))
        else:
            email = emails.invitation(user, _me(), token, hours)
            transaction.after_commit(lambda: emails.send(email))
            flash(f"{user.name} has been invited: an email has gone to {user.email}")
            return redirect(url_for("accounts.account", user_id=user.id))
    return render_template("accounts/invite.html", form=form, title="Invite someone")


@bp.route("/<int:user_id>")
def account(user_id: int):
    user = _account_or_404(user_id)
    return render_template("accounts/account.html", account=user, sessions=accounts.active_sessions(user),
                           role_labels=ROLE_LABELS, levels=APPROVER_LEVELS, reactivate_form=ConfirmForm(),
                           title=user.name)


@bp.route("/<int:user_id>/roles", methods=["GET", "POST"])
def roles(user_id: int):
    user = _account_or_404(user_id)
    form = RolesForm(data={"roles": user.role_list, "level": user.approver_level or None})
    if form.validate_on_submit():
        try:
            changed = accounts.set_roles(user, form.roles.data, form.level.data or "", _me(), remote_addr())
        except AccountError as error:
            db.session.rollback()
            form.roles.errors.append(str(error))
        else:
            flash(f"{user.name}'s roles have been changed" if changed else f"{user.name}'s roles are unchanged")
            return redirect(url_for("accounts.account", user_id=user.id))
    return render_template("accounts/roles.html", form=form, account=user, title=f"Change roles: {user.name}")


#: The confirmation pages: what the button does, and the data-layer action behind it.
CONFIRMED = {
    "deactivate": ("Deactivate account", "deactivate"),
    "reset_password": ("Send a password reset link", "reset"),
    "end_sessions": ("End all sessions", "end"),
}


def _confirm(user: User, action: str, perform):
    form = ConfirmForm()
    problem = ""
    if form.validate_on_submit():
        try:
            message, email = perform()
        except AccountError as error:
            db.session.rollback()
            problem = str(error)
        else:
            if email is not None:
                transaction.after_commit(lambda: emails.send(email))
            flash(message)
            return redirect(url_for("accounts.account", user_id=user.id))
    button = CONFIRMED[action][0]
    return render_template("accounts/confirm.html", form=form, account=user, action=action, button=button,
                           problem=problem, sessions=len(accounts.active_sessions(user)),
                           title=f"{button}: {user.name}"), 400 if problem else 200


@bp.route("/<int:user_id>/deactivate", methods=["GET", "POST"])
def deactivate(user_id: int):
    user = _account_or_404(user_id)
    if not user.active:
        flash(f"{user.name}'s account is already deactivated")
        return redirect(url_for("accounts.account", user_id=user.id))

    def perform():
        ended = accounts.deactivate(user, _me(), remote_addr())
        ended_text = f" and {_sessions(ended)} ended" if ended else ""
        return f"{user.name}'s account has been deactivated{ended_text}", None

    return _confirm(user, "deactivate", perform)


@bp.route("/<int:user_id>/reactivate", methods=["POST"])
def reactivate(user_id: int):
    user = _account_or_404(user_id)
    if ConfirmForm().validate_on_submit() and not user.active:
        accounts.reactivate(user, _me(), remote_addr())
        flash(f"{user.name}'s account has been reactivated")
    return redirect(url_for("accounts.account", user_id=user.id))


@bp.route("/<int:user_id>/reset-password", methods=["GET", "POST"])
def reset_password(user_id: int):
    user = _account_or_404(user_id)
    if not current_app.config["CIA_PASSWORD_SIGN_IN"] or not user.active:
        return render_template("accounts/cannot.html", account=user, title="A password reset cannot be sent",
                               message="Signing in with a password is turned off for this service."
                               if user.active else f"{user.name}'s account is deactivated. Reactivate it first."), 409

    def perform():
        hours = int(current_app.config["CIA_PASSWORD_RESET_LINK_HOURS"])
        token = accounts.issue_link(user, "password_reset", _me(), remote_addr(), hours)
        return f"A password reset link has been sent to {user.email}", emails.password_reset(user, token, hours)

    return _confirm(user, "reset_password", perform)


@bp.route("/<int:user_id>/end-sessions", methods=["GET", "POST"])
def end_sessions(user_id: int):
    user = _account_or_404(user_id)
    if user.id == _me().id:
        return redirect(url_for("your_account.account"))

    def perform():
        ended = accounts.end_sessions(user, _me(), remote_addr())
        return (f"{_sessions(ended)} of {user.name} ended" if ended else f"{user.name} had no sessions to end"), None

    return _confirm(user, "end_sessions", perform)


def _sessions(count: int) -> str:
    return f"{count} session{'s' if count != 1 else ''}"
