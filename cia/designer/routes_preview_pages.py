"""The preview's pages that are not a template section's: the standard pages (Proposal details,
Project team, Engagement, Staff impact), "Check your answers", the full CIA, "Check your
assessment", the Checklist and Executive Summary and the downloads.

The downloads are written by the same `cia.exports.FORMATS` writers as an assessment's, from the
preview's answers, and every page of each says "Preview – not an assessment" where an assessment
says it is not for publication; nothing is audited, since no assessment is exported.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Response, abort, current_app, g, request, url_for

from cia import exports
from cia import workflow as wf
from cia.checks import run_checks
from cia.data import workflow as flow
from cia.data.templates import installation_organisation
from cia.designer import bp
from cia.designer import preview_store as store
from cia.designer.routes_preview import (
    does_not_apply,
    fake_access,
    into_preview,
    open_preview,
    preview_assessment,
    render_as_author,
    run_page,
    shown_now,
)
from cia.domain import STANDARD_PAGES, WORKFORCE_CHARACTERISTICS, TemplateSpec
from cia.exports.public import public_copy
from cia.exports.summary import build_summary
from cia.web import checking, forms, section_pages
from cia.web.editing import generic_namer
from cia.web.flow import Page
from cia.web.print_view import document_title, read_context
from cia.workflow import APPROVER_LEVELS

#: What every page of a preview's download says, where an assessment's says "Not for publication".
PREVIEW_MARK = "Preview – not an assessment"
_VERSIONS = ("", "full", "public")


def _after(spec: TemplateSpec, page: str):
    return lambda: into_preview(section_pages.after_standard(spec, page, 0, shown_now(spec)))


def _left_out(spec: TemplateSpec, page: str):
    """The page shown instead of a standard page the preview's answers leave out; None when it has it."""
    if shown_now(spec).page(page):
        return None
    listed = next((p for p in spec.standard_pages or [] if p.key == page), None)
    return does_not_apply(spec, {"title": STANDARD_PAGES[page], "show_if": listed.show_if if listed else None},
                          what="page")


@bp.route("/versions/<int:version_id>/preview/details", methods=["GET", "POST"])
def preview_details(version_id: int):
    spec = open_preview(version_id)
    stored = store.loaded(spec, g.preview_answers, "details")
    page = Page("details", forms.DetailsForm, "assessments/details.html", "Proposal details",
                prepare_form=lambda form: form.offer(spec, stored))
    levels = flow.approver_levels()
    signed_off_by = [(size.label, APPROVER_LEVELS.get(level, level))
                     for size in spec.project_size_options if (level := wf.required_level(spec, size.key, levels))]
    return run_page(spec, page, _after(spec, "details"), signed_off_by=signed_off_by)


@bp.route("/versions/<int:version_id>/preview/team", methods=["GET", "POST"])
def preview_team(version_id: int):
    spec = open_preview(version_id)
    if (left_out := _left_out(spec, "team")) is not None:
        return left_out
    page = Page("team", forms.TeamForm, "assessments/team.html", "Project team",
                namer=generic_namer({"members": "Team member"}))
    return run_page(spec, page, _after(spec, "team"))


@bp.route("/versions/<int:version_id>/preview/engagement", methods=["GET", "POST"])
def preview_engagement(version_id: int):
    spec = open_preview(version_id)
    if (left_out := _left_out(spec, "engagement")) is not None:
        return left_out
    page = Page("engagement", forms.EngagementForm, "assessments/engagement.html", "Engagement and consultation",
                namer=generic_namer({"activities": "Activity"}))
    return run_page(spec, page, _after(spec, "engagement"))


def _staff_unpack(stored: dict) -> dict:
    """A new workforce profile starts with one line per protected characteristic, as an author's does."""
    if not stored.get("profile"):
        stored = {**stored, "profile": [{"characteristic": c, "group": "", "pre_percent": "", "post_percent": ""}
                                        for c in WORKFORCE_CHARACTERISTICS]}
    return stored


@bp.route("/versions/<int:version_id>/preview/staff", methods=["GET", "POST"])
def preview_staff(version_id: int):
    spec = open_preview(version_id)
    if (left_out := _left_out(spec, "staff")) is not None:
        return left_out
    page = Page("staff", forms.StaffForm, "assessments/staff.html", "Staff impact",
                unpack=_staff_unpack if request.method == "GET" else (lambda d: d),
                namer=generic_namer({"profile": "Workforce profile line"}))
    return run_page(spec, page, lambda: url_for("designer.preview_check_answers", version_id=version_id))


# --- reading the preview's answers ----------------------------------------------------------------


class _PreviewExport(exports.ExportInput):
    """An export of the preview's answers: marked as a preview on every page."""

    @property
    def exempt_mark(self) -> str:
        return PREVIEW_MARK


def _export_input(spec: TemplateSpec, public: bool = False) -> _PreviewExport:
    assessment = preview_assessment(spec)
    report = run_checks(assessment, spec, checking.config())
    return _PreviewExport(assessment=public_copy(assessment, spec) if public else assessment, template=spec,
                          report=report, public=public, generated_at=datetime.now(UTC),
                          organisation=installation_organisation(current_app.config["CIA_ORGANISATION_NAME"]))


@bp.route("/versions/<int:version_id>/preview/check-answers")
def preview_check_answers(version_id: int):
    spec = open_preview(version_id)
    inp = _export_input(spec)
    return render_as_author("assessments/view.html", change_links=True, title="Check your answers", report=inp.report,
                            **{**read_context(fake_access(), inp.assessment, spec), "exempt_mark": PREVIEW_MARK})


@bp.route("/versions/<int:version_id>/preview/view")
def preview_view(version_id: int):
    spec = open_preview(version_id)
    inp = _export_input(spec)
    return render_as_author("assessments/view.html", change_links=False, title="Community Impact Assessment",
                            **{**read_context(fake_access(), inp.assessment, spec), "exempt_mark": PREVIEW_MARK})


@bp.route("/versions/<int:version_id>/preview/check")
def preview_check(version_id: int):
    """Check your assessment: the template's rules on the preview's answers, each linked to its page
    of the preview."""
    spec = open_preview(version_id)
    inp = _export_input(spec)
    findings = [dataclasses.replace(f, href=into_preview(f.href))
                for f in checking.shown(inp.report, inp.assessment, 0)]
    tasks = [dataclasses.replace(t, url=into_preview(t.url))
             for t in checking.by_task(findings, inp.assessment, spec, 0)]
    return render_as_author("assessments/check.html", access=fake_access(), report=inp.report,
                            title="Check your assessment", tasks=tasks, problems={}, typed={})


@bp.route("/versions/<int:version_id>/preview/summary")
def preview_summary(version_id: int):
    spec = open_preview(version_id)
    inp = _export_input(spec)
    return render_as_author("exports/summary.html", access=fake_access(), summary=build_summary(inp),
                            exempt_mark=PREVIEW_MARK, title="Checklist and Executive Summary")


def _print_html(inp: _PreviewExport):
    """The print HTML the PDFs are made from: the preview's own pages."""

    def render(document: str) -> str:
        title = document_title(inp, document)
        if document == "summary":
            return render_as_author("exports/summary.html", access=fake_access(), summary=build_summary(inp),
                                    title=title, document_title=title, exempt_mark=PREVIEW_MARK)
        context: dict[str, Any] = {**read_context(fake_access(), inp.assessment, inp.template),
                                   "exempt_mark": PREVIEW_MARK}
        return render_as_author("assessments/view.html", change_links=False, title=title, document_title=title,
                                **context)

    return render


@bp.route("/versions/<int:version_id>/preview/download/<kind>")
def preview_download(version_id: int, kind: str):
    version = request.args.get("version", "")
    if kind not in exports.FORMATS or version not in _VERSIONS:
        abort(404)
    spec = open_preview(version_id)
    inp = _export_input(spec, public=version == "public")
    inp.print_html = _print_html(inp)
    inp.static_folder = Path(current_app.static_folder or "static")
    body = exports.render(inp, kind)
    name = "PREVIEW-" + exports.filename(inp, kind)
    return Response(body, mimetype=exports.FORMATS[kind].mime, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
