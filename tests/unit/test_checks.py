"""The checker: rule registry and settings, and rules 1-8, 11 and 12 (structure of the CIA).

The text rules (9, 10, 13-16) are in test_checks_text.py. Each rule has a case that passes
(the good assessment of check_builders) and cases that fire, with message and location.
"""

from __future__ import annotations

import re

import pytest
import yaml

from cia.checks import ADVICE, ERROR, WARNING, CheckConfig, Location, all_rules, get_rule
from cia.checks.base import SEVERITIES
from cia.domain import (
    Acknowledgement,
    Benefit,
    Mitigation,
    RowAnswer,
    RuleSetting,
    TeamMember,
    WorkforceLine,
)
from tests.unit.check_builders import (
    REFERENCE_PATH,
    check,
    findings_of,
    good_assessment,
    load_template,
    outcome_of,
    risk,
    row,
)

#: The council template's rules (the product brief's sixteen); CIA-R17 is for templates with questions.
RULE_IDS = [f"CIA-R{n:02d}" for n in range(1, 17)]


@pytest.fixture(scope="module")
def template():
    return load_template()


@pytest.fixture
def a(template):
    return good_assessment(template)


def only(report, rule_id):
    found = findings_of(report, rule_id)
    assert len(found) == 1, [f.message for f in found]
    return found[0]


# --- registry ---------------------------------------------------------------------


def test_rules_with_stable_unique_ids():
    rules = all_rules()
    assert [r.id for r in rules] == [*RULE_IDS, "CIA-R17", "CIA-R18"]
    assert len({r.id for r in rules}) == 18
    for r in rules:
        assert r.title and r.explanation and r.template_sentence
        assert r.default_severity in SEVERITIES
        assert get_rule(r.id) is r


def _reference_text() -> str:
    with open(REFERENCE_PATH, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    strings: list[str] = []

    def walk(x):
        if isinstance(x, str):
            strings.append(" ".join(x.split()))
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(data)
    return "\n".join(strings)


@pytest.mark.skipif(not REFERENCE_PATH.exists(), reason="shared/reference is not beside the repository")
@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_the_council_template_quotes_its_own_sentence_for_every_rule_verbatim(rule):
    if rule.id not in RULE_IDS:
        assert rule.id not in load_template().rule_settings  # a rule for questions, which it does not ask
        return
    setting = load_template().rule_settings[rule.id]
    assert setting.enabled and setting.sentence
    assert " ".join(setting.sentence.split()) in _reference_text()


def test_no_rule_names_one_council_in_its_own_wording():
    for rule in all_rules():
        words = " ".join((rule.title, rule.template_sentence, rule.explanation))
        assert not re.search(r"staffordshire|district commissioning|\bDCLs?\b|\bSCC\b", words, re.I), rule.id


def test_default_severities_follow_the_product_brief():
    expected = {
        "CIA-R01": ERROR, "CIA-R02": ERROR, "CIA-R03": ERROR, "CIA-R04": ERROR, "CIA-R05": ERROR,
        "CIA-R06": WARNING, "CIA-R07": ERROR, "CIA-R08": WARNING, "CIA-R09": WARNING, "CIA-R10": WARNING,
        "CIA-R11": WARNING, "CIA-R12": WARNING, "CIA-R13": ADVICE, "CIA-R14": ADVICE, "CIA-R15": ADVICE,
        "CIA-R16": ADVICE, "CIA-R17": ERROR, "CIA-R18": WARNING,
    }
    assert {r.id: r.default_severity for r in all_rules()} == expected


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_passes_on_a_good_assessment(template, a, rule_id):
    report = check(a, template)
    assert findings_of(report, rule_id) == []
    assert outcome_of(report, rule_id).answer == "Yes"


def test_good_assessment_can_be_submitted(template, a):
    report = check(a, template)
    assert report.findings == []
    assert report.can_submit


def test_checker_imports_nothing_from_flask():
    import ast
    from pathlib import Path

    import cia.checks

    for path in Path(cia.checks.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] in ("flask", "flask_sqlalchemy", "sqlalchemy") for n in names), path


# --- rule settings ------------------------------------------------------------------


def test_disabled_rule_produces_nothing_and_shows_not_applicable(template, a):
    row(a, "economy", "poverty_and_income").impact = ""
    spec = template.copy()
    spec.rule_settings["CIA-R01"] = RuleSetting(enabled=False)
    report = check(a, spec)
    assert findings_of(report, "CIA-R01") == []
    outcome = outcome_of(report, "CIA-R01")
    assert outcome.answer == "Not applicable" and not outcome.enabled
    assert findings_of(check(a, template), "CIA-R01")  # enabled by default


def test_severity_override_applies_to_every_finding_of_the_rule(template, a):
    a.details.lead = ""
    a.details.sponsor = ""
    spec = template.copy()
    spec.rule_settings["CIA-R05"] = RuleSetting(enabled=True, severity=WARNING)
    found = findings_of(check(a, spec), "CIA-R05")
    assert {f.severity for f in found} == {WARNING}
    assert len(found) == 2


def test_cannot_submit_with_errors(template, a):
    row(a, "economy", "poverty_and_income").impact = ""
    report = check(a, template)
    assert report.errors and not report.can_submit


def test_cannot_submit_with_unacknowledged_warnings_can_when_acknowledged(template, a):
    a.team.members = a.team.members[1:]  # one person (the DCL): a warning
    report = check(a, template)
    assert not report.errors and report.warnings
    assert not report.can_submit
    a.acknowledgements = [Acknowledgement(finding_key=f.key, rule_id=f.rule_id,
                                          reason="Small task and finish group", by="anita")
                          for f in report.warnings]
    assert check(a, template).can_submit


def test_acknowledgement_without_reason_does_not_count(template, a):
    a.team.members = a.team.members[1:]
    report = check(a, template)
    a.acknowledgements = [Acknowledgement(finding_key=f.key, rule_id=f.rule_id, reason="")
                          for f in report.warnings]
    assert not check(a, template).can_submit


def test_advice_does_not_block_submission(template, a):
    a.details.sponsor = ""
    report = check(a, template)
    assert [f.severity for f in report.findings] == [ADVICE]
    assert report.can_submit


def test_keys_of_errors_and_warnings_are_unique(template):
    """Acknowledgements are stored by finding key: two blocking findings must never share one."""
    from cia.domain import blank_assessment

    a = blank_assessment(template)
    a.sections[1].rows[0] = RowAnswer(key=a.sections[1].rows[0].key, impact="yes",
                                      risks=[risk("Risk one"), risk("Risk two"), risk("", "m")])
    a.sections[1].evidence.narrative = "See http://intranet/a and http://intranet/b and Mrs Jones"
    a.staff.profile = [WorkforceLine("Age", "Mrs Jones", "", ""), WorkforceLine("Age", "Mr Smith", "", "")]
    a.staff.affects_staff = "yes"
    report = check(a, template, CheckConfig())
    keys = [f.key for f in report.findings if f.severity in (ERROR, WARNING)]
    assert len(keys) == len(set(keys))


# --- R01 rows completed or N/A ------------------------------------------------------


def test_r01_unanswered_row(template, a):
    row(a, "economy", "poverty_and_income").impact = ""
    f = only(check(a, template), "CIA-R01")
    assert f.message == "Economy, Poverty and Income: select whether there is an impact"
    assert f.severity == ERROR
    assert f.location == Location("section:economy", "poverty_and_income", field="impact")


def test_r01_template_row_with_no_stored_answer_is_unanswered(template, a):
    section = a.section("environment")
    section.rows = [r for r in section.rows if r.key != "noise"]
    f = only(check(a, template), "CIA-R01")
    assert f.message.startswith("Environment, Noise: select whether")
    assert f.location == Location("section:environment", "noise", field="impact")


def test_r01_authors_own_row_is_named_by_its_title(template, a):
    a.section("economy").rows.append(RowAnswer(key="own-x1", custom=True, title="Digital Inclusion"))
    f = only(check(a, template), "CIA-R01")
    assert f.message == "Economy, Digital Inclusion: select whether there is an impact"
    assert f.location == Location("section:economy", "own-x1", field="impact")


def test_r01_impact_row_with_nothing_in_it(template, a):
    r = row(a, "environment", "noise")
    r.impact = "yes"
    f = only(check(a, template), "CIA-R01")
    assert f.message == ("Environment, Noise: enter the groups affected, the benefits or the risks, "
                         "or select No impact identified")
    assert f.location == Location("section:environment", "noise", field="groups")
    assert findings_of(check(a, template), "CIA-R03") == []  # one finding for one problem


def test_an_na_rows_other_answers_are_kept_but_not_checked(template, a):
    """A row marked N/A asks nothing more: what its hidden fields hold is not checked by any rule."""
    r = row(a, "health_and_care", "safeguarding")
    r.risks = [risk("", "Keep named workers"), risk("Fewer visits by staff who know the person")]
    r.benefits = [Benefit(text="Safer visits"), Benefit(text="Safer visits")]
    found = [f for f in check(a, template).findings if f.location.row == "safeguarding"]
    assert found == []
    r.impact = "yes"  # the same answers, asked again: now they are checked
    assert {f.rule_id for f in check(a, template).findings if f.location.row == "safeguarding"} >= {"CIA-R02"}


def test_r01_na_row_may_name_groups(template, a):
    row(a, "environment", "noise").groups = "Nobody: the centres stay in the same buildings"
    assert findings_of(check(a, template), "CIA-R01") == []


# --- R02 risks mitigated --------------------------------------------------------------


def test_r02_risk_without_mitigation(template, a):
    r = row(a, "health_and_care", "access_to_social_care")
    r.risks.append(risk("Referrals may be lost during the move to one team"))
    f = only(check(a, template), "CIA-R02")
    assert f.message == ("Health and Care, Access to Social Care: risk 2 has no mitigation. "
                         "Enter how the risk will be minimised")
    assert f.severity == ERROR
    assert f.location == Location("section:health_and_care", "access_to_social_care", r.risks[1].id,
                                  field="mitigations")


def test_r02_blank_mitigations_do_not_count(template, a):
    r = row(a, "economy", "poverty_and_income")
    r.risks[0].mitigations = [Mitigation(text="  "), Mitigation(text="")]
    f = only(check(a, template), "CIA-R02")
    assert "Economy, Poverty and Income: risk 1 has no mitigation" in f.message


def test_r02_mitigation_without_its_risk(template, a):
    r = row(a, "economy", "poverty_and_income")
    r.risks.insert(0, risk("", "Offer benefits advice at every centre"))
    f = only(check(a, template), "CIA-R02")
    assert f.message == "Economy, Poverty and Income: enter risk 1, or remove its mitigations"
    assert f.location == Location("section:economy", "poverty_and_income", r.risks[0].id, field="text")


def test_r02_empty_risk_placeholder_is_ignored(template, a):
    row(a, "economy", "poverty_and_income").risks.append(risk(""))
    assert findings_of(check(a, template), "CIA-R02") == []


# --- R03 groups named -------------------------------------------------------------------


def test_r03_completed_row_without_groups(template, a):
    row(a, "economy", "poverty_and_income").groups = " "
    f = only(check(a, template), "CIA-R03")
    assert f.message == "Economy, Poverty and Income: enter the groups affected, or select No impact identified"
    assert f.severity == ERROR
    assert f.location == Location("section:economy", "poverty_and_income", field="groups")


# --- R04 evidence base -------------------------------------------------------------------


def test_r04_each_missing_element_is_its_own_finding(template, a):
    ev = a.section("economy").evidence
    ev.items, ev.likelihood, ev.size = [], "", ""
    found = findings_of(check(a, template), "CIA-R04")
    assert [f.location for f in found] == [
        Location("evidence:economy", field="items"),
        Location("evidence:economy", field="likelihood"),
        Location("evidence:economy", field="size"),
    ]
    assert all(f.message.startswith("Economy, Evidence Base: ") for f in found)
    assert all(f.severity == ERROR for f in found)


def test_r04_empty_evidence_item_does_not_count_but_a_title_does(template, a):
    ev = a.section("psed").evidence
    ev.items[0].title = ev.items[0].link = ev.items[0].description = ""
    f = only(check(a, template), "CIA-R04")
    assert f.message == "Public Sector Equality Duty (PSED), Evidence Base: add the evidence you used"
    ev.items[0].title = "Census 2021"
    assert findings_of(check(a, template), "CIA-R04") == []


def test_r04_section_missing_from_the_assessment(template, a):
    a.sections = [s for s in a.sections if s.key != "environment"]
    found = findings_of(check(a, template), "CIA-R04")
    assert {f.location.part for f in found} == {"evidence:environment"}
    assert len(found) == 3


# --- R05 header -------------------------------------------------------------------------


@pytest.mark.parametrize("name,words", [("name", "the name of the proposal"),
                                        ("lead", "the project manager or lead"),
                                        ("date", "the date of the assessment")])
def test_r05_required_header_fields(template, a, name, words):
    setattr(a.details, name, "")
    found = [f for f in findings_of(check(a, template), "CIA-R05")]
    assert len(found) == 1
    assert found[0].message == f"Proposal details: enter {words}"
    assert found[0].severity == ERROR
    assert found[0].location == Location("details", field=name)


def test_r05_blank_sponsor_is_advice(template, a):
    a.details.sponsor = ""
    f = only(check(a, template), "CIA-R05")
    assert f.severity == ADVICE
    assert f.location == Location("details", field="sponsor")
    assert "sponsor" in f.message


# --- R06 team ---------------------------------------------------------------------------


def test_r06_one_person_team(template, a):
    a.team.members = a.team.members[:1] + [TeamMember(name="  ")]
    f = only(check(a, template), "CIA-R06")
    assert f.severity == WARNING
    assert f.message.startswith("Project Team: add the other people")
    assert f.location == Location("team", field="members")


# --- R07 DCLs ---------------------------------------------------------------------------


def test_r07_no_dcl_with_localities_impact_is_an_error(template, a):
    a.team.members[1].has_team_role = "no"
    f = only(check(a, template), "CIA-R07")
    assert f.severity == ERROR
    assert "District Commissioning Leads (DCL's)" in f.message and "Localities / Communities" in f.message
    assert f.location == Location("team", field="members")


def test_r07_no_dcl_without_localities_impact_is_a_warning(template, a):
    a.team.members[1].has_team_role = "no"
    for r in a.section("localities_communities").rows:
        r.impact, r.groups, r.benefits, r.risks = "no", "", [], []
    assert only(check(a, template), "CIA-R07").severity == WARNING


def test_r07_dcl_involved_after_the_cia_date(template, a):
    dcl = a.team.members[1]
    dcl.date_first_involved = "2025-02-03"
    f = only(check(a, template), "CIA-R07")
    assert f.severity == WARNING
    assert f.message.startswith("Project Team, Sam Okafor (District Commissioning Lead): first involved in "
                                "3 February 2025, after the date "
                                "of the CIA (January 2025)")
    assert f.location == Location("team", item=dcl.id, field="date_first_involved")
    dcl.date_first_involved = "2025-01"  # the same month counts as early
    assert findings_of(check(a, template), "CIA-R07") == []


def test_r07_uses_the_section_with_mandatory_engagement_not_a_fixed_key(template, a):
    spec = template.copy()
    spec.section("localities_communities").mandatory_engagement = ""
    spec.section("economy").mandatory_engagement = "Economic development officers"
    a.team.members[1].has_team_role = "no"
    f = only(check(a, spec), "CIA-R07")
    assert f.severity == ERROR  # Economy has an impact
    assert "Economic development officers" in f.message
    spec.section("economy").mandatory_engagement = ""
    report = check(a, spec)
    assert outcome_of(report, "CIA-R07").answer == "Not applicable"


# --- R08 engagement -----------------------------------------------------------------------


def test_r08_no_engagement(template, a):
    a.engagement.activities = []
    f = only(check(a, template), "CIA-R08")
    assert f.severity == WARNING
    assert f.location == Location("engagement", field="activities")


def test_r08_engagement_not_used_to_shape_the_proposal(template, a):
    act = a.engagement.activities[0]
    act.influence = ""
    f = only(check(a, template), "CIA-R08")
    assert f.message == ("Engagement and consultation, activity 1 (Carers' drop-in sessions): enter how the "
                         "findings shaped the proposal")
    assert f.location == Location("engagement", item=act.id, field="influence")
    act.findings = ""
    assert [f.location.field for f in findings_of(check(a, template), "CIA-R08")] == ["findings", "influence"]


# --- R11 staff --------------------------------------------------------------------------


def test_r11_not_applicable_when_staff_not_affected(template, a):
    a.staff.affects_staff = "no"
    a.staff.support = ""
    row(a, "psed", "impact_on_scc_staff").impact = "no"
    row(a, "psed", "impact_on_scc_staff").benefits = []
    row(a, "psed", "impact_on_scc_staff").risks = []
    report = check(a, template)
    assert outcome_of(report, "CIA-R11").answer == "Not applicable"
    assert findings_of(report, "CIA-R11") == []


@pytest.mark.parametrize("how", ["question", "psed_row"])
def test_r11_each_missing_element_is_a_warning(template, a, how):
    if how == "question":
        row(a, "psed", "impact_on_scc_staff").impact = "no"
        row(a, "psed", "impact_on_scc_staff").benefits = []
        row(a, "psed", "impact_on_scc_staff").risks = []
    else:
        a.staff.affects_staff = ""
    a.staff.profile = []
    a.staff.job_losses = ""
    a.staff.support = ""
    a.staff.hr_protocols = ""
    found = findings_of(check(a, template), "CIA-R11")
    assert [f.location for f in found] == [Location("staff", field=x)
                                            for x in ("profile", "job_losses", "support", "hr_protocols")]
    assert all(f.severity == WARNING and f.message.startswith("Impact on SCC Staff: ") for f in found)


def test_r11_profile_needs_a_pre_and_a_post_value(template, a):
    for line in a.staff.profile:
        line.post_percent = ""
    f = only(check(a, template), "CIA-R11")
    assert f.location == Location("staff", field="profile")
    a.staff.profile[0].post_percent = "Unknown"
    assert findings_of(check(a, template), "CIA-R11") == []


def test_r11_zero_job_losses_is_an_answer(template, a):
    a.staff.job_losses = "0"
    assert findings_of(check(a, template), "CIA-R11") == []


# --- R12 planning stage --------------------------------------------------------------------


def test_r12_cia_dated_after_the_decision(template, a):
    a.details.date = "2025-04"
    f = only(check(a, template), "CIA-R12")
    assert f.severity == WARNING
    assert f.message.startswith("Proposal details: the CIA is dated April 2025, after the decision date "
                                "(12 March 2025)")
    assert f.location == Location("details", field="date")


@pytest.mark.parametrize("date,fires", [("2025-03", False), ("2025-03-12", False), ("2025-03-13", True),
                                        ("2024-12-01", False), ("2026-01", True)])
def test_r12_month_dates_compare_by_month(template, a, date, fires):
    a.details.date = date
    assert bool(findings_of(check(a, template), "CIA-R12")) is fires


def test_r12_not_applicable_without_both_dates(template, a):
    a.details.decision_date = ""
    assert outcome_of(check(a, template), "CIA-R12").answer == "Not applicable"
    a.details.decision_date = "2025-03-12"
    a.details.date = "soon"
    assert outcome_of(check(a, template), "CIA-R12").answer == "Not applicable"


def test_messages_name_template_titles_not_keys(template, a):
    row(a, "economy", "access_to_jobs_good_quality_jobs").impact = ""
    f = only(check(a, template), "CIA-R01")
    assert "Access to jobs/ Good quality jobs" in f.message
    assert not re.search(r"access_to_jobs", f.message)


# --- rules as template data ---------------------------------------------------------------


def test_a_rule_the_template_does_not_list_is_off(template, a):
    a.team.members = a.team.members[:1]  # R06 would find a one-person team
    assert findings_of(check(a, template), "CIA-R06")
    spec = template.copy()
    del spec.rule_settings["CIA-R06"]
    report = check(a, spec)
    assert findings_of(report, "CIA-R06") == []
    assert "CIA-R06" not in [o.rule.id for o in report.outcomes]  # not on this template's checklist
    spec.rule_settings["CIA-R06"] = RuleSetting(enabled=False)
    outcome = outcome_of(check(a, spec), "CIA-R06")
    assert (outcome.enabled, outcome.answer) == (False, "Not applicable")


def test_the_checklist_names_and_quotes_each_rule_as_the_template_words_it(template, a):
    spec = template.copy()
    spec.rule_settings["CIA-R06"] = RuleSetting(title="More than one officer writes it",
                                                sentence="Ask at least two colleagues to help.")
    outcome = outcome_of(check(a, spec), "CIA-R06")
    assert (outcome.rule.title, outcome.rule.template_sentence) == (
        "More than one officer writes it", "Ask at least two colleagues to help.")
    plain = template.copy()
    plain.rule_settings["CIA-R06"] = RuleSetting()
    assert outcome_of(check(a, plain), "CIA-R06").rule == get_rule("CIA-R06")


def test_r07_needs_the_template_to_ask_about_a_team_role(template, a):
    a.team.members[1].has_team_role = "no"
    assert findings_of(check(a, template), "CIA-R07")
    spec = template.copy()
    spec.team_role.name = ""
    report = check(a, spec)
    assert findings_of(report, "CIA-R07") == []
    assert outcome_of(report, "CIA-R07").answer == "Not applicable"
