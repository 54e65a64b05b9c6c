"""The main journey with the keyboard alone.

A project lead signs in, starts an assessment, fills in the proposal details and a row of the Public
Sector Equality Duty section (an impact, risks and a mitigation, added with the "Add" buttons), follows
an error message and a checker finding to their fields, reaches the downloads and submits the
assessment for sign-off; an approver then signs it off. Only Tab, Shift+Tab, Enter, Space, the arrow
keys and typing: no click(), no fill(), and no goto() after the first page except the approver's to
the sign-in page (a second person typing the address).

`tab_to` presses Tab until the element a locator finds has focus, so reaching it proves it is in the
tab order; every element that takes focus on the way must show the GOV.UK focus style (#ffdd00 yellow
as outline, background or box-shadow; for radios and checkboxes, on the label's circle or box). On every
page the journey visits, tabbing forward reaches the footer's link: no keyboard trap.
"""

from __future__ import annotations

import re

from tests.helpers import PASSWORD

AUTHOR = "author@example.gov.uk"
APPROVER = "approver@example.gov.uk"
NAME = "Library opening hours"
#: The most Tab presses allowed to reach anything. The longest run in this journey is under 60 (the
#: checker's page, from the top to the footer); the bound leaves room for pages to grow.
MAX_TABS = 300

#: Whether the focused element is `el`, whether its focus is visible, and what it is (for messages).
_FOCUS = """(el) => {
  const a = document.activeElement;
  if (!a || a === document.body) return {target: false, left: true, visible: false, what: "<body>"};
  const yellow = "rgb(255, 221, 0)";
  const styles = [getComputedStyle(a)];
  if (a.matches(".govuk-radios__input, .govuk-checkboxes__input") && a.labels && a.labels[0]) {
    styles.push(getComputedStyle(a.labels[0], "::before"));  // the input is invisible; its circle or box is not
  }
  const visible = styles.some((s) => s.backgroundColor === yellow || s.boxShadow.includes(yellow)
    || (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 && s.outlineColor === yellow));
  const name = (a.labels && a.labels[0] ? a.labels[0].innerText : a.getAttribute("aria-label") || a.innerText || "")
    .trim().replace(/\\s+/g, " ").slice(0, 80);
  return {target: a === el, left: false, visible, what: `<${a.tagName.toLowerCase()}${a.id ? " id=" + a.id : ""}> "${name}"`};
}"""


def tab_to(page, target, what: str, *, key: str = "Tab", limit: int = MAX_TABS) -> int:
    """Press Tab (or `key`, e.g. Shift+Tab) until `target`, a locator, has focus; how many presses it took.

    Fails, naming `what`, if it is not reached before focus leaves the page (it is not in the tab order
    after where focus was) or within `limit` presses, or if anything that takes focus on the way has no
    visible focus indicator.
    """
    handle = target.element_handle()
    last = "nothing"
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        state = handle.evaluate(_FOCUS)
        if state["left"]:
            raise AssertionError(f"could not reach {what}: pressing {key} went past every element in the page's tab "
                                 f"order from where focus was ({presses - 1} presses, the last on {last}), then "
                                 f"focus left the page")
        assert state["visible"], f"no visible focus indicator on {state['what']} (pressing {key} to reach {what})"
        if state["target"]:
            return presses
        last = state["what"]
    raise AssertionError(f"could not reach {what} by pressing {key} {limit} times: focus ended on {last}")


def type_into(page, target, what: str, text: str, *, key: str = "Tab") -> None:
    tab_to(page, target, what, key=key)
    page.keyboard.type(text)


def press_enter(page) -> None:
    """Enter on a link or button that loads a new page; returns once it has loaded."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def focused(page) -> dict:
    return page.evaluate(_FOCUS, None) | {"id": page.evaluate("document.activeElement.id")}


def wait_for_focus_on(page, element_id: str) -> None:
    """After an "Add" button: the page's JavaScript moves focus to the new box (no reload)."""
    page.wait_for_function("(id) => document.activeElement && document.activeElement.id === id", arg=element_id)


def footer_reachable(page, label: str) -> None:
    """No keyboard trap: tabbing forward from where focus is reaches the footer's link."""
    tab_to(page, page.locator("footer").get_by_role("link", name="Accessibility statement"),
           f"the footer link on {label}")


def keyboard_sign_in(page, email: str) -> None:
    type_into(page, page.get_by_label("Email address"), "Email address", email)
    type_into(page, page.get_by_label("Password", exact=True), "Password", PASSWORD)
    footer_reachable(page, "the sign-in page")
    tab_to(page, page.get_by_role("button", name="Sign in"), "Sign in", key="Shift+Tab")
    press_enter(page)
    page.get_by_role("heading", name="Community Impact Assessments").wait_for()


def test_project_lead_and_approver_with_the_keyboard_alone(app, browser, live_server, page, users):
    # 1. The skip link: the first Tab on a page, and Enter moves focus past the header to the main content.
    page.goto("/sign-in")
    tab_to(page, page.get_by_role("link", name="Skip to main content"), "the skip link", limit=1)
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"
    tab_to(page, page.get_by_label("Email address"), "Email address, the first field after the skip link", limit=1)
    page.keyboard.press("Shift+Tab")  # back into the header, so signing in starts from the top

    # 2. The project lead signs in.
    keyboard_sign_in(page, AUTHOR)

    # 3. Starts a new assessment and fills in the proposal details.
    footer_reachable(page, "the home page")
    tab_to(page, page.get_by_role("button", name="Start a new assessment"), "Start a new assessment", key="Shift+Tab")
    press_enter(page)
    name = page.get_by_label("What is the name of the proposal?")
    type_into(page, name, "the name of the proposal", NAME)
    footer_reachable(page, "the start page")
    tab_to(page, page.get_by_role("button", name="Start assessment"), "Start assessment", key="Shift+Tab")
    press_enter(page)
    page.get_by_role("heading", name=NAME).wait_for()
    task_list = page.url
    footer_reachable(page, "the task list")
    tab_to(page, page.get_by_role("link", name="Proposal details"), "Proposal details", key="Shift+Tab")
    press_enter(page)
    type_into(page, page.get_by_label("Project Sponsor (if applicable)"), "Project Sponsor", "Director of Communities")
    type_into(page, page.get_by_label("Project Manager (if applicable) or Lead"), "Project Manager or Lead",
              "Lee Lead, Libraries Manager")
    date = page.get_by_role("group", name="Date", exact=True)
    type_into(page, date.get_by_label("Month"), "the month of Date", "3")
    type_into(page, date.get_by_label("Year"), "the year of Date", "2026")
    type_into(page, page.get_by_label("Directorate or service"), "Directorate or service", "Communities and Culture")
    type_into(page, page.get_by_label("Summary of the proposal"), "Summary of the proposal",
              "Change the opening hours of three libraries.\n\n- later on Thursdays\n- closed on Mondays")
    route = page.get_by_role("group", name="How will the decision be made?")
    tab_to(page, route.get_by_label("Cabinet", exact=True), "the first way a decision can be made")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert route.get_by_label("Officer decision").is_checked()
    decision = page.get_by_role("group", name="Expected decision date")
    type_into(page, decision.get_by_label("Day"), "the day of the decision date", "18")
    type_into(page, decision.get_by_label("Month"), "the month of the decision date", "9")
    type_into(page, decision.get_by_label("Year"), "the year of the decision date", "2027")
    size = page.get_by_role("group", name="How large is the project?")
    tab_to(page, size.get_by_label("Small"), "Small")
    page.keyboard.press("Space")
    assert size.get_by_label("Small").is_checked()
    tab_to(page, page.get_by_role("group", name="Can this assessment be published?").get_by_label(
        "Public", exact=True), "Public")
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("group", name="Have you completed this section?").get_by_label(
        "Yes, I've completed this section"), "Yes, I've completed this section")
    page.keyboard.press("Space")
    footer_reachable(page, "the proposal details page")
    tab_to(page, page.get_by_role("button", name="Save and come back later"), "Save and come back later",
           key="Shift+Tab")
    press_enter(page)
    page.get_by_text("Your answers have been saved").wait_for()
    assert page.locator("#task-details-status").inner_text().startswith("Completed")

    # 4. A section: Race has an impact, a benefit and two risks (added with the Add buttons); Disability has none.
    footer_reachable(page, "the task list")
    tab_to(page, page.get_by_role("link", name="Public Sector Equality Duty (PSED)", exact=True), "the PSED section",
           key="Shift+Tab")
    press_enter(page)
    race = page.get_by_role("group", name="Is there an impact? – Race", exact=True)
    tab_to(page, race.get_by_label("Yes, there is an impact"), "Yes, there is an impact (Race)")
    page.keyboard.press("Space")
    assert race.get_by_label("Yes, there is an impact").is_checked()
    type_into(page, page.get_by_label("Which groups will be affected – Race", exact=True), "the groups (Race)",
              "Library users learning English")
    tab_to(page, page.get_by_role("group", name="Benefits – Race", exact=True).get_by_role(
        "button", name="Add a benefit", exact=True), "Add a benefit (Race)")
    page.keyboard.press("Enter")
    wait_for_focus_on(page, "rows-0-benefits-0-text")
    page.keyboard.type("Evening conversation classes")
    risks = page.get_by_role("group", name="Risks and Mitigations / Recommendations – Race", exact=True)
    tab_to(page, risks.get_by_role("button", name="Add a risk", exact=True), "Add a risk (Race)")
    page.keyboard.press("Enter")
    wait_for_focus_on(page, "rows-0-risks-0-text")
    page.keyboard.type("Fewer hours for the conversation club")
    type_into(page, page.get_by_label("Mitigation or recommendation 1 for risk 1 in Race", exact=True),
              "mitigation 1 of risk 1", "Move the club to Thursday evening")
    type_into(page, page.get_by_label("Owner (optional) of mitigation 1 for risk 1 in Race", exact=True),
              "the owner of mitigation 1", "Libraries Manager")
    target_date = page.get_by_role("group", name="Target date (optional) of mitigation 1 for risk 1 in Race",
                                   exact=True)
    type_into(page, target_date.get_by_label("Day"), "the day of the target date", "1")
    type_into(page, target_date.get_by_label("Month"), "the month of the target date", "4")
    type_into(page, target_date.get_by_label("Year"), "the year of the target date", "2027")
    tab_to(page, risks.get_by_role("button", name="Add another risk", exact=True), "Add another risk (Race)")
    page.keyboard.press("Enter")
    wait_for_focus_on(page, "rows-0-risks-1-text")
    page.keyboard.type("Staff rotas change")  # ... and no mitigation yet
    disability = page.get_by_role("group", name="Is there an impact? – Disability", exact=True)
    tab_to(page, disability.get_by_label("Yes, there is an impact"), "the first answer (Disability)")
    page.keyboard.press("ArrowDown")
    assert disability.get_by_label("No impact identified (N/A)").is_checked()
    footer_reachable(page, "the PSED section page")
    tab_to(page, page.get_by_role("button", name="Save and continue"), "Save and continue", key="Shift+Tab")
    press_enter(page)

    # The error summary has focus; its link takes focus to the missing mitigation.
    summary = page.locator(".govuk-error-summary")
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    assert focused(page)["visible"], "no visible focus indicator on the error summary"
    tab_to(page, summary.get_by_role("link", name=re.compile("^Public Sector Equality Duty \\(PSED\\), Race: risk 2 "
                                                             "has no mitigation")), "the error about risk 2")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'rows-0-risks-1-mitigations-0-text'")
    assert focused(page)["visible"], "no visible focus indicator on the field the error message links to"
    page.keyboard.type("Agree rotas with staff a month ahead")
    footer_reachable(page, "the PSED section page with an error")
    tab_to(page, page.get_by_role("button", name="Save and come back later"), "Save and come back later",
           key="Shift+Tab")
    press_enter(page)
    page.get_by_text("Your answers have been saved").wait_for()

    # 5. The checker's page: a finding's link takes focus to its field on another page.
    footer_reachable(page, "the task list")
    tab_to(page, page.get_by_role("link", name="Check your assessment"), "Check your assessment", key="Shift+Tab")
    press_enter(page)
    finding = page.get_by_role("link", name="Public Sector Equality Duty (PSED), Sex: select whether there is an impact")
    tab_to(page, finding, "the finding about Sex")
    assert finding.get_attribute("href").endswith("/sections/psed#rows-2-impact")
    footer_reachable(page, "the checker's page")
    tab_to(page, finding, "the finding about Sex", key="Shift+Tab")
    press_enter(page)
    now = focused(page)
    assert now["id"] == "rows-2-impact", f"the finding's link left focus on {now['what']}"
    assert now["visible"], f"no visible focus indicator on {now['what']}"
    page.keyboard.press("ArrowDown")  # answer it: no impact
    assert page.get_by_role("group", name="Is there an impact? – Sex", exact=True).get_by_label(
        "No impact identified (N/A)").is_checked()
    footer_reachable(page, "the PSED section page, from the finding")
    tab_to(page, page.get_by_role("button", name="Save and come back later"), "Save and come back later",
           key="Shift+Tab")
    press_enter(page)
    page.get_by_text("Your answers have been saved").wait_for()

    # 6. A download link is reachable (not followed).
    word = page.get_by_role("link", name=re.compile("^Download Full CIA \\(Word\\)"))
    tab_to(page, word, "Download Full CIA (Word)")
    assert re.search(r"/assessments/\d+/download/docx$", word.get_attribute("href") or ""), word.get_attribute("href")
    footer_reachable(page, "the task list, from the downloads")

    # 7. The rest of the team fill in the other tasks (through the data layer, not typed here), and the
    #    project lead goes back to the task list from Home and submits the assessment for sign-off.
    _the_team_fills_in_the_rest(app, int(task_list.rstrip("/").rsplit("/", 1)[1]))
    tab_to(page, page.get_by_role("link", name="Home", exact=True), "Home", key="Shift+Tab")
    press_enter(page)
    tab_to(page, page.get_by_role("link", name=NAME), f"the assessment {NAME}")
    press_enter(page)
    assert page.url == task_list
    footer_reachable(page, "the task list of an assessment ready for sign-off")
    tab_to(page, page.get_by_role("link", name="Submit for sign-off"), "Submit for sign-off", key="Shift+Tab")
    press_enter(page)
    approver = page.get_by_label("Asha Approver (approver@example.gov.uk)")
    tab_to(page, approver, "the approver Asha Approver")
    page.keyboard.press("Space")
    assert approver.is_checked()
    footer_reachable(page, "the page to choose approvers")
    tab_to(page, page.get_by_role("button", name="Continue"), "Continue", key="Shift+Tab")
    press_enter(page)
    footer_reachable(page, "the confirmation page")
    tab_to(page, page.get_by_role("button", name="Submit for sign-off"), "Submit for sign-off", key="Shift+Tab")
    press_enter(page)
    page.get_by_role("heading", name="Assessment submitted for sign-off").wait_for()
    footer_reachable(page, "the submitted page")

    # 8. The approver signs in, opens the assessment from their home page and signs it off.
    context = browser.new_context(base_url=live_server, bypass_csp=True)
    try:
        other = context.new_page()
        other.set_default_timeout(15_000)
        other.goto("/sign-in")
        keyboard_sign_in(other, APPROVER)
        footer_reachable(other, "the approver's home page")
        tab_to(other, other.get_by_role("link", name=NAME), f"the assessment {NAME}", key="Shift+Tab")
        press_enter(other)
        other.get_by_role("heading", name=f"Sign off: {NAME}").wait_for()
        footer_reachable(other, "the sign-off page, through the whole assessment")
        # "sign it off", near the top, jumps over the whole assessment to the decision form.
        tab_to(other, other.get_by_role("link", name="sign it off"), "the link to the decision", key="Shift+Tab")
        other.keyboard.press("Enter")
        declaration = other.get_by_label("I have read this Community Impact Assessment")
        presses = tab_to(other, declaration, "the declaration")
        assert presses == 1, f"after the link to the decision, {presses} presses of Tab to reach the declaration"
        other.keyboard.press("Space")
        assert declaration.is_checked()
        type_into(other, other.get_by_label("Comment (optional)"), "Comment (optional)", "Clear and complete.")
        tab_to(other, other.get_by_role("button", name="Sign off", exact=True), "Sign off")
        press_enter(other)
        other.get_by_text("You have signed off this assessment. It is now approved").wait_for()
        footer_reachable(other, "the page after signing off")
    finally:
        context.close()

    _typed_answers_were_kept(app, int(task_list.rstrip("/").rsplit("/", 1)[1]))


def _the_team_fills_in_the_rest(app, assessment_id: int) -> None:
    """Every task the journey does not type, answered as tests.workflow_helpers' clean assessment is.

    The proposal details and the PSED rows typed with the keyboard (Race, Disability, Sex) are kept.
    """
    from sqlalchemy import select

    from cia.data import assessments, parts
    from cia.extensions import db
    from cia.models import User
    from tests.workflow_helpers import clean_data, current

    with app.app_context():
        revision = current(assessment_id)
        author = db.session.execute(select(User).where(User.email == AUTHOR)).scalar_one()
        clean = parts.split(clean_data(AUTHOR, "other@example.gov.uk", small=True), assessments.template_for(revision))
        for name, part in clean.items():
            if name == "details":
                continue
            loaded = assessments.load_part(revision, name)
            if name == "section:psed":
                part.rows[:3] = loaded.data.rows[:3]
            assert assessments.save_part(revision, name, part, loaded.version, author).ok, name
        _, report = assessments.check(revision)
        db.session.commit()
        assert report.can_submit, [f.message for f in report.errors + report.unacknowledged_warnings]


def _typed_answers_were_kept(app, assessment_id: int) -> None:
    """What was typed with the keyboard is in the approved revision."""
    from cia.data import assessments
    from tests.workflow_helpers import current

    with app.app_context():
        revision = current(assessment_id)
        assert revision.status == "approved"
        data = assessments.load_assessment(revision)
        details = data.details
        assert (details.name, details.sponsor, details.date, details.decision_route, details.decision_date,
                details.project_size, details.publication_status, details.completed) == (
            NAME, "Director of Communities", "2026-03", "officer", "2027-09-18", "small", "public", True)
        assert details.summary.startswith("Change the opening hours of three libraries.\n\n- later on Thursdays")
        race, disability, sex = data.section("psed").rows[:3]
        assert (race.impact, race.groups, [b.text for b in race.benefits]) == (
            "yes", "Library users learning English", ["Evening conversation classes"])
        assert [(r.text, [(m.text, m.owner, m.target_date) for m in r.mitigations]) for r in race.risks] == [
            ("Fewer hours for the conversation club", [("Move the club to Thursday evening", "Libraries Manager",
                                                        "2027-04-01")]),
            ("Staff rotas change", [("Agree rotas with staff a month ahead", "", "")]),
        ]
        assert (disability.impact, sex.impact) == ("no", "no")
