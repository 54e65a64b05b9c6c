"""Preview: a version's task list and section pages exactly as an author would see them.

The authors' own templates (assessments/task_list.html, section.html, evidence.html) are
rendered with a blank assessment built from the version, through an overlay of the Jinja
environment that swaps two frames:
- "assessments/_edit.html" (the form frame of every authoring page) for a read-only frame:
  the same heading, intro and fields, no <form>, no save buttons;
- "layout.html" for a layout that adds a "Preview" banner and a way back to the designer.
Links the author's pages make to authoring routes point into the preview instead.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from flask import abort, current_app, url_for
from jinja2 import ChoiceLoader, FunctionLoader

from cia.checks import run_checks
from cia.conditions import Applicable
from cia.data import designer, parts
from cia.designer import bp
from cia.designer.common import version_or_404
from cia.domain import SectionSpec, TemplateSpec, blank_assessment
from cia.kinds import impact_row
from cia.kinds.base import kind_of, options_for
from cia.web import forms as author_forms
from cia.web import section_pages, section_view
from cia.web.editing import to_form
from cia.web.labels import TASK_STATUS_LABELS
from cia.web.questions import form_class as question_form

_SWAPS = {
    "assessments/_edit.html": "designer/preview/edit_frame.html",
    "layout.html": "designer/preview/layout.html",
}
_ORIGINAL_LAYOUT = "designer/preview/original_layout.html"


def _environment():
    """The app's Jinja environment with the two frames swapped (built once per app)."""
    env = current_app.extensions.get("cia_designer_preview_env")
    if env is not None:
        return env
    base = current_app.jinja_env
    app_loader = base.loader

    def swapped(name: str):
        if name in _SWAPS:
            return app_loader.get_source(base, _SWAPS[name])
        if name == _ORIGINAL_LAYOUT:
            return app_loader.get_source(base, "layout.html")
        return None

    env = base.overlay(loader=ChoiceLoader([FunctionLoader(swapped), app_loader]), cache_size=100)
    current_app.extensions["cia_designer_preview_env"] = env
    return env


def _render_as_author(template: str, **context: Any) -> str:
    current_app.update_template_context(context)
    return _environment().get_template(template).render(context)


#: The preview of each of a section's pages.
_PREVIEW_PAGES = {"assessments.questions": "designer.preview_questions", "assessments.section": "designer.preview_section",
                  "assessments.evidence": "designer.preview_evidence"}


def _next(version, spec: TemplateSpec, section: SectionSpec, endpoint: str) -> tuple[str, str]:
    """(URL, button text) of the preview's next page after `endpoint` of `section`."""
    found = section_pages.following(spec, section, endpoint)
    if found is None:
        return url_for("designer.preview", version_id=version.id), "Back to the task list"
    page, where = found
    title = f"{where.title}: Evidence Base" if page == "assessments.evidence" else where.title
    return url_for(_PREVIEW_PAGES[page], version_id=version.id, key=where.key), f"Next: {title}"


def _preview_url_for(version_id: int):
    """url_for for the author's templates: authoring links lead to the preview's pages."""

    def preview_url_for(endpoint: str, **values: Any) -> str:
        if endpoint in _PREVIEW_PAGES and "key" in values:
            return url_for(_PREVIEW_PAGES[endpoint], version_id=version_id, key=values["key"])
        if endpoint.startswith("assessments.") or "assessment_id" in values:
            return url_for("designer.preview", version_id=version_id)
        return url_for(endpoint, **values)

    return preview_url_for


def _fake_access(spec: TemplateSpec):
    """What the author's templates read from an assessment's access (a blank draft nobody owns)."""
    revision = SimpleNamespace(id=None, number=1, status="draft", proposal_name="Name of the proposal",
                               template_version_id=None)
    assessment = SimpleNamespace(id=0, reference="PREVIEW", current_revision_id=None)
    return SimpleNamespace(assessment=assessment, revision=revision, can_edit=False, is_owner=False,
                           editable=False, preview=True)


def _common(version, spec: TemplateSpec, title: str) -> dict[str, Any]:
    return {"access": _fake_access(spec), "spec": spec, "title": title, "preview_version": version,
            "url_for": _preview_url_for(version.id)}


@bp.route("/versions/<int:version_id>/preview")
def preview(version_id: int):
    version = version_or_404(version_id)
    spec = designer.spec_of(version)
    assessment = blank_assessment(spec, "")
    report = run_checks(assessment, spec)
    shown = Applicable(spec, assessment)
    statuses = {"details": "not_started", **{page: "not_started" for page in shown.pages},
                **{f"section:{s.key}": "not_started" for s in spec.sections}}
    return _render_as_author(
        "assessments/task_list.html", data=assessment, statuses=statuses, status_labels=TASK_STATUS_LABELS,
        counts=report.counts_by_part(), report=report, completed=0, standard_pages=shown.pages,
        applicable_sections=shown.sections, first_endpoint=section_pages.first_endpoint,
        section_hint=section_pages.hint, **_common(version, spec, "Assessment"))


def _section(spec: TemplateSpec, key: str) -> SectionSpec:
    section = spec.section(key)
    if section is None:
        abort(404)
    return section


@bp.route("/versions/<int:version_id>/preview/sections/<key>")
def preview_section(version_id: int, key: str):
    version = version_or_404(version_id)
    spec = designer.spec_of(version)
    section = _section(spec, key)
    if not section.has_rows:
        abort(404)
    stored = to_form(parts.SectionRows(rows=parts.blank_parts(spec)[f"section:{key}"].rows))
    rows = section_view.rows(section, stored, {})  # the page renders from plain data, as for authors
    next_url, next_text = _next(version, spec, section, "assessments.section")
    return _render_as_author(
        "assessments/section.html", form=None, version="", rows=rows, error_list=[], section=section,
        columns=impact_row.column_labels(spec), next_url=next_url, next_text=next_text,
        **_common(version, spec, section.title))


@bp.route("/versions/<int:version_id>/preview/sections/<key>/questions")
def preview_questions(version_id: int, key: str):
    """A section's questions as an author first sees them (those whose conditions need an answer appear
    once it is given)."""
    version = version_or_404(version_id)
    spec = designer.spec_of(version)
    section = _section(spec, key)
    if not section.questions:
        abort(404)
    asked = [q for q in Applicable(spec, blank_assessment(spec, "")).questions_of(section) if kind_of(q.kind)]
    kinds = {q.key: kind_of(q.kind) for q in asked}
    options = options_for(asked, spec)
    form = question_form(asked, kinds, options, ask_completed=not section.evidence_base and not section.has_rows)(
        formdata=None, data={"version": ""})
    next_url, next_text = _next(version, spec, section, "assessments.questions")
    return _render_as_author(
        "assessments/questions.html", form=form, section=section, asked=asked, kinds=kinds, options=options,
        next_url=next_url, next_text=next_text, **_common(version, spec, section.title))


@bp.route("/versions/<int:version_id>/preview/sections/<key>/evidence")
def preview_evidence(version_id: int, key: str):
    version = version_or_404(version_id)
    spec = designer.spec_of(version)
    section = _section(spec, key)
    if not section.evidence_base:
        abort(404)
    form = author_forms.EvidenceForm(formdata=None, data={**to_form(parts.SectionEvidence().evidence), "version": ""})
    form.likelihood.choices = [author_forms.SelectChoice(o.key, o.label) for o in spec.likelihood_scale]
    form.size.choices = [author_forms.SelectChoice(o.key, o.label) for o in spec.impact_scale]
    next_url, next_text = _next(version, spec, section, "assessments.evidence")
    return _render_as_author(
        "assessments/evidence.html", form=form, section=section, next_url=next_url, next_text=next_text,
        **_common(version, spec, f"{section.title}: Evidence Base"))
