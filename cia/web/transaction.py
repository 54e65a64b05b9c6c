"""One transaction per request: commit once after the view has answered, roll back on an error.

Why: views used to commit by hand (63 places), each deciding when its work was done; a view that
forgot left work to be rolled back silently, and one that committed early could not undo a later
failure. Now the rule is in one place (docs/decisions/0016-one-transaction-per-request.md):

- a view that returns a response has everything it wrote committed, after the response is built
  and before it is sent (an audit row of a refused sign-in is kept like a saved answer);
- a view that refuses after writing (a save that meets a newer version, a refused transition)
  rolls back itself, then writes only what the refusal records;
- an exception, `abort()` included, rolls back (cia/errors.py) before its error page is made;
- if the commit itself fails, the person gets the error page, not a page that says "saved", and
  the messages queued for the next page are dropped;
- e-mails and other effects outside the database are queued with `after_commit` and run only once
  the commit has succeeded, so nobody hears of a change that was rolled back.

Command-line tasks are not requests: they commit themselves.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, g, session

from cia.extensions import db

_QUEUE = "_after_commit"


def after_commit(callback: Callable[[], object]) -> None:
    """Run `callback` after this request's commit has succeeded (never if it fails)."""
    g.setdefault(_QUEUE, []).append(callback)


def roll_back() -> None:
    """Undo what the request wrote, and what was to follow the commit (an error page's first step)."""
    db.session.rollback()
    g.pop(_QUEUE, None)


def init_app(app: Flask) -> None:
    @app.after_request
    def _commit(response: Response) -> Response:
        try:
            db.session.commit()
        except Exception:
            roll_back()
            session.pop("_flashes", None)
            raise
        for callback in g.pop(_QUEUE, []):
            callback()
        return response
