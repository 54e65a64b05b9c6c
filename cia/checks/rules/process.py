"""Rules 5 to 8, 11 and 12: the header, the team, engagement, staff and the planning stage."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from cia.checks.base import ADVICE, ERROR, WARNING, Context, Finding, Location, Parameter, Rule, register
from cia.checks.parameters import chosen, located
from cia.checks.rules._walk import (
    DETAILS_LABEL,
    ENGAGEMENT_LABEL,
    TEAM_LABEL,
    applicable,
    blank,
    format_date,
    is_after,
    parse_date,
    rows,
    short,
    staff_row,
    staff_title,
)
from cia.domain import Assessment, Question, SectionSpec, TemplateSpec, answers_of
from cia.kinds.lists import items_of

# --- R05 ------------------------------------------------------------------------


def check_header(ctx: Context) -> Iterator[Finding]:
    d = ctx.assessment.details
    for name, what in (("name", "the name of the proposal"),
                       ("lead", "the project manager or lead"),
                       ("date", "the date of the assessment")):
        if blank(getattr(d, name)):
            yield Finding("CIA-R05", ERROR, f"{DETAILS_LABEL}: enter {what}", Location("details", field=name))
    if blank(d.sponsor):
        yield Finding("CIA-R05", ADVICE,
                      f"{DETAILS_LABEL}: the project sponsor is blank. Enter the sponsor if the proposal "
                      "has one",
                      Location("details", field="sponsor"))


register(Rule(
    id="CIA-R05",
    title="The proposal's name, lead and date are given",
    default_severity=ERROR,
    template_sentence="Project Manager (if applicable) or Lead:",
    check=check_header,
    explanation=(
        "The header must give the name of the proposal, the project manager or lead, and the date. "
        "A blank project sponsor is only advice, as the template marks it 'if applicable'. "
        "If you set a severity here, it applies to all of these findings, the sponsor included."
    ),
))


# --- R06 ------------------------------------------------------------------------


def _members(ctx: Context):
    return [m for m in ctx.assessment.team.members if not blank(m.name)]


def check_team_size(ctx: Context) -> Iterator[Finding]:
    if len(_members(ctx)) < 2:
        yield Finding("CIA-R06", WARNING,
                      f"{TEAM_LABEL}: add the other people who have given input. A good CIA involves "
                      "more than one person",
                      Location("team", field="members"))


register(Rule(
    id="CIA-R06",
    pages=("team",),
    title="The Project Team has more than one person",
    default_severity=WARNING,
    template_sentence="A good CIA will involve input from more than one person.",
    check=check_team_size,
    explanation=(
        "The Project Team should list at least two people, with different but relevant expertise, "
        "so that a full range of views is considered."
    ),
))


# --- R07 ------------------------------------------------------------------------
#
# On a template with the standard Project Team page, the holders of the template's team role are the
# members answering its question Yes. On a template built from questions, the template names its own:
# the list that is the team, its yes or no question that marks the role, and (optionally) its date
# each member was first involved (the rule's parameters).


class _TeamQuestions(NamedTuple):
    section: SectionSpec
    team: Question
    role: Question
    first_involved: Question | None


def _team_questions(template: TemplateSpec) -> _TeamQuestions | None:
    """The template's own team questions named by the rule's parameters, or None (the standard page)."""
    setting = template.rule_settings.get("CIA-R07")
    team, role = chosen(setting, "team"), chosen(setting, "role")
    if not team or not role:
        return None
    found, marks = located(template, team[0]), located(template, role[0])
    if found is None or marks is None or marks[2] is None or marks[1].key != found[1].key:
        return None
    dated = chosen(setting, "first_involved")
    when = located(template, dated[0]) if dated else None
    return _TeamQuestions(found[0], found[1], marks[2], when[2] if when and when[1].key == found[1].key else None)


class _Holder(NamedTuple):
    id: str
    name: str
    date_first_involved: str
    location: Location


def _holders(assessment: Assessment, template: TemplateSpec) -> list[_Holder] | None:
    """Who holds the role: the standard page's members, or the items of the template's own list whose
    role question is answered Yes. None when the template's list is named but its section is not there."""
    asked = _team_questions(template)
    if asked is None:
        return [_Holder(m.id, m.name, m.date_first_involved, Location("team", item=m.id, field="date_first_involved"))
                for m in assessment.team.members if m.has_team_role == "yes"]
    answers = answers_of(assessment, asked.section)
    items = items_of(answers.answers.get(asked.team.key))
    part = f"questions:{asked.section.key}"
    named_by = next((s for s in asked.team.questions if s.kind == "short_text"), None)
    out = []
    for item in items:
        if item.get(asked.role.key) != "yes" or not isinstance(item.get("id"), str):
            continue
        when = item.get(asked.first_involved.key, "") if asked.first_involved else ""
        name = item.get(named_by.key, "") if named_by else ""
        out.append(_Holder(item["id"], name if isinstance(name, str) else "", when if isinstance(when, str) else "",
                           Location(part, row=asked.team.key, item=item["id"],
                                    field=asked.first_involved.key if asked.first_involved else asked.role.key)))
    return out


def count_role_holders(assessment: Assessment, template: TemplateSpec) -> int:
    """How many in the team hold the role the template asks about (for the summary's checklist)."""
    return len(_holders(assessment, template) or [])


def _engaged_role_section(ctx: Context):
    """The section that needs the team role's holders engaged, when the template asks about a role."""
    if not ctx.template.team_role.name.strip():
        return None
    return next((s for s in ctx.template.sections if s.mandatory_engagement.strip()), None)


def check_role_engaged(ctx: Context) -> Iterator[Finding]:
    asked = _team_questions(ctx.template)
    spec = _engaged_role_section(ctx)
    role = ctx.template.team_role
    holders = _holders(ctx.assessment, ctx.template) or []
    if asked is not None:
        where = short(asked.team.label, 60)
        who = (spec.mandatory_engagement.strip() if spec else "") or role.plural.strip() or role.name.strip()
        one = role.name.strip() or short(asked.role.label, 60)
        missing = (f"{where}: add one of the {who} to the list. The template says they must be engaged at an early "
                   "stage" if who else
                   f"{where}: no one in the list is answered Yes to “{short(asked.role.label, 80)}”. Add someone "
                   "who is, at an early stage")
        missing_at, severity = Location(f"questions:{asked.section.key}", field=asked.team.key), ERROR
    else:
        if spec is None:
            return
        where, who, one = TEAM_LABEL, spec.mandatory_engagement.strip(), role.name
        missing = (f"{TEAM_LABEL}: add one of the {who} to the Project Team. The {spec.title} section says they must "
                   "be engaged at an early stage")
        impact = any(v.row.impact == "yes" for v in rows(ctx) if v.spec.key == spec.key)
        missing_at, severity = Location("team", field="members"), ERROR if impact else WARNING
    if not holders:
        yield Finding("CIA-R07", severity, missing, missing_at)
        return
    cia_date = parse_date(ctx.assessment.details.date)
    if cia_date is None:
        return
    parsed = [(parse_date(m.date_first_involved), m) for m in holders]
    dated = [(d, m) for d, m in parsed if d is not None]
    if not dated or len(dated) < len(holders):
        return  # a holder without a date may have been there from the start
    if all(is_after(d, cia_date) for d, _m in dated):
        d, member = min(dated, key=lambda dm: (dm[0][0], dm[0][1], dm[0][2] or 0))
        named = short(member.name, 40) or "a member"
        yield Finding("CIA-R07", WARNING,
                      f"{where}, {named} ({one}): first involved in {format_date(d)}, after the date of the CIA "
                      f"({format_date(cia_date)}). Engage the {who or one} at an early stage",
                      member.location)


def _role_applies(ctx: Context) -> bool:
    asked = _team_questions(ctx.template)
    if asked is not None:
        shown = applicable(ctx)
        return shown.question(asked.team)
    # Told of questions that are no longer there: the standard page, which it needs (run_checks then
    # leaves the rule's pages to it).
    return "team" in applicable(ctx).pages and _engaged_role_section(ctx) is not None


register(Rule(
    id="CIA-R07",
    pages=("team",),
    title="The people the template names are engaged in the Project Team at an early stage",
    default_severity=ERROR,
    template_sentence=(
        "The people a section names must be engaged with as part of the Project Team at an early "
        "stage of the process."
    ),
    check=check_role_engaged,
    applies=_role_applies,
    explanation=(
        "Applies when the template asks about a role for each Project Team member and a section says "
        "who must be engaged. At least one team member must hold that role: without one this is an "
        "error when that section identifies any impact, and a warning otherwise. When every holder of "
        "the role first became involved after the date of the CIA, that is a warning. "
        "A template built from its own questions names them below: its list of team members and the yes "
        "or no question that marks the role (and, if it asks, the date each was first involved). Then "
        "the rule reads that list instead of the Project Team page, and no one marked Yes is an error."
    ),
    parameters=(
        Parameter("team", "The list that is the project team",
                  "A list question whose items are the people in the team. Leave it empty to use the "
                  "standard Project Team page.", takes="list"),
        Parameter("role", "The question that marks the required role",
                  "A yes or no question asked of each item of that list: Yes means the person holds the role.",
                  takes="yes_no_in_list", required=True, of="team"),
        Parameter("first_involved", "The date each person was first involved",
                  "Optional. A date question of that list: a warning when everyone holding the role was first "
                  "involved after the date of the assessment.", takes="date_in_list", of="team"),
    ),
))


# --- R08 ------------------------------------------------------------------------


def check_engagement(ctx: Context) -> Iterator[Finding]:
    activities = ctx.assessment.engagement.activities
    recorded = [(n, a) for n, a in enumerate(activities, 1)
                if not all(blank(getattr(a, f)) for f in ("activity", "groups", "dates", "method",
                                                           "findings", "influence"))]
    if not recorded:
        yield Finding("CIA-R08", WARNING,
                      f"{ENGAGEMENT_LABEL}: record the engagement or consultation that has taken place "
                      "and how it shaped the proposal",
                      Location("engagement", field="activities"))
        return
    for n, a in recorded:
        name = f" ({short(a.activity, 40)})" if not blank(a.activity) else ""
        if blank(a.findings):
            yield Finding("CIA-R08", WARNING,
                          f"{ENGAGEMENT_LABEL}, activity {n}{name}: enter what the engagement found",
                          Location("engagement", item=a.id, field="findings"))
        if blank(a.influence):
            yield Finding("CIA-R08", WARNING,
                          f"{ENGAGEMENT_LABEL}, activity {n}{name}: enter how the findings shaped the "
                          "proposal",
                          Location("engagement", item=a.id, field="influence"))


register(Rule(
    id="CIA-R08",
    pages=("engagement",),
    title="Engagement and consultation are recorded and shape the proposal",
    default_severity=WARNING,
    template_sentence=(
        "Engagement and/or consultation should take place with appropriate and representative groups "
        "of people that are most likely to be affected. This must then be used to help shape the "
        "design/outcomes of the project."
    ),
    check=check_engagement,
    explanation=(
        "At least one engagement or consultation activity should be recorded, and each activity "
        "should say what it found and how those findings shaped the proposal."
    ),
))


# --- R11 ------------------------------------------------------------------------


def _staff_affected(ctx: Context) -> bool:
    if ctx.assessment.staff.affects_staff == "yes":
        return True
    row = staff_row(ctx)
    return row is not None and row.impact == "yes"


def check_staff(ctx: Context) -> Iterator[Finding]:
    staff = ctx.assessment.staff
    st = staff_title(ctx)
    if not any(not blank(line.pre_percent) and not blank(line.post_percent) for line in staff.profile):
        yield Finding("CIA-R11", WARNING,
                      f"{st}: enter the workforce profile before and after the change (pre and post). "
                      "Enter Unknown where a figure is not known",
                      Location("staff", field="profile"))
    if blank(staff.job_losses):
        yield Finding("CIA-R11", WARNING,
                      f"{st}: enter the number of job losses, or 0 if there are none",
                      Location("staff", field="job_losses"))
    if blank(staff.support):
        yield Finding("CIA-R11", WARNING, f"{st}: enter the support available for staff",
                      Location("staff", field="support"))
    if blank(staff.hr_protocols):
        yield Finding("CIA-R11", WARNING, f"{st}: enter the HR protocols that will be followed",
                      Location("staff", field="hr_protocols"))


register(Rule(
    id="CIA-R11",
    pages=("staff",),
    title="Staff impact: workforce profile, job losses, support and HR protocols",
    default_severity=WARNING,
    template_sentence=(
        "If the proposal affects the council's staff, consider the workforce profile compared against "
        "the protected characteristics before and after the change, the impact of job losses, the "
        "support available for staff, and HR protocols."
    ),
    check=check_staff,
    applies=_staff_affected,
    explanation=(
        "Applies when the proposal affects council staff (the staff question is answered Yes, or the "
        "template's staff row has an impact). Then the CIA should give the workforce profile before and "
        "after the change, the number of job losses (0 if none), the support for staff and the HR "
        "protocols. Each missing part is a separate warning."
    ),
))


# --- R12 ------------------------------------------------------------------------


def _dates(ctx: Context):
    d = ctx.assessment.details
    return parse_date(d.date), parse_date(d.decision_date)


def _dates_given(ctx: Context) -> bool:
    cia, decision = _dates(ctx)
    return cia is not None and decision is not None


def check_planning_stage(ctx: Context) -> Iterator[Finding]:
    cia, decision = _dates(ctx)
    if cia is None or decision is None:
        return
    if is_after(cia, decision):
        yield Finding("CIA-R12", WARNING,
                      f"{DETAILS_LABEL}: the CIA is dated {format_date(cia)}, after the decision date "
                      f"({format_date(decision)}). Complete the CIA at the planning stage, before the "
                      "decision is made",
                      Location("details", field="date"))


register(Rule(
    id="CIA-R12",
    title="The CIA is done at the planning stage, before the decision",
    default_severity=WARNING,
    template_sentence=(
        "The assessment should be made during the planning stage, before the decision, so that it can "
        "shape the proposal."
    ),
    check=check_planning_stage,
    applies=_dates_given,
    explanation=(
        "Applies when both the date of the CIA and the decision date are given. The CIA should be "
        "dated before the decision. A CIA dated with a month only is fine in the month of the decision."
    ),
))
