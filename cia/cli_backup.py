"""`flask cia dump FILE` and `flask cia load FILE`: backups, and moving between SQLite and PostgreSQL."""

from __future__ import annotations

import click

from cia import backup
from cia.data import audit
from cia.extensions import db


def register(cli: click.Group) -> None:
    @cli.command("dump")
    @click.argument("path", type=click.Path(dir_okay=False, writable=True))
    def dump_command(path: str) -> None:
        """Write every table (assessments, revisions, templates, accounts, audit) to PATH (.gz to compress)."""
        counts = backup.dump(path)
        audit.record("backup.dumped", actor_email="flask cia dump", details={"path": path, "rows": counts})
        db.session.commit()
        click.echo(f"Wrote {sum(counts.values())} rows from {len(counts)} tables to {path}.")

    @cli.command("load")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    def load_command(path: str) -> None:
        """Load a dump into this empty, migrated database (run `flask db upgrade` first)."""
        try:
            counts = backup.load(path)
        except backup.BackupError as error:
            raise click.ClickException(str(error)) from error
        audit.record("backup.loaded", actor_email="flask cia load", details={"path": path, "rows": counts})
        db.session.commit()
        click.echo(f"Loaded {sum(counts.values())} rows into {len(counts)} tables from {path}.")
