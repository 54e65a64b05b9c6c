"""An administrator adds a list question with two questions for each item, with the keyboard alone:
from the section's questions, choosing the kind with the arrow keys, typing the settings, adding a
second sub-question with its "Add another question" button (a page load without JavaScript's help),
and saving. Tab, the arrow keys, Enter and typing only, after signing in and opening the first page.
"""

from __future__ import annotations

from tests.browser.condition_states import england_draft
from tests.browser.conftest import sign_in
from tests.browser.test_keyboard_journey import press_enter, tab_to, type_into, wait_for_focus_on


def test_a_list_question_with_sub_questions_is_added_with_the_keyboard(app, page, users):
    draft = int(england_draft(app).rsplit("/", 1)[1])
    sign_in(page, "admin@example.gov.uk")
    page.goto(f"/templates/versions/{draft}/sections/action_plan/questions")

    tab_to(page, page.get_by_role("link", name="Add another question"), "Add another question")
    press_enter(page)

    tab_to(page, page.get_by_role("radio").first, "the first kind of answer")
    listed = page.get_by_label("List of items (add another)")
    for _ in range(len(page.get_by_role("radio").all())):
        if listed.is_checked():
            break
        page.keyboard.press("ArrowDown")
    assert listed.is_checked(), "the arrow keys did not reach the list kind"
    tab_to(page, page.get_by_role("button", name="Continue"), "Continue")
    press_enter(page)

    type_into(page, page.get_by_label("Question text", exact=True), "Question text", "Consultation events")
    type_into(page, page.get_by_label("What is one item called? (optional)"), "the item's name", "event")
    type_into(page, page.get_by_label("Question text of question 1"), "question 1", "Where it was held")
    tab_to(page, page.get_by_role("button", name="Add another question"), "Add another question")
    page.keyboard.press("Enter")
    wait_for_focus_on(page, "subs-1-label")  # the new question's text, with or without a page load
    page.keyboard.type("How many came")
    tab_to(page, page.get_by_label("Kind of answer to question 2"), "the kind of question 2")
    page.keyboard.type("Number")  # a select chooses the option whose name is typed
    tab_to(page, page.get_by_role("button", name="Save", exact=True), "Save")
    press_enter(page)

    assert page.get_by_text("The question has been added").is_visible()
    assert page.get_by_role("heading", name="Consultation events").is_visible()
    from cia.data import templates

    with app.app_context():
        question = templates.spec_for_version(draft).question("consultation_events")
    assert question.kind == "list" and question.item_name == "event"
    assert [(q.key, q.kind, q.label) for q in question.questions] == [
        ("where_it_was_held", "short_text", "Where it was held"), ("how_many_came", "number", "How many came")]
