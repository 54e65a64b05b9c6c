"""Who may see and change an assessment, on every route that takes one.

A draft is visible to its team (the owner and the members given edit access), the approvers
it is sent to and administrators; nobody else learns that it exists (404). Administrators
read everything but only the team edits (403 on edit pages).
"""

from __future__ import annotations

import pytest

from cia.extensions import db
from cia.models import ApprovalRequest, Assessment, User
from tests.helpers import give_edit_access, post_page, section_url, signed_in

#: The authoring edit pages (GET shows the form, POST saves it).
EDIT_PAGES = ["details", "team", "engagement", "staff", "sections/economy", "sections/economy/evidence",
              "sections/psed"]
READ_PAGES = ["", "/view", "/check-answers", "/revisions/1/view"]


def _routes(app, assessment_id: int) -> list[tuple[str, str]]:
    """(method, path) for every route of the authoring blueprint that takes an assessment id."""
    values = {"assessment_id": assessment_id, "key": "economy", "revision": 1}
    found = []
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("assessments.") or "assessment_id" not in rule.arguments:
                continue
            path = adapter.build(rule.endpoint, {name: values.get(name, 1) for name in rule.arguments},
                                 force_external=False)
            if not path.startswith(f"/assessments/{assessment_id}"):
                continue  # a route built for another rule of the same endpoint
            found += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    assert len(found) >= 15
    return sorted(set(found))


def _request(client, method: str, path: str):
    return client.get(path) if method == "GET" else client.post(path, data={"submit": "continue"})


@pytest.fixture
def owned(app, author, assessment_id):
    return assessment_id


def test_another_author_gets_404_on_every_route(app, owned):
    other = signed_in(app, "other@example.gov.uk")
    for method, path in _routes(app, owned):
        assert _request(other, method, path).status_code == 404, (method, path)


def test_an_approver_not_assigned_gets_404_on_every_route(app, owned):
    approver = signed_in(app, "approver@example.gov.uk")
    for method, path in _routes(app, owned):
        assert _request(approver, method, path).status_code == 404, (method, path)


def test_404_for_an_assessment_that_does_not_exist(app, author):
    for method, path in _routes(app, 987654):
        assert _request(author, method, path).status_code == 404, (method, path)


def test_signed_out_visitors_are_sent_to_sign_in(app, owned):
    client = app.test_client()
    for method, path in _routes(app, owned):
        response = _request(client, method, path)
        assert response.status_code in (302, 400), (method, path)  # 400: the CSRF check, where enabled
        if response.status_code == 302:
            assert "/sign-in" in response.headers["Location"]


def test_the_owner_reads_and_edits_everything(author, owned):
    for page in READ_PAGES:
        assert author.get(f"/assessments/{owned}{page}").status_code == 200, page
    for page in EDIT_PAGES:
        assert author.get(f"/assessments/{owned}/{page}").status_code == 200, page
        assert post_page(author, f"/assessments/{owned}/{page}", {}, submit="later").status_code == 302, page


def test_a_team_member_with_edit_access_reads_and_edits(app, author, owned):
    give_edit_access(author, owned, "other@example.gov.uk")
    member = signed_in(app, "other@example.gov.uk")
    for page in READ_PAGES:
        assert member.get(f"/assessments/{owned}{page}").status_code == 200, page
    for page in EDIT_PAGES:
        assert member.get(f"/assessments/{owned}/{page}").status_code == 200, page
        assert post_page(member, f"/assessments/{owned}/{page}", {}, submit="later").status_code == 302, page
    # It is on their home page too.
    assert "Closing the Tamworth library" in member.get("/").get_data(as_text=True)


def test_a_team_member_without_edit_access_is_not_let_in(app, author, owned):
    url = f"/assessments/{owned}/team"
    from tests.helpers import page_fields, press

    html = press(author, url, "add:members", author.get(url).get_data(as_text=True)).get_data(as_text=True)
    post_page(author, url, {"members-0-name": "Olu Other", "members-0-account_email": "other@example.gov.uk",
                            "members-0-edit_access": "no"}, fields=page_fields(html))
    other = signed_in(app, "other@example.gov.uk")
    assert other.get(section_url(owned, "economy")).status_code == 404


def test_an_administrator_reads_everything_but_edits_nothing(app, owned):
    admin = signed_in(app, "admin@example.gov.uk")
    for page in READ_PAGES:
        response = admin.get(f"/assessments/{owned}{page}")
        assert response.status_code == 200, page
    check_answers = admin.get(f"/assessments/{owned}/check-answers").get_data(as_text=True)
    assert "Change<span" not in check_answers  # no change links for someone who cannot change
    for page in EDIT_PAGES:
        path = f"/assessments/{owned}/{page}"
        assert admin.get(path).status_code == 403, path
        assert admin.post(path, data={"submit": "continue", "version": "1"}).status_code == 403, path
        assert admin.post(path, data={"action": "add:rows"}).status_code == 403, path


def test_an_assigned_approver_reads_but_does_not_edit(app, author, owned):
    with app.app_context():
        assessment = db.session.get(Assessment, owned)
        approver = db.session.query(User).filter_by(email="approver@example.gov.uk").one()
        owner = db.session.query(User).filter_by(email="author@example.gov.uk").one()
        db.session.add(ApprovalRequest(revision_id=assessment.current_revision_id, assessment_id=owned,
                                       approver_id=approver.id, requested_by_id=owner.id, level="manager"))
        db.session.commit()
    client = signed_in(app, "approver@example.gov.uk")
    for page in ("", "/view"):
        assert client.get(f"/assessments/{owned}{page}").status_code == 200, page
    for page in EDIT_PAGES:
        assert client.get(f"/assessments/{owned}/{page}").status_code == 403, page


def test_nothing_is_saved_by_a_refused_request(app, owned):
    other = signed_in(app, "other@example.gov.uk")
    admin = signed_in(app, "admin@example.gov.uk")
    for client in (other, admin):
        client.post(f"/assessments/{owned}/details", data={"name": "Hijacked", "version": "1", "submit": "later"})
    with app.app_context():
        from tests.helpers import stored_part

        assert stored_part(owned, "details")["name"] == "Closing the Tamworth library"
