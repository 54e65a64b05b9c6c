"""Sign-off: submit, decide, withdraw, reopen; history and comparison of revisions; the lists.

The transitions themselves are `cia.data.workflow`; which are allowed is `cia.workflow.TRANSITIONS`.
"""

from __future__ import annotations

import logging

from flask import Blueprint, g
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

bp = Blueprint("review", __name__, url_prefix="/assessments")
log = logging.getLogger(__name__)


@bp.app_context_processor
def _unread_notifications() -> dict:
    """The count in the navigation's "Notifications (N)": one COUNT query per signed-in request."""
    if not current_user.is_authenticated:
        return {"unread_notifications": 0}
    # Context processors run for every template rendered, and a GOV.UK form widget renders one
    # template per field: count once per request, not once per field.
    if "unread_notifications" in g:
        return {"unread_notifications": g.unread_notifications}
    from cia.data import notifications

    try:
        g.unread_notifications = notifications.unread_count(current_user.user)
        return {"unread_notifications": g.unread_notifications}
    except SQLAlchemyError:  # an error page while the database is down must still render
        log.warning("Could not count unread notifications", exc_info=True)
        from cia.extensions import db

        db.session.rollback()
        return {"unread_notifications": 0}


@bp.app_template_global("signoff_summary")
def _signoff_summary(access):
    """The sign-off state of a revision for the task list's "Sign-off" section."""
    from cia.data import workflow

    return workflow.summary(access, current_user.user)


@bp.app_template_global("open_threads")
def _open_threads(access):
    """The revision's open comment threads, each with what it is about, for the task list."""
    from cia import workflow as wf
    from cia.data import review_threads
    from cia.review.threads import named_threads

    if access.revision.status == wf.DRAFT:  # never sent for sign-off: no query
        return []
    return named_threads(access, review_threads.threads(access.revision, open_only=True))


from cia.review import (  # noqa: E402,F401 - routes register themselves on bp
    routes_decide,
    routes_history,
    routes_lists,
    routes_submit,
    routes_threads,
)
