"""The template file format (cia/templateformat.py): lossless, and clear about every problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cia import templateformat as tf
from cia.checks import all_rules
from cia.domain import CategoryArea, ScaleOption, SectionSpec, TemplateSpec
from tests.factories import STAFFORDSHIRE_YAML, load_staffordshire

IIA_YAML = Path(__file__).resolve().parents[1] / "data" / "integrated-impact-assessment.yaml"


def _minimal(**changes) -> dict:
    data = {"name": "Small template", "sections": [
        {"key": "one", "title": "One", "category_areas": [{"key": "a", "title": "A"}, {"key": "b", "title": "B"}]}]}
    data.update(changes)
    return data


def _problems(text: str) -> list[tf.Problem]:
    with pytest.raises(tf.TemplateFormatError) as caught:
        tf.load(text)
    return caught.value.problems


def _messages(text: str) -> str:
    return "\n".join(str(p) for p in _problems(text))


# --- lossless ---------------------------------------------------------------------------------


def test_the_bundled_template_file_loads_as_the_staffordshire_spec():
    spec = tf.load(STAFFORDSHIRE_YAML.read_text(encoding="utf-8"))
    assert spec == load_staffordshire()
    assert len(spec.sections) == 5
    assert sum(len(s.category_areas) for s in spec.sections) == 34


@pytest.mark.parametrize("path", [STAFFORDSHIRE_YAML, IIA_YAML], ids=["staffordshire", "integrated"])
def test_dump_load_dump_is_identical(path):
    spec = tf.load(path.read_text(encoding="utf-8"))
    text = tf.dump(spec)
    again = tf.load(text)
    assert again == spec
    assert tf.dump(again) == text


def test_the_dump_of_the_bundled_template_is_the_bundled_file_body():
    """The project's template file *is* this format: same layout, same wording."""
    body = STAFFORDSHIRE_YAML.read_text(encoding="utf-8").split("\nname:", 1)[1]
    assert tf.dump(load_staffordshire()).split("\nname:", 1)[1] == body


def test_multi_line_text_is_written_as_a_block_and_read_back_exactly():
    spec = TemplateSpec.from_dict(_minimal())
    spec.sections[0].intro = "First paragraph.\n\nSecond, with a tab\there and a trailing space "
    spec.sections[0].category_areas[0].guidance = "Line one\nline two\n"
    text = tf.dump(spec)
    assert "intro: |" in text or "intro: \"" in text
    assert tf.load(text) == spec


#: Control characters other than tab and line breaks: a template file holding one is refused (below).
_CONTROL = "".join(chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127))
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=_CONTROL + "\ufeff"),
                max_size=40)
_title = _text.filter(lambda t: t.strip() != "")


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=_title, intro=_text, titles=st.lists(_title, min_size=1, max_size=4), question=_text,
       prompts=st.lists(_text, max_size=3), label=_title)
def test_any_text_round_trips(name, intro, titles, question, prompts, label):
    spec = TemplateSpec(
        name=name, version=3, likelihood_scale=[ScaleOption(key="likely", label=label, description=intro)],
        sections=[SectionSpec(key="s", title=titles[0], intro=intro, prompts=prompts, category_areas=[
            CategoryArea(key=f"a{i}", title=t, question=question) for i, t in enumerate(titles)])])
    if tf.structure_problems(spec):  # e.g. a title longer than its column: not this test's business
        return
    text = tf.dump(spec)
    assert tf.load(text) == spec
    assert tf.dump(tf.load(text)) == text


# --- problems, each named with its line ------------------------------------------------------------


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f"])
def test_a_control_character_is_refused_naming_where_it_is(character):
    spec = TemplateSpec.from_dict(_minimal())
    spec.sections[0].title = f"Economy{character}"
    assert "sections[0].title: has a control character" in _messages(tf.dump(spec))


def test_anchors_and_aliases_are_refused_before_they_are_expanded():
    """name: &a [*a] refers to itself; nested aliases grow exponentially: neither is ever read."""
    assert "anchors or aliases" in _messages("name: &a [*a]\nsections: []\n")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9))
    assert "anchors or aliases" in _messages(bomb)



def test_malformed_yaml_names_the_line():
    problems = _problems("name: Broken\nsections:\n  - key: one\n   title: misaligned\n")
    assert len(problems) == 1
    assert problems[0].line in (3, 4)
    assert "not valid YAML" in str(problems[0]) and "line" in str(problems[0])


@pytest.mark.parametrize("text, expected", [
    ("", "The file is empty"),
    ("- just\n- a list\n", "must hold a template"),
    ("just text", "must hold a template"),
    ("sections: []\n", "name is missing"),
    ("name: No sections\n", "sections is missing"),
    ("name: Empty\nsections: []\n", "at least one section"),
])
def test_missing_or_empty_essentials(text, expected):
    assert expected in _messages(text)


def test_wrong_types_name_the_field_and_line():
    text = yaml.safe_dump(_minimal(name=True, likelihood_scale="high", version="two"), sort_keys=False)
    messages = _messages(text)
    assert "line 1, name: expected text, found true or false (put it in quotes)" in messages
    assert "likelihood_scale: expected a list, found text" in messages
    assert "version: expected a whole number, found text" in messages
    text = yaml.safe_dump(_minimal(sections=[{"key": "one", "title": 2024, "allow_custom_rows": "yes please",
                                              "category_areas": {"a": "A"}}]), sort_keys=False)
    messages = _messages(text)
    assert "sections[0].title: expected text, found a number" in messages
    assert "sections[0].allow_custom_rows: expected true or false, found text" in messages
    assert "sections[0].category_areas: expected a list, found a set of fields" in messages


def test_unknown_fields_are_named_not_silently_dropped():
    text = yaml.safe_dump(_minimal(sections=[{"key": "one", "titel": "Typo", "title": "One"}]), sort_keys=False)
    problems = _problems(text)
    assert [p.path for p in problems] == ["sections[0].titel"]
    assert "titel is not a field of a section" in problems[0].message
    assert problems[0].line == 4


def test_duplicate_keys_are_named_with_lines():
    text = ("name: Duplicates\nsections:\n- key: one\n  title: One\n  category_areas:\n"
            "  - key: a\n    title: A\n  - key: a\n    title: Another A\n- key: one\n  title: One again\n")
    messages = _messages(text)
    assert 'line 8, sections[0].category_areas[1].key: Section 1 ("One"): category area 2 has the same key ("a") ' \
           "as category area 1" in messages
    assert 'line 10, sections[1].key: Section 2 has the same key ("one") as section 1' in messages


def test_a_field_given_twice_in_one_place_is_refused():
    problems = _problems("name: One\nname: Two\nsections: []\n")
    assert str(problems[0]) == "line 2, name: name is given twice (lines 1 and 2): keep one"


def test_empty_titles_are_named():
    data = _minimal()
    data["sections"][0]["category_areas"][1]["title"] = "  "
    data["sections"].append({"key": "two", "title": ""})
    messages = _messages(yaml.safe_dump(data, sort_keys=False))
    assert 'Section 1 ("One"): category area 2 has no title: enter a title' in messages
    assert "Section 2 has no title: enter a title" in messages


def test_keys_must_be_well_formed_and_rules_known():
    data = _minimal(rule_settings={"CIA-R99": {"enabled": False}, "CIA-R01": {"severity": "fatal"}})
    data["sections"][0]["key"] = "Not A Key"
    messages = _messages(yaml.safe_dump(data, sort_keys=False))
    assert 'the key "Not A Key" must be lower-case letters and numbers' in messages
    assert '"CIA-R99" is not a rule of the checker' in messages
    assert 'CIA-R01: severity "fatal" must be error, warning, advice or empty' in messages


def test_rule_terms_only_where_a_rule_takes_them_and_well_formed():
    data = _minimal(rule_settings={"CIA-R01": {"terms": ["x"]}, "CIA-R10": {"terms": ["https://intra.example.org/x"]},
                                   "CIA-R15": {"terms": ["Mid Staffs FT"]}})
    messages = _messages(yaml.safe_dump(data, sort_keys=False))
    assert "CIA-R01 takes no terms: leave terms out (rules that take them: CIA-R10, CIA-R15)" in messages
    assert ("CIA-R10: “https://intra.example.org/x” is not a host name. Enter host names only, such as "
            "intranet.example.gov.uk, without https:// or a path") in messages
    assert "CIA-R15: “Mid Staffs FT” is not an abbreviation" in messages
    good = _minimal(rule_settings={"CIA-R10": {"terms": ["staffhub", "intranet.example.gov.uk"]},
                                   "CIA-R15": {"terms": ["MPFT", "SEN/D"]}})
    assert tf.load(yaml.safe_dump(good)).rule_settings["CIA-R15"].terms == ["MPFT", "SEN/D"]


def test_short_fields_must_fit_their_columns():
    data = _minimal()
    data["sections"][0]["title"] = "x" * 301
    assert "sections[0].title must be 300 characters or fewer" in _messages(yaml.safe_dump(data))


def test_not_utf8_is_a_clear_problem():
    assert "not UTF-8" in str(_problems("name: caf\xe9\n".encode("latin-1"))[0])


def test_empty_values_take_their_defaults():
    spec = tf.load("name: Sparse\nsections:\n- key: one\n  title: One\n  prompts:\n  intro:\n")
    assert spec.sections[0].prompts == [] and spec.sections[0].intro == ""


# --- publishing and keys ----------------------------------------------------------------------------


def test_publish_needs_scales_and_something_to_answer():
    spec = TemplateSpec.from_dict(_minimal())
    spec.sections.append(SectionSpec(key="empty", title="Empty"))
    messages = [p.message for p in tf.publish_problems(spec)]
    assert "Add at least one option to the likelihood scale" in messages
    assert "Add at least one option to the size of impact scale" in messages
    assert any("Empty" in m and "no category areas" in m for m in messages)
    assert tf.publish_problems(load_staffordshire()) == []


def test_every_rule_of_the_checker_can_be_set():
    spec = load_staffordshire()
    assert set(spec.rule_settings) <= {r.id for r in all_rules()}


@pytest.mark.parametrize("title, taken, expected", [
    ("Air, Water and Land Quality", set(), "air_water_and_land_quality"),
    ("Race", {"race"}, "race_2"),
    ("Race", {"race", "race_2"}, "race_3"),
    ("Café culture – Ørsted", set(), "cafe_culture_rsted"),
    ("!!!", set(), "item"),
    ("Own rows", set(), "area_own_rows"),
    ("A" * 80 + " tail", set(), "a" * 60),
])
def test_keys_made_from_titles(title, taken, expected):
    key = tf.make_key(title, taken)
    assert key == expected
    assert tf.KEY_PATTERN.match(key)


def test_the_fingerprint_changes_with_the_content():
    spec = load_staffordshire()
    other = spec.copy()
    assert tf.spec_hash(spec) == tf.spec_hash(other)
    other.sections[0].category_areas[0].title = "Ethnicity"
    assert tf.spec_hash(spec) != tf.spec_hash(other)


# --- the documentation ---------------------------------------------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "template-format.md"


def test_every_field_is_documented():
    import dataclasses

    from cia.domain import (
        ColumnGuidance,
        Condition,
        GuidanceBullet,
        HeaderField,
        NamedScale,
        Question,
        RuleSetting,
        SignOffStep,
        TeamRole,
    )

    text = DOC.read_text(encoding="utf-8")
    for cls in (TemplateSpec, SectionSpec, CategoryArea, ScaleOption, RuleSetting, HeaderField, ColumnGuidance,
                GuidanceBullet, TeamRole, Question, Condition, NamedScale, SignOffStep):
        for f in dataclasses.fields(cls):
            assert f"| `{f.name}` |" in text, f"{cls.__name__}.{f.name} is not documented"


def test_the_documented_example_is_a_publishable_template():
    block = DOC.read_text(encoding="utf-8").split("## A minimal file", 1)[1].split("```yaml\n", 1)[1].split("```")[0]
    assert tf.publish_problems(tf.load(block)) == []


# --- sign-off steps ----------------------------------------------------------------------------


def _with_steps(steps: list[dict]) -> str:
    data = _minimal(signoff_steps=steps)
    data["sections"][0]["questions"] = [{"key": "screened", "kind": "yes_no", "label": "Is it screened out?"}]
    return yaml.safe_dump(data)


def test_sign_off_steps_load_with_their_levels_declaration_and_condition():
    spec = tf.load(_with_steps([{"key": "review", "title": "Equalities review", "levels": ["equalities"],
                                 "declaration": "I have reviewed it.",
                                 "show_if": {"question": "screened", "values": ["no"]}}]))
    step = spec.signoff_steps[0]
    assert (step.title, step.levels, step.declaration, step.show_if.values) == (
        "Equalities review", ["equalities"], "I have reviewed it.", ["no"])
    assert tf.load(tf.dump(spec)) == spec


@pytest.mark.parametrize(("step", "message"), [
    ({"key": "review", "title": ""}, "Sign-off step 1 has no title: enter what the step is called"),
    ({"key": "review", "title": "Review", "levels": ["chief"]},
     'Sign-off step 1 ("Review"): "chief" is not an approver level (levels: manager, sponsor, slt, '
     "head_of_service, equalities)"),
    ({"key": "review", "title": "Review", "show_if": {"question": "later", "values": ["yes"]}},
     'Sign-off step 1 ("Review"): the condition depends on "later", which is not a question asked before it'),
    ({"key": "r" * 61, "title": "Review"}, 'Sign-off step 1 ("Review"): the key must be 60 characters or fewer'),
    ({"key": "Review!", "title": "Review"}, 'Sign-off step 1: the key "Review!" must be lower-case letters'),
])
def test_a_sign_off_step_that_cannot_work_is_refused_with_its_path(step, message):
    problems = _problems(_with_steps([step]))
    assert any(message in p.message and p.path.startswith("signoff_steps[0]") for p in problems), problems


def test_two_sign_off_steps_with_one_key_are_refused():
    problems = _problems(_with_steps([{"key": "review", "title": "A"}, {"key": "review", "title": "B"}]))
    assert any(p.path == "signoff_steps[1].key" and "same key" in p.message for p in problems), problems
