"""What changed between two versions of a template, in plain words, grouped for the people who read it.

An administrator about to publish a draft, and an author offered the move of a draft assessment to
a newer version, both need to know what is different without reading YAML or a table of field
paths (the audit rows keep those). So this module names the changes a person acts on, one line
each, grouped: sections, category areas, questions, checker rules, sign-off steps; and counts the
rest ("other text and settings"), saying where. Things are matched by their stable keys (sections,
category areas, questions, options, sign-off steps) and rules by their id, so a renamed question
is a re-worded question, not one removed and one added. Whatever a line does not name (a field
added to the format later, say) is still counted, never lost. Imports nothing from Flask.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cia import diff
from cia.checks.base import get_rule
from cia.domain import APPROVER_LEVELS, TemplateSpec
from cia.kinds.base import kind_of

#: The plain name of each top-level part of a template, for the "other changes" line.
PART_NAMES = {
    "name": "Name", "organisation": "Organisation", "document_title": "Document title", "team_role": "Team role",
    "staff_guidance": "Staff impact guidance", "scales": "Rating scales", "header_fields": "Header fields",
    "completing_heading": "Completing guidance", "completing_guidance": "Completing guidance",
    "columns_intro": "Column guidance", "columns": "Column guidance", "please_note_label": "“Please note” bullets",
    "please_note": "“Please note” bullets", "sections_intro": "Introduction to the sections",
    "evidence_base_label": "Evidence Base text", "evidence_base_guidance": "Evidence Base text",
    "evidence_base_examples": "Evidence Base text", "closing_instruction": "Closing instruction",
    "likelihood_scale": "Likelihood scale", "impact_scale": "Size of impact scale",
    "standard_pages": "Standard pages", "reference_prefix": "Reference prefix", "decision_routes": "Decision routes",
    "project_sizes": "Project sizes", "publication_statuses": "Publication statuses",
    "evidence_types": "Evidence types", "directions": "Directions of impact",
    "community_impact": "Community Impact paragraphs",
}
SEVERITY_NAMES = {"error": "Error", "warning": "Warning", "advice": "Advice"}


@dataclass(frozen=True)
class Group:
    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Changes:
    """The changes from one version to another: named ones by group, then a count of the rest by where."""

    groups: tuple[Group, ...] = ()
    #: [(where, how many)] of the changes no line names: guidance, introductions, scales ...
    other: tuple[tuple[str, int], ...] = ()

    @property
    def other_count(self) -> int:
        return sum(n for _, n in self.other)

    @property
    def other_line(self) -> str:
        """"5 other changes to text and settings: Economy (3), Likelihood scale (2)" ("" when none)."""
        count = self.other_count
        if not count:
            return ""
        where = ", ".join(f"{name} ({n})" for name, n in self.other)
        return f"{count} other change{'s' if count != 1 else ''} to text and settings: {where}"

    @property
    def empty(self) -> bool:
        return not self.groups and not self.other

    def lines(self) -> list[str]:
        """Every line, for tests and audit rows."""
        return [line for g in self.groups for line in g.lines] + ([self.other_line] if self.other else [])


def _q(text: Any) -> str:
    return f"“{' '.join(str(text or '').split()) or '(untitled)'}”"


@dataclass
class _Found:
    sections: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    other: dict[str, int] = field(default_factory=dict)

    def count(self, where: str, old: Any, new: Any) -> None:
        n = len(diff.changes(old if isinstance(old, dict) else {"v": old}, new if isinstance(new, dict) else {"v": new}))
        if n:
            self.other[where] = self.other.get(where, 0) + n


def compare(old: TemplateSpec, new: TemplateSpec) -> Changes:
    """What changed from `old` to `new`, in plain words."""
    before, after = old.to_dict(), new.to_dict()
    found = _Found()
    _sections(found, new, before["sections"], after["sections"])
    _rules(found, before.get("rule_settings") or {}, after.get("rule_settings") or {})
    _steps(found, new, before.get("signoff_steps") or [], after.get("signoff_steps") or [])
    for name in after.keys() | before.keys():
        if name in ("sections", "rule_settings", "signoff_steps", "version"):
            continue
        found.count(PART_NAMES.get(name, name.replace("_", " ").capitalize()), {name: before.get(name)},
                    {name: after.get(name)})
    groups = [Group(h, tuple(lines)) for h, lines in (
        ("Sections", found.sections), ("Category areas", found.areas), ("Questions", found.questions),
        ("Checker rules", found.rules), ("Sign-off steps", found.steps)) if lines]
    return Changes(tuple(groups), tuple(sorted(found.other.items())))


# --- conditions ------------------------------------------------------------------------------


def _answer_label(spec: TemplateSpec, question_key: str, value: str) -> str:
    question = spec.question(question_key)
    options = list(question.options) if question else []
    kind = kind_of(question.kind) if question else None
    if not options and kind is not None:
        options = list(kind.fixed_options)
    return next((o.label for o in options if o.key == value), value)


def _condition(spec: TemplateSpec, condition: dict[str, Any]) -> str:
    """"only if the answer to “Q” is “Yes” or “No”" ("" when there is no condition)."""
    key = condition.get("question") or ""
    if not key:
        return ""
    question = spec.question(key)
    values = [_q(_answer_label(spec, key, v)) for v in condition.get("values") or []]
    answers = " or ".join(values) if values else "given"
    return f"only if the answer to {_q(question.label if question else key)} is {answers}"


def _shown(spec: TemplateSpec, what: str, condition: dict[str, Any], verb: str = "shown") -> str:
    text = _condition(spec, condition)
    return f"{what} is now {verb} {text}" if text else f"{what} is now always {verb}"


# --- sections, category areas and questions ----------------------------------------------------------


def _by_key(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {i["key"]: i for i in items if isinstance(i, dict) and i.get("key")}


def _order_changed(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> bool:
    common = set(_by_key(before)) & set(_by_key(after))
    return [i["key"] for i in before if i.get("key") in common] != [i["key"] for i in after if i.get("key") in common]


def _sections(found: _Found, new: TemplateSpec, before: list[dict[str, Any]],
              after: list[dict[str, Any]]) -> None:
    old_by, new_by = _by_key(before), _by_key(after)
    for key, s in new_by.items():
        if key not in old_by:
            has = [f"{n} {what}{'s' if n != 1 else ''}" for n, what in (
                (len(s.get("category_areas") or []), "category area"), (len(s.get("questions") or []), "question")) if n]
            found.sections.append(f"Added section {_q(s.get('title'))}" + (f" ({' and '.join(has)})" if has else ""))
    for key, s in old_by.items():
        if key not in new_by:
            found.sections.append(f"Removed section {_q(s.get('title'))}")
    if _order_changed(before, after):
        found.sections.append("Changed the order of the sections")
    for key, s_new in new_by.items():
        s_old = old_by.get(key)
        if s_old is None:
            continue
        title = _q(s_new.get("title"))
        if s_old.get("title") != s_new.get("title"):
            found.sections.append(f"Renamed section {_q(s_old.get('title'))} to {title}")
        if (s_old.get("show_if") or {}) != (s_new.get("show_if") or {}):
            found.sections.append(_shown(new, f"Section {title}", s_new.get("show_if") or {}))
        if s_old.get("evidence_base") != s_new.get("evidence_base"):
            found.sections.append(f"Section {title} {'now ends' if s_new.get('evidence_base') else 'no longer ends'} "
                                  "with an Evidence Base")
        if s_old.get("allow_custom_rows") != s_new.get("allow_custom_rows"):
            found.sections.append(f"Authors {'can now' if s_new.get('allow_custom_rows') else 'can no longer'} add "
                                  f"their own rows in {title}")
        _areas(found, title, s_old.get("category_areas") or [], s_new.get("category_areas") or [])
        handled = ("key", "title", "show_if", "evidence_base", "allow_custom_rows", "category_areas", "questions")
        found.count(f"Section {title}", _without(s_old, handled), _without(s_new, handled))
    _all_questions(found, new, before, after)


def _without(item: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in names}


def _areas(found: _Found, section: str, before: list[dict[str, Any]], after: list[dict[str, Any]]) -> None:
    old_by, new_by = _by_key(before), _by_key(after)
    for key, a in new_by.items():
        if key not in old_by:
            found.areas.append(f"Added category area {_q(a.get('title'))} to {section}")
        elif old_by[key].get("title") != a.get("title"):
            found.areas.append(f"Renamed category area {_q(old_by[key].get('title'))} to {_q(a.get('title'))} "
                               f"in {section}")
    for key, a in old_by.items():
        if key not in new_by:
            found.areas.append(f"Removed category area {_q(a.get('title'))} from {section}")
    if _order_changed(before, after):
        found.areas.append(f"Changed the order of the category areas in {section}")
    for key, a in new_by.items():
        if key in old_by:
            found.count(f"Section {section}", _without(old_by[key], ("key", "title")), _without(a, ("key", "title")))


def _all_questions(found: _Found, new: TemplateSpec, before: list[dict[str, Any]],
                   after: list[dict[str, Any]]) -> None:
    """Questions are matched by key across the whole template (a key is unique in it), so a question
    moved to another section is "moved", not removed and added."""
    def located(sections: list[dict[str, Any]]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
        return {q["key"]: (s, q) for s in sections for q in s.get("questions") or [] if q.get("key")}

    old_qs, new_qs = located(before), located(after)
    old_sections, new_sections = set(_by_key(before)), set(_by_key(after))
    for key, (section, q) in new_qs.items():
        if key not in old_qs:
            if section.get("key") in old_sections:  # a new section's questions are counted with it
                found.questions.append(f"Added question {_q(q.get('label'))} to {_q(section.get('title'))}")
            continue
        old_section, old_q = old_qs[key]
        if old_section.get("key") != section.get("key"):
            found.questions.append(f"Moved question {_q(q.get('label'))} from {_q(old_section.get('title'))} to "
                                   f"{_q(section.get('title'))}")
        _question(found, new, old_q, q)
    for key, (section, q) in old_qs.items():
        if key not in new_qs and section.get("key") in new_sections:
            found.questions.append(f"Removed question {_q(q.get('label'))} from {_q(section.get('title'))}")
    for key in sorted(old_sections & new_sections):
        s_old, s_new = _by_key(before)[key], _by_key(after)[key]
        if _order_changed(s_old.get("questions") or [], s_new.get("questions") or []):
            found.questions.append(f"Changed the order of the questions in {_q(s_new.get('title'))}")


_QUESTION_HANDLED = ("key", "kind", "label", "hint", "required", "options", "show_if", "cover", "questions")


def _question(found: _Found, new: TemplateSpec, q_old: dict[str, Any], q_new: dict[str, Any],
              parent: str = "") -> None:
    """The lines for one question matched in both versions (`parent`: the list question it is in)."""
    def subject(label: Any) -> str:
        return f"{_q(label)} in the list {parent}" if parent else f"question {_q(label)}"

    now = subject(q_new.get("label"))
    lines = found.questions
    if q_old.get("label") != q_new.get("label"):
        lines.append(f"Re-worded {subject(q_old.get('label'))} as {_q(q_new.get('label'))}")
    if q_old.get("kind") != q_new.get("kind"):
        lines.append(f"Changed {now} from {_kind_name(q_old.get('kind'))} to {_kind_name(q_new.get('kind'))}")
    if (q_old.get("hint") or "") != (q_new.get("hint") or ""):
        lines.append(f"Changed the hint of {now}")
    if bool(q_old.get("required", True)) != bool(q_new.get("required", True)):
        lines.append(f"Made {now} {'required' if q_new.get('required', True) else 'optional'}")
    if (q_old.get("show_if") or {}) != (q_new.get("show_if") or {}):
        lines.append(_shown(new, now[0].upper() + now[1:], q_new.get("show_if") or {}))
    if bool(q_old.get("cover")) != bool(q_new.get("cover")):
        lines.append(f"{now[0].upper() + now[1:]} is {'now' if q_new.get('cover') else 'no longer'} shown on the cover")
    options = _options(q_old.get("options") or [], q_new.get("options") or [])
    if options:
        lines.append(f"Changed the options of {now}: {options}")
    label = _q(q_new.get("label"))
    subs_old, subs_new = _by_key(q_old.get("questions") or []), _by_key(q_new.get("questions") or [])
    for key, sub in subs_new.items():
        if key not in subs_old:
            lines.append(f"Added {_q(sub.get('label'))} to the list {label}")
        else:
            _question(found, new, subs_old[key], sub, label)
    for key, sub in subs_old.items():
        if key not in subs_new:
            lines.append(f"Removed {_q(sub.get('label'))} from the list {label}")
    if _order_changed(q_old.get("questions") or [], q_new.get("questions") or []):
        lines.append(f"Changed the order of the questions in the list {label}")
    if _without(q_old, _QUESTION_HANDLED) != _without(q_new, _QUESTION_HANDLED):
        lines.append(f"Changed other settings of {now}")


def _kind_name(key: Any) -> str:
    kind = kind_of(str(key or ""))
    return kind.name.lower() if kind else str(key or "no kind")


def _options(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> str:
    """"added “Maybe”; removed “No”; renamed “Y” to “Yes”" ("" when the options are the same)."""
    old_by, new_by = _by_key(before), _by_key(after)
    added = [_q(o.get("label")) for k, o in new_by.items() if k not in old_by]
    removed = [_q(o.get("label")) for k, o in old_by.items() if k not in new_by]
    renamed = [f"{_q(old_by[k].get('label'))} to {_q(o.get('label'))}" for k, o in new_by.items()
               if k in old_by and old_by[k].get("label") != o.get("label")]
    parts = [f"{verb} {', '.join(items)}" for verb, items in (("added", added), ("removed", removed),
                                                               ("renamed", renamed)) if items]
    if _order_changed(before, after):
        parts.append("put them in a new order")
    others = [k for k, o in new_by.items() if k in old_by and _without(old_by[k], ("label",)) != _without(o, ("label",))]
    if others:
        parts.append("changed the description of " + ", ".join(_q(new_by[k].get("label")) for k in others))
    return "; ".join(parts)


# --- rules and sign-off steps ------------------------------------------------------------------------


def _rule_name(rule_id: str, setting: dict[str, Any]) -> str:
    rule = get_rule(rule_id)
    return f"{_q(setting.get('title') or (rule.title if rule else rule_id))} ({rule_id})"


def _severity(rule_id: str, value: str) -> str:
    if value in SEVERITY_NAMES:
        return SEVERITY_NAMES[value]
    rule = get_rule(rule_id)
    own = SEVERITY_NAMES.get(rule.default_severity, rule.default_severity) if rule else ""
    return f"the rule's own ({own.lower()})" if own else "the rule's own"


def _rules(found: _Found, before: dict[str, Any], after: dict[str, Any]) -> None:
    """A rule the template does not list is off (cia/checks/base.py), as is one listed as off."""
    for rule_id in sorted(before.keys() | after.keys()):
        s_old, s_new = before.get(rule_id) or {}, after.get(rule_id) or {}
        on_old = bool(s_old) and s_old.get("enabled", True) is not False
        on_new = bool(s_new) and s_new.get("enabled", True) is not False
        name = _rule_name(rule_id, s_new or s_old)
        if on_old != on_new:
            found.rules.append(f"Turned {'on' if on_new else 'off'} {name}")
        if not on_new:
            continue  # what an off rule would do does not matter to anyone until it is on
        if on_old and (s_old.get("severity") or "") != (s_new.get("severity") or ""):
            found.rules.append(f"Changed the severity of {name} from {_severity(rule_id, s_old.get('severity') or '')} "
                               f"to {_severity(rule_id, s_new.get('severity') or '')}")
        if on_old and any((s_old.get(k) or "") != (s_new.get(k) or "") for k in ("title", "sentence")):
            found.rules.append(f"Re-worded {name} in the checklist")
        handled = ("enabled", "severity", "title", "sentence")
        if on_old and _without(s_old, handled) != _without(s_new, handled):
            found.rules.append(f"Changed the parameters of {name}")


def _levels(levels: list[str]) -> str:
    if not levels:
        return "the approver the project size calls for"
    return " or ".join(APPROVER_LEVELS.get(level, level) for level in levels)


def _steps(found: _Found, new: TemplateSpec, before: list[dict[str, Any]],
           after: list[dict[str, Any]]) -> None:
    old_by, new_by = _by_key(before), _by_key(after)
    lines = found.steps
    for key, step in new_by.items():
        title = _q(step.get("title"))
        if key not in old_by:
            lines.append(f"Added the step {title}, signed by {_levels(step.get('levels') or [])}")
            continue
        was = old_by[key]
        if was.get("title") != step.get("title"):
            lines.append(f"Renamed the step {_q(was.get('title'))} to {title}")
        if (was.get("levels") or []) != (step.get("levels") or []):
            lines.append(f"The step {title} is now signed by {_levels(step.get('levels') or [])}")
        if (was.get("show_if") or {}) != (step.get("show_if") or {}):
            lines.append(_shown(new, f"The step {title}", step.get("show_if") or {}, "taken"))
        if (was.get("declaration") or "") != (step.get("declaration") or ""):
            lines.append(f"Changed what approvers confirm at the step {title}")
        handled = ("key", "title", "levels", "show_if", "declaration")
        if _without(was, handled) != _without(step, handled):
            lines.append(f"Changed other settings of the step {title}")
    for key, step in old_by.items():
        if key not in new_by:
            lines.append(f"Removed the step {_q(step.get('title'))}")
    if _order_changed(before, after):
        lines.append("Changed the order of the sign-off steps")
