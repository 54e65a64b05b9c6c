"""Authoring: start an assessment, fill in its tasks, check your answers, the read-only view."""

from flask import Blueprint

bp = Blueprint("assessments", __name__, url_prefix="/assessments")

from cia.assessments import (  # noqa: E402,F401 - routes register themselves on bp
    routes_check,
    routes_contributors,
    routes_pages,
    routes_questions,
    routes_sections,
    routes_tasks,
)
