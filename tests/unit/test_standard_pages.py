"""Standard pages a template may leave out (`TemplateSpec.standard_pages`): what the template format
accepts, which pages an assessment has, and that the checker does not read a page left out.
Pure unit tests: no app, no database."""

from __future__ import annotations

import pytest

from cia import templateformat as tf
from cia.checks import run_checks
from cia.conditions import Applicable
from cia.domain import Assessment, EngagementActivity, SectionAnswers, StaffImpact, TemplateSpec

BASE = """\
name: Screened
organisation: Example Borough Council
rule_settings:
  CIA-R06: {enabled: true, severity: ""}
  CIA-R08: {enabled: true, severity: ""}
  CIA-R09: {enabled: true, severity: ""}
  CIA-R11: {enabled: true, severity: ""}
  CIA-R17: {enabled: true, severity: ""}
sections:
- key: screening
  title: Screening
  evidence_base: false
  questions:
  - {key: needed, kind: yes_no, label: 'Is a full assessment needed?'}
"""
PAGES = """\
standard_pages:
- key: team
- key: engagement
  show_if: {question: needed, values: ['yes']}
"""


def _with(needed: str = "", **parts) -> Assessment:
    return Assessment(sections=[SectionAnswers(key="screening", answers={"needed": needed} if needed else {})],
                      **parts)


def test_a_template_that_says_nothing_has_every_page_always():
    spec = tf.load(BASE)
    assert spec.standard_pages is None
    assert Applicable(spec, _with()).pages == {"team", "engagement", "staff"}
    assert "standard_pages" not in tf.dump(spec)  # the file stays as it was written
    assert TemplateSpec.from_dict({k: v for k, v in spec.to_dict().items() if k != "standard_pages"}) == spec


def test_a_template_has_the_pages_it_lists_when_their_conditions_are_met():
    spec = tf.load(BASE.replace("sections:", PAGES + "sections:"))
    assert tf.load(tf.dump(spec)) == spec
    assert Applicable(spec, _with()).pages == {"team"}
    assert Applicable(spec, _with("no")).pages == {"team"}
    assert Applicable(spec, _with("yes")).pages == {"team", "engagement"}
    assert Applicable(tf.load(BASE.replace("sections:", "standard_pages: []\nsections:")), _with("yes")).pages == set()


@pytest.mark.parametrize("pages, path, words", [
    ("- key: canteen\n", "standard_pages[0].key", '"canteen" is not a standard page (pages: team, engagement, staff)'),
    ("- key: team\n- key: team\n", "standard_pages[1].key", "Standard page 2 (Project team) is listed twice"),
    ("- key: staff\n  show_if: {question: later, values: ['yes']}\n", "standard_pages[0].show_if.question",
     'depends on "later", which is not a question asked before it'),
    ("- key: staff\n  show_if: {question: needed, values: ['maybe']}\n", "standard_pages[0].show_if.values",
     '"maybe" is not an answer to "needed"'),
    ("- key: staff\n  show_if: {values: ['yes']}\n", "standard_pages[0].show_if.question", "no question"),
    ("- {key: staff, when: always}\n", "standard_pages[0].when", "when is not a field of a standard page"),
])
def test_a_bad_standard_page_is_refused_with_its_place(pages, path, words):
    with pytest.raises(tf.TemplateFormatError) as error:
        tf.load(BASE.replace("sections:", f"standard_pages:\n{pages}sections:"))
    found = [p for p in error.value.problems if p.path == path]
    assert found, error.value.problems
    assert words in found[0].message


def test_the_rules_that_read_a_page_left_out_do_not_apply_and_its_text_is_not_read():
    spec = tf.load(BASE.replace("sections:", PAGES + "sections:"))
    talk = EngagementActivity(activity="Drop-in", findings="Mrs Edna Smith of 12 Elm Road, ST16 2AB, called.")
    staff = StaffImpact(affects_staff="yes")
    everything = run_checks(_with("yes", engagement=_engagement(talk), staff=staff), tf.load(BASE))
    outcomes = {o.rule.id: o.applicable for o in everything.outcomes}
    assert outcomes["CIA-R06"] and outcomes["CIA-R08"] and outcomes["CIA-R11"]
    assert any(f.rule_id == "CIA-R11" for f in everything.findings)
    assert any(f.rule_id == "CIA-R09" and f.location.part == "engagement" for f in everything.findings)

    screened_in = run_checks(_with("yes", engagement=_engagement(talk)), spec)
    assert {o.rule.id: o.applicable for o in screened_in.outcomes}["CIA-R08"]
    assert any(f.rule_id == "CIA-R09" and f.location.part == "engagement" for f in screened_in.findings)

    screened_out = run_checks(_with("no", engagement=_engagement(talk), staff=staff), spec)
    outcomes = {o.rule.id: (o.applicable, o.answer) for o in screened_out.outcomes}
    assert outcomes["CIA-R08"] == (False, "Not applicable") and outcomes["CIA-R11"] == (False, "Not applicable")
    assert outcomes["CIA-R06"][0]  # the team page is always there
    assert not any(f.location.part in ("engagement", "staff") for f in screened_out.findings)


def _engagement(*activities):
    from cia.domain import Engagement

    return Engagement(activities=list(activities))
