"""Sign-off steps in the designer: their order, who signs at each, declarations; keys kept once saved,
conditions kept, refusals that say why, two administrators at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from cia.data import templates
from cia.extensions import db
from cia.models import Template
from tests.helpers import assert_kept, assert_summary_links_work, page_fields, signed_in
from tests.integration.designer_support import ADMIN, audit_rows, main_text, new_draft, press, spec

ENGLAND = "equality-impact-assessment-england"


@pytest.fixture
def admin(app, users):
    return signed_in(app, ADMIN)


@pytest.fixture
def england(app, admin) -> int:
    """A draft of the shipped English template: a screening decision for a screened-out assessment,
    an equalities officer's review and the decision-maker's sign-off for a full one."""
    with app.app_context():
        templates.seed_bundled_templates([ENGLAND])
        db.session.commit()
        published = db.session.execute(select(Template).where(Template.slug == ENGLAND)).scalar_one().versions[0].id
    return new_draft(admin, app, published)


def _url(version_id: int) -> str:
    return f"/templates/versions/{version_id}/signoff-steps"


def _post(client, url: str, fields: dict, levels: dict[int, list[str]] | None = None, **extra):
    """Post the page's fields, with the levels of some steps ticked as given (a browser sends one pair
    for each ticked box)."""
    pairs = [(k, v) for k, v in {**fields, **extra}.items()
             if not (levels and any(k == f"steps-{i}-levels" for i in levels))]
    for index, chosen in (levels or {}).items():
        pairs += [(f"steps-{index}-levels", level) for level in chosen]
    return client.post(url, data=MultiDict(pairs))


def test_the_page_shows_each_step_with_who_signs(app, admin, england):
    html = admin.get(_url(england)).get_data(as_text=True)
    fields = page_fields(html)
    assert [fields[f"steps-{i}-title"] for i in range(3)] == [
        "Head of Service's screening decision", "Equalities officer's review", "Decision-maker's sign-off"]
    assert fields["steps-0-levels"] == "head_of_service" and fields["steps-1-levels"] == "equalities"
    assert "steps-2-levels" not in fields  # nobody named: the level the project size calls for
    assert "Select none for the approver level the project size calls for" in main_text(html)
    version_page = main_text(admin.get(f"/templates/versions/{england}").get_data(as_text=True))
    assert "Sign-off steps 3 steps, in order" in version_page


def test_steps_renamed_added_moved_and_removed_keep_keys_and_conditions(app, admin, england):
    url = _url(england)
    html = press(admin, url, "add:steps").get_data(as_text=True)
    assert 'data-app-focus="steps-3-title"' in html
    html = press(admin, url, "up:steps-3", html, {"steps-3-title": "Legal review",
                                                  "steps-3-declaration": "I have checked the legal duties."}
                 ).get_data(as_text=True)
    fields = page_fields(html)
    assert fields["steps-2-title"] == "Legal review" and fields["steps-3-title"] == "Decision-maker's sign-off"
    fields["steps-1-title"] = "Equality team's review"
    response = _post(admin, url, fields, {2: ["sponsor", "slt"], 1: ["head_of_service", "equalities"]}, submit="save")
    assert response.status_code == 302
    steps = spec(app, england).signoff_steps
    assert [s.key for s in steps] == ["screening-decision", "equalities-review", "legal_review", "decision-maker"]
    assert steps[1].title == "Equality team's review"
    assert steps[1].levels == ["head_of_service", "equalities"]
    assert steps[1].show_if.question == "full_assessment_needed" and steps[1].show_if.values == ["yes"]
    assert steps[2].levels == ["sponsor", "slt"] and steps[2].declaration == "I have checked the legal duties."
    assert steps[2].show_if.question == ""  # a new step applies always until given a condition
    edited = audit_rows(app, "template.edited")[-1]
    assert edited.details["page"] == "signoff steps"
    assert {"field": "signoff_steps[equalities-review].title", "old": "Equalities officer's review",
            "new": "Equality team's review"} in edited.details["changes"]
    html = press(admin, url, "remove:steps-0").get_data(as_text=True)
    response = _post(admin, url, page_fields(html), {0: ["head_of_service", "equalities"], 1: ["sponsor", "slt"]},
                     submit="save")
    assert response.status_code == 302
    assert [s.key for s in spec(app, england).signoff_steps] == ["equalities-review", "legal_review", "decision-maker"]


def test_removing_every_step_leaves_the_one_default_step(app, admin, england):
    fields = {k: v for k, v in page_fields(admin.get(_url(england)).get_data(as_text=True)).items()
              if not k.startswith("steps-")}
    assert admin.post(_url(england), data={**fields, "submit": "save"}).status_code == 302
    assert spec(app, england).signoff_steps == []
    text = main_text(admin.get(_url(england)).get_data(as_text=True))
    assert "This template has no sign-off steps: every assessment has one step" in text


def test_a_step_needs_a_title_and_levels_from_the_list(app, admin, england):
    url = _url(england)
    fields = page_fields(admin.get(url).get_data(as_text=True))
    typed = {"steps-0-title": "", "steps-2-declaration": "I will have due regard to it."}
    response = _post(admin, url, {**fields, **typed}, {1: ["equalities", "mayor"]}, submit="save")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert assert_summary_links_work(html) == [
        ("#steps-0-title", "Sign-off step 1: Enter the title of the step"),
        ("#steps-1-levels", "Sign-off step 2: Select who may sign from the list")]
    assert_kept(html, typed)
    assert spec(app, england).signoff_steps[0].title == "Head of Service's screening decision"


def test_two_administrators_editing_the_steps_get_the_conflict_page(app, admin, england):
    other = signed_in(app, ADMIN)
    url = _url(england)
    mine = page_fields(admin.get(url).get_data(as_text=True))
    theirs = page_fields(other.get(url).get_data(as_text=True))
    assert other.post(url, data={**theirs, "steps-0-title": "Screening decision", "submit": "save"}).status_code == 302
    response = admin.post(url, data={**mine, "steps-2-title": "Cabinet Member's sign-off", "submit": "save"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Another administrator changed this draft while you were editing it" in html
    assert "signoff_steps[screening-decision].title Screening decision Head of Service's screening decision" in (
        main_text(html))
    assert spec(app, england).signoff_steps[2].title == "Decision-maker's sign-off"
    assert admin.post(url, data={**page_fields(html), "submit": "save"}).status_code == 302
    assert [s.title for s in spec(app, england).signoff_steps] == [
        "Head of Service's screening decision", "Equalities officer's review", "Cabinet Member's sign-off"]
