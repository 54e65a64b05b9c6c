"""What a kind of question is: one registered unit that says everything about its answers.

A template's question names its kind (`Question.kind`); everything that handles the answer asks the
kind, never the kind's name: reading and checking what was posted, showing the answer (read-only
view, Word, Excel, comparing revisions), the JSON Schema of the stored answer, and the free text the
checker reads. Rendering the input is the Jinja macro the kind names, in
templates/components/questions.html. A new kind is one module here, registered on import, plus its
macro (docs/decisions/0009-question-kinds.md).

Answers are plain JSON: text, a list of texts (multiple choice), or a list of items, each an object
of sub-answers with a stable "id" (a list question, "add another"). Imports nothing from Flask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from cia.domain import Question, ScaleOption, TemplateSpec

#: A stored answer: text ("" when unanswered), a list of texts for multiple choice, or a list of
#: items ({"id": ..., sub-question key: answer}) for a list question.
Answer = str | list[str] | list[dict[str, Any]]
#: The posted values of a question's inputs: `posted("")` for the input named after the question,
#: `posted("-day")` for a part of it (a date's day, month, year).
Posted = Callable[[str], list[str]]


def posted_under(posted: Posted, prefix: str) -> Posted:
    """What a part's own kind reads (a list item's sub-question, a grid's cell): the posted values
    under the part's names, `prefix` being the part's suffix of the question's input name."""

    def part(suffix: str = "") -> list[str]:
        return posted(prefix + suffix)

    return part


def _answered(answer: Any) -> bool:
    return bool(answer.strip()) if isinstance(answer, str) else bool(answer)


def _no_texts(answer: Any) -> list[str]:  # noqa: ARG001
    return []


def _as_read(question: Question, answer: Any) -> Any:  # noqa: ARG001
    return answer


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
    #: For a kind whose answer is a list of items, each answering the question's sub-questions
    #: (`Question.questions`): the posted values and the options of each sub-question (by its key;
    #: None: not checked) -> (the items, per item {sub-question key: message}). Every input of
    #: every item has its own message, so the page can point at the exact field.
    read_items: Callable[[Question, Posted, dict[str, list[ScaleOption]] | None],
                         tuple[list[dict[str, Any]], list[dict[str, str]]]] | None = None
    #: For such a kind: the sub-answers of every item with something in it, for the checker.
    entries: Callable[[Question, Answer], list[Entry]] | None = None
    #: The answer as saved (a list drops the items left blank); most kinds store what they read.
    stored: Callable[[Question, Answer], Answer] = _as_read
    #: The kinds its sub-questions (`Question.questions`) may have; empty: it has none.
    sub_kinds: tuple[str, ...] = ()
    #: Its own checks of a question of this kind in a template: [(path under the question, message)].
    check_template: Callable[[Question], list[tuple[str, str]]] | None = None
    # What the template designer asks about a question of this kind, beyond its text, hint, whether it
    # is required and shown on the cover, its options or scale (`needs`) and its sub-questions
    # (`sub_kinds`): the designer builds its settings page from these, never from the kind's name.
    #: What the designer calls the question's options and its sub-questions: (one, several).
    option_words: tuple[str, str] = ("answer", "answers")
    sub_question_words: tuple[str, str] = ("question", "questions")
    #: More settings of the question: "item_name" (what one item of a list is called).
    extra_settings: tuple[str, ...] = ()
    #: What each sub-question has besides its kind, label, options and scale: "hint", "required".
    sub_question_settings: tuple[str, ...] = ("hint", "required")


class Entry(NamedTuple):
    """One sub-question's answer in one item of a list, with where it is."""

    item_id: str
    #: "Action 2": the item's name and number, as the page's legend shows it.
    item_label: str
    question: Question
    kind: Kind
    answer: Answer


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


def options_for(questions: list[Question], template: TemplateSpec) -> dict[str, list[ScaleOption]]:
    """The options of each question by its key, and of each sub-question of a list by
    "<question key>.<sub-question key>" (a key has no ".", so the two never meet)."""
    out: dict[str, list[ScaleOption]] = {}
    for question in questions:
        out[question.key] = options_of(question, template)
        for sub in question.questions:
            out[f"{question.key}.{sub.key}"] = options_of(sub, template)
    return out
