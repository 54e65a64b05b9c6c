"""`flask cia export-json`, `import-json` and `check`: the JSON form of an assessment on the command line."""

from __future__ import annotations

import json

import jsonschema
import pytest
from sqlalchemy import func, select, update

from cia import jsonformat
from cia.data import assessments, imports
from cia.domain import Risk, SectionAnswers
from cia.extensions import db
from cia.models import Assessment, AuditEvent, Revision, RevisionPart, User
from tests import factories, helpers

#: The fields an import changes (docs/assessment-format.md, "Importing").
IMPORT_CHANGES = ("reference", "revision", "status")


# --- helpers ---------------------------------------------------------------------


def cia(app, *args: str):
    return app.test_cli_runner().invoke(args=["cia", *map(str, args)])


def realistic():
    return factories.realistic_assessment(factories.load_staffordshire())


def write(tmp_path, data, name="assessment.json"):
    path = tmp_path / name
    path.write_text(jsonformat.dumps(data), encoding="utf-8")
    return path


def export(app, assessment_id, *options) -> dict:
    """Export through the CLI; every export is checked against the JSON Schema."""
    result = cia(app, "export-json", assessment_id, *options)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    jsonschema.Draft202012Validator(jsonformat.schema()).validate(document)
    return document


def imported(app, data=None, owner_email="author@example.gov.uk") -> int:
    with app.app_context():
        owner = db.session.execute(select(User).where(User.email == owner_email)).scalar_one()
        assessment = imports.import_assessment(data or realistic(), owner)
        db.session.commit()
        return assessment.id


def count_assessments(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Assessment)).scalar_one()


def audit_rows(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars())


def without(document: dict, fields=IMPORT_CHANGES) -> dict:
    return {k: v for k, v in document["assessment"].items() if k not in fields}


def with_errors():
    """The realistic assessment with two errors: an unanswered row and a risk without mitigation."""
    data = realistic()
    rows = data.sections[0].rows
    rows[0].impact = ""
    first_yes = next(r for r in rows if r.impact == "yes")
    first_yes.risks.append(Risk(id="norisk0001", text="Fewer staff on the phones at busy times.", mitigations=[]))
    return data


@pytest.fixture(autouse=True)
def _unlink_current_revisions(app):
    """helpers.empty_database deletes revisions before assessments, which still point at them."""
    yield
    with app.app_context():
        db.session.rollback()
        db.session.execute(update(Assessment).values(current_revision_id=None))
        db.session.commit()


@pytest.fixture
def accounts(app):
    with app.app_context():
        return helpers.make_users()


# --- export-json -----------------------------------------------------------------


def test_export_writes_the_documented_json(app, accounts):
    assessment_id = imported(app)
    document = export(app, assessment_id)
    assert document["format"] == "cia-assessment/2"
    data = jsonformat.load(document)
    assert data.revision == 1 and data.status == "draft"
    assert data.details.name == realistic().details.name
    [event] = audit_rows(app, "assessment.exported")
    assert event.actor_email == "flask cia export-json"
    assert event.assessment_id == assessment_id and event.revision == 1


def test_export_of_a_new_blank_assessment_validates(app, accounts):
    with app.app_context():
        owner = db.session.get(User, accounts.author)
        assessment_id = assessments.create(owner, "Library opening hours").id
        db.session.commit()
    document = export(app, assessment_id)
    assert document["assessment"]["details"]["name"] == "Library opening hours"
    assert [s["key"] for s in document["assessment"]["sections"]] == [
        s.key for s in factories.load_staffordshire().sections
    ]


def test_export_to_a_file_and_of_a_named_revision(app, accounts, tmp_path):
    assessment_id = imported(app)
    out = tmp_path / "out.json"
    result = cia(app, "export-json", assessment_id, "--revision", 1, "--output", out)
    assert result.exit_code == 0, result.output
    assert "to " + str(out) in result.stdout
    assert json.loads(out.read_text(encoding="utf-8")) == export(app, assessment_id)


@pytest.mark.parametrize("args, message", [
    (("999999",), "There is no assessment with id 999999"),
    (("{id}", "--revision", "7"), "has no revision 7"),
])
def test_export_of_something_unknown_is_a_clear_error(app, accounts, args, message):
    assessment_id = imported(app)
    result = cia(app, "export-json", *(a.format(id=assessment_id) for a in args))
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stdout == ""
    assert audit_rows(app, "assessment.exported") == []


# --- import-json -----------------------------------------------------------------


def test_import_creates_a_new_draft_owned_by_the_owner(app, accounts, tmp_path):
    data = realistic()
    data.status = "approved"
    path = write(tmp_path, data)
    result = cia(app, "import-json", path, "--owner", "other@example.gov.uk")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assessment = db.session.execute(select(Assessment)).scalar_one()
        revision = db.session.get(Revision, assessment.current_revision_id)
        assert assessment.owner.email == "other@example.gov.uk"
        assert (revision.number, revision.status) == (1, "draft")
        assert revision.proposal_name == data.details.name
        assert assessment.reference != data.reference
        reference, new_id = assessment.reference, assessment.id
        stored = assessments.load_assessment(revision)
        versions = dict(db.session.execute(
            select(RevisionPart.part, RevisionPart.version).where(RevisionPart.revision_id == revision.id)).all())
    assert versions["details"] == 2  # imported answers count as saved once (task list: in progress)
    assert versions["community_impact"] == 2
    assert f"{reference} (id {new_id})" in result.stdout
    assert stored.acknowledgements == data.acknowledgements
    assert stored.sections == data.sections and stored.team == data.team
    [event] = audit_rows(app, "assessment.imported")
    assert event.details["original"]["status"] == "approved"
    assert event.details["original"]["reference"] == data.reference
    assert event.details["signoffs"] == [s.to_dict() for s in data.signoffs]
    assert event.details["source"] == "assessment.json"


def test_import_owner_defaults_to_the_first_administrator(app, accounts, tmp_path):
    result = cia(app, "import-json", write(tmp_path, realistic()))
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.execute(select(Assessment)).scalar_one().owner_id == accounts.admin


def test_import_with_an_unknown_owner_is_refused(app, accounts, tmp_path):
    result = cia(app, "import-json", write(tmp_path, realistic()), "--owner", "nobody@example.gov.uk")
    assert result.exit_code == 1
    assert "no account with the e-mail address nobody@example.gov.uk" in result.stderr
    assert count_assessments(app) == 0


def test_import_of_a_file_not_matching_the_schema_writes_nothing(app, accounts, tmp_path):
    document = jsonformat.dump(realistic())
    document["assessment"]["sections"][2]["rows"][0]["impact"] = "maybe"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = count_assessments(app)
    result = cia(app, "import-json", path)
    assert result.exit_code == 2
    assert f"{path} does not match the assessment format: " in result.stderr
    assert "assessment.sections[2].rows[0].impact: 'maybe' is not one of" in result.stderr
    assert count_assessments(app) == before
    assert audit_rows(app, "assessment.imported") == []


@pytest.mark.parametrize("text, problem", [
    ('{"format": "cia-assessment/2", "assessment": {', "not valid JSON"),
    ("", "not valid JSON"),
    ('{"format": "cia-assessment/2", "assessment": {"revision": NaN}}', "NaN is not allowed"),
    # Found by the security review: a traceback and exit status 1.
    ('{"format": "cia-assessment/2", "assessment": ' + "[" * 100_000 + "]" * 100_000 + "}",
     "nested too deeply: lists and fields can be at most 32 levels deep"),
])
def test_import_of_text_that_is_not_json_exits_2(app, accounts, tmp_path, text, problem):
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    result = cia(app, "import-json", path)
    assert result.exit_code == 2
    assert "does not match the assessment format" in result.stderr and problem in result.stderr
    assert isinstance(result.exception, SystemExit)  # a clear message, not a crash
    assert count_assessments(app) == 0
    checked = cia(app, "check", path)
    assert checked.exit_code == 2 and problem in checked.stderr


def test_import_of_a_missing_file_exits_2(app, accounts, tmp_path):
    result = cia(app, "import-json", tmp_path / "missing.json")
    assert result.exit_code == 2
    assert "cannot be read" in result.stderr


def test_a_failure_during_import_leaves_nothing_behind(app, accounts, tmp_path, monkeypatch):
    def broken(revision, *args, **kwargs):
        raise RuntimeError("the checker fell over")

    monkeypatch.setattr(imports.assessments, "check", broken)
    result = cia(app, "import-json", write(tmp_path, realistic()))
    assert result.exit_code != 0
    assert count_assessments(app) == 0
    assert audit_rows(app, "assessment.imported") == []
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(RevisionPart)).scalar_one() == 0


def test_import_uses_the_named_template_version_or_the_newest_published(app, accounts, tmp_path):
    data = realistic()
    data.template_version = 42
    data.sections.append(SectionAnswers(key="retired_section", rows=data.sections[0].rows[:1]))
    result = cia(app, "import-json", write(tmp_path, data))
    assert result.exit_code == 0, result.output
    assert "version 42, which is not here" in result.stdout
    with app.app_context():
        assessment_id = db.session.execute(select(Assessment.id)).scalar_one()
    document = export(app, assessment_id)["assessment"]
    assert document["template_version"] == 1
    assert document["sections"][-1]["key"] == "retired_section"  # kept, though the template lacks it
    assert document["sections"][-1]["rows"] == [data.sections[0].rows[0].to_dict()]


# --- the round trip --------------------------------------------------------------


def test_export_import_export_gives_the_same_document_but_the_documented_fields(app, accounts, tmp_path):
    first = export(app, imported(app))
    path = tmp_path / "first.json"
    path.write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    result = cia(app, "import-json", path, "--owner", "author@example.gov.uk")
    assert result.exit_code == 0, result.output
    with app.app_context():
        second_id = db.session.execute(select(func.max(Assessment.id))).scalar_one()
    second = export(app, second_id)
    assert without(second) == without(first)
    assert second["format"] == first["format"]
    assert second["assessment"]["reference"] != first["assessment"]["reference"]
    assert (second["assessment"]["revision"], second["assessment"]["status"]) == (1, "draft")
    # And the text itself: only the reference line differs.
    changed = [(a, b) for a, b in zip(jsonformat.dumps(jsonformat.load(first)).splitlines(),
                                      jsonformat.dumps(jsonformat.load(second)).splitlines(), strict=True)
               if a != b]
    assert [a.split(":")[0].strip() for a, _b in changed] == ['"reference"']


def test_the_docs_name_the_fields_an_import_changes():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "assessment-format.md").read_text(encoding="utf-8")
    section = text.split("## Importing", 1)[1].split("\n## ", 1)[0]
    for name in IMPORT_CHANGES:
        assert f"`{name}`" in section


# --- check -----------------------------------------------------------------------


def check_json(app, *args) -> tuple[int, dict]:
    result = cia(app, "check", *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def test_check_of_a_clean_assessment_exits_0(app, accounts):
    assessment_id = imported(app)
    result = cia(app, "check", assessment_id)
    assert result.exit_code == 0, result.output
    assert "Errors (0)" in result.stdout and "Warnings (0)" in result.stdout
    assert "Can be submitted: yes" in result.stdout
    code, report = check_json(app, assessment_id, "--stage", "publication")
    assert code == 0
    assert report["summary"]["errors"] == 0 and report["can_submit"] is True
    assert report["stage"] == "publication"
    assert set(report["summary"]) == {"errors", "warnings", "advice", "unacknowledged_warnings"}
    assert report["summary"]["advice"] == len([f for f in report["findings"] if f["severity"] == "advice"])


def test_check_of_an_assessment_with_errors_exits_1_and_writes_nothing(app, accounts):
    assessment_id = imported(app, with_errors())
    with app.app_context():
        events = db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    result = cia(app, "check", assessment_id)
    assert result.exit_code == 1
    assert "Errors (0)" not in result.stdout and "Can be submitted: no" in result.stdout
    code, report = check_json(app, assessment_id)
    assert code == 1
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert report["summary"]["errors"] == len(errors) >= 2
    assert report["can_submit"] is False
    psed = factories.load_staffordshire().sections[0]
    rows = {(f["location"]["part"], f["location"]["row"]) for f in errors}
    assert (f"section:{psed.key}", psed.category_areas[0].key) in rows
    assert any(f["location"]["item"] == "norisk0001" for f in errors)
    assert set(errors[0]["location"]) == {"part", "row", "item", "sub", "field"}
    assert {"rule_id", "severity", "message", "location"} <= set(errors[0])
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one() == events


def test_check_of_a_file(app, accounts, tmp_path):
    assert cia(app, "check", write(tmp_path, realistic(), "clean.json")).exit_code == 0
    code, report = check_json(app, write(tmp_path, with_errors(), "errors.json"))
    assert code == 1 and report["summary"]["errors"] >= 2
    assert report["assessment"]["reference"] == realistic().reference
    assert report["template"]["version"] == 1
    assert count_assessments(app) == 0  # checking a file imports nothing


@pytest.mark.parametrize("make_target", [
    lambda tmp_path: tmp_path / "missing.json",
    lambda tmp_path: (tmp_path / "bad.json").write_text("{not json", encoding="utf-8") and tmp_path / "bad.json",
    lambda tmp_path: "999999",
])
def test_check_of_what_cannot_be_read_exits_2(app, accounts, tmp_path, make_target):
    result = cia(app, "check", make_target(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")


def test_json_schema_writes_the_complete_schema_that_an_export_satisfies(app, accounts, tmp_path):
    assessment_id = imported(app)
    path = tmp_path / "schema.json"
    result = cia(app, "json-schema", "--output", str(path))
    assert result.exit_code == 0, result.output
    assert "Wrote the JSON Schema of cia-assessment/2" in result.output
    written = json.loads(path.read_text(encoding="utf-8"))
    assert {"RowAnswer", "Risk", "Mitigation", "Benefit"} <= set(written["$defs"])
    jsonschema.Draft202012Validator(written).validate(export(app, assessment_id))
    printed = cia(app, "json-schema")
    assert json.loads(printed.stdout) == written
