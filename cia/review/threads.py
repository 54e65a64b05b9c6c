"""What a comment is about, for people: its name ("Economy: Transport") and the answer it is about.

A thread names a part, and within it a row (a section's category area), a question or an item of a
list question. Its name is worked out from the template and the answers, the same way wherever it
is listed (the sign-off page, the task list, the thread, History, the e-mails), and the answer it is
about is shown read-only beside the comment box. A target that is not in the revision is None.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cia.conditions import Applicable
from cia.data import assessments as data
from cia.data.review_threads import Target
from cia.domain import Assessment, RowAnswer, SectionSpec, TemplateSpec, section_rows
from cia.kinds import lists
from cia.kinds.base import kind_of
from cia.web.labels import part_label

#: The parts an approver can comment on as a whole, besides a section's rows and questions.
WHOLE_PARTS = ("details", "team", "engagement", "staff")


@dataclass
class Place:
    """A comment's target in the revision: its name, and what the thread page shows of its answer."""

    target: Target
    about: str
    section: SectionSpec | None = None
    #: A row: [(title, question, answer)] as the read-only section table takes it.
    rows: list[tuple[str, str, RowAnswer]] = field(default_factory=list)
    #: A question or an item: (label, answer as text, rich) lines.
    lines: list[tuple[str, str, bool]] = field(default_factory=list)
    #: A list question: (item id, its name) for a comment on one item.
    items: list[tuple[str, str]] = field(default_factory=list)


def _section(spec: TemplateSpec, part: str, prefix: str) -> SectionSpec | None:
    return spec.section(part[len(prefix):]) if part.startswith(prefix) else None


def place_of(target: Target, spec: TemplateSpec, assessment: Assessment) -> Place | None:
    """Where the target is in these answers, or None when the revision has no such part, row, question or item."""
    shown = Applicable(spec, assessment)
    if target.part in WHOLE_PARTS and not (target.row or target.question or target.item):
        if target.part != "details" and target.part not in shown.pages:
            return None
        return Place(target, part_label(target.part, spec))
    section = _section(spec, target.part, "section:") or _section(spec, target.part, "evidence:")
    if section is not None and shown.section(section) and not (target.question or target.item):
        if target.part.startswith("evidence:"):
            if target.row or not section.evidence_base:
                return None
            return Place(target, part_label(target.part, spec), section)
        if not target.row:
            return Place(target, section.title, section)
        answers = assessment.section(section.key)
        rows = [r for r in section_rows(section, answers) if r[2].key == target.row] if answers else []
        if not rows:
            return None
        return Place(target, f"{section.title}: {rows[0][0]}", section, rows=rows)
    section = _section(spec, target.part, "questions:")
    if section is None or not shown.section(section) or target.row or not target.question:
        return None
    question = next((q for q in shown.questions_of(section) if q.key == target.question), None)
    kind = kind_of(question.kind) if question is not None else None
    if question is None or kind is None:
        return None
    answers = assessment.section(section.key)
    answer: Any = (answers.answers if answers else {}).get(question.key, kind.blank)
    about = f"{section.title}: {question.label}"
    if kind.read_items is None:  # a question with one answer
        if target.item:
            return None
        return Place(target, about, section,
                     lines=[(question.label, kind.show(question, answer, spec) if answer else "", kind.rich)])
    items = lists.items_of(answer)
    named = [(str(item.get("id", "")), lists.item_label(question, n)) for n, item in enumerate(items, start=1)]
    if not target.item:
        return Place(target, about, section, lines=[(question.label, kind.show(question, answer, spec) if answer
                                                     else "", kind.rich)], items=named)
    number = next((n for n, (ident, _name) in enumerate(named) if ident and ident == target.item), None)
    if number is None:
        return None
    lines = []
    for sub, sub_kind in lists.sub_questions(question):
        value = items[number].get(sub.key, sub_kind.blank)
        lines.append((sub.label, sub_kind.show(sub, value, spec) if value else "", sub_kind.rich))
    return Place(target, f"{about}: {named[number][1]}", section, lines=lines)


def target_of(comment) -> Target:
    return Target(comment.part, comment.row_key, comment.question, comment.item)


def about(comment, spec: TemplateSpec, assessment: Assessment) -> str:
    """The comment's name; for a row, question or item no longer there, the part's name and the key kept."""
    found = place_of(target_of(comment), spec, assessment)
    if found is not None:
        return found.about
    if not comment.part:
        return "the assessment"
    label = part_label(comment.part, spec)
    rest = [k for k in (comment.row_key, comment.question) if k]
    return f"{label}: {rest[0]} (no longer in the assessment)" if rest else label


def named_threads(access: data.Access, threads: list, assessment: Assessment | None = None) -> list[tuple[Any, str]]:
    """(thread, what it is about) for each thread, worked out from the revision's answers once."""
    if not threads:
        return []
    spec = data.template_for(access.revision)
    assessment = assessment if assessment is not None else data.load_assessment(access.revision)
    return [(t, about(t, spec, assessment)) for t in threads]
