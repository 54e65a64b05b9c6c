"""The council's lists and the rating scales in the designer: the installation's default lists made
the template's own, keys made once and kept, refusals that say why, conflicts, frozen versions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cia.data import templates
from cia.domain import DEFAULT_DECISION_ROUTES, DEFAULT_PUBLICATION_STATUSES
from cia.extensions import db
from cia.models import Template
from tests.helpers import assert_kept, assert_summary_links_work, error_summary, page_fields, signed_in
from tests.integration.designer_support import (
    ADMIN,
    audit_rows,
    count_items,
    fields_of,
    main_text,
    new_draft,
    press,
    save,
    seeded_version_id,
    spec,
)

ENGLAND = "equality-impact-assessment-england"


@pytest.fixture
def admin(app, users):
    return signed_in(app, ADMIN)


@pytest.fixture
def draft(app, admin):
    """A draft of the seeded council template, which states every list as its own."""
    return new_draft(admin, app)


@pytest.fixture
def england(app, admin) -> int:
    """A draft of the shipped English template: it leaves the council's lists out (the defaults),
    has a rating scale its questions use, and sign-off steps on the screening question."""
    with app.app_context():
        templates.seed_bundled_templates([ENGLAND])
        db.session.commit()
        published = db.session.execute(select(Template).where(Template.slug == ENGLAND)).scalar_one().versions[0].id
    return new_draft(admin, app, published)


def _labels(items) -> list[str]:
    return [i.label for i in items]


# --- the council's lists ---------------------------------------------------------------------------


def test_a_list_left_out_shows_the_default_and_saving_makes_it_the_templates_own(app, admin, england):
    url = f"/templates/versions/{england}/decision-routes"
    html = admin.get(url).get_data(as_text=True)
    text = main_text(html)
    assert "uses the installation’s default decision routes" in text
    assert "Saving this page makes the list the template’s own" in text
    assert [v for k, v in page_fields(html).items() if k.endswith("-label")] == _labels(DEFAULT_DECISION_ROUTES)
    assert spec(app, england).decision_routes == []
    assert save(admin, url).status_code == 302
    own = spec(app, england).decision_routes
    assert own == list(DEFAULT_DECISION_ROUTES)  # the same keys, labels and "say which" route, now its own
    assert "This template has its own list of decision routes" in main_text(admin.get(url).get_data(as_text=True))
    version_page = main_text(admin.get(f"/templates/versions/{england}").get_data(as_text=True))
    assert "Decision routes How a decision can be taken" in version_page
    assert "Project sizes And who signs off a project of each size (the installation's default list)" in version_page


def test_routes_added_renamed_moved_and_removed_keep_their_keys(app, admin, draft):
    url = f"/templates/versions/{draft}/decision-routes"
    html = press(admin, url, "add:routes").get_data(as_text=True)
    fields = page_fields(html)
    n = count_items(fields, "routes", "label") - 1
    assert f'data-app-focus="routes-{n}-label"' in html
    html = press(admin, url, f"up:routes-{n}", html, {f"routes-{n}-label": "Full Council"}).get_data(as_text=True)
    fields = page_fields(html)
    assert fields[f"routes-{n - 1}-label"] == "Full Council"
    html = press(admin, url, "remove:routes-3", html, {"routes-0-label": "The Cabinet"}).get_data(as_text=True)
    response = admin.post(url, data={**page_fields(html), "submit": "save"})
    assert response.status_code == 302
    routes = spec(app, draft).decision_routes
    assert [r.key for r in routes] == ["cabinet", "cabinet_member", "officer", "full_council", "other"]
    assert routes[0].label == "The Cabinet"
    assert routes[3].label == "Full Council" and routes[3].other is False
    changes = audit_rows(app, "template.edited")[-1]
    assert changes.details["page"] == "list decision-routes"
    assert {"field": "decision_routes[cabinet].label", "old": "Cabinet", "new": "The Cabinet"} in changes.details["changes"]


def test_only_one_route_asks_the_authors_to_say_which(app, admin, draft):
    url = f"/templates/versions/{draft}/decision-routes"
    typed = {"routes-0-other": "yes", "routes-1-label": "Cabinet Member (delegated)"}
    response = save(admin, url, typed)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert assert_summary_links_work(html) == [
        ("#routes-4-other", "Decision route 5: only one decision route can ask the authors to say which: choose No "
                            "for all but one")]
    assert_kept(html, typed)
    assert spec(app, draft).decision_routes[1].label == "Cabinet Member under delegation"  # nothing saved


def test_removing_every_item_gives_the_default_list_again(app, admin, draft):
    url = f"/templates/versions/{draft}/evidence-types"
    fields = fields_of(admin.get(url))
    kept = {k: v for k, v in fields.items() if not k.startswith("evidence-")}
    response = admin.post(url, data={**kept, "submit": "save"})
    assert response.status_code == 302
    assert spec(app, draft).evidence_types == []
    html = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "The template uses the installation's default evidence types again" in main_text(html)


def test_project_sizes_keys_fit_their_column_and_name_an_approver_level(app, admin, draft):
    url = f"/templates/versions/{draft}/project-sizes"
    html = press(admin, url, "add:sizes").get_data(as_text=True)
    fields = page_fields(html)
    assert "sizes-3-approver_level" not in fields  # nothing chosen yet
    response = admin.post(url, data={**fields, "sizes-3-label": "Very large strategic programme", "submit": "save"})
    assert error_summary(response.get_data(as_text=True)) == [
        ("#sizes-3-approver_level", "Project size 4: Select who signs off a project of this size")]
    response = admin.post(url, data={**fields, "sizes-3-label": "Very large strategic programme",
                                     "sizes-3-approver_level": "mayor", "submit": "save"})
    assert error_summary(response.get_data(as_text=True)) == [
        ("#sizes-3-approver_level", "Project size 4: Select an approver level from the list")]
    response = admin.post(url, data={**fields, "sizes-3-label": "Very large strategic programme",
                                     "sizes-3-approver_level": "head_of_service", "sizes-0-approver_level": "sponsor",
                                     "submit": "save"})
    assert response.status_code == 302
    sizes = spec(app, draft).project_sizes
    assert [(s.key, s.approver_level) for s in sizes] == [("small", "sponsor"), ("medium", "sponsor"),
                                                           ("large", "slt"), ("very_large", "head_of_service")]
    # Another size with a name that makes the same key gets one of its own, still short enough.
    html = press(admin, url, "add:sizes").get_data(as_text=True)
    assert admin.post(url, data={**page_fields(html), "sizes-4-label": "Very large indeed",
                                 "sizes-4-approver_level": "slt", "submit": "save"}).status_code == 302
    assert spec(app, draft).project_sizes[-1].key == "very_lar_2"


def test_the_installations_levels_are_shown_for_the_default_sizes(app, admin, england):
    app.config["CIA_APPROVER_LEVELS"] = {"small": "head_of_service"}
    try:
        html = admin.get(f"/templates/versions/{england}/project-sizes").get_data(as_text=True)
        assert "This installation sets who signs off each default size" in main_text(html)
        assert page_fields(html)["sizes-0-approver_level"] == "head_of_service"
        assert page_fields(html)["sizes-1-approver_level"] == "sponsor"
    finally:
        app.config["CIA_APPROVER_LEVELS"] = {}


def test_publication_statuses_and_their_paragraphs(app, admin, england):
    url = f"/templates/versions/{england}/publication-statuses"
    html = admin.get(url).get_data(as_text=True)
    assert count_items(page_fields(html), "statuses-1-paragraphs", "label") == 7
    html = press(admin, url, "add:statuses-1-paragraphs", html).get_data(as_text=True)
    assert 'data-app-focus="statuses-1-paragraphs-7-label"' in html
    typed = {"statuses-1-paragraphs-7-key": "7a", "statuses-1-paragraphs-7-label": "Paragraph 7A",
             "statuses-1-paragraphs-7-description": "Information about the prevention of crime",
             "statuses-0-label": "Public: published with the decision"}
    html = press(admin, url, "remove:statuses-1-paragraphs-0", html, typed).get_data(as_text=True)
    assert admin.post(url, data={**page_fields(html), "submit": "save"}).status_code == 302
    statuses = spec(app, england).publication_statuses
    assert statuses[0].label == "Public: published with the decision" and statuses[0].published
    assert [p.key for p in statuses[1].exemption_paragraphs] == ["2", "3", "4", "5", "6", "7", "7a"]
    assert statuses[1].exemption_question == DEFAULT_PUBLICATION_STATUSES[1].exemption_question
    # A paragraph's key cannot be taken twice; a status that offers paragraphs needs its question;
    # and only one status can offer them.
    html = press(admin, url, "add:statuses-0-paragraphs").get_data(as_text=True)
    response = admin.post(url, data={**page_fields(html), "statuses-0-paragraphs-0-label": "Paragraph 1",
                                      "statuses-1-paragraphs-6-key": "", "submit": "save"})
    summary = assert_summary_links_work(response.get_data(as_text=True))
    assert summary == [
        ("#statuses-0-exemption_question", "Publication status 1: enter the question asking which paragraph makes it "
                                           "exempt"),
        ("#statuses-1-paragraphs", "Publication status 2: only one publication status can ask which paragraph makes "
                                   "an assessment exempt: remove these paragraphs, or the other status's")]
    html = press(admin, url, "add:statuses-1-paragraphs").get_data(as_text=True)
    response = admin.post(url, data={**page_fields(html), "statuses-1-paragraphs-7-key": "3",
                                     "statuses-1-paragraphs-7-label": "Again", "submit": "save"})
    assert error_summary(response.get_data(as_text=True)) == [
        ("#statuses-1-paragraphs-7-key", 'Publication status 2: paragraph 8: the key "3" is already used by another '
                                         "option: choose another key")]
    assert [p.key for p in spec(app, england).publication_statuses[1].exemption_paragraphs][-1] == "7a"


def test_directions_reordered(app, admin, draft):
    url = f"/templates/versions/{draft}/directions"
    html = press(admin, url, "down:directions-0").get_data(as_text=True)
    assert admin.post(url, data={**page_fields(html), "submit": "save"}).status_code == 302
    assert [d.key for d in spec(app, draft).directions] == ["negative", "positive", "mixed", "neutral"]
    assert audit_rows(app, "template.edited")[-1].details["changes"][0]["field"] == "directions (order)"


def test_two_administrators_on_one_list_get_the_conflict_page(app, admin, draft):
    other = signed_in(app, ADMIN)
    url = f"/templates/versions/{draft}/evidence-types"
    mine = fields_of(admin.get(url))
    theirs = fields_of(other.get(url))
    assert other.post(url, data={**theirs, "evidence-0-label": "Data and statistics", "submit": "save"}).status_code == 302
    response = admin.post(url, data={**mine, "evidence-1-label": "Published research", "submit": "save"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Another administrator changed this draft while you were editing it" in html
    assert_kept(html, {"evidence-1-label": "Published research"})
    assert _labels(spec(app, draft).evidence_types)[:2] == ["Data and statistics", "Research"]
    assert admin.post(url, data={**page_fields(html), "submit": "save"}).status_code == 302
    assert _labels(spec(app, draft).evidence_types)[:2] == ["Data", "Published research"]  # saved deliberately


@pytest.mark.parametrize("page", ["decision-routes", "project-sizes", "publication-statuses", "evidence-types",
                                  "directions", "rating-scales", "rating-scales/new", "signoff-steps"])
def test_a_published_version_refuses_every_change(app, admin, page):
    published = seeded_version_id(app)
    before = spec(app, published)
    for method in ("get", "post") if page != "rating-scales" else ("get",):
        response = getattr(admin, method)(f"/templates/versions/{published}/{page}", data={"submit": "save"})
        assert response.status_code == 409
        assert "Published and retired versions never change" in response.get_data(as_text=True)
    assert spec(app, published) == before


# --- rating scales ---------------------------------------------------------------------------------


def test_the_rating_scales_list_names_the_questions_using_each(app, admin, england):
    text = main_text(admin.get(f"/templates/versions/{england}/rating-scales").get_data(as_text=True))
    assert "Impact Positive, Negative, Neutral, No impact" in text
    assert "Impact on people with protected characteristics: Age" in text


def test_a_scale_in_use_cannot_be_removed_and_the_page_says_which_questions_use_it(app, admin, england):
    url = f"/templates/versions/{england}/rating-scales/equality_impact/remove"
    html = admin.get(url).get_data(as_text=True)
    text = main_text(html)
    assert "You cannot remove the rating scale “Impact” yet" in text
    assert "9 questions rate on it" in text and "Impact on people with protected characteristics: Race" in text
    assert "Remove the scale" not in html
    response = admin.post(url, data={"spec_hash": "x"})
    assert response.status_code == 409
    assert "give the questions listed another scale, or remove them, first" in error_summary(
        response.get_data(as_text=True))[0][1]
    assert [s.key for s in spec(app, england).scales] == ["equality_impact"]


def test_add_edit_and_remove_a_rating_scale(app, admin, england):
    url = f"/templates/versions/{england}/rating-scales/new"
    html = admin.get(url).get_data(as_text=True)
    assert count_items(page_fields(html), "options", "label") == 2
    response = admin.post(url, data={**page_fields(html), "label": "Confidence", "options-0-label": "Sure",
                                     "options-1-label": "Unsure", "options-1-key": "not_sure", "submit": "save"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/{england}/rating-scales")
    scale = spec(app, england).scales[-1]
    assert (scale.key, [(o.key, o.label) for o in scale.options]) == ("confidence", [("sure", "Sure"),
                                                                                     ("not_sure", "Unsure")])
    edit_url = f"/templates/versions/{england}/rating-scales/confidence"
    html = admin.get(edit_url).get_data(as_text=True)
    assert "options-0-key" in page_fields(html) and 'name="options-0-key" type="text"' not in html  # locked
    html = press(admin, edit_url, "add:options", html, {"label": "How sure are you?"}).get_data(as_text=True)
    response = admin.post(edit_url, data={**page_fields(html), "options-0-label": "Certain",
                                          "options-2-label": "Do not know", "submit": "save"})
    assert response.status_code == 302
    scale = spec(app, england).scales[-1]
    assert scale.key == "confidence" and scale.label == "How sure are you?"
    assert [(o.key, o.label) for o in scale.options] == [("sure", "Certain"), ("not_sure", "Unsure"),
                                                         ("do_not_know", "Do not know")]
    remove = f"{edit_url}/remove"
    html = admin.get(remove).get_data(as_text=True)
    assert "Are you sure you want to remove the rating scale “How sure are you?”?" in main_text(html)
    response = admin.post(remove, data=page_fields(html, "confirm"))
    assert response.status_code == 302
    assert [s.key for s in spec(app, england).scales] == ["equality_impact"]
    assert admin.get(edit_url).status_code == 404
    assert audit_rows(app, "template.edited")[-1].details["page"] == "rating scale confidence removed"


def test_a_scale_needs_a_name_and_options(app, admin, england):
    url = f"/templates/versions/{england}/rating-scales/new"
    html = admin.get(url).get_data(as_text=True)
    response = admin.post(url, data={**page_fields(html), "options-0-label": "Yes", "submit": "save"})
    assert error_summary(response.get_data(as_text=True)) == [
        ("#label", "Enter the name of the scale"), ("#options-1-label", "Option 2: Enter the label of the option")]
    fields = {k: v for k, v in page_fields(html).items() if not k.startswith("options-")}
    response = admin.post(url, data={**fields, "label": "Empty", "submit": "save"})
    assert response.status_code == 200
    assert "has no options: add at least two" in " ".join(t for _, t in error_summary(response.get_data(as_text=True)))
    assert len(spec(app, england).scales) == 1


def test_removing_a_scale_option_a_condition_uses_is_refused(app, admin, england):
    """An option that a condition looks for (a sign-off step's, here on a rating) cannot go."""
    url = f"/templates/versions/{england}/rating-scales/equality_impact"
    with app.app_context():
        from cia.data import designer
        from cia.models import TemplateVersion

        version = db.session.get(TemplateVersion, england)
        changed = designer.spec_of(version)
        changed.signoff_steps[1].show_if.question = "age"
        changed.signoff_steps[1].show_if.values = ["negative"]
        templates.write_spec(version, changed)
        db.session.commit()
    html = press(admin, url, "remove:options-1").get_data(as_text=True)
    response = admin.post(url, data={**page_fields(html), "submit": "save"})
    assert response.status_code == 200
    assert '"negative" is not an answer to "age"' in main_text(response.get_data(as_text=True))
    assert [o.key for o in spec(app, england).scales[0].options] == ["positive", "negative", "neutral", "none"]
