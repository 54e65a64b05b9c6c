"""Dump every table to one JSON file and load it into an empty database (SQLite <-> PostgreSQL).

This is the backup and migration path (README "Backups and moving databases"):
every assessment, revision, part, template, account, session and audit row moves
with its ids, so links, audit references and exports stay valid. The loader
refuses a database that already holds data, checks the schema revision matches,
and loads in one transaction: it either all arrives or nothing does.
"""

from __future__ import annotations

import gzip
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, func, select, text, update
from sqlalchemy.engine import Connection

from cia.extensions import db

FORMAT = "cia-dump/1"


class BackupError(Exception):
    pass


def _schema_revision(conn: Connection) -> str:
    try:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar() or ""
    except Exception:  # noqa: BLE001 - no migrations table means no schema
        return ""


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def dump(path: str | Path) -> dict[str, int]:
    """Write every table's rows to `path` (gzip when it ends in .gz). Returns rows per table."""
    counts: dict[str, int] = {}
    tables: dict[str, Any] = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            columns = [c.name for c in table.columns]
            rows = [[_plain(row[c]) for c in columns] for row in conn.execute(
                select(table).order_by(*table.primary_key.columns)).mappings()]
            tables[table.name] = {"columns": columns, "rows": rows}
            counts[table.name] = len(rows)
        document = {"format": FORMAT, "schema_revision": _schema_revision(conn), "tables": tables}
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    path = Path(path)
    path.write_bytes(gzip.compress(payload) if path.suffix == ".gz" else payload)
    return counts


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        document = json.loads(raw)
    except (OSError, ValueError) as error:
        raise BackupError(f"{path} cannot be read as a dump: {error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"{path} is not a {FORMAT} file")
    return document


def _value(column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, DateTime) and isinstance(value, str):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date) and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def load(path: str | Path) -> dict[str, int]:
    """Load a dump into this (migrated, empty) database, in one transaction."""
    document = _read(Path(path))
    counts: dict[str, int] = {}
    with db.engine.begin() as conn:
        here = _schema_revision(conn)
        if document.get("schema_revision") != here:
            raise BackupError(
                f"The dump was made at schema revision {document.get('schema_revision') or 'unknown'} but this "
                f"database is at {here or 'no revision'}. Run `flask db upgrade` to the same revision first."
            )
        for table in db.metadata.sorted_tables:
            if conn.execute(select(func.count()).select_from(table)).scalar():
                raise BackupError(f"This database already holds data (table {table.name}). Load into an empty one.")
        deferred: list[tuple[Any, dict]] = []
        for table in db.metadata.sorted_tables:
            stored = document["tables"].get(table.name)
            if not stored:
                counts[table.name] = 0
                continue
            columns = [table.columns[c] for c in stored["columns"] if c in table.columns]
            rows = []
            for raw in stored["rows"]:
                row = {c.name: _value(c, v) for c, v in zip(columns, raw, strict=False)}
                # Cycles (assessment -> its current revision) are filled in once both exist.
                for fk in table.foreign_key_constraints:
                    if fk.use_alter:
                        for col in fk.columns:
                            if row.get(col.name) is not None:
                                deferred.append((table, {"pk": {k.name: row[k.name] for k in table.primary_key},
                                                         "values": {col.name: row[col.name]}}))
                                row[col.name] = None
                rows.append(row)
            for start in range(0, len(rows), 1000):
                conn.execute(table.insert(), rows[start:start + 1000])
            counts[table.name] = len(rows)
        for table, change in deferred:
            where = [table.columns[k] == v for k, v in change["pk"].items()]
            conn.execute(update(table).where(*where).values(**change["values"]))
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn)
    return counts


def _reset_sequences(conn: Connection) -> None:
    """After inserting explicit ids, PostgreSQL's sequences must continue after the largest."""
    for table in db.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or pk[0].type.python_type is not int:
            continue
        column = pk[0]
        largest = select(func.max(column)).scalar_subquery()
        conn.execute(select(func.setval(
            func.pg_get_serial_sequence(table.name, column.name),
            func.coalesce(largest, 1),
            largest.is_not(None),
        )))
