"""Text kinds: a line of text and the service's rich text. Also the helpers every family shares."""

from __future__ import annotations

from typing import Any

from cia import richtext
from cia.domain import Question, TemplateSpec
from cia.kinds.base import Answer, Kind, Posted, register

#: A label longer than this is shortened in messages.
LABEL_IN_MESSAGES = 80

SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 20_000


def named(question: Question) -> str:
    """The question's label in double quotes, shortened, for a message naming it."""
    label = " ".join((question.label or question.key or "this question").split())
    if len(label) > LABEL_IN_MESSAGES:
        cut = label[: LABEL_IN_MESSAGES - 1]
        space = cut.rfind(" ")
        if space > LABEL_IN_MESSAGES // 2:
            cut = cut[:space]
        label = cut.rstrip(" ,;:.-") + "…"
    return f'"{label}"'


def first(posted: Posted, suffix: str = "") -> str:
    """The first value posted for the input named after the question plus `suffix` ("" if none)."""
    values = posted(suffix) or []
    value = values[0] if values else ""
    return value if isinstance(value, str) else ""


def as_text(answer: Any) -> str:
    """A stored answer as text, whatever was stored (a list is joined; anything else is "")."""
    if isinstance(answer, str):
        return answer
    if isinstance(answer, list):
        return ", ".join(a for a in answer if isinstance(a, str) and a)
    return ""


def text_of(answer: Answer) -> list[str]:
    text = as_text(answer)
    return [text] if text.strip() else []


# --- short text ---------------------------------------------------------------------------------


def _read_short(question: Question, posted: Posted) -> tuple[Answer, str]:
    text = richtext.clean(first(posted)).replace("\n", " ").replace("\t", " ").strip()
    if len(text) > SHORT_TEXT_MAX:
        return text, f"{named(question)} must be {SHORT_TEXT_MAX:,} characters or fewer"
    return text, ""


def _show_plain(question: Question, answer: Answer, template: TemplateSpec) -> str:  # noqa: ARG001
    return as_text(answer).strip()


SHORT_TEXT = register(Kind(
    key="short_text",
    name="Short text",
    description="One line of text, such as a name, a reference or a short title.",
    read=_read_short,
    show=_show_plain,
    schema={"type": "string", "maxLength": SHORT_TEXT_MAX, "pattern": "^[^\\r\\n]*$"},
    macro="short_text_input",
    texts=text_of,
))


# --- long text ----------------------------------------------------------------------------------


def _read_long(question: Question, posted: Posted) -> tuple[Answer, str]:
    text = richtext.clean(first(posted))
    if len(text) > LONG_TEXT_MAX:
        return text, f"{named(question)} must be {LONG_TEXT_MAX:,} characters or fewer"
    return text, ""


def _show_rich(question: Question, answer: Answer, template: TemplateSpec) -> str:  # noqa: ARG001
    """The stored markup: callers render it with richtext.to_html or richtext.to_plain."""
    text = as_text(answer)
    return text if text.strip() else ""


LONG_TEXT = register(Kind(
    key="long_text",
    name="Long text",
    description="Paragraphs of text, with bullet points, numbered lists, tables and links if needed.",
    read=_read_long,
    show=_show_rich,
    schema={"type": "string", "maxLength": LONG_TEXT_MAX},
    macro="long_text_input",
    texts=text_of,
    rich=True,
))
