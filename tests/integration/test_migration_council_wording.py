"""Migration 0006 on a database holding data as the service stored it before: nothing changes for users.

Before 0006 the code supplied one council's wording to every template version, a rule a version
did not list ran as if on, and a team member's role answer was stored as `is_dcl`. The test builds
such a database (migrated to 0005, then written as the old code wrote it), migrates it, and checks
that every answer is still there and the checker says exactly what it said before.
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select

from cia import create_app
from cia.checks import run_checks
from cia.data import assessments as data
from cia.data import templates
from cia.data.imports import import_assessment
from cia.domain import TemplateSpec
from cia.extensions import db
from cia.models import Assessment, RevisionPart, Template, TemplateVersion, User
from tests.factories import load_staffordshire, realistic_assessment
from tests.helpers import empty_postgresql_database

ROOT = Path(__file__).resolve().parents[2]
NEW_VERSION_FIELDS = ("document_title", "team_role", "staff_guidance")
#: The council's lists, template data since: no migration writes them in (docs/decisions/0015).
VOCABULARY_FIELDS = ("reference_prefix", "decision_routes", "project_sizes", "publication_statuses", "evidence_types",
                     "directions", "community_impact")


def _flask_db_upgrade(url: str, target: str = "head") -> None:
    env = {**os.environ, "FLASK_APP": "wsgi.py", "DATABASE_URL": url}
    result = subprocess.run([sys.executable, "-m", "flask", "db", "upgrade", target], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _app(url: str):
    return create_app({"TESTING": True, "CIA_ENV": "testing", "SECRET_KEY": "m" * 40,
                       "SQLALCHEMY_DATABASE_URI": url, "SERVER_NAME": "localhost"})


def _as_stored_before(settings: dict) -> dict:
    """A version's settings as the old code stored them: no council wording, and only some rules listed."""
    old = {k: v for k, v in settings.items() if k not in NEW_VERSION_FIELDS + VOCABULARY_FIELDS}
    old["rule_settings"] = {
        rule_id: {"enabled": rule["enabled"], "severity": rule["severity"]}  # no title, sentence or terms
        for rule_id, rule in settings["rule_settings"].items()
        if rule_id not in ("CIA-R13", "CIA-R14", "CIA-R15", "CIA-R16")  # unlisted: they ran as if on
    }
    return old


def _outcomes(report) -> list[tuple]:
    return [(o.rule.id, o.rule.title, o.rule.template_sentence, o.answer) for o in report.outcomes]


def _findings(report) -> list[tuple]:
    return [(f.rule_id, f.severity, f.message, f.location.key) for f in report.findings]


@contextmanager
def _database(kind: str, tmp_path: Path):
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path}/before.sqlite3"
        return
    with empty_postgresql_database("cia_migrate_wording") as url:
        yield url


#: The tables an assessment's data lives in, parents first.
_TABLES = ("user", "template", "template_version", "template_section", "category_area", "assessment", "revision",
           "revision_part")


def _copy_into_schema_0005(source_url: str, target_url: str) -> None:
    """Copy the rows of `_TABLES` into a database migrated to 0005, with the columns it had then."""
    source, target = create_engine(source_url), create_engine(target_url)
    old, new = MetaData(), MetaData()
    old.reflect(target)
    new.reflect(source)
    current: dict[int, int] = {}
    with source.connect() as read, target.begin() as write:
        for name in _TABLES:
            columns = [c.name for c in old.tables[name].columns]
            rows = [dict(r._mapping) for r in read.execute(select(*(new.tables[name].c[c] for c in columns)))]
            if name == "assessment":  # the assessment <-> revision cycle: point at the revision afterwards
                current = {r["id"]: r["current_revision_id"] for r in rows}
                rows = [{**r, "current_revision_id": None} for r in rows]
            if rows:
                write.execute(old.tables[name].insert(), rows)
        table = old.tables["assessment"]
        for assessment_id, revision_id in current.items():
            write.execute(table.update().where(table.c.id == assessment_id).values(current_revision_id=revision_id))
    source.dispose()
    target.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_stored_versions_and_answers_keep_their_meaning(kind, tmp_path):
    council = load_staffordshire()
    answers = realistic_assessment(council)
    expected = run_checks(answers, council)  # what the checker said before (the same wording, as data)

    # The data as the old code wrote it, made in a scratch database and copied into one at 0005.
    scratch = f"sqlite:///{tmp_path}/scratch.sqlite3"
    _flask_db_upgrade(scratch)
    with _app(scratch).app_context():
        ((version, _created),) = templates.seed_bundled_templates(templates.bundled_template_slugs()[:1])
        version.settings = _as_stored_before(version.settings)
        owner = User(email="lead@example.gov.uk", name="Lead", password_hash="x", roles="author")
        db.session.add(owner)
        db.session.flush()
        assessment_id = import_assessment(answers, owner).id
        for part in db.session.execute(select(RevisionPart)).scalars():
            if part.part == "team":
                part.data = {**part.data, "members": [
                    {("is_dcl" if k == "has_team_role" else k): v for k, v in m.items()} for m in part.data["members"]]}
            elif part.part.startswith("questions:"):  # parts the old code did not have
                db.session.delete(part)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()

    with _database(kind, tmp_path) as url:
        _flask_db_upgrade(url, "0005")
        _copy_into_schema_0005(scratch, url)
        app = _app(url)
        _flask_db_upgrade(url)

        templates._spec_cache.clear()
        with app.app_context():
            version = db.session.execute(select(TemplateVersion).join(Template)).scalar_one()
            spec: TemplateSpec = templates.spec_for_version(version.id)
            assert sorted(spec.rule_settings) == [f"CIA-R{n:02d}" for n in range(1, 17)]
            assert all(s.enabled and s.sentence for s in spec.rule_settings.values())
            assert spec.team_role == council.team_role
            assert (spec.document_title, spec.staff_guidance) == (council.document_title, council.staff_guidance)
            for rule_id in ("CIA-R10", "CIA-R15"):
                assert spec.rule_settings[rule_id].terms == council.rule_settings[rule_id].terms != []
            # Without the lists, the version offers and decides what it did: the installation defaults,
            # which are exactly the lists the council's file now states.
            assert [getattr(spec, f) for f in VOCABULARY_FIELDS] == ["", [], [], [], [], [], []]
            assert spec.decision_route_options == council.decision_routes
            assert spec.publication_options == council.publication_statuses
            assert spec.community_impact_paragraphs == council.community_impact
            assert (spec.evidence_type_options, spec.direction_options) == (council.evidence_types, council.directions)
            assert [spec.approver_level(s) for s in ("small", "medium", "large")] == ["manager", "sponsor", "slt"]
            assert spec.reference_start == council.reference_start == "CIA"

            revision = db.session.get(Assessment, assessment_id).current_revision
            stored = db.session.execute(select(RevisionPart).where(RevisionPart.part == "team")).scalar_one()
            assert all("is_dcl" not in m and "has_team_role" in m for m in stored.data["members"])
            loaded = data.load_assessment(revision)
            assert loaded.team == answers.team
            assert loaded.sections == answers.sections
            after = run_checks(loaded, spec)
            assert _outcomes(after) == _outcomes(expected)
            assert _findings(after) == _findings(expected)
            db.session.remove()
            db.engine.dispose()
