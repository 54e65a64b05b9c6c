"""An assessment as people read it: the sections that apply, their rows, and the answers to their
questions as text. One place for the read-only view, Check your answers, the approver's page and
the exports, so that what applies and how an answer reads never differ between them.
"""

from __future__ import annotations

from typing import NamedTuple

from cia.conditions import Applicable
from cia.domain import (
    Assessment,
    RowAnswer,
    SectionAnswers,
    SectionSpec,
    TemplateSpec,
    is_withheld,
    section_rows,
)
from cia.kinds.base import kind_of


class AnsweredQuestion(NamedTuple):
    label: str
    #: The answer as text ("" when not answered); the service's rich-text markup when `rich`.
    text: str
    rich: bool
    #: The question's key in its section (what an approver's comment on it names).
    key: str = ""


def sections(template: TemplateSpec, assessment: Assessment
             ) -> list[tuple[SectionSpec, SectionAnswers | None, list[tuple[str, str, RowAnswer]]]]:
    """(section, its answers, its rows) for every section that applies, in template order."""
    shown = Applicable(template, assessment)
    out = []
    for spec in template.sections:
        if not shown.section(spec):
            continue
        answers = assessment.section(spec.key)
        out.append((spec, answers, section_rows(spec, answers) if answers and spec.has_rows else []))
    return out


def answered_questions(template: TemplateSpec, assessment: Assessment,
                       *, cover_only: bool = False) -> dict[str, list[AnsweredQuestion]]:
    """{section key: its questions that apply (or only those marked for the cover), answers as text}."""
    shown = Applicable(template, assessment)
    out: dict[str, list[AnsweredQuestion]] = {}
    for spec in template.sections:
        answers = assessment.section(spec.key)
        stored = answers.answers if answers else {}
        lines = []
        for question in shown.questions_of(spec):
            kind = kind_of(question.kind)
            if kind is None or (cover_only and not question.cover):
                continue
            answer = stored.get(question.key, kind.blank)
            if answers and answers.confidential.get(question.key) and is_withheld(answer):
                # the public version (cia.exports.public): the withheld text as it is, whatever the kind
                lines.append(AnsweredQuestion(question.label, answer, False, question.key))
                continue
            lines.append(AnsweredQuestion(question.label, kind.show(question, answer, template) if answer else "",
                                          kind.rich, question.key))
        out[spec.key] = lines
    return out


def standard_pages(template: TemplateSpec, assessment: Assessment) -> set[str]:
    """The standard pages ("team", "engagement", "staff") the assessment has: those its template
    leaves out, or shows on a condition not met, are neither shown nor exported."""
    return Applicable(template, assessment).pages


def cover_lines(template: TemplateSpec, assessment: Assessment) -> list[AnsweredQuestion]:
    """The answers to the questions marked to appear on the cover, in template order."""
    return [line for lines in answered_questions(template, assessment, cover_only=True).values() for line in lines]
