"""A section page through the test client: rows, benefits, risks with mitigations, own rows.

"Add another" and "Remove" are ordinary submit buttons: these tests press them the way a
browser without JavaScript does, and check that nothing typed is lost on the way.
"""

from __future__ import annotations

from cia.web import forms
from tests.helpers import (
    assert_kept,
    assert_summary_links_work,
    error_summary,
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


def _transport_with_two_risks(client, url: str) -> tuple[str, int]:
    """The Environment page with two risks in Transport (the second with two mitigation boxes)."""
    html = client.get(url).get_data(as_text=True)
    t = row_index(html, "transport")
    html = press(client, url, f"add:rows-{t}-risks", html).get_data(as_text=True)
    assert f'data-app-focus="rows-{t}-risks-0-text"' in html
    html = press(client, url, f"add:rows-{t}-risks", html, {f"rows-{t}-risks-0-text": "Fewer buses"}) \
        .get_data(as_text=True)
    html = press(client, url, f"add:rows-{t}-risks-1-mitigations", html).get_data(as_text=True)
    assert f'data-app-focus="rows-{t}-risks-1-mitigations-1-text"' in html
    return html, t


def test_a_section_page_lists_every_row_of_the_template(author, assessment_id):
    html = author.get(section_url(assessment_id, "psed")).get_data(as_text=True)
    for title in ("Race", "Disability", "Sex", "Age", "Impact on SCC Staff"):
        assert f">{title}</h2>" in html
    assert "Please consider" in html or "consider" in html
    assert "Add your own category area" not in html  # PSED's rows are fixed


def test_row_with_impact_groups_benefits_risks_and_mitigations_saves(app, author, assessment_id):
    url = section_url(assessment_id, "environment")
    html, t = _transport_with_two_risks(author, url)
    html = press(author, url, f"add:rows-{t}-benefits", html).get_data(as_text=True)
    typed = {
        f"rows-{t}-impact": "yes", f"rows-{t}-groups": "Bus users in rural parishes",
        f"rows-{t}-benefits-0-text": "Shorter journeys to the hub",
        f"rows-{t}-risks-0-text": "Fewer buses", f"rows-{t}-risks-0-mitigations-0-text": "Community transport grant",
        f"rows-{t}-risks-0-mitigations-0-owner": "Transport manager",
        f"rows-{t}-risks-0-mitigations-0-target_date-month": "9",
        f"rows-{t}-risks-0-mitigations-0-target_date-year": "2026",
        f"rows-{t}-risks-1-text": "Longer walks for disabled people",
        f"rows-{t}-risks-1-mitigations-0-text": "Dial-a-ride",
        f"rows-{t}-risks-1-mitigations-1-text": "Review after six months",
        f"rows-{t}-maximise": "Publicise the new routes.",
        "rows-0-impact": "no",
    }
    response = post_page(author, url, typed, fields=page_fields(html))
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    assert response.headers["Location"].endswith("/sections/environment/evidence")
    rows = _rows(app, assessment_id, "environment")
    transport = next(r for r in rows if r["key"] == "transport")
    assert transport["impact"] == "yes" and transport["groups"] == "Bus users in rural parishes"
    assert [b["text"] for b in transport["benefits"]] == ["Shorter journeys to the hub"]
    assert [(r["text"], [m["text"] for m in r["mitigations"]]) for r in transport["risks"]] == [
        ("Fewer buses", ["Community transport grant"]),
        ("Longer walks for disabled people", ["Dial-a-ride", "Review after six months"])]
    assert transport["risks"][0]["mitigations"][0]["target_date"] == "2026-09"
    assert rows[0]["impact"] == "no"
    assert_kept(author.get(url).get_data(as_text=True), typed)


def test_risk_without_mitigation_names_section_and_row_and_keeps_the_text(app, author, assessment_id):
    url = section_url(assessment_id, "environment")
    html, t = _transport_with_two_risks(author, url)
    typed = {f"rows-{t}-impact": "yes", f"rows-{t}-groups": "Bus users",
             f"rows-{t}-risks-0-text": "Fewer buses", f"rows-{t}-risks-0-mitigations-0-text": "Grant",
             f"rows-{t}-risks-1-text": "Longer walks to the stop"}
    response = post_page(author, url, typed, fields=page_fields(html))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    summary = assert_summary_links_work(html)
    assert len(summary) == 1
    href, message = summary[0]
    assert message.startswith("Environment, Transport: risk 2 has no mitigation")
    assert href == f"#rows-{t}-risks-1-mitigations-0-text"  # the empty box to type the mitigation in
    assert f'<p id="rows-{t}-risks-1-mitigations-0-text-error" class="govuk-error-message">' in html
    assert "Your answers have been saved" in html
    fields = page_fields(html)
    assert fields[f"rows-{t}-risks-1-text"] == "Longer walks to the stop"
    assert fields[f"rows-{t}-risks-0-mitigations-0-text"] == "Grant"
    assert f"rows-{t}-risks-1-mitigations-0-text" in fields  # a box to type the mitigation in
    transport = next(r for r in _rows(app, assessment_id, "environment") if r["key"] == "transport")
    assert [r["text"] for r in transport["risks"]] == ["Fewer buses", "Longer walks to the stop"]
    # Save and come back later does not stop for the checker.
    response = post_page(author, url, {}, fields=fields, submit="later")
    assert response.status_code == 302
    # Typing the mitigation lets the author go on.
    response = post_page(author, url, {f"rows-{t}-risks-1-mitigations-0-text": "Bench at the stop"})
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))


def test_form_errors_in_a_row_name_the_risk_and_the_row(author, assessment_id):
    url = section_url(assessment_id, "environment")
    html, t = _transport_with_two_risks(author, url)
    typed = {f"rows-{t}-impact": "yes", f"rows-{t}-groups": "Bus users", f"rows-{t}-risks-0-text": "Fewer buses",
             f"rows-{t}-risks-1-text": "r" * 20_001, f"rows-{t}-risks-1-mitigations-1-text": "Review",
             f"rows-{t}-risks-1-mitigations-1-target_date-month": "13",
             f"rows-{t}-risks-1-mitigations-1-target_date-year": "2026"}
    response = post_page(author, url, typed, fields=page_fields(html))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert assert_summary_links_work(html) == [
        (f"#rows-{t}-risks-1-text", "Risk 2 in Transport: Risk must be 20,000 characters or fewer"),
        (f"#rows-{t}-risks-1-mitigations-1-target_date-month",
         "Mitigation 2 of risk 2 in Transport: Target date must be a real date: month must be between 1 and 12"),
    ]
    assert_kept(html, typed)


# --- add another and remove, without JavaScript -----------------------------------------------


def test_add_and_remove_benefits_keeps_what_was_typed(app, author, assessment_id):
    url = section_url(assessment_id, "economy")
    html = author.get(url).get_data(as_text=True)
    assert 'value="add:rows-0-benefits"' in html and "Add a benefit" in html
    html = press(author, url, "add:rows-0-benefits", html, {"rows-0-groups": "Small firms"}).get_data(as_text=True)
    html = press(author, url, "add:rows-0-benefits", html, {"rows-0-benefits-0-text": "First"}).get_data(as_text=True)
    html = press(author, url, "add:rows-0-benefits", html, {"rows-0-benefits-1-text": "Second"}).get_data(as_text=True)
    assert "Add another benefit" in html
    html = press(author, url, "remove:rows-0-benefits-0", html, {"rows-0-benefits-2-text": "Third"}) \
        .get_data(as_text=True)
    fields = page_fields(html)
    assert fields["rows-0-groups"] == "Small firms"
    assert [fields.get(f"rows-0-benefits-{n}-text") for n in range(3)] == ["Second", "Third", None]
    assert _rows(app, assessment_id, "economy")[0]["benefits"] == []  # nothing saved yet
    response = post_page(author, url, {"rows-0-impact": "yes"}, fields=fields, submit="later")
    assert response.status_code == 302
    assert [b["text"] for b in _rows(app, assessment_id, "economy")[0]["benefits"]] == ["Second", "Third"]


def test_add_and_remove_risks_and_mitigations(app, author, assessment_id):
    url = section_url(assessment_id, "economy")
    html = press(author, url, "add:rows-2-risks", author.get(url).get_data(as_text=True)).get_data(as_text=True)
    fields = page_fields(html)
    assert "rows-2-risks-0-mitigations-0-text" in fields  # a new risk comes with a box for its mitigation
    html = press(author, url, "add:rows-2-risks-0-mitigations", html, {
        "rows-2-risks-0-text": "Staff stress", "rows-2-risks-0-mitigations-0-text": "Wellbeing support"}) \
        .get_data(as_text=True)
    html = press(author, url, "add:rows-2-risks", html, {"rows-2-risks-0-mitigations-1-text": "Counselling"}) \
        .get_data(as_text=True)
    html = press(author, url, "remove:rows-2-risks-0-mitigations-0", html, {
        "rows-2-risks-1-text": "Longer commutes", "rows-2-risks-1-mitigations-0-text": "Flexible hours"}) \
        .get_data(as_text=True)
    fields = page_fields(html)
    assert fields["rows-2-risks-0-mitigations-0-text"] == "Counselling"
    assert "rows-2-risks-0-mitigations-1-text" not in fields
    assert fields["rows-2-risks-1-text"] == "Longer commutes"
    html = press(author, url, "remove:rows-2-risks-0", html).get_data(as_text=True)
    fields = page_fields(html)
    assert fields["rows-2-risks-0-text"] == "Longer commutes"
    assert fields["rows-2-risks-0-mitigations-0-text"] == "Flexible hours"
    assert "rows-2-risks-1-text" not in fields
    response = post_page(author, url, {"rows-2-impact": "yes", "rows-2-groups": "Council staff"}, fields=fields)
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    [risk] = _rows(app, assessment_id, "economy")[2]["risks"]
    assert (risk["text"], [m["text"] for m in risk["mitigations"]]) == ("Longer commutes", ["Flexible hours"])


def test_own_row_in_economy_can_be_added_saved_and_removed(app, author, assessment_id):
    url = section_url(assessment_id, "economy")
    html = author.get(url).get_data(as_text=True)
    assert "Add your own category area" in html
    html = press(author, url, "add:rows", html, {"rows-0-impact": "no"}).get_data(as_text=True)
    assert 'data-app-focus="rows-4-title"' in html and "Your own category area 1" in html
    fields = page_fields(html)
    assert fields["rows-0-impact"] == "no" and fields["rows-4-key"].startswith("own-")
    own_key = fields["rows-4-key"]
    html = press(author, url, "add:rows-4-risks", html, {"rows-4-title": "Tourism"}).get_data(as_text=True)
    typed = {"rows-4-title": "Tourism", "rows-4-impact": "yes", "rows-4-groups": "Hotels and guest houses",
             "rows-4-risks-0-text": "Fewer visitors", "rows-4-risks-0-mitigations-0-text": "Promote the hub"}
    response = post_page(author, url, typed, fields=page_fields(html))
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    rows = _rows(app, assessment_id, "economy")
    assert [r["key"] for r in rows][:4] == ["economic_growth", "poverty_and_income",
                                           "workplace_health_and_environments", "access_to_jobs_good_quality_jobs"]
    assert (rows[4]["key"], rows[4]["custom"], rows[4]["title"]) == (own_key, True, "Tourism")
    html = author.get(url).get_data(as_text=True)
    assert_kept(html, typed)
    assert 'value="remove:rows-4"' in html
    html = press(author, url, "remove:rows-4", html).get_data(as_text=True)
    assert "rows-4-key" not in page_fields(html)
    assert post_page(author, url, {}, fields=page_fields(html), submit="later").status_code == 302
    assert len(_rows(app, assessment_id, "economy")) == 4
    assert "Tourism" not in author.get(f"/assessments/{assessment_id}/view").get_data(as_text=True)


def test_an_empty_own_row_is_not_kept(app, author, assessment_id):
    url = section_url(assessment_id, "health_and_care")
    html = press(author, url, "add:rows", author.get(url).get_data(as_text=True)).get_data(as_text=True)
    assert post_page(author, url, {}, fields=page_fields(html), submit="later").status_code == 302
    assert len(_rows(app, assessment_id, "health_and_care")) == 6


def test_no_own_rows_in_psed(app, author, assessment_id):
    url = section_url(assessment_id, "psed")
    html = author.get(url).get_data(as_text=True)
    assert 'value="add:rows"' not in html
    response = post_page(author, url, {}, action="add:rows")  # a forged or stale button
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert assert_summary_links_work(html) == [
        ("#main-form", "Public Sector Equality Duty (PSED) has a fixed list of category areas: you cannot add your own")]
    assert len([k for k in page_fields(html) if k.endswith("-key")]) == 10
    # Nor can a row be slipped in with the form.
    fields = {**page_fields(html), "rows-10-key": "own-sneaky", "rows-10-custom": "1", "rows-10-title": "Extra",
              "rows-10-impact": "no"}
    assert post_page(author, url, {}, fields=fields, submit="later").status_code == 302
    assert [r["key"] for r in _rows(app, assessment_id, "psed")].count("own-sneaky") == 0


def test_own_rows_already_stored_in_a_fixed_section_survive_a_save(app, author, assessment_id):
    """Own rows reach a fixed-list section by a move to a new template version or a JSON import; the
    page shows them, so saving the page must keep them (it used to drop every one but "own-kept-")."""
    from cia.data import assessments as data
    from cia.domain import RowAnswer
    from cia.extensions import db
    from cia.models import Assessment, User

    with app.app_context():
        revision = db.session.get(Assessment, assessment_id).current_revision
        loaded = data.load_part(revision, "section:psed")
        loaded.data.rows.append(RowAnswer(key="own-imported1", custom=True, title="Care leavers", impact="yes",
                                          groups="Young people leaving care"))
        owner = db.session.query(User).filter_by(email="author@example.gov.uk").one()
        assert data.save_part(revision, "section:psed", loaded.data, loaded.version, owner).ok
        db.session.commit()
    url = section_url(assessment_id, "psed")
    html = author.get(url).get_data(as_text=True)
    i = row_index(html, "own-imported1")
    assert page_fields(html)[f"rows-{i}-groups"] == "Young people leaving care"
    assert post_page(author, url, {f"rows-{i}-groups": "Young people leaving care, and their carers"},
                     submit="later").status_code == 302
    kept = {r["key"]: r for r in _rows(app, assessment_id, "psed")}["own-imported1"]
    assert (kept["title"], kept["groups"]) == ("Care leavers", "Young people leaving care, and their carers")


def test_a_template_row_cannot_be_removed(app, author, assessment_id):
    url = section_url(assessment_id, "economy")
    html = author.get(url).get_data(as_text=True)
    assert 'value="remove:rows-0"' not in html
    typed = {"rows-0-groups": "Typed before pressing"}
    response = post_page(author, url, typed, action="remove:rows-0")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert error_summary(html) == [("#main-form", "Only rows you added can be removed")]
    assert len([k for k in page_fields(html) if k.endswith("-key")]) == 4
    assert_kept(html, typed)


def test_adding_beyond_the_most_a_list_can_hold_says_so(author, assessment_id):
    url = section_url(assessment_id, "economy")
    fields = page_fields(author.get(url).get_data(as_text=True))
    for n in range(forms.MAX_RISKS):
        fields.update({f"rows-0-risks-{n}-id": "", f"rows-0-risks-{n}-text": f"Risk {n + 1}"})
    response = post_page(author, url, {}, action="add:rows-0-risks", fields=fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert error_summary(html) == [("#main-form", f"You can add up to {forms.MAX_RISKS} risks to a row")]
    shown = page_fields(html)
    assert shown[f"rows-0-risks-{forms.MAX_RISKS - 1}-text"] == f"Risk {forms.MAX_RISKS}"
    assert f"rows-0-risks-{forms.MAX_RISKS}-text" not in shown


def test_adding_beyond_the_most_mitigations_says_so(author, assessment_id):
    url = section_url(assessment_id, "economy")
    fields = page_fields(author.get(url).get_data(as_text=True))
    fields.update({"rows-1-risks-0-id": "", "rows-1-risks-0-text": "A risk"})
    for n in range(forms.MAX_MITIGATIONS):
        fields[f"rows-1-risks-0-mitigations-{n}-text"] = f"M{n}"
    html = post_page(author, url, {}, action="add:rows-1-risks-0-mitigations", fields=fields).get_data(as_text=True)
    assert error_summary(html) == [("#main-form", f"You can add up to {forms.MAX_MITIGATIONS} mitigations to a risk")]


def test_unknown_or_stale_buttons_are_refused_politely(author, assessment_id):
    url = section_url(assessment_id, "economy")
    for action, message in [("add:rows-0-nonsense", "That list cannot be added to"),
                            ("remove:rows-0-benefits-3", "That item has already been removed"),
                            ("add:rows-9-risks", "That item is no longer on the page")]:
        response = post_page(author, url, {"rows-0-groups": "Kept"}, action=action)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, action
        assert error_summary(html) == [("#main-form", message)], action
        assert page_fields(html)["rows-0-groups"] == "Kept"


def test_labels_are_markup_not_escaped_text_and_own_titles_are_escaped(author, assessment_id):
    """Hidden context in labels ("Risk 1<span class=govuk-visually-hidden> in Transport</span>") is
    markup; the author's own row title inside it is text."""
    url = section_url(assessment_id, "environment")
    html, t = _transport_with_two_risks(author, url)
    html = press(author, url, "add:rows", html).get_data(as_text=True)
    own = len([k for k in page_fields(html) if k.endswith("-key")]) - 1
    html = press(author, url, f"add:rows-{own}-benefits", html,
                 {f"rows-{own}-title": 'Parks & "green" <spaces>'}).get_data(as_text=True)
    assert "&lt;span" not in html and "&lt;/span" not in html
    assert f'<label class="govuk-label govuk-label--s" for="rows-{t}-risks-1-text">Risk 2<span ' \
           'class="govuk-visually-hidden"> in Transport</span></label>' in html
    assert ("Mitigation or recommendation 2<span class=\"govuk-visually-hidden\"> for risk 2 in Transport</span>"
            in html)
    assert ('Benefit 1<span class="govuk-visually-hidden"> in Parks &amp; &#34;green&#34; &lt;spaces&gt;</span>'
            in html)
    assert "<spaces>" not in html
    for page in ("details", "team", "engagement", "staff", "sections/economy/evidence"):
        other = author.get(f"/assessments/{assessment_id}/{page}").get_data(as_text=True)
        assert "&lt;span" not in other, page
