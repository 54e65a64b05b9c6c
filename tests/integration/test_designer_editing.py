"""Editing a draft: every part of a version, stable keys, nothing lost on error, concurrent admins."""

from __future__ import annotations

import html as htmllib

import pytest

from cia.checks import run_checks
from cia.domain import EvidenceItem, blank_assessment
from tests.helpers import assert_kept, assert_summary_links_work, error_summary, page_fields, signed_in
from tests.integration.designer_support import (
    ADMIN,
    audit_rows,
    count_items,
    fields_of,
    index_of,
    main_text,
    new_draft,
    press,
    save,
    spec,
)


@pytest.fixture
def admin(app, users):
    return signed_in(app, ADMIN)


@pytest.fixture
def draft(app, admin):
    return new_draft(admin, app)


def test_name_and_general_text(app, admin, draft):
    url = f"/templates/versions/{draft}/details"
    response = save(admin, url, {"name": "Equality and Community Impact Assessment",
                                 "closing_instruction": "Send the finished assessment to the Cabinet team."})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/templates/versions/{draft}")
    changed = spec(app, draft)
    assert changed.name == "Equality and Community Impact Assessment"
    assert changed.closing_instruction == "Send the finished assessment to the Cabinet team."
    edited = audit_rows(app, "template.edited")[-1]
    assert edited.details["page"] == "details"
    assert {c["field"] for c in edited.details["changes"]} == {"name", "closing_instruction"}
    assert {"field": "name", "old": "Community Impact Assessment Template",
            "new": "Equality and Community Impact Assessment"} in edited.details["changes"]
    assert "Your changes have been saved" in admin.get(response.headers["Location"]).get_data(as_text=True)


def test_an_empty_name_is_refused_and_nothing_typed_is_lost(app, admin, draft):
    url = f"/templates/versions/{draft}/details"
    typed = {"name": "", "organisation": "Borsetshire County Council", "sections_intro": "New intro\n\nTwo paragraphs"}
    response = save(admin, url, typed)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert assert_summary_links_work(html) == [("#name", "Enter the name of the template")]
    assert_kept(html, typed)
    assert "<title>Error: " in html
    assert spec(app, draft).organisation == "Staffordshire County Council"  # nothing saved


def test_renaming_a_category_area_keeps_its_key(app, admin, draft):
    url = f"/templates/versions/{draft}/sections/psed"
    fields = fields_of(admin.get(url))
    i = index_of(fields, "areas", "key", "race")
    assert save(admin, url, {f"areas-{i}-title": "Ethnicity and race",
                             f"areas-{i}-question": "Will the proposal affect people of any ethnic group?"}).status_code == 302
    area = spec(app, draft).section("psed").area("race")
    assert area.title == "Ethnicity and race"
    assert area.question == "Will the proposal affect people of any ethnic group?"
    changes = audit_rows(app, "template.edited")[-1].details["changes"]
    assert {"field": "sections[psed].category_areas[race].title", "old": "Race", "new": "Ethnicity and race"} in changes


def test_add_reorder_and_remove_category_areas(app, admin, draft):
    url = f"/templates/versions/{draft}/sections/environment"
    html = admin.get(url).get_data(as_text=True)
    count = count_items(page_fields(html), "areas")
    assert count == 7
    # Add: a blank area appears, focused; nothing is saved yet.
    added = press(admin, url, "add:areas", html)
    assert added.status_code == 200
    html = added.get_data(as_text=True)
    assert f'data-app-focus="areas-{count}-title"' in html
    assert count_items(page_fields(html), "areas") == count + 1
    assert len(spec(app, draft).section("environment").category_areas) == 7
    html = press(admin, url, f"up:areas-{count}", html, {f"areas-{count}-title": "Light pollution",
                                                         f"areas-{count}-question": "Will the proposal add lighting?"}
                 ).get_data(as_text=True)
    fields = page_fields(html)
    assert fields[f"areas-{count - 1}-title"] == "Light pollution"  # moved up, what was typed kept
    assert fields[f"areas-{count}-title"] == "Noise"
    noise = index_of(fields, "areas", "key", "noise")
    html = press(admin, url, f"remove:areas-{noise}", html).get_data(as_text=True)
    assert "Noise" not in [v for k, v in page_fields(html).items() if k.endswith("-title")]
    response = admin.post(url, data={**page_fields(html), "submit": "save"})
    assert response.status_code == 302
    section = spec(app, draft).section("environment")
    assert [a.key for a in section.category_areas][-1] == "light_pollution"  # a key made from the title
    assert section.area("light_pollution").question == "Will the proposal add lighting?"
    assert section.area("noise") is None
    # Adding an area with a title like an existing one gets a key of its own.
    html = press(admin, url, "add:areas").get_data(as_text=True)
    n = count_items(page_fields(html), "areas") - 1
    assert admin.post(url, data={**page_fields(html), f"areas-{n}-title": "Transport", "submit": "save"}).status_code == 302
    assert [a.key for a in spec(app, draft).section("environment").category_areas][-1] == "transport_2"


def test_a_new_area_without_a_title_is_named_in_the_error_summary(app, admin, draft):
    url = f"/templates/versions/{draft}/sections/economy"
    html = press(admin, url, "add:areas").get_data(as_text=True)
    typed = {"areas-4-question": "Will the proposal affect town centres?", "intro": "Changed intro, not saved"}
    response = admin.post(url, data={**page_fields(html), **typed, "submit": "save"})
    html = response.get_data(as_text=True)
    summary = assert_summary_links_work(html)
    assert summary == [("#areas-4-title", "Category area 5: Enter the title of the category area")]
    assert_kept(html, typed)
    assert spec(app, draft).section("economy").intro.startswith("Economy –")


def test_section_text_prompts_and_legislation(app, admin, draft):
    url = f"/templates/versions/{draft}/sections/health_and_care"
    changes = {"title": "Health, Care and Wellbeing", "prompts_label": "Please consider:",
               "prompts": "Who uses care services now?\n\n  What do GPs tell us?  \n",
               "legislation": "Care Act 2014\nHealth and Social Care Act 2012\nMental Health Act 1983",
               "mandatory_engagement": "Public health consultants", "allow_custom_rows": "no",
               "staff_row_key": "safeguarding"}
    assert save(admin, url, changes).status_code == 302
    section = spec(app, draft).section("health_and_care")
    assert section.key == "health_and_care" and section.title == "Health, Care and Wellbeing"
    assert section.prompts == ["Who uses care services now?", "What do GPs tell us?"]
    assert section.legislation[-1] == "Mental Health Act 1983"
    assert section.mandatory_engagement == "Public health consultants"
    assert section.allow_custom_rows is False and section.staff_row_key == "safeguarding"
    fields = fields_of(admin.get(url))
    assert fields["prompts"] == "Who uses care services now?\nWhat do GPs tell us?"


def test_sections_add_move_and_remove(app, admin, draft):
    url = f"/templates/versions/{draft}/sections"
    response = save(admin, f"{url}/new", {"title": "Digital Inclusion"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sections/digital_inclusion")
    assert [s.key for s in spec(app, draft).sections][-1] == "digital_inclusion"
    html = admin.get(url).get_data(as_text=True)
    response = admin.post(url, data={**page_fields(html, "sections"), "action": "up:digital_inclusion"})
    assert response.status_code == 302
    assert [s.key for s in spec(app, draft).sections][-2:] == ["digital_inclusion", "localities_communities"]
    changes = audit_rows(app, "template.edited")[-1].details["changes"]
    assert changes[0]["field"] == "sections (order)"
    # A stale list (someone else moved meanwhile) changes nothing.
    response = admin.post(url, data={**page_fields(html, "sections"), "action": "down:psed"})
    assert response.status_code == 409 and "Nothing was changed" in response.get_data(as_text=True)
    confirm = admin.get(f"{url}/economy/remove").get_data(as_text=True)
    assert "Are you sure you want to remove the section “Economy”?" in confirm
    assert admin.post(f"{url}/economy/remove", data=page_fields(confirm, "confirm")).status_code == 302
    assert spec(app, draft).section("economy") is None
    assert admin.get(f"{url}/economy").status_code == 404


def test_the_last_section_cannot_be_removed(app, admin, draft):
    url = f"/templates/versions/{draft}/sections"
    for key in ("psed", "health_and_care", "economy", "environment"):
        page = admin.get(f"{url}/{key}/remove").get_data(as_text=True)
        assert admin.post(f"{url}/{key}/remove", data=page_fields(page, "confirm")).status_code == 302
    page = admin.get(f"{url}/localities_communities/remove").get_data(as_text=True)
    response = admin.post(f"{url}/localities_communities/remove", data=page_fields(page, "confirm"))
    assert response.status_code == 409
    assert "A template needs at least one section" in error_summary(response.get_data(as_text=True))[0][1]
    assert len(spec(app, draft).sections) == 1


def test_scales_keys_are_generated_or_chosen_and_never_change(app, admin, draft):
    url = f"/templates/versions/{draft}/scales"
    html = press(admin, url, "add:likelihood").get_data(as_text=True)
    html = press(admin, url, "add:impact", html).get_data(as_text=True)
    fields = page_fields(html)
    assert "likelihood-0-key" in fields and fields["likelihood-0-locked"] == "1"
    changes = {"likelihood-4-label": "Very unlikely", "likelihood-4-description": "Almost no chance.",
               "impact-3-label": "Severe", "impact-3-key": "very_high", "likelihood-1-label": "Probable"}
    assert admin.post(url, data={**fields, **changes, "submit": "save"}).status_code == 302
    scales = spec(app, draft)
    assert [o.key for o in scales.likelihood_scale] == ["certain", "likely", "possible", "unlikely", "very_unlikely"]
    assert scales.likelihood_scale[1].label == "Probable"  # relabelled, same key
    assert scales.impact_scale[-1].key == "very_high" and scales.impact_scale[-1].label == "Severe"
    # A chosen key already used, or badly formed, is refused with a message on the field.
    html = press(admin, url, "add:impact").get_data(as_text=True)
    fields = page_fields(html)
    response = admin.post(url, data={**fields, "impact-4-label": "Huge", "impact-4-key": "high", "submit": "save"})
    summary = assert_summary_links_work(response.get_data(as_text=True))
    assert ("#impact-4-key", 'Size of impact option 5: the key "high" is already used by another option: choose '
                             "another key") in summary
    response = admin.post(url, data={**fields, "impact-4-label": "Huge", "impact-4-key": "Very High!", "submit": "save"})
    assert "Key must be lower-case letters and numbers" in " ".join(t for _, t in error_summary(response.get_data(as_text=True)))


def test_rule_settings_show_the_rule_and_change_the_checker(app, admin, draft):
    url = f"/templates/versions/{draft}/rules"
    html = admin.get(url).get_data(as_text=True)
    text = main_text(html)
    assert "CIA-R06: The Project Team has more than one person" in text
    assert "A good CIA will involve input from more than one person" in text  # the template sentence
    fields = page_fields(html)
    r06 = index_of(fields, "rules", "rule_id", "CIA-R06")
    r13 = index_of(fields, "rules", "rule_id", "CIA-R13")
    assert save(admin, url, {f"rules-{r06}-enabled": "no", f"rules-{r13}-severity": "error"}).status_code == 302
    settings = spec(app, draft).rule_settings
    assert settings["CIA-R06"].enabled is False and settings["CIA-R13"].severity == "error"
    assert settings["CIA-R01"].enabled is True and settings["CIA-R01"].severity == ""
    report = run_checks(blank_assessment(spec(app, draft)), spec(app, draft))
    assert not any(f.rule_id == "CIA-R06" for f in report.findings)


def test_header_fields_columns_and_bullets(app, admin, draft):
    base = f"/templates/versions/{draft}"
    assert save(admin, f"{base}/header-fields", {"headers-0-label": "Title of the proposal:",
                                                 "headers-1-optional": "no"}).status_code == 302
    assert save(admin, f"{base}/columns", {"columns-1-label": "Positive impacts",
                                           "columns_intro": "What each column asks."}).status_code == 302
    url = f"{base}/guidance/please-note"
    html = press(admin, url, "add:bullets").get_data(as_text=True)
    html = press(admin, url, "up:bullets-3", html, {"bullets-3-text": "Write in plain English."}).get_data(as_text=True)
    html = press(admin, url, "remove:bullets-0", html).get_data(as_text=True)
    assert admin.post(url, data={**page_fields(html), "heading": "Remember:", "submit": "save"}).status_code == 302
    changed = spec(app, draft)
    assert changed.header_fields[0].key == "name_of_proposal" and changed.header_fields[0].label == "Title of the proposal:"
    assert changed.header_fields[1].optional is False
    assert changed.column_label("benefits") == "Positive impacts" and changed.columns_intro == "What each column asks."
    assert changed.please_note_label == "Remember:"
    assert [b.key for b in changed.please_note] == ["state_na", "write_in_plain_english", "no_personal_details"]
    assert save(admin, f"{base}/guidance/completing", {"bullets-0-text": ""}).status_code == 200


def test_two_administrators_editing_at_once_get_a_conflict_not_an_overwrite(app, admin, draft):
    other = signed_in(app, ADMIN)
    url = f"/templates/versions/{draft}/sections/psed"
    mine = page_fields(admin.get(url).get_data(as_text=True))
    theirs = page_fields(other.get(url).get_data(as_text=True))
    assert other.post(url, data={**theirs, "areas-0-title": "Ethnicity", "submit": "save"}).status_code == 302
    response = admin.post(url, data={**mine, "areas-1-title": "Disabled people", "submit": "save"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Another administrator changed this draft while you were editing it" in html
    assert_kept(html, {"areas-1-title": "Disabled people"})
    table = main_text(html)
    assert "sections[psed].category_areas[race].title Ethnicity Race" in table  # theirs, and yours
    assert "sections[psed].category_areas[disability].title Disability Disabled people" in table
    assert spec(app, draft).section("psed").area("disability").title == "Disability"  # not overwritten
    # "Save my version" stores it deliberately.
    assert admin.post(url, data={**page_fields(html), "submit": "save"}).status_code == 302
    section = spec(app, draft).section("psed")
    assert section.area("disability").title == "Disabled people" and section.area("race").title == "Race"


def test_preview_shows_the_draft_as_authors_see_it(app, admin, draft):
    url = f"/templates/versions/{draft}/sections/environment"
    fields = fields_of(admin.get(url))
    i = index_of(fields, "areas", "key", "noise")
    assert save(admin, url, {f"areas-{i}-title": "Noise and vibration"}).status_code == 302
    html = admin.get(f"/templates/versions/{draft}/preview").get_data(as_text=True)
    assert "This is how authors will see version 2 (draft)" in " ".join(html.split())
    assert "You have completed 0 of" in main_text(html)
    for section in spec(app, draft).sections:
        assert f'href="/templates/versions/{draft}/preview/sections/{section.key}"' in html
    page = admin.get(f"/templates/versions/{draft}/preview/sections/environment").get_data(as_text=True)
    text = main_text(page)
    assert "Noise and vibration" in text and "Will the proposal cause disruptive noise?" in text
    assert "Add your own category area" in text  # the author's own page, with its buttons
    assert '<form method="post" novalidate id="main-form" class="app-preview"' in page  # posts to the preview
    assert "Is there an impact?" in text
    evidence = main_text(admin.get(f"/templates/versions/{draft}/preview/sections/environment/evidence").get_data(as_text=True))
    assert "Certain" in evidence and "How likely are the impacts?" in evidence
    assert admin.get(f"/templates/versions/{draft}/preview/sections/nope").status_code == 404


# --- the template's own words for a rule: internal hosts (CIA-R10), abbreviations (CIA-R15) ---


def test_terms_are_saved_and_change_the_checker(app, admin, draft):
    url = f"/templates/versions/{draft}/rules"
    html = admin.get(url).get_data(as_text=True)
    assert "More internal host names" in html and "More abbreviations that need no spelling out" in html
    fields = page_fields(html)
    r10 = index_of(fields, "rules", "rule_id", "CIA-R10")
    r15 = index_of(fields, "rules", "rule_id", "CIA-R15")
    assert f'name="rules-{index_of(fields, "rules", "rule_id", "CIA-R01")}-terms"' not in html  # only where used
    response = save(admin, url, {f"rules-{r10}-terms": "staffhub\n\nintranet.example.gov.uk\nstaffhub",
                                 f"rules-{r15}-terms": "MPFT\r\nSSOTP"})
    assert response.status_code == 302
    changed = spec(app, draft)
    assert changed.rule_settings["CIA-R10"].terms == ["staffhub", "intranet.example.gov.uk"]
    assert changed.rule_settings["CIA-R15"].terms == ["MPFT", "SSOTP"]
    assert "staffhub\nintranet.example.gov.uk" in htmllib.unescape(admin.get(url).get_data(as_text=True))

    a = blank_assessment(changed)
    a.details.summary = "Care from MPFT and SSOTP, and an unexplained ICB."
    a.sections[0].evidence.items = [EvidenceItem(title="Rota", link="https://staffhub.example.org/rota")]
    messages = [f.message for f in run_checks(a, changed).findings if f.rule_id in ("CIA-R10", "CIA-R15")]
    assert any("“https://staffhub.example.org/rota” is on an internal network" in m for m in messages)
    assert [m for m in messages if "spell out" in m] == [m for m in messages if "spell out ICB" in m]


def test_bad_terms_are_refused_with_the_line_named_and_nothing_lost(app, admin, draft):
    url = f"/templates/versions/{draft}/rules"
    fields = page_fields(admin.get(url).get_data(as_text=True))
    r10 = index_of(fields, "rules", "rule_id", "CIA-R10")
    r15 = index_of(fields, "rules", "rule_id", "CIA-R15")
    typed = "https://intra.example.org/pages"
    response = save(admin, url, {f"rules-{r10}-terms": typed, f"rules-{r15}-terms": "Mid Staffs FT"})
    assert response.status_code == 200
    summary = error_summary(response.get_data(as_text=True))
    assert (f"#rules-{r10}-terms", f"CIA-R10: “{typed}” is not a host name. Enter host names only, such as "
                                   "intranet.example.gov.uk, without https:// or a path") in summary
    assert any(href == f"#rules-{r15}-terms" and text.startswith("CIA-R15: “Mid Staffs FT” is not an abbreviation")
               for href, text in summary)
    page = htmllib.unescape(response.get_data(as_text=True))
    assert typed in page and "Mid Staffs FT" in page
    assert spec(app, draft).rule_settings["CIA-R10"].terms == ["staffordshire.local"]  # as it was: nothing saved
