"""Shared fixtures: one app and database per test session, emptied between tests.

CIA_TEST_DATABASE_URL runs the suite on PostgreSQL (make test does, when it can);
without it, a temporary SQLite file is used.
"""

from __future__ import annotations

import os
import re
import tempfile

import pytest

_INSTANCE = tempfile.mkdtemp(prefix="cia-test-instance-")
os.environ["CIA_INSTANCE_PATH"] = _INSTANCE

from cia import create_app  # noqa: E402
from cia.data import templates  # noqa: E402
from cia.extensions import db  # noqa: E402
from tests import helpers  # noqa: E402

TEST_SECRET = "test-secret-key-" + "s" * 40


def database_url() -> str:
    return os.environ.get("CIA_TEST_DATABASE_URL") or f"sqlite:///{_INSTANCE}/test.sqlite3"


def make_app(**overrides):
    config = {
        "TESTING": True,
        "CIA_ENV": "testing",
        "SECRET_KEY": TEST_SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url(),
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": "localhost",
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def app():
    app = make_app()
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    return app


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Every test starts with the seeded template and nothing else."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        helpers.empty_database()
        templates.seed_bundled_templates(templates.bundled_template_slugs()[:1])
        db.session.commit()
        app.extensions["cia_throttle"].store.__init__()
    yield
    with app.app_context():
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def users(app):
    """The three kinds of account, created fresh for the test."""
    with app.app_context():
        made = helpers.make_users()
    return made


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


# --- authoring -------------------------------------------------------------


@pytest.fixture
def author(app, users):
    """A test client signed in as the author (author@example.gov.uk)."""
    return helpers.signed_in(app, "author@example.gov.uk")


@pytest.fixture
def assessment_id(author):
    """An assessment the author has just started."""
    return helpers.start_assessment(author)
