"""The public version of an assessment: the answers the authors marked confidential are withheld.

Why at the plain-data level: every export (Word, Excel, PDF, JSON, the summary) and the pages are
written from the plain assessment, so one function that makes a redacted copy withholds the same
answers everywhere, and no writer can forget to.
"""

from __future__ import annotations

from cia.domain import Assessment, RowAnswer, TemplateSpec

WITHHELD = "Withheld: confidential"


def withheld_text(assessment: Assessment, template: TemplateSpec) -> str:
    """"Withheld: confidential (Schedule 12A paragraph 3)": the paragraph the authors chose for an
    exempt assessment, in the words of the template's question; "Withheld: confidential" without one."""
    details = assessment.details
    status = template.publication_status(details.publication_status)
    if status is None or not status.asks_paragraph or not details.exempt_paragraph:
        return WITHHELD
    law = "Schedule 12A " if "12A" in status.exemption_question or "12A" in status.label else ""
    return f"{WITHHELD} ({law}paragraph {details.exempt_paragraph})"


def has_confidential(assessment: Assessment) -> bool:
    """Whether any answer is marked confidential (the public version then differs)."""
    return any(row.confidential for s in assessment.sections for row in s.rows)


def _withhold_row(row: RowAnswer, text: str) -> None:
    if row.impact == "yes":
        row.groups = text
        row.benefits = []
        row.risks = []
        row.maximise = ""


def public_copy(assessment: Assessment, template: TemplateSpec) -> Assessment:
    """A copy of `assessment` with the answers of each confidential row replaced by the withheld text; the original is not changed (it may be a cached assessment other pages read)."""
    copy = assessment.copy()
    text = withheld_text(assessment, template)
    for section in copy.sections:
        for row in section.rows:
            if row.confidential:
                _withhold_row(row, text)
    return copy
