"""The public version's copy of the plain assessment (cia.exports.public): what each mark withholds,
which questions may be marked, and how the marks merge when two people save the same page."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from cia import readable, templateformat
from cia.data.parts import SectionQuestions
from cia.domain import CommunityImpact, EvidenceBase, EvidenceItem, blank_assessment
from cia.exports.public import has_confidential, markable_questions, public_copy
from cia.merge import merge

ENGLAND = Path(__file__).parents[2] / "cia" / "template_data" / "equality-impact-assessment-england.yaml"
ACTION = "Meet the landlord's agent about the lease before the decision"


def _england():
    return templateformat.load(ENGLAND.read_text(encoding="utf-8"))


def _with_actions(marked: bool):
    spec = _england()
    data = blank_assessment(spec, "Closing the Tamworth library")
    screening = data.section("screening")
    screening.answers["full_assessment_needed"] = "yes"
    plan = data.section("action_plan")
    plan.answers["actions"] = [{"id": "a1", "action": ACTION, "lead_officer": "Head of Libraries"}]
    plan.confidential = {"actions": marked}
    return spec, data


def test_a_marked_list_question_is_withheld_whole_and_reads_as_the_withheld_text():
    spec, data = _with_actions(marked=True)
    assert has_confidential(data)
    public = public_copy(data, spec)
    assert public.section("action_plan").answers["actions"] == "Withheld: confidential"
    [line] = [q for q in readable.answered_questions(spec, public)["action_plan"] if q.key == "actions"]
    assert (line.text, line.rich) == ("Withheld: confidential", False)
    [full] = [q for q in readable.answered_questions(spec, data)["action_plan"] if q.key == "actions"]
    assert ACTION in full.text and full.rich
    assert data.section("action_plan").answers["actions"][0]["action"] == ACTION  # the original is untouched


def test_an_answer_not_marked_is_the_same_in_the_public_copy():
    spec, data = _with_actions(marked=False)
    assert not has_confidential(data)
    assert public_copy(data, spec) == data


def test_questions_on_the_cover_or_tested_by_a_condition_cannot_be_marked():
    spec = _england()
    screening = spec.section("screening")
    # "Is a full assessment needed?" decides which sections, pages and sign-off steps there are
    assert [q.key for q in markable_questions(spec, screening)] == ["proposal_summary", "who_is_affected",
                                                                     "why_not_needed"]
    # "What is the outcome?" decides whether the justification is asked
    assert "outcome" not in [q.key for q in markable_questions(spec, spec.section("action_plan"))]
    on_cover = dataclasses.replace(screening.questions[0], cover=True)
    spec.section("screening").questions[0] = on_cover
    assert "proposal_summary" not in [q.key for q in markable_questions(spec, screening)]


def test_two_people_marking_different_questions_merge_like_their_answers():
    base = SectionQuestions(answers={"a": "", "b": ""}).to_dict()
    theirs = SectionQuestions(answers={"a": "Theirs", "b": ""}, confidential={"a": True}).to_dict()
    mine = SectionQuestions(answers={"a": "", "b": "Mine"}, confidential={"b": True}).to_dict()
    merged = merge(base, theirs, mine)
    assert merged.conflicts == []
    assert merged.data["confidential"] == {"a": True, "b": True}
    assert merged.data["answers"] == {"a": "Theirs", "b": "Mine"}


def test_one_person_unmarking_while_another_marks_another_paragraph_keeps_both_changes():
    base = CommunityImpact(risk="r", health="h", confidential={"risk": True}).to_dict()
    theirs = CommunityImpact(risk="r", health="h", confidential={"risk": True, "health": True}).to_dict()
    mine = CommunityImpact(risk="r", health="h", confidential={}).to_dict()
    merged = merge(base, theirs, mine)
    assert merged.conflicts == [] and merged.data["confidential"] == {"health": True}


def test_an_evidence_items_mark_merges_with_the_item():
    items = [EvidenceItem(id="e1", title="Census"), EvidenceItem(id="e2", title="Survey")]
    base = EvidenceBase(items=items).to_dict()
    theirs = EvidenceBase(items=[dataclasses.replace(items[0], confidential=True), items[1]]).to_dict()
    mine = EvidenceBase(items=[items[0], dataclasses.replace(items[1], title="Survey 2025")]).to_dict()
    merged = merge(base, theirs, mine)
    assert merged.conflicts == []
    assert [(i["title"], i["confidential"]) for i in merged.data["items"]] == [("Census", True),
                                                                                ("Survey 2025", False)]
    # One marks an item while the other corrects its title: both kept, as two fields of a row are
    retitled = EvidenceBase(items=[dataclasses.replace(items[0], title="Census 2021"), items[1]]).to_dict()
    merged = merge(base, theirs, retitled)
    assert merged.conflicts == [] and merged.data["items"][0] == {**theirs["items"][0], "title": "Census 2021"}
