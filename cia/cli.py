"""`flask cia ...`: seed the template, create accounts, and (later issues) check and export."""

from __future__ import annotations

import secrets
import sys

import click
from flask.cli import AppGroup

from cia.data import audit, templates, users
from cia.extensions import db
from cia.instancefiles import read_or_create
from cia.passwords import problems
from cia.workflow import APPROVER_LEVELS, Role

cli = AppGroup("cia", help="Community Impact Assessment commands.")

DEMO_ACCOUNTS = users.DEMO_ACCOUNTS


@cli.command("seed")
@click.option("--demo-accounts", is_flag=True, help="Also create demo accounts (development only).")
def seed(demo_accounts: bool) -> None:
    """Load each shipped template as its published version 1 (safe to run again)."""
    seeded = templates.seed_bundled_templates()
    for version, created in seeded:
        if created:
            audit.record("template.seeded", actor_email="flask cia seed", object_type="template_version",
                         object_id=version.id, details={"name": version.name, "number": version.number})
    db.session.commit()
    for version, created in seeded:
        click.echo(f"Template '{version.name}' version {version.number}: {'loaded' if created else 'already loaded'}.")
    if demo_accounts:
        from flask import current_app

        if current_app.config["CIA_ENV"] == "production":
            raise click.ClickException("Demo accounts are for development only, not production.")
        _demo_accounts()


def _demo_accounts() -> None:
    from flask import current_app

    password = read_or_create(f"{current_app.instance_path}/demo-password",
                              lambda: "demo-" + secrets.token_urlsafe(12))
    made = []
    for email, name, roles, level in DEMO_ACCOUNTS:
        if users.by_email(email) is None:
            users.create_user(email, name, password, roles, level)
            made.append(email)
    db.session.commit()
    click.echo("")
    click.echo("Demo accounts (development only), all with the password: " + password)
    for email, _name, roles, level in DEMO_ACCOUNTS:
        click.echo(f"  {email:<32} {', '.join(roles)}{' (' + level + ')' if level else ''}"
                   f"{'  [new]' if email in made else ''}")
    click.echo("")


@cli.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice([role.value for role in Role]), help="Repeat for several roles.")
@click.option("--level", default="", type=click.Choice(["", *APPROVER_LEVELS]),
              help="Approver level (approvers only).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email: str, name: str, roles: tuple[str, ...], level: str, password_stdin: bool) -> None:
    """Create an account. The password is asked for, or read from standard input."""
    from flask import current_app

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    found = problems(password, email=email, name=name, min_length=current_app.config["CIA_PASSWORD_MIN_LENGTH"])
    if found:
        raise click.ClickException("; ".join(found))
    try:
        user = users.create_user(email, name, password, list(roles), level)
    except users.AccountError as error:
        raise click.ClickException(str(error)) from error
    audit.record("user.created", actor_email="flask cia create-user", object_type="user", object_id=user.id,
                 details={"email": user.email, "roles": user.roles, "level": level})
    db.session.commit()
    click.echo(f"Created {user.email} ({user.roles}).")


def _register_json_commands() -> None:
    """export-json, import-json and check live in cia/cli_json.py."""
    from cia import cli_json

    for command in cli_json.COMMANDS:
        cli.add_command(command)


_register_json_commands()


def _register_more() -> None:
    from cia import cli_backup, cli_exports, cli_links

    cli_backup.register(cli)
    cli_exports.register(cli)
    cli_links.register(cli)


_register_more()

from cia.cli_templates import register as _register_template_commands  # noqa: E402 - the template designer

_register_template_commands(cli)
