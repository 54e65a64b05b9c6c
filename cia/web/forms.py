"""Forms for the authoring pages.

Repeatable items are `ItemList(FormField(plain wtforms.Form))` (a FieldList, see cia/formfields.py) so the error
summary links to `#rows-1-risks-0-mitigations-0-text`. Messages name the row
("Risk 2 in Transport: ...") because "Enter a mitigation" three times helps nobody.
Completeness (a risk needs a mitigation, a row needs groups) is the checker's
business; these forms refuse only what cannot be stored: too long, not a date,
not one of the choices.
"""

from __future__ import annotations

import calendar

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovTextArea, GovTextInput
from wtforms import (
    BooleanField,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, StopValidation, ValidationError

from cia import richtext
from cia.domain import WORKFORCE_CHARACTERISTICS, YES_NO
from cia.formfields import ItemIdField, ItemList, is_number

#: Generous limits: a real CIA's longest answer is about 900 characters.
LONG_TEXT = 20_000
SHORT_TEXT = 500
MAX_ROWS = 100
MAX_RISKS = 50
MAX_MITIGATIONS = 30
MAX_BENEFITS = 50
MAX_ITEMS = 200


def choices(mapping: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(k, v) for k, v in mapping.items()]


def _too_long(label: str, limit: int) -> Length:
    # WTForms formats the message with %, so a label such as "Before the change (%)" must be escaped.
    return Length(max=limit, message=f"{label} must be {limit:,} characters or fewer".replace("%", "%%"))


def long_text(label: str, **kwargs) -> TextAreaField:
    return TextAreaField(label, filters=[richtext.clean], widget=GovTextArea(),
                         validators=[Optional(), _too_long(label, LONG_TEXT)], **kwargs)


def short_text(label: str, limit: int = SHORT_TEXT, **kwargs) -> StringField:
    return StringField(label, filters=[_strip_line], widget=GovTextInput(),
                       validators=[Optional(), _too_long(label, limit)], **kwargs)


def _strip_line(value):
    return richtext.clean_line(value) if value is not None else value


class DateParts(Form):
    """A GOV.UK date input whose day may be left out ("a month and year")."""

    day = StringField("Day", filters=[_strip_line])
    month = StringField("Month", filters=[_strip_line])
    year = StringField("Year", filters=[_strip_line])

    def iso(self) -> str:
        """"YYYY-MM-DD", "YYYY-MM", or "" when empty; call after validation."""
        day, month, year = (self.day.data or ""), (self.month.data or ""), (self.year.data or "")
        if not (day or month or year):
            return ""
        if day:
            return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        return f"{int(year):04d}-{int(month):02d}"

    @staticmethod
    def parts_of(iso: str) -> dict[str, str]:
        pieces = (iso or "").split("-")
        return {"year": pieces[0] if pieces and pieces[0] else "",
                "month": str(int(pieces[1])) if len(pieces) > 1 else "",
                "day": str(int(pieces[2])) if len(pieces) > 2 else ""}


def date_problem(parts: DateParts, what: str, *, day_required: bool) -> str:
    """The GOV.UK date-input message for what is wrong, or "" if the date is fine or empty."""
    day, month, year = (parts.day.data or ""), (parts.month.data or ""), (parts.year.data or "")
    if not (day or month or year):
        return ""
    if not month or not year or (day_required and not day):
        missing = [name for name, value in (("day", day if day_required else "x"), ("month", month), ("year", year))
                   if not value]
        return f"{what} must include a {' and '.join(missing)}"
    if not (is_number(month, 4) and is_number(year, 4) and (not day or is_number(day, 4))):
        return f"{what} must be a real date, using numbers"
    if len(year) != 4 or not 1900 <= int(year) <= 2100:
        return f"{what}: year must include 4 numbers, like 2026"
    if not 1 <= int(month) <= 12:
        return f"{what} must be a real date: month must be between 1 and 12"
    if day and not 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
        return f"{what} must be a real date"
    return ""


def date_problem_field(parts: DateParts, day_required: bool):
    """The part of a date input the message is about (the error summary links to it)."""
    day, month, year = parts.day, parts.month, parts.year
    for f in (day, month, year):  # something missing
        if not f.data and (f is not day or day_required):
            return f
    for f in (day, month, year):  # not a number
        if f.data and not is_number(f.data, 4):
            return f
    if len(year.data) != 4 or not 1900 <= int(year.data) <= 2100:
        return year
    if not 1 <= int(month.data) <= 12:
        return month
    return day if day.data else month


class DateInputField(FormField):
    """Day (optional unless `day_required`), month and year, checked as one GOV.UK date input."""

    def __init__(self, label: str, day_required: bool = False, **kwargs):
        super().__init__(DateParts, label, **kwargs)
        self.day_required = day_required

    def validate(self, form, extra_validators=()):
        self.form.validate()
        problem = date_problem(self.form, self.label.text, day_required=self.day_required)
        if not problem:
            return True
        target = date_problem_field(self.form, self.day_required)
        target.errors = [problem]
        self.form._errors = None
        return False

    def iso(self) -> str:
        return self.form.iso()

    def set_iso(self, iso: str) -> None:
        for name, value in DateParts.parts_of(iso).items():
            self.form[name].data = value


class RequiredWhen:
    """The field must be answered when another field has a given value ("Other" -> describe it).

    Put it before Optional(): Optional() stops the chain on an empty field, inline
    validate_<field> methods included, so a check written that way never runs.
    """

    def __init__(self, other: str, value, message):
        #: `value` and `message` may be worked out from the form (the template's choices are set on it).
        self.other, self.value, self.message = other, value, message

    def __call__(self, form, field):
        values = self.value(form) if callable(self.value) else (self.value,)
        if form[self.other].data in values and not (field.data or "").strip():
            field.errors[:] = []
            raise StopValidation(self.message(form) if callable(self.message) else self.message)


def yes_no(label: str, message: str) -> RadioField:
    return RadioField(label, choices=choices(YES_NO), validators=[Optional()], widget=GovRadioInput(),
                      invalid_choice_message=message)


class CompletedMixin:
    completed = RadioField("Have you completed this section?", widget=GovRadioInput(),
                           choices=[SelectChoice("yes", "Yes, I've completed this section"),
                                    SelectChoice("no", "No, I'll come back to it later")],
                           validators=[Optional()], invalid_choice_message="Select whether you have completed this section")


# --- start ---------------------------------------------------------------------


class NewAssessmentForm(FlaskForm):
    name = StringField("What is the name of the proposal?", filters=[_strip_line], widget=GovTextInput(),
                       validators=[DataRequired(message="Enter the name of the proposal"),
                                   Length(max=SHORT_TEXT, message=f"Name of the proposal must be {SHORT_TEXT} characters or fewer")])
    #: Asked only when more than one template is published: the route sets the choices.
    template = RadioField("Which template do you want to use?", widget=GovRadioInput(), choices=[],
                          validators=[Optional()])


# --- proposal details ----------------------------------------------------------


class DetailsForm(CompletedMixin, FlaskForm):
    version = HiddenField()
    name = StringField("Name of Proposal", filters=[_strip_line], widget=GovTextInput(),
                       validators=[DataRequired(message="Enter the name of the proposal"),
                                   Length(max=SHORT_TEXT, message=f"Name of Proposal must be {SHORT_TEXT} characters or fewer")])
    sponsor = short_text("Project Sponsor (if applicable)", 200)
    lead = short_text("Project Manager (if applicable) or Lead", 200)
    date = DateInputField("Date")
    directorate = short_text("Directorate or service", 300)
    summary = long_text("Summary of the proposal")
    #: The choices below are the template version's (`offer`): a key it does not offer is refused.
    decision_route = RadioField("How will the decision be made?", widget=GovRadioInput(), choices=[],
                                validators=[Optional()], invalid_choice_message="Select how the decision will be made")
    decision_route_other = StringField("Describe how the decision will be made", filters=[_strip_line], widget=GovTextInput(),
                                       validators=[RequiredWhen("decision_route", lambda form: form.other_routes,
                                                                "Describe how the decision will be made"),
                                                   Length(max=300, message="Describe how the decision will be made in 300 characters or fewer")])
    decision_date = DateInputField("Expected decision date", day_required=True)
    project_size = RadioField("How large is the project?", widget=GovRadioInput(), choices=[], validators=[Optional()],
                              invalid_choice_message="Select how large the project is")
    publication_status = RadioField("Can this assessment be published?", widget=GovRadioInput(), choices=[],
                                    validators=[Optional()],
                                    invalid_choice_message="Select whether this assessment can be published")
    exempt_paragraph = SelectField("Paragraph of Schedule 12A", widget=GovSelect(), choices=[], validators=[
        RequiredWhen("publication_status", lambda form: form.exempt_statuses,
                     lambda form: f"Select the {form.exemption_question_words} that makes this assessment exempt"),
        Optional()])

    #: Routes that ask the authors to say which, statuses that ask for a paragraph (set by `offer`).
    other_routes: tuple[str, ...] = ()
    exempt_statuses: tuple[str, ...] = ()
    exemption_question_words = "paragraph"

    def offer(self, spec, stored=None) -> None:
        """Offer the template version's decision routes, project sizes and publication statuses.

        An answer already stored that the version does not list (an imported assessment's) is offered
        too, under its key, so saving the page never drops it; no other key is accepted.
        """
        def with_stored(options: list[SelectChoice], name: str) -> list[SelectChoice]:
            kept = getattr(stored, name, "") if stored is not None else ""
            return options + [SelectChoice(kept, kept)] if kept and kept not in {o.value for o in options} else options

        self.decision_route.choices = with_stored(
            [SelectChoice(r.key, r.label) for r in spec.decision_route_options], "decision_route")
        self.project_size.choices = with_stored(
            [SelectChoice(s.key, s.label) for s in spec.project_size_options], "project_size")
        self.publication_status.choices = with_stored(
            [SelectChoice(p.key, p.label) for p in spec.publication_options], "publication_status")
        self.other_routes = tuple(r.key for r in spec.decision_route_options if r.other)
        exempt = [p for p in spec.publication_options if p.asks_paragraph]
        self.exempt_statuses = tuple(p.key for p in exempt)
        question = exempt[0].exemption_question.strip() if exempt else ""
        self.exemption_question_words = (question[0].lower() + question[1:]) if question else "paragraph"
        self.exempt_paragraph.choices = with_stored([SelectChoice("", "Choose a paragraph")] + [
            SelectChoice(o.key, o.label or o.key) for p in exempt for o in p.exemption_paragraphs], "exempt_paragraph")
        self.exempt_paragraph.invalid_choice_message = (
            f"Select the {self.exemption_question_words} that makes this assessment exempt")


# --- project team --------------------------------------------------------------


class TeamMemberForm(Form):
    id = ItemIdField()
    name = short_text("Name", 200)
    job_title = short_text("Job title", 200)
    expertise = short_text("Expertise they bring", 500)
    organisation = short_text("Team or organisation", 300)
    #: Asked only when the template names a team role; the page gives the template's question.
    has_team_role = yes_no("Do they hold the role this template asks about?",
                           "Select whether they hold the role this template asks about")
    date_first_involved = DateInputField("Date first involved")
    account_email = short_text("Email address of their account in this service", 254)
    edit_access = yes_no("Can they edit this assessment?", "Select whether they can edit this assessment")


class TeamForm(CompletedMixin, FlaskForm):
    version = HiddenField()
    members = ItemList(FormField(TeamMemberForm), min_entries=0, max_entries=MAX_ITEMS)


# --- engagement ----------------------------------------------------------------


#: The confidential box's label (a row, an evidence item, an activity, a question's answer, a
#: Community Impact paragraph): the public version of each export withholds what it marks.
CONFIDENTIAL_LABEL = "Mark as confidential: not for the public version"


class ActivityForm(Form):
    id = ItemIdField()
    activity = short_text("Activity", 300)
    groups = long_text("Groups engaged")
    dates = short_text("Dates", 200)
    method = short_text("Method", 300)
    findings = long_text("What did you find out?")
    influence = long_text("How did the findings shape the proposal?")
    # Ticked or not, like a row's box: no value is refused, so nothing typed is lost.
    confidential = BooleanField(CONFIDENTIAL_LABEL)


class EngagementForm(CompletedMixin, FlaskForm):
    version = HiddenField()
    activities = ItemList(FormField(ActivityForm), min_entries=0, max_entries=MAX_ITEMS)


# --- a section's rows ----------------------------------------------------------


class MitigationForm(Form):
    id = ItemIdField()
    text = long_text("Mitigation or recommendation")
    owner = short_text("Owner (optional)", 200)
    target_date = DateInputField("Target date")


#: The key risk box's label; the page and the messages use the same words.
KEY_RISK_LABEL = "Key risk: include it in the executive summary"


class RiskForm(Form):
    id = ItemIdField()
    text = long_text("Risk")
    # A box ticked or not: anything posted but its false values reads as ticked, as a browser only
    # sends the box when it is ticked, so no value can be refused and the typed answers are never lost.
    key_risk = BooleanField(KEY_RISK_LABEL)
    mitigations = ItemList(FormField(MitigationForm), min_entries=0, max_entries=MAX_MITIGATIONS)


class BenefitForm(Form):
    id = ItemIdField()
    text = long_text("Benefit")


class RowForm(Form):
    key = ItemIdField()
    custom = HiddenField()
    title = short_text("Category area", 300)
    question = long_text("What does this category area cover? (optional)")
    impact = RadioField("Is there an impact?", widget=GovRadioInput(), choices=[
        SelectChoice("yes", "Yes, there is an impact"),
        SelectChoice("no", "No impact identified (N/A)")], validators=[Optional()])
    groups = long_text("Which groups will be affected")
    benefits = ItemList(FormField(BenefitForm), min_entries=0, max_entries=MAX_BENEFITS)
    risks = ItemList(FormField(RiskForm), min_entries=0, max_entries=MAX_RISKS)
    maximise = long_text("How will benefits be maximised, and are there any trade-offs?")
    # Ticked or not, like the key risk box: no value is refused, so nothing typed is lost.
    confidential = BooleanField(CONFIDENTIAL_LABEL)


class SectionForm(FlaskForm):
    version = HiddenField()
    rows = ItemList(FormField(RowForm), min_entries=0, max_entries=MAX_ROWS)


# --- a section's Evidence Base -------------------------------------------------


class EvidenceItemForm(Form):
    id = ItemIdField()
    title = short_text("Title", 500)
    kind = RadioField("Type of evidence", widget=GovRadioInput(), choices=[], validators=[Optional()],
                      invalid_choice_message="Select the type of evidence")  # the template's (evidence page)
    period = short_text("Date or period", 200)
    link = short_text("Link (web address)", 2000)
    description = long_text("Description")
    confidential = BooleanField(CONFIDENTIAL_LABEL)  # ticked or not, like a row's box


class EvidenceForm(CompletedMixin, FlaskForm):
    version = HiddenField()
    items = ItemList(FormField(EvidenceItemForm), min_entries=0, max_entries=MAX_ITEMS)
    likelihood = RadioField("How likely are the impacts?", widget=GovRadioInput(), validators=[Optional()])
    size = RadioField("How large are the impacts?", widget=GovRadioInput(), validators=[Optional()])
    direction = RadioField("Overall, is the impact positive or negative?", widget=GovRadioInput(), choices=[],
                           validators=[Optional()], invalid_choice_message="Select whether the impact is positive or negative")
    narrative = long_text("Explain your assessment")


# --- staff impact --------------------------------------------------------------


def _percent(value: str) -> bool:
    if value.lower() == "unknown":
        return True
    try:
        number = float(value.rstrip("%").strip())
    except ValueError:
        return False
    return 0 <= number <= 100


class WorkforceLineForm(Form):
    characteristic = SelectField("Protected characteristic", widget=GovSelect(), choices=[SelectChoice("", "Choose a characteristic")] + [
        SelectChoice(c, c) for c in WORKFORCE_CHARACTERISTICS], validators=[Optional()],
        invalid_choice_message="Select a protected characteristic from the list")
    group = short_text("Group", 200)
    pre_percent = short_text("Before the change (%)", 20)
    post_percent = short_text("After the change (%)", 20)

    def validate_pre_percent(self, field):
        if field.data and not _percent(field.data):
            raise ValidationError("Before the change: enter a percentage between 0 and 100, or Unknown")

    def validate_post_percent(self, field):
        if field.data and not _percent(field.data):
            raise ValidationError("After the change: enter a percentage between 0 and 100, or Unknown")


class StaffForm(CompletedMixin, FlaskForm):
    version = HiddenField()
    affects_staff = yes_no("Does the proposal affect council staff?", "Select whether the proposal affects council staff")
    profile = ItemList(FormField(WorkforceLineForm), min_entries=0, max_entries=MAX_ITEMS)
    job_losses = short_text("How many jobs could be lost?", 20)
    job_loss_groups = long_text("Which groups of staff would the job losses affect?")
    support = long_text("What support is available to staff?")
    hr_protocols = long_text("Which HR protocols have been or will be followed?")

    def validate_job_losses(self, field):
        if field.data and not is_number(field.data.replace(",", ""), 15):
            raise ValidationError("How many jobs could be lost must be a whole number, like 12 (enter 0 for none)")
