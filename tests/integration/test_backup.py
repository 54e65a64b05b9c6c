"""flask cia dump / load move everything between databases (SQLite <-> PostgreSQL) with nothing lost."""

from __future__ import annotations

import json
import os
import uuid

import psycopg
import pytest
from flask_migrate import upgrade

from cia import backup
from cia.data import assessments as data
from cia.data import audit
from cia.domain import Benefit, Mitigation, Risk
from cia.extensions import db
from cia.models import User
from tests.conftest import database_url, make_app

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def _fresh_database(kind: str, tmp_path):
    if kind == "sqlite":
        return f"sqlite:///{tmp_path}/{uuid.uuid4().hex}.sqlite3", None
    try:
        conn = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL must be reachable in CI")
        return None, None
    name = f"cia_backup_{uuid.uuid4().hex[:10]}"
    conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        from sqlalchemy import create_engine

        create_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}").dispose()
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()

    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", drop


def _fill(app):
    """Users, an assessment with risks and mitigations, a second revision's worth of audit."""
    with app.app_context():
        from tests.helpers import make_users

        accounts = make_users()
        author = db.session.get(User, accounts.author)
        assessment = data.create(author, "Day centre changes — “quotes” and ünïcode")
        revision = assessment.current_revision
        loaded = data.load_part(revision, "section:economy")
        row = loaded.data.rows[0]
        row.impact, row.groups = "yes", "Carers\n\n- older carers\n- young carers"
        row.benefits = [Benefit(text="Longer opening hours")]
        row.risks = [Risk(text="Fewer places", mitigations=[Mitigation(text="Extra transport", owner="Head of Service",
                                                                         target_date="2026-09")])]
        assert data.save_part(revision, "section:economy", loaded.data, loaded.version, author).ok
        audit.record("test.event", actor=author, details={"nested": {"list": [1, 2, 3]}})
        db.session.commit()
        return assessment.id


def _tables(path) -> dict:
    return json.loads(path.read_bytes())["tables"]


def _move(source_app, target_url, tmp_path, name):
    dump_file = tmp_path / f"{name}.json"
    with source_app.app_context():
        backup.dump(dump_file)
    target = make_app(SQLALCHEMY_DATABASE_URI=target_url)
    with target.app_context():
        upgrade()
        backup.load(dump_file)
        again = tmp_path / f"{name}-again.json"
        backup.dump(again)
        db.session.remove()
        db.engine.dispose()
    return target, dump_file, again


def test_dump_and_load_move_everything_to_the_other_database_and_back(app, tmp_path):
    assessment_id = _fill(app)
    other = "postgresql" if database_url().startswith("sqlite") else "sqlite"
    url, drop = _fresh_database(other, tmp_path)
    if url is None:
        pytest.skip("PostgreSQL is not reachable")
    try:
        target, first, second = _move(app, url, tmp_path, "there")
        assert _tables(first) == _tables(second), "something changed on the way to the other database"
        with target.app_context():
            author = db.session.query(User).filter_by(email="author@example.gov.uk").one()
            assessment = data.access_for(author, assessment_id)
            assert assessment is not None
            row = data.load_part(assessment.revision, "section:economy").data.rows[0]
            assert row.risks[0].mitigations[0].owner == "Head of Service"
            assert assessment.revision.proposal_name.endswith("ünïcode")
            # New rows continue after the loaded ids (PostgreSQL sequences were moved on).
            new = data.create(author, "After the move")
            db.session.commit()
            assert new.id > assessment_id
            db.session.rollback()
            db.session.remove()

        back_url, _ = _fresh_database("sqlite", tmp_path)
        source_again = make_app(SQLALCHEMY_DATABASE_URI=url)
        _, third, fourth = _move(source_again, back_url, tmp_path, "back")
        assert _tables(third) == _tables(fourth)
        tables = _tables(fourth)
        for name in ("user", "assessment", "revision", "revision_part", "template_version", "audit_event"):
            assert tables[name]["rows"], f"{name} came back empty"
    finally:
        if drop:
            drop()


def test_load_refuses_a_database_that_holds_data(app, tmp_path):
    _fill(app)
    dump_file = tmp_path / "d.json.gz"
    with app.app_context():
        backup.dump(dump_file)
        with pytest.raises(backup.BackupError, match="already holds data"):
            backup.load(dump_file)


def test_load_refuses_a_file_that_is_not_a_dump(app, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    with app.app_context(), pytest.raises(backup.BackupError, match="is not a cia-dump/1 file"):
        backup.load(bad)
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\x00\x01 not json")
    with app.app_context(), pytest.raises(backup.BackupError, match="cannot be read"):
        backup.load(garbage)


def test_cli_dump_and_load_report_clearly(app, tmp_path):
    _fill(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cia", "dump", str(tmp_path / "all.json")])
    assert result.exit_code == 0 and "Wrote" in result.output
    refused = runner.invoke(args=["cia", "load", str(tmp_path / "all.json")])
    assert refused.exit_code != 0 and "already holds data" in refused.output
