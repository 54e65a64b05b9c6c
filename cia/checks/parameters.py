"""Which of a template's questions a rule's parameters may name, and what is wrong with those named.

A rule declares its parameters (`base.Parameter`: "the list that is the project team", "the
question that marks the required role"); a template's rule setting names its own questions for
them (`RuleSetting.parameters`). This module is the one place that knows what qualifies for each
kind of parameter, so the designer's page offers exactly the questions the file format accepts
and the rules read:

    choices(spec, parameter)            (value, label) of every question that qualifies
    shape_problems(rule_id, parameters) names and values that can never be right (any draft)
    problems(spec, rule_id, setting)    values that name nothing, or nothing that qualifies, and
                                        parameters the rule needs but lacks (files and publishing)

Values are question keys; a question of a list's items is "<list key>.<sub-question key>" and an
option of a scale "<scale key>.<option key>" (a key never holds a ".", so neither is ambiguous).
Imports nothing from Flask.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from cia.checks.base import Parameter, Rule, get_rule
from cia.domain import Question, RuleSetting, SectionSpec, TemplateSpec
from cia.kinds.base import kind_of

#: What each kind of parameter accepts, as messages and hints name it.
TAKES = {
    "list": "a list question (add another)",
    "yes_no_in_list": "a yes or no question of the chosen list's items",
    "date_in_list": "a date question of the chosen list's items",
    "rating": "a rating question",
    "scale_option": "an option of one of the template's scales",
}
#: The most values one parameter may hold (every rating of a long template fits).
MAX_VALUES = 200
VALUE = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*(?:\.[a-z0-9]+(?:[_-][a-z0-9]+)*)?$")
_VALUE_MAX = 201  # two keys and the dot between them


def _questions(spec: TemplateSpec) -> Iterator[tuple[SectionSpec, Question]]:
    for section in spec.sections:
        for question in section.questions:
            yield section, question


def _is_list(question: Question) -> bool:
    kind = kind_of(question.kind)
    return kind is not None and kind.read_items is not None


def _sub_kinds(takes: str) -> tuple[str, ...]:
    return {"yes_no_in_list": ("yes_no",), "date_in_list": ("date", "month_year")}.get(takes, ())


def _named(text: str, key: str) -> str:
    return " ".join((text or "").split()) or key


def choices(spec: TemplateSpec, parameter: Parameter, lists: list[str] | None = None) -> list[tuple[str, str]]:
    """(value, label) of everything in the template that qualifies for `parameter`, in template order.

    For a question of a list's items, only the items of `lists` when given (the lists chosen for
    the parameter it belongs to); every list's otherwise.
    """
    takes = parameter.takes
    out: list[tuple[str, str]] = []
    if takes == "scale_option":
        for scale in spec.scales:
            out += [(f"{scale.key}.{o.key}", f"{_named(scale.label, scale.key)}: {_named(o.label, o.key)}")
                    for o in scale.options]
        return out
    for section, question in _questions(spec):
        if takes == "list" and _is_list(question):
            out.append((question.key, f"{_named(section.title, section.key)}: {_named(question.label, question.key)}"))
        elif takes == "rating" and question.kind == "rating":
            out.append((question.key, f"{_named(section.title, section.key)}: {_named(question.label, question.key)}"))
        elif _sub_kinds(takes) and _is_list(question) and (lists is None or question.key in lists):
            out += [(f"{question.key}.{sub.key}",
                     f"{_named(question.label, question.key)}: {_named(sub.label, sub.key)}")
                    for sub in question.questions if sub.kind in _sub_kinds(takes)]
    return out


def located(spec: TemplateSpec, value: str) -> tuple[SectionSpec, Question, Question | None] | None:
    """(section, question, sub-question or None) a parameter's value names, or None."""
    key, _, sub_key = value.partition(".")
    for section, question in _questions(spec):
        if question.key == key:
            if not sub_key:
                return section, question, None
            sub = next((s for s in question.questions if s.key == sub_key), None)
            return (section, question, sub) if sub is not None else None
    return None


def chosen(setting: RuleSetting | None, name: str) -> list[str]:
    return list(setting.parameters.get(name, [])) if setting else []


def shape_problems(rule_id: str, parameters: Mapping[str, list[str]]) -> list[tuple[str, str]]:
    """(parameter name, message) for what no template could make right: a parameter the rule does not
    take, a value that is not a key, several values where the rule reads one, too many values."""
    rule = get_rule(rule_id)
    declared = {p.name: p for p in rule.parameters} if rule else {}
    out: list[tuple[str, str]] = []
    for name, values in parameters.items():
        parameter = declared.get(name)
        if parameter is None:
            takes = f"its parameters: {', '.join(declared)}" if declared else "it takes none"
            out.append((name, f'{rule_id} has no parameter "{name}" ({takes})'))
            continue
        if len(values) > MAX_VALUES:
            out.append((name, f"{rule_id}, {parameter.label.lower()}: choose {MAX_VALUES} or fewer"))
        elif len(values) > 1 and not parameter.many:
            out.append((name, f"{rule_id}, {parameter.label.lower()}: choose one, not {len(values)}"))
        elif len(set(values)) < len(values):
            out.append((name, f"{rule_id}, {parameter.label.lower()}: each may be chosen only once"))
        for value in values:
            if len(value) > _VALUE_MAX or not VALUE.match(value):
                out.append((name, f'{rule_id}, {parameter.label.lower()}: "{value[:60]}" is not the key of a question '
                                  "(keys are lower-case letters and numbers joined by \"_\" or \"-\")"))
                break
    return out


def problems(spec: TemplateSpec, rule_id: str, setting: RuleSetting) -> list[tuple[str, str]]:
    """(parameter name, message) for each value that names nothing in the template or nothing that
    qualifies, a question of a list that is not the chosen list's, and (for a rule that is on) a
    parameter the rule needs that is not chosen. Nothing while `shape_problems` finds any."""
    rule = get_rule(rule_id)
    if rule is None or shape_problems(rule_id, setting.parameters):
        return []  # shape_problems says what is wrong (templateformat.structure_problems)
    out: list[tuple[str, str]] = []
    for parameter in rule.parameters:
        out += _parameter_problems(spec, rule, parameter, setting)
    return out


def _parameter_problems(spec: TemplateSpec, rule: Rule, parameter: Parameter,
                        setting: RuleSetting) -> list[tuple[str, str]]:
    values = chosen(setting, parameter.name)
    label = parameter.label[:1].lower() + parameter.label[1:]
    where = f"{rule.id}, {label}"
    owner = next((p for p in rule.parameters if p.name == parameter.of), None) if parameter.of else None
    lists = chosen(setting, owner.name) if owner else None
    if owner is not None and values and not lists:
        return [(parameter.name, f"{where}: choose {owner.label[:1].lower()}{owner.label[1:]} first, or leave this "
                                 "empty")]
    if not values:
        needed = parameter.required and (owner is None or bool(lists))
        if needed and setting.enabled:
            return [(parameter.name, f"{rule.id} is on: choose {label}, or switch the rule off")]
        return []
    qualifying = {value for value, _ in choices(spec, parameter, lists)}
    out = []
    for value in values:
        if value in qualifying:
            continue
        if parameter.takes == "scale_option":
            scale, _, option = value.partition(".")
            exists = any(s.key == scale and any(o.key == option for o in s.options) for s in spec.scales)
        else:
            exists = located(spec, value) is not None
        if not exists:
            what = "an option of the template's scales" if parameter.takes == "scale_option" else "a question of the template"
            out.append((parameter.name, f'{where}: "{value}" is not {what} (it may have been removed): choose again'))
        elif owner is not None and value.partition(".")[0] not in (lists or []):
            out.append((parameter.name, f'{where}: "{value}" is not a question of the list chosen for '
                                        f"{owner.label[:1].lower()}{owner.label[1:]}: choose again"))
        else:
            out.append((parameter.name, f'{where}: "{value}" is not {TAKES[parameter.takes]}: choose again'))
    return out


def all_problems(spec: TemplateSpec) -> list[tuple[str, str, str]]:
    """(rule id, parameter name, message) for every rule setting of the template."""
    return [(rule_id, name, message) for rule_id, setting in spec.rule_settings.items()
            for name, message in problems(spec, rule_id, setting)]
