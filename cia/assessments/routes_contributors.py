"""Who is writing which section: the project lead asks colleagues on the team to write sections."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import RadioField
from wtforms.validators import InputRequired, ValidationError

from cia.assessments import bp
from cia.conditions import Applicable
from cia.data import assessments as data
from cia.data import assignments
from cia.data.workflow import team
from cia.requestinfo import remote_addr
from cia.web import transaction
from cia.web.flow import access_or_404

NOBODY = "nobody"


CHOOSE = "Select who is writing this section, or nobody"


class _PersonField(RadioField):
    def pre_validate(self, form) -> None:
        if self.data not in {value for value, _label in self.choices}:  # a person no longer on the team
            raise ValidationError(CHOOSE)


class AssignForm(FlaskForm):
    person = _PersonField("Who is writing this section?", widget=GovRadioInput(), choices=[],
                          validators=[InputRequired(message=CHOOSE)])


@bp.route("/<int:assessment_id>/contributors")
@login_required
def contributors(assessment_id: int):
    access = access_or_404(assessment_id)
    spec = data.template_for(access.revision)
    shown = Applicable(spec, data.load_assessment(access.revision))
    return render_template("assessments/contributors.html", access=access, spec=spec, applicable=shown.sections,
                           assigned=assignments.for_assessment(assessment_id), title="Who is writing which section")


@bp.route("/<int:assessment_id>/sections/<key>/assign", methods=["GET", "POST"])
@login_required
def assign_section(assessment_id: int, key: str):
    access = access_or_404(assessment_id, edit=True)
    if not access.editable:
        return render_template("assessments/not_editable.html", access=access, title="Who is writing which section"), 409
    if not access.is_owner:
        abort(403)  # the project lead shares out the work
    section = data.template_for(access.revision).section(key)
    if section is None:
        abort(404)
    people = team(access.assessment)
    current = assignments.for_assessment(assessment_id).get(key)
    form = AssignForm()
    form.person.choices = [(str(u.id), u.name or u.email) for u in people] + [(NOBODY, "Nobody for now")]
    if form.validate_on_submit():
        chosen = None if form.person.data == NOBODY else int(form.person.data)
        try:
            emails = assignments.assign(access, key, chosen, current_user.user, remote_addr())
        except assignments.NotOnTheTeam as refused:
            transaction.roll_back()
            form.person.errors = [str(refused)]
        else:
            transaction.after_commit(lambda: _deliver(emails))
            who = next((u.name for u in people if u.id == chosen), "")
            flash(f"{who} is writing “{section.title}”. They have been told." if who
                  else f"Nobody is writing “{section.title}” for now.")
            return redirect(url_for("assessments.contributors", assessment_id=assessment_id))
    elif not form.is_submitted():
        form.person.data = str(current.id) if current else NOBODY
    return render_template("assessments/assign.html", access=access, section=section, form=form,
                           title=f"Who is writing {section.title}?"), (400 if form.errors else 200)


def _deliver(emails) -> None:
    from cia.data import notifications

    notifications.deliver(emails)
