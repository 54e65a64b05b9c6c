"""Sign-off workflow through the pages: every (state, action, person) of the TRANSITIONS table, the pages
themselves, comments beside rows, frozen revisions, history and the comparison of revisions."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from sqlalchemy import func, select

from cia import workflow as wf
from cia.data import assessments
from cia.extensions import db
from cia.models import AuditEvent, RevisionPart
from tests.workflow_helpers import current, first_row, in_state, make_cast, signed_in_client, submission_of

ROLES = ("owner", "collaborator", "approver", "other_approver", "admin", "outsider")
REFUSALS = ("access.refused", "workflow.refused")


@pytest.fixture
def cast(app):
    with app.app_context():
        made = make_cast()
        ids = {role: getattr(made, role).id for role in ("owner", "collaborator", "approver", "second_approver",
                                                           "other_approver", "admin", "outsider")}
        emails = {role: getattr(made, role).email for role in ids}
    return type("Cast", (), {"ids": ids, "emails": emails})


def client_for(app, cast, role: str):
    return signed_in_client(app, cast.emails[role])


def setup_state(app, state: str, approvers: tuple[str, ...] = ("approver",), small: bool = True) -> int:
    with app.app_context():
        cast = make_cast()
        return in_state(cast, state, approvers=[getattr(cast, a) for a in approvers], small=small)


def kinds(app, cast, role: str, aid: int) -> set[str]:
    from cia.data import workflow as flow
    from cia.models import User

    with app.app_context():
        user = db.session.get(User, cast.ids[role])
        access = assessments.access_for(user, aid)
        return flow.kinds_of(access, user) if access else set()


def status(app, aid: int) -> tuple[str, int]:
    with app.app_context():
        revision = current(aid)
        return revision.status, revision.number


def count(app, *actions: str) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.action.in_(actions))).scalar_one()


def post_action(app, client, action: str, aid: int, cast):
    with app.app_context():
        number = current(aid).number
        submission = submission_of(aid)
    base = f"/assessments/{aid}"
    if action == wf.SUBMIT:
        return client.post(f"{base}/submit/confirm", data={"revision": number, "approvers": [cast.ids["approver"]],
                                                        "what_changed": "Added the bus routes."})
    if action == wf.WITHDRAW:
        return client.post(f"{base}/withdraw", data={"revision": number})
    if action == wf.APPROVE:
        return client.post(f"{base}/sign-off/approve", data={"declaration": "y", "comment": "Fine",
                                                             "submission": submission})
    if action == wf.REQUEST_CHANGES:
        return client.post(f"{base}/sign-off/request-changes", data={"comment": "Please fix", "submission": submission})
    if action == wf.REOPEN:
        return client.post(f"{base}/reopen", data={"revision": number})
    raise AssertionError(action)


#: A replay (a double click, a page posted twice): nothing changes and nothing is recorded.
REPLAYS = {
    (wf.SUBMIT, wf.SUBMITTED, "owner"), (wf.SUBMIT, wf.SUBMITTED, "collaborator"),
    (wf.WITHDRAW, wf.WITHDRAWN, "owner"), (wf.WITHDRAW, wf.WITHDRAWN, "collaborator"),
    (wf.APPROVE, wf.APPROVED, "approver"),
    (wf.REQUEST_CHANGES, wf.CHANGES_REQUESTED, "approver"),
}

COMBINATIONS = [(state, t.action, role) for state in wf.STATES for t in wf.TRANSITIONS for role in ROLES]


@pytest.mark.parametrize("state, action, role", COMBINATIONS, ids=["-".join(c) for c in COMBINATIONS])
def test_every_state_action_and_person_of_the_table(app, cast, state, action, role):
    aid = setup_state(app, state)
    expected = wf.allowed(action, state, kinds(app, cast, role, aid))
    before_status = status(app, aid)
    before_done = count(app, f"workflow.{action}")
    before_refused = count(app, *REFUSALS)
    response = post_action(app, client_for(app, cast, role), action, aid, cast)
    body = htmllib.unescape(response.get_data(as_text=True))
    if expected:
        assert response.status_code == 302, body[:2000]
        transition = wf.transition(action)
        after, number = status(app, aid)
        assert after == transition.target
        assert number == before_status[1] + (1 if transition.new_revision else 0)
        assert count(app, f"workflow.{action}") == before_done + 1
    elif (action, state, role) in REPLAYS:
        assert response.status_code == 200 and "already" in body
        assert status(app, aid) == before_status
        assert count(app, f"workflow.{action}") == before_done and count(app, *REFUSALS) == before_refused
    else:
        assert response.status_code in (403, 404, 409), (response.status_code, body[:500])
        assert status(app, aid) == before_status
        assert count(app, f"workflow.{action}") == before_done
        assert count(app, *REFUSALS) == before_refused + 1
        if response.status_code == 409:
            assert "cannot" in body and wf.state_label(state).lower() in body.lower()
        elif response.status_code == 403:
            assert "You do not have permission" in body


def test_the_table_has_one_row_per_action_and_only_known_states():
    assert [t.action for t in wf.TRANSITIONS] == list(dict.fromkeys(t.action for t in wf.TRANSITIONS))
    for t in wf.TRANSITIONS:
        assert set(t.sources) <= set(wf.STATES) and t.target in wf.STATES and t.who in wf.WHO


# --- the pages ------------------------------------------------------------------------------------


def text_of(response) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def test_the_submit_journey_through_the_pages(app, cast):
    aid = setup_state(app, wf.DRAFT)
    owner = client_for(app, cast, "owner")
    task_list = text_of(owner.get(f"/assessments/{aid}"))
    assert "Sign-off" in task_list and "Submit for sign-off" in task_list
    page = owner.get(f"/assessments/{aid}/submit")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'type="checkbox"' in html and "Ann Approver" in html and "Cal Approver" in html
    assert "Olivia Owner" not in html.split("Who should sign off")[1]  # nobody signs off their own work
    assert "The project size is Small, so it needs sign-off at Manager level" in html  # the template's words
    empty = owner.post(f"/assessments/{aid}/submit", data={"revision": "1"})
    assert "Select at least one approver" in text_of(empty) and 'href="#approvers"' in empty.get_data(as_text=True)
    confirm = owner.post(f"/assessments/{aid}/submit", data={"revision": "1", "approvers": [cast.ids["approver"]]})
    assert "Are you sure you want to submit" in text_of(confirm)
    assert status(app, aid)[0] == wf.DRAFT  # nothing happens before the confirmation
    done = owner.post(f"/assessments/{aid}/submit/confirm", data={"revision": "1", "approvers": [cast.ids["approver"]]})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/assessments/{aid}/submitted")
    assert "Assessment submitted for sign-off" in text_of(owner.get(f"/assessments/{aid}/submitted"))
    again = owner.post(f"/assessments/{aid}/submit/confirm", data={"revision": "1", "approvers": [cast.ids["approver"]]})
    assert again.status_code == 200 and "already been submitted" in text_of(again)
    assert count(app, "workflow.submit") == 1
    # The approver sees it on the dashboard and in "Awaiting your sign-off", and a notification.
    approver = client_for(app, cast, "approver")
    home = text_of(approver.get("/"))
    assert "Awaiting your sign-off (1)" in home and "Notifications (1 unread" in home
    assert "Community Support Hubs" in text_of(approver.get("/assessments/awaiting"))
    notices = text_of(approver.get("/assessments/notifications"))
    assert "Olivia Owner asked you to sign off" in notices
    approver.post("/assessments/notifications", data={})
    assert "Notifications (0 unread" in text_of(approver.get("/"))


def test_submit_page_lists_what_to_fix_with_links(app, cast):
    aid = setup_state(app, wf.DRAFT)
    with app.app_context():
        revision = current(aid)
        loaded = assessments.load_part(revision, "section:economy")
        loaded.data.rows[0].impact, loaded.data.rows[0].groups = "yes", ""
        from cia.models import User

        assert assessments.save_part(revision, "section:economy", loaded.data, loaded.version,
                                     db.session.get(User, cast.ids["owner"])).ok
        db.session.commit()
    page = client_for(app, cast, "owner").get(f"/assessments/{aid}/submit")
    html = page.get_data(as_text=True)
    assert "You cannot submit this assessment for sign-off yet" in text_of(page)
    assert f'/assessments/{aid}/sections/economy#rows-0-' in html
    assert 'type="checkbox"' not in html


def test_the_sign_off_page_shows_the_cia_acknowledged_warnings_and_the_declaration(app, cast):
    aid = setup_state(app, wf.SUBMITTED)
    page = client_for(app, cast, "approver").get(f"/assessments/{aid}/sign-off")
    assert page.status_code == 200
    body = text_of(page)
    assert "Sign off: Community Support Hubs" in body
    assert "I have read this Community Impact Assessment and its Checklist and Executive Summary" in body
    assert "Warnings the authors acknowledged" in body and "Request changes" in body
    assert "1. Public Sector Equality Duty" in body or "Public Sector Equality Duty" in body
    if "exports.summary" in app.view_functions:
        assert "Checklist and Executive Summary</a>" in page.get_data(as_text=True)
    missing = client_for(app, cast, "approver").post(f"/assessments/{aid}/sign-off/approve",
                                                     data={"submission": submission_for(app, aid)})
    assert "Confirm that you have read" in text_of(missing) and 'href="#declaration"' in missing.get_data(as_text=True)
    assert status(app, aid)[0] == wf.SUBMITTED
    # Nobody else can open it.
    assert client_for(app, cast, "owner").get(f"/assessments/{aid}/sign-off").status_code == 403
    assert client_for(app, cast, "other_approver").get(f"/assessments/{aid}/sign-off").status_code == 404


def submission_for(app, aid: int) -> str:
    with app.app_context():
        return submission_of(aid)


def test_a_stale_sign_off_page_changes_nothing(app, cast):
    aid = setup_state(app, wf.SUBMITTED)
    response = client_for(app, cast, "approver").post(f"/assessments/{aid}/sign-off/approve",
                                                      data={"declaration": "y", "submission": "2000-01-01T00:00:00"})
    assert response.status_code == 409 and "submitted again since you opened it" in text_of(response)
    assert status(app, aid)[0] == wf.SUBMITTED


def test_comments_on_rows_are_shown_to_the_authors_beside_those_rows(app, cast):
    aid = setup_state(app, wf.SUBMITTED)
    with app.app_context():
        row = first_row("economy", aid)
    approver = client_for(app, cast, "approver")
    page = approver.get(f"/assessments/{aid}/sign-off/request-changes")
    field = f"row-section-economy-{row}"
    assert f'id="{field}"' in page.get_data(as_text=True)
    nothing = approver.post(f"/assessments/{aid}/sign-off/request-changes",
                            data={"submission": submission_for(app, aid)})
    assert "Enter what needs to change" in text_of(nothing)
    sent = approver.post(f"/assessments/{aid}/sign-off/request-changes", data={
        "submission": submission_for(app, aid), "comment": "See my comment on the row.",
        field: "Say which bus routes <b>are</b> affected."})
    assert sent.status_code == 302
    assert status(app, aid)[0] == wf.CHANGES_REQUESTED
    owner = client_for(app, cast, "owner")
    section = owner.get(f"/assessments/{aid}/sections/economy").get_data(as_text=True)
    first_heading = section.index('id="rows-0-heading"')
    second_row = section.index('id="rows-1"')
    comment_at = section.index("Say which bus routes")
    assert first_heading < comment_at < second_row  # beside the row it is about
    assert "<b>are</b>" not in section  # escaped or cleaned, never raw
    assert "Comment from Ann Approver" in section and "Reply or mark as resolved" in section
    task_list = text_of(owner.get(f"/assessments/{aid}"))
    assert "Changes requested" in task_list and "See my comment on the row." in task_list
    assert "Open comments (1)" in task_list and "Economy: " in task_list  # named by its section and row
    with app.app_context():
        from cia.models import ReviewComment

        comment_id = db.session.execute(select(ReviewComment.id)).scalar_one()
    confirm = owner.get(f"/assessments/{aid}/comments/{comment_id}/resolve")  # to the thread's button
    assert confirm.status_code == 302 and confirm.headers["Location"].endswith(f"/comments/{comment_id}#resolve")
    resolved = owner.post(f"/assessments/{aid}/comments/{comment_id}/resolve", data={"revision": "1"})
    assert resolved.status_code == 302 and resolved.headers["Location"].endswith(f"/comments/{comment_id}")
    section = text_of(owner.get(f"/assessments/{aid}/sections/economy"))
    assert "Resolved by Olivia Owner" in section
    assert client_for(app, cast, "admin").post(
        f"/assessments/{aid}/comments/{comment_id}/resolve", data={}).status_code == 403


def _edit_routes(app) -> list[tuple[str, str]]:
    """Every route of the authoring pages that takes a POST about one assessment."""
    out = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("assessments.") or "POST" not in rule.methods:
            continue
        if "assessment_id" not in rule.arguments or not rule.arguments <= {"assessment_id", "key"}:
            continue
        if rule.endpoint == "assessments.questions":
            continue  # this template's sections ask no questions: see test_question_sections.py
        out.append((rule.endpoint, rule.rule))
    return out


@pytest.mark.parametrize("state", [wf.SUBMITTED, wf.APPROVED])
def test_a_frozen_revision_cannot_be_changed_through_any_route(app, cast, state):
    aid = setup_state(app, state)
    with app.app_context():
        before = {p.part: (p.data, p.version) for p in db.session.execute(
            select(RevisionPart).where(RevisionPart.revision_id == current(aid).id)).scalars()}
    routes = _edit_routes(app)
    assert len(routes) >= 7, routes
    for role in ("owner", "collaborator"):
        client = client_for(app, cast, role)
        for endpoint, rule in routes:
            url = rule.replace("<int:assessment_id>", str(aid)).replace("<key>", "economy")
            response = client.post(url, data={"version": "1", "submit": "continue", "name": "Changed",
                                              "finding_key": "x", "reason": "Because"})
            assert response.status_code == 409, (endpoint, response.status_code)
            assert "cannot be changed" in text_of(response), endpoint
    with app.app_context():
        after = {p.part: (p.data, p.version) for p in db.session.execute(
            select(RevisionPart).where(RevisionPart.revision_id == current(aid).id)).scalars()}
    assert after == before


def test_reopen_keeps_the_approved_revision_readable(app, cast):
    aid = setup_state(app, wf.APPROVED)
    owner = client_for(app, cast, "owner")
    confirm = owner.get(f"/assessments/{aid}/reopen")
    assert "Are you sure you want to reopen" in text_of(confirm)
    assert owner.post(f"/assessments/{aid}/reopen", data={"revision": "1"}).status_code == 302
    assert status(app, aid) == (wf.DRAFT, 2)
    replay = owner.post(f"/assessments/{aid}/reopen", data={"revision": "1"})
    assert replay.status_code == 200 and "already been reopened" in text_of(replay)
    assert status(app, aid) == (wf.DRAFT, 2) and count(app, "workflow.reopen") == 1
    old = owner.get(f"/assessments/{aid}/revisions/1/view")
    assert old.status_code == 200 and "revision 1" in text_of(old)
    # The approver who signed off revision 1 can still read it.
    assert client_for(app, cast, "approver").get(f"/assessments/{aid}/revisions/1/view").status_code == 200
    # The new revision is editable; revision 1 is not.
    assert owner.get(f"/assessments/{aid}/details").status_code == 200
    task_list = text_of(owner.get(f"/assessments/{aid}"))
    assert "Read revision 1" in task_list and "Compare revisions" in task_list


def test_history_lists_every_event_newest_first_in_plain_english(app, cast):
    aid = setup_state(app, wf.DRAFT)
    owner = client_for(app, cast, "owner")
    with app.app_context():
        from cia.models import User

        revision = current(aid)
        details = assessments.load_part(revision, "details")
        details.data.decision_route = "committee"
        assert assessments.save_part(revision, "details", details.data, details.version,
                                     db.session.get(User, cast.ids["owner"])).ok
        db.session.commit()
    owner.post(f"/assessments/{aid}/submit/confirm", data={"revision": "1", "approvers": [cast.ids["approver"]]})
    page = text_of(owner.get(f"/assessments/{aid}/history"))
    submitted = page.index("Submitted it for sign-off to Ann Approver")
    changed = page.index("Changed Proposal details")
    imported = page.index("Imported the assessment")
    assert submitted < changed < imported
    # The change reads as the template words the routes, not as the keys stored.
    assert "Decision route" in page and "Cabinet" in page and "Committee" in page
    assert "cabinet" not in page and "committee" not in page
    assert client_for(app, cast, "outsider").get(f"/assessments/{aid}/history").status_code == 404


def test_compare_revisions_shows_every_kind_of_change_word_by_word(app, cast):
    aid = setup_state(app, wf.APPROVED, small=False)
    owner = client_for(app, cast, "owner")
    owner.post(f"/assessments/{aid}/reopen", data={"revision": "1"})
    with app.app_context():
        from cia.domain import Mitigation, Risk, RowAnswer
        from cia.models import User

        user = db.session.get(User, cast.ids["owner"])
        revision = current(aid)
        loaded = assessments.load_part(revision, "section:economy")
        rows = loaded.data.rows
        row = next(r for r in rows if r.risks and len(r.risks[0].mitigations) > 1)
        row.groups = row.groups.replace("For", "Mainly for", 1)
        removed_mitigation = row.risks[0].mitigations.pop()
        row.risks.append(Risk(text="Fewer buses on Sundays.", mitigations=[Mitigation(text="Talk to operators.")]))
        rows.append(RowAnswer(key="own-new", custom=True, title="Night-time economy", impact="yes",
                              groups="Bar staff"))
        own = next((r for r in rows if r.custom and r.key != "own-new"), None)
        if own:
            rows.remove(own)
        assert assessments.save_part(revision, "section:economy", loaded.data, loaded.version, user).ok
        db.session.commit()
    page = owner.get(f"/assessments/{aid}/compare?from=1&to=2")
    html = page.get_data(as_text=True)
    body = text_of(page)
    assert page.status_code == 200 and "What changed from revision 1 to revision 2" in body
    assert '<del class="app-diff-removed"><span class="govuk-visually-hidden">[removed: </span>For' in html
    assert '<ins class="app-diff-added"><span class="govuk-visually-hidden">[added: </span>Mainly for' in html
    assert "(risk added)" in body and "Fewer buses on Sundays." in body
    assert "(mitigation removed)" in body and removed_mitigation.text[:30] in body
    assert "Night-time economy (row added)" in body
    bad = owner.get(f"/assessments/{aid}/compare?from=7&to=2")
    assert bad.status_code == 400 and "Choose a revision from 1 to 2" in text_of(bad)


def test_every_sign_off_page_asks_anonymous_people_to_sign_in(app, cast):
    aid = setup_state(app, wf.SUBMITTED)
    client = app.test_client()
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("review.")]
    assert len(rules) >= 15
    for rule in rules:
        url = rule.rule.replace("<int:assessment_id>", str(aid)).replace("<int:comment_id>", "1")
        url = url.replace("<int:notification_id>", "1")
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], (rule.rule, method)


def test_an_approver_of_an_earlier_revision_can_still_read_but_not_decide(app, cast):
    aid = setup_state(app, wf.APPROVED)
    client_for(app, cast, "owner").post(f"/assessments/{aid}/reopen", data={"revision": "1"})
    page = client_for(app, cast, "approver").get(f"/assessments/{aid}/sign-off")
    # They read the revision they signed off, not the new draft (docs/decisions/0012-who-reads-which-revision.md).
    assert page.status_code == 200 and "You signed off this revision on" in text_of(page)
    assert f'action="/assessments/{aid}/sign-off/approve"' not in page.get_data(as_text=True)


def test_following_a_notification_reads_it_and_everyone_sees_who_is_signed_in(app, cast):
    aid = setup_state(app, wf.DRAFT)
    owner = client_for(app, cast, "owner")
    owner.post(f"/assessments/{aid}/submit/confirm", data={"revision": "1", "approvers": [cast.ids["approver"]]})
    approver = client_for(app, cast, "approver")
    home = text_of(approver.get("/"))
    assert "Signed in as Ann Approver" in home and "Notifications (1 unread" in home
    page = approver.get("/assessments/notifications").get_data(as_text=True)
    link = re.search(r'href="(/assessments/notifications/\d+)"', page).group(1)
    opened = approver.get(link)
    assert opened.status_code == 302 and f"/assessments/{aid}" in opened.headers["Location"]
    assert "Notifications (0 unread" in text_of(approver.get("/"))
    # Someone else's notification is not theirs to open.
    assert owner.get(link).status_code == 404
    assert approver.get("/assessments/notifications/999999").status_code == 404
