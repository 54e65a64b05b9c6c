"""Error pages in the service's own style, with the security headers like any other page."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from cia.extensions import db

PAGES = {
    400: ("errors/400.html", "There was a problem with your request"),
    403: ("errors/403.html", "You do not have permission to see this page"),
    404: ("errors/404.html", "Page not found"),
    405: ("errors/400.html", "There was a problem with your request"),
    413: ("errors/413.html", "What you sent was too large to save"),
    500: ("errors/500.html", "Sorry, there is a problem with the service"),
}


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
        if code == 403 and current_user.is_authenticated:
            from cia.data import audit

            audit.record("access.refused", actor=current_user.user, remote_addr=request.remote_addr or "",
                         details={"path": request.path, "method": request.method})
            db.session.commit()
        return render_template(template, title=title, description=error.description), code

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        # %r: a path can carry a decoded line break, which would otherwise forge a second log line.
        app.logger.exception("Unhandled error on %s %r", request.method, request.path)
        db.session.rollback()
        template, title = PAGES[500]
        return render_template(template, title=title), 500
