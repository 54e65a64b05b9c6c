"""The workflow table (cia.workflow) and the comparison of revisions (cia.review.compare): no database."""

from __future__ import annotations

import itertools

import pytest

from cia import workflow as wf
from cia.config import Defaults
from cia.domain import ProjectSize, TemplateSpec
from cia.review.compare import Segment, compare, compare_part, word_diff
from tests.factories import load_staffordshire

TEAM = {wf.OWNER}
APPROVER = {wf.UNDECIDED_APPROVER}


def test_states_and_their_names():
    assert wf.STATES == {"draft": "Draft", "submitted": "Submitted for sign-off",
                         "changes_requested": "Changes requested", "approved": "Approved", "withdrawn": "Withdrawn"}
    assert set(wf.EDITABLE) | set(wf.FROZEN) == set(wf.STATES) and not set(wf.EDITABLE) & set(wf.FROZEN)


def test_the_table():
    table = {t.action: (t.sources, t.target, t.who) for t in wf.TRANSITIONS}
    assert table == {
        "submit": (("draft", "changes_requested", "withdrawn"), "submitted", "team"),
        "withdraw": (("submitted",), "withdrawn", "team"),
        "approve": (("submitted",), "approved", "approver"),
        "request_changes": (("submitted",), "changes_requested", "approver"),
        "reopen": (("approved",), "draft", "team"),
    }
    assert wf.transition("approve").target_until_all_agree == "submitted"
    assert wf.transition("reopen").new_revision and not wf.transition("submit").new_revision
    assert wf.transition("submit").audit_action == "workflow.submit"


KIND_SETS = [frozenset(c) for n in range(0, 3) for c in itertools.combinations(wf.ACTOR_KINDS, n)]


@pytest.mark.parametrize("state", list(wf.STATES))
@pytest.mark.parametrize("action", [t.action for t in wf.TRANSITIONS])
def test_allowed_follows_the_table_for_every_kind_of_person(state, action):
    transition = wf.transition(action)
    for kinds in KIND_SETS:
        expected = state in transition.sources and bool(kinds & wf.WHO[transition.who])
        assert wf.allowed(action, state, kinds) is expected, (action, state, kinds)


def test_who_may_do_what():
    assert wf.allowed("submit", "draft", {wf.COLLABORATOR})
    assert not wf.allowed("submit", "draft", {wf.ADMIN})
    assert not wf.allowed("approve", "submitted", {wf.DECIDED_APPROVER})  # one decision each
    assert not wf.allowed("approve", "submitted", {wf.OWNER, wf.ADMIN})
    assert not wf.allowed("reopen", "approved", APPROVER)
    assert not wf.allowed("publish", "draft", TEAM)  # no such action
    assert [t.action for t in wf.actions_for("submitted", TEAM | APPROVER)] == ["withdraw", "approve",
                                                                                  "request_changes"]
    assert wf.actions_for("approved", APPROVER) == []
    with pytest.raises(KeyError):
        wf.transition("publish")


def test_a_template_without_sizes_uses_the_default_levels_unless_the_installation_sets_its_own():
    no_sizes = TemplateSpec(name="No sizes")
    assert Defaults.CIA_APPROVER_LEVELS == {}
    assert [wf.required_level(no_sizes, s) for s in ("small", "medium", "large", "", "huge")] == [
        "manager", "sponsor", "slt", "", ""]
    assert wf.required_level(no_sizes, "small", {"small": "slt"}) == "slt"
    assert wf.required_level(no_sizes, "huge", {"small": "slt"}) == ""


def test_a_templates_own_sizes_decide_the_level_whatever_the_installation_sets():
    own = TemplateSpec(name="Own sizes", project_sizes=[ProjectSize("minor", "Minor", "sponsor"),
                                                        ProjectSize("major", "Major", "slt")])
    assert wf.required_level(own, "minor") == "sponsor"
    assert wf.required_level(own, "minor", {"minor": "manager"}) == "sponsor"
    assert wf.required_level(own, "small") == ""  # a default size the template does not offer


# --- comparing revisions ----------------------------------------------------------------------------


def test_word_diff_marks_added_and_removed_words():
    segments = word_diff("Buses run every hour on weekdays.", "Buses run every two hours on weekdays and Sundays.")
    assert segments == [
        Segment("same", "Buses run every "), Segment("removed", "hour"), Segment("added", "two hours"),
        Segment("same", " on weekdays"), Segment("added", " and Sundays"), Segment("same", "."),
    ]
    assert "".join(s.text for s in segments if s.kind != "removed") == "Buses run every two hours on weekdays and Sundays."
    assert "".join(s.text for s in segments if s.kind != "added") == "Buses run every hour on weekdays."
    assert word_diff("", "New") == [Segment("added", "New")]
    assert word_diff("Same", "Same") == [Segment("same", "Same")]


@pytest.fixture(scope="module")
def spec():
    return load_staffordshire()


def _section(*rows):
    return {"rows": list(rows)}


def _row(key, groups="", risks=(), custom=False, title=""):
    return {"key": key, "custom": custom, "title": title, "impact": "yes", "groups": groups, "benefits": [],
            "risks": list(risks), "maximise": ""}


def _risk(rid, text, *mitigations):
    return {"id": rid, "text": text, "mitigations": [{"id": m, "text": t, "owner": "", "target_date": ""}
                                                     for m, t in mitigations]}


def test_every_kind_of_change_between_two_revisions(spec):
    section = spec.section("economy")
    first, second = section.category_areas[0], section.category_areas[1]
    old = _section(
        _row(first.key, "Local shops", [_risk("r1", "Fewer visitors.", ("m1", "Promote the market."),
                                                  ("m2", "Free parking on Saturdays."))]),
        _row(second.key, "Employers"),
        _row("own-old", "Night workers", custom=True, title="Night-time economy"),
    )
    new = _section(
        _row(first.key, "Local shops and markets", [
            _risk("r1", "Fewer visitors.", ("m1", "Promote the market.")),
            _risk("r2", "Higher rents.", ("m3", "Business rates relief.")),
        ]),
        _row(second.key, "Employers"),
        _row("own-new", "Bus drivers", custom=True, title="Transport jobs"),
    )
    entries = compare_part("section:economy", old, new, spec)
    by_label = {e.label: e for e in entries}
    changed = by_label[f"{first.title}: Which groups will be affected"]
    assert changed.kind == "changed" and changed.old == "Local shops" and changed.new == "Local shops and markets"
    assert [s.kind for s in changed.words] == ["same", "added"]
    risk = by_label[f"{first.title}: Risk 2 (risk added)"]
    assert risk.kind == "added" and ("Text", "Higher rents.") in risk.fields
    assert any(value == "Business rates relief." for _, value in risk.fields)
    mitigation = by_label[f"{first.title}: Risk 1: Mitigation 2 (mitigation removed)"]
    assert mitigation.kind == "removed" and ("Text", "Free parking on Saturdays.") in mitigation.fields
    assert by_label["Transport jobs (row added)"].kind == "added"
    assert by_label["Night-time economy (row removed)"].kind == "removed"
    assert len(entries) == 5  # nothing else: the unchanged row and risk 1's text are not listed


def test_compare_orders_parts_as_the_template_does_and_skips_unchanged_ones(spec):
    old = {"details": {"name": "Old name", "decision_route": "cabinet"}, "team": {"members": []}}
    new = {"details": {"name": "New name", "decision_route": "cabinet"}, "team": {"members": []}}
    result = compare(old, new, spec, ["details", "team"])
    assert [(p.part, p.title) for p in result] == [("details", "Proposal details")]
    (entry,) = result[0].entries
    assert entry.label == "Name" and entry.kind == "changed" and result[0].counts == {"added": 0, "removed": 0,
                                                                                       "changed": 1}


# --- sign-off steps ----------------------------------------------------------------------------


class _Answers:
    def __init__(self, screened: str):
        self.screened = screened

    def met(self, condition) -> bool:
        return not condition.question or self.screened in condition.values


def _stepped_template():
    from cia.domain import Condition, SignOffStep, TemplateSpec

    return TemplateSpec(signoff_steps=[
        SignOffStep(key="head", title="Head of Service", levels=["head_of_service"],
                    show_if=Condition("screened", ["yes"])),
        SignOffStep(key="equalities", title="Equalities review", levels=["equalities"],
                    show_if=Condition("screened", ["no"])),
        SignOffStep(key="decision", title="Decision-maker", show_if=Condition("screened", ["no"])),
    ])


def test_the_steps_that_apply_are_the_assessments_path():
    template = _stepped_template()
    assert [s.key for s in wf.steps_for(template, _Answers("yes"))] == ["head"]
    assert [s.key for s in wf.steps_for(template, _Answers("no"))] == ["equalities", "decision"]
    assert wf.steps_for(template, _Answers("")) == [wf.DEFAULT_STEP]  # no step applies: the default one


def test_a_step_without_levels_takes_the_level_the_project_size_calls_for():
    template = _stepped_template()
    decision = template.signoff_steps[2]
    assert wf.step_levels(decision, template, "large") == ["slt"]  # the default sizes
    assert wf.step_levels(decision, template, "") == []  # the size is not set yet
    assert wf.step_levels(template.signoff_steps[0], template, "large") == ["head_of_service"]


def test_the_current_step_is_the_first_with_someone_who_has_not_signed():
    steps = wf.steps_for(_stepped_template(), _Answers("no"))
    assert wf.current_step(steps, [("equalities", ""), ("decision", "")]) == "equalities"
    assert wf.current_step(steps, [("equalities", "approved"), ("decision", "")]) == "decision"
    assert wf.current_step(steps, [("equalities", "approved"), ("decision", "approved")]) == ""
