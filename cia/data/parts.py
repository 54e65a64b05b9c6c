"""How an assessment revision's answers are split into parts, one per task page.

See docs/decisions/0002-data-model.md. Each part is stored as the dict of one
of these classes; `assemble` builds the whole plain-data Assessment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cia.domain import (
    Acknowledgement,
    Assessment,
    CommunityImpact,
    Engagement,
    EvidenceBase,
    Plain,
    ProjectTeam,
    ProposalDetails,
    RowAnswer,
    SectionAnswers,
    StaffImpact,
    TemplateSpec,
    blank_section,
)


@dataclass
class SectionRows(Plain):
    rows: list[RowAnswer] = field(default_factory=list)


@dataclass
class SectionEvidence(Plain):
    evidence: EvidenceBase = field(default_factory=EvidenceBase)
    #: "Have you completed this section?" — asked at the end of the section, on this page.
    completed: bool = False


@dataclass
class SectionQuestions(Plain):
    """Answers to a section's questions, by question key (a hidden question's answer is kept)."""

    answers: dict[str, Any] = field(default_factory=dict)
    #: "Have you completed this section?", asked here when the section has no Evidence Base.
    completed: bool = False
    #: The questions whose answers are marked confidential (SectionAnswers.confidential).
    confidential: dict[str, bool] = field(default_factory=dict)


@dataclass
class Acknowledgements(Plain):
    items: list[Acknowledgement] = field(default_factory=list)


FIXED_PARTS: dict[str, type[Plain]] = {
    "details": ProposalDetails,
    "team": ProjectTeam,
    "engagement": Engagement,
    "staff": StaffImpact,
    "community_impact": CommunityImpact,
    "acknowledgements": Acknowledgements,
}


def part_class(name: str) -> type[Plain]:
    if name in FIXED_PARTS:
        return FIXED_PARTS[name]
    if name.startswith("section:"):
        return SectionRows
    if name.startswith("evidence:"):
        return SectionEvidence
    if name.startswith("questions:"):
        return SectionQuestions
    raise KeyError(name)


def all_part_names(template: TemplateSpec) -> list[str]:
    names = list(FIXED_PARTS)
    for s in template.sections:
        names += [f"questions:{s.key}", f"section:{s.key}", f"evidence:{s.key}"]
    return names


def blank_parts(template: TemplateSpec, name: str = "") -> dict[str, Plain]:
    parts: dict[str, Plain] = {key: cls() for key, cls in FIXED_PARTS.items()}
    parts["details"] = ProposalDetails(name=name)
    for s in template.sections:
        parts[f"questions:{s.key}"] = SectionQuestions()
        parts[f"section:{s.key}"] = SectionRows(rows=blank_section(s).rows)
        parts[f"evidence:{s.key}"] = SectionEvidence()
    return parts


def split(assessment: Assessment, template: TemplateSpec) -> dict[str, Plain]:
    """The parts of a whole assessment (for imports and new revisions)."""
    parts = blank_parts(template)
    parts.update(
        details=assessment.details,
        team=assessment.team,
        engagement=assessment.engagement,
        staff=assessment.staff,
        community_impact=assessment.community_impact,
        acknowledgements=Acknowledgements(items=list(assessment.acknowledgements)),
    )
    for answers in assessment.sections:
        spec = template.section(answers.key)
        with_evidence = spec is None or spec.evidence_base
        parts[f"questions:{answers.key}"] = SectionQuestions(answers=dict(answers.answers),
                                                             completed=answers.completed and not with_evidence,
                                                             confidential=dict(answers.confidential))
        parts[f"section:{answers.key}"] = SectionRows(rows=answers.rows)
        parts[f"evidence:{answers.key}"] = SectionEvidence(evidence=answers.evidence,
                                                           completed=answers.completed and with_evidence)
    return parts


def assemble(template: TemplateSpec, stored: dict[str, dict[str, Any] | Plain], **meta: Any) -> Assessment:
    """The whole Assessment from stored parts (dicts, or already-loaded objects); missing parts are blank."""

    def load(name: str):
        cls = part_class(name)
        value = stored.get(name)
        if isinstance(value, Plain):
            return value
        return cls.from_dict(value) if value is not None else cls()

    sections = []
    keys = [s.key for s in template.sections]
    # Sections of the template in its order, then any stored section the template no longer has.
    keys += sorted({n.split(":", 1)[1] for n in stored if n.startswith("section:")} - set(keys))
    for key in keys:
        spec = template.section(key)
        rows_part = load(f"section:{key}") if f"section:{key}" in stored or not spec else SectionRows(
            rows=blank_section(spec).rows
        )
        evidence_part = load(f"evidence:{key}")
        questions_part = load(f"questions:{key}")
        completed = evidence_part.completed if (spec is None or spec.evidence_base) else questions_part.completed
        sections.append(SectionAnswers(key=key, rows=rows_part.rows, evidence=evidence_part.evidence,
                                       completed=completed, answers=dict(questions_part.answers),
                                       confidential=dict(questions_part.confidential)))
    return Assessment(
        details=load("details"),
        team=load("team"),
        engagement=load("engagement"),
        staff=load("staff"),
        community_impact=load("community_impact"),
        acknowledgements=load("acknowledgements").items,
        sections=sections,
        **meta,
    )
