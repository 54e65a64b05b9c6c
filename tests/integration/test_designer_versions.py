"""Versions: create a draft, one draft at a time, publish (checked first), retire, and frozen versions."""

from __future__ import annotations

import pytest

from cia import templateformat
from cia.data import templates
from cia.data.templates import TemplateVersionIsFrozen
from cia.extensions import db
from cia.models import Assessment, Revision, TemplateVersion
from tests.helpers import error_summary, ids_on, signed_in, start_assessment
from tests.integration.designer_support import (
    ADMIN,
    audit_rows,
    counts,
    fields_of,
    main_text,
    new_draft,
    press,
    save,
    seeded_version_id,
    spec,
    status,
    template_id_of,
)
from tests.integration.test_designer_access import designer_urls


@pytest.fixture
def admin(app, users):
    return signed_in(app, ADMIN)


def test_the_templates_page_lists_versions_with_their_use(app, admin):
    author = signed_in(app, "author@example.gov.uk")
    start_assessment(author, "Library hours")
    start_assessment(author, "Mobile libraries")
    text = main_text(admin.get("/templates/").get_data(as_text=True))
    assert "Community Impact Assessment Template" in text
    assert "Version 1 of Community Impact Assessment Template Published" in text
    assert text.split("Published", 1)[1].split("Create new version")[0].strip().endswith("2")


def test_create_a_new_version_copies_the_published_one(app, admin):
    seeded = seeded_version_id(app)
    draft = new_draft(admin, app)
    assert status(app, draft) == "draft"
    copied, original = spec(app, draft), spec(app, seeded)
    assert copied.version == 2 and original.version == 1
    copied.version = 1
    assert copied == original
    created = audit_rows(app, "template.version_created")
    assert created[-1].details["copied_from"] == 1 and created[-1].object_id == str(draft)
    page = main_text(admin.get("/templates/").get_data(as_text=True))
    assert "Version 2 is a draft" in page and "Create new version" not in page


def test_only_one_draft_at_a_time(app, admin):
    seeded = seeded_version_id(app)
    new_draft(admin, app)
    before = counts(app)
    response = admin.post(f"/templates/{template_id_of(app, seeded)}/versions", data={"from_version": str(seeded)})
    assert response.status_code == 409
    summary = error_summary(response.get_data(as_text=True))
    assert summary and "already has a draft (version 2). Publish or delete that draft" in summary[0][1]
    assert summary[0][0][1:] in ids_on(response.get_data(as_text=True))
    assert counts(app) == before


def test_publish_is_checked_first_and_names_each_problem(app, admin):
    draft = new_draft(admin, app)
    # Break the draft in three ways the forms allow: empty both scales, leave a section without areas.
    url = f"/templates/versions/{draft}/scales"
    html = admin.get(url).get_data(as_text=True)
    for name in ("likelihood", "impact"):
        while f'value="remove:{name}-0"' in html:
            html = press(admin, url, f"remove:{name}-0", html).get_data(as_text=True)
    assert admin.post(url, data={**fields_of_html(html), "submit": "save"}).status_code == 302
    response = save(admin, f"/templates/versions/{draft}/sections/new", {"title": "Digital inclusion"})
    assert response.status_code == 302
    section_url = response.headers["Location"]
    edit = admin.get(section_url).get_data(as_text=True)
    assert "This section has no category areas yet" in edit
    save(admin, section_url, {"allow_custom_rows": "no"})

    page = admin.get(f"/templates/versions/{draft}/publish")
    html = page.get_data(as_text=True)
    summary = dict((text, href) for href, text in error_summary(html))
    assert "Add at least one option to the likelihood scale" in summary
    assert "Add at least one option to the size of impact scale" in summary
    problem = next(t for t in summary if "Digital inclusion" in t)
    assert "has no category areas" in problem and summary[problem].startswith(section_url.split("localhost")[-1])
    assert summary["Add at least one option to the likelihood scale"].endswith("/scales#likelihood")
    assert "Publish version 2</button>" not in html
    # Publishing anyway is refused with the same list, and changes nothing.
    refused = admin.post(f"/templates/versions/{draft}/publish",
                         data={"spec_hash": templateformat.spec_hash(spec(app, draft))})
    assert refused.status_code == 400 and len(error_summary(refused.get_data(as_text=True))) == 3
    assert status(app, draft) == "draft"


def fields_of_html(html: str) -> dict[str, str]:
    from tests.helpers import page_fields

    return page_fields(html)


def test_publish_then_new_assessments_start_on_it(app, admin):
    draft = new_draft(admin, app)
    assert save(admin, f"/templates/versions/{draft}/details", {"name": "Community Impact Assessment 2026"}).status_code == 302
    page = admin.get(f"/templates/versions/{draft}/publish").get_data(as_text=True)
    assert "passes every check" in page and not error_summary(page)
    response = admin.post(f"/templates/versions/{draft}/publish", data=fields_of_html_form(page, "publish"))
    assert response.status_code == 302
    assert status(app, draft) == "published"
    assert audit_rows(app, "template.published")[-1].object_id == str(draft)
    with app.app_context():
        assert templates.newest_published_version().id == draft
        version = db.session.get(TemplateVersion, draft)
        assert version.published_at is not None and version.template.name == "Community Impact Assessment 2026"
    author = signed_in(app, "author@example.gov.uk")
    assessment_id = start_assessment(author)
    with app.app_context():
        revision = db.session.get(Revision, db.session.get(Assessment, assessment_id).current_revision_id)
        assert revision.template_version_id == draft


def fields_of_html_form(html: str, form_id: str) -> dict[str, str]:
    from tests.helpers import page_fields

    return page_fields(html, form_id)


def test_a_draft_changed_meanwhile_is_not_published_unseen(app, admin):
    draft = new_draft(admin, app)
    page = admin.get(f"/templates/versions/{draft}/publish").get_data(as_text=True)
    other = signed_in(app, ADMIN)
    assert save(other, f"/templates/versions/{draft}/details", {"name": "Renamed meanwhile"}).status_code == 302
    response = admin.post(f"/templates/versions/{draft}/publish", data=fields_of_html_form(page, "publish"))
    assert response.status_code == 409
    assert "Another administrator changed this draft" in response.get_data(as_text=True)
    assert status(app, draft) == "draft"
    assert admin.post(f"/templates/versions/{draft}/publish", data={}).status_code == 409  # no fingerprint
    again = fields_of_html_form(response.get_data(as_text=True), "publish")
    assert admin.post(f"/templates/versions/{draft}/publish", data=again).status_code == 302


def _publish(app, admin, draft: int) -> None:
    page = admin.get(f"/templates/versions/{draft}/publish").get_data(as_text=True)
    assert admin.post(f"/templates/versions/{draft}/publish", data=fields_of_html_form(page, "publish")).status_code == 302


def test_retire_a_published_version(app, admin):
    seeded = seeded_version_id(app)
    draft = new_draft(admin, app)
    _publish(app, admin, draft)
    assert admin.get(f"/templates/versions/{draft}/retire").status_code == 200
    assert admin.post(f"/templates/versions/{draft}/retire").status_code == 302
    assert status(app, draft) == "retired"
    assert audit_rows(app, "template.retired")[-1].object_id == str(draft)
    with app.app_context():
        assert templates.newest_published_version().id == seeded  # no longer chosen for new assessments
    author = signed_in(app, "author@example.gov.uk")
    assessment_id = start_assessment(author)
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).current_revision.template_version_id == seeded
    # A retired version is still shown, previewed and downloaded; a new version can copy it.
    assert admin.get(f"/templates/versions/{draft}").status_code == 200
    assert admin.get(f"/templates/versions/{draft}/preview").status_code == 200
    assert admin.get(f"/templates/versions/{draft}/download").status_code == 200


@pytest.mark.parametrize("state", ["published", "retired"])
def test_published_and_retired_versions_cannot_change(app, admin, state):
    draft = new_draft(admin, app)
    _publish(app, admin, draft)
    if state == "retired":
        assert admin.post(f"/templates/versions/{draft}/retire").status_code == 302
    before = spec(app, draft)
    before_counts = counts(app)
    author = signed_in(app, "author@example.gov.uk")
    assessment_id = start_assessment(author)
    before_counts = counts(app)
    refused = 0
    for method, url in designer_urls(app, draft, template_id_of(app, draft), assessment_id):
        if method != "POST" or "/versions/" not in url or "/preview" in url:
            continue  # answering in the preview changes no version
        if url.endswith("/retire") and state == "published":
            continue  # retiring is the one change a published version may have
        response = admin.post(url, data={"name": "Changed", "title": "Changed", "spec_hash": "", "submit": "save"})
        assert response.status_code == 409, f"POST {url}: {response.status_code}"
        assert "cannot be changed" in response.get_data(as_text=True)
        refused += 1
    assert refused >= 12
    assert spec(app, draft) == before
    assert counts(app) == before_counts
    assert status(app, draft) == state
    # The edit pages say so too, instead of showing a form.
    assert admin.get(f"/templates/versions/{draft}/sections/psed").status_code == 409
    # And the data layer refuses whatever the caller.
    with app.app_context():
        version = db.session.get(TemplateVersion, draft)
        changed = templates.spec_for_version(draft).copy()
        changed.name = "Changed behind the designer's back"
        with pytest.raises(TemplateVersionIsFrozen):
            templates.write_spec(version, changed)
        db.session.rollback()


def test_delete_a_draft(app, admin):
    draft = new_draft(admin, app)
    assert "Delete draft version 2" in admin.get(f"/templates/versions/{draft}/delete").get_data(as_text=True)
    response = admin.post(f"/templates/versions/{draft}/delete")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(TemplateVersion, draft) is None
    deleted = audit_rows(app, "template.draft_deleted")[-1]
    assert deleted.details["content"]["name"] == "Community Impact Assessment Template"  # kept in the audit trail
    new_draft(admin, app)  # the template can have a draft again


def test_the_version_page_shows_the_parts_to_edit(app, admin):
    draft = new_draft(admin, app)
    text = main_text(admin.get(f"/templates/versions/{draft}").get_data(as_text=True))
    for part in ("Name and general text", "Header fields", "Column guidance", "Completing guidance",
                 "Please note", "Sections and category areas", "Likelihood and size of impact scales",
                 "Checker rules", "Preview this version", "Download this version", "Check and publish"):
        assert part in text
    seeded = main_text(admin.get(f"/templates/versions/{seeded_version_id(app)}").get_data(as_text=True))
    assert "This version is published and can no longer change" in seeded
    assert "Check and publish" not in seeded and "Version 2 is a draft" in seeded
    assert fields_of(admin.get(f"/templates/versions/{draft}/details"))["name"] == "Community Impact Assessment Template"
