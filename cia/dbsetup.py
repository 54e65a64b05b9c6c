"""Connection settings per database engine.

SQLite: WAL (readers never wait for the writer), foreign keys on, a busy
timeout, and every transaction started with BEGIN IMMEDIATE. Without the last,
two requests that read and then write fail with "database is locked" (SQLite
cannot upgrade a read lock while another writer waits); with it the second
writer waits its turn. See docs/decisions/0002-data-model.md.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from cia.extensions import db


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
        connection.exec_driver_sql("BEGIN IMMEDIATE")
