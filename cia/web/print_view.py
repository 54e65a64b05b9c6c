"""The read-only CIA page's context, and the print HTML the PDF exports are made from.

Why here: the full view (cia.assessments), the downloads (cia.exports_web) and `flask cia export`
render the same templates; blueprints do not import one another, so what they share lives in
cia.web.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app, render_template

from cia import readable
from cia.data import assessments as data
from cia.domain import Assessment, TemplateSpec
from cia.exports import ExportInput, exempt_mark
from cia.exports.summary import build_summary
from cia.kinds import impact_row


def read_context(access: data.Access, assessment: Assessment | None = None,
                 spec: TemplateSpec | None = None) -> dict:
    """What the read-only CIA (templates/components/cia_body.html) needs: the stored revision, or
    the `assessment` given (the public version of an export)."""
    assessment = assessment if assessment is not None else data.assessment_to_read(access.revision)
    spec = spec if spec is not None else data.template_for(access.revision)
    return {
        "access": access, "spec": spec, "data": assessment, "sections": readable.sections(spec, assessment),
        "answered": readable.answered_questions(spec, assessment),
        "standard_pages": readable.standard_pages(spec, assessment),
        "cover": readable.cover_lines(spec, assessment),
        "labels": spec.vocabulary_labels(),
        "columns": impact_row.column_labels(spec),
        "exempt_mark": exempt_mark(assessment, spec),
    }


def document_title(inp: ExportInput, document: str) -> str:
    """The PDF's title: "Community Impact Assessment: Library opening hours (revision 2)"."""
    what = "Checklist and Executive Summary" if document == "summary" else (
        inp.template.document_title or inp.template.name or "Community Impact Assessment")
    public = ", public version" if inp.public else ""
    return f"{what}: {inp.assessment.details.name or 'Untitled'} (revision {inp.assessment.revision}{public})"


def with_print_html(access: data.Access, inp: ExportInput) -> ExportInput:
    """`inp` able to make PDFs: the print HTML of the full CIA and of the summary, from the pages'
    templates and the (possibly public) assessment in `inp`."""

    def render(document: str) -> str:
        title = document_title(inp, document)
        mark = inp.exempt_mark
        if document == "summary":
            return render_template("exports/summary.html", access=access, summary=build_summary(inp),
                                   title=title, document_title=title, exempt_mark=mark)
        context = read_context(access, inp.assessment, inp.template)
        context["exempt_mark"] = mark
        return render_template("assessments/view.html", change_links=False, title=title, document_title=title,
                               **context)

    inp.print_html = render
    inp.static_folder = Path(current_app.static_folder or "static")
    return inp
