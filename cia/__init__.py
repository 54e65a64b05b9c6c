"""Community Impact Assessment builder and checker."""

from __future__ import annotations

import os

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("CIA_INSTANCE_PATH") or os.path.join(ROOT, "instance"),
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=os.path.join(ROOT, "static"),
    )
    from cia import config, instancefiles

    instancefiles.private_directory(app.instance_path)

    config.load(app, overrides)
    _proxies(app)
    _url_converters(app)
    _templates(app)
    _extensions(app)
    _blueprints(app)

    from cia import errors, security
    from cia.web import transaction

    security.init_app(app)
    errors.init_app(app)
    transaction.init_app(app)

    from cia.cli import cli

    app.cli.add_command(cli)
    return app


def _proxies(app: Flask) -> None:
    """Behind CIA_TRUSTED_PROXIES proxies, the client's address and scheme come from X-Forwarded-For
    and -Proto as the nearest of those proxies saw them (Werkzeug's ProxyFix); with 0, never."""
    count = int(app.config.get("CIA_TRUSTED_PROXIES") or 0)
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def _url_converters(app: Flask) -> None:
    """Ids in addresses fit the database's integer: /assessments/99999999999999999999 is a 404, not a 500."""
    from werkzeug.routing import IntegerConverter

    class DatabaseId(IntegerConverter):
        def __init__(self, map, *args, **kwargs):  # noqa: A002 - Werkzeug's own parameter name
            kwargs.setdefault("max", 2_147_483_647)
            super().__init__(map, *args, **kwargs)

    app.url_map.converters["int"] = DatabaseId


def _templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(os.path.join(ROOT, "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    from cia import filters

    filters.init_app(app)


def _extensions(app: Flask) -> None:
    from govuk_frontend_wtf.main import WTFormsHelpers

    from cia import dbsetup, models, throttle  # noqa: F401 - models: tables for Alembic
    from cia.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    dbsetup.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(ROOT, "migrations"))
    csrf.init_app(app)
    WTFormsHelpers(app)
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    app.extensions["cia_throttle"] = throttle.from_config(app.config)

    from flask import current_app, flash, redirect, request, session, url_for

    from cia.data.users import SessionLimits, load_session

    @login_manager.user_loader
    def _load_session(session_id: str):
        """The live server-side session; asking how long it has left is not activity that extends it."""
        return load_session(session_id, SessionLimits.from_config(current_app.config),
                            touch=request.endpoint != "auth.session_status")

    @login_manager.unauthorized_handler
    def _sign_in_first():
        """Send people to sign in; a form posted after the session ended is kept, not lost."""
        from cia import stash

        if stash.can_keep(request):
            return stash.keep_and_sign_in()
        if session.get("_user_id"):
            flash("You were signed out because your session ended. Sign in again to carry on.", "important")
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))


def _blueprints(app: Flask) -> None:
    from cia.assessments import bp as assessments
    from cia.auth.routes import bp as auth
    from cia.exports_web import bp as exports
    from cia.main.routes import bp as main

    app.register_blueprint(main)
    app.register_blueprint(auth)
    app.register_blueprint(assessments)
    app.register_blueprint(exports)

    from cia.review import bp as review

    app.register_blueprint(review)

    from cia.designer import bp as designer

    app.register_blueprint(designer)

    from cia.linkcheck.routes import bp as links  # the link check (administrators)

    app.register_blueprint(links)

    from cia.accounts import bp as accounts
    from cia.accounts import your_account

    app.register_blueprint(accounts)
    app.register_blueprint(your_account)
