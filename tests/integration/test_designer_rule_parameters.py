"""The Checker rules page with rule parameters: each rule's parameters offer only the draft's own
qualifying questions, by their labels, beside the rule's explanation; a choice is saved through the
one edit flow (audited, conflicts and frozen versions refused); what does not qualify is refused in
the error summary; a parameter whose question was removed is shown on the page and stops publishing.
The checker page then shows the configured rule's finding, linking to the action plan."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from cia import templateformat
from cia.data import templates
from cia.domain import Question
from cia.extensions import db
from cia.models import Template, TemplateVersion
from tests.helpers import error_summary, page_fields, post_page, signed_in
from tests.integration.designer_support import (
    ADMIN,
    AUTHOR,
    audit_rows,
    index_of,
    main_text,
    new_draft,
    spec,
    status,
)

ENGLAND = "equality-impact-assessment-england"


@pytest.fixture
def england(app) -> int:
    with app.app_context():
        templates.seed_bundled_templates([ENGLAND])
        db.session.commit()
        return db.session.execute(select(Template).where(Template.slug == ENGLAND)).scalar_one().versions[0].id


@pytest.fixture
def admin(app, users):
    return signed_in(app, ADMIN)


@pytest.fixture
def draft(app, admin, england) -> int:
    return new_draft(admin, app, from_version=england)


def _rules_url(version_id: int) -> str:
    return f"/templates/versions/{version_id}/rules"


def _fieldset(html: str, rule_id: str) -> str:
    """The HTML of one rule's fieldset on the rules page."""
    start = html.index(f"{rule_id}: ")
    end = html.find("</fieldset>\n  \n", start)
    return html[start:end if end > 0 else None]


def _options(html: str, name: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of a select, or (value, label, checked) of a group of checkboxes."""
    select_ = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    if select_:
        return [(v, unescape(t.strip()), bool(s)) for v, s, t in
                re.findall(r'<option value="([^"]*)"( selected)?[^>]*>(.*?)</option>', select_.group(1), re.S)]
    out = []
    for tag in re.findall(rf'<input[^>]*name="{name}"[^>]*>', html):
        value = re.search(r'value="([^"]*)"', tag).group(1)
        ident = re.search(r'id="([^"]*)"', tag).group(1)
        label = re.search(rf'<label[^>]*for="{ident}"[^>]*>(.*?)</label>', html, re.S).group(1)
        out.append((value, unescape(" ".join(label.split())), "checked" in tag))
    return out


def _post(admin, url: str, changes: dict[str, list[str]], *, fields: dict[str, str] | None = None):
    """The page's form as a browser sends it, with the parameter fields (several values each) changed."""
    fields = fields if fields is not None else page_fields(admin.get(url).get_data(as_text=True))
    pairs = [(k, v) for k, v in fields.items() if k not in changes and not re.search(r"-p_[a-z_]+$", k)]
    shown = {k for k in fields if re.search(r"-p_[a-z_]+$", k)}
    html = admin.get(url).get_data(as_text=True)
    for name in shown - set(changes):  # keep what the page has chosen (every ticked checkbox)
        pairs += [(name, v) for v, _label, on in _options(html, name) if on]
    for name, values in changes.items():
        pairs += [(name, v) for v in values]
    return admin.post(url, data=MultiDict([*pairs, ("submit", "save")]))


def test_each_parameter_offers_the_templates_own_qualifying_questions_beside_the_explanation(app, admin, draft):
    html = admin.get(_rules_url(draft)).get_data(as_text=True)
    fields = page_fields(html)
    r18 = index_of(fields, "rules", "rule_id", "CIA-R18")
    r07 = index_of(fields, "rules", "rule_id", "CIA-R07")
    r18_html = _fieldset(html, "CIA-R18")
    assert "Each negative rating has an action in the action plan" in r18_html
    assert "The checker cannot tell which action answers which rating" in unescape(r18_html)  # its explanation
    assert "Which of your template’s questions it reads" in r18_html
    assert _options(html, f"rules-{r18}-p_actions") == [("", "Not chosen", False),
                                                        ("actions", "Outcome and action plan: Action plan", True)]
    ratings = _options(html, f"rules-{r18}-p_ratings")
    assert [label for _, label, _ in ratings][:2] == ["Impact on people with protected characteristics: Age",
                                                      "Impact on people with protected characteristics: Disability"]
    assert len(ratings) == 9 and not any(on for *_, on in ratings)  # every rating of the scale, as shipped
    assert ("equality_impact.negative", "Impact: Negative", True) in _options(html, f"rules-{r18}-p_negative")
    # The team rule: the England template's only list is its action plan, with no yes or no question.
    assert _options(html, f"rules-{r07}-p_team") == [("", "Not chosen", False),
                                                     ("actions", "Outcome and action plan: Action plan", False)]
    assert _options(html, f"rules-{r07}-p_role") == [("", "Not chosen", False)]
    assert "Your template has none to choose from." in _fieldset(html, "CIA-R07")


def test_chosen_questions_are_saved_through_the_edit_flow_and_audited(app, admin, draft):
    url = _rules_url(draft)
    fields = page_fields(admin.get(url).get_data(as_text=True))
    r18 = index_of(fields, "rules", "rule_id", "CIA-R18")
    before = len(audit_rows(app, "template.edited"))
    response = _post(admin, url, {f"rules-{r18}-p_ratings": ["age", "disability"],
                                  f"rules-{r18}-p_negative": ["equality_impact.negative", "equality_impact.neutral"]})
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    saved = spec(app, draft).rule_settings["CIA-R18"]
    assert saved.parameters == {"ratings": ["age", "disability"],
                                "negative": ["equality_impact.negative", "equality_impact.neutral"],
                                "actions": ["actions"]}
    assert len(audit_rows(app, "template.edited")) == before + 1
    html = admin.get(url).get_data(as_text=True)
    assert [v for v, _, on in _options(html, f"rules-{r18}-p_ratings") if on] == ["age", "disability"]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"p_actions": [""]}, "p_actions", "CIA-R18 is on: choose the action plan, or switch the rule off"),
    ({"p_actions": ["age"]}, "p_actions", 'CIA-R18, the action plan: "age" is not a list question (add another): '
                                          "choose again"),
    ({"p_negative": ["equality_impact.awful"]}, "p_negative",
     'CIA-R18, the answers that count as negative: "equality_impact.awful" is not an option of the template\'s '
     "scales (it may have been removed): choose again"),
    ({"p_actions": ["actions", "outcome"]}, "p_actions", "CIA-R18, the action plan: choose one, not 2"),
    ({"p_ratings": ["<script>"]}, "p_ratings", "is not the key of a question"),
])
def test_a_choice_that_does_not_qualify_is_refused_and_nothing_is_saved(app, admin, draft, changes, field, message):
    url = _rules_url(draft)
    fields = page_fields(admin.get(url).get_data(as_text=True))
    r18 = index_of(fields, "rules", "rule_id", "CIA-R18")
    before = spec(app, draft)
    response = _post(admin, url, {f"rules-{r18}-{name}": values for name, values in changes.items()})
    assert response.status_code == 200
    found = error_summary(response.get_data(as_text=True))
    assert any(href == f"#rules-{r18}-{field}" and message in text for href, text in found), found
    assert spec(app, draft) == before


def test_the_team_rule_is_told_the_team_list_and_the_question_that_marks_the_role(app, admin, draft):
    with app.app_context():
        version = db.session.get(TemplateVersion, draft)
        content = templates.spec_for_version(draft)
        content.section("screening").questions.append(Question(
            "team", "list", "Who is working on the proposal?", item_name="person", questions=[
                Question("name", "short_text", "Name"), Question("housing", "yes_no", "Are they a housing officer?")]))
        templates.write_spec(version, content)
        db.session.commit()
    url = _rules_url(draft)
    html = admin.get(url).get_data(as_text=True)
    r07 = index_of(page_fields(html), "rules", "rule_id", "CIA-R07")
    assert ("team.housing", "Who is working on the proposal?: Are they a housing officer?", False) in \
        _options(html, f"rules-{r07}-p_role")
    response = _post(admin, url, {f"rules-{r07}-enabled": ["yes"], f"rules-{r07}-p_role": ["team.housing"]})
    assert any(f"#rules-{r07}-p_role" == href and "choose the list that is the project team first" in text
               for href, text in error_summary(response.get_data(as_text=True)))
    response = _post(admin, url, {f"rules-{r07}-enabled": ["yes"], f"rules-{r07}-p_team": ["team"],
                                  f"rules-{r07}-p_role": ["team.housing"]})
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    assert spec(app, draft).rule_settings["CIA-R07"].parameters == {"team": ["team"], "role": ["team.housing"]}


def test_a_stale_page_gets_the_conflict_page_and_a_published_version_cannot_change(app, admin, draft, england):
    url = _rules_url(draft)
    html = admin.get(url).get_data(as_text=True)
    fields = page_fields(html)
    r18 = index_of(fields, "rules", "rule_id", "CIA-R18")
    assert _post(admin, url, {f"rules-{r18}-p_ratings": ["age"]}).status_code == 302
    before = spec(app, draft)
    response = _post(admin, url, {f"rules-{r18}-p_ratings": ["race"]}, fields=fields)  # the page as first opened
    assert response.status_code == 409
    assert spec(app, draft) == before
    published = page_fields(admin.get(_rules_url(draft)).get_data(as_text=True))
    response = admin.post(_rules_url(england), data={**published, "submit": "save"})
    assert response.status_code == 409 and "cannot be changed" in response.get_data(as_text=True)


def test_a_parameter_whose_question_was_removed_is_shown_and_stops_publishing(app, admin, draft):
    with app.app_context():
        version = db.session.get(TemplateVersion, draft)
        content = templates.spec_for_version(draft)
        plan = content.section("action_plan")
        plan.questions = [q for q in plan.questions if q.key != "actions"]
        templates.write_spec(version, content)
        db.session.commit()
    expected = '"actions" is not a question of the template (it may have been removed): choose again'
    html = admin.get(_rules_url(draft)).get_data(as_text=True)
    assert "This rule’s settings no longer fit the template" in _fieldset(html, "CIA-R18")
    assert expected in unescape(_fieldset(html, "CIA-R18"))
    summary = error_summary(admin.get(f"/templates/versions/{draft}/publish").get_data(as_text=True))
    assert any(expected in text and href.startswith(_rules_url(draft)) for href, text in summary), summary
    response = admin.post(f"/templates/versions/{draft}/publish",
                          data={"spec_hash": templateformat.spec_hash(spec(app, draft))})
    assert response.status_code == 400 and status(app, draft) == "draft"
    assert any(expected in text for _, text in error_summary(response.get_data(as_text=True)))


def test_the_checker_page_shows_the_negative_rating_finding_linking_to_the_action_plan(app, users, england):
    author = signed_in(app, AUTHOR)
    response = author.post("/assessments/new", data={"name": "Library opening hours", "template": str(england)})
    aid = int(response.headers["Location"].rsplit("/", 1)[1])
    questions = f"/assessments/{aid}/sections/{{}}/questions"
    post_page(author, questions.format("screening"), {"q-full_assessment_needed": "yes"}, submit="later")
    response = post_page(author, questions.format("characteristics"), {"q-age": "negative", "q-race": "negative",
                                                                       "q-sex": "positive"}, submit="later")
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    html = author.get(f"/assessments/{aid}/check").get_data(as_text=True)
    text = main_text(html)
    assert "Age is rated negative: add an action to the action plan to reduce or remove the impact" in text
    assert "Race is rated negative: add an action to the action plan" in text
    assert "Sex is rated" not in text
    plan = questions.format("action_plan")
    assert html.count(f'href="{plan}#q-actions"') >= 2
    response = post_page(author, plan, {"q-actions-0-action": "Open on Monday mornings for older readers"},
                         submit="later")
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    assert "is rated negative" not in main_text(author.get(f"/assessments/{aid}/check").get_data(as_text=True))
