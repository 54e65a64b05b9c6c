"""Connection settings per database engine.

SQLite: WAL (readers never wait for the writer), foreign keys on and a busy
timeout. A transaction that may write starts with BEGIN IMMEDIATE: without it,
two requests that read and then write fail with "database is locked" (SQLite
cannot upgrade a read lock while another writer waits); with it the second
writer waits its turn.

Read-only requests (GET, HEAD) begin deferred transactions instead, so that
readers in different workers never queue behind each other or behind a save.
The few writes such a request makes (a download's audit row, the checker's
counts kept on the revision, an access refusal) must not upgrade that read
transaction in place, which SQLite refuses at once if another worker has written
since. So the first write statement of a deferred transaction ends it (it has
written nothing) and begins an immediate one on the same connection, which
waits its turn like any writer. The ORM does not notice: its pending changes
are flushed into the new transaction and committed at the request's one commit
point. See docs/decisions/0002-data-model.md.
"""

from __future__ import annotations

from flask import Flask, has_request_context, request
from sqlalchemy import event

from cia.extensions import db

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_DEFERRED = "cia_deferred_transaction"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _read_only_request() -> bool:
    return has_request_context() and request.method in READ_ONLY_METHODS


def _is_write(statement: str) -> bool:
    return statement.lstrip().upper().startswith(_WRITES)


def init_app(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):  # noqa: ARG001
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        deferred = _read_only_request()
        connection.info[_DEFERRED] = deferred
        connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")

    @event.listens_for(engine, "before_cursor_execute")
    def _before_write(connection, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        if connection.info.get(_DEFERRED) and _is_write(statement):
            if connection.in_nested_transaction():  # COMMIT would end the SAVEPOINT too
                raise RuntimeError("A page view cannot write inside a SAVEPOINT on SQLite: write before "
                                   "begin_nested(), or make the request a POST")
            connection.info[_DEFERRED] = False
            raw = connection.connection.driver_connection
            raw.execute("COMMIT")  # a read-only transaction: nothing is lost
            raw.execute("BEGIN IMMEDIATE")
