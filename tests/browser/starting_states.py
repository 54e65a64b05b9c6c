"""Page states of starting a template, duplicating one, and the changes shown on publish and move
(tests/browser/pages.py). Each signs in as an administrator and gets there through the pages."""

from __future__ import annotations

import re

SEEDED = "Community Impact Assessment Template"


def _start(page) -> None:
    page.goto("/templates/")
    page.get_by_role("link", name="Start a template").click()
    page.get_by_role("group", name="How do you want to start the template?").wait_for()


def _start_without_a_choice(page) -> None:
    _start(page)
    page.get_by_role("button", name="Continue").click()
    page.locator(".govuk-error-summary").wait_for()


def _from_scratch(page) -> None:
    _start(page)
    page.get_by_label("From scratch").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Title of the first section").wait_for()


def _from_scratch_with_errors(page) -> None:
    """A name another template has, and no section title."""
    _from_scratch(page)
    page.get_by_label("Template name").fill(SEEDED)
    page.get_by_role("button", name="Create the template").click()
    page.locator(".govuk-error-summary").wait_for()


def _created_from_scratch(page) -> None:
    _from_scratch(page)
    page.get_by_label("Template name").fill("Equality screening")
    page.get_by_label("Title of the first section").fill("Screening")
    page.get_by_role("button", name="Create the template").click()
    page.get_by_text("has been created. Version 1 is a draft").wait_for()


def _publish_from_scratch(page) -> None:
    """Check and publish of a new template: what it still needs, and no version to compare with."""
    _created_from_scratch(page)
    page.get_by_role("link", name="Check and publish").click()
    page.get_by_text("there is no published version to compare it with").wait_for()


def _copy_shipped(page) -> None:
    _start(page)
    page.get_by_label("By copying a template that comes with this service").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("group", name="Which template do you want to copy?").wait_for()


def _copy_shipped_with_errors(page) -> None:
    _copy_shipped(page)
    page.get_by_role("button", name="Create the template").click()
    page.locator(".govuk-error-summary").wait_for()


def _duplicate(page) -> None:
    page.goto("/templates/")
    # (Chromium names the link "Duplicate this template : ...": the hidden text is positioned, so a block.)
    page.get_by_role("link", name=re.compile(f"^Duplicate this template\\W+{SEEDED}$")).click()
    page.get_by_role("heading", name="Duplicate this template").wait_for()


def _duplicate_with_error(page) -> None:
    _duplicate(page)
    page.get_by_label("Template name").fill(SEEDED)
    page.get_by_role("button", name="Duplicate the template").click()
    page.locator(".govuk-error-summary").wait_for()


def _draft_with_changes(page) -> str:
    """A new version of the seeded template with a section renamed; the URL of its version page."""
    page.goto("/templates/")
    page.get_by_role("button", name="Create new version").first.click()
    page.get_by_text("has been created as a draft").wait_for()
    version = page.url
    page.goto(version + "/sections/environment")
    page.get_by_label("Section title").fill("Our environment")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("has been saved").wait_for()
    return version


def _publish_with_changes(page) -> None:
    page.goto(_draft_with_changes(page) + "/publish")
    page.get_by_text("Renamed section “Environment” to “Our environment”").wait_for()


def _move_with_changes(page) -> None:
    """An assessment on version 1 (the administrator is an author too), offered the move to version 2."""
    page.goto("/assessments/new")
    page.get_by_label("What is the name of the proposal?").fill("Library redesign")
    page.get_by_role("button", name="Start assessment").click()
    page.get_by_role("heading", name="Library redesign").wait_for()
    task_list = page.url
    page.goto(_draft_with_changes(page) + "/publish")
    page.get_by_role("button", name="Publish version 2").click()
    page.get_by_text("New assessments will use it").wait_for()
    page.goto(task_list)
    page.get_by_role("link", name="See what changes and move to version 2").click()
    page.get_by_text("What changed between version 1 and version 2").wait_for()


STARTING_PAGE_STATES = [
    ("starting: how to start a template", _start, "admin"),
    ("starting: how to start, nothing chosen", _start_without_a_choice, "admin"),
    ("starting: from scratch", _from_scratch, "admin"),
    ("starting: from scratch with a name taken and no section", _from_scratch_with_errors, "admin"),
    ("starting: a new template's check and publish", _publish_from_scratch, "admin"),
    ("starting: copy a shipped template", _copy_shipped, "admin"),
    ("starting: copy a shipped template, nothing chosen", _copy_shipped_with_errors, "admin"),
    ("starting: duplicate a template", _duplicate, "admin"),
    ("starting: duplicate with a name taken", _duplicate_with_error, "admin"),
    ("starting: check and publish with what changed", _publish_with_changes, "admin"),
    ("starting: move an assessment, with what changed", _move_with_changes, "admin"),
]
