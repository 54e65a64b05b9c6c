"""Forms of the template designer.

Every form carries `spec_hash`, the fingerprint of the draft as it was when the page was
opened: a save compares it with the stored draft so two administrators never overwrite each
other silently. Lists (category areas, bullets, scale options) are
`ItemList(FormField(plain Form))`, so the error summary links to `#areas-2-title`.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from cia import richtext
from cia.checks import all_rules
from cia.formfields import ItemList
from cia.safe_parse import TEMPLATE_LIMITS
from cia.templateformat import (
    KEY_MAX,
    MAX_AREAS,
    MAX_BULLETS,
    MAX_COLUMNS,
    MAX_HEADER_FIELDS,
    MAX_RULE_SETTINGS,
    MAX_SCALE_OPTIONS,
    MAX_SECTIONS,  # noqa: F401 - the sections page reads it from here
    SHORT_MAX,
    TEXT_MAX,
)

YAML_MAX_BYTES = TEMPLATE_LIMITS.max_bytes

SEVERITY_LABELS = {"default": "The rule's own severity", "error": "Error: stops the assessment being sent for sign-off",
                   "warning": "Warning: authors must acknowledge it", "advice": "Advice: a nudge only"}


def _text(value):
    return richtext.clean(value) if value is not None else value


def _line(value):
    return richtext.clean_line(value) if value is not None else value


def _too_long(label: str, limit: int) -> Length:
    # WTForms fills in a Length message with "%" formatting: a "%" in the label must be doubled.
    return Length(max=limit, message=f"{label} must be {limit:,} characters or fewer".replace("%", "%%"))


def short(label: str, *, required: str = "", limit: int = SHORT_MAX) -> StringField:
    validators = [DataRequired(message=required)] if required else [Optional()]
    validators.append(_too_long(label, limit))
    return StringField(label, filters=[_line], widget=GovTextInput(), validators=validators)


def long(label: str, *, required: str = "") -> TextAreaField:
    validators = [DataRequired(message=required)] if required else [Optional()]
    validators.append(_too_long(label, TEXT_MAX))
    return TextAreaField(label, filters=[_text], widget=GovTextArea(), validators=validators)


def yes_no(label: str) -> RadioField:
    message = f"Select yes or no: {label[0].lower()}{label[1:].rstrip('?')}"
    return RadioField(label, widget=GovRadioInput(), choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
                      validators=[DataRequired(message=message)], invalid_choice_message=message)


class LockedForm(FlaskForm):
    spec_hash = HiddenField()


class ConfirmForm(LockedForm):
    """Publish, retire, delete, create a version, move an assessment: a button and the CSRF token."""


# --- the template's own text ---------------------------------------------------------


class DetailsForm(LockedForm):
    name = short("Template name", required="Enter the name of the template")
    organisation = short("Organisation")
    sections_intro = long("Introduction to the sections")
    evidence_base_label = short("Evidence Base heading")
    evidence_base_guidance = long("Evidence Base guidance")
    evidence_base_examples = long("Examples of evidence")
    closing_instruction = long("Closing instruction")
    document_title = short("Document title")
    staff_guidance = long("Guidance on the staff impact page")
    team_role_name = short("Team role")
    team_role_plural = short("Team role, more than one")
    team_role_question = short("Question asked for each team member")
    team_role_guidance = long("Guidance about the team role")


class HeaderFieldForm(Form):
    key = HiddenField()
    label = short("Label", required="Enter the label")
    guidance = long("Guidance")
    optional = RadioField("Can authors leave it blank?", widget=GovRadioInput(),
                          choices=[SelectChoice("yes", "Yes, it is optional"), SelectChoice("no", "No, it is required")],
                          validators=[Optional()], invalid_choice_message="Select whether authors can leave it blank")


class HeaderFieldsForm(LockedForm):
    headers = ItemList(FormField(HeaderFieldForm), min_entries=0, max_entries=MAX_HEADER_FIELDS)


class ColumnForm(Form):
    key = HiddenField()
    label = short("Column heading", required="Enter the column heading")
    guidance = long("Guidance")


class ColumnsForm(LockedForm):
    columns_intro = long("Introduction to the columns")
    columns = ItemList(FormField(ColumnForm), min_entries=0, max_entries=MAX_COLUMNS)


class BulletForm(Form):
    key = HiddenField()
    text = long("Text", required="Enter the text of the bullet, or remove it")


class BulletsForm(LockedForm):
    heading = short("Heading")
    bullets = ItemList(FormField(BulletForm), min_entries=0, max_entries=MAX_BULLETS)


# --- sections and category areas ------------------------------------------------------------


class NewSectionForm(LockedForm):
    title = short("Section title", required="Enter the title of the section")


class AreaForm(Form):
    key = HiddenField()
    title = short("Title", required="Enter the title of the category area")
    question = long("Guiding question")
    guidance = long("Guidance")


class SectionForm(LockedForm):
    title = short("Section title", required="Enter the title of the section")
    intro = long("Introduction")
    prompts_label = short("Heading of the prompts")
    prompts = long("Prompts")
    row_label_header = long("Heading of the category areas")
    allow_custom_rows = yes_no("Can authors add their own category areas?")
    legislation = long("Legislation to consider")
    mandatory_engagement = short("Who must be engaged as part of the Project Team")
    evidence_base_label = short("Evidence Base heading")
    evidence_base_guidance = long("Evidence Base guidance")
    staff_row_key = SelectField("Category area for the impact on staff", widget=GovSelect(), validators=[Optional()],
                                validate_choice=False)
    areas = ItemList(FormField(AreaForm), min_entries=0, max_entries=MAX_AREAS)


# --- scales and rules ------------------------------------------------------------------------


class ScaleOptionForm(Form):
    key = StringField("Key", filters=[lambda v: (v or "").strip().lower()], widget=GovTextInput(), validators=[
        Optional(), _too_long("Key", KEY_MAX),
        Regexp(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$",
               message='Key must be lower-case letters and numbers, joined by "_" or "-", like very_likely')])
    locked = HiddenField()  # "1" once saved: the key no longer changes
    label = short("Label", required="Enter the label of the option")
    description = long("Description")


class ScalesForm(LockedForm):
    likelihood = ItemList(FormField(ScaleOptionForm), min_entries=0, max_entries=MAX_SCALE_OPTIONS)
    impact = ItemList(FormField(ScaleOptionForm), min_entries=0, max_entries=MAX_SCALE_OPTIONS)


class RuleForm(Form):
    rule_id = HiddenField()
    enabled = RadioField("Is this rule on?", widget=GovRadioInput(), validators=[Optional()],
                         choices=[SelectChoice("yes", "On"), SelectChoice("no", "Off")],
                         invalid_choice_message="Select whether the rule is on or off")
    severity = RadioField("Severity", widget=GovRadioInput(), validators=[Optional()],
                          choices=[SelectChoice(k, v) for k, v in SEVERITY_LABELS.items()],
                          invalid_choice_message="Select the severity of the rule")
    title = short("What the checklist calls this rule")
    sentence = long("The sentence of your template this rule rests on")
    #: The template's own words for the rule (CIA-R10 and CIA-R15 only), one a line.
    terms = TextAreaField("Terms", widget=GovTextArea(), validators=[Optional()])


def _parameter_fields() -> None:
    """A field on every rule's form for each parameter any rule declares (`p_<name>`): the page shows
    a rule's own, each offering the draft's qualifying questions (set per page, so not checked here:
    the page's `apply` says what is wrong with a choice)."""
    many: dict[str, bool] = {}
    for rule in all_rules():
        for parameter in rule.parameters:
            if many.setdefault(parameter.name, parameter.many) != parameter.many:
                raise ValueError(f"rule parameter {parameter.name} is one choice for one rule and several for another")
    for name, several in many.items():
        setattr(RuleForm, f"p_{name}", SelectMultipleField(
            name, widget=GovCheckboxesInput() if several else GovSelect(), validators=[Optional()],
            validate_choice=False))


_parameter_fields()


class RulesForm(LockedForm):
    rules = ItemList(FormField(RuleForm), min_entries=0, max_entries=MAX_RULE_SETTINGS)


# --- YAML ------------------------------------------------------------------------------------


class UploadForm(LockedForm):
    file = FileField("Upload a YAML file", widget=GovFileInput())
    publish = RadioField("Publish it straight away?", widget=GovRadioInput(), validators=[Optional()],
                         choices=[SelectChoice("no", "No, keep it as a draft to check first"),
                                  SelectChoice("yes", "Yes, publish it now")],
                         invalid_choice_message="Select whether to publish it straight away")
