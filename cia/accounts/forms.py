"""Forms of the account pages. Messages say what to do, in the GOV.UK voice."""

from __future__ import annotations

import re

from flask import current_app
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovPasswordInput,
    GovRadioInput,
    GovTextInput,
)
from wtforms import EmailField, PasswordField, RadioField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from cia import richtext
from cia.models import APPROVER_LEVELS, ROLES
from cia.passwords import problems

ROLE_LABELS = {"author": "Author: starts and fills in assessments",
               "approver": "Approver: signs off assessments at their level",
               "admin": "Administrator: manages accounts, templates and the e-mail outbox"}
LEVEL_CHOICES = [SelectChoice(key, label) for key, label in APPROVER_LEVELS.items()]


#: Bidirectional-text controls: a name must not display reversed in lists and e-mail subjects.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _line(value):
    """One line of plain text, sanitised like every other field, without bidirectional controls."""
    if not isinstance(value, str):
        return value
    return _BIDI_CONTROLS.sub("", richtext.clean(value)).replace("\n", " ").strip()


def _roles_fields():
    """The roles checkboxes and the approver level radios (new fields each call, so they follow
    the fields defined before them in a form)."""
    roles = SelectMultipleField("Roles", choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES],
                                widget=GovCheckboxesInput(), validate_choice=False,
                                validators=[DataRequired(message="Select at least one role")])
    level = RadioField("Approver level (approvers only)", choices=LEVEL_CHOICES, widget=GovRadioInput(),
                       validate_choice=False)
    return roles, level


class _RolesChecks:
    def validate_roles(self, field):
        if any(role not in ROLES for role in field.data or []):
            raise ValidationError("Select roles from the list")

    def validate_level(self, field):
        if field.data and field.data not in APPROVER_LEVELS:
            raise ValidationError("Select an approver level from the list")
        if "approver" in (self.roles.data or []) and not field.data:
            raise ValidationError("Select the approver level")


class RolesForm(_RolesChecks, FlaskForm):
    roles, level = _roles_fields()


class InviteForm(_RolesChecks, FlaskForm):
    name = StringField("Full name", widget=GovTextInput(), filters=[_line], validators=[
        DataRequired(message="Enter their full name"), Length(max=200, message="Full name must be 200 characters or fewer")])
    email = EmailField("Email address", widget=GovTextInput(), validators=[
        DataRequired(message="Enter their email address"),
        Length(max=254, message="Email address must be 254 characters or fewer"),
        Email(message="Enter an email address in the correct format, like name@example.gov.uk",
              check_deliverability=False)])
    roles, level = _roles_fields()


class ConfirmForm(FlaskForm):
    """A confirmation page's button (the CSRF token is the whole form)."""


class _NewPassword:
    """The service's password policy (cia/passwords.py) for the account in `form.account`."""

    def __call__(self, form, field):
        user = form.account
        found = problems(field.data or "", email=user.email, name=user.name,
                         min_length=current_app.config["CIA_PASSWORD_MIN_LENGTH"])
        if found:
            raise ValidationError(found[0])


def _new_password_fields():
    password = PasswordField("New password", widget=GovPasswordInput(), validators=[
        DataRequired(message="Enter a new password"),
        Length(max=200, message="Password must be 200 characters or fewer"), _NewPassword()])
    confirm = PasswordField("Confirm new password", widget=GovPasswordInput(), validators=[
        DataRequired(message="Enter the new password again"),
        EqualTo("password", message="The passwords do not match: enter the same new password twice")])
    return password, confirm


class _ForAccount(FlaskForm):
    def __init__(self, account, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account


class SetPasswordForm(_ForAccount):
    password, confirm = _new_password_fields()


class ChangePasswordForm(_ForAccount):
    current = PasswordField("Current password", widget=GovPasswordInput(), validators=[
        DataRequired(message="Enter your current password"),
        Length(max=200, message="Password must be 200 characters or fewer")])
    password, confirm = _new_password_fields()
