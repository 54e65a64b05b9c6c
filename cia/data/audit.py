"""The audit trail: one append-only row per sign-in, change, transition, export and refusal."""

from __future__ import annotations

from typing import Any

from cia.extensions import db
from cia.models import AuditEvent, User


def record(
    action: str,
    *,
    actor: User | None = None,
    actor_email: str = "",
    remote_addr: str = "",
    object_type: str = "",
    object_id: str | int = "",
    assessment_id: int | None = None,
    revision: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor else None,
        actor_email=actor.email if actor else actor_email,
        remote_addr=remote_addr or "",
        object_type=object_type,
        object_id=str(object_id),
        assessment_id=assessment_id,
        revision=revision,
        details=details or {},
    )
    db.session.add(event)
    return event
