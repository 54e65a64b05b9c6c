"""Versions of the template file format, and reading a file of format 1 as it was meant.

Format 2 (`format: cia-template/2`, the first field of every file the service writes) is the one
docs/template-format.md describes, with its JSON Schema in cia/schema/template.schema.json.

Format 1 is the file of a template written before templates carried their council's wording: it has
no `format:` field, and only the fields of that time (`FORMAT_1_FIELDS`). The service then supplied
some wording in code, to every template, and ran every rule a file did not list. So that such a
file still means what it meant, reading it adds what the code supplied (cia/template_data/
format-1-meaning.yaml, the same values migration 0006 gave the versions stored then): every rule of
that time it does not switch off, with the sentence it rested on; the documents' title; the Project
Team role where a section required people to be engaged; the staff page's guidance.

A file with no `format:` field that uses a field of format 2 was written by this service before
files were marked: it is read as format 2.

Works on the plain data of the file, before it is checked field by field. Imports nothing from Flask.
"""

from __future__ import annotations

import copy
import functools
from importlib import resources
from typing import Any

import yaml

FORMAT_1 = "cia-template/1"
FORMAT_2 = "cia-template/2"
FORMAT = FORMAT_2
FORMATS = (FORMAT_1, FORMAT_2)

#: The fields a format 1 file could have: at the top, in a section, in a rule's setting.
FORMAT_1_FIELDS = {
    "": {"name", "organisation", "version", "header_fields", "completing_heading", "completing_guidance",
         "columns_intro", "columns", "please_note_label", "please_note", "sections_intro", "evidence_base_label",
         "evidence_base_guidance", "evidence_base_examples", "closing_instruction", "likelihood_scale",
         "impact_scale", "rule_settings", "sections"},
    "section": {"key", "title", "intro", "prompts_label", "prompts", "row_label_header", "allow_custom_rows",
                "legislation", "mandatory_engagement", "evidence_base_label", "evidence_base_guidance",
                "staff_row_key", "category_areas"},
    "rule": {"enabled", "severity"},
}


class UnknownFormat(ValueError):
    """A `format:` this service does not read."""


@functools.cache
def _format_1_meaning() -> dict[str, Any]:
    text = resources.files("cia").joinpath("template_data/format-1-meaning.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def format_of(data: dict[str, Any]) -> str:
    """The format of a file's data (its `format:` field, else worked out from its fields).

    Raises UnknownFormat for a `format:` this service does not read.
    """
    if "format" in data:
        stated = data["format"]
        if stated not in FORMATS:
            shown = stated if isinstance(stated, str) else repr(stated)
            raise UnknownFormat(f'"{shown}" is not a template format this service reads: write '
                                f"{' or '.join(FORMATS)}, or leave format out of a file written before formats were named")
        return stated
    return FORMAT_1 if _only_format_1_fields(data) else FORMAT_2


def _only_format_1_fields(data: dict[str, Any]) -> bool:
    if not set(data) <= FORMAT_1_FIELDS[""]:
        return False
    sections = data.get("sections")
    if isinstance(sections, list) and any(isinstance(s, dict) and not set(s) <= FORMAT_1_FIELDS["section"]
                                          for s in sections):
        return False
    rules = data.get("rule_settings")
    return not (isinstance(rules, dict) and any(isinstance(r, dict) and not set(r) <= FORMAT_1_FIELDS["rule"]
                                                for r in rules.values()))


def upgraded(data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The file's data in format 2, and the format it was written in. The data is not changed."""
    found = format_of(data)
    out = {k: v for k, v in data.items() if k != "format"}
    if found == FORMAT_2:
        return out, found
    return _from_format_1(out), found


def _from_format_1(data: dict[str, Any]) -> dict[str, Any]:
    meaning = _format_1_meaning()
    out = copy.deepcopy(data)
    listed = out.get("rule_settings")
    rules: dict[str, Any] = dict(listed) if isinstance(listed, dict) else {}
    for rule_id, sentence in meaning["rules"].items():
        setting = rules.get(rule_id)
        setting = dict(setting) if isinstance(setting, dict) else {}
        setting.setdefault("enabled", True)  # format 1 ran a rule it did not list
        setting.setdefault("severity", "")
        setting["sentence"] = sentence
        if rule_id in meaning["rule_titles"]:
            setting["title"] = meaning["rule_titles"][rule_id]
        if rule_id in meaning["rule_terms"]:
            setting["terms"] = list(meaning["rule_terms"][rule_id])
        rules[rule_id] = setting
    if isinstance(listed, dict) or listed is None:
        out["rule_settings"] = rules
    out["document_title"] = meaning["document_title"]
    out["staff_guidance"] = meaning["staff_guidance"]
    sections = out.get("sections")
    if isinstance(sections, list) and any(isinstance(s, dict) and str(s.get("mandatory_engagement") or "").strip()
                                          for s in sections):
        out["team_role"] = dict(meaning["team_role"])
    return out
