"""Long section pages made easy to work in: the contents list of category areas with their states,
N/A hiding a row's other fields, a page per category area, the Evidence Base one link away, and
Remove as a secondary button. Through the test client, as a browser without JavaScript posts.
"""

from __future__ import annotations

import re
from html import unescape

from tests.helpers import (
    assert_kept,
    assert_summary_links_work,
    page_fields,
    post_page,
    press,
    row_index,
    section_url,
    stored_part,
)


def _rows(app, assessment_id: int, key: str) -> list[dict]:
    with app.app_context():
        return stored_part(assessment_id, f"section:{key}")["rows"]


def _row(app, assessment_id: int, section: str, key: str) -> dict:
    return next(r for r in _rows(app, assessment_id, section) if r["key"] == key)


def _contents(html: str) -> list[tuple[str, str, str]]:
    """(anchor, title, state) of each entry of the contents list."""
    nav = re.search(r'<nav class="app-area-contents".*?</nav>', html, re.S)
    assert nav, "no contents list on the page"
    return [(a, unescape(t), s) for a, t, s in re.findall(
        r'<a class="govuk-link" href="#([^"]+)">([^<]+)</a>\s*<strong class="govuk-tag[^"]*">([^<]+)</strong>',
        nav.group(0))]


def _area_url(assessment_id: int, section: str, area: str) -> str:
    return f"{section_url(assessment_id, section)}/areas/{area}"


# --- the contents list ---------------------------------------------------------------------------


def test_the_contents_list_names_every_area_with_its_state_and_links_to_it(author, assessment_id):
    url = section_url(assessment_id, "economy")
    html = author.get(url).get_data(as_text=True)
    contents = _contents(html)
    assert [t for _, t, _ in contents] == ["Economic Growth", "Poverty and Income", "Workplace Health and Environments",
                                           "Access to jobs/ Good quality jobs"]
    assert {s for _, _, s in contents} == {"Not started"}
    for anchor, _, _ in contents:
        assert f'id="{anchor}"' in html

    g, p, w = row_index(html, "economic_growth"), row_index(html, "poverty_and_income"), \
        row_index(html, "workplace_health_and_environments")
    html = press(author, url, f"add:rows-{w}-risks", html).get_data(as_text=True)
    response = post_page(author, url, {
        f"rows-{g}-impact": "yes", f"rows-{g}-groups": "Small businesses in the town centre",
        f"rows-{p}-impact": "no",
        f"rows-{w}-impact": "yes", f"rows-{w}-groups": "Library staff",
        f"rows-{w}-risks-0-text": "Staff moved to a site without a rest room",  # no mitigation: the checker stops at it
    }, submit="later", fields=page_fields(html))
    assert response.status_code == 302
    states = {t: s for _, t, s in _contents(author.get(url).get_data(as_text=True))}
    assert list(states.values()) == ["Completed", "Not applicable", "In progress", "Not started"]


def test_the_contents_list_tags_are_govuk_tags(author, assessment_id):
    html = author.get(section_url(assessment_id, "psed")).get_data(as_text=True)
    nav = re.search(r'<nav class="app-area-contents" aria-labelledby="area-contents-heading">.*?</nav>', html, re.S)
    assert nav and nav.group(0).count('class="govuk-tag govuk-tag--grey">Not started</strong>') == 10


# --- N/A: the row's other fields are not asked ---------------------------------------------------


def test_na_reveals_the_rows_fields_only_for_an_impact(author, assessment_id):
    url = section_url(assessment_id, "economy")
    html = author.get(url).get_data(as_text=True)
    g = row_index(html, "economic_growth")
    # the fields are the conditional content of "Yes": hidden (with JavaScript) until it is chosen
    assert f'data-aria-controls="conditional-rows-{g}-impact"' in html
    assert re.search(rf'class="govuk-radios__conditional govuk-radios__conditional--hidden" id="conditional-rows-{g}-impact"', html)
    post_page(author, url, {f"rows-{g}-impact": "yes", f"rows-{g}-groups": "Shop owners"}, submit="later")
    html = author.get(url).get_data(as_text=True)
    assert f'class="govuk-radios__conditional" id="conditional-rows-{g}-impact"' in html
    # without JavaScript the fields are on the page whatever is chosen
    conditional = html.split(f'id="conditional-rows-{g}-impact"', 1)[1]
    assert f'id="rows-{g}-groups"' in conditional.split('class="govuk-radios__item"', 1)[0]


def test_na_without_javascript_ignores_the_fields_and_keeps_what_was_stored(app, author, assessment_id):
    url = section_url(assessment_id, "economy")
    html = author.get(url).get_data(as_text=True)
    g = row_index(html, "economic_growth")
    html = press(author, url, f"add:rows-{g}-benefits", html).get_data(as_text=True)
    html = press(author, url, f"add:rows-{g}-risks", html).get_data(as_text=True)
    stored = {f"rows-{g}-impact": "yes", f"rows-{g}-groups": "Shop owners",
              f"rows-{g}-benefits-0-text": "More visitors to the high street",
              f"rows-{g}-risks-0-text": "Fewer people pass the shops",
              f"rows-{g}-risks-0-mitigations-0-text": "Market the new hub"}
    assert post_page(author, url, stored, submit="later", fields=page_fields(html)).status_code == 302
    before = _row(app, assessment_id, "economy", "economic_growth")

    # N/A chosen; the fields, still on the page, changed and one of them not even valid
    html = author.get(url).get_data(as_text=True)
    response = post_page(author, url, {
        f"rows-{g}-impact": "no", f"rows-{g}-groups": "Changed",
        f"rows-{g}-benefits-0-text": "x" * 20_001,
        f"rows-{g}-risks-0-mitigations-0-target_date-month": "13",
        f"rows-{g}-risks-0-mitigations-0-target_date-year": "2026",
    }, submit="later", fields=page_fields(html))
    assert response.status_code == 302, "the fields N/A does not ask stopped the save"
    after = _row(app, assessment_id, "economy", "economic_growth")
    assert after["impact"] == "no"
    assert {k: v for k, v in after.items() if k != "impact"} == {k: v for k, v in before.items() if k != "impact"}

    # the checker asks nothing of them; choosing "Yes" again brings them back as they were
    html = author.get(url).get_data(as_text=True)
    assert (f"rows-{g}-heading", "Economic Growth", "Not applicable") in _contents(html)
    check = author.get(f"/assessments/{assessment_id}/check").get_data(as_text=True)
    assert "Economic Growth: you selected" not in check
    response = post_page(author, url, {f"rows-{g}-impact": "yes"}, submit="later")
    assert response.status_code == 302
    assert _row(app, assessment_id, "economy", "economic_growth") == {**before, "impact": "yes"}


# --- one category area per page ------------------------------------------------------------------


def test_a_page_per_area_with_previous_and_next(author, assessment_id):
    html = author.get(section_url(assessment_id, "economy")).get_data(as_text=True)
    link = re.search(r'href="([^"]+/areas/economic_growth)">Work on one category area at a time</a>', html)
    assert link
    html = author.get(link.group(1)).get_data(as_text=True)
    assert "Category area 1 of 4." in html
    assert page_fields(html)["rows-0-key"] == "economic_growth"
    assert "rows-1-key" not in page_fields(html)
    assert 'rel="prev"' not in html
    assert re.search(r'<a class="govuk-link govuk-pagination__link" href="[^"]+/areas/poverty_and_income" rel="next">', html)
    html = author.get(_area_url(assessment_id, "economy", "poverty_and_income")).get_data(as_text=True)
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert author.get(_area_url(assessment_id, "economy", "no_such_area")).status_code == 404
    assert author.get(_area_url(assessment_id, "nope", "economic_growth")).status_code == 404


def test_the_area_page_saves_only_its_row_and_leaves_every_other_untouched(app, author, assessment_id):
    url = section_url(assessment_id, "economy")
    html = author.get(url).get_data(as_text=True)
    g, p = row_index(html, "economic_growth"), row_index(html, "poverty_and_income")
    html = press(author, url, f"add:rows-{g}-risks", html).get_data(as_text=True)
    post_page(author, url, {f"rows-{g}-impact": "yes", f"rows-{g}-groups": "Shop owners",
                            f"rows-{g}-risks-0-text": "Fewer visitors", f"rows-{g}-risks-0-mitigations-0-text": "Events",
                            f"rows-{g}-risks-0-mitigations-0-target_date-month": "3",
                            f"rows-{g}-risks-0-mitigations-0-target_date-year": "2027",
                            f"rows-{p}-impact": "no"}, submit="later", fields=page_fields(html))
    before = _rows(app, assessment_id, "economy")

    area = _area_url(assessment_id, "economy", "access_to_jobs_good_quality_jobs")
    html = author.get(area).get_data(as_text=True)
    html = press(author, area, "add:rows-0-benefits", html).get_data(as_text=True)
    response = post_page(author, area, {"rows-0-impact": "yes", "rows-0-groups": "Job seekers",
                                        "rows-0-benefits-0-text": "A jobs club in the hub"}, fields=page_fields(html))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sections/economy/evidence")  # the last area: then the Evidence Base
    after = _rows(app, assessment_id, "economy")
    assert [r["key"] for r in after] == [r["key"] for r in before]
    for old, new in zip(before, after, strict=True):
        if new["key"] != "access_to_jobs_good_quality_jobs":
            assert new == old
    jobs = next(r for r in after if r["key"] == "access_to_jobs_good_quality_jobs")
    assert jobs["groups"] == "Job seekers" and [b["text"] for b in jobs["benefits"]] == ["A jobs club in the hub"]

    # "Save and continue" goes on to the next area
    response = post_page(author, _area_url(assessment_id, "economy", "economic_growth"), {})
    assert response.headers["Location"].endswith("/areas/poverty_and_income")


def test_bad_input_on_the_area_page_is_named_and_nothing_is_lost(app, author, assessment_id):
    area = _area_url(assessment_id, "economy", "economic_growth")
    html = author.get(area).get_data(as_text=True)
    html = press(author, area, "add:rows-0-risks", html).get_data(as_text=True)
    before = _rows(app, assessment_id, "economy")
    typed = {"rows-0-impact": "yes", "rows-0-groups": "Shop owners", "rows-0-risks-0-text": "Fewer visitors",
             "rows-0-risks-0-mitigations-0-text": "Events",
             "rows-0-risks-0-mitigations-0-target_date-month": "13",
             "rows-0-risks-0-mitigations-0-target_date-year": "2026"}
    response = post_page(author, area, typed, fields=page_fields(html))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert assert_summary_links_work(html) == [
        ("#rows-0-risks-0-mitigations-0-target_date-month",
         "Mitigation 1 of risk 1 in Economic Growth: Target date must be a real date: month must be between 1 and 12")]
    assert_kept(html, typed)
    assert _rows(app, assessment_id, "economy") == before

    # the checker's errors for this row, after saving, are shown on this page's fields
    typed = {"rows-0-impact": "yes", "rows-0-groups": "", "rows-0-risks-0-text": "Fewer visitors",
             "rows-0-risks-0-mitigations-0-text": "", "rows-0-risks-0-mitigations-0-target_date-month": "",
             "rows-0-risks-0-mitigations-0-target_date-year": ""}
    html = post_page(author, area, typed, fields=page_fields(html)).get_data(as_text=True)
    assert "Your answers have been saved" in html
    messages = [m for _, m in assert_summary_links_work(html)]
    assert any("risk 1 has no mitigation" in m for m in messages)
    assert all("Economic Growth" in m for m in messages)


def test_the_area_page_cannot_add_or_remove_a_category_area(author, assessment_id):
    area = _area_url(assessment_id, "economy", "economic_growth")
    html = author.get(area).get_data(as_text=True)
    assert "Add your own category area" not in html and "Remove this category area" not in html
    response = post_page(author, area, action="add:rows")
    assert "on the page with every category area" in response.get_data(as_text=True)


# --- the Evidence Base, one link away --------------------------------------------------------------


def test_the_evidence_base_is_linked_from_the_task_list_and_the_section_page(author, assessment_id):
    evidence = f"/assessments/{assessment_id}/sections/economy/evidence"
    tasks = author.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert f'href="{evidence}">Evidence Base for Economy</a>' in tasks
    assert tasks.count('class="govuk-link app-task-list__also"') == 5  # each section has one
    for url in (section_url(assessment_id, "economy"), _area_url(assessment_id, "economy", "economic_growth")):
        assert f'href="{evidence}">Evidence Base for Economy</a>' in author.get(url).get_data(as_text=True)


# --- Remove is a secondary action ------------------------------------------------------------------


def test_remove_buttons_are_secondary_not_red(author, assessment_id):
    url = section_url(assessment_id, "economy")
    html = author.get(url).get_data(as_text=True)
    g = row_index(html, "economic_growth")
    html = press(author, url, f"add:rows-{g}-benefits", html).get_data(as_text=True)
    html = press(author, url, f"add:rows-{g}-risks", html).get_data(as_text=True)
    html = press(author, url, "add:rows", html).get_data(as_text=True)
    removes = re.findall(r'<button [^>]*value="remove:[^"]+"[^>]*class="([^"]+)"', html)
    assert len(removes) >= 4  # benefit, risk, mitigation, own category area
    assert all("govuk-button--secondary" in c and "govuk-button--warning" not in c for c in removes)
