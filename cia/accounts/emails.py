"""The e-mails about accounts: invitations and password resets, through the service's outbox.

They go the way every other e-mail goes (cia/data/notifications.py): written to the outbox in
the caller's transaction, sent after the commit when SMTP is configured. Links are absolute,
built by the same helper as every notification's (CIA_BASE_URL). Once an e-mail has been sent,
its link is taken out of the copy kept in the outbox: only the person's mailbox holds it.
"""

from __future__ import annotations

from flask import current_app, url_for

from cia.data import notifications
from cia.extensions import db
from cia.models import EmailOutbox, User

LINK_REMOVED = "(link removed from this copy once the email was sent)"


def _signature() -> list[str]:
    config = current_app.config
    return ["", f"{config['CIA_SERVICE_NAME']}, {config['CIA_ORGANISATION_NAME']}",
            "This is an automatic message: replies are not read."]


def _write(user: User, subject: str, paragraphs: list[str]) -> EmailOutbox:
    body = "\n\n".join([f"Dear {user.name},", *paragraphs]) + "\n" + "\n".join(_signature())
    email = EmailOutbox(to_email=user.email, subject=subject[:300], body=body)
    db.session.add(email)
    db.session.flush()
    return email


def invitation(user: User, actor: User, token: str | None, hours: int) -> EmailOutbox:
    service = current_app.config["CIA_SERVICE_NAME"]
    opening = f"{actor.name} has given you an account for {service}."
    if token is None:  # password sign-in is off: people sign in with their council account
        link = notifications._absolute(url_for("auth.sign_in"))  # noqa: SLF001 - the one base-URL helper
        return _write(user, f"You have an account for {service}", [
            opening, f"Sign in with your council account: {link}"])
    link = notifications._absolute(url_for("your_account.set_password", token=token))  # noqa: SLF001
    return _write(user, f"Set your password for {service}", [
        opening, f"Choose your password with this link. It works once, for {hours} hours:\n{link}",
        "If you did not expect this email, you can ignore it: nobody can use the account until a password is set."])


def password_reset(user: User, token: str, hours: int) -> EmailOutbox:
    service = current_app.config["CIA_SERVICE_NAME"]
    link = notifications._absolute(url_for("your_account.set_password", token=token))  # noqa: SLF001
    return _write(user, f"Reset your password for {service}", [
        f"An administrator has asked for your password for {service} to be reset.",
        f"Choose a new password with this link. It works once, for {hours} hours:\n{link}",
        "Until you do, your current password keeps working. If you did not expect this email, tell your "
        "administrator."])


def send(email: EmailOutbox) -> bool:
    """Send it now if SMTP is configured (after the caller's commit); then keep no link in the outbox."""
    email_id = email.id
    sent = notifications.deliver([email_id]) == 1
    if sent:
        row = db.session.get(EmailOutbox, email_id)
        row.body = "\n".join(LINK_REMOVED if "://" in line else line for line in row.body.splitlines())
        db.session.commit()
    return sent
