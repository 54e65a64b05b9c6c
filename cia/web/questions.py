"""The form of a page of a template's own questions, built from the template for each request.

Each question becomes one `QuestionField`, which asks the question's kind (cia/kinds) to read and
check what was posted; the page renders each from plain data through the kind's macro
(templates/components/questions.html). A list question's "Add another" and "Remove" buttons act on
the form as posted (`QuestionsForm.apply_action`), so the page is shown again with everything typed,
nothing saved. WTForms gives the rest: CSRF, the error summary, the one
save flow (`flow.edit_part`) with its conflict page and kept answers.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, HiddenField
from wtforms.utils import unset_value

from cia.domain import Question, ScaleOption
from cia.formfields import is_number
from cia.kinds import lists
from cia.kinds.base import Kind, kind_of
from cia.web.editing import ActionError
from cia.web.forms import CONFIDENTIAL_LABEL, CompletedMixin
from cia.web.links import question_field_id

#: What a date question posts, besides its own name; typed values are shown again after a problem.
_PARTS = ("", "-day", "-month", "-year")


class QuestionField(Field):
    """One template question: its kind reads the posted values; a problem is shown on the field."""

    def __init__(self, label: str, *, question: Question, kind: Kind, options: list[ScaleOption],
                 sub_options: dict[str, list[ScaleOption]] | None = None, **kwargs: Any):
        super().__init__(label, **kwargs)
        self.question, self.kind, self.options = question, kind, options
        #: A list question's sub-questions' options, by sub-question key.
        self.sub_options = sub_options or {}
        self.raw: dict[str, str] = {}
        #: A list question's problems and what was typed where there is one, per item, by sub-question key.
        self.item_messages: list[dict[str, str]] = []
        self.item_raw: list[dict[str, dict[str, str]]] = []

    def process(self, formdata, data=unset_value, extra_filters=None):  # noqa: ARG002
        self.process_errors = []
        self.raw = {}
        self.item_messages, self.item_raw = [], []
        if formdata is None:
            self.data = self.kind.blank if data is unset_value or data is None else data
            self.object_data = self.data
            return
        if self.kind.read_items is not None:
            self._read_items(formdata)
            return
        value, message = self.kind.read(self.question, lambda suffix="": formdata.getlist(self.name + suffix))
        if not message and self.kind.chosen_from_options and self.kind.answered(value):
            known = {o.key for o in self.options}
            chosen = value if isinstance(value, list) else [value]
            if any(v not in known for v in chosen):
                value, message = self.kind.blank, f"Select one of the options for “{self.question.label}”"
        self.data = value
        if message:
            self.process_errors.append(message)
            self.raw = {suffix: formdata.get(self.name + suffix) or "" for suffix in _PARTS}

    def _value(self) -> str:
        return self.data if isinstance(self.data, str) else ""

    # --- a list question ("add another") -------------------------------------------------------

    def _read_items(self, formdata) -> None:
        items, messages = self.kind.read_items(self.question, lambda suffix="": formdata.getlist(self.name + suffix),
                                               self.sub_options)
        self.data, self.item_messages = items, messages
        self.item_raw = [{key: {suffix: formdata.get(f"{self.name}-{index}-{key}{suffix}") or "" for suffix in _PARTS}
                          for key in problems} for index, problems in enumerate(messages)]
        self.process_errors = [message for problems in messages for message in problems.values()]

    def post_validate(self, form, validation_stopped) -> None:  # noqa: ARG002
        """A list's problems by input ("0-lead": [...]), so the error summary links to each field."""
        if self.item_messages and any(self.item_messages):
            self.errors = {f"{index}-{key}": [message] for index, problems in enumerate(self.item_messages)
                           for key, message in problems.items()}

    @property
    def list_items(self) -> list[dict[str, Any]]:
        """What the list's macro renders: per item its number, id and one plain field per sub-question
        (as `question_input` takes them). An empty list shows one blank item to start with."""
        items = lists.items_of(self.data) or [{"id": ""}]
        shown = isinstance(self.errors, dict)  # the problems are shown once the page was validated
        out = []
        for index, item in enumerate(items):
            problems = self.item_messages[index] if index < len(self.item_messages) else {}
            typed = self.item_raw[index] if index < len(self.item_raw) else {}
            fields = []
            for sub, kind in lists.sub_questions(self.question):
                ident = f"{self.name}-{index}-{sub.key}"
                fields.append({
                    "question": sub, "kind": kind, "options": self.sub_options.get(sub.key, []),
                    "field": {"id": ident, "name": ident, "data": item.get(sub.key, kind.blank),
                              "errors": [problems[sub.key]] if shown and sub.key in problems else [],
                              "raw": typed.get(sub.key, {})},
                })
            out.append({"index": index, "id": item.get("id") or "", "label": lists.item_label(self.question, index + 1),
                        "fields": fields})
        return out

    def add_item(self) -> str:
        """"Add another": one more blank item; returns the id of its first input."""
        items = lists.items_of(self.data) or [lists.blank_item(self.question)]
        if len(items) >= lists.MAX_ITEMS:
            raise ActionError(f"You can add up to {lists.MAX_ITEMS} items to “{self.question.label}”")
        self.data = [*items, lists.blank_item(self.question)]
        first = next((sub.key for sub, _kind in lists.sub_questions(self.question)), "id")
        return f"{self.name}-{len(self.data) - 1}-{first}"

    def remove_item(self, index: int) -> str:
        """"Remove": the item goes, and what was typed in the others stays with them."""
        items = lists.items_of(self.data)
        if index >= len(items):
            raise ActionError("That item has already been removed")
        self.data = items[:index] + items[index + 1:]
        for kept in (self.item_messages, self.item_raw):
            if index < len(kept):
                del kept[index]
        return self.id


class QuestionsForm(FlaskForm):
    """A page of questions; its list questions' "Add another" and "Remove" buttons act on the form."""

    def apply_action(self, action: str) -> str:
        """Apply "add:<input>" or "remove:<input>-<n>" to the list it names; the id to focus."""
        verb, _, target = action.partition(":")
        for field in self:
            if not isinstance(field, QuestionField) or field.kind.read_items is None:
                continue
            if verb == "add" and target == field.name:
                return field.add_item()
            number = target.removeprefix(f"{field.name}-")
            if verb == "remove" and target.startswith(f"{field.name}-") and is_number(number, 6):
                return field.remove_item(int(number))
        raise ActionError("That button is not on this page")


def confidential_id(question_key: str) -> str:
    """The name and id of the box that marks a question's answer confidential ("q-" is the questions')."""
    return f"confidential-{question_key}"


def form_class(questions: list[Question], kinds: dict[str, Kind], options: dict[str, list[ScaleOption]],
               *, ask_completed: bool, markable: frozenset[str] = frozenset()) -> type[FlaskForm]:
    """A FlaskForm with one field per question that applies (and "Have you completed this section?"),
    and the confidential box of each question in `markable` (cia.exports.public.markable_questions)."""
    fields: dict[str, Any] = {"version": HiddenField()}
    for question in questions:
        sub_options = {sub.key: options.get(f"{question.key}.{sub.key}", []) for sub in question.questions}
        fields[question_field_id(question.key)] = QuestionField(
            question.label, question=question, kind=kinds[question.key], options=options[question.key],
            sub_options=sub_options)
        if question.key in markable:
            # Ticked or not, like a row's box: no value is refused, so nothing typed is lost.
            fields[confidential_id(question.key)] = BooleanField(CONFIDENTIAL_LABEL)
    bases = (CompletedMixin, QuestionsForm) if ask_completed else (QuestionsForm,)
    return type("SectionQuestionsForm", bases, fields)


def unpacker(questions: list[Question]):
    """Stored {"answers": ..., "confidential": ..., "completed": ...} -> the form's data."""

    def unpack(stored: dict[str, Any]) -> dict[str, Any]:
        answers = stored.get("answers") or {}
        marked = stored.get("confidential") or {}
        out: dict[str, Any] = {question_field_id(q.key): answers[q.key] for q in questions if q.key in answers}
        out.update({confidential_id(q.key): True for q in questions if marked.get(q.key) is True})
        completed = stored.get("completed")
        out["completed"] = "yes" if completed is True else "no" if completed is False and answers else ""
        return out

    return unpack


def packer(questions: list[Question], stored_part, markable: frozenset[str] = frozenset()):
    """The form's data -> stored; answers of questions not on the page (hidden, or no longer in the
    template) are kept as they were: a save never drops an answer the page did not show. So are the
    confidential marks of questions whose box the page does not have; a box left unticked unmarks."""

    def pack(form_data: dict[str, Any]) -> dict[str, Any]:
        stored = stored_part()
        answers = dict(stored.answers)
        marked = {key: True for key, value in stored.confidential.items() if value is True and key not in markable}
        for question in questions:
            answer = form_data.get(question_field_id(question.key))
            kind = kind_of(question.kind)
            answers[question.key] = kind.stored(question, answer) if kind else answer
            if question.key in markable and form_data.get(confidential_id(question.key)) is True:
                marked[question.key] = True
        return {"answers": answers, "confidential": marked, "completed": form_data.get("completed") == "yes"}

    return pack
