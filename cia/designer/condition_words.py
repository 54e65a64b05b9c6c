"""A condition in words, for every designer page that shows one ("Only if “Is a full assessment
needed?” is “No”").

The designer names conditions by the question's text and the options' labels, never by keys, so an
administrator reads them as authors would. Pure: no Flask, so any page (and any test) can use it.
"""

from __future__ import annotations

from cia.domain import Condition, TemplateSpec
from cia.kinds.base import options_of

REMOVED = "Only if the answer to a question that has been removed (change or remove this condition)"


def _quoted(text: str) -> str:
    return f"“{' '.join(text.split())}”"


def _either(labels: list[str]) -> str:
    """“A”, “A” or “B”, “A”, “B” or “C”."""
    quoted = [_quoted(label) for label in labels]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def describe(spec: TemplateSpec, condition: Condition) -> str:
    """The condition as a sentence; "" for no condition."""
    if not condition.question:
        return ""
    question = spec.question(condition.question)
    if question is None:
        return REMOVED
    labels = {o.key: o.label for o in options_of(question, spec)}
    answers = [labels.get(value, value) for value in condition.values]
    if not answers:
        return f"Only if {_quoted(question.label)} is answered (no answers chosen yet)"
    return f"Only if {_quoted(question.label)} is {_either(answers)}"
