"""What happened and what changed: an assessment's history, the comparison of two revisions, the audit search."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user, login_required

from cia import workflow as wf
from cia.data import assessments as data
from cia.data import dashboard, parts, templates
from cia.data import workflow as flow
from cia.formfields import whole_number
from cia.models import APPROVER_LEVELS, Revision
from cia.review import bp, compare
from cia.web.access import readable_or_404, require_role
from cia.web.labels import part_label, path_label, show_value
from cia.web.paging import date_arg, page_number, pagination, text_arg

ACTION_LABELS = {
    "assessment.created": "Started the assessment",
    "assessment.imported": "Imported the assessment",
    "assessment.exported": "Exported the assessment",
    "assessment.access_granted": "Gave edit access",
    "assessment.access_removed": "Removed edit access",
    "workflow.submit": "Submitted it for sign-off",
    "workflow.withdraw": "Withdrew it from sign-off",
    "workflow.approve": "Signed it off",
    "workflow.request_changes": "Asked for changes",
    "workflow.reopen": "Reopened it as a new revision",
    "workflow.comment_added": "Commented",
    "workflow.comment_replied": "Replied to a comment",
    "workflow.comment_resolved": "Marked a comment as resolved",
    "workflow.comment_reopened": "Reopened a comment",
    "workflow.refused": "Tried something that was not possible at the time",
    "access.refused": "Was refused access",
    "template.assessment_moved": "Moved it to a newer version of the template",
}


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    return action.replace("_", " ").replace(".", ": ").capitalize()


def _describe(event, spec, names: dict[int, str]) -> dict:
    """An audit row in plain English: what was done, and the changes or comments it carried."""
    details = event.details or {}
    lines: list[str] = []
    changes: list[dict] = []
    title = action_label(event.action)
    if event.action == "assessment.saved":
        part = details.get("part", "")
        title = f"Changed {part_label(part, spec)}" if part else "Saved answers"
        for change in details.get("changes") or []:
            where = change.get("field", "")
            changes.append({"field": path_label(where, part, spec), "old": show_value(change.get("old"), part, where, spec),
                            "new": show_value(change.get("new"), part, where, spec)})
        if details.get("more"):
            lines.append(f"And {details['more']} more changes")
    elif event.action in ("assessment.access_granted", "assessment.access_removed"):
        who = names.get(int(event.object_id)) if str(event.object_id).isdigit() else None
        title = f"{title} to {who}" if who and event.action.endswith("granted") else (
            f"{title} from {who}" if who else title)
    elif event.action == "workflow.submit":
        approvers = ", ".join(a.get("name", "") for a in details.get("approvers") or [])
        title = f"Submitted it for sign-off to {approvers}" if approvers else title
        if details.get("what_changed"):
            lines.append(f"What has changed: {details['what_changed']}")
    elif event.action == "workflow.approve":
        if details.get("comment"):
            lines.append(f"Comment: {details['comment']}")
        level = APPROVER_LEVELS.get(details.get("level", ""), "")
        if level:
            lines.append(f"Approver level: {level}")
        lines.append("The assessment is now approved" if details.get("to") == wf.APPROVED
                     else "Waiting for " + ", ".join(details.get("waiting_for") or []))
    elif event.action == "workflow.request_changes":
        if details.get("comment"):
            lines.append(f"Comment: {details['comment']}")
        for comment in details.get("row_comments") or []:
            lines.append(f"On {_row_name(comment.get('part', ''), comment.get('row', ''), spec)}: {comment.get('text')}")
    elif event.action == "workflow.reopen":
        title = f"Reopened it as revision {details.get('new_revision')}"
    elif event.action.startswith("workflow.comment_"):
        where = details.get("about") or _row_name(details.get("part", ""), details.get("row", ""), spec)
        lines.append(f"On {where}: {details.get('text')}")
    elif event.action == "workflow.refused":
        lines.append(details.get("reason", ""))
    return {"title": title, "lines": [line for line in lines if line], "changes": changes}


def _row_name(part: str, row_key: str, spec) -> str:
    label = part_label(part, spec) if part else "the assessment"
    if row_key and part.startswith("section:") and spec:
        section = spec.section(part.split(":", 1)[1])
        area = section.area(row_key) if section else None
        return f"{label}: {area.title if area else row_key}"
    return label


@bp.route("/<int:assessment_id>/history")
@login_required
def history(assessment_id: int):
    access = readable_or_404(assessment_id)
    found = dashboard.history(assessment_id, page_number(), revisions=access.readable)
    revisions = {r.number: r for r in _revisions(access)}
    specs = {n: templates.spec_for_version(r.template_version_id) for n, r in revisions.items()}
    current_spec = data.template_for(access.revision)
    user_ids = {int(e.object_id) for e, _ in found.rows
                if e.action.startswith("assessment.access_") and str(e.object_id).isdigit()}
    names = dashboard.names_of(user_ids)
    events = [(event, actor, _describe(event, specs.get(event.revision or 0, current_spec), names))
              for event, actor in found.rows]
    return render_template(
        "review/history.html", access=access, events=events, found=found,
        pagination=pagination(found.page, found.pages,
                              lambda n: url_for("review.history", assessment_id=assessment_id, page=n)),
        title="History",
    )


def _revisions(access: data.Access) -> list[Revision]:
    """The revisions this user may read (an approver: those they were asked to sign off)."""
    return [r for r in flow.revisions(access.assessment.id) if access.may_read(r.number)]


def _choose(numbers: list[int]) -> str:
    if numbers == list(range(1, len(numbers) + 1)):
        return f"Choose a revision from 1 to {numbers[-1]}"
    return "Choose one of the revisions you were asked to sign off: " + ", ".join(map(str, numbers))


def _number(name: str, default: int) -> int:
    """The revision number asked for; `default` if none was; -1 (no revision has it) for anything else."""
    value = request.args.get(name, "")
    return whole_number(value, -1) if value else default


@bp.route("/<int:assessment_id>/compare")
@login_required
def compare_revisions(assessment_id: int):
    access = readable_or_404(assessment_id)
    revisions = _revisions(access)
    numbers = [r.number for r in revisions]
    new_number = _number("to", numbers[-1])
    earlier = [n for n in numbers if n < new_number]
    old_number = _number("from", earlier[-1] if earlier else new_number)
    problems = {}
    if old_number not in numbers:
        problems["from"] = _choose(numbers)
    if new_number not in numbers:
        problems["to"] = _choose(numbers)
    result = []
    if not problems and old_number != new_number:
        by_number = {r.number: r for r in revisions}
        old, new = by_number[old_number], by_number[new_number]
        spec = templates.spec_for_version(new.template_version_id)
        old_parts = {n: p.data.to_dict() for n, p in data.part_versions(old).items()}
        new_parts = {n: p.data.to_dict() for n, p in data.part_versions(new).items()}
        result = compare.compare(old_parts, new_parts, spec, parts.all_part_names(spec))
    return render_template(
        "review/compare.html", access=access, revisions=revisions, old_number=old_number, new_number=new_number,
        result=result, problems=problems, states=wf.STATES, title="Compare revisions",
    ), (400 if problems else 200)


# --- administrators: the audit trail -----------------------------------------------------------


def audit_filters() -> tuple[dashboard.AuditFilters, dict]:
    errors: dict[str, str] = {}
    date_from, typed_from = date_arg("from", "Date from", errors)
    date_to, typed_to = date_arg("to", "Date to", errors)
    if date_from and date_to and date_to < date_from:
        errors["to-day"] = "Date to must be the same as or after date from"
    filters = dashboard.AuditFilters(
        email=text_arg("email", 254), reference=text_arg("reference", 40), action=text_arg("action", 60),
        date_from=date_from, date_to=date_to, errors=errors)
    return filters, {"from": typed_from, "to": typed_to}


@bp.route("/admin/audit")
@login_required
def audit_search():
    require_role(current_user.user.is_admin)
    filters, typed_dates = audit_filters()
    found = dashboard.audit_search(filters, page_number()) if not filters.errors else None
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "review/audit.html", filters=filters, typed_dates=typed_dates, found=found, actions=dashboard.known_actions(),
        action_label=action_label,
        pagination=pagination(found.page, found.pages, lambda n: url_for("review.audit_search", page=n, **args))
        if found else None,
        title="Search the audit trail",
    ), (400 if filters.errors else 200)
