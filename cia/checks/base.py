"""The checker's vocabulary: rules, findings, locations and the report.

A rule is a small registered unit over plain data (`cia.domain`); nothing here
knows about Flask, the database or the web pages. The web layer turns a
`Location` into a link; the exporters turn a `Report` into the checklist.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from cia.conditions import Applicable
from cia.domain import Assessment, RuleSetting, TemplateSpec


class Severity(StrEnum):
    """How much a finding matters: an error blocks submission, a warning needs fixing or a reason from
    the authors, advice is for the authors to weigh. Members are their values ("error"), as stored."""

    ERROR = "error"
    WARNING = "warning"
    ADVICE = "advice"

    @property
    def label(self) -> str:
        return self.value.capitalize()


ERROR, WARNING, ADVICE = Severity.ERROR, Severity.WARNING, Severity.ADVICE
SEVERITIES = tuple(Severity)
SEVERITY_LABELS: dict[str, str] = {severity: severity.label for severity in Severity}


class Stage(StrEnum):
    """When the checker runs. Personal details are a warning while drafting and an error once the
    assessment is about to be published (submitted for sign-off with the status "public")."""

    DRAFTING = "drafting"
    PUBLICATION = "publication"


DRAFTING, PUBLICATION = Stage.DRAFTING, Stage.PUBLICATION


@dataclass(frozen=True)
class Location:
    """Where a finding points, precise enough to link to one field.

    part:  "details", "team", "engagement", "staff", "community_impact",
           "section:<key>" (the rows of a template section) or "evidence:<key>"
           (that section's Evidence Base)
    row:   a RowAnswer.key within a section part ("" otherwise)
    item:  the id of a list item (risk, benefit, evidence item, team member, ...)
    sub:   the id of a nested item (a mitigation within a risk); for a finding about a whole question
           that stands for something else (an action plan missing the action for one rating),
           the key of that other question, so that each finding keeps its own key
    field: the field name ("groups", "text", "link", "likelihood", ...)
    """

    part: str
    row: str = ""
    item: str = ""
    sub: str = ""
    field: str = ""

    @property
    def key(self) -> str:
        return ":".join((self.part, self.row, self.item, self.sub, self.field))


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: str
    message: str
    location: Location

    @property
    def key(self) -> str:
        """Stable identity of this finding, used to store acknowledgements."""
        return f"{self.rule_id}@{self.location.key}"


#: Acronyms every reader knows: they need no expansion in a published CIA, and a label made from a
#: stored key writes them in capitals ("slt" -> "SLT").
KNOWN_ACRONYMS: tuple[str, ...] = (
    "UK", "NHS", "CIA", "PSED", "SLT", "HR", "ICT", "IT",
    "GP", "GPs", "COVID", "BBC", "EU", "URL", "PDF", "ID", "OK", "N/A", "NA",
    "LGBT", "LGBTQ", "LGBTQ+", "SEND", "SEN", "VAT", "CO2", "MP", "MPs",
    "AM", "PM", "II", "III", "IV",
)


@dataclass
class CheckConfig:
    """Settings that are the council's, not the template's."""

    stage: str = DRAFTING
    #: Host names (or suffixes) the public cannot reach: intranet, extranet...
    internal_hosts: tuple[str, ...] = (
        "intranet",
        "extranet",
        "sharepoint.com",
        "localhost",
        "internal",
        "corp",
        "lan",
    )
    #: Acronyms that need no expansion in a published CIA.
    acronym_allow_list: tuple[str, ...] = KNOWN_ACRONYMS
    #: Text identical in this many or more rows counts as boilerplate.
    boilerplate_min_repeats: int = 3
    #: Percent tables whose columns sum outside 100 ± this are flagged.
    percent_tolerance: float = 2.0
    #: Links found dead by `flask cia check-links`: (address, what happened, date checked), shown as advice.
    dead_links: tuple[tuple[str, str, str], ...] = ()


@dataclass
class Context:
    """What a rule sees."""

    assessment: Assessment
    template: TemplateSpec
    config: CheckConfig
    #: Work shared between rules during one run (e.g. the assessment's text in
    #: document order), so that each rule does not walk the assessment again.
    cache: dict[str, Any] = field(default_factory=dict)
    #: What each part of the assessment is as stored, when the caller knows it: {part name
    #: ("section:psed"): a key that changes whenever that part's answers or the template do}. The
    #: data layer gives each part's version and save time, with the template version. Work done on a
    #: part is kept under its key across runs (rules/_walk.py): a save changes one part, and the run
    #: after it does that part's work again, not every part's. Empty: nothing is kept.
    parts: Mapping[str, Hashable] = field(default_factory=dict)


@dataclass(frozen=True)
class Parameter:
    """Something a rule reads from the template's own questions, chosen by the template's designer.

    A template built from questions has no standard Project Team page, and its ratings and action
    plan are its own: the rule says what it needs (`takes`, cia/checks/parameters.py), the template's
    rule setting names which of its questions (`RuleSetting.parameters`).
    """

    name: str  # stored under this name in RuleSetting.parameters
    label: str  # what the designer's page asks: "The list that is the project team"
    hint: str
    #: What qualifies: "list", "yes_no_in_list", "date_in_list", "rating" or "scale_option".
    takes: str
    #: Whether several may be chosen (checkboxes) or one (a select).
    many: bool = False
    #: Whether the rule needs it: always, or (with `of`) whenever that parameter is chosen.
    required: bool = False
    #: For a question of a list's items: the parameter that chooses the list.
    of: str = ""


@dataclass(frozen=True)
class Rule:
    id: str  # stable: "CIA-R01" ...
    title: str
    default_severity: str
    #: What the rule rests on, in general terms; a template's own sentence replaces it
    #: (`RuleSetting.sentence`).
    template_sentence: str
    check: Callable[[Context], Iterable[Finding]]
    #: Whether the rule applies to this assessment at all (e.g. staff rules
    #: when no staff are affected). Not applicable shows as "N/A" in the checklist.
    applies: Callable[[Context], bool] = lambda ctx: True
    #: The standard pages ("team", "engagement", "staff") the rule reads: it does not apply to an
    #: assessment whose template leaves one of them out (TemplateSpec.standard_pages).
    pages: tuple[str, ...] = ()
    #: Plain-English explanation for the designer's rule settings screen.
    explanation: str = ""
    #: Whether the rule's own severities stand at the publication stage, whatever the template sets
    #: (personal details of the public are an error there, which cannot be acknowledged).
    keeps_severity_at_publication: bool = False
    #: The template's questions the rule can be told to read (none: it reads the standard pages).
    parameters: tuple[Parameter, ...] = ()


_REGISTRY: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    if rule.id in _REGISTRY:
        raise ValueError(f"rule {rule.id} registered twice")
    if rule.default_severity not in SEVERITIES:
        raise ValueError(f"rule {rule.id}: unknown severity {rule.default_severity}")
    _REGISTRY[rule.id] = rule
    return rule


def _load_rules() -> None:
    """Import the rules package, which registers the template's rules (once)."""
    from cia.checks import rules  # noqa: F401


def all_rules() -> list[Rule]:
    _load_rules()
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def get_rule(rule_id: str) -> Rule | None:
    _load_rules()
    return _REGISTRY.get(rule_id)


@dataclass
class RuleOutcome:
    """One line of the Checklist: the rule and whether the assessment meets it."""

    rule: Rule
    enabled: bool
    applicable: bool
    findings: list[Finding] = field(default_factory=list)

    @property
    def answer(self) -> str:
        """"Yes", "No" or "Not applicable", as the Checklist prints it."""
        if not self.enabled or not self.applicable:
            return "Not applicable"
        return "No" if self.findings else "Yes"


@dataclass
class Report:
    findings: list[Finding]
    outcomes: list[RuleOutcome]
    acknowledged: dict[str, str] = field(default_factory=dict)  # finding key -> reason

    def of(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]

    @property
    def errors(self) -> list[Finding]:
        return self.of(ERROR)

    @property
    def warnings(self) -> list[Finding]:
        return self.of(WARNING)

    @property
    def advice(self) -> list[Finding]:
        return self.of(ADVICE)

    @property
    def unacknowledged_warnings(self) -> list[Finding]:
        return [f for f in self.warnings if f.key not in self.acknowledged]

    @property
    def can_submit(self) -> bool:
        """No errors, and every warning acknowledged with a reason."""
        return not self.errors and not self.unacknowledged_warnings

    def counts_by_part(self) -> dict[str, dict[str, int]]:
        """{part: {"error": n, "warning": n, "advice": n}}; evidence counts with its section."""
        out: dict[str, dict[str, int]] = {}
        for f in self.findings:
            part = f.location.part.replace("evidence:", "section:").replace("questions:", "section:")
            bucket = out.setdefault(part, {s: 0 for s in SEVERITIES})
            bucket[f.severity] += 1
        return out


def as_worded_by(rule: Rule, setting: RuleSetting | None) -> Rule:
    """The rule with the template's title and sentence, where the template gives them."""
    if setting is None or not (setting.title or setting.sentence):
        return rule
    return dataclasses.replace(
        rule, title=setting.title or rule.title, template_sentence=setting.sentence or rule.template_sentence
    )


def run_checks(
    assessment: Assessment, template: TemplateSpec, config: CheckConfig | None = None,
    parts: Mapping[str, Hashable] | None = None,
) -> Report:
    """Run the rules the template version lists and enables, with its severities and wording.

    A rule the template does not list is off: a rule added to the checker later must not
    change the checklist of an assessment already approved on an older template version.
    `parts` says what each part is as stored (`Context.parts`); the findings are the same without it.
    """
    _load_rules()
    ctx = Context(assessment, template, config or CheckConfig(), parts=parts or {})
    shown = ctx.cache["applicable"] = Applicable(template, assessment)  # shared with the rules (_walk.applicable)
    pages = shown.pages
    findings: list[Finding] = []
    outcomes: list[RuleOutcome] = []
    for registered in all_rules():
        setting = template.rule_settings.get(registered.id)
        if setting is None:
            continue  # not one of this template's rules: not on its checklist either
        rule = as_worded_by(registered, setting)
        if setting.parameters:  # told which of the template's questions to read: no standard page needed
            rule = dataclasses.replace(rule, pages=())
        if not setting.enabled:
            outcomes.append(RuleOutcome(rule, False, False))
            continue
        applicable = all(page in pages for page in rule.pages) and rule.applies(ctx)
        found = list(rule.check(ctx)) if applicable else []
        fixed = rule.keeps_severity_at_publication and ctx.config.stage == PUBLICATION
        if setting and setting.severity in SEVERITIES and not fixed:
            found = [Finding(f.rule_id, setting.severity, f.message, f.location) for f in found]
        findings.extend(found)
        outcomes.append(RuleOutcome(rule, True, applicable, found))
    order: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: order[f.severity])  # stable: rule order within a severity
    acknowledged = {a.finding_key: a.reason for a in assessment.acknowledgements if a.reason}
    return Report(findings, outcomes, acknowledged)
