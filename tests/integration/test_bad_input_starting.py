"""Bad input to the forms that start a template: how to start, from scratch, from a shipped template,
and duplicating a template. Generated data never gives a 500; a refusal explains itself in the error
summary and creates nothing; what is accepted is a new template holding exactly what was typed
(after the usual clean-up), under a name no other template had."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from cia import richtext
from cia.data import templates
from cia.extensions import db
from cia.models import AuditEvent, Template, TemplateVersion
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
)
from tests.integration.designer_support import ADMIN, in_app, seeded_version_id
from tests.workflow_helpers import signed_in_client


@pytest.fixture
def admin(app, users):
    return signed_in(app, ADMIN)


def state(app) -> dict:
    """What starting a template can change: templates, versions and their content, the audit trail."""
    with in_app(app):
        db.session.expire_all()
        versions = db.session.execute(select(TemplateVersion).order_by(TemplateVersion.id)).scalars().all()
        return {
            "templates": db.session.execute(select(Template.id, Template.name, Template.slug)
                                            .order_by(Template.id)).all(),
            "versions": [(v.id, v.template_id, v.number, v.status, templates.spec_for_version(v.id).to_dict())
                         for v in versions],
            "audit": db.session.execute(select(func.count()).select_from(AuditEvent)
                                        .where(AuditEvent.action != "access.refused")).scalar_one(),
        }


def names(app) -> set[str]:
    with in_app(app):
        return {" ".join(n.split()).casefold() for n in db.session.execute(select(Template.name)).scalars()}


def created(app, response, before: dict) -> dict:
    """The new template's version 1 (the only thing added), as plain data."""
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    after = state(app)
    assert [v for v in after["versions"] if v[0] != new_id] == before["versions"], "something else changed"
    (version,) = [v for v in after["versions"] if v[0] == new_id]
    assert (version[2], version[3]) == (1, "draft")
    assert len(after["templates"]) == len(before["templates"]) + 1
    return version[4]


def typed(post, name: str) -> str:
    return richtext.clean_line(post.first(name) or "")


def check(app, response, post, before: dict, taken: set[str]) -> dict | None:
    """The response to a start form: a new template named as typed, or a refusal that changed nothing."""
    assert_never_broken(response, (302, 400, 409))
    if response.status_code != 302:
        assert_explained(response)
        assert state(app) == before, "a refused request changed saved data"
        return None
    made = created(app, response, before)
    assert made["name"] == typed(post, "name")
    assert " ".join(made["name"].split()).casefold() not in taken, "a second template with a name already taken"
    assert made["organisation"] == typed(post, "organisation")
    return made


@examples(15)
@given(data=st.data())
def test_the_start_page_goes_to_a_way_it_offers_or_asks_again(app, admin, data):
    fields = page_fields(admin.get("/templates/new").get_data(as_text=True))
    fields.setdefault("how", "blank")
    post = hostile_post(data, fields)
    before = state(app)
    response = admin.post("/templates/new", data=post.body())
    assert_never_broken(response, (302, 400))
    assert state(app) == before
    if response.status_code == 302:
        assert response.headers["Location"].endswith(
            {"blank": "/templates/new/blank", "shipped": "/templates/new/copy", "upload": "/templates/import"}[
                post.first("how")])
    else:
        assert_explained(response)


@examples(20)
@given(data=st.data())
def test_a_template_from_scratch_holds_what_was_typed_or_is_refused(app, admin, data):
    fields = page_fields(admin.get("/templates/new/blank").get_data(as_text=True))
    fields.update(name="Screening", organisation="Borsetshire", section="About the proposal")
    typed_only = data.draw(st.booleans(), label="typed only")
    post = hostile_post(data, fields, values=TEXT if typed_only else HOSTILE, typed_only=typed_only)
    before, taken = state(app), names(app)
    made = check(app, admin.post("/templates/new/blank", data=post.body()), post, before, taken)
    if made is not None:
        assert [s["title"] for s in made["sections"]] == [typed(post, "section")]


@examples(20)
@given(data=st.data())
def test_a_copy_of_a_shipped_template_holds_it_under_the_name_typed_or_is_refused(app, admin, data):
    fields = page_fields(admin.get("/templates/new/copy").get_data(as_text=True))
    slugs = templates.bundled_template_slugs()
    fields.update(shipped=slugs[data.draw(st.integers(0, len(slugs) - 1), label="shipped")], name="Ours",
                  organisation="")
    typed_only = data.draw(st.booleans(), label="typed only")  # half: what a person could type
    post = hostile_post(data, fields, values=TEXT if typed_only else HOSTILE, typed_only=typed_only,
                        keep=("csrf_token", "shipped") if typed_only else ("csrf_token",))
    before, taken = state(app), names(app)
    made = check(app, admin.post("/templates/new/copy", data=post.body()), post, before, taken)
    if made is not None:
        shipped = templates.bundled_template_spec(post.first("shipped")).to_dict()
        assert made == {**shipped, "name": made["name"], "organisation": made["organisation"], "version": 1}


@examples(20)
@given(data=st.data())
def test_a_duplicate_holds_a_copy_under_the_name_typed_or_is_refused(app, admin, data):
    with in_app(app):
        template_id = db.session.get(TemplateVersion, seeded_version_id(app)).template_id
    url = f"/templates/{template_id}/duplicate"
    fields = page_fields(admin.get(url).get_data(as_text=True))
    fields["name"] = "Our copy"
    typed_only = data.draw(st.booleans(), label="typed only")  # half: what a person could type
    post = hostile_post(data, fields, values=TEXT if typed_only else HOSTILE, typed_only=typed_only,
                        keep=("csrf_token", "source", "spec_hash") if typed_only else ("csrf_token",))
    before, taken = state(app), names(app)
    made = check(app, admin.post(url, data=post.body()), post, before, taken)
    if made is not None:
        assert (post.first("source"), post.first("spec_hash")) == (fields["source"], fields["spec_hash"])
        source = next(v[4] for v in before["versions"] if v[0] == int(fields["source"]))
        assert made == {**source, "name": made["name"], "organisation": made["organisation"], "version": 1}


def test_forged_requests_to_the_start_forms_are_refused_and_change_nothing(app, admin):
    with in_app(app):
        template_id = db.session.get(TemplateVersion, seeded_version_id(app)).template_id
    before = state(app)
    client = signed_in_client(make_app(WTF_CSRF_ENABLED=True), ADMIN)
    for url in ("/templates/new", "/templates/new/blank", "/templates/new/copy", f"/templates/{template_id}/duplicate"):
        for forged in FORGED:
            assert_forgery_refused(client.post(url, **forged))
    for url in ("/templates/99999999999999999999/duplicate", "/templates/0/duplicate", "/templates/-1/duplicate"):
        assert admin.post(url, data={"name": "x"}).status_code in (400, 404)
    assert state(app) == before
