"""Forms of the sign-off pages. Messages say what to do, in the GOV.UK voice."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovCheckboxInput, GovTextArea
from wtforms import BooleanField, HiddenField, SelectMultipleField, TextAreaField
from wtforms.validators import Length, Optional

from cia import richtext
from cia.data.workflow import DECLARATION, MAX_COMMENT
from cia.formfields import whole_number


def _clean(value):
    return richtext.clean(value).strip() if value else value


class ChooseApproversForm(FlaskForm):
    """"Who should sign off this assessment?" Checkboxes of the approvers at the level required."""

    approvers = SelectMultipleField("Who should sign off this assessment?", coerce=str, choices=[],
                                    validate_choice=False, widget=GovCheckboxesInput())
    revision = HiddenField()

    def approver_ids(self) -> list[int]:
        """The ids chosen; a value that is not an id becomes 0, which no approver has (so it is refused,
        not silently dropped)."""
        return [whole_number(str(v), 0) for v in (self.approvers.data or [])]


class ConfirmForm(FlaskForm):
    """A confirmation page's button: the revision the person saw, so a stale page changes nothing."""

    revision = HiddenField()


class SignOffForm(FlaskForm):
    declaration = BooleanField(DECLARATION, widget=GovCheckboxInput())
    comment = TextAreaField("Comment (optional)", filters=[_clean], widget=GovTextArea(), validators=[
        Optional(), Length(max=MAX_COMMENT, message=f"Your comment must be {MAX_COMMENT:,} characters or fewer")])
    submission = HiddenField()


class RequestChangesForm(FlaskForm):
    """The general comment; the comments on rows are read by name (one box per row, see the route)."""

    comment = TextAreaField("What needs to change?", filters=[_clean], widget=GovTextArea(), validators=[
        Optional(), Length(max=MAX_COMMENT, message=f"Your comment must be {MAX_COMMENT:,} characters or fewer")])
    submission = HiddenField()
