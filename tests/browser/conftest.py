"""Browser tests: Playwright driving Debian's chromium against a live server, with axe-core.

Playwright cannot download its own browser here, so it launches /usr/bin/chromium.
axe-core comes from npm (node_modules/axe-core); the test browser bypasses the
page's Content-Security-Policy only to inject it.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from cia import ROOT

AXE = Path(ROOT) / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["SERVER_NAME"] = None
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; make test installs it")
        pytest.skip("chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, bypass_csp=True, java_script_enabled=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


#: axe-core's WCAG run, less one finding accepted everywhere: GOV.UK Frontend puts aria-expanded on a
#: radio that reveals further questions (conditional reveal). ARIA does not allow it on radios, but the
#: GOV.UK Design System keeps it because screen readers announce it (alphagov/govuk-frontend issue
#: 979); the accessibility statement lists it as a known issue. Only that attribute on such a radio is
#: let through: aria-allowed-attr on anything else is still a violation.
_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  const reveals = (node) => {
    const element = document.querySelector(node.target[0]);
    const only = (node.any || []).concat(node.all || []).every(c => /aria-expanded/.test(c.message || ''));
    return element && only && element.matches('input.govuk-radios__input[aria-controls][aria-expanded]');
  };
  for (const v of result.violations) {
    if (v.id === 'aria-allowed-attr') v.nodes = v.nodes.filter(node => !reveals(node));
  }
  result.violations = result.violations.filter(v => v.nodes.length);
  return result;
}"""


def axe_violations(page) -> list[dict]:
    """WCAG 2.2 A and AA violations axe-core finds on the page as it is now (see _AXE_RUN)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(_AXE_RUN, WCAG_TAGS)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def assert_accessible(page, label: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe-core found violations on {label}: {violations}"


def sign_in(page, email: str, password: str | None = None) -> None:
    from tests.helpers import PASSWORD

    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password or PASSWORD)
    with page.expect_navigation():  # the next page has loaded when this returns (right password or wrong)
        page.get_by_role("button", name="Sign in").click()
