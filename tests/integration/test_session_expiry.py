"""A session that ends during a long edit loses nothing: the typed text comes back after signing in."""

from __future__ import annotations

import re

from cia.extensions import db
from cia.models import FormStash
from tests.conftest import csrf_token, make_app
from tests.helpers import sign_in

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
    client.delete_cookie("cia_session", domain="localhost")  # the session ends (expiry or signed out elsewhere)
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
    client.delete_cookie("cia_session", domain="localhost")
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
    client.delete_cookie("cia_session", domain="localhost")
    response = client.post(f"/assessments/{assessment_id}/sections/economy",
                           data=_economy_post(page, **{"rows-0-groups": "Planted text"}),
                           headers={"Origin": "https://evil.example"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.query(FormStash).count() == 0
