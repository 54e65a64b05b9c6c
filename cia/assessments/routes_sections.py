"""A template section's rows (one page) and its Evidence Base (the next page)."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import abort, url_for
from flask_login import login_required

from cia.assessments import bp
from cia.checks import ERROR
from cia.conditions import Applicable
from cia.data import assessments as data
from cia.data import workflow as review_comments
from cia.data.parts import SectionRows
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
                               skip=lambda finding: False, row: str | None = None):
    """On "Save and continue": the checker's errors for this page, on the fields they concern. With
    `row`, a page of that one row: its errors only, on its fields as that page numbers them."""

    def problems(saved, checked=None) -> list[tuple[str, str]]:
        if not when(saved):
            return []
        assessment, report = checked or data.check(access.revision)
        return [(_ROW_NUMBER.sub("rows-0-", field_id(f.location, assessment)) if row else field_id(f.location, assessment),
                 f.message) for f in report.findings
                if f.severity == ERROR and f.location.part == part and not skip(f)
                and (row is None or f.location.row == row)]

    return problems


_ROW_NUMBER = re.compile(r"^rows-\d+-")


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
    """Every category area of the section on one page, with a contents list at the top."""
    access = access_or_404(assessment_id, edit=True)
    spec, section_spec = _spec_or_404(access, key, "assessments.section")
    rows = _StoredRows(access, section_spec)
    page = _rows_page(access, section_spec, section_spec.title, unpack=_a_box_for_each_mitigation,
                      pack=rows.keep_unasked)
    if not section_spec.allow_custom_rows:
        page.refuse_action = lambda action: (
            f"{section_spec.title} has a fixed list of category areas: you cannot add your own"
            if action == "add:rows" else "")
    return edit_part(access, page, section_pages.after(spec, section_spec, "assessments.section", assessment_id),
                     spec=spec, section=section_spec, columns=impact_row.column_labels(spec),
                     # sign-off: approvers' comments shown beside their rows
                     row_comments=review_comments.row_comments(access.revision, f"section:{key}"))


@bp.route("/<int:assessment_id>/sections/<key>/areas/<area>", methods=["GET", "POST"])
@login_required
def section_area(assessment_id: int, key: str, area: str):
    """One category area of the section on its own page, with the previous and next areas linked.

    It saves the section's part as the whole page does (same version, same conflict page), with
    this row as posted and every other row as stored.
    """
    access = access_or_404(assessment_id, edit=True)
    spec, section_spec = _spec_or_404(access, key, "assessments.section")
    rows = _StoredRows(access, section_spec)
    areas = rows.areas()
    keys = [k for k, _title in areas]
    if area not in keys:
        abort(404)
    at = keys.index(area)

    def unpack(form_data: dict) -> dict:
        mine = [r for r in _a_box_for_each_mitigation(form_data).get("rows") or [] if r.get("key") == area]
        return {**form_data, "rows": mine[:1] or [{"key": area}]}

    def pack(form_data: dict) -> dict:
        posted = {**((form_data.get("rows") or [{}])[0]), "key": area}
        stored = rows.form_rows()
        merged = [posted if r.get("key") == area else r for r in stored]
        if area not in {r.get("key") for r in stored}:
            merged.append(posted)
        return rows.keep_unasked({**form_data, "rows": merged})

    page = _rows_page(access, section_spec, f"{section_spec.title}: {areas[at][1]}", unpack=unpack,
                      pack=pack, row=area)
    page.refuse_action = lambda action: (
        "Add or remove a category area on the page with every category area"
        if action == "add:rows" or action.startswith("remove:rows-") and action.count("-") == 1 else "")

    def link(i: int) -> str:
        return url_for("assessments.section_area", assessment_id=assessment_id, key=key, area=keys[i])

    nav = {**({"previous": {"href": link(at - 1), "labelText": areas[at - 1][1]}} if at else {}),
           **({"next": {"href": link(at + 1), "labelText": areas[at + 1][1]}} if at + 1 < len(keys) else {})}
    next_url = link(at + 1) if at + 1 < len(keys) else section_pages.after(
        spec, section_spec, "assessments.section", assessment_id)
    return edit_part(access, page, next_url, spec=spec, section=section_spec, columns=impact_row.column_labels(spec),
                     areas=areas, one_area=areas[at], area_nav=nav, area_number=at + 1,
                     row_comments=review_comments.row_comments(access.revision, f"section:{key}"))


class _StoredRows:
    """The section's stored rows, loaded at most once per request."""

    def __init__(self, access: data.Access, section: SectionSpec):
        self.access, self.section = access, section
        self._loaded: SectionRows | None = None
        self._order = _keep_template_rows_in_order(section, lambda: {row.key for row in self.part().rows})

    def part(self) -> SectionRows:
        if self._loaded is None:
            self._loaded = data.load_part(self.access.revision, f"section:{self.section.key}").data
        return self._loaded

    def form_rows(self) -> list[dict]:
        return editing.to_form(self.part()).get("rows") or []

    def areas(self) -> list[tuple[str, str]]:
        """(key, title) of each row, in page order: the template's category areas, then the authors' own."""
        own = [(row.key, row.title or "Your own category area") for row in self.part().rows
               if self.section.area(row.key) is None]
        return [(a.key, a.title) for a in self.section.category_areas] + own

    def keep_unasked(self, form_data: dict) -> dict:
        """The rows in page order (see _keep_template_rows_in_order); a row marked N/A keeps its other
        answers as stored, whatever was posted for them (section_view.keep_stored_answers)."""
        rows = [dict(r) for r in form_data.get("rows") or []]
        section_view.keep_stored_answers(rows, self.form_rows())
        return self._order({**form_data, "rows": rows})


def _rows_page(access: data.Access, section: SectionSpec, title: str, *, unpack, pack,
               row: str | None = None) -> Page:
    """The rows page (all areas, or the one area `row`): read by RowForm's rules, shown from plain data."""
    key = section.key
    page = Page(f"section:{key}", forms.SectionForm, "assessments/section.html", title,
                pack=pack, unpack=unpack,
                completeness=_completeness_from_checker(access, f"section:{key}", skip=_unanswered, row=row),
                ignore=section_view.drop_unasked_messages,
                view=_rows_view(access, section))
    page.prepare_values = lambda values: setattr(page, "namer", _section_namer(section, values))
    return page


def _rows_view(access: data.Access, section: SectionSpec):
    """The rows page's template context from plain data (see cia/web/section_view.py), each row with
    its state for the contents list (the checker's errors on the stored answers)."""

    def view(values: dict, errors: dict[str, list[str]]) -> dict:
        _assessment, report = data.check(access.revision)
        with_errors = frozenset(f.location.row for f in report.findings
                                if f.severity == ERROR and f.location.part == f"section:{section.key}")
        rows = section_view.rows(section, values, errors, with_errors)
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
