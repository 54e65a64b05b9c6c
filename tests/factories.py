"""Realistic test data: the Staffordshire template and a fully filled-in assessment.

`realistic_assessment(template)` answers every row of every section the way a careful
project team would: multi-paragraph text with bullet lists, pasted percentage tables and
public links, several benefits, risks each with mitigations, some rows N/A, an evidence
base per section, a team with a District Commissioning Lead, engagement and a staff
workforce profile. The output is deterministic (ids included) for a given template and
`rows_per_section`, so it can be used for snapshots and benchmarks.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from cia.domain import (
    WORKFORCE_CHARACTERISTICS,
    Acknowledgement,
    Assessment,
    Benefit,
    CommunityImpact,
    Engagement,
    EngagementActivity,
    EvidenceBase,
    EvidenceItem,
    Mitigation,
    ProjectTeam,
    ProposalDetails,
    Risk,
    RowAnswer,
    SectionAnswers,
    SignOff,
    StaffImpact,
    TeamMember,
    TemplateSpec,
    WorkforceLine,
)

STAFFORDSHIRE_YAML = Path(__file__).resolve().parents[1] / "cia" / "template_data" / "staffordshire-cia.yaml"


def load_staffordshire() -> TemplateSpec:
    with open(STAFFORDSHIRE_YAML, encoding="utf-8") as fh:
        return TemplateSpec.from_dict(yaml.safe_load(fh))


GROUPS = [
    "Older residents (aged 65 and over) who use the service, and their unpaid carers.",
    "Disabled people, including people with sensory impairments and people with learning disabilities.",
    "Families with children under five in the most deprived wards of Cannock Chase, Tamworth and "
    "Newcastle-under-Lyme.",
    "Residents of rural parishes in Staffordshire Moorlands and South Staffordshire with limited public transport.",
    "Young people aged 16 to 24 not in education, employment or training.",
    "Local businesses and voluntary organisations that deliver services on the council's behalf.",
]
BENEFITS = [
    "Services will be available closer to where people live, through the network of community hubs.\n\n"
    "In particular residents will be able to:\n- book appointments online or by telephone\n"
    "- get face-to-face help at a hub on at least two days a week\n- receive letters in large print, "
    "Easy Read or another language on request",
    "A single point of contact will reduce the number of times people have to repeat their story, "
    "which people told us in the consultation was their main frustration.",
    "Better use of data will let the service target support at the areas of greatest need, using the "
    "English indices of deprivation (https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019).",
    "Longer opening hours on Thursday evenings and Saturday mornings will help working carers and parents.\n\n"
    "Usage by time of day in the pilot (share of visits):\nTime\tShare %\nMorning\t41\nAfternoon\t37\n"
    "Evening\t14\nSaturday\t8",
    "Savings of around £1.2m a year will be reinvested in early help, protecting frontline posts.",
]
RISKS = [
    "Some people may find the move to online booking harder, especially people who do not use the internet.\n\n"
    "Internet use in the affected districts (Office for National Statistics, Census 2021):\n"
    "| Use | Share % |\n|---|---|\n| Never used | 6 |\n| Limited use | 14 |\n| Regular use | 80 |",
    "Longer journeys to the remaining hubs for people living in rural areas with infrequent buses.",
    "A temporary dip in service quality during the transition while staff learn the new system.",
    "People who rely on a named worker may experience distress when their support arrangements change.\n"
    "This is most likely for people with dementia or autism.",
    "Reduced capacity in the voluntary sector if grant funding is not renewed on time.",
    "Increased demand on partner services, such as GP practices and libraries, from people seeking help elsewhere.",
    "Information about the change may not reach people who do not read English, or who have no fixed address.",
    "Delays in recruiting to new posts could leave gaps in cover over the winter period.",
]
MITIGATIONS = [
    "Keep a telephone booking line and assisted digital support at every hub; review take-up after six months.",
    "Work with the Community Transport scheme to offer free journeys to the nearest hub for those who need them.",
    "Run a phased roll-out over three months, with a named lead at each site:\n"
    "1. pilot in two districts\n2. review feedback and fix problems\n3. extend county-wide",
    "Give at least eight weeks' notice and a transition meeting to everyone with a named worker.",
    "Agree grant funding before 31 March so that voluntary organisations can plan; see "
    "[the Staffordshire Strategic Plan](https://www.staffordshire.gov.uk/Your-council-and-democracy/Strategic-plan.aspx).",
    "Share the implementation plan with partners through the district health and wellbeing boards.",
    "Produce information in Easy Read, large print and the five most spoken community languages.",
]
OWNERS = ["Head of Service, Adult Social Care", "Project Manager", "Communications Manager",
          "District Commissioning Lead", "Commissioning Manager, Early Help"]
EVIDENCE = [
    ("Census 2021: disability, England and Wales", "data",
     "https://www.ons.gov.uk/peoplepopulationandcommunity/healthandsocialcare/disability/bulletins/"
     "disabilityenglandandwales/census2021"),
    ("Population estimates for the UK, mid-2022", "data",
     "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/populationestimates"),
    ("English indices of deprivation 2019", "data",
     "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019"),
    ("Public sector equality duty: guidance for public authorities", "research",
     "https://www.gov.uk/government/publications/public-sector-equality-duty"),
    ("Care and support statutory guidance (Care Act 2014)", "research",
     "https://www.gov.uk/government/publications/care-act-statutory-guidance"),
    ("Staffordshire Observatory: district profiles", "data",
     "https://www.staffordshire.gov.uk/Observatory/Home.aspx"),
    ("Consultation on the future of community support: summary of responses", "engagement",
     "https://www.staffordshire.gov.uk/Your-council-and-democracy/Consultations/Consultations.aspx"),
]
WORKFORCE_GROUPS = {
    "Age": "50 and over", "Disability": "Disabled", "Gender reassignment": "Prefer not to say",
    "Marriage and civil partnership": "Married or in a civil partnership", "Pregnancy and maternity":
    "On maternity leave", "Race": "Ethnic minority", "Religion or belief": "Christian", "Sex": "Female",
    "Sexual orientation": "Lesbian, gay or bisexual",
}


class _Ids:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def __call__(self) -> str:
        return f"{self.rng.getrandbits(40):010x}"


def _row(rng: random.Random, new_id: _Ids, title: str, section_title: str, na: bool) -> RowAnswer:
    if na:
        return RowAnswer(impact="no")
    benefits = [Benefit(id=new_id(), text=f"{title}: {t}") for t in rng.sample(BENEFITS, rng.randint(2, 3))]
    risks = []
    for text in rng.sample(RISKS, rng.randint(1, 8)):
        mitigations = [
            Mitigation(id=new_id(), text=m, owner=rng.choice(OWNERS), target_date=f"2025-{rng.randint(1, 12):02d}-28")
            for m in rng.sample(MITIGATIONS, rng.randint(1, 7))
        ]
        risks.append(Risk(id=new_id(), text=f"{text}\n\nRelevance to {title.lower()}: considered by the "
                                            f"project team when reviewing the {section_title} evidence.",
                          mitigations=mitigations))
    groups = "\n".join(f"- {g}" for g in rng.sample(GROUPS, rng.randint(1, 3)))
    return RowAnswer(
        impact="yes",
        groups=f"For {title.lower()}:\n{groups}",
        benefits=benefits,
        risks=risks,
        maximise=f"Benefits for {title.lower()} will be maximised by publicising the hubs through "
                 "partners.\n\nThe trade-off is fewer buildings in exchange for longer opening hours.",
    )


def realistic_assessment(template: TemplateSpec, rows_per_section: int | None = None) -> Assessment:
    """A complete, good-quality assessment of `template` (deterministic for the same arguments)."""
    rng = random.Random(f"{template.name}/{template.version}/{rows_per_section}")
    new_id = _Ids(rng)
    sections = []
    for s_index, spec in enumerate(template.sections):
        rows = []
        for r_index, area in enumerate(spec.category_areas):
            row = _row(rng, new_id, area.title, spec.title, na=(r_index + s_index) % 4 == 3)
            row.key = area.key
            rows.append(row)
        while rows_per_section and len(rows) < rows_per_section:
            rid = new_id()
            row = _row(rng, new_id, f"Additional impact {len(rows) + 1}", spec.title, na=len(rows) % 5 == 0)
            row.key, row.custom, row.title = f"own-{rid}", True, f"Additional impact {len(rows) + 1}"
            row.question = "What other impact on this area have you identified?"
            rows.append(row)
        items = [
            EvidenceItem(id=new_id(), title=title, kind=kind, link=link, period=f"{2019 + rng.randint(0, 5)}",
                         description=f"Used to understand the {spec.title} impacts.\n\nKey finding: see {link}")
            for title, kind, link in rng.sample(EVIDENCE, rng.randint(2, 5))
        ]
        narrative = (f"The {spec.title} assessment draws on national statistics and local consultation.\n\n"
                     "Engagement findings by theme (share of comments):\nTheme\tShare %\nAccess\t45\n"
                     f"Transport\t30\nOther\t25\n\nSection {s_index + 1} was reviewed by the project team.")
        if spec.key == "health_and_care":
            narrative += "\n\nThe Care Act 2014 and the Health and Social Care Act 2012 have been considered."
        evidence = EvidenceBase(
            items=items,
            likelihood=rng.choice(template.likelihood_scale).key if template.likelihood_scale else "likely",
            size=rng.choice(template.impact_scale).key if template.impact_scale else "medium",
            direction=rng.choice(["positive", "mixed", "negative", "neutral"]),
            narrative=narrative,
        )
        sections.append(SectionAnswers(key=spec.key, rows=rows, evidence=evidence, completed=True))

    team = ProjectTeam(completed=True, members=[
        TeamMember(id=new_id(), name="Alex Morgan", job_title="Project Manager", expertise="Service redesign",
                   organisation="Staffordshire County Council", has_team_role="no", date_first_involved="2024-01-08",
                   account_email="alex.morgan@staffordshire.gov.uk", edit_access="yes"),
        TeamMember(id=new_id(), name="Priya Shah", job_title="District Commissioning Lead",
                   expertise="Local communities and partnerships", organisation="Staffordshire County Council",
                   has_team_role="yes", date_first_involved="2024-01-15", account_email="priya.shah@staffordshire.gov.uk",
                   edit_access="yes"),
        TeamMember(id=new_id(), name="Tom Evans", job_title="Equality and Diversity Adviser",
                   expertise="Equality Act 2010", organisation="Staffordshire County Council", has_team_role="no",
                   date_first_involved="2024-02-01", edit_access="no"),
        TeamMember(id=new_id(), name="Grace Okafor", job_title="Public Health Consultant",
                   expertise="Health inequalities", organisation="Staffordshire County Council", has_team_role="no",
                   date_first_involved="2024-02-12", edit_access="no"),
    ])
    engagement = Engagement(completed=True, activities=[
        EngagementActivity(id=new_id(), activity="Public consultation", groups="Residents and service users",
                           dates="2024-03-04 to 2024-05-26", method="Online survey and paper questionnaires",
                           findings="1,240 responses.\n\n- 62% supported longer opening hours\n"
                                    "- concerns about travel from rural areas",
                           influence="Two extra rural outreach sessions were added to the proposal."),
        EngagementActivity(id=new_id(), activity="Workshops with voluntary sector partners",
                           groups="Voluntary and community organisations", dates="2024-04",
                           method="Three facilitated workshops", findings="Partners asked for longer grant terms.",
                           influence="Grant agreements will run for three years instead of one."),
    ])
    staff = StaffImpact(
        affects_staff="yes", completed=True,
        profile=[WorkforceLine(characteristic=c, group=WORKFORCE_GROUPS[c], pre_percent=str(rng.randint(2, 60)),
                               post_percent="Unknown" if c == "Gender reassignment" else str(rng.randint(2, 60)))
                 for c in WORKFORCE_CHARACTERISTICS],
        job_losses="12",
        job_loss_groups="Administrative posts at the four sites that will close; 75% of post holders are women.",
        support="Redeployment, retraining and one-to-one support through the Employee Assistance Programme.",
        hr_protocols="The council's Organisational Change and Redundancy policies will be followed.",
    )
    return Assessment(
        reference="CIA-2024-0042", revision=2, status="draft", template_name=template.name,
        template_version=template.version,
        details=ProposalDetails(
            name="Community Support Hubs: redesign of face-to-face services", sponsor="Director of Health and Care",
            lead="Alex Morgan, Project Manager", date="2024-06", directorate="Health and Care",
            summary="Bring eleven local offices together into four community hubs with longer opening hours.\n\n"
                    "Details are in the Cabinet report; see https://www.staffordshire.gov.uk/Your-council-and-democracy/"
                    "Meetings.aspx.",
            decision_route="cabinet", decision_date="2024-09-18", project_size="large", publication_status="public",
            completed=True),
        team=team, engagement=engagement, sections=sections, staff=staff,
        community_impact=CommunityImpact(
            equalities_legal="The proposal has been assessed against the Public Sector Equality Duty.",
            resources_value="Savings of £1.2m a year, reinvested in early help.",
            risk="Risks are set out in the Community Impact Assessment with their mitigations.",
            climate_change="Fewer buildings reduce energy use; travel to hubs may rise slightly.",
            health="Better access to early help is expected to improve wellbeing."),
        acknowledgements=[Acknowledgement(finding_key="CIA-R13@section:economy::::", rule_id="CIA-R13",
                                          reason="The wording is the same because the impact is the same.",
                                          by="alex.morgan@staffordshire.gov.uk", at="2024-06-20T10:15:00Z")],
        signoffs=[SignOff(name="Sam Patel", email="sam.patel@staffordshire.gov.uk", level="manager",
                          decision="changes_requested", comment="Please add the rural transport data.",
                          at="2024-06-25T14:02:00Z")],
    )


def cabinet_sized_assessment(template: TemplateSpec, approved: bool = False) -> Assessment:
    """A fully completed assessment the size of a real one on the council's template: every row
    answered (some N/A), about 40 risks with one to three mitigations each, and eight evidence items
    per section; signed off (approved when `approved`). What a Cabinet summary must fit."""
    a = realistic_assessment(template)
    answered = 0
    for section in a.sections:
        for row in section.rows:
            if row.impact != "yes":
                continue
            # one risk per row, two in every other row: about 40 in the template's 27 rows with an impact
            row.risks = row.risks[: 1 + answered % 2]
            for n, risk in enumerate(row.risks):
                risk.mitigations = risk.mitigations[: 1 + (answered + n) % 3]
            answered += 1
        items = section.evidence.items
        for n in range(len(items), 8):
            title, kind, link = EVIDENCE[n % len(EVIDENCE)]
            items.append(EvidenceItem(id=f"ev{section.key[:4]}{n:04d}", title=f"{title} ({n + 1})", kind=kind,
                                      link=link, period="2023",
                                      description=f"Used to understand the {section.key.replace('_', ' ')} impacts."))
        del items[8:]
    a.signoffs = [
        SignOff(name="Sam Patel", email="sam.patel@staffordshire.gov.uk", level="manager",
                decision="changes_requested", comment="Please add the rural transport data.", at="2024-06-25T14:02:00Z"),
        SignOff(name="Sam Patel", email="sam.patel@staffordshire.gov.uk", level="manager", decision="approved",
                comment="The rural transport data is now in the Evidence Base.", at="2024-07-02T09:40:00Z"),
        SignOff(name="Dr Ruth Green", email="ruth.green@staffordshire.gov.uk", level="sponsor", decision="approved",
                comment="Approved for Cabinet.", at="2024-07-05T16:20:00Z"),
    ]
    a.status = "approved" if approved else "submitted"
    if not approved:
        a.signoffs = a.signoffs[:2]
    return a
