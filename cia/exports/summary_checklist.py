"""The checklist of the Checklist and Executive Summary, in plain English.

One line per check the template asks for: its title as the template words it, "Met", "Not met" or
"Not applicable", and a reason of one line made from counts ("3 risks have no mitigation"), never
the findings' own messages, which name rows and fields for the authors to fix and belong to the
full CIA (its Checklist and Checker findings, `checklist_lines`). Rule codes are not printed.

A rule the template turns off is not listed: the template does not ask for that check, and a line
saying "Not applicable" would suggest that it was considered. A rule that does not apply to this
assessment (staff rules when no staff are affected) is "Not applicable", with why.

Each rule has its words below; a rule without them (one added to the checker later) still gets a
reason, from its number of findings. Imports nothing from Flask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cia.checks.base import ADVICE, Finding, Report, RuleOutcome
from cia.checks.rules.process import count_role_holders
from cia.conditions import Applicable
from cia.domain import Assessment, TemplateSpec
from cia.exports.words import count, format_date, list_words
from cia.readable import sections as readable_sections

MET, NOT_MET, NOT_APPLICABLE = "Met", "Not met", "Not applicable"


@dataclass
class CheckLine:
    title: str  # the rule's title as the template words it
    state: str  # MET, NOT_MET or NOT_APPLICABLE
    reason: str  # one line
    rule_id: str = ""  # kept for links and tests; not printed


@dataclass
class _Facts:
    """Counts of the assessment that the reasons of met checks give."""

    rows: int = 0
    na_rows: int = 0
    risks: int = 0
    sections: int = 0
    evidence_items: int = 0
    team: int = 0
    activities: int = 0


def _facts(a: Assessment, template: TemplateSpec) -> _Facts:
    facts = _Facts()
    for spec, answers, rows in readable_sections(template, a):
        facts.rows += len(rows)
        facts.na_rows += sum(1 for _t, _q, row in rows if row.impact == "no")
        facts.risks += sum(1 for _t, _q, row in rows if row.impact == "yes" for r in row.risks if r.text.strip())
        if spec.evidence_base:
            facts.sections += 1
            facts.evidence_items += len(answers.evidence.items) if answers else 0
    facts.team = sum(1 for m in a.team.members if m.name.strip())
    facts.activities = len(a.engagement.activities)
    return facts


def _by_field(findings: list[Finding], words: dict[str, tuple[str, str]], other: tuple[str, str]) -> str:
    """"2 rows are not answered; 1 row marked N/A holds answers": the findings counted by the field
    they point at, each field with its (singular, plural) words."""
    counted: dict[tuple[str, str], int] = {}
    for f in findings:
        key = words.get(f.location.field, other)
        counted[key] = counted.get(key, 0) + 1
    return "; ".join(count(n, one, many) for (one, many), n in counted.items())


def _r01(findings, facts, a, template) -> str:
    if not findings:
        return f"All {facts.rows} rows answered ({facts.na_rows} with no impact)"
    parts: dict[str, int] = {}
    for f in findings:
        what = ("not answered" if f.location.field == "impact"
                else "empty" if f.location.field == "groups" else "marked N/A but not empty")
        parts[what] = parts.get(what, 0) + 1
    return "; ".join(f"{count(n, 'row', 'rows')} {what}" for what, n in parts.items())


def _r02(findings, facts, a, template) -> str:
    if not findings:
        return f"All {facts.risks} risks have a mitigation"
    return _by_field(findings, {"text": ("mitigation has no risk", "mitigations have no risk")},
                     ("risk has no mitigation", "risks have no mitigation"))


def _r03(findings, facts, a, template) -> str:
    if not findings:
        return "Every row with an impact names them"
    return f"{count(len(findings), 'row does', 'rows do')} not name the groups affected"


def _r04(findings, facts, a, template) -> str:
    if not findings:
        return f"{count(facts.sections, 'section', 'sections')}, {count(facts.evidence_items, 'item', 'items')} of evidence"
    return _by_field(findings, {
        "items": ("section lists no evidence", "sections list no evidence"),
        "likelihood": ("section gives no likelihood", "sections give no likelihood"),
        "size": ("section gives no size of impact", "sections give no size of impact"),
    }, ("problem", "problems"))


def _r05(findings, facts, a, template) -> str:
    missing = [f.location.field for f in findings]
    if not missing:
        return "All given"
    words = {"name": "name", "lead": "lead", "date": "date", "sponsor": "sponsor"}
    return f"No {list_words([words.get(m, m) for m in missing])} given"


def _r06(findings, facts, a, template) -> str:
    if facts.team == 0:
        return "No one is named in the Project Team"
    return f"{count(facts.team, 'person', 'people')} in the Project Team"


def _r07(findings, facts, a, template) -> str:
    role = template.team_role
    one, many = role.name or "role holder", role.plural or f"{role.name or 'role holder'}s"
    if not findings:
        return f"{count(count_role_holders(a, template), one, many)}, in the team from the start"
    if any(not f.location.item for f in findings):  # no holder (the late ones point at a member)
        return f"No {one} in the Project Team"
    return f"{many[:1].upper()}{many[1:]} involved only after the CIA was dated"


def _r08(findings, facts, a, template) -> str:
    if not findings:
        return f"{count(facts.activities, 'activity', 'activities')}, each with findings and influence"
    if any(f.location.field == "activities" for f in findings):
        return "No engagement or consultation recorded"
    return _by_field(findings, {
        "findings": ("activity does not say what it found", "activities do not say what they found"),
        "influence": ("activity does not say how it shaped the proposal",
                      "activities do not say how they shaped the proposal"),
    }, ("problem", "problems"))


def _r09(findings, facts, a, template) -> str:
    if not findings:
        return "None found"
    return f"{count(len(findings), 'answer', 'answers')} may identify members of the public"


def _r10(findings, facts, a, template) -> str:
    if not findings:
        return "No problem found"
    unlinked = {i.id for s in a.sections for i in s.evidence.items if not i.link.strip()}
    no_link = [f for f in findings if f.severity == ADVICE and f.location.item in unlinked]
    dead = [f for f in findings if f.severity == ADVICE and f not in no_link]
    broken = [f for f in findings if f.severity != ADVICE]
    parts = [count(len(broken), "link the public cannot open", "links the public cannot open") if broken else "",
             count(len(dead), "link did not open", "links did not open") if dead else "",
             count(len(no_link), "evidence item has no link", "evidence items have no link") if no_link else ""]
    return "; ".join(p for p in parts if p)


def _r11(findings, facts, a, template) -> str:
    if not findings:
        return "All four given"
    words = {"profile": "workforce profile", "job_losses": "job losses", "support": "support for staff",
             "hr_protocols": "HR protocols"}
    return f"No {list_words([words.get(f.location.field, f.location.field) for f in findings])} given"


def _r12(findings, facts, a, template) -> str:
    d = a.details
    when = f"CIA {format_date(d.date)}, decision {format_date(d.decision_date)}"
    return f"Dated after the decision: {when}" if findings else when


def _r13(findings, facts, a, template) -> str:
    if not findings:
        return "No text repeated across rows or sections"
    return f"{count(len(findings), 'passage', 'passages')} repeated across rows"


def _r14(findings, facts, a, template) -> str:
    if not findings:
        return "No problem found"
    return f"{count(len(findings), 'answer has', 'answers have')} percentages not adding up to 100%"


def _r15(findings, facts, a, template) -> str:
    if not findings:
        return "All spelled out"
    return f"{count(len(findings), 'acronym is', 'acronyms are')} not spelled out"


def _r16(findings, facts, a, template) -> str:
    acts = [act for spec in template.sections for act in spec.legislation if act.strip()]
    if not findings:
        return "The act is considered" if len(acts) == 1 else "Both acts considered" if len(acts) == 2 else \
            "Every act is considered"
    return f"{count(len(findings), 'act is', 'acts are')} not mentioned"


def _r17(findings, facts, a, template) -> str:
    if not findings:
        return "All answered"
    return f"{count(len(findings), 'question is', 'questions are')} not answered"


def _r18(findings, facts, a, template) -> str:
    if not findings:
        return "No negative rating is left without an action"
    return f"{count(len(findings), 'negative rating has', 'negative ratings have')} no action in the action plan"


Reason = Callable[[list[Finding], _Facts, Assessment, TemplateSpec], str]

#: Each rule's reason when it applies: met (no findings) or not.
REASONS: dict[str, Reason] = {
    "CIA-R01": _r01, "CIA-R02": _r02, "CIA-R03": _r03, "CIA-R04": _r04, "CIA-R05": _r05, "CIA-R06": _r06,
    "CIA-R07": _r07, "CIA-R08": _r08, "CIA-R09": _r09, "CIA-R10": _r10, "CIA-R11": _r11, "CIA-R12": _r12,
    "CIA-R13": _r13, "CIA-R14": _r14, "CIA-R15": _r15, "CIA-R16": _r16, "CIA-R17": _r17,
    "CIA-R18": _r18,
}

#: Why a rule does not apply to this assessment.
NOT_APPLICABLE_REASONS: dict[str, str] = {
    "CIA-R07": "The template names no role to engage",
    "CIA-R11": "The proposal does not affect the council's staff",
    "CIA-R12": "The CIA date or the decision date is not given",
    "CIA-R16": "The template names no legislation to consider",
    "CIA-R17": "The template asks no questions of its own",
    "CIA-R18": "The template's action plan is not asked",
}
_PAGE_WORDS = {"team": "Project Team", "engagement": "Engagement", "staff": "Staff impact"}


def _generic(findings: list[Finding]) -> str:
    return f"{count(len(findings), 'point', 'points')} to address" if findings else "No problem found"


def _not_applicable(outcome: RuleOutcome, pages: set[str]) -> str:
    missing = [p for p in outcome.rule.pages if p not in pages]
    if missing:
        return f"This assessment has no {list_words([_PAGE_WORDS.get(p, p) for p in missing])} page"
    return NOT_APPLICABLE_REASONS.get(outcome.rule.id, "Does not apply to this assessment")


def _acknowledged(findings: list[Finding], report: Report) -> str:
    given = sum(1 for f in findings if f.key in report.acknowledged)
    if not given:
        return ""
    return " (reasons given)" if given == len(findings) else f" (reasons given for {given})"


def summary_checklist(report: Report, a: Assessment, template: TemplateSpec) -> list[CheckLine]:
    """The checks the template asks for, in the report's order, each with its state and reason."""
    facts = _facts(a, template)
    pages = Applicable(template, a).pages
    lines = []
    for o in report.outcomes:
        if not o.enabled:
            continue  # the template does not ask for this check
        if not o.applicable:
            lines.append(CheckLine(o.rule.title, NOT_APPLICABLE, _not_applicable(o, pages), o.rule.id))
            continue
        reason_of = REASONS.get(o.rule.id)
        reason = reason_of(o.findings, facts, a, template) if reason_of else _generic(o.findings)
        lines.append(CheckLine(o.rule.title, NOT_MET if o.findings else MET,
                               reason + _acknowledged(o.findings, report), o.rule.id))
    return lines
