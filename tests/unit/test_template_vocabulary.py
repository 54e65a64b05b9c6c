"""The council's lists are template data: decision routes, project sizes, publication statuses, evidence
types, directions, the Cabinet report's Community Impact paragraphs and the reference prefix.

A template that leaves a list out gets the installation default, so templates written before these
were template data read and decide as they did; a template's own list is checked on import, each
problem named with its place in the file.
"""

from __future__ import annotations

import pytest

from cia import templateformat as tf
from cia.domain import (
    COMMUNITY_IMPACT_KEYS,
    DEFAULT_COMMUNITY_IMPACT,
    DEFAULT_DECISION_ROUTES,
    DEFAULT_DIRECTIONS,
    DEFAULT_EVIDENCE_TYPES,
    DEFAULT_PROJECT_SIZES,
    DEFAULT_PUBLICATION_STATUSES,
    CommunityParagraph,
    DecisionRoute,
    ProjectSize,
    PublicationStatus,
    ScaleOption,
    TemplateSpec,
)
from tests.factories import load_staffordshire

MINIMAL = """name: Borsetshire Impact Assessment
sections:
- key: people
  title: People
  allow_custom_rows: true
"""

OWN_LISTS = MINIMAL + """reference_prefix: BIA
decision_routes:
- key: full_council
  label: Full Council
- key: elsewhere
  label: Somewhere else (say where)
  other: true
project_sizes:
- key: minor
  label: Minor change
  approver_level: sponsor
- key: major
  label: Major change
  approver_level: slt
publication_statuses:
- key: open
  label: Published with the decision
  published: true
- key: closed
  label: Not for publication
  exemption_question: Which exemption applies?
  exemption_paragraphs:
  - key: '14'
    label: Paragraph 14
    description: Business affairs
evidence_types:
- key: survey
  label: Survey
directions:
- key: better
  label: Better off
- key: worse
  label: Worse off
community_impact:
- key: risk
  heading: What could go wrong
  guidance: The main risks, and how they will be managed.
- key: equalities_legal
  heading: Fairness and the law
"""


def test_a_templates_own_lists_survive_to_dict_from_dict_and_yaml_unchanged():
    spec = tf.load(OWN_LISTS)
    assert TemplateSpec.from_dict(spec.to_dict()) == spec
    assert tf.load(tf.dump(spec)) == spec
    assert spec.decision_routes == [DecisionRoute("full_council", "Full Council"),
                                    DecisionRoute("elsewhere", "Somewhere else (say where)", other=True)]
    assert spec.project_sizes[1] == ProjectSize("major", "Major change", "slt")
    assert spec.publication_statuses[1].paragraph("14") == ScaleOption("14", "Paragraph 14", "Business affairs")
    assert spec.community_impact == [
        CommunityParagraph("risk", "What could go wrong", "The main risks, and how they will be managed."),
        CommunityParagraph("equalities_legal", "Fairness and the law")]


def test_a_template_that_leaves_the_lists_out_gets_the_installation_defaults():
    spec = tf.load(MINIMAL)
    assert (spec.decision_routes, spec.project_sizes, spec.community_impact) == ([], [], [])
    assert spec.decision_route_options == list(DEFAULT_DECISION_ROUTES)
    assert spec.project_size_options == list(DEFAULT_PROJECT_SIZES)
    assert spec.publication_options == list(DEFAULT_PUBLICATION_STATUSES)
    assert spec.evidence_type_options == list(DEFAULT_EVIDENCE_TYPES)
    assert spec.direction_options == list(DEFAULT_DIRECTIONS)
    assert [p.key for p in spec.community_impact_paragraphs] == list(COMMUNITY_IMPACT_KEYS)
    assert spec.reference_start == "CIA"
    assert [spec.approver_level(s) for s in ("small", "medium", "large", "", "huge")] == [
        "manager", "sponsor", "slt", "", ""]


def test_the_shipped_council_template_states_exactly_the_installation_defaults():
    spec = load_staffordshire()
    assert spec.decision_routes == list(DEFAULT_DECISION_ROUTES)
    assert spec.project_sizes == list(DEFAULT_PROJECT_SIZES)
    assert spec.publication_statuses == list(DEFAULT_PUBLICATION_STATUSES)
    assert spec.evidence_types == list(DEFAULT_EVIDENCE_TYPES)
    assert spec.directions == list(DEFAULT_DIRECTIONS)
    assert spec.community_impact == list(DEFAULT_COMMUNITY_IMPACT)
    assert spec.reference_start == "CIA"
    assert [o.key for o in spec.publication_status("exempt").exemption_paragraphs] == [str(n) for n in range(1, 8)]


def test_labels_come_from_the_template_and_a_key_it_does_not_list_prints_as_stored():
    spec = tf.load(OWN_LISTS)
    assert spec.decision_route_label("full_council") == "Full Council"
    assert spec.decision_route_label("elsewhere", "The parish meeting") == "The parish meeting"
    assert spec.decision_route_label("elsewhere") == "Somewhere else (say where)"
    assert spec.decision_route_label("cabinet") == "cabinet"  # a default route this template does not offer
    assert spec.project_size_label("medium") == "medium"
    assert spec.publication_label("closed", "14") == "Not for publication, paragraph 14: Business affairs"
    assert spec.publication_label("exempt", "3") == "exempt, paragraph 3"
    assert spec.vocabulary_labels()["evidence"] == {"survey": "Survey"}
    assert spec.direction_label("better") == "Better off" and spec.direction_label("mixed") == "mixed"
    assert spec.is_published("open") and not spec.is_published("closed") and not spec.is_published("public")
    assert spec.reference_start == "BIA"


def test_the_default_exempt_marking_reads_as_before_with_the_paragraphs_description():
    spec = TemplateSpec()
    assert spec.publication_label("exempt", "3").startswith(
        "Exempt under Schedule 12A of the Local Government Act 1972, paragraph 3: Information relating to the "
        "financial or business affairs")
    assert spec.publication_label("exempt") == "Exempt under Schedule 12A of the Local Government Act 1972"
    assert spec.publication_label("public", "3") == "Public"


def test_a_templates_own_sizes_decide_the_level_and_the_installation_setting_does_not_override_them():
    spec = tf.load(OWN_LISTS)
    assert spec.approver_level("minor") == "sponsor"
    assert spec.approver_level("minor", {"minor": "manager"}) == "sponsor"
    assert spec.approver_level("small") == ""  # not one of its sizes: the authors are asked to set one
    assert TemplateSpec().approver_level("small", {"small": "slt"}) == "slt"


def _with(snippet: str) -> str:
    return MINIMAL + snippet


BAD_LISTS = [
    ("decision_routes:\n- key: Full Council\n  label: Full Council\n", "decision_routes[0].key",
     'the key "Full Council" must be lower-case letters'),
    ("decision_routes:\n- key: a_route_with_a_key_far_longer_than_forty_characters\n  label: Long\n",
     "decision_routes[0].key", "must be 40 characters or fewer"),
    ("decision_routes:\n- key: council\n  label: ''\n", "decision_routes[0].label",
     "Decision route 1 has no label: enter a label"),
    ("decision_routes:\n- key: a\n  label: A\n  other: true\n- key: b\n  label: B\n  other: true\n",
     "decision_routes[1].other", "Only one decision route can ask the authors to say which"),
    ("decision_routes:\n- key: a\n  label: A\n- key: a\n  label: B\n", "decision_routes[1].key",
     'has the same key ("a") as decision route 1'),
    ("project_sizes:\n- key: minor\n  label: Minor\n  approver_level: director\n", "project_sizes[0].approver_level",
     'the approver level "director" is not one an approver can hold (manager, sponsor, slt, head_of_service, equalities)'),
    ("project_sizes:\n- key: minor\n  label: Minor\n", "project_sizes[0].approver_level",
     'the approver level "" is not one an approver can hold'),
    ("project_sizes:\n- key: very_large_one\n  label: Very large\n  approver_level: slt\n", "project_sizes[0].key",
     "must be 10 characters or fewer"),
    ("publication_statuses:\n- key: open\n  label: Open\n  exemption_paragraphs:\n  - key: '1'\n    label: One\n",
     "publication_statuses[0].exemption_question", "asks for a paragraph but has no exemption_question"),
    ("publication_statuses:\n- key: a\n  label: A\n  exemption_question: Which?\n  exemption_paragraphs:\n"
     "  - key: '1'\n    label: One\n- key: b\n  label: B\n  exemption_question: Which?\n  exemption_paragraphs:\n"
     "  - key: '2'\n    label: Two\n", "publication_statuses[1].exemption_paragraphs",
     "Only one publication status can ask which paragraph"),
    ("publication_statuses:\n- key: a\n  label: A\n  exemption_question: Which?\n  exemption_paragraphs:\n"
     "  - key: '1'\n    label: ''\n", "publication_statuses[0].exemption_paragraphs[0].label",
     "Publication status 1: paragraph 1 has no label"),
    ("publication_statuses:\n- key: a\n  label: A\n  exempt: true\n", "publication_statuses[0].exempt",
     "exempt is not a field of a publication status"),
    ("evidence_types:\n- key: data\n  label: ''\n", "evidence_types[0].label", "Evidence type 1 has no label"),
    ("directions:\n- key: Up\n  label: Up\n", "directions[0].key", 'the key "Up" must be lower-case'),
    ("community_impact:\n- key: wellbeing\n  heading: Well-being\n", "community_impact[0].key",
     '"wellbeing" is not one of the paragraphs an assessment stores (equalities_legal, resources_value, risk, '
     "climate_change, health)"),
    ("community_impact:\n- key: risk\n  heading: ''\n", "community_impact[0].heading",
     "Community Impact paragraph 1 has no heading: enter a heading"),
    ("community_impact:\n- key: risk\n  title: Risk\n", "community_impact[0].title",
     "title is not a field of a Community Impact paragraph"),
    ("community_impact:\n- key: risk\n  heading: Risk\n- key: risk\n  heading: Risks again\n",
     "community_impact[1].key", 'has the same key ("risk")'),
    ("reference_prefix: cia 2026\n", "reference_prefix", "must be capital letters and numbers"),
    ("decision_routes: Cabinet\n", "decision_routes", "expected a list, found text"),
]


@pytest.mark.parametrize(("snippet", "path", "message"), BAD_LISTS, ids=[b[1] + ":" + b[2][:20] for b in BAD_LISTS])
def test_a_bad_list_is_refused_with_a_message_naming_its_place_in_the_file(snippet, path, message):
    with pytest.raises(tf.TemplateFormatError) as refused:
        tf.load(_with(snippet))
    problems = [p for p in refused.value.problems if p.path == path]
    assert problems, [str(p) for p in refused.value.problems]
    assert any(message in p.message for p in problems), [str(p) for p in problems]
    assert all(p.line for p in problems)  # the line of the file is named too


def test_every_key_a_template_may_use_for_a_paragraph_is_a_stored_paragraph():
    from cia.domain import CommunityImpact

    assert set(COMMUNITY_IMPACT_KEYS) == set(CommunityImpact().to_dict()) - {"confidential"}  # the marks, not a paragraph
    assert tf.structure_problems(TemplateSpec(name="T", sections=tf.load(MINIMAL).sections, community_impact=[
        CommunityParagraph(key, key.title()) for key in COMMUNITY_IMPACT_KEYS])) == []


def test_the_statuses_publication_decides_the_checkers_stage():
    spec = TemplateSpec(publication_statuses=[PublicationStatus("open", "Open", published=True),
                                              PublicationStatus("closed", "Closed")])
    assert spec.is_published("open") and not spec.is_published("closed")
    assert TemplateSpec().is_published("public") and not TemplateSpec().is_published("exempt")


def test_the_json_format_takes_a_templates_own_keys_and_refuses_a_size_too_long_to_store():
    from cia import jsonformat
    from tests.factories import realistic_assessment

    spec = tf.load(OWN_LISTS)
    assessment = realistic_assessment(load_staffordshire())
    assessment.details.decision_route, assessment.details.project_size = "full_council", "minor"
    assessment.details.publication_status, assessment.details.exempt_paragraph = "closed", "14"
    loaded = jsonformat.load(jsonformat.dump(assessment))
    assert (loaded.details.decision_route, spec.decision_route_label("full_council")) == (
        "full_council", "Full Council")
    assessment.details.project_size = "enormous_project"
    with pytest.raises(jsonformat.FormatError) as refused:
        jsonformat.load(jsonformat.dump(assessment))
    assert "assessment.details.project_size" in str(refused.value)
