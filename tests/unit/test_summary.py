"""The Checklist and Executive Summary's content: the checklist in plain English, the key facts, the
key risks of each section (the authors' marks, or the summary's choice) and the groups most affected.

The page count in LibreOffice is tests/integration/test_cabinet_summary.py's.
"""

from __future__ import annotations

import io

import docx
import pytest

from cia.checks import run_checks
from cia.checks.base import all_rules
from cia.domain import Acknowledgement, Mitigation, Risk, RuleSetting
from cia.exports import ExportInput
from cia.exports.summary import build_summary
from cia.exports.summary_checklist import MET, NOT_APPLICABLE, NOT_MET, REASONS, summary_checklist
from cia.exports.summary_docx import summary_docx
from cia.exports.summary_sections import CHOSEN_RISKS, split_groups
from cia.exports.words import gist
from tests.factories import cabinet_sized_assessment, load_staffordshire


@pytest.fixture(scope="module")
def template():
    return load_staffordshire()


def _summary(a, template):
    return build_summary(ExportInput(a, template, run_checks(a, template)))


def _docx_text(a, template) -> str:
    d = docx.Document(io.BytesIO(summary_docx(ExportInput(a, template, run_checks(a, template)))))
    parts = [p.text for p in d.paragraphs]
    parts += [cell.text for t in d.tables for row in t.rows for cell in row.cells]
    return "\n".join(parts)


def _lines(a, template) -> dict[str, tuple[str, str]]:
    return {c.rule_id: (c.state, c.reason) for c in summary_checklist(run_checks(a, template), a, template)}


# --- the checklist --------------------------------------------------------------------------------


def test_every_rule_has_its_reasons():
    assert {r.id for r in all_rules()} <= set(REASONS)


def test_a_met_check_says_what_was_found_in_counts(template):
    lines = _lines(cabinet_sized_assessment(template), template)
    assert lines["CIA-R01"] == (MET, "All 34 rows answered (7 with no impact)")
    assert lines["CIA-R02"] == (MET, "All 40 risks have a mitigation")
    assert lines["CIA-R04"] == (MET, "5 sections, 40 items of evidence")
    assert lines["CIA-R06"] == (MET, "4 people in the Project Team")
    assert lines["CIA-R12"] == (MET, "CIA June 2024, decision 18 September 2024")


def test_a_check_not_met_counts_the_problems_in_plain_english(template):
    a = cabinet_sized_assessment(template)
    rows = [row for s in a.sections for row in s.rows if row.impact == "yes"]
    for row in rows[:3]:
        row.risks.append(Risk(text="Fewer buses on Sundays."))
    rows[3].risks.append(Risk(text="", mitigations=[Mitigation(text="Talk to the operators.")]))
    rows[4].impact = ""
    a.staff.support = a.staff.hr_protocols = ""
    lines = _lines(a, template)
    assert lines["CIA-R02"] == (NOT_MET, "3 risks have no mitigation; 1 mitigation has no risk")
    assert lines["CIA-R01"] == (NOT_MET, "1 row not answered")
    assert lines["CIA-R11"] == (NOT_MET, "No support for staff and HR protocols given")
    # the findings' own words name rows and fields for the authors: never in the summary
    text = _docx_text(a, template)
    assert "3 risks have no mitigation" in text and "Enter how the risk will be minimised" not in text


def test_a_check_that_does_not_apply_says_why(template):
    a = cabinet_sized_assessment(template)
    a.staff.affects_staff = "no"
    staff_row = next(r for s in a.sections for r in s.rows if r.key == "impact_on_scc_staff")
    staff_row.impact, staff_row.groups, staff_row.benefits, staff_row.risks, staff_row.maximise = "no", "", [], [], ""
    a.details.decision_date = ""
    lines = _lines(a, template)
    assert lines["CIA-R11"] == (NOT_APPLICABLE, "The proposal does not affect the council's staff")
    assert lines["CIA-R12"] == (NOT_APPLICABLE, "The CIA date or the decision date is not given")


def test_a_check_the_template_turns_off_is_not_listed(template):
    spec = template.copy()
    spec.rule_settings["CIA-R13"] = RuleSetting(enabled=False)
    spec.rule_settings["CIA-R06"] = RuleSetting(enabled=True, title="The team is more than one officer")
    a = cabinet_sized_assessment(spec)
    lines = summary_checklist(run_checks(a, spec), a, spec)
    assert "CIA-R13" not in {c.rule_id for c in lines}
    assert ("The team is more than one officer", MET) in {(c.title, c.state) for c in lines}
    assert "No boilerplate" not in _docx_text(a, spec)


def test_reasons_the_authors_gave_are_noted(template):
    a = cabinet_sized_assessment(template)
    report = run_checks(a, template)
    repeated = [f for f in report.findings if f.rule_id == "CIA-R13"]
    assert len(repeated) > 1
    a.acknowledgements = [Acknowledgement(finding_key=f.key, rule_id="CIA-R13", reason="The impact is the same.")
                          for f in repeated]
    state, reason = _lines(a, template)["CIA-R13"]
    assert (state, reason) == (NOT_MET, f"{len(repeated)} passages repeated across rows (reasons given)")
    summary = _summary(a, template)
    assert summary.acknowledged_reasons() == [(report.outcomes[12].rule.title, "The impact is the same.",
                                               len(repeated))]


# --- key facts ----------------------------------------------------------------------------------


def test_key_facts_in_the_templates_words(template):
    summary = _summary(cabinet_sized_assessment(template, approved=True), template)
    facts = {f.label: f.value for f in summary.facts}
    assert facts == {
        "Name of Proposal": "Community Support Hubs: redesign of face-to-face services",
        "Reference": "CIA-2024-0042", "Decision route": "Cabinet", "Decision date": "18 September 2024",
        "Project Manager or Lead": "Alex Morgan, Project Manager", "Project Sponsor": "Director of Health and Care",
        "Status": "Approved, revision 2", "Date of the CIA": "June 2024", "Directorate": "Health and Care",
        "Project size": "Large", "Publication status": "Public"}
    assert summary.proposal_summary_rich and "four community hubs" in summary.proposal_summary


def test_a_long_proposal_summary_gives_its_opening(template):
    a = cabinet_sized_assessment(template)
    a.details.summary = "Bring eleven offices into four hubs. " * 10 + "\n\n" + "Details follow. " * 100
    summary = _summary(a, template)
    assert not summary.proposal_summary_rich
    assert summary.proposal_summary.startswith("Bring eleven offices into four hubs.")
    assert summary.proposal_summary.endswith("(The full CIA has the whole summary.)")
    assert "Details follow" not in summary.proposal_summary


# --- key risks ----------------------------------------------------------------------------------


def test_marking_a_risk_key_puts_it_in_the_summary(template):
    a = cabinet_sized_assessment(template)
    rows = [r for r in a.section("economy").rows if r.impact == "yes"]
    marked = rows[-1].risks[-1]
    marked.key_risk = True
    marked.text = "The new hubs may not open on time if the building works overrun."
    summary = _summary(a, template)
    economy = next(s for s in summary.sections if s.key == "economy")
    assert economy.marked_by_authors and [r.text for r in economy.key_risks] == [marked.text]
    others = len(economy.risks) - 1
    assert economy.more_risks == others
    text = _docx_text(a, template)
    assert marked.text in text
    assert f"and {others} more risks in the full CIA." in text
    # the other sections, with no marks, still show the risks the summary chose
    psed = next(s for s in summary.sections if s.key == "psed")
    assert not psed.marked_by_authors and psed.key_risks


def test_every_marked_risk_is_listed_and_no_other(template):
    a = cabinet_sized_assessment(template)
    psed = a.section("psed")
    for row in psed.rows:
        for risk in row.risks:
            risk.key_risk = True
    summary = _summary(a, template)
    section = next(s for s in summary.sections if s.key == "psed")
    assert len(section.key_risks) == len(section.risks) > CHOSEN_RISKS[1] and section.more_risks == 0
    assert "more risks in the full CIA" not in " ".join(
        p for p in _docx_text(a, template).split("\n") if section.title in p)


def test_without_marks_the_summary_chooses_unmitigated_risks_first_then_one_per_area(template):
    a = cabinet_sized_assessment(template)
    section = a.section("environment")
    rows = [r for r in section.rows if r.impact == "yes"]
    rows[-1].risks.append(Risk(text="No one has been asked to run the new recycling points."))
    summary = _summary(a, template)
    env = next(s for s in summary.sections if s.key == "environment")
    assert not env.marked_by_authors
    assert env.key_risks[-1].text == "No one has been asked to run the new recycling points."  # unmitigated, kept
    titles = [r.row_title for r in env.key_risks]
    assert len(titles) == len(set(titles)), "one risk from each area before a second from any"
    assert [r.number for r in env.key_risks] == sorted(r.number for r in env.key_risks)  # in the authors' order


def test_sections_rated_higher_show_more_chosen_risks(template):
    summary = _summary(cabinet_sized_assessment(template), template)
    top = len(template.likelihood_scale) * len(template.impact_scale)
    for s in summary.sections:
        expected = CHOSEN_RISKS[1] if 2 * s.score >= top else CHOSEN_RISKS[0]
        assert len(s.key_risks) == min(expected, len(s.risks)), s.title
    assert {len(s.key_risks) for s in summary.sections} == set(CHOSEN_RISKS)


def test_risk_numbers_match_the_full_cia(template):
    a = cabinet_sized_assessment(template)
    summary = _summary(a, template)
    psed = next(s for s in summary.sections if s.key == "psed")
    assert [r.number for r in psed.risks] == list(range(1, len(psed.risks) + 1))


# --- groups and words ------------------------------------------------------------------------------


def test_groups_are_split_into_groups_not_phrases():
    assert split_groups("Older people, disabled people, carers") == ["Older people", "disabled people", "carers"]
    assert split_groups("For age:\n- Older residents (aged 65 and over) who use the service, and their carers") == [
        "Older residents (aged 65 and over) who use the service, and their carers"]
    assert split_groups("Young people; families with young children\n\n1. Carers") == [
        "Young people", "families with young children", "Carers"]


def test_the_groups_named_in_most_rows_come_first(template):
    a = cabinet_sized_assessment(template)
    rows = [r for r in a.section("psed").rows if r.impact == "yes"]
    for row in rows[1:]:
        row.groups += "\n- Bus users"
    psed = next(s for s in _summary(a, template).sections if s.key == "psed")
    assert psed.groups[0] == "Bus users" and psed.main_groups[0] == "Bus users"


def test_gist_is_the_opening_sentences_of_the_first_paragraph():
    text = "A short point. And a second sentence that goes on.\n\n| Use | Share % |\n|---|---|\n| Never | 6 |"
    assert gist(text, 200) == "A short point. And a second sentence that goes on."
    assert gist(text, 28) == "A short point."  # a whole sentence, when it is at least half the limit
    assert gist(text, 40) == "A short point. And a second sentence…"
    assert gist("One long sentence without any full stop in the first forty characters at all", 40) == \
        "One long sentence without any full…"
    assert gist("", 10) == ""
