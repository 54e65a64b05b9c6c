"""Templates with questions: what the template format accepts and refuses, and what applies when.

Every problem names its place (the field path and the line of the file), and a file with a problem
is refused whole.
"""

from __future__ import annotations

import pytest

from cia import templateformat as tf
from cia.conditions import Applicable
from cia.domain import Assessment, SectionAnswers

BASE = """\
name: Questions only
organisation: Example Council
scales:
- key: impact
  label: Impact
  options:
  - {key: positive, label: Positive}
  - {key: negative, label: Negative}
rule_settings:
  CIA-R17: {enabled: true, severity: ""}
sections:
- key: screening
  title: Screening
  evidence_base: false
  questions:
  - {key: needed, kind: yes_no, label: 'Is a full assessment needed?'}
  - key: why_not
    kind: long_text
    label: Why is a full assessment not needed?
    show_if: {question: needed, values: ['no']}
- key: equality
  title: Equality
  evidence_base: false
  show_if: {question: needed, values: ['yes']}
  questions:
  - {key: age, kind: rating, label: Age, scale: impact}
  - key: services
    kind: multiple_choice
    label: Which services?
    options:
    - {key: online, label: Online}
    - {key: phone, label: Telephone}
  - key: online_detail
    kind: short_text
    label: Which online services?
    show_if: {question: services, values: [online]}
"""


def test_a_template_of_questions_only_loads_and_publishes():
    spec = tf.load(BASE)
    assert tf.publish_problems(spec) == []
    assert [q.key for q in spec.sections[1].questions] == ["age", "services", "online_detail"]
    assert tf.load(tf.dump(spec)) == spec


@pytest.mark.parametrize("change, path, words", [
    (("kind: yes_no", "kind: maybe"), "sections[0].questions[0].kind", '"maybe" is not a kind of question'),
    (("scale: impact", "scale: mood"), "sections[1].questions[0].scale", "choose one of the template's scales"),
    (("{question: needed, values: ['no']}", "{question: services, values: ['no']}"),
     "sections[0].questions[1].show_if.question", "not a question asked before it"),
    (("{question: needed, values: ['no']}", "{question: needed, values: ['perhaps']}"),
     "sections[0].questions[1].show_if.values", '"perhaps" is not an answer to "needed"'),
    (("{question: services, values: [online]}", "{question: why_not, values: [online]}"),
     "sections[1].questions[2].show_if.question", "not answered by choosing"),
    (("{question: needed, values: ['yes']}", "{question: age, values: ['yes']}"),
     "sections[1].show_if.question", "not a question asked before it"),
    (("{key: age, kind: rating", "{key: needed, kind: rating"), "sections[1].questions[0].key",
     "question keys must be unique in a template"),
    (("label: Which services?\n    options:", "label: Which services?\n    hint: none\n    opts:"),
     "sections[1].questions[1].opts", "opts is not a field of a question"),
])
def test_each_problem_is_named_with_its_place_and_line(change, path, words):
    old, new = change
    assert old in BASE
    with pytest.raises(tf.TemplateFormatError) as error:
        tf.load(BASE.replace(old, new, 1))
    found = [p for p in error.value.problems if p.path == path]
    assert found, error.value.problems
    assert words in found[0].message and found[0].line


def test_a_section_without_evidence_base_must_ask_questions():
    text = BASE.replace("  questions:\n  - {key: needed", "  prompts: []\n  unused:\n  - {key: needed", 1)
    with pytest.raises(tf.TemplateFormatError):
        tf.load(text)
    spec = tf.load(BASE)
    spec.sections[0].questions = []
    spec.sections[1].show_if.question = ""
    spec.sections[1].show_if.values = []
    assert any(p.path == "sections[0].questions" and "no Evidence Base and no questions" in p.message
               for p in tf.structure_problems(spec))


def test_a_header_field_the_details_page_does_not_ask_is_refused():
    text = BASE.replace("sections:", "header_fields:\n- {key: id_number, label: 'ID number:'}\nsections:", 1)
    with pytest.raises(tf.TemplateFormatError) as error:
        tf.load(text)
    assert "ask it as a question in a section, with cover: true" in str(error.value)


def _with(answers: dict[str, dict]) -> Assessment:
    return Assessment(sections=[SectionAnswers(key=k, answers=v) for k, v in answers.items()])


def test_what_applies_follows_earlier_answers_and_hiding_cascades():
    spec = tf.load(BASE)
    nothing = Applicable(spec, _with({}))
    assert nothing.sections == {"screening"} and nothing.questions == {"needed"}

    screened_out = Applicable(spec, _with({"screening": {"needed": "no"}}))
    assert screened_out.questions == {"needed", "why_not"} and "equality" not in screened_out.sections

    full = Applicable(spec, _with({"screening": {"needed": "yes"}, "equality": {"services": ["phone", "online"]}}))
    assert full.sections == {"screening", "equality"}
    assert full.questions == {"needed", "age", "services", "online_detail"}

    # The answer that brought in online_detail is kept, but with its section hidden it no longer counts.
    hidden = Applicable(spec, _with({"screening": {"needed": "no"}, "equality": {"services": ["online"]}}))
    assert "online_detail" not in hidden.questions and "services" not in hidden.questions
