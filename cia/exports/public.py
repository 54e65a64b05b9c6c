"""The public version of an assessment: the answers the authors marked confidential are withheld.

Why at the plain-data level: every export (Word, Excel, PDF, JSON, the summary) and the pages are
written from the plain assessment, so one function that makes a redacted copy withholds the same
answers everywhere, and no writer can forget to.

What can be marked: an impact row, an Evidence Base item, an engagement activity, the answer to a
section's question and a Community Impact paragraph. A question on the cover, or one whose answer
decides whether something else is asked (a condition tests it), cannot be marked on its page: the
cover is the public face of the document, and withholding an answer a condition tests would change
what the public version shows, or show it and so give the answer away (docs/decisions/0033).
"""

from __future__ import annotations

import dataclasses

from cia.checks.base import Finding, Location, Report, RuleOutcome
from cia.domain import (
    COMMUNITY_IMPACT_KEYS,
    WITHHELD,
    Assessment,
    EngagementActivity,
    EvidenceItem,
    Question,
    RowAnswer,
    SectionSpec,
    TemplateSpec,
)

__all__ = ["WITHHELD", "has_confidential", "markable_questions", "public_copy", "public_report", "withheld_text"]


def withheld_text(assessment: Assessment, template: TemplateSpec) -> str:
    """"Withheld: confidential (Schedule 12A paragraph 3)": the paragraph the authors chose for an
    exempt assessment, in the words of the template's question; "Withheld: confidential" without one."""
    details = assessment.details
    status = template.publication_status(details.publication_status)
    if status is None or not status.asks_paragraph or not details.exempt_paragraph:
        return WITHHELD
    law = "Schedule 12A " if "12A" in status.exemption_question or "12A" in status.label else ""
    return f"{WITHHELD} ({law}paragraph {details.exempt_paragraph})"


def has_confidential(assessment: Assessment) -> bool:
    """Whether any answer is marked confidential (the public version then differs)."""
    return (any(row.confidential for s in assessment.sections for row in s.rows)
            or any(item.confidential for s in assessment.sections for item in s.evidence.items)
            or any(any(s.confidential.values()) for s in assessment.sections)
            or any(a.confidential for a in assessment.engagement.activities)
            or any(assessment.community_impact.confidential.values()))


def tested_by_conditions(template: TemplateSpec) -> set[str]:
    """The keys of the questions some condition tests (of a section, question, standard page or sign-off step)."""
    conditions = [s.show_if for s in template.sections]
    conditions += [q.show_if for s in template.sections for q in s.questions]
    conditions += [p.show_if for p in template.standard_pages or []]
    conditions += [step.show_if for step in template.signoff_steps]
    return {c.question for c in conditions if c.question}


def markable_questions(template: TemplateSpec, section: SectionSpec) -> list[Question]:
    """The section's questions whose answers the authors may mark confidential: not on the cover,
    and not tested by a condition."""
    tested = tested_by_conditions(template)
    return [q for q in section.questions if not q.cover and q.key not in tested]


def _withhold_row(row: RowAnswer, text: str) -> None:
    if row.impact == "yes":
        row.groups = text
        row.benefits = []
        row.risks = []
        row.maximise = ""


def _withhold_item(item: EvidenceItem, text: str) -> None:
    item.title, item.kind, item.period, item.link, item.description = text, "", "", "", ""


def _withhold_activity(activity: EngagementActivity, text: str) -> None:
    activity.activity = text
    activity.groups = activity.dates = activity.method = activity.findings = activity.influence = ""


def public_copy(assessment: Assessment, template: TemplateSpec) -> Assessment:
    """A copy of `assessment` with each confidential answer replaced by the withheld text (a row's
    groups, an evidence item's title, an activity's name, a question's answer, a paragraph) and
    the rest of it gone; the marks stay, so the public JSON says what was withheld. The original is
    not changed (it may be a cached assessment other pages read)."""
    copy = assessment.copy()
    text = withheld_text(assessment, template)
    for section in copy.sections:
        for row in section.rows:
            if row.confidential:
                _withhold_row(row, text)
        for item in section.evidence.items:
            if item.confidential:
                _withhold_item(item, text)
        for key, marked in section.confidential.items():
            if marked:
                section.answers[key] = text
    for activity in copy.engagement.activities:
        if activity.confidential:
            _withhold_activity(activity, text)
    impact = copy.community_impact
    for key, marked in impact.confidential.items():
        if marked and key in COMMUNITY_IMPACT_KEYS:
            setattr(impact, key, text)
    return copy


def _withheld_places(assessment: Assessment) -> set[tuple[str, str]]:
    """(part, row, item or question key) of each confidential answer, as the checker's locations name them."""
    places: set[tuple[str, str]] = set()
    for section in assessment.sections:
        places |= {(f"section:{section.key}", row.key) for row in section.rows if row.confidential}
        places |= {(f"evidence:{section.key}", item.id) for item in section.evidence.items if item.confidential}
        places |= {(f"questions:{section.key}", key) for key, marked in section.confidential.items() if marked}
    places |= {("engagement", a.id) for a in assessment.engagement.activities if a.confidential}
    places |= {("community_impact", key) for key, marked in assessment.community_impact.confidential.items() if marked}
    return places


def _is_withheld(location: Location, places: set[tuple[str, str]]) -> bool:
    part = location.part
    if part.startswith("section:"):
        return (part, location.row) in places
    if part.startswith("questions:"):  # a question's answer (field), or an item of a list question (row)
        return (part, location.row or location.field) in places
    if part.startswith("evidence:") or part == "engagement":
        return (part, location.item) in places
    return (part, location.field) in places


def public_report(report: Report, assessment: Assessment, template: TemplateSpec) -> Report:
    """The checker's report for the public version: a finding about a confidential answer keeps
    where it is ("Equality, evidence 1") but says the withheld text in place of the rest, as a
    finding may quote the answer ("“...” has no link"). The checklist's answers are unchanged: the
    same assessment was checked."""
    places = _withheld_places(assessment)
    if not places:
        return report
    text = withheld_text(assessment, template)

    def public(finding: Finding) -> Finding:
        if not _is_withheld(finding.location, places):
            return finding
        where, found, _rest = finding.message.partition(": ")
        return dataclasses.replace(finding, message=f"{where}: {text}" if found else text)

    return Report(findings=[public(f) for f in report.findings],
                  outcomes=[RuleOutcome(o.rule, o.enabled, o.applicable, [public(f) for f in o.findings])
                            for o in report.outcomes],
                  acknowledged=dict(report.acknowledged))
