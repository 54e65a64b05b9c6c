"""Personal details of members of the public at the publication stage, through the real pages: the check
page lists them as an error that cannot be acknowledged, and submission for sign-off is refused, even
with a warning acknowledged while drafting and the template setting rule CIA-R09 to a warning.
An exempt CIA (Schedule 12A) keeps them as a warning that can be acknowledged."""

from __future__ import annotations

import html as htmllib

import pytest
from sqlalchemy.orm.attributes import flag_modified

from cia import workflow as wf
from cia.checks import PUBLICATION, CheckConfig
from cia.data import assessments, templates
from cia.data.parts import Acknowledgements
from cia.domain import Acknowledgement
from cia.extensions import db
from cia.models import TemplateVersion, User
from tests.helpers import findings_text
from tests.workflow_helpers import current, in_state, make_cast, signed_in_client

PERSONAL = "Contact resident Jane Doe on 07700 900123 about the bus."


@pytest.fixture
def cast(app):
    with app.app_context():
        made = make_cast()
        return {"owner": (made.owner.id, made.owner.email), "approver": (made.approver.id, made.approver.email)}


def _draft_with_personal_details(app, cast, publication_status: str) -> int:
    with app.app_context():
        aid = in_state(make_cast(), wf.DRAFT)
        revision = current(aid)
        owner = db.session.get(User, cast["owner"][0])
        details = assessments.load_part(revision, "details")
        details.data.publication_status = publication_status
        assert assessments.save_part(revision, "details", details.data, details.version, owner).ok
        section = assessments.load_part(revision, "section:economy")
        row = next(r for r in section.data.rows if r.impact == "yes")
        row.groups = f"{row.groups}\n\n{PERSONAL}"
        assert assessments.save_part(revision, "section:economy", section.data, section.version, owner).ok
        db.session.commit()
        return aid


def _r09_key(app, aid: int) -> str:
    """The finding's key, as the check page's acknowledgement form would post it."""
    with app.app_context():
        _, report = assessments.check(current(aid), CheckConfig(stage=PUBLICATION))
        return next(f.key for f in report.findings if f.rule_id == "CIA-R09")


def _acknowledge_as_if_drafting(app, cast, aid: int, key: str) -> None:
    with app.app_context():
        revision = current(aid)
        loaded = assessments.load_part(revision, "acknowledgements")
        items = loaded.data.items + [Acknowledgement(finding_key=key, rule_id="CIA-R09", reason="The resident agreed",
                                                     by="Olivia Owner", at="2026-01-05T10:00:00+00:00")]
        assert assessments.save_part(revision, "acknowledgements", Acknowledgements(items=items), loaded.version,
                                     db.session.get(User, cast["owner"][0])).ok
        db.session.commit()


def _template_sets_r09_to_warning(app, aid: int) -> None:
    with app.app_context():
        version = db.session.get(TemplateVersion, current(aid).template_version_id)
        version.settings["rule_settings"]["CIA-R09"]["severity"] = "warning"
        flag_modified(version, "settings")
        db.session.commit()
        templates._spec_cache.pop(version.id, None)


def _submit(client, aid: int, approver_id: int):
    return client.post(f"/assessments/{aid}/submit/confirm", data={"revision": "1", "approvers": [approver_id]})


def test_public_cia_personal_details_are_an_error_that_cannot_be_acknowledged(app, cast):
    aid = _draft_with_personal_details(app, cast, "public")
    owner = signed_in_client(app, cast["owner"][1])
    page = htmllib.unescape(owner.get(f"/assessments/{aid}/check").get_data(as_text=True))
    errors = findings_text(page, "error")
    assert "a person's name (Jane Doe)" in errors and "a phone number (07700 900123)" in errors
    key = _r09_key(app, aid)
    refused = owner.post(f"/assessments/{aid}/check/acknowledge", data={"finding_key": key, "reason": "Agreed"},
                         follow_redirects=True)
    text = htmllib.unescape(refused.get_data(as_text=True))
    assert "Errors cannot be acknowledged: fix them. Personal details of members of the public must be removed" in text
    with app.app_context():
        stored = assessments.load_part(current(aid), "acknowledgements").data.items
        assert all(a.rule_id != "CIA-R09" for a in stored)

    _acknowledge_as_if_drafting(app, cast, aid, key)
    _template_sets_r09_to_warning(app, aid)
    blocked = _submit(owner, aid, cast["approver"][0])
    body = htmllib.unescape(blocked.get_data(as_text=True))
    assert blocked.status_code == 200
    assert "You cannot submit this assessment for sign-off" in body
    assert "a person's name (Jane Doe)" in body
    with app.app_context():
        assert current(aid).status == wf.DRAFT


def test_exempt_cia_keeps_personal_details_as_a_warning_to_acknowledge(app, cast):
    aid = _draft_with_personal_details(app, cast, "exempt")
    owner = signed_in_client(app, cast["owner"][1])
    page = htmllib.unescape(owner.get(f"/assessments/{aid}/check").get_data(as_text=True))
    warnings = findings_text(page, "warning")
    assert "a person's name (Jane Doe)" in warnings
    key = _r09_key(app, aid)
    done = owner.post(f"/assessments/{aid}/check/acknowledge", data={"finding_key": key, "reason": "Exempt paper"})
    assert done.status_code == 302
    submitted = _submit(owner, aid, cast["approver"][0])
    assert submitted.status_code == 302
    with app.app_context():
        assert current(aid).status == wf.SUBMITTED
