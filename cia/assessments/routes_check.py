"""Check your assessment: the checker's findings, and acknowledging warnings with a reason."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cia import richtext
from cia.assessments import bp
from cia.checks import ERROR, WARNING
from cia.data import assessments as data
from cia.data import workflow as flow
from cia.data.parts import Acknowledgements
from cia.domain import Acknowledgement
from cia.extensions import db
from cia.requestinfo import remote_addr
from cia.web import checking
from cia.web.flow import access_or_404

MAX_REASON = 2000
ERROR_NOT_ACKNOWLEDGED = ("Errors cannot be acknowledged: fix them. Personal details of members of the public "
                          "must be removed from a CIA that will be published")


def _config(access):
    """The checker at the stage the submission will use: a CIA to be published is checked for publication."""
    return checking.config(flow.stage_for_revision(access.revision))


def _render(access, *, problems: dict[str, str] | None = None, typed: dict[str, str] | None = None, status=200):
    assessment, report = data.check(access.revision, _config(access))
    findings = checking.shown(report, assessment, access.assessment.id)
    tasks = checking.by_task(findings, assessment, data.template_for(access.revision), access.assessment.id)
    return render_template(
        "assessments/check.html", access=access, report=report, title="Check your assessment",
        tasks=tasks, problems=problems or {}, typed=typed or {},
    ), status


@bp.route("/<int:assessment_id>/check")
@login_required
def check(assessment_id: int):
    return _render(access_or_404(assessment_id))


@bp.route("/<int:assessment_id>/check/acknowledge", methods=["POST"])
@login_required
def acknowledge(assessment_id: int):
    access = access_or_404(assessment_id, edit=True)
    if not access.editable:
        return render_template("assessments/not_editable.html", access=access, title="Check your assessment"), 409
    key = request.form.get("finding_key", "")
    reason = richtext.clean(request.form.get("reason", "")).strip()
    _, report = data.check(access.revision, _config(access))
    warning = next((f for f in report.findings if f.key == key and f.severity == WARNING), None)
    if warning is None and any(f.key == key and f.severity == ERROR for f in report.findings):
        flash(ERROR_NOT_ACKNOWLEDGED, "important")
        return redirect(url_for("assessments.check", assessment_id=assessment_id) + "#" + _anchor(key))
    if warning is None:
        flash("That warning no longer applies: the checker has been run again.")
        return redirect(url_for("assessments.check", assessment_id=assessment_id))
    problem = ""
    if not reason:
        problem = "Enter why this warning does not need to be fixed"
    elif len(reason) > MAX_REASON:
        problem = f"Reason must be {MAX_REASON:,} characters or fewer"
    if problem:
        return _render(access, problems={key: problem}, typed={key: reason}, status=200)
    loaded = data.load_part(access.revision, "acknowledgements")
    items = [a for a in loaded.data.items if a.finding_key != key]
    items.append(Acknowledgement(finding_key=key, rule_id=warning.rule_id, reason=reason,
                                 by=current_user.user.name,
                                 at=datetime.now(UTC).replace(microsecond=0).isoformat()))
    result = data.save_part(access.revision, "acknowledgements", Acknowledgements(items=items), loaded.version,
                            current_user.user, remote_addr())
    if not result.ok:  # someone acknowledged something at the same moment: try once more on fresh data
        db.session.rollback()
        return redirect(url_for("assessments.check", assessment_id=assessment_id))
    data.check(access.revision, _config(access))
    flash("Warning acknowledged. Approvers will see your reason.")
    return redirect(url_for("assessments.check", assessment_id=assessment_id) + "#" + _anchor(key))


def _anchor(finding_key: str) -> str:
    """The id of a finding on the page (its key with the characters an id should not hold replaced)."""
    return "finding-" + finding_key.replace("@", "-").replace(":", "-")
