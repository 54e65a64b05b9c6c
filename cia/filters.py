"""Jinja filters and globals shared by every blueprint's templates."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from cia import exports, richtext

MONTHS = ("January February March April May June July August September October November December").split()


def format_date(value) -> str:
    """GOV.UK style dates: "4 June 2026"; "June 2026" for a month and year."""
    if not value:
        return ""
    if isinstance(value, datetime):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    if isinstance(value, date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    text = str(value)
    try:
        if len(text) == 7:
            year, month = int(text[:4]), int(text[5:7])
            return f"{MONTHS[month - 1]} {year}"
        parsed = date.fromisoformat(text[:10])
        return f"{parsed.day} {MONTHS[parsed.month - 1]} {parsed.year}"
    except (ValueError, IndexError):
        return text


def format_datetime(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    hour = value.hour % 12 or 12
    return f"{format_date(value)} at {hour}:{value.minute:02d}{'am' if value.hour < 12 else 'pm'} (UTC)"


def init_app(app: Flask) -> None:
    app.add_template_filter(richtext.to_html, "rich")
    app.add_template_filter(richtext.to_plain, "plain_text")
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.jinja_env.globals["export_formats"] = exports.FORMATS  # the download links list them

    @app.context_processor
    def _globals():
        return {
            "organisation_name": _organisation_name(app),
            "service_name": app.config["CIA_SERVICE_NAME"],
        }


def _organisation_name(app: Flask) -> str:
    """The council's name for the header: the setting, else the first template's organisation,
    looked up once per process (not once per page)."""
    known = app.config["CIA_ORGANISATION_NAME"] or app.extensions.get("cia_organisation_name")
    if known:
        return known
    from cia.data.templates import installation_organisation

    found = installation_organisation("")
    if found:
        app.extensions["cia_organisation_name"] = found
    return found
