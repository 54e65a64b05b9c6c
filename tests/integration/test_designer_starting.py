"""Starting a template (from scratch, from a shipped template, by upload), duplicating one, and
what "Check and publish" and the move of a draft assessment say changed between two versions."""

from __future__ import annotations

import pytest

from cia.data import templates
from cia.extensions import db
from cia.models import Template, TemplateVersion
from tests.helpers import error_summary, page_fields, signed_in, start_assessment
from tests.integration.designer_support import (
    ADMIN,
    AUTHOR,
    audit_rows,
    counts,
    fields_of,
    index_of,
    main_text,
    new_draft,
    press,
    save,
    seeded_version_id,
    spec,
    status,
)

SEEDED_NAME = "Community Impact Assessment Template"


@pytest.fixture
def admin(app, users):
    return signed_in(app, ADMIN)


@pytest.fixture
def author(app, users):
    return signed_in(app, AUTHOR)


def version_id(response) -> int:
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def template_of(app, version: int) -> Template:
    with app.app_context():
        found = db.session.get(Template, db.session.get(TemplateVersion, version).template_id)
        db.session.expunge(found)
        return found


# --- how to start ----------------------------------------------------------------------------------


def test_the_templates_page_offers_to_start_a_template_and_to_duplicate_each(admin):
    html = admin.get("/templates/").get_data(as_text=True)
    assert 'href="/templates/new"' in html and "Start a template" in html
    assert 'href="/templates/import"' in html
    assert "Duplicate this template" in main_text(html)


@pytest.mark.parametrize(("how", "goes_to"), [("blank", "/templates/new/blank"), ("shipped", "/templates/new/copy"),
                                              ("upload", "/templates/import")])
def test_the_start_page_leads_to_the_way_chosen(admin, how, goes_to):
    page = admin.get("/templates/new")
    assert page.status_code == 200
    text = main_text(page.get_data(as_text=True))
    assert "How do you want to start the template?" in text
    for label in ("From scratch", "By copying a template that comes with this service", "By uploading a YAML file"):
        assert label in text
    response = admin.post("/templates/new", data={"how": how})
    assert response.status_code == 302 and response.headers["Location"].endswith(goes_to)


@pytest.mark.parametrize("how", [None, "", "scratch", "../import"])
def test_the_start_page_asks_again_without_a_choice_it_offers(app, admin, how):
    before = counts(app)
    response = admin.post("/templates/new", data={} if how is None else {"how": how})
    assert response.status_code == 400
    assert error_summary(response.get_data(as_text=True)) == [("#how", "Select how you want to start the template")]
    assert counts(app) == before


# --- from scratch ----------------------------------------------------------------------------------


def test_a_template_from_scratch_is_a_draft_with_one_section_that_publish_then_guides(app, admin):
    response = admin.post("/templates/new/blank", data={"name": "Equality screening", "organisation": "Borsetshire Council",
                                                        "section": "Screening questions"})
    draft = version_id(response)
    page = admin.get(f"/templates/versions/{draft}", follow_redirects=True).get_data(as_text=True)
    assert "The template “Equality screening” has been created. Version 1 is a draft" in main_text(page)
    made = spec(app, draft)
    assert (made.name, made.organisation, made.version) == ("Equality screening", "Borsetshire Council", 1)
    assert [(s.key, s.title) for s in made.sections] == [("screening_questions", "Screening questions")]
    assert status(app, draft) == "draft"
    template = template_of(app, draft)
    assert (template.name, template.slug) == ("Equality screening", "equality-screening")
    row = audit_rows(app, "template.created")[-1]
    assert row.object_id == str(draft) and row.details["source"] == "scratch" and row.details["version"] == 1
    publish = admin.get(f"/templates/versions/{draft}/publish")
    assert publish.status_code == 200
    html = publish.get_data(as_text=True)
    assert error_summary(html) == [
        (f"/templates/versions/{draft}/scales#likelihood", "Add at least one option to the likelihood scale"),
        (f"/templates/versions/{draft}/scales#impact", "Add at least one option to the size of impact scale"),
        (f"/templates/versions/{draft}/sections/screening_questions#areas",
         'Section 1 ("Screening questions") has no category areas and no questions: add one, or let authors add '
         "their own rows"),
    ]
    assert ("This is the first version of Equality screening: there is no published version to compare it with"
            in main_text(html))


@pytest.mark.parametrize(("data", "expected"), [
    ({"name": "", "section": "Screening"}, [("#name", "Enter the name of the template")]),
    ({"name": "   ", "section": "Screening"}, [("#name", "Enter the name of the template")]),
    ({"name": "Screening", "section": ""}, [("#section", "Enter the title of the first section")]),
    ({"name": "x" * 301, "section": "S"}, [("#name", "Template name must be 300 characters or fewer")]),
    ({"name": SEEDED_NAME, "section": "S"},
     [("#name", f"A template called “{SEEDED_NAME}” already exists: enter a different name")]),
    ({"name": "  community impact  ASSESSMENT template ", "section": "S"},
     [("#name", "A template called “community impact ASSESSMENT template” already exists: enter a different name")]),
])
def test_a_template_from_scratch_is_refused_without_a_name_a_section_or_with_a_name_taken(app, admin, data, expected):
    before = counts(app)
    response = admin.post("/templates/new/blank", data=data)
    assert response.status_code == 400
    assert error_summary(response.get_data(as_text=True)) == expected
    assert counts(app) == before


def test_the_name_of_another_templates_draft_is_taken_too(app, admin):
    """A draft renamed but not yet published still holds its new name."""
    draft = new_draft(admin, app)
    assert save(admin, f"/templates/versions/{draft}/details", {"name": "Fairness assessment"}).status_code == 302
    before = counts(app)
    response = admin.post("/templates/new/blank", data={"name": "Fairness Assessment", "section": "S"})
    assert error_summary(response.get_data(as_text=True)) == [
        ("#name", "A template called “Fairness Assessment” already exists: enter a different name")]
    assert counts(app) == before


# --- by copying a shipped template ---------------------------------------------------------------------


def test_a_shipped_template_is_copied_under_a_new_name(app, admin):
    html = admin.get("/templates/new/copy").get_data(as_text=True)
    assert ("Which template do you want to copy? Community Impact Assessment Template Staffordshire County Council "
            "Integrated Impact Assessment (Wales) Example County Borough Council Equality Impact Assessment (England) "
            "Example Borough Council") in main_text(html)
    response = admin.post("/templates/new/copy", data={"shipped": "equality-impact-assessment-england",
                                                       "name": "Borsetshire EIA", "organisation": "Borsetshire"})
    draft = version_id(response)
    made = spec(app, draft).to_dict()
    shipped = templates.bundled_template_spec("equality-impact-assessment-england").to_dict()
    assert made == {**shipped, "name": "Borsetshire EIA", "organisation": "Borsetshire", "version": 1}
    row = audit_rows(app, "template.created")[-1]
    assert (row.details["source"], row.details["shipped"]) == ("shipped", "equality-impact-assessment-england")


@pytest.mark.parametrize(("data", "expected"), [
    ({"shipped": "no-such-template", "name": "Mine"}, [("#shipped", "Select the template to copy")]),
    ({"shipped": "../staffordshire-cia", "name": "Mine"}, [("#shipped", "Select the template to copy")]),
    ({"name": "Mine"}, [("#shipped", "Select the template to copy")]),
    ({"shipped": "staffordshire-cia", "name": ""}, [("#name", "Enter the name of the template")]),
    ({"shipped": "staffordshire-cia", "name": SEEDED_NAME},
     [("#name", f"A template called “{SEEDED_NAME}” already exists: enter a different name")]),
])
def test_copying_a_shipped_template_is_refused_for_an_unknown_choice_or_a_name_missing_or_taken(app, admin, data,
                                                                                                expected):
    before = counts(app)
    response = admin.post("/templates/new/copy", data=data)
    assert response.status_code == 400
    assert error_summary(response.get_data(as_text=True)) == expected
    assert counts(app) == before


# --- duplicating a template ------------------------------------------------------------------------------


def _duplicate(admin, template_id: int, name: str, **changes):
    url = f"/templates/{template_id}/duplicate"
    fields = page_fields(admin.get(url).get_data(as_text=True))
    return admin.post(url, data={**fields, "name": name, **changes})


def test_a_template_is_duplicated_from_its_newest_version_even_a_draft(app, admin):
    seeded = seeded_version_id(app)
    tid = template_of(app, seeded).id
    page = admin.get(f"/templates/{tid}/duplicate").get_data(as_text=True)
    assert "holding a copy of version 1 (published)" in main_text(page)
    assert page_fields(page)["organisation"] == spec(app, seeded).organisation
    draft = new_draft(admin, app)
    assert save(admin, f"/templates/versions/{draft}/sections/psed", {"title": "Equality duty"}).status_code == 302
    page = admin.get(f"/templates/{tid}/duplicate").get_data(as_text=True)
    assert "holding a copy of version 2 (draft)" in main_text(page)
    copy = version_id(_duplicate(admin, tid, "Our own CIA", organisation="Borsetshire"))
    assert {**spec(app, copy).to_dict(), "name": None, "organisation": None, "version": None} == {
        **spec(app, draft).to_dict(), "name": None, "organisation": None, "version": None}
    assert (spec(app, copy).name, spec(app, copy).organisation, status(app, copy)) == (
        "Our own CIA", "Borsetshire", "draft")
    assert template_of(app, copy).id != tid
    assert spec(app, draft).name == SEEDED_NAME  # the original does not change
    row = audit_rows(app, "template.created")[-1]
    assert row.details["source"] == "duplicate"
    assert (row.details["copied_from_template_id"], row.details["copied_from_version"]) == (tid, 2)


def test_duplicating_is_refused_for_a_name_taken_or_missing_and_for_a_template_that_does_not_exist(app, admin):
    tid = template_of(app, seeded_version_id(app)).id
    before = counts(app)
    response = _duplicate(admin, tid, SEEDED_NAME.upper())
    assert response.status_code == 400
    assert error_summary(response.get_data(as_text=True)) == [
        ("#name", f"A template called “{SEEDED_NAME.upper()}” already exists: enter a different name")]
    response = _duplicate(admin, tid, "")
    assert error_summary(response.get_data(as_text=True)) == [("#name", "Enter the name of the template")]
    for forged in (tid + 1000, 99999999):
        assert admin.get(f"/templates/{forged}/duplicate").status_code == 404
        assert admin.post(f"/templates/{forged}/duplicate", data={"name": "X"}).status_code in (400, 404)
    assert counts(app) == before


def test_duplicating_a_template_that_changed_since_the_page_was_opened_copies_nothing(app, admin):
    tid = template_of(app, seeded_version_id(app)).id
    url = f"/templates/{tid}/duplicate"
    fields = page_fields(admin.get(url).get_data(as_text=True))
    new_draft(admin, app)  # a newer version appears meanwhile
    before = counts(app)
    response = admin.post(url, data={**fields, "name": "Our own CIA"})
    assert response.status_code == 409
    assert error_summary(response.get_data(as_text=True))[0][1] == (
        f"{SEEDED_NAME} changed since you opened this page: its newest version is now version 2 (draft). "
        "Check it, then duplicate it again if you still want to")
    assert counts(app) == before
    for forged in ({"source": "²"}, {"source": str(seeded_version_id(app))}, {"spec_hash": "x"}):
        assert admin.post(url, data={**page_fields(admin.get(url).get_data(as_text=True)), "name": "Ours",
                                     **forged}).status_code == 409
    assert counts(app) == before
    assert version_id(admin.post(url, data={**page_fields(response.get_data(as_text=True)), "name": "Our own CIA"}))


def test_only_administrators_start_or_duplicate_templates(app, author):
    tid = template_of(app, seeded_version_id(app)).id
    before = counts(app)
    for url in ("/templates/new", "/templates/new/blank", "/templates/new/copy", f"/templates/{tid}/duplicate"):
        assert author.get(url).status_code == 403
        assert author.post(url, data={"name": "Mine", "section": "S", "how": "blank"}).status_code in (400, 403)
    assert counts(app)[:2] == before[:2]


# --- what changed: check and publish, and moving an assessment -----------------------------------------


def _version_two(app, admin) -> int:
    """A draft of version 2: Disability renamed, Noise removed, Economy removed, Likely relabelled, a rule off."""
    draft = new_draft(admin, app)
    base = f"/templates/versions/{draft}"
    url = f"{base}/sections/environment"
    html = admin.get(url).get_data(as_text=True)
    noise = index_of(page_fields(html), "areas", "key", "noise")
    html = press(admin, url, f"remove:areas-{noise}", html).get_data(as_text=True)
    assert admin.post(url, data={**page_fields(html), "submit": "save"}).status_code == 302
    url = f"{base}/sections/psed"
    fields = fields_of(admin.get(url))
    assert save(admin, url, {f"areas-{index_of(fields, 'areas', 'key', 'disability')}-title": "Disabled people"}
                ).status_code == 302
    page = admin.get(f"{base}/sections/economy/remove").get_data(as_text=True)
    assert admin.post(f"{base}/sections/economy/remove", data=page_fields(page, "confirm")).status_code == 302
    fields = fields_of(admin.get(f"{base}/scales"))
    assert save(admin, f"{base}/scales", {f"likelihood-{index_of(fields, 'likelihood', 'key', 'likely')}-label":
                                          "Probable"}).status_code == 302
    fields = fields_of(admin.get(f"{base}/rules"))
    assert save(admin, f"{base}/rules", {f"rules-{index_of(fields, 'rules', 'rule_id', 'CIA-R06')}-enabled": "no"}
                ).status_code == 302
    return draft


CHANGES = [
    "What changed since version 1",
    "Sections", "Removed section “Economy”",
    "Category areas",
    "Renamed category area “Disability” to “Disabled people” in “Public Sector Equality Duty (PSED)”",
    "Removed category area “Noise” from “Environment”",
    "Checker rules", "Turned off “The Project Team has more than one person” (CIA-R06)",
    "Other text and settings", "1 other change to text and settings: Likelihood scale (1).",
]


def test_check_and_publish_shows_what_changed_since_the_published_version(app, admin):
    draft = _version_two(app, admin)
    text = main_text(admin.get(f"/templates/versions/{draft}/publish").get_data(as_text=True))
    assert " ".join(CHANGES) in text
    assert "Authors of draft assessments on version 1 see these changes when they are offered the move to version 2" \
        in text


def test_check_and_publish_says_when_nothing_changed(app, admin):
    draft = new_draft(admin, app)
    text = main_text(admin.get(f"/templates/versions/{draft}/publish").get_data(as_text=True))
    assert "What changed since version 1 Nothing has changed." in text


def test_the_move_page_shows_the_author_what_changed_between_the_two_versions(app, admin, author):
    assessment = start_assessment(author)
    draft = _version_two(app, admin)
    page = admin.get(f"/templates/versions/{draft}/publish").get_data(as_text=True)
    assert admin.post(f"/templates/versions/{draft}/publish", data=page_fields(page, "publish")).status_code == 302
    response = author.get(f"/templates/move/{assessment}")
    assert response.status_code == 200
    text = main_text(response.get_data(as_text=True))
    assert " ".join(["What changed between version 1 and version 2", *CHANGES[1:]]) in text
    assert text.index("What changed between version 1 and version 2") < text.index("Moving it keeps everything")


def test_the_changes_count_from_the_newest_published_version(app, admin):
    second = _version_two(app, admin)
    page = admin.get(f"/templates/versions/{second}/publish").get_data(as_text=True)
    assert admin.post(f"/templates/versions/{second}/publish", data=page_fields(page, "publish")).status_code == 302
    first = seeded_version_id(app)
    page = admin.get(f"/templates/versions/{first}/retire").get_data(as_text=True)
    assert admin.post(f"/templates/versions/{first}/retire", data=page_fields(page, "confirm")).status_code == 302
    draft = new_draft(admin, app, second)
    assert save(admin, f"/templates/versions/{draft}/sections/environment", {"title": "Our environment"}
                ).status_code == 302
    text = main_text(admin.get(f"/templates/versions/{draft}/publish").get_data(as_text=True))
    assert ("What changed since version 2 Sections Renamed section “Environment” to “Our environment” Authors of "
            "draft assessments on version 2 see these changes when they are offered the move to version 3") in text
