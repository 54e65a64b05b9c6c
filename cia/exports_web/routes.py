"""Every download is audited and named after the proposal, revision, status and date."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField
from wtforms.validators import Length

from cia import exports
from cia.data import audit
from cia.data import exporting as data
from cia.data.templates import installation_organisation
from cia.domain import COMMUNITY_IMPACT_KEYS
from cia.exports.summary import build_summary, draft_community_impact
from cia.exports_web import bp
from cia.requestinfo import remote_addr
from cia.web import checking
from cia.web.flow import Page, access_or_404, edit_part
from cia.web.forms import CONFIDENTIAL_LABEL, LONG_TEXT, CompletedMixin, long_text
from cia.web.print_view import with_print_html

#: ?version= of a download: the full export, or the public version with confidential answers withheld.
VERSIONS = ("", "full", "public")


def _input(access, public: bool = False):
    config = checking.config()
    if access.revision.status == "approved":
        config.stage = "publication"
    organisation = installation_organisation(current_app.config["CIA_ORGANISATION_NAME"])
    return data.export_input(access, organisation, config, public=public)


@bp.route("/<int:assessment_id>/summary")
@bp.route("/<int:assessment_id>/revisions/<int:revision>/summary")
@login_required
def summary(assessment_id: int, revision: int | None = None):
    access = access_or_404(assessment_id, revision=revision)
    inp = _input(access)
    return render_template("exports/summary.html", access=access, summary=build_summary(inp),
                           exempt_mark=inp.exempt_mark, title="Checklist and Executive Summary")


@bp.route("/<int:assessment_id>/download/<kind>")
@bp.route("/<int:assessment_id>/revisions/<int:revision>/download/<kind>")
@login_required
def download(assessment_id: int, kind: str, revision: int | None = None):
    version = request.args.get("version", "")
    if kind not in exports.FORMATS or version not in VERSIONS:
        abort(404)
    access = access_or_404(assessment_id, revision=revision)
    inp = with_print_html(access, _input(access, public=version == "public"))
    body = exports.render(inp, kind)
    name = exports.filename(inp, kind)
    audit.record("assessment.exported", actor=current_user.user, remote_addr=remote_addr(),
                 object_type="revision", object_id=access.revision.id, assessment_id=assessment_id,
                 revision=access.revision.number,
                 details={"kind": kind, "filename": name, "bytes": len(body), "public": inp.public})
    return Response(body, mimetype=exports.FORMATS[kind].mime, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store",
    })


class CommunityImpactForm(CompletedMixin, FlaskForm):
    version = HiddenField()
    equalities_legal = long_text("Equalities and Legal")
    resources_value = long_text("Resources and Value for Money")
    risk = long_text("Risk")
    climate_change = long_text("Climate Change")
    health = long_text("Health")
    # Each paragraph's confidential box (`confidential_<key>`): ticked or not, no value is refused.
    confidential_equalities_legal = BooleanField(CONFIDENTIAL_LABEL)
    confidential_resources_value = BooleanField(CONFIDENTIAL_LABEL)
    confidential_risk = BooleanField(CONFIDENTIAL_LABEL)
    confidential_climate_change = BooleanField(CONFIDENTIAL_LABEL)
    confidential_health = BooleanField(CONFIDENTIAL_LABEL)


@bp.route("/<int:assessment_id>/community-impact", methods=["GET", "POST"])
@login_required
def community_impact(assessment_id: int):
    """The "Community Impact" paragraphs of the Cabinet report, drafted from the CIA, edited by the authors."""
    access = access_or_404(assessment_id, edit=True)
    inp = _input(access)
    drafted = draft_community_impact(inp.assessment, inp.template).to_dict()

    paragraphs = inp.template.community_impact_paragraphs
    used = {p.key for p in paragraphs}
    own = inp.assessment.community_impact
    kept = {key: value for key, value in own.to_dict().items()
            if key not in used and key in COMMUNITY_IMPACT_KEYS}
    kept_marks = {key: True for key, marked in own.confidential.items() if marked is True and key not in used}

    def with_drafts(stored: dict) -> dict:
        marked = stored.get("confidential") or {}
        return {**{key: (value or drafted.get(key, "")) if key in COMMUNITY_IMPACT_KEYS else value
                   for key, value in stored.items() if key != "confidential"},
                **{f"confidential_{key}": True for key in used if marked.get(key) is True}}

    def keep_unused(form_data: dict) -> dict:
        """A paragraph the template does not use is not asked: its stored text and mark stay as they are."""
        marks = {key: True for key in used if form_data.get(f"confidential_{key}") is True}
        asked = {key: value for key, value in form_data.items() if not key.startswith("confidential_")}
        return {**asked, **kept, "confidential": {**kept_marks, **marks}}

    def under_the_templates_headings(form) -> None:
        """Messages name a paragraph by the template's heading ("What could go wrong must be ...")."""
        for paragraph in paragraphs:
            field = form[paragraph.key]
            field.label.text = paragraph.heading
            message = f"{paragraph.heading} must be {LONG_TEXT:,} characters or fewer".replace("%", "%%")
            field.validators = [Length(max=LONG_TEXT, message=message) if isinstance(v, Length) else v
                                for v in field.validators]

    page = Page("community_impact", CommunityImpactForm, "exports/community_impact.html",
                "Community Impact paragraphs", unpack=with_drafts, pack=keep_unused,
                prepare_form=under_the_templates_headings)
    return edit_part(access, page, url_for("exports.summary", assessment_id=assessment_id), drafted=drafted,
                     paragraphs=paragraphs)
