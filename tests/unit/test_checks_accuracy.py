"""The checker's text judgements as a council's reviewer sees them: links damaged by copying and
intranet hosts (R10), members of the public named without a title and small numbers (R09),
compound and common abbreviations (R15) and text pasted between two rows or into every
Evidence Base (R13). Misses found on the corpus (tests/corpus/) are pinned here too."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cia.checks import ADVICE, ERROR, PUBLICATION, WARNING, CheckConfig, Location
from cia.checks.rules.links import link_problem, text_links
from cia.checks.text.abbreviations import allow_list, defined_in, mask_file_names
from cia.checks.text.people import public_names, small_counts
from cia.checks.text.urls import copy_damage, internal_by_name
from cia.domain import EvidenceItem, RuleSetting
from tests.unit.check_builders import check, findings_of, only, risk, row

HOSTS = CheckConfig().internal_hosts

# --- R10: links ----------------------------------------------------------------------------------

DAMAGED = [
    ("https://www.gov.uk/government/publications/care–act", "contains a long dash (–) where a hyphen is expected"),
    ("https://www.stoke—on—trent.gov.uk/", "contains a long dash (—) where a hyphen is expected"),
    ("https://www.gov.uk/care%E2%80%93act", "contains an encoded long dash (%E2%80%93) where a hyphen is expected"),
    ("“https://www.gov.uk/care-act”", "contains a curly quotation mark (“) left over from copying"),
    ("https://www.gov.uk/guidance’s", "contains a curly quotation mark (’) left over from copying"),
    ("https://www.gov.uk/a](https://www.gov.uk/a", "contains the remains of a markdown link (“](”)"),
    ("[https://www.gov.uk/a", "contains the remains of a markdown link (“[”)"),
    ('<a href="https://www.gov.uk/a">', "contains the remains of HTML link markup (“<a href” or “&quot;”)"),
    ("https://www.gov.uk/a&quot;", "contains the remains of HTML link markup (“<a href” or “&quot;”)"),
    ("https://www.gov.uk/report)", "contains a bracket left over from the text around it"),
    ("#", "has no web address: it points only to “#”"),
    ("#section-2", "has no web address: it points only to a place on the same page"),
    ("https://www.gov.uk/a\u00a0b", "contains an invisible or non-breaking space"),
    ("https://www.gov.uk/ahttps://www.gov.uk/b", "contains two web addresses run together"),
]


@pytest.mark.parametrize("url,words", DAMAGED, ids=[d[1][:30] + str(n) for n, d in enumerate(DAMAGED)])
def test_r10_damage_from_copying_is_named_precisely(url, words):
    assert link_problem(url, HOSTS) == words


@pytest.mark.parametrize("url", [
    "https://en.wikipedia.org/wiki/Care_Act_(2014)",  # balanced brackets belong to the address
    "https://www.legislation.gov.uk/ukpga/2010/15/section/149",
    "https://www.staffordshire.gov.uk/Health-and-care/Documents/report-2024.pdf#page=3",
    "https://staff-survey.org.uk/results",  # "staff" in the registered domain is a public site
    "https://www.staffordshire.gov.uk/staff-parking",  # a path is not a host
    "https://insight.cheshireeast.gov.uk/",  # not "insite"
])
def test_r10_sound_addresses_are_not_damage(url):
    assert copy_damage(url) is None
    assert link_problem(url, HOSTS) is None


@pytest.mark.parametrize("host", [
    "intra.stoke.gov.uk", "staffnet.cheshireeast.gov.uk", "insite.derby.gov.uk", "staff.leeds.gov.uk",
    "my-intranet.nottscc.gov.uk", "hr.internal.shropshire.gov.uk", "colleagues.wolverhampton.gov.uk",
    "staffzone.example.org", "teams.intranet2.kent.gov.uk",
])
def test_r10_internal_hosts_by_the_meaning_of_their_labels(host):
    assert internal_by_name(host.split("."))
    assert "internal network" in link_problem(f"https://{host}/page", HOSTS)


@pytest.mark.parametrize("host", ["www.staffordshire.gov.uk", "intranet.co.uk", "www.staff.ac.uk",
                                  "democracy.leeds.gov.uk", "www.insidehousing.co.uk"])
def test_r10_public_hosts_are_not_internal_by_name(host):
    assert not internal_by_name(host.split("."))


def test_r10_template_adds_internal_hosts(template, a):
    a.section("psed").evidence.items[0].link = "https://hub.council-extranet.org.uk/report"
    assert findings_of(check(a, template), "CIA-R10") == []
    spec = template.copy()
    spec.rule_settings = dict(spec.rule_settings)
    spec.rule_settings["CIA-R10"] = RuleSetting(terms=["council-extranet.org.uk"])
    f = only(check(a, spec), "CIA-R10")
    assert "is on an internal network" in f.message


def test_r10_damaged_links_in_prose(template, a):
    ev = a.section("economy").evidence
    ev.narrative = ('See [the report](https://www.gov.uk/a](https://www.gov.uk/a) and '
                    '<a href="https://www.gov.uk/b">the guidance</a> and https://www.gov.uk/care–act.')
    f = only(check(a, template), "CIA-R10")
    assert "“https://www.gov.uk/a](https://www.gov.uk/a” contains the remains of a markdown link (“](”)" in f.message
    assert "contains the remains of HTML link markup" in f.message
    assert "“https://www.gov.uk/care–act” contains a long dash (–) where a hyphen is expected" in f.message


def test_r10_quotation_marks_around_an_address_belong_to_the_sentence():
    assert text_links("The report (“https://www.gov.uk/x”) says so.") == (
        ("https://www.gov.uk/x", "https://www.gov.uk/x"),)
    assert text_links("[empty]() and [top](#)") == (("empty", ""), ("#", "#"))


def test_r10_evidence_without_a_link_is_noted_as_not_public(template, a):
    ev = a.section("environment").evidence
    ev.items.append(EvidenceItem(title="Parish council survey 2024", kind="consultation"))
    f = only(check(a, template), "CIA-R10")
    assert f.severity == ADVICE
    assert f.message == ("Environment, Evidence Base, evidence 2: “Parish council survey 2024” has no link, so the "
                         "public cannot see it. Link to a public copy, or say that it is not published")
    assert f.location == Location("evidence:environment", item=ev.items[1].id, field="link")


@pytest.mark.parametrize("description", [
    "Not published: it holds the names of the people who answered.",
    "Available on request from the transport team.",
    "Held by the council; exempt under Schedule 12A.",
    "Results are at https://www.staffordshire.gov.uk/parish-survey",
])
def test_r10_evidence_that_says_it_is_unpublished_or_links_in_its_description(template, a, description):
    a.section("environment").evidence.items.append(EvidenceItem(title="Parish survey", description=description))
    assert findings_of(check(a, template), "CIA-R10") == []


# --- R09: personal details -------------------------------------------------------------------------

NAMED = [
    ("Resident Jane Doe complained about the late bus.", "Jane Doe"),
    ("The complainant, Mary Smith, wrote to the council twice.", "Mary Smith"),
    ("John Brown, a resident of Leek, asked for a later bus.", "John Brown"),
    ("Yesterday Peter Hughes (service user) said the centre is a lifeline.", "Peter Hughes"),
    ("Service user Amanda told us she would lose her only weekly outing.", "Amanda"),
    ("Contact Peter Jones on 07700 900123 about his mother's place.", "Peter Jones"),
    ("Write to Sarah Thomas at sarah.t1970@gmail.com.", "Sarah Thomas"),
]


@pytest.mark.parametrize("text,name", NAMED)
def test_r09_names_without_titles_where_the_context_says_member_of_the_public(template, a, text, name):
    row(a, "environment", "transport").risks[0].text = text
    f = only(check(a, template), "CIA-R09")
    assert f"a person's name ({name}" in f.message


@pytest.mark.parametrize("text", [
    "Sam Okafor, the District Commissioning Lead, met residents in Leek.",  # an officer in the team
    "Anita Patel agreed the approach with service users.",  # the lead
    "Residents of Cannock Chase and Age UK Staffordshire were consulted.",
    "Carers told us that the Florence Nightingale ward matters to them.",
    "Residents said Mary Seacole House is too far away.",
    "Parents valued Grace Academy's breakfast club.",
    "Service users and their carers in Newcastle-under-Lyme were asked.",
    "The Care Quality Commission rated the service Good; residents agreed.",
])
def test_r09_officers_organisations_and_places_are_not_names(template, a, text):
    row(a, "environment", "transport").risks[0].text = text
    assert findings_of(check(a, template), "CIA-R09") == []


SMALL = [
    ("In a school of 300, 2 pupils identified as transgender.", "2 pupils identified as transgender"),
    ("The team of 12 has three Muslim staff.", "three Muslim staff"),
    ("One pregnant employee works at the depot.", "One pregnant employee"),
    ("Only 4 residents in the scheme are wheelchair users.", "4 residents in the scheme are wheelchair users"),
]


@pytest.mark.parametrize("text,phrase", SMALL)
def test_r09_small_numbers_about_a_protected_characteristic_are_advice(template, a, text, phrase):
    row(a, "psed", "age").groups = text
    f = only(check(a, template, CheckConfig(stage=PUBLICATION)), "CIA-R09")
    assert f.severity == ADVICE
    assert f.message.startswith(f"Public Sector Equality Duty (PSED), Age, groups affected: “{phrase}” counts so few "
                                "people with a protected characteristic that they may be identified")


@pytest.mark.parametrize("text", [
    "Fewer than 5 pupils identified as transgender.",
    "1 in 5 disabled people use the service.",
    "Year 9 pupils who are disabled have a mentor.",
    "12 disabled residents attend; 2 care homes serve people with dementia.",
    "Two disabled parking bays are kept for residents.",
    "2% of staff are on maternity leave.",
    "Aged 5 to 11, children with autism join the group.",
])
def test_r09_not_small_counts(text):
    assert small_counts(text) == []


def test_r09_small_numbers_ride_along_with_personal_details(template, a):
    row(a, "psed", "age").groups = "Mrs Jones told us 2 pupils are transgender."
    f = only(check(a, template), "CIA-R09")
    assert f.severity == WARNING
    assert "a person's name (Mrs Jones)" in f.message and "Also, “2 pupils are transgender” counts" in f.message


def test_r09_public_names_need_a_given_name_and_skip_officers():
    assert public_names("Resident Blue Badge holders", frozenset(), frozenset()) == []
    assert public_names("Resident Jane Patel", frozenset({"patel"}), frozenset()) == []
    assert public_names("Tenant Mary Lodge", frozenset(), frozenset({"Lodge"})) == ["Mary"]


def test_r09_publication_error_ignores_a_template_downgrade(template, a):
    row(a, "environment", "transport").risks[0].text = "Mrs Jones at ST16 2LP"
    spec = template.copy()
    spec.rule_settings = dict(spec.rule_settings)
    spec.rule_settings["CIA-R09"] = RuleSetting(severity=WARNING)
    assert only(check(a, spec), "CIA-R09").severity == WARNING  # drafting: the template's setting
    f = only(check(a, spec, CheckConfig(stage=PUBLICATION)), "CIA-R09")
    assert f.severity == ERROR
    a.acknowledgements = []
    report = check(a, spec, CheckConfig(stage=PUBLICATION))
    report.acknowledged[f.key] = "We have permission"  # even if it were acknowledged
    assert not report.can_submit


# --- R15: acronyms ---------------------------------------------------------------------------------


@pytest.mark.parametrize("first,later", [
    ("Looked after children and care leavers (LAC&CL) were asked", "Support for LAC and CL"),
    ("Special educational needs and disabilities (SEN/D) support", "SEN/D pupils"),
    ("Integrated Care Boards (ICBs') plans", "ICB partners"),
    ("Local Area Coordinators (LACs) visited", "the LAC network"),
    ("Children and Young People's Services (CYPS)", "CYPS staff"),
])
def test_r15_compound_plural_and_possessive_expansions(template, a, first, later):
    row(a, "psed", "age").groups = first
    row(a, "economy", "poverty_and_income").groups = later
    assert findings_of(check(a, template), "CIA-R15") == []


@pytest.mark.parametrize("text", [
    "HM Treasury funding, UNISON and GMB members, CCTV in car parks",
    "Pupils sitting GCSEs, people living with HIV, BSL interpreters and VAT",
    "Data shared under the UK GDPR; pages meet the AA standard; A&E attendances",
    "See ASC_Strategy_2024.pdf and JSNA-Summary.xlsx on the website",
    "Stored at S:\\ASC\\CIA\\Data",
    "https://www.staffordshire.gov.uk/ASC/SEND-Local-Offer",
])
def test_r15_common_abbreviations_urls_and_file_names(template, a, text):
    row(a, "psed", "age").groups = text
    assert findings_of(check(a, template), "CIA-R15") == []


@pytest.mark.parametrize("text,acronym", [
    ("OHID treatment data (NDTMS) shows the numbers", "NDTMS"),  # brackets after words that do not spell it
    ("Figures from the survey (ABC) were used", "ABC"),
    ("ICB (the local health board) said so", "ICB"),
])
def test_r15_brackets_after_words_that_do_not_spell_it_out(template, a, text, acronym):
    row(a, "psed", "age").groups = text
    assert any(f"spell out {acronym} " in f.message for f in findings_of(check(a, template), "CIA-R15"))


def test_r15_national_insurance_numbers_are_not_acronyms(template, a):
    row(a, "psed", "age").groups = "His NI number is JT 48 21 76 B."
    assert findings_of(check(a, template), "CIA-R15") == []


def test_r15_template_adds_allowed_abbreviations(template, a):
    row(a, "psed", "age").groups = "People supported by MPFT"
    assert only(check(a, template), "CIA-R15")
    spec = template.copy()
    spec.rule_settings = dict(spec.rule_settings)
    spec.rule_settings["CIA-R15"] = RuleSetting(terms=["MPFT"])
    assert findings_of(check(a, spec), "CIA-R15") == []


def test_r15_helpers():
    assert "HM" in allow_list() and "ASC" not in allow_list()
    assert set(defined_in("Looked after children and care leavers (LAC&CL)").values()) >= {"LAC", "CL"}
    assert defined_in("Looked after children (LAC&CL)") == {}  # not all of its letters
    assert "ASC" not in mask_file_names("ASC_report.docx")


# --- R13: copy-paste -------------------------------------------------------------------------------

CLOSING = ("The assessment will be reviewed at each stage of the programme and updated as new evidence "
           "becomes available. Officers will continue to monitor the impact on all protected groups.")


def test_r13_same_closing_sentences_in_every_evidence_base(template, a):
    for s in a.sections:
        s.evidence.narrative = s.evidence.narrative + " " + CLOSING
    f = only(check(a, template), "CIA-R13")
    assert f.message.startswith("Public Sector Equality Duty (PSED), Evidence Base: the same sentences (“The "
                                "assessment will be reviewed at each stage")
    assert "in every section (also Health and Care, Economy, Environment and Localities / Communities)" in f.message
    assert f.location == Location("evidence:psed", field="narrative")


def test_r13_a_sentence_in_some_evidence_bases_only_is_fine(template, a):
    for s in a.sections[:-1]:
        s.evidence.narrative = s.evidence.narrative + " " + CLOSING
    assert findings_of(check(a, template), "CIA-R13") == []


def test_r13_identical_benefit_and_mitigation_in_two_rows(template, a):
    text = "Keep free community transport for everyone assessed as needing it, and review it every year."
    row(a, "psed", "age").risks.append(risk("Longer journeys for some people.", text))
    row(a, "environment", "transport").risks.append(risk("Fewer routes in villages.", text))
    f = only(check(a, template), "CIA-R13")
    assert f.message.startswith("Public Sector Equality Duty (PSED), Age, risk 2, mitigation 1: the same text is used "
                                "for the mitigations of 2 rows (also Environment, Transport, risk 2, mitigation 1)")


def test_r13_table_captions_and_tables_in_every_evidence_base_are_not_pasted_sentences(template, a):
    for n, s in enumerate(a.sections):
        s.evidence.narrative += (f"\n\nEngagement findings by theme (share of comments):\nTheme\tShare %\n"
                                 f"Access\t{40 + n}\nOther\t{60 - n}")
    assert findings_of(check(a, template), "CIA-R13") == []


# --- R10: dead links found by the link check ---------------------------------------------------------


def test_r10_dead_links_from_the_link_check_are_advice_on_the_field(template, a):
    ev = a.section("economy").evidence
    dead_url = ev.items[0].link
    ev.narrative += " See https://www.gov.uk/withdrawn-guidance and [the old plan](http://intranet/plan)."
    config = CheckConfig(dead_links=((dead_url, "page not found (404)", "3 December 2026"),
                                     ("https://www.gov.uk/withdrawn-guidance", "page removed (410)", "2 December 2026")))
    found = findings_of(check(a, template, config), "CIA-R10")
    by_field = {f.location.field: f for f in found}
    link = by_field["link"]
    assert link.severity == ADVICE
    assert link.message == (f"Economy, Evidence Base, evidence 1: “{dead_url}” did not open when it was checked on "
                            "3 December 2026: page not found (404). Replace it with a link that works, or remove it")
    narrative = by_field["narrative"]  # a warning in the same field carries the dead link too: one finding
    assert narrative.severity == WARNING
    assert "“http://intranet/plan” is on an internal network" in narrative.message
    assert "“https://www.gov.uk/withdrawn-guidance” did not open when it was checked on 2 December 2026" in narrative.message
    assert len(found) == 2
    without = findings_of(check(a, template), "CIA-R10")  # without the link check's results
    assert [f.location.field for f in without] == ["narrative"] and "did not open" not in without[0].message


def test_r10_public_links_are_what_the_link_check_fetches(template, a):
    from cia.checks.rules.links import public_links

    ev = a.section("economy").evidence
    ev.narrative += " See https://www.gov.uk/guidance, http://intranet/x and https://www.gov.uk/care–act."
    links = public_links(a, template, HOSTS)
    assert "https://www.gov.uk/guidance" in links and ev.items[0].link in links
    assert not any("intranet" in u or "–" in u for u in links)
    assert len(links) == len(set(links))


# --- any text at all ---------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_the_text_judgements_take_any_text(text):
    copy_damage(text)
    link_problem(text, HOSTS)
    public_names(text, frozenset({"patel"}), frozenset({"Hospital"}), (text[:5],))
    small_counts(text)
    defined_in(text)
    mask_file_names(text)
    text_links(text)
