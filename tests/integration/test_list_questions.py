"""A list question ("add another") filled in through the questions page as an officer would, without
JavaScript: "Add another action" and "Remove" keep everything typed and save nothing; a problem in
one item names the item and links to its field; saved items keep their ids; the checker points at
an item's field; the view, Word, Excel and JSON show every item.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

import openpyxl
import pytest
from sqlalchemy import select

from cia.data import templates
from cia.extensions import db
from cia.models import Template
from tests.helpers import error_summary, page_fields, post_page, press, signed_in, stored_part
from tests.integration.designer_support import AUTHOR, main_text

TEMPLATE = """\
name: Action plans
organisation: Example Borough Council
rule_settings:
  CIA-R17: {enabled: true, severity: ""}
  CIA-R09: {enabled: true, severity: ""}
sections:
- key: plan
  title: Acting on the findings
  evidence_base: false
  questions:
  - {key: summary, kind: short_text, label: What is the proposal called locally?, required: false}
  - key: actions
    kind: list
    label: Action plan
    item_name: action
    questions:
    - {key: action, kind: long_text, label: Action}
    - {key: lead, kind: short_text, label: Lead officer}
    - {key: timescale, kind: month_year, label: Timescale}
    - {key: resources, kind: short_text, label: Resources, required: false}
"""


@pytest.fixture
def plan_version(app, tmp_path) -> int:
    path = tmp_path / "action-plans.yaml"
    path.write_text(TEMPLATE, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["cia", "template-import", str(path), "--publish"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        templates._spec_cache.clear()
        return db.session.execute(select(Template).where(Template.name == "Action plans")).scalar_one().versions[0].id


@pytest.fixture
def author(app, users):
    return signed_in(app, AUTHOR)


def _start(author, version_id: int) -> int:
    response = author.post("/assessments/new", data={"name": "Library hours", "template": str(version_id)})
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _answers(app, aid: int) -> dict:
    with app.app_context():
        return stored_part(aid, "questions:plan").get("answers", {})


FIRST = {"q-actions-0-action": "Hold drop-in sessions in each library", "q-actions-0-lead": "Sam Jones",
         "q-actions-0-timescale-month": "3", "q-actions-0-timescale-year": "2027"}


def test_add_another_and_remove_keep_everything_typed_and_save_nothing(app, plan_version, author):
    aid = _start(author, plan_version)
    url = f"/assessments/{aid}/sections/plan/questions"
    html = author.get(url).get_data(as_text=True)
    assert ">Action 1</legend>" in html and ">Action 2</legend>" not in html
    assert ">Add another action</button>" in html

    html = press(author, url, "add:q-actions", html, {**FIRST, "q-summary": "Library hours"}).get_data(as_text=True)
    assert ">Action 2</legend>" in html and error_summary(html) == []
    fields = page_fields(html)
    assert fields["q-actions-0-lead"] == "Sam Jones" and fields["q-summary"] == "Library hours"
    assert fields["q-actions-1-lead"] == "" and re.fullmatch(r"[0-9a-f]{10}", fields["q-actions-1-id"])
    assert _answers(app, aid) == {}  # nothing saved yet

    second = {"q-actions-1-action": "Survey users", "q-actions-1-lead": "Ali Khan",
              "q-actions-1-timescale-month": "13", "q-actions-1-timescale-year": "2027"}
    html = press(author, url, "add:q-actions", html, second).get_data(as_text=True)
    third = {"q-actions-2-action": "Report to Cabinet", "q-actions-2-timescale-month": "14",
             "q-actions-2-timescale-year": "2027"}
    html = press(author, url, "remove:q-actions-1", html, third).get_data(as_text=True)
    assert ">Action 3</legend>" not in html and "Survey users" not in html
    fields = page_fields(html)
    assert fields["q-actions-1-action"].strip() == "Report to Cabinet"  # the third is now the second
    assert fields["q-actions-1-timescale-month"] == "14"  # what was typed, though it is not a month
    assert fields["q-actions-0-lead"] == "Sam Jones" and _answers(app, aid) == {}


def test_a_problem_in_an_item_names_it_links_to_its_field_and_loses_nothing(app, plan_version, author):
    aid = _start(author, plan_version)
    url = f"/assessments/{aid}/sections/plan/questions"
    html = press(author, url, "add:q-actions", author.get(url).get_data(as_text=True), FIRST).get_data(as_text=True)
    typed = {"q-actions-1-action": "Survey users", "q-actions-1-lead": "Ali Khan",
             "q-actions-1-timescale-month": "13", "q-actions-1-timescale-year": "2027"}
    response = post_page(author, url, typed, fields=page_fields(html), submit="continue")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ("#q-actions-1-timescale", 'Action 2: "Timescale" must be a real date') in error_summary(html)
    assert '<p id="q-actions-1-timescale-error" class="govuk-error-message">' in html
    fields = page_fields(html)
    assert fields["q-actions-1-timescale-month"] == "13" and fields["q-actions-1-lead"] == "Ali Khan"
    assert fields["q-actions-0-action"].strip() == "Hold drop-in sessions in each library"
    assert _answers(app, aid) == {}

    response = post_page(author, url, {"q-actions-1-timescale-month": "5"}, fields=fields, submit="later")
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    items = _answers(app, aid)["actions"]
    assert [(i["lead"], i["timescale"]) for i in items] == [("Sam Jones", "2027-03"), ("Ali Khan", "2027-05")]
    ids = [i["id"] for i in items]

    # Back to the page: the items are there; saved again (with a blank one added), they keep their ids.
    html = author.get(url).get_data(as_text=True)
    assert page_fields(html)["q-actions-1-timescale-month"] == "5"
    html = press(author, url, "add:q-actions", html).get_data(as_text=True)
    response = post_page(author, url, {"q-actions-0-resources": "Two staff days"}, fields=page_fields(html),
                         submit="later")
    assert response.status_code == 302
    again = _answers(app, aid)["actions"]
    assert [i["id"] for i in again] == ids and again[0]["resources"] == "Two staff days"  # the blank one is gone


def test_an_unknown_button_is_refused_with_nothing_lost(app, plan_version, author):
    aid = _start(author, plan_version)
    url = f"/assessments/{aid}/sections/plan/questions"
    fields = page_fields(author.get(url).get_data(as_text=True))
    for action in ("remove:q-actions-7", "add:q-summary", "remove:q-actions-x"):
        response = post_page(author, url, FIRST, fields=fields, action=action)
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert error_summary(html)[0][0] == "#main-form"
        assert page_fields(html)["q-actions-0-lead"] == "Sam Jones"
    assert _answers(app, aid) == {}


def test_the_checker_points_at_the_items_field_and_the_documents_show_every_item(app, plan_version, author):
    aid = _start(author, plan_version)
    url = f"/assessments/{aid}/sections/plan/questions"
    check = " ".join(main_text(author.get(f"/assessments/{aid}/check").get_data(as_text=True)).split())
    assert "Acting on the findings: “Action plan”: answer this question" in check

    html = press(author, url, "add:q-actions", author.get(url).get_data(as_text=True), FIRST).get_data(as_text=True)
    response = post_page(author, url, {"q-actions-1-action": "Write to Mrs Edna Smith at 12 Elm Road, ST16 2AB",
                                       "q-actions-1-resources": "Postage"}, fields=page_fields(html), submit="later")
    assert response.status_code == 302
    second_id = _answers(app, aid)["actions"][1]["id"]
    html = author.get(f"/assessments/{aid}/check").get_data(as_text=True)
    text = " ".join(main_text(html).split())
    assert "Acting on the findings: “Action plan”, action 2: “Lead officer”: answer this question" in text
    assert f'href="{url}#q-actions-1-lead"' in html
    assert "Acting on the findings, Action plan, action 2: Action: this may contain" in text  # CIA-R09
    assert f'href="{url}#q-actions-1-action"' in html
    assert second_id  # the finding's link follows the item by its id, whatever its position

    view = " ".join(main_text(author.get(f"/assessments/{aid}/view").get_data(as_text=True)).split())
    assert "Action 1 Action: Hold drop-in sessions in each library Lead officer: Sam Jones Timescale: March 2027" in view
    assert "Action 2" in view and "Resources: Postage" in view and "Lead officer: Not answered" in view

    with zipfile.ZipFile(io.BytesIO(author.get(f"/assessments/{aid}/download/docx").data)) as z:
        word = re.sub(r"<[^>]+>", " ", z.read("word/document.xml").decode("utf-8"))
    word = " ".join(word.split())
    assert "Action 1" in word and "Lead officer: Sam Jones" in word and "Resources: Postage" in word

    book = openpyxl.load_workbook(io.BytesIO(author.get(f"/assessments/{aid}/download/xlsx").data))
    cells = " ".join(str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value)
    assert "Lead officer: Sam Jones" in cells and "Timescale: March 2027" in cells and "Action 2" in cells

    document = json.loads(author.get(f"/assessments/{aid}/download/json").data)
    plan = next(s for s in document["assessment"]["sections"] if s["key"] == "plan")
    assert [i["lead"] for i in plan["answers"]["actions"]] == ["Sam Jones", ""]
    assert plan["answers"]["actions"][1]["id"] == second_id
