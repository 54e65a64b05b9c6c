"""The grid kind (cia/kinds/grid.py): a table with a row per option and a column per sub-question, such
as a workforce profile. Reading what was posted, what it shows, its schema, its macro, and the template
format's refusals. Pure unit tests: no app, no database."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from jinja2 import Environment, FileSystemLoader
from jsonschema import Draft202012Validator

from cia import templateformat as tf
from cia.domain import Question, ScaleOption, TemplateSpec
from cia.kinds.base import kind_of
from cia.kinds.grid import read_cells

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
GRID = kind_of("grid")
PROFILE = Question(key="profile", kind="grid", label="Workforce profile", hint="The share of staff in each group",
                   options=[ScaleOption("women", "Women"), ScaleOption("men", "Men"),
                            ScaleOption("disabled", "Disabled staff")],
                   questions=[Question(key="before", kind="percentage", label="Before the change"),
                              Question(key="after", kind="percentage", label="After the change"),
                              Question(key="note", kind="short_text", label="Note")])


def posted(values: dict[str, str]):
    return lambda suffix="": [values[suffix]] if suffix in values else []


def test_cells_are_read_by_their_columns_kinds_and_blank_cells_are_left_out():
    answer, message = GRID.read(PROFILE, posted({"-women-before": "62", "-women-after": "58%",
                                                 "-men-before": " 38 ", "-disabled-note": "Not known yet"}))
    assert message == ""
    assert answer == {"women": {"before": "62", "after": "58"}, "men": {"before": "38"},
                      "disabled": {"note": "Not known yet"}}
    assert GRID.answered(answer) and not GRID.answered({}) and not GRID.answered({"women": {"before": ""}})
    assert GRID.show(PROFILE, answer, TemplateSpec()) == (
        "Women: Before the change: 62%, After the change: 58%\nMen: Before the change: 38%\n"
        "Disabled staff: Note: Not known yet")
    assert GRID.texts(answer) == ["62", "58", "38", "Not known yet"]


def test_a_cell_that_cannot_be_read_is_named_by_its_row_and_column_and_keeps_what_was_typed():
    answer, message = GRID.read(PROFILE, posted({"-women-before": "62", "-men-after": "120", "-men-before": "lots"}))
    assert message == 'Men: enter a percentage for "Before the change"'
    assert answer["men"] == {"before": "lots", "after": "120"}  # shown again as typed
    _cells, messages = read_cells(PROFILE, posted({"-men-after": "120"}))
    assert messages == {"-men-after": 'Men: "After the change" must be between 0 and 100'}


def test_anything_posted_for_a_row_or_column_the_grid_does_not_have_is_ignored():
    answer, message = GRID.read(PROFILE, posted({"-nobody-before": "5", "-women-salary": "30000"}))
    assert (answer, message) == ({}, "")


def test_the_stored_answer_matches_the_kinds_schema():
    validator = Draft202012Validator(GRID.schema)
    assert validator.is_valid({"women": {"before": "62", "note": "x"}})
    assert not validator.is_valid({"women": "62"}) and not validator.is_valid(["62"])


def _render(data, errors=()) -> str:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)
    macros = env.get_template("components/questions.html").module
    field = SimpleNamespace(id="q-profile", name="q-profile", errors=list(errors), data=data, raw={})
    return str(macros.question_input(field, PROFILE, GRID, PROFILE.options))


def test_the_macro_is_a_table_of_labelled_inputs_with_the_first_cell_taking_the_fields_id():
    html = _render({"women": {"before": "62"}, "men": {"after": "lots"}}, errors=["Men: enter a percentage"])
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Workforce profile</legend>' in html
    assert '<th scope="col" class="govuk-table__header">After the change</th>' in html
    assert '<th scope="row" class="govuk-table__header">Disabled staff</th>' in html
    assert 'id="q-profile" name="q-profile-women-before" type="text" value="62"' in html
    assert 'for="q-profile-men-after">Men: After the change</label>' in html
    assert 'name="q-profile-men-after" type="text" value="lots"' in html  # what was typed, shown again
    assert 'class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Men: enter a percentage' in html
    assert html.count('<div class="govuk-input__suffix" aria-hidden="true">%</div>') == 6  # 3 rows x 2 percentages


def _template(question_yaml: str) -> str:
    return ("name: Grid template\nsections:\n- key: staff\n  title: Staff\n  evidence_base: false\n"
            "  questions:\n" + question_yaml)


GOOD = ("  - key: profile\n    kind: grid\n    label: Workforce profile\n"
        "    options:\n    - {key: women, label: Women}\n    - {key: men, label: Men}\n"
        "    questions:\n    - {key: before, kind: percentage, label: Before}\n"
        "    - {key: after, kind: percentage, label: After}\n")


def test_a_grid_question_loads_from_a_template_file():
    spec = tf.load(_template(GOOD))
    assert spec.question("profile").questions[1].label == "After"


@pytest.mark.parametrize(("change", "path", "words"), [
    (("    - {key: after, kind: percentage, label: After}\n", "    - {key: after, kind: date, label: After}\n"),
     "sections[0].questions[0].questions[1].kind", 'a cell can be number, percentage, short_text, not "date"'),
    (("key: after, kind", "key: before, kind"), "sections[0].questions[0].questions[1].key",
     'has the same key ("before") as another column'),
    (("    questions:\n    - {key: before, kind: percentage, label: Before}\n"
      "    - {key: after, kind: percentage, label: After}\n", ""), "sections[0].questions[0].questions",
     "a grid has no columns"),
    (("label: After}", "label: ''}"), "sections[0].questions[0].questions[1].label", "has no heading"),
    (("    options:\n    - {key: women, label: Women}\n    - {key: men, label: Men}\n", ""),
     "sections[0].questions[0].options", "has no options"),
])
def test_a_grid_that_cannot_work_is_refused_with_its_place(change, path, words):
    old, new = change
    assert old in GOOD
    with pytest.raises(tf.TemplateFormatError) as error:
        tf.load(_template(GOOD.replace(old, new, 1)))
    assert any(p.path == path and words in p.message for p in error.value.problems), error.value.problems
