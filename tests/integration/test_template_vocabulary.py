"""Decision routes, project sizes, publication statuses and the Cabinet paragraphs are the template's.

A second council's template (tests/data) is given its own lists: its authors are offered exactly those,
its project sizes decide who signs off, its Cabinet summary prints its own paragraphs under its own
headings, and the admin's list of all assessments names each route as the assessment's template does.
The seeded council template keeps today's lists, and a version stored before templates held them
shows and decides exactly as before.
"""

from __future__ import annotations

import io
import re

import docx
import pytest
from sqlalchemy import select

from cia.data import templates
from cia.data import workflow as flow
from cia.data.imports import import_assessment
from cia.extensions import db
from cia.models import Assessment, Template, TemplateVersion, User
from tests.factories import load_staffordshire, realistic_assessment
from tests.helpers import (
    assert_kept,
    error_summary,
    make_user,
    page_fields,
    post_page,
    signed_in,
    stored_part,
)
from tests.integration.designer_support import IIA_YAML, counts
from tests.workflow_helpers import access_as, app_config

AUTHOR = "author@example.gov.uk"
ADMIN = "admin@example.gov.uk"
SECOND = "Integrated Impact Assessment"

OWN_LISTS = """reference_prefix: BIA
decision_routes:
- key: full_council
  label: Full Council
- key: portfolio_holder
  label: Portfolio Holder decision
- key: elsewhere
  label: Somewhere else (say where)
  other: true
project_sizes:
- key: minor
  label: Minor change
  approver_level: sponsor
- key: major
  label: Major change
  approver_level: slt
evidence_types:
- key: survey
  label: Residents' survey
- key: counts
  label: Footfall counts
directions:
- key: better
  label: People are better off
- key: worse
  label: People are worse off
community_impact:
- key: risk
  heading: What could go wrong
  guidance: The main risks, and how they will be managed.
- key: equalities_legal
  heading: Fairness and the law
"""


def _approvers(chosen) -> list:
    """The approvers of a one-step sign-off, as chosen_approvers returns them (per step)."""
    ((_plan, approvers),) = chosen
    return approvers


def _import(app, tmp_path, lists: str = OWN_LISTS, *, publish: bool = True):
    text = IIA_YAML.read_text(encoding="utf-8").replace("\nsections:\n", "\n" + lists + "sections:\n", 1)
    path = tmp_path / "second-template.yaml"
    path.write_text(text, encoding="utf-8")
    return app.test_cli_runner().invoke(args=["cia", "template-import", str(path)] + (["--publish"] if publish else []))


@pytest.fixture
def second(app, users, tmp_path) -> int:
    """The second council's template, published with its own lists: its version id."""
    result = _import(app, tmp_path)
    assert result.exit_code == 0, result.output
    with app.app_context():
        template = db.session.execute(select(Template).where(Template.name == SECOND)).scalar_one()
        return template.versions[0].id


@pytest.fixture
def author(app, users):
    return signed_in(app, AUTHOR)


def _start(author, version_id: int, name: str = "Closing the Ambridge office") -> int:
    response = author.post("/assessments/new", data={"name": name, "template": str(version_id)})
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _radio_values(html: str, name: str) -> list[str]:
    tags = re.findall(r"<input[^>]*>", html)
    return [re.search(r'value="([^"]*)"', t).group(1) for t in tags
            if f'name="{name}"' in t and 'type="radio"' in t]


def _imported(app, users, *, template_name: str, name: str, **details) -> int:
    """An assessment holding realistic answers on the named template (the import path of the JSON format)."""
    with app.app_context():
        version = db.session.execute(select(TemplateVersion).join(Template).where(
            Template.name == template_name, TemplateVersion.status == "published")).scalars().first()
        spec = templates.spec_for_version(version.id)
        data = realistic_assessment(spec)
        data.template_name, data.template_version = spec.name, spec.version
        data.details.name = name
        for key, value in details.items():
            setattr(data.details, key, value)
        created = import_assessment(data, db.session.get(User, users.author))
        db.session.commit()
        return created.id


def _docx_text(body: bytes) -> str:
    document = docx.Document(io.BytesIO(body))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def _community_headings(html: str) -> list[str]:
    part = html.split('<h2 class="govuk-heading-l">Community Impact</h2>', 1)[1].split("<h2", 1)[0]
    return [re.sub(r"<[^>]+>.*", "", h, flags=re.S).strip() for h in re.findall(r'<h3 class="govuk-heading-s">(.*?)</h3>', part, re.S)]


# --- the details page ---------------------------------------------------------------------------


def test_the_details_page_offers_exactly_the_templates_routes_and_sizes(app, second, author):
    aid = _start(author, second)
    html = author.get(f"/assessments/{aid}/details").get_data(as_text=True)
    assert _radio_values(html, "decision_route") == ["full_council", "portfolio_holder", "elsewhere"]
    assert _radio_values(html, "project_size") == ["minor", "major"]
    assert "Portfolio Holder decision" in html and "Cabinet Member under delegation" not in html
    assert "Minor change: Sponsor. Major change: Senior Leadership Team (SLT)." in html
    with app.app_context():
        assert db.session.get(Assessment, aid).reference.startswith("BIA-")


def test_a_route_or_size_the_template_does_not_offer_is_refused_and_nothing_typed_is_lost(app, second, author):
    aid = _start(author, second)
    url = f"/assessments/{aid}/details"
    typed = {"name": "Closing the Ambridge office for good", "directorate": "Place", "summary": "Move the desk."}
    response = post_page(author, url, {**typed, "decision_route": "cabinet", "project_size": "large"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ("#decision_route", "Select how the decision will be made") in error_summary(html)
    assert ("#project_size", "Select how large the project is") in error_summary(html)
    assert_kept(html, typed)
    with app.app_context():
        assert stored_part(aid, "details")["name"] == "Closing the Ambridge office"  # nothing saved


def test_a_stored_answer_the_template_does_not_list_is_kept_when_the_page_is_saved(app, second, users):
    aid = _imported(app, users, template_name=SECOND, name="Moving the depot", decision_route="cabinet",
                    publication_status="exempt", exempt_paragraph="9")
    author = signed_in(app, AUTHOR)
    url = f"/assessments/{aid}/details"
    html = author.get(url).get_data(as_text=True)
    assert _radio_values(html, "decision_route") == ["full_council", "portfolio_holder", "elsewhere", "cabinet"]
    assert (page_fields(html)["decision_route"], page_fields(html)["exempt_paragraph"]) == ("cabinet", "9")
    response = post_page(author, url, {"summary": "Moving the depot to the industrial estate."})
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    with app.app_context():
        stored = stored_part(aid, "details")
    assert (stored["decision_route"], stored["publication_status"], stored["exempt_paragraph"]) == (
        "cabinet", "exempt", "9")
    refused = post_page(author, url, {"decision_route": "committee"}).get_data(as_text=True)
    assert ("#decision_route", "Select how the decision will be made") in error_summary(refused)


def test_the_templates_say_which_route_asks_for_the_authors_words(app, second, author):
    aid = _start(author, second)
    url = f"/assessments/{aid}/details"
    html = post_page(author, url, {"decision_route": "elsewhere", "decision_route_other": ""}).get_data(as_text=True)
    assert ("#decision_route_other", "Describe how the decision will be made") in error_summary(html)
    response = post_page(author, url, {"decision_route": "elsewhere", "decision_route_other": "The parish meeting",
                                       "project_size": "major"})
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    view = author.get(f"/assessments/{aid}/check-answers").get_data(as_text=True)
    assert "The parish meeting" in view and "Major change" in view


def test_the_seeded_template_offers_todays_routes_and_schedule_12a_paragraphs(app, users, author):
    response = author.post("/assessments/new", data={"name": "Closing a library"})
    aid = int(response.headers["Location"].rsplit("/", 1)[1])
    html = author.get(f"/assessments/{aid}/details").get_data(as_text=True)
    assert _radio_values(html, "decision_route") == ["cabinet", "cabinet_member", "officer", "committee", "other"]
    assert _radio_values(html, "project_size") == ["small", "medium", "large"]
    assert _radio_values(html, "publication_status") == ["public", "exempt"]
    assert re.findall(r'<option value="([^"]*)"', html) == ["", "1", "2", "3", "4", "5", "6", "7"]
    assert "unless information in them is exempt under Schedule 12A of the Local Government Act 1972." in html
    assert "Small: Manager. Medium: Sponsor. Large: Senior Leadership Team (SLT)." in html
    html = post_page(author, f"/assessments/{aid}/details",
                     {"publication_status": "exempt", "exempt_paragraph": "9"}).get_data(as_text=True)
    assert ("#exempt_paragraph", "Select the paragraph of Schedule 12A that makes this assessment exempt") in \
        error_summary(html)


# --- who signs off --------------------------------------------------------------------------------


def test_the_templates_size_decides_the_approver_level_that_may_sign_off(app, second, users):
    aid = _imported(app, users, template_name=SECOND, name="Moving the depot", project_size="minor")
    with app.app_context():
        manager = db.session.get(User, users.approver)
        sponsor = make_user("sponsor@example.gov.uk", "Sam Sponsor", "approver", "sponsor")
        slt = make_user("slt@example.gov.uk", "Sol Senior", "approver", "slt")
        owner = db.session.get(User, users.author)
        db.session.commit()
        sponsor_id, slt_id = sponsor.id, slt.id
        access = access_as(owner, aid)
        with pytest.raises(flow.Blocked) as refused:
            flow.chosen_approvers(access, [manager.id])
        assert "Select approvers at Sponsor level" in refused.value.message
        assert _approvers(flow.chosen_approvers(access, [sponsor.id])) == [sponsor]
        with app_config(CIA_APPROVER_LEVELS={"minor": "manager"}):  # an installation default, not an override
            assert _approvers(flow.chosen_approvers(access, [sponsor.id])) == [sponsor]

    author = signed_in(app, AUTHOR)
    response = post_page(author, f"/assessments/{aid}/details", {"project_size": "major"})
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    with app.app_context():
        access = access_as(db.session.get(User, users.author), aid)
        with pytest.raises(flow.Blocked) as refused:
            flow.chosen_approvers(access, [sponsor_id])
        assert "Select approvers at Senior Leadership Team (SLT) level" in refused.value.message
        assert [u.email for u in _approvers(flow.chosen_approvers(access, [slt_id]))] == ["slt@example.gov.uk"]


# --- the Cabinet summary and the exports ----------------------------------------------------------


def test_the_cabinet_summary_prints_only_the_templates_paragraphs_under_its_headings(app, second, users):
    aid = _imported(app, users, template_name=SECOND, name="Moving the depot", decision_route="full_council")
    author = signed_in(app, AUTHOR)
    html = author.get(f"/assessments/{aid}/summary").get_data(as_text=True)
    assert _community_headings(html) == ["What could go wrong", "Fairness and the law"]
    assert "Full Council" in html
    text = _docx_text(author.get(f"/assessments/{aid}/download/summary-docx").data)
    assert "What could go wrong" in text and "Fairness and the law" in text
    for heading in ("Resources and Value for Money", "Climate Change", "Equalities and Legal"):
        assert heading not in text and heading not in html

    page = author.get(f"/assessments/{aid}/community-impact").get_data(as_text=True)
    assert [k for k in page_fields(page) if k in ("equalities_legal", "resources_value", "risk", "climate_change",
                                                  "health")] == ["risk", "equalities_legal"]
    assert "The main risks, and how they will be managed." in page


def test_a_too_long_paragraph_is_named_by_the_templates_heading_and_nothing_typed_is_lost(app, second, users):
    aid = _imported(app, users, template_name=SECOND, name="Moving the depot")
    author = signed_in(app, AUTHOR)
    typed = {"risk": "x" * 20_001, "equalities_legal": "Fair to everyone."}
    html = post_page(author, f"/assessments/{aid}/community-impact", typed).get_data(as_text=True)
    assert ("#risk", "What could go wrong must be 20,000 characters or fewer") in error_summary(html)
    assert_kept(html, typed)


def test_the_evidence_page_offers_the_templates_evidence_types_and_directions(app, second, author):
    aid = _start(author, second)
    url = f"/assessments/{aid}/sections/access/evidence"
    html = post_page(author, url, {}, action="add:items").get_data(as_text=True)
    assert _radio_values(html, "direction") == ["better", "worse"]
    assert _radio_values(html, "items-0-kind") == ["survey", "counts"]
    typed = {"items-0-title": "Library visits 2025", "narrative": "Visits fell by a third."}
    response = post_page(author, url, {**typed, "direction": "positive", "items-0-kind": "research"},
                         fields=page_fields(html))
    html = response.get_data(as_text=True)
    assert ("#direction", "Select whether the impact is positive or negative") in error_summary(html)
    assert any(message == "Evidence item 1: Select the type of evidence" for _href, message in error_summary(html)), \
        error_summary(html)
    assert_kept(html, typed)
    response = post_page(author, url, {**typed, "direction": "worse", "items-0-kind": "counts"}, fields=page_fields(html))
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    view = author.get(f"/assessments/{aid}/check-answers").get_data(as_text=True)
    assert "People are worse off" in view and "Footfall counts" in view


def test_an_evidence_type_or_direction_the_template_does_not_list_is_kept_when_the_page_is_saved(app, second, users):
    aid = _imported(app, users, template_name=SECOND, name="Moving the depot")
    with app.app_context():
        before = stored_part(aid, "evidence:access")["evidence"]
    assert before["direction"] in ("positive", "mixed", "negative", "neutral") and before["items"]
    author = signed_in(app, AUTHOR)
    url = f"/assessments/{aid}/sections/access/evidence"
    html = author.get(url).get_data(as_text=True)
    assert _radio_values(html, "direction") == ["better", "worse", before["direction"]]
    response = post_page(author, url, {"narrative": "Visits fell by a third."})
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    with app.app_context():
        after = stored_part(aid, "evidence:access")["evidence"]
    assert after["direction"] == before["direction"]
    assert [i["kind"] for i in after["items"]] == [i["kind"] for i in before["items"]]
    assert after["narrative"] == "Visits fell by a third."


def test_a_paragraph_the_template_does_not_use_keeps_its_stored_text_when_the_others_are_saved(app, second, users):
    aid = _imported(app, users, template_name=SECOND, name="Moving the depot")
    with app.app_context():
        kept_health = stored_part(aid, "community_impact")["health"]
    assert kept_health.strip()  # the realistic assessment wrote one
    author = signed_in(app, AUTHOR)
    response = post_page(author, f"/assessments/{aid}/community-impact", {"risk": "Costs may rise."})
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    with app.app_context():
        stored = stored_part(aid, "community_impact")
    assert (stored["risk"], stored["health"]) == ("Costs may rise.", kept_health)


def test_schedule_12a_exempt_marking_prints_as_before_for_the_seeded_template(app, users):
    aid = _imported(app, users, template_name=load_staffordshire().name, name="Library service review",
                    publication_status="exempt", exempt_paragraph="3")
    author = signed_in(app, AUTHOR)
    marking = "Exempt under Schedule 12A of the Local Government Act 1972, paragraph 3"
    html = author.get(f"/assessments/{aid}/summary").get_data(as_text=True)
    text = _docx_text(author.get(f"/assessments/{aid}/download/summary-docx").data)
    for shown in (html, text, author.get(f"/assessments/{aid}/check-answers").get_data(as_text=True)):
        assert marking in shown
        assert "Information relating to the financial or business affairs of any particular person" in shown
    assert _community_headings(html) == ["Equalities and Legal", "Resources and Value for Money", "Risk",
                                         "Climate Change", "Health"]


def test_exports_show_a_stored_key_the_templates_lists_do_not_have(app, second, users):
    aid = _imported(app, users, template_name=SECOND, name="Moving the depot", decision_route="cabinet",
                    project_size="medium")
    author = signed_in(app, AUTHOR)
    html = author.get(f"/assessments/{aid}/summary").get_data(as_text=True)
    assert re.search(r"Decision route.*?cabinet", html, re.S) and re.search(r"Project size.*?medium", html, re.S)
    for kind in ("summary-docx", "docx", "xlsx"):
        assert author.get(f"/assessments/{aid}/download/{kind}").status_code == 200
    text = _docx_text(author.get(f"/assessments/{aid}/download/summary-docx").data)
    assert "cabinet" in text.split("Decision route", 1)[1][:40]
    assert '"decision_route": "cabinet"' in author.get(f"/assessments/{aid}/download/json").get_data(as_text=True)


# --- the admin's list of all assessments ----------------------------------------------------------


def test_all_assessments_name_each_route_as_its_template_does_and_filter_by_any_used_route(app, second, users):
    ours = _imported(app, users, template_name=load_staffordshire().name, name="Library service review",
                     decision_route="cabinet_member")
    theirs = _imported(app, users, template_name=SECOND, name="Moving the depot", decision_route="full_council")
    admin = signed_in(app, ADMIN)
    html = admin.get("/assessments/all").get_data(as_text=True)
    options = dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', html.split('id="decision_route"')[1]
                              .split("</select>")[0]))
    assert options["full_council"] == "Full Council" and options["cabinet_member"] == "Cabinet Member under delegation"
    assert "Full Council" in html and "Cabinet Member under delegation" in html
    found = admin.get("/assessments/all?decision_route=full_council").get_data(as_text=True)
    assert f"/assessments/{theirs}" in found and f"/assessments/{ours}\"" not in found


# --- templates refused, and versions stored before the lists were template data -------------------


def test_a_template_file_with_a_bad_list_is_refused_and_changes_nothing(app, users, tmp_path):
    before = counts(app)
    result = _import(app, tmp_path, "community_impact:\n- key: wellbeing\n  heading: Well-being\n")
    assert result.exit_code == 2
    assert 'community_impact[0].key: Community Impact paragraph 1: "wellbeing" is not one of the paragraphs' in \
        result.output
    assert counts(app) == before


def test_a_version_stored_before_templates_held_lists_shows_and_decides_as_before(app, users):
    with app.app_context():
        version = db.session.execute(select(TemplateVersion).join(Template)
                                     .where(Template.slug == "staffordshire-cia")).scalar_one()
        settings = {k: v for k, v in version.settings.items() if k not in (
            "reference_prefix", "decision_routes", "project_sizes", "publication_statuses", "evidence_types",
            "directions", "community_impact")}
        version.settings = settings
        db.session.commit()
        templates._spec_cache.clear()
        spec = templates.spec_for_version(version.id)
        assert (spec.decision_routes, spec.project_sizes, spec.community_impact) == ([], [], [])
    try:
        aid = _imported(app, users, template_name=spec.name, name="Library service review", project_size="small",
                        publication_status="exempt", exempt_paragraph="3")
        author = signed_in(app, AUTHOR)
        details = author.get(f"/assessments/{aid}/details").get_data(as_text=True)
        assert _radio_values(details, "decision_route") == ["cabinet", "cabinet_member", "officer", "committee", "other"]
        summary = author.get(f"/assessments/{aid}/summary").get_data(as_text=True)
        assert "Exempt under Schedule 12A of the Local Government Act 1972, paragraph 3" in summary
        assert _community_headings(summary) == ["Equalities and Legal", "Resources and Value for Money", "Risk",
                                                "Climate Change", "Health"]
        with app.app_context():
            access = access_as(db.session.get(User, users.author), aid)
            manager = db.session.get(User, users.approver)
            assert _approvers(flow.chosen_approvers(access, [manager.id])) == [manager]  # small -> manager, as before
            with app_config(CIA_APPROVER_LEVELS={"small": "slt"}):  # the setting still applies to such a version
                with pytest.raises(flow.Blocked):
                    flow.chosen_approvers(access, [manager.id])
    finally:
        templates._spec_cache.clear()
