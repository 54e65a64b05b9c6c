"""The designer's question pages: a section's questions listed, added (kind first, then the kind's
own settings), changed, reordered and removed, through the pages as an administrator uses them
without JavaScript.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cia.data import templates
from cia.domain import Condition, NamedScale, ScaleOption
from cia.extensions import db
from cia.kinds.base import all_kinds
from cia.models import Template, TemplateVersion
from tests.helpers import error_summary, page_fields, post_page, signed_in
from tests.integration.designer_support import (
    ADMIN,
    AUTHOR,
    audit_rows,
    in_app,
    main_text,
    new_draft,
    press,
    spec,
    status,
)

WALES = "integrated-impact-assessment-wales"


@pytest.fixture
def admin(app, users):
    return signed_in(app, ADMIN)


@pytest.fixture
def draft(app, admin) -> int:
    """A draft of the seeded template, with a rating scale for rating questions."""
    version_id = new_draft(admin, app)
    with in_app(app):
        content = templates.spec_for_version(version_id).copy()
        content.scales = [NamedScale(key="impact", label="Impact", options=[
            ScaleOption(key="positive", label="Positive"), ScaleOption(key="negative", label="Negative")])]
        templates.write_spec(db.session.get(TemplateVersion, version_id), content)
        db.session.commit()
    return version_id


@pytest.fixture
def wales(app) -> int:
    with app.app_context():
        templates.seed_bundled_templates([WALES])
        db.session.commit()
        return db.session.execute(select(Template).where(Template.slug == WALES)).scalar_one().versions[0].id


def _questions(draft: int, section: str = "economy") -> str:
    return f"/templates/versions/{draft}/sections/{section}/questions"


def _choose_kind(admin, draft: int, kind: str, section: str = "economy") -> str:
    """Choose the kind on the first page; the settings page's address."""
    response = admin.post(f"{_questions(draft, section)}/new", data={**page_fields(
        admin.get(f"{_questions(draft, section)}/new").get_data(as_text=True)), "kind": kind})
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    return response.headers["Location"]


def _saved(response) -> None:
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))


def test_the_kind_page_offers_every_registered_kind_with_its_description(admin, draft):
    html = admin.get(f"{_questions(draft)}/new").get_data(as_text=True)
    text = main_text(html)
    assert "What kind of answer do you need to this question?" in text
    for kind in all_kinds():
        assert f'value="{kind.key}"' in html
        assert kind.name in text and kind.description in text
    response = admin.post(f"{_questions(draft)}/new", data={**page_fields(html), "kind": "colour"})
    assert response.status_code == 200
    assert [m for _, m in error_summary(response.get_data(as_text=True))] == ["Select one of the kinds of answer listed"]
    response = admin.post(f"{_questions(draft)}/new", data=page_fields(html))
    assert [m for _, m in error_summary(response.get_data(as_text=True))] == ["Select the kind of answer you need"]


def _fill(admin, url: str, kind) -> dict:
    """Fill in the settings page for a question of `kind`, pressing its buttons as a person would."""
    html = admin.get(url).get_data(as_text=True)
    typed = {"label": f"What about {kind.name.lower()}?", "hint": "Think it through", "required": "no"}
    if "options" in kind.needs:
        typed["options-0-label"] = "First choice"
        response = press(admin, url, "add:options", html, typed)
        html = response.get_data(as_text=True)
        typed["options-1-label"] = "Second choice"
    if "scale" in kind.needs:
        typed["scale"] = "impact"
    if kind.sub_kinds:
        typed["subs-0-label"] = "Who leads it"
        typed["subs-0-kind"] = kind.sub_kinds[0]
    if "item_name" in kind.extra_settings:
        typed["item_name"] = "action"
    fields = {**page_fields(html), **typed}
    return fields


def test_a_question_of_each_kind_is_added_with_its_own_settings(app, admin, draft):
    for kind in all_kinds():
        url = _choose_kind(admin, draft, kind.key)
        html = admin.get(url).get_data(as_text=True)
        assert kind.name in main_text(html)
        # the page asks what the kind declares, nothing else
        assert ('name="options-0-label"' in html) == ("options" in kind.needs)
        assert ('name="scale"' in html) == ("scale" in kind.needs)
        assert ('name="subs-0-label"' in html) == bool(kind.sub_kinds)
        assert ('name="item_name"' in html) == ("item_name" in kind.extra_settings)
        fields = _fill(admin, url, kind)
        _saved(admin.post(url, data={**fields, "submit": "save"}))
    questions = spec(app, draft).section("economy").questions
    assert [q.kind for q in questions] == [k.key for k in all_kinds()]
    by_kind = {q.kind: q for q in questions}
    assert by_kind["short_text"].key == "what_about_short_text"
    assert by_kind["short_text"].required is False and by_kind["short_text"].hint == "Think it through"
    assert [(o.key, o.label) for o in by_kind["single_choice"].options] == [("first_choice", "First choice"),
                                                                            ("second_choice", "Second choice")]
    assert by_kind["rating"].scale == "impact"
    assert by_kind["list"].item_name == "action"
    assert [(q.key, q.kind) for q in by_kind["list"].questions] == [("who_leads_it", "short_text")]
    assert [o.label for o in by_kind["grid"].options] == ["First choice", "Second choice"]
    listed = main_text(admin.get(_questions(draft)).get_data(as_text=True))
    for kind in all_kinds():
        assert f"What about {kind.name.lower()}?" in listed and kind.name in listed
    assert len(audit_rows(app, "template.edited")) >= len(all_kinds())


def test_a_list_question_asks_for_the_answers_of_a_choice_sub_question(app, admin, draft):
    url = _choose_kind(admin, draft, "list")
    html = admin.get(url).get_data(as_text=True)
    response = press(admin, url, "add:subs", html, {"label": "Action plan", "subs-0-label": "Action"})
    html = response.get_data(as_text=True)
    fields = {**page_fields(html), "subs-1-label": "Status", "subs-1-kind": "single_choice"}
    response = admin.post(url, data={**fields, "submit": "save"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert [m for _, m in error_summary(html)] == ["Question 2: add the answers to choose from"]
    assert 'value="add:subs-1-options"' in html  # the page now asks for them
    response = press(admin, url, "add:subs-1-options", html)
    fields = {**page_fields(response.get_data(as_text=True)), "subs-1-options-0-label": "Not started"}
    _saved(admin.post(url, data={**fields, "submit": "save"}))
    question = spec(app, draft).question("action_plan")
    assert [(s.key, s.kind) for s in question.questions] == [("action", "short_text"), ("status", "single_choice")]
    assert [o.key for o in question.questions[1].options] == ["not_started"]


def test_a_rating_without_scales_says_how_to_add_one(app, admin):
    draft = new_draft(admin, app)
    url = _choose_kind(admin, draft, "rating")
    html = admin.get(url).get_data(as_text=True)
    assert "This template has no scales yet" in main_text(html)
    response = admin.post(url, data={**page_fields(html), "label": "How does it rate?", "submit": "save"})
    assert [m for _, m in error_summary(response.get_data(as_text=True))] == ["Select the scale authors rate on"]
    assert spec(app, draft).section("economy").questions == []


def test_changing_a_question_keeps_its_key_and_its_options_keys(app, admin, draft):
    url = _choose_kind(admin, draft, "single_choice")
    _saved(admin.post(url, data={**_fill(admin, url, next(k for k in all_kinds() if k.key == "single_choice")),
                                 "submit": "save"}))
    question = spec(app, draft).section("economy").questions[0]
    edit = f"{_questions(draft)}/{question.key}"
    html = admin.get(edit).get_data(as_text=True)
    assert "To ask for a different kind of answer" in main_text(html)
    response = press(admin, edit, "add:options", html, {"label": "A new wording", "options-0-label": "Renamed"})
    fields = {**page_fields(response.get_data(as_text=True)), "options-2-label": "Third choice"}
    _saved(admin.post(edit, data={**fields, "submit": "save"}))
    changed = spec(app, draft).question(question.key)
    assert changed.label == "A new wording" and changed.kind == "single_choice"
    assert [(o.key, o.label) for o in changed.options] == [("first_choice", "Renamed"), ("second_choice", "Second choice"),
                                                           ("third_choice", "Third choice")]
    response = press(admin, edit, "up:options-2", admin.get(edit).get_data(as_text=True))
    _saved(admin.post(edit, data={**page_fields(response.get_data(as_text=True)), "submit": "save"}))
    assert [o.key for o in spec(app, draft).question(question.key).options] == ["first_choice", "third_choice",
                                                                               "second_choice"]


def _add_simple(admin, draft: int, label: str, kind: str = "yes_no") -> str:
    url = _choose_kind(admin, draft, kind)
    _saved(post_page(admin, url, {"label": label}, submit="save"))
    return label


def test_questions_move_up_and_down_but_never_above_what_they_depend_on(app, admin, draft):
    for label in ("Is it strategic", "Who decides", "When"):
        _add_simple(admin, draft, label)
    with in_app(app):
        content = templates.spec_for_version(draft).copy()
        content.section("economy").questions[1].show_if = Condition(question="is_it_strategic", values=["yes"])
        templates.write_spec(db.session.get(TemplateVersion, draft), content)
        db.session.commit()
    url = _questions(draft)
    fields = page_fields(admin.get(url).get_data(as_text=True), "questions")
    response = admin.post(url, data={**fields, "action": "down:who_decides"})
    assert response.status_code == 302
    assert [q.key for q in spec(app, draft).section("economy").questions] == ["is_it_strategic", "when", "who_decides"]
    assert "“Who decides” has been moved down" in main_text(admin.get(url).get_data(as_text=True))
    fields = page_fields(admin.get(url).get_data(as_text=True), "questions")
    _saved(admin.post(url, data={**fields, "action": "up:who_decides"}))
    fields = page_fields(admin.get(url).get_data(as_text=True), "questions")
    response = admin.post(url, data={**fields, "action": "up:who_decides"})
    assert response.status_code == 409
    assert [m for _, m in error_summary(response.get_data(as_text=True))] == [
        "“Who decides” cannot move above “Is it strategic”: it is shown only if “Is it strategic” has certain "
        "answers, so it must come after it. Remove or change its condition first"]
    response = admin.post(url, data={**fields, "action": "down:is_it_strategic"})
    assert response.status_code == 409
    assert "“Is it strategic” cannot move below “Who decides”" in error_summary(response.get_data(as_text=True))[0][1]
    assert [q.key for q in spec(app, draft).section("economy").questions] == ["is_it_strategic", "who_decides", "when"]
    listed = admin.get(url).get_data(as_text=True)
    assert "Only if “Is it strategic” is “Yes”" in main_text(listed)
    condition = f"/templates/versions/{draft}/conditions/question/who_decides"
    assert f'href="{condition}"' in listed and admin.get(condition).status_code == 200


def test_a_move_on_a_draft_changed_since_is_refused(app, admin, draft):
    for label in ("One", "Two"):
        _add_simple(admin, draft, label)
    url = _questions(draft)
    fields = page_fields(admin.get(url).get_data(as_text=True), "questions")
    _add_simple(admin, draft, "Three")  # saved by someone else meanwhile, in effect
    response = admin.post(url, data={**fields, "action": "down:one"})
    assert response.status_code == 409
    assert "Another administrator changed this draft" in error_summary(response.get_data(as_text=True))[0][1]
    assert [q.key for q in spec(app, draft).section("economy").questions] == ["one", "two", "three"]


def test_two_administrators_changing_one_question_get_the_conflict_page(app, admin, draft, users):
    _add_simple(admin, draft, "Original wording", "short_text")
    other = signed_in(app, ADMIN)
    url = f"{_questions(draft)}/original_wording"
    mine = page_fields(admin.get(url).get_data(as_text=True))
    _saved(post_page(other, url, {"label": "Their wording"}, submit="save"))
    response = admin.post(url, data={**mine, "label": "My wording", "submit": "save"})
    assert response.status_code == 409
    text = main_text(response.get_data(as_text=True))
    assert "Another administrator changed this draft while you were editing it" in text
    assert spec(app, draft).question("original_wording").label == "Their wording"
    _saved(admin.post(url, data={**page_fields(response.get_data(as_text=True)), "submit": "save"}))
    assert spec(app, draft).question("original_wording").label == "My wording"


def test_a_published_version_cannot_be_changed(app, admin, draft):
    _add_simple(admin, draft, "Asked already")
    published = spec(app, draft)
    page = admin.get(f"/templates/versions/{draft}/publish").get_data(as_text=True)
    assert admin.post(f"/templates/versions/{draft}/publish", data=page_fields(page, "publish")).status_code == 302
    assert status(app, draft) == "published"
    base = _questions(draft)
    for url in (base, f"{base}/new", f"{base}/new/short_text", f"{base}/asked_already",
                f"{base}/asked_already/remove"):
        assert admin.get(url).status_code == 409
        assert admin.post(url, data={"label": "Changed", "kind": "short_text"}).status_code == 409
    assert spec(app, draft) == published


def _author_answers(app, version_id: int) -> None:
    author = signed_in(app, AUTHOR)
    response = author.post("/assessments/new", data={"name": "Closing Llanfair library", "template": str(version_id)})
    assert response.status_code == 302
    aid = int(response.headers["Location"].rsplit("/", 1)[1])
    url = f"/assessments/{aid}/sections/about/questions"
    assert post_page(author, url, {"q-proposal_summary": "Moving the library into the school"},
                     submit="later").status_code == 302


def test_removing_a_question_says_what_happens_to_answers_given(app, admin, users, wales):
    _author_answers(app, wales)
    draft = new_draft(admin, app, wales)
    url = f"/templates/versions/{draft}/sections/about/questions/proposal_summary/remove"
    text = main_text(admin.get(url).get_data(as_text=True))
    assert "1 assessment on this template has already answered it" in text
    assert "no longer asked, checked or exported" in text
    assert "Answers already given stay in the revisions they were given in" in text
    response = admin.post(url, data=page_fields(admin.get(url).get_data(as_text=True), "confirm"))
    assert response.status_code == 302
    assert spec(app, draft).question("proposal_summary") is None
    assert "has been removed" in main_text(admin.get(response.headers["Location"]).get_data(as_text=True))
    unanswered = f"/templates/versions/{draft}/sections/about/questions/decision_date/remove"
    assert "No assessment on this template has answered it yet" in main_text(admin.get(unanswered).get_data(as_text=True))


def test_a_question_something_depends_on_cannot_be_removed(app, admin, users, wales):
    draft = new_draft(admin, app, wales)
    url = f"/templates/versions/{draft}/sections/about/questions/strategic_decision/remove"
    html = admin.get(url).get_data(as_text=True)
    text = main_text(html)
    assert "You cannot remove the question" in text
    assert "The section “Socio-economic disadvantage”: change or remove its condition" in text
    assert f'href="/templates/versions/{draft}/conditions/section/socio_economic"' in html
    assert "Remove or change the condition on it first" in text
    assert "Remove the question</button>" not in html
    before = spec(app, draft)
    response = admin.post(url, data={"csrf_token": "", "spec_hash": ""})
    assert response.status_code == 409
    assert spec(app, draft) == before


def test_unknown_sections_questions_and_kinds_are_not_found(admin, draft):
    base = _questions(draft)
    assert admin.get(_questions(draft, "nowhere")).status_code == 404
    assert admin.get(f"{base}/new/colour").status_code == 404
    assert admin.get(f"{base}/nothing").status_code == 404
    assert admin.get(f"{base}/nothing/remove").status_code == 404


def test_the_section_page_links_to_its_questions(admin, draft):
    html = admin.get(f"/templates/versions/{draft}/sections/economy").get_data(as_text=True)
    assert f'href="{_questions(draft)}"' in html
