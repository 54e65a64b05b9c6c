"""A draft's sections: the list (add, reorder, remove) and one section with its category areas."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from wtforms.fields.choices import SelectChoice

from cia import templateformat
from cia.data import designer
from cia.designer import bp, forms
from cia.designer.common import (
    EditPage,
    edit,
    frozen,
    keyed,
    lines,
    movable_list,
    save_simple,
    version_or_404,
)
from cia.domain import CategoryArea, SectionSpec, TemplateSpec

_SECTION_TEXTS = ("title", "intro", "prompts_label", "row_label_header", "mandatory_engagement",
                  "evidence_base_label", "evidence_base_guidance")


def _list_page(version, spec: TemplateSpec, problem: str = "", status: int = 200):
    return render_template("designer/sections.html", version=version, spec=spec, form=forms.ConfirmForm(),
                           spec_hash=templateformat.spec_hash(spec), problem=problem,
                           title="Sections"), status


@bp.route("/versions/<int:version_id>/sections", methods=["GET", "POST"])
def sections(version_id: int):
    """The list of sections; "Move up" and "Move down" save straight away (the page is short)."""
    version = version_or_404(version_id)
    if version.status != "draft":
        return frozen(version)
    spec = designer.spec_of(version)
    if request.method == "GET":
        return _list_page(version, spec)
    form = forms.ConfirmForm()
    action = request.form.get("action", "")
    verb, _, key = action.partition(":")
    keys = [s.key for s in spec.sections]
    if not form.validate() or verb not in ("up", "down") or key not in keys:
        return _list_page(version, spec, "That button is not recognised: try again", 400)
    i = keys.index(key)
    j = i - 1 if verb == "up" else i + 1
    if 0 <= j < len(keys):
        spec.sections[i], spec.sections[j] = spec.sections[j], spec.sections[i]
        problem = save_simple(version, spec, "sections order", form.spec_hash.data or "")
        if problem:
            return _list_page(version, designer.spec_of(version), problem, 409)
        flash(f"“{spec.sections[j].title}” has been moved {verb}")
    return redirect(url_for("designer.sections", version_id=version.id) + f"#section-{key}")


@bp.route("/versions/<int:version_id>/sections/new", methods=["GET", "POST"])
def new_section(version_id: int):
    version = version_or_404(version_id)
    if version.status != "draft":
        return frozen(version)
    spec = designer.spec_of(version)
    form = forms.NewSectionForm()
    problem = ""
    if request.method == "GET":
        form.spec_hash.data = templateformat.spec_hash(spec)
    elif form.validate():
        if len(spec.sections) >= forms.MAX_SECTIONS:
            problem = f"A template can have up to {forms.MAX_SECTIONS} sections"
        else:
            key = templateformat.make_key(form.title.data, {s.key for s in spec.sections}, "section")
            spec.sections.append(SectionSpec(key=key, title=form.title.data,
                                             evidence_base_label=spec.evidence_base_label))
            problem = save_simple(version, spec, "section added", form.spec_hash.data or "") or ""
            if not problem:
                flash(f"The section “{form.title.data}” has been added. Now add its category areas.")
                return redirect(url_for("designer.section", version_id=version.id, key=key))
            form.spec_hash.data = templateformat.spec_hash(designer.spec_of(version))
    return render_template("designer/new_section.html", version=version, form=form, action_problem=problem,
                           title="Add a section"), (409 if problem else 200)


def _section_or_404(spec: TemplateSpec, key: str) -> SectionSpec:
    section = spec.section(key)
    if section is None:
        abort(404)
    return section


def _section_to_form(key: str):
    def to_form(spec: TemplateSpec) -> dict:
        s = _section_or_404(spec, key)
        data = {name: getattr(s, name) for name in _SECTION_TEXTS}
        data.update(prompts="\n".join(s.prompts), legislation="\n".join(s.legislation),
                    allow_custom_rows="yes" if s.allow_custom_rows else "no", staff_row_key=s.staff_row_key,
                    areas=[a.to_dict() for a in s.category_areas])
        return data

    return to_form


def _section_apply(key: str):
    def apply(spec: TemplateSpec, data: dict) -> TemplateSpec:
        s = spec.section(key)
        if s is None:  # removed by someone else meanwhile: the fingerprint check reports it
            return spec
        for name in _SECTION_TEXTS:
            setattr(s, name, data.get(name) or "")
        s.prompts = lines(data.get("prompts") or "")
        s.legislation = lines(data.get("legislation") or "")
        s.allow_custom_rows = data.get("allow_custom_rows") == "yes"
        items = data.get("areas") or []
        keys = keyed(items, {a.key for a in s.category_areas}, "title", "area")
        s.category_areas = [CategoryArea(key=k, title=i.get("title") or "", question=i.get("question") or "",
                                         guidance=i.get("guidance") or "") for k, i in zip(keys, items, strict=True)]
        staff = data.get("staff_row_key") or ""
        s.staff_row_key = staff if staff in keys else ""
        return spec

    return apply


@bp.route("/versions/<int:version_id>/sections/<key>", methods=["GET", "POST"])
def section(version_id: int, key: str):
    version = version_or_404(version_id)
    if version.status != "draft":
        return frozen(version)
    current = _section_or_404(designer.spec_of(version), key)

    def prepare(form) -> None:
        form.staff_row_key.choices = [SelectChoice("", "None of them")] + [
            SelectChoice(a.key, a.title) for a in current.category_areas]

    blank = {"key": "", "title": "", "question": "", "guidance": ""}
    page = EditPage(f"section {key}", forms.SectionForm, "designer/section.html",
                    current.title,
                    to_form=_section_to_form(key), apply=_section_apply(key),
                    done_url=url_for("designer.sections", version_id=version_id),
                    lists={"areas": movable_list(lambda: dict(blank), forms.MAX_AREAS, "category areas to a section")},
                    prepare_form=prepare, context={"section_key": key},
                    saved_message=f"The section “{current.title}” has been saved")
    return edit(version, page)


@bp.route("/versions/<int:version_id>/sections/<key>/remove", methods=["GET", "POST"])
def remove_section(version_id: int, key: str):
    version = version_or_404(version_id)
    if version.status != "draft":
        return frozen(version)
    spec = designer.spec_of(version)
    section = _section_or_404(spec, key)
    form = forms.ConfirmForm()
    problem = ""
    if request.method == "GET":
        form.spec_hash.data = templateformat.spec_hash(spec)
    elif len(spec.sections) <= 1:
        problem = "A template needs at least one section: add another section before you remove this one"
    elif form.validate():
        spec.sections = [s for s in spec.sections if s.key != key]
        problem = save_simple(version, spec, f"section {key} removed", form.spec_hash.data or "") or ""
        if not problem:
            flash(f"The section “{section.title}” has been removed")
            return redirect(url_for("designer.sections", version_id=version.id))
        form.spec_hash.data = templateformat.spec_hash(designer.spec_of(version))
    else:
        problem = "Your request could not be checked: try again"
    return render_template("designer/remove_section.html", version=version, section=section, form=form,
                           action_problem=problem, title=f"Remove the section {section.title}"), (409 if problem else 200)
