"""Who can reach what: every route of the URL map x every kind of user, with the expected answer.

The table below is the specification. A route missing from it fails the test, so a
new route cannot ship without someone deciding who may use it. Answers:
  ok       the page or action is available (2xx, a redirect other than to sign in, or a
           "cannot be changed now" 409 for a state the action does not apply to)
  sign-in  redirected to sign in (anonymous)
  no       refused: 404 for drafts and revisions the user may not see, 403 for a wrong role

Users: anonymous; outsider (an author not on the team); owner; team (a team member given
edit access); approver (assigned to the submitted assessment); other-approver (an approver
not assigned); admin. "draft" routes run against a draft assessment, "submitted" ones
against one submitted to the assigned approver.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from cia.extensions import db
from cia.models import (
    ApprovalRequest,
    Assessment,
    Collaborator,
    Notification,
    ReviewComment,
    Template,
    TemplateVersion,
    User,
    utcnow,
)
from tests.helpers import make_user, sign_in

KINDS = ("anonymous", "outsider", "owner", "team", "approver", "other-approver", "admin")
EMAILS = {"outsider": "other@example.gov.uk", "owner": "author@example.gov.uk", "team": "team@example.gov.uk",
          "approver": "approver@example.gov.uk", "other-approver": "approver2@example.gov.uk",
          "admin": "admin@example.gov.uk"}

OK, SIGN_IN, NO = "ok", "sign-in", "no"


def row(anonymous, outsider, owner, team, approver, other_approver, admin):
    return dict(zip(KINDS, (anonymous, outsider, owner, team, approver, other_approver, admin), strict=True))


PUBLIC = row(OK, OK, OK, OK, OK, OK, OK)
SIGNED_IN = row(SIGN_IN, OK, OK, OK, OK, OK, OK)
TEAM_READS = row(SIGN_IN, NO, OK, OK, NO, NO, OK)  # a draft: its team and administrators
TEAM_EDITS = row(SIGN_IN, NO, OK, OK, NO, NO, NO)  # administrators read everything but only the team edits
SENT_READS = row(SIGN_IN, NO, OK, OK, OK, NO, OK)  # submitted: also the approver it was sent to
APPROVER_ONLY = row(SIGN_IN, NO, NO, NO, OK, NO, NO)
APPROVERS_AND_ADMINS = row(SIGN_IN, NO, NO, NO, OK, OK, OK)
ADMIN_ONLY = row(SIGN_IN, NO, NO, NO, NO, NO, OK)
OWNER_OR_ADMIN = row(SIGN_IN, NO, OK, NO, NO, NO, OK)
APPROVERS = row(SIGN_IN, NO, NO, NO, OK, OK, NO)
PARTICIPANTS = row(SIGN_IN, NO, OK, OK, OK, NO, NO)  # a comment thread's two sides: the team and the approver asked
NOBODY_DIRECTLY = row(SIGN_IN, NO, NO, NO, NO, NO, NO)  # a report shown only right after its action
NOT_CONFIGURED = row(NO, NO, NO, NO, NO, NO, NO)  # council sign-in without its settings (tested in test_oidc_sign_in)

# (endpoint, method, fixture, {url arg: value name}) -> expected row
ACCESS: dict[tuple[str, str], tuple[str, dict, dict]] = {
    ("main.home", "GET"): ("none", {}, SIGNED_IN),
    ("main.accessibility", "GET"): ("none", {}, PUBLIC),
    ("main.healthz", "GET"): ("none", {}, PUBLIC),
    ("main.template", "GET"): ("none", {}, SIGNED_IN),
    ("auth.sign_in", "GET"): ("none", {}, PUBLIC),
    ("auth.sign_out", "POST"): ("none", {}, PUBLIC),
    ("auth.oidc_start", "GET"): ("none", {}, NOT_CONFIGURED),
    ("auth.oidc_callback", "GET"): ("none", {}, NOT_CONFIGURED),
    ("accounts.index", "GET"): ("none", {}, ADMIN_ONLY),
    ("accounts.invite", "GET"): ("none", {}, ADMIN_ONLY),
    ("accounts.account", "GET"): ("none", {"user_id": "account"}, ADMIN_ONLY),
    ("accounts.roles", "GET"): ("none", {"user_id": "account"}, ADMIN_ONLY),
    ("accounts.deactivate", "GET"): ("none", {"user_id": "account"}, ADMIN_ONLY),
    ("accounts.reactivate", "POST"): ("none", {"user_id": "account"}, ADMIN_ONLY),
    ("accounts.reset_password", "GET"): ("none", {"user_id": "account"}, ADMIN_ONLY),
    ("accounts.end_sessions", "GET"): ("none", {"user_id": "account"}, ADMIN_ONLY),
    ("your_account.account", "GET"): ("none", {}, SIGNED_IN),
    ("your_account.change_password", "GET"): ("none", {}, SIGNED_IN),
    ("your_account.end_other_sessions", "POST"): ("none", {}, SIGNED_IN),
    # Someone else's session: nobody may end it from their own account page (404).
    ("your_account.end_session", "POST"): ("none", {"session_id": "someone_elses_session"}, NOBODY_DIRECTLY),
    ("your_account.set_password", "GET"): ("none", {"token": "password_link"}, PUBLIC),
    ("auth.session_status", "GET"): ("none", {}, PUBLIC),  # signed out: {"signed_in": false}
    ("auth.stay_signed_in", "POST"): ("none", {}, SIGNED_IN),
    ("assessments.start", "GET"): ("none", {}, SIGNED_IN),
    ("assessments.task_list", "GET"): ("draft", {}, TEAM_READS),
    ("assessments.check", "GET"): ("draft", {}, TEAM_READS),
    ("assessments.check_answers", "GET"): ("draft", {}, TEAM_READS),
    ("assessments.contributors", "GET"): ("draft", {}, TEAM_READS),
    # The project lead shares out the sections; the rest of the team (and administrators) may not.
    ("assessments.assign_section", "GET"): ("draft", {"key": "economy"}, row(SIGN_IN, NO, OK, NO, NO, NO, NO)),
    ("assessments.view", "GET"): ("draft", {}, TEAM_READS),
    ("assessments.acknowledge", "POST"): ("draft", {}, TEAM_EDITS),
    ("assessments.details", "GET"): ("draft", {}, TEAM_EDITS),
    ("assessments.team", "GET"): ("draft", {}, TEAM_EDITS),
    ("assessments.engagement", "GET"): ("draft", {}, TEAM_EDITS),
    ("assessments.staff", "GET"): ("draft", {}, TEAM_EDITS),
    ("assessments.section", "GET"): ("draft", {"key": "economy"}, TEAM_EDITS),
    ("assessments.section_area", "GET"): ("draft", {"key": "economy", "area": "economic_growth"}, TEAM_EDITS),
    ("assessments.evidence", "GET"): ("draft", {"key": "economy"}, TEAM_EDITS),
    ("assessments.questions", "GET"): ("draft_with_questions", {"key": "about"}, TEAM_EDITS),
    ("exports.community_impact", "GET"): ("draft", {}, TEAM_EDITS),
    ("exports.summary", "GET"): ("draft", {}, TEAM_READS),
    ("exports.download", "GET"): ("draft", {"kind": "xlsx"}, TEAM_READS),
    ("review.history", "GET"): ("draft", {}, TEAM_READS),
    ("review.compare_revisions", "GET"): ("draft", {}, TEAM_READS),
    ("review.submit", "GET"): ("draft", {}, TEAM_EDITS),
    ("review.submit_confirm", "POST"): ("draft", {}, TEAM_EDITS),
    ("review.submitted", "GET"): ("submitted", {}, TEAM_EDITS),
    ("review.withdraw", "GET"): ("submitted", {}, TEAM_EDITS),
    ("review.reopen", "GET"): ("submitted", {}, TEAM_EDITS),
    ("review.sign_off", "GET"): ("submitted", {}, APPROVER_ONLY),
    ("review.approve", "POST"): ("submitted", {}, APPROVER_ONLY),
    ("review.request_changes", "GET"): ("submitted", {}, APPROVER_ONLY),
    ("review.resolve_comment", "GET"): ("submitted", {"comment_id": "comment"}, PARTICIPANTS),
    ("review.reopen_comment", "POST"): ("submitted", {"comment_id": "comment"}, PARTICIPANTS),
    ("review.thread", "GET"): ("submitted", {"comment_id": "comment"}, SENT_READS),
    ("review.new_comment", "GET"): ("submitted", {"part": "details"}, APPROVER_ONLY),
    ("review.changes_since", "GET"): ("submitted", {}, APPROVER_ONLY),
    ("review.awaiting", "GET"): ("none", {}, APPROVERS),
    ("review.all_assessments", "GET"): ("none", {}, APPROVERS_AND_ADMINS),
    ("review.notifications_page", "GET"): ("none", {}, SIGNED_IN),
    # A notification is its person's own: anyone else (administrators too) is told it is not there.
    ("review.open_notification", "GET"): ("none", {"notification_id": "approver_notification"}, APPROVER_ONLY),
    ("review.audit_search", "GET"): ("none", {}, ADMIN_ONLY),
    ("review.outbox", "GET"): ("none", {}, ADMIN_ONLY),
    ("links.page", "GET"): ("none", {}, ADMIN_ONLY),
    ("designer.index", "GET"): ("none", {}, ADMIN_ONLY),
    ("designer.import_yaml", "GET"): ("none", {}, ADMIN_ONLY),
    ("designer.new_version", "POST"): ("none", {"template_id": "template"}, ADMIN_ONLY),
    **{(f"designer.{name}", "GET"): ("none", {}, ADMIN_ONLY) for name in ("start", "start_blank", "start_shipped")},
    ("designer.duplicate", "GET"): ("none", {"template_id": "template"}, ADMIN_ONLY),
    ("designer.move", "GET"): ("draft", {}, OWNER_OR_ADMIN),
    ("designer.move_done", "GET"): ("draft", {}, NOBODY_DIRECTLY),
    ("designer.version", "GET"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY),
    ("designer.version_assessments", "GET"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY),
    ("designer.columns", "GET"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY),
    ("designer.delete", "GET"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY),
    ("designer.details", "GET"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY),
    ("designer.download", "GET"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY),
    ("designer.bullets", "GET"): ("none", {"version_id": "draft_version", "which": "completing"}, ADMIN_ONLY),
    ("designer.header_fields", "GET"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY),
    ("designer.preview", "GET"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY),
    ("designer.preview_section", "GET"): ("none", {"version_id": "draft_version", "key": "economy"}, ADMIN_ONLY),
    ("designer.preview_evidence", "GET"): ("none", {"version_id": "draft_version", "key": "economy"}, ADMIN_ONLY),
    ("designer.preview_questions", "GET"): ("none", {"version_id": "draft_version_with_questions", "key": "about"},
                                            ADMIN_ONLY),
    **{(f"designer.preview_{page}", "GET"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY)
       for page in ("details", "team", "engagement", "staff", "check_answers", "view", "check", "summary")},
    ("designer.preview_section_area", "GET"): ("none", {"version_id": "draft_version", "key": "economy",
                                                        "area": "economic_growth"}, ADMIN_ONLY),
    ("designer.preview_download", "GET"): ("none", {"version_id": "draft_version", "kind": "json"}, ADMIN_ONLY),
    ("designer.preview_start_again", "POST"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY),
    ("designer.publish", "GET"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY),
    ("designer.retire", "GET"): ("none", {"version_id": "published_version"}, ADMIN_ONLY),
    ("designer.rules", "GET"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY),
    ("designer.scales", "GET"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY),
    ("designer.sections", "GET"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY),
    ("designer.section", "GET"): ("none", {"version_id": "draft_version", "key": "economy"}, ADMIN_ONLY),
    ("designer.remove_section", "GET"): ("none", {"version_id": "draft_version", "key": "economy"}, ADMIN_ONLY),
    ("designer.new_section", "GET"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY),
    ("designer.questions", "GET"): ("none", {"version_id": "draft_version", "key": "economy"}, ADMIN_ONLY),
    ("designer.new_question", "GET"): ("none", {"version_id": "draft_version", "key": "economy"}, ADMIN_ONLY),
    ("designer.new_question_settings", "GET"): ("none", {"version_id": "draft_version", "key": "economy",
                                                          "kind": "short_text"}, ADMIN_ONLY),
    ("designer.question", "GET"): ("none", {"version_id": "draft_version_with_questions", "key": "about",
                                            "question_key": "proposal_summary"}, ADMIN_ONLY),
    ("designer.remove_question", "GET"): ("none", {"version_id": "draft_version_with_questions", "key": "about",
                                                   "question_key": "proposal_summary"}, ADMIN_ONLY),
    ("designer.upload", "GET"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY),
    ("designer.condition", "GET"): ("none", {"version_id": "draft_version", "target": "section", "key": "economy"},
                                    ADMIN_ONLY),
    ("designer.rating_scales", "GET"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY),
    ("designer.new_rating_scale", "GET"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY),
    ("designer.rating_scale", "GET"): ("none", {"version_id": "draft_version_with_questions", "key": "impact"},
                                       ADMIN_ONLY),
    ("designer.remove_rating_scale", "GET"): ("none", {"version_id": "draft_version_with_questions", "key": "impact"},
                                              ADMIN_ONLY),
    ("designer.signoff_steps", "GET"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY),
    **{(f"designer.vocabulary_{name}", "GET"): ("none", {"version_id": "draft_version"}, ADMIN_ONLY)
       for name in ("decision_routes", "directions", "evidence_types", "project_sizes", "publication_statuses")},
}


def _world(app) -> dict:
    """Users, a draft and a submitted assessment, a review comment, a draft template version."""
    from cia.data import assessments as data
    from cia.data import templates
    from cia.data.designer import create_draft

    with app.app_context():
        owner = make_user("author@example.gov.uk", "Alex Author")
        team = make_user("team@example.gov.uk", "Tara Team")
        make_user("other@example.gov.uk", "Olu Other")
        approver = make_user("approver@example.gov.uk", "Asha Approver", "approver", "manager")
        make_user("approver2@example.gov.uk", "Ben Approver", "approver", "manager")
        make_user("admin@example.gov.uk", "Adam Admin", "admin author")
        draft = data.create(owner, "Draft proposal")
        sent = data.create(owner, "Submitted proposal")
        ((asking, _created),) = templates.seed_bundled_templates(["integrated-impact-assessment-wales"])
        with_questions = data.create(owner, "Draft proposal on a template with questions", version=asking)
        db.session.flush()
        for assessment in (draft, sent, with_questions):
            db.session.add(Collaborator(assessment_id=assessment.id, user_id=team.id))
        revision = sent.current_revision
        revision.status = "submitted"
        revision.submitted_at = utcnow()
        db.session.add(ApprovalRequest(revision_id=revision.id, assessment_id=sent.id, approver_id=approver.id,
                                       level="manager", requested_by_id=owner.id))
        comment = ReviewComment(revision_id=revision.id, assessment_id=sent.id, author_id=approver.id,
                                part="section:economy", row_key="economic_growth", text="Say which businesses")
        db.session.add(comment)
        notice = Notification(user_id=approver.id, assessment_id=sent.id, text="Please sign off",
                              link=f"/assessments/{sent.id}/sign-off")
        db.session.add(notice)
        published = templates.newest_published_version()
        template = db.session.get(Template, published.template_id)
        draft_version = create_draft(published, db.session.get(User, owner.id))
        draft_with_questions = create_draft(asking, db.session.get(User, owner.id))
        from cia.data import accounts
        from cia.data.users import start_session

        admin = db.session.execute(select(User).where(User.email == "admin@example.gov.uk")).scalar_one()
        password_link = accounts.issue_link(team, "password_reset", admin, "", 1)
        someone_elses_session = start_session(make_user("leaver@example.gov.uk", "Lee Leaver")).id
        db.session.commit()
        return {"account": owner.id, "password_link": password_link, "someone_elses_session": someone_elses_session,
                "draft": draft.id, "draft_with_questions": with_questions.id, "submitted": sent.id,
                "comment": comment.id, "approver_notification": notice.id, "template": template.id, "draft_version": draft_version.id,
                "published_version": published.id, "draft_version_with_questions": draft_with_questions.id}


def _answer(response) -> str:
    if response.status_code in (301, 302, 303) and "/sign-in" in response.headers.get("Location", ""):
        return SIGN_IN
    if response.status_code in (403, 404):
        return NO
    if response.status_code < 400 or response.status_code in (400, 409, 429):
        return OK
    return f"HTTP {response.status_code}"


def test_every_route_is_in_the_table(app):
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
              for method in (rule.methods - {"HEAD", "OPTIONS"})}
    covered = set(ACCESS)
    # A route whose GET is in the table covers its POST (same checks); POST-only routes are listed as POST.
    missing = {(e, m) for e, m in routes if (e, m) not in covered and (e, "GET") not in covered}
    assert not missing, f"routes with no access decision in the table: {sorted(missing)}"


def test_access_matrix(app):
    world = _world(app)
    actual: dict[tuple[str, str], dict[str, str]] = {}
    wrong = []
    for kind in KINDS:
        client = app.test_client()
        if kind != "anonymous":
            assert sign_in(client, EMAILS[kind]).status_code == 302
        for (endpoint, method), (fixture, args, expected) in ACCESS.items():
            if endpoint == "auth.sign_out":
                continue  # would end this client's session; tested in test_auth
            values = {name: world[value] if value in world else value for name, value in args.items()}
            if fixture != "none":
                values["assessment_id"] = world[fixture]
            with app.test_request_context():
                from flask import url_for

                url = url_for(endpoint, **values)
            response = client.open(url, method=method, data={} if method == "POST" else None)
            got = _answer(response)
            actual.setdefault((endpoint, method), {})[kind] = got
            if got != expected[kind]:
                wrong.append(f"{kind:15s} {method:4s} {url:70s} expected {expected[kind]}, got {got}")
    if os.environ.get("ACCESS_MATRIX_PRINT"):
        for key, answers in actual.items():
            print(key, answers)
    assert not wrong, "\n" + "\n".join(wrong)


def test_posts_are_refused_to_everyone_refused_the_page(app):
    """Every route that takes a POST refuses it to the same people its page refuses (nothing changes)."""
    from flask import url_for

    world = _world(app)
    posting = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    wrong = []
    for kind in KINDS:
        client = app.test_client()
        if kind != "anonymous":
            sign_in(client, EMAILS[kind])
        for (endpoint, method), (fixture, args, expected) in ACCESS.items():
            if endpoint not in posting or expected[kind] == OK or endpoint == "auth.sign_out":
                continue
            values = {name: world[value] if value in world else value for name, value in args.items()}
            if fixture != "none":
                values["assessment_id"] = world[fixture]
            with app.test_request_context():
                url = url_for(endpoint, **values)
            got = _answer(client.post(url, data={"name": "x", "reason": "x", "finding_key": "x"}))
            if got != expected[kind]:
                wrong.append(f"{kind:15s} POST {url:70s} expected {expected[kind]}, got {got}")
    assert not wrong, "\n" + "\n".join(wrong)


@pytest.mark.parametrize("kind", ["outsider", "other-approver"])
def test_refused_access_is_audited(app, kind):
    from cia.models import AuditEvent

    world = _world(app)
    client = app.test_client()
    sign_in(client, EMAILS[kind])
    client.get(f"/templates/versions/{world['draft_version']}")
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="access.refused").count() >= 1


# --- who may read which revision (docs/decisions/0012-who-reads-which-revision.md) ----------------

DRAFT_ONLY = "Draft only: two more libraries would close"


def _reopened_world(app) -> dict:
    """Revision 1 signed off by the approver asked, then reopened: revision 2 is a draft never sent."""
    from cia import workflow as wf
    from cia.data import assessments as data
    from cia.data import workflow as flow
    from tests.workflow_helpers import access_as, current, in_state, make_cast

    with app.app_context():
        cast = make_cast()
        aid = in_state(cast, wf.APPROVED)
        flow.reopen(access_as(cast.owner, aid), cast.owner)
        db.session.commit()
        draft = current(aid)
        loaded = data.load_part(draft, "details")
        loaded.data.summary = DRAFT_ONLY
        assert data.save_part(draft, "details", loaded.data, loaded.version, cast.owner).ok
        db.session.commit()
        return {"aid": aid, "emails": {k: getattr(cast, k).email for k in
                                       ("owner", "collaborator", "approver", "other_approver", "admin")}}


def test_an_approver_reads_only_the_revisions_they_were_asked_to_sign_off(app):
    """Finding: an approver asked once could read every later revision, including drafts never sent to them."""
    from tests.workflow_helpers import signed_in_client

    world = _reopened_world(app)
    aid = world["aid"]
    draft_urls = [f"/assessments/{aid}/revisions/2/view", f"/assessments/{aid}/revisions/2/summary",
                  f"/assessments/{aid}/revisions/2/download/docx", f"/assessments/{aid}/revisions/2/download/json"]
    current_urls = [f"/assessments/{aid}/view", f"/assessments/{aid}/summary", f"/assessments/{aid}/compare",
                    f"/assessments/{aid}/compare?from=1&to=2", f"/assessments/{aid}/history",
                    f"/assessments/{aid}/download/json", f"/assessments/{aid}/sign-off"]
    for kind in ("owner", "collaborator", "admin"):
        client = signed_in_client(app, world["emails"][kind])
        assert all(client.get(url).status_code == 200 for url in draft_urls), kind
        assert DRAFT_ONLY in client.get(f"/assessments/{aid}/view").get_data(as_text=True), kind

    approver = signed_in_client(app, world["emails"]["approver"])
    assert [approver.get(url).status_code for url in draft_urls] == [404] * len(draft_urls)
    for url in current_urls:
        response = approver.get(url)
        assert response.status_code in (200, 400, 409), (url, response.status_code)
        assert DRAFT_ONLY not in response.get_data(as_text=True), url
    assert "revision 1" in approver.get(f"/assessments/{aid}/view").get_data(as_text=True).lower()
    assert approver.get(f"/assessments/{aid}/revisions/1/view").status_code == 200
    history = approver.get(f"/assessments/{aid}/history").get_data(as_text=True)
    assert "Reopened it as revision 2" in history  # what happened to revision 1 ...
    with app.app_context():
        from cia.models import AuditEvent

        assert db.session.query(AuditEvent).filter_by(assessment_id=aid, revision=2).count() > 0
    assert "Saved" not in history.split("Reopened it as revision 2")[0]  # ... but nothing done in revision 2
    refusals_before = _refusals(app, aid)
    approver.get(f"/assessments/{aid}/revisions/2/view")
    assert _refusals(app, aid) == refusals_before + 1, "a refused revision is audited"

    other = signed_in_client(app, world["emails"]["other_approver"])
    assert all(other.get(url).status_code == 404 for url in draft_urls + [f"/assessments/{aid}/view"])


def _refusals(app, aid: int) -> int:
    from cia.models import AuditEvent

    with app.app_context():
        return db.session.query(AuditEvent).filter_by(assessment_id=aid, action="access.refused").count()


assert Assessment and TemplateVersion  # imported for readers following the fixtures
