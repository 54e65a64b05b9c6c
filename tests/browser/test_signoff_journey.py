"""Sign-off in a browser: the author submits, the approver asks for changes on a row, the author sees
the comment beside the row, fixes it and resubmits, the approver signs off, the author reopens."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.workflow_states import cast
from tests.workflow_helpers import clean_assessment, first_row


def test_submit_request_changes_fix_resubmit_sign_off_and_reopen(app, browser, live_server, page, users):
    with app.app_context():
        from cia.extensions import db

        people = cast()
        assessment = clean_assessment(people, name="Community Support Hubs")
        db.session.commit()
        aid = assessment.id
        row_key = first_row("economy", aid)
        from cia.data import templates
        from tests.workflow_helpers import current

        row_title = templates.spec_for_version(current(aid).template_version_id).section("economy").area(row_key).title
    task_list = f"/assessments/{aid}"

    # The author submits it to the approver.
    sign_in(page, "author@example.gov.uk")
    page.goto(task_list)
    page.get_by_role("link", name="Submit for sign-off").click()
    page.get_by_label("Asha Approver (approver@example.gov.uk)").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Submit for sign-off").click()
    page.get_by_role("heading", name="Assessment submitted for sign-off").wait_for()

    # The approver finds it awaiting their sign-off and asks for a change on one row.
    approver_context = browser.new_context(base_url=live_server, bypass_csp=True)
    approver = approver_context.new_page()
    approver.set_default_timeout(15_000)
    sign_in(approver, "approver@example.gov.uk")
    approver.get_by_role("link", name="Community Support Hubs").click()
    approver.get_by_role("heading", name="Sign off: Community Support Hubs").wait_for()
    approver.get_by_role("link", name="Request changes").click()
    approver.get_by_label("What needs to change?").fill("Please say more about local shops.")
    approver.get_by_label(f"Comment on {row_title} in Economy (optional)", exact=True).fill(
        "Which high streets will lose footfall?")
    approver.get_by_role("button", name="Send back for changes").click()
    approver.get_by_text("You have asked for changes").wait_for()

    # The author sees the comment beside that row, fixes the row and marks the comment resolved.
    page.goto(task_list)
    expect(page.get_by_text("Changes requested").first).to_be_visible()
    expect(page.get_by_text("Please say more about local shops.")).to_be_visible()
    page.goto(f"{task_list}/sections/economy")
    row = page.locator("#rows-0")
    expect(row.get_by_text("Which high streets will lose footfall?")).to_be_visible()
    expect(row.get_by_text("Comment from Asha Approver", exact=True)).to_be_visible()
    assert_accessible(page, "section page with a comment beside its row")
    groups = page.locator("#rows-0-groups")
    groups.fill(groups.input_value() + "\n- Traders on Stafford and Leek high streets")
    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_text("Your answers have been saved").wait_for()
    page.goto(f"{task_list}/sections/economy")
    page.locator("#rows-0").get_by_role("link", name="Reply or mark as resolved").click()
    page.get_by_role("button", name="Mark as resolved").click()
    page.get_by_text("Comment marked as resolved").wait_for()
    page.goto(f"{task_list}/sections/economy")
    expect(page.locator("#rows-0").get_by_text("Resolved").first).to_be_visible()

    # ... and submits it again, saying what changed.
    page.goto(task_list)
    page.get_by_role("link", name="Submit for sign-off").click()
    page.get_by_label("Asha Approver (approver@example.gov.uk)").check()
    page.get_by_label("What has changed").fill("Named the high streets.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Submit for sign-off").click()
    page.get_by_role("heading", name="Assessment submitted for sign-off").wait_for()

    # The approver signs it off.
    approver.goto(f"/assessments/{aid}/sign-off")
    expect(approver.get_by_text("Traders on Stafford and Leek high streets")).to_be_visible()
    approver.get_by_label("I have read this Community Impact Assessment").check()
    approver.get_by_label("Comment (optional)").fill("Thank you for the extra detail.")
    approver.get_by_role("button", name="Sign off", exact=True).click()
    approver.get_by_text("You have signed off this assessment. It is now approved").wait_for()
    approver_context.close()

    # The author reopens it as revision 2; revision 1 stays readable, with its sign-off.
    page.goto(task_list)
    expect(page.get_by_text("Approved").first).to_be_visible()
    page.get_by_role("link", name="Reopen as a new revision").click()
    page.get_by_role("button", name="Reopen as a new revision").click()
    page.get_by_text("Revision 2 has been started").wait_for()
    expect(page.get_by_text("revision 2").first).to_be_visible()
    page.get_by_role("link", name="Read revision 1").click()
    expect(page.get_by_text("revision 1").first).to_be_visible()
    page.goto(f"{task_list}/history")
    for event in ("Reopened it as revision 2", "Signed it off", "Submitted it for sign-off to Asha Approver",
                  "Marked a comment as resolved", "Asked for changes"):
        expect(page.get_by_role("heading", name=event).first, event).to_be_visible()
