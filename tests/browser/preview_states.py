"""Page states of the designer's preview for the accessibility suite (tests/browser/pages.py).

Each brings the browser, signed in as an administrator, to one state of the preview of the shipped
English template: on each screening path, with a message, on a page that does not apply, and on
the preview's own read-only pages.
"""

from __future__ import annotations

from sqlalchemy import select

from cia.data import templates
from cia.extensions import db
from cia.models import Template

ENGLAND = "equality-impact-assessment-england"


def england_preview(app) -> str:
    """The path of the preview of the English template's first version (installed if it is not)."""
    with app.app_context():
        found = db.session.execute(select(Template).where(Template.slug == ENGLAND)).scalar_one_or_none()
        if found is None:
            templates.seed_bundled_templates([ENGLAND])
            db.session.commit()
            found = db.session.execute(select(Template).where(Template.slug == ENGLAND)).scalar_one()
        return f"/templates/versions/{found.versions[0].id}/preview"


def answer_screening(page, app, answer: str) -> str:
    """Answer the screening question in the preview ("Yes" or "No"); the preview's path."""
    preview = england_preview(app)
    page.goto(preview + "/sections/screening/questions")
    page.get_by_role("group", name="Is a full equality impact assessment needed?").get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_text("Your answers have been kept in this preview").wait_for()
    return preview


def _screened_out(page, app) -> None:
    answer_screening(page, app, "No")


def _full_path(page, app) -> None:
    answer_screening(page, app, "Yes")


def _screening_with_more_questions(page, app) -> None:
    preview = england_preview(app)
    page.goto(preview + "/sections/screening/questions")
    page.get_by_role("group", name="Is a full equality impact assessment needed?").get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_text("More questions now apply").wait_for()


def _details_with_an_error(page, app) -> None:
    page.goto(england_preview(app) + "/details")
    date = page.get_by_role("group", name="Expected decision date")
    date.get_by_label("Day").fill("31")
    date.get_by_label("Month").fill("2")
    date.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".govuk-error-summary").wait_for()


def _does_not_apply(page, app) -> None:
    page.goto(answer_screening(page, app, "No") + "/sections/characteristics/questions")


def _open(part: str, answer: str = "Yes"):
    def state(page, app) -> None:
        page.goto(answer_screening(page, app, answer) + part)

    return state


def _started_again(page, app) -> None:
    answer_screening(page, app, "Yes")
    page.get_by_role("button", name="Start the preview again").click()
    page.get_by_text("every answer has been cleared").wait_for()


PREVIEW_PAGE_STATES = [
    ("preview: task list, screened out", _screened_out, "admin"),
    ("preview: task list, full assessment", _full_path, "admin"),
    ("preview: screening with more questions to answer", _screening_with_more_questions, "admin"),
    ("preview: proposal details with an error", _details_with_an_error, "admin"),
    ("preview: a section that does not apply", _does_not_apply, "admin"),
    ("preview: the full assessment's questions", _open("/sections/characteristics/questions"), "admin"),
    ("preview: the action plan", _open("/sections/action_plan/questions"), "admin"),
    ("preview: check your answers", _open("/check-answers"), "admin"),
    ("preview: check your assessment", _open("/check"), "admin"),
    ("preview: checklist and executive summary", _open("/summary", "No"), "admin"),
    ("preview: started again", _started_again, "admin"),
]
