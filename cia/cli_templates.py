"""`flask cia template-export` and `template-import`: a template version as a YAML file.

Registered on the `flask cia` group by cia/cli.py. Exit status: 0 done, 1 for a refusal
(unknown version; the template already has a draft), 2 for a file the command cannot read or
use (missing, malformed, or not publishable with --publish). A refused import changes nothing.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from cia import templateformat
from cia.data import designer
from cia.extensions import db


class Unreadable(click.ClickException):
    """Input the command cannot read or use: exit status 2."""

    exit_code = 2


@click.command("template-export")
@click.argument("version_id", type=int)
@click.option("--output", type=click.Path(dir_okay=False), default=None,
              help="File to write (default: standard output).")
@with_appcontext
def template_export(version_id: int, output: str | None) -> None:
    """Write a template version (by its id, shown on the designer's pages) as YAML."""
    version = designer.get_version(version_id)
    if version is None:
        raise click.ClickException(f"There is no template version with id {version_id}")
    text = designer.export_yaml(version, None, actor_email="flask cia template-export")
    if output:
        try:
            with open(output, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except OSError as error:
            db.session.rollback()
            raise click.ClickException(f"{output} cannot be written: {error.strerror or error}") from error
    else:
        click.echo(text, nl=False)
    db.session.commit()
    if output:
        click.echo(f"Wrote {version.name} version {version.number} ({version.status}) to {output}.")


@click.command("template-import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--publish", "publish_now", is_flag=True, help="Publish the imported version straight away.")
@with_appcontext
def template_import(file: str, publish_now: bool) -> None:
    """Import a YAML template: a new template, or a new draft version of the template with the same name."""
    try:
        with open(file, "rb") as fh:
            content = fh.read()
    except OSError as error:
        raise Unreadable(f"{file} cannot be read: {error.strerror or error}") from error
    try:
        spec = templateformat.load(content)
    except templateformat.TemplateFormatError as error:
        raise Unreadable(f"{file} is not a template this service can use. Nothing was imported.\n{error}") from error
    try:
        done = designer.import_spec(spec, None, publish_now=publish_now, actor_email="flask cia template-import",
                                    source=file)
    except designer.InvalidSpec as invalid:
        db.session.rollback()
        lines = "\n".join(str(p) for p in invalid.problems)
        raise Unreadable(f"{file} cannot be published: nothing was imported.\n{lines}") from invalid
    except designer.DraftExists as exists:
        db.session.rollback()
        raise click.ClickException(f"{exists} Nothing was imported.") from exists
    db.session.commit()
    what = "a new template" if done.new_template else f"a new version of the template '{spec.name}'"
    state = "published" if done.published else "a draft"
    click.echo(f"Imported {file} as {what}: version {done.version.number} (id {done.version.id}), {state}.")


COMMANDS = (template_export, template_import)


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)
