"""Rules 5 to 8, 11 and 12: the header, the team, engagement, staff and the planning stage."""

from __future__ import annotations

from collections.abc import Iterator

from cia.checks.base import ADVICE, ERROR, WARNING, Context, Finding, Location, Rule, register
from cia.checks.rules._walk import (
    DETAILS_LABEL,
    ENGAGEMENT_LABEL,
    TEAM_LABEL,
    blank,
    format_date,
    is_after,
    parse_date,
    rows,
    short,
    staff_row,
    staff_title,
)

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


def _engaged_role_section(ctx: Context):
    """The section that needs the team role's holders engaged, when the template asks about a role."""
    if not ctx.template.team_role.name.strip():
        return None
    return next((s for s in ctx.template.sections if s.mandatory_engagement.strip()), None)


def check_role_engaged(ctx: Context) -> Iterator[Finding]:
    spec = _engaged_role_section(ctx)
    if spec is None:
        return
    role = ctx.template.team_role
    who = spec.mandatory_engagement.strip()
    holders = [m for m in ctx.assessment.team.members if m.has_team_role == "yes"]
    if not holders:
        impact = any(v.row.impact == "yes" for v in rows(ctx) if v.spec.key == spec.key)
        severity = ERROR if impact else WARNING
        yield Finding("CIA-R07", severity,
                      f"{TEAM_LABEL}: add one of the {who} to the Project Team. The {spec.title} "
                      "section says they must be engaged at an early stage",
                      Location("team", field="members"))
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
        yield Finding("CIA-R07", WARNING,
                      f"{TEAM_LABEL}, {short(member.name, 40)} ({role.name}): first involved in "
                      f"{format_date(d)}, after the date of the CIA ({format_date(cia_date)}). Engage the "
                      f"{who} at an early stage",
                      Location("team", item=member.id, field="date_first_involved"))


def _role_applies(ctx: Context) -> bool:
    return _engaged_role_section(ctx) is not None


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
        "the role first became involved after the date of the CIA, that is a warning."
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
