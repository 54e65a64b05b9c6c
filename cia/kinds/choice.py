"""Choice kinds: yes or no, one or several of the question's options, a rating on a template scale."""

from __future__ import annotations

import re

from cia.domain import Question, ScaleOption, TemplateSpec
from cia.kinds.base import Answer, Kind, Posted, options_of, register
from cia.kinds.text import as_text, first, named

#: What an option key looks like (a rating's posted key is checked against it: read has no template).
KEY_PATTERN = "^[a-z0-9_-]{1,100}$"
_KEY = re.compile(r"[a-z0-9_-]{1,100}", re.ASCII)
_KEY_SCHEMA = {"type": "string", "pattern": KEY_PATTERN}
_ONE_KEY_SCHEMA = {"type": "string", "pattern": "^([a-z0-9_-]{1,100})?$"}

#: The fixed options of a yes or no question (conditions test "yes" and "no").
YES_NO_OPTIONS = (ScaleOption(key="yes", label="Yes"), ScaleOption(key="no", label="No"))


def _label_of(options: list[ScaleOption] | tuple[ScaleOption, ...], key: str) -> str:
    return next((o.label or o.key for o in options if o.key == key), key)


# --- yes or no ----------------------------------------------------------------------------------


def _read_yes_no(question: Question, posted: Posted) -> tuple[Answer, str]:
    value = first(posted).strip().lower()
    if value in ("", "yes", "no"):
        return value, ""
    return "", f"Select yes or no for {named(question)}"


def _show_yes_no(question: Question, answer: Answer, template: TemplateSpec) -> str:  # noqa: ARG001
    return _label_of(YES_NO_OPTIONS, as_text(answer).strip())


YES_NO = register(Kind(
    key="yes_no",
    name="Yes or no",
    description="A question answered yes or no, which later questions or sections can depend on.",
    read=_read_yes_no,
    show=_show_yes_no,
    schema={"type": "string", "enum": ["", "yes", "no"]},
    macro="yes_no_input",
    chosen_from_options=True,
    fixed_options=tuple(YES_NO_OPTIONS),
))


# --- one choice ---------------------------------------------------------------------------------


def _read_single(question: Question, posted: Posted) -> tuple[Answer, str]:
    value = first(posted).strip()
    if value == "":
        return "", ""
    if any(o.key == value for o in question.options):
        return value, ""
    return "", f"Select one of the options for {named(question)}"


def _show_option(question: Question, answer: Answer, template: TemplateSpec) -> str:
    key = as_text(answer).strip()
    return _label_of(options_of(question, template), key) if key else ""


SINGLE_CHOICE = register(Kind(
    key="single_choice",
    name="One choice from a list",
    description="The author chooses one of the options the question lists.",
    read=_read_single,
    show=_show_option,
    schema=_ONE_KEY_SCHEMA,
    macro="single_choice_input",
    needs=("options",),
    chosen_from_options=True,
))


# --- several choices ----------------------------------------------------------------------------


def _read_multiple(question: Question, posted: Posted) -> tuple[Answer, str]:
    chosen = {v.strip() for v in (posted("") or []) if isinstance(v, str) and v.strip()}
    keys = [o.key for o in question.options]
    if chosen - set(keys):
        return [], f"Select only the options listed for {named(question)}"
    return [k for k in dict.fromkeys(keys) if k in chosen], ""


def _show_multiple(question: Question, answer: Answer, template: TemplateSpec) -> str:
    if isinstance(answer, str):
        answer = [answer] if answer.strip() else []
    options = options_of(question, template)
    return ", ".join(_label_of(options, k) for k in answer if isinstance(k, str) and k)


MULTIPLE_CHOICE = register(Kind(
    key="multiple_choice",
    name="Several choices from a list",
    description="The author chooses any number of the options the question lists.",
    read=_read_multiple,
    show=_show_multiple,
    schema={"type": "array", "items": _KEY_SCHEMA, "uniqueItems": True},
    macro="multiple_choice_input",
    blank=[],
    needs=("options",),
    chosen_from_options=True,
))


# --- rating on a scale --------------------------------------------------------------------------


def _read_rating(question: Question, posted: Posted) -> tuple[Answer, str]:
    """Any well-formed key: whether the template's scale has it is checked where the template is known."""
    value = first(posted).strip()
    if value == "" or _KEY.fullmatch(value):
        return value, ""
    return "", f"Select one of the options for {named(question)}"


RATING = register(Kind(
    key="rating",
    name="Rating on a scale",
    description="The author chooses one point of a scale the template defines, such as positive to negative.",
    read=_read_rating,
    show=_show_option,
    schema=_ONE_KEY_SCHEMA,
    macro="rating_input",
    needs=("scale",),
    chosen_from_options=True,
))
