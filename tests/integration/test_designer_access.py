"""Only administrators reach the template designer; every refusal is audited."""

from __future__ import annotations

import pytest

from cia.designer import OWNER_ENDPOINTS
from tests.helpers import signed_in, start_assessment
from tests.integration.designer_support import ADMIN, audit_rows, new_draft, template_id_of


def designer_urls(app, version_id: int, template_id: int, assessment_id: int) -> list[tuple[str, str]]:
    """(method, url) for every route of the designer blueprint, from the URL map itself."""
    values = {"version_id": version_id, "template_id": template_id, "key": "psed", "which": "completing",
              "assessment_id": assessment_id, "target": "section", "question_key": "question", "kind": "short_text",
              "area": "race"}
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("designer.") or rule.endpoint in OWNER_ENDPOINTS:
                continue
            # "kind" is a question's kind on the question pages, a format on the preview's downloads
            args = {k: "json" if k == "kind" and "/download/" in rule.rule else values[k] for k in rule.arguments}
            url = rule.build(args, append_unknown=False)[1]
            found += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


@pytest.fixture
def targets(app, users):
    admin = signed_in(app, ADMIN)
    draft = new_draft(admin, app)
    author = signed_in(app, "author@example.gov.uk")
    assessment_id = start_assessment(author)
    return designer_urls(app, draft, template_id_of(app, draft), assessment_id)


def test_the_route_list_covers_the_whole_designer(targets):
    methods = {m for m, _ in targets}
    assert methods == {"GET", "POST"}
    assert len(targets) >= 30


@pytest.mark.parametrize("email", ["author@example.gov.uk", "approver@example.gov.uk"])
def test_every_designer_route_refuses_non_administrators(app, targets, email):
    client = signed_in(app, email)
    before = len(audit_rows(app, "access.refused"))
    for method, url in targets:
        response = client.open(url, method=method, data={})
        assert response.status_code == 403, f"{method} {url}: {response.status_code}"
        assert "You do not have permission" in response.get_data(as_text=True)
    refused = audit_rows(app, "access.refused")
    assert len(refused) - before == len(targets)
    assert {r.details["path"] for r in refused[before:]} == {url for _, url in targets}


def test_signed_out_visitors_are_sent_to_sign_in(app, targets):
    client = app.test_client()
    for method, url in targets:
        response = client.open(url, method=method, data={})
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], f"{method} {url}"


def test_administrators_reach_every_designer_page(app, targets):
    admin = signed_in(app, ADMIN)
    for method, url in targets:
        if method == "GET":
            response = admin.get(url)
            expected = 409 if url.endswith("/retire") else 200  # the version is a draft: nothing to retire
            if "/preview/" in url and url.endswith("/questions"):
                expected = 404  # this template's sections ask no questions (see test_question_sections.py)
            if "/rating-scales/psed" in url:
                expected = 404  # this template has no rating scales (see test_designer_vocabulary.py)
            if "/questions/question" in url:
                expected = 404  # nor, so, the question "question"
            assert response.status_code == expected, f"GET {url}: {response.status_code}"


def test_the_navigation_offers_templates_to_administrators_only(app, users):
    admin = signed_in(app, ADMIN)
    author = signed_in(app, "author@example.gov.uk")
    assert 'href="/templates/"' in admin.get("/").get_data(as_text=True)
    assert 'href="/templates/"' not in author.get("/").get_data(as_text=True)


def test_moving_an_assessment_is_for_its_owner_and_administrators(app, users):
    author = signed_in(app, "author@example.gov.uk")
    assessment_id = start_assessment(author)
    admin = signed_in(app, ADMIN)
    other = signed_in(app, "other@example.gov.uk")
    # Nothing to move to yet: the page says so (409), for the owner and for administrators alike.
    assert author.get(f"/templates/move/{assessment_id}").status_code == 409
    assert admin.get(f"/templates/move/{assessment_id}").status_code == 409
    # Someone who cannot see the draft gets "not found", as everywhere else.
    assert other.get(f"/templates/move/{assessment_id}").status_code == 404
    assert other.post(f"/templates/move/{assessment_id}").status_code == 404
    assert other.get(f"/templates/move/{assessment_id}/done").status_code == 404
