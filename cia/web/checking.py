"""The checker as the web pages use it: settings from configuration, findings with links."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from cia.checks import DRAFTING, CheckConfig, Finding, Report, get_rule
from cia.domain import Assessment
from cia.web.links import href


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
    acknowledged_by: str = ""
    acknowledged_at: str = ""


def shown(report: Report, data: Assessment, assessment_id: int) -> list[ShownFinding]:
    acks = {a.finding_key: a for a in data.acknowledgements}
    out = []
    for f in report.findings:
        rule = get_rule(f.rule_id)
        ack = acks.get(f.key)
        out.append(ShownFinding(f, href(f.location, data, assessment_id), rule.title if rule else f.rule_id,
                                ack.reason if ack else "", ack.by if ack else "", ack.at if ack else ""))
    return out
