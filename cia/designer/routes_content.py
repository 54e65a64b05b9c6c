"""The version-wide parts of a draft: name and texts, header fields, columns, guidance bullets,
the likelihood and size-of-impact scales, and the checker's rule settings."""

from __future__ import annotations

from flask import abort, url_for

from cia.checks import Rule, all_rules, get_rule
from cia.checks import parameters as rule_parameters
from cia.checks.rules._settings import TERMS, parse_terms
from cia.data import designer
from cia.designer import bp, forms
from cia.designer.common import EditPage, FieldProblem, edit, keyed, movable_list, option_keys, version_or_404
from cia.domain import (
    ColumnGuidance,
    GuidanceBullet,
    HeaderField,
    RuleSetting,
    ScaleOption,
    TeamRole,
    TemplateSpec,
)


def _back(version_id: int) -> str:
    return url_for("designer.version", version_id=version_id)


# --- name and texts -------------------------------------------------------------------------

_DETAIL_FIELDS = ("name", "organisation", "sections_intro", "evidence_base_label", "evidence_base_guidance",
                  "evidence_base_examples", "closing_instruction")


_ROLE_FIELDS = ("name", "plural", "question", "guidance")


def _details_to_form(spec: TemplateSpec) -> dict:
    out = {n: getattr(spec, n) for n in (*_DETAIL_FIELDS, "document_title", "staff_guidance")}
    out.update({f"team_role_{n}": getattr(spec.team_role, n) for n in _ROLE_FIELDS})
    return out


def _details_apply(spec: TemplateSpec, data: dict) -> TemplateSpec:
    for name in (*_DETAIL_FIELDS, "document_title", "staff_guidance"):
        setattr(spec, name, data.get(name) or "")
    spec.team_role = TeamRole(**{n: (data.get(f"team_role_{n}") or "").strip() for n in _ROLE_FIELDS})
    if (spec.team_role.question or spec.team_role.plural or spec.team_role.guidance) and not spec.team_role.name:
        raise FieldProblem([("team_role_name", "Enter the name of the team role, or remove its question and guidance")])
    return spec


@bp.route("/versions/<int:version_id>/details", methods=["GET", "POST"])
def details(version_id: int):
    version = version_or_404(version_id)
    page = EditPage("details", forms.DetailsForm, "designer/details.html", "Name and general text",
                    to_form=_details_to_form,
                    apply=_details_apply, done_url=_back(version_id))
    return edit(version, page)


# --- header fields and columns (fixed lists: the authoring pages use their keys) ----------------


def _fixed_items(data: dict, name: str, key_field: str, keys: list[str], what: str) -> dict[str, dict]:
    """The posted items of a fixed list by key; a FieldProblem unless they are the page's items, each
    once and in order (otherwise a change typed into an item would be silently dropped)."""
    items = data.get(name) or []
    if [item.get(key_field) for item in items] != keys:
        raise FieldProblem([(name, f"The {what} on this page no longer match the draft. Reload the page and "
                                   "make your changes again")])
    return {item[key_field]: item for item in items}


def _headers_apply(spec: TemplateSpec, data: dict) -> TemplateSpec:
    posted = _fixed_items(data, "headers", "key", [h.key for h in spec.header_fields], "header fields")
    spec.header_fields = [
        HeaderField(key=h.key, label=posted[h.key].get("label") or h.label, guidance=posted[h.key].get("guidance") or "",
                    optional=(posted[h.key].get("optional") or "") == "yes")
        for h in spec.header_fields
    ]
    return spec


@bp.route("/versions/<int:version_id>/header-fields", methods=["GET", "POST"])
def header_fields(version_id: int):
    version = version_or_404(version_id)
    page = EditPage("header fields", forms.HeaderFieldsForm, "designer/header_fields.html", "Header fields",
                    to_form=lambda spec: {"headers": [{"key": h.key, "label": h.label, "guidance": h.guidance,
                                                       "optional": "yes" if h.optional else "no"}
                                                      for h in spec.header_fields]},
                    apply=_headers_apply, done_url=_back(version_id))
    return edit(version, page)


def _columns_apply(spec: TemplateSpec, data: dict) -> TemplateSpec:
    posted = _fixed_items(data, "columns", "key", [c.key for c in spec.columns], "columns")
    spec.columns_intro = data.get("columns_intro") or ""
    spec.columns = [ColumnGuidance(key=c.key, label=posted[c.key].get("label") or c.label,
                                   guidance=posted[c.key].get("guidance") or "") for c in spec.columns]
    return spec


@bp.route("/versions/<int:version_id>/columns", methods=["GET", "POST"])
def columns(version_id: int):
    version = version_or_404(version_id)
    page = EditPage("columns", forms.ColumnsForm, "designer/columns.html", "Column guidance",
                    to_form=lambda spec: {"columns_intro": spec.columns_intro,
                                          "columns": [c.to_dict() for c in spec.columns]},
                    apply=_columns_apply, done_url=_back(version_id))
    return edit(version, page)


# --- guidance bullets ---------------------------------------------------------------------------

BULLET_LISTS = {
    "completing": ("completing_guidance", "completing_heading", "Completing guidance"),
    "please-note": ("please_note", "please_note_label", "“Please note” bullets"),
}


@bp.route("/versions/<int:version_id>/guidance/<which>", methods=["GET", "POST"])
def bullets(version_id: int, which: str):
    if which not in BULLET_LISTS:
        abort(404)
    list_name, heading_name, title = BULLET_LISTS[which]
    version = version_or_404(version_id)

    def to_form(spec: TemplateSpec) -> dict:
        return {"heading": getattr(spec, heading_name), "bullets": [b.to_dict() for b in getattr(spec, list_name)]}

    def apply(spec: TemplateSpec, data: dict) -> TemplateSpec:
        items = data.get("bullets") or []
        keys = keyed(items, {b.key for b in getattr(spec, list_name)}, "text", "bullet")
        setattr(spec, heading_name, data.get("heading") or "")
        setattr(spec, list_name, [GuidanceBullet(key=k, text=i.get("text") or "") for k, i in zip(keys, items, strict=True)])
        return spec

    page = EditPage(f"guidance {which}", forms.BulletsForm, "designer/bullets.html", title,
                    to_form=to_form, apply=apply, done_url=_back(version_id),
                    lists={"bullets": movable_list(lambda: {"key": "", "text": ""}, forms.MAX_BULLETS, "bullets", "text")},
                    context={"which": which})
    return edit(version, page)


# --- scales ----------------------------------------------------------------------------------

SCALES = {"likelihood": ("likelihood_scale", "Likelihood"), "impact": ("impact_scale", "Size of impact")}


def _scale_to_form(options: list[ScaleOption]) -> list[dict]:
    return [{"key": o.key, "locked": "1", "label": o.label, "description": o.description} for o in options]


def _scales_apply(spec: TemplateSpec, data: dict) -> TemplateSpec:
    problems: list[tuple[str, str]] = []
    for name, (attr, what) in SCALES.items():
        items = data.get(name) or []
        chosen, found = option_keys(items, {o.key for o in getattr(spec, attr)}, name, f"{what} option")
        problems += found
        setattr(spec, attr, [ScaleOption(key=k, label=i.get("label") or "", description=i.get("description") or "")
                             for k, i in zip(chosen, items, strict=True)])
    if problems:
        raise FieldProblem(problems)
    return spec


@bp.route("/versions/<int:version_id>/scales", methods=["GET", "POST"])
def scales(version_id: int):
    version = version_or_404(version_id)

    def blank() -> dict:
        return {"key": "", "locked": "", "label": "", "description": ""}

    page = EditPage("scales", forms.ScalesForm, "designer/scales.html", "Likelihood and size of impact scales",
                    to_form=lambda spec: {"likelihood": _scale_to_form(spec.likelihood_scale),
                                          "impact": _scale_to_form(spec.impact_scale)},
                    apply=_scales_apply, done_url=_back(version_id),
                    lists={name: movable_list(blank, forms.MAX_SCALE_OPTIONS, "options to a scale", "label")
                           for name in SCALES},
                    context={"scales": SCALES})
    return edit(version, page)


# --- the checker's rules ------------------------------------------------------------------------


def _rules_to_form(spec: TemplateSpec) -> dict:
    out = []
    for rule in all_rules():
        # A rule the version does not list is off (see cia.checks.base.run_checks).
        setting = spec.rule_settings.get(rule.id) or RuleSetting(enabled=False)
        out.append({"rule_id": rule.id, "enabled": "yes" if setting.enabled else "no",
                    "severity": setting.severity or "default", "title": setting.title,
                    "sentence": setting.sentence, "terms": "\n".join(setting.terms),
                    **{f"p_{p.name}": list(setting.parameters.get(p.name, [])) for p in rule.parameters}})
    return {"rules": out}


def _posted_parameters(rule: Rule, item: dict) -> dict[str, list[str]]:
    """The questions chosen for each of the rule's parameters (a select's "Not chosen" is "")."""
    out = {}
    for parameter in rule.parameters:
        values = item.get(f"p_{parameter.name}") or []
        chosen = list(dict.fromkeys(v.strip() for v in values if isinstance(v, str) and v.strip()))
        if chosen:
            out[parameter.name] = chosen
    return out


def _rules_apply(spec: TemplateSpec, data: dict) -> TemplateSpec:
    posted = _fixed_items(data, "rules", "rule_id", [r.id for r in all_rules()], "rules")
    settings = dict(spec.rule_settings)
    problems: list[tuple[str, str]] = []
    for index, rule in enumerate(all_rules()):
        item = posted[rule.id]
        severity = (item.get("severity") or "").strip() or "default"  # radios: blank means unanswered
        terms: list[str] = []
        if rule.id in TERMS:
            terms, problem = parse_terms(rule.id, item.get("terms") or "")
            if problem:
                problems.append((f"rules-{index}-terms", problem))
        setting = RuleSetting(enabled=((item.get("enabled") or "").strip() or "yes") == "yes",
                              severity="" if severity == "default" else severity,
                              title=(item.get("title") or "").strip(),
                              sentence=(item.get("sentence") or "").strip(), terms=terms,
                              parameters=_posted_parameters(rule, item))
        wrong = (rule_parameters.shape_problems(rule.id, setting.parameters)
                 or rule_parameters.problems(spec, rule.id, setting))
        problems += [(f"rules-{index}-p_{name}", message) for name, message in wrong]
        settings[rule.id] = setting
    if problems:
        raise FieldProblem(problems)
    spec.rule_settings = settings
    return spec


def _parameter_choices(spec: TemplateSpec):
    """Offers each parameter field the draft's qualifying questions, by their labels."""

    def prepare(form) -> None:
        for entry in form.rules:
            rule = get_rule(entry.form.rule_id.data or "")
            for parameter in rule.parameters if rule else ():
                found = rule_parameters.choices(spec, parameter)
                entry.form[f"p_{parameter.name}"].choices = found if parameter.many else [("", "Not chosen"), *found]

    return prepare


@bp.route("/versions/<int:version_id>/rules", methods=["GET", "POST"])
def rules(version_id: int):
    version = version_or_404(version_id)
    spec = designer.spec_of(version)
    needing: dict[str, list[str]] = {}  # what no longer fits the draft (a question removed), by rule
    for rule_id, _name, message in rule_parameters.all_problems(spec):
        needing.setdefault(rule_id, []).append(message)
    page = EditPage("rules", forms.RulesForm, "designer/rules.html", "Checker rules",
                    to_form=_rules_to_form, apply=_rules_apply, done_url=_back(version_id),
                    prepare_form=_parameter_choices(spec),
                    context={"rules": {r.id: r for r in all_rules()}, "terms": TERMS, "needing": needing,
                             "takes": rule_parameters.TAKES})
    return edit(version, page)
