"""Home, the CIA template, the accessibility statement and the health check."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required
from sqlalchemy import text

from cia.data import templates
from cia.extensions import db

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    """The dashboard: your assessments, what awaits your sign-off, links for approvers and administrators.

    A fixed number of statements however many assessments there are (cia.data.dashboard).
    """
    from flask_login import current_user

    from cia.data import assignments, dashboard
    from cia.models import APPROVER_LEVELS
    from cia.web import section_pages

    user = current_user.user
    return render_template("main/home.html", mine=dashboard.yours(user), awaiting=dashboard.awaiting(user),
                           assigned=assignments.assigned_to(user), first_endpoint=section_pages.first_endpoint,
                           levels=APPROVER_LEVELS, user=user)


@bp.route("/template")
@login_required
def template():
    version = templates.newest_published_version()
    spec = templates.spec_for_version(version.id) if version else None
    return render_template("main/template.html", spec=spec, version=version)


@bp.route("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200
