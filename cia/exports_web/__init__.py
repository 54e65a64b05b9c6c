"""Downloads (Word, Excel, JSON), the on-screen Checklist and Executive Summary, and its paragraphs."""

from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/assessments")

from cia.exports_web import routes  # noqa: E402,F401 - routes register themselves on bp
