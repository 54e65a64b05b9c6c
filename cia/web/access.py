"""Who may open an assessment: the checks every page makes, each refusal audited.

Shared by every blueprint (authoring, sign-off, exports, the link check): the decision itself is
`cia.data.assessments.access_for` (docs/decisions/0012-who-reads-which-revision.md).
"""

from __future__ import annotations

from typing import NoReturn

from flask import abort, request
from flask_login import current_user

from cia import errors
from cia.data import assessments as data
from cia.extensions import db
from cia.models import Assessment


def readable_or_404(assessment_id: int, revision: int | None = None) -> data.Access:
    """The assessment if the signed-in user may read it; 404 otherwise (and an audit row if it exists)."""
    found = data.access_for(current_user.user, assessment_id, revision)
    if found is None:
        refuse_not_shared(assessment_id)
    return found


def refuse_not_shared(assessment_id: int) -> NoReturn:
    """404 for an assessment (or revision) the signed-in user may not read, audited when it exists."""
    if db.session.get(Assessment, assessment_id) is not None:
        errors.refuse(404, assessment_id=assessment_id,
                      details={"path": request.path, "method": request.method, "reason": "not shared"})
    abort(404)


def require_role(allowed: bool) -> None:
    """403 (with its "access.refused" audit row, see cia/errors.py) for the wrong kind of account."""
    if not allowed:
        abort(403)
