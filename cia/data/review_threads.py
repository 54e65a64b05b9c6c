"""The review conversation: comment threads on a revision, and the record of each submission.

An approver asked to sign off a revision starts a thread about a part, a row, a question or an item of
a list; the authors (project lead and team) and the approvers reply; either side resolves a thread or
reopens it. Each step is audited and tells the other side (a notification, and an e-mail the view sends
after its commit). Nothing here commits.

Each submission keeps the answers as submitted (`ReviewRound`), so an approver who asked for changes is
shown what changed since, and what the authors said had changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from cia import richtext
from cia import workflow as wf
from cia.data import assessments, audit
from cia.data import notifications as notices
from cia.data.assessments import Access
from cia.data.workflow import MAX_COMMENT, Blocked, NotPermitted, WrongState, _path, request_of, team
from cia.extensions import db
from cia.models import (
    ApprovalRequest,
    EmailOutbox,
    ReviewComment,
    ReviewReply,
    ReviewRound,
    Revision,
    User,
    utcnow,
)


@dataclass(frozen=True)
class Target:
    """What a thread is about: a part ("section:economy"), and within it a row, a question or a list item."""

    part: str
    row: str = ""
    question: str = ""
    item: str = ""


def clean_text(text: str, field_id: str = "text") -> str:
    """The comment as it will be kept; Blocked (shown by the form) when empty or too long."""
    cleaned = richtext.clean(text or "").strip()
    if not cleaned:
        raise Blocked("Enter your comment", {field_id: "Enter your comment"})
    if len(cleaned) > MAX_COMMENT:
        message = f"Your comment must be {MAX_COMMENT:,} characters or fewer"
        raise Blocked(message, {field_id: message})
    return cleaned


def _asked(access: Access, user: User) -> ApprovalRequest | None:
    return request_of(access.revision, user) if user.is_approver else None


def may_start(access: Access, user: User) -> bool:
    """Approvers asked to sign off the revision start threads, while it is with them or back with its authors."""
    return (_asked(access, user) is not None
            and access.revision.status in (wf.SUBMITTED, wf.CHANGES_REQUESTED))


def may_take_part(access: Access, user: User) -> bool:
    """The team and the approvers asked reply, resolve and reopen until the revision is signed off."""
    return ((access.can_edit or _asked(access, user) is not None)
            and access.revision.status not in (wf.APPROVED, wf.DRAFT))


def _check_start(access: Access, user: User) -> None:
    if _asked(access, user) is None:
        raise NotPermitted("Only an approver asked to sign off this assessment can start a comment. "
                           "You can reply to the approvers' comments")
    if not may_start(access, user):
        raise WrongState(f"Comments cannot be added now: revision {access.revision.number} is "
                         f"{wf.state_label(access.revision.status).lower()}")


def _check_take_part(access: Access, user: User) -> None:
    if not (access.can_edit or _asked(access, user) is not None):
        raise NotPermitted("Only the authors of this assessment and the approvers asked to sign it off "
                           "can take part in its comments")
    if not may_take_part(access, user):
        raise WrongState(f"Comments cannot be changed now: revision {access.revision.number} is "
                         f"{wf.state_label(access.revision.status).lower()}")


def _audit(action: str, access: Access, user: User, remote_addr: str, comment: ReviewComment, text: str,
           about: str) -> None:
    audit.record(f"workflow.{action}", actor=user, remote_addr=remote_addr, object_type="review_comment",
                 object_id=comment.id, assessment_id=access.assessment.id, revision=access.revision.number,
                 details={"part": comment.part, "row": comment.row_key, "question": comment.question,
                          "item": comment.item, "about": about[:300], "text": text[:2000]})


def _approvers_in(comment: ReviewComment, revision: Revision) -> list[User]:
    """The approvers of the thread: who started it, who replied, and those asked to sign off now."""
    asked = db.session.execute(
        select(User).join(ApprovalRequest, ApprovalRequest.approver_id == User.id)
        .where(ApprovalRequest.revision_id == revision.id)
    ).scalars()
    people = [comment.author, *(r.author for r in comment.replies), *asked]
    return [u for u in people if u.is_approver]


#: The e-mail's subject for each thing done in a thread.
_SUBJECTS = {"commented": "New comment", "replied to a comment": "Reply to a comment",
             "marked a comment as resolved": "Comment resolved", "reopened a comment": "Comment reopened"}


def _tell_other_side(access: Access, user: User, comment: ReviewComment, about: str, what: str,
                     text: str = "") -> list[EmailOutbox]:
    assessment, revision = access.assessment, access.revision
    name = revision.proposal_name or assessment.reference
    authors = team(assessment)
    on_team = any(u.id == user.id for u in authors)
    recipients = _approvers_in(comment, revision) if on_team else authors
    return notices.notify(recipients, notices.Message(
        text=f"{user.name} {what} on {about} in {assessment.reference}: {name}",
        link=_path("review.thread", assessment_id=assessment.id, comment_id=comment.id),
        subject=f"{_SUBJECTS[what]}: {assessment.reference} {name}"[:300],
        body=(f"Their comment: {text}" if text else "")), assessment.id, actor=user)


def start(access: Access, user: User, target: Target, text: str, about: str,
          remote_addr: str = "") -> tuple[ReviewComment, list[EmailOutbox]]:
    """A new thread about `target` (checked to exist by the caller); `about` names it for people."""
    _check_start(access, user)
    cleaned = clean_text(text)
    comment = ReviewComment(revision_id=access.revision.id, assessment_id=access.assessment.id, author_id=user.id,
                            part=target.part[:120], row_key=target.row[:100], question=target.question[:100],
                            item=target.item[:100], text=cleaned)
    db.session.add(comment)
    db.session.flush()
    _audit("comment_added", access, user, remote_addr, comment, cleaned, about)
    return comment, _tell_other_side(access, user, comment, about, "commented", cleaned)


def reply(access: Access, comment: ReviewComment, user: User, text: str, about: str,
          remote_addr: str = "") -> list[EmailOutbox]:
    _check_take_part(access, user)
    cleaned = clean_text(text)
    comment.replies.append(ReviewReply(author_id=user.id, text=cleaned, created_at=utcnow()))
    db.session.flush()
    _audit("comment_replied", access, user, remote_addr, comment, cleaned, about)
    return _tell_other_side(access, user, comment, about, "replied to a comment", cleaned)


def set_resolved(access: Access, comment: ReviewComment, user: User, resolved: bool, about: str,
                 remote_addr: str = "") -> tuple[bool, list[EmailOutbox]]:
    """Resolve (or reopen) a thread; (False, []) when it already was."""
    _check_take_part(access, user)
    state = ReviewComment.resolved_at.is_(None) if resolved else ReviewComment.resolved_at.is_not(None)
    values = {"resolved_at": utcnow(), "resolved_by_id": user.id} if resolved else {
        "resolved_at": None, "resolved_by_id": None}
    result = db.session.execute(update(ReviewComment).where(ReviewComment.id == comment.id, state)
                                .values(**values).execution_options(synchronize_session=False))
    db.session.expire(comment)
    if result.rowcount != 1:
        return False, []
    _audit("comment_resolved" if resolved else "comment_reopened", access, user, remote_addr, comment,
           comment.text, about)
    return True, _tell_other_side(access, user, comment, about,
                                  "marked a comment as resolved" if resolved else "reopened a comment")


def threads(revision: Revision, *, open_only: bool = False) -> list[ReviewComment]:
    """The revision's threads, oldest first, with their people (replies come in one more query)."""
    query = (select(ReviewComment).options(joinedload(ReviewComment.author), joinedload(ReviewComment.resolved_by))
             .where(ReviewComment.revision_id == revision.id))
    if open_only:
        query = query.where(ReviewComment.resolved_at.is_(None))
    return list(db.session.execute(query.order_by(ReviewComment.created_at, ReviewComment.id)).scalars())


def thread_of(access: Access, comment_id: int) -> ReviewComment | None:
    """A thread of this assessment's current revision (another assessment's is not there)."""
    return db.session.execute(
        select(ReviewComment).where(ReviewComment.id == comment_id, ReviewComment.revision_id == access.revision.id)
    ).scalar_one_or_none()


# --- submissions ---------------------------------------------------------------------------------


def record_round(revision: Revision, user: User, what_changed: str,
                 stored: dict[str, assessments.Loaded] | None = None) -> ReviewRound:
    """The answers as submitted now (`stored`: already read), and what the authors said had changed."""
    stored = stored if stored is not None else assessments.part_versions(revision)
    snapshot = {name: loaded.data.to_dict() for name, loaded in stored.items()}
    found = ReviewRound(revision_id=revision.id, submitted_by_id=user.id, what_changed=what_changed,
                        parts=snapshot, submitted_at=utcnow())
    db.session.add(found)
    return found


def rounds(revision: Revision) -> list[ReviewRound]:
    return list(db.session.execute(
        select(ReviewRound).where(ReviewRound.revision_id == revision.id)
        .order_by(ReviewRound.submitted_at, ReviewRound.id)
    ).scalars())


def resubmitting(revision: Revision) -> bool:
    """Whether the next submission answers a request for changes (so the authors say what changed)."""
    return revision.status == wf.CHANGES_REQUESTED
