"""Error pages in the service's own style, with the security headers like any other page.

An error rolls back what the request wrote (cia/web/transaction.py); what the error itself records
(a refused access) is written after that rollback and committed with the error page.
"""

from __future__ import annotations

from typing import NoReturn

from flask import Flask, abort, g, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from cia.web import transaction

PAGES = {
    400: ("errors/400.html", "There was a problem with your request"),
    403: ("errors/403.html", "You do not have permission to see this page"),
    404: ("errors/404.html", "Page not found"),
    405: ("errors/400.html", "There was a problem with your request"),
    413: ("errors/413.html", "What you sent was too large to save"),
    500: ("errors/500.html", "Sorry, there is a problem with the service"),
}


#: What `refuse` asks the error page to record, once the request's own writes are rolled back.
REFUSAL = "_access_refused"


def refuse(code: int, **audit_fields) -> NoReturn:
    """abort(code), recording an "access.refused" audit row (audit.record's fields) that the error
    page keeps although the request's other writes are rolled back."""
    g.setdefault(REFUSAL, audit_fields)
    abort(code)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        from cia import stash

        if not current_user.is_authenticated and stash.can_keep(request):
            return stash.keep_and_sign_in()
        return render_template("errors/csrf.html", title="Your form could not be sent"), 400

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        code = error.code or 500
        template, title = PAGES.get(code, PAGES[400])
        transaction.roll_back()
        refusal = g.pop(REFUSAL, None)
        if refusal is not None or (code == 403 and current_user.is_authenticated):
            from cia.data import audit

            audit.record("access.refused", actor=current_user.user, remote_addr=request.remote_addr or "",
                         **(refusal or {"details": {"path": request.path, "method": request.method}}))
        return render_template(template, title=title, description=error.description), code

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        # %r: a path can carry a decoded line break, which would otherwise forge a second log line.
        app.logger.exception("Unhandled error on %s %r", request.method, request.path)
        transaction.roll_back()
        template, title = PAGES[500]
        return render_template(template, title=title), 500
