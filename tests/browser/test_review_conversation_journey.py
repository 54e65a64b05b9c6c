"""A review conversation in a browser: the approver comments on a row with the row beside the box, the
author replies and changes the row, resubmits saying what changed, and the approver sees only what
changed and signs off from there."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.workflow_states import cast
from tests.workflow_helpers import clean_assessment, first_row


def test_comment_reply_resubmit_with_what_changed_and_sign_off_from_the_changes(app, browser, live_server, page,
                                                                                 users):
    with app.app_context():
        from cia.data import templates
        from cia.extensions import db
        from tests.workflow_helpers import current

        people = cast()
        assessment = clean_assessment(people, name="Community Support Hubs")
        db.session.commit()
        aid = assessment.id
        row_key = first_row("economy", aid)
        row_title = templates.spec_for_version(current(aid).template_version_id).section("economy").area(row_key).title
    task_list = f"/assessments/{aid}"

    sign_in(page, "author@example.gov.uk")
    page.goto(task_list)
    page.get_by_role("link", name="Submit for sign-off").click()
    page.get_by_label("Asha Approver (approver@example.gov.uk)").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Submit for sign-off").click()
    page.get_by_role("heading", name="Assessment submitted for sign-off").wait_for()

    # The approver comments on one row, reading the row beside the comment box, and sends it back.
    approver_context = browser.new_context(base_url=live_server, bypass_csp=True)
    approver = approver_context.new_page()
    approver.set_default_timeout(15_000)
    sign_in(approver, "approver@example.gov.uk")
    approver.goto(f"{task_list}/sign-off")
    # (a locator by text: naming every link of a page this long by role takes longer than the timeout)
    approver.locator("a", has_text=f"Comment on this: {row_title}").click()
    approver.get_by_role("heading", name=f"Comment on Economy: {row_title}").wait_for()
    expect(approver.get_by_role("heading", name="The row as it is now")).to_be_visible()
    expect(approver.locator("table.app-cia-table").get_by_text(row_title).first).to_be_visible()
    approver.get_by_label("Your comment").fill("Which high streets will lose footfall?")
    approver.get_by_role("button", name="Add comment").click()
    approver.get_by_text(f"Your comment on Economy: {row_title} has been added").wait_for()
    approver.goto(f"{task_list}/sign-off")
    expect(approver.get_by_role("link", name=f"Economy: {row_title}")).to_be_visible()  # the list names the row
    approver.get_by_role("link", name="Request changes").click()
    approver.get_by_role("button", name="Send back for changes").click()
    approver.get_by_text("You have asked for changes").wait_for()

    # The author finds the open comment on the task list, replies, and changes the row.
    page.goto(task_list)
    page.get_by_role("heading", name="Open comments (1)").wait_for()
    page.get_by_role("link", name=f"Economy: {row_title}").click()
    expect(page.get_by_text("Which high streets will lose footfall?")).to_be_visible()
    page.get_by_label("Your reply").fill("Stafford and Leek: added to the row.")
    page.get_by_role("button", name="Reply").click()
    page.get_by_text("Your reply has been added").wait_for()
    assert_accessible(page, "comment thread with the author's reply")
    page.goto(f"{task_list}/sections/economy")
    groups = page.locator("#rows-0-groups")
    groups.fill(groups.input_value() + "\n- Traders on Stafford and Leek high streets")
    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_text("Your answers have been saved").wait_for()

    # ... and resubmits, saying what changed (required).
    page.goto(task_list)
    page.get_by_role("link", name="Submit for sign-off").click()
    page.get_by_label("Asha Approver (approver@example.gov.uk)").check()
    page.get_by_role("button", name="Continue").click()
    page.locator(".govuk-error-summary").get_by_text("Enter what has changed").wait_for()
    page.get_by_label("Asha Approver (approver@example.gov.uk)").check()
    page.get_by_label("What has changed").fill("Named the high streets that lose footfall.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Submit for sign-off").click()
    page.get_by_role("heading", name="Assessment submitted for sign-off").wait_for()

    # The approver sees only what changed, the authors' note and the thread, and signs off from there.
    approver.goto(f"{task_list}/sign-off")
    approver.get_by_role("link", name="Changes since you reviewed it").click()
    approver.get_by_role("heading", name="Changes since you reviewed").wait_for()
    expect(approver.get_by_text("Named the high streets that lose footfall.")).to_be_visible()
    expect(approver.locator("ins").get_by_text("Traders on Stafford and Leek high streets").first).to_be_visible()
    expect(approver.get_by_text("1 changed, 0 added, 0 removed")).to_be_visible()
    expect(approver.get_by_role("link", name=f"Economy: {row_title}")).to_be_visible()
    assert approver.locator(".app-compare-part").count() == 1  # nothing else changed, nothing else shown
    approver.get_by_label("I have read this Community Impact Assessment").check()
    approver.get_by_role("button", name="Sign off", exact=True).click()
    approver.get_by_text("You have signed off this assessment. It is now approved").wait_for()
    approver_context.close()
