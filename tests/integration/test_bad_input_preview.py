"""Bad input on the preview's answer forms (Hypothesis): never a 500; a refusal explains itself in the
error summary with the author's own messages; nothing is saved anywhere but the preview's store
(no assessment, part, template version or audit row changes), and a refused post changes that
store neither.

Each form is the page's own, read as a browser would, with values replaced by hostile text, fields
left out or sent twice, names that are not on the page and buttons pressed at random.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from cia.data import templates
from cia.extensions import db
from cia.models import Assessment, AuditEvent, FormStash, RevisionPart, TemplateVersion
from tests.helpers import page_fields, post_page, signed_in
from tests.integration.bad_input_support import (
    assert_explained,
    assert_never_broken,
    examples,
    hostile_page_post,
)
from tests.integration.designer_support import ADMIN, in_app
from tests.integration.preview_support import ENGLAND, STAFFORDSHIRE, base, shipped_version


@pytest.fixture
def admin(app, users):
    return signed_in(app, ADMIN)


def everything_but_the_preview(app) -> tuple:
    """What no preview may change: assessments, their parts, the template versions, the audit trail."""
    with in_app(app):
        db.session.expire_all()
        versions = db.session.execute(select(TemplateVersion.id).order_by(TemplateVersion.id)).scalars().all()
        return (db.session.execute(select(func.count()).select_from(Assessment)).scalar_one(),
                db.session.execute(select(func.count()).select_from(RevisionPart)).scalar_one(),
                db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one(),
                [templates.spec_for_version(v).to_dict() for v in versions])


def preview_store(app) -> list:
    with in_app(app):
        db.session.expire_all()
        return [row.form for row in db.session.execute(select(FormStash).where(FormStash.kind == "preview")
                                                       .order_by(FormStash.id)).scalars()]


#: (template, page of the preview, the screening answer that makes the page apply, or "").
PAGES = [
    (ENGLAND, "/sections/screening/questions", ""),
    (ENGLAND, "/sections/characteristics/questions", "yes"),
    (ENGLAND, "/sections/action_plan/questions", "yes"),
    (ENGLAND, "/details", ""),
    (ENGLAND, "/team", ""),
    (ENGLAND, "/engagement", "yes"),
    (ENGLAND, "/staff", "yes"),
    (STAFFORDSHIRE, "/sections/psed", ""),
    (STAFFORDSHIRE, "/sections/psed/areas/disability", ""),
    (STAFFORDSHIRE, "/sections/psed/evidence", ""),
]
LISTS = ("rows", "items", "members", "activities", "profile", "risks", "benefits", "mitigations")


@pytest.mark.parametrize(("slug", "page", "screening"), PAGES)
@examples(10)
@given(data=st.data())
def test_a_preview_form_keeps_what_was_typed_or_refuses_with_a_message(app, admin, slug, page, screening, data):
    version = shipped_version(app, slug)
    if screening:
        post_page(admin, base(version) + "/sections/screening/questions", {"q-full_assessment_needed": screening},
                  submit="later")
    url = base(version) + page
    html = admin.get(url).get_data(as_text=True)
    fields = page_fields(html)
    post, buttons, pressed = hostile_page_post(data, html, fields, LISTS)
    post.pairs.append(("submit", data.draw(st.sampled_from(["continue", "later", "", "nonsense"]), label="submit")))
    before, kept = everything_but_the_preview(app), preview_store(app)
    response = admin.post(url, data=post.body())
    assert_never_broken(response, (200, 302))
    assert everything_but_the_preview(app) == before, "the preview saved something outside its own store"
    if response.status_code == 302:
        assert not pressed
        assert base(version) in response.headers["Location"], "a save left the preview"
        assert admin.get(response.headers["Location"]).status_code == 200
        return
    assert preview_store(app) == kept, "a page shown again changed the preview's answers"
    if not pressed or pressed not in buttons:
        assert_explained(response)
