"""`flask cia check-links`: fetch the public links of every current assessment and record dead ones."""

from __future__ import annotations

import click

from cia.extensions import db


def register(cli: click.Group) -> None:
    @cli.command("check-links")
    @click.option("--limit", type=click.IntRange(min=1), default=None,
                  help="Check at most this many links: those never checked first, then those checked longest ago.")
    def check_links(limit: int | None) -> None:
        """Fetch the public links of current assessments (headers only, strict time-outs, a polite rate per
        host) and record dead ones (404, 410, no such host), which the checker shows as advice."""
        from cia.data import linkchecks as store
        from cia.web import checking

        summary = store.run(checking.config().internal_hosts, limit=limit)
        db.session.commit()
        click.echo(summary.sentence() + ".")
        for result in summary.dead:
            click.echo(f"Dead: {result.url} ({result.reason})")
