"""The project lead asks colleagues on the team to write sections: they are told, see it on their
home page, and the task list shows who is on what. Everyone on the team can still edit."""

from __future__ import annotations

import html as htmllib

from sqlalchemy import select

from cia import workflow as wf
from cia.extensions import db
from cia.models import AuditEvent, EmailOutbox, Notification, SectionAssignment
from tests.integration import test_workflow_routes as routes
from tests.integration.test_workflow_routes import client_for, setup_state, text_of

cast = routes.cast  # the same people as the sign-off tests (a fixture)


def assign(client, aid: int, key: str, person: str):
    return client.post(f"/assessments/{aid}/sections/{key}/assign", data={"person": person})


def test_the_lead_asks_a_colleague_to_write_a_section_and_everyone_sees_it(app, cast):
    aid = setup_state(app, wf.DRAFT)
    owner = client_for(app, cast, "owner")
    form = text_of(owner.get(f"/assessments/{aid}/sections/health_and_care/assign"))
    assert "Who is writing Health and Care?" in form and "Colin Colleague" in form and "Nobody for now" in form
    done = assign(owner, aid, "health_and_care", str(cast.ids["collaborator"]))
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/assessments/{aid}/contributors")
    contributors = text_of(owner.get(f"/assessments/{aid}/contributors"))
    assert "Health and Care Colin Colleague" in " ".join(contributors.split())
    # The task list says who is on what; the colleague is told and sees it on their home page.
    assert "Assigned to Colin Colleague" in text_of(owner.get(f"/assessments/{aid}"))
    colleague = client_for(app, cast, "collaborator")
    home = colleague.get("/").get_data(as_text=True)
    assert "Assigned to you (1)" in htmllib.unescape(home)
    assert f'href="/assessments/{aid}/sections/health_and_care"' in home
    with app.app_context():
        notice = db.session.execute(select(Notification).where(Notification.user_id == cast.ids["collaborator"])
                                    ).scalars().all()
        assert any("asked you to write “Health and Care”" in n.text for n in notice)
        assert db.session.execute(select(EmailOutbox).where(EmailOutbox.to_email == cast.emails["collaborator"])
                                  ).scalars().first() is not None
        assert db.session.execute(select(AuditEvent).where(AuditEvent.action == "section.assigned")).scalar_one()
    # Nobody again: the assignment goes, and so does the line on the colleague's home page.
    assert assign(owner, aid, "health_and_care", "nobody").status_code == 302
    assert "Assigned to you" not in colleague.get("/").get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(SectionAssignment)).first() is None


def test_only_the_lead_assigns_and_only_to_someone_on_the_team(app, cast):
    aid = setup_state(app, wf.DRAFT)
    colleague = client_for(app, cast, "collaborator")
    assert colleague.get(f"/assessments/{aid}/sections/economy/assign").status_code == 403
    assert client_for(app, cast, "outsider").get(f"/assessments/{aid}/sections/economy/assign").status_code == 404
    owner = client_for(app, cast, "owner")
    for bad in (str(cast.ids["outsider"]), "", "999999", "not a number", "nobody\x00"):
        refused = assign(owner, aid, "economy", bad)
        assert refused.status_code == 400, bad
        assert "Select who is writing this section, or nobody" in text_of(refused)
    assert owner.get(f"/assessments/{aid}/sections/no-such-section/assign").status_code == 404
    with app.app_context():
        assert db.session.execute(select(SectionAssignment)).first() is None


def test_a_submitted_assessment_cannot_be_shared_out(app, cast):
    aid = setup_state(app, wf.SUBMITTED)
    owner = client_for(app, cast, "owner")
    page = text_of(owner.get(f"/assessments/{aid}/contributors"))
    assert "Change" not in page
    assert assign(owner, aid, "economy", str(cast.ids["collaborator"])).status_code in (403, 409)
