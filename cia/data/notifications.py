"""Telling people: in-app notifications and e-mail through an outbox.

`notify()` writes a Notification for each person and an EmailOutbox row for each e-mail, in the
caller's transaction, so nobody hears about a transition that was rolled back. The view queues
`deliver()` to run once the request has committed (cia/web/transaction.py): with CIA_SMTP_HOST set it sends the waiting e-mails through SMTP
(short timeout) and records `sent_at`, or the error; without it they stay in the outbox, which
administrators can read. `deliver()` never raises: an e-mail problem never undoes a sign-off.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import func, select, update

from cia import richtext
from cia.data.templates import installation_organisation
from cia.extensions import db
from cia.models import EmailOutbox, Notification, User, utcnow

log = logging.getLogger(__name__)

MAX_TEXT = 500


@dataclass
class Message:
    """What one event tells people: the in-app line, and the e-mail's subject and paragraph."""

    text: str
    link: str
    subject: str
    body: str = ""


def notify(recipients: Iterable[User], message: Message, assessment_id: int | None = None,
           actor: User | None = None) -> list[EmailOutbox]:
    """A notification and an e-mail for each recipient (not the person who acted), in this transaction."""
    emails = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.id in seen or (actor is not None and user.id == actor.id) or not user.active:
            continue
        seen.add(user.id)
        # One-line texts carry proposal names: cleaned again here, for names stored before bidi controls
        # were removed on the way in (an e-mail subject is shown beside other text in every mail program).
        db.session.add(Notification(user_id=user.id, assessment_id=assessment_id,
                                    text=richtext.clean_line(message.text)[:MAX_TEXT], link=message.link[:500]))
        email = EmailOutbox(to_email=user.email, subject=richtext.clean_line(message.subject)[:300],
                            body=_body(user, message))
        db.session.add(email)
        emails.append(email)
    db.session.flush()
    return emails


def _body(user: User, message: Message) -> str:
    config = current_app.config
    lines = [f"Dear {user.name},", "", message.text]
    if message.body:
        lines += ["", message.body]
    lines += ["", f"Open it in {config['CIA_SERVICE_NAME']}: {_absolute(message.link)}", "",
              f"{config['CIA_SERVICE_NAME']}, {installation_organisation(config['CIA_ORGANISATION_NAME'])}",
              "This is an automatic message: replies are not read."]
    return "\n".join(lines)


def _absolute(link: str) -> str:
    """The link on the configured address (CIA_BASE_URL, checked at start-up), never the request's Host."""
    return current_app.config["CIA_BASE_URL"] + link


# --- sending ------------------------------------------------------------------------


def deliver(emails: Iterable[EmailOutbox | int]) -> int:
    """Send these outbox e-mails now if SMTP is configured (after the caller's commit); never raises.

    Returns how many were sent. Failures are logged and kept on the outbox row.
    """
    ids = [e if isinstance(e, int) else e.id for e in emails]
    host = current_app.config.get("CIA_SMTP_HOST") or ""
    if not ids or not host:
        return 0
    sent = 0
    try:
        rows = db.session.execute(
            select(EmailOutbox).where(EmailOutbox.id.in_(ids), EmailOutbox.sent_at.is_(None))
        ).scalars().all()
        for row in rows:
            try:
                _send(row)
            except (OSError, smtplib.SMTPException) as error:
                log.warning("E-mail %s to %s not sent: %s", row.id, row.to_email, error)
                row.error = f"{type(error).__name__}: {error}"[:2000]
            else:
                row.sent_at, row.error = utcnow(), ""
                sent += 1
        db.session.commit()
    except Exception:  # noqa: BLE001 - an e-mail problem must never undo what was already committed
        log.exception("Could not record the outcome of sending e-mails %s", ids)
        db.session.rollback()
    return sent


def _send(row: EmailOutbox) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config.get("CIA_MAIL_FROM") or f"no-reply@{config['CIA_SMTP_HOST']}"
    message["To"] = row.to_email
    message["Subject"] = row.subject
    message.set_content(row.body)
    timeout = float(config.get("CIA_SMTP_TIMEOUT") or 5)
    with smtplib.SMTP(config["CIA_SMTP_HOST"], int(config.get("CIA_SMTP_PORT") or 25), timeout=timeout) as smtp:
        if config.get("CIA_SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("CIA_SMTP_USERNAME"):
            smtp.login(config["CIA_SMTP_USERNAME"], config.get("CIA_SMTP_PASSWORD") or "")
        smtp.send_message(message)


# --- reading -------------------------------------------------------------------------


def unread_count(user: User) -> int:
    """One COUNT query (the navigation shows it on every page)."""
    return db.session.execute(
        select(func.count()).select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ).scalar_one()


def for_user(user: User, page: int = 1, per_page: int = 25) -> tuple[list[Notification], int]:
    """A page of the user's notifications, newest first, and how many there are in all."""
    total = db.session.execute(
        select(func.count()).select_from(Notification).where(Notification.user_id == user.id)
    ).scalar_one()
    rows = db.session.execute(
        select(Notification).where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(per_page).offset((max(page, 1) - 1) * per_page)
    ).scalars().all()
    return list(rows), total


def opened(user: User, notification_id: int) -> str | None:
    """The link of one of the user's notifications, marked as read now that they follow it; None
    when they have no such notification."""
    found = db.session.get(Notification, notification_id)
    if found is None or found.user_id != user.id:
        return None
    if found.read_at is None:
        found.read_at = utcnow()
    return found.link or ""


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one (or every) unread notification of the user as read; how many changed."""
    query = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    return db.session.execute(query.values(read_at=utcnow()).execution_options(synchronize_session=False)).rowcount


def outbox(page: int = 1, per_page: int = 25) -> tuple[list[EmailOutbox], int]:
    total = db.session.execute(select(func.count()).select_from(EmailOutbox)).scalar_one()
    rows = db.session.execute(
        select(EmailOutbox).order_by(EmailOutbox.created_at.desc(), EmailOutbox.id.desc())
        .limit(per_page).offset((max(page, 1) - 1) * per_page)
    ).scalars().all()
    return list(rows), total
