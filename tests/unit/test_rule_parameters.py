"""Rule parameters on plain data: a template built from its own questions tells CIA-R07 which list is
its team and which question marks the role, and CIA-R18 which ratings, which answers are negative and
which list is the action plan; the file format refuses what names nothing that qualifies."""

from __future__ import annotations

import pytest

from cia import templateformat as tf
from cia.checks import ERROR, WARNING, Location, run_checks
from cia.checks.parameters import choices, problems, shape_problems
from cia.checks.rules.process import count_role_holders
from cia.domain import (
    Assessment,
    Condition,
    NamedScale,
    ProposalDetails,
    Question,
    RuleSetting,
    ScaleOption,
    SectionAnswers,
    SectionSpec,
    StandardPage,
    TemplateSpec,
)
from cia.exports.summary_checklist import summary_checklist


def _template(r07: dict | None = None, r18: dict | None = None) -> TemplateSpec:
    team = Question("team", "list", "Who is in the project team?", item_name="person", questions=[
        Question("name", "short_text", "Name"), Question("housing", "yes_no", "Are they a housing officer?"),
        Question("joined", "month_year", "When did they join the project?", required=False),
        Question("notes", "long_text", "Notes", required=False)])
    ratings = [Question("age", "rating", "Age", scale="impact"), Question("race", "rating", "Race", scale="impact"),
               Question("mood", "rating", "Morale", scale="other",
                        show_if=Condition("screened", ["yes"]))]
    return TemplateSpec(
        name="Built from questions",
        scales=[NamedScale("impact", "Impact", [ScaleOption("positive", "Positive"), ScaleOption("negative", "Negative"),
                                                ScaleOption("neutral", "Neutral")]),
                NamedScale("other", "Other", [ScaleOption("low", "Low"), ScaleOption("bad", "Bad")])],
        standard_pages=[StandardPage("engagement")],  # no standard Project Team page
        rule_settings={"CIA-R07": RuleSetting(parameters=r07 or {}), "CIA-R18": RuleSetting(parameters=r18 or {})},
        sections=[
            SectionSpec("screening", "Screening", evidence_base=False, questions=[
                Question("screened", "yes_no", "Is a full assessment needed?"), team]),
            SectionSpec("ratings", "Impacts", evidence_base=False, questions=ratings),
            SectionSpec("plan", "Action plan", evidence_base=False, questions=[
                Question("actions", "list", "Actions", item_name="action",
                         questions=[Question("action", "long_text", "Action")])]),
        ],
    )


TEAM = {"team": ["team"], "role": ["team.housing"]}
PLAN = {"negative": ["impact.negative"], "actions": ["actions"]}


def _assessment(template: TemplateSpec, *, team=(), ratings=None, actions=(), date="2026-03") -> Assessment:
    return Assessment(details=ProposalDetails(name="Library hours", date=date), sections=[
        SectionAnswers("screening", answers={"screened": "no", "team": list(team)}),
        SectionAnswers("ratings", answers=dict(ratings or {})),
        SectionAnswers("plan", answers={"actions": list(actions)}),
    ])


def _findings(template, assessment, rule_id):
    return [f for f in run_checks(assessment, template).findings if f.rule_id == rule_id]


def _outcome(template, assessment, rule_id):
    return next(o for o in run_checks(assessment, template).outcomes if o.rule.id == rule_id)


# --- CIA-R18 -------------------------------------------------------------------------------------


def test_each_negative_rating_without_an_action_is_a_warning_pointing_at_the_action_plan():
    template = _template(r18=PLAN)
    a = _assessment(template, ratings={"age": "negative", "race": "negative", "mood": "bad"})
    found = _findings(template, a, "CIA-R18")
    assert [f.message for f in found] == [
        "Age is rated negative: add an action to the actions to reduce or remove the impact",
        "Race is rated negative: add an action to the actions to reduce or remove the impact",
    ]
    assert [f.severity for f in found] == [WARNING, WARNING]
    assert found[0].location == Location("questions:plan", field="actions", sub="age")
    assert len({f.key for f in found}) == 2  # each can be acknowledged on its own


def test_one_action_with_something_in_it_meets_the_rule():
    template = _template(r18=PLAN)
    ratings = {"age": "negative"}
    assert _findings(template, _assessment(template, ratings=ratings, actions=[{"id": "a1", "action": ""}]), "CIA-R18")
    a = _assessment(template, ratings=ratings, actions=[{"id": "a1", "action": "Deliver books at home"}])
    assert _findings(template, a, "CIA-R18") == []
    assert _outcome(template, a, "CIA-R18").answer == "Yes"


def test_only_the_chosen_ratings_and_answers_count_and_a_hidden_rating_is_not_checked():
    chosen = _template(r18={**PLAN, "ratings": ["race"]})
    a = _assessment(chosen, ratings={"age": "negative", "race": "neutral"})
    assert _findings(chosen, a, "CIA-R18") == []
    a = _assessment(chosen, ratings={"age": "negative", "race": "negative"})
    assert [f.location.sub for f in _findings(chosen, a, "CIA-R18")] == ["race"]
    other = _template(r18={"negative": ["other.bad"], "actions": ["actions"]})
    hidden = _assessment(other, ratings={"mood": "bad", "age": "negative"})  # "mood" asked only when screened in
    assert _findings(other, hidden, "CIA-R18") == []
    hidden.sections[0].answers["screened"] = "yes"
    assert [f.location.sub for f in _findings(other, hidden, "CIA-R18")] == ["mood"]


def test_without_its_parameters_the_rule_does_not_apply():
    template = _template()
    a = _assessment(template, ratings={"age": "negative"})
    assert _findings(template, a, "CIA-R18") == []
    assert _outcome(template, a, "CIA-R18").answer == "Not applicable"


# --- CIA-R07 on the template's own team list --------------------------------------------------------


def test_a_team_list_without_anyone_in_the_role_is_an_error_pointing_at_the_list():
    template = _template(r07=TEAM)
    a = _assessment(template, team=[{"id": "p1", "name": "Ann Lee", "housing": "no"}])
    (finding,) = _findings(template, a, "CIA-R07")
    assert finding.severity == ERROR
    assert finding.location == Location("questions:screening", field="team")
    assert "Who is in the project team?" in finding.message and "“Are they a housing officer?”" in finding.message
    assert _outcome(template, a, "CIA-R07").applicable  # no Project Team page needed


def test_someone_in_the_role_meets_it_and_a_late_one_is_a_warning_at_their_date():
    template = _template(r07={**TEAM, "first_involved": ["team.joined"]})
    early = {"id": "p1", "name": "Ann Lee", "housing": "yes", "joined": "2026-01"}
    assert _findings(template, _assessment(template, team=[early]), "CIA-R07") == []
    assert count_role_holders(_assessment(template, team=[early]), template) == 1
    late = {"id": "p2", "name": "Bo Kerr", "housing": "yes", "joined": "2026-09"}
    (finding,) = _findings(template, _assessment(template, team=[late]), "CIA-R07")
    assert finding.severity == WARNING
    assert finding.location == Location("questions:screening", row="team", item="p2", field="joined")
    assert "Bo Kerr" in finding.message and "September 2026" in finding.message


def test_without_parameters_it_reads_the_standard_project_team_page_as_before():
    template = _template()
    a = _assessment(template, team=[{"id": "p1", "name": "Ann Lee", "housing": "no"}])
    outcome = _outcome(template, a, "CIA-R07")
    assert not outcome.applicable and outcome.findings == []  # no team page, no role named
    lines = {line.rule_id: line for line in summary_checklist(run_checks(a, template), a, template)}
    assert "Project Team" in lines["CIA-R07"].reason


# --- what qualifies, and what is refused ---------------------------------------------------------------


def test_each_parameter_offers_only_what_qualifies_by_its_label():
    from cia.checks import get_rule

    template = _template()
    r07, r18 = get_rule("CIA-R07"), get_rule("CIA-R18")
    by_name = {p.name: p for p in (*r07.parameters, *r18.parameters)}
    assert choices(template, by_name["team"]) == [("team", "Screening: Who is in the project team?"),
                                                  ("actions", "Action plan: Actions")]
    assert choices(template, by_name["role"]) == [("team.housing", "Who is in the project team?: Are they a housing "
                                                                   "officer?")]
    assert choices(template, by_name["first_involved"]) == [("team.joined", "Who is in the project team?: When did "
                                                                            "they join the project?")]
    assert [v for v, _ in choices(template, by_name["ratings"])] == ["age", "race", "mood"]
    assert [v for v, _ in choices(template, by_name["negative"])][:2] == ["impact.positive", "impact.negative"]


@pytest.mark.parametrize(("rule_id", "parameters", "expected"), [
    ("CIA-R07", {"role": ["team.housing"]}, "CIA-R07, the question that marks the required role: choose the list "
                                            "that is the project team first"),
    ("CIA-R07", {"team": ["team"]}, "CIA-R07 is on: choose the question that marks the required role"),
    ("CIA-R07", {"team": ["team"], "role": ["team.name"]}, '"team.name" is not a yes or no question'),
    ("CIA-R07", {"team": ["actions"], "role": ["team.housing"]}, '"team.housing" is not a question of the list '
                                                                 "chosen for the list that is the project team"),
    ("CIA-R07", {"team": ["age"], "role": ["team.housing"]}, '"age" is not a list question'),
    ("CIA-R18", {"actions": ["actions"]}, "CIA-R18 is on: choose the answers that count as negative"),
    ("CIA-R18", {**PLAN, "ratings": ["gone"]}, '"gone" is not a question of the template (it may have been removed)'),
    ("CIA-R18", {"negative": ["impact.awful"], "actions": ["actions"]}, '"impact.awful" is not an option of the '
                                                                        "template's scales"),
])
def test_a_parameter_that_names_nothing_that_qualifies_is_refused_in_plain_words(rule_id, parameters, expected):
    template = _template()
    found = problems(template, rule_id, RuleSetting(parameters=parameters))
    assert any(expected in message for _, message in found), found


def test_a_rule_that_is_off_needs_nothing_chosen_but_what_is_chosen_must_qualify():
    template = _template()
    assert problems(template, "CIA-R18", RuleSetting(enabled=False)) == []
    assert problems(template, "CIA-R07", RuleSetting(enabled=False, parameters={"team": ["team"]})) == []
    assert problems(template, "CIA-R18", RuleSetting(enabled=False, parameters={"actions": ["age"]}))


def test_shapes_no_template_could_make_right():
    assert shape_problems("CIA-R05", {"x": ["a"]}) == [("x", 'CIA-R05 has no parameter "x" (it takes none)')]
    assert "choose one, not 2" in shape_problems("CIA-R18", {"actions": ["a", "b"]})[0][1]
    assert "is not the key of a question" in shape_problems("CIA-R18", {"ratings": ["Age!"]})[0][1]


def _file(parameters: str) -> str:
    return f"""format: cia-template/2
name: Tiny
scales:
- key: impact
  label: Impact
  options:
  - {{key: negative, label: Negative}}
  - {{key: positive, label: Positive}}
rule_settings:
  CIA-R18:
    enabled: true
    parameters:
{parameters}
sections:
- key: main
  title: Main
  evidence_base: false
  questions:
  - {{key: age, kind: rating, label: Age, scale: impact}}
  - key: actions
    kind: list
    label: Actions
    questions:
    - {{key: action, kind: long_text, label: Action}}
"""


def test_a_file_is_read_with_its_parameters_and_written_back_the_same():
    spec = tf.load(_file("      negative: [impact.negative]\n      actions: [actions]"))
    assert spec.rule_settings["CIA-R18"].parameters == PLAN
    assert tf.load(tf.dump(spec)) == spec
    assert "parameters" not in tf.dump(_template())  # none given: left out of the file


def test_a_file_naming_a_question_that_does_not_qualify_is_refused_with_the_line():
    with pytest.raises(tf.TemplateFormatError) as refused:
        tf.load(_file("      negative: [impact.negative]\n      actions: [age]"))
    assert 'CIA-R18, the action plan: "age" is not a list question (add another): choose again' in str(refused.value)
    with pytest.raises(tf.TemplateFormatError) as refused:
        tf.load(_file("      negative: [impact.negative]\n      actions: [actions]\n      colour: [red]"))
    assert 'CIA-R18 has no parameter "colour"' in str(refused.value)


def test_a_draft_whose_question_was_removed_keeps_it_but_cannot_be_published():
    spec = tf.load(_file("      negative: [impact.negative]\n      actions: [actions]"))
    spec.sections[0].questions.pop()  # the action plan removed
    assert tf.structure_problems(spec) == []  # the draft can still be saved
    (problem,) = tf.publish_problems(spec)
    assert problem.path == "rule_settings.CIA-R18.parameters.actions"
    assert '"actions" is not a question of the template (it may have been removed): choose again' in problem.message
