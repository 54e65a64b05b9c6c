"""Configuration in layers: safe defaults, then instance/config.py, then the environment.

Later layers win. Production (CIA_ENV=production) refuses to start without a
real SECRET_KEY; elsewhere one is generated once into instance/secret_key.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from cia.instancefiles import private_directory, private_file, read_or_create


class Defaults:
    CIA_ENV = "development"
    #: The council's name in the header, footer and e-mails; empty = the organisation of the
    #: installation's first template.
    CIA_ORGANISATION_NAME = ""
    CIA_SERVICE_NAME = "Community Impact Assessments"
    # Sessions: HttpOnly, SameSite=Lax; Secure outside local development (set below).
    SESSION_COOKIE_NAME = "cia_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    #: Sessions end on the server after this long signed in, however busy (absolute lifetime) ...
    CIA_SESSION_ABSOLUTE_HOURS = 8
    #: ... and after this long without a request (idle timeout), with a warning shown before it.
    CIA_SESSION_IDLE_MINUTES = 30
    #: How long before the idle timeout the "Stay signed in" warning appears (WCAG 2.2.1: 20 s at least).
    CIA_SESSION_WARNING_SECONDS = 120
    REMEMBER_COOKIE_DURATION = 0
    # The CSRF token lasts as long as the session: an officer writing a long answer keeps it.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = True
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    # Werkzeug's multipart limits, sized so the largest real section posts (see README).
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024
    MAX_FORM_PARTS = 20_000
    # Sign-in throttling (cia/throttle.py): failures within the window before a temporary lock-out,
    # for one account from one address, for one address, and for one account from addresses it has
    # never signed in from (so nobody can lock a person out of their own account).
    CIA_LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    CIA_LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    CIA_LOGIN_MAX_FAILURES_PER_ACCOUNT_ALL_ADDRESSES = 50
    CIA_LOGIN_WINDOW_SECONDS = 15 * 60
    CIA_LOGIN_LOCKOUT_SECONDS = 15 * 60
    #: redis://... for throttling state; empty = in the database (shared by every worker either way).
    CIA_REDIS_URL = ""
    #: How many proxies in front of the service set X-Forwarded-For and -Proto (0: none, the address
    #: of whoever connects is the client's). Only count proxies you run: the header is otherwise forged.
    CIA_TRUSTED_PROXIES = 0
    #: The address people open the service at, for links in e-mails (never taken from a request).
    #: Required in production; elsewhere the address `make run` serves.
    CIA_BASE_URL = ""
    #: Forms kept for a signed-in person whose session ended (cia/stash.py): how many, and how big each.
    CIA_STASH_MAX_PER_PERSON = 5
    CIA_STASH_MAX_BYTES = 1024 * 1024
    CIA_PASSWORD_MIN_LENGTH = 12
    #: Host names the public cannot open (the checker's evidence-link rule).
    CIA_INTERNAL_HOSTS = "intranet,extranet,sharepoint.com,localhost,internal,corp,lan"
    #: Which approver level each project size calls for, for templates that leave their project
    #: sizes out (a template's own sizes name their levels and win). Unset ({}): the default sizes'
    #: levels, small -> manager, medium -> sponsor, large -> slt.
    CIA_APPROVER_LEVELS: dict[str, str] = {}
    #: The link check (flask cia check-links and the administrators' Link check page): seconds to
    #: connect and to read, seconds between two requests to the same host.
    CIA_LINK_CHECK_TIMEOUT = 5
    CIA_LINK_CHECK_HOST_INTERVAL = 2
    #: The page's button checks at most this many links, for at most this many seconds, from the
    #: assessments changed most recently; `flask cia check-links` checks them all.
    CIA_LINK_CHECK_PAGE_LINKS = 25
    CIA_LINK_CHECK_PAGE_SECONDS = 20
    CIA_LINK_CHECK_PAGE_ASSESSMENTS = 200
    #: Tests only: fetch from 127.0.0.1, and fixed addresses for host names. Refused in production.
    CIA_LINK_CHECK_ALLOW_LOOPBACK = False
    CIA_LINK_CHECK_HOSTS: dict[str, str] = {}
    # Council sign-in (OpenID Connect): on when CIA_OIDC_ISSUER and CIA_OIDC_CLIENT_ID are set.
    CIA_OIDC_ISSUER = ""
    CIA_OIDC_CLIENT_ID = ""
    CIA_OIDC_CLIENT_SECRET = ""
    #: E-mail domains whose people may sign in through the provider (empty: nobody).
    CIA_OIDC_ALLOWED_DOMAINS: list[str] = []
    #: The claim saying the e-mail address is verified (Entra ID: "xms_edov").
    CIA_OIDC_EMAIL_VERIFIED_CLAIM = "email_verified"
    #: Create an account at first sign-in (with CIA_OIDC_DEFAULT_ROLES), or refuse people without one.
    CIA_OIDC_CREATE_ACCOUNTS = True
    CIA_OIDC_DEFAULT_ROLES: list[str] = ["author"]
    #: The claim listing the person's groups, and which roles each group gives (see README).
    CIA_OIDC_GROUPS_CLAIM = ""
    CIA_OIDC_GROUP_ROLES: dict = {}
    CIA_OIDC_BUTTON_TEXT = "Sign in with your council account"
    CIA_OIDC_TIMEOUT = 10
    #: False: people sign in only through the provider (no passwords, no password links).
    CIA_PASSWORD_SIGN_IN = True
    #: How long the single-use links to set a password work.
    CIA_INVITATION_LINK_HOURS = 72
    CIA_PASSWORD_RESET_LINK_HOURS = 2


def load(app: Flask, overrides: dict | None = None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile(os.path.join(app.instance_path, "config.py"), silent=True)
    _from_environment(app)
    if overrides:
        app.config.update(overrides)
    _database_url(app)
    _secret_key(app)
    _sign_in_methods(app)
    _base_url(app)
    # The cookie only carries the server-side session's id; the server ends the session (idle and
    # absolute limits, cia/data/users.py). The cookie outlives it so a form posted just after the
    # end can still be kept for the person who typed it (cia/stash.py).
    app.config["PERMANENT_SESSION_LIFETIME"] = int(app.config["CIA_SESSION_ABSOLUTE_HOURS"] * 3600)
    if app.config["CIA_ENV"] == "production":
        app.config["SESSION_COOKIE_SECURE"] = True
        # The browser then only accepts the cookie over HTTPS, for this host alone, for every path.
        if not app.config["SESSION_COOKIE_NAME"].startswith("__Host-"):
            app.config["SESSION_COOKIE_NAME"] = "__Host-" + app.config["SESSION_COOKIE_NAME"]
        app.config["SESSION_COOKIE_DOMAIN"] = False
        app.config["SESSION_COOKIE_PATH"] = "/"
        if app.config["CIA_LINK_CHECK_ALLOW_LOOPBACK"] or app.config["CIA_LINK_CHECK_HOSTS"]:
            raise RuntimeError("CIA_LINK_CHECK_ALLOW_LOOPBACK and CIA_LINK_CHECK_HOSTS are for tests only: "
                               "the link check must never fetch from the server's own network in production.")


def _from_environment(app: Flask) -> None:
    # CIA_* variables, parsed as JSON where they look like it (CIA_LOGIN_WINDOW_SECONDS=60).
    for name, value in os.environ.items():
        if name.startswith("CIA_"):
            app.config[name] = _loads(value)
    for name in ("DATABASE_URL", "SECRET_KEY", "REDIS_URL"):
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    if app.config.get("REDIS_URL") and not app.config.get("CIA_REDIS_URL"):
        app.config["CIA_REDIS_URL"] = app.config["REDIS_URL"]


def _loads(value: str):
    import json

    try:
        return json.loads(value)
    except ValueError:
        return value


def _database_url(app: Flask) -> None:
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or app.config.get("DATABASE_URL")
    if not url:
        url = "sqlite:///" + os.path.join(app.instance_path, "cia.sqlite3")
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    sqlite_file = url[len("sqlite:///"):] if url.startswith("sqlite:///") else ""
    if sqlite_file and sqlite_file != ":memory:" and Path(sqlite_file).parent.is_dir():
        private_file(sqlite_file)  # SQLite gives its -wal and -shm files the same mode


#: Where `make run` serves: links in e-mails sent from a development or test copy point there.
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


def _base_url(app: Flask) -> None:
    """CIA_BASE_URL: an http(s) address with a host and nothing after its path (https in production)."""
    url = str(app.config.get("CIA_BASE_URL") or "").strip()
    production = app.config["CIA_ENV"] == "production"
    if not url:
        if production:
            raise RuntimeError("CIA_BASE_URL is not set. In production set it to the address people open the "
                               "service at (https://...): links in e-mails are built from it.")
        url = DEVELOPMENT_BASE_URL
    parts = urlsplit(url)
    if (parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment
            or parts.username or (production and parts.scheme != "https")):
        raise RuntimeError(f"CIA_BASE_URL must be an address such as https://cia.council.gov.uk (https in "
                           f"production, nothing after the path), not {url!r}.")
    app.config["CIA_BASE_URL"] = url.rstrip("/")


def _secret_key(app: Flask) -> None:
    key = app.config.get("SECRET_KEY")
    if key:
        if app.config["CIA_ENV"] == "production" and len(str(key)) < 32:
            raise RuntimeError("SECRET_KEY is too short for production: use at least 32 random characters.")
        return
    if app.config["CIA_ENV"] == "production":
        raise RuntimeError(
            "SECRET_KEY is not set. In production set SECRET_KEY in the environment or instance/config.py."
        )
    private_directory(app.instance_path)
    app.config["SECRET_KEY"] = read_or_create(Path(app.instance_path) / "secret_key", lambda: secrets.token_urlsafe(48))


def _sign_in_methods(app: Flask) -> None:
    """Domains and default roles as lists (they may be one line of text); refuse a service nobody could
    sign in to."""
    domains = app.config.get("CIA_OIDC_ALLOWED_DOMAINS") or []
    if isinstance(domains, str):
        domains = domains.split(",")
    app.config["CIA_OIDC_ALLOWED_DOMAINS"] = [d.strip().lower().lstrip("@") for d in domains if d.strip()]
    roles = app.config.get("CIA_OIDC_DEFAULT_ROLES") or []
    if isinstance(roles, str):
        roles = roles.replace(",", " ").split()
    app.config["CIA_OIDC_DEFAULT_ROLES"] = [str(r).strip() for r in roles if str(r).strip()]
    oidc = app.config.get("CIA_OIDC_ISSUER") and app.config.get("CIA_OIDC_CLIENT_ID")
    if not app.config.get("CIA_PASSWORD_SIGN_IN") and not oidc:
        raise RuntimeError("CIA_PASSWORD_SIGN_IN is off but council sign-in is not configured: "
                           "set CIA_OIDC_ISSUER and CIA_OIDC_CLIENT_ID, or turn password sign-in back on.")
