"""Page states of saving (listed in tests/browser/pages.py PAGE_STATES): a save that kept all but a
mistyped answer, the page shown again with that answer, and the conflict page with a choice per row."""

from __future__ import annotations


def _new_assessment(page, name: str = "Library opening hours") -> str:
    page.goto("/assessments/new")
    page.get_by_label("What is the name of the proposal?").fill(name)
    page.get_by_role("button", name="Start assessment").click()
    page.get_by_role("heading", name=name).wait_for()
    return page.url


def _partly_saved(page) -> str:
    """"Save and come back later" with a date that does not exist: the task list's banner."""
    details = _new_assessment(page) + "/details"
    page.goto(details)
    page.get_by_label("Summary of the proposal").fill("Fewer opening hours")
    date = page.get_by_role("group", name="Expected decision date")
    date.get_by_label("Day").fill("31")
    date.get_by_label("Month").fill("2")
    date.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_text("Not everything was saved").wait_for()
    return details


def _not_saved_yet(page) -> None:
    page.goto(_partly_saved(page))
    page.get_by_text("were not saved because they need correcting").wait_for()


def _conflict_per_row(page, app) -> None:
    """A colleague saved the same row meanwhile (through the pages, so their version is known)."""
    from tests.helpers import page_fields, post_page, signed_in

    section = _new_assessment(page) + "/sections/economy"
    page.goto(section)
    path = section.split("://", 1)[1].split("/", 1)[1]
    colleague = signed_in(app, "author@example.gov.uk")
    fields = page_fields(colleague.get("/" + path).get_data(as_text=True))
    post_page(colleague, "/" + path, {"rows-0-groups": "Small businesses in the town centre",
                                      "rows-1-groups": "Families on low incomes"}, fields=fields, submit="later")
    page.get_by_role("group", name="Is there an impact? – Economic Growth", exact=True).get_by_label(
        "Yes, there is an impact").check()
    page.get_by_label("Which groups will be affected – Economic Growth", exact=True).fill("Market traders")
    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_text("changed the same answer while you were editing").wait_for()


SAVING_PAGE_STATES = [
    ("task list after saving all but a mistyped date", _partly_saved, "author"),
    ("a page shown again with a mistyped date not saved yet", _not_saved_yet, "author"),
    ("conflict page with a choice per row", _conflict_per_row, "author"),
]
