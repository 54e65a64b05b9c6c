"""Database tables (SQLAlchemy 2 typed models).

Only the data layer (`cia.data`) queries these. The shape is recorded in
docs/decisions/0002-data-model.md: templates are relational (template ->
version -> section -> category area); an assessment revision keeps each task's
answers as one JSON document ("part") with its own version number, which gives
optimistic locking per page, a constant number of statements per page and
cheap, exact copies for new revisions.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, event, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cia.domain import APPROVER_LEVELS  # noqa: F401  (re-exported: the accounts pages and review read it here)
from cia.extensions import db
from cia.workflow import Role


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# --- accounts ----------------------------------------------------------------

ROLES = tuple(Role)


class User(db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(400))
    #: Space-separated roles from ROLES; a user may hold several.
    roles: Mapped[str] = mapped_column(String(100), default="author")
    approver_level: Mapped[str] = mapped_column(String(20), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The council's OpenID provider's `sub` for this person, once they have signed in through it.
    #: A unique index, not a table constraint: adding one to a table with rows on SQLite would mean
    #: rebuilding `user`, which other tables refer to (migration 0009).
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True, index=True)

    def has_role(self, role: str) -> bool:
        return role in self.roles.split()

    @property
    def is_admin(self) -> bool:
        return self.has_role("admin")

    @property
    def is_approver(self) -> bool:
        return self.has_role("approver")

    @property
    def role_list(self) -> list[str]:
        return self.roles.split()


class UserSession(UserMixin, db.Model):
    """A signed-in session on the server: sign-out revokes it, so a replayed cookie is refused."""

    __tablename__ = "user_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    remote_addr: Mapped[str] = mapped_column(String(64), default="")

    user: Mapped[User] = relationship(lazy="joined")

    # Flask-Login stores get_id() in the cookie: the session id, never the user id.
    def get_id(self) -> str:
        return self.id

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.user.active


ACCOUNT_LINK_PURPOSES = {"invitation": "Invitation", "password_reset": "Password reset"}


class AccountLink(db.Model):
    """A single-use, time-limited link to set a password (an invitation or a reset).

    Only the SHA-256 of the random token is stored: the link itself is in the e-mail alone.
    """

    __tablename__ = "account_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


# --- templates ---------------------------------------------------------------

VERSION_STATUSES = {"draft": "Draft", "published": "Published", "retired": "Retired"}


class Template(db.Model):
    __tablename__ = "template"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    organisation: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[TemplateVersion]] = relationship(
        back_populates="template", order_by="TemplateVersion.number"
    )


class TemplateVersion(db.Model):
    __tablename__ = "template_version"
    __table_args__ = (UniqueConstraint("template_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("template.id"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="draft")
    name: Mapped[str] = mapped_column(String(300))
    organisation: Mapped[str] = mapped_column(String(300), default="")
    #: The version-level parts of the TemplateSpec that are not sections:
    #: header fields, column guidance, "Please note", scales, rule settings...
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    retired_at: Mapped[datetime | None]

    template: Mapped[Template] = relationship(back_populates="versions")
    sections: Mapped[list[TemplateSection]] = relationship(
        back_populates="version", order_by="TemplateSection.position", cascade="all, delete-orphan"
    )


class TemplateSection(db.Model):
    __tablename__ = "template_section"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("template_version.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    intro: Mapped[str] = mapped_column(Text, default="")
    prompts_label: Mapped[str] = mapped_column(String(300), default="")
    prompts: Mapped[list[str]] = mapped_column(JSON, default=list)
    row_label_header: Mapped[str] = mapped_column(Text, default="")
    allow_custom_rows: Mapped[bool] = mapped_column(default=False)
    legislation: Mapped[list[str]] = mapped_column(JSON, default=list)
    mandatory_engagement: Mapped[str] = mapped_column(String(300), default="")
    evidence_base_label: Mapped[str] = mapped_column(String(300), default="")
    evidence_base_guidance: Mapped[str] = mapped_column(Text, default="")
    staff_row_key: Mapped[str] = mapped_column(String(100), default="")
    #: The section's questions (`Question.to_dict()` each): they are read and written whole.
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    evidence_base: Mapped[bool] = mapped_column(default=True)
    #: "Show this section only if" (`Condition.to_dict()`).
    show_if: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: "End the assessment after this section if" (`Condition.to_dict()`), and what authors then see.
    end_if: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    end_message: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[TemplateVersion] = relationship(back_populates="sections")
    category_areas: Mapped[list[CategoryAreaRow]] = relationship(
        back_populates="section", order_by="CategoryAreaRow.position", cascade="all, delete-orphan"
    )


class CategoryAreaRow(db.Model):
    __tablename__ = "category_area"
    __table_args__ = (UniqueConstraint("section_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("template_section.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    question: Mapped[str] = mapped_column(Text, default="")
    guidance: Mapped[str] = mapped_column(Text, default="")

    section: Mapped[TemplateSection] = relationship(back_populates="category_areas")


# --- assessments -------------------------------------------------------------


class Assessment(db.Model):
    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The newest revision; earlier ones stay readable.
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revision.id", use_alter=True, name="fk_assessment_current_revision_id_revision"), index=True
    )

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    current_revision: Mapped[Revision | None] = relationship(foreign_keys=[current_revision_id], post_update=True)


class Revision(db.Model):
    __tablename__ = "revision"
    __table_args__ = (
        UniqueConstraint("assessment_id", "number"),
        Index("ix_revision_status_updated", "status", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    template_version_id: Mapped[int] = mapped_column(ForeignKey("template_version.id"), index=True)
    status: Mapped[str] = mapped_column(String(30), default="draft")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    #: Indexed: the dashboards list newest changes first, a page at a time.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    submitted_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    # Copies of a few answers for the dashboard's filters and search (kept in step on save).
    proposal_name: Mapped[str] = mapped_column(String(500), default="", index=True)
    directorate: Mapped[str] = mapped_column(String(300), default="")
    decision_route: Mapped[str] = mapped_column(String(40), default="")
    decision_date: Mapped[str] = mapped_column(String(10), default="")
    project_size: Mapped[str] = mapped_column(String(10), default="")
    #: Counts from the last checker run, for the task list and dashboard.
    error_count: Mapped[int] = mapped_column(default=0)
    warning_count: Mapped[int] = mapped_column(default=0)

    assessment: Mapped[Assessment] = relationship(foreign_keys=[assessment_id])
    template_version: Mapped[TemplateVersion] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])


class RevisionPart(db.Model):
    """One task's answers (details, team, a section's rows, an Evidence Base ...) as JSON."""

    __tablename__ = "revision_part"
    __table_args__ = (UniqueConstraint("revision_id", "part"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revision.id", ondelete="CASCADE"), index=True)
    part: Mapped[str] = mapped_column(String(120))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Optimistic lock across a long edit: the form carries it, the save compares it.
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    updated_by: Mapped[User | None] = relationship()


class RevisionPartVersion(db.Model):
    """A part as one save stored it: the base a later save of a page loaded at that version is merged
    from (cia/merge.py). Only the latest few of each part are kept (`cia.data.assessments.KEEP_VERSIONS`)."""

    __tablename__ = "revision_part_version"
    __table_args__ = (UniqueConstraint("part_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("revision_part.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column()
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)


class Collaborator(db.Model):
    """A team member with an account who may edit this assessment."""

    __tablename__ = "collaborator"
    __table_args__ = (UniqueConstraint("assessment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class SectionAssignment(db.Model):
    """Who the project lead asked to write one section of an assessment (for example Public Health
    writing Health and Care). One person a section; the section stays editable by the whole team."""

    __tablename__ = "section_assignment"
    __table_args__ = (UniqueConstraint("assessment_id", "section_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    section_key: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


# --- audit -------------------------------------------------------------------


class AuditEvent(db.Model):
    """Append-only record of who did what, when: the application never updates or deletes one."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_assessment_at", "assessment_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    actor_email: Mapped[str] = mapped_column(String(254), default="")
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(60), default="")
    assessment_id: Mapped[int | None] = mapped_column(index=True)
    revision: Mapped[int | None]
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AuditIsAppendOnly(Exception):
    pass


@event.listens_for(AuditEvent, "before_update")
def _refuse_audit_update(mapper, connection, target):  # noqa: ARG001
    raise AuditIsAppendOnly("audit events cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_audit_delete(mapper, connection, target):  # noqa: ARG001
    raise AuditIsAppendOnly("audit events cannot be deleted")


# --- sign-off ------------------------------------------------------------------


class ApprovalRequest(db.Model):
    """One approver asked to sign off one revision, and their answer."""

    __tablename__ = "approval_request"
    __table_args__ = (UniqueConstraint("revision_id", "approver_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revision.id", ondelete="CASCADE"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    approver_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    level: Mapped[str] = mapped_column(String(20), default="")
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decision: Mapped[str] = mapped_column(String(30), default="")  # "", "approved", "changes_requested"
    comment: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None]
    #: The template's sign-off step this approver signs at (cia.workflow.DEFAULT_STEP's key when the
    #: template names none).
    step: Mapped[str] = mapped_column(String(60), default="sign-off", server_default="sign-off")
    #: Asked, but an earlier step is not signed off yet: not told, and cannot decide until it is.
    waiting: Mapped[bool] = mapped_column(default=False, server_default=false())

    approver: Mapped[User] = relationship(foreign_keys=[approver_id])


# --- sign-off workflow -----------------------------------------------------


class ReviewComment(db.Model):
    """An approver's comment on one row (or a whole part) of a revision, shown beside it to the authors."""

    __tablename__ = "review_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revision.id", ondelete="CASCADE"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    #: The part the comment is about: "section:economy", "details", ... ("" = the whole assessment).
    part: Mapped[str] = mapped_column(String(120), default="")
    #: A RowAnswer.key within a section part ("" = the part as a whole).
    row_key: Mapped[str] = mapped_column(String(100), default="")
    #: A question of the part (its key) when the comment is about one question ("" = a row or the part).
    question: Mapped[str] = mapped_column(String(100), default="", server_default="")
    #: An item of that question's list (its id) when the comment is about one item.
    item: Mapped[str] = mapped_column(String(100), default="", server_default="")
    #: The comment that starts the thread; its replies are ReviewReply rows.
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Set while the thread is resolved; reopening clears it (the audit trail keeps each change).
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])
    replies: Mapped[list[ReviewReply]] = relationship(
        order_by="ReviewReply.created_at, ReviewReply.id", cascade="all, delete-orphan", lazy="selectin")


class ReviewReply(db.Model):
    """A reply in a comment's thread, by an author or an approver."""

    __tablename__ = "review_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("review_comment.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")


class ReviewRound(db.Model):
    """One submission of a revision for sign-off: what the authors said had changed since the approvers
    asked for changes, and every part's answers as submitted, so an approver sees what changed since."""

    __tablename__ = "review_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revision.id", ondelete="CASCADE"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    what_changed: Mapped[str] = mapped_column(Text, default="")
    #: {part name: its answers} as submitted.
    parts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    submitted_by: Mapped[User | None] = relationship()


class Notification(db.Model):
    """A message for one person in the service ("Notifications" in the navigation)."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(500))
    #: A path in the service ("/assessments/3/sign-off").
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class EmailOutbox(db.Model):
    """Every e-mail the service sends, written in the same transaction as what caused it.

    Sent after the commit when SMTP is configured (sent_at set); otherwise, or when sending
    fails (error kept), it waits here for an administrator to see.
    """

    __tablename__ = "email_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(Text, default="")


class RevisionFrozen(Exception):
    """The revision is submitted or approved: its answers cannot change."""


@event.listens_for(RevisionPart, "before_update")
def _refuse_frozen_part_update(mapper, connection, target):  # noqa: ARG001
    _refuse_if_frozen(connection, target, "changed")


@event.listens_for(RevisionPart, "before_delete")
def _refuse_frozen_part_delete(mapper, connection, target):  # noqa: ARG001
    _refuse_if_frozen(connection, target, "deleted")


def _refuse_if_frozen(connection, target: RevisionPart, verb: str) -> None:
    """Last line of defence: an ORM write to a part of a submitted or approved revision is refused."""
    from sqlalchemy import select

    from cia.workflow import FROZEN

    status = connection.execute(select(Revision.status).where(Revision.id == target.revision_id)).scalar()
    if status in FROZEN:
        raise RevisionFrozen(f"the answers of a {status} revision cannot be {verb}")


# --- typed answers kept across a session that ended -------------------------------


class FormStash(db.Model):
    """What an officer typed when their session had ended, kept until they sign in again.

    The browser holds only the random id (in its new session); the answers are
    shown back on the same page after sign-in, unsaved, for the officer to save.
    """

    __tablename__ = "form_stash"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: Whose session ended: only they get it back, and each person has a bounded number kept.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(500))
    form: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: "ended": posted after the session ended, given back once after signing in (by the id the
    #: browser holds); "invalid": input a save could not keep, shown on the page until it is saved.
    kind: Mapped[str] = mapped_column(String(20), default="ended", server_default="ended")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


# --- sign-in throttling shared by every worker (when Redis is not configured) ------------------


class LoginFailure(db.Model):
    """One failed sign-in counted against a throttling key (a hash: no e-mail or address is kept here)."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class LoginLock(db.Model):
    """A throttling key refused until `until`."""

    __tablename__ = "login_lock"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    until: Mapped[datetime] = mapped_column(index=True)
