"""Page states of the template designer for the accessibility suite (tests/browser/pages.py).

Each brings the browser, signed in as an administrator (or the author, for moving an assessment),
to one state of one designer page. Version ids differ between runs, so states navigate by links.
"""

from __future__ import annotations

_BAD_YAML = b"name: Broken\nsections:\n  - key: one\n   title: misaligned\n"


def draft(page) -> str:
    """Create a new version (a draft) from the templates page; the URL of the version page."""
    page.goto("/templates/")
    page.get_by_role("button", name="Create new version").first.click()
    page.get_by_text("has been created as a draft").wait_for()
    return page.url


def _version_page(page) -> None:
    draft(page)


def _open(part: str):
    def state(page) -> None:
        page.goto(draft(page) + part)

    return state


def _details_with_error(page) -> None:
    page.goto(draft(page) + "/details")
    page.get_by_label("Template name").fill("")
    page.get_by_label("Organisation").fill("Borsetshire County Council")
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".govuk-error-summary").wait_for()


def _section_with_new_area(page) -> None:
    page.goto(draft(page) + "/sections/environment")
    page.get_by_role("button", name="Add another category area").click()
    page.get_by_label("Title of category area 8", exact=True).wait_for()


def _section_with_error(page) -> None:
    _section_with_new_area(page)
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".govuk-error-summary").wait_for()


def _publish_with_problems(page) -> None:
    version = draft(page)
    page.goto(version + "/scales")
    for remaining in (3, 2, 1, 0):
        page.get_by_role("button", name="Remove likelihood option 1", exact=True).click()
        page.locator(f"#likelihood-{remaining}").wait_for(state="detached")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Your changes have been saved").wait_for()
    page.goto(version + "/publish")
    page.locator(".govuk-error-summary").wait_for()


def _upload_with_error(page) -> None:
    import tempfile

    page.goto(draft(page) + "/upload")
    with tempfile.NamedTemporaryFile(suffix=".yaml", delete=False) as fh:
        fh.write(_BAD_YAML)
    page.get_by_label("Upload a YAML file").set_input_files(fh.name)
    page.get_by_role("button", name="Replace the draft").click()
    page.locator(".govuk-error-summary").wait_for()


def _frozen(page) -> None:
    page.goto("/templates/")
    page.get_by_role("link", name="Version 1 of Community Impact Assessment Template").click()
    page.goto(page.url + "/sections/psed")
    page.get_by_text("Published and retired versions never change").wait_for()


def _conflict(page, app) -> None:
    """Another administrator saves the section (in the database) while this one is typing."""
    from sqlalchemy import select

    from cia.data import templates
    from cia.extensions import db
    from cia.models import TemplateVersion

    page.goto(draft(page) + "/sections/economy")
    with app.app_context():
        version = db.session.execute(select(TemplateVersion).where(TemplateVersion.status == "draft")).scalar_one()
        spec = templates.spec_for_version(version.id).copy()
        spec.sections[2].category_areas[0].title = "Growth"
        templates.write_spec(version, spec)
        db.session.commit()
    page.get_by_label("Title of category area 2", exact=True).fill("Income and poverty")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Another administrator changed this draft while you were editing it").wait_for()


def _publish_version_two(page) -> None:
    version = draft(page)
    page.goto(version + "/publish")
    page.get_by_role("button", name="Publish version 2").click()
    page.get_by_text("New assessments will use it").wait_for()


def _task_list_with_newer_version(page) -> None:
    """An assessment started on version 1 (the administrator is an author too), then version 2 published."""
    page.goto("/assessments/new")
    page.get_by_label("What is the name of the proposal?").fill("Library redesign")
    page.get_by_role("button", name="Start assessment").click()
    page.get_by_role("heading", name="Library redesign").wait_for()
    task_list = page.url
    _publish_version_two(page)
    page.goto(task_list)
    page.get_by_role("link", name="See what changes and move to version 2").wait_for()


def _move_plan(page) -> None:
    _task_list_with_newer_version(page)
    page.get_by_role("link", name="See what changes and move to version 2").click()
    page.get_by_role("button", name="Move to version 2").wait_for()


def _move_done(page) -> None:
    _move_plan(page)
    page.get_by_role("button", name="Move to version 2").click()
    page.get_by_text("Moved to version 2").wait_for()


def _retire(page) -> None:
    _publish_version_two(page)
    page.goto(page.url + "/retire")


DESIGNER_PAGE_STATES = [
    ("designer: templates", "/templates/", "admin"),
    ("designer: a draft version", _version_page, "admin"),
    ("designer: name and general text", _open("/details"), "admin"),
    ("designer: name and general text with an error", _details_with_error, "admin"),
    ("designer: header fields", _open("/header-fields"), "admin"),
    ("designer: column guidance", _open("/columns"), "admin"),
    ("designer: completing guidance", _open("/guidance/completing"), "admin"),
    ("designer: please note", _open("/guidance/please-note"), "admin"),
    ("designer: sections", _open("/sections"), "admin"),
    ("designer: add a section", _open("/sections/new"), "admin"),
    ("designer: remove a section", _open("/sections/economy/remove"), "admin"),
    ("designer: a section with a new category area", _section_with_new_area, "admin"),
    ("designer: a section with an error", _section_with_error, "admin"),
    ("designer: a section changed by someone else", _conflict, "admin"),
    ("designer: scales", _open("/scales"), "admin"),
    ("designer: checker rules", _open("/rules"), "admin"),
    ("designer: preview task list", _open("/preview"), "admin"),
    ("designer: preview section", _open("/preview/sections/psed"), "admin"),
    ("designer: preview evidence base", _open("/preview/sections/environment/evidence"), "admin"),
    ("designer: publish", _open("/publish"), "admin"),
    ("designer: publish with problems", _publish_with_problems, "admin"),
    ("designer: retire", _retire, "admin"),
    ("designer: delete a draft", _open("/delete"), "admin"),
    ("designer: upload", _open("/upload"), "admin"),
    ("designer: upload with an error", _upload_with_error, "admin"),
    ("designer: import", "/templates/import", "admin"),
    ("designer: published version refuses changes", _frozen, "admin"),
    ("designer: move an assessment", _move_plan, "admin"),
    ("designer: assessment moved", _move_done, "admin"),
    ("designer: task list with a newer version", _task_list_with_newer_version, "admin"),
]
