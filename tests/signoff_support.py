"""The shipped English-style equality impact assessment, filled in through the pages so the checker passes
it, and the approvers its sign-off steps need (for the sign-off steps tests and the accessibility suite)."""

from __future__ import annotations

from sqlalchemy import select

from cia.data import templates
from cia.extensions import db
from cia.models import Template
from tests.helpers import error_summary, make_user, post_page

ENGLAND = "equality-impact-assessment-england"
CHARACTERISTICS = ("age", "disability", "gender_reassignment", "marriage_civil_partnership", "pregnancy_maternity",
                   "race", "religion_belief", "sex", "sexual_orientation")
HEAD, EQUALITIES, MANAGER, SECOND_MANAGER = ("head@example.gov.uk", "equalities@example.gov.uk",
                                             "manager@example.gov.uk", "manager2@example.gov.uk")


def seed_england_and_signers(app) -> int:
    """Seed the template and an approver at each level its steps name; the id of its version."""
    with app.app_context():
        templates.seed_bundled_templates([ENGLAND])
        make_user(HEAD, "Hana Head", "approver", "head_of_service")
        make_user(EQUALITIES, "Eli Equalities", "approver", "equalities")
        make_user(MANAGER, "Mo Manager", "approver", "manager")
        make_user(SECOND_MANAGER, "Max Manager", "approver", "manager")
        db.session.commit()
        return db.session.execute(select(Template).where(Template.slug == ENGLAND)).scalar_one().versions[0].id


def question_page(aid: int, key: str) -> str:
    return f"/assessments/{aid}/sections/{key}/questions"


def start_england(author, version_id: int, full: bool) -> int:
    """An assessment ready to submit: screened out (`full` False) or fully assessed with an action plan."""
    response = author.post("/assessments/new", data={"name": "Library opening hours", "template": str(version_id)})
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    aid = int(response.headers["Location"].rsplit("/", 1)[1])
    details = post_page(author, f"/assessments/{aid}/details", {
        "sponsor": "Sam Sponsor", "lead": "Alex Author", "directorate": "Communities", "project_size": "small",
        "date-day": "1", "date-month": "11", "date-year": "2026",
        "summary": "Open the central library one hour later on Mondays."}, submit="later")
    assert details.status_code == 302, error_summary(details.get_data(as_text=True))
    screening = {"q-proposal_summary": "Open the central library one hour later on Mondays.",
                 "q-who_is_affected": "People who use the central library on Monday mornings.",
                 "q-full_assessment_needed": "yes" if full else "no"}
    if not full:
        screening["q-why_not_needed"] = "Monday morning visits are few and spread evenly across groups of users."
    post_page(author, question_page(aid, "screening"), screening, submit="continue")
    if not full:
        post_page(author, question_page(aid, "screening"), screening, submit="continue")  # the explanation, now asked
        return aid
    typed = {f"q-{key}": "neutral" for key in CHARACTERISTICS}
    typed |= {f"q-{key}_evidence": "Library use by this group matches the borough's population."
              for key in CHARACTERISTICS}
    response = post_page(author, question_page(aid, "characteristics"), typed, submit="continue")
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    plan = question_page(aid, "action_plan")
    response = post_page(author, plan, {
        "q-outcome": "adjust", "q-actions-0-action": "Count Monday morning visits for six months",
        "q-actions-0-lead_officer": "Head of Libraries", "q-actions-0-timescale": "By September 2027"},
        submit="later")
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    return aid
