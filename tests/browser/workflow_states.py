"""Sign-off page states for the accessibility suite (listed in tests/browser/pages.py PAGE_STATES).

Each callable takes the Playwright page (already signed in as the state's role) and the Flask app,
builds an assessment in the state it needs through the workflow's data functions, then opens the page.
The people are the accounts of tests.helpers.make_users: the author owns, "other" is the team member
with edit access, the approver (manager level) signs off.
"""

from __future__ import annotations

from sqlalchemy import select

from cia import workflow as wf
from cia.extensions import db
from cia.models import User
from tests.helpers import make_user
from tests.workflow_helpers import Cast, current, in_state


def cast() -> Cast:
    def user(email: str, name: str, roles: str = "author", level: str = "") -> User:
        found = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
        return found or make_user(email, name, roles, level)

    made = Cast(owner=user("author@example.gov.uk", "Alex Author"), collaborator=user("other@example.gov.uk", "Olu Other"),
                approver=user("approver@example.gov.uk", "Asha Approver", "approver", "manager"),
                second_approver=user("approver2@example.gov.uk", "Bea Approver", "approver", "manager"),
                other_approver=user("approver3@example.gov.uk", "Cal Approver", "approver", "manager"),
                admin=user("admin@example.gov.uk", "Adam Admin", "admin author"),
                outsider=user("outsider@example.gov.uk", "Otto Outsider"))
    db.session.commit()
    return made


def assessment_in(app, state: str) -> int:
    with app.app_context():
        return in_state(cast(), state)


def _submit_page(page, app) -> None:
    page.goto(f"/assessments/{assessment_in(app, wf.DRAFT)}/submit")


def _submit_without_approver(page, app) -> None:
    _submit_page(page, app)
    page.get_by_role("button", name="Continue").click()
    page.locator(".govuk-error-summary").wait_for()


def _submit_blocked(page, app) -> None:
    from cia.data import assessments

    aid = assessment_in(app, wf.DRAFT)
    with app.app_context():
        revision = current(aid)
        loaded = assessments.load_part(revision, "section:economy")
        loaded.data.rows[0].impact, loaded.data.rows[0].groups = "yes", ""
        assessments.save_part(revision, "section:economy", loaded.data, loaded.version, cast().owner)
        db.session.commit()
    page.goto(f"/assessments/{aid}/submit")


def _submit_confirmation(page, app) -> None:
    _submit_page(page, app)
    page.get_by_label("Asha Approver (approver@example.gov.uk)").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Are you sure you want to submit this assessment for sign-off?").wait_for()


def _submitted_panel(page, app) -> None:
    _submit_confirmation(page, app)
    page.get_by_role("button", name="Submit for sign-off").click()
    page.get_by_role("heading", name="Assessment submitted for sign-off").wait_for()


def _task_list_submitted(page, app) -> None:
    page.goto(f"/assessments/{assessment_in(app, wf.SUBMITTED)}")


def _awaiting(page, app) -> None:
    assessment_in(app, wf.SUBMITTED)
    page.goto("/assessments/awaiting")


def _approver_home(page, app) -> None:
    assessment_in(app, wf.SUBMITTED)
    page.goto("/")


def _sign_off_page(page, app) -> None:
    page.goto(f"/assessments/{assessment_in(app, wf.SUBMITTED)}/sign-off")


def _sign_off_without_declaration(page, app) -> None:
    _sign_off_page(page, app)
    page.get_by_role("button", name="Sign off", exact=True).click()
    page.locator(".govuk-error-summary").wait_for()


def _request_changes(page, app) -> None:
    page.goto(f"/assessments/{assessment_in(app, wf.SUBMITTED)}/sign-off/request-changes")


def _request_changes_empty(page, app) -> None:
    _request_changes(page, app)
    page.get_by_role("button", name="Send back for changes").click()
    page.locator(".govuk-error-summary").wait_for()


def _section_with_comment(page, app) -> None:
    page.goto(f"/assessments/{assessment_in(app, wf.CHANGES_REQUESTED)}/sections/economy")


def _resolve_comment(page, app) -> None:
    _section_with_comment(page, app)
    page.get_by_role("link", name="Reply or mark as resolved").first.click()
    page.get_by_role("button", name="Mark as resolved").wait_for()


def _task_list_with_open_comments(page, app) -> None:
    page.goto(f"/assessments/{assessment_in(app, wf.CHANGES_REQUESTED)}")
    page.get_by_role("heading", name="Open comments (1)").wait_for()


def _comment_on_a_row(page, app) -> None:
    _sign_off_page(page, app)
    page.locator("table.app-cia-table").first.get_by_role("link", name="Comment on this").first.click()
    page.get_by_role("heading", name="The row as it is now").wait_for()


def _comment_on_a_row_empty(page, app) -> None:
    _comment_on_a_row(page, app)
    page.get_by_role("button", name="Add comment").click()
    page.locator(".govuk-error-summary").wait_for()


def _thread_with_a_reply(page, app) -> None:
    from cia.data import review_threads
    from tests.workflow_helpers import access_as

    aid = assessment_in(app, wf.CHANGES_REQUESTED)
    with app.app_context():
        people = cast()
        comment = review_threads.threads(current(aid))[0]
        review_threads.reply(access_as(people.owner, aid), comment, people.owner, "Routes 12 and 14.", "Economy")
        db.session.commit()
        comment_id = comment.id
    page.goto(f"/assessments/{aid}/comments/{comment_id}")


def _resubmit_without_what_changed(page, app) -> None:
    page.goto(f"/assessments/{assessment_in(app, wf.CHANGES_REQUESTED)}/submit")
    page.get_by_label("Asha Approver (approver@example.gov.uk)").check()
    page.get_by_role("button", name="Continue").click()
    page.locator(".govuk-error-summary").wait_for()


def _changes_since(page, app) -> None:
    from cia.data import assessments
    from cia.data import workflow as flow
    from tests.workflow_helpers import access_as

    aid = assessment_in(app, wf.CHANGES_REQUESTED)
    with app.app_context():
        people = cast()
        revision = current(aid)
        loaded = assessments.load_part(revision, "section:economy")
        loaded.data.rows[0].groups += "\n- Bus users on routes 12 and 14"
        assessments.save_part(revision, "section:economy", loaded.data, loaded.version, people.owner)
        flow.submit(access_as(people.owner, aid), [people.approver.id], people.owner,
                    what_changed="Named the bus routes.")
        db.session.commit()
    page.goto(f"/assessments/{aid}/sign-off/changes")


def _withdraw_confirmation(page, app) -> None:
    page.goto(f"/assessments/{assessment_in(app, wf.SUBMITTED)}/withdraw")


def _reopen_confirmation(page, app) -> None:
    page.goto(f"/assessments/{assessment_in(app, wf.APPROVED)}/reopen")


def _cannot_now(page, app) -> None:
    page.goto(f"/assessments/{assessment_in(app, wf.DRAFT)}/withdraw")  # 409: nothing to withdraw


def _history(page, app) -> None:
    page.goto(f"/assessments/{assessment_in(app, wf.CHANGES_REQUESTED)}/history")


def _compare(page, app) -> None:
    from cia.data import assessments
    from cia.data import workflow as flow
    from tests.workflow_helpers import access_as

    aid = assessment_in(app, wf.APPROVED)
    with app.app_context():
        people = cast()
        flow.reopen(access_as(people.owner, aid), people.owner)
        db.session.commit()
        revision = current(aid)
        loaded = assessments.load_part(revision, "section:economy")
        row = loaded.data.rows[0]
        row.groups = row.groups.replace("For", "Mainly for", 1)
        if row.risks:
            row.risks[0].mitigations = row.risks[0].mitigations[:1]
        assessments.save_part(revision, "section:economy", loaded.data, loaded.version, people.owner)
        db.session.commit()
    page.goto(f"/assessments/{aid}/compare?from=1&to=2")


def _all_assessments(page, app) -> None:
    assessment_in(app, wf.SUBMITTED)
    page.goto("/assessments/all?status=submitted")


def _all_assessments_error(page, app) -> None:
    assessment_in(app, wf.SUBMITTED)
    page.goto("/assessments/all?from-day=31&from-month=2&from-year=2026")


def _notifications(page, app) -> None:
    assessment_in(app, wf.SUBMITTED)
    page.goto("/assessments/notifications")


def _audit(page, app) -> None:
    assessment_in(app, wf.SUBMITTED)
    page.goto("/assessments/admin/audit?action=workflow.submit")


def _outbox(page, app) -> None:
    assessment_in(app, wf.SUBMITTED)
    page.goto("/assessments/admin/outbox")


WORKFLOW_PAGE_STATES = [
    ("submit for sign-off: choose approvers", _submit_page, "author"),
    ("submit for sign-off: no approver chosen", _submit_without_approver, "author"),
    ("submit for sign-off: blocked by the checker", _submit_blocked, "author"),
    ("submit for sign-off: confirmation", _submit_confirmation, "author"),
    ("submitted for sign-off", _submitted_panel, "author"),
    ("task list of a submitted assessment", _task_list_submitted, "author"),
    ("awaiting your sign-off", _awaiting, "approver"),
    ("home page of an approver", _approver_home, "approver"),
    ("sign-off page", _sign_off_page, "approver"),
    ("sign-off page without the declaration", _sign_off_without_declaration, "approver"),
    ("request changes", _request_changes, "approver"),
    ("request changes with nothing entered", _request_changes_empty, "approver"),
    ("section page with an approver's comment", _section_with_comment, "author"),
    ("mark a comment as resolved", _resolve_comment, "author"),
    ("task list with open comments", _task_list_with_open_comments, "author"),
    ("comment on a row", _comment_on_a_row, "approver"),
    ("comment on a row with nothing entered", _comment_on_a_row_empty, "approver"),
    ("comment thread with a reply", _thread_with_a_reply, "approver"),
    ("submit again without saying what changed", _resubmit_without_what_changed, "author"),
    ("changes since you reviewed", _changes_since, "approver"),
    ("withdraw from sign-off: confirmation", _withdraw_confirmation, "author"),
    ("reopen as a new revision: confirmation", _reopen_confirmation, "author"),
    ("an action that cannot be done now", _cannot_now, "author"),
    ("history of an assessment", _history, "author"),
    ("compare revisions", _compare, "author"),
    ("all assessments, filtered", _all_assessments, "admin"),
    ("all assessments with a wrong date", _all_assessments_error, "admin"),
    ("notifications", _notifications, "approver"),
    ("audit trail search", _audit, "admin"),
    ("e-mail outbox", _outbox, "admin"),
]
