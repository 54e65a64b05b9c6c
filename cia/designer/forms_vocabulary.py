"""Forms of the designer's pages for the council's lists, the rating scales and the sign-off steps.

Like every designer form they carry `spec_hash` (cia/designer/forms.py). Their lists have no
`max_entries`: a template read from YAML may hold more items than the designer lets anyone add
(the format does not limit rating scales or sign-off steps), and a form given more items than its
`max_entries` fails as it is built. A list's length is checked instead, with a message.
"""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput
from wtforms import Form, FormField, HiddenField, RadioField, SelectMultipleField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from cia import richtext
from cia.designer.common import LIST_LABELS
from cia.designer.forms import LockedForm, ScaleOptionForm, long, short
from cia.domain import APPROVER_LEVELS
from cia.formfields import ItemList
from cia.templateformat import MAX_SCALE_OPTIONS

#: How many items the designer lets an administrator add to one of the council's lists (the format's
#: own limit), to a rating scale, and how many rating scales and sign-off steps a template may have.
MAX_LIST_ITEMS = MAX_SCALE_OPTIONS
MAX_RATING_SCALES = 20
MAX_SIGNOFF_STEPS = 20
#: What a posted list may hold at most (more than anyone can add, so a template read from YAML
#: with long lists is still shown and saved).
MAX_POSTED = 200

#: How the items of these pages' lists are named in messages ("Decision route 3: Enter ...").
LIST_LABELS.update({"routes": "Decision route", "sizes": "Project size", "statuses": "Publication status",
                    "evidence": "Evidence type", "directions": "Direction", "options": "Option",
                    "steps": "Sign-off step"})

YES_NO_CHOICES = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]


def items(form_class: type, what: str, limit: int = MAX_POSTED) -> ItemList:
    return ItemList(FormField(form_class), min_entries=0,
                    validators=[Length(max=limit, message=f"You can have up to {limit} {what}")])


def yes_no_optional(label: str, message: str) -> RadioField:
    """A yes or no question that may be left unanswered (read as no)."""
    return RadioField(label, widget=GovRadioInput(), choices=YES_NO_CHOICES, validators=[Optional()],
                      invalid_choice_message=message)


# --- the council's lists -----------------------------------------------------------------------


class RouteForm(Form):
    key = HiddenField()
    label = short("Name", required="Enter the name of the decision route")
    other = yes_no_optional("Does choosing it ask the authors to say which?",
                            "Select whether choosing this route asks the authors to say which")


class SizeForm(Form):
    key = HiddenField()
    label = short("Name", required="Enter the name of the project size")
    approver_level = RadioField("Who signs off a project of this size?", widget=GovRadioInput(),
                                choices=[SelectChoice(k, v) for k, v in APPROVER_LEVELS.items()],
                                validate_choice=False)

    def validate_approver_level(self, field) -> None:
        if not field.data or field.data == "None":
            raise ValidationError("Select who signs off a project of this size")
        if field.data not in APPROVER_LEVELS:
            raise ValidationError("Select an approver level from the list")


class StatusForm(Form):
    key = HiddenField()
    label = short("Name", required="Enter the name of the publication status")
    published = yes_no_optional("Is an assessment with this status published with the decision?",
                                "Select whether an assessment with this status is published")
    exemption_question = short("Question asking which paragraph makes it exempt")
    paragraphs = items(ScaleOptionForm, "paragraphs")


class NamedItemForm(Form):
    """An evidence type or a direction: a name, and the key assessments store."""

    key = HiddenField()
    label = short("Name", required="Enter the name, or remove the item")
    #: Kept as the template file gives it (the pages do not show it).
    description = HiddenField(filters=[lambda v: richtext.clean(v) if v is not None else v])


class RoutesForm(LockedForm):
    routes = items(RouteForm, "decision routes", MAX_LIST_ITEMS)


class SizesForm(LockedForm):
    sizes = items(SizeForm, "project sizes", MAX_LIST_ITEMS)


class StatusesForm(LockedForm):
    statuses = items(StatusForm, "publication statuses", MAX_LIST_ITEMS)


class EvidenceTypesForm(LockedForm):
    evidence = items(NamedItemForm, "evidence types", MAX_LIST_ITEMS)


class DirectionsForm(LockedForm):
    directions = items(NamedItemForm, "directions", MAX_LIST_ITEMS)


# --- rating scales -----------------------------------------------------------------------------


class RatingScaleForm(LockedForm):
    label = short("Name of the scale", required="Enter the name of the scale")
    options = items(ScaleOptionForm, "options to a scale")


# --- sign-off steps ----------------------------------------------------------------------------


class StepForm(Form):
    key = HiddenField()
    title = short("Title", required="Enter the title of the step")
    levels = SelectMultipleField("Who may sign at this step?", widget=GovCheckboxesInput(), validate_choice=False,
                                 choices=[SelectChoice(k, v) for k, v in APPROVER_LEVELS.items()])
    declaration = long("Declaration")

    def validate_levels(self, field) -> None:
        if any(level not in APPROVER_LEVELS for level in field.data or []):
            raise ValidationError("Select who may sign from the list")


class SignOffStepsForm(LockedForm):
    steps = items(StepForm, "sign-off steps", MAX_POSTED)
