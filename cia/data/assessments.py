"""Assessments, their revisions and parts: every read and write the authoring pages need.

Views call these functions; the request commits once, after the view has answered
(cia/web/transaction.py). Nothing here commits, so a failure anywhere in a request leaves no partial write.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from threading import Lock
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from cia import diff, models
from cia.checks import CheckConfig, Report, run_checks
from cia.data import audit, part_history, parts, templates
from cia.data.users import users_by_emails
from cia.domain import Assessment as AssessmentData
from cia.domain import Plain, SignOff, TemplateSpec
from cia.extensions import db
from cia.models import ApprovalRequest, Assessment, Collaborator, Revision, RevisionPart, User, utcnow

#: Revision states in which authors may change answers.
EDITABLE_STATES = ("draft", "changes_requested", "withdrawn")


# Defined with the models, whose ORM guard raises it too.
RevisionFrozen = models.RevisionFrozen


class NotFound(Exception):
    pass


@dataclass
class Access:
    """An assessment as one user may see it."""

    assessment: Assessment
    revision: Revision
    can_edit: bool
    is_owner: bool
    #: The revision numbers this user may read; None for every one (the team and administrators).
    readable: frozenset[int] | None = None

    @property
    def editable(self) -> bool:
        return self.can_edit and self.revision.status in EDITABLE_STATES

    def may_read(self, number: int | None) -> bool:
        return self.readable is None or number in self.readable


@dataclass
class Loaded:
    """One part as stored: its content, its version (for the hidden field) and who saved it last."""

    data: Plain
    version: int
    updated_at: datetime
    updated_by: str
    saved_before: bool


@dataclass
class SaveResult:
    ok: bool
    current: Loaded | None = None  # on a conflict: what is stored now
    changes: list[diff.Change] | None = None


# --- creating and finding ----------------------------------------------------


def _next_reference(prefix: str = "CIA") -> str:
    """"<prefix>-<year>-<number>": the prefix is the template version's (TemplateSpec.reference_prefix)."""
    year = utcnow().year
    count = db.session.execute(select(func.count()).select_from(Assessment)).scalar_one()
    while True:
        count += 1
        reference = f"{prefix}-{year}-{count:04d}"
        taken = db.session.execute(select(Assessment.id).where(Assessment.reference == reference)).first()
        if not taken:
            return reference


def create(owner: User, name: str, remote_addr: str = "",
           version: models.TemplateVersion | None = None) -> Assessment:
    """A new assessment on `version` (a published one), by default the newest published version."""
    version = version or templates.newest_published_version()
    if version is None:
        raise NotFound("No template has been published yet")
    spec = templates.spec_for_version(version.id)
    assessment = Assessment(reference=_next_reference(spec.reference_start), owner=owner)
    db.session.add(assessment)
    db.session.flush()
    revision = Revision(assessment_id=assessment.id, number=1, template_version_id=version.id,
                        created_by_id=owner.id, proposal_name=name)
    db.session.add(revision)
    db.session.flush()
    assessment.current_revision_id = revision.id
    for part_name, data in parts.blank_parts(spec, name).items():
        db.session.add(RevisionPart(revision_id=revision.id, part=part_name, data=data.to_dict(), version=1))
    audit.record("assessment.created", actor=owner, remote_addr=remote_addr, object_type="assessment",
                 object_id=assessment.id, assessment_id=assessment.id, revision=1,
                 details={"name": name, "template_version_id": version.id})
    db.session.flush()
    return assessment


def access_for(user: User, assessment_id: int, revision_number: int | None = None) -> Access | None:
    """The assessment if `user` may see it, else None (the view answers 404).

    Who may read which revision (docs/decisions/0012-who-reads-which-revision.md): the owner, the
    team and administrators read every revision; an approver reads only the revisions they were
    asked to sign off. Without a revision number an approver gets the current revision if they were
    asked about it, otherwise the newest one they were asked about (a draft made after it is not
    theirs to read).
    """
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        return None
    is_owner = assessment.owner_id == user.id
    is_collaborator = is_owner or db.session.execute(
        select(Collaborator.id).where(Collaborator.assessment_id == assessment.id,
                                      Collaborator.user_id == user.id)
    ).first() is not None
    readable = None if is_collaborator or user.is_admin else _revisions_asked_of(user, assessment.id)
    if readable is not None and not readable:
        return None
    if revision_number is None:
        revision = db.session.get(Revision, assessment.current_revision_id)
        if readable is not None and revision.number not in readable:
            revision_number = max(readable)
    if revision_number is not None:
        if readable is not None and revision_number not in readable:
            return None
        revision = db.session.execute(
            select(Revision).where(Revision.assessment_id == assessment.id, Revision.number == revision_number)
        ).scalar_one_or_none()
        if revision is None:
            return None
    return Access(assessment, revision, can_edit=is_collaborator, is_owner=is_owner, readable=readable)


def _revisions_asked_of(user: User, assessment_id: int) -> frozenset[int]:
    """The numbers of the revisions an approver was asked to sign off (empty for anyone else)."""
    if not user.is_approver:
        return frozenset()
    return frozenset(db.session.execute(
        select(Revision.number).join(ApprovalRequest, ApprovalRequest.revision_id == Revision.id)
        .where(ApprovalRequest.assessment_id == assessment_id, ApprovalRequest.approver_id == user.id)
    ).scalars())


def list_for(user: User) -> list[tuple[Assessment, Revision]]:
    """Assessments the user owns or is a team member of, newest change first."""
    collaborating = select(Collaborator.assessment_id).where(Collaborator.user_id == user.id)
    rows = db.session.execute(
        select(Assessment, Revision)
        .join(Revision, Revision.id == Assessment.current_revision_id)
        .where(or_(Assessment.owner_id == user.id, Assessment.id.in_(collaborating)))
        .order_by(Revision.updated_at.desc())
    ).all()
    return [(a, r) for a, r in rows]


def template_for(revision: Revision) -> TemplateSpec:
    return templates.spec_for_version(revision.template_version_id)


# --- parts ---------------------------------------------------------------------


def _loaded(row: RevisionPart) -> Loaded:
    return Loaded(
        data=parts.part_class(row.part).from_dict(row.data or {}),
        version=row.version,
        updated_at=row.updated_at,
        updated_by=row.updated_by.name if row.updated_by else "",
        saved_before=row.version > 1,
    )


def load_part(revision: Revision, name: str) -> Loaded:
    row = db.session.execute(
        select(RevisionPart).options(joinedload(RevisionPart.updated_by))
        .where(RevisionPart.revision_id == revision.id, RevisionPart.part == name)
    ).scalar_one_or_none()
    if row is None:  # a part added to the model after this revision was made
        cls = parts.part_class(name)
        return Loaded(cls(), 0, revision.created_at, "", False)
    return _loaded(row)


#: Parts decoded from their JSON, by (row id, version, save time): a save gives a part a new key, so a
#: part kept here is the part as stored. Shared between requests, which only read them.
_decoded: OrderedDict[tuple[int, int, datetime], Plain] = OrderedDict()
_decoded_lock = Lock()


def part_versions(revision: Revision) -> dict[str, Loaded]:
    """Every part of a revision (task list, read-only view, checker).

    One query for each part's version, save time and who saved it; the content (JSON, decoded into
    the plain-data classes) is read and decoded only for parts not already decoded at that version.
    The checker runs after every save: decoding every part of the revision again, not just the one
    saved, was a third of a save.
    """
    heads = db.session.execute(
        select(RevisionPart.id, RevisionPart.part, RevisionPart.version, RevisionPart.updated_at, User.name)
        .outerjoin(User, User.id == RevisionPart.updated_by_id)
        .where(RevisionPart.revision_id == revision.id)
    ).all()
    with _decoded_lock:
        found = {head.id: _decoded.get((head.id, head.version, head.updated_at)) for head in heads}
    missing = [part_id for part_id, data in found.items() if data is None]
    latest = {}
    if missing:  # read with their own version: a save between the two queries is read as saved
        for part_id, name, version, updated_at, data in db.session.execute(
            select(RevisionPart.id, RevisionPart.part, RevisionPart.version, RevisionPart.updated_at,
                   RevisionPart.data).where(RevisionPart.id.in_(missing))
        ):
            found[part_id] = _keep_decoded(part_id, version, updated_at, parts.part_class(name).from_dict(data or {}))
            latest[part_id] = (version, updated_at)
    out = {}
    for head in heads:
        if found[head.id] is None:  # deleted between the two queries (the revision itself was)
            continue
        version, updated_at = latest.get(head.id, (head.version, head.updated_at))
        out[head.part] = Loaded(data=found[head.id], version=version, updated_at=updated_at,
                                updated_by=head.name or "", saved_before=version > 1)
    return out


def _keep_decoded(part_id: int, version: int, updated_at: datetime, decoded: Plain) -> Plain:
    with _decoded_lock:
        _decoded[(part_id, version, updated_at)] = decoded
        while len(_decoded) > 4096:
            _decoded.popitem(last=False)
    return decoded


def load_assessment(revision: Revision, stored: dict[str, Loaded] | None = None) -> AssessmentData:
    stored = stored if stored is not None else part_versions(revision)
    spec = template_for(revision)
    return parts.assemble(
        spec,
        {name: loaded.data for name, loaded in stored.items()},
        reference=revision.assessment.reference,
        revision=revision.number,
        status=revision.status,
        template_name=spec.name,
        template_version=spec.version,
        signoffs=signoffs(revision),
    )


def signoffs(revision: Revision) -> list[SignOff]:
    """The approvers' decisions on this revision, oldest first, in one query.

    Derived from approval_request rather than stored as a part, so the record cannot drift from the
    decisions. A revision still in draft has never been submitted: no query.
    """
    if revision.status == "draft" or revision.id is None:
        return []
    rows = db.session.execute(
        select(ApprovalRequest, User.name, User.email)
        .join(User, User.id == ApprovalRequest.approver_id)
        .where(ApprovalRequest.revision_id == revision.id, ApprovalRequest.decision != "")
        .order_by(ApprovalRequest.decided_at, ApprovalRequest.id)
    ).all()
    steps = {s.key: s.title for s in template_for(revision).signoff_steps}
    return [SignOff(name=name, email=email, level=request.level, decision=request.decision,
                    comment=request.comment, step=steps.get(request.step, ""),
                    at=request.decided_at.strftime("%Y-%m-%dT%H:%M:%SZ") if request.decided_at else "")
            for request, name, email in rows]


def save_part(revision: Revision, name: str, data: Plain, seen_version: int, user: User,
              remote_addr: str = "") -> SaveResult:
    """Store a part if nobody else saved it since `seen_version`; otherwise report the conflict."""
    if revision.status not in EDITABLE_STATES:
        raise RevisionFrozen(f"revision {revision.number} is {revision.status}")
    _lock_editable(revision)
    row = db.session.execute(
        select(RevisionPart).where(RevisionPart.revision_id == revision.id, RevisionPart.part == name)
    ).scalar_one_or_none()
    new = data.to_dict()
    if row is None:
        row = RevisionPart(revision_id=revision.id, part=name, data=parts.part_class(name)().to_dict(), version=1)
        db.session.add(row)
        db.session.flush()
    old = row.data or {}
    found = [] if old == new else diff.changes(old, new)  # saved again unchanged: nothing to walk
    saved_at = utcnow()
    result = db.session.execute(
        update(RevisionPart)
        .where(RevisionPart.id == row.id, RevisionPart.version == seen_version,
               # A status change racing this save cannot let it through.
               RevisionPart.revision_id.in_(select(Revision.id).where(Revision.status.in_(EDITABLE_STATES))))
        .values(data=new, version=RevisionPart.version + 1, updated_at=saved_at, updated_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.expire(row)
        _lock_editable(revision)  # submitted or approved meanwhile: RevisionFrozen, not a conflict
        current = load_part(revision, name)
        if current.data.to_dict() == new:  # a replayed or double-clicked save: already stored, nothing to do
            return SaveResult(ok=True, changes=[])
        return SaveResult(ok=False, current=current)
    part_id = row.id
    part_history.record(row, seen_version, old, seen_version + 1, new)
    db.session.expire(row)
    # The checker runs next, on the part as saved: kept decoded under its new version and save time, it
    # is not read and decoded again. A copy: the caller's object is the caller's to change.
    _keep_decoded(part_id, seen_version + 1, saved_at, parts.part_class(name).from_dict(new))
    if name == "details":
        _copy_details(revision, data)
    if name == "team":
        _sync_collaborators(revision.assessment, data, user, remote_addr)
    if found:
        audit.record(
            "assessment.saved", actor=user, remote_addr=remote_addr, object_type="part", object_id=name,
            assessment_id=revision.assessment_id, revision=revision.number,
            details={"part": name, "changes": [_change_dict(c) for c in found[:200]],
                     "more": max(0, len(found) - 200)},
        )
    return SaveResult(ok=True, changes=found)


def _lock_editable(revision: Revision) -> None:
    """Lock the revision row while it is editable, else RevisionFrozen.

    A submit waits for a save that got here first (and its checker run sees the saved answers);
    a save that comes second finds the revision submitted and is refused. The revision's `updated_at`
    becomes now: a save changes the revision.
    """
    now = utcnow()
    locked = db.session.execute(
        update(Revision).where(Revision.id == revision.id, Revision.status.in_(EDITABLE_STATES))
        .values(updated_at=now).execution_options(synchronize_session=False)
    )
    if locked.rowcount != 1:
        db.session.expire(revision, ["status", "updated_at"])
        raise RevisionFrozen(f"revision {revision.number} cannot be changed now")
    # The lock is the revision's change time too: the object says what the row now says, with no
    # second UPDATE at the end of the save.
    set_committed_value(revision, "updated_at", now)


def _change_dict(change: diff.Change) -> dict[str, Any]:
    def short(value):
        return value[:2000] if isinstance(value, str) else value

    return {"field": change.path, "old": short(change.old), "new": short(change.new)}


def _copy_details(revision: Revision, details) -> None:
    revision.proposal_name = details.name[:500]
    revision.directorate = details.directorate[:300]
    revision.decision_route = details.decision_route
    revision.decision_date = details.decision_date[:10]
    revision.project_size = details.project_size


def _sync_collaborators(assessment: Assessment, team, actor: User, remote_addr: str) -> None:
    """Team members given edit access who have accounts become collaborators; others stop being."""
    wanted_emails = [m.account_email for m in team.members if m.edit_access == "yes" and m.account_email]
    wanted = {u.id for u in users_by_emails(wanted_emails).values() if u.id != assessment.owner_id}
    current = {c.user_id: c for c in db.session.execute(
        select(Collaborator).where(Collaborator.assessment_id == assessment.id)).scalars()}
    for user_id in wanted - current.keys():
        db.session.add(Collaborator(assessment_id=assessment.id, user_id=user_id))
        audit.record("assessment.access_granted", actor=actor, remote_addr=remote_addr, object_type="user",
                     object_id=user_id, assessment_id=assessment.id)
    for user_id in current.keys() - wanted:
        db.session.delete(current[user_id])
        audit.record("assessment.access_removed", actor=actor, remote_addr=remote_addr, object_type="user",
                     object_id=user_id, assessment_id=assessment.id)


def unknown_account_emails(emails: list[str]) -> list[str]:
    known = users_by_emails(emails)
    return [e for e in emails if e.strip() and e.strip().lower() not in known]


# --- the checker ---------------------------------------------------------------

# Reports for unchanged answers, and the assessments they were run on: every save bumps a part's
# version, so the versions are the key (_versions_key). Read-only pages read those assessments too.
_reports: OrderedDict[tuple, tuple[AssessmentData, Report]] = OrderedDict()
_assessments: OrderedDict[tuple, AssessmentData] = OrderedDict()
_reports_lock = Lock()


def _versions_key(revision: Revision, versions: list[tuple[str, int, datetime]]) -> tuple:
    """What the assessment of a revision depends on: the revision as it stands and each part's
    (name, version, save time).

    Ids can be reused after rows are deleted (SQLite), so save times are part of the key too.
    updated_at moves on every save and every sign-off decision, so the sign-off record is never stale.
    """
    return (revision.id, revision.created_at, revision.updated_at, revision.template_version_id, revision.status,
            tuple(sorted(versions)))


def _versions_of(stored: dict[str, Loaded]) -> list[tuple[str, int, datetime]]:
    return [(name, loaded.version, loaded.updated_at) for name, loaded in stored.items()]


def _kept(cache: OrderedDict, key: tuple, value: Any, limit: int) -> Any:
    with _reports_lock:
        cache[key] = value
        while len(cache) > limit:
            cache.popitem(last=False)
    return value


def _assessment(revision: Revision, stored: dict[str, Loaded]) -> AssessmentData:
    key = _versions_key(revision, _versions_of(stored))
    with _reports_lock:
        found = _assessments.get(key)
    return found if found is not None else _kept(_assessments, key, load_assessment(revision, stored), 64)


def assessment_to_read(revision: Revision) -> AssessmentData:
    """The whole assessment for a read-only page, assembled once per change rather than once per page.

    Decoding every part into the plain-data classes was most of a 300-row assessment's read-only
    page. The assessment is kept under the versions and save times of its parts (and the revision's
    own), so any save or sign-off gives a new key: what is kept is what is stored, never older. A
    page asks the database for those versions alone (one query), and loads the parts only when no
    assessment is kept for them. The pages only read what is kept.
    """
    versions = db.session.execute(
        select(RevisionPart.part, RevisionPart.version, RevisionPart.updated_at)
        .where(RevisionPart.revision_id == revision.id)
    ).all()
    with _reports_lock:
        found = _assessments.get(_versions_key(revision, [tuple(v) for v in versions]))
    return found if found is not None else _assessment(revision, part_versions(revision))


def check(revision: Revision, config: CheckConfig | None = None,
          stored: dict[str, Loaded] | None = None) -> tuple[AssessmentData, Report]:
    """Run the checker and keep its counts on the revision (task list, dashboard)."""
    stored = stored if stored is not None else part_versions(revision)
    key = (*_versions_key(revision, _versions_of(stored)), repr(config))
    with _reports_lock:
        cached = _reports.get(key)
    if cached is None:
        data = _assessment(revision, stored)
        # Each part as stored (the checker keeps its work on a part under this): the same key for the
        # same answers on the same template version, a new one after every save.
        stored_as = {name: (revision.id, revision.template_version_id, loaded.version, loaded.updated_at)
                     for name, loaded in stored.items()}
        cached = _kept(_reports, key, (data, run_checks(data, template_for(revision), config, stored_as)), 256)
    data, report = cached
    revision.error_count = len(report.errors)
    revision.warning_count = len(report.warnings)
    return data, report
