import copy
import dataclasses
import json

import jsonschema
import pytest

from cia import domain, jsonformat, richtext
from cia.domain import Assessment
from cia.jsonformat import FormatError
from tests.factories import load_staffordshire, realistic_assessment


@pytest.fixture(scope="module")
def template():
    return load_staffordshire()


@pytest.fixture(scope="module")
def assessment(template):
    return realistic_assessment(template)


def test_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(jsonformat.schema())


def test_schema_matches_every_domain_class():
    defs = jsonformat.schema()["$defs"]
    classes = {name: cls for name, cls in vars(domain).items()
               if dataclasses.is_dataclass(cls) and name in defs}
    assert set(classes) == {
        "ProposalDetails", "TeamMember", "ProjectTeam", "EngagementActivity", "Engagement", "Mitigation", "Risk",
        "Benefit", "RowAnswer", "EvidenceItem", "EvidenceBase", "SectionAnswers", "WorkforceLine", "StaffImpact",
        "CommunityImpact", "Acknowledgement", "SignOff", "Assessment",
    }
    for name, cls in classes.items():
        assert defs[name]["additionalProperties"] is False
        assert list(defs[name]["properties"]) == [f.name for f in dataclasses.fields(cls)], name


def test_realistic_assessment_is_complete(template, assessment):
    assert [s.key for s in assessment.sections] == [s.key for s in template.sections]
    rows = [r for s in assessment.sections for r in s.rows]
    assert len(rows) == 34 and any(r.is_na for r in rows) and not any(r.impact == "" for r in rows)
    answered = [r for r in rows if not r.is_na]
    assert all(2 <= len(r.benefits) <= 3 and 1 <= len(r.risks) <= 8 for r in answered)
    assert all(1 <= len(k.mitigations) <= 7 for r in answered for k in r.risks)
    assert all(not (r.benefits or r.risks or r.groups) for r in rows if r.is_na)
    assert any(m.has_team_role == "yes" for m in assessment.team.members)
    assert len(assessment.staff.profile) == 9
    links = [i.link for s in assessment.sections for i in s.evidence.items]
    assert links and all(richtext.links(u)[0].url == u for u in links)
    assert any(richtext.tables(r.text) for row in answered for r in row.risks)
    assert realistic_assessment(template) == assessment  # deterministic


def test_padding_for_benchmarks(template):
    big = realistic_assessment(template, rows_per_section=60)
    assert all(len(s.rows) == 60 for s in big.sections)
    custom = [r for s in big.sections for r in s.rows if r.custom]
    assert custom and all(r.key.startswith("own-") and r.title for r in custom)
    assert jsonformat.loads(jsonformat.dumps(big)) == big


def test_export_is_schema_valid(assessment):
    data = jsonformat.dump(assessment)
    assert list(data) == ["format", "assessment"] and data["format"] == "cia-assessment/2"
    jsonschema.validate(data, jsonformat.schema())
    text = jsonformat.dumps(assessment)
    assert text.endswith("}\n") and json.loads(text) == data
    assert "£1.2m" in text  # ensure_ascii=False


def test_round_trip(assessment):
    text = jsonformat.dumps(assessment)
    loaded = jsonformat.loads(text)
    assert loaded == assessment
    assert jsonformat.dumps(loaded) == text
    assert jsonformat.load(json.loads(text)) == assessment


def test_round_trip_of_blank_assessment(template):
    blank = domain.blank_assessment(template, "New proposal")
    assert jsonformat.loads(jsonformat.dumps(blank)) == blank


def test_missing_fields_take_defaults():
    a = jsonformat.load({"format": "cia-assessment/2", "assessment": {"details": {"name": "X"}}})
    assert a.details.name == "X" and a.revision == 1 and a.sections == []


def test_import_sanitises_text_like_the_forms():
    data = {"format": "cia-assessment/2", "assessment": {
        "details": {"name": "Hubs\x00 review  \r\n", "summary": "<p>One</p><script>alert(1)</script><p>Two</p>"},
        "sections": [{"key": "psed", "rows": [{"key": "age", "groups": "<ul><li>carers</li><li>older people</li></ul>"}]}],
    }}
    a = jsonformat.load(data)
    assert a.details.name == "Hubs review"
    assert a.details.summary == "One\n\nTwo"
    assert a.sections[0].rows[0].groups == "- carers\n- older people"
    assert data["assessment"]["details"]["name"].startswith("Hubs\x00")  # the caller's data is not changed


def _broken(assessment, change):
    data = copy.deepcopy(jsonformat.dump(assessment))
    change(data["assessment"])
    with pytest.raises(FormatError) as info:
        jsonformat.load(data)
    return str(info.value)


def test_bad_enum_names_path_and_allowed_values(assessment):
    def change(a):
        a["sections"][2]["rows"][0]["impact"] = "maybe"
    assert _broken(assessment, change) == "assessment.sections[2].rows[0].impact: 'maybe' is not one of '', 'yes', 'no'"


def test_wrong_type(assessment):
    def change(a):
        a["revision"] = "2"
        a["sections"][0]["rows"][1]["risks"][0]["mitigations"] = {"text": "x"}
    message = _broken(assessment, change)
    assert message.startswith("assessment.revision: expected a whole number, got text")
    assert message.endswith("(and 1 more problem)")


def test_wrong_type_reports_every_problem(assessment):
    data = copy.deepcopy(jsonformat.dump(assessment))
    data["assessment"]["details"]["completed"] = "yes"
    data["assessment"]["team"]["members"][1]["has_team_role"] = True
    with pytest.raises(FormatError) as info:
        jsonformat.load(data)
    assert info.value.problems == [
        "assessment.details.completed: expected true or false, got text",
        "assessment.team.members[1].has_team_role: expected text, got true or false",
        "assessment.team.members[1].has_team_role: true is not one of '', 'yes', 'no'",
    ]


def test_unknown_field(assessment):
    def change(a):
        a["sections"][0]["evidence"]["items"][0]["url"] = "https://www.gov.uk"
    assert _broken(assessment, change) == "assessment.sections[0].evidence.items[0]: unknown field 'url'"


def test_too_long_and_too_many(assessment):
    def long_text(a):
        a["details"]["summary"] = "x" * 20001
    assert _broken(assessment, long_text) == "assessment.details.summary: text is longer than 20000 characters (20001)"

    def many(a):
        a["sections"][0]["rows"][0]["risks"][0]["mitigations"] *= 31
    assert "assessment.sections[0].rows[0].risks[0].mitigations: more than 30 items" in _broken(assessment, many)


def test_missing_envelope(assessment):
    with pytest.raises(FormatError, match=r"^document: the envelope is missing"):
        jsonformat.load(assessment.to_dict())
    with pytest.raises(FormatError, match=r"^document: missing field 'assessment'$"):
        jsonformat.load({"format": "cia-assessment/2"})
    with pytest.raises(FormatError, match=r"^format: 'cia-assessment/3' is not supported; expected 'cia-assessment/2'"):
        jsonformat.load({"format": "cia-assessment/3", "assessment": {}})
    with pytest.raises(FormatError, match=r"^document: expected an object, got a list$"):
        jsonformat.loads("[1, 2]")


@pytest.mark.parametrize("text, where", [
    ('{"format": "cia-assessment/2",\n "assessment": {,}}', "line 2, column 17"),
    ("", "line 1, column 1"),
    ('{"format": "cia-assessment/2", "assessment": {"revision": NaN}}', "NaN"),
    ("{'format': 1}", "line 1, column 2"),
])
def test_not_json(text, where):
    with pytest.raises(FormatError) as info:
        jsonformat.loads(text)
    assert str(info.value).startswith("not valid JSON") and where in str(info.value)


def test_format_error_is_a_value_error():
    assert issubclass(FormatError, ValueError)
    assert isinstance(jsonformat.loads(jsonformat.dumps(Assessment())), Assessment)


def test_a_version_1_document_imports_converted_and_exports_as_version_2(assessment):
    """Version 1 called the team role `is_dcl`; its documents still import, with nothing lost."""
    current = jsonformat.dump(assessment)
    old = copy.deepcopy(current)
    old["format"] = "cia-assessment/1"
    for member in old["assessment"]["team"]["members"]:
        member["is_dcl"] = member.pop("has_team_role")
    loaded = jsonformat.load(old)
    assert loaded == assessment
    assert jsonformat.dump(loaded) == current
    assert [m.has_team_role for m in loaded.team.members] == [m.has_team_role for m in assessment.team.members]


def test_a_version_2_document_with_the_old_field_name_is_refused_with_its_place(assessment):
    data = copy.deepcopy(jsonformat.dump(assessment))
    data["assessment"]["team"]["members"][0]["is_dcl"] = "yes"
    with pytest.raises(FormatError, match=r"^assessment.team.members\[0\]: unknown field 'is_dcl'"):
        jsonformat.load(data)
