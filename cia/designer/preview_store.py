"""The answers an administrator gives in a template version's preview, kept for that preview only.

Why here and not in an assessment: a preview is not an assessment. Its answers go in the
`form_stash` table, the app's store for answers typed but not saved to any assessment, as one row
of kind "preview" per administrator and version (keyed by the preview's path), never in the
tables of real assessments and never audited as an assessment. The browser's cookie could not
hold them (a long answer passes its 4 KB), and Redis is not always configured, while every worker
sees the database. docs/decisions/0031-preview-answers.md says more.

Each part (for example "questions:screening") is stored as the plain dict its `Plain` class reads
(`cia.data.parts.part_class`); the preview's assessment is assembled from them as a real one is.
"""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from typing import Any

from flask import current_app, url_for
from flask_login import current_user
from sqlalchemy import delete, select

from cia.data import parts
from cia.domain import Assessment, TemplateSpec
from cia.extensions import db
from cia.models import FormStash, utcnow

KIND = "preview"
#: A preview's answers are dropped this long after they were last changed.
KEEP_FOR = timedelta(days=7)


class TooBig(Exception):
    """The preview's answers would pass CIA_STASH_MAX_BYTES."""


def _key(version_id: int) -> str:
    return url_for("designer.preview", version_id=version_id)


def _row(version_id: int) -> FormStash | None:
    return db.session.execute(select(FormStash).where(
        FormStash.user_id == current_user.user.id, FormStash.path == _key(version_id), FormStash.kind == KIND,
    )).scalars().first()


def answers(version_id: int) -> dict[str, dict[str, Any]]:
    """The signed-in administrator's answers in this version's preview, by part."""
    row = _row(version_id)
    return dict(row.form) if row is not None and isinstance(row.form, dict) else {}


def keep(version_id: int, part: str, data: dict[str, Any]) -> None:
    """Keep `data` as the preview's answers on `part` (replacing what was kept for it)."""
    kept = {**answers(version_id), part: data}
    if len(json.dumps(kept)) > int(current_app.config["CIA_STASH_MAX_BYTES"]):
        raise TooBig
    db.session.execute(delete(FormStash).where(FormStash.kind == KIND, FormStash.created_at < utcnow() - KEEP_FOR))
    row = _row(version_id)
    if row is None:
        db.session.add(FormStash(id=secrets.token_urlsafe(32), user_id=current_user.user.id, path=_key(version_id),
                                 form=kept, kind=KIND, created_at=utcnow()))
    else:
        row.form, row.created_at = kept, utcnow()


def forget(version_id: int) -> None:
    """Start the preview again: no answers."""
    db.session.execute(delete(FormStash).where(
        FormStash.user_id == current_user.user.id, FormStash.path == _key(version_id), FormStash.kind == KIND))


def loaded(spec: TemplateSpec, kept: dict[str, dict[str, Any]], part: str):
    """The part as kept (its Plain object), else blank as a new assessment has it."""
    if part in kept:
        return parts.part_class(part).from_dict(kept[part])
    return parts.blank_parts(spec)[part]


def assessment(spec: TemplateSpec, kept: dict[str, dict[str, Any]]) -> Assessment:
    """The preview's assessment, assembled from its answers as a real one is from its parts."""
    return parts.assemble(spec, kept, reference="PREVIEW", revision=1, status="draft", template_name=spec.name,
                          template_version=spec.version)
