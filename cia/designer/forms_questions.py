"""Forms of the designer's question pages: the kind of a new question, and one question's settings.

One settings form serves every kind: the page shows only the fields the kind asks for (its `needs`,
`sub_kinds`, `extra_settings`, `sub_question_settings`), and saving reads only those, so a field
of another kind posted by hand changes nothing. Choices that depend on the template (its scales,
the kinds a sub-question may have) are filled in for each request and checked when saving, with a
message of the service's own.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect
from wtforms import Form, FormField, HiddenField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from cia.designer.forms import LockedForm, long, short
from cia.formfields import ItemList
from cia.templateformat import ITEM_NAME_MAX, MAX_ITEM_QUESTIONS, TEXT_MAX

#: The most options one question may have (a grid's rows are fewer: the template format says so).
MAX_OPTIONS = 50
#: The most questions one section may have.
MAX_QUESTIONS = 100


def _yes_no(label: str, yes: str, no: str, message: str) -> RadioField:
    return RadioField(label, widget=GovRadioInput(), choices=[SelectChoice("yes", yes), SelectChoice("no", no)],
                      validators=[Optional()], invalid_choice_message=message)


def _required() -> RadioField:
    return _yes_no("Do authors have to answer it?", "Yes, it is required",
                   "No, it is optional", "Select whether authors have to answer it")


def _select(label: str) -> SelectField:
    """Choices are set for each request and checked when saving (cia/designer/routes_questions.py)."""
    return SelectField(label, widget=GovSelect(), validators=[Optional()], validate_choice=False)


class KindForm(FlaskForm):
    kind = RadioField("What kind of answer do you need to this question?", widget=GovRadioInput(),
                      validators=[DataRequired(message="Select the kind of answer you need")],
                      invalid_choice_message="Select one of the kinds of answer listed")


class OptionForm(Form):
    key = HiddenField()
    label = short("Text", required="Enter the text, or remove it")


class SubQuestionForm(Form):
    key = HiddenField()
    kind = _select("Kind of answer")
    label = short("Question", required="Enter the question", limit=TEXT_MAX)
    hint = long("Hint text")
    required = _required()
    scale = _select("Scale")
    options = ItemList(FormField(OptionForm), min_entries=0, max_entries=MAX_OPTIONS)


class QuestionForm(LockedForm):
    label = short("Question text", required="Enter the question text", limit=TEXT_MAX)
    hint = long("Hint text")
    required = _required()
    options = ItemList(FormField(OptionForm), min_entries=0, max_entries=MAX_OPTIONS)
    scale = _select("Scale")
    item_name = short("What is one item called?", limit=ITEM_NAME_MAX)
    subs = ItemList(FormField(SubQuestionForm), min_entries=0, max_entries=MAX_ITEM_QUESTIONS)
    cover = _yes_no("Show the answer on the cover of the documents?", "Yes", "No",
                    "Select whether to show the answer on the cover")
