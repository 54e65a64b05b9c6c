"""Plain-data form of a CIA template version and of an assessment revision.

Everything that is not a web page works on these classes: the checker, the
exporters, the JSON format, the revision diff and the template designer's YAML.
They import nothing from Flask or SQLAlchemy, so those modules can be tested
(and benchmarked) without an application.

`to_dict()` / `from_dict()` are lossless: ``from_dict(x.to_dict()) == x``. The
JSON export of an assessment and the YAML file of a template are these dicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from cia.plain import Plain, new_id

# --- shared vocabulary -------------------------------------------------------
#
# The council's own lists (decision routes, project sizes, publication statuses, evidence
# types, directions, the Cabinet report's Community Impact paragraphs) are template data:
# see TemplateSpec and the installation defaults below it.

IMPACT_CHOICES = {"yes": "Impact identified", "no": "No impact identified"}

#: What the public version says in place of an answer the authors marked confidential (cia.exports.public).
WITHHELD = "Withheld: confidential"


def is_withheld(answer: Any) -> bool:
    """Whether an answer is the public version's withheld text (shown as it is, not by its kind)."""
    return isinstance(answer, str) and answer.startswith(WITHHELD)
YES_NO = {"yes": "Yes", "no": "No"}

#: Protected characteristics used for the staff workforce profile grid.
WORKFORCE_CHARACTERISTICS = (
    "Age",
    "Disability",
    "Gender reassignment",
    "Marriage and civil partnership",
    "Pregnancy and maternity",
    "Race",
    "Religion or belief",
    "Sex",
    "Sexual orientation",
)


# --- the template ------------------------------------------------------------


@dataclass
class ScaleOption(Plain):
    key: str = ""
    label: str = ""
    description: str = ""


@dataclass
class DecisionRoute(Plain):
    """One way a decision can be taken (Cabinet, a Cabinet Member under delegation ...)."""

    key: str = ""
    label: str = ""
    #: Whether choosing it asks the authors to say which ("Other": describe how the decision will be made).
    other: bool = False


@dataclass
class ProjectSize(Plain):
    """One size of project, and the approver level (an account's approver level) that signs it off."""

    key: str = ""
    label: str = ""
    approver_level: str = ""


@dataclass
class PublicationStatus(Plain):
    """Whether an assessment can be published with the decision papers, and if not, under which paragraph."""

    key: str = ""
    label: str = ""
    #: Whether an assessment with this status is published with the decision: the checker then checks
    #: it as for publication (personal details of members of the public block the submission).
    published: bool = False
    #: The question asking which paragraph makes it exempt ("Paragraph of Schedule 12A").
    exemption_question: str = ""
    #: The paragraphs the authors choose from (key: the paragraph number; description: printed by
    #: the Cabinet summary). None: the status asks for no paragraph.
    exemption_paragraphs: list[ScaleOption] = field(default_factory=list)

    @property
    def asks_paragraph(self) -> bool:
        return bool(self.exemption_paragraphs)

    def paragraph(self, key: str) -> ScaleOption | None:
        return next((p for p in self.exemption_paragraphs if p.key == key), None)


@dataclass
class CommunityParagraph(Plain):
    """One paragraph of the Cabinet report's "Community Impact" part that the template uses."""

    key: str = ""  # one of COMMUNITY_IMPACT_KEYS: where the authors' text is stored
    heading: str = ""
    guidance: str = ""


@dataclass
class HeaderField(Plain):
    key: str = ""
    label: str = ""
    guidance: str = ""
    optional: bool = False


@dataclass
class ColumnGuidance(Plain):
    key: str = ""
    label: str = ""
    guidance: str = ""


@dataclass
class GuidanceBullet(Plain):
    key: str = ""
    text: str = ""


@dataclass
class CategoryArea(Plain):
    """One suggested row of a section (a protected characteristic or a category area)."""

    key: str = ""
    title: str = ""
    question: str = ""
    guidance: str = ""


@dataclass
class Condition(Plain):
    """"Show this only if" an earlier question's answer is one of `values` (empty `question`: always)."""

    question: str = ""  # the key of a question asked earlier in the template
    values: list[str] = field(default_factory=list)  # option keys (yes/no: "yes", "no")


@dataclass
class Question(Plain):
    """One question of a section, of a registered kind (cia/kinds)."""

    key: str = ""  # unique in the template: answers are stored under it
    kind: str = ""  # a registered kind: short_text, long_text, yes_no, single_choice, ...
    label: str = ""
    hint: str = ""
    #: Whether the checker asks for an answer (rule CIA-R17); saving never requires one.
    required: bool = True
    #: The choices of a choice question (single or multiple choice).
    options: list[ScaleOption] = field(default_factory=list)
    #: The key of the template scale a rating question uses (TemplateSpec.scales).
    scale: str = ""
    show_if: Condition = field(default_factory=Condition)
    #: Whether the answer is also shown with the proposal's details on the cover of every
    #: document (an ID number, the team or department, the assessment type ...).
    cover: bool = False
    #: A list question's sub-questions, answered once per item (kind "list"; empty otherwise).
    questions: list[Question] = field(default_factory=list)
    #: What one item of a list question is called ("action": "Add another action", "Action 2").
    item_name: str = ""


@dataclass
class NamedScale(Plain):
    """A rating scale several questions share (positive / negative / neutral / unknown ...)."""

    key: str = ""
    label: str = ""
    options: list[ScaleOption] = field(default_factory=list)


@dataclass
class SectionSpec(Plain):
    key: str = ""
    title: str = ""
    intro: str = ""
    prompts_label: str = ""
    prompts: list[str] = field(default_factory=list)
    row_label_header: str = ""
    allow_custom_rows: bool = False
    legislation: list[str] = field(default_factory=list)
    #: Who must be engaged as part of the Project Team for this section, if anyone
    #: (the template's wording; the team role's holders are the ones counted).
    mandatory_engagement: str = ""
    evidence_base_label: str = ""
    evidence_base_guidance: str = ""
    #: The key of the row that stands for the impact on the council's own staff, if any.
    staff_row_key: str = ""
    category_areas: list[CategoryArea] = field(default_factory=list)
    #: Questions asked on the section's first page, before its impact rows (if it has any).
    questions: list[Question] = field(default_factory=list)
    #: Whether the section ends with an Evidence Base.
    evidence_base: bool = True
    #: Show the whole section only if an earlier answer matches.
    show_if: Condition = field(default_factory=Condition)
    #: End the assessment after this section if an answer in it or earlier matches (screening): every
    #: later section and the standard pages then do not apply (cia/conditions.py).
    end_if: Condition = field(default_factory=Condition)
    #: What authors see in the task list when the assessment ends here.
    end_message: str = ""

    @property
    def has_rows(self) -> bool:
        """Whether the section asks about impacts row by row (suggested areas or the author's own)."""
        return bool(self.category_areas) or self.allow_custom_rows

    def area(self, key: str) -> CategoryArea | None:
        return next((a for a in self.category_areas if a.key == key), None)


@dataclass
class RuleSetting(Plain):
    """A rule as this template version uses it. A rule the template does not list is off."""

    enabled: bool = True
    severity: str = ""  # "" = the rule's default severity
    #: The checklist's wording of the rule for this template ("" = the rule's own title).
    title: str = ""
    #: The sentence of this template the rule rests on, quoted in the designer and the checklist.
    sentence: str = ""
    #: The template's own words for the rule: internal host names (CIA-R10), allowed abbreviations (CIA-R15).
    terms: list[str] = field(default_factory=list)
    #: The template's own questions the rule reads, by the name of the rule's parameter
    #: (cia/checks/parameters.py): question keys, "<list key>.<sub-question key>" for a question of a
    #: list's items, "<scale key>.<option key>" for an option of a scale. Empty: the rule's own reading.
    parameters: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class TeamRole(Plain):
    """A role the template asks about for each Project Team member, which a rule may require.

    Empty `name` means the template asks about no role.
    """

    name: str = ""  # "Housing Officer", as the checklist names one holder of the role
    plural: str = ""  # "Housing Officers"
    question: str = ""  # the question asked for each member
    guidance: str = ""  # shown on the Project Team page


#: The pages every assessment had before a template could leave them out: key -> title.
STANDARD_PAGES = {"team": "Project team", "engagement": "Engagement and consultation", "staff": "Staff impact"}


@dataclass
class StandardPage(Plain):
    """One of the standard pages a template has, shown only when its condition is met (empty: always)."""

    key: str = ""  # one of STANDARD_PAGES
    show_if: Condition = field(default_factory=Condition)


@dataclass
class SignOffStep(Plain):
    """One step of sign-off. Steps are taken in order: approvers asked at a step decide only once every
    earlier step is signed off. A step whose condition is not met is left out, so a path such as
    "screened out" has steps of its own (cia/workflow.py `steps_for`)."""

    key: str = ""
    title: str = ""  # "Equalities officer's review"
    #: The approver levels that may sign at this step; empty = the level the project size calls for.
    levels: list[str] = field(default_factory=list)
    #: What each approver at this step confirms; "" = the service's declaration.
    declaration: str = ""
    show_if: Condition = field(default_factory=Condition)


# --- the installation defaults of the council's vocabulary ----------------------------
#
# A template that leaves one of these lists out gets the list here, so a template written
# before templates held them (and every version stored then) reads and decides as it did.

#: The levels an approver account can hold (cia/models.py, the accounts pages): a project size calls for one.
#: A template's sign-off steps name which of them sign at each step.
APPROVER_LEVELS = {
    "manager": "Manager",
    "sponsor": "Sponsor",
    "slt": "Senior Leadership Team (SLT)",
    "head_of_service": "Head of Service",
    "equalities": "Equalities officer",
}

DEFAULT_DECISION_ROUTES = (
    DecisionRoute("cabinet", "Cabinet"),
    DecisionRoute("cabinet_member", "Cabinet Member under delegation"),
    DecisionRoute("officer", "Officer decision"),
    DecisionRoute("committee", "Committee"),
    DecisionRoute("other", "Other", other=True),
)
DEFAULT_PROJECT_SIZES = (
    ProjectSize("small", "Small", "manager"),
    ProjectSize("medium", "Medium", "sponsor"),
    ProjectSize("large", "Large", "slt"),
)
SCHEDULE_12A_PARAGRAPHS = (
    ScaleOption("1", "Paragraph 1", "Information relating to any individual"),
    ScaleOption("2", "Paragraph 2", "Information which is likely to reveal the identity of an individual"),
    ScaleOption("3", "Paragraph 3", "Information relating to the financial or business affairs of any particular "
                                    "person (including the authority holding that information)"),
    ScaleOption("4", "Paragraph 4", "Information relating to any consultations or negotiations, or contemplated "
                                    "consultations or negotiations, in connection with any labour relations matter "
                                    "arising between the authority or a Minister of the Crown and employees of, or "
                                    "office holders under, the authority"),
    ScaleOption("5", "Paragraph 5", "Information in respect of which a claim to legal professional privilege could "
                                    "be maintained in legal proceedings"),
    ScaleOption("6", "Paragraph 6", "Information which reveals that the authority proposes to give a notice under "
                                    "any enactment, or to make an order or direction under any enactment"),
    ScaleOption("7", "Paragraph 7", "Information relating to any action taken or to be taken in connection with "
                                    "the prevention, investigation or prosecution of crime"),
)
DEFAULT_PUBLICATION_STATUSES = (
    PublicationStatus("public", "Public", published=True),
    PublicationStatus("exempt", "Exempt under Schedule 12A of the Local Government Act 1972",
                      exemption_question="Paragraph of Schedule 12A",
                      exemption_paragraphs=list(SCHEDULE_12A_PARAGRAPHS)),
)
DEFAULT_EVIDENCE_TYPES = (
    ScaleOption("data", "Data"),
    ScaleOption("research", "Research"),
    ScaleOption("engagement", "Engagement or Consultation"),
)
DEFAULT_DIRECTIONS = (
    ScaleOption("positive", "Positive"),
    ScaleOption("negative", "Negative"),
    ScaleOption("mixed", "Mixed"),
    ScaleOption("neutral", "Neutral"),
)
DEFAULT_COMMUNITY_IMPACT = (
    CommunityParagraph("equalities_legal", "Equalities and Legal"),
    CommunityParagraph("resources_value", "Resources and Value for Money"),
    CommunityParagraph("risk", "Risk"),
    CommunityParagraph("climate_change", "Climate Change"),
    CommunityParagraph("health", "Health"),
)
#: Where the authors' Community Impact paragraphs are stored (CommunityImpact's fields): a
#: template chooses among these, and gives each its own heading.
COMMUNITY_IMPACT_KEYS = tuple(p.key for p in DEFAULT_COMMUNITY_IMPACT)


@dataclass
class TemplateSpec(Plain):
    """A template version's whole content, as the designer edits and the YAML file holds it."""

    name: str = ""
    organisation: str = ""
    version: int = 1
    #: What the documents are called on their covers, headers and file properties.
    document_title: str = ""
    #: The role asked about for each Project Team member (may be none).
    team_role: TeamRole = field(default_factory=TeamRole)
    #: What the staff impact page tells the authors to consider.
    staff_guidance: str = ""
    #: Rating scales that questions share (`Question.scale` names one).
    scales: list[NamedScale] = field(default_factory=list)
    header_fields: list[HeaderField] = field(default_factory=list)
    completing_heading: str = ""
    completing_guidance: list[GuidanceBullet] = field(default_factory=list)
    columns_intro: str = ""
    columns: list[ColumnGuidance] = field(default_factory=list)
    please_note_label: str = ""
    please_note: list[GuidanceBullet] = field(default_factory=list)
    sections_intro: str = ""
    evidence_base_label: str = ""
    evidence_base_guidance: str = ""
    evidence_base_examples: str = ""
    closing_instruction: str = ""
    likelihood_scale: list[ScaleOption] = field(default_factory=list)
    impact_scale: list[ScaleOption] = field(default_factory=list)
    rule_settings: dict[str, RuleSetting] = field(default_factory=dict)
    #: Sign-off, in order; none = one step at the level the project size calls for.
    signoff_steps: list[SignOffStep] = field(default_factory=list)
    #: Which standard pages (STANDARD_PAGES) the template has, and when. None (left out of the file):
    #: all of them, always, as for every template written before a template could choose.
    standard_pages: list[StandardPage] | None = None


    #: The start of the assessments' references: "CIA" gives CIA-2026-0001 ("" = "CIA").
    reference_prefix: str = ""
    # The council's vocabulary. An empty list means the installation default (DEFAULT_...):
    # read them through the *_options properties, which apply it.
    decision_routes: list[DecisionRoute] = field(default_factory=list)
    project_sizes: list[ProjectSize] = field(default_factory=list)
    publication_statuses: list[PublicationStatus] = field(default_factory=list)
    evidence_types: list[ScaleOption] = field(default_factory=list)
    directions: list[ScaleOption] = field(default_factory=list)
    #: The Cabinet report's "Community Impact" paragraphs the template uses, in order.
    community_impact: list[CommunityParagraph] = field(default_factory=list)

    sections: list[SectionSpec] = field(default_factory=list)

    def section(self, key: str) -> SectionSpec | None:
        return next((s for s in self.sections if s.key == key), None)

    def question(self, key: str) -> Question | None:
        return next((q for s in self.sections for q in s.questions if q.key == key), None)

    @property
    def title(self) -> str:
        """The documents' title: the template's own, else its name."""
        return self.document_title or self.name or "Impact assessment"

    def header_label(self, key: str, default: str = "") -> str:
        for h in self.header_fields:
            if h.key == key:
                return h.label.rstrip(":")
        return default

    def column_label(self, key: str, default: str = "") -> str:
        for c in self.columns:
            if c.key == key:
                return c.label
        return default

    def scale_label(self, scale: str, key: str) -> str:
        options = self.likelihood_scale if scale == "likelihood" else self.impact_scale
        return next((o.label for o in options if o.key == key), key)

    # --- the council's vocabulary, with the installation defaults ---

    @property
    def reference_start(self) -> str:
        return self.reference_prefix or "CIA"

    @property
    def decision_route_options(self) -> list[DecisionRoute]:
        return self.decision_routes or list(DEFAULT_DECISION_ROUTES)

    @property
    def project_size_options(self) -> list[ProjectSize]:
        return self.project_sizes or list(DEFAULT_PROJECT_SIZES)

    @property
    def publication_options(self) -> list[PublicationStatus]:
        return self.publication_statuses or list(DEFAULT_PUBLICATION_STATUSES)

    @property
    def evidence_type_options(self) -> list[ScaleOption]:
        return self.evidence_types or list(DEFAULT_EVIDENCE_TYPES)

    @property
    def direction_options(self) -> list[ScaleOption]:
        return self.directions or list(DEFAULT_DIRECTIONS)

    @property
    def community_impact_paragraphs(self) -> list[CommunityParagraph]:
        return self.community_impact or list(DEFAULT_COMMUNITY_IMPACT)

    def decision_route(self, key: str) -> DecisionRoute | None:
        return next((r for r in self.decision_route_options if r.key == key), None)

    def project_size(self, key: str) -> ProjectSize | None:
        return next((s for s in self.project_size_options if s.key == key), None)

    def publication_status(self, key: str) -> PublicationStatus | None:
        return next((p for p in self.publication_options if p.key == key), None)

    def vocabulary_labels(self) -> dict[str, dict[str, str]]:
        """Key -> label of each list, as the pages print stored answers (a key not listed prints as itself)."""
        return {
            "routes": {r.key: r.label for r in self.decision_route_options},
            "sizes": {s.key: s.label for s in self.project_size_options},
            "publication": {p.key: p.label for p in self.publication_options},
            "evidence": {o.key: o.label for o in self.evidence_type_options},
            "directions": {o.key: o.label for o in self.direction_options},
        }

    def evidence_type_label(self, key: str) -> str:
        return next((o.label for o in self.evidence_type_options if o.key == key), key)

    def project_size_label(self, key: str) -> str:
        return next((o.label for o in self.project_size_options if o.key == key), key)

    def direction_label(self, key: str) -> str:
        return next((o.label for o in self.direction_options if o.key == key), key)

    def decision_route_label(self, key: str, other: str = "") -> str:
        """The route as printed: the authors' own words for an "other, say which" route."""
        route = self.decision_route(key)
        if route is None:
            return key
        return (other or route.label) if route.other else route.label

    def publication_label(self, key: str, paragraph: str = "") -> str:
        """"Exempt under ..., paragraph 3: Information relating to ..."; a key not listed prints as itself."""
        status = self.publication_status(key)
        if status is None:
            return f"{key}, paragraph {paragraph}" if key and paragraph else key
        if not (status.asks_paragraph and paragraph):
            return status.label
        found = status.paragraph(paragraph)
        described = f": {found.description}" if found and found.description else ""
        return f"{status.label}, paragraph {paragraph}{described}"

    def is_published(self, publication_status: str) -> bool:
        status = self.publication_status(publication_status)
        return bool(status and status.published)

    def approver_level(self, project_size: str, installation_levels: Mapping[str, str] | None = None) -> str:
        """The approver level a project size calls for ("" when the size is not set or not known).

        A template that lists its own sizes decides; one that leaves them out uses the
        installation's levels (the CIA_APPROVER_LEVELS setting, when set), else the default sizes' levels.
        """
        if not project_size:
            return ""
        if not self.project_sizes and installation_levels:
            return installation_levels.get(project_size, "")
        size = self.project_size(project_size)
        return size.approver_level if size else ""


# --- an assessment -----------------------------------------------------------


@dataclass
class ProposalDetails(Plain):
    name: str = ""
    sponsor: str = ""
    lead: str = ""
    #: The template's "Date:": "YYYY-MM" (month and year) or "YYYY-MM-DD".
    date: str = ""
    directorate: str = ""
    summary: str = ""
    decision_route: str = ""  # key of the template's decision routes
    decision_route_other: str = ""
    decision_date: str = ""  # "YYYY-MM-DD"
    project_size: str = ""  # key of the template's project sizes
    publication_status: str = ""  # key of the template's publication statuses
    exempt_paragraph: str = ""  # key of the exempt status's paragraphs (Schedule 12A: "1" to "7")
    completed: bool = False


@dataclass
class TeamMember(Plain):
    id: str = field(default_factory=new_id)
    name: str = ""
    job_title: str = ""
    expertise: str = ""
    organisation: str = ""
    #: Whether the member holds the template's team role: "yes" / "no" / "" (radios, as asked).
    has_team_role: str = ""
    date_first_involved: str = ""  # "YYYY-MM-DD" or "YYYY-MM"
    #: E-mail of the member's account when they are given edit access.
    account_email: str = ""
    edit_access: str = ""  # "yes" / "no" / ""


@dataclass
class ProjectTeam(Plain):
    members: list[TeamMember] = field(default_factory=list)
    completed: bool = False


@dataclass
class EngagementActivity(Plain):
    id: str = field(default_factory=new_id)
    activity: str = ""
    groups: str = ""
    dates: str = ""
    method: str = ""
    findings: str = ""
    influence: str = ""  # how the findings shaped the proposal
    #: Marked by the authors as confidential: the public version withholds the activity (cia.exports.public).
    confidential: bool = False


@dataclass
class Engagement(Plain):
    activities: list[EngagementActivity] = field(default_factory=list)
    completed: bool = False


@dataclass
class Mitigation(Plain):
    id: str = field(default_factory=new_id)
    text: str = ""
    owner: str = ""
    target_date: str = ""


@dataclass
class Risk(Plain):
    id: str = field(default_factory=new_id)
    text: str = ""
    #: Marked by the authors as a key risk: the Checklist and Executive Summary lists it.
    key_risk: bool = False
    mitigations: list[Mitigation] = field(default_factory=list)


@dataclass
class Benefit(Plain):
    id: str = field(default_factory=new_id)
    text: str = ""


@dataclass
class RowAnswer(Plain):
    """The author's answers for one category area (or one row they added)."""

    key: str = ""  # the category area's key; "own-<id>" for a row the author added
    custom: bool = False
    title: str = ""  # only for the author's own rows; template rows take the template's title
    question: str = ""
    impact: str = ""  # "" not answered, "yes", or "no" (N/A)
    groups: str = ""
    benefits: list[Benefit] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    maximise: str = ""  # how benefits will be maximised, and any trade-offs
    #: Marked by the authors as confidential: the public version of every export withholds the
    #: row's answers (cia.exports.public).
    confidential: bool = False

    @property
    def is_na(self) -> bool:
        return self.impact == "no"


@dataclass
class EvidenceItem(Plain):
    id: str = field(default_factory=new_id)
    title: str = ""
    kind: str = ""  # key of the template's evidence types
    period: str = ""
    link: str = ""
    description: str = ""
    #: Marked by the authors as confidential: the public version withholds the item (cia.exports.public).
    confidential: bool = False


@dataclass
class EvidenceBase(Plain):
    items: list[EvidenceItem] = field(default_factory=list)
    likelihood: str = ""  # key of the template's likelihood scale
    size: str = ""  # key of the template's impact scale
    direction: str = ""  # key of the template's directions
    narrative: str = ""


@dataclass
class SectionAnswers(Plain):
    key: str = ""
    rows: list[RowAnswer] = field(default_factory=list)
    evidence: EvidenceBase = field(default_factory=EvidenceBase)
    completed: bool = False
    #: Answers to the section's questions by question key: text, or a list of texts. A question
    #: hidden by its condition keeps its answer here; it is neither asked, checked nor exported.
    answers: dict[str, Any] = field(default_factory=dict)
    #: The questions whose answers the authors marked confidential, by question key (true: marked;
    #: a key left out is not): the public version withholds those answers (cia.exports.public).
    #: Keyed, not a list, so that two people marking different questions merge as their answers do.
    confidential: dict[str, bool] = field(default_factory=dict)

    def row(self, key: str) -> RowAnswer | None:
        return next((r for r in self.rows if r.key == key), None)


@dataclass
class WorkforceLine(Plain):
    characteristic: str = ""
    group: str = ""
    pre_percent: str = ""  # number as typed, or "Unknown"
    post_percent: str = ""


@dataclass
class StaffImpact(Plain):
    affects_staff: str = ""  # "yes" / "no" / ""
    profile: list[WorkforceLine] = field(default_factory=list)
    job_losses: str = ""  # number as typed
    job_loss_groups: str = ""
    support: str = ""
    hr_protocols: str = ""
    completed: bool = False


@dataclass
class Acknowledgement(Plain):
    """A warning the authors have read and answered; approvers see the reason."""

    finding_key: str = ""  # Finding.key: rule id + location
    rule_id: str = ""
    reason: str = ""
    by: str = ""
    at: str = ""  # ISO 8601 UTC


@dataclass
class CommunityImpact(Plain):
    """The paragraphs a Cabinet report's "Community Impact" part uses (editable).

    Every key a template may use (COMMUNITY_IMPACT_KEYS) has its field; the template says which it
    uses and under which headings (TemplateSpec.community_impact_paragraphs).
    """

    equalities_legal: str = ""
    resources_value: str = ""
    risk: str = ""
    climate_change: str = ""
    health: str = ""
    #: The paragraphs the authors marked confidential, by key (true: marked): the public version
    #: withholds them (cia.exports.public).
    confidential: dict[str, bool] = field(default_factory=dict)


@dataclass
class SignOff(Plain):
    name: str = ""
    email: str = ""
    level: str = ""
    step: str = ""  # the template's sign-off step, by its title ("" for a template with one step)
    decision: str = ""  # "approved" / "changes_requested"
    comment: str = ""
    at: str = ""


@dataclass
class Assessment(Plain):
    """One revision of an assessment, with everything needed to check or export it."""

    FORMAT: ClassVar[str] = "cia-assessment/2"

    reference: str = ""
    revision: int = 1
    status: str = "draft"
    template_name: str = ""
    template_version: int = 1
    details: ProposalDetails = field(default_factory=ProposalDetails)
    team: ProjectTeam = field(default_factory=ProjectTeam)
    engagement: Engagement = field(default_factory=Engagement)
    sections: list[SectionAnswers] = field(default_factory=list)
    staff: StaffImpact = field(default_factory=StaffImpact)
    community_impact: CommunityImpact = field(default_factory=CommunityImpact)
    acknowledgements: list[Acknowledgement] = field(default_factory=list)
    signoffs: list[SignOff] = field(default_factory=list)

    def section(self, key: str) -> SectionAnswers | None:
        return next((s for s in self.sections if s.key == key), None)


def blank_assessment(template: TemplateSpec, name: str = "") -> Assessment:
    """A new assessment with one empty row per category area of the template."""
    return Assessment(
        template_name=template.name,
        template_version=template.version,
        details=ProposalDetails(name=name),
        sections=[blank_section(s) for s in template.sections],
    )


def answers_of(assessment: Assessment, spec: SectionSpec) -> SectionAnswers:
    """The assessment's answers to a section of its template (a blank one if it has none stored yet)."""
    return assessment.section(spec.key) or blank_section(spec)


def blank_section(spec: SectionSpec) -> SectionAnswers:
    return SectionAnswers(key=spec.key, rows=[RowAnswer(key=a.key) for a in spec.category_areas])


def section_rows(spec: SectionSpec, answers: SectionAnswers) -> list[tuple[str, str, RowAnswer]]:
    """(title, question, answer) for every row, template rows first in template order.

    A template row with no stored answer yet gets an empty one, so a section
    always shows every category area of its template version.
    """
    by_key = {r.key: r for r in answers.rows}
    out: list[tuple[str, str, RowAnswer]] = []
    for area in spec.category_areas:
        stored = by_key.pop(area.key, None)
        out.append((area.title, area.question, stored or RowAnswer(key=area.key)))
    for row in answers.rows:
        if row.key in by_key:  # author's own rows (and rows of areas no longer in the template)
            out.append((row.title or row.key, row.question, row))
    return out
