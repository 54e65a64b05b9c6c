"""Page states of rule parameters for the accessibility suite (tests/browser/pages.py): the Checker
rules page of an England template draft, with each rule's parameters offering the template's own
questions; with a choice refused; and with a parameter whose question was removed."""

from __future__ import annotations

from sqlalchemy import select

ENGLAND = "equality-impact-assessment-england"


def _england_draft(page, app, *, without_actions: bool = False) -> str:
    """A draft of the England template (made in the database); the URL of its rules page."""
    from cia.data import designer, templates
    from cia.extensions import db
    from cia.models import Template, User

    with app.app_context():
        templates.seed_bundled_templates([ENGLAND])
        template = db.session.execute(select(Template).where(Template.slug == ENGLAND)).scalar_one()
        admin = db.session.execute(select(User).where(User.email == "admin@example.gov.uk")).scalar_one()
        version = designer.create_draft(template.versions[0], admin)
        if without_actions:
            content = templates.spec_for_version(version.id)
            plan = content.section("action_plan")
            plan.questions = [q for q in plan.questions if q.key != "actions"]
            templates.write_spec(version, content)
        db.session.commit()
        return f"/templates/versions/{version.id}/rules"


def _rules_with_parameters(page, app) -> None:
    page.goto(_england_draft(page, app))
    page.get_by_label("The action plan (CIA-R18)").wait_for()


def _rules_with_a_parameter_refused(page, app) -> None:
    page.goto(_england_draft(page, app))
    page.get_by_label("The action plan (CIA-R18)").select_option("")
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".govuk-error-summary").wait_for()


def _rules_with_a_removed_question(page, app) -> None:
    page.goto(_england_draft(page, app, without_actions=True))
    page.get_by_text("This rule’s settings no longer fit the template").wait_for()


RULE_PARAMETER_PAGE_STATES = [
    ("designer: checker rules with parameters", _rules_with_parameters, "admin"),
    ("designer: checker rules with a parameter refused", _rules_with_a_parameter_refused, "admin"),
    ("designer: checker rules with a removed question", _rules_with_a_removed_question, "admin"),
]
