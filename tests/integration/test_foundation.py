"""Foundation: config layers, migrations, the seeded template, health check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, func, inspect, select, text

from cia import ROOT, create_app
from cia.data import templates
from cia.extensions import db
from cia.models import CategoryAreaRow, TemplateSection, TemplateVersion

SHARED = Path(ROOT).parent / "shared" / "reference" / "cia-template-staffordshire.yaml"


# --- configuration -----------------------------------------------------------


def _app_in(instance: Path, env: dict[str, str], monkeypatch, **overrides):
    monkeypatch.setenv("CIA_INSTANCE_PATH", str(instance))
    for key in ("SECRET_KEY", "DATABASE_URL", "CIA_ORGANISATION_NAME", "CIA_ENV", "CIA_BASE_URL"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/x.sqlite3", **overrides})


def test_config_layers_defaults_then_instance_then_environment(tmp_path, monkeypatch):
    app = _app_in(tmp_path, {}, monkeypatch)
    assert app.config["CIA_ORGANISATION_NAME"] == ""  # the first template's organisation is shown
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None

    (tmp_path / "config.py").write_text(
        'CIA_ORGANISATION_NAME = "Instance Council"\nCIA_SERVICE_NAME = "Impact checks"\n'
    )
    app = _app_in(tmp_path, {}, monkeypatch)
    assert app.config["CIA_ORGANISATION_NAME"] == "Instance Council"
    assert app.config["CIA_SERVICE_NAME"] == "Impact checks"

    app = _app_in(tmp_path, {"CIA_ORGANISATION_NAME": "Env Council", "CIA_LOGIN_WINDOW_SECONDS": "60"}, monkeypatch)
    assert app.config["CIA_ORGANISATION_NAME"] == "Env Council"
    assert app.config["CIA_SERVICE_NAME"] == "Impact checks"
    assert app.config["CIA_LOGIN_WINDOW_SECONDS"] == 60


def test_the_council_name_is_configuration_shown_in_the_header(tmp_path, monkeypatch):
    app = _app_in(tmp_path, {"CIA_ORGANISATION_NAME": "Borsetshire Council"}, monkeypatch)
    html = app.test_client().get("/sign-in").get_data(as_text=True)
    assert "Borsetshire Council" in html
    assert "GOV.UK" not in html and "govuk-logo" not in html


def test_database_url_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CIA_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgres://someone@db.example/cia")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@db.example/cia"


def test_secret_key_generated_once_into_instance(tmp_path, monkeypatch):
    first = _app_in(tmp_path, {}, monkeypatch).config["SECRET_KEY"]
    second = _app_in(tmp_path, {}, monkeypatch).config["SECRET_KEY"]
    assert first == second and len(first) >= 40
    assert (tmp_path / "secret_key").read_text().strip() == first


def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, monkeypatch):
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        _app_in(tmp_path, {"CIA_ENV": "production"}, monkeypatch)
    with pytest.raises(RuntimeError, match="too short"):
        _app_in(tmp_path, {"CIA_ENV": "production", "SECRET_KEY": "short"}, monkeypatch)
    app = _app_in(tmp_path, {"CIA_ENV": "production", "SECRET_KEY": "k" * 40,
                             "CIA_BASE_URL": "https://cia.council.example"}, monkeypatch)
    assert app.config["SESSION_COOKIE_SECURE"] is True


# --- migrations --------------------------------------------------------------


def _upgrade(url: str) -> set[str]:
    env = {**os.environ, "FLASK_APP": "wsgi.py", "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return set(inspect(create_engine(url)).get_table_names())


EXPECTED_TABLES = {"user", "user_session", "template", "template_version", "template_section",
                   "category_area", "assessment", "revision", "revision_part", "audit_event"}


def test_migrations_upgrade_an_empty_sqlite_database(tmp_path):
    tables = _upgrade(f"sqlite:///{tmp_path}/empty.sqlite3")
    assert EXPECTED_TABLES <= tables


def test_migrations_upgrade_an_empty_postgresql_database():
    from tests.helpers import empty_postgresql_database

    with empty_postgresql_database("cia_migrate") as url:
        assert EXPECTED_TABLES <= _upgrade(url)


def test_the_migrations_build_exactly_what_the_models_describe(ctx):
    """A model change without its migration (a column, an index) would pass every other test on a
    database built from the migrations and then be missing in production."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from cia.extensions import db

    # PostgreSQL's trigram indexes for the dashboard search live in migration 0005 only.
    def include(obj, name, type_, reflected, compare_to):  # noqa: ARG001
        return not (type_ == "index" and reflected and name.endswith("_trgm"))

    context = MigrationContext.configure(db.session.connection(), opts={"include_object": include})
    differences = compare_metadata(context, db.metadata)
    assert differences == []


# --- the seeded template -----------------------------------------------------


def test_seeded_template_matches_the_councils_template_verbatim(ctx):
    source = yaml.safe_load(SHARED.read_text())
    version = templates.newest_published_version()
    assert version.number == 1 and version.status == "published"
    spec = templates.spec_for_version(version.id)

    assert spec.name == source["meta"]["title"]
    assert spec.organisation == source["meta"]["organisation"]
    assert [s.title for s in spec.sections] == [s["title"] for s in source["sections"]]
    assert len(spec.sections) == 5
    assert sum(len(s.category_areas) for s in spec.sections) == 34
    for mine, theirs in zip(spec.sections, source["sections"], strict=True):
        assert mine.intro == theirs["intro"]
        assert mine.row_label_header == theirs["row_label_column_header"]
        assert mine.evidence_base_label == theirs["evidence_base"]["label"]
        assert mine.allow_custom_rows == theirs["rows_are_suggestions_only"]
        prompts = (theirs.get("please_consider") or {}).get("prompts", [])
        assert mine.prompts == prompts
        for area, row in zip(mine.category_areas, theirs["rows"], strict=True):
            assert area.key == row["id"]
            assert area.title == row["title"]
            assert area.question == (row.get("question") or "")
            assert area.guidance == (row.get("guidance") or "")
    psed = spec.section("psed")
    assert len(psed.prompts) == 7
    columns = source["completing_the_cia_template"]["columns"]
    assert [(c.label, c.guidance) for c in spec.columns] == [(c["label"], c["guidance"]) for c in columns]
    notes = source["completing_the_cia_template"]["please_note"]["bullets"]
    assert [b.text for b in spec.please_note] == [b["text"] for b in notes]
    assert [h.label for h in spec.header_fields] == [h["label"] for h in source["header_fields"]]


def test_seeding_twice_changes_nothing(ctx):
    def counts():
        return tuple(
            db.session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (TemplateVersion, TemplateSection, CategoryAreaRow)
        )

    before = counts()
    ((version, created),) = templates.seed_bundled_templates(templates.bundled_template_slugs()[:1])
    db.session.commit()
    assert not created
    assert counts() == before == (1, 5, 34)


def test_seed_command_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["cia", "seed"])
    assert first.exit_code == 0 and "already loaded" in first.output


def test_template_page_shows_every_section_prompt_and_question(client, users):
    from tests.helpers import sign_in

    source = yaml.safe_load(SHARED.read_text())
    sign_in(client, "author@example.gov.uk")
    html = client.get("/template").get_data(as_text=True)
    import html as htmllib

    page = htmllib.unescape(html)
    for section in source["sections"]:
        assert section["title"] in page
        assert section["intro"] in page
        for row in section["rows"]:
            assert row["title"] in page
            if row.get("question"):
                assert row["question"] in page
    for prompt in source["sections"][0]["please_consider"]["prompts"]:
        assert prompt in page
    for column in source["completing_the_cia_template"]["columns"]:
        assert column["guidance"] in page
    for note in source["completing_the_cia_template"]["please_note"]["bullets"]:
        assert note["text"] in page


# --- health ------------------------------------------------------------------


def test_healthz_answers_200_with_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_without_the_database(tmp_path, monkeypatch):
    monkeypatch.setenv("CIA_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
                      "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 1}}})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_sqlite_runs_in_wal_mode_with_foreign_keys(ctx):
    if not db.engine.url.drivername.startswith("sqlite"):
        pytest.skip("SQLite only")
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
