"""The review conversation through the pages: an approver comments on a row with its answer beside the box,
the authors reply, either side resolves or reopens, the task list lists open comments, the authors say what
changed when they resubmit, and the approver sees the changes since and signs off from there. Bad input
gets a clear message and loses nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from cia import workflow as wf
from cia.data.workflow import MAX_COMMENT
from cia.extensions import db
from cia.models import (
    AuditEvent,
    EmailOutbox,
    Notification,
    ReviewComment,
    ReviewReply,
    ReviewRound,
    RevisionPart,
)
from tests.integration.test_workflow_routes import text_of
from tests.workflow_helpers import current, first_row, in_state, make_cast, signed_in_client, submission_of


@pytest.fixture
def world(app):
    """A submitted assessment, its cast, and a client for each of them."""
    with app.app_context():
        cast = make_cast()
        aid = in_state(cast, wf.SUBMITTED)
        row = first_row("economy", aid)
        spec_title = current(aid).template_version.sections  # loaded for the row's title below
        title = next(a.title for s in spec_title if s.key == "economy" for a in s.category_areas if a.key == row)
        emails = {role: getattr(cast, role).email for role in ("owner", "collaborator", "approver", "admin",
                                                                 "other_approver")}
    clients = {role: signed_in_client(app, email) for role, email in emails.items()}
    return type("World", (), {"aid": aid, "row": row, "title": title, "clients": clients})


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def _audit(app, action: str) -> list[dict]:
    with app.app_context():
        return [e.details for e in db.session.execute(select(AuditEvent).where(AuditEvent.action == action)
                                                      .order_by(AuditEvent.id)).scalars()]


def _comment(world, text: str = "Say which bus routes are affected."):
    return world.clients["approver"].post(f"/assessments/{world.aid}/comments/new", data={
        "part": "section:economy", "row": world.row, "text": text})


def _thread_id(app) -> int:
    with app.app_context():
        return db.session.execute(select(ReviewComment.id).order_by(ReviewComment.id.desc())).scalars().first()


def test_an_approver_comments_on_a_row_with_the_row_shown_beside_the_box(app, world):
    page = world.clients["approver"].get(f"/assessments/{world.aid}/sign-off").get_data(as_text=True)
    link = f"/assessments/{world.aid}/comments/new?part=section%3Aeconomy&amp;row={world.row}"
    assert link in page and "Comment on this" in page
    form = world.clients["approver"].get(link.replace("&amp;", "&"))
    text = text_of(form)
    assert form.status_code == 200 and f"Comment on Economy: {world.title}" in text
    assert "The row as it is now" in text and "Your comment" in text
    response = _comment(world)
    assert response.status_code == 302
    thread = world.clients["approver"].get(response.headers["Location"])
    assert "Your comment on Economy" in text_of(thread) and "Say which bus routes are affected." in text_of(thread)
    # named wherever it is listed, and the authors are told (in the service and by e-mail)
    assert f"Economy: {world.title}" in text_of(world.clients["approver"].get(f"/assessments/{world.aid}/sign-off"))
    assert _count(app, Notification, Notification.text.contains(f"commented on Economy: {world.title}")) == 2
    assert _count(app, EmailOutbox, EmailOutbox.subject.startswith("New comment: ")) == 2
    assert _count(app, EmailOutbox, EmailOutbox.body.contains("Say which bus routes are affected.")) == 2
    (added,) = _audit(app, "workflow.comment_added")
    assert added["row"] == world.row and added["about"] == f"Economy: {world.title}"


def test_authors_reply_either_side_resolves_and_reopens_and_the_other_side_is_told(app, world):
    _comment(world)
    cid = _thread_id(app)
    reply = world.clients["owner"].post(f"/assessments/{world.aid}/comments/{cid}",
                                        data={"text": "They are routes 12 and 14."})
    assert reply.status_code == 302
    assert _count(app, Notification, Notification.text.contains("replied to a comment")) == 1  # the approver
    answered = world.clients["approver"].post(f"/assessments/{world.aid}/comments/{cid}",
                                              data={"text": "Thanks: add them to the row."})
    assert answered.status_code == 302
    page = text_of(world.clients["collaborator"].get(f"/assessments/{world.aid}/comments/{cid}"))
    assert page.index("Say which bus routes") < page.index("routes 12 and 14") < page.index("add them to the row")
    assert world.clients["collaborator"].post(f"/assessments/{world.aid}/comments/{cid}/resolve").status_code == 302
    assert "Resolved" in text_of(world.clients["approver"].get(f"/assessments/{world.aid}/comments/{cid}"))
    again = world.clients["owner"].post(f"/assessments/{world.aid}/comments/{cid}/resolve", follow_redirects=True)
    assert "This comment had already been marked as resolved" in text_of(again)
    assert world.clients["approver"].post(f"/assessments/{world.aid}/comments/{cid}/reopen").status_code == 302
    assert "Open" in text_of(world.clients["owner"].get(f"/assessments/{world.aid}/comments/{cid}"))
    actions = [a for a in ("workflow.comment_added", "workflow.comment_replied", "workflow.comment_resolved",
                           "workflow.comment_reopened") for _ in _audit(app, a)]
    assert actions == ["workflow.comment_added", "workflow.comment_replied", "workflow.comment_replied",
                       "workflow.comment_resolved", "workflow.comment_reopened"]
    history = text_of(world.clients["owner"].get(f"/assessments/{world.aid}/history"))
    assert "Replied to a comment" in history and f"On Economy: {world.title}: They are routes 12 and 14." in history


def test_the_task_list_lists_open_comments_with_links_to_them(app, world):
    _comment(world)
    cid = _thread_id(app)
    page = world.clients["owner"].get(f"/assessments/{world.aid}").get_data(as_text=True)
    assert "Open comments (1)" in page
    assert f'href="/assessments/{world.aid}/comments/{cid}">Economy: {world.title}</a>' in page
    world.clients["owner"].post(f"/assessments/{world.aid}/comments/{cid}/resolve")
    assert "Open comments" not in text_of(world.clients["owner"].get(f"/assessments/{world.aid}"))


def _ask_for_changes(app, world):
    with app.app_context():
        submission = submission_of(world.aid)
    response = world.clients["approver"].post(f"/assessments/{world.aid}/sign-off/request-changes",
                                              data={"comment": "", "submission": submission})
    assert response.status_code == 302  # the open comment says what needs to change
    with app.app_context():
        assert current(world.aid).status == wf.CHANGES_REQUESTED


def _change_the_row(app, world, words: str) -> None:
    with app.app_context():
        part = db.session.execute(select(RevisionPart).where(
            RevisionPart.revision_id == current(world.aid).id, RevisionPart.part == "section:economy")).scalar_one()
        data = dict(part.data)
        data["rows"] = [dict(r, groups=words) if r.get("key") == world.row else r for r in data["rows"]]
        part.data, part.version = data, part.version + 1
        db.session.commit()


def test_resubmitting_asks_what_changed_and_the_approver_sees_only_the_changes_then_signs_off(app, world):
    _comment(world)
    _ask_for_changes(app, world)
    _change_the_row(app, world, "Bus users on routes 12 and 14, mostly older people.")
    owner = world.clients["owner"]
    with app.app_context():
        approver_id = make_cast().approver.id
    form = owner.get(f"/assessments/{world.aid}/submit")
    assert "What has changed" in text_of(form)
    nothing = owner.post(f"/assessments/{world.aid}/submit", data={"revision": "1", "approvers": [approver_id]})
    assert "Enter what has changed since the approvers asked for changes" in text_of(nothing)
    confirm = owner.post(f"/assessments/{world.aid}/submit", data={
        "revision": "1", "approvers": [approver_id], "what_changed": "Named the bus routes in the Economy row."})
    assert "Named the bus routes" in text_of(confirm)
    with app.app_context():
        assert current(world.aid).status == wf.CHANGES_REQUESTED  # nothing sent yet
    empty = owner.post(f"/assessments/{world.aid}/submit/confirm", data={"revision": "1", "approvers": [approver_id]})
    assert "Enter what has changed" in text_of(empty)
    with app.app_context():
        assert current(world.aid).status == wf.CHANGES_REQUESTED
    sent = owner.post(f"/assessments/{world.aid}/submit/confirm", data={
        "revision": "1", "approvers": [approver_id], "what_changed": "Named the bus routes in the Economy row."})
    assert sent.status_code == 302
    assert _count(app, ReviewRound) == 2
    (_, second) = _audit(app, "workflow.submit")
    assert second["what_changed"] == "Named the bus routes in the Economy row."
    approver = world.clients["approver"]
    assert "Changes since you reviewed" in text_of(approver.get(f"/assessments/{world.aid}/sign-off"))
    page = approver.get(f"/assessments/{world.aid}/sign-off/changes")
    text = text_of(page)
    assert page.status_code == 200 and "Named the bus routes in the Economy row." in text
    assert "routes 12 and 14, mostly older people" in text and f"Economy: {world.title}" in text
    assert "1 changed, 0 added, 0 removed" in text  # only what changed, not the whole assessment
    assert "Say which bus routes are affected." in text  # the thread
    submission = re.search(r'name="submission"[^>]*value="([^"]*)"', page.get_data(as_text=True)).group(1)
    signed = approver.post(f"/assessments/{world.aid}/sign-off/approve",
                           data={"declaration": "y", "comment": "", "submission": submission})
    assert signed.status_code == 302
    with app.app_context():
        assert current(world.aid).status == wf.APPROVED


def test_the_changes_page_before_any_resubmission_says_there_is_nothing_to_compare(app, world):
    page = world.clients["approver"].get(f"/assessments/{world.aid}/sign-off/changes")
    assert page.status_code == 200 and "there are no changes to show" in text_of(page)


# --- bad input ---------------------------------------------------------------------------------


def test_an_empty_or_too_long_comment_is_refused_with_a_message_and_what_was_typed_is_kept(app, world):
    empty = _comment(world, "   ")
    assert empty.status_code == 400 and "Enter your comment" in text_of(empty)
    long = "x" * (MAX_COMMENT + 1)
    too_long = _comment(world, long)
    assert too_long.status_code == 400 and f"Your comment must be {MAX_COMMENT:,} characters or fewer" in text_of(too_long)
    assert long in too_long.get_data(as_text=True)  # kept in the box
    assert _count(app, ReviewComment) == 0
    _comment(world)
    cid = _thread_id(app)
    blank = world.clients["owner"].post(f"/assessments/{world.aid}/comments/{cid}", data={"text": ""})
    assert blank.status_code == 400 and "Enter your reply" in text_of(blank)
    assert _count(app, ReviewReply) == 0


def test_commenting_on_a_row_or_question_that_is_not_there_is_refused(app, world):
    for query in ("part=section%3Aeconomy&row=no-such-row", "part=section%3Anowhere", "part=questions%3Aeconomy",
                  "part=secrets", "part=details&row=x", "part=section%3Aeconomy&question=nothing"):
        response = world.clients["approver"].get(f"/assessments/{world.aid}/comments/new?{query}")
        assert response.status_code == 404, query
        assert "There is no such question, row or item in this assessment" in text_of(response)
    posted = world.clients["approver"].post(f"/assessments/{world.aid}/comments/new",
                                            data={"part": "section:economy", "row": "no-such-row", "text": "Hello"})
    assert posted.status_code == 404 and _count(app, ReviewComment) == 0


def test_authors_cannot_start_a_comment_only_reply(app, world):
    for role in ("owner", "collaborator"):
        page = world.clients[role].get(f"/assessments/{world.aid}/comments/new?part=details")
        assert page.status_code == 403
        assert "Only an approver asked to sign off this assessment can start a comment" in text_of(page)
        posted = world.clients[role].post(f"/assessments/{world.aid}/comments/new",
                                          data={"part": "details", "text": "Looks fine to me"})
        assert posted.status_code == 403
    assert _count(app, ReviewComment) == 0
    _comment(world)
    cid = _thread_id(app)
    refused = world.clients["admin"].post(f"/assessments/{world.aid}/comments/{cid}", data={"text": "Admin here"})
    assert refused.status_code == 403 and _count(app, ReviewReply) == 0


def test_replying_to_another_assessments_thread_is_not_found(app, world):
    _comment(world)
    cid = _thread_id(app)
    with app.app_context():
        cast = make_cast()
        other = in_state(cast, wf.DRAFT, name="Another proposal")
    for url in (f"/assessments/{other}/comments/{cid}", f"/assessments/{other}/comments/{cid}/resolve",
                f"/assessments/{other}/comments/{cid}/reopen"):
        response = world.clients["owner"].post(url, data={"text": "Wrong place"})
        assert response.status_code == 404, url
    assert _count(app, ReviewReply) == 0
    with app.app_context():
        assert db.session.get(ReviewComment, cid).resolved_at is None


def test_a_comment_without_its_security_token_is_refused_and_nothing_is_kept(app, world):
    from tests.conftest import make_app

    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    with csrf_app.app_context():
        from cia.data import users

        session_id = users.start_session(users.by_email(make_cast().approver.email), "127.0.0.1").id
        db.session.commit()
    client = csrf_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = session_id, True
    response = client.post(f"/assessments/{world.aid}/comments/new",
                           data={"part": "section:economy", "row": world.row, "text": "No token"})
    assert response.status_code == 400
    assert _count(app, ReviewComment) == 0
