"""Each part's recent versions, as saves stored them.

A page carries the version it was loaded at; when somebody else saved the part since, the save is
merged from that version (cia/merge.py), so the stored data at that version is needed. A save keeps
the version it replaced (if not kept yet: the part may have been made by a new revision or an
import) and the version it makes; at least the latest `KEEP_VERSIONS` of a part are kept: a page
left open across more saves than that is merged without a base, every difference put to the person.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from cia.data import parts
from cia.extensions import db
from cia.models import RevisionPart, RevisionPartVersion, utcnow

KEEP_VERSIONS = 20


def record(row: RevisionPart, old_version: int, old: dict[str, Any], new_version: int, new: dict[str, Any]) -> None:
    """Keep `old` (if not kept yet) and `new` as the part's versions, in one statement; every tenth
    version, drop those beyond the limit (so at most 2 x KEEP_VERSIONS are ever kept)."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    now = utcnow()
    db.session.execute(insert(RevisionPartVersion).values([
        {"part_id": row.id, "version": old_version, "data": old, "saved_at": now},
        {"part_id": row.id, "version": new_version, "data": new, "saved_at": now},
    ]).on_conflict_do_nothing(index_elements=["part_id", "version"]))
    if new_version % KEEP_VERSIONS == 0:
        db.session.execute(delete(RevisionPartVersion).where(
            RevisionPartVersion.part_id == row.id, RevisionPartVersion.version <= new_version - KEEP_VERSIONS))


def at_version(revision_id: int, name: str, version: int) -> dict[str, Any] | None:
    """The part as it was at `version` (version 0: not saved yet, the empty part), or None if not kept."""
    if version == 0:
        return parts.part_class(name)().to_dict()
    return db.session.execute(
        select(RevisionPartVersion.data).join(RevisionPart, RevisionPart.id == RevisionPartVersion.part_id)
        .where(RevisionPart.revision_id == revision_id, RevisionPart.part == name,
               RevisionPartVersion.version == version)
    ).scalar_one_or_none()
