"""What every sign-off page shares: refusals, replays, and the end of a transition (commit, e-mail, go on).

Access checks and pagination are shared with the other blueprints: cia/web/access.py, cia/web/paging.py.
"""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template
from flask_login import current_user

from cia import workflow as wf
from cia.data import assessments as data
from cia.data import notifications
from cia.data import workflow as flow
from cia.extensions import db
from cia.requestinfo import remote_addr
from cia.web import transaction

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def refused(access: data.Access, action: str, error: flow.WorkflowError):
    """The page for a refused transition: 403 for the wrong person, 409 for the wrong state (audited)."""
    db.session.rollback()
    if isinstance(error, flow.NotPermitted):
        abort(403, description=error.message)
    flow.record_refusal(action, access, current_user.user, remote_addr(), error.message)
    return render_template("review/refused.html", access=access, message=error.message,
                           title="This cannot be done now", action=wf.transition(action)), 409


def already(access: data.Access, outcome: flow.Outcome):
    """A replayed or double-clicked request: nothing changed, nothing recorded."""
    db.session.rollback()
    return render_template("review/already.html", access=access, message=outcome.message, title=outcome.message)


def finish(access: data.Access, outcome: flow.Outcome, next_url: str, *, announce: bool = True):
    """The end of every transition: a replay changes nothing; otherwise e-mail after the commit, and go on.

    E-mails are sent after the request's commit so a mail failure can never undo or block the transition.
    """
    if not outcome.changed:
        return already(access, outcome)
    emails = list(outcome.emails)
    transaction.after_commit(lambda: notifications.deliver(emails))
    if announce:
        flash(outcome.message)
    return redirect(next_url)
