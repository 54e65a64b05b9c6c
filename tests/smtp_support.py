"""A real SMTP server on loopback for the e-mail tests (aiosmtpd), collecting what it receives."""

from __future__ import annotations

import socket
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self):
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def bodies_to(self, address: str) -> list[str]:
        return [m.get_content() for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_server():
    """(inbox, settings for the service) while an SMTP server listens on 127.0.0.1."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield inbox, {"CIA_SMTP_HOST": "127.0.0.1", "CIA_SMTP_PORT": controller.port,
                      "CIA_MAIL_FROM": "cia@example.gov.uk", "CIA_BASE_URL": "https://cia.example.gov.uk"}
    finally:
        controller.stop()
