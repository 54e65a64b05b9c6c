"""Helpers for the tests of the designer's preview (tests/integration/test_preview_*.py)."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

from sqlalchemy import func, select

from cia.data import templates
from cia.extensions import db
from cia.models import Assessment, AuditEvent, FormStash, RevisionPart, Template
from tests.helpers import signed_in
from tests.integration.designer_support import ADMIN, in_app, main_text

ENGLAND = "equality-impact-assessment-england"
STAFFORDSHIRE = "staffordshire-cia"
SCREENING = "screening"
FULL = "Impact on people with protected characteristics"
PLAN = "Outcome and action plan"


def shipped_version(app, slug: str) -> int:
    """The first version of the shipped template `slug` (installed if it is not yet)."""
    with in_app(app):
        found = db.session.execute(select(Template).where(Template.slug == slug)).scalar_one_or_none()
        if found is None:
            templates.seed_bundled_templates([slug])
            db.session.commit()
            found = db.session.execute(select(Template).where(Template.slug == slug)).scalar_one()
        return found.versions[0].id


def admin_client(app):
    return signed_in(app, ADMIN)


def base(version_id: int) -> str:
    return f"/templates/versions/{version_id}/preview"


def text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, f"GET {path}: {response.status_code}"
    return " ".join(main_text(response.get_data(as_text=True)).split())


def tasks(client, version_id: int) -> str:
    return text(client, base(version_id))


def saved_elsewhere(app) -> tuple[int, ...]:
    """How many assessments, parts of assessments and audit rows there are: a preview adds none."""
    with in_app(app):
        db.session.expire_all()
        return tuple(db.session.execute(select(func.count()).select_from(table)).scalar_one()
                     for table in (Assessment, RevisionPart, AuditEvent))


def preview_rows(app) -> int:
    with in_app(app):
        db.session.expire_all()
        return db.session.execute(select(func.count()).select_from(FormStash).where(FormStash.kind == "preview")).scalar_one()


_LINK = re.compile(r'<(?:a|form)\b[^>]*?\b(?:href|action)="([^"]*)"', re.S)


def links(html: str) -> list[str]:
    """Every link and form target on the page: in its main content and its back link and banner
    (the service's header and footer are the same on every page and are not the preview's)."""
    start = html.find('</header>')
    end = html.find('<footer')
    return [unescape(href) for href in _LINK.findall(html[start:end if end > 0 else None])]


def crawl(client, version_id: int) -> dict[str, int]:
    """Every page reached by following the links (GET, same origin) from the preview's task list:
    {path: status}. Asserts that every link stays in the preview, or is the designer's way back or a
    static asset."""
    home = base(version_id)
    allowed_out = {f"/templates/versions/{version_id}"}
    seen: dict[str, int] = {}
    queue = [home]
    while queue:
        url = queue.pop()
        path = url.split("#", 1)[0]
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        for href in links(response.get_data(as_text=True)):
            target = urljoin(f"http://localhost{path}", href)
            split = urlsplit(target)
            assert split.netloc == "localhost", f"{path} links off site: {href}"
            if split.path.startswith("/static/") or split.path in allowed_out:
                continue
            assert split.path == home or split.path.startswith(home + "/"), f"{path} leaves the preview: {href}"
            if split.path.endswith("/start-again"):
                continue  # a form that posts: not followed
            queue.append(split.path + (f"?{split.query}" if split.query else ""))
    return seen
