"""Every link of every preview page stays in the preview and leads to a page (never "Page not found").

The crawler starts at the preview's task list and follows every link and form target (GET, same
origin) on every page it reaches, on each condition path of the shipped English template (screened
out and the full assessment) and on Staffordshire's. Only the designer's way back to the version
and static assets may leave /templates/versions/<id>/preview.
"""

from __future__ import annotations

import pytest

from tests.helpers import post_page
from tests.integration.preview_support import (
    ENGLAND,
    STAFFORDSHIRE,
    admin_client,
    base,
    crawl,
    shipped_version,
)


@pytest.fixture
def admin(app, users):
    return admin_client(app)


def _assert_all_found(seen: dict[str, int], version: int) -> None:
    broken = {path: status for path, status in seen.items() if status >= 400}
    assert not broken, broken
    for page in ("", "/details", "/team", "/check", "/check-answers", "/view", "/summary"):
        assert base(version) + page in seen, f"the crawl never reached {page or 'the task list'}"
    assert any("/download/" in path for path in seen) and any("version=public" in path for path in seen)


@pytest.mark.parametrize("answer", ["no", "yes"])
def test_every_link_of_the_england_preview_stays_in_it(app, admin, answer):
    england = shipped_version(app, ENGLAND)
    post_page(admin, base(england) + "/sections/screening/questions", {"q-full_assessment_needed": answer})
    seen = crawl(admin, england)
    _assert_all_found(seen, england)
    assert (base(england) + "/sections/characteristics/questions" in seen) == (answer == "yes")
    assert (base(england) + "/staff" in seen) == (answer == "yes")  # left out when screened out


def test_every_link_of_the_staffordshire_preview_stays_in_it(app, admin):
    staffordshire = shipped_version(app, STAFFORDSHIRE)
    seen = crawl(admin, staffordshire)
    _assert_all_found(seen, staffordshire)
    assert base(staffordshire) + "/sections/psed" in seen and base(staffordshire) + "/sections/psed/evidence" in seen
