"""The designer's preview holds answers: answering the screening question shows where it leads.

The shipped English template's screening question (full_assessment_needed) decides the path: "no"
screens the proposal out (the full assessment, the action plan, Engagement and Staff impact do not
apply), "yes" brings them in. The answers are kept for the preview only: no assessment, part or
audit row is written, and "Start the preview again" clears them.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from tests.conftest import csrf_token
from tests.helpers import error_summary, page_fields, post_page
from tests.integration.preview_support import (
    ENGLAND,
    FULL,
    PLAN,
    STAFFORDSHIRE,
    admin_client,
    base,
    preview_rows,
    saved_elsewhere,
    shipped_version,
    tasks,
    text,
)


@pytest.fixture
def admin(app, users):
    return admin_client(app)


@pytest.fixture
def england(app, users) -> int:
    return shipped_version(app, ENGLAND)


@pytest.fixture
def staffordshire(app, users) -> int:
    return shipped_version(app, STAFFORDSHIRE)


SCREENING_PAGE = "/sections/screening/questions"


def _answer_screening(admin, version: int, answer: str):
    response = post_page(admin, base(version) + SCREENING_PAGE, {
        "q-proposal_summary": "Close the library on Mondays.", "q-who_is_affected": "Library users",
        "q-full_assessment_needed": answer})
    return response


def test_screening_no_shows_the_screened_out_path(app, admin, england):
    before = saved_elsewhere(app)
    first = tasks(admin, england)
    assert "Screening" in first and "Not applicable" in first  # nothing answered: full assessment does not apply
    response = _answer_screening(admin, england, "no")
    # the explanation question now applies: the same page again, with the answers kept
    assert response.status_code == 302 and response.headers["Location"].endswith(base(england) + SCREENING_PAGE + "#main-form")
    page = admin.get(base(england) + SCREENING_PAGE).get_data(as_text=True)
    assert "More questions now apply" in page and "Explain why a full assessment is not needed" in page
    assert page_fields(page)["q-proposal_summary"] == "Close the library on Mondays."
    listed = tasks(admin, england)
    assert "Engagement and consultation" not in listed and "Staff impact" not in listed
    assert f"{FULL} Does not apply to this proposal" in listed and f"{PLAN} Does not apply to this proposal" in listed
    assert "Screening" in listed and "In progress" in listed
    # a page that does not apply says so, in the preview
    assert "does not apply" in text(admin, base(england) + "/sections/characteristics/questions").lower()
    assert saved_elsewhere(app) == before and preview_rows(app) == 1


def test_screening_yes_shows_the_full_path_and_start_again_clears_it(app, admin, england):
    before = saved_elsewhere(app)
    response = _answer_screening(admin, england, "yes")
    assert response.status_code == 302
    listed = tasks(admin, england)
    assert "Engagement and consultation" in listed and "Staff impact" in listed
    assert f"{FULL} Does not apply" not in listed and f"{PLAN} Does not apply" not in listed
    assert "Start the preview again" in admin.get(base(england)).get_data(as_text=True)
    # the full assessment's page now asks its questions, in the preview
    full = admin.get(base(england) + "/sections/characteristics/questions").get_data(as_text=True)
    assert 'id="main-form"' in full and "does not apply" not in full.lower()
    # changing the answer to "no" screens it out again
    _answer_screening(admin, england, "no")
    assert f"{FULL} Does not apply" in tasks(admin, england)
    html = admin.get(base(england)).get_data(as_text=True)
    cleared = admin.post(base(england) + "/start-again", data={"csrf_token": csrf_token(html)})
    assert cleared.status_code == 302
    again = admin.get(base(england)).get_data(as_text=True)
    assert "every answer has been cleared" in again and "Start the preview again" not in again
    assert page_fields(admin.get(base(england) + SCREENING_PAGE).get_data(as_text=True))["q-proposal_summary"] == ""
    assert saved_elsewhere(app) == before and preview_rows(app) == 0


def test_an_invalid_answer_shows_the_authors_message_and_keeps_nothing(app, admin, england):
    response = post_page(admin, base(england) + SCREENING_PAGE, {"q-full_assessment_needed": "perhaps"})
    assert response.status_code == 200
    assert error_summary(response.get_data(as_text=True))
    assert preview_rows(app) == 0


def test_the_banner_says_which_version_and_that_nothing_is_saved(admin, england):
    words = " ".join(admin.get(base(england)).get_data(as_text=True).split())
    assert "Preview of version 1" in words
    assert "they are not saved to any assessment" in words


def test_staffordshire_rows_and_evidence_are_kept_in_the_preview(app, admin, staffordshire):
    before = saved_elsewhere(app)
    assert post_page(admin, base(staffordshire) + "/details", {"name": "Library opening hours"}).status_code == 302
    assert "Library opening hours" in tasks(admin, staffordshire)
    impact = "rows-0-impact"
    response = post_page(admin, base(staffordshire) + "/sections/psed", {impact: "no"}, submit="later")
    assert response.status_code == 302, error_summary(admin.get(base(staffordshire) + "/sections/psed").get_data(as_text=True))
    assert "Your answers have been kept in this preview" in tasks(admin, staffordshire)
    again = page_fields(admin.get(base(staffordshire) + "/sections/psed").get_data(as_text=True))
    assert again[impact] == "no"
    assert saved_elsewhere(app) == before and preview_rows(app) == 1


def test_the_downloads_carry_the_previews_answers_marked_as_a_preview(app, admin, england):
    _answer_screening(admin, england, "yes")
    word = admin.get(base(england) + "/download/docx")
    assert word.status_code == 200 and word.headers["Content-Disposition"].startswith('attachment; filename="PREVIEW-')
    with zipfile.ZipFile(io.BytesIO(word.data)) as z:
        xml = " ".join(z.read(name).decode("utf-8") for name in z.namelist() if name.startswith("word/") and name.endswith(".xml"))
    words = " ".join(re.sub(r"<[^>]+>", " ", xml).split())
    assert "Close the library on Mondays." in words and "Preview – not an assessment" in words
    exported = admin.get(base(england) + "/download/json").get_data(as_text=True)
    assert json.loads(exported) and '"full_assessment_needed": "yes"' in exported
    assert admin.get(base(england) + "/download/nonsense").status_code == 404
    summary = text(admin, base(england) + "/summary")
    assert "Preview – not an assessment" in summary


def test_one_category_area_at_a_time_is_kept_with_the_others(app, admin, staffordshire):
    whole = admin.get(base(staffordshire) + "/sections/psed").get_data(as_text=True)
    one = base(staffordshire) + "/sections/psed/areas/disability"
    assert f'href="{one.replace("disability", "race")}"' in whole  # "Work on one category area at a time"
    assert f'href="{base(staffordshire)}/sections/psed/evidence"' in whole
    assert post_page(admin, one, {"rows-0-impact": "no"}).headers["Location"].endswith("/sections/psed/areas/sex")
    assert post_page(admin, base(staffordshire) + "/sections/psed/areas/race", {"rows-0-impact": "no"}).status_code == 302
    fields = page_fields(admin.get(base(staffordshire) + "/sections/psed").get_data(as_text=True))
    assert fields["rows-0-key"] == "race" and fields["rows-1-key"] == "disability"
    assert fields["rows-0-impact"] == "no" and fields["rows-1-impact"] == "no"
    assert admin.get(base(staffordshire) + "/sections/psed/areas/nope").status_code == 404
