"""Council sign-in through OpenID Connect (Microsoft Entra ID or any certified provider).

Authlib is the client: the authorisation code flow with PKCE (S256), `state` and `nonce`
kept in the signed session cookie and checked on return, and the ID token's signature,
issuer, audience, expiry and nonce checked against the provider's published keys. The
provider's discovery document is read once per process (and again after a failure). What
comes back is turned into an account by cia/data/oidc_accounts.py; the session is the same
revocable server-side session as password sign-in starts. Every outcome is an audit row.
"""

from __future__ import annotations

import logging

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from cia.data import audit
from cia.data.oidc_accounts import SignInRefused, account_for
from cia.extensions import db
from cia.requestinfo import remote_addr

log = logging.getLogger(__name__)

NEXT_KEY = "oidc_next"


def enabled(app: Flask | None = None) -> bool:
    config = (app or current_app).config
    return bool(config.get("CIA_OIDC_ISSUER") and config.get("CIA_OIDC_CLIENT_ID"))


def _client():
    """The Authlib client for the configured provider (one per set of settings, kept by the app)."""
    config = current_app.config
    key = (config["CIA_OIDC_ISSUER"].rstrip("/"), config["CIA_OIDC_CLIENT_ID"], config["CIA_OIDC_CLIENT_SECRET"])
    clients = current_app.extensions.setdefault("cia_oidc_clients", {})
    if key not in clients:
        registry = OAuth(current_app._get_current_object())  # noqa: SLF001 - Authlib wants the app itself
        clients[key] = registry.register(
            "council",
            overwrite=True,
            client_id=key[1],
            client_secret=key[2] or None,
            server_metadata_url=key[0] + "/.well-known/openid-configuration",
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256",
                           "default_timeout": float(config.get("CIA_OIDC_TIMEOUT") or 10)},
        )
    return clients[key]


def _refused(reason: str, title: str, message: str, status: int, email: str = ""):
    audit.record("auth.sign_in_failed", actor_email=email, remote_addr=remote_addr(),
                 details={"method": "oidc", "reason": reason})
    return render_template("auth/oidc_refused.html", title=title, message=message), status


def _provider_down(error: Exception):
    log.warning("Council sign-in service unreachable: %s", error)
    return _refused("provider_unreachable", "The council sign-in service is not responding",
                    "Try again in a few minutes. If it keeps happening, tell your IT service desk.", 503)


def start(safe_next):
    """Send the person to the provider (a fresh state, nonce and PKCE verifier each time)."""
    if not enabled():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    session[NEXT_KEY] = safe_next(request.args.get("next"))
    try:
        return _client().authorize_redirect(url_for("auth.oidc_callback", _external=True))
    except (requests.RequestException, ValueError) as error:
        return _provider_down(error)


def callback(finish_sign_in):
    """The provider sends the person back here with a code (or an error)."""
    if not enabled():
        abort(404)
    try:
        token = _client().authorize_access_token()
    except MismatchingStateError:
        return _refused("state_mismatch", "Your sign-in could not be completed",
                        "The sign-in was started in another window, or took too long. Start again from "
                        "the sign-in page.", 400)
    except OAuthError as error:
        return _refused(f"provider_error:{str(error.error)[:60]}", "The council sign-in service did not sign you in",
                        "Start again from the sign-in page. If it keeps happening, tell your IT service desk.", 400)
    except requests.RequestException as error:
        return _provider_down(error)
    except Exception as error:  # noqa: BLE001 - an ID token that fails its checks: refuse, never a 500
        log.warning("Council sign-in: the provider's answer failed its checks: %s", error)
        return _refused("invalid_token", "Your sign-in could not be completed",
                        "The answer from the council sign-in service could not be checked. Start again "
                        "from the sign-in page.", 400)
    claims = dict(token.get("userinfo") or {})
    try:
        user = account_for(claims, current_app.config, remote_addr())
    except SignInRefused as refusal:
        db.session.rollback()
        return _refused(refusal.reason, refusal.title, refusal.message, 403, str(claims.get("email") or "")[:254])
    return finish_sign_in(user, "oidc", session.pop(NEXT_KEY, None))
