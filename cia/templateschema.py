"""The JSON Schema of the template file format (cia-template/2), made from what declares it.

The fields and their types are the template's plain-data classes (`TemplateSpec` and the classes
it holds, cia/domain.py): the file is `TemplateSpec.to_dict()`. What each field means is written
once, for people, in the tables of docs/template-format.md; the schema takes each field's
description from there. Keys, lengths and limits are cia/templateformat.py's; the question kinds
are the registered ones. So the three cannot drift apart: `build()` makes the schema from them,
`cia/schema/template.schema.json` is its output, and a test checks that the file is what `build()`
makes now, and that every field is documented.

Regenerate the file after changing a template class or the documentation:

    .venv/bin/python -m cia.templateschema docs/template-format.md > cia/schema/template.schema.json

The schema checks the shape of a file; `templateformat.load()` checks the rest (keys unique,
conditions that look back, sub-questions a kind allows ...), with messages for people.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
import types
import typing
from typing import Any

from cia import templateformat as tf
from cia import templateversions
from cia.checks.base import SEVERITIES
from cia.checks.parameters import MAX_VALUES, VALUE
from cia.domain import (
    CategoryArea,
    ColumnGuidance,
    CommunityParagraph,
    Condition,
    DecisionRoute,
    GuidanceBullet,
    HeaderField,
    NamedScale,
    Plain,
    ProjectSize,
    PublicationStatus,
    Question,
    RuleSetting,
    ScaleOption,
    SectionSpec,
    SignOffStep,
    StandardPage,
    TeamRole,
    TemplateSpec,
)
from cia.kinds.base import all_kinds

#: The documentation's headings ("### Sections") and the class each table describes.
DOCUMENTED = {
    "The template": TemplateSpec, "Header fields": HeaderField, "Columns": ColumnGuidance,
    "Bullets": GuidanceBullet, "Sections": SectionSpec, "Questions": Question, "Standard pages": StandardPage,
    "Conditions": Condition, "Sign-off steps": SignOffStep, "Rating scales": NamedScale, "Team role": TeamRole,
    "Category areas": CategoryArea, "Scale options": ScaleOption, "Decision routes": DecisionRoute,
    "Project sizes": ProjectSize, "Publication statuses": PublicationStatus,
    "Community Impact paragraphs": CommunityParagraph, "Rule settings": RuleSetting,
}
#: Fields whose value is a key (the pattern of `templateformat.KEY_PATTERN`), and those that may be empty.
_KEY_FIELDS = {"key"}
_OPTIONAL_KEY_FIELDS = {"scale", "staff_row_key"}
_OPTIONAL_KEY_FIELDS_OF: dict[type, set[str]] = {Condition: {"question"}}
#: List limits the format sets (templateformat), by field.
_MAX_ITEMS = {"sections": tf.MAX_SECTIONS, "category_areas": tf.MAX_AREAS, "completing_guidance": tf.MAX_BULLETS,
              "please_note": tf.MAX_BULLETS, "likelihood_scale": tf.MAX_SCALE_OPTIONS,
              "impact_scale": tf.MAX_SCALE_OPTIONS, "header_fields": tf.MAX_HEADER_FIELDS,
              "columns": tf.MAX_COLUMNS}
_ROW = re.compile(r"^\| `([a-z_]+)` \| (.*?) \| (.*) \|$")


def documented_fields(docs: str) -> dict[str, dict[str, str]]:
    """{class name: {field: its meaning}} from the tables of docs/template-format.md."""
    out: dict[str, dict[str, str]] = {}
    current: str | None = None
    for line in docs.splitlines():
        if line.startswith("### "):
            cls = DOCUMENTED.get(line[4:].strip())
            current = cls.__name__ if cls else None
            continue
        if line.startswith("## "):
            current = None
        match = _ROW.match(line.strip())
        if current and match:
            out.setdefault(current, {})[match.group(1)] = _plain(match.group(3))
    return out


def _plain(markdown: str) -> str:
    """A table cell as plain text: links to their words, code marks and emphasis dropped."""
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", markdown)
    return text.replace("`", "").replace("**", "").strip()


def build(docs: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a template file of format 2."""
    described = documented_fields(docs)
    defs: dict[str, Any] = {
        "key": {"type": "string", "pattern": tf.KEY_PATTERN.pattern, "maxLength": tf.KEY_MAX,
                "description": "A stable identifier: lower-case letters and digits joined by _ or -."},
        "shortText": {"type": "string", "maxLength": tf.SHORT_MAX},
        "text": {"type": "string", "maxLength": tf.TEXT_MAX},
    }
    for cls in DOCUMENTED.values():
        defs[cls.__name__] = _object(cls, described.get(cls.__name__, {}))
    root = defs.pop(TemplateSpec.__name__)
    root["properties"] = {"format": {"const": templateversions.FORMAT,
                                     "description": described.get("TemplateSpec", {}).get("format", "")},
                          **root["properties"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://cia.invalid/schema/template.schema.json",
        "title": f"Impact assessment template ({templateversions.FORMAT})",
        "description": ("One template version as a YAML (or JSON) file. See docs/template-format.md, which this "
                        "schema's descriptions are taken from; made by cia/templateschema.py."),
        **root,
        "required": ["name", "sections"],
        "$defs": defs,
    }


def _object(cls: type, described: dict[str, str]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        prop = _type(cls, f.name, hints[f.name])
        if f.name in described:
            prop = {**prop, "description": described[f.name]}
        properties[f.name] = prop
    doc = (cls.__doc__ or "").strip().split("\n\n")[0]
    out: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": properties}
    if doc and not doc.startswith(f"{cls.__name__}("):
        out = {"description": " ".join(doc.split()), **out}
    return out


def _type(owner: type, name: str, tp: Any) -> dict[str, Any]:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        return {"anyOf": [_type(owner, name, inner), {"type": "null"}]}
    if isinstance(tp, type) and issubclass(tp, Plain):
        return {"$ref": f"#/$defs/{tp.__name__}"}
    if origin is list:
        out: dict[str, Any] = {"type": "array", "items": _type(owner, name, args[0])}
        if name in _MAX_ITEMS and owner in (TemplateSpec, SectionSpec):
            out["maxItems"] = _MAX_ITEMS[name]
        return out
    if owner is RuleSetting and name == "parameters":
        return {"type": "object", "propertyNames": {"$ref": "#/$defs/key"}, "additionalProperties": {
            "type": "array", "maxItems": MAX_VALUES, "items": {"type": "string", "pattern": VALUE.pattern}}}
    if origin is dict:
        value = _type(owner, name, args[1])
        if name == "rule_settings":
            return {"type": "object", "propertyNames": {"pattern": r"^CIA-R[0-9]{2}$"}, "additionalProperties": value,
                    "maxProperties": tf.MAX_RULE_SETTINGS}
        return {"type": "object", "additionalProperties": value}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer", "minimum": 1}
    if name in _KEY_FIELDS:
        return {"$ref": "#/$defs/key"}
    if name in _OPTIONAL_KEY_FIELDS_OF.get(owner, _OPTIONAL_KEY_FIELDS):
        return {"anyOf": [{"const": ""}, {"$ref": "#/$defs/key"}]}
    if owner is Question and name == "kind":
        return {"enum": sorted(kind.key for kind in all_kinds())}
    if owner is RuleSetting and name == "severity":
        return {"enum": ["", *SEVERITIES]}
    if name in tf._SHORT_FIELDS or name == "label":
        return {"$ref": "#/$defs/shortText"}
    return {"$ref": "#/$defs/text"}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m cia.templateschema docs/template-format.md > cia/schema/template.schema.json",
              file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as fh:
        schema = build(fh.read())
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
