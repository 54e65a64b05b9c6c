"""A template section's rows (one page) and its Evidence Base (the next page)."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort
from flask_login import login_required

from cia.assessments import bp
from cia.checks import ERROR
from cia.conditions import Applicable
from cia.data import assessments as data
from cia.data import workflow as review_comments
from cia.domain import Mitigation, SectionSpec, TemplateSpec
from cia.kinds import impact_row
from cia.web import editing, forms, section_pages, section_view
from cia.web.flow import Page, access_or_404, edit_part
from cia.web.links import field_id


def _spec_or_404(access: data.Access, key: str, endpoint: str) -> tuple[TemplateSpec, SectionSpec]:
    """The template and the section, if the section has the page `endpoint` (else 404)."""
    spec = data.template_for(access.revision)
    section = spec.section(key)
    if section is None or endpoint not in section_pages.pages(section):
        abort(404)
    return spec, section


def _section_namer(section: SectionSpec, values: dict):
    """Names a row's items in messages ("Risk 2 in Transport"), from the posted rows."""
    titles = []
    for row in values.get("rows") or []:
        area = section.area(row.get("key") or "")
        titles.append(area.title if area else (row.get("title") or "your own category area"))

    def namer(path: list) -> str:
        if len(path) < 2 or path[0] != "rows" or not isinstance(path[1], int) or path[1] >= len(titles):
            return ""
        title = titles[path[1]]
        if len(path) >= 4 and path[2] == "risks":
            if len(path) >= 6 and path[4] == "mitigations":
                return f"Mitigation {path[5] + 1} of risk {path[3] + 1} in {title}"
            return f"Risk {path[3] + 1} in {title}"
        if len(path) >= 4 and path[2] == "benefits":
            return f"Benefit {path[3] + 1} in {title}"
        return title

    return namer


def _completeness_from_checker(access: data.Access, part: str, *, when=lambda saved: True,
                               skip=lambda finding: False):
    """On "Save and continue": the checker's errors for this page, on the fields they concern."""

    def problems(saved, checked=None) -> list[tuple[str, str]]:
        if not when(saved):
            return []
        assessment, report = checked or data.check(access.revision)
        return [(field_id(f.location, assessment), f.message) for f in report.findings
                if f.severity == ERROR and f.location.part == part and not skip(f)]

    return problems


def _unanswered(finding) -> bool:
    """A row nobody has answered yet is for the task list and the check page, not a reason to stop."""
    return finding.location.field == "impact"


def _keep_template_rows_in_order(section: SectionSpec, stored_keys: Callable[[], set[str]]):
    """Rows of the template come first, each once, whatever the form sent back.

    In a section with a fixed list of category areas, the form cannot add rows of one's own; but
    own rows already stored (kept by a move to a new template version, or imported) stay: a save
    never drops answers the page showed.
    """

    def pack(form_data: dict) -> dict:
        rows = form_data.get("rows") or []
        known = {a.key for a in section.category_areas}
        by_key = {r.get("key"): r for r in rows if r.get("key") in known}
        ordered = [by_key.get(a.key) or {"key": a.key} for a in section.category_areas]
        own = [r for r in rows if r.get("key") not in known]
        if not section.allow_custom_rows and any(r.get("custom") for r in own):
            stored = stored_keys()
            own = [r for r in own if not r.get("custom") or r.get("key") in stored]
        for row in ordered:
            row["custom"] = ""
        return {**form_data, "rows": ordered + own}

    return pack


@bp.route("/<int:assessment_id>/sections/<key>", methods=["GET", "POST"])
@login_required
def section(assessment_id: int, key: str):
    access = access_or_404(assessment_id, edit=True)
    spec, section_spec = _spec_or_404(access, key, "assessments.section")
    page = Page(f"section:{key}", forms.SectionForm, "assessments/section.html", section_spec.title,
                pack=_keep_template_rows_in_order(section_spec, lambda: {
                    row.key for row in data.load_part(access.revision, f"section:{key}").data.rows}),
                unpack=_a_box_for_each_mitigation,
                completeness=_completeness_from_checker(access, f"section:{key}", skip=_unanswered),
                view=_rows_page(section_spec))
    page.prepare_values = lambda values: setattr(page, "namer", _section_namer(section_spec, values))
    if not section_spec.allow_custom_rows:
        page.refuse_action = lambda action: (
            f"{section_spec.title} has a fixed list of category areas: you cannot add your own"
            if action == "add:rows" else "")
    return edit_part(access, page, section_pages.after(spec, section_spec, "assessments.section", assessment_id),
                     spec=spec, section=section_spec, columns=impact_row.column_labels(spec),
                     # sign-off: approvers' comments shown beside their rows
                     row_comments=review_comments.row_comments(access.revision, f"section:{key}"))


def _rows_page(section: SectionSpec):
    """The rows page's template context from plain data (see cia/web/section_view.py)."""

    def view(values: dict, errors: dict[str, list[str]]) -> dict:
        rows = section_view.rows(section, values, errors)
        return {"rows": rows, "error_list": section_view.summary(rows, errors)}

    return view


def _a_box_for_each_mitigation(form_data: dict) -> dict:
    """A risk shown with no mitigation gets an empty box for one: every risk needs one."""
    for row in form_data.get("rows") or []:
        for risk in row.get("risks") or []:
            if not risk.get("mitigations"):
                risk["mitigations"] = [editing.to_form(Mitigation())]
    return form_data


def _evidence_unpack(stored: dict) -> dict:
    return {**(stored.get("evidence") or {}), "completed": stored.get("completed", "")}


def _evidence_pack(form_data: dict) -> dict:
    completed = form_data.get("completed")
    return {"evidence": {k: v for k, v in form_data.items() if k != "completed"}, "completed": completed}


def _with_kept(options: list[tuple[str, str]], stored: list[str]) -> list[tuple[str, str]]:
    offered = {k for k, _ in options}
    return options + [(k, k) for k in dict.fromkeys(stored) if k and k not in offered]


@bp.route("/<int:assessment_id>/sections/<key>/evidence", methods=["GET", "POST"])
@login_required
def evidence(assessment_id: int, key: str):
    access = access_or_404(assessment_id, edit=True)
    spec, section_spec = _spec_or_404(access, key, "assessments.evidence")

    # The template's evidence types and directions, and any stored one it does not list (an imported
    # assessment's), offered under its key so that saving the page never drops it.
    stored = data.load_part(access.revision, f"evidence:{key}").data.evidence
    directions = _with_kept([(o.key, o.label) for o in spec.direction_options], [stored.direction])
    kinds = _with_kept([(o.key, o.label) for o in spec.evidence_type_options], [i.kind for i in stored.items])

    def prepare(form):
        form.likelihood.choices = [forms.SelectChoice(o.key, o.label) for o in spec.likelihood_scale]
        form.size.choices = [forms.SelectChoice(o.key, o.label) for o in spec.impact_scale]
        form.direction.choices = [forms.SelectChoice(k, label) for k, label in directions]
        for item in form["items"].entries:
            item.form.kind.choices = [forms.SelectChoice(k, label) for k, label in kinds]

    page = Page(f"evidence:{key}", forms.EvidenceForm, "assessments/evidence.html",
                f"{section_spec.title}: Evidence Base", unpack=_evidence_unpack, pack=_evidence_pack,
                namer=lambda path: f"Evidence item {path[1] + 1}" if len(path) > 1 and isinstance(path[1], int) else "",
                prepare_form=prepare,
                completeness=_completeness_from_checker(access, f"evidence:{key}",
                                                        when=lambda saved: saved.completed))
    return edit_part(access, page, lambda: section_pages.after(
        spec, section_spec, "assessments.evidence", assessment_id, Applicable(spec, data.load_assessment(access.revision))),
        spec=spec, section=section_spec)
