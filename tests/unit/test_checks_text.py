"""The checker's text rules: personal details (9), links (10), boilerplate (13), percent
tables (14), acronyms (15) and legislation (16)."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cia.checks import ADVICE, ERROR, PUBLICATION, WARNING, CheckConfig, Location
from cia.checks.rules.boilerplate import cluster, normalise
from cia.checks.rules.links import link_problem
from cia.domain import Benefit, EvidenceItem, RowAnswer, SignOff, TemplateSpec, WorkforceLine
from tests.unit.check_builders import (
    check,
    findings_of,
    good_assessment,
    only,
    outcome_of,
    risk,
    row,
)

# --- R09 personal details -------------------------------------------------------------

CIA_PROSE = """The proposal affects around 12.5% of residents aged 65+ in Stafford district (Census 2021), \
and 1,250 people aged 65+ who use the four day centres. Between March 2024 and Q3 2024 demand rose by 8%, \
as the 2023/24 annual report shows. The new model starts on 01/04/2025.

Under the Care Act 2014, section 38(4), and the Equality Act 2010 s.149 the council must have due regard \
to the needs of disabled residents. Appendix 2 is exempt under Schedule 12A paragraph 3 of the Local \
Government Act 1972. See the Health and Social Care Act 2012 and the ONS mid-year estimates 2023.

- Dr Patel, the project lead, and Mr Henderson met carers in room B12 at Staffordshire Place and at the \
Station Road car park site beside the A38 and the A50.
- Ms Okafor (District Commissioning Lead) ran sessions in 3 Care Homes and 10 Community Hubs, 24/7.
- Patients at Sir Robert Peel Community Hospital and the Dr Foster Intelligence ratings were reviewed.
- Contact cia.team@staffordshire.gov.uk, sam.okafor@staffordshire.gov.uk, referrals@mpft.nhs.uk or \
the council on 0300 111 8000.

Figures:
Age band\tService users\tResidents
65 to 74\t31%\t52%
75 to 84\t45%\t33%
85+\t24%\t15%

Evidence: https://www.ons.gov.uk/peoplepopulationandcommunity/census2021/ST16-2LP/07700900123 and \
[the JSNA report](https://www.staffordshire.gov.uk/jsna/2024/Mr-Smith-12-Station-Road)."""


def test_r09_realistic_cia_prose_fires_nothing(template, a):
    row(a, "psed", "age").risks[0].text = CIA_PROSE
    a.section("health_and_care").evidence.narrative = CIA_PROSE
    a.details.summary = CIA_PROSE
    a.staff.support = CIA_PROSE
    report = check(a, template)
    assert findings_of(report, "CIA-R09") == []


PERSONAL = [
    ("postcode", "Carers near ST16 2LP asked for a later bus.", "a UK postcode (ST16 2LP)"),
    ("postcode", "One resident at WS11 1DE asked for help.", "a UK postcode (WS11 1DE)"),
    ("email", "A carer wrote from joe.bloggs@gmail.com about transport.", "an e-mail address"),
    ("phone_mobile", "Call the carer back on 07700 900123.", "a phone number (07700 900123)"),
    ("phone_mobile_compact", "Call 07700900123 after 5pm.", "a phone number"),
    ("phone_plus44", "Her number is +44 7700 900123.", "a phone number (+44 7700 900123)"),
    ("phone_landline", "His landline is 01785 276543.", "a phone number (01785 276543)"),
    ("phone_brackets", "Ring (01785) 276543 for him.", "a phone number"),
    ("phone_london", "Ring 020 7946 0000 for her.", "a phone number"),
    ("phone_plus44_0", "Ring +44 (0)1785 276543.", "a phone number"),
    ("ni", "His NI number is AB 12 34 56 C.", "a National Insurance number (AB 12 34 56 C)"),
    ("ni_compact", "NI: JK123456D was given.", "a National Insurance number"),
    ("dob", "The client (DOB 12/03/1950) attends weekly.", "a date of birth"),
    ("date_of_birth", "Date of birth: 3 May 1950.", "a date of birth"),
    ("born_on", "She was born on 4th June 1962.", "a date of birth"),
    ("title_surname", "Mrs Jones said the centre is her lifeline.", "a person's name (Mrs Jones)"),
    ("title_full_name", "Mr. John Smith complained about the bus.", "a person's name (Mr. John Smith)"),
    ("title_initial", "Ms A. Khan raised a concern.", "a person's name (Ms A. Khan)"),
    ("doctor", "Dr Singh, a resident, wrote in.", "a person's name (Dr Singh)"),
    ("house", "A carer at 12 Station Road uses the service.", "a home address (12 Station Road)"),
    ("house_letter", "The family at 4a High Street asked for help.", "a home address (4a High Street)"),
    ("flat", "Flat 3, 21 Mill Lane was visited.", "a home address (Flat 3, 21 Mill Lane)"),
]


@pytest.mark.parametrize("kind,text,expected", PERSONAL, ids=[p[0] for p in PERSONAL])
def test_r09_each_kind_of_personal_detail_fires(template, a, kind, text, expected):
    r = row(a, "environment", "transport")
    r.risks[0].text = text
    f = only(check(a, template), "CIA-R09")
    assert f.message.startswith(f"Environment, Transport, risk 1: this may contain {expected}")
    assert f.message.endswith("Do not record personal details of members of the public")
    assert f.severity == WARNING
    assert f.location == Location("section:environment", "transport", r.risks[0].id, field="text")


def test_r09_is_an_error_before_publication(template, a):
    row(a, "environment", "transport").risks[0].text = "Mrs Jones at ST16 2LP"
    f = only(check(a, template, CheckConfig(stage=PUBLICATION)), "CIA-R09")
    assert f.severity == ERROR
    assert "a UK postcode (ST16 2LP)" in f.message and "a person's name (Mrs Jones)" in f.message


def test_r09_officers_in_role_fields_are_not_flagged(template, a):
    a.signoffs = [SignOff(name="Mrs Helen Riley", email="h.riley@partner.org.uk", level="director")]
    a.team.members[1].account_email = "s.okafor@partnership.example.org"
    row(a, "environment", "transport").groups = (
        "Dr Patel and Mr Henderson agreed the approach with Mrs Riley and Mr Okafor. Ask Dr A. Patel or "
        "write to s.okafor@partnership.example.org, h.riley@partner.org.uk or bus@stoke.gov.uk.")
    assert findings_of(check(a, template), "CIA-R09") == []


def test_r09_mitigation_owner_is_an_officer(template, a):
    r = row(a, "environment", "transport")
    r.risks[0].mitigations[0].owner = "Mrs Clare Dunn"
    r.risks[0].mitigations[0].text = "Mrs Dunn will review the routes."
    assert findings_of(check(a, template), "CIA-R09") == []


@pytest.mark.parametrize("where", ["summary", "engagement", "groups", "benefit", "mitigation", "maximise",
                                   "evidence_title", "evidence_description", "narrative", "support",
                                   "hr_protocols", "job_loss_groups", "profile_group", "community"])
def test_r09_scans_every_free_text_field(template, a, where):
    text = "Mrs Jones of ST16 2LP"
    r = row(a, "economy", "poverty_and_income")
    ev = a.section("economy").evidence
    expected = {
        "summary": Location("details", field="summary"),
        "engagement": Location("engagement", item=a.engagement.activities[0].id, field="findings"),
        "groups": Location("section:economy", "poverty_and_income", field="groups"),
        "benefit": Location("section:economy", "poverty_and_income", r.benefits[0].id, field="text"),
        "mitigation": Location("section:economy", "poverty_and_income", r.risks[0].id,
                               r.risks[0].mitigations[0].id, "text"),
        "maximise": Location("section:economy", "poverty_and_income", field="maximise"),
        "evidence_title": Location("evidence:economy", item=ev.items[0].id, field="title"),
        "evidence_description": Location("evidence:economy", item=ev.items[0].id, field="description"),
        "narrative": Location("evidence:economy", field="narrative"),
        "support": Location("staff", field="support"),
        "hr_protocols": Location("staff", field="hr_protocols"),
        "job_loss_groups": Location("staff", field="job_loss_groups"),
        "profile_group": Location("staff", field="profile"),
        "community": Location("community_impact", field="equalities_legal"),
    }[where]
    if where == "summary":
        a.details.summary = text
    elif where == "engagement":
        a.engagement.activities[0].findings = text
    elif where == "groups":
        r.groups = text
    elif where == "benefit":
        r.benefits[0].text = text
    elif where == "mitigation":
        r.risks[0].mitigations[0].text = text
    elif where == "maximise":
        r.maximise = text
    elif where == "evidence_title":
        ev.items[0].title = text
    elif where == "evidence_description":
        ev.items[0].description = text
    elif where == "narrative":
        ev.narrative = text
    elif where in ("support", "hr_protocols", "job_loss_groups"):
        setattr(a.staff, where, text)
    elif where == "profile_group":
        a.staff.profile.append(WorkforceLine("Age", text, "10", "10"))
    else:
        a.community_impact.equalities_legal = text
    f = only(check(a, template), "CIA-R09")
    assert f.location == expected


def test_r09_role_fields_are_not_scanned(template, a):
    a.details.lead = "Mrs Jones"
    a.team.members[0].job_title = "Officer, 12 Station Road"
    assert findings_of(check(a, template), "CIA-R09") == []


# --- R10 links ---------------------------------------------------------------------------

BAD_LINKS = [
    ("intranet_single_label", "http://intranet/care/report.pdf"),
    ("intranet_label", "https://intranet.staffordshire.gov.uk/report"),
    ("sharepoint", "https://staffordshire.sharepoint.com/sites/asc/report.docx"),
    ("local_suffix", "http://files.staffordshire.local/report"),
    ("private_ip", "http://192.168.10.4/report"),
    ("private_ip_10", "https://10.1.2.3/"),
    ("loopback", "http://127.0.0.1:8080/x"),
    ("localhost", "http://localhost/report"),
    ("file", "file:///S:/Adult%20Care/report.xlsx"),
    ("unc", "\\\\scc-fs01\\share\\report.docx"),
    ("drive", "S:\\Adult Care\\report.xlsx"),
    ("no_scheme", "www.ons.gov.uk/census"),
    ("malformed", "htps//www.gov.uk"),
    ("no_host", "https://"),
    ("bad_port", "https://www.gov.uk:99999/"),
    ("spaces", "https://www.gov.uk/my report.pdf"),
]
GOOD_LINKS = [
    "https://www.gov.uk/government/publications/care-act-statutory-guidance",
    "https://www.ons.gov.uk/census",
    "http://www.legislation.gov.uk/ukpga/2014/23/contents",
    "https://www.staffordshire.gov.uk/Care-for-all-ages/Documents/JSNA-2024.pdf?v=2#page=4",
    "https://data.gov.uk/dataset/abc",
]


@pytest.mark.parametrize("name,url", BAD_LINKS, ids=[b[0] for b in BAD_LINKS])
def test_r10_bad_evidence_link_field(template, a, name, url):
    item = a.section("economy").evidence.items[0]
    item.link = url
    f = only(check(a, template), "CIA-R10")
    assert f.severity == WARNING
    assert f.message.startswith("Economy, Evidence Base, evidence 1: ")
    assert f.location == Location("evidence:economy", item=item.id, field="link")


@pytest.mark.parametrize("url", GOOD_LINKS)
def test_r10_public_links_pass(template, a, url):
    a.section("economy").evidence.items[0].link = url
    a.section("economy").evidence.items[0].description = f"See {url} and [the report]({url})."
    assert findings_of(check(a, template), "CIA-R10") == []


def test_r10_links_in_descriptions_and_narratives(template, a):
    ev = a.section("environment").evidence
    ev.items.append(EvidenceItem(title="Route data", description="Held at [route data](http://intranet/routes)."))
    ev.narrative = "See [the summary]() and https://www.gov.uk/travel and \\\\scc-fs01\\data\\routes.xlsx"
    found = findings_of(check(a, template), "CIA-R10")
    assert [f.location for f in found] == [
        Location("evidence:environment", item=ev.items[1].id, field="description"),
        Location("evidence:environment", field="narrative"),
    ]
    assert "Environment, Evidence Base, evidence 2: “http://intranet/routes” is on an internal network" in found[0].message
    assert "the link “the summary” has no web address" in found[1].message
    assert "scc-fs01" in found[1].message  # both problems in one finding for one field


def test_r10_configured_internal_hosts(template, a):
    a.section("psed").evidence.items[0].link = "https://hub.council-extranet.org.uk/report"
    assert findings_of(check(a, template), "CIA-R10") == []
    config = CheckConfig(internal_hosts=("council-extranet.org.uk",))
    assert len(findings_of(check(a, template, config), "CIA-R10")) == 1


def test_r10_link_problem_words():
    hosts = CheckConfig().internal_hosts
    assert link_problem("", hosts) == "has no web address"
    assert "internal network" in link_problem("http://server.corp/x", hosts)
    assert "file" in link_problem("file://server/share", hosts)
    assert link_problem("https://8.8.8.8/", hosts) is None
    assert "web page" in link_problem("mailto:someone@example.org", hosts)


# --- R13 boilerplate -----------------------------------------------------------------------

PASTED = "The proposal will be monitored by the programme board, and any issues escalated to the SLT."


def _paste_risk(a, keys, text=PASTED):
    for skey, rkey in keys:
        r = row(a, skey, rkey)
        r.risks.append(risk(text.format(rkey=rkey), "Review quarterly with partners " + rkey))


def test_r13_same_text_in_three_rows(template, a):
    keys = [("psed", "age"), ("economy", "poverty_and_income"), ("environment", "transport")]
    _paste_risk(a, keys)
    f = only(check(a, template), "CIA-R13")
    first = row(a, "psed", "age").risks[1]
    assert f.severity == ADVICE
    assert f.message.startswith("Public Sector Equality Duty (PSED), Age, risk 2: the same text is used for the "
                                "risks of 3 rows (also Economy, Poverty and Income and Environment, Transport)")
    assert f.location == Location("section:psed", "age", first.id, field="text")


def test_r13_near_identical_text_counts(template, a):
    keys = [("psed", "age"), ("economy", "poverty_and_income"), ("environment", "transport")]
    for n, (skey, rkey) in enumerate(keys):
        r = row(a, skey, rkey)
        variants = ["", " ", "!!"]
        r.benefits.append(Benefit(text=PASTED.upper() if n == 1 else PASTED.replace("board", "boards")
                                  + variants[n]))
    f = only(check(a, template), "CIA-R13")
    assert "the same or almost the same text is used for the benefits of 3 rows" in f.message


def test_r13_near_identical_with_both_ends_edited(template, a):
    text = ("For {who} the new timetable means the community transport scheme will run fewer journeys "
            "on weekday afternoons, so appointments need rebooking by the {end}.")
    for (skey, rkey), who, end in [(("psed", "age"), "older people", "provider"),
                                   (("economy", "poverty_and_income"), "carers", "providers"),
                                   (("environment", "transport"), "disabled people", "centre")]:
        row(a, skey, rkey).maximise = text.format(who=who, end=end)
    f = only(check(a, template), "CIA-R13")
    assert f.location == Location("section:psed", "age", field="maximise")


def test_r13_different_texts_on_one_theme_are_not_boilerplate(template, a):
    row(a, "psed", "age").maximise = "Longer opening hours will let carers of older people stay in paid work."
    row(a, "economy", "poverty_and_income").maximise = "Carers on low incomes keep their jobs when centres open until six."
    row(a, "environment", "transport").maximise = "Fewer, fuller minibuses cut the mileage driven across rural areas."
    assert findings_of(check(a, template), "CIA-R13") == []


def test_r13_two_rows_with_the_same_risk_name_the_other_place(template, a):
    _paste_risk(a, [("psed", "age"), ("economy", "poverty_and_income")])
    f = only(check(a, template), "CIA-R13")
    assert f.message.startswith("Public Sector Equality Duty (PSED), Age, risk 2: the same text is used for the "
                                "risks of 2 rows (also Economy, Poverty and Income, risk 2)")


def test_r13_na_rows_and_near_copies_in_two_rows_are_not_boilerplate(template, a):
    _paste_risk(a, [("psed", "age")])
    _paste_risk(a, [("economy", "poverty_and_income")], PASTED.replace("board", "boards"))
    assert findings_of(check(a, template), "CIA-R13") == []
    config = CheckConfig(boilerplate_min_repeats=2)
    assert len(findings_of(check(a, template, config), "CIA-R13")) == 1
    _paste_risk(a, [("environment", "transport")], PASTED)
    row(a, "environment", "transport").impact = "no"
    assert findings_of(check(a, template), "CIA-R13") == []


def test_r13_short_answers_are_not_boilerplate(template, a):
    for skey, rkey in [("psed", "age"), ("economy", "poverty_and_income"), ("environment", "transport")]:
        row(a, skey, rkey).groups = "All residents"
    assert findings_of(check(a, template), "CIA-R13") == []


def test_r13_same_narrative_in_every_evidence_base(template, a):
    for s in a.sections:
        s.evidence.narrative = "Census 2021 data and the service's own records were used throughout."
    f = only(check(a, template), "CIA-R13")
    assert f.message.startswith("Public Sector Equality Duty (PSED), Evidence Base: the same summary")
    assert f.location == Location("evidence:psed", field="narrative")


def test_r13_same_evidence_list_in_every_evidence_base(template, a):
    for s in a.sections:
        s.evidence.items = [EvidenceItem(title="Census 2021", link="https://www.ons.gov.uk/census")]
    f = only(check(a, template), "CIA-R13")
    assert f.location == Location("evidence:psed", field="items")
    a.sections[-1].evidence.items.append(EvidenceItem(title="Parish survey"))
    assert findings_of(check(a, template), "CIA-R13") == []


def test_r13_clustering_is_fast_and_right():
    import random

    rnd = random.Random(7)
    vocabulary = [f"word{n}" for n in range(400)]
    base = [" ".join(rnd.choice(vocabulary) for _ in range(40)) for _ in range(3000)]
    near = base[5].split()
    near[20] = "changed"
    texts = [normalise(t) for t in base] + [normalise(" ".join(near)), normalise(base[9].upper() + "!")]
    started = time.perf_counter()
    roots = cluster(texts)
    assert time.perf_counter() - started < 1.0
    assert roots[-2:] == [5, 9]
    assert roots[:3000] == list(range(3000))


# --- R14 percent tables ------------------------------------------------------------------


def test_r14_table_not_adding_up(template, a):
    r = row(a, "psed", "age")
    r.groups = "Age band\tShare of users\n18 to 64\t31%\n65 to 84\t45%\n85+\t14%"
    f = only(check(a, template), "CIA-R14")
    assert f.severity == ADVICE
    assert f.message == ("Public Sector Equality Duty (PSED), Age, groups affected: the percentages in column "
                         "“Share of users” of the table adds up to 90%, not 100%. Check the figures")
    assert f.location == Location("section:psed", "age", field="groups")


@pytest.mark.parametrize("table", [
    "Age band\tShare of users\n18 to 64\t31%\n65 to 84\t45%\n85+\t24%",  # adds up
    "Age band\tShare of users\n18 to 64\t31%\n65 to 84\t45%\n85+\t23%",  # within the tolerance
    "| Age | % |\n|---|---|\n| Under 65 | 30.5 |\n| 65+ | 69.5 |",  # pipe table, header says %
    "Age band\tShare\n18 to 64\t31%\n65+\t45%\nTotal\t100%",  # a Total row states it
    "District\tRate\nCannock\t4.2%\nStafford\t3.1%",  # rates, not shares
    "District\tResidents\nCannock\t1,250\nStafford\t2,400",  # not percentages
    "Group\tShare\nMen\t40%\nWomen\tUnknown",  # an unknown share
])
def test_r14_tables_that_are_fine(template, a, table):
    row(a, "psed", "age").groups = table
    assert findings_of(check(a, template), "CIA-R14") == []


def test_r14_percent_header_with_plain_numbers(template, a):
    row(a, "psed", "age").groups = "| Age | % of users | % of residents |\n|---|---|---|\n| <65 | 40 | 80 |\n| 65+ | 50 | 20 |"
    f = only(check(a, template), "CIA-R14")
    assert "“% of users”" in f.message and "adds up to 90%" in f.message
    assert "% of residents" not in f.message


def test_r14_workforce_profile_per_characteristic(template, a):
    a.staff.profile += [WorkforceLine("Age", "Under 50", "60", "55"), WorkforceLine("Age", "50 and over", "30", "45")]
    f = only(check(a, template), "CIA-R14")
    assert f.message == ("Impact on SCC Staff, workforce profile: the percentages for Age before the change add up "
                         "to 90%, not 100%. Check the figures")
    assert f.location == Location("staff", field="profile")


# --- R15 acronyms ------------------------------------------------------------------------


def test_r15_unexplained_acronym_at_first_use(template, a):
    row(a, "psed", "age").groups = "Older people who use ASC day services"
    row(a, "economy", "poverty_and_income").groups = "People known to ASC"
    f = only(check(a, template), "CIA-R15")
    assert f.severity == ADVICE
    assert f.message.startswith("Public Sector Equality Duty (PSED), Age, groups affected: spell out ASC the "
                                "first time it is used")
    assert f.location == Location("section:psed", "age", field="groups")


@pytest.mark.parametrize("first,later", [
    ("Adult Social Care (ASC) users", "People known to ASC"),
    ("ASC (Adult Social Care) users", "People known to ASC"),
    ("Integrated Care Boards (ICBs) and partners", "ICB partners"),
    ("The Integrated Care Board (ICB) and partners", "ICBs and partners"),
])
def test_r15_acronym_spelled_out_earlier(template, a, first, later):
    row(a, "psed", "age").groups = first
    row(a, "economy", "poverty_and_income").groups = later
    assert findings_of(check(a, template), "CIA-R15") == []


def test_r15_spelled_out_later_is_still_flagged_at_first_use(template, a):
    row(a, "psed", "age").groups = "People known to ASC"
    row(a, "economy", "poverty_and_income").groups = "Adult Social Care (ASC) users"
    f = only(check(a, template), "CIA-R15")
    assert f.location.row == "age"


@pytest.mark.parametrize("text", [
    "NHS and GP services, SEND pupils, DCLs and the SLT",  # allow list
    "Part III and Part IV of the plan, phase II",  # Roman numerals
    "CO2 emissions in Q3 2024 fell; room B12; the A38",  # codes
    "Staff from SCC, and PSED duties",  # allow list and the template's own acronyms
    "This is NOT a closure. See https://www.ONS.gov.uk/CENSUS/DATA",  # emphasis and links
])
def test_r15_not_acronyms_or_allowed(template, a, text):
    row(a, "psed", "age").groups = text
    assert findings_of(check(a, template), "CIA-R15") == []


def test_r15_one_advice_per_acronym(template, a):
    row(a, "psed", "age").groups = "ASC, ICB and ASC again"
    row(a, "economy", "poverty_and_income").groups = "ICB and ASC"
    found = findings_of(check(a, template), "CIA-R15")
    assert [f.message.split("spell out ")[1].split()[0] for f in found] == ["ASC", "ICB"]


def test_r15_allow_list_is_configurable(template, a):
    row(a, "psed", "age").groups = "Older people who use ASC day services"
    config = CheckConfig(acronym_allow_list=("ASC",))
    assert findings_of(check(a, template, config), "CIA-R15") == []


# --- R16 legislation ----------------------------------------------------------------------


def test_r16_act_not_mentioned(template, a):
    row(a, "health_and_care", "access_to_social_care").groups = "Adults with eligible needs"
    f = only(check(a, template), "CIA-R16")
    assert f.severity == ADVICE
    assert f.message.startswith("Health and Care: say how you have considered the Care Act 2014")
    assert f.location == Location("evidence:health_and_care", field="narrative")


def test_r16_a_longer_act_does_not_count_for_a_shorter_one(template, a):
    r = row(a, "health_and_care", "access_to_social_care")
    r.groups = "Adults with eligible needs (see the Health and Care Act 2022)"
    f = only(check(a, template), "CIA-R16")
    assert "Care Act 2014" in f.message
    a.section("health_and_care").evidence.narrative = "Nothing about the acts."
    r.groups = "Adults with eligible needs under the care act"
    f = only(check(a, template), "CIA-R16")
    assert "Health and Social Care Act 2012" in f.message


def test_r16_not_applicable_without_legislation(template: TemplateSpec, a):
    spec = template.copy()
    for s in spec.sections:
        s.legislation = []
    assert outcome_of(check(a, spec), "CIA-R16").answer == "Not applicable"


# --- the whole checker --------------------------------------------------------------------


def test_three_hundred_rows_check_quickly(template, a):
    for s in a.sections:
        for i in range(60 - len(s.rows)):
            s.rows.append(RowAnswer(key=f"own-{s.key}-{i}", custom=True, title=f"Own row {i}", impact="yes",
                                    groups=f"Group {i} of section {s.key}, with {i * 3} people",
                                    benefits=[Benefit(text=f"Benefit {i} in {s.key}: {CIA_PROSE[: 200 + i]}")],
                                    risks=[risk(f"Risk {i} for {s.key} " * (i % 7 + 1), f"Mitigation {i} {s.key}")]))
    assert sum(len(s.rows) for s in a.sections) == 300
    check(a, template)  # warm up
    started = time.perf_counter()
    check(a, template)
    assert time.perf_counter() - started < 1.5  # generous: bench/bench_checker.py measures properly


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300), min_size=6,
                max_size=6))
def test_any_text_is_checked_without_error(template, texts):
    a = good_assessment(template)
    r = row(a, "economy", "poverty_and_income")
    r.groups, r.risks[0].text, r.maximise = texts[0], texts[1], texts[2]
    ev = a.section("economy").evidence
    ev.items[0].link, ev.items[0].description, ev.narrative = texts[3], texts[4], texts[5]
    report = check(a, template, CheckConfig(stage=PUBLICATION))
    assert all(f.message and f.location.part for f in report.findings)
