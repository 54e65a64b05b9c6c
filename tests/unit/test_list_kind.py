"""The list kind ("add another", cia/kinds/lists.py): reading items with a message per field that names
the item, what is stored and shown, its schema, what the checker reads, its macro, and what the
template format accepts. Pure unit tests: no app, no database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, FileSystemLoader
from jsonschema import Draft202012Validator

from cia import jsonformat
from cia import templateformat as tf
from cia.checks import Location, run_checks
from cia.checks.rules._walk import question_slots
from cia.domain import (
    Assessment,
    NamedScale,
    Question,
    RuleSetting,
    ScaleOption,
    SectionAnswers,
    SectionSpec,
    TemplateSpec,
)
from cia.kinds.base import kind_of
from cia.kinds.lists import MAX_ITEMS
from cia.web.labels import path_label

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
LIST = kind_of("list")
SCALE = NamedScale("effect", "Effect", [ScaleOption("positive", "Positive"), ScaleOption("negative", "Negative")])


def action_plan(**changes) -> Question:
    question = Question(key="actions", kind="list", label="Action plan", item_name="action", questions=[
        Question(key="action", kind="long_text", label="Action"),
        Question(key="lead", kind="short_text", label="Lead officer"),
        Question(key="timescale", kind="month_year", label="Timescale"),
        Question(key="effect", kind="rating", label="Effect", scale="effect", required=False),
    ])
    for name, value in changes.items():
        setattr(question, name, value)
    return question


TEMPLATE = TemplateSpec(scales=[SCALE], rule_settings={}, sections=[
    SectionSpec(key="plan", title="Action plan", evidence_base=False, questions=[action_plan()])])


def posted(values: dict[str, str | list[str]]):
    """A `Posted` for the list's inputs: {"-0-id": "abc", "-0-lead": "Sam", ...}."""
    return lambda suffix="": [values[suffix]] if isinstance(values.get(suffix), str) else list(values.get(suffix, []))


def test_items_are_read_in_order_with_their_ids_kept():
    items, messages = LIST.read_items(action_plan(), posted({
        "-0-id": "a1b2c3d4e5", "-0-action": "Run drop-in sessions", "-0-lead": "  Sam Jones ",
        "-0-timescale-month": "March", "-0-timescale-year": "2027", "-0-effect": "positive",
        "-1-id": "", "-1-lead": "Ali Khan",
        "-3-id": "ignored", "-3-lead": "After a gap: not an item of this list",
    }), {"effect": SCALE.options})
    assert messages == [{}, {}]
    assert items[0] == {"id": "a1b2c3d4e5", "action": "Run drop-in sessions", "lead": "Sam Jones",
                        "timescale": "2027-03", "effect": "positive"}
    assert re.fullmatch(r"[0-9a-f]{10}", items[1]["id"])  # a new item gets its id once
    assert items[1]["lead"] == "Ali Khan" and items[1]["action"] == ""


def test_an_id_that_is_not_one_of_ours_is_replaced():
    items, _ = LIST.read_items(action_plan(), posted({"-0-id": '"><script>', "-0-lead": "Sam"}), None)
    assert re.fullmatch(r"[0-9a-f]{10}", items[0]["id"])


def test_each_problem_names_the_item_and_keeps_what_can_be_kept():
    items, messages = LIST.read_items(action_plan(), posted({
        "-0-id": "aaaaaaaaaa", "-0-lead": "Sam",
        "-1-id": "bbbbbbbbbb", "-1-lead": "Ali", "-1-timescale-month": "13", "-1-timescale-year": "2027",
        "-1-effect": "brilliant",
    }), {"effect": SCALE.options})
    assert messages[0] == {}
    assert messages[1] == {"timescale": 'Action 2: "Timescale" must be a real date',
                           "effect": 'Action 2: select one of the options for "Effect"'}
    assert items[1]["lead"] == "Ali"  # the rest of the item is read
    value, message = LIST.read(action_plan(), posted({"-0-id": "x", "-0-timescale-month": "13",
                                                      "-0-timescale-year": "2027"}))
    assert message == 'Action 1: "Timescale" must be a real date' and len(value) == 1


def test_no_more_than_the_limit_is_read():
    many = {f"-{i}-id": "" for i in range(MAX_ITEMS + 5)}
    items, _ = LIST.read_items(action_plan(), posted(many), None)
    assert len(items) == MAX_ITEMS


def test_blank_items_are_not_stored_and_do_not_count_as_an_answer():
    blank = {"id": "aaaaaaaaaa", "action": "", "lead": "", "timescale": "", "effect": ""}
    full = {"id": "bbbbbbbbbb", "action": "", "lead": "Sam", "timescale": "", "effect": ""}
    assert LIST.stored(action_plan(), [blank, full, blank]) == [full]
    assert not LIST.answered([]) and not LIST.answered([blank]) and LIST.answered([blank, full])
    assert not LIST.answered("not a list") and not LIST.answered(["text", 3])


def test_items_are_shown_one_paragraph_each_with_the_sub_question_labels():
    answer = [
        {"id": "aaaaaaaaaa", "action": "Hold drop-ins\n\n- in libraries\n- in the town hall", "lead": "Sam Jones",
         "timescale": "2027-03", "effect": "positive"},
        {"id": "cccccccccc", "action": "", "lead": "", "timescale": "", "effect": ""},  # blank: not shown
        {"id": "bbbbbbbbbb", "lead": "Ali Khan"},
    ]
    shown = LIST.show(action_plan(), answer, TEMPLATE)
    assert shown == ("Action 1\nAction: Hold drop-ins • in libraries • in the town hall\nLead officer: Sam Jones\n"
                     "Timescale: March 2027\nEffect: Positive\n\n"
                     "Action 2\nAction: Not answered\nLead officer: Ali Khan\nTimescale: Not answered\n"
                     "Effect: Not answered")
    assert LIST.rich  # the view and the documents render it as paragraphs with line breaks
    assert LIST.show(action_plan(), [], TEMPLATE) == "" and LIST.show(action_plan(), "junk", TEMPLATE) == ""
    assert LIST.show(action_plan(item_name=""), answer[2:], TEMPLATE).startswith("Item 1\n")


def test_the_schema_takes_items_with_ids_and_answers_of_the_other_kinds():
    schema = Draft202012Validator(LIST.schema)
    assert schema.is_valid([]) and schema.is_valid([{"id": "abc", "lead": "Sam", "groups": ["a", "b"]}])
    assert not schema.is_valid([{"lead": "Sam"}])  # no id
    assert not schema.is_valid([{"id": "abc", "nested": [{"id": "x"}]}])  # no list in a list
    assert not schema.is_valid("text")
    document = {"format": jsonformat.FORMAT, "assessment": Assessment(sections=[SectionAnswers(
        key="plan", answers={"actions": [{"id": "abc", "lead": "Sam"}]})]).to_dict()}
    assert jsonformat.load(document).sections[0].answers["actions"] == [{"id": "abc", "lead": "Sam"}]


def _assessment(items: list[dict]) -> Assessment:
    return Assessment(sections=[SectionAnswers(key="plan", answers={"actions": items})])


def test_the_checker_reads_inside_items_and_points_at_the_items_field():
    from cia.checks.base import CheckConfig, Context

    spec = TEMPLATE.copy()
    a = _assessment([{"id": "aaaaaaaaaa", "action": "Ring 07700 900123", "lead": "", "timescale": ""},
                     {"id": "bbbbbbbbbb", "action": "", "lead": "", "timescale": ""}])
    slots = question_slots(Context(a, spec, CheckConfig()), spec.sections[0], a.sections[0])
    assert [(s.location.row, s.location.item, s.location.field, s.text) for s in slots] == [
        ("actions", "aaaaaaaaaa", "action", "Ring 07700 900123")]
    assert "action 1: Action" in slots[0].where

    spec.rule_settings = {"CIA-R17": RuleSetting()}
    report = run_checks(a, spec)
    found = [(f.message, f.location) for f in report.findings if f.rule_id == "CIA-R17"]
    assert ("Action plan: “Action plan”, action 1: “Lead officer”: answer this question",
            Location("questions:plan", row="actions", item="aaaaaaaaaa", field="lead")) in found
    assert not any("action 2" in message for message, _ in found)  # a blank item is not checked
    assert not any("“Effect”" in message for message, _ in found)  # optional

    empty = run_checks(_assessment([]), spec)
    assert [f.message for f in empty.findings if f.rule_id == "CIA-R17"] == [
        "Action plan: “Action plan”: answer this question"]
    stale = run_checks(_assessment([{"id": "aaaaaaaaaa", "action": "A", "lead": "B", "timescale": "2027-01",
                                     "effect": "gone"}]), spec)
    assert any("action 1: “Effect”: the answer is no longer one of the options" in f.message
               for f in stale.findings)


def test_a_finding_in_an_item_links_to_that_items_field():
    from cia.web.links import field_id

    a = _assessment([{"id": "aaaaaaaaaa", "lead": "Sam"}, {"id": "bbbbbbbbbb", "lead": ""}])
    assert field_id(Location("questions:plan", row="actions", item="bbbbbbbbbb", field="lead"), a) == "q-actions-1-lead"
    assert field_id(Location("questions:plan", row="actions", item="gone", field="lead"), a) == "q-actions"
    assert field_id(Location("questions:plan", field="actions"), a) == "q-actions"


def test_changes_to_an_item_are_named_by_the_item_and_the_sub_question():
    old = {"answers": {"actions": [{"id": "aaaaaaaaaa", "lead": "Sam"}, {"id": "bbbbbbbbbb", "lead": "Ali"}]}}
    new = {"answers": {"actions": [{"id": "bbbbbbbbbb", "lead": "Alex"}]}}
    label = path_label("answers.actions[bbbbbbbbbb].lead", "questions:plan", TEMPLATE, old, new)
    assert label == "Action plan: questions: Action plan, action 1: Lead officer"
    assert path_label("answers.actions[aaaaaaaaaa]", "questions:plan", TEMPLATE, old, new) == (
        "Action plan: questions: Action plan, action 1")


def test_comparing_revisions_shows_an_item_added_and_a_field_changed_by_their_labels():
    from cia.review.compare import compare_part

    old = {"answers": {"actions": [{"id": "aaaaaaaaaa", "lead": "Sam"}]}}
    new = {"answers": {"actions": [{"id": "aaaaaaaaaa", "lead": "Sam Jones"},
                                   {"id": "bbbbbbbbbb", "lead": "Ali", "action": "Survey users"}]}}
    changed, added = compare_part("questions:plan", old, new, TEMPLATE)
    assert (changed.kind, changed.label, changed.old, changed.new) == (
        "changed", "Action plan: questions: Action plan, action 1: Lead officer", "Sam", "Sam Jones")
    assert (added.kind, added.label) == ("added", "Action plan: questions: Action plan, action 2 (item added)")
    assert added.fields == [("Lead officer", "Ali"), ("Action", "Survey users")]  # not its id
    (removed,) = compare_part("questions:plan", new, old, TEMPLATE)[1:]
    assert removed.kind == "removed" and removed.label.endswith("action 2 (item removed)")


# --- the macro -------------------------------------------------------------------------------------


class _Field:
    """What `QuestionField.list_items` gives the macro, built by hand."""

    def __init__(self, items, errors=None):
        self.id = self.name = "q-actions"
        self.errors = errors or []
        self.data = items
        self.raw = {}
        self.list_items = items


def _render(items, question=None) -> str:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)
    macros = env.get_template("components/questions.html").module
    return str(macros.question_input(_Field(items), question or action_plan(), LIST, []))


def _item(index: int, ident: str, lead: str, error: str = "") -> dict:
    sub = Question(key="lead", kind="short_text", label="Lead officer")
    field = {"id": f"q-actions-{index}-lead", "name": f"q-actions-{index}-lead", "data": lead,
             "errors": [error] if error else [], "raw": {}}
    return {"index": index, "id": ident, "label": f"Action {index + 1}",
            "fields": [{"question": sub, "kind": kind_of("short_text"), "options": [], "field": field}]}


def test_the_macro_follows_the_add_another_pattern():
    html = _render([_item(0, "aaaaaaaaaa", "Sam"), _item(1, "bbbbbbbbbb", "Ali", "Action 2: enter it")])
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Action plan</legend>' in html
    assert html.count('class="govuk-fieldset app-list__item"') == 2
    assert ">Action 1</legend>" in html and ">Action 2</legend>" in html
    assert '<input type="hidden" name="q-actions-1-id" value="bbbbbbbbbb">' in html
    assert 'id="q-actions-0-lead" name="q-actions-0-lead" type="text" value="Sam"' in html
    assert 'value="remove:q-actions-1"' in html and "Remove<span class=\"govuk-visually-hidden\"> action 2</span>" in html
    assert 'name="action" value="add:q-actions" formaction="#q-actions-2"' in html
    assert ">Add another action</button>" in html and "govuk-button--secondary" in html
    assert '<p id="q-actions-1-lead-error" class="govuk-error-message">' in html and html.count("govuk-error-message") == 1


def test_the_macro_escapes_everything():
    evil = '<script>alert("x")</script>'
    item = _item(0, evil, evil, evil)
    item["label"] = evil
    html = _render([item], action_plan(label=evil, hint=evil, item_name=evil))
    assert "<script>" not in html and "&lt;script&gt;" in html


# --- the template format ---------------------------------------------------------------------------

BASE = """\
name: Lists
organisation: Example Borough Council
scales:
- key: effect
  label: Effect
  options:
  - {key: positive, label: Positive}
rule_settings:
  CIA-R17: {enabled: true, severity: ""}
sections:
- key: plan
  title: Action plan
  evidence_base: false
  questions:
  - key: actions
    kind: list
    label: Action plan
    item_name: action
    questions:
    - {key: action, kind: long_text, label: Action}
    - {key: lead, kind: short_text, label: Lead officer}
    - {key: effect, kind: rating, label: Effect, scale: effect}
"""


def test_a_list_question_loads_and_round_trips():
    spec = tf.load(BASE)
    assert tf.publish_problems(spec) == []
    question = spec.sections[0].questions[0]
    assert [q.key for q in question.questions] == ["action", "lead", "effect"] and question.item_name == "action"
    assert tf.load(tf.dump(spec)) == spec
    assert Question.from_dict(question.to_dict()) == question


@pytest.mark.parametrize("change, path, words", [
    (("{key: lead, kind: short_text", "{key: action, kind: short_text"), "sections[0].questions[0].questions[1].key",
     "keys must be unique in an item"),
    (("{key: lead, kind: short_text", "{key: id, kind: short_text"), "sections[0].questions[0].questions[1].key",
     'and not "id"'),
    (("{key: lead, kind: short_text, label: Lead officer}", "{key: lead, kind: list, label: Lead officer}"),
     "sections[0].questions[0].questions[1].kind", "a list cannot hold another list"),
    (("{key: lead, kind: short_text", "{key: lead, kind: sometimes"), "sections[0].questions[0].questions[1].kind",
     '"sometimes" is not a kind of question'),
    (("scale: effect}", "scale: mood}"), "sections[0].questions[0].questions[2].scale",
     "choose one of the template's scales"),
    (("label: Lead officer}", "label: Lead officer, show_if: {question: x, values: [y]}}"),
     "sections[0].questions[0].questions[1].show_if", "cannot have a condition"),
    (("    questions:\n    - {key: action", "    unasked:\n    - {key: action"), "sections[0].questions[0].unasked",
     "unasked is not a field of a question"),
    (("kind: list", "kind: short_text"), "sections[0].questions[0].questions",
     "only a list or a grid question has questions of its own"),
    (("label: Lead officer}", "label: ''}"), "sections[0].questions[0].questions[1].label", "has no question text"),
])
def test_a_bad_list_question_is_refused_with_its_place(change, path, words):
    old, new = change
    assert old in BASE
    with pytest.raises(tf.TemplateFormatError) as error:
        tf.load(BASE.replace(old, new, 1))
    found = [p for p in error.value.problems if p.path == path]
    assert found, error.value.problems
    assert words in found[0].message and found[0].line


def test_a_list_without_questions_is_refused():
    text = BASE.split("    questions:\n")[0]
    with pytest.raises(tf.TemplateFormatError) as error:
        tf.load(text)
    assert any(p.path == "sections[0].questions[0].questions" and "no questions for each item" in p.message
               for p in error.value.problems)


def test_a_condition_cannot_depend_on_a_list_or_a_question_inside_one():
    for target in ("actions", "effect"):
        text = BASE + f"  - {{key: later, kind: short_text, label: Later, show_if: {{question: {target}, values: [positive]}}}}\n"
        with pytest.raises(tf.TemplateFormatError):
            tf.load(text)


_ANY = st.one_of(st.text(max_size=12), st.sampled_from(["", "13", "2027", "positive", "aaaaaaaaaa", "-1"]))


@given(values=st.dictionaries(st.sampled_from(["-0-id", "-0-action", "-0-lead", "-0-timescale-month",
                                               "-0-timescale-year", "-0-effect", "-1-id", "-1-lead", "-2-id"]),
                              st.lists(_ANY, max_size=2), max_size=9))
@settings(max_examples=150, deadline=None)
def test_reading_anything_posted_never_raises_and_keeps_one_message_list_per_item(values):
    items, messages = LIST.read_items(action_plan(), lambda suffix="": values.get(suffix, []),
                                      {"effect": SCALE.options})
    assert len(items) == len(messages)
    assert all(re.fullmatch(r"[a-z0-9]{1,32}", item["id"]) for item in items)
    assert all(message.startswith(f"Action {n}: ") for n, problems in enumerate(messages, 1)
               for message in problems.values())
    LIST.show(action_plan(), LIST.stored(action_plan(), items), TEMPLATE)  # whatever was read can be shown
