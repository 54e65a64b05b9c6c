"""The assessment's standard parts, declared once: each part's name, its fields' names as people
read them, its list of items, and which fields are dates.

A template's own sections are declared by the template (questions of registered kinds, impact rows:
cia/kinds); the parts every assessment may have are declared here: the proposal's details, the
Project Team, engagement and consultation, the impact on staff, the Community Impact paragraphs,
and each section's Evidence Base. What names a part or a field derives from this: the labels of the
history, conflict and comparison pages (cia/web/labels.py), the checker's names for places
(cia/checks/rules/_walk.py), the links from a finding to its field (cia/web/links.py). A test
checks it against the stored classes (cia/domain.py) and the JSON Schema, so none can drift.

Imports nothing from Flask.
"""

from __future__ import annotations

from typing import NamedTuple


class Field(NamedTuple):
    key: str  # the stored field's name
    label: str  # as the history and the comparison of revisions name it ("Job title")
    #: As the checker's messages name it, after the part's name ("groups involved"); "" when the
    #: checker never names it.
    words: str = ""
    #: A date entered as day, month and year (its page's input is `<key>-day`).
    date: bool = False
    #: What its stored value is, when it is not the text people read: "yes_no" (a yes or no key),
    #: "date", or the template list its key comes from ("decision_routes", "project_sizes",
    #: "publication_statuses", "evidence_types", "likelihood_scale", "impact_scale", "directions").
    stores: str = ""


class Part(NamedTuple):
    key: str  # the stored part ("team"); a section's Evidence Base is "evidence:<section key>"
    label: str  # "Project team"
    fields: tuple[Field, ...] = ()
    #: Its list of items, if it has one: the list's field ("members"), what one item is called
    #: ("Team member"), and each item's fields.
    items: str = ""
    item_label: str = ""
    item_fields: tuple[Field, ...] = ()
    #: Marks the authors set on the part or on each item (true or false, never text the checker
    #: reads): "confidential", which the public version withholds (cia.exports.public).
    flags: tuple[Field, ...] = ()
    item_flags: tuple[Field, ...] = ()


#: The authors' mark that the public version withholds an item (or a paragraph, by its key).
CONFIDENTIAL = Field("confidential", "Marked as confidential")

DETAILS = Part("details", "Proposal details", (
    Field("name", "Name", "name of proposal"),
    Field("sponsor", "Project Sponsor", "project sponsor"),
    Field("lead", "Project Manager or Lead", "project manager or lead"),
    Field("date", "Date", "date", date=True, stores="date"),
    Field("directorate", "Directorate or service", "directorate or service"),
    Field("summary", "Summary", "summary"),
    Field("decision_route", "Decision route", "decision route", stores="decision_routes"),
    Field("decision_route_other", "Decision route (other)", "decision route"),
    Field("decision_date", "Expected decision date", "expected decision date", date=True, stores="date"),
    Field("project_size", "Project size", "project size", stores="project_sizes"),
    Field("publication_status", "Publication status", "publication status", stores="publication_statuses"),
    Field("exempt_paragraph", "Exemption paragraph", "exemption paragraph"),
    Field("completed", "Marked as completed"),
))
TEAM = Part("team", "Project team", (Field("completed", "Marked as completed"),), "members", "Team member", (
    Field("name", "Name", "name"),
    Field("job_title", "Job title", "job title"),
    Field("expertise", "Expertise", "expertise"),
    Field("organisation", "Team or organisation", "team or organisation"),
    Field("has_team_role", "Holds the team role", "team role", stores="yes_no"),
    Field("date_first_involved", "Date first involved", "date first involved", date=True, stores="date"),
    Field("account_email", "Account email", "account email"),
    Field("edit_access", "Can edit", "can edit", stores="yes_no"),
))
ENGAGEMENT = Part("engagement", "Engagement and consultation", (Field("completed", "Marked as completed"),),
                  "activities", "Activity", (
    Field("activity", "Activity", "activity"),
    Field("groups", "Groups engaged", "groups involved"),
    Field("dates", "Dates", "dates"),
    Field("method", "Method", "method"),
    Field("findings", "Findings", "findings"),
    Field("influence", "How the findings shaped the proposal", "how the findings shaped the proposal"),
), item_flags=(CONFIDENTIAL,))
STAFF = Part("staff", "Staff impact", (
    Field("affects_staff", "Affects staff", "affects staff", stores="yes_no"),
    Field("profile", "Workforce profile", "workforce profile"),
    Field("job_losses", "Job losses", "job losses"),
    Field("job_loss_groups", "Groups affected by job losses", "groups affected by job losses"),
    Field("support", "Support for staff", "support for staff"),
    Field("hr_protocols", "HR protocols", "HR protocols"),
    Field("completed", "Marked as completed"),
), "profile", "Workforce profile line", (
    Field("characteristic", "Characteristic"),
    Field("group", "Group"),
    Field("pre_percent", "Before (%)"),
    Field("post_percent", "After (%)"),
))
#: The paragraphs' labels are the template's headings (CommunityParagraph), not these.
COMMUNITY_IMPACT = Part("community_impact", "Community Impact paragraphs", (
    Field("equalities_legal", "Equalities and Legal"),
    Field("resources_value", "Resources and Value for Money"),
    Field("risk", "Risk"),
    Field("climate_change", "Climate Change"),
    Field("health", "Health"),
), flags=(CONFIDENTIAL,))
EVIDENCE = Part("evidence", "Evidence Base", (
    Field("likelihood", "Likelihood", "likelihood", stores="likelihood_scale"),
    Field("size", "Size of impact", "size of impact", stores="impact_scale"),
    Field("direction", "Direction", "direction", stores="directions"),
    Field("narrative", "Explanation", "summary of the evidence"),
    Field("completed", "Marked as completed"),
), "items", "Evidence item", (
    Field("title", "Title", "title"),
    Field("kind", "Type", "type", stores="evidence_types"),
    Field("period", "Date or period", "date or period"),
    Field("link", "Link", "link"),
    Field("description", "Description", "description"),
), item_flags=(CONFIDENTIAL,))
ACKNOWLEDGEMENTS = Part("acknowledgements", "Acknowledged warnings", (), "", "Acknowledgement", (
    Field("reason", "Reason"),
))

PARTS: tuple[Part, ...] = (DETAILS, TEAM, ENGAGEMENT, STAFF, COMMUNITY_IMPACT, EVIDENCE, ACKNOWLEDGEMENTS)
_BY_KEY = {part.key: part for part in PARTS}


def part(key: str) -> Part | None:
    """The standard part stored under `key` ("team", "evidence:psed" -> the Evidence Base)."""
    return _BY_KEY.get(key.split(":", 1)[0])


def words(part_: Part, key: str, *, item: bool = False) -> str:
    """How the checker names a field of the part (or of one of its items)."""
    for f in part_.item_fields if item else part_.fields:
        if f.key == key:
            return f.words or f.label.lower()
    return key.replace("_", " ")


def field_label(part_key: str, key: str) -> str:
    """How the history names a field of a standard part ("" when the part does not have it)."""
    found = field_of(part_key, key)
    return found.label if found else ""


def field_of(part_key: str, key: str) -> Field | None:
    """The declared field `key` of a standard part, or of its items."""
    found = part(part_key)
    if found is None:
        return None
    return next((f for f in (*found.fields, *found.item_fields, *found.flags, *found.item_flags) if f.key == key), None)


def date_fields() -> set[str]:
    """The fields entered as day, month and year, in every standard part."""
    return {f.key for p in PARTS for f in (*p.fields, *p.item_fields) if f.date}
