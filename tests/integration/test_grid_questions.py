"""A template with a grid question (a workforce profile), through the pages without JavaScript: the table
is filled in, a cell that cannot be read is refused naming its row and column with everything typed kept,
the checker asks for a required grid and links to its first cell, and the answers reach the read-only
view, Word, Excel and JSON."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from sqlalchemy import select

from cia.extensions import db
from cia.models import Template
from tests.helpers import error_summary, page_fields, post_page, signed_in
from tests.integration.designer_support import AUTHOR, main_text

TEMPLATE = """name: Staffing assessment
organisation: Example District Council
document_title: Staffing Impact Assessment
rule_settings:
  CIA-R17: {enabled: true, severity: ''}
sections:
- key: staff
  title: Staff
  evidence_base: false
  questions:
  - key: summary
    kind: short_text
    label: What is changing for staff?
  - key: profile
    kind: grid
    label: Workforce profile
    hint: The share of staff in each group, before and after the change.
    options:
    - {key: women, label: Women}
    - {key: men, label: Men}
    - {key: disabled, label: Disabled staff}
    questions:
    - {key: before, kind: percentage, label: Before the change}
    - {key: after, kind: percentage, label: After the change}
"""


@pytest.fixture
def version(app, users, tmp_path) -> int:
    path = tmp_path / "staffing.yaml"
    path.write_text(TEMPLATE, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["cia", "template-import", str(path), "--publish"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        return db.session.execute(select(Template).where(Template.name == "Staffing assessment")
                                  ).scalar_one().versions[0].id


def _start(author, version_id: int) -> int:
    response = author.post("/assessments/new", data={"name": "Merging two depots", "template": str(version_id)})
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_a_workforce_profile_is_filled_in_checked_and_exported(app, version):
    author = signed_in(app, AUTHOR)
    aid = _start(author, version)
    page_url = f"/assessments/{aid}/sections/staff/questions"

    check = author.get(f"/assessments/{aid}/check").get_data(as_text=True)
    assert "Staff: “Workforce profile”: answer this question" in " ".join(main_text(check).split())
    assert f'href="{page_url}#q-profile"' in check  # the first cell of the table

    typed = {"q-summary": "Two depots become one.", "q-profile-women-before": "62", "q-profile-women-after": "58",
             "q-profile-men-before": "38", "q-profile-men-after": "lots", "q-profile-disabled-before": "7"}
    response = post_page(author, page_url, typed, submit="continue")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert error_summary(html) == [("#q-profile", 'Men: enter a percentage for "After the change"')]
    fields = page_fields(html)
    assert fields["q-profile-men-after"] == "lots" and fields["q-profile-women-before"] == "62"  # nothing lost

    response = post_page(author, page_url, {**typed, "q-profile-men-after": "42%"}, submit="continue")
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    check = " ".join(main_text(author.get(f"/assessments/{aid}/check").get_data(as_text=True)).split())
    assert "Workforce profile" not in check

    view = " ".join(main_text(author.get(f"/assessments/{aid}/view").get_data(as_text=True)).split())
    assert "Women: Before the change: 62%, After the change: 58%" in view
    assert "Disabled staff: Before the change: 7%" in view
    with zipfile.ZipFile(io.BytesIO(author.get(f"/assessments/{aid}/download/docx").data)) as z:
        word = re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode("utf-8"))
    assert "Men: Before the change: 38%, After the change: 42%" in word
    book = openpyxl.load_workbook(io.BytesIO(author.get(f"/assessments/{aid}/download/xlsx").data))
    cells = " ".join(str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value)
    assert "Women: Before the change: 62%" in cells
    document = author.get(f"/assessments/{aid}/download/json").get_json()
    answers = {s["key"]: s["answers"] for s in document["assessment"]["sections"]}
    assert answers["staff"]["profile"] == {"women": {"before": "62", "after": "58"},
                                           "men": {"before": "38", "after": "42"}, "disabled": {"before": "7"}}
