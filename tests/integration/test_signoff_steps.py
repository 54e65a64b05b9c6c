"""Sign-off steps as template data, through the pages: the shipped English-style equality impact
assessment has a path of its own for a screened-out proposal (a Head of Service's decision) and two
steps for a full assessment (an equalities officer's review, then the decision-maker).

Approvers are chosen for every step at submission; a later step's approver is asked only once the
step before is signed off, cannot decide before then, and is not shown it as waiting for them.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import select

from cia.extensions import db
from cia.models import ApprovalRequest, User
from tests.helpers import error_summary, press, signed_in
from tests.integration.designer_support import AUTHOR, main_text
from tests.signoff_support import (
    EQUALITIES,
    HEAD,
    MANAGER,
    question_page,
    seed_england_and_signers,
    start_england,
)

AWAITING = "/assessments/awaiting"


@pytest.fixture
def england(app, users) -> int:
    return seed_england_and_signers(app)


def _ids(app) -> dict[str, int]:
    with app.app_context():
        return {u.email: u.id for u in db.session.execute(select(User)).scalars()}


def _text(client, path: str) -> str:
    return " ".join(main_text(client.get(path).get_data(as_text=True)).split())


def _ready(author, aid: int) -> str:
    """The submit page, after acknowledging any warning the checker raises (an officer would)."""
    page = author.get(f"/assessments/{aid}/submit").get_data(as_text=True)
    blocking = re.findall(r'<ul class="govuk-list govuk-list--bullet" id="blocking-findings">(.*?)</ul>', page, re.S)
    assert not blocking, " ".join(main_text(blocking[0]).split())
    return page


def _submit(author, aid: int, chosen: dict[str, list[int]]):
    data = {"revision": "1"}
    response = author.post(f"/assessments/{aid}/submit", data={**data, **{k: [str(i) for i in v]
                                                                         for k, v in chosen.items()}})
    return response


def _confirm(author, aid: int, chosen: dict[str, list[int]]):
    return author.post(f"/assessments/{aid}/submit/confirm",
                       data={"revision": "1", "what_changed": "Said how the count will be published.",
                             **{k: [str(i) for i in v] for k, v in chosen.items()}})


def _submission(client, aid: int) -> str:
    page = client.get(f"/assessments/{aid}/sign-off").get_data(as_text=True)
    return re.search(r'name="submission"[^>]*value="([^"]*)"', page).group(1)


def _sign_off(client, aid: int, submission: str | None = None):
    """Sign off as `client`, with the submission its page shows (or one seen on another approver's page)."""
    return client.post(f"/assessments/{aid}/sign-off/approve", data={
        "declaration": "y", "comment": "", "submission": submission or _submission(client, aid)})


def test_a_screened_out_assessment_is_signed_off_by_a_head_of_service_alone(app, england):
    author = signed_in(app, AUTHOR)
    aid = start_england(author, england, full=False)
    ids = _ids(app)
    page = _ready(author, aid)
    text = " ".join(main_text(page).split())
    assert "Who should sign off this assessment?" in text and "Hana Head" in text
    assert "Eli Equalities" not in text and "Mo Manager" not in text  # only the path's step, at its level
    assert "approvers at Head of Service level sign off" in text

    response = _submit(author, aid, {"approvers": [ids[MANAGER]]})
    assert response.status_code == 200
    assert ("#approvers", "Select approvers at Head of Service level who are not on the project team: "
                          "Head of Service's screening decision calls for it") in error_summary(response.text)
    response = _submit(author, aid, {"approvers": [ids[HEAD]]})
    assert "Hana Head" in " ".join(main_text(response.text).split())
    response = _confirm(author, aid, {"approvers": [ids[HEAD]]})
    assert response.status_code == 302

    head = signed_in(app, HEAD)
    sign_off = _text(head, f"/assessments/{aid}/sign-off")
    assert "I agree that a full equality impact assessment is not needed" in sign_off  # the step's declaration
    assert _sign_off(head, aid).status_code == 302
    assert "Approved" in _text(author, f"/assessments/{aid}")


def test_a_full_assessment_goes_to_the_equalities_officer_then_the_decision_maker(app, england):
    author = signed_in(app, AUTHOR)
    aid = start_england(author, england, full=True)
    ids = _ids(app)
    text = " ".join(main_text(_ready(author, aid)).split())
    assert "Sign-off has 2 steps, taken in order" in text
    assert "Step 1: Equalities officer's review. Who should sign off?" in text
    assert "Step 2: Decision-maker's sign-off. Who should sign off?" in text
    assert "Hana Head" not in text  # the screened-out path's step does not apply

    chosen = {"approvers": [ids[EQUALITIES]], "approvers-decision-maker": [ids[MANAGER]]}
    response = _submit(author, aid, chosen)
    confirm = " ".join(main_text(response.text).split())
    assert "Step 1: Equalities officer's review Eli Equalities" in confirm
    assert "Step 2: Decision-maker's sign-off Mo Manager" in confirm
    assert _confirm(author, aid, chosen).status_code == 302
    submitted = _text(author, f"/assessments/{aid}/submitted")
    assert "We have told Eli Equalities" in submitted and "we will ask Mo Manager at the next step" in submitted

    manager = signed_in(app, MANAGER)
    assert "Library opening hours" not in _text(manager, AWAITING)  # not waiting for them yet
    page = _text(manager, f"/assessments/{aid}/sign-off")
    assert "You are asked to sign off at Decision-maker's sign-off, which comes after Equalities officer's review" in page
    assert "Your decision" not in page
    equalities = signed_in(app, EQUALITIES)
    refused = _sign_off(manager, aid, _submission(equalities, aid))  # posted without the page offering it
    assert refused.status_code == 409
    assert "You cannot sign off yet: Equalities officer's review comes first" in " ".join(main_text(refused.text).split())
    with app.app_context():
        assert all(r.decision == "" for r in db.session.execute(select(ApprovalRequest)).scalars())

    assert "considers each protected characteristic" in _text(equalities, f"/assessments/{aid}/sign-off")
    assert _sign_off(equalities, aid).status_code == 302
    assert "It is now with Decision-maker's sign-off: Mo Manager" in _text(equalities, f"/assessments/{aid}/sign-off")
    assert "Library opening hours" in _text(manager, AWAITING)  # now their turn, and told
    assert "asked you to sign off" in _text(manager, "/assessments/notifications")
    assert "I will have due regard to it" in _text(manager, f"/assessments/{aid}/sign-off")
    assert _sign_off(manager, aid).status_code == 302

    tasks = _text(author, f"/assessments/{aid}")
    assert "Approved" in tasks
    assert "Equalities officer's review: Eli Equalities: signed off" in tasks
    assert "Decision-maker's sign-off: Mo Manager: signed off" in tasks
    with zipfile.ZipFile(io.BytesIO(author.get(f"/assessments/{aid}/download/docx").data)) as z:
        word = " ".join(re.sub(r"<[^>]+>", " ", z.read("word/document.xml").decode("utf-8")).split())
    assert "Equalities officer&apos;s review (Equalities officer)" in word or \
        "Equalities officer's review (Equalities officer)" in word
    assert "Decision-maker&apos;s sign-off (Manager)" in word or "Decision-maker's sign-off (Manager)" in word
    document = author.get(f"/assessments/{aid}/download/json").get_json()
    assert [(s["step"], s["name"]) for s in document["assessment"]["signoffs"]] == [
        ("Equalities officer's review", "Eli Equalities"), ("Decision-maker's sign-off", "Mo Manager")]


def test_choosing_approvers_for_each_step_refuses_what_cannot_be_and_keeps_the_choices(app, england):
    author = signed_in(app, AUTHOR)
    aid = start_england(author, england, full=True)
    ids = _ids(app)
    _ready(author, aid)
    response = _submit(author, aid, {"approvers": [ids[EQUALITIES]]})
    assert ("#approvers-decision-maker", "Select at least one approver for Decision-maker's sign-off") \
        in error_summary(response.text)
    assert re.search(rf'value="{ids[EQUALITIES]}"[^>]*checked', response.text)  # the first choice is kept
    response = _submit(author, aid, {"approvers": [ids[MANAGER]], "approvers-decision-maker": [ids[MANAGER]]})
    assert ("#approvers", "Select approvers for Equalities officer's review at Equalities officer level who are "
                          "not on the project team: Equalities officer's review calls for it") \
        in error_summary(response.text)
    response = _submit(author, aid, {"approvers": [ids[EQUALITIES]], "approvers-decision-maker": ["x"]})
    assert error_summary(response.text)[0][0] == "#approvers-decision-maker"  # not an id: refused, not dropped
    with app.app_context():
        assert db.session.execute(select(ApprovalRequest)).first() is None  # nothing was submitted


def test_changes_asked_at_the_second_step_send_it_back_and_a_resubmission_starts_at_the_first(app, england):
    author = signed_in(app, AUTHOR)
    aid = start_england(author, england, full=True)
    ids = _ids(app)
    _ready(author, aid)
    chosen = {"approvers": [ids[EQUALITIES]], "approvers-decision-maker": [ids[MANAGER]]}
    assert _confirm(author, aid, chosen).status_code == 302
    equalities, manager = signed_in(app, EQUALITIES), signed_in(app, MANAGER)
    assert _sign_off(equalities, aid).status_code == 302
    page = manager.get(f"/assessments/{aid}/sign-off/request-changes").get_data(as_text=True)
    submission = re.search(r'name="submission"[^>]*value="([^"]*)"', page).group(1)
    response = manager.post(f"/assessments/{aid}/sign-off/request-changes",
                            data={"comment": "Say how the count will be published.", "submission": submission})
    assert response.status_code == 302
    assert "Changes requested" in _text(author, f"/assessments/{aid}")

    html = author.get(f"/assessments/{aid}/sections/action_plan/questions").get_data(as_text=True)
    response = press(author, question_page(aid, "action_plan"), "add:q-actions", html, {})
    assert response.status_code == 200
    _ready(author, aid)
    assert _confirm(author, aid, chosen).status_code == 302
    with app.app_context():
        requests = {r.approver_id: r for r in db.session.execute(select(ApprovalRequest)).scalars()}
        assert requests[ids[EQUALITIES]].decision == "" and not requests[ids[EQUALITIES]].waiting
        assert requests[ids[MANAGER]].decision == "" and requests[ids[MANAGER]].waiting
    assert _sign_off(manager, aid, _submission(equalities, aid)).status_code == 409
