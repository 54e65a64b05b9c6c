"""Rule 17: every question of the template that applies is answered.

A template's own questions (screening, "how have you involved people?", a rating per well-being
goal ...) are answered on its section pages. Saving never demands an answer, so that an officer can
save and come back; the checker says what is still missing, with a link to the question. In a list
("add another"), each item with something in it is checked like a page of its own questions.
"""

from __future__ import annotations

from collections.abc import Iterator

from cia.checks.base import ERROR, Context, Finding, Location, Rule, register
from cia.checks.rules._walk import applicable, sections, short
from cia.kinds.base import kind_of, options_of


def check_questions_answered(ctx: Context) -> Iterator[Finding]:
    shown = applicable(ctx)
    for spec, answers in sections(ctx):
        for question in shown.questions_of(spec):
            kind = kind_of(question.kind)
            if kind is None:
                continue
            answer = answers.answers.get(question.key, kind.blank)
            where = f"{spec.title}: “{short(question.label, 80)}”"
            location = Location(f"questions:{spec.key}", field=question.key)
            if kind.chosen_from_options and kind.answered(answer):
                known = {o.key for o in options_of(question, ctx.template)} or {"yes", "no"}
                chosen = answer if isinstance(answer, list) else [answer]
                if any(value not in known for value in chosen):
                    yield Finding("CIA-R17", ERROR, f"{where}: the answer is no longer one of the options; "
                                                    "choose again", location)
                    continue
            if question.required and not kind.answered(answer):
                yield Finding("CIA-R17", ERROR, f"{where}: answer this question", location)
            if kind.entries is not None:
                yield from _item_findings(ctx, spec, question, kind.entries(question, answer), where)


def _item_findings(ctx: Context, spec, question, entries, where: str) -> Iterator[Finding]:
    """In each item of a list with something in it: every required sub-question answered, and every
    choice still one of the options. The finding points at the item's own field."""
    for entry in entries:
        sub, kind, answer = entry.question, entry.kind, entry.answer
        location = Location(f"questions:{spec.key}", row=question.key, item=entry.item_id, field=sub.key)
        what = f"{where}, {entry.item_label.lower()}: “{short(sub.label, 80)}”"
        if kind.chosen_from_options and kind.answered(answer):
            known = {o.key for o in options_of(sub, ctx.template)} or {"yes", "no"}
            chosen = answer if isinstance(answer, list) else [answer]
            if any(value not in known for value in chosen):
                yield Finding("CIA-R17", ERROR, f"{what}: the answer is no longer one of the options; choose again",
                              location)
                continue
        if sub.required and not kind.answered(answer):
            yield Finding("CIA-R17", ERROR, f"{what}: answer this question", location)


def _has_questions(ctx: Context) -> bool:
    return any(spec.questions for spec in ctx.template.sections)


register(Rule(
    id="CIA-R17",
    title="Every question that applies is answered",
    default_severity=ERROR,
    template_sentence="Answer every question that applies to the proposal.",
    check=check_questions_answered,
    applies=_has_questions,
    explanation=(
        "Applies to templates that ask questions of their own. Each required question that applies "
        "(its section and any condition it has are met) must be answered; a choice that is no longer "
        "one of the question's options must be chosen again. Questions hidden by a condition are not "
        "checked."
    ),
))
