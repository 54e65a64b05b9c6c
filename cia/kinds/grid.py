"""A grid: one answer per row and column, such as a workforce profile (the share of staff in each
group before and after the change).

The rows are the question's options (`Question.options`: "Age 16 to 24", "Women" ...); the columns
are its sub-questions (`Question.questions`), each a number, a percentage or a short text, whose own
kind reads, checks and shows the cell. The answer is stored as {row key: {column key: answer}},
with blank cells left out. The page posts the cell of row r and column c as `<question input>-r-c`.
"""

from __future__ import annotations

import re
from typing import Any

from cia.domain import Question, ScaleOption, TemplateSpec
from cia.kinds import numbers, text
from cia.kinds.base import Answer, Kind, Posted, kind_of, posted_under, register

#: The kinds a column may have.
CELL_KINDS = (numbers.NUMBER, numbers.PERCENTAGE, text.SHORT_TEXT)
#: The most rows and columns a grid may have (its page stays usable, its table readable in Word).
MAX_ROWS, MAX_COLUMNS = 40, 6


def columns(question: Question) -> list[tuple[Question, Kind]]:
    """The columns, with their kinds (any of a kind a cell cannot have is left out)."""
    out = []
    for column in question.questions:
        kind = kind_of(column.kind)
        if kind is not None and kind.key in {k.key for k in CELL_KINDS}:
            out.append((column, kind))
    return out


def cells_of(answer: Any) -> dict[str, dict[str, Any]]:
    """The stored cells by row, whatever was stored (anything that is not a row of cells is left out)."""
    if not isinstance(answer, dict):
        return {}
    return {row: cells for row, cells in answer.items() if isinstance(row, str) and isinstance(cells, dict)}


def _in_row(row: ScaleOption, message: str) -> str:
    """'Enter a percentage for "After"' -> 'Women: enter a percentage for "After"'."""
    return f"{row.label}: {message[:1].lower()}{message[1:]}" if message[:1].isalpha() else f"{row.label}: {message}"


def read_cells(question: Question, posted: Posted) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The posted cells, and a message for each cell that could not be read, by its input's suffix
    ("-women-after"). A cell that could not be read keeps what was typed."""
    cells: dict[str, dict[str, Any]] = {}
    messages: dict[str, str] = {}
    for row in question.options[:MAX_ROWS]:
        for column, kind in columns(question)[:MAX_COLUMNS]:
            suffix = f"-{row.key}-{column.key}"
            value, message = kind.read(column, posted_under(posted, suffix))
            if message:
                messages[suffix] = _in_row(row, message)
            if kind.answered(value) or message:
                cells.setdefault(row.key, {})[column.key] = value
    return cells, messages


def _read(question: Question, posted: Posted) -> tuple[Answer, str]:
    cells, messages = read_cells(question, posted)
    return cells, next(iter(messages.values()), "")  # type: ignore[return-value]


def _answered(answer: Answer) -> bool:
    return any(isinstance(v, str) and v.strip() for cells in cells_of(answer).values() for v in cells.values())


def _show(question: Question, answer: Answer, template: TemplateSpec) -> str:
    """A line per row with something in it: "Women: Before 62%, After 58%"."""
    stored = cells_of(answer)
    lines = []
    for row in question.options:
        cells = stored.get(row.key) or {}
        shown = [f"{column.label}: {kind.show(column, cells[column.key], template)}"
                 for column, kind in columns(question) if kind.answered(cells.get(column.key, ""))]
        if shown:
            lines.append(f"{row.label}: {', '.join(shown)}")
    return "\n".join(lines)


def _texts(answer: Answer) -> list[str]:
    return [v for cells in cells_of(answer).values() for v in cells.values() if isinstance(v, str) and v.strip()]


_KEY = re.compile(r"[a-z0-9]+(?:[_-][a-z0-9]+)*", re.ASCII)


def check_template(question: Question) -> list[tuple[str, str]]:
    """What a grid needs in a template: rows (its options, checked like any options) and columns of
    the kinds a cell can have, with keys unique in the grid and no conditions of their own."""
    problems = []
    if len(question.options) > MAX_ROWS:
        problems.append((".options", f"a grid can have up to {MAX_ROWS} rows (this one has {len(question.options)})"))
    if not question.questions:
        problems.append((".questions", "a grid has no columns: add at least one question for its columns"))
    if len(question.questions) > MAX_COLUMNS:
        problems.append((".questions", f"a grid can have up to {MAX_COLUMNS} columns "
                                       f"(this one has {len(question.questions)})"))
    allowed = ", ".join(k.key for k in CELL_KINDS)
    seen: set[str] = set()
    for index, column in enumerate(question.questions):
        path, which = f".questions[{index}]", f"column {index + 1}"
        if not _KEY.fullmatch(column.key or "") or len(column.key) > 100:
            problems.append((f"{path}.key", f'{which}: the key "{column.key}" must be lower-case letters and '
                                            'numbers joined by "_" or "-", at most 100 characters'))
        elif column.key in seen:
            problems.append((f"{path}.key", f'{which} has the same key ("{column.key}") as another column'))
        seen.add(column.key)
        if column.kind not in {k.key for k in CELL_KINDS}:
            problems.append((f"{path}.kind", f'{which}: a cell can be {allowed}, not "{column.kind}"'))
        if not column.label.strip():
            problems.append((f"{path}.label", f"{which} has no heading: enter its label"))
        if column.show_if.question or column.questions or column.cover or column.options:
            problems.append((path, f"{which}: a column has a key, a kind, a label and a hint only"))
    return problems


GRID = register(Kind(
    key="grid",
    name="Grid (a table to fill in)",
    description="A table with a row for each option and a column for each question, such as the share "
                "of staff in each group before and after the change.",
    read=_read,
    show=_show,
    schema={"type": "object",
            "maxProperties": MAX_ROWS,
            "additionalProperties": {"type": "object", "maxProperties": MAX_COLUMNS,
                                     "additionalProperties": {"anyOf": [k.schema for k in CELL_KINDS]}}},
    macro="grid_input",
    blank={},  # type: ignore[arg-type]
    texts=_texts,
    answered=_answered,
    needs=("options",),
    sub_kinds=tuple(k.key for k in CELL_KINDS),
    check_template=check_template,
    option_words=("row", "rows"),
    sub_question_words=("column", "columns"),
    sub_question_settings=("hint",),
))
