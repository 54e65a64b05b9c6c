"""The checker as the web pages use it: settings from configuration, findings with links."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from cia import shape
from cia.checks import DRAFTING, CheckConfig, Finding, Location, Report, get_rule
from cia.domain import Assessment, TemplateSpec
from cia.kinds import impact_row
from cia.web.links import href, page_url


def config(stage: str = DRAFTING) -> CheckConfig:
    from cia.data.linkchecks import dead_links  # links found dead by the link check: advice on CIA-R10

    hosts = current_app.config.get("CIA_INTERNAL_HOSTS") or ""
    if isinstance(hosts, str):
        hosts = [h.strip() for h in hosts.split(",") if h.strip()]
    if not hosts:  # an empty setting must not switch the intranet check off
        return CheckConfig(stage=stage, dead_links=dead_links())
    return CheckConfig(stage=stage, internal_hosts=tuple(hosts), dead_links=dead_links())


@dataclass
class ShownFinding:
    finding: Finding
    href: str
    rule_title: str
    acknowledged_reason: str = ""
    #: What the rule checks, in plain English (shown under "About this check").
    explanation: str = ""
    acknowledged_by: str = ""
    acknowledged_at: str = ""


def shown(report: Report, data: Assessment, assessment_id: int) -> list[ShownFinding]:
    acks = {a.finding_key: a for a in data.acknowledgements}
    out = []
    for f in report.findings:
        rule = get_rule(f.rule_id)
        ack = acks.get(f.key)
        out.append(ShownFinding(f, href(f.location, data, assessment_id), rule.title if rule else f.rule_id,
                                ack.reason if ack else "", ack.by if ack else "", ack.at if ack else "",
                                rule.explanation if rule else ""))
    return out


@dataclass
class TaskFindings:
    """The findings about one task of the task list, in the order its pages ask things."""

    key: str  # "details", "team", "section <key>" ...
    title: str
    url: str
    findings: list[ShownFinding]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.finding.severity == severity)


_STANDARD_ORDER = ("details", "team", "engagement")
_AFTER_SECTIONS = ("staff", "community_impact", "acknowledgements")
#: Within a section: its questions page, its rows, its Evidence Base.
_SECTION_PAGES = {"questions": 0, "section": 1, "evidence": 2}


def by_task(findings: list[ShownFinding], data: Assessment, template: TemplateSpec,
            assessment_id: int) -> list[TaskFindings]:
    """The findings grouped by the task they are about, tasks in task-list order, and each task's
    findings in the order its pages ask things (a row's risks in turn, then its Evidence Base)."""
    sections = [s.key for s in template.sections]
    groups: dict[str, TaskFindings] = {}
    for shown_finding in findings:
        location = shown_finding.finding.location
        task = _task_of(location.part)
        if task not in groups:
            groups[task] = TaskFindings(task, _task_title(task, template), _task_url(location, template, assessment_id), [])
        groups[task].findings.append(shown_finding)

    def task_rank(task: str) -> tuple[int, int]:
        if task in _STANDARD_ORDER:
            return (0, _STANDARD_ORDER.index(task))
        if task.startswith("section "):
            key = task.split(" ", 1)[1]
            return (1, sections.index(key) if key in sections else len(sections))
        return (2, _AFTER_SECTIONS.index(task) if task in _AFTER_SECTIONS else len(_AFTER_SECTIONS))

    out = sorted(groups.values(), key=lambda g: task_rank(g.key))
    for group in out:
        group.findings.sort(key=lambda f: _form_position(f.finding.location, data, template))
    return out


def _task_of(part: str) -> str:
    kind, _, key = part.partition(":")
    return f"section {key}" if kind in _SECTION_PAGES and key else part


def _task_title(task: str, template: TemplateSpec) -> str:
    if task.startswith("section "):
        section = template.section(task.split(" ", 1)[1])
        return section.title if section else task.split(" ", 1)[1]
    if task == "community_impact":
        return "Community Impact paragraphs"
    found = shape.part(task)
    return found.label if found else task.replace("_", " ").capitalize()


def _task_url(location: Location, template: TemplateSpec, assessment_id: int) -> str:
    """The task's first page (a section's first page is its questions, else its rows)."""
    kind, _, key = location.part.partition(":")
    section = template.section(key) if kind in _SECTION_PAGES else None
    if section is not None:
        from cia.web.section_pages import first_page

        return first_page(section, assessment_id)
    return page_url(location, assessment_id)


def _index(items: list, ident: str, attr: str = "id") -> int:
    return next((i for i, item in enumerate(items) if getattr(item, attr, None) == ident), len(items))


def _form_position(location: Location, data: Assessment, template: TemplateSpec) -> tuple:
    """Where a place is on its task's pages, to sort findings as the pages ask them."""
    kind, _, key = location.part.partition(":")
    if kind in _SECTION_PAGES:
        page = _SECTION_PAGES[kind]
        section = data.section(key)
        if kind == "section" and section is not None:
            row_index = _index(section.rows, location.row, "key")
            in_row = ((0, 0, 0) if row_index == len(section.rows)
                      else impact_row.position(section.rows[row_index], location.item, location.sub, location.field))
            return (page, row_index, *in_row)
        if kind == "questions":
            spec = template.section(key)
            keys = [q.key for q in spec.questions] if spec else []
            asked = location.row or location.field
            return (page, keys.index(asked) if asked in keys else len(keys), 0, 0, 0)
        items = section.evidence.items if section is not None else []
        fields = [f.key for f in (*shape.EVIDENCE.fields, *shape.EVIDENCE.item_fields)]
        return (page, 0, _index(items, location.item) if location.item else -1,
                fields.index(location.field) if location.field in fields else len(fields), 0)
    found = shape.part(location.part)
    fields = [f.key for f in (*found.fields, *found.item_fields)] if found else []
    lists = {"team": data.team.members, "engagement": data.engagement.activities}
    item = _index(lists.get(location.part, []), location.item) if location.item else -1
    return (0, item, fields.index(location.field) if location.field in fields else len(fields), 0, 0)
