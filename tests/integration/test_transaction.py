"""One transaction per request (cia/web/transaction.py): what a person sees when a request's writes are
kept, and when they are not.

The routes below are added to an application of their own, each doing what real views do (write, then
answer; write, then refuse; write something the database refuses at the commit), so the rule is seen
through HTTP like any page.
"""

from __future__ import annotations

from flask import abort, flash, get_flashed_messages, redirect
from sqlalchemy import func, select

from cia.data import audit
from cia.extensions import db
from cia.models import AuditEvent, User
from cia.web import transaction
from tests.conftest import make_app
from tests.helpers import signed_in


def _rows(app, action: str) -> int:
    """Audit rows with this action, read through a connection of its own (what other workers see)."""
    with app.app_context(), db.engine.connect() as connection:
        return connection.execute(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        ).scalar_one()


def _app_with_routes(seen: list[str]):
    app = make_app(PROPAGATE_EXCEPTIONS=False)  # errors reach their pages, as in production
    routes = app

    @routes.route("/test/answers")
    def answers():
        audit.record("test.answered")
        transaction.after_commit(lambda: seen.append(f"after commit: {_rows(routes, 'test.answered')} row"))
        flash("Your answers have been saved")
        return redirect("/test/next")

    @routes.route("/test/refuses")
    def refuses():
        audit.record("test.refused_after_writing")
        transaction.after_commit(lambda: seen.append("should not run"))
        abort(409)

    @routes.route("/test/commit-fails")
    def commit_fails():
        email = "author@example.gov.uk"  # taken: the database refuses the second account at the commit
        db.session.add(User(email=email, name="Copy", password_hash="x"))
        audit.record("test.half_done")
        transaction.after_commit(lambda: seen.append("e-mail sent"))
        flash("Your answers have been saved")
        return redirect("/test/next")

    @routes.route("/test/next")
    def next_page():
        return " | ".join(get_flashed_messages()) or "no messages"

    return routes


def test_what_a_view_writes_is_committed_before_its_effects_outside_the_database(app, users):
    seen: list[str] = []
    client = _app_with_routes(seen).test_client()
    response = client.get("/test/answers", follow_redirects=True)
    assert response.text == "Your answers have been saved"
    assert _rows(app, "test.answered") == 1
    assert seen == ["after commit: 1 row"]  # the e-mail goes out once others can read the change


def test_an_error_after_writing_keeps_nothing_and_sends_nothing(app, users):
    seen: list[str] = []
    client = _app_with_routes(seen).test_client()
    response = client.get("/test/refuses")
    assert response.status_code == 409
    assert _rows(app, "test.refused_after_writing") == 0
    assert seen == []


def test_a_commit_the_database_refuses_shows_the_error_page_not_saved(app, users):
    seen: list[str] = []
    client = _app_with_routes(seen).test_client()
    response = client.get("/test/commit-fails")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert _rows(app, "test.half_done") == 0
    assert seen == []  # nobody is told of a change that was not kept
    assert client.get("/test/next").text == "no messages"  # and no "saved" on the next page


def test_a_refused_reader_is_audited_although_the_request_keeps_nothing_else(app, users, author):
    other = signed_in(app, "other@example.gov.uk")
    from tests.helpers import start_assessment

    assessment_id = start_assessment(author)
    before = _rows(app, "access.refused")
    assert other.get(f"/assessments/{assessment_id}").status_code == 404
    assert _rows(app, "access.refused") == before + 1
