"""Forms of the sign-off pages. Messages say what to do, in the GOV.UK voice."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovTextArea
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import Length, Optional

from cia import richtext
from cia.data.workflow import DECLARATION, MAX_COMMENT


def _clean(value):
    return richtext.clean(value).strip() if value else value


class ConfirmForm(FlaskForm):
    """A confirmation page's button: the revision the person saw, so a stale page changes nothing."""

    revision = HiddenField()


class SignOffForm(FlaskForm):
    #: Its label is the approver's declaration (cia.data.workflow.declaration_for), set by the page.
    declaration = BooleanField(DECLARATION, widget=GovCheckboxInput())
    comment = TextAreaField("Comment (optional)", filters=[_clean], widget=GovTextArea(), validators=[
        Optional(), Length(max=MAX_COMMENT, message=f"Your comment must be {MAX_COMMENT:,} characters or fewer")])
    submission = HiddenField()


class RequestChangesForm(FlaskForm):
    """The general comment; the comments on rows are read by name (one box per row, see the route)."""

    comment = TextAreaField("What needs to change?", filters=[_clean], widget=GovTextArea(), validators=[
        Optional(), Length(max=MAX_COMMENT, message=f"Your comment must be {MAX_COMMENT:,} characters or fewer")])
    submission = HiddenField()


class ThreadForm(FlaskForm):
    """A comment or a reply; whether it is empty or too long is the data layer's check (one message)."""

    text = TextAreaField("Your comment", widget=GovTextArea())
