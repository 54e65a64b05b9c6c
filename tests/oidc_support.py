"""A real OpenID provider on loopback for the sign-in tests: npm's `oidc-provider` (tests/oidc_provider.mjs).

`running_provider(redirect_uris)` starts it on a free port, waits for its discovery document and
stops it afterwards. `walk_provider(url, login)` goes through its sign-in and consent pages the
way a browser would (any password), and returns the address it sends the person back to.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from cia import ROOT

SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
CLIENT_ID = "cia-test-client"
CLIENT_SECRET = "cia-test-client-secret-0123456789abcdef"
DOMAIN = "council.example.gov.uk"

#: The people the provider knows, by the login typed on its sign-in page.
ACCOUNTS = {
    "officer": {"email": f"sam.officer@{DOMAIN}", "email_verified": True, "name": "Sam Officer",
                "groups": ["cia-authors"]},
    "head": {"email": f"pat.head@{DOMAIN}", "email_verified": True, "name": "Pat Head",
             "groups": ["cia-authors", "cia-slt-approvers"]},
    "outsider": {"email": "kim@elsewhere.example.com", "email_verified": True, "name": "Kim Elsewhere"},
    "unverified": {"email": f"una.verified@{DOMAIN}", "email_verified": False, "name": "Una Verified"},
    "admin": {"email": "admin@example.gov.uk", "email_verified": True, "name": "Adam Admin"},
}


def settings(issuer: str, **changes) -> dict:
    """The service's settings for this provider (change some with keyword arguments)."""
    config = {
        "CIA_OIDC_ISSUER": issuer,
        "CIA_OIDC_CLIENT_ID": CLIENT_ID,
        "CIA_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "CIA_OIDC_ALLOWED_DOMAINS": [DOMAIN, "example.gov.uk"],
        "CIA_OIDC_EMAIL_VERIFIED_CLAIM": "email_verified",
        "CIA_OIDC_CREATE_ACCOUNTS": True,
        "CIA_OIDC_DEFAULT_ROLES": ["author"],
        "CIA_OIDC_GROUPS_CLAIM": "",
        "CIA_OIDC_GROUP_ROLES": {},
    }
    config.update(changes)
    return config


@contextmanager
def running_provider(redirect_uris: list[str]):
    if not (Path(ROOT) / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("npm's oidc-provider is not installed: run `make test` (it runs npm ci)")
    env = {**os.environ, "OIDC_TEST_SETTINGS": json.dumps({
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": redirect_uris,
        "accounts": ACCOUNTS})}
    process = subprocess.Popen(["node", str(SCRIPT)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline()
        if not first:
            pytest.fail(f"the test OpenID provider did not start: {process.stderr.read()}")
        issuer = json.loads(first)["issuer"]
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(issuer + "/.well-known/openid-configuration", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the test OpenID provider did not publish its discovery document")
            time.sleep(0.1)
        yield issuer
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class _PromptReader(HTMLParser):
    """The hidden `prompt` field of the provider's interaction page (login or consent)."""

    def __init__(self):
        super().__init__()
        self.prompt = ""
        self.action = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.action:
            self.action = a.get("action") or ""
        if tag == "input" and a.get("name") == "prompt":
            self.prompt = a.get("value") or ""


def walk_provider(url: str, login: str, back_to: str, session: requests.Session | None = None) -> str:
    """Follow the provider from `url` through sign-in (as `login`) and consent; the URL it sends back."""
    session = session or requests.Session()
    for _ in range(20):
        if url.startswith(back_to):
            return url
        response = session.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            continue
        assert response.status_code == 200, f"{url}: {response.status_code} {response.text[:500]}"
        reader = _PromptReader()
        reader.feed(response.text)
        data = {"prompt": reader.prompt}
        if reader.prompt == "login":
            data.update(login=login, password="any password")
        assert reader.prompt in ("login", "consent"), f"unexpected page at {url}: {response.text[:500]}"
        posted = session.post(urljoin(url, reader.action), data=data, allow_redirects=False, timeout=10)
        assert posted.is_redirect, f"{url}: {posted.status_code} {posted.text[:500]}"
        url = urljoin(url, posted.headers["Location"])
    raise AssertionError("the provider kept redirecting")
