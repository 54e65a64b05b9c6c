"""An equality lead builds a template from nothing, only through the designer's pages: a screening
question that can end the assessment, a section shown only on the full path, ratings of protected
characteristics, a free-text question, an action plan and two sign-off steps; previews both
screening paths; publishes it. (Still to add: an author completing an assessment on it, the checker
applying the configured rule and the exports carrying every answer.)"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

ADMIN = "admin@example.gov.uk"
AUTHOR = "author@example.gov.uk"
NAME = "Borsetshire equality impact assessment"
FULL = "Is a full equality impact assessment needed?"


def _saved(page) -> None:
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()


def _add(page, button: str) -> None:
    page.get_by_role("button", name=button).click()


def _fill_list(page, name: str, field: str, values, add_button: str) -> None:
    """Fill the boxes of a list in order, adding one ("Add another ...") when the page has too few."""
    for n, value in enumerate(values):
        box = page.locator(f"#{name}-{n}-{field}")
        if not box.count():
            _add(page, add_button)
        box.fill(value)


def _start_blank(page) -> str:
    page.get_by_role("link", name="Templates").click()
    page.get_by_role("link", name="Start a template").click()
    page.get_by_label("From scratch").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Template name").fill(NAME)
    page.get_by_label("Organisation").fill("Borsetshire County Council")
    page.get_by_label("Title of the first section").fill("Screening")
    page.get_by_role("button", name="Create the template").click()
    expect(page.get_by_text("has been created")).to_be_visible()
    assert_accessible(page, "a new template's version page")
    return page.url


def _rating_scale(page, version: str) -> None:
    page.goto(version)
    page.get_by_role("link", name="Rating scales").click()
    page.get_by_role("link", name="Add a rating scale").click()
    page.get_by_label("Name of the scale").fill("Equality impact")
    _fill_list(page, "options", "label", ("Positive", "Neutral", "Negative"), "Add another option")
    assert_accessible(page, "a new rating scale with three options")
    _saved(page)


def _question(page, kind: str, label: str, *, hint: str = "", options=(), scale: str = "",
              optional: bool = False) -> None:
    """From a section's questions page: "Add a question", its kind, then its settings."""
    page.get_by_role("link", name=re.compile(r"^Add (a|another) question$")).click()
    page.get_by_label(kind, exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Question text", exact=True).fill(label)
    if hint:
        page.get_by_label("Hint text (optional)").first.fill(hint)
    page.get_by_label("No, it is optional" if optional else "Yes, it is required").first.check()
    if options:
        _fill_list(page, "options", "label", options, "Add another option")
    if scale:
        page.get_by_label("Scale").select_option(label=scale)


def _condition(page, question: str, answers, effect: str) -> None:
    """On a condition page: the question it depends on, and the answers that have the effect."""
    page.get_by_label(question, exact=True).check()
    group = page.get_by_role("group", name=re.compile(f"^Select the answers that {effect}.*{re.escape(question)}$"))
    for answer in answers:
        group.get_by_label(answer, exact=True).check()


def test_build_a_template_then_complete_an_assessment_on_it(page, users):
    page.set_default_timeout(8000)
    sign_in(page, ADMIN)
    version = _start_blank(page)
    _rating_scale(page, version)

    # Screening: the question that can end the assessment.
    page.goto(version)
    page.get_by_role("link", name="Sections and category areas").click()
    page.get_by_role("link", name="Screening").first.click()
    page.get_by_role("link", name="Questions in this section").click()
    _question(page, "Long text", "What is the proposal, and who does it affect?")
    _saved(page)
    _question(page, "Yes or no", FULL, hint="Answer yes if people could be affected differently because of a "
                                             "protected characteristic, or if you are not sure.")
    assert_accessible(page, "a new yes or no question")
    _saved(page)
    _question(page, "Long text", "Explain why a full assessment is not needed")
    _saved(page)
    expect(page.get_by_role("heading", name=f"2. {FULL}")).to_be_visible()

    # "Explain why" only when no full assessment is needed; the assessment ends after screening then.
    page.goto(f"{version}/conditions/question/explain_why_a_full_assessment_is_not_needed")
    _condition(page, FULL, ["No"], "show it")
    assert_accessible(page, "a question's condition, answers revealed")
    _saved(page)
    page.goto(f"{version}/conditions/end/screening")
    _condition(page, FULL, ["No"], "end the assessment")
    _saved(page)

    # The full assessment: a section shown only when it is needed.
    page.goto(version)
    page.get_by_role("link", name="Sections and category areas").click()
    page.get_by_role("link", name="Add a section").click()
    page.get_by_label("What is the title of the new section?").fill("Protected characteristics")
    page.get_by_role("button", name="Add the section").click()
    page.goto(f"{version}/conditions/section/protected_characteristics")
    _condition(page, FULL, ["Yes"], "show it")
    _saved(page)
    page.goto(f"{version}/sections/protected_characteristics/questions")
    for characteristic in ("Age", "Disability"):
        _question(page, "Rating on a scale", characteristic, scale="Equality impact")
        _saved(page)
    _question(page, "Long text", "Describe the evidence for your ratings")
    _saved(page)
    _question(page, "List of items (add another)", "Action plan", optional=True)
    page.get_by_label("What is one item called? (optional)").fill("action")
    _fill_list(page, "subs", "label", ("Action", "Lead officer", "Timescale"), "Add another question")
    page.locator("#subs-0-kind").select_option(label="Long text")
    page.locator("#subs-1-kind").select_option(label="Short text")
    page.locator("#subs-2-kind").select_option(label="Short text")
    assert_accessible(page, "a list question with three sub-questions")
    _saved(page)

    # Two sign-off steps, one for each path.
    page.goto(version)
    page.get_by_role("link", name="Sign-off steps").click()
    _fill_list(page, "steps", "title", ("Head of Service's screening decision", "Equalities officer's review"),
               "Add another step")
    page.get_by_role("group", name=re.compile("^Who may sign at this step.*sign-off step 1$")).get_by_label(
        "Head of Service").check()
    page.get_by_role("group", name=re.compile("^Who may sign at this step.*sign-off step 2$")).get_by_label(
        "Equalities officer").check()
    _saved(page)
    page.goto(f"{version}/conditions/step/head_of_service_s_screening_decision")
    _condition(page, FULL, ["No"], "use it")
    _saved(page)
    page.goto(f"{version}/conditions/step/equalities_officer_s_review")
    _condition(page, FULL, ["Yes"], "use it")
    _saved(page)

    # The checker: a negative rating needs an action in the action plan.
    page.goto(version)
    page.get_by_role("link", name="Checker rules").click()
    rule = page.get_by_role("group", name=re.compile("^CIA-R18:"))
    rule.get_by_label("On", exact=True).check()
    rule.get_by_label("Equality impact: Negative").check()
    rule.get_by_role("combobox", name=re.compile("^The action plan")).select_option(label="Protected characteristics: Action plan")
    _saved(page)

    # Preview both screening paths.
    page.goto(version)
    page.get_by_role("link", name="Preview this version as an author sees it").click()
    for answer, shown in (("No", False), ("Yes", True)):
        page.get_by_role("link", name="Screening", exact=True).click()
        page.get_by_role("group", name=FULL).get_by_label(answer, exact=True).check()
        page.get_by_role("button", name="Save and continue").click()
        page.goto(page.url.split("/preview")[0] + "/preview")
        characteristics = page.get_by_role("link", name="Protected characteristics", exact=True)
        expect(characteristics).to_be_visible() if shown else expect(characteristics).to_have_count(0)
        assert_accessible(page, f"the preview's task list after answering {answer}")
        page.get_by_role("button", name="Start the preview again").click()

    # Each section ends with an Evidence Base: its likelihood and size-of-impact scales.
    page.goto(version)
    page.get_by_role("link", name="Likelihood and size of impact scales").click()
    _fill_list(page, "likelihood", "label", ("Unlikely", "Likely"), "Add an option to the likelihood scale")
    _fill_list(page, "impact", "label", ("Small", "Large"), "Add an option to the size of impact scale")
    _saved(page)

    # Check and publish.
    page.goto(version)
    page.get_by_role("link", name="Check and publish").click()
    assert_accessible(page, "check and publish a new template")
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.locator(".govuk-notification-banner__content")).to_contain_text("published")
