"""The checker's corpus: realistic CIAs written for it, each with planted defects and things that
must not be flagged, and the recall and precision of the text rules on them.

Each `tests/corpus/*.yaml` file is one CIA in a compact form (converted here to `cia.domain`):

    title, council, service, status ("public" or "exempt"), lead, sponsor, date, summary
    team:        ["Name, Job title, e-mail", ...]
    engagement:  [{activity, groups, dates, method, findings, influence}, ...]
    rows:        {"section/row": {groups, benefits: [...], risks: [{risk, mitigations: [...]}], maximise}}
                 (a row not listed has "No impact identified"; "section/own-..." adds the author's own row
                 with `title`)
    evidence:    {"section": {items: [{title, link, kind, period, description}], narrative}}
    staff:       {support, hr_protocols, job_loss_groups}
    defects:     [{rule: CIA-R09, says: ["text the finding's message must contain", ...]}]
    fine:        ["text that no finding of a measured rule may name", ...]

A finding of a measured rule is a true positive when its message contains every `says` of a
planted defect of that rule; any other finding of a measured rule is a false positive. A defect
is found when some finding of its rule matches it. A `fine` item is flagged when a finding's
message names it (as a whole word).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from cia import domain
from cia.checks import CheckConfig, Finding, run_checks

CORPUS = Path(__file__).parent
TEMPLATE = CORPUS.parents[1] / "cia/template_data/staffordshire-cia.yaml"
#: The rules whose judgements on text the corpus measures.
MEASURED = ("CIA-R09", "CIA-R10", "CIA-R13", "CIA-R14", "CIA-R15")
TARGET_RECALL = 0.95
TARGET_PRECISION = 0.90


def load_template() -> domain.TemplateSpec:
    return domain.TemplateSpec.from_dict(yaml.safe_load(TEMPLATE.read_text(encoding="utf-8")))


@dataclass
class Case:
    name: str
    assessment: domain.Assessment
    stage: str
    defects: list[dict]
    fine: list[str]
    words: int
    council: str = ""


def _team(lines: list[str]) -> list[domain.TeamMember]:
    out = []
    for line in lines:
        name, job, *rest = [p.strip() for p in line.split(",")]
        out.append(domain.TeamMember(name=name, job_title=job, account_email=rest[0] if rest else "",
                              has_team_role="yes" if "District Commissioning Lead" in job else "no",
                              date_first_involved="2025-01"))
    return out


def _row(answer: dict, row: domain.RowAnswer) -> domain.RowAnswer:
    row.impact = answer.get("impact", "yes")
    row.groups = answer.get("groups", "")
    row.benefits = [domain.Benefit(text=b) for b in answer.get("benefits", [])]
    row.risks = [domain.Risk(text=r["risk"], mitigations=[domain.Mitigation(text=m, owner=r.get("owner", "Service manager"))
                                                   for m in r.get("mitigations", [])])
                 for r in answer.get("risks", [])]
    row.maximise = answer.get("maximise", "")
    return row


def build(data: dict, template: domain.TemplateSpec) -> domain.Assessment:
    a = domain.blank_assessment(template, data["title"])
    a.details = domain.ProposalDetails(
        name=data["title"], sponsor=data.get("sponsor", ""), lead=data.get("lead", ""), date=data.get("date", "2025-02"),
        summary=data.get("summary", ""), decision_route="cabinet", decision_date="2025-06-18",
        project_size=data.get("size", "medium"), publication_status=data.get("status", "public"),
        directorate=data.get("service", ""),
    )
    a.team.members = _team(data.get("team", []))
    a.engagement.activities = [domain.EngagementActivity(**e) for e in data.get("engagement", [])]
    for section in a.sections:
        for r in section.rows:
            r.impact = "no"
    for key, answer in (data.get("rows") or {}).items():
        section_key, row_key = key.split("/", 1)
        section = a.section(section_key)
        assert section is not None, key
        existing = section.row(row_key)
        if existing is None:
            existing = domain.RowAnswer(key=row_key, custom=True, title=answer["title"])
            section.rows.append(existing)
        _row(answer, existing)
    for section_key, ev in (data.get("evidence") or {}).items():
        section = a.section(section_key)
        section.evidence.items = [domain.EvidenceItem(**item) for item in ev.get("items", [])]
        section.evidence.narrative = ev.get("narrative", "")
        section.evidence.likelihood, section.evidence.size, section.evidence.direction = "likely", "medium", "mixed"
    staff = data.get("staff") or {}
    a.staff = domain.StaffImpact(affects_staff="yes" if staff else "no", **staff)
    return a


def cases(template: domain.TemplateSpec | None = None) -> list[Case]:
    template = template or load_template()
    out = []
    for path in sorted(CORPUS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        a = build(data, template)
        words = len(re.findall(r"\w+", path.read_text(encoding="utf-8")))
        out.append(Case(path.stem, a, data.get("status", "public"), data.get("defects") or [], data.get("fine") or [],
                        words, data.get("council", "")))
    return out


def _matches(finding: Finding, defect: dict) -> bool:
    return finding.rule_id == defect["rule"] and all(s in finding.message for s in defect["says"])


def _names(message: str, item: str) -> bool:
    return re.search(r"(?<![\w/])" + re.escape(item) + r"(?![\w/])", message) is not None


@dataclass
class Tally:
    planted: int = 0
    found: int = 0
    findings: int = 0
    true: int = 0
    missed: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def precision(self) -> float:
        return self.true / self.findings if self.findings else 1.0


@dataclass
class Score:
    by_rule: dict[str, Tally]
    flagged_fine: list[str]
    fine_items: int
    cases: int
    words: int
    councils: int = 0

    @property
    def total(self) -> Tally:
        t = Tally()
        for x in self.by_rule.values():
            t.planted += x.planted
            t.found += x.found
            t.findings += x.findings
            t.true += x.true
        return t


def score(all_cases: list[Case] | None = None, template: domain.TemplateSpec | None = None) -> Score:
    template = template or load_template()
    all_cases = all_cases if all_cases is not None else cases(template)
    by_rule = {rule: Tally() for rule in MEASURED}
    flagged: list[str] = []
    fine_items = 0
    for case in all_cases:
        report = run_checks(case.assessment, template, CheckConfig(stage=case.stage))
        measured = [f for f in report.findings if f.rule_id in MEASURED]
        for defect in case.defects:
            tally = by_rule[defect["rule"]]
            tally.planted += 1
            if any(_matches(f, defect) for f in measured):
                tally.found += 1
            else:
                tally.missed.append(f"{case.name}: {defect['rule']} {defect['says']}")
        for f in measured:
            tally = by_rule[f.rule_id]
            tally.findings += 1
            if any(_matches(f, d) for d in case.defects):
                tally.true += 1
            else:
                tally.false.append(f"{case.name}: {f.message}")
        for item in case.fine:
            fine_items += 1
            for f in measured:
                if _names(f.message, item):
                    flagged.append(f"{case.name}: “{item}” in {f.rule_id}: {f.message}")
    return Score(by_rule, flagged, fine_items, len(all_cases), sum(c.words for c in all_cases),
                 len({c.council for c in all_cases}))
