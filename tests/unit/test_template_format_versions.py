"""Template files name their format; a file of format 1 (before formats were named) still reads,
meaning what it meant then."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cia import templateformat, templateversions
from cia.checks import run_checks
from cia.checks.base import all_rules
from tests.factories import STAFFORDSHIRE_YAML, load_staffordshire, realistic_assessment

FORMAT_1 = Path(__file__).parent.parent / "data" / "format-1"
OLD_RULES = [f"CIA-R{n:02d}" for n in range(1, 17)]


def test_files_are_written_in_format_2_and_read_back_unchanged():
    spec = load_staffordshire()
    text = templateformat.dump(spec)
    assert yaml.safe_load(text)["format"] == "cia-template/2"
    assert list(yaml.safe_load(text))[0] == "format"
    assert templateformat.load(text) == spec
    assert templateformat.dump(templateformat.load(text)) == text


def test_a_format_1_file_runs_every_rule_of_its_time_it_did_not_switch_off():
    spec = templateformat.load((FORMAT_1 / "integrated-impact-assessment.yaml").read_text(encoding="utf-8"))
    assert sorted(spec.rule_settings) == OLD_RULES
    assert not spec.rule_settings["CIA-R07"].enabled  # the file switched it off
    assert all(spec.rule_settings[r].enabled for r in OLD_RULES if r != "CIA-R07")
    assert all(s.sentence for s in spec.rule_settings.values())
    assert spec.document_title == "Community Impact Assessment"
    # A section of it required people to be engaged: format 1 then asked every member the one role it knew.
    assert spec.team_role.name == "District Commissioning Lead"
    text = (FORMAT_1 / "integrated-impact-assessment.yaml").read_text(encoding="utf-8")
    unengaged = templateformat.load(text.replace("mandatory_engagement: Parish council clerks",
                                                 "mandatory_engagement: ''"))
    assert not unengaged.team_role.name


def test_the_council_template_of_format_1_reads_as_the_shipped_one_checks():
    old = templateformat.load((FORMAT_1 / "staffordshire-cia.yaml").read_text(encoding="utf-8"))
    shipped = load_staffordshire()
    assert old.team_role == shipped.team_role and old.team_role.name  # a section required its role
    assert old.document_title == shipped.document_title
    assert old.staff_guidance == shipped.staff_guidance
    for rule_id in OLD_RULES:
        assert old.rule_settings[rule_id].sentence == shipped.rule_settings[rule_id].sentence, rule_id
        assert old.rule_settings[rule_id].terms == shipped.rule_settings[rule_id].terms, rule_id
    data = realistic_assessment(shipped)
    data.team.members[0].has_team_role = "no"
    old_report, new_report = run_checks(data, old), run_checks(data, shipped)
    common = set(OLD_RULES)
    assert ([f for f in old_report.findings if f.rule_id in common]
            == [f for f in new_report.findings if f.rule_id in common])


def test_a_file_without_format_that_uses_format_2_fields_is_read_as_format_2():
    data = yaml.safe_load(STAFFORDSHIRE_YAML.read_text(encoding="utf-8"))
    data.pop("format")
    data["rule_settings"] = {"CIA-R01": {"enabled": True, "severity": "", "title": "Rows done"}}
    spec = templateformat.load(yaml.safe_dump(data))
    assert list(spec.rule_settings) == ["CIA-R01"]  # a rule not listed stays off
    assert templateversions.format_of(data) == "cia-template/2"


def test_a_file_can_say_it_is_format_1():
    text = (FORMAT_1 / "integrated-impact-assessment.yaml").read_text(encoding="utf-8")
    spec = templateformat.load("format: cia-template/1\n" + text)
    assert sorted(spec.rule_settings) == OLD_RULES


@pytest.mark.parametrize("value", ["cia-template/3", "'2'", "[cia-template/2]", "true"])
def test_a_format_the_service_does_not_read_is_refused_with_its_line(value):
    text = STAFFORDSHIRE_YAML.read_text(encoding="utf-8").replace("format: cia-template/2", f"format: {value}")
    with pytest.raises(templateformat.TemplateFormatError) as raised:
        templateformat.load(text)
    [problem] = raised.value.problems
    assert problem.path == "format" and problem.line == 4
    assert "is not a template format this service reads" in problem.message
    assert "cia-template/1 or cia-template/2" in problem.message


def test_reading_a_format_1_file_does_not_change_the_data_it_was_given():
    data = yaml.safe_load((FORMAT_1 / "staffordshire-cia.yaml").read_text(encoding="utf-8"))
    before = yaml.safe_dump(data)
    templateversions.upgraded(data)
    assert yaml.safe_dump(data) == before


def test_every_rule_of_format_1_is_still_a_rule():
    assert set(OLD_RULES) <= {rule.id for rule in all_rules()}
