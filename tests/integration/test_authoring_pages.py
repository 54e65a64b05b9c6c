"""Authoring, page by page through the test client: the happy path and every validation error.

Each page is loaded, some fields are typed and the whole form is posted back as a browser
would. Every error must be in the error summary (linking to a field on the page) and every
answer typed must be shown again.
"""

from __future__ import annotations

import pytest

from cia.extensions import db
from tests.helpers import (
    assert_kept,
    assert_summary_links_work,
    error_summary,
    page_fields,
    post_page,
    press,
    signed_in,
    start_assessment,
    stored_part,
)

# --- start ---------------------------------------------------------------------------


def test_start_an_assessment_lands_on_its_task_list(author):
    response = author.post("/assessments/new", data={"name": "Closing the Tamworth library"})
    assert response.status_code == 302
    html = author.get(response.headers["Location"]).get_data(as_text=True)
    assert "Closing the Tamworth library" in html
    assert "Proposal details" in html and "Economy" in html and "Check your answers" in html
    assert "Not started" in html


def test_start_without_a_name_says_what_to_enter(author):
    response = author.post("/assessments/new", data={"name": "   "})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert error_summary(html) == [("#name", "Enter the name of the proposal")]
    assert "Error: " in html  # in the page title


def test_start_with_a_name_too_long_keeps_it(author):
    name = "A" * 501
    html = author.post("/assessments/new", data={"name": name}).get_data(as_text=True)
    assert "500 characters or fewer" in error_summary(html)[0][1]
    assert name in html


# --- proposal details ------------------------------------------------------------------

DETAILS = {
    "name": "Library service redesign",
    "sponsor": "Director of Culture",
    "lead": "Head of Libraries",
    "date-day": "",
    "date-month": "3",
    "date-year": "2026",
    "directorate": "Economy, Infrastructure and Skills",
    "summary": "We propose to move the library into the community hub.\n\n- fewer buildings\n- longer hours",
    "decision_route": "cabinet",
    "decision_date-day": "27",
    "decision_date-month": "5",
    "decision_date-year": "2026",
    "project_size": "medium",
    "publication_status": "public",
}


def _details(assessment_id: int) -> str:
    return f"/assessments/{assessment_id}/details"


def test_details_happy_path_saves_and_goes_to_the_team(app, author, assessment_id):
    response = post_page(author, _details(assessment_id), {**DETAILS, "completed": "yes"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/{assessment_id}/team")
    with app.app_context():
        saved = stored_part(assessment_id, "details")
    assert saved["name"] == "Library service redesign" and saved["date"] == "2026-03"
    assert saved["decision_date"] == "2026-05-27" and saved["completed"] is True
    assert saved["summary"].startswith("We propose")
    html = author.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "Library service redesign" in html and "Completed" in html
    # Shown again as typed.
    assert_kept(author.get(_details(assessment_id)).get_data(as_text=True),
                {**DETAILS, "date-day": "", "completed": "yes"})


def test_save_and_come_back_later_goes_to_the_task_list(author, assessment_id):
    response = post_page(author, _details(assessment_id), DETAILS, submit="later")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/assessments/{assessment_id}")
    assert "Your answers have been saved" in author.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("changes, href, message", [
    ({"name": ""}, "#name", "Enter the name of the proposal"),
    ({"date-month": "13"}, "#date-month", "Date must be a real date: month must be between 1 and 12"),
    ({"date-month": "March"}, "#date-month", "Date must be a real date, using numbers"),
    ({"date-year": "26a"}, "#date-year", "Date must be a real date, using numbers"),
    ({"date-year": "202"}, "#date-year", "Date: year must include 4 numbers, like 2026"),
    ({"date-day": "30", "date-month": "2"}, "#date-day", "Date must be a real date"),
    ({"date-month": ""}, "#date-month", "Date must include a month"),
    ({"decision_date-day": ""}, "#decision_date-day", "Expected decision date must include a day"),
    ({"decision_date-day": "", "decision_date-year": ""}, "#decision_date-day",
     "Expected decision date must include a day and year"),
    ({"decision_route": "other", "decision_route_other": ""}, "#decision_route_other",
     "Describe how the decision will be made"),
    ({"publication_status": "exempt", "exempt_paragraph": ""}, "#exempt_paragraph",
     "Select the paragraph of Schedule 12A that makes this assessment exempt"),
    ({"summary": "x" * 20_001}, "#summary", "Summary of the proposal must be 20,000 characters or fewer"),
    ({"sponsor": "y" * 201}, "#sponsor", "Project Sponsor (if applicable) must be 200 characters or fewer"),
], ids=["name empty", "month 13", "month letters", "year letters", "year 3 digits", "30 February",
        "month missing", "decision day missing", "decision day and year missing", "other route without text",
        "exempt without paragraph", "summary too long", "sponsor too long"])
def test_details_errors_are_in_the_summary_and_keep_every_answer(app, author, assessment_id, changes, href, message):
    typed = {**DETAILS, **changes}
    response = post_page(author, _details(assessment_id), typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert assert_summary_links_work(html) == [(href, message)]
    assert f"Error:</span> {message}" in html  # and next to the field
    assert_kept(html, typed)
    with app.app_context():
        assert stored_part(assessment_id, "details")["version"] == 1  # nothing saved


def test_details_other_route_and_exempt_paragraph_save_when_given(app, author, assessment_id):
    typed = {**DETAILS, "decision_route": "other", "decision_route_other": "Full Council",
             "publication_status": "exempt", "exempt_paragraph": "3"}
    assert post_page(author, _details(assessment_id), typed).status_code == 302
    with app.app_context():
        saved = stored_part(assessment_id, "details")
    assert (saved["decision_route_other"], saved["exempt_paragraph"]) == ("Full Council", "3")


def test_several_detail_errors_at_once(author, assessment_id):
    typed = {**DETAILS, "name": "", "date-month": "13", "decision_route": "other", "decision_route_other": ""}
    html = post_page(author, _details(assessment_id), typed).get_data(as_text=True)
    hrefs = [h for h, _ in assert_summary_links_work(html)]
    assert hrefs == ["#name", "#date-month", "#decision_route_other"]
    assert_kept(html, typed)


# --- project team --------------------------------------------------------------------------


def _team(assessment_id: int) -> str:
    return f"/assessments/{assessment_id}/team"


def _with_members(client, assessment_id: int, count: int) -> str:
    url = _team(assessment_id)
    html = client.get(url).get_data(as_text=True)
    assert "Add a team member" in html
    for _ in range(count):
        response = press(client, url, "add:members", html)
        assert response.status_code == 200 and not error_summary(response.get_data(as_text=True))
        html = response.get_data(as_text=True)
    return html


def test_team_add_and_remove_members_without_javascript(app, author, assessment_id):
    url = _team(assessment_id)
    html = _with_members(author, assessment_id, 1)
    assert 'data-app-focus="members-0-name"' in html
    html = press(author, url, "add:members", html, {"members-0-name": "Priya Patel", "members-0-job_title": "Lead"}) \
        .get_data(as_text=True)
    assert 'value="Priya Patel"' in html and "Team member 2" in html  # the first member was kept
    html = press(author, url, "add:members", html, {"members-1-name": "Sam Jones"}).get_data(as_text=True)
    html = press(author, url, "remove:members-1", html, {"members-2-name": "Kim Lee"}).get_data(as_text=True)
    fields = page_fields(html)
    assert [fields[k] for k in sorted(fields) if k.endswith("-name")] == ["Priya Patel", "Kim Lee"]
    with app.app_context():
        assert stored_part(assessment_id, "team")["members"] == []  # adding and removing saves nothing
    response = post_page(author, url, {"members-0-has_team_role": "yes", "members-0-date_first_involved-month": "1",
                                       "members-0-date_first_involved-year": "2026", "completed": "yes"},
                         fields=fields)
    assert response.status_code == 302 and response.headers["Location"].endswith("/engagement")
    with app.app_context():
        members = stored_part(assessment_id, "team")["members"]
    assert [(m["name"], m["has_team_role"], m["date_first_involved"]) for m in members] == [
        ("Priya Patel", "yes", "2026-01"), ("Kim Lee", "", "")]


def test_team_member_with_a_bad_date_is_named(author, assessment_id):
    html = _with_members(author, assessment_id, 2)
    typed = {"members-0-name": "Priya", "members-1-name": "Sam", "members-1-date_first_involved-month": "13",
             "members-1-date_first_involved-year": "2025"}
    response = post_page(author, _team(assessment_id), typed, fields=page_fields(html))
    html = response.get_data(as_text=True)
    assert assert_summary_links_work(html) == [
        ("#members-1-date_first_involved-month",
         "Team member 2: Date first involved must be a real date: month must be between 1 and 12")]
    assert_kept(html, typed)


def test_edit_access_for_an_email_without_an_account_names_the_member(app, author, assessment_id):
    html = _with_members(author, assessment_id, 2)
    typed = {"members-0-name": "Priya", "members-1-name": "Sam Jones",
             "members-1-account_email": "nobody@example.gov.uk", "members-1-edit_access": "yes"}
    response = post_page(author, _team(assessment_id), typed, fields=page_fields(html))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    [(href, message)] = assert_summary_links_work(html)
    assert href == "#members-1-account_email"
    assert message.startswith("Team member 2:") and "nobody@example.gov.uk" in message
    assert_kept(html, typed)


def test_edit_access_without_an_email_names_the_member(author, assessment_id):
    html = _with_members(author, assessment_id, 1)
    typed = {"members-0-name": "Priya", "members-0-edit_access": "yes"}
    html = post_page(author, _team(assessment_id), typed, fields=page_fields(html)).get_data(as_text=True)
    [(href, message)] = assert_summary_links_work(html)
    assert href == "#members-0-account_email" and message.startswith("Team member 1:")


def test_edit_access_for_an_account_lets_that_user_edit(app, author, assessment_id):
    other = signed_in(app, "other@example.gov.uk")
    section = f"/assessments/{assessment_id}/sections/economy"
    assert other.get(section).status_code == 404
    html = _with_members(author, assessment_id, 1)
    response = post_page(author, _team(assessment_id), {
        "members-0-name": "Olu Other", "members-0-account_email": "OTHER@example.gov.uk",
        "members-0-edit_access": "yes"}, fields=page_fields(html))
    assert response.status_code == 302
    assert other.get(section).status_code == 200
    response = post_page(other, section, {"rows-0-impact": "no"}, submit="later")
    assert response.status_code == 302
    with app.app_context():
        assert stored_part(assessment_id, "section:economy")["rows"][0]["impact"] == "no"
    # Taking edit access away takes the assessment away.
    response = post_page(author, _team(assessment_id), {"members-0-edit_access": "no"})
    assert response.status_code == 302
    assert other.get(section).status_code == 404


# --- engagement ---------------------------------------------------------------------------


def test_engagement_activities_add_save_and_errors(app, author, assessment_id):
    url = f"/assessments/{assessment_id}/engagement"
    html = press(author, url, "add:activities", author.get(url).get_data(as_text=True)).get_data(as_text=True)
    html = press(author, url, "add:activities", html, {"activities-0-activity": "Public consultation"}) \
        .get_data(as_text=True)
    typed = {"activities-0-activity": "Public consultation", "activities-0-groups": "Library users",
             "activities-0-findings": "People value late opening.\n\n- evenings\n- weekends",
             "activities-1-activity": "Staff workshop", "activities-1-influence": "z" * 20_001}
    response = post_page(author, url, typed, fields=page_fields(html))
    html = response.get_data(as_text=True)
    assert assert_summary_links_work(html) == [
        ("#activities-1-influence", "Activity 2: How did the findings shape the proposal? must be 20,000 characters or fewer")]
    assert_kept(html, typed)
    typed["activities-1-influence"] = "We kept two evening sessions."
    response = post_page(author, url, {**typed, "completed": "yes"}, fields=page_fields(html))
    assert response.status_code == 302 and response.headers["Location"].endswith("/sections/psed")
    with app.app_context():
        saved = stored_part(assessment_id, "engagement")
    assert [a["activity"] for a in saved["activities"]] == ["Public consultation", "Staff workshop"]
    assert saved["completed"] is True


def test_an_empty_activity_is_not_kept(app, author, assessment_id):
    url = f"/assessments/{assessment_id}/engagement"
    html = press(author, url, "add:activities", author.get(url).get_data(as_text=True)).get_data(as_text=True)
    assert post_page(author, url, {}, fields=page_fields(html), submit="later").status_code == 302
    with app.app_context():
        assert stored_part(assessment_id, "engagement")["activities"] == []


# --- evidence base ----------------------------------------------------------------------------


def test_evidence_base_items_and_scales(app, author, assessment_id):
    url = f"/assessments/{assessment_id}/sections/economy/evidence"
    html = author.get(url).get_data(as_text=True)
    assert "Evidence Base" in html
    html = press(author, url, "add:items", html).get_data(as_text=True)
    assert 'data-app-focus="items-0-title"' in html
    html = press(author, url, "add:items", html, {"items-0-title": "Census 2021"}).get_data(as_text=True)
    typed = {"items-0-title": "Census 2021", "items-0-kind": "data", "items-0-period": "2021",
             "items-0-link": "https://www.ons.gov.uk/census", "items-1-title": "Library survey",
             "items-1-kind": "engagement", "items-1-description": "1,200 replies",
             "likelihood": "likely", "size": "medium", "direction": "mixed", "narrative": "Fairly sure.",
             "completed": "yes"}
    response = post_page(author, url, typed, fields=page_fields(html))
    assert response.status_code == 302 and response.headers["Location"].endswith("/sections/environment")
    with app.app_context():
        saved = stored_part(assessment_id, "evidence:economy")
    assert saved["completed"] is True
    assert [(i["title"], i["kind"]) for i in saved["evidence"]["items"]] == [
        ("Census 2021", "data"), ("Library survey", "engagement")]
    assert (saved["evidence"]["likelihood"], saved["evidence"]["size"], saved["evidence"]["direction"]) == (
        "likely", "medium", "mixed")
    assert_kept(author.get(url).get_data(as_text=True), typed)
    # Remove the first item.
    html = press(author, url, "remove:items-0", author.get(url).get_data(as_text=True)).get_data(as_text=True)
    assert page_fields(html)["items-0-title"] == "Library survey" and "items-1-title" not in page_fields(html)


def test_evidence_marked_completed_with_problems_stays_on_the_page(app, author, assessment_id):
    url = f"/assessments/{assessment_id}/sections/economy/evidence"
    typed = {"likelihood": "possible", "narrative": "Some evidence from the survey.", "completed": "yes"}
    response = post_page(author, url, typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    messages = dict(assert_summary_links_work(html))
    assert messages == {"#items": "Economy, Evidence Base: add the evidence you used",
                        "#size": "Economy, Evidence Base: select the size of impact"}
    assert "Your answers have been saved" in html
    assert_kept(html, typed)
    with app.app_context():
        saved = stored_part(assessment_id, "evidence:economy")
    assert saved["evidence"]["likelihood"] == "possible" and saved["completed"] is True


def test_evidence_not_completed_goes_on_without_problems(author, assessment_id):
    url = f"/assessments/{assessment_id}/sections/economy/evidence"
    response = post_page(author, url, {"likelihood": "possible", "completed": "no"})
    assert response.status_code == 302


def test_evidence_item_errors_name_the_item(author, assessment_id):
    url = f"/assessments/{assessment_id}/sections/health_and_care/evidence"
    html = press(author, url, "add:items", author.get(url).get_data(as_text=True)).get_data(as_text=True)
    html = press(author, url, "add:items", html).get_data(as_text=True)
    typed = {"items-0-title": "Survey", "items-1-title": "t" * 501, "items-1-description": "Kept text"}
    html = post_page(author, url, typed, fields=page_fields(html)).get_data(as_text=True)
    assert assert_summary_links_work(html) == [("#items-1-title", "Evidence item 2: Title must be 500 characters or fewer")]
    assert_kept(html, typed)


# --- staff -----------------------------------------------------------------------------------


def test_staff_happy_path(app, author, assessment_id):
    url = f"/assessments/{assessment_id}/staff"
    html = author.get(url).get_data(as_text=True)
    fields = page_fields(html)
    assert fields["profile-0-characteristic"] == "Age"  # one line per characteristic to start with
    typed = {"affects_staff": "yes", "profile-0-group": "Aged 50 to 64", "profile-0-pre_percent": "31",
             "profile-0-post_percent": "28.5%", "profile-1-pre_percent": "Unknown", "job_losses": "12",
             "support": "Redeployment", "hr_protocols": "Managing change", "completed": "yes"}
    response = post_page(author, url, typed, fields=fields)
    assert response.status_code == 302 and response.headers["Location"].endswith("/check-answers")
    with app.app_context():
        saved = stored_part(assessment_id, "staff")
    assert saved["job_losses"] == "12" and saved["profile"][0]["post_percent"] == "28.5%"
    assert_kept(author.get(url).get_data(as_text=True), typed)


def test_staff_errors_name_the_workforce_profile_line(app, author, assessment_id):
    url = f"/assessments/{assessment_id}/staff"
    typed = {"affects_staff": "yes", "profile-2-group": "Disabled staff", "profile-2-pre_percent": "abc",
             "profile-4-post_percent": "150", "job_losses": "ten", "support": "Redeployment and retraining"}
    response = post_page(author, url, typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert assert_summary_links_work(html) == [
        ("#profile-2-pre_percent", "Workforce profile line 3: Before the change: enter a percentage between 0 and 100, or Unknown"),
        ("#profile-4-post_percent", "Workforce profile line 5: After the change: enter a percentage between 0 and 100, or Unknown"),
        ("#job_losses", "How many jobs could be lost must be a whole number, like 12 (enter 0 for none)"),
    ]
    assert_kept(html, typed)
    with app.app_context():
        assert stored_part(assessment_id, "staff")["version"] == 1


def test_staff_profile_lines_add_and_remove(author, assessment_id):
    url = f"/assessments/{assessment_id}/staff"
    html = author.get(url).get_data(as_text=True)
    lines = len([k for k in page_fields(html) if k.endswith("-group")])
    html = press(author, url, "add:profile", html, {"profile-0-group": "Under 25"}).get_data(as_text=True)
    fields = page_fields(html)
    assert len([k for k in fields if k.endswith("-group")]) == lines + 1 and fields["profile-0-group"] == "Under 25"
    html = press(author, url, "remove:profile-0", html).get_data(as_text=True)
    fields = page_fields(html)
    assert len([k for k in fields if k.endswith("-group")]) == lines and fields["profile-0-characteristic"] == "Disability"


# --- task list ----------------------------------------------------------------------------------


def test_task_list_statuses_follow_the_saves(author, assessment_id):
    post_page(author, _details(assessment_id), DETAILS, submit="later")
    post_page(author, f"/assessments/{assessment_id}/sections/economy/evidence",
              {"likelihood": "likely", "completed": "no"}, submit="later")
    html = author.get(f"/assessments/{assessment_id}").get_data(as_text=True)

    def status(key: str) -> str:
        start = html.index(f'id="task-{key}-status"')
        return html[start:html.index("</div>", start)]

    assert "In progress" in status("details")
    assert "In progress" in status("section-economy")
    assert "Not started" in status("team") and "Not started" in status("section-psed")


def test_a_second_assessment_gets_its_own_reference(app, author):
    first, second = start_assessment(author, "One"), start_assessment(author, "Two")
    with app.app_context():
        from cia.models import Assessment

        refs = {db.session.get(Assessment, i).reference for i in (first, second)}
    assert len(refs) == 2
