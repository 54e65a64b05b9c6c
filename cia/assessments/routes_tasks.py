"""Start an assessment, its task list, and the tasks that are not template sections."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cia import workflow as wf
from cia.assessments import bp
from cia.conditions import Applicable
from cia.data import assessments as data
from cia.data import assignments, designer
from cia.data import workflow as flow
from cia.domain import STANDARD_PAGES, WORKFORCE_CHARACTERISTICS
from cia.requestinfo import remote_addr
from cia.web import forms, section_pages
from cia.web.editing import generic_namer
from cia.web.flow import Page, access_or_404, edit_part
from cia.web.labels import TASK_STATUS_LABELS
from cia.workflow import APPROVER_LEVELS


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

    statuses = {"details": status("details")}
    statuses |= {page: status(page) for page in ("team", "engagement", "staff") if shown is None or shown.page(page)}
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
    spec = data.template_for(access.revision)
    shown = Applicable(spec, assessment)
    statuses = task_statuses(access, stored, shown)
    return render_template(
        "assessments/task_list.html",
        access=access,
        spec=spec,
        applicable_sections=shown.sections,
        standard_pages=shown.pages,
        ended_after=shown.ended_after,
        first_endpoint=section_pages.first_endpoint,
        section_hint=section_pages.hint,
        data=assessment,
        statuses=statuses,
        status_labels=TASK_STATUS_LABELS,
        counts=report.counts_by_part(),
        report=report,
        completed=sum(1 for s in statuses.values() if s == "completed"),
        assigned=assignments.for_assessment(assessment_id),
        title=assessment.details.name or "Assessment",
    )


# --- proposal details ------------------------------------------------------------


@bp.route("/<int:assessment_id>/details", methods=["GET", "POST"])
@login_required
def details(assessment_id: int):
    access = access_or_404(assessment_id, edit=True)
    spec = data.template_for(access.revision)
    stored = data.load_part(access.revision, "details").data
    page = Page("details", forms.DetailsForm, "assessments/details.html", "Proposal details",
                prepare_form=lambda form: form.offer(spec, stored))
    levels = flow.approver_levels()
    signed_off_by = [(size.label, APPROVER_LEVELS.get(level, level))
                     for size in spec.project_size_options if (level := wf.required_level(spec, size.key, levels))]
    return edit_part(access, page, _after(access, spec, "details"), spec=spec, signed_off_by=signed_off_by)


def _after(access: data.Access, spec, page: str):
    """The page after `page`, worked out once saved (which pages there are can depend on answers)."""
    return lambda: section_pages.after_standard(spec, page, access.assessment.id,
                                                Applicable(spec, data.load_assessment(access.revision)))


def _left_out(access: data.Access, spec, page: str):
    """The page shown instead of a standard page the assessment does not have; None when it has it."""
    shown = Applicable(spec, data.load_assessment(access.revision))
    if shown.page(page):
        return None
    listed = next((p for p in spec.standard_pages or [] if p.key == page), None)
    return render_template("assessments/does_not_apply.html", access=access, spec=spec, what="page",
                           section={"title": STANDARD_PAGES[page], "show_if": listed.show_if if listed else None},
                           title=STANDARD_PAGES[page])


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
    spec = data.template_for(access.revision)
    if (left_out := _left_out(access, spec, "team")) is not None:
        return left_out
    page = Page("team", forms.TeamForm, "assessments/team.html", "Project team",
                namer=generic_namer({"members": "Team member"}), completeness=_team_completeness)
    return edit_part(access, page, _after(access, spec, "team"), spec=spec)


# --- engagement and consultation -------------------------------------------------------


@bp.route("/<int:assessment_id>/engagement", methods=["GET", "POST"])
@login_required
def engagement(assessment_id: int):
    access = access_or_404(assessment_id, edit=True)
    spec = data.template_for(access.revision)
    if (left_out := _left_out(access, spec, "engagement")) is not None:
        return left_out
    page = Page("engagement", forms.EngagementForm, "assessments/engagement.html", "Engagement and consultation",
                namer=generic_namer({"activities": "Activity"}))
    return edit_part(access, page, _after(access, spec, "engagement"))


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
    if (left_out := _left_out(access, data.template_for(access.revision), "staff")) is not None:
        return left_out
    page = Page("staff", forms.StaffForm, "assessments/staff.html", "Staff impact",
                unpack=_staff_unpack if request.method == "GET" else (lambda d: d),
                namer=generic_namer({"profile": "Workforce profile line"}))
    return edit_part(access, page, url_for("assessments.check_answers", assessment_id=assessment_id),
                     spec=data.template_for(access.revision))
