"""Sessions end on the server (idle timeout, absolute lifetime), and a session that ends during a long
edit loses nothing: the typed text comes back after signing in, to that person only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from cia.extensions import db
from cia.models import AuditEvent, FormStash, UserSession, utcnow
from tests.conftest import csrf_token, make_app
from tests.helpers import sign_in


def _age_sessions(app, *, idle_minutes: float = 0, signed_in_hours: float = 0) -> None:
    """Make every session look as if it was last used, and started, that long ago."""
    with app.app_context():
        now = utcnow()
        db.session.execute(update(UserSession).values(
            last_seen_at=now - timedelta(minutes=idle_minutes),
            created_at=now - timedelta(hours=signed_in_hours, minutes=idle_minutes)))
        db.session.commit()


def _end_session(app, client) -> None:
    """The session ends on the server the way it does in use: idle for longer than the timeout."""
    _age_sessions(app, idle_minutes=app.config["CIA_SESSION_IDLE_MINUTES"] + 1)

LONG_ANSWER = "Carers told us in the drop-in sessions that evening opening matters most.\n\n" * 40


def _start(client) -> tuple[int, str]:
    sign_in(client, "author@example.gov.uk")
    response = client.post("/assessments/new", data={"name": "Day centres"})
    assessment_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/assessments/{assessment_id}/sections/economy").get_data(as_text=True)
    return assessment_id, page


def _economy_post(page: str, **extra) -> dict:
    data = {"version": re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)}
    for i, key in enumerate(re.findall(r'name="(rows-\d+-key)"[^>]*value="([^"]*)"', page)):
        data[key[0]] = key[1]
    data.update(extra)
    return data


def test_typed_text_survives_a_session_that_ended_without_csrf_checks(app, client, users):
    assessment_id, page = _start(client)
    _end_session(app, client)
    path = f"/assessments/{assessment_id}/sections/economy"
    response = client.post(path, data=_economy_post(page, **{"rows-0-groups": LONG_ANSWER, "rows-0-impact": "yes"}),
                           headers={"Origin": "http://localhost"})
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert "what you typed has been kept" in client.get("/sign-in").get_data(as_text=True)

    # The sign-in form posts back to the page it is on, which carries where to go next.
    after = client.post(response.headers["Location"], data={"email": "author@example.gov.uk",
                                                            "password": "correct horse battery staple"})
    assert after.headers["Location"].endswith(path)
    shown = client.get(path).get_data(as_text=True)
    assert "Not saved yet" in shown
    assert LONG_ANSWER.split("\n")[0] in shown
    with app.app_context():
        assert db.session.query(FormStash).count() == 0, "the kept form is given back once, then deleted"
    again = client.get(path).get_data(as_text=True)
    assert "Not saved yet" not in again


def test_with_csrf_protection_the_expired_form_is_kept_too(users):
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    client.post("/sign-in", data={"email": "author@example.gov.uk", "password": "correct horse battery staple",
                                  "csrf_token": csrf_token(page)})
    new = client.get("/assessments/new").get_data(as_text=True)
    created = client.post("/assessments/new", data={"name": "Libraries", "csrf_token": csrf_token(new)})
    assessment_id = int(created.headers["Location"].rsplit("/", 1)[1])
    path = f"/assessments/{assessment_id}/engagement"
    form = client.get(path).get_data(as_text=True)
    client.post("/sign-out", data={"csrf_token": csrf_token(form)})  # signed out in another tab
    response = client.post(path, data={"csrf_token": csrf_token(form), "version": "1",
                                       "activities-0-activity": "Public consultation on library hours"},
                           headers={"Origin": "http://localhost"})
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    page = client.get("/sign-in").get_data(as_text=True)
    client.post("/sign-in", data={"email": "author@example.gov.uk", "password": "correct horse battery staple",
                                  "csrf_token": csrf_token(page)})
    assert "Public consultation on library hours" in client.get(path).get_data(as_text=True)


def test_a_post_from_another_site_is_not_kept(app, client, users):
    assessment_id, page = _start(client)
    _end_session(app, client)
    response = client.post(f"/assessments/{assessment_id}/sections/economy",
                           data=_economy_post(page, **{"rows-0-groups": "Planted text"}),
                           headers={"Origin": "https://evil.example"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.query(FormStash).count() == 0


# --- only for the person whose session ended, and bounded ---------------------------------------


def test_a_post_from_someone_never_signed_in_is_not_kept(app, client, users):
    """Finding: anyone without an account could post up to 8 MB to /assessments/... and it was kept two days."""
    response = client.post("/assessments/1/sections/economy", data={"rows-0-groups": "x" * 100_000},
                           headers={"Origin": "http://localhost"})
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    with app.app_context():
        assert db.session.query(FormStash).count() == 0


def test_kept_forms_are_bounded_per_person(app, client, users):
    assessment_id, _page = _start(client)
    _end_session(app, client)
    pages = ["details", "team", "engagement", "staff", "sections/economy", "sections/health", "sections/environment"]
    for name in pages:
        client.post(f"/assessments/{assessment_id}/{name}", data={"typed": name}, headers={"Origin": "http://localhost"})
    client.post(f"/assessments/{assessment_id}/details", data={"typed": "again"}, headers={"Origin": "http://localhost"})
    too_big = "x" * (app.config["CIA_STASH_MAX_BYTES"] + 1)
    client.post(f"/assessments/{assessment_id}/staff", data={"typed": too_big}, headers={"Origin": "http://localhost"})
    with app.app_context():
        kept = db.session.query(FormStash).all()
        assert len(kept) == app.config["CIA_STASH_MAX_PER_PERSON"]
        # The oldest went first; the too-large post did not replace the staff page's kept form.
        assert sorted(k.path.rsplit("/", 1)[1] for k in kept) == ["details", "economy", "environment", "health",
                                                                   "staff"]
        assert all(len(str(k.form)) < 1000 for k in kept)


def test_someone_else_signing_in_on_that_browser_does_not_get_the_form(app, client, users):
    assessment_id, page = _start(client)
    _end_session(app, client)
    path = f"/assessments/{assessment_id}/sections/economy"
    client.post(path, data=_economy_post(page, **{"rows-0-groups": "Private notes"}), headers={"Origin": "http://localhost"})
    sign_in(client, "admin@example.gov.uk")
    assert "Private notes" not in client.get(path).get_data(as_text=True)


# --- the server ends sessions ----------------------------------------------------------------


def test_a_session_idle_for_longer_than_the_timeout_ends_on_the_server(app, client, users):
    """Finding: sessions slid for ever (the cookie renewed and the server-side row never expired)."""
    sign_in(client, "author@example.gov.uk")
    _age_sessions(app, idle_minutes=app.config["CIA_SESSION_IDLE_MINUTES"] - 1)
    assert client.get("/").status_code == 200
    _age_sessions(app, idle_minutes=app.config["CIA_SESSION_IDLE_MINUTES"] + 1)
    response = client.get("/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    notice = client.get("/sign-in").get_data(as_text=True)
    assert "you were signed out because your session ended" in notice.lower()
    # Something to act on, not news of success: the "Important" banner, not the green one.
    assert "govuk-notification-banner--success" not in notice and "Important" in notice
    with app.app_context():
        assert db.session.query(UserSession).one().revoked_at is not None
        assert db.session.query(AuditEvent).filter_by(action="auth.session_expired").count() == 1


def test_a_busy_session_still_ends_after_its_absolute_lifetime(app, client, users):
    sign_in(client, "author@example.gov.uk")
    _age_sessions(app, idle_minutes=0, signed_in_hours=app.config["CIA_SESSION_ABSOLUTE_HOURS"] - 0.1)
    assert client.get("/").status_code == 200
    _age_sessions(app, idle_minutes=0, signed_in_hours=app.config["CIA_SESSION_ABSOLUTE_HOURS"] + 0.1)
    assert client.get("/").status_code == 302


def test_activity_restarts_the_idle_timeout_but_asking_how_long_is_left_does_not(app, client, users):
    sign_in(client, "author@example.gov.uk")
    idle = app.config["CIA_SESSION_IDLE_MINUTES"]
    _age_sessions(app, idle_minutes=idle - 5)
    status = client.get("/session").get_json()
    assert status["signed_in"] and 4 * 60 < status["seconds_left"] <= 5 * 60
    assert status["warning_seconds"] == app.config["CIA_SESSION_WARNING_SECONDS"] and status["can_extend"]
    assert 4 * 60 < client.get("/session").get_json()["seconds_left"] <= 5 * 60  # asking again changed nothing
    response = client.post("/session/stay-signed-in", headers={"Accept": "application/json"})
    assert response.get_json() == {"signed_in": True}
    assert client.get("/session").get_json()["seconds_left"] > (idle - 1) * 60


def test_near_the_absolute_lifetime_the_session_cannot_be_extended(app, client, users):
    sign_in(client, "author@example.gov.uk")
    _age_sessions(app, idle_minutes=1, signed_in_hours=app.config["CIA_SESSION_ABSOLUTE_HOURS"] - 0.05)
    status = client.get("/session").get_json()
    assert status["can_extend"] is False and status["seconds_left"] <= 0.05 * 3600


def test_signed_out_the_status_says_so(client):
    assert client.get("/session").get_json() == {"signed_in": False, "seconds_left": 0}


@pytest.mark.parametrize("path", ["/", "/assessments/new"])
def test_signed_in_pages_carry_the_timeout_warning_for_the_script(app, client, users, path):
    sign_in(client, "author@example.gov.uk")
    html = client.get(path).get_data(as_text=True)
    assert 'id="session-timeout"' in html and 'data-status-url="/session"' in html
    assert "Stay signed in" in html and "<script>" not in html
    assert 'src="/static/js/app.mjs"' in html


def test_the_sign_in_page_has_no_timeout_warning(client):
    assert 'id="session-timeout"' not in client.get("/sign-in").get_data(as_text=True)
