"""`flask cia export ID --format ... --output PATH`: the same files as the download links, for scripts."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from cia import exports
from cia.data import assessments, audit
from cia.data import exporting as data
from cia.data.templates import installation_organisation
from cia.extensions import db
from cia.models import Assessment
from cia.web.print_view import with_print_html


def register(cli: click.Group) -> None:
    @cli.command("export")
    @click.argument("assessment_id", type=int)
    @click.option("--format", "kind", type=click.Choice(exports.EXPORT_KINDS), required=True,
                  help="What to produce: " + "; ".join(f"{f.name}: {f.label}" for f in exports.FORMATS.values()))
    @click.option("--output", type=click.Path(dir_okay=True, writable=True), required=True,
                  help="A file, or a folder to write the file into under its usual name.")
    @click.option("--revision", type=int, default=None, help="A revision number (default: the newest).")
    @click.option("--public", is_flag=True, help="The public version: answers marked confidential are withheld.")
    def export_command(assessment_id: int, kind: str, output: str, revision: int | None, public: bool) -> None:
        """Write a Checklist and Executive Summary (Word, PDF), full CIA (Excel, Word, PDF) or JSON file."""
        assessment = db.session.get(Assessment, assessment_id)
        if assessment is None:
            raise click.ClickException(f"There is no assessment with id {assessment_id}")
        access = assessments.Access(assessment, assessment.current_revision, can_edit=False, is_owner=False)
        if revision is not None:
            found = next((r for r in _revisions(assessment_id) if r.number == revision), None)
            if found is None:
                raise click.ClickException(f"Assessment {assessment_id} has no revision {revision}")
            access.revision = found
        organisation = installation_organisation(current_app.config["CIA_ORGANISATION_NAME"])
        inp = data.export_input(access, organisation, public=public)
        with current_app.test_request_context("/"):  # the PDFs' print HTML is rendered from the pages' templates
            body = exports.render(with_print_html(access, inp), kind)
        target = Path(output)
        if target.is_dir():
            target = target / exports.filename(inp, kind)
        target.write_bytes(body)
        audit.record("assessment.exported", actor_email="flask cia export", object_type="revision",
                     object_id=access.revision.id, assessment_id=assessment_id, revision=access.revision.number,
                     details={"kind": kind, "filename": target.name, "bytes": len(body), "public": public})
        db.session.commit()
        click.echo(f"Wrote {target} ({len(body):,} bytes).")


def _revisions(assessment_id: int):
    from sqlalchemy import select

    from cia.models import Revision

    return db.session.execute(select(Revision).where(Revision.assessment_id == assessment_id)).scalars()
