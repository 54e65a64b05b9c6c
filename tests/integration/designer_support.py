"""Helpers for the template designer's tests (tests/integration/test_designer_*.py)."""

from __future__ import annotations

import re
from contextlib import nullcontext
from html import unescape
from pathlib import Path

from flask import has_app_context
from sqlalchemy import func, select

from cia.data import templates
from cia.domain import TemplateSpec
from cia.extensions import db
from cia.models import AuditEvent, Template, TemplateVersion
from tests.helpers import error_summary, page_fields, post_page

IIA_YAML = Path(__file__).resolve().parents[1] / "data" / "integrated-impact-assessment.yaml"
ADMIN = "admin@example.gov.uk"
AUTHOR = "author@example.gov.uk"


def in_app(app):
    """The app context to read in: the current one if there is one. A nested context would open a
    second session, which on SQLite waits for the first one's write lock (BEGIN IMMEDIATE)."""
    return nullcontext() if has_app_context() else app.app_context()


def seeded_version_id(app) -> int:
    with in_app(app):
        return db.session.execute(
            select(TemplateVersion.id).join(Template).where(Template.slug == "staffordshire-cia",
                                                            TemplateVersion.number == 1)
        ).scalar_one()


def template_id_of(app, version_id: int) -> int:
    with in_app(app):
        return db.session.get(TemplateVersion, version_id).template_id


def new_draft(client, app, from_version: int | None = None) -> int:
    """Create a new version (a draft copy) through the templates page; its id."""
    source = from_version or seeded_version_id(app)
    response = client.post(f"/templates/{template_id_of(app, source)}/versions", data={"from_version": str(source)})
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def spec(app, version_id: int) -> TemplateSpec:
    with in_app(app):
        db.session.expire_all()
        return templates.spec_for_version(version_id).copy()


def status(app, version_id: int) -> str:
    with in_app(app):
        return db.session.get(TemplateVersion, version_id).status


def save(client, url: str, changes: dict | None = None, *, drop: tuple[str, ...] = ()):
    """GET a designer form, change fields, press Save."""
    return post_page(client, url, changes, submit="save", drop=drop)


def press(client, url: str, action: str, html: str | None = None, changes: dict | None = None):
    """Press an add / remove / move button on the designer form shown (or freshly loaded)."""
    html = html if html is not None else client.get(url).get_data(as_text=True)
    assert f'value="{action}"' in html, f"no button {action} on {url}"
    fields = page_fields(html)
    fields.update(changes or {})
    return client.post(url, data={**fields, "action": action})


def fields_of(response) -> dict[str, str]:
    return page_fields(response.get_data(as_text=True))


def index_of(fields: dict[str, str], list_name: str, field: str, value: str) -> int:
    for name, v in fields.items():
        match = re.fullmatch(rf"{list_name}-(\d+)-{field}", name)
        if match and v == value:
            return int(match.group(1))
    raise AssertionError(f"no {list_name} item with {field}={value!r}")


def count_items(fields: dict[str, str], list_name: str, field: str = "title") -> int:
    return len([n for n in fields if re.fullmatch(rf"{list_name}-\d+-{field}", n)])


def audit_rows(app, action: str) -> list[AuditEvent]:
    with in_app(app):
        rows = db.session.execute(select(AuditEvent).where(AuditEvent.action == action)
                                  .order_by(AuditEvent.id)).scalars().all()
        for row in rows:
            db.session.expunge(row)
        return rows


def counts(app) -> tuple[int, int, int]:
    """(templates, versions, audit rows): to show that a refused action changed nothing."""
    with in_app(app):
        return (db.session.execute(select(func.count()).select_from(Template)).scalar_one(),
                db.session.execute(select(func.count()).select_from(TemplateVersion)).scalar_one(),
                db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one())


def main_text(html: str) -> str:
    """The text of the page's main content, tags removed, spaces collapsed."""
    main = html.split('id="main-content"', 1)[-1].split("</main>", 1)[0]
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).strip())
