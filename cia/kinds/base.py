"""What a kind of question is: one registered unit that says everything about its answers.

A template's question names its kind (`Question.kind`); everything that handles the answer asks the
kind, never the kind's name: reading and checking what was posted, showing the answer (read-only
view, Word, Excel, comparing revisions), the JSON Schema of the stored answer, and the free text the
checker reads. Rendering the input is the Jinja macro the kind names, in
templates/components/questions.html. A new kind is one module here, registered on import, plus its
macro (docs/decisions/0009-question-kinds.md).

Answers are plain JSON: text, or a list of texts (multiple choice). Imports nothing from Flask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cia.domain import Question, ScaleOption, TemplateSpec

#: A stored answer: text ("" when unanswered), or a list of texts for multiple choice.
Answer = str | list[str]
#: The posted values of a question's inputs: `posted("")` for the input named after the question,
#: `posted("-day")` for a part of it (a date's day, month, year).
Posted = Callable[[str], list[str]]


def _answered(answer: Any) -> bool:
    return bool(answer.strip()) if isinstance(answer, str) else bool(answer)


def _no_texts(answer: Any) -> list[str]:  # noqa: ARG001
    return []


@dataclass(frozen=True)
class Kind:
    key: str
    #: What the designer calls it ("Short text").
    name: str
    #: What it is for, in a sentence, for the designer.
    description: str
    #: The posted values -> (the answer to store, a message for the author or "").
    #: A message means the input could not be read (a date that does not exist, a number that
    #: is not one, an option the question does not have); the answer then keeps what was typed.
    read: Callable[[Question, Posted], tuple[Answer, str]]
    #: The answer as people read it ("" when unanswered). `template` gives the scales.
    show: Callable[[Question, Answer, TemplateSpec], str]
    #: JSON Schema of the stored answer.
    schema: dict[str, Any]
    #: The macro in templates/components/questions.html that renders its input.
    macro: str
    #: What an unanswered question stores.
    blank: Answer = ""
    #: The free text of the answer, for the checker's text rules (links, personal details ...).
    texts: Callable[[Answer], list[str]] = _no_texts
    #: Whether an answer counts as given.
    answered: Callable[[Answer], bool] = _answered
    #: What a question of this kind must have in the template: "options" or "scale".
    needs: tuple[str, ...] = ()
    #: Whether `show` returns the service's rich-text markup (long text), not plain text.
    rich: bool = False
    #: Whether the answer is one of the question's options (conditions can test it).
    chosen_from_options: bool = False
    #: The options every question of this kind offers (yes / no), when the template gives none.
    fixed_options: tuple[ScaleOption, ...] = ()


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.key in _KINDS:
        raise ValueError(f"question kind {kind.key} registered twice")
    _KINDS[kind.key] = kind
    return kind


def _load() -> None:
    from cia.kinds import builtin  # noqa: F401  (registers the kinds)


def all_kinds() -> list[Kind]:
    _load()
    return list(_KINDS.values())


def kind_of(key: str) -> Kind | None:
    _load()
    return _KINDS.get(key)


def options_of(question: Question, template: TemplateSpec) -> list[ScaleOption]:
    """The options a question offers: those of the template scale it names, its own, or its kind's."""
    if question.scale:
        return next((s.options for s in template.scales if s.key == question.scale), [])
    if question.options:
        return question.options
    kind = kind_of(question.kind)
    return list(kind.fixed_options) if kind else []
