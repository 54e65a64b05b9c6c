"""The form of a page of a template's own questions, built from the template for each request.

Each question becomes one `QuestionField`, which asks the question's kind (cia/kinds) to read and
check what was posted; the page renders each from plain data through the kind's macro
(templates/components/questions.html). WTForms gives the rest: CSRF, the error summary, the one
save flow (`flow.edit_part`) with its conflict page and kept answers.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, HiddenField
from wtforms.utils import unset_value

from cia.assessments.forms import CompletedMixin
from cia.assessments.links import question_field_id
from cia.domain import Question, ScaleOption
from cia.kinds.base import Kind

#: What a date question posts, besides its own name; typed values are shown again after a problem.
_PARTS = ("", "-day", "-month", "-year")


class QuestionField(Field):
    """One template question: its kind reads the posted values; a problem is shown on the field."""

    def __init__(self, label: str, *, question: Question, kind: Kind, options: list[ScaleOption], **kwargs: Any):
        super().__init__(label, **kwargs)
        self.question, self.kind, self.options = question, kind, options
        self.raw: dict[str, str] = {}

    def process(self, formdata, data=unset_value, extra_filters=None):  # noqa: ARG002
        self.process_errors = []
        self.raw = {}
        if formdata is None:
            self.data = self.kind.blank if data is unset_value or data is None else data
            self.object_data = self.data
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


def form_class(questions: list[Question], kinds: dict[str, Kind], options: dict[str, list[ScaleOption]],
               *, ask_completed: bool) -> type[FlaskForm]:
    """A FlaskForm with one field per question that applies (and "Have you completed this section?")."""
    fields: dict[str, Any] = {"version": HiddenField()}
    for question in questions:
        fields[question_field_id(question.key)] = QuestionField(
            question.label, question=question, kind=kinds[question.key], options=options[question.key])
    bases = (CompletedMixin, FlaskForm) if ask_completed else (FlaskForm,)
    return type("SectionQuestionsForm", bases, fields)


def unpacker(questions: list[Question]):
    """Stored {"answers": ..., "completed": ...} -> the form's data."""

    def unpack(stored: dict[str, Any]) -> dict[str, Any]:
        answers = stored.get("answers") or {}
        out: dict[str, Any] = {question_field_id(q.key): answers[q.key] for q in questions if q.key in answers}
        completed = stored.get("completed")
        out["completed"] = "yes" if completed is True else "no" if completed is False and answers else ""
        return out

    return unpack


def packer(questions: list[Question], stored_answers):
    """The form's data -> stored; answers of questions not on the page (hidden, or no longer in the
    template) are kept as they were: a save never drops an answer the page did not show."""

    def pack(form_data: dict[str, Any]) -> dict[str, Any]:
        answers = dict(stored_answers())
        for question in questions:
            answers[question.key] = form_data.get(question_field_id(question.key))
        return {"answers": answers, "completed": form_data.get("completed") == "yes"}

    return pack
