"""Preview: a version's pages exactly as an author sees them, answered as an author would answer them.

The authors' own templates (assessments/task_list.html, questions.html, section.html, ...) are
rendered through an overlay of the Jinja environment that swaps two frames:
- "assessments/_edit.html" (the form frame of every authoring page) for the preview's frame: the
  same heading, error summary, fields and save buttons, posting to the preview;
- "layout.html" for a layout that adds the "Preview" banner and a way back to the designer.
The overlay's `url_for` sends every link the author's pages make to an assessment's page (the
authoring pages, "Check your answers", the summary and the downloads) to the same page of the
preview, whose URLs mirror an assessment's (/assessments/<id>/<rest> is
/templates/versions/<id>/preview/<rest>); a link to a page the preview does not have (sign-off,
contributors) leads to the preview's task list. Imported macros (the download links) use the
environment's globals, so the swap is made there, not only in each page's context.

The answers given in the preview are kept for this administrator and version only
(cia/designer/preview_store.py): what applies (conditions.Applicable) follows them, so the task
list shows the path an author's answers lead to. Nothing is saved to an assessment.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask import url_for as flask_url_for
from jinja2 import ChoiceLoader, FunctionLoader
from werkzeug.exceptions import HTTPException

from cia.checks import run_checks
from cia.conditions import Applicable
from cia.data import designer, parts
from cia.designer import bp
from cia.designer import preview_store as store
from cia.designer.common import version_or_404
from cia.domain import Mitigation, SectionSpec, TemplateSpec
from cia.exports.public import markable_questions
from cia.kinds import impact_row
from cia.kinds.base import kind_of, options_for
from cia.web import editing, section_pages, section_view
from cia.web import forms as author_forms
from cia.web.edit_flow import Posted, Refused
from cia.web.flow import Page, _PartFlow
from cia.web.labels import TASK_STATUS_LABELS
from cia.web.questions import form_class as question_form
from cia.web.questions import packer, unpacker

_SWAPS = {
    "assessments/_edit.html": "designer/preview/edit_frame.html",
    "layout.html": "designer/preview/layout.html",
}
_ORIGINAL_LAYOUT = "designer/preview/original_layout.html"
#: The blueprints whose pages belong to an assessment (their URLs start /assessments/<id>).
_ASSESSMENT_BLUEPRINTS = ("assessments.", "exports.", "review.")
_ASSESSMENT_ID = 0  # the preview's assessment: in no table


def _environment():
    """The app's Jinja environment with the two frames and `url_for` swapped (built once per app)."""
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
    env.globals = {**base.globals, "url_for": preview_url_for}  # the overlay's own: the app's is unchanged
    current_app.extensions["cia_designer_preview_env"] = env
    return env


def render_as_author(template: str, **context: Any) -> str:
    """An author's page (`template`) rendered in the preview of version `g.preview_version`."""
    version = g.preview_version
    context = {"preview_version": version, "preview_answered": bool(g.preview_answers), **context}
    current_app.update_template_context(context)
    return _environment().get_template(template).render(context)


def into_preview(url: str) -> str:
    """An assessment page's URL (made for the preview's assessment) as the same page of the preview,
    or the preview's task list if the preview has no such page."""
    base = flask_url_for("designer.preview", version_id=g.preview_version.id)
    own = flask_url_for("assessments.task_list", assessment_id=_ASSESSMENT_ID)
    split = urlsplit(url)
    if split.path != own and not split.path.startswith(own + "/"):
        return base
    path = base + split.path[len(own):]
    try:
        endpoint, _ = current_app.create_url_adapter(request).match(path, method="GET")  # type: ignore[union-attr]
    except HTTPException:
        return base
    if not str(endpoint).startswith("designer.preview"):
        return base
    return path + (f"?{split.query}" if split.query else "") + (f"#{split.fragment}" if split.fragment else "")


def preview_url_for(endpoint: str, **values: Any) -> str:
    """url_for for the author's templates: an assessment's pages are the preview's."""
    if endpoint.startswith(_ASSESSMENT_BLUEPRINTS) and "assessment_id" in values and "preview_version" in g:
        values = {k: v for k, v in values.items() if k != "revision"}
        return into_preview(flask_url_for(endpoint, **{**values, "assessment_id": _ASSESSMENT_ID}))
    return flask_url_for(endpoint, **values)


def fake_access():
    """What the author's templates read from an assessment's access (a draft nobody owns)."""
    answers = g.preview_answers
    name = (answers.get("details") or {}).get("name") or "Name of the proposal"
    revision = SimpleNamespace(id=None, number=1, status="draft", proposal_name=name, template_version_id=None)
    assessment = SimpleNamespace(id=_ASSESSMENT_ID, reference="PREVIEW", current_revision_id=None)
    return SimpleNamespace(assessment=assessment, revision=revision, can_edit=False, is_owner=False,
                           editable=False, preview=True)


def open_preview(version_id: int) -> TemplateSpec:
    """The version's template; the preview's version and answers are kept on `g` for its pages."""
    version = version_or_404(version_id)
    g.preview_version = version
    g.preview_answers = store.answers(version.id)
    return designer.spec_of(version)


def preview_assessment(spec: TemplateSpec):
    return store.assessment(spec, g.preview_answers)


def _status(kept: dict[str, dict], *names: str, completed_in: str = "") -> str:
    done = kept.get(completed_in or names[0])
    if done and done.get("completed") is True:
        return "completed"
    return "in_progress" if any(n in kept for n in names) else "not_started"


@bp.route("/versions/<int:version_id>/preview")
def preview(version_id: int):
    spec = open_preview(version_id)
    kept = g.preview_answers
    assessment = preview_assessment(spec)
    report = run_checks(assessment, spec)
    shown = Applicable(spec, assessment)
    statuses = {"details": _status(kept, "details"), **{page: _status(kept, page) for page in sorted(shown.pages)}}
    for s in spec.sections:
        if shown.section(s):
            statuses[f"section:{s.key}"] = _status(
                kept, f"questions:{s.key}", f"section:{s.key}", f"evidence:{s.key}",
                completed_in=f"evidence:{s.key}" if s.evidence_base else f"questions:{s.key}")
    return render_as_author(
        "assessments/task_list.html", access=fake_access(), spec=spec, title="Assessment", data=assessment,
        statuses=statuses, status_labels=TASK_STATUS_LABELS, counts=report.counts_by_part(), report=report,
        completed=sum(1 for s in statuses.values() if s == "completed"), standard_pages=shown.pages,
        applicable_sections=shown.sections, first_endpoint=section_pages.first_endpoint,
        section_hint=section_pages.hint, preview_task_list=True)


@bp.route("/versions/<int:version_id>/preview/start-again", methods=["POST"])
def preview_start_again(version_id: int):
    version = version_or_404(version_id)
    store.forget(version.id)
    flash("The preview has started again: every answer has been cleared.")
    return redirect(url_for("designer.preview", version_id=version.id))


# --- the preview's edit flow ------------------------------------------------------------------


class PreviewFlow(_PartFlow):
    """An authoring page's flow (its form, buttons and messages), keeping the answers in the preview."""

    def __init__(self, spec: TemplateSpec, page: Page, next_url: Callable[[], str], context: dict[str, Any]):
        super().__init__(fake_access(), page, next_url, {**page.context, **context, "access": fake_access(),
                                                          "title": page.title, "spec": spec})
        self.spec = spec

    def load(self):
        return self.page.form_data(store.loaded(self.spec, g.preview_answers, self.page.part)), ""

    def kept(self):
        return None

    def unsaved(self):
        return None

    def save_invalid(self, posted: Posted):
        return self.show_posted(posted)

    def save(self, posted: Posted):
        submitted = parts.part_class(self.page.part).from_dict(self.page.stored(posted.values))
        try:
            store.keep(g.preview_version.id, self.page.part, submitted.to_dict())
        except store.TooBig:
            raise Refused(message="These answers are too long to keep in the preview: shorten them") from None
        g.preview_answers = store.answers(g.preview_version.id)
        if request.form.get("submit") == "later":
            flash("Your answers have been kept in this preview.")
            return redirect(url_for("designer.preview", version_id=g.preview_version.id))
        return redirect(self.next_url() if callable(self.next_url) else self.next_url)

    def _render(self, **page: Any) -> str:
        return render_as_author(self.template, **{**self.context, **page})


def run_page(spec: TemplateSpec, page: Page, next_url: Callable[[], str], **context: Any):
    return PreviewFlow(spec, page, next_url, context).respond()


def shown_now(spec: TemplateSpec) -> Applicable:
    """What applies with the preview's answers as they are now kept."""
    return Applicable(spec, preview_assessment(spec))


def after_section_page(spec: TemplateSpec, section: SectionSpec, endpoint: str) -> Callable[[], str]:
    return lambda: into_preview(section_pages.after(spec, section, endpoint, _ASSESSMENT_ID, shown_now(spec)))


def does_not_apply(spec: TemplateSpec, section: Any, what: str = "section"):
    return render_as_author("assessments/does_not_apply.html", access=fake_access(), spec=spec, section=section,
                            what=what, title=section["title"] if isinstance(section, dict) else section.title)


def _section(spec: TemplateSpec, key: str, endpoint: str) -> SectionSpec:
    section = spec.section(key)
    if section is None or endpoint not in section_pages.pages(section):
        abort(404)
    return section


# --- a section's pages ------------------------------------------------------------------------


@bp.route("/versions/<int:version_id>/preview/sections/<key>/questions", methods=["GET", "POST"])
def preview_questions(version_id: int, key: str):
    spec = open_preview(version_id)
    section = _section(spec, key, "assessments.questions")
    shown = shown_now(spec)
    if not shown.section(section):
        return does_not_apply(spec, section)
    asked = [q for q in shown.questions_of(section) if kind_of(q.kind)]
    kinds = {q.key: kind_of(q.kind) for q in asked}
    options = options_for(asked, spec)
    markable = frozenset(q.key for q in markable_questions(spec, section)) & {q.key for q in asked}
    part = f"questions:{key}"
    page = Page(part, question_form(asked, kinds, options, ask_completed=not section.evidence_base and not section.has_rows,
                                    markable=markable),
                "assessments/questions.html", section.title, plain=True, unpack=unpacker(asked),
                pack=packer(asked, lambda: parts.part_class(part).from_dict(g.preview_answers.get(part) or {}), markable))

    def next_page() -> str:
        """This page again when an answer just kept brings in more of its questions."""
        now = shown_now(spec)
        if any(q.key not in {a.key for a in asked} for q in now.questions_of(section)):
            flash("Your answers have been kept in this preview. More questions now apply: answer them below.")
            return url_for("designer.preview_questions", version_id=version_id, key=key) + "#main-form"
        return into_preview(section_pages.after(spec, section, "assessments.questions", _ASSESSMENT_ID, now))

    return run_page(spec, page, next_page, section=section, asked=asked, kinds=kinds, options=options)


def _rows_in_template_order(section: SectionSpec):
    """The template's category areas first, each once, then the rows the preview's author added."""

    def pack(form_data: dict) -> dict:
        rows = form_data.get("rows") or []
        known = {a.key for a in section.category_areas}
        by_key = {r.get("key"): r for r in rows if r.get("key") in known}
        own = [r for r in rows if r.get("key") not in known] if section.allow_custom_rows else []
        return {**form_data, "rows": [by_key.get(a.key) or {"key": a.key} for a in section.category_areas] + own}

    return pack


def _with_mitigation_boxes(form_data: dict) -> dict:
    """A risk with no mitigation is shown with an empty box for one, as on an author's page."""
    for risk in (risk for row in form_data.get("rows") or [] for risk in row.get("risks") or []):
        risk["mitigations"] = risk.get("mitigations") or [editing.to_form(Mitigation())]
    return form_data


def _rows_page(section: SectionSpec, title: str, **how: Any) -> Page:
    """The rows page (every area, or one): read and shown from plain data, as an author's is."""

    def view(values: dict, errors: dict[str, list[str]]) -> dict:
        rows = section_view.rows(section, values, errors)
        return {"rows": rows, "error_list": section_view.summary(rows, errors)}

    page = Page(f"section:{section.key}", author_forms.SectionForm, "assessments/section.html", title,
                ignore=section_view.drop_unasked_messages, view=view, **how)
    page.refuse_action = lambda action: (
        f"{section.title} has a fixed list of category areas: you cannot add your own"
        if action == "add:rows" and not section.allow_custom_rows else "")
    return page


@bp.route("/versions/<int:version_id>/preview/sections/<key>", methods=["GET", "POST"])
def preview_section(version_id: int, key: str):
    spec = open_preview(version_id)
    section = _section(spec, key, "assessments.section")
    if not shown_now(spec).section(section):
        return does_not_apply(spec, section)
    page = _rows_page(section, section.title, unpack=_with_mitigation_boxes, pack=_rows_in_template_order(section))
    return run_page(spec, page, after_section_page(spec, section, "assessments.section"), section=section,
                    columns=impact_row.column_labels(spec))


@bp.route("/versions/<int:version_id>/preview/sections/<key>/areas/<area>", methods=["GET", "POST"])
def preview_section_area(version_id: int, key: str, area: str):
    """One category area on its own page: saved with this row as posted and the others as kept."""
    spec = open_preview(version_id)
    section = _section(spec, key, "assessments.section")
    if not shown_now(spec).section(section):
        return does_not_apply(spec, section)
    kept = editing.to_form(store.loaded(spec, g.preview_answers, f"section:{key}")).get("rows") or []
    areas = [(a.key, a.title) for a in section.category_areas] + [
        (r.get("key"), r.get("title") or "Your own category area") for r in kept if section.area(r.get("key") or "") is None]
    keys = [k for k, _title in areas]
    if area not in keys:
        abort(404)
    at = keys.index(area)

    def unpack(form_data: dict) -> dict:
        mine = [r for r in _with_mitigation_boxes(form_data).get("rows") or [] if r.get("key") == area]
        return {**form_data, "rows": mine[:1] or [{"key": area}]}

    def pack(form_data: dict) -> dict:
        posted = {**((form_data.get("rows") or [{}])[0]), "key": area}
        merged = [posted if r.get("key") == area else r for r in kept]
        return _rows_in_template_order(section)({**form_data, "rows": merged + ([] if area in {
            r.get("key") for r in kept} else [posted])})

    def link(i: int) -> str:
        return url_for("designer.preview_section_area", version_id=version_id, key=key, area=keys[i])

    page = _rows_page(section, f"{section.title}: {areas[at][1]}", unpack=unpack, pack=pack)
    page.refuse_action = lambda action: (
        "Add or remove a category area on the page with every category area"
        if action == "add:rows" or action.startswith("remove:rows-") and action.count("-") == 1 else "")
    nav = {**({"previous": {"href": link(at - 1), "labelText": areas[at - 1][1]}} if at else {}),
           **({"next": {"href": link(at + 1), "labelText": areas[at + 1][1]}} if at + 1 < len(keys) else {})}
    following = (lambda: link(at + 1)) if at + 1 < len(keys) else after_section_page(spec, section, "assessments.section")
    return run_page(spec, page, following, section=section, columns=impact_row.column_labels(spec), areas=areas,
                    one_area=areas[at], area_nav=nav, area_number=at + 1)


def _evidence_unpack(stored: dict) -> dict:
    return {**(stored.get("evidence") or {}), "completed": stored.get("completed", "")}


def _evidence_pack(form_data: dict) -> dict:
    return {"evidence": {k: v for k, v in form_data.items() if k != "completed"}, "completed": form_data.get("completed")}


@bp.route("/versions/<int:version_id>/preview/sections/<key>/evidence", methods=["GET", "POST"])
def preview_evidence(version_id: int, key: str):
    spec = open_preview(version_id)
    section = _section(spec, key, "assessments.evidence")
    if not shown_now(spec).section(section):
        return does_not_apply(spec, section)

    def prepare(form):
        form.likelihood.choices = [author_forms.SelectChoice(o.key, o.label) for o in spec.likelihood_scale]
        form.size.choices = [author_forms.SelectChoice(o.key, o.label) for o in spec.impact_scale]
        form.direction.choices = [author_forms.SelectChoice(o.key, o.label) for o in spec.direction_options]
        for item in form["items"].entries:
            item.form.kind.choices = [author_forms.SelectChoice(o.key, o.label) for o in spec.evidence_type_options]

    page = Page(f"evidence:{key}", author_forms.EvidenceForm, "assessments/evidence.html",
                f"{section.title}: Evidence Base", unpack=_evidence_unpack, pack=_evidence_pack,
                namer=editing.generic_namer({"items": "Evidence item"}), prepare_form=prepare)
    return run_page(spec, page, after_section_page(spec, section, "assessments.evidence"), section=section)
