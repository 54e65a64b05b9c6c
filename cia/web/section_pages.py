"""The pages of a template section, in order: its questions, its impact rows, its Evidence Base.

A section has whichever of the three its template gives it; a section whose condition is not met
is skipped, and so is a standard page (Project team, Engagement, Staff impact) the assessment does
not have. Every link into or through a section comes from here.
"""

from __future__ import annotations

from flask import url_for

from cia.conditions import Applicable
from cia.domain import SectionSpec, TemplateSpec


def pages(section: SectionSpec) -> list[str]:
    """The endpoints of the section's pages, in order."""
    out = []
    if section.questions:
        out.append("assessments.questions")
    if section.has_rows:
        out.append("assessments.section")
    if section.evidence_base:
        out.append("assessments.evidence")
    return out


def first_endpoint(section: SectionSpec) -> str:
    return (pages(section) or ["assessments.section"])[0]


def first_page(section: SectionSpec, assessment_id: int) -> str:
    return url_for(first_endpoint(section), assessment_id=assessment_id, key=section.key)


def following(template: TemplateSpec, section: SectionSpec, endpoint: str,
              shown: Applicable | None = None) -> tuple[str, SectionSpec] | None:
    """(endpoint, section) of the page after `endpoint` of `section`: the section's next page, else the
    first page of the next section that applies; None after the last section."""
    own = pages(section)
    if endpoint in own and own.index(endpoint) + 1 < len(own):
        return own[own.index(endpoint) + 1], section
    keys = [s.key for s in template.sections]
    for later in template.sections[keys.index(section.key) + 1:]:
        if shown is None or shown.section(later):
            return first_endpoint(later), later
    return None


def after(template: TemplateSpec, section: SectionSpec, endpoint: str, assessment_id: int,
          shown: Applicable | None = None) -> str:
    """The URL of the page after `endpoint` of `section`; the staff page after the last section."""
    found = following(template, section, endpoint, shown)
    if found is None:
        return after_sections(assessment_id, shown)
    return url_for(found[0], assessment_id=assessment_id, key=found[1].key)


#: The standard pages asked before the template's sections, in order (the staff page comes after them).
BEFORE_SECTIONS = ("details", "team", "engagement")


def after_sections(assessment_id: int, shown: Applicable | None = None) -> str:
    """The URL after the last section: the staff page if the assessment has one, else Check your answers."""
    if shown is None or shown.page("staff"):
        return url_for("assessments.staff", assessment_id=assessment_id)
    return url_for("assessments.check_answers", assessment_id=assessment_id)


def after_standard(template: TemplateSpec, page: str, assessment_id: int, shown: Applicable) -> str:
    """The URL after a page asked before the sections ("details", "team", "engagement"): the next of
    those the assessment has, else the first section that applies, else what follows the sections."""
    for later in BEFORE_SECTIONS[BEFORE_SECTIONS.index(page) + 1:]:
        if shown.page(later):
            return url_for(f"assessments.{later}", assessment_id=assessment_id)
    first = next((s for s in template.sections if shown.section(s)), None)
    return first_page(first, assessment_id) if first else after_sections(assessment_id, shown)


def hint(section: SectionSpec) -> str:
    """What the task list says the section holds ("Questions, category areas and Evidence Base")."""
    parts = [name for name, present in (("questions", bool(section.questions)), ("category areas", section.has_rows),
                                        ("Evidence Base", section.evidence_base)) if present]
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1] if parts else ""
    return text[:1].upper() + text[1:]
