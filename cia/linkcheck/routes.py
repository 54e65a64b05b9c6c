"""The administrators' Link check page: the dead links found so far, and a button that checks some now.

The button runs the check in the request, for a bounded set: at most CIA_LINK_CHECK_PAGE_LINKS
links (those never checked, then those checked longest ago) from the CIA_LINK_CHECK_PAGE_ASSESSMENTS
assessments changed most recently, stopping after CIA_LINK_CHECK_PAGE_SECONDS. Every link is
fetched with the same time-outs and rate per host as `flask cia check-links`, which checks the
links of every current assessment and is the one to schedule.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from cia.data import audit
from cia.data import linkchecks as store
from cia.requestinfo import remote_addr
from cia.web import checking
from cia.web.access import require_role

bp = Blueprint("links", __name__)


class RunForm(FlaskForm):
    """The button (its CSRF token)."""


@bp.route("/admin/link-check", methods=["GET", "POST"])
@login_required
def page():
    require_role(current_user.user.is_admin)
    if request.method == "POST":
        return _run()
    config = current_app.config
    return render_template("links/check.html", form=RunForm(), dead=store.dead_rows(), last=store.last_checked(),
                           limit=config["CIA_LINK_CHECK_PAGE_LINKS"], seconds=config["CIA_LINK_CHECK_PAGE_SECONDS"],
                           newest=config["CIA_LINK_CHECK_PAGE_ASSESSMENTS"], title="Link check")


def _run():
    RunForm().validate_on_submit()  # CSRF (a failure answers 400 before this line)
    config = current_app.config
    summary = store.run(checking.config().internal_hosts, limit=int(config["CIA_LINK_CHECK_PAGE_LINKS"]),
                        newest=int(config["CIA_LINK_CHECK_PAGE_ASSESSMENTS"]),
                        seconds=float(config["CIA_LINK_CHECK_PAGE_SECONDS"]))
    audit.record("links.check", actor=current_user.user, remote_addr=remote_addr(), object_type="link_check",
                 details={"checked": len(summary.results), "dead": [r.url for r in summary.dead],
                          "left": summary.left})
    flash(summary.sentence())
    return redirect(url_for("links.page"))
