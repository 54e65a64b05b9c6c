"""What changed between two template versions, in the words the publish and move pages show."""

from __future__ import annotations

import pytest

from cia.data.templates import bundled_template_spec
from cia.domain import CategoryArea, Condition, Question, RuleSetting, ScaleOption, SectionSpec, SignOffStep
from cia.template_changes import compare


@pytest.fixture(scope="module")
def england():
    return bundled_template_spec("equality-impact-assessment-england")


@pytest.fixture(scope="module")
def staffordshire():
    return bundled_template_spec("staffordshire-cia")


def groups(changes) -> dict[str, list[str]]:
    return {g.heading: list(g.lines) for g in changes.groups}


def test_the_same_content_has_no_changes(england, staffordshire):
    for spec in (england, staffordshire):
        changes = compare(spec, spec.copy())
        assert changes.empty and changes.lines() == []


def test_sections_added_removed_renamed_reordered_and_their_settings(staffordshire):
    new = staffordshire.copy()
    new.sections[0].title = "Equality duty"
    removed = new.sections.pop(1)
    new.sections[0], new.sections[1] = new.sections[1], new.sections[0]
    new.sections.append(SectionSpec(key="housing", title="Housing", category_areas=[CategoryArea("rent", "Rent")],
                                    questions=[Question(key="homes", kind="number", label="How many homes?")]))
    new.sections[0].evidence_base = False
    new.sections[0].allow_custom_rows = not staffordshire.section(new.sections[0].key).allow_custom_rows
    assert groups(compare(staffordshire, new))["Sections"] == [
        "Added section “Housing” (1 category area and 1 question)",
        f"Removed section “{removed.title}”",
        "Changed the order of the sections",
        f"Section “{new.sections[0].title}” no longer ends with an Evidence Base",
        f"Authors {'can now' if new.sections[0].allow_custom_rows else 'can no longer'} add their own rows in "
        f"“{new.sections[0].title}”",
        "Renamed section “Public Sector Equality Duty (PSED)” to “Equality duty”",
    ]


def test_category_areas_added_removed_renamed_and_reordered(staffordshire):
    new = staffordshire.copy()
    section = new.sections[0]
    old_first, old_second = section.category_areas[0].title, section.category_areas[1].title
    section.category_areas[0].title = "Ethnicity"
    section.category_areas.pop(1)
    section.category_areas.append(CategoryArea("care_leavers", "Care leavers"))
    section.category_areas[0], section.category_areas[1] = section.category_areas[1], section.category_areas[0]
    assert groups(compare(staffordshire, new)) == {"Category areas": [
        f"Renamed category area “{old_first}” to “Ethnicity” in “{section.title}”",
        f"Added category area “Care leavers” to “{section.title}”",
        f"Removed category area “{old_second}” from “{section.title}”",
        f"Changed the order of the category areas in “{section.title}”",
    ]}


def test_questions_reworded_required_options_conditions_and_lists(england):
    new = england.copy()
    needed = new.question("full_assessment_needed")
    needed.label = "Does the proposal need a full assessment?"
    needed.hint = "Think about everyone it affects."
    why = new.question("why_not_needed")
    why.required = False
    why.show_if = Condition("full_assessment_needed", ["yes", "no"])
    outcome = new.question("outcome")
    outcome.options = [o for o in outcome.options if o.key != "stop"] + [ScaleOption("pause", "Pause the proposal")]
    outcome.options[0].label = "No change needed"
    actions = new.question("actions")
    actions.questions = [q for q in actions.questions if q.key != "resources"]
    actions.questions.append(Question(key="cost", kind="short_text", label="Cost"))
    actions.questions[0].label = "What will be done"
    new.section("screening").questions.append(Question(key="budget", kind="short_text", label="What is the budget?"))
    new.section("action_plan").questions.remove(new.question("justification"))
    assert groups(compare(england, new)) == {"Questions": [
        "Re-worded question “Is a full equality impact assessment needed?” as “Does the proposal need a full "
        "assessment?”",
        "Changed the hint of question “Does the proposal need a full assessment?”",
        "Made question “Explain why a full assessment is not needed” optional",
        "Question “Explain why a full assessment is not needed” is now shown only if the answer to “Does the "
        "proposal need a full assessment?” is “Yes” or “No”",
        "Added question “What is the budget?” to “Screening”",
        "Changed the options of question “What is the outcome of the assessment?”: added “Pause the proposal”; "
        "removed “Stop and rethink”; renamed “No major change needed” to “No change needed”",
        "Re-worded “Action” in the list “Action plan” as “What will be done”",
        "Added “Cost” to the list “Action plan”",
        "Removed “Resources needed” from the list “Action plan”",
        "Removed question “Why is it justified to continue despite a negative impact?” from “Outcome and action plan”",
    ]}


def test_a_question_moved_to_another_section_is_moved_not_removed_and_added(england):
    new = england.copy()
    question = new.question("who_is_affected")
    new.section("screening").questions.remove(question)
    new.section("action_plan").questions.insert(0, question)
    assert groups(compare(england, new)) == {"Questions": [
        "Moved question “Who does the proposal affect?” from “Screening” to “Outcome and action plan”"]}


def test_rules_turned_on_and_off_severity_wording_and_parameters(england):
    new = england.copy()
    del new.rule_settings["CIA-R05"]
    new.rule_settings["CIA-R12"].enabled = False
    new.rule_settings["CIA-R02"] = RuleSetting()
    new.rule_settings["CIA-R09"].severity = ""
    new.rule_settings["CIA-R14"].title = "Every row is answered"
    new.rule_settings["CIA-R15"].terms = ["PSED"]
    lines = groups(compare(england, new))["Checker rules"]
    assert "Turned on “Every risk has at least one mitigation” (CIA-R02)" in lines
    assert any(line.startswith("Turned off “") and line.endswith("(CIA-R05)") for line in lines)
    assert any(line.startswith("Turned off “") and line.endswith("(CIA-R12)") for line in lines)
    assert any(line.startswith("Changed the severity of “") and "(CIA-R09) from Error to the rule's own (" in line
               for line in lines)
    assert "Re-worded “Every row is answered” (CIA-R14) in the checklist" in lines
    assert any(line.startswith("Changed the parameters of “") and line.endswith("(CIA-R15)") for line in lines)
    assert len(lines) == 6


def test_sign_off_steps(england):
    new = england.copy()
    new.signoff_steps[0].title = "Screening decision"
    new.signoff_steps[1].levels = ["equalities", "head_of_service"]
    new.signoff_steps[2].show_if = Condition()
    new.signoff_steps.append(SignOffStep(key="legal", title="Legal review", levels=["slt"]))
    assert groups(compare(england, new)) == {"Sign-off steps": [
        "Renamed the step “Head of Service's screening decision” to “Screening decision”",
        "The step “Equalities officer's review” is now signed by Equalities officer or Head of Service",
        "The step “Decision-maker's sign-off” is now always taken",
        "Added the step “Legal review”, signed by Senior Leadership Team (SLT)",
    ]}


def test_other_text_is_counted_where_it_changed(staffordshire):
    new = staffordshire.copy()
    new.closing_instruction = "Send it to the equalities team."
    new.likelihood_scale[0].label = "Rare"
    new.likelihood_scale[1].description = "Hardly ever"
    new.sections[0].intro = "New introduction"
    new.sections[0].category_areas[0].guidance = "New guidance"
    changes = compare(staffordshire, new)
    assert changes.groups == ()
    assert changes.lines() == [f"5 other changes to text and settings: Closing instruction (1), Likelihood scale (2), "
                               f"Section “{new.sections[0].title}” (2)"]


def test_a_field_no_line_names_is_still_counted(england):
    """A change the wording does not know of (a field added to the format later) is never lost."""
    new = england.copy()
    new.question("actions").item_name = "step"
    assert groups(compare(england, new)) == {"Questions": ["Changed other settings of question “Action plan”"]}
