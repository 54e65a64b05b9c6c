"""Faults and replays: a failure in the middle of a save leaves nothing half-written; a replay changes nothing twice."""

from __future__ import annotations

import re

import pytest

from cia.data import assessments as data
from cia.data import audit
from cia.extensions import db
from cia.models import AuditEvent, User
from tests.conftest import make_app
from tests.helpers import sign_in


def _details_form(page: str, **values) -> dict:
    form = {"version": re.search(r'name="version"[^>]*value="(\d+)"', page).group(1),
            "name": "Day centres", "submit": "later"}
    form.update(values)
    return form


@pytest.fixture
def started(client, users):
    sign_in(client, "author@example.gov.uk")
    response = client.post("/assessments/new", data={"name": "Day centres"})
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _stored_details(app, assessment_id):
    with app.app_context():
        author = db.session.query(User).filter_by(email="author@example.gov.uk").one()
        return data.load_part(data.access_for(author, assessment_id).revision, "details")


@pytest.mark.parametrize("where", ["audit", "checker"])
def test_an_exception_in_the_middle_of_a_save_leaves_no_partial_write(monkeypatch, users, where):
    app = make_app(TESTING=False)  # errors become the 500 page, as in production
    client = app.test_client()
    sign_in(client, "author@example.gov.uk")
    assessment_id = int(client.post("/assessments/new", data={"name": "Day centres"}).headers["Location"]
                        .rsplit("/", 1)[1])
    page = client.get(f"/assessments/{assessment_id}/details").get_data(as_text=True)
    before = _stored_details(app, assessment_id)
    with app.app_context():
        events_before = db.session.query(AuditEvent).count()

    def boom(*args, **kwargs):
        raise RuntimeError("injected failure")

    if where == "audit":  # after the part's UPDATE, before the commit
        monkeypatch.setattr(audit, "record", boom)
    else:  # the checker runs after the save, still inside the request's transaction
        monkeypatch.setattr(data, "check", boom)
    response = client.post(f"/assessments/{assessment_id}/details",
                           data=_details_form(page, summary="A new summary that must not half-arrive"))
    assert response.status_code == 500
    assert "Nothing you had saved before has been lost" in response.get_data(as_text=True)
    monkeypatch.undo()

    after = _stored_details(app, assessment_id)
    assert after.version == before.version and after.data == before.data
    with app.app_context():
        assert db.session.query(AuditEvent).count() == events_before


def test_a_replayed_save_changes_nothing_twice(app, client, started):
    page = client.get(f"/assessments/{started}/details").get_data(as_text=True)
    form = _details_form(page, summary="Opening hours change")
    first = client.post(f"/assessments/{started}/details", data=form)
    second = client.post(f"/assessments/{started}/details", data=form)  # the same request again
    assert first.status_code == second.status_code == 302
    stored = _stored_details(app, started)
    assert stored.data.summary == "Opening hours change" and stored.version == 2
    with app.app_context():
        saves = db.session.query(AuditEvent).filter_by(action="assessment.saved", object_id="details").count()
        assert saves == 1


def test_a_replay_after_someone_else_saved_is_a_conflict_not_an_overwrite(app, client, started):
    page = client.get(f"/assessments/{started}/details").get_data(as_text=True)
    mine = _details_form(page, summary="Mine")
    theirs = _details_form(page, summary="Theirs")
    assert client.post(f"/assessments/{started}/details", data=theirs).status_code == 302
    conflict = client.post(f"/assessments/{started}/details", data=mine)
    assert conflict.status_code == 409
    assert _stored_details(app, started).data.summary == "Theirs"

