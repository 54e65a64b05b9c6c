"""Page states of the designer's council lists, rating scales and sign-off steps, for the accessibility
suite (tests/browser/pages.py). Signed in as an administrator; version ids differ between runs, so
states find their draft through the pages."""

from __future__ import annotations

from tests.browser.designer_states import draft

ENGLAND = "equality-impact-assessment-england"


def england_draft(page, app) -> str:
    """A draft of the shipped English template (it leaves the council's lists out, rates on a scale and
    has sign-off steps on its screening question); the URL of the draft's version page."""
    from sqlalchemy import select

    from cia.data import templates
    from cia.extensions import db
    from cia.models import Template

    with app.app_context():
        templates.seed_bundled_templates([ENGLAND])
        db.session.commit()
        published = db.session.execute(select(Template).where(Template.slug == ENGLAND)).scalar_one().versions[0].id
    page.goto(f"/templates/versions/{published}")
    page.get_by_role("button", name="Create new version from version 1").click()
    page.get_by_text("has been created as a draft").wait_for()
    return page.url


def _on_england(part: str):
    def state(page, app) -> None:
        page.goto(england_draft(page, app) + part)

    return state


def _open(part: str):
    def state(page) -> None:
        page.goto(draft(page) + part)

    return state


def _size_added(page) -> None:
    page.goto(draft(page) + "/project-sizes")
    page.get_by_role("button", name="Add another project size").click()
    page.get_by_label("Name of project size 4", exact=True).wait_for()


def _statuses_with_error(page) -> None:
    page.goto(draft(page) + "/publication-statuses")
    page.get_by_label("Name of publication status 1", exact=True).fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".govuk-error-summary").wait_for()


def _new_scale_with_error(page, app) -> None:
    page.goto(england_draft(page, app) + "/rating-scales/new")
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".govuk-error-summary").wait_for()


def _step_added(page, app) -> None:
    page.goto(england_draft(page, app) + "/signoff-steps")
    page.get_by_role("button", name="Add another step").click()
    page.get_by_label("Title of sign-off step 4", exact=True).wait_for()


def _steps_with_error(page, app) -> None:
    _step_added(page, app)
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".govuk-error-summary").wait_for()


VOCABULARY_PAGE_STATES = [
    ("designer: decision routes, the installation's default", _on_england("/decision-routes"), "admin"),
    ("designer: decision routes, the template's own", _open("/decision-routes"), "admin"),
    ("designer: project sizes with a new size", _size_added, "admin"),
    ("designer: publication statuses with an error", _statuses_with_error, "admin"),
    ("designer: evidence types", _open("/evidence-types"), "admin"),
    ("designer: directions", _open("/directions"), "admin"),
    ("designer: rating scales", _on_england("/rating-scales"), "admin"),
    ("designer: a rating scale", _on_england("/rating-scales/equality_impact"), "admin"),
    ("designer: add a rating scale, with an error", _new_scale_with_error, "admin"),
    ("designer: a rating scale in use cannot be removed", _on_england("/rating-scales/equality_impact/remove"),
     "admin"),
    ("designer: sign-off steps with a new step", _step_added, "admin"),
    ("designer: sign-off steps with an error", _steps_with_error, "admin"),
]
