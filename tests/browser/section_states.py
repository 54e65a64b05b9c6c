"""Page states of the long section pages for the accessibility and narrow-screen suites
(tests/browser/pages.py): the contents list with every state, a row marked N/A with its fields
hidden beside one with an impact and its fields shown, and one category area per page."""

from __future__ import annotations


def _answered(page) -> str:
    """Environment with Transport answered (risk and mitigation) and Noise N/A; the task list's URL."""
    from tests.browser.pages import _with_answers

    return _with_answers(page)


def _contents_and_na(page) -> None:
    page.goto(_answered(page) + "/sections/environment")
    page.locator("#conditional-rows-5-impact").wait_for()  # Transport: its fields revealed


def _na_chosen(page) -> None:
    """Transport switched to N/A in the browser: its fields hidden again, nothing saved yet."""
    page.goto(_answered(page) + "/sections/environment")
    page.get_by_role("group", name="Is there an impact? – Transport", exact=True).get_by_label(
        "No impact identified (N/A)").check()
    page.locator("#conditional-rows-5-impact").wait_for(state="hidden")


def _one_area(page) -> None:
    page.goto(_answered(page) + "/sections/environment/areas/transport")


def _one_area_with_errors(page) -> None:
    page.goto(_answered(page) + "/sections/environment/areas/transport")
    page.get_by_label("Month").first.fill("13")
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".govuk-error-summary").wait_for()


SECTION_PAGE_STATES = [
    ("section page with its contents list, an impact revealed and N/A hidden", _contents_and_na, "author"),
    ("section page with N/A just chosen", _na_chosen, "author"),
    ("one category area per page", _one_area, "author"),
    ("one category area with a date that does not exist", _one_area_with_errors, "author"),
]
