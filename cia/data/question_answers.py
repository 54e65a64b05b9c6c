"""How many assessments have answered a template's question: what the designer says before a
question is removed from a draft (their answers stay in the revisions they were given in).

Answers are stored per section in a revision part "questions:<section key>" under the question's
key; a question keeps its key in every version of its template, so the count reads every section's
part of each assessment's current revision, whichever version of the template it is on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from cia.extensions import db
from cia.models import Assessment, Revision, RevisionPart, TemplateVersion


def assessments_answering(template_id: int, key: str, answered: Callable[[Any], bool]) -> int:
    """The assessments on any version of the template whose current revision answers question `key`
    (`answered` is the question's kind's test of an answer)."""
    rows = db.session.execute(
        select(Revision.assessment_id, RevisionPart.data)
        .join(Assessment, Assessment.current_revision_id == Revision.id)
        .join(TemplateVersion, TemplateVersion.id == Revision.template_version_id)
        .join(RevisionPart, RevisionPart.revision_id == Revision.id)
        .where(TemplateVersion.template_id == template_id, RevisionPart.part.startswith("questions:"))
    ).all()
    found = set()
    for assessment_id, data in rows:
        answers = data.get("answers") if isinstance(data, dict) else None
        if isinstance(answers, dict) and key in answers and answered(answers[key]):
            found.add(assessment_id)
    return len(found)
