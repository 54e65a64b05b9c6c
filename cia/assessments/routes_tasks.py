"""Start an assessment, its task list, and the tasks that are not template sections."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cia.assessments import bp, forms, section_pages
from cia.assessments.editing import generic_namer
from cia.assessments.flow import Page, access_or_404, edit_part
from cia.conditions import Applicable
from cia.data import assessments as data
from cia.data import designer
from cia.domain import WORKFORCE_CHARACTERISTICS
from cia.extensions import db
from cia.requestinfo import remote_addr

STATUS_LABELS = {"not_started": "Not started", "in_progress": "In progress", "completed": "Completed"}


@bp.route("/new", methods=["GET", "POST"])
@login_required
def start():
    form = forms.NewAssessmentForm()
    # Issue 7: when several templates are published, the author chooses one (else the newest is used).
    startable = {str(v.id): v for v in designer.startable_versions()}
    if len(startable) > 1:
        form.template.choices = [forms.SelectChoice(k, v.name) for k, v in startable.items()]
        form.template.validators = [forms.DataRequired(message="Select the template to use")]
    if form.validate_on_submit():
        assessment = data.create(current_user.user, form.name.data, remote_addr(),
                                 version=startable.get(form.template.data or "") if len(startable) > 1 else None)
        db.session.commit()
        return redirect(url_for("assessments.task_list", assessment_id=assessment.id))
    return render_template("assessments/start.html", form=form, title="Start a new assessment",
                           startable=startable if len(startable) > 1 else {})


def task_statuses(access: data.Access, stored: dict[str, data.Loaded], shown: Applicable | None = None) -> dict[str, str]:
    spec = data.template_for(access.revision)

    def status(*names: str, completed_in: str | None = None) -> str:
        done_part = stored.get(completed_in or names[0])
        if done_part and getattr(done_part.data, "completed", False):
            return "completed"
        if any(stored.get(n) and stored[n].saved_before for n in names):
            return "in_progress"
        return "not_started"

    statuses = {
        "details": status("details"),
        "team": status("team"),
        "engagement": status("engagement"),
        "staff": status("staff"),
    }
    for section in spec.sections:
        if shown is not None and not shown.section(section):
            continue  # does not apply: not a task
        done_in = f"evidence:{section.key}" if section.evidence_base else f"questions:{section.key}"
        statuses[f"section:{section.key}"] = status(
            f"questions:{section.key}", f"section:{section.key}", f"evidence:{section.key}", completed_in=done_in
        )
    return statuses


@bp.route("/<int:assessment_id>")
@login_required
def task_list(assessment_id: int):
    access = access_or_404(assessment_id)
    stored = data.part_versions(access.revision)
    assessment, report = data.check(access.revision, stored=stored)
    db.session.commit()
    spec = data.template_for(access.revision)
    shown = Applicable(spec, assessment)
    statuses = task_statuses(access, stored, shown)
    return render_template(
        "assessments/task_list.html",
        access=access,
        spec=spec,
        applicable_sections=shown.sections,
        first_endpoint=section_pages.first_endpoint,
        section_hint=section_pages.hint,
        data=assessment,
        statuses=statuses,
        status_labels=STATUS_LABELS,
        counts=report.counts_by_part(),
        report=report,
        completed=sum(1 for s in statuses.values() if s == "completed"),
        title=assessment.details.name or "Assessment",
    )


# --- proposal details ------------------------------------------------------------


@bp.route("/<int:assessment_id>/details", methods=["GET", "POST"])
@login_required
def details(assessment_id: int):
    access = access_or_404(assessment_id, edit=True)
    page = Page("details", forms.DetailsForm, "assessments/details.html", "Proposal details")
    return edit_part(access, page, url_for("assessments.team", assessment_id=assessment_id),
                     spec=data.template_for(access.revision))


# --- project team ------------------------------------------------------------------


def _team_completeness(team, checked=None) -> list[tuple[str, str]]:
    unknown = set(data.unknown_account_emails(
        [m.account_email for m in team.members if m.edit_access == "yes" and m.account_email]))
    problems = []
    for index, member in enumerate(team.members):
        if member.edit_access == "yes" and not member.account_email:
            problems.append((f"members-{index}-account_email",
                             f"Team member {index + 1}: enter the email address of their account to give them edit access"))
        elif member.account_email and member.account_email.strip().lower() in unknown:
            problems.append((f"members-{index}-account_email",
                             f"Team member {index + 1}: there is no account for {member.account_email}. "
                             "Ask an administrator to create one, or remove the email address"))
    return problems


@bp.route("/<int:assessment_id>/team", methods=["GET", "POST"])
@login_required
def team(assessment_id: int):
    access = access_or_404(assessment_id, edit=True)
    page = Page("team", forms.TeamForm, "assessments/team.html", "Project team",
                namer=generic_namer({"members": "Team member"}), completeness=_team_completeness)
    return edit_part(access, page, url_for("assessments.engagement", assessment_id=assessment_id),
                     spec=data.template_for(access.revision))


# --- engagement and consultation -------------------------------------------------------


@bp.route("/<int:assessment_id>/engagement", methods=["GET", "POST"])
@login_required
def engagement(assessment_id: int):
    access = access_or_404(assessment_id, edit=True)
    spec = data.template_for(access.revision)
    first = spec.sections[0] if spec.sections else None
    next_url = (section_pages.first_page(first, assessment_id) if first
                else url_for("assessments.task_list", assessment_id=assessment_id))
    page = Page("engagement", forms.EngagementForm, "assessments/engagement.html", "Engagement and consultation",
                namer=generic_namer({"activities": "Activity"}))
    return edit_part(access, page, next_url)


# --- staff impact -------------------------------------------------------------------


def _staff_unpack(stored: dict) -> dict:
    """A new workforce profile starts with one line per protected characteristic."""
    if not stored.get("profile"):
        stored = {**stored, "profile": [{"characteristic": c, "group": "", "pre_percent": "", "post_percent": ""}
                                        for c in WORKFORCE_CHARACTERISTICS]}
    return stored


@bp.route("/<int:assessment_id>/staff", methods=["GET", "POST"])
@login_required
def staff(assessment_id: int):
    access = access_or_404(assessment_id, edit=True)
    page = Page("staff", forms.StaffForm, "assessments/staff.html", "Staff impact",
                unpack=_staff_unpack if request.method == "GET" else (lambda d: d),
                namer=generic_namer({"profile": "Workforce profile line"}))
    return edit_part(access, page, url_for("assessments.check_answers", assessment_id=assessment_id),
                     spec=data.template_for(access.revision))
