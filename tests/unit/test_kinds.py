"""The registered question kinds (cia/kinds): reading what was posted, showing answers, their schemas
and their input macros (templates/components/questions.html). Pure unit tests: no app, no database."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, FileSystemLoader
from jsonschema import Draft202012Validator

from cia.domain import NamedScale, Question, ScaleOption, TemplateSpec
from cia.kinds.base import all_kinds, kind_of, options_of

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
MACROS = TEMPLATES / "components" / "questions.html"

KEYS = ["short_text", "long_text", "yes_no", "single_choice", "multiple_choice", "date", "month_year",
        "number", "percentage", "rating"]

ROUTES = [ScaleOption("council", "Council decision", "Taken by the full council"),
          ScaleOption("cabinet", "Cabinet decision"), ScaleOption("officer", "Officer decision")]
TEMPLATE = TemplateSpec(scales=[NamedScale("effect", "Effect", [
    ScaleOption("positive", "Positive", "Better for people"), ScaleOption("negative", "Negative"),
    ScaleOption("neutral", "Neutral")])])

LABELS = {
    "short_text": "Project reference",
    "long_text": "Describe the change",
    "yes_no": "Is there a consultation?",
    "single_choice": "Which decision route?",
    "multiple_choice": "Which groups are affected?",
    "date": "When did the consultation start?",
    "month_year": "When does the change take effect?",
    "number": "How many staff are affected?",
    "percentage": "Percentage of users online",
    "rating": "What is the effect on older people?",
    "list": "Action plan",
    "grid": "Workforce profile",
}


def question(key: str, **changes) -> Question:
    q = Question(key=f"q_{key}", kind=key, label=LABELS[key])
    if key in ("single_choice", "multiple_choice"):
        q.options = [o.copy() for o in ROUTES]
    if key == "rating":
        q.scale = "effect"
    if key == "list":  # the list kind has its own tests (tests/unit/test_list_kind.py)
        q.item_name = "action"
        q.questions = [Question(key="action", kind="short_text", label="Action")]
    if key == "grid":  # the grid kind has its own tests (tests/unit/test_grid_kind.py)
        q.options = [ScaleOption("women", "Women"), ScaleOption("men", "Men")]
        q.questions = [Question(key="before", kind="percentage", label="Before")]
    for name, value in changes.items():
        setattr(q, name, value)
    return q


def post(value: str | list[str] | None = None, **parts: str):
    """A `Posted` for the input named after the question (value) and its parts (day="3", ...)."""
    values = {"": [value] if isinstance(value, str) else list(value or [])}
    values |= {f"-{name}": [text] for name, text in parts.items()}
    return lambda suffix: values.get(suffix, [])


def read(key: str, posted, **changes):
    return kind_of(key).read(question(key, **changes), posted)


def show(key: str, answer, **changes) -> str:
    return kind_of(key).show(question(key, **changes), answer, TEMPLATE)


def valid(key: str, answer) -> bool:
    return Draft202012Validator(kind_of(key).schema).is_valid(answer)


# --- the registry ----------------------------------------------------------------------------------


def test_every_kind_is_registered_once_with_a_macro_that_exists():
    kinds = all_kinds()
    keys = [k.key for k in kinds]
    assert sorted(keys) == sorted([*KEYS, "list", "grid"])
    assert len(set(keys)) == len(keys)
    source = MACROS.read_text(encoding="utf-8")
    for kind in kinds:
        assert re.search(rf"macro {re.escape(kind.macro)}\(", source), kind.macro
        assert f'kind.macro == "{kind.macro}"' in source, f"question_input does not call {kind.macro}"
        assert kind.name and kind.description.endswith(".")
        Draft202012Validator.check_schema(kind.schema)
        assert valid(kind.key, kind.blank)
        assert not kind.answered(kind.blank)
        assert kind.show(question(kind.key), kind.blank, TEMPLATE) == ""
    assert {k.key for k in kinds if k.chosen_from_options} == {"yes_no", "single_choice", "multiple_choice",
                                                              "rating"}
    assert kind_of("single_choice").needs == ("options",) and kind_of("rating").needs == ("scale",)
    assert {k.key for k in kinds if k.sub_kinds} == {"list", "grid"}
    assert [k.key for k in kinds if k.rich] == ["long_text", "list"]
    assert kind_of("nonsense") is None


@pytest.mark.parametrize("key", KEYS)
def test_an_empty_post_is_unanswered_without_a_message(key):
    kind = kind_of(key)
    for posted in (post(), post(""), post("", day="", month="", year=""), post("   ", month=" ", year=" ")):
        answer, message = kind.read(question(key), posted)
        assert message == ""
        assert answer == kind.blank
        assert not kind.answered(answer)


# --- good answers: read, stored, shown -------------------------------------------------------------

GOOD = [
    # kind, posted, stored, shown
    ("short_text", post("  CAB-2026/14 \n Libraries  "), "CAB-2026/14  Libraries", "CAB-2026/14  Libraries"),
    ("short_text", post("x" * 500), "x" * 500, "x" * 500),
    ("long_text", post("First paragraph.\r\n\r\n- one\r\n- two\r\n"), "First paragraph.\n\n- one\n- two",
     "First paragraph.\n\n- one\n- two"),
    ("yes_no", post("yes"), "yes", "Yes"),
    ("yes_no", post("no"), "no", "No"),
    ("single_choice", post("cabinet"), "cabinet", "Cabinet decision"),
    ("multiple_choice", post(["officer", "council", "officer"]), ["council", "officer"],
     "Council decision, Officer decision"),
    ("multiple_choice", post(["cabinet"]), ["cabinet"], "Cabinet decision"),
    ("date", post(day="3", month="3", year="2026"), "2026-03-03", "3 March 2026"),
    ("date", post(day="29", month="02", year="2028"), "2028-02-29", "29 February 2028"),
    ("date", post(day=" 01 ", month="Dec", year="2025"), "2025-12-01", "1 December 2025"),
    ("date", post(day="9", month="september", year="2030"), "2030-09-09", "9 September 2030"),
    ("month_year", post(month="3", year="2026"), "2026-03", "March 2026"),
    ("month_year", post(month="11", year="2027"), "2027-11", "November 2027"),
    ("number", post("1,250"), "1250", "1,250"),
    ("number", post(" 2.50 "), "2.50", "2.50"),
    ("number", post("-1234567.5"), "-1234567.5", "-1,234,567.5"),
    ("number", post("007"), "7", "7"),
    ("number", post(".5"), "0.5", "0.5"),
    ("number", post("-0"), "0", "0"),
    ("number", post("+12"), "12", "12"),
    ("percentage", post("42%"), "42", "42%"),
    ("percentage", post("12.5 %"), "12.5", "12.5%"),
    ("percentage", post("100"), "100", "100%"),
    ("percentage", post("0"), "0", "0%"),
    ("rating", post("positive"), "positive", "Positive"),
    ("rating", post("unknown"), "unknown", "unknown"),  # not in the scale: the lead checks membership
]


@pytest.mark.parametrize(("key", "posted", "stored", "shown"), GOOD)
def test_good_input_is_read_stored_and_shown(key, posted, stored, shown):
    kind = kind_of(key)
    answer, message = kind.read(question(key), posted)
    assert (answer, message) == (stored, "")
    assert valid(key, answer)
    assert kind.answered(answer)
    assert kind.show(question(key), answer, TEMPLATE) == shown


def test_rating_shows_the_label_of_the_templates_scale():
    q = question("rating")
    assert [o.key for o in options_of(q, TEMPLATE)] == ["positive", "negative", "neutral"]
    assert show("rating", "negative") == "Negative"
    assert kind_of("rating").show(q, "negative", TemplateSpec()) == "negative"  # no such scale: the key


def test_the_texts_the_checker_reads():
    assert kind_of("short_text").texts("Call 01234 567890") == ["Call 01234 567890"]
    assert kind_of("long_text").texts("See https://example.org") == ["See https://example.org"]
    assert kind_of("long_text").texts("") == []
    for key in KEYS[2:]:
        assert kind_of(key).texts("yes") == []


def test_long_text_is_sanitised_and_shown_as_markup():
    answer, message = read("long_text", post("<p>Hello <b>there</b></p><script>alert(1)</script>"))
    assert message == "" and "<" not in answer and "alert" not in answer and "Hello" in answer
    assert kind_of("long_text").rich
    assert show("long_text", "- one\n- two") == "- one\n- two"


def test_short_text_is_one_cleaned_line():
    answer, message = read("short_text", post("<i>One</i>\nTwo\r\nThree"))
    assert message == ""
    assert "\n" not in answer and "<" not in answer
    assert answer.startswith("One") and answer.endswith("Three")


# --- bad input: the message names the question and keeps what was typed ------------------------------

BAD = [
    # kind, posted, message, answer kept
    ("number", post("lots"), 'Enter a number for "How many staff are affected?"', "lots"),
    ("number", post("12 people"), 'Enter a number for "How many staff are affected?"', "12 people"),
    ("number", post("1e5"), 'Enter a number for "How many staff are affected?"', "1e5"),
    ("number", post("1.2.3"), 'Enter a number for "How many staff are affected?"', "1.2.3"),
    ("number", post("-"), 'Enter a number for "How many staff are affected?"', "-"),
    ("number", post("1" * 31), '"How many staff are affected?" must be 30 digits or fewer', "1" * 31),
    ("percentage", post("101"), '"Percentage of users online" must be between 0 and 100', "101"),
    ("percentage", post("100.01%"), '"Percentage of users online" must be between 0 and 100', "100.01%"),
    ("percentage", post("-1"), '"Percentage of users online" must be between 0 and 100', "-1"),
    ("percentage", post("half"), 'Enter a percentage for "Percentage of users online"', "half"),
    ("percentage", post("%"), 'Enter a percentage for "Percentage of users online"', "%"),
    ("date", post(day="31", month="2", year="2026"), '"When did the consultation start?" must be a real date', ""),
    ("date", post(day="3", month="13", year="2026"), '"When did the consultation start?" must be a real date', ""),
    ("date", post(day="x", month="3", year="2026"), '"When did the consultation start?" must be a real date', ""),
    ("date", post(day="3", month="Smarch", year="2026"), '"When did the consultation start?" must be a real date',
     ""),
    ("date", post(day="3", month="3", year="26"),
     'The year of "When did the consultation start?" must include 4 numbers', ""),
    ("date", post(day="3", month="3", year="20266"),
     'The year of "When did the consultation start?" must include 4 numbers', ""),
    ("date", post(day="3", month="3", year="0000"), '"When did the consultation start?" must be a real date', ""),
    ("date", post(day="3", month="", year="2026"), '"When did the consultation start?" must include a month', ""),
    ("date", post(day="3", month="3"), '"When did the consultation start?" must include a year', ""),
    ("date", post(year="2026"), '"When did the consultation start?" must include a day and month', ""),
    ("month_year", post(month="13", year="2026"), '"When does the change take effect?" must be a real date', ""),
    ("month_year", post(month="3", year="26"),
     'The year of "When does the change take effect?" must include 4 numbers', ""),
    ("month_year", post(year="2026"), '"When does the change take effect?" must include a month', ""),
    ("month_year", post(month="3"), '"When does the change take effect?" must include a year', ""),
    ("yes_no", post("maybe"), 'Select yes or no for "Is there a consultation?"', ""),
    ("single_choice", post("mayor"), 'Select one of the options for "Which decision route?"', ""),
    ("single_choice", post("positive"), 'Select one of the options for "Which decision route?"', ""),
    ("multiple_choice", post(["council", "mayor"]), 'Select only the options listed for "Which groups are affected?"',
     []),
    ("rating", post("Very Good!"), 'Select one of the options for "What is the effect on older people?"', ""),
    ("rating", post("x" * 101), 'Select one of the options for "What is the effect on older people?"', ""),
    ("short_text", post("y" * 501), '"Project reference" must be 500 characters or fewer', "y" * 501),
    ("long_text", post("z" * 20_001), '"Describe the change" must be 20,000 characters or fewer', "z" * 20_001),
]


@pytest.mark.parametrize(("key", "posted", "message", "kept"), BAD)
def test_bad_input_gives_a_message_naming_the_question(key, posted, message, kept):
    answer, got = kind_of(key).read(question(key), posted)
    assert got == message
    assert answer == kept


def test_a_long_label_is_shortened_in_messages():
    label = "How many members of staff, agency workers and volunteers " * 3
    _, message = read("number", post("many"), label=label)
    quoted = re.fullmatch(r'Enter a number for "(.*)"', message)[1]
    assert quoted.endswith("…") and len(quoted) <= 80
    assert label.startswith(quoted[:-1])


def test_a_question_without_options_accepts_none():
    _, message = read("single_choice", post("council"), options=[])
    assert message.startswith("Select one of the options")
    assert read("multiple_choice", post(["council"]), options=[])[1].startswith("Select only")


def test_show_copes_with_answers_it_did_not_store():
    assert show("date", "someday") == "someday"
    assert show("date", "2026-02-31") == "2026-02-31"
    assert show("month_year", "2026-13") == "2026-13"
    assert show("number", "about 3") == "about 3"
    assert show("percentage", "lots") == "lots"
    assert show("yes_no", "maybe") == "maybe"
    assert show("multiple_choice", "council") == "Council decision"
    assert show("single_choice", ["council"]) == "Council decision"


# --- anything posted: never an exception, and an answer read without a message fits its schema --------

_ANY_TEXT = st.text(max_size=60) | st.sampled_from(
    ["", " ", "0", "12", "2026", "march", "1,000.5", "%", "-", "yes", "council", "positive", "٣", "²", "1e3",
     "\x00", "<script>", "１２"])


@settings(max_examples=300, deadline=None)
@given(key=st.sampled_from(KEYS), values=st.lists(_ANY_TEXT, max_size=3), day=_ANY_TEXT, month=_ANY_TEXT,
       year=_ANY_TEXT)
def test_reading_anything_posted_never_raises(key, values, day, month, year):
    kind = kind_of(key)
    q = question(key)
    answer, message = kind.read(q, post(values, day=day, month=month, year=year))
    assert isinstance(message, str)
    assert isinstance(answer, type(kind.blank))
    if not message:
        assert valid(key, answer), (key, answer)
        shown = kind.show(q, answer, TEMPLATE)
        assert isinstance(shown, str) and bool(shown) == kind.answered(answer)
    else:
        assert q.label in message


@settings(max_examples=200, deadline=None)
@given(number=st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**12, max_value=10**12))
def test_any_number_is_read_back_to_its_value(number):
    from decimal import Decimal

    typed = f"{number:,}"
    answer, message = read("number", post(typed))
    assert message == "" and Decimal(answer) == number and valid("number", answer)
    assert show("number", answer).replace(",", "") == answer


# --- the macros --------------------------------------------------------------------------------------


def _env(app_like: bool) -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)
    env.trim_blocks = env.lstrip_blocks = app_like  # as the app's environment (cia/__init__.py)
    return env


def render(key: str, data, errors=(), raw=None, options=None, app_like=False, **changes) -> str:
    q = question(key, **changes)
    field = SimpleNamespace(id=f"q-{q.key}", name=f"q-{q.key}", errors=list(errors), data=data, raw=raw or {})
    macros = _env(app_like).get_template("components/questions.html").module
    if options is None:
        options = options_of(q, TEMPLATE)
    return str(macros.question_input(field, q, kind_of(key), options))


TYPED = {
    # kind: (stored data, what it shows, raw typed after a failed POST, what that shows)
    "short_text": ("Ref 1", 'value="Ref 1"', {"": "Ref 2"}, 'value="Ref 2"'),
    "long_text": ("Some text", ">\nSome text</textarea>", {"": "Other text"}, ">\nOther text</textarea>"),
    "number": ("1250", 'value="1250"', {"": "lots"}, 'value="lots"'),
    "percentage": ("42", 'value="42"', {"": "101%"}, 'value="101%"'),
    "date": ("2026-03-05", 'id="q-q_date-day" name="q-q_date-day" type="text" inputmode="numeric" value="5"',
             {"-day": "31", "-month": "2", "-year": "2026"}, 'name="q-q_date-day" type="text" inputmode="numeric" '
             'value="31"'),
    "month_year": ("2026-03", 'name="q-q_month_year-month" type="text" inputmode="numeric" value="3"',
                   {"-month": "13", "-year": "2026"}, 'name="q-q_month_year-month" type="text" '
                   'inputmode="numeric" value="13"'),
    "yes_no": ("yes", 'value="yes" checked', {"": "no"}, 'value="no" checked'),
    "single_choice": ("cabinet", 'value="cabinet" checked', {}, 'value="cabinet" checked'),
    "multiple_choice": (["council", "officer"], 'value="officer" checked', {}, 'value="council" checked'),
    "rating": ("negative", 'value="negative" checked', {}, 'value="negative" checked'),
}


@pytest.mark.parametrize("app_like", [False, True])
@pytest.mark.parametrize("key", KEYS)
def test_each_macro_renders_the_label_the_answer_and_the_error(key, app_like):
    data, shown, raw, shown_raw = TYPED[key]
    html = render(key, data, app_like=app_like)
    assert LABELS[key].replace("?", "") in html
    assert shown in html
    assert "govuk-form-group--error" not in html and "govuk-error-message" not in html
    assert f'id="q-q_{key}"' in html  # where the error summary's link lands

    html = render(key, data, errors=[f'Something is wrong with "{LABELS[key]}"'], raw=raw, app_like=app_like)
    assert "govuk-form-group--error" in html
    assert f'<p id="q-q_{key}-error" class="govuk-error-message">' in html
    assert "Something is wrong with &#34;" + LABELS[key] + "&#34;" in html
    assert re.search(rf'aria-describedby="[^"]*\bq-q_{key}-error"', html)
    assert shown_raw in html


@pytest.mark.parametrize("key", KEYS)
def test_each_macro_escapes_everything(key):
    evil = '<script>alert("x")</script>'
    data = TYPED[key][0]
    raw = {"": evil, "-day": evil, "-month": evil, "-year": evil}
    options = [ScaleOption(key="council", label=evil, description=evil)]
    html = render(key, data, errors=[evil], raw=raw, options=options, label=evil, hint=evil)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_choice_markup():
    html = render("single_choice", "council")
    assert html.count('type="radio"') == 3
    assert 'id="q-q_single_choice" name="q-q_single_choice" type="radio" value="council" checked' in html
    assert 'id="q-q_single_choice-2"' in html and 'id="q-q_single_choice-3"' in html
    assert 'class="govuk-hint govuk-radios__hint">Taken by the full council</div>' in html
    assert "govuk-fieldset__legend--s" in html

    html = render("yes_no", "", options=[])
    assert "govuk-radios--inline" in html and ">Yes</label>" in html and ">No</label>" in html
    assert "checked" not in html

    html = render("multiple_choice", ["cabinet"])
    assert html.count('type="checkbox"') == 3 and html.count("checked") == 1
    assert 'name="q-q_multiple_choice" type="checkbox" value="cabinet" checked' in html
    assert "Select all that apply." in html

    html = render("rating", "")
    assert [m for m in re.findall(r'value="([^"]*)"', html)] == ["positive", "negative", "neutral"]
    assert "Better for people" in html


def test_input_markup():
    html = render("long_text", "")
    assert 'rows="5"' in html
    assert "You can use paragraphs, bullet points (start a line with - ) and links." in html
    assert "You can use paragraphs" not in render("long_text", "", hint="Say what changes.")

    html = render("short_text", "", hint="As on the Cabinet paper")
    assert 'aria-describedby="q-q_short_text-hint"' in html and "As on the Cabinet paper" in html
    assert 'class="govuk-label govuk-label--s" for="q-q_short_text"' in html

    html = render("number", "")
    assert "govuk-input--width-10" in html and 'inputmode="decimal"' in html and "govuk-input__suffix" not in html
    html = render("percentage", "")
    assert 'govuk-input__wrapper' in html and '<div class="govuk-input__suffix" aria-hidden="true">%</div>' in html

    html = render("date", "")
    assert 'class="govuk-date-input" id="q-q_date"' in html and 'role="group"' in html
    for part in ("day", "month", "year"):
        assert f'id="q-q_date-{part}" name="q-q_date-{part}"' in html
    assert "govuk-input--width-4" in html
    html = render("month_year", "")
    assert 'id="q-q_month_year-day"' not in html and 'id="q-q_month_year-year"' in html

    # only the missing part of a date is marked when a part is missing
    html = render("date", "", errors=["must include a month"], raw={"-day": "3", "-month": "", "-year": "2026"})
    assert html.count("govuk-input--error") == 1
    assert re.search(r'govuk-input--error" id="q-q_date-month"', html)
