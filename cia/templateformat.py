"""The template file format: one template version (`TemplateSpec.to_dict()`) as YAML.

Documented field by field in docs/template-format.md. Imports nothing from Flask, so the
designer's upload, `flask cia template-import` and the tests all read a file the same way:

    dump(spec) -> str          the YAML text, format cia-template/2 (dump -> load -> dump is identical)
    load(text) -> TemplateSpec raises TemplateFormatError naming every problem, with its line; a file
                               of format 1 is read as it was meant (cia/templateversions.py)
    publish_problems(spec)     what stops a version being published (the designer's check)

`structure_problems` (names, titles, keys, limits) is what every stored version must meet;
`publish_problems` adds what a version needs before authors can use it (non-empty scales).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import types
import typing
import unicodedata
from collections.abc import Sized
from dataclasses import dataclass
from typing import Any

import yaml

from cia import safe_parse, templateversions
from cia.checks import parameters
from cia.domain import APPROVER_LEVELS, COMMUNITY_IMPACT_KEYS, Plain, SectionSpec, TemplateSpec

#: Keys: lower-case letters and digits, joined by "_" or "-". They are stable identifiers:
#: answers are stored against them, so renaming an item never changes its key.
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")
KEY_MAX = 100
STEP_KEY_MAX = 60  # approval_request.step
#: Database column sizes of the short texts (cia/models.py).
SHORT_MAX = 300
TEXT_MAX = 20_000
SEVERITY_CHOICES = ("", "error", "warning", "advice")
#: The header fields the proposal details page asks; anything else would never be asked.
HEADER_FIELD_KEYS = ("name_of_proposal", "project_sponsor", "project_manager_or_lead", "date")
#: How many of each item a version may have: the designer's pages and an imported file alike.
MAX_SECTIONS = 50
MAX_AREAS = 100
MAX_BULLETS = 50
MAX_SCALE_OPTIONS = 20
MAX_HEADER_FIELDS = 20
MAX_COLUMNS = 20
MAX_RULE_SETTINGS = 100
#: Database column sizes of the keys stored with each revision (cia/models.py: Revision).
DECISION_ROUTE_KEY_MAX = 40
PROJECT_SIZE_KEY_MAX = 10
#: References are "<prefix>-<year>-<number>" in a 40-character column.
REFERENCE_PREFIX = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")
REFERENCE_PREFIX_MAX = 20
_SHORT_FIELDS = {"name", "organisation", "title", "prompts_label", "mandatory_engagement", "evidence_base_label",
                 "document_title", "plural"}
_REQUIRED = ("name", "sections")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a template: where (a field path), what, and the line of the file if known."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = ", ".join(part for part in (f"line {self.line}" if self.line else "", self.path) if part)
        return f"{where}: {self.message}" if where else self.message


class TemplateFormatError(ValueError):
    """A template file that cannot be used; `problems` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems) or "The template file cannot be read")


# --- writing ---------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Multi-line text as a literal block (`|`), so a file reads like the text it holds."""


def _represent_str(dumper: yaml.SafeDumper, value: str):
    if "\x85" in value:  # NEL: PyYAML reads it back as a line break unless the text is double-quoted
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def dump(spec: TemplateSpec) -> str:
    """The YAML text of a template version, with a one-line header comment."""
    header = (f"# {_one_line(spec.name) or 'Template'}, version {spec.version}: a CIA template "
              "(format: docs/template-format.md)\n")
    data = {"format": templateversions.FORMAT, **spec.to_dict()}
    if data.get("standard_pages") is None:  # left out: every standard page, always
        data.pop("standard_pages", None)
    for setting in data.get("rule_settings", {}).values():
        if not setting.get("parameters"):  # left out: the rule reads what it always has
            setting.pop("parameters", None)
    return header + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _one_line(text: str) -> str:
    """Text fit for a YAML comment: one line of printable characters."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in (text or "")).split())[:200]


def spec_hash(spec: TemplateSpec) -> str:
    """A short fingerprint of a version's content: the designer's forms carry it to detect concurrent edits."""
    canonical = json.dumps(spec.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:20]


# --- keys --------------------------------------------------------------------------


def make_key(text: str, taken: set[str] | list[str] | tuple[str, ...] = (), fallback: str = "item") -> str:
    """A key made from a title: "Air, Water and Land Quality" -> "air_water_and_land_quality".

    Unique among `taken` (a number is added: "_2", "_3" ...); `fallback` when the title has no
    usable letters.
    """
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    if len(base) > 60:
        cut = base[:60]
        base = cut.rsplit("_", 1)[0] if "_" in cut[30:] else cut
        base = base.strip("_")
    if base.startswith("own_") or base == "own":  # the authors' own rows use "own-..."
        base = f"area_{base}"
    base = base or fallback
    taken = set(taken)
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


# --- reading -----------------------------------------------------------------------


def load(text: str | bytes) -> TemplateSpec:
    """Read a template file; raise TemplateFormatError naming each problem (with its line)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise TemplateFormatError([Problem("", "The file is not UTF-8 text: save it as UTF-8 and try again")]) from error
    try:
        root, data = safe_parse.parse_yaml(text)  # size, depth, values, time, aliases, field names as text
    except safe_parse.UnsafeInput as error:
        raise TemplateFormatError([Problem("", error.message, error.line)]) from error
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        what = " ".join(p for p in (error.context, error.problem) if p) or "not valid YAML"
        raise TemplateFormatError([Problem(f"column {mark.column + 1}" if mark else "",
                                           f"The file is not valid YAML: {what}", line)]) from error
    except yaml.YAMLError as error:
        raise TemplateFormatError([Problem("", f"The file is not valid YAML: {error}")]) from error
    if root is None:
        raise TemplateFormatError([Problem("", "The file is empty: it must hold a template (see docs/template-format.md)")])
    lines: dict[str, int] = {}
    problems = _duplicate_mapping_keys(root, "", lines)
    if problems:
        raise TemplateFormatError(problems)
    if not isinstance(data, dict):
        raise TemplateFormatError([Problem("", "The file must hold a template: fields such as name: and sections:, "
                                               f"not {_kind(data)}", 1)])
    try:
        data, _written_in = templateversions.upgraded(data)  # a format 1 file, as it was meant
    except templateversions.UnknownFormat as error:
        raise TemplateFormatError(_with_lines([Problem("format", str(error))], lines)) from error
    problems = [Problem(f, f"{f} is missing: every template needs a {f.rstrip('s')}" if f == "name"
                        else f"{f} is missing: a template needs at least one section", 1)
                for f in _REQUIRED if f not in data]
    problems += _type_problems(TemplateSpec, data, "")
    if problems:
        raise TemplateFormatError(_with_lines(problems, lines))
    try:
        spec = TemplateSpec.from_dict(_none_to_default(TemplateSpec, data))
    except ValueError as error:  # not expected after the type check; still a clear message
        raise TemplateFormatError([Problem("", str(error))]) from error
    problems = structure_problems(spec)
    where = _control_character(data)
    if where:
        problems.append(Problem(where, "has a control character (such as NUL, written \\0): remove it"))
    problems = problems or rule_parameter_problems(spec)
    if problems:
        raise TemplateFormatError(_with_lines(problems, lines))
    return spec


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _control_character(value: Any, path: str = "") -> str:
    """The path of the first text with a control character (a YAML escape such as "\\0" makes one; what is
    typed into the designer never has them, and PostgreSQL cannot store a NUL); "" if there is none."""
    if isinstance(value, str):
        return (path or "the template") if _CONTROL.search(value) else ""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _control_character(item, f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}" if path else key)
        if found:
            return found
    return ""


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return type(value).__name__


def _duplicate_mapping_keys(node: yaml.Node, path: str, lines: dict[str, int]) -> list[Problem]:
    """Note the line of every field (for messages) and find fields given twice in one mapping."""
    lines.setdefault(path, node.start_mark.line + 1)
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = f"{path}.{key}" if path else key
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(Problem(child, f"{key} is given twice (lines {seen[key]} and {line}): keep one", line))
            seen[key] = line
            lines.setdefault(child, line)
            problems += _duplicate_mapping_keys(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            problems += _duplicate_mapping_keys(item, f"{path}[{index}]", lines)
    return problems


def _with_lines(problems: list[Problem], lines: dict[str, int]) -> list[Problem]:
    """Give each problem the line of its field, or of the nearest enclosing field the file has."""
    out = []
    for p in problems:
        line, path = p.line, p.path
        while line is None:
            line = lines.get(path)
            if not path:
                break
            path = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", path)
        out.append(Problem(p.path, p.message, line))
    return out


def _type_problems(cls: type, data: dict[str, Any], path: str) -> list[Problem]:
    """Wrong types and unknown fields, checked against the dataclass the data must fill."""
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    problems = []
    for key, value in data.items():
        where = f"{path}.{key}" if path else str(key)
        if key not in names:
            problems.append(Problem(where, f"{key} is not a field of {_what(cls)} (check the spelling; "
                                           "docs/template-format.md lists the fields)"))
            continue
        problems += _value_problems(hints[key], value, where)
    return problems


def _value_problems(tp: Any, value: Any, where: str) -> list[Problem]:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if value is None:
        return []  # an empty field means its default ("" / [] / false)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        return _value_problems(inner, value, where)
    if isinstance(tp, type) and issubclass(tp, Plain):
        if not isinstance(value, dict):
            return [Problem(where, f"expected a set of fields ({_what(tp)}), found {_kind(value)}")]
        return _type_problems(tp, value, where)
    if origin is list:
        if not isinstance(value, list):
            return [Problem(where, f"expected a list, found {_kind(value)}")]
        found = []
        for index, item in enumerate(value):
            found += _value_problems(args[0], item, f"{where}[{index}]")
        return found
    if origin is dict:
        if not isinstance(value, dict):
            return [Problem(where, f"expected a set of fields, found {_kind(value)}")]
        found = []
        for key, item in value.items():
            found += _value_problems(args[1], item, f"{where}.{key}")
        return found
    if tp is bool and not isinstance(value, bool):
        return [Problem(where, f"expected true or false, found {_kind(value)}")]
    if tp is int and (isinstance(value, bool) or not isinstance(value, int)):
        return [Problem(where, f"expected a whole number, found {_kind(value)}")]
    if tp is str and not isinstance(value, str):
        hint = " (put it in quotes)" if isinstance(value, (bool, int, float)) else ""
        return [Problem(where, f"expected text, found {_kind(value)}{hint}")]
    return []


def _none_to_default(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """Fields left empty in the file (`prompts:`) take their default instead of failing."""
    hints = typing.get_type_hints(cls)
    out = {}
    for key, value in data.items():
        if value is None:
            continue
        out[key] = _fill(hints.get(key), value)
    return out


def _fill(tp: Any, value: Any) -> Any:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if isinstance(tp, type) and issubclass(tp, Plain) and isinstance(value, dict):
        return _none_to_default(tp, value)
    if origin is list and isinstance(value, list):
        return [_fill(args[0], v) for v in value if v is not None]
    if origin is dict and isinstance(value, dict):
        return {k: _fill(args[1], v) for k, v in value.items() if v is not None}
    return value


_WHAT = {
    "TemplateSpec": "a template", "SectionSpec": "a section", "CategoryArea": "a category area",
    "ScaleOption": "a scale option", "RuleSetting": "a rule setting", "HeaderField": "a header field",
    "ColumnGuidance": "a column", "GuidanceBullet": "a guidance bullet", "TeamRole": "a team role",
    "Question": "a question", "Condition": "a condition", "NamedScale": "a scale",
    "StandardPage": "a standard page",
    "DecisionRoute": "a decision route", "ProjectSize": "a project size",
    "PublicationStatus": "a publication status", "CommunityParagraph": "a Community Impact paragraph",
}


def _what(cls: type) -> str:
    return _WHAT.get(cls.__name__, cls.__name__)


# --- what a version must meet -----------------------------------------------------------


def _section_name(index: int, section: SectionSpec) -> str:
    return f'Section {index + 1} ("{section.title}")' if section.title.strip() else f"Section {index + 1}"


def _keys(items: list, path: str, what: str, *, keyed_by: str = "key") -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        key = getattr(item, keyed_by)
        where = f"{path}[{index}].{keyed_by}"
        if not key:
            problems.append(Problem(where, f"{what} {index + 1} has no key"))
        elif len(key) > KEY_MAX or not KEY_PATTERN.match(key):
            problems.append(Problem(where, f'{what} {index + 1}: the key "{key}" must be lower-case letters and '
                                           f'numbers joined by "_" or "-", at most {KEY_MAX} characters'))
        elif key in seen:
            problems.append(Problem(where, f'{what} {index + 1} has the same key ("{key}") as {what.lower()} '
                                           f"{seen[key] + 1}: keys must be unique"))
        else:
            seen[key] = index
    return problems


def _texts(spec: Plain, path: str) -> list[Problem]:
    """Lengths: short fields fit their database column, every text stays reasonable."""
    problems = []
    for f in dataclasses.fields(typing.cast(Any, spec)):
        value = getattr(spec, f.name)
        where = f"{path}.{f.name}" if path else f.name
        if isinstance(value, str):
            limit = SHORT_MAX if f.name in _SHORT_FIELDS else TEXT_MAX
            if len(value) > limit:
                problems.append(Problem(where, f"{where} must be {limit:,} characters or fewer (it has {len(value):,})"))
        elif isinstance(value, Plain):
            problems += _texts(value, where)
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, Plain):
                    problems += _texts(item, f"{where}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, Plain):
                    problems += _texts(item, f"{where}[{index}]")
                elif isinstance(item, str) and len(item) > TEXT_MAX:
                    problems.append(Problem(f"{where}[{index}]", f"{where}[{index}] must be {TEXT_MAX:,} characters or fewer"))
    return problems


def structure_problems(spec: TemplateSpec) -> list[Problem]:
    """What every version must meet, draft or not: names, titles, unique well-formed keys, lengths."""
    from cia.checks.base import all_rules
    from cia.checks.rules._settings import terms_problems

    problems: list[Problem] = []
    if not spec.name.strip():
        problems.append(Problem("name", "Enter the name of the template"))
    if spec.version < 1:
        problems.append(Problem("version", "version must be 1 or more"))
    if not spec.sections:
        problems.append(Problem("sections", "Add at least one section: a template needs at least one section"))
    problems += _keys(spec.sections, "sections", "Section")
    for i, section in enumerate(spec.sections):
        name = _section_name(i, section)
        if not section.title.strip():
            problems.append(Problem(f"sections[{i}].title", f"Section {i + 1} has no title: enter a title"))
        for j, area in enumerate(section.category_areas):
            if not area.title.strip():
                problems.append(Problem(f"sections[{i}].category_areas[{j}].title",
                                        f"{name}: category area {j + 1} has no title: enter a title"))
        problems += [Problem(p.path, f"{name}: {p.message[0].lower()}{p.message[1:]}")
                     for p in _keys(section.category_areas, f"sections[{i}].category_areas", "Category area")]
        keys = [a.key for a in section.category_areas]
        if section.staff_row_key and section.staff_row_key not in keys:
            problems.append(Problem(f"sections[{i}].staff_row_key",
                                    f'{name}: the staff row "{section.staff_row_key}" is not one of its category areas'))
    for name, items, what in (("header_fields", spec.header_fields, "Header field"), ("columns", spec.columns, "Column"),
                              ("completing_guidance", spec.completing_guidance, "Completing guidance bullet"),
                              ("please_note", spec.please_note, "Please note bullet")):
        problems += _keys(items, name, what)
    for i, h in enumerate(spec.header_fields):
        if h.key and h.key not in HEADER_FIELD_KEYS:
            problems.append(Problem(f"header_fields[{i}].key", f'Header field {i + 1} ("{h.key}") is not one the '
                                    f"proposal details ask ({', '.join(HEADER_FIELD_KEYS)}): ask it as a question "
                                    "in a section, with cover: true to show it with the proposal's details"))
        if not h.label.strip():
            problems.append(Problem(f"header_fields[{i}].label", f"Header field {i + 1} has no label: enter a label"))
    for i, c in enumerate(spec.columns):
        if not c.label.strip():
            problems.append(Problem(f"columns[{i}].label", f"Column {i + 1} has no label: enter a label"))
    for name, items, what in (("completing_guidance", spec.completing_guidance, "Completing guidance bullet"),
                              ("please_note", spec.please_note, "Please note bullet")):
        for i, b in enumerate(items):
            if not b.text.strip():
                problems.append(Problem(f"{name}[{i}].text", f"{what} {i + 1} is empty: enter its text or remove it"))
    for name, what in (("likelihood_scale", "Likelihood"), ("impact_scale", "Size of impact")):
        options = getattr(spec, name)
        problems += _keys(options, name, f"{what} option")
        for i, o in enumerate(options):
            if not o.label.strip():
                problems.append(Problem(f"{name}[{i}].label", f"{what} option {i + 1} has no label: enter a label"))
    known = {r.id for r in all_rules()}
    for rule_id, setting in spec.rule_settings.items():
        if rule_id not in known:
            problems.append(Problem(f"rule_settings.{rule_id}", f'"{rule_id}" is not a rule of the checker '
                                                                f"(rules: {', '.join(sorted(known))})"))
        elif setting.severity not in SEVERITY_CHOICES:
            problems.append(Problem(f"rule_settings.{rule_id}.severity",
                                    f'{rule_id}: severity "{setting.severity}" must be error, warning, advice or '
                                    "empty (the rule's own severity)"))
        else:
            problems += [Problem(f"rule_settings.{rule_id}.terms", m) for m in terms_problems(rule_id, setting.terms)]
            problems += [Problem(f"rule_settings.{rule_id}.parameters.{name}", message)
                         for name, message in parameters.shape_problems(rule_id, setting.parameters)]
    role = spec.team_role
    if (role.question or role.plural or role.guidance) and not role.name.strip():
        problems.append(Problem("team_role.name", "The team role has a question or guidance but no name: enter the "
                                                  "name of the role, or remove the question and guidance"))
    problems += _question_problems(spec)
    problems += _signoff_problems(spec)
    problems += _vocabulary_problems(spec)
    problems += _texts(spec, "")
    problems += _count_problems(spec)
    return problems


def _labelled(items: list, path: str, what: str, *, field: str = "label", name: str = "label") -> list[Problem]:
    return [Problem(f"{path}[{i}].{field}", f"{what} {i + 1} has no {name}: enter a {name}")
            for i, item in enumerate(items) if not getattr(item, field).strip()]


def _vocabulary_problems(spec: TemplateSpec) -> list[Problem]:
    """The council's own lists: well-formed keys that fit where they are stored, labels, known levels.

    A list left out (empty) means the installation's default, so only the lists given are checked.
    """
    problems: list[Problem] = []
    if spec.reference_prefix and (len(spec.reference_prefix) > REFERENCE_PREFIX_MAX
                                  or not REFERENCE_PREFIX.match(spec.reference_prefix)):
        problems.append(Problem("reference_prefix", f'The reference prefix "{spec.reference_prefix}" must be capital '
                                                    f'letters and numbers, joined by "-", at most {REFERENCE_PREFIX_MAX} '
                                                    "characters (for example CIA or IIA)"))
    problems += _keys(spec.decision_routes, "decision_routes", "Decision route")
    problems += _labelled(spec.decision_routes, "decision_routes", "Decision route")
    problems += _fits(spec.decision_routes, "decision_routes", "Decision route", DECISION_ROUTE_KEY_MAX)
    others = [i for i, r in enumerate(spec.decision_routes) if r.other]
    if len(others) > 1:
        problems.append(Problem(f"decision_routes[{others[1]}].other", "Only one decision route can ask the authors "
                                                                        "to say which (other: true)"))
    problems += _keys(spec.project_sizes, "project_sizes", "Project size")
    problems += _labelled(spec.project_sizes, "project_sizes", "Project size")
    problems += _fits(spec.project_sizes, "project_sizes", "Project size", PROJECT_SIZE_KEY_MAX)
    for i, size in enumerate(spec.project_sizes):
        if size.approver_level not in APPROVER_LEVELS:
            problems.append(Problem(f"project_sizes[{i}].approver_level",
                                    f'Project size {i + 1}: the approver level "{size.approver_level}" is not one '
                                    f"an approver can hold ({', '.join(APPROVER_LEVELS)})"))
    problems += _keys(spec.publication_statuses, "publication_statuses", "Publication status")
    problems += _labelled(spec.publication_statuses, "publication_statuses", "Publication status")
    asking = [i for i, status in enumerate(spec.publication_statuses) if status.exemption_paragraphs]
    if len(asking) > 1:
        problems.append(Problem(f"publication_statuses[{asking[1]}].exemption_paragraphs",
                                "Only one publication status can ask which paragraph makes the assessment exempt"))
    for i, status in enumerate(spec.publication_statuses):
        where, what = f"publication_statuses[{i}]", f"Publication status {i + 1}"
        if status.exemption_paragraphs and not status.exemption_question.strip():
            problems.append(Problem(f"{where}.exemption_question", f"{what} asks for a paragraph but has no "
                                    "exemption_question: enter the question (for example Paragraph of Schedule 12A)"))
        paragraphs = f"{where}.exemption_paragraphs"
        problems += [Problem(p.path, f"{what}: {p.message[0].lower()}{p.message[1:]}")
                     for p in _keys(status.exemption_paragraphs, paragraphs, "Paragraph")
                     + _labelled(status.exemption_paragraphs, paragraphs, "Paragraph")]
        if len(status.exemption_paragraphs) > MAX_SCALE_OPTIONS:
            problems.append(Problem(paragraphs, f"{what} can offer up to {MAX_SCALE_OPTIONS} paragraphs"))
    for name, what in (("evidence_types", "Evidence type"), ("directions", "Direction")):
        items = getattr(spec, name)
        problems += _keys(items, name, what) + _labelled(items, name, what)
    problems += _keys(spec.community_impact, "community_impact", "Community Impact paragraph")
    problems += _labelled(spec.community_impact, "community_impact", "Community Impact paragraph",
                          field="heading", name="heading")
    for i, paragraph in enumerate(spec.community_impact):
        if paragraph.key and paragraph.key not in COMMUNITY_IMPACT_KEYS:
            problems.append(Problem(f"community_impact[{i}].key",
                                    f'Community Impact paragraph {i + 1}: "{paragraph.key}" is not one of the '
                                    f"paragraphs an assessment stores ({', '.join(COMMUNITY_IMPACT_KEYS)})"))
    for name in ("decision_routes", "project_sizes", "publication_statuses", "evidence_types", "directions"):
        items = getattr(spec, name)
        if len(items) > MAX_SCALE_OPTIONS:
            problems.append(Problem(name, f"A template can have up to {MAX_SCALE_OPTIONS} {name.replace('_', ' ')} "
                                          f"(this one has {len(items):,})"))
    return problems


def _fits(items: list, path: str, what: str, limit: int) -> list[Problem]:
    """Keys stored in a database column of `limit` characters."""
    return [Problem(f"{path}[{i}].key", f'{what} {i + 1}: the key "{item.key}" must be {limit} characters or fewer')
            for i, item in enumerate(items) if len(item.key) > limit]


def _count_problems(spec: TemplateSpec) -> list[Problem]:
    """The designer's limits on how many items there are, and on the texts it edits one per line."""
    counts: list[tuple[str, Sized, int, str]] = [("sections", spec.sections, MAX_SECTIONS, "sections"),
              ("header_fields", spec.header_fields, MAX_HEADER_FIELDS, "header fields"),
              ("columns", spec.columns, MAX_COLUMNS, "columns"),
              ("completing_guidance", spec.completing_guidance, MAX_BULLETS, "completing guidance bullets"),
              ("please_note", spec.please_note, MAX_BULLETS, "Please note bullets"),
              ("likelihood_scale", spec.likelihood_scale, MAX_SCALE_OPTIONS, "likelihood options"),
              ("impact_scale", spec.impact_scale, MAX_SCALE_OPTIONS, "size of impact options"),
              ("rule_settings", spec.rule_settings, MAX_RULE_SETTINGS, "rule settings")]
    for i, section in enumerate(spec.sections[:MAX_SECTIONS]):
        counts.append((f"sections[{i}].category_areas", section.category_areas, MAX_AREAS,
                       f"category areas in {_section_name(i, section)}"))
    problems = [Problem(path, f"A template can have up to {limit} {what} (this one has {len(items):,})")
                for path, items, limit, what in counts if len(items) > limit]
    for i, section in enumerate(spec.sections[:MAX_SECTIONS]):
        for name, label in (("prompts", "prompts"), ("legislation", "legislation")):
            size = len("\n".join(getattr(section, name)))
            if size > TEXT_MAX:
                problems.append(Problem(f"sections[{i}].{name}", f"{_section_name(i, section)}: the {label}, one per "
                                        f"line, must be {TEXT_MAX:,} characters or fewer in all (they have {size:,})"))
    return problems


def _question_problems(spec: TemplateSpec) -> list[Problem]:
    """Scales, questions of registered kinds, and conditions that look back at an earlier question."""
    from cia.kinds.base import all_kinds

    problems = _keys(spec.scales, "scales", "Scale")
    for i, scale in enumerate(spec.scales):
        what = f'Scale {i + 1} ("{scale.label}")' if scale.label.strip() else f"Scale {i + 1}"
        if not scale.label.strip():
            problems.append(Problem(f"scales[{i}].label", f"{what} has no name: enter a name"))
        if not scale.options:
            problems.append(Problem(f"scales[{i}].options", f"{what} has no options: add at least two"))
        problems += [Problem(p.path, f"{what}: {p.message[0].lower()}{p.message[1:]}")
                     for p in _keys(scale.options, f"scales[{i}].options", "Option")]
    kinds = ", ".join(k.key for k in all_kinds())
    asked: dict[str, str] = {}  # key of each question so far -> where it is
    for i, section in enumerate(spec.sections):
        name = _section_name(i, section)
        problems += _condition_problems(spec, section.show_if, asked, f"sections[{i}].show_if", name)
        for j, question in enumerate(section.questions):
            where = f"sections[{i}].questions[{j}]"
            what = f"{name}, question {j + 1}"
            if not question.key:
                problems.append(Problem(f"{where}.key", f"{what} has no key"))
            elif len(question.key) > KEY_MAX or not KEY_PATTERN.match(question.key):
                problems.append(Problem(f"{where}.key", f'{what}: the key "{question.key}" must be lower-case '
                                                        f'letters and numbers joined by "_" or "-", at most {KEY_MAX} characters'))
            elif question.key in asked:
                problems.append(Problem(f"{where}.key", f'{what} has the same key ("{question.key}") as '
                                                        f"{asked[question.key]}: question keys must be unique in a template"))
            problems += _kind_problems(spec, question, where, what, kinds)
            problems += _list_problems(spec, question, where, what, kinds)
            problems += _condition_problems(spec, question.show_if, asked, f"{where}.show_if", what)
            asked.setdefault(question.key, what)
        problems += _condition_problems(spec, section.end_if, asked, f"sections[{i}].end_if",
                                        f"{name} (ending the assessment)")
        if not section.evidence_base and not section.questions:
            problems.append(Problem(f"sections[{i}].questions", f"{name} has no Evidence Base and no questions: "
                                                                 "add a question, or give it an Evidence Base"))
    return problems + _standard_page_problems(spec, asked)


def _standard_page_problems(spec: TemplateSpec, asked: dict[str, str]) -> list[Problem]:
    """Each standard page named once, by its key; its condition may depend on any question."""
    from cia.domain import STANDARD_PAGES

    problems: list[Problem] = []
    seen: set[str] = set()
    for i, page in enumerate(spec.standard_pages or []):
        path = f"standard_pages[{i}]"
        what = f"Standard page {i + 1}"
        if page.key not in STANDARD_PAGES:
            problems.append(Problem(f"{path}.key", f'{what}: "{page.key}" is not a standard page (pages: '
                                                   f"{', '.join(STANDARD_PAGES)})"))
            continue
        what = f"{what} ({STANDARD_PAGES[page.key]})"
        if page.key in seen:
            problems.append(Problem(f"{path}.key", f"{what} is listed twice: list each page once"))
        seen.add(page.key)
        problems += _condition_problems(spec, page.show_if, asked, f"{path}.show_if", what)
    return problems


def _kind_problems(spec: TemplateSpec, question, where: str, what: str, kinds: str) -> list[Problem]:
    """The question's text, a registered kind, and what that kind needs (options, a scale)."""
    from cia.kinds.base import kind_of

    problems = []
    if not question.label.strip():
        problems.append(Problem(f"{where}.label", f"{what} has no question text: enter the question"))
    kind = kind_of(question.kind)
    if kind is None:
        return [*problems, Problem(f"{where}.kind", f'{what}: "{question.kind}" is not a kind of question '
                                                    f"(kinds: {kinds})")]
    if "options" in kind.needs and not question.options:
        problems.append(Problem(f"{where}.options", f"{what} has no options: add the answers to choose from"))
    if "scale" in kind.needs and question.scale not in {s.key for s in spec.scales}:
        problems.append(Problem(f"{where}.scale", f'{what}: choose one of the template\'s scales for '
                                                  f'the rating ("{question.scale}" is not one)'))
    problems += [Problem(p.path, f"{what}: {p.message[0].lower()}{p.message[1:]}")
                 for p in _keys(question.options, f"{where}.options", "Option")]
    return problems


#: Sub-question keys an item cannot use: the item's own id is stored under "id".
_RESERVED_SUB_KEYS = {"id"}
ITEM_NAME_MAX = 40
MAX_ITEM_QUESTIONS = 20


def _list_problems(spec: TemplateSpec, question, where: str, what: str, kinds: str) -> list[Problem]:
    """A list question has sub-questions of other kinds, with keys unique in the item; no other has any."""
    from cia.kinds.base import kind_of

    kind = kind_of(question.kind)
    if kind is not None and kind.check_template is not None:
        return [Problem(f"{where}{path}", f"{what}: {message}") for path, message in kind.check_template(question)]
    if kind is None or not kind.sub_kinds:
        if question.questions:
            return [Problem(f"{where}.questions", f"{what}: only a list or a grid question has questions of its "
                                                  "own (remove them, or make it kind: list)")]
        return []
    problems = []
    if not question.questions:
        problems.append(Problem(f"{where}.questions", f"{what} is a list with no questions for each item: "
                                                      "add at least one"))
    if len(question.questions) > MAX_ITEM_QUESTIONS:
        problems.append(Problem(f"{where}.questions", f"{what}: an item can have up to {MAX_ITEM_QUESTIONS} "
                                                      f"questions (this one has {len(question.questions):,})"))
    if len(" ".join(question.item_name.split())) > ITEM_NAME_MAX:
        problems.append(Problem(f"{where}.item_name", f"{what}: the name of an item must be {ITEM_NAME_MAX} "
                                                      "characters or fewer"))
    seen: dict[str, int] = {}
    for k, sub in enumerate(question.questions):
        path, which = f"{where}.questions[{k}]", f"{what}, item question {k + 1}"
        if not sub.key:
            problems.append(Problem(f"{path}.key", f"{which} has no key"))
        elif len(sub.key) > KEY_MAX or not KEY_PATTERN.match(sub.key) or sub.key in _RESERVED_SUB_KEYS:
            problems.append(Problem(f"{path}.key", f'{which}: the key "{sub.key}" must be lower-case letters and '
                                                   f'numbers joined by "_" or "-", at most {KEY_MAX} characters, '
                                                   'and not "id"'))
        elif sub.key in seen:
            problems.append(Problem(f"{path}.key", f'{which} has the same key ("{sub.key}") as item question '
                                                   f"{seen[sub.key]}: keys must be unique in an item"))
        seen.setdefault(sub.key, k + 1)
        sub_kind = kind_of(sub.kind)
        if sub_kind is not None and sub_kind.read_items is not None:
            problems.append(Problem(f"{path}.kind", f"{which}: a list cannot hold another list (choose another kind)"))
            continue
        problems += _kind_problems(spec, sub, path, which, ", ".join(key for key in kinds.split(", ") if key != kind.key))
        if sub.questions:
            problems.append(Problem(f"{path}.questions", f"{which}: only a list or a grid question has questions of "
                                                         "its own"))
        if sub.show_if.question or sub.show_if.values:
            problems.append(Problem(f"{path}.show_if", f"{which}: a question in a list item cannot have a "
                                                       "condition (put the condition on the list)"))
        if sub.cover:
            problems.append(Problem(f"{path}.cover", f"{which}: a question in a list item cannot be shown on the "
                                                     "cover"))
    return problems


def _signoff_problems(spec: TemplateSpec) -> list[Problem]:
    """Sign-off steps: a key and a title each, levels an account can hold, conditions on questions."""
    from cia.workflow import APPROVER_LEVELS

    problems = _keys(spec.signoff_steps, "signoff_steps", "Sign-off step")
    asked = {q.key: f"question {q.key}" for s in spec.sections for q in s.questions}
    levels = ", ".join(APPROVER_LEVELS)
    for i, step in enumerate(spec.signoff_steps):
        where = f"signoff_steps[{i}]"
        what = f'Sign-off step {i + 1} ("{step.title}")' if step.title.strip() else f"Sign-off step {i + 1}"
        if len(step.key) > STEP_KEY_MAX:
            problems.append(Problem(f"{where}.key", f"{what}: the key must be {STEP_KEY_MAX} characters or fewer"))
        if not step.title.strip():
            problems.append(Problem(f"{where}.title", f"{what} has no title: enter what the step is called"))
        for j, level in enumerate(step.levels):
            if level not in APPROVER_LEVELS:
                problems.append(Problem(f"{where}.levels[{j}]", f'{what}: "{level}" is not an approver level '
                                                                f"(levels: {levels})"))
        problems += _condition_problems(spec, step.show_if, asked, f"{where}.show_if", what)
    return problems


def _condition_problems(spec: TemplateSpec, condition, asked: dict[str, str], path: str, what: str) -> list[Problem]:
    """A condition must name a question asked before it, of a kind answered by choosing, and its options."""
    from cia.kinds.base import kind_of, options_of

    if not condition.question:
        if condition.values:
            return [Problem(f"{path}.question", f"{what}: the condition has answers but no question: name the "
                                                "question it depends on")]
        return []
    question = spec.question(condition.question)
    if condition.question not in asked or question is None:
        return [Problem(f"{path}.question", f'{what}: the condition depends on "{condition.question}", which is not '
                                            "a question asked before it")]
    kind = kind_of(question.kind)
    if kind is None or not kind.chosen_from_options:
        return [Problem(f"{path}.question", f'{what}: the condition depends on "{condition.question}", which is not '
                                            "answered by choosing (use a yes or no, choice or rating question)")]
    if not condition.values:
        return [Problem(f"{path}.values", f"{what}: choose the answers to \"{condition.question}\" that show it")]
    known = {o.key for o in options_of(question, spec)}
    unknown = [v for v in condition.values if v not in known]
    if unknown:
        return [Problem(f"{path}.values", f'{what}: "{unknown[0]}" is not an answer to "{condition.question}" '
                                          f"(answers: {', '.join(sorted(known))})")]
    return []


def rule_parameter_problems(spec: TemplateSpec) -> list[Problem]:
    """The questions the rules are told to read (cia/checks/parameters.py): a draft may lose one."""
    return [Problem(f"rule_settings.{rule_id}.parameters.{name}", message)
            for rule_id, name, message in parameters.all_problems(spec)]


def publish_problems(spec: TemplateSpec) -> list[Problem]:
    """What stops a version being published: every structure problem, and what authors need to answer."""
    problems = structure_problems(spec)
    problems += rule_parameter_problems(spec)
    evidence = any(section.evidence_base for section in spec.sections)  # the scales are asked there
    if evidence and not spec.likelihood_scale:
        problems.append(Problem("likelihood_scale", "Add at least one option to the likelihood scale"))
    if evidence and not spec.impact_scale:
        problems.append(Problem("impact_scale", "Add at least one option to the size of impact scale"))
    for i, section in enumerate(spec.sections):
        if not section.has_rows and not section.questions:
            problems.append(Problem(f"sections[{i}].category_areas",
                                    f"{_section_name(i, section)} has no category areas and no questions: add one, "
                                    "or let authors add their own rows"))
    return problems
