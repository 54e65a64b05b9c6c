"""A template section's own questions: one page per section, before its impact rows."""

from __future__ import annotations

from flask import abort, flash, render_template, url_for
from flask_login import login_required

from cia.assessments import bp
from cia.conditions import Applicable
from cia.data import assessments as data
from cia.exports.public import markable_questions
from cia.kinds.base import kind_of, options_for
from cia.web import section_pages
from cia.web.flow import Page, access_or_404, edit_part
from cia.web.questions import form_class, packer, unpacker


@bp.route("/<int:assessment_id>/sections/<key>/questions", methods=["GET", "POST"])
@login_required
def questions(assessment_id: int, key: str):
    access = access_or_404(assessment_id, edit=True)
    spec = data.template_for(access.revision)
    section = spec.section(key)
    if section is None or not section.questions:
        abort(404)
    shown = Applicable(spec, data.load_assessment(access.revision))
    if not shown.section(section):
        return render_template("assessments/does_not_apply.html", access=access, section=section, spec=spec,
                               title=section.title)
    asked = shown.questions_of(section)
    kinds = {q.key: kind_of(q.kind) for q in asked}
    asked = [q for q in asked if kinds[q.key] is not None]
    options = options_for(asked, spec)
    markable = frozenset(q.key for q in markable_questions(spec, section)) & {q.key for q in asked}
    part = f"questions:{key}"
    page = Page(part, form_class(asked, kinds, options,
                                 ask_completed=not section.evidence_base and not section.has_rows, markable=markable),
                "assessments/questions.html", section.title, plain=True, unpack=unpacker(asked),
                pack=packer(asked, lambda: data.load_part(access.revision, part).data, markable))

    def next_page() -> str:
        """This page again when an answer just saved brings in more of its questions."""
        now = Applicable(spec, data.load_assessment(access.revision))
        if any(q.key not in {a.key for a in asked} for q in now.questions_of(section)):
            flash("Your answers have been saved. More questions now apply: answer them below.")
            return url_for("assessments.questions", assessment_id=assessment_id, key=key) + "#main-form"
        return section_pages.after(spec, section, "assessments.questions", assessment_id, now)

    return edit_part(access, page, next_page, spec=spec, section=section, asked=asked, kinds=kinds,
                     options=options)
