"""Bad input to the Checker rules page's parameters: generated data never gives a 500; a refusal
explains itself in the error summary and changes nothing saved; what is saved is what was chosen,
and never a parameter that names a question that does not qualify."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from cia.checks import get_rule, parameters
from cia.data import templates
from cia.extensions import db
from cia.models import Template, TemplateVersion
from tests.helpers import page_fields, signed_in
from tests.integration.bad_input_support import (
    HOSTILE,
    assert_explained,
    assert_never_broken,
    examples,
    hostile_post,
)
from tests.integration.designer_support import ADMIN, in_app, new_draft
from tests.integration.test_bad_input_designer import designer_state

ENGLAND = "equality-impact-assessment-england"
#: Values a parameter field might be sent: the template's own keys (qualifying or not), keys of
#: nothing, keys of a list's items, scale options, and what looks like a key but is not one.
PLAUSIBLE = ["actions", "age", "race", "outcome", "screening", "actions.action", "actions.lead_officer",
             "equality_impact.negative", "equality_impact.none", "equality_impact", "impact.negative", "team",
             "team.housing", "gone", "age.", ".age", "a..b", "AGE", "age\x00", " age ", "", "x" * 300]
PARAMETER = re.compile(r"^rules-\d+-p_[a-z_]+$")


@pytest.fixture
def admin(app, users):
    with app.app_context():
        templates.seed_bundled_templates([ENGLAND])
        db.session.commit()
    return signed_in(app, ADMIN)


def _england_draft(app, admin) -> int:
    """A new draft of the England template, so that every example starts from the same content."""
    with in_app(app):
        template = db.session.execute(select(Template).where(Template.slug == ENGLAND)).scalar_one()
        published = next(v.id for v in template.versions if v.number == 1)
        drafts = db.session.execute(select(TemplateVersion.id).where(TemplateVersion.status == "draft")).scalars().all()
    for draft in drafts:
        assert admin.post(f"/templates/versions/{draft}/delete").status_code == 302
    return new_draft(admin, app, from_version=published)


def _saved(app, version_id: int):
    with in_app(app):
        db.session.expire_all()
        return templates.spec_for_version(version_id).copy()


@examples(25)
@given(data=st.data())
def test_the_rules_page_never_saves_a_parameter_that_does_not_qualify(app, admin, data):
    draft = _england_draft(app, admin)
    url = f"/templates/versions/{draft}/rules"
    fields = page_fields(admin.get(url).get_data(as_text=True))
    names = sorted({*(n for n in fields if PARAMETER.match(n)),
                    *(re.sub(r"-rule_id$", f"-p_{p}", n) for n in fields if n.endswith("-rule_id")
                      for p in ("team", "role", "first_involved", "ratings", "negative", "actions"))})
    post = hostile_post(data, fields, lists=("rules",), max_changes=3)
    chosen = data.draw(st.lists(st.tuples(st.sampled_from(names),
                                          st.one_of(st.sampled_from(PLAUSIBLE), HOSTILE)), max_size=6),
                       label="parameters chosen")
    sent = [(k, v) for k, v in post.pairs if k not in {name for name, _ in chosen}] + chosen
    if data.draw(st.booleans(), label="every rule on"):
        sent = [(k, v) for k, v in sent if not k.endswith("-enabled")]
        sent += [(n.replace("-rule_id", "-enabled"), "yes") for n in fields if n.endswith("-rule_id")]
    before = designer_state(app)
    response = admin.post(url, data=MultiDict([*sent, ("submit", "save")]))
    assert_never_broken(response, (200, 302, 409))
    if response.status_code != 302:
        assert_explained(response)
        assert designer_state(app) == before, "a refused request changed saved data"
        return
    saved = _saved(app, draft)
    assert parameters.all_problems(saved) == [], "saved a parameter that does not qualify"
    values = MultiDict(sent)
    for name in names:
        rule_id = values.get(name.rsplit("-", 1)[0] + "-rule_id")
        setting, rule = saved.rule_settings.get(rule_id or ""), get_rule(rule_id or "")
        if setting is None or rule is None or name.rsplit("-p_", 1)[1] not in {p.name for p in rule.parameters}:
            continue  # a field the rule does not have is not read
        typed = list(dict.fromkeys(v.strip() for v in values.getlist(name) if v.strip()))
        assert setting.parameters.get(name.rsplit("-p_", 1)[1], []) == typed, (name, typed)


def test_odd_parameter_values_on_an_unknown_rule_never_break_the_page(app, admin):
    draft = _england_draft(app, admin)
    url = f"/templates/versions/{draft}/rules"
    fields = page_fields(admin.get(url).get_data(as_text=True))
    fields["rules-0-rule_id"] = "CIA-R99"
    before = designer_state(app)
    response = admin.post(url, data={**fields, "rules-0-p_team": "actions", "submit": "save"})
    assert response.status_code == 200
    assert "no longer match the draft" in " ".join(assert_explained(response))
    assert designer_state(app) == before
