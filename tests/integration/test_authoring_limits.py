"""Rich text sanitised through the pages, the limits of long answers and big sections, SQL per page."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from cia.extensions import db
from cia.web import forms
from tests.helpers import (
    assert_summary_links_work,
    custom_rows,
    error_summary,
    page_fields,
    post_page,
    press,
    section_url,
    stored_part,
)

PASTED = (
    '<p>First paragraph of the answer.</p>'
    '<p onclick="steal()">Second <b onmouseover="steal()">paragraph</b>.</p>'
    '<script>alert("scripted")</script>'
    '<ul><li>First point</li><li>Second point</li></ul>'
    '<a href="javascript:alert(1)">a javascript link</a> and '
    '<a href="https://www.staffordshire.gov.uk/libraries">the libraries page</a>'
    '<img src="x" onerror="alert(2)">'
    '<iframe src="https://evil.example"></iframe>'
    '<table><tr><th>Group</th><th>Share</th></tr><tr><td>Women</td><td>51%</td></tr>'
    '<tr><td>Men</td><td>49%</td></tr></table>'
)


def _cell(html: str, text: str) -> str:
    """The table cell of the read-only view holding `text`."""
    start = html.index(text)
    cell_start = html.rindex("<td", 0, start)
    return html[cell_start:html.index("</td>\n", start)]


def test_pasted_html_is_sanitised_and_its_structure_kept(app, author, assessment_id):
    url = section_url(assessment_id, "economy")
    response = post_page(author, url, {"rows-0-impact": "yes", "rows-0-groups": PASTED}, submit="later")
    assert response.status_code == 302
    html = author.get(f"/assessments/{assessment_id}/view").get_data(as_text=True)
    cell = _cell(html, "First paragraph of the answer.")
    # Removed: scripts, event handlers, javascript: links, images and frames.
    for bad in ("<script", "alert(", "onclick", "onmouseover", "onerror", "javascript:", "<img", "<iframe",
                "evil.example", "steal()"):
        assert bad not in cell, bad
    assert "scripted" not in html
    # Kept: paragraphs, lists, links and tables.
    assert '<p class="govuk-body">First paragraph of the answer.</p>' in cell
    assert re.search(r"<p[^>]*>Second paragraph\.</p>", cell)
    assert re.search(r"<ul[^>]*><li>First point</li><li>Second point</li></ul>", cell)
    assert re.search(r'<a class="govuk-link" href="https://www.staffordshire.gov.uk/libraries"[^>]*>'
                     r"the libraries page</a>", cell)
    assert "a javascript link" in cell  # the text stays, without the link
    assert "<table" in cell and re.search(r"<th[^>]*>Group</th>", cell) and re.search(r"<td[^>]*>51%</td>", cell)
    # What is stored is the plain markup, never HTML.
    with app.app_context():
        stored = stored_part(assessment_id, "section:economy")["rows"][0]["groups"]
    assert "<" not in stored and "First point" in stored


def test_typed_markup_becomes_lists_and_links_and_html_typed_as_text_is_escaped(author, assessment_id):
    url = section_url(assessment_id, "economy")
    typed = ("Groups affected:\n\n- older people\n- carers\n\nSee https://www.ons.gov.uk/census for figures.\n\n"
             "Share\tPercent\nUnder 25\t12")
    post_page(author, url, {"rows-1-impact": "yes", "rows-1-groups": typed,
                            "rows-2-impact": "yes", "rows-2-groups": "Costs < 5% & > 2% of income"}, submit="later")
    html = author.get(f"/assessments/{assessment_id}/view").get_data(as_text=True)
    cell = _cell(html, "Groups affected:")
    assert re.search(r"<li>older people</li><li>carers</li>", cell)
    assert 'href="https://www.ons.gov.uk/census"' in cell
    assert re.search(r"<td[^>]*>Under 25</td>", cell)
    assert "Costs &lt; 5% &amp; &gt; 2% of income" in html


def test_script_in_a_short_field_and_in_an_evidence_link_is_harmless(author, assessment_id):
    post_page(author, f"/assessments/{assessment_id}/details",
              {"name": '<script>alert("x")</script>Library review', "lead": '"><img src=x onerror=alert(1)>'},
              submit="later")
    url = f"/assessments/{assessment_id}/sections/economy/evidence"
    post_page(author, url, {"items-0-id": "", "items-0-title": "Bad link", "items-0-link": "javascript:alert(1)"},
              submit="later")
    for page in ("", "/view", "/check-answers", "/details"):
        html = author.get(f"/assessments/{assessment_id}{page}").get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, page
        assert 'href="javascript:' not in html, page
    html = author.get(f"/assessments/{assessment_id}/view").get_data(as_text=True)
    assert "Library review" in html and "<img" not in html


# --- limits --------------------------------------------------------------------------------------


def test_a_field_at_the_maximum_length_saves_and_one_over_is_refused(app, author, assessment_id):
    url = section_url(assessment_id, "environment")
    longest = ("Word " * (forms.LONG_TEXT // 5))[: forms.LONG_TEXT - 1] + "."
    assert len(longest) == forms.LONG_TEXT
    response = post_page(author, url, {"rows-0-impact": "yes", "rows-0-groups": longest}, submit="later")
    assert response.status_code == 302
    with app.app_context():
        assert stored_part(assessment_id, "section:environment")["rows"][0]["groups"] == longest
    response = post_page(author, url, {"rows-0-groups": longest + "x"}, submit="continue")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    [(href, message)] = assert_summary_links_work(html)
    assert href == "#rows-0-groups", error_summary(html)
    assert message.endswith("Which groups will be affected must be 20,000 characters or fewer"), message
    assert message.startswith("Built Environment"), message  # names the row
    assert page_fields(html)["rows-0-groups"] == longest + "x"
    with app.app_context():
        assert stored_part(assessment_id, "section:environment")["rows"][0]["groups"] == longest

    # "Save and come back later" saves the rest (the other row), keeps the refused text as typed.
    response = post_page(author, url, {"rows-0-groups": longest + "x", "rows-1-impact": "no"}, submit="later")
    assert response.status_code == 302
    with app.app_context():
        stored = stored_part(assessment_id, "section:environment")
    assert stored["rows"][0]["groups"] == longest and stored["rows"][1]["impact"] == "no"
    again = author.get(url).get_data(as_text=True)
    assert page_fields(again)["rows-0-groups"] == longest + "x"
    assert any(text.endswith("must be 20,000 characters or fewer") for _, text in error_summary(again))


def _as_a_browser_sends_form_data(data: dict[str, str]) -> tuple[bytes, str]:
    """A multipart body as browsers encode FormData (the JavaScript "add another" sends one).

    Not the test client's own encoder: it writes an empty field without the blank line
    browsers send, and Werkzeug 3.1.9's parser then loses the next field when that falls
    on a 64 KB chunk boundary (browsers' encoding is parsed correctly).
    """
    boundary = "----WebKitFormBoundaryq3wJ8sXkP0zR5tLm"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in data.items()]
    return b"".join([*parts, f"--{boundary}--\r\n".encode()]), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("encoding", ["application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_section_with_60_own_rows_saves(app, author, assessment_id, encoding):
    url = section_url(assessment_id, "economy")
    fields = page_fields(author.get(url).get_data(as_text=True))
    fields.update(custom_rows(60, 4, "Local impact"))
    for n in range(60):  # each row with a risk, two mitigations and some text, as a big real section has
        i = 4 + n
        fields.update({f"rows-{i}-impact": "yes", f"rows-{i}-groups": "Residents of the parish. " * 40,
                       f"rows-{i}-benefits-0-id": "", f"rows-{i}-benefits-0-text": "A benefit. " * 20,
                       f"rows-{i}-risks-0-id": "", f"rows-{i}-risks-0-text": "A risk. " * 20})
        for m in range(2):
            fields.update({f"rows-{i}-risks-0-mitigations-{m}-id": "",
                           f"rows-{i}-risks-0-mitigations-{m}-text": "A mitigation. " * 20,
                           f"rows-{i}-risks-0-mitigations-{m}-owner": "Service manager",
                           f"rows-{i}-risks-0-mitigations-{m}-target_date-day": "",
                           f"rows-{i}-risks-0-mitigations-{m}-target_date-month": "6",
                           f"rows-{i}-risks-0-mitigations-{m}-target_date-year": "2026"})
    data = {**fields, "submit": "later"}
    if encoding == "multipart/form-data":
        body, content_type = _as_a_browser_sends_form_data(data)
        response = author.post(url, data=body, content_type=content_type)
    else:
        response = author.post(url, data=data, content_type=encoding)
    assert response.status_code == 302, (response.status_code, error_summary(response.get_data(as_text=True)))
    with app.app_context():
        rows = stored_part(assessment_id, "section:economy")["rows"]
    assert len(rows) == 64 and rows[63]["title"] == "Local impact 60"
    assert len(rows[63]["risks"][0]["mitigations"]) == 2
    assert author.get(url).status_code == 200
    assert author.get(f"/assessments/{assessment_id}/view").status_code == 200


def test_form_limits_admit_the_largest_section(app):
    """Multipart posts (the JavaScript "add another" sends FormData) are limited in parts and size."""
    fields_per_row = 7 + 8 * (2 + 2 * 6) + 4 * 2  # 8 risks with 2 mitigations, 4 benefits
    assert app.config["MAX_FORM_PARTS"] >= forms.MAX_ROWS * fields_per_row
    assert app.config["MAX_FORM_MEMORY_SIZE"] >= 4 * forms.LONG_TEXT * 9  # one long answer, %-encoded
    assert app.config["MAX_CONTENT_LENGTH"] >= 4 * 1024 * 1024


# --- SQL statements per page -----------------------------------------------------------------------


@contextmanager
def _statements(app):
    found: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        found.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _fill_economy(author, assessment_id: int, rows: int) -> None:
    url = section_url(assessment_id, "economy")
    fields = page_fields(author.get(url).get_data(as_text=True))
    fields = {k: v for k, v in fields.items() if not re.match(r"rows-([4-9]|\d\d+)-", k)}
    fields.update(custom_rows(rows, 4))
    for n in range(rows):
        fields.update({f"rows-{4 + n}-impact": "yes", f"rows-{4 + n}-groups": "Residents",
                       f"rows-{4 + n}-risks-0-id": "", f"rows-{4 + n}-risks-0-text": "A risk",
                       f"rows-{4 + n}-risks-0-mitigations-0-id": "",
                       f"rows-{4 + n}-risks-0-mitigations-0-text": "A mitigation"})
    assert post_page(author, url, {}, fields=fields, submit="later").status_code == 302


def _count(app, client, path: str) -> int:
    client.get(path)  # warm caches (the template version) so both counts are like for like
    with _statements(app) as found:
        response = client.get(path)
    assert response.status_code == 200
    return len(found)


@pytest.mark.parametrize("page", ["/sections/economy", "/view", "/check-answers", ""])
def test_sql_statements_per_page_do_not_grow_with_the_rows(app, author, assessment_id, page):
    path = f"/assessments/{assessment_id}{page}"
    _fill_economy(author, assessment_id, 5)
    with_5 = _count(app, author, path)
    _fill_economy(author, assessment_id, 60)
    with app.app_context():
        assert len(stored_part(assessment_id, "section:economy")["rows"]) == 64
    with_60 = _count(app, author, path)
    assert with_60 == with_5, f"{path}: {with_5} statements with 5 rows, {with_60} with 60"


@pytest.mark.parametrize("bad_id", ["x" * 201, "a\nb", "\u202eabc", " padded ", "tab\there"],
                         ids=["too-long", "line-break", "bidi", "spaces", "tab"])
@pytest.mark.parametrize("page, field", [("team", "members-0-id"), ("engagement", "activities-0-id"),
                                         ("sections/economy", "rows-0-key")])
def test_an_item_id_that_is_not_an_id_is_refused_with_a_message(app, author, assessment_id, page, field, bad_id):
    """Found by the security review: a 7 MB id was saved, and the JSON export then failed to re-import."""
    url = f"/assessments/{assessment_id}/{page}"
    part = page.replace("/", ":").replace("sections:", "section:")
    with app.app_context():
        before = stored_part(assessment_id, part)
    html = author.get(url).get_data(as_text=True)
    fields = page_fields(html)
    if field not in fields:  # an empty list: add an item first, as a person would
        list_name = field.rsplit("-", 2)[0]
        html = press(author, url, f"add:{list_name}", html).get_data(as_text=True)
        fields = page_fields(html)
    response = post_page(author, url, {field: bad_id}, fields=fields)
    assert response.status_code == 200
    messages = [text for _, text in assert_summary_links_work(response.get_data(as_text=True))]
    assert "The page was changed before it was sent, so it could not be saved" in " ".join(messages)
    with app.app_context():
        assert stored_part(assessment_id, part) == before


@pytest.mark.parametrize("good_id", ["0123abcdef", "3f2b6c1e-8d4a-4e8b-9a37-2c1d5e6f7a8b", "m" * 200])
def test_ids_the_json_format_accepts_are_saved(app, author, assessment_id, good_id):
    url = f"/assessments/{assessment_id}/team"
    html = press(author, url, "add:members", author.get(url).get_data(as_text=True)).get_data(as_text=True)
    response = post_page(author, url, {"members-0-id": good_id, "members-0-name": "Sam Officer"},
                         fields=page_fields(html))
    assert response.status_code == 302
    with app.app_context():
        assert stored_part(assessment_id, "team")["members"][0]["id"] == good_id
