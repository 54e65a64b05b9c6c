"""Page states of the designer's condition page and section settings for the accessibility suite
(tests/browser/pages.py): a draft of the England template, made in the database, then opened by URL."""

from __future__ import annotations

from sqlalchemy import select

ENGLAND = "equality-impact-assessment-england"


def england_draft(app) -> str:
    """A new draft of the England template (screening, then sections shown when it is needed); its URL."""
    from cia.data import templates
    from cia.data.designer import create_draft
    from cia.extensions import db
    from cia.models import Template, TemplateVersion, User

    with app.app_context():
        templates.seed_bundled_templates([ENGLAND])
        db.session.commit()
        published = db.session.execute(select(Template).where(Template.slug == ENGLAND)).scalar_one().versions[0]
        admin = db.session.execute(select(User).where(User.email == "admin@example.gov.uk")).scalar_one()
        draft = create_draft(db.session.get(TemplateVersion, published.id), admin).id
        db.session.commit()
    return f"/templates/versions/{draft}"


def _open(part: str):
    def state(page, app) -> None:
        page.goto(england_draft(app) + part)
        page.get_by_role("heading", level=1).wait_for()

    return state


def _condition_with_no_answers(page, app) -> None:
    page.goto(england_draft(app) + "/conditions/end/screening")
    page.get_by_label("Is a full equality impact assessment needed?").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".govuk-error-summary").wait_for()


CONDITION_PAGE_STATES = [
    ("designer: a section's condition", _open("/conditions/section/characteristics"), "admin"),
    ("designer: a question's condition", _open("/conditions/question/why_not_needed"), "admin"),
    ("designer: a sign-off step's condition", _open("/conditions/step/decision-maker"), "admin"),
    ("designer: a standard page's condition", _open("/conditions/page/staff"), "admin"),
    ("designer: ending the assessment, with no answers chosen", _condition_with_no_answers, "admin"),
    ("designer: a condition with no earlier question", _open("/conditions/section/screening"), "admin"),
]
