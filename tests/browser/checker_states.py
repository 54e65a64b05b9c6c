"""Page states of the checker's accuracy work for the accessibility suite (tests/browser/pages.py):
the administrators' Link check page with dead links, and the designer's Checker rules page with a
template term refused."""

from __future__ import annotations

from tests.browser.designer_states import draft


def _link_check_with_dead_links(page, app) -> None:
    from cia import linkfetch as fetch
    from cia.data import linkchecks as store
    from cia.extensions import db

    with app.app_context():
        db.session.add_all([
            store.LinkCheck(url="https://www.example.gov.uk/old-report.pdf", outcome=fetch.DEAD,
                            reason="page not found (404)", status_code=404),
            store.LinkCheck(url="https://gone.example.org/consultation", outcome=fetch.DEAD,
                            reason="no such host name (DNS failure)"),
        ])
        db.session.commit()
        store.forget_dead_links()
    page.goto("/admin/link-check")


def _rules_with_a_bad_term(page) -> None:
    page.goto(draft(page) + "/rules")
    page.get_by_label("More internal host names for CIA-R10").fill("https://intra.example.org/pages")
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".govuk-error-summary").wait_for()


CHECKER_PAGE_STATES = [
    ("link check with dead links", _link_check_with_dead_links, "admin"),
    ("designer: checker rules with a bad term", _rules_with_a_bad_term, "admin"),
]
