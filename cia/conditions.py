"""Which sections and questions apply to an assessment: "show this only if" an earlier answer matches.

A hidden question is neither asked, checked nor exported, and its stored answer is kept (answers
can change back). A condition on a question that is itself hidden is not met, so hiding cascades.
Conditions only look back (the template format refuses a condition on a later question), so one
pass in template order decides everything. A template may also leave out standard pages (Project
team, Engagement, Staff impact) or show them on a condition (`TemplateSpec.standard_pages`); a page
left out is neither asked, checked nor exported either. A section may also end the assessment
(`SectionSpec.end_if`, screening): when its condition is met, every later section and every standard
page does not apply, in the same one pass. Imports nothing from Flask.
"""

from __future__ import annotations

from typing import Any

from cia.domain import STANDARD_PAGES, Assessment, Condition, Question, SectionSpec, TemplateSpec


class Applicable:
    """The sections and questions of one assessment that apply, worked out once."""

    def __init__(self, template: TemplateSpec, assessment: Assessment):
        self.sections: set[str] = set()
        self.questions: set[str] = set()
        self._answers: dict[str, Any] = {}
        #: The key of the section after which the assessment ends ("" if it does not end early).
        self.ended_after = ""
        stored = {s.key: s.answers for s in assessment.sections}
        for section in template.sections:
            if not self._met(section.show_if):
                continue
            self.sections.add(section.key)
            answers = stored.get(section.key) or {}
            for question in section.questions:
                if self._met(question.show_if):
                    self.questions.add(question.key)
                    self._answers[question.key] = answers.get(question.key)
            if section.end_if.question and self._met(section.end_if):
                self.ended_after = section.key
                break
        #: The standard pages (Project team, Engagement, Staff impact) the assessment has. Their
        #: conditions are met after every section, so they may depend on any question; an
        #: assessment that ended early has none.
        self.pages: set[str] = (set() if self.ended_after else set(STANDARD_PAGES) if template.standard_pages is None
                                else {p.key for p in template.standard_pages
                                      if p.key in STANDARD_PAGES and self._met(p.show_if)})

    def met(self, condition: Condition) -> bool:
        """Whether an earlier answer matches `condition` (always, for no condition)."""
        return self._met(condition)

    def _met(self, condition: Condition) -> bool:
        if not condition.question:
            return True
        if condition.question not in self.questions:
            return False
        answer = self._answers.get(condition.question)
        chosen = answer if isinstance(answer, list) else [answer]
        return any(value in condition.values for value in chosen if value)

    def page(self, key: str) -> bool:
        """Whether the standard page ("team", "engagement", "staff") is part of this assessment."""
        return key in self.pages

    def section(self, section: SectionSpec) -> bool:
        return section.key in self.sections

    def ended_by(self, template: TemplateSpec) -> SectionSpec | None:
        """The section after which the assessment ends, or None."""
        return template.section(self.ended_after) if self.ended_after else None

    def question(self, question: Question) -> bool:
        return question.key in self.questions

    def questions_of(self, section: SectionSpec) -> list[Question]:
        return [q for q in section.questions if q.key in self.questions] if section.key in self.sections else []
