"""Bad input to every form of the sign-off workflow: generated data never gives a 500; a refusal
explains itself (the error summary, or the "This cannot be done now" page for a stale request) and
changes nothing that was saved; what is accepted does exactly what was asked, never part of it.

The forms: choose approvers, confirm the submission, sign off, request changes (a general comment and
one per row), withdraw, reopen, resolve a comment, mark notifications as read; and the filters and
selectors sent in the address: all assessments, the audit search, compare revisions, and the page
number of every list.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from cia import richtext
from cia import workflow as wf
from cia.data.workflow import MAX_COMMENT
from cia.extensions import db
from cia.models import (
    ApprovalRequest,
    Assessment,
    AuditEvent,
    EmailOutbox,
    Notification,
    ReviewComment,
    Revision,
    RevisionPart,
)
from tests.conftest import make_app
from tests.integration.bad_input_support import (
    FORGED,
    HOSTILE,
    ODD_NUMBERS,
    TEXT,
    assert_explained,
    assert_forgery_refused,
    assert_never_broken,
    examples,
    hostile_post,
    pick,
    post_urls,
)
from tests.workflow_helpers import in_state, make_cast, signed_in_client, submission_of

REFUSALS = ("access.refused", "workflow.refused")  # a refusal is recorded on purpose


@pytest.fixture
def cast(app):
    with app.app_context():
        made = make_cast()
        return {role: (getattr(made, role).id, getattr(made, role).email)
                for role in ("owner", "collaborator", "approver", "second_approver", "other_approver", "admin",
                             "outsider")}


def client_for(app, cast, role: str):
    return signed_in_client(app, cast[role][1])


def fresh(app, state: str) -> int:
    """A new assessment in `state` (approver: Ann Approver), so that every example starts alike."""
    with app.app_context():
        return in_state(make_cast(), state)


def saved(app, aid: int) -> dict:
    """Everything a sign-off form can change about an assessment (refusal audit rows aside)."""
    with app.app_context():
        db.session.expire_all()
        revisions = db.session.execute(select(Revision.id, Revision.number, Revision.status, Revision.submitted_at,
                                              Revision.approved_at).where(Revision.assessment_id == aid)
                                       .order_by(Revision.id)).all()
        ids = [r.id for r in revisions]
        return {
            "current": db.session.get(Assessment, aid).current_revision_id,
            "revisions": revisions,
            "parts": db.session.execute(select(RevisionPart.revision_id, RevisionPart.part, RevisionPart.version)
                                        .where(RevisionPart.revision_id.in_(ids)).order_by(RevisionPart.id)).all(),
            "requests": db.session.execute(select(ApprovalRequest.approver_id, ApprovalRequest.decision,
                                                  ApprovalRequest.comment, ApprovalRequest.decided_at)
                                           .where(ApprovalRequest.assessment_id == aid)
                                           .order_by(ApprovalRequest.id)).all(),
            "comments": db.session.execute(select(ReviewComment.id, ReviewComment.part, ReviewComment.row_key,
                                                  ReviewComment.text, ReviewComment.resolved_at)
                                           .where(ReviewComment.assessment_id == aid).order_by(ReviewComment.id)).all(),
            "audit": db.session.execute(select(AuditEvent.id, AuditEvent.action)
                                        .where(AuditEvent.action.not_in(REFUSALS)).order_by(AuditEvent.id)).all(),
            "notifications": db.session.execute(select(Notification.id, Notification.read_at)
                                                .order_by(Notification.id)).all(),
            "emails": db.session.execute(select(EmailOutbox.id).order_by(EmailOutbox.id)).scalars().all(),
        }


def new_audit(before: dict, after: dict) -> list[str]:
    return [action for _, action in after["audit"][len(before["audit"]):]]


def clean(text: str | None) -> str:
    """A comment as the forms keep it."""
    return richtext.clean(text).strip() if text else ""


def assert_refused(app, aid: int, response, before: dict) -> None:
    """Refused: the error summary (200, 400), or the page saying why it cannot be done now (409);
    nothing saved has changed."""
    body = response.get_data(as_text=True)
    if response.status_code == 409:
        assert "This cannot be done now" in body and re.search(r'<p class="govuk-body">[^<]{10,}\.</p>', body)
    else:
        assert_explained(response)
    assert saved(app, aid) == before, "a refused request changed saved data"


def ids_strategy(cast, *roles: str):
    """Values for an approver checkbox: ids of people (eligible or not) and odd values."""
    return st.one_of(st.sampled_from([str(cast[r][0]) for r in roles]), st.sampled_from(ODD_NUMBERS), HOSTILE)


ELIGIBLE = ("approver", "second_approver", "other_approver")


# --- submit for sign-off ---------------------------------------------------------------------------------


@examples(10)
@given(data=st.data())
def test_choosing_approvers_shows_the_choice_or_refuses_with_a_message(app, cast, data):
    aid = fresh(app, wf.DRAFT)
    chosen = data.draw(st.lists(ids_strategy(cast, *ELIGIBLE, "owner", "admin"), max_size=3), label="approvers")
    post = hostile_post(data, {"revision": "1"}, max_changes=1)
    post.pairs += [("approvers", v) for v in chosen]
    before = saved(app, aid)
    response = client_for(app, cast, "owner").post(f"/assessments/{aid}/submit", data=post.body())
    assert_never_broken(response, (200,))
    chosen = [v for k, v in post.pairs if k == "approvers"]  # as sent
    eligible = {str(cast[r][0]): cast[r][1] for r in ELIGIBLE}
    body = response.get_data(as_text=True)
    if chosen and all(v in eligible for v in chosen):
        assert "Are you sure you want to submit" in body and "govuk-error-summary" not in body
        assert {e for e in eligible.values() if e in body} == {eligible[v] for v in chosen}
        assert saved(app, aid) == before
    else:
        assert_refused(app, aid, response, before)


@examples(10)
@given(data=st.data())
def test_confirming_the_submission_sends_it_to_those_chosen_or_refuses_with_a_message(app, cast, data):
    aid = fresh(app, wf.DRAFT)
    chosen = data.draw(st.lists(ids_strategy(cast, *ELIGIBLE, "owner", "collaborator"), min_size=0, max_size=3),
                       label="approvers")
    revision = data.draw(st.one_of(st.just("1"), st.just("1"), st.sampled_from(ODD_NUMBERS), HOSTILE), label="revision")
    post = hostile_post(data, {"revision": revision}, max_changes=0)
    post.pairs += [("approvers", v) for v in chosen]
    before = saved(app, aid)
    response = client_for(app, cast, "owner").post(f"/assessments/{aid}/submit/confirm", data=post.body())
    assert_never_broken(response, (200, 302, 409))
    eligible = {str(cast[r][0]) for r in ELIGIBLE}
    chosen = [v for k, v in post.pairs if k == "approvers"]  # as sent
    if post.first("revision") == "1" and chosen and all(v in eligible for v in chosen):
        assert response.status_code == 302
        after = saved(app, aid)
        assert after["revisions"][-1].status == wf.SUBMITTED
        assert sorted(r.approver_id for r in after["requests"]) == sorted({int(v) for v in chosen})
        assert new_audit(before, after) == ["workflow.submit"]
    else:
        assert_refused(app, aid, response, before)


# --- the approvers' decisions ---------------------------------------------------------------------------


@examples(12)
@given(data=st.data())
def test_signing_off_records_what_was_typed_or_refuses_with_a_message(app, cast, data):
    aid = fresh(app, wf.SUBMITTED)
    with app.app_context():
        submission = submission_of(aid)
    fields = {"declaration": data.draw(st.one_of(st.sampled_from(["y", "", "false"]), HOSTILE), label="declaration"),
              "comment": data.draw(st.one_of(TEXT, HOSTILE), label="comment"), "submission": submission}
    post = hostile_post(data, fields, max_changes=1)
    before = saved(app, aid)
    response = client_for(app, cast, "approver").post(f"/assessments/{aid}/sign-off/approve", data=post.body())
    assert_never_broken(response, (200, 302, 409))
    comment = clean(post.first("comment"))
    valid = (post.first("declaration") not in (None, "", "false") and len(comment) <= MAX_COMMENT
             and post.first("submission") == submission)
    if not valid:
        assert_refused(app, aid, response, before)
        return
    assert response.status_code == 302, response.status_code
    after = saved(app, aid)
    assert after["revisions"][-1].status == wf.APPROVED
    assert [(r.decision, r.comment) for r in after["requests"]] == [("approved", comment)]
    assert new_audit(before, after) == ["workflow.approve"]


@examples(12)
@given(data=st.data())
def test_requesting_changes_keeps_every_comment_as_typed_or_refuses_with_a_message(app, cast, data):
    aid = fresh(app, wf.SUBMITTED)
    approver = client_for(app, cast, "approver")
    html = approver.get(f"/assessments/{aid}/sign-off/request-changes").get_data(as_text=True)
    rows = re.findall(r'<textarea[^>]*name="(row-[^"]+)"', html)
    with app.app_context():
        submission = submission_of(aid)
    fields = {"comment": "", "submission": submission, **dict.fromkeys(rows, "")}
    post = hostile_post(data, fields, max_changes=4, values=data.draw(st.sampled_from([TEXT, HOSTILE]), label="values"))
    before = saved(app, aid)
    response = approver.post(f"/assessments/{aid}/sign-off/request-changes", data=post.body())
    assert_never_broken(response, (200, 302, 409))
    general = clean(post.first("comment"))
    typed = {row: clean(post.first(row)) for row in rows}
    valid = (post.first("submission") == submission and len(general) <= MAX_COMMENT
             and all(len(t) <= MAX_COMMENT for t in typed.values()) and (general or any(typed.values())))
    if not valid:
        assert_refused(app, aid, response, before)
        return
    assert response.status_code == 302, response.status_code
    after = saved(app, aid)
    assert after["revisions"][-1].status == wf.CHANGES_REQUESTED
    assert [(r.decision, r.comment) for r in after["requests"]] == [("changes_requested", general)]
    kept = [(c.part, c.row_key, c.text) for c in after["comments"]]
    assert [text for *_, text in kept] == [t for t in typed.values() if t], "a comment on a row was lost or changed"
    assert all(row == re.sub(r"[^A-Za-z0-9_-]", "-", f"row-{part}-{key}") for (part, key, _), row in
               zip(kept, [r for r, t in typed.items() if t], strict=True))
    assert new_audit(before, after) == ["workflow.request_changes"]


# --- withdraw, reopen, resolve a comment: a button (and the revision the person saw) ---------------------


def _button(app, cast, data, state: str, path: str, role: str = "owner"):
    aid = fresh(app, state)
    with app.app_context():
        comment_id = db.session.execute(select(ReviewComment.id).where(ReviewComment.assessment_id == aid)).scalar()
    revision = data.draw(st.one_of(st.just("1"), st.sampled_from(ODD_NUMBERS), HOSTILE), label="revision")
    post = hostile_post(data, {"revision": revision}, max_changes=1)
    before = saved(app, aid)
    response = client_for(app, cast, role).post(f"/assessments/{aid}/{path.format(comment=comment_id)}",
                                                data=post.body())
    assert_never_broken(response, (200, 302, 409))
    return aid, before, response


@examples(6)
@given(data=st.data())
def test_withdrawing_withdraws_or_refuses_with_a_message(app, cast, data):
    aid, before, response = _button(app, cast, data, wf.SUBMITTED, "withdraw")
    assert response.status_code == 302  # nothing to type: any request from the team withdraws it
    after = saved(app, aid)
    assert after["revisions"][-1].status == wf.WITHDRAWN and new_audit(before, after) == ["workflow.withdraw"]


@examples(6)
@given(data=st.data())
def test_reopening_starts_one_new_revision_or_refuses_with_a_message(app, cast, data):
    aid, before, response = _button(app, cast, data, wf.APPROVED, "reopen")
    assert response.status_code == 302
    after = saved(app, aid)
    assert [(r.number, r.status) for r in after["revisions"]] == [(1, wf.APPROVED), (2, wf.DRAFT)]
    assert {p.part for p in after["parts"] if p.revision_id == after["current"]} == {
        p.part for p in before["parts"]}, "the new revision is not a copy of the approved one"
    assert new_audit(before, after) == ["workflow.reopen"]


@examples(6)
@given(data=st.data())
def test_resolving_a_comment_resolves_that_comment_only(app, cast, data):
    aid, before, response = _button(app, cast, data, wf.CHANGES_REQUESTED, "comments/{comment}/resolve")
    assert response.status_code == 302
    after = saved(app, aid)
    assert [c.resolved_at is not None for c in after["comments"]] == [True]
    assert new_audit(before, after) == ["workflow.comment_resolved"]


# --- notifications ---------------------------------------------------------------------------------------


@examples(10)
@given(data=st.data())
def test_marking_a_notification_as_read_marks_what_was_asked_or_refuses_with_a_message(app, cast, data):
    aid = fresh(app, wf.SUBMITTED)  # Ann Approver is told, so she has an unread notification
    with app.app_context():
        mine = db.session.execute(select(Notification.id).where(Notification.user_id == cast["approver"][0],
                                                                Notification.read_at.is_(None))).scalars().all()
        theirs = db.session.execute(select(Notification.id).where(Notification.user_id != cast["approver"][0])
                                    ).scalars().all()
    kind = data.draw(st.integers(0, 3), label="which kind")
    which = (None if kind == 0 else str(pick(data, mine + theirs, "notification")) if kind == 1
             else data.draw(st.one_of(st.sampled_from(ODD_NUMBERS), HOSTILE), label="notification"))
    post = hostile_post(data, {} if which is None else {"notification": which}, max_changes=0)
    before = saved(app, aid)
    response = client_for(app, cast, "approver").post("/assessments/notifications", data=post.body())
    assert_never_broken(response, (302, 400))
    after = saved(app, aid)
    read = {n.id for n in after["notifications"] if n.read_at} - {n.id for n in before["notifications"] if n.read_at}
    which = post.first("notification")
    if which in (None, ""):
        assert response.status_code == 302 and read == set(mine)
    elif re.fullmatch(r"[0-9]{1,9}", which):  # an id, perhaps of nothing or of someone else's
        assert response.status_code == 302 and read == ({int(which)} & set(mine))
    else:
        assert response.status_code == 400
        assert_refused(app, aid, response, before)


# --- forged and garbled requests -----------------------------------------------------------------------


@pytest.mark.parametrize("state, role", [(wf.DRAFT, "owner"), (wf.SUBMITTED, "approver"), (wf.SUBMITTED, "owner"),
                                         (wf.CHANGES_REQUESTED, "owner"), (wf.APPROVED, "owner")])
def test_every_sign_off_form_refuses_a_forged_or_garbled_request(app, cast, state, role):
    """With the CSRF check on (the tests otherwise turn it off): 400 and the CSRF page, nothing changed."""
    aid = fresh(app, state)
    with app.app_context():
        comment_id = db.session.execute(select(ReviewComment.id).where(ReviewComment.assessment_id == aid)).scalar()
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    urls = post_urls(csrf_app, "review", {"assessment_id": aid, "comment_id": comment_id or 1})
    assert len(urls) >= 8, urls
    client = signed_in_client(csrf_app, cast[role][1])
    before = saved(app, aid)
    for url in urls:
        for request in FORGED:
            assert_forgery_refused(client.post(url, **request))
    assert saved(app, aid) == before


# --- filters and selectors in the address -----------------------------------------------------------------

DATE_PARTS = st.one_of(st.sampled_from(["1", "12", "31", "29", "2", "2026", "9999", "0001", "0", ""]),
                       st.sampled_from(ODD_NUMBERS), HOSTILE)


def _query(data, names: dict[str, st.SearchStrategy]) -> list[tuple[str, str]]:
    chosen = data.draw(st.lists(st.sampled_from(sorted(names)), max_size=len(names)), label="filters")
    return [(name, data.draw(names[name], label=name)) for name in chosen]


FILTERS = {
    "all": ("approver", "/assessments/all", {
        "status": st.one_of(st.sampled_from(list(wf.STATES)), HOSTILE), "directorate": HOSTILE,
        "decision_route": HOSTILE, "q": HOSTILE, "page": st.one_of(st.sampled_from(ODD_NUMBERS), HOSTILE),
        **{f"{end}-{part}": DATE_PARTS for end in ("from", "to") for part in ("day", "month", "year")}}),
    "audit": ("admin", "/assessments/admin/audit", {
        "email": HOSTILE, "reference": HOSTILE, "action": HOSTILE,
        "page": st.one_of(st.sampled_from(ODD_NUMBERS), HOSTILE),
        **{f"{end}-{part}": DATE_PARTS for end in ("from", "to") for part in ("day", "month", "year")}}),
}


@pytest.mark.parametrize("which", list(FILTERS))
@examples(15)
@given(data=st.data())
def test_filters_show_results_or_say_what_is_wrong(app, cast, which, data):
    role, url, names = FILTERS[which]
    client = client_for(app, cast, role)
    response = client.get(url, query_string=_query(data, names))
    assert_never_broken(response, (200, 400))
    if response.status_code == 400:
        assert_explained(response)
    else:
        assert "govuk-error-summary" not in response.get_data(as_text=True)


@pytest.mark.parametrize("which", list(FILTERS))
def test_control_characters_in_a_search_find_nothing_rather_than_break(app, cast, which):
    """PostgreSQL refuses a NUL in a query: every text filter, with text no page sends."""
    role, url, names = FILTERS[which]
    client = client_for(app, cast, role)
    for name in [n for n, strategy in names.items() if strategy is HOSTILE]:
        for value in ("\x00", "a\x00b", "\x1b[2J", "%", "_", "\\", "\u202e"):
            response = client.get(url, query_string={name: value})
            assert response.status_code == 200, (name, value, response.status_code)


@examples(10)
@given(data=st.data())
def test_comparing_revisions_compares_those_asked_for_or_says_which_exist(app, cast, data):
    aid = fresh(app, wf.APPROVED)
    owner = client_for(app, cast, "owner")
    owner.post(f"/assessments/{aid}/reopen", data={"revision": "1"})
    number = st.one_of(st.sampled_from(["1", "2", "3", "0"]), st.sampled_from(ODD_NUMBERS), HOSTILE)
    query = _query(data, {"from": number, "to": number})
    response = owner.get(f"/assessments/{aid}/compare", query_string=query)
    assert_never_broken(response, (200, 400))
    asked = {end: next((v for k, v in query if k == end), "") for end in ("from", "to")}  # the first is read
    if all(asked[end] in ("1", "2", "") for end in ("from", "to")):
        assert response.status_code == 200
    else:
        assert response.status_code == 400
        assert "Choose a revision from 1 to 2" in assert_explained(response)[0]


def test_odd_numbers_never_break_a_page(app, cast):
    """Every list's page number, each selector that takes a number, and each form field that holds an
    id or a revision number, with numbers no form sends (the generated tests may not draw them all)."""
    aid = fresh(app, wf.APPROVED)
    owner = client_for(app, cast, "owner")
    assert owner.post(f"/assessments/{aid}/reopen", data={"revision": "1"}).status_code == 302
    draft = fresh(app, wf.DRAFT)
    gets = [("owner", f"/assessments/{aid}/history?page="), ("approver", "/assessments/awaiting?page="),
            ("admin", "/assessments/admin/outbox?page="), ("approver", "/assessments/notifications?page="),
            ("approver", "/assessments/all?page="), ("admin", "/assessments/admin/audit?page="),
            ("owner", f"/assessments/{aid}/compare?from="), ("owner", f"/assessments/{aid}/compare?to=")]
    posts = [("approver", "/assessments/notifications", "notification"),
             ("owner", f"/assessments/{draft}/submit", "approvers"),
             ("owner", f"/assessments/{draft}/submit/confirm", "approvers"),
             ("owner", f"/assessments/{aid}/reopen", "revision")]
    before = saved(app, draft), saved(app, aid)
    for role, url in gets:
        client = client_for(app, cast, role)
        for value in ODD_NUMBERS:
            response = client.get(url + quote(value))
            assert response.status_code in (200, 400), (url, value, response.status_code)
    for role, url, name in posts:
        client = client_for(app, cast, role)
        for value in ODD_NUMBERS if name != "notification" else [v for v in ODD_NUMBERS if v]:  # none: all
            response = client.post(url, data={name: value, "revision": "1"} if name != "revision" else {name: value})
            assert response.status_code in (200, 302, 400, 409), (url, value, response.status_code)
    assert (saved(app, draft), saved(app, aid)) == before
