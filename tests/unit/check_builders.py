"""Builders for the checker's tests: the seeded template and a CIA that meets every rule.

`good_assessment()` passes all 16 rules; each test breaks one thing and looks for the
finding. Rows are looked up by key with `row(a, section, key)`.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from cia.checks import CheckConfig, Report, run_checks
from cia.domain import (
    Assessment,
    Benefit,
    EngagementActivity,
    EvidenceItem,
    Mitigation,
    ProposalDetails,
    Risk,
    RowAnswer,
    StaffImpact,
    TeamMember,
    TemplateSpec,
    WorkforceLine,
    blank_assessment,
)

TEMPLATE_PATH = Path(__file__).parents[2] / "cia/template_data/staffordshire-cia.yaml"
REFERENCE_PATH = Path(__file__).parents[2].parent / "shared/reference/cia-template-staffordshire.yaml"

LEAD = "Dr Anita Patel"
SPONSOR = "Mr John Henderson"


def load_template() -> TemplateSpec:
    with open(TEMPLATE_PATH, encoding="utf-8") as fh:
        return TemplateSpec.from_dict(yaml.safe_load(fh))


def risk(text: str, *mitigations: str) -> Risk:
    return Risk(text=text, mitigations=[Mitigation(text=m, owner="Service manager") for m in mitigations])


def answered(groups: str, benefit: str, risk_text: str, mitigation: str) -> RowAnswer:
    return RowAnswer(impact="yes", groups=groups, benefits=[Benefit(text=benefit)],
                     risks=[risk(risk_text, mitigation)])


# Hand-written, distinct answers for the rows with an impact (so that no boilerplate is found).
ROWS = {
    ("psed", "age"): answered(
        "Older residents who attend day services, and the unpaid carers who support them",
        "Services open for longer on weekdays, with more places at the two busiest centres.",
        "Some older people will travel further to reach a centre.",
        "Keep free community transport in place for everyone assessed as needing it.",
    ),
    ("psed", "disability"): answered(
        "Disabled adults with a learning disability and their families",
        "Specialist support moves into buildings with changing places toilets.",
        "Changes to routine can cause distress for people with autism.",
        "Plan each move with the person and their family at least eight weeks ahead.",
    ),
    ("psed", "impact_on_scc_staff"): answered(
        "Day service staff employed by the county council",
        "Staff gain accredited training in person-centred planning.",
        "Some posts move to a different base, which changes journeys to work.",
        "Follow the council's organisational change policy and offer travel support.",
    ),
    ("health_and_care", "access_to_social_care"): answered(
        "Adults with eligible needs under the Care Act 2014",
        "Assessments happen sooner because referrals go to one team.",
        "Waiting lists could grow while the new team is recruited.",
        "Use agency assessors for the first six months and publish waiting times monthly.",
    ),
    ("economy", "poverty_and_income"): answered(
        "Carers on low incomes who rely on day services to stay in work",
        "Longer opening hours let carers keep paid employment.",
        "Charges for transport might rise for self-funders.",
        "Cap transport charges at the current rate until the next budget review.",
    ),
    ("environment", "transport"): answered(
        "Residents in villages served by community transport schemes",
        "Fewer, fuller vehicles reduce mileage across the county.",
        "Rural routes may become longer for a small number of people.",
        "Review every route with the voluntary transport providers before the change.",
    ),
    ("localities_communities", "rural_communities"): answered(
        "People in rural parishes of Staffordshire Moorlands and South Staffordshire",
        "Outreach sessions run in village halls once a month.",
        "Isolated residents may lose a weekly social contact.",
        "Fund the village hall outreach sessions from the savings for two years.",
    ),
}

NARRATIVES = {
    "psed": "Service data shows who attends each centre by age, sex and disability.",
    "health_and_care": (
        "Assessment data and the duties in the Health and Social Care Act 2012 informed the likely demand."
    ),
    "economy": "Household income estimates for carers came from the national carers survey.",
    "environment": "Route mileage from the transport providers gives the likely change in emissions.",
    "localities_communities": "District Commissioning Leads described the rural parishes most at risk.",
}


def good_assessment(template: TemplateSpec | None = None) -> Assessment:
    template = template or load_template()
    a = blank_assessment(template, "Day services for older and disabled adults: new model")
    a.details = ProposalDetails(
        name="Day services for older and disabled adults: new model",
        sponsor=SPONSOR,
        lead=LEAD,
        date="2025-01",
        summary="A new model for day services, with longer opening hours at fewer centres.",
        decision_route="cabinet",
        decision_date="2025-03-12",
        project_size="large",
        publication_status="public",
    )
    a.team.members = [
        TeamMember(name=LEAD, job_title="Assistant Director", has_team_role="no", date_first_involved="2024-09",
                   account_email="anita.patel@staffordshire.gov.uk"),
        TeamMember(name="Sam Okafor", job_title="District Commissioning Lead", has_team_role="yes",
                   date_first_involved="2024-10", account_email="sam.okafor@staffordshire.gov.uk"),
    ]
    a.engagement.activities = [
        EngagementActivity(activity="Carers' drop-in sessions", groups="Carers of people who use day services",
                           dates="October 2024", method="Drop-in sessions at four centres",
                           findings="Carers valued longer opening hours over being close to home.",
                           influence="Opening hours were extended to 6pm in the final model."),
    ]
    for section in a.sections:
        for r in section.rows:
            r.impact = "no"
        for (skey, rkey), answer in ROWS.items():
            if skey == section.key:
                stored = section.row(rkey)
                answer = answer.copy()
                answer.key = rkey
                section.rows[section.rows.index(stored)] = answer
        ev = section.evidence
        ev.items = [EvidenceItem(title=f"Service data for {section.key.replace('_', ' ')}", kind="data",
                                 period="2023 to 2024",
                                 link=f"https://www.staffordshire.gov.uk/evidence/{section.key}",
                                 description="Published figures for the service.")]
        ev.likelihood = "likely"
        ev.size = "medium"
        ev.direction = "mixed"
        ev.narrative = NARRATIVES[section.key]
    a.staff = StaffImpact(
        affects_staff="yes",
        profile=[
            WorkforceLine("Sex", "Women", "78", "77"),
            WorkforceLine("Sex", "Men", "22", "23"),
            WorkforceLine("Disability", "Disabled staff", "Unknown", "Unknown"),
        ],
        job_losses="0",
        support="Staff can use the employee assistance programme and one-to-one meetings.",
        hr_protocols="The council's organisational change policy applies.",
    )
    return a


def row(a: Assessment, section: str, key: str) -> RowAnswer:
    found = a.section(section).row(key)
    assert found is not None, (section, key)
    return found


def check(a: Assessment, template: TemplateSpec, config: CheckConfig | None = None) -> Report:
    return run_checks(a, template, config)


def findings_of(report: Report, rule_id: str) -> list:
    return [f for f in report.findings if f.rule_id == rule_id]


def outcome_of(report: Report, rule_id: str):
    return next(o for o in report.outcomes if o.rule.id == rule_id)


def only(report: Report, rule_id: str):
    """The one finding of `rule_id` (fails, listing them, if there are none or several)."""
    found = findings_of(report, rule_id)
    assert len(found) == 1, [f.message for f in found]
    return found[0]

