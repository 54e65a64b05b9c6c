"""The documented JSON format of an assessment: ``{"format": "cia-assessment/2", "assessment": {...}}``.

The "assessment" object is exactly `Assessment.to_dict()`; the JSON Schema is
cia/schema/assessment.schema.json and docs/assessment-format.md explains it. Export
then import then export gives the same document. Imports nothing from Flask.

Documents in the previous version (`cia-assessment/1`) still import: `upgraded()` converts them
first, so every document this service ever wrote can be brought back.
"""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from typing import Any

import jsonschema

from cia import richtext, safe_parse
from cia.domain import Assessment
from cia.kinds import impact_row
from cia.kinds.base import all_kinds

FORMAT = "cia-assessment/2"
#: Earlier versions of the format that still import, converted by `upgraded()`.
PREVIOUS_FORMATS = ("cia-assessment/1",)

_JSON_TYPES = {
    "string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
    "array": "a list", "object": "an object", "null": "null",
}


class FormatError(ValueError):
    """The document is not a valid cia-assessment/2 document (or an earlier one that converts).

    `str(error)` is a plain-English sentence naming the first problem and where it is
    ("assessment.sections[2].rows[0].impact: 'maybe' is not one of '', 'yes', 'no'");
    `problems` lists every problem found (at most 50).
    """

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = problems or [message]
        super().__init__(message)


@functools.cache
def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the format."""
    text = resources.files("cia").joinpath("schema/assessment.schema.json").read_text(encoding="utf-8")
    loaded = json.loads(text)
    # An answer is what one of the registered question kinds stores: the kinds say what that is.
    answers = loaded["$defs"]["SectionAnswers"]["properties"]["answers"]
    answers["additionalProperties"] = {"anyOf": [kind.schema for kind in all_kinds()]}
    # A section's rows are impact rows: that kind gives their definitions.
    loaded["$defs"].update(copy.deepcopy(impact_row.SCHEMA_DEFS))
    return loaded


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


def dump(a: Assessment) -> dict[str, Any]:
    """The envelope as plain data."""
    return {"format": FORMAT, "assessment": a.to_dict()}


def dumps(a: Assessment) -> str:
    """The document as JSON text: indented, UTF-8 characters as they are, ending in a newline."""
    return json.dumps(dump(a), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def load(data: Any) -> Assessment:
    """An assessment from the plain data of a document; FormatError when it is not valid.

    Every text value goes through `richtext.clean()` first, as typed answers do, so an import
    cannot bring in control characters or HTML. Clean text (all the tool exports) is unchanged.
    """
    if isinstance(data, dict) and "format" not in data and "assessment" not in data:
        raise FormatError(
            f'document: the envelope is missing; expected {{"format": "{FORMAT}", "assessment": {{...}}}}'
        )
    data = upgraded(data)
    if isinstance(data, dict) and isinstance(data.get("assessment"), dict):
        data = {**data, "assessment": _clean_strings(data["assessment"])}
    problems = [_describe(e) for e in _validator().iter_errors(data)]
    if problems:
        first = problems[0]
        more = len(problems) - 1
        message = first if not more else f"{first} (and {more} more problem{'s' if more > 1 else ''})"
        raise FormatError(message, problems[:50])
    try:
        return Assessment.from_dict(data["assessment"])
    except (TypeError, ValueError) as exc:  # the schema should have caught it; never a 500
        raise FormatError(f"assessment: {exc}") from exc


def upgraded(data: Any) -> Any:
    """A `cia-assessment/1` document as `cia-assessment/2`; anything else unchanged.

    Version 2 renamed one field: a team member's `is_dcl` (whether they hold the role the
    template asks about) is `has_team_role`, since the role is the template's, not the format's.
    """
    if not (isinstance(data, dict) and data.get("format") == "cia-assessment/1"):
        return data
    out = {**data, "format": FORMAT}
    assessment = data.get("assessment")
    team = assessment.get("team") if isinstance(assessment, dict) else None
    members = team.get("members") if isinstance(team, dict) else None
    if isinstance(members, list) and isinstance(team, dict) and isinstance(assessment, dict):
        moved = [{("has_team_role" if k == "is_dcl" else k): v for k, v in m.items()} if isinstance(m, dict) else m
                 for m in members]
        out["assessment"] = {**assessment, "team": {**team, "members": moved}}
    return out


def loads(text: str | bytes) -> Assessment:
    """An assessment from JSON text; FormatError for invalid JSON (with line and column) or content."""
    try:
        data = safe_parse.load_json(text, parse_constant=_reject_constant)  # size, depth, values, time
    except safe_parse.UnsafeInput as exc:
        raise FormatError(exc.message) from exc
    except json.JSONDecodeError as exc:
        raise FormatError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise FormatError(f"not valid JSON: {exc}") from exc
    return load(data)


def _clean_strings(value: Any) -> Any:
    if isinstance(value, str):
        return richtext.clean(value)
    if isinstance(value, list):
        return [_clean_strings(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean_strings(v) for k, v in value.items()}
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def path_of(parts: Any) -> str:
    """'assessment.sections[2].rows[0].impact' from a sequence of keys and indexes."""
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "document"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, dict | list):
        return _JSON_TYPES["object" if isinstance(value, dict) else "array"]
    return json.dumps(value)


def _json_type(value: Any) -> str:
    for name, tp in (("boolean", bool), ("integer", int), ("number", float), ("string", str),
                     ("array", list), ("object", dict)):
        if isinstance(value, tp):
            return _JSON_TYPES[name]
    return _JSON_TYPES["null"]


def _describe(error: jsonschema.ValidationError) -> str:
    where = path_of(error.absolute_path)
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "enum":
        problem = f"{_show(value)} is not one of {', '.join(_show(v) for v in expected)}"
    elif kind == "const":
        problem = f"{_show(value)} is not supported; expected {_show(expected)}"
    elif kind == "type":
        wanted = " or ".join(_JSON_TYPES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected))
        problem = f"expected {wanted}, got {_json_type(value)}"
    elif kind == "additionalProperties":
        allowed = error.schema.get("properties", {})
        unknown = [k for k in value if k not in allowed]
        names = ", ".join(repr(k) for k in unknown)
        problem = f"unknown field{'s' if len(unknown) > 1 else ''} {names}"
    elif kind == "required":
        missing = [k for k in expected if k not in value]
        problem = f"missing field{'s' if len(missing) > 1 else ''} {', '.join(repr(k) for k in missing)}"
    elif kind == "maxLength":
        problem = f"text is longer than {expected} characters ({len(value)})"
    elif kind == "maxItems":
        problem = f"more than {expected} items ({len(value)})"
    elif kind == "minimum":
        problem = f"{_show(value)} is less than {expected}"
    else:
        problem = error.message
    return f"{where}: {problem}"
