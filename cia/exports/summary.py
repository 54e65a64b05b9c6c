"""The content of the Checklist and Executive Summary, as plain data.

`build_summary(inp)` gathers everything once; the Word file (`summary_docx`) and the
on-screen page render the same `Summary`. Fields marked "markup" hold the user's rich
text markup (render with `cia.richtext`); the others are plain text.

The summary goes into the Cabinet papers, so it is short (at most three A4 pages for a
completed CIA the size of the council's template, docs/decisions/0021-cabinet-summary.md):
the key facts, the checklist in plain English (`summary_checklist`), a few lines per
section with its key risks (`summary_sections`), the Community Impact paragraphs and the
sign-off record. Everything else stays in the full CIA, the background paper.

`draft_community_impact(assessment, template)` drafts the "Community Impact"
paragraphs of a Cabinet report from the CIA content, for authors who have not written
their own (`assessment.community_impact`).

The helpers the full CIA's exporters share (dates, labels, the full checklist with its
findings, `proposal_details`) are here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cia import readable
from cia.checks.base import SEVERITIES, SEVERITY_LABELS, Location, Report, RuleOutcome
from cia.domain import (
    Assessment,
    CommunityImpact,
    SectionSpec,
    TemplateSpec,
    section_rows,
)
from cia.exports import ExportInput
from cia.exports.summary_checklist import CheckLine, summary_checklist
from cia.exports.summary_sections import (
    NOT_STATED,
    BenefitSummary,
    MitigationSummary,
    RiskSummary,
    SectionSummary,
    summarise_section,
)
from cia.exports.words import format_date, format_datetime, gist, label_from_key, list_words, plain, shorten
from cia.workflow import APPROVER_LEVELS, state_label

__all__ = [  # the names the exporters import from here
    "NOT_STATED", "BenefitSummary", "CheckLine", "MitigationSummary", "RiskSummary", "SectionSummary",
    "format_date", "format_datetime", "plain", "shorten", "summarise_section",
]

NOT_PROVIDED = "Not provided"
DECISION_LABELS = {"approved": "Approved", "changes_requested": "Changes requested"}
#: The proposal's own summary is given in full up to this many characters, else its opening.
PROPOSAL_SUMMARY_LIMIT = 700


# --- the content -------------------------------------------------------------


@dataclass
class DetailLine:
    label: str
    value: str
    rich: bool = False  # value is markup


@dataclass
class ChecklistLine:
    """One line of the full CIA's checklist (the workbook and the full Word CIA)."""

    rule_id: str
    title: str
    answer: str  # "Yes" / "No" / "Not applicable"
    severity: str  # "Error" / "Warning" / "Advice"
    finding: str = ""  # first findings' messages, "" when met


@dataclass
class ImpactParagraph:
    key: str
    heading: str
    text: str  # markup
    drafted: bool = False  # drafted from the CIA, not written by the authors
    confidential: bool = False  # marked by the authors: the public version withholds it


@dataclass
class SignOffLine:
    name: str
    level: str
    decision: str
    date: str
    comment: str = ""  # markup


@dataclass
class AcknowledgedWarning:
    rule_id: str
    rule_title: str
    message: str
    where: str
    reason: str
    by: str = ""
    date: str = ""
    #: Whether the checker still reports the warning (False: fixed since, or its check turned off).
    reported: bool = True


@dataclass
class Summary:
    title: str
    organisation: str
    proposal_name: str
    reference: str
    revision: int
    status: str
    status_label: str
    is_final: bool
    generated_at: str
    template_name: str
    template_version: int
    #: The key facts: proposal, reference, decision route and date, lead, sponsor, status and revision...
    facts: list[DetailLine] = field(default_factory=list)
    #: The proposal's own summary (markup when `proposal_summary_rich`, else a shortened plain text).
    proposal_summary: str = ""
    proposal_summary_rich: bool = False
    checklist: list[CheckLine] = field(default_factory=list)
    sections: list[SectionSummary] = field(default_factory=list)
    community_impact: list[ImpactParagraph] = field(default_factory=list)
    signoffs: list[SignOffLine] = field(default_factory=list)
    acknowledged: list[AcknowledgedWarning] = field(default_factory=list)

    def acknowledged_reasons(self) -> list[tuple[str, str, int]]:
        """(check, reason, how many warnings it answers): the authors' reasons for the warnings still
        reported, each once per check."""
        grouped: dict[tuple[str, str], int] = {}
        for ack in (a for a in self.acknowledged if a.reported):
            key = (ack.rule_title or ack.rule_id, ack.reason)
            grouped[key] = grouped.get(key, 0) + 1
        return [(title, reason, n) for (title, reason), n in grouped.items()]


# --- small helpers shared by the exporters -----------------------------------

def status_label(inp: ExportInput) -> str:
    a = inp.assessment
    for h in inp.history:
        if h.revision == a.revision and h.status == a.status and h.status_label:
            return h.status_label
    return state_label(a.status)


def decision_route_label(a: Assessment, template: TemplateSpec) -> str:
    """The template's name for the route (the authors' words for "other"); a key it does not list, as stored."""
    return template.decision_route_label(a.details.decision_route, a.details.decision_route_other)


def publication_label(a: Assessment, template: TemplateSpec) -> str:
    """The status, and for an exempt one the paragraph with the template's description of it."""
    return template.publication_label(a.details.publication_status, a.details.exempt_paragraph)


def level_label(level: str) -> str:
    """A sign-off level as stored ("slt": "Senior Leadership Team (SLT)") or as typed ("Sponsor"), for print."""
    if level in APPROVER_LEVELS:
        return APPROVER_LEVELS[level]
    if re.fullmatch(r"[a-z_]+", level or ""):
        return label_from_key(level)
    return level


def signed_as(signoff) -> str:
    """The step an approver signed at and their level ("Equalities officer's review (Equalities officer)")."""
    level = level_label(signoff.level)
    return f"{signoff.step} ({level})" if signoff.step else level


def severity_label(rule_id: str, default: str, template: TemplateSpec) -> str:
    setting = template.rule_settings.get(rule_id)
    sev = setting.severity if setting and setting.severity else default
    return SEVERITY_LABELS.get(sev, sev)


def outcome_severity(outcome: RuleOutcome, template: TemplateSpec) -> str:
    """The severity a checklist line shows: of the most serious finding when there are findings (a
    check that found only warnings says "Warning", whatever it could find), else the template's."""
    if outcome.findings:
        worst = min((f.severity for f in outcome.findings), key=SEVERITIES.index)
        return SEVERITY_LABELS.get(worst, worst)
    return severity_label(outcome.rule.id, outcome.rule.default_severity, template)


class LocationNamer:
    """Turns a finding's `Location` into words: "Health and Care – Safeguarding – risk"."""

    PARTS = {"details": "Proposal details", "team": "Project team", "engagement": "Engagement",
             "staff": "Staff impact"}

    def __init__(self, template: TemplateSpec, assessment: Assessment):
        self.template = template
        self.sections = {s.key: s.title for s in template.sections}
        self.rows: dict[tuple[str, str], str] = {}
        for spec in template.sections:
            answers = assessment.section(spec.key)
            if answers is not None:
                for title, _q, row in section_rows(spec, answers):
                    self.rows[(spec.key, row.key)] = title

    def __call__(self, loc: Location) -> str:
        kind, _, key = loc.part.partition(":")
        if kind == "section":
            words = [self.sections.get(key, key)]
            if loc.row:
                words.append(self.rows.get((key, loc.row), loc.row))
        elif kind == "evidence":
            words = [self.sections.get(key, key), "Evidence Base"]
        elif kind == "questions":
            question = self.template.question(loc.field)
            return " – ".join((self.sections.get(key, key), question.label if question else loc.field))
        else:
            words = [self.PARTS.get(loc.part, loc.part)]
        if loc.field:
            words.append(loc.field.replace("_", " "))
        return " – ".join(w for w in words if w)


# --- community impact drafting ------------------------------------------------


def _find_section(items: list, key: str, word: str):
    by_key = next((s for s in items if s.key == key), None)
    return by_key or next((s for s in items if word in s.title.lower()), None)


def _risk_bullets(risks: list[RiskSummary], limit: int, more: int = 0) -> list[str]:
    """Up to `limit` risks with their mitigations, as a bullet list; then how many more (`more` besides
    those left out of `risks`) are in the full CIA."""
    lines = []
    for r in risks[:limit]:
        text = f"{r.row_title}: {gist(r.text, 200)}"
        if r.mitigations:
            others = len(r.mitigations) - 1
            text += f" Mitigation: {gist(r.mitigations[0].text, 160)}" + (f" (and {others} more)" if others else "")
        else:
            text += " No mitigation has been recorded yet."
        lines.append("- " + text)
    left = max(0, len(risks) - limit) + more
    if left:
        lines.append(f"- and {left} more {'risk' if left == 1 else 'risks'}, set out in the full CIA.")
    return lines


def _section_draft(s: SectionSummary | None, opening: str, subject: str) -> str:
    if s is None:
        return f"{opening} The assessment does not include a section on {subject}."
    paras = [opening]
    if not s.benefits and not s.risks and not s.groups:
        if s.unanswered_rows and not s.na_rows:
            paras.append(f"The {s.title} section has not been completed yet.")
        else:
            paras.append(f"No major impact on {subject} was identified.")
        return "\n\n".join(paras)
    paras.append(
        f"The overall impact on {subject} is assessed as {s.direction.lower()} "
        f"(likelihood: {s.likelihood.lower()}; size of impact: {s.size.lower()})."
    )
    if s.groups:
        groups, others = s.top_groups(5)
        more = f"; and {others} other {'group' if others == 1 else 'groups'}" if others else ""
        paras.append(f"The groups most affected are: {'; '.join(shorten(g, 80) for g in groups)}{more}.")
    if s.benefits:
        areas = list(dict.fromkeys(b.row_title for b in s.benefits))
        paras.append(f"Benefits are expected for {list_words(areas)}.")
    if s.risks:
        which = "key" if s.marked_by_authors else "main"
        paras.append(f"The {which} risks and how they will be mitigated:\n"
                     + "\n".join(_risk_bullets(s.key_risks, 3, s.more_risks)))
    if s.na_rows:
        paras.append(f"No impact was identified for: {list_words(s.na_rows)}.")
    return "\n\n".join(paras)


def _draft_from_sections(a: Assessment, template: TemplateSpec, sections: list[SectionSummary]) -> CommunityImpact:
    def spec(key: str, word: str) -> SectionSpec | None:
        return _find_section(template.sections, key, word)

    def summary_of(key: str, word: str) -> SectionSummary | None:
        found = spec(key, word)
        return next((s for s in sections if found and s.key == found.key), None)

    psed = summary_of("psed", "equality")
    equalities = _section_draft(
        psed,
        "Under the Public Sector Equality Duty (section 149 of the Equality Act 2010) the Council must "
        "have due regard to the need to eliminate unlawful discrimination, harassment and victimisation, "
        "advance equality of opportunity and foster good relations between different groups.",
        "people with protected characteristics",
    )
    health_spec = spec("health_and_care", "health")
    laws = list_words(health_spec.legislation) if health_spec and health_spec.legislation else ""
    health = _section_draft(
        summary_of("health_and_care", "health"),
        "The assessment considered the impact on residents' health and wellbeing and on the demand for, "
        "and access to, health and care services" + (f", having regard to the {laws}." if laws else "."),
        "health and care",
    )
    climate = _section_draft(
        summary_of("environment", "environment"),
        "The assessment considered the impact on the physical environment, including air quality, "
        "transport, waste and land use, which bear on the Council's climate change commitments.",
        "the environment",
    )
    resources = _section_draft(
        summary_of("economy", "economy"),
        "The assessment considered the impact on the economy of the area and on the income of residents.",
        "the economy",
    )
    staff = a.staff
    if staff.affects_staff == "yes":
        words = ["The proposal affects Council staff."]
        if staff.job_losses.strip():
            words.append(f"Expected job losses: {shorten(plain(staff.job_losses), 80)}.")
        if staff.job_loss_groups.strip():
            words.append(f"Groups affected by job losses: {shorten(plain(staff.job_loss_groups), 300)}.")
        if staff.support.strip():
            words.append(f"Support for staff: {shorten(plain(staff.support), 400)}")
        if staff.hr_protocols.strip():
            words.append(f"HR protocols: {shorten(plain(staff.hr_protocols), 300)}")
        resources += "\n\n" + " ".join(words)
    elif staff.affects_staff == "no":
        resources += "\n\nThe proposal does not affect Council staff."

    ranked = sorted((s for s in sections if s.risks), key=lambda s: -s.score)
    all_risks = [r for s in sections for r in s.risks]
    if not all_risks:
        risk = f"The {template.title} identified no significant risks."
    else:
        blocks = [
            f"The {template.title} identified {len(all_risks)} risks across "
            f"{len(ranked)} sections. The highest-rated, by likelihood and size of impact, are:"
        ]
        shown = 0
        for s in ranked:  # the highest-rated sections first, at most two key risks from each
            take = s.key_risks[: min(2, max(0, 4 - shown))]
            if not take:
                break
            shown += len(take)
            blocks.append(f"{s.title} (likelihood: {s.likelihood.lower()}; size of impact: {s.size.lower()}):")
            blocks.append("\n".join(_risk_bullets(take, len(take))))
        unmitigated = sum(1 for r in all_risks if not r.mitigations)
        if unmitigated:
            blocks.append(f"{unmitigated} risks have no mitigation recorded yet.")
        else:
            blocks.append("Every risk identified has at least one mitigation.")
        risk = "\n\n".join(blocks)
    return CommunityImpact(
        equalities_legal=equalities, resources_value=resources, risk=risk, climate_change=climate, health=health
    )


def draft_community_impact(assessment: Assessment, template: TemplateSpec) -> CommunityImpact:
    """The five Community Impact paragraphs (markup), drafted from the CIA content."""
    sections = [summarise_section(spec, assessment, template) for spec, _a, _r in readable.sections(template, assessment)
                if spec.has_rows]
    return _draft_from_sections(assessment, template, sections)


# --- the whole summary ---------------------------------------------------------


def checklist_lines(report: Report, template: TemplateSpec) -> list[ChecklistLine]:
    lines = []
    for o in report.outcomes:
        messages = [f.message for f in o.findings]
        finding = "; ".join(messages[:2])
        if len(messages) > 2:
            finding += f"; and {len(messages) - 2} more"
        lines.append(ChecklistLine(o.rule.id, o.rule.title, o.answer, outcome_severity(o, template), finding))
    return lines


def proposal_details(a: Assessment, template: TemplateSpec, label: str) -> list[DetailLine]:
    d = a.details

    def val(v: str) -> str:
        return v.strip() or NOT_PROVIDED

    return [
        DetailLine(template.header_label("name_of_proposal", "Name of Proposal"), val(d.name)),
        DetailLine("Reference", val(a.reference)),
        DetailLine(template.header_label("project_sponsor", "Project Sponsor"), val(d.sponsor)),
        DetailLine(template.header_label("project_manager_or_lead", "Project Manager or Lead"), val(d.lead)),
        DetailLine(template.header_label("date", "Date"), val(format_date(d.date))),
        DetailLine("Directorate", val(d.directorate)),
        *(DetailLine(line.label, val(line.text), rich=line.rich and bool(line.text.strip()))
          for line in readable.cover_lines(template, a)),
        DetailLine("Summary of the proposal", val(d.summary), rich=bool(d.summary.strip())),
        DetailLine("Decision route", val(decision_route_label(a, template))),
        DetailLine("Decision date", val(format_date(d.decision_date))),
        DetailLine("Project size", val(template.project_size_label(d.project_size))),
        DetailLine("Publication status", val(publication_label(a, template))),
        DetailLine("Status", f"{label} (revision {a.revision})"),
    ]


def _fact_label(template: TemplateSpec, key: str, default: str) -> str:
    """The template's label for a header field without the guidance in brackets a form needs:
    "Project Manager (if applicable) or Lead" -> "Project Manager or Lead"."""
    return " ".join(re.sub(r"\([^)]*\)", " ", template.header_label(key, default)).split()).rstrip(":") or default


def key_facts(a: Assessment, template: TemplateSpec, label: str) -> list[DetailLine]:
    """What a Cabinet reader needs first, in the template's words: short values, one line each."""
    d = a.details

    def val(v: str) -> str:
        return v.strip() or NOT_PROVIDED

    return [
        DetailLine(_fact_label(template, "name_of_proposal", "Name of Proposal"), val(d.name)),
        DetailLine("Reference", val(a.reference)),
        DetailLine("Decision route", val(decision_route_label(a, template))),
        DetailLine("Decision date", val(format_date(d.decision_date))),
        DetailLine(_fact_label(template, "project_manager_or_lead", "Project Manager or Lead"), val(d.lead)),
        DetailLine(_fact_label(template, "project_sponsor", "Project Sponsor"), val(d.sponsor)),
        DetailLine("Status", f"{label}, revision {a.revision}"),
        DetailLine("Date of the CIA", val(format_date(d.date))),
        DetailLine("Directorate", val(d.directorate)),
        DetailLine("Project size", val(template.project_size_label(d.project_size))),
        DetailLine("Publication status", val(publication_label(a, template))),
        # the template's questions marked for the cover, in one line each (the full CIA has them whole)
        *(DetailLine(line.label, shorten(plain(line.text), 200) if line.rich else val(shorten(line.text, 200)))
          for line in readable.cover_lines(template, a)),
    ]


def _proposal_summary(text: str) -> tuple[str, bool]:
    """The authors' summary of the proposal: whole (markup) when short, else its opening in plain text."""
    if len(plain(text)) <= PROPOSAL_SUMMARY_LIMIT:
        return text, bool(text.strip())
    return gist(text, PROPOSAL_SUMMARY_LIMIT) + " (The full CIA has the whole summary.)", False


def build_summary(inp: ExportInput) -> Summary:
    a, template = inp.assessment, inp.template
    label = status_label(inp)
    sections = [summarise_section(spec, a, template) for spec, _a, _r in readable.sections(template, a) if spec.has_rows]

    own = a.community_impact
    drafted = None
    impact = []
    for paragraph in template.community_impact_paragraphs:  # only the template's, under its headings
        key, heading = paragraph.key, paragraph.heading
        text = getattr(own, key, "")
        marked = own.confidential.get(key) is True
        if text.strip():
            impact.append(ImpactParagraph(key, heading, text, confidential=marked))
            continue
        if drafted is None:
            drafted = _draft_from_sections(a, template, sections)
        impact.append(ImpactParagraph(key, heading, getattr(drafted, key, ""), drafted=True, confidential=marked))

    namer = LocationNamer(template, a)
    findings = {f.key: f for f in inp.report.findings}
    acknowledged = []
    for ack in a.acknowledgements:
        if not ack.reason.strip():
            continue
        f = findings.get(ack.finding_key)
        rule_id = f.rule_id if f else ack.rule_id
        outcome = next((o for o in inp.report.outcomes if o.rule.id == rule_id), None)
        acknowledged.append(AcknowledgedWarning(
            rule_id=rule_id,
            rule_title=outcome.rule.title if outcome else "",
            message=f.message if f else "(no longer reported)",
            where=namer(f.location) if f else "",
            reason=ack.reason,
            by=ack.by,
            date=format_date(ack.at),
            reported=f is not None,
        ))

    summary_text, summary_rich = _proposal_summary(a.details.summary)
    signoffs = [
        SignOffLine(s.name, signed_as(s), DECISION_LABELS.get(s.decision, s.decision), format_date(s.at), s.comment)
        for s in a.signoffs
    ]
    return Summary(
        title="Checklist and Executive Summary",
        organisation=template.organisation or inp.organisation,
        proposal_name=a.details.name,
        reference=a.reference,
        revision=a.revision,
        status=a.status,
        status_label=label,
        is_final=inp.is_final,
        generated_at=format_datetime(inp.generated_at),
        template_name=template.name,
        template_version=template.version,
        facts=key_facts(a, template, label),
        proposal_summary=summary_text,
        proposal_summary_rich=summary_rich,
        checklist=summary_checklist(inp.report, a, template),
        sections=sections,
        community_impact=impact,
        signoffs=signoffs,
        acknowledged=acknowledged,
    )
