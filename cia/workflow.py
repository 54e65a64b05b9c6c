"""The sign-off workflow as data: states, who may do what, and what it leads to.

No Flask and no database: `cia.data.workflow` performs the transitions, the pages
offer them, and the tests walk every (state, action, kind of person) combination
from the one table below. docs/decisions/0006-workflow-states.md explains the choices.

    draft ──submit──▶ submitted ──approve (last approver)──▶ approved ──reopen──▶ new revision in draft
      ▲                 │  │
      │                 │  └─request_changes──▶ changes_requested ──submit──▶ submitted
      │                 └─withdraw──▶ withdrawn ──submit──▶ submitted
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from cia import domain
from cia.domain import Condition, SignOffStep, TemplateSpec


class State(StrEnum):
    """The state of a revision (stored in revision.status as its value)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"


DRAFT, SUBMITTED, CHANGES_REQUESTED, APPROVED, WITHDRAWN = (
    State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED, State.APPROVED, State.WITHDRAWN)


class Role(StrEnum):
    """What an account may do (stored space-separated in user.roles): start and write assessments,
    sign them off, run the service. A person may hold several."""

    AUTHOR = "author"
    APPROVER = "approver"
    ADMIN = "admin"

#: Every state a revision can be in, with its name on screen.
STATES: dict[str, str] = {
    DRAFT: "Draft",
    SUBMITTED: "Submitted for sign-off",
    CHANGES_REQUESTED: "Changes requested",
    APPROVED: "Approved",
    WITHDRAWN: "Withdrawn",
}

#: States in which the authors may change answers (the same as cia.data.assessments.EDITABLE_STATES).
EDITABLE = (DRAFT, CHANGES_REQUESTED, WITHDRAWN)
#: States whose answers nobody may change: the data layer refuses any write to their parts.
FROZEN = (SUBMITTED, APPROVED)

# --- kinds of person, relative to one revision -----------------------------------

OWNER = "owner"  # the project lead who started the assessment
COLLABORATOR = "collaborator"  # a project team member given edit access
UNDECIDED_APPROVER = "undecided_approver"  # asked to sign off this revision, has not decided yet
DECIDED_APPROVER = "decided_approver"  # asked, and has signed off or asked for changes
ADMIN = "admin"  # an administrator of the service: may read, never decides

ACTOR_KINDS = (OWNER, COLLABORATOR, UNDECIDED_APPROVER, DECIDED_APPROVER, ADMIN)

#: Who each "who" of the table stands for.
TEAM = "team"
APPROVER = "approver"
WHO: dict[str, frozenset[str]] = {
    TEAM: frozenset({OWNER, COLLABORATOR}),
    APPROVER: frozenset({UNDECIDED_APPROVER}),
}
WHO_LABELS = {TEAM: "the project lead or a project team member with edit access",
              APPROVER: "an approver asked to sign off, who has not decided yet"}


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    who: str
    #: The button and the history page's wording.
    label: str
    #: approve: the revision stays submitted until every approver asked has signed off.
    target_until_all_agree: str = ""
    #: reopen: the approved revision stays as it is; a new revision n+1 starts in `target`.
    new_revision: bool = False

    @property
    def audit_action(self) -> str:
        return f"workflow.{self.action}"


SUBMIT = "submit"
WITHDRAW = "withdraw"
APPROVE = "approve"
REQUEST_CHANGES = "request_changes"
REOPEN = "reopen"

#: THE table. Code (cia.data.workflow, the pages) and tests read it; nothing else decides.
TRANSITIONS: tuple[Transition, ...] = (
    Transition(SUBMIT, (DRAFT, CHANGES_REQUESTED, WITHDRAWN), SUBMITTED, TEAM, "Submit for sign-off"),
    Transition(WITHDRAW, (SUBMITTED,), WITHDRAWN, TEAM, "Withdraw from sign-off"),
    Transition(APPROVE, (SUBMITTED,), APPROVED, APPROVER, "Sign off", target_until_all_agree=SUBMITTED),
    Transition(REQUEST_CHANGES, (SUBMITTED,), CHANGES_REQUESTED, APPROVER, "Request changes"),
    Transition(REOPEN, (APPROVED,), DRAFT, TEAM, "Reopen as a new revision", new_revision=True),
)
ACTIONS = tuple(t.action for t in TRANSITIONS)
_BY_ACTION = {t.action: t for t in TRANSITIONS}


def transition(action: str) -> Transition:
    try:
        return _BY_ACTION[action]
    except KeyError:
        raise KeyError(f"unknown workflow action {action!r}") from None


def permitted(action: str, actor_kinds: Iterable[str]) -> bool:
    """Whether this kind of person may ever take the action (whatever the state)."""
    return bool(WHO[transition(action).who] & set(actor_kinds))


def allowed(action: str, state: str, actor_kinds: Iterable[str]) -> bool:
    """Whether someone of these kinds may take the action on a revision in this state."""
    found = _BY_ACTION.get(action)
    if found is None:
        return False
    return state in found.sources and permitted(action, actor_kinds)


def actions_for(state: str, actor_kinds: Iterable[str]) -> list[Transition]:
    kinds = set(actor_kinds)
    return [t for t in TRANSITIONS if allowed(t.action, state, kinds)]


def state_label(state: str) -> str:
    return STATES.get(state, state.replace("_", " ").capitalize())


# --- who signs off ------------------------------------------------------------------

#: The levels an approver account can hold (kept with the council's other vocabulary).
APPROVER_LEVELS = domain.APPROVER_LEVELS


def required_level(template: TemplateSpec, project_size: str,
                   installation_levels: Mapping[str, str] | None = None) -> str:
    """The approver level a project size calls for under the assessment's template version.

    The template's own project sizes decide; a template that leaves them out uses the installation's
    levels (CIA_APPROVER_LEVELS, when set), else the default sizes' levels ("" when the size is not
    set or not known: the authors are asked to set it).
    """
    return template.approver_level(project_size, installation_levels)


# --- the steps of sign-off ----------------------------------------------------------------

#: The step of a template that names none: approvers at the level the project size calls for.
DEFAULT_STEP = SignOffStep(key="sign-off", title="Sign-off")


class Conditions(Protocol):
    def met(self, condition: Condition) -> bool: ...


def steps_for(template: TemplateSpec, shown: Conditions) -> list[SignOffStep]:
    """The template's sign-off steps that apply to this assessment, in order (its path: a screened-out
    assessment can have steps of its own). None apply, or none are named: the one default step."""
    return [step for step in template.signoff_steps if shown.met(step.show_if)] or [DEFAULT_STEP]


def step_levels(step: SignOffStep, template: TemplateSpec, project_size: str,
                installation_levels: Mapping[str, str] | None = None) -> list[str]:
    """The approver levels that may sign at `step`: its own, else the one the project size calls for
    under the template (none while the size is not set)."""
    if step.levels:
        return list(step.levels)
    level = required_level(template, project_size, installation_levels)
    return [level] if level else []


def current_step(steps: list[SignOffStep], decisions: Iterable[tuple[str, str]]) -> str:
    """The key of the first step with an approver who has not signed off ("" when all have).

    `decisions`: (step key, decision) of every approver asked.
    """
    waiting = {step for step, decision in decisions if decision != "approved"}
    return next((s.key for s in steps if s.key in waiting), "")
