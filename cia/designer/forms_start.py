"""Forms of starting a template: how to start, from scratch, from a shipped template, as a duplicate.

Apart from the designer's other forms (cia/designer/forms.py) because none of them edits a draft:
each creates a template, so none carries a draft's fingerprint. The name's uniqueness is the data
layer's to decide (cia/data/designer.py `start_template`), inside the transaction that creates it.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from cia.designer.forms import short

HOW = {
    "blank": ("From scratch", "An empty template with one section, which you then build page by page."),
    "shipped": ("By copying a template that comes with this service", "Then change what your council needs."),
    "upload": ("By uploading a YAML file", "A template downloaded from this or another installation."),
}


def _name():
    return short("Template name", required="Enter the name of the template")


class StartForm(FlaskForm):
    how = RadioField("How do you want to start?", widget=GovRadioInput(),
                     choices=[SelectChoice(k, label) for k, (label, _) in HOW.items()],
                     validators=[DataRequired(message="Select how you want to start the template")],
                     invalid_choice_message="Select how you want to start the template")


class BlankForm(FlaskForm):
    name = _name()
    organisation = short("Organisation")
    section = short("Title of the first section", required="Enter the title of the first section")


class ShippedForm(FlaskForm):
    shipped = RadioField("Which template do you want to copy?", widget=GovRadioInput(), choices=[],
                         validators=[DataRequired(message="Select the template to copy")],
                         invalid_choice_message="Select the template to copy")
    name = _name()
    organisation = short("Organisation")


class DuplicateForm(FlaskForm):
    #: The version copied and its fingerprint, as the page showed them: a change since is refused.
    source = HiddenField()
    spec_hash = HiddenField()
    name = _name()
    organisation = short("Organisation")
