"""Rule 18: a negative rating is answered by the action plan.

A template built from questions rates each protected characteristic (or well-being goal) on a scale
of its own and ends with an action plan, a list question. Which ratings, which answers count as
negative and which list is the action plan are the template's, named by the rule's parameters.

An action does not say which rating it answers (a template's action plan is free text), so the rule
asks for what the checker can know: when any rating is negative, the action plan has at least one
action. Each negative rating is its own finding, pointing at the action plan, so the authors see
every rating that needs an action and can give a reason for each one they leave without.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from cia.checks.base import WARNING, Context, Finding, Location, Parameter, Rule, register
from cia.checks.parameters import chosen, located
from cia.checks.rules._walk import applicable, short
from cia.domain import Question, SectionSpec, answers_of
from cia.kinds.base import kind_of, options_of


class _Plan(NamedTuple):
    section: SectionSpec
    actions: Question
    #: (section, rating question) in template order.
    ratings: list[tuple[SectionSpec, Question]]
    #: "<scale key>.<option key>" of the answers that count as negative.
    negative: frozenset[str]


def _plan(ctx: Context) -> _Plan | None:
    """What the template's rule setting names, or None when it names too little to check."""
    setting = ctx.template.rule_settings.get("CIA-R18")
    negative = frozenset(chosen(setting, "negative"))
    plan = chosen(setting, "actions")
    found = located(ctx.template, plan[0]) if plan else None
    if not negative or found is None or found[2] is not None:
        return None
    kind = kind_of(found[1].kind)
    if kind is None or kind.entries is None:
        return None
    named = set(chosen(setting, "ratings"))
    scales = {value.partition(".")[0] for value in negative}
    ratings = [(section, question) for section in ctx.template.sections for question in section.questions
               if question.kind == "rating" and (question.key in named if named else question.scale in scales)]
    return _Plan(found[0], found[1], ratings, negative)


def check_negative_ratings_have_actions(ctx: Context) -> Iterator[Finding]:
    plan = _plan(ctx)
    if plan is None:
        return
    kind = kind_of(plan.actions.kind)
    answer = answers_of(ctx.assessment, plan.section).answers.get(plan.actions.key, [])
    if kind is not None and kind.entries is not None and kind.entries(plan.actions, answer):
        return  # an action with something in it
    shown = applicable(ctx)
    where = short(plan.actions.label, 60)
    for section, question in plan.ratings:
        if not shown.question(question):
            continue
        rated = answers_of(ctx.assessment, section).answers.get(question.key, "")
        if not isinstance(rated, str) or f"{question.scale}.{rated}" not in plan.negative:
            continue
        label = next((o.label for o in options_of(question, ctx.template) if o.key == rated), rated)
        yield Finding("CIA-R18", WARNING,
                      f"{short(question.label, 80)} is rated {label.lower()}: add an action to the "
                      f"{where[:1].lower()}{where[1:]} to reduce or remove the impact",
                      Location(f"questions:{plan.section.key}", field=plan.actions.key, sub=question.key))


def _applies(ctx: Context) -> bool:
    plan = _plan(ctx)
    return plan is not None and applicable(ctx).question(plan.actions)


register(Rule(
    id="CIA-R18",
    title="Each negative rating has an action in the action plan",
    default_severity=WARNING,
    template_sentence="Add an action for each negative impact to be reduced or removed.",
    check=check_negative_ratings_have_actions,
    applies=_applies,
    explanation=(
        "For templates that rate impacts on a scale and end with an action plan. Choose the rating questions "
        "to look at (or none, for every rating on the scale of the answers chosen next), the answers that "
        "count as negative, and the list question that is the action plan. When a rating that applies is "
        "answered negative and the action plan has no action, each such rating is a warning pointing at "
        "the action plan. The checker cannot tell which action answers which rating, so one action is "
        "enough. Applies only when the action plan is asked."
    ),
    parameters=(
        Parameter("ratings", "The rating questions it looks at",
                  "Leave all unticked to look at every rating question on the scale of the negative answers.",
                  takes="rating", many=True),
        Parameter("negative", "The answers that count as negative",
                  "Tick each answer of a scale that needs an action, such as Negative.",
                  takes="scale_option", many=True, required=True),
        Parameter("actions", "The action plan",
                  "The list question where the authors add actions.", takes="list", required=True),
    ),
))
