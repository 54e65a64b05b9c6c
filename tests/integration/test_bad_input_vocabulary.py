"""Bad input to the designer's pages for the council's lists, the rating scales and the sign-off
steps: generated data never gives a 500; a refusal explains itself in the error summary and changes
nothing that was saved; what is accepted is saved as typed (after the usual clean-up), and an item
saved before keeps its key.

The pages are those of a draft of the shipped English template, which leaves the council's lists
out (so each page starts from the installation's default list), has a rating scale its questions
use, and sign-off steps with conditions.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from cia import richtext
from cia.data import templates
from cia.extensions import db
from cia.models import Template, TemplateVersion
from tests.helpers import page_fields, signed_in
from tests.integration.bad_input_support import (
    HOSTILE,
    ODD_INDICES,
    TEXT,
    assert_explained,
    assert_never_broken,
    examples,
    hostile_post,
    pick,
)
from tests.integration.designer_support import ADMIN, in_app, new_draft
from tests.integration.test_bad_input_designer import (
    designer_state,
    draft_spec,
    list_indices,
    refused_and_unchanged,
)

ENGLAND = "equality-impact-assessment-england"
LISTS = ("routes", "sizes", "statuses", "evidence", "directions", "options", "steps")
PAGES = ["decision-routes", "project-sizes", "publication-statuses", "evidence-types", "directions", "signoff-steps",
         "rating-scales/new", "rating-scales/equality_impact"]

#: How each field is shown after a save of what was typed, by its last name part.
ONE_LINE = {"label", "title", "exemption_question"}
TEXTS = {"description", "declaration"}
YES_NO = {"other", "published"}


@pytest.fixture
def admin(app, users):
    return signed_in(app, ADMIN)


def england_draft(app, admin) -> int:
    """A new draft of the English template (seeded once), so that every example starts from the same content."""
    with in_app(app):
        template = db.session.execute(select(Template).where(Template.slug == ENGLAND)).scalar_one_or_none()
        if template is None:
            templates.seed_bundled_templates([ENGLAND])
            db.session.commit()
            template = db.session.execute(select(Template).where(Template.slug == ENGLAND)).scalar_one()
        versions = {v.status: v.id for v in db.session.execute(
            select(TemplateVersion).where(TemplateVersion.template_id == template.id)).scalars()}
    if "draft" in versions:
        assert admin.post(f"/templates/versions/{versions['draft']}/delete").status_code == 302
    return new_draft(admin, app, versions["published"])


def shown_after_save(name: str, typed: str | None) -> str | None:
    last = name.rsplit("-", 1)[-1]
    value = typed or ""
    if last in ONE_LINE:
        return richtext.clean_line(value)
    if last in TEXTS:
        return richtext.clean(value)
    if last in YES_NO:
        return "yes" if value == "yes" else "no"
    if last == "approver_level":
        return value
    return None  # keys (checked below), check boxes, fingerprints and buttons


def assert_saved_as_typed(before: dict[str, str], post, after: dict[str, str]) -> None:
    """Every field shows what was typed into it, cleaned; an item whose key was sent unchanged keeps it.
    A list whose item positions changed (items left out or added) is not compared."""
    names = post.names()
    moved = {name for name in LISTS if list_indices(names, name) != list_indices(before, name)}
    moved |= {m.group(1) for n in before if (m := re.match(r"(statuses-\d+-paragraphs)-", n))
              and list_indices(names, m.group(1)) != list_indices(before, m.group(1))}
    wrong = {}
    for name in before:
        if any(name.startswith(f"{m}-") for m in moved):
            continue
        if name.endswith("-key"):
            if post.first(name) == before[name] and before[name] and after.get(name) != before[name]:
                wrong[name] = (before[name], after.get(name))
            continue
        expected = shown_after_save(name, post.first(name))
        if expected is not None and after.get(name, "") != expected:
            wrong[name] = (expected[:80], after.get(name, "")[:80])
    assert not wrong, f"saved, but not as typed (typed, shown): {wrong}"


@pytest.mark.parametrize("page", PAGES)
@examples(10)
@given(data=st.data())
def test_a_list_page_saves_what_was_typed_or_refuses_with_a_message(app, admin, page, data):
    draft = england_draft(app, admin)
    url = f"/templates/versions/{draft}/{page}"
    html = admin.get(url).get_data(as_text=True)
    fields = page_fields(html)
    if page.endswith("/new"):  # what a person types first: a new scale's name and two options
        fields.update({"label": "Confidence", "options-0-label": "Sure", "options-1-label": "Unsure"})
    typed_only = data.draw(st.integers(0, 2), label="typed only") == 0  # a third: what a person could type
    post = hostile_post(data, fields, lists=LISTS, values=TEXT if typed_only else HOSTILE, typed_only=typed_only)
    buttons = re.findall(r'name="action" value="([^"]+)"', html)
    kind = 0 if typed_only else data.draw(st.integers(0, 9), label="button")  # mostly Save
    pressed = "" if kind < 6 else pick(data, buttons or ["add:x"], "which") if kind < 8 else data.draw(HOSTILE)
    if pressed:
        post.pairs.append(("action", pressed))
    if not typed_only and data.draw(st.integers(0, 7), label="stale") == 0:
        post.pairs = [(k, "stale" if k == "spec_hash" else v) for k, v in post.pairs]
    before = designer_state(app)
    response = admin.post(url, data=post.body())
    assert_never_broken(response, (200, 302, 409))
    if response.status_code == 302:
        assert not pressed
        if page.startswith("rating-scales"):
            assert response.headers["Location"].endswith(f"/templates/versions/{draft}/rating-scales")
            if page.endswith("/new"):  # a new scale, at an address of its own
                added = draft_spec(app, draft).scales[-1]
                assert len(draft_spec(app, draft).scales) == 2
                assert added.label == richtext.clean_line(post.first("label") or "")
                url = f"/templates/versions/{draft}/rating-scales/{added.key}"
        assert_saved_as_typed(fields, post, page_fields(admin.get(url).get_data(as_text=True)))
        return
    assert designer_state(app) == before, "a page shown again changed saved data"
    if response.status_code == 409 or not pressed or pressed not in buttons:
        assert_explained(response)


def test_odd_item_positions_never_break_a_list_page(app, admin):
    draft = england_draft(app, admin)
    for page in PAGES:
        url = f"/templates/versions/{draft}/{page}"
        for index in ODD_INDICES:
            fields = page_fields(admin.get(url).get_data(as_text=True))
            lists = {n.split("-", 1)[0] for n in fields if re.match(r"[a-z_]+-\d+-", n)} or {"x"}
            extra = {f"{name}-{index}-{sub}": "Odd" for name in lists for sub in ("title", "label", "key", "levels")}
            response = admin.post(url, data={**fields, **extra})
            assert response.status_code in (200, 302), (page, index, response.status_code)
            if response.status_code == 200:
                assert_explained(response)


@examples(10)
@given(data=st.data())
def test_removing_a_rating_scale_removes_it_or_refuses_with_a_message(app, admin, data):
    draft = england_draft(app, admin)
    if data.draw(st.booleans(), label="an unused scale"):
        html = admin.get(f"/templates/versions/{draft}/rating-scales/new").get_data(as_text=True)
        assert admin.post(f"/templates/versions/{draft}/rating-scales/new",
                          data={**page_fields(html), "label": "Spare", "options-0-label": "One",
                                "options-1-label": "Two", "submit": "save"}).status_code == 302
    keys = [s.key for s in draft_spec(app, draft).scales]
    key = pick(data, keys, "scale")
    url = f"/templates/versions/{draft}/rating-scales/{key}/remove"
    fields = page_fields(admin.get(url).get_data(as_text=True), "confirm") if key == "spare" else {}
    fingerprint = data.draw(st.one_of(st.just(fields.get("spec_hash", "")), HOSTILE), label="spec_hash")
    extra = data.draw(st.dictionaries(st.text(max_size=10), HOSTILE, max_size=2), label="extra")
    before = designer_state(app)
    response = admin.post(url, data={**extra, "spec_hash": fingerprint})
    assert_never_broken(response, (302, 409))
    if response.status_code == 302:
        assert key == "spare" and [s.key for s in draft_spec(app, draft).scales] == ["equality_impact"]
    else:
        refused_and_unchanged(app, response, before)
