"""Sign-off: the transitions of `cia.workflow.TRANSITIONS`, performed on the database.

Nothing here commits: the view commits once, then delivers e-mails (`notifications.deliver`).
Each transition is a conditional ``UPDATE ... WHERE status IN (the table's from-states)``: a replayed
or double-clicked request finds nothing to update, changes nothing and writes no audit row
(`Outcome.changed` is False and the page says it was already done). Every transition that happens
writes exactly one audit row, "workflow.<action>", with who, from where, and what.

Who may act comes from the table (`cia.workflow.allowed`). A person who may never take the action
gets `NotPermitted` (the page answers 403); one who may, but not in this state, `WrongState` (409);
a problem they can fix (no approver chosen, checker errors) `Blocked`, shown on the page.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import func, or_, select, update

from cia import richtext
from cia import workflow as wf
from cia.checks import DRAFTING, PUBLICATION, CheckConfig, Report
from cia.conditions import Applicable
from cia.data import assessments, audit
from cia.data import notifications as notices
from cia.data.assessments import Access
from cia.domain import Assessment as AssessmentData
from cia.domain import SignOffStep, TemplateSpec
from cia.extensions import db
from cia.models import (
    ApprovalRequest,
    Assessment,
    Collaborator,
    EmailOutbox,
    ReviewComment,
    Revision,
    RevisionPart,
    User,
    utcnow,
)

MAX_COMMENT = 5000
MAX_ROW_COMMENTS = 200

#: What an approver confirms when signing off (kept word for word in the audit row), unless their sign-off
#: step gives its own words; {title} is the template's document title ("Community Impact Assessment").
DECLARATION = (
    "I have read this {title} and its Checklist and Executive Summary, and I am "
    "satisfied it shows due regard to the Public Sector Equality Duty (section 149 of the Equality Act 2010) "
    "and to the impacts of the proposal on health and care, the economy, the environment and local communities."
)


class WorkflowError(Exception):
    """A transition that cannot happen; the message is for the person who tried (GOV.UK voice)."""

    def __init__(self, message: str, problems: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        #: field id -> message, for the error summary of the page that asked.
        self.problems = problems or {"": message}


class NotPermitted(WorkflowError):
    """This kind of person may never take this action (403)."""


class WrongState(WorkflowError):
    """The action is not possible while the revision is in its present state (409)."""


class Blocked(WorkflowError):
    """Something the person can fix first: shown on the page with the form."""

    def __init__(self, message: str, problems: dict[str, str] | None = None, report: Report | None = None) -> None:
        super().__init__(message, problems)
        self.report = report


@dataclass
class Outcome:
    changed: bool
    state: str
    revision: Revision
    message: str = ""
    emails: list[EmailOutbox] = field(default_factory=list)


def stage_for(data: AssessmentData, template: TemplateSpec | None = None) -> str:
    """The checker's stage for a submission, under its template version (the installation defaults if none).

    A CIA whose publication status is one the template publishes ("public") is published with the
    decision papers once it is signed off, so it is checked as for publication: personal details of members of the public,
    only a warning while drafting, become an error that blocks submission. An exempt CIA
    (Schedule 12A) or one whose status is not set yet is checked as a draft.
    """
    template = template or TemplateSpec()
    return PUBLICATION if template.is_published(data.details.publication_status) else DRAFTING


def stage_for_revision(revision: Revision) -> str:
    """`stage_for` from the revision's stored Proposal details alone (for pages that check it)."""
    return stage_for(AssessmentData(details=assessments.load_part(revision, "details").data),
                     assessments.template_for(revision))


# --- who is asking ----------------------------------------------------------------


def request_of(revision: Revision, user: User) -> ApprovalRequest | None:
    return db.session.execute(
        select(ApprovalRequest).where(ApprovalRequest.revision_id == revision.id,
                                      ApprovalRequest.approver_id == user.id)
    ).scalar_one_or_none()


def kinds_of(access: Access, user: User) -> set[str]:
    """What `user` is to this revision, in the vocabulary of `cia.workflow.WHO`."""
    return actor_kinds(access, user, request_of(access.revision, user))


def actor_kinds(access: Access, user: User, request: ApprovalRequest | None) -> set[str]:
    """`kinds_of`, given the user's approval request for the revision (None when there is none)."""
    kinds: set[str] = set()
    if access.is_owner:
        kinds.add(wf.OWNER)
    elif access.can_edit:
        kinds.add(wf.COLLABORATOR)
    if user.is_admin:
        kinds.add(wf.ADMIN)
    if request is not None and user.is_approver:
        kinds.add(wf.UNDECIDED_APPROVER if request.decision == "" else wf.DECIDED_APPROVER)
    return kinds


def _gate(action: str, access: Access, user: User, request: ApprovalRequest | None) -> Outcome | None:
    """None when `user` may take `action` now; an "already done" Outcome for a replay; else raise."""
    transition = wf.transition(action)
    state = access.revision.status
    kinds = actor_kinds(access, user, request)
    if wf.allowed(action, state, kinds):
        return None
    already = _already(action, state, kinds, request)
    if already:
        return Outcome(False, state, access.revision, already)
    if not wf.permitted(action, kinds) and not (transition.who == wf.APPROVER and wf.DECIDED_APPROVER in kinds):
        raise NotPermitted(f"Only {wf.WHO_LABELS[transition.who]} can {transition.label.lower()}")
    raise WrongState(f"You cannot {transition.label.lower()} now: revision {access.revision.number} is "
                     f"{wf.state_label(state).lower()}")


def _already(action: str, state: str, kinds: set[str], request: ApprovalRequest | None) -> str:
    team = bool(kinds & wf.WHO[wf.TEAM])
    if action == wf.SUBMIT and state == wf.SUBMITTED and team:
        return "This assessment has already been submitted for sign-off"
    if action == wf.WITHDRAW and state == wf.WITHDRAWN and team:
        return "This assessment has already been withdrawn from sign-off"
    if request is not None and wf.DECIDED_APPROVER in kinds:
        if action == wf.APPROVE and request.decision == "approved":
            return "You have already signed off this assessment"
        if action == wf.REQUEST_CHANGES and request.decision == "changes_requested":
            return "You have already asked for changes to this assessment"
    return ""


def _set_status(revision: Revision, action: str, to: str, **values: Any) -> bool:
    """The conditional UPDATE: True when this request made the transition, False when it was already made."""
    result = db.session.execute(
        update(Revision)
        .where(Revision.id == revision.id, Revision.status.in_(wf.transition(action).sources))
        .values(status=to, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(revision, ["status", "updated_at", *values])
    return result.rowcount == 1


def _audit(action: str, access_or_revision: Access | Revision, user: User, remote_addr: str,
           details: dict[str, Any]) -> None:
    revision = access_or_revision.revision if isinstance(access_or_revision, Access) else access_or_revision
    audit.record(wf.transition(action).audit_action, actor=user, remote_addr=remote_addr, object_type="revision",
                 object_id=revision.id, assessment_id=revision.assessment_id, revision=revision.number,
                 details=details)


def record_refusal(action: str, access: Access, user: User, remote_addr: str, reason: str) -> None:
    """The audit row for an action refused because of the revision's state (the caller commits)."""
    audit.record("workflow.refused", actor=user, remote_addr=remote_addr, object_type="revision",
                 object_id=access.revision.id, assessment_id=access.assessment.id, revision=access.revision.number,
                 details={"action": action, "state": access.revision.status, "reason": reason})


def _path(endpoint: str, **values: Any) -> str:
    """A link inside the service (a path: e-mails add the host), with or without a request."""
    if has_request_context():
        return url_for(endpoint, _external=False, **values)
    adapter = current_app.url_map.bind("localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/")
    return adapter.build(endpoint, values)


# --- people ----------------------------------------------------------------------------


def team(assessment: Assessment) -> list[User]:
    """The owner and the collaborators (the people told about decisions)."""
    rows = db.session.execute(
        select(User).where(or_(User.id == assessment.owner_id, User.id.in_(
            select(Collaborator.user_id).where(Collaborator.assessment_id == assessment.id))))
        .order_by(User.name)
    ).scalars()
    return list(rows)


def approver_levels() -> dict[str, str]:
    """The installation's levels by project size (CIA_APPROVER_LEVELS): only for templates that list no sizes."""
    return dict(current_app.config.get("CIA_APPROVER_LEVELS") or {})


def eligible_approvers(assessment: Assessment, levels: str | list[str]) -> list[User]:
    """Active approvers at one of `levels` who are not on the assessment's team (nobody signs off their own work)."""
    levels = [levels] if isinstance(levels, str) else levels
    levels = [level for level in levels if level]
    if not levels:
        return []
    team_ids = select(Collaborator.user_id).where(Collaborator.assessment_id == assessment.id)
    rows = db.session.execute(
        select(User).where(User.active.is_(True), User.roles.contains("approver"), User.approver_level.in_(levels),
                           User.id != assessment.owner_id, User.id.not_in(team_ids))
        .order_by(User.name)
    ).scalars()
    return [u for u in rows if u.is_approver]


@dataclass
class StepPlan:
    """One sign-off step as the submit page offers it: who may sign there."""

    step: SignOffStep
    number: int
    levels: list[str]
    eligible: list[User]

    @property
    def field(self) -> str:
        """The name of the step's checkboxes (the first step's keep the name they always had)."""
        return "approvers" if self.number == 1 else f"approvers-{self.step.key}"

    @property
    def level_labels(self) -> str:
        return " or ".join(_level_label(level) for level in self.levels)


def steps_of(revision: Revision, data: AssessmentData | None = None) -> list[SignOffStep]:
    """The sign-off steps that apply to this revision's answers (its path), in order."""
    spec = assessments.template_for(revision)
    data = data if data is not None else assessments.load_assessment(revision)
    return wf.steps_for(spec, Applicable(spec, data))


def step_plans(access: Access, data: AssessmentData | None = None) -> list[StepPlan]:
    data = data if data is not None else assessments.load_assessment(access.revision)
    spec = assessments.template_for(access.revision)
    size = access.revision.project_size or data.details.project_size
    plans = []
    for number, step in enumerate(steps_of(access.revision, data), start=1):
        levels = wf.step_levels(step, spec, size, approver_levels())
        plans.append(StepPlan(step, number, levels, eligible_approvers(access.assessment, levels)))
    return plans


def declaration_for(revision: Revision, request: ApprovalRequest | None) -> str:
    """What an approver at this request's step confirms: the step's own words, else the service's."""
    template = assessments.template_for(revision)
    if request is not None:
        step = next((s for s in template.signoff_steps if s.key == request.step), None)
        if step is not None and step.declaration.strip():
            return step.declaration
    return DECLARATION.format(title=template.title)


def requests_for(revision: Revision) -> list[tuple[ApprovalRequest, User]]:
    rows = db.session.execute(
        select(ApprovalRequest, User).join(User, User.id == ApprovalRequest.approver_id)
        .where(ApprovalRequest.revision_id == revision.id).order_by(User.name)
    ).all()
    return [(r, u) for r, u in rows]


# --- submit -------------------------------------------------------------------------------


#: The approvers chosen for each step, by step key; a plain list is for a revision with one step.
Choice = Mapping[str, Iterable[int]] | Iterable[int]


def submit(access: Access, approver_ids: Choice, user: User, remote_addr: str = "",
           configure: Callable[[str], CheckConfig] | None = None, what_changed: str = "") -> Outcome:
    """Send the current revision for sign-off: approvers chosen for each of its sign-off steps, the first
    step's asked now, the later steps' once the step before has signed off. `what_changed`: the authors'
    note, after changes were asked for, kept in the audit row and sent to the approvers."""
    already = _gate(wf.SUBMIT, access, user, request_of(access.revision, user))
    if already:
        return already
    revision, assessment = access.revision, access.assessment
    previous = revision.status
    chosen = chosen_approvers(access, approver_ids)
    if not _set_status(revision, wf.SUBMIT, wf.SUBMITTED, submitted_at=utcnow()):
        return Outcome(False, wf.SUBMITTED, revision, "This assessment has already been submitted for sign-off")
    # Checked after the status change, which holds the revision's row: a save that got in first is
    # seen here, and one that comes later is refused. The caller rolls back if this is blocked.
    stored = assessments.part_versions(revision)
    stage = stage_for(assessments.load_assessment(revision, stored), assessments.template_for(revision))
    _, report = assessments.check(revision, (configure or (lambda s: CheckConfig(stage=s)))(stage), stored)
    if not report.can_submit:
        raise Blocked(_blocked_message(report), report=report)
    existing = {r.approver_id: r for r in db.session.execute(
        select(ApprovalRequest).where(ApprovalRequest.revision_id == revision.id)).scalars()}
    now = utcnow()
    for plan, approvers in chosen:
        for approver in approvers:
            request = existing.pop(approver.id, None)
            if request is None:
                request = ApprovalRequest(revision_id=revision.id, assessment_id=assessment.id,
                                          approver_id=approver.id, requested_at=now, requested_by_id=user.id)
                db.session.add(request)
            # asked again after changes or a withdrawal: a fresh decision on what is there now
            request.decision, request.comment, request.decided_at = "", "", None
            request.level, request.requested_at, request.requested_by_id = approver.approver_level, now, user.id
            request.step, request.waiting = plan.step.key, plan.number > 1
    for request in existing.values():
        db.session.delete(request)
    first_plan, first = chosen[0]
    _audit(wf.SUBMIT, access, user, remote_addr, {
        "from": previous, "to": wf.SUBMITTED, "stage": stage, "level": first[0].approver_level,
        "approvers": [{"id": a.id, "name": a.name, "email": a.email, "level": a.approver_level,
                       "step": plan.step.key} for plan, approvers in chosen for a in approvers],
        "acknowledged_warnings": len(report.warnings),
        **({"what_changed": what_changed[:MAX_COMMENT]} if what_changed else {}),
    })
    from cia.data import review_threads  # which imports this module

    review_threads.record_round(revision, user, what_changed, stored)
    emails = _ask(first, assessment, revision, user, first_plan.step if len(chosen) > 1 else None, what_changed)
    return Outcome(True, wf.SUBMITTED, revision, "Submitted for sign-off", emails)


def _ask(approvers: list[User], assessment: Assessment, revision: Revision, by: User,
         step: SignOffStep | None, what_changed: str = "") -> list[EmailOutbox]:
    """Tell approvers that it is their turn to sign off (after changes: what changed, and where to see it)."""
    name = revision.proposal_name or assessment.reference
    at = f" ({step.title})" if step is not None else ""
    body = "Read the assessment, then sign it off or ask for changes."
    if what_changed:
        body = f"What has changed, in the authors' words: {what_changed}\n\nSee the changes since you reviewed it, " \
               "then sign it off or ask for changes."
    return notices.notify(approvers, notices.Message(
        text=f"{by.name} asked you to sign off {assessment.reference}: {name}{at}",
        link=_path("review.changes_since" if what_changed else "review.sign_off", assessment_id=assessment.id),
        subject=f"Sign-off requested: {assessment.reference} {name}"[:300],
        body=body), assessment.id, actor=by)


def _blocked_message(report: Report) -> str:
    parts = []
    if report.errors:
        n = len(report.errors)
        parts.append(f"{n} error{'s' if n != 1 else ''} {'are' if n != 1 else 'is'} fixed")
    if report.unacknowledged_warnings:
        n = len(report.unacknowledged_warnings)
        parts.append(f"{n} warning{'s' if n != 1 else ''} {'are' if n != 1 else 'is'} fixed or acknowledged")
    return "You cannot submit this assessment for sign-off until " + " and ".join(parts)


def chosen_approvers(access: Access, approver_ids: Choice) -> list[tuple[StepPlan, list[User]]]:
    """The approvers chosen for every step of the revision's sign-off, checked: at least one per step,
    each at a level the step calls for and not on the project team, nobody at two steps."""
    plans = step_plans(access)
    by_step = (dict(approver_ids) if isinstance(approver_ids, Mapping)
               else {plans[0].step.key: list(approver_ids)})
    problems: dict[str, str] = {}
    chosen: list[tuple[StepPlan, list[User]]] = []
    seen: set[int] = set()
    for plan in plans:
        ids = list(dict.fromkeys(by_step.get(plan.step.key) or []))
        where = f" for {plan.step.title}" if len(plans) > 1 else ""
        if not plan.levels:
            problems[plan.field] = "Set the project size on Proposal details: it decides who signs off the assessment"
            continue
        if not ids:
            problems[plan.field] = f"Select at least one approver{where}"
            continue
        eligible = {u.id: u for u in plan.eligible}
        if any(i not in eligible for i in ids):
            why = "the project size calls for that level" if not plan.step.levels else f"{plan.step.title} calls for it"
            problems[plan.field] = (f"Select approvers{where} at {plan.level_labels} level who are not on the "
                                    f"project team: {why}")
            continue
        if seen & set(ids):
            problems[plan.field] = f"Select different approvers{where}: one person signs off at one step only"
            continue
        seen |= set(ids)
        chosen.append((plan, [eligible[i] for i in ids]))
    if problems:
        raise Blocked(next(iter(problems.values())), problems)
    return chosen


def _level_label(level: str) -> str:
    from cia.models import APPROVER_LEVELS

    return APPROVER_LEVELS.get(level, level)


# --- approver decisions ----------------------------------------------------------------------


def _approver_access(revision: Revision) -> Access:
    return Access(revision.assessment, revision, can_edit=False, is_owner=False)


def _lock_submitted(revision: Revision) -> bool:
    """Hold the revision's row while deciding, so two last approvers cannot both miss each other."""
    result = db.session.execute(
        update(Revision).where(Revision.id == revision.id, Revision.status == wf.SUBMITTED)
        .values(updated_at=utcnow()).execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _decide(request: ApprovalRequest, decision: str, comment: str) -> bool:
    result = db.session.execute(
        update(ApprovalRequest).where(ApprovalRequest.id == request.id, ApprovalRequest.decision == "")
        .values(decision=decision, comment=comment, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.expire(request)
    return result.rowcount == 1


def _clean_comment(text: str, field_id: str, what: str) -> str:
    cleaned = richtext.clean(text or "").strip()
    if len(cleaned) > MAX_COMMENT:
        message = f"{what} must be {MAX_COMMENT:,} characters or fewer"
        raise Blocked(message, {field_id: message})
    return cleaned


def approve(revision: Revision, approver: User, comment: str, declaration_accepted: bool,
            remote_addr: str = "") -> Outcome:
    """Record one approver's sign-off; the revision is approved once every approver asked has signed off."""
    request = request_of(revision, approver)
    already = _gate(wf.APPROVE, _approver_access(revision), approver, request)
    if already:
        return already
    if request is None:  # _gate lets only an undecided approver through, who has a request
        raise NotPermitted("Only an approver asked to sign off can do this")
    _not_waiting(revision, request, "sign off")
    comment = _clean_comment(comment, "comment", "Your comment")
    if not declaration_accepted:
        message = "Confirm that you have read the assessment and its Checklist and Executive Summary"
        raise Blocked(message, {"declaration": message})
    if not _lock_submitted(revision):
        db.session.expire(revision, ["status"])
        raise WrongState(f"You cannot sign off now: the assessment is {wf.state_label(revision.status).lower()}")
    if not _decide(request, "approved", comment):
        return Outcome(False, revision.status, revision, "You have already signed off this assessment")
    requests = requests_for(revision)
    waiting = [u.name for r, u in requests if r.decision != "approved" and not r.waiting]
    final = (not any(r.decision != "approved" for r, _u in requests)
             and _set_status(revision, wf.APPROVE, wf.APPROVED, approved_at=utcnow()))
    _audit(wf.APPROVE, revision, approver, remote_addr, {
        "decision": "approved", "comment": comment, "level": request.level, "step": request.step,
        "declaration": declaration_for(revision, request),
        "to": wf.APPROVED if final else wf.SUBMITTED, "waiting_for": waiting,
    })
    emails: list[EmailOutbox] = []
    assessment = revision.assessment
    name = revision.proposal_name or assessment.reference
    if not final and not waiting:  # this step is signed off: the next step's approvers are asked now
        step, following = _next_step(revision, requests)
        for r, _u in following:
            r.waiting = False
        emails = _ask([u for _r, u in following], assessment, revision, approver, step)
        message = (f"You have signed off this assessment. It is now with {step.title}: "
                   + ", ".join(u.name for _r, u in following))
        return Outcome(True, wf.SUBMITTED, revision, message, emails)
    if final:
        emails = notices.notify(team(assessment), notices.Message(
            text=f"{assessment.reference}: {name} has been signed off and approved",
            link=_path("assessments.view", assessment_id=assessment.id, revision=revision.number),
            subject=f"Approved: {assessment.reference} {name}"[:300],
            body="The approved revision is kept exactly as it was signed off."), assessment.id, actor=approver)
    message = ("You have signed off this assessment. It is now approved" if final else
               "You have signed off this assessment. It is waiting for " + ", ".join(waiting))
    return Outcome(True, wf.APPROVED if final else wf.SUBMITTED, revision, message, emails)


def _not_waiting(revision: Revision, request: ApprovalRequest, doing: str) -> None:
    """An approver asked at a later step decides once the steps before it are signed off."""
    if request.waiting:
        earlier = [s.title for s in steps_of(revision) if s.key != request.step]
        first = earlier[0] if earlier else "the step before yours"
        raise WrongState(f"You cannot {doing} yet: {first} comes first. You will be told when it is your turn")


def _next_step(revision: Revision, requests: list[tuple[ApprovalRequest, User]]
               ) -> tuple[SignOffStep, list[tuple[ApprovalRequest, User]]]:
    """The first step whose approvers are still waiting, and them."""
    steps = steps_of(revision)
    key = wf.current_step(steps, [(r.step, r.decision) for r, _u in requests])
    step = next((s for s in steps if s.key == key), None)
    if step is None:  # the template's path changed under a submitted revision: ask whoever is waiting
        step = wf.DEFAULT_STEP
        return step, [(r, u) for r, u in requests if r.waiting]
    return step, [(r, u) for r, u in requests if r.step == key]


def request_changes(revision: Revision, approver: User, general_comment: str,
                    row_comments: Iterable[tuple[str, str, str]], remote_addr: str = "") -> Outcome:
    """Send the revision back to its authors with a comment and comments tied to rows."""
    request = request_of(revision, approver)
    already = _gate(wf.REQUEST_CHANGES, _approver_access(revision), approver, request)
    if already:
        return already
    if request is None:
        raise NotPermitted("Only an approver asked to sign off can do this")
    _not_waiting(revision, request, "ask for changes")
    general = _clean_comment(general_comment, "comment", "Your comment")
    rows = []
    for part, row_key, text in row_comments:
        cleaned = _clean_comment(text, f"row-{part}-{row_key}", "A comment on a row")
        if cleaned:
            rows.append((part[:120], row_key[:100], cleaned))
    if len(rows) > MAX_ROW_COMMENTS:
        raise Blocked(f"Enter {MAX_ROW_COMMENTS} comments on rows or fewer")
    threads_open = db.session.execute(
        select(func.count()).select_from(ReviewComment).where(
            ReviewComment.revision_id == revision.id, ReviewComment.author_id == approver.id,
            ReviewComment.resolved_at.is_(None))).scalar_one()
    if not general and not rows and not threads_open:  # an approver's open comments say it already
        message = "Enter what needs to change, in general or on the rows concerned"
        raise Blocked(message, {"comment": message})
    if not _lock_submitted(revision):
        db.session.expire(revision, ["status"])
        raise WrongState(f"You cannot ask for changes now: the assessment is "
                         f"{wf.state_label(revision.status).lower()}")
    if not _decide(request, "changes_requested", general):
        return Outcome(False, revision.status, revision, "You have already asked for changes to this assessment")
    _set_status(revision, wf.REQUEST_CHANGES, wf.CHANGES_REQUESTED)
    for part, row_key, text in rows:
        db.session.add(ReviewComment(revision_id=revision.id, assessment_id=revision.assessment_id,
                                     author_id=approver.id, part=part, row_key=row_key, text=text))
    _audit(wf.REQUEST_CHANGES, revision, approver, remote_addr, {
        "decision": "changes_requested", "comment": general, "level": request.level, "to": wf.CHANGES_REQUESTED,
        "row_comments": [{"part": p, "row": r, "text": t} for p, r, t in rows],
    })
    assessment = revision.assessment
    name = revision.proposal_name or assessment.reference
    emails = notices.notify(team(assessment), notices.Message(
        text=f"{approver.name} asked for changes to {assessment.reference}: {name}",
        link=_path("assessments.task_list", assessment_id=assessment.id),
        subject=f"Changes requested: {assessment.reference} {name}"[:300],
        body=(f"Their comment: {general}\n\n" if general else "")
        + (f"They also commented on {len(rows)} row{'s' if len(rows) != 1 else ''}." if rows else "")
        + (f"{threads_open} of their comments {'are' if threads_open != 1 else 'is'} open: reply to "
           f"{'them' if threads_open != 1 else 'it'} from the task list." if threads_open else "")),
        assessment.id, actor=approver)
    return Outcome(True, wf.CHANGES_REQUESTED, revision, "You have asked for changes. The authors have been told",
                   emails)


# --- withdraw and reopen ---------------------------------------------------------------------------


def withdraw(access: Access, user: User, remote_addr: str = "") -> Outcome:
    already = _gate(wf.WITHDRAW, access, user, request_of(access.revision, user))
    if already:
        return already
    revision = access.revision
    if not _set_status(revision, wf.WITHDRAW, wf.WITHDRAWN):
        return Outcome(False, revision.status, revision, "This assessment has already been withdrawn from sign-off")
    undecided = [u for r, u in requests_for(revision) if r.decision == "" and not r.waiting]
    _audit(wf.WITHDRAW, access, user, remote_addr, {"from": wf.SUBMITTED, "to": wf.WITHDRAWN,
                                                    "approvers_told": [u.email for u in undecided]})
    assessment = access.assessment
    name = revision.proposal_name or assessment.reference
    emails = notices.notify(undecided, notices.Message(
        text=f"{user.name} withdrew {assessment.reference}: {name} from sign-off. You do not need to do anything",
        link=_path("review.awaiting"),
        subject=f"Withdrawn from sign-off: {assessment.reference} {name}"[:300]), assessment.id, actor=user)
    return Outcome(True, wf.WITHDRAWN, revision, "The assessment has been withdrawn from sign-off. "
                   "You can change it and submit it again", emails)


def reopen(access: Access, user: User, remote_addr: str = "") -> Outcome:
    """A new revision n+1 in draft with a copy of every answer; the approved revision stays as it is."""
    already = _gate(wf.REOPEN, access, user, request_of(access.revision, user))
    if already:
        return already
    old, assessment = access.revision, access.assessment
    held = db.session.execute(
        update(Assessment).where(Assessment.id == assessment.id, Assessment.current_revision_id == old.id)
        .values(current_revision_id=old.id).execution_options(synchronize_session=False)
    )
    if held.rowcount != 1:
        return Outcome(False, wf.DRAFT, old, "This assessment has already been reopened")
    number = (db.session.execute(select(func.max(Revision.number)).where(Revision.assessment_id == assessment.id))
              .scalar_one() or old.number) + 1
    new = Revision(assessment_id=assessment.id, number=number, template_version_id=old.template_version_id,
                   status=wf.DRAFT, created_by_id=user.id, proposal_name=old.proposal_name,
                   directorate=old.directorate, decision_route=old.decision_route, decision_date=old.decision_date,
                   project_size=old.project_size, error_count=old.error_count, warning_count=old.warning_count)
    db.session.add(new)
    db.session.flush()
    for row in db.session.execute(select(RevisionPart).where(RevisionPart.revision_id == old.id)).scalars():
        db.session.add(RevisionPart(revision_id=new.id, part=row.part, data=copy.deepcopy(row.data), version=1,
                                    updated_at=utcnow(), updated_by_id=user.id))
    db.session.execute(update(Assessment).where(Assessment.id == assessment.id)
                       .values(current_revision_id=new.id).execution_options(synchronize_session=False))
    db.session.expire(assessment, ["current_revision_id"])
    _audit(wf.REOPEN, access, user, remote_addr, {"from": wf.APPROVED, "to": wf.DRAFT, "new_revision": number})
    return Outcome(True, wf.DRAFT, new, f"Revision {number} has been started from the approved revision "
                   f"{old.number}, which stays as it was approved")


# --- comments tied to rows ---------------------------------------------------------------------------


def comments_for(revision: Revision) -> list[ReviewComment]:
    """Every comment on the revision, oldest first, with its author (one query)."""
    from sqlalchemy.orm import joinedload

    return list(db.session.execute(
        select(ReviewComment).options(joinedload(ReviewComment.author), joinedload(ReviewComment.resolved_by))
        .where(ReviewComment.revision_id == revision.id)
        .order_by(ReviewComment.created_at, ReviewComment.id)
    ).scalars())


def row_comments(revision: Revision, part: str) -> dict[str, list[ReviewComment]]:
    """{row key: comments} for one part (a section page shows them beside the rows).

    A revision in draft has never been sent back with comments: no query.
    """
    out: dict[str, list[ReviewComment]] = {}
    if revision.status == wf.DRAFT:
        return out
    for comment in comments_for(revision):
        if comment.part == part:
            out.setdefault(comment.row_key, []).append(comment)
    return out


def open_comment_count(revision: Revision) -> int:
    return db.session.execute(
        select(func.count()).select_from(ReviewComment)
        .where(ReviewComment.revision_id == revision.id, ReviewComment.resolved_at.is_(None))
    ).scalar_one()


# --- what the pages show -----------------------------------------------------------------------------


@dataclass
class Summary:
    """The sign-off state of a revision as the task list and the sign-off pages show it."""

    state: str
    state_label: str
    kinds: set[str]
    actions: list[wf.Transition]
    requests: list[tuple[ApprovalRequest, User]]
    open_comments: int
    revisions: list[Revision]
    #: The revision's sign-off steps in order (none while it has never been submitted).
    steps: list[SignOffStep] = field(default_factory=list)

    def step_title(self, key: str) -> str:
        return next((s.title for s in self.steps if s.key == key), key)

    @property
    def several_steps(self) -> bool:
        return len(self.steps) > 1

    @property
    def my_action_names(self) -> set[str]:
        return {t.action for t in self.actions}


def summary(access: Access, user: User) -> Summary:
    revision = access.revision
    requests = requests_for(revision) if revision.status != wf.DRAFT else []
    mine = next((r for r, u in requests if u.id == user.id), None)
    kinds = actor_kinds(access, user, mine)
    actions = wf.actions_for(revision.status, kinds)
    if mine is not None and mine.waiting:  # asked at a later step: not their turn yet
        actions = [t for t in actions if t.who != wf.APPROVER]
    return Summary(revision.status, wf.state_label(revision.status), kinds, actions,
                   requests, open_comment_count(revision) if revision.status != wf.DRAFT else 0,
                   revisions(access.assessment.id), steps_of(revision) if requests else [])


def revisions(assessment_id: int) -> list[Revision]:
    """Every revision of an assessment, oldest first (one query)."""
    return list(db.session.execute(
        select(Revision).where(Revision.assessment_id == assessment_id).order_by(Revision.number)
    ).scalars())
