"""Page states of the confidential marks beyond rows for the accessibility suite (listed in
tests/browser/pages.py): the Community Impact page and a page of questions with their boxes ticked. The
assessment is stored as the same author the browser is signed in as; the browser then opens the page.
"""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from cia.extensions import db
from cia.models import User
from tests.integration.test_confidential_answers import assessment_with_answers


def _marked(app) -> int:
    with app.app_context():
        author = db.session.execute(select(User).where(User.email == "author@example.gov.uk")).scalar_one()
    return assessment_with_answers(app, SimpleNamespace(author=author.id), marked=True)


def _opened(path: str, ready: str):
    def state(page, app) -> None:
        page.goto(f"/assessments/{_marked(app)}/{path}")
        page.get_by_text(ready, exact=False).first.wait_for()

    return state


CONFIDENTIAL_PAGE_STATES = [
    ("Community Impact paragraphs with one marked confidential",
     _opened("community-impact", "Mark as confidential: not for the public version"), "author"),
    ("questions with an answer marked confidential",
     _opened("sections/ways_of_working/questions", "Mark as confidential: not for the public version"), "author"),
]
