"""Bad input to the designer's question pages: the kind of a new question, a question's settings
(new, of every kind, and changed), the order of the questions and removing one. Generated data never
gives a 500; a refusal explains itself in the error summary and changes nothing that was saved;
what is accepted is saved as typed (after the usual clean-up).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cia import richtext
from cia.data import templates
from cia.domain import Condition, NamedScale, Question, ScaleOption
from cia.extensions import db
from cia.kinds.base import all_kinds
from cia.models import TemplateVersion
from tests.conftest import make_app
from tests.helpers import page_fields, signed_in
from tests.integration.bad_input_support import (
    FORGED,
    HOSTILE,
    TEXT,
    assert_explained,
    assert_forgery_refused,
    assert_never_broken,
    examples,
    hostile_post,
    pick,
)
from tests.integration.designer_support import ADMIN, in_app, new_draft
from tests.integration.test_bad_input_designer import designer_state
from tests.workflow_helpers import signed_in_client

LISTS = ("options", "subs")


@pytest.fixture
def admin(app, users):
    return signed_in(app, ADMIN)


@pytest.fixture
def draft(app, admin) -> int:
    """A draft with a scale, a yes or no question, and a list question shown only if it is answered
    yes, whose sub-questions have options (lists in lists)."""
    version_id = new_draft(admin, app)
    _ask(app, version_id)
    return version_id


def _ask(app, version_id: int) -> None:
    """Give the draft's first section its scale and questions again, as the fixture made them."""
    with in_app(app):
        db.session.expire_all()
        content = templates.spec_for_version(version_id).copy()
        content.scales = [NamedScale(key="impact", label="Impact", options=[
            ScaleOption(key="positive", label="Positive"), ScaleOption(key="negative", label="Negative")])]
        content.section("economy").questions = [
            Question(key="screening", kind="yes_no", label="Is it strategic?"),
            Question(key="plan", kind="list", label="Action plan", item_name="action",
                     show_if=Condition(question="screening", values=["yes"]), questions=[
                Question(key="action", kind="short_text", label="Action"),
                Question(key="status", kind="single_choice", label="Status", options=[
                    ScaleOption(key="open", label="Open"), ScaleOption(key="done", label="Done")])]),
        ]
        templates.write_spec(db.session.get(TemplateVersion, version_id), content)
        db.session.commit()


def _base(draft: int) -> str:
    return f"/templates/versions/{draft}/sections/economy/questions"


def _post_form(app, admin, data, url: str, html: str, form_id: str = "main-form"):
    """Post the page's form back with generated damage, a button or a stale fingerprint now and then."""
    fields = page_fields(html, form_id)
    typed_only = data.draw(st.integers(0, 2), label="typed only") == 0
    post = hostile_post(data, fields, lists=LISTS, values=TEXT if typed_only else HOSTILE, typed_only=typed_only)
    buttons = re.findall(r'name="action" value="([^"]+)"', html)
    which = 0 if typed_only else data.draw(st.integers(0, 9), label="button")
    pressed = "" if which < 6 else pick(data, buttons or ["add:x"], "which") if which < 8 else data.draw(HOSTILE)
    if pressed:
        post.pairs.append(("action", pressed))
    if not typed_only and data.draw(st.integers(0, 7), label="stale") == 0:
        post.pairs = [(k, "stale" if k == "spec_hash" else v) for k, v in post.pairs]
    before = designer_state(app)
    response = admin.post(url, data=post.body())
    assert_never_broken(response, (200, 302, 400, 409))
    return post, pressed, buttons, before, response


@pytest.mark.parametrize("kind", [k.key for k in all_kinds()])
@examples(6)
@given(data=st.data())
def test_a_new_question_is_added_as_typed_or_refused_with_a_message(app, admin, draft, kind, data):
    url = f"{_base(draft)}/new/{kind}"
    post, pressed, buttons, before, response = _post_form(app, admin, data, url, admin.get(url).get_data(as_text=True))
    if response.status_code == 302:
        assert not pressed and response.headers["Location"].endswith(_base(draft))
        with in_app(app):
            db.session.expire_all()
            added = templates.spec_for_version(draft).section("economy").questions[-1]
        assert added.kind == kind and added.label == richtext.clean_line(post.first("label") or "")
        return
    assert designer_state(app) == before, "a page shown again changed saved data"
    if response.status_code in (400, 409) or not pressed or pressed not in buttons:
        assert_explained(response)


@pytest.mark.parametrize("question", ["screening", "plan"])
@examples(10)
@given(data=st.data())
def test_a_changed_question_is_saved_as_typed_or_refused_with_a_message(app, admin, draft, question, data):
    url = f"{_base(draft)}/{question}"
    html = admin.get(url).get_data(as_text=True)
    post, pressed, buttons, before, response = _post_form(app, admin, data, url, html)
    if response.status_code == 302:
        assert not pressed
        with in_app(app):
            db.session.expire_all()
            saved = templates.spec_for_version(draft).question(question)
        assert saved is not None and saved.label == richtext.clean_line(post.first("label") or "")
        return
    assert designer_state(app) == before, "a page shown again changed saved data"
    if response.status_code in (400, 409) or not pressed or pressed not in buttons:
        assert_explained(response)


@examples(25)
@given(kind=st.one_of(HOSTILE, st.sampled_from([k.key for k in all_kinds()])), extra=st.dictionaries(
    st.sampled_from(["kind", "csrf_token", "x"]), HOSTILE, max_size=2))
def test_the_kind_page_goes_on_to_a_kind_or_refuses_with_a_message(app, admin, draft, kind, extra):
    before = designer_state(app)
    response = admin.post(f"{_base(draft)}/new", data={"kind": kind, **extra})
    assert_never_broken(response, (200, 302))
    assert designer_state(app) == before
    if response.status_code == 302:
        assert response.headers["Location"].endswith(f"/new/{extra.get('kind', kind)}")
    else:
        assert_explained(response)


@examples(25)
@given(action=st.one_of(HOSTILE, st.sampled_from(["up:plan", "down:screening", "up:screening", "down:plan",
                                                  "up:", "left:plan"])), stale=st.booleans())
def test_moving_a_question_moves_it_or_refuses_with_a_message(app, admin, draft, action, stale):
    url = _base(draft)
    fields = page_fields(admin.get(url).get_data(as_text=True), "questions")
    if stale:
        fields["spec_hash"] = "stale"
    before = designer_state(app)
    response = admin.post(url, data={**fields, "action": action})
    assert_never_broken(response, (302, 400, 409))
    if response.status_code == 302:
        return
    assert designer_state(app) == before
    assert_explained(response)


@examples(15)
@given(data=st.data())
def test_removing_a_question_removes_it_or_refuses_with_a_message(app, admin, draft, data):
    _ask(app, draft)
    key = pick(data, ["screening", "plan"], "question")  # the plan is shown only if screening is answered yes
    url = f"{_base(draft)}/{key}/remove"
    html = admin.get(url).get_data(as_text=True)
    fields = page_fields(html, "confirm") if "Remove the question</button>" in html else {"csrf_token": ""}
    post = hostile_post(data, fields, max_changes=2)
    before = designer_state(app)
    response = admin.post(url, data=post.body())
    assert_never_broken(response, (302, 409))
    assert response.status_code == 409 or key == "plan", "removed a question something depends on"
    if response.status_code == 409:
        assert designer_state(app) == before
        assert_explained(response)


def test_every_question_form_refuses_a_forged_or_garbled_request(app, admin, draft):
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    base = _base(draft)
    urls = [base, f"{base}/new", f"{base}/new/short_text", f"{base}/plan", f"{base}/screening/remove"]
    before = designer_state(app)
    client = signed_in_client(csrf_app, ADMIN)
    for url in urls:
        for request in FORGED:
            assert_forgery_refused(client.post(url, **request))
    assert designer_state(app) == before
