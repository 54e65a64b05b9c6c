"""`flask cia export-json`, `json-schema`, `import-json` and `check`: the JSON form of an assessment and the checker.

Registered on the `flask cia` group by cia/cli.py. Exit status: 0 done (for `check`: no
errors), 1 for a refusal (unknown account, assessment or revision; `check`: errors found),
2 for input the command cannot read (a missing or malformed file; `check`: an unknown id).
"""

from __future__ import annotations

import json
import os
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from cia import jsonformat, safe_parse
from cia.checks import DRAFTING, PUBLICATION, CheckConfig, Finding, Report, run_checks
from cia.checks.base import ADVICE, ERROR, SEVERITIES, WARNING
from cia.data import audit, imports
from cia.data.assessments import NotFound
from cia.data.users import by_email
from cia.domain import Assessment as AssessmentData
from cia.domain import TemplateSpec
from cia.extensions import db
from cia.models import User

HEADINGS = {ERROR: "Errors", WARNING: "Warnings", ADVICE: "Advice"}


class Unreadable(click.ClickException):
    """Input the command cannot read or parse: exit status 2."""

    exit_code = 2


# --- export-json -------------------------------------------------------------------


@click.command("export-json")
@click.argument("assessment_id", type=int)
@click.option("--revision", "revision_number", type=int, default=None,
              help="Revision number (default: the current revision).")
@click.option("--output", type=click.Path(dir_okay=False), default=None,
              help="File to write (default: standard output).")
@with_appcontext
def export_json(assessment_id: int, revision_number: int | None, output: str | None) -> None:
    """Write one revision of an assessment as a cia-assessment/2 JSON document."""
    try:
        data = imports.export_assessment(assessment_id, revision_number)
    except NotFound as error:
        raise click.ClickException(str(error)) from error
    text = jsonformat.dumps(data)
    if output:
        _write(output, text)
    else:
        click.echo(text, nl=False)
    audit.record("assessment.exported", actor_email="flask cia export-json", object_type="assessment",
                 object_id=assessment_id, assessment_id=assessment_id, revision=data.revision,
                 details={"format": jsonformat.FORMAT, "output": output or "standard output"})
    db.session.commit()
    if output:
        click.echo(f"Wrote {data.reference} revision {data.revision} to {output}.")


def _write(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except OSError as error:
        raise click.ClickException(f"{path} cannot be written: {error.strerror or error}") from error


# --- json-schema -------------------------------------------------------------------


@click.command("json-schema")
@click.option("--output", type=click.Path(dir_okay=False), default=None,
              help="File to write (default: standard output).")
def json_schema(output: str | None) -> None:
    """Write the complete JSON Schema of the cia-assessment/2 format: the schema file with the
    definitions the question kinds and the impact row kind add to it."""
    text = json.dumps(jsonformat.schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        _write(output, text)
        click.echo(f"Wrote the JSON Schema of {jsonformat.FORMAT} to {output}.")
    else:
        click.echo(text, nl=False)


# --- import-json -------------------------------------------------------------------


@click.command("import-json")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--owner", "owner_email", default="",
              help="E-mail of the account that will own it (default: the first administrator).")
@with_appcontext
def import_json(file: str, owner_email: str) -> None:
    """Import a cia-assessment JSON document (version 2, or 1 converted) as a new draft assessment."""
    data = read_document(file)
    owner = _owner(owner_email)
    try:
        assessment = imports.import_assessment(data, owner, source=os.path.basename(file))
        db.session.commit()
    except NotFound as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    except Exception:
        db.session.rollback()
        raise
    version = assessment.current_revision.template_version
    click.echo(f"Imported {file} as {assessment.reference} (id {assessment.id}), "
               f"a draft owned by {owner.email}.")
    click.echo(f"Template: {version.name}, version {version.number}.")
    if (version.name, version.number) != (data.template_name, data.template_version):
        click.echo(f"Note: the file names template '{data.template_name}' version {data.template_version}, "
                   "which is not here; the newest published version was used.")


def read_document(path: str) -> AssessmentData:
    """The assessment in a JSON file; Unreadable (exit 2) when it cannot be read or is not valid."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(safe_parse.ASSESSMENT_LIMITS.max_bytes + 1)  # more is refused as too large
    except OSError as error:
        raise Unreadable(f"{path} cannot be read: {error.strerror or error}") from error
    try:
        return jsonformat.loads(raw)
    except jsonformat.FormatError as error:
        raise Unreadable(f"{path} does not match the assessment format: {error}") from error


def _owner(email: str) -> User:
    if email:
        user = by_email(email)
        if user is None:
            raise click.ClickException(f"There is no account with the e-mail address {email}.")
        return user
    candidates = db.session.execute(
        select(User).where(User.roles.contains("admin"), User.active).order_by(User.id)
    ).scalars()
    admin = next((u for u in candidates if u.is_admin), None)
    if admin is None:
        raise click.ClickException("There is no administrator account to own the import; use --owner EMAIL.")
    return admin


# --- check -------------------------------------------------------------------------


@click.command("check")
@click.argument("target", metavar="ID|FILE.json")
@click.option("--revision", "revision_number", type=int, default=None,
              help="With an ID: the revision number (default: the current revision).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--stage", type=click.Choice([DRAFTING.value, PUBLICATION.value]), default=DRAFTING.value,
              show_default=True, help="Check as a draft, or as about to be published (stricter on personal details).")
@with_appcontext
def check(target: str, revision_number: int | None, output_format: str, stage: str) -> None:
    """Run the checker on an assessment (by id) or a JSON file. Exit 1 when it finds errors."""
    data, spec = _subject(target, revision_number)
    report = run_checks(data, spec, check_config(stage))
    if output_format == "json":
        click.echo(json.dumps(report_json(data, spec, report, stage), indent=2, ensure_ascii=False))
    else:
        click.echo(report_text(data, spec, report, stage), nl=False)
    db.session.rollback()  # checking writes nothing
    if report.errors:
        raise click.exceptions.Exit(1)


def _subject(target: str, revision_number: int | None) -> tuple[AssessmentData, TemplateSpec]:
    try:
        if target.isdigit() and not os.path.isfile(target):
            data = imports.export_assessment(int(target), revision_number)
        else:
            data = read_document(target)
        _version, spec = imports.template_for_data(data)
    except NotFound as error:
        raise Unreadable(str(error)) from error
    return data, spec


def check_config(stage: str) -> CheckConfig:
    """The council's checker settings (CIA_INTERNAL_HOSTS) at the given stage."""
    hosts = current_app.config.get("CIA_INTERNAL_HOSTS") or ()
    if isinstance(hosts, str):
        hosts = [h.strip() for h in hosts.split(",")]
    hosts = tuple(h for h in hosts if h)
    return CheckConfig(stage=stage, internal_hosts=hosts) if hosts else CheckConfig(stage=stage)


def finding_json(finding: Finding, report: Report) -> dict[str, Any]:
    loc = finding.location
    return {
        "rule_id": finding.rule_id,
        "severity": finding.severity,
        "message": finding.message,
        "location": {"part": loc.part, "row": loc.row, "item": loc.item, "sub": loc.sub, "field": loc.field},
        "key": finding.key,
        "acknowledged": finding.key in report.acknowledged,
    }


def report_json(data: AssessmentData, spec: TemplateSpec, report: Report, stage: str) -> dict[str, Any]:
    return {
        "assessment": {"reference": data.reference, "revision": data.revision, "status": data.status,
                       "name": data.details.name},
        "template": {"name": spec.name, "version": spec.version},
        "stage": stage,
        "summary": {"errors": len(report.errors), "warnings": len(report.warnings),
                    "advice": len(report.advice), "unacknowledged_warnings": len(report.unacknowledged_warnings)},
        "can_submit": report.can_submit,
        "findings": [finding_json(f, report) for f in report.findings],
    }


def _where(finding: Finding) -> str:
    loc = finding.location
    labels = (("", loc.part), ("row ", loc.row), ("item ", loc.item), ("sub-item ", loc.sub), ("field ", loc.field))
    return ", ".join(label + value for label, value in labels if value)


def report_text(data: AssessmentData, spec: TemplateSpec, report: Report, stage: str) -> str:
    lines = [f"{data.reference or '(no reference)'} revision {data.revision} ({data.status}): "
             f"{data.details.name or '(no name)'}",
             f"Checked at the {stage} stage against '{spec.name}' version {spec.version}.", ""]
    for severity in SEVERITIES:
        found = report.of(severity)
        lines.append(f"{HEADINGS[severity]} ({len(found)})")
        for f in found:
            reason = report.acknowledged.get(f.key)
            lines.append(f"  {f.rule_id}  {_where(f)}")
            lines.append(f"      {f.message}")
            if reason:
                lines.append(f"      Acknowledged: {reason}")
        lines.append("")
    lines.append(f"{len(report.errors)} errors, {len(report.warnings)} warnings "
                 f"({len(report.unacknowledged_warnings)} not acknowledged), {len(report.advice)} advice. "
                 f"Can be submitted: {'yes' if report.can_submit else 'no'}.")
    return "\n".join(lines) + "\n"


COMMANDS = (export_json, json_schema, import_json, check)
