"""The template designer: administrators edit, preview, publish and retire template versions.

Only administrators reach it (403 for anyone else, audited by cia/errors.py), except the
page that moves one assessment to a newer template version, which its owner may use too.
"""

from flask import Blueprint, abort, request
from flask_login import current_user

from cia.extensions import login_manager

bp = Blueprint("designer", __name__, url_prefix="/templates")

#: Endpoints an assessment's owner may use (they check access themselves).
OWNER_ENDPOINTS = {"designer.move", "designer.move_done"}


@bp.before_request
def _administrators_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if request.endpoint in OWNER_ENDPOINTS:
        return None
    if not current_user.user.is_admin:
        abort(403)
    return None


from cia.designer import (  # noqa: E402,F401 - routes register themselves on bp
    routes_conditions,
    routes_content,
    routes_move,
    routes_preview,
    routes_preview_pages,
    routes_questions,
    routes_sections,
    routes_signoff,
    routes_start,
    routes_versions,
    routes_vocabulary,
)
