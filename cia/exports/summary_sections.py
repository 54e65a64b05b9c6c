"""Each section of the CIA as the Checklist and Executive Summary gives it: its overall direction,
likelihood and size of impact (the Evidence Base's answers, in the template's words), the groups most
affected, and its key risks with their mitigations.

Key risks are the authors' choice: a risk marked key (`Risk.key_risk`) on the section page is listed,
every one of them. In a section where the authors marked none, the summary chooses a few, so that
the summary stays short (docs/decisions/0021-cabinet-summary.md): risks with no mitigation first
(what is still open), then one risk from each category area before a second from any, in the
authors' order; two risks, or three in a section rated in the upper half of the template's
likelihood x size. The rest are counted ("and 5 more in the full CIA"). Imports nothing from Flask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cia.domain import Assessment, SectionSpec, TemplateSpec, section_rows
from cia.exports.words import format_date, gist, plain, shorten
from cia.kinds import impact_row

NOT_STATED = "Not stated"
MAX_GROUPS = 15
#: Risks the summary chooses in a section whose authors marked none: (rated lower, rated higher).
CHOSEN_RISKS = (2, 3)
#: What the summary prints of a risk and of its first mitigation, at most (characters).
RISK_LENGTH, MITIGATION_LENGTH = 120, 110
#: How many of a section's groups the summary names, and how long each may be.
GROUPS_SHOWN, GROUP_LENGTH = 3, 55


@dataclass
class MitigationSummary:
    text: str  # markup
    owner: str = ""
    target_date: str = ""  # formatted

    @property
    def note(self) -> str:
        """"Owner: …; by …", or ""."""
        parts = [f"Owner: {self.owner}" if self.owner else "", f"by {self.target_date}" if self.target_date else ""]
        return "; ".join(p for p in parts if p)


@dataclass
class RiskSummary:
    row_title: str
    text: str  # markup
    mitigations: list[MitigationSummary] = field(default_factory=list)
    #: Marked key by the authors.
    key: bool = False
    #: Its number in the section, as the full CIA numbers it ("Risk 3").
    number: int = 0

    @property
    def gist(self) -> str:
        """The risk in one line or two: the opening of what the authors wrote."""
        return gist(self.text, RISK_LENGTH)

    @property
    def mitigation_gist(self) -> str:
        """Its first mitigation in one line or two ("" when it has none)."""
        return gist(self.mitigations[0].text, MITIGATION_LENGTH) if self.mitigations else ""

    @property
    def more_mitigations(self) -> int:
        return max(0, len(self.mitigations) - 1)


@dataclass
class BenefitSummary:
    row_title: str
    text: str  # markup


@dataclass
class SectionSummary:
    key: str
    title: str
    direction: str
    likelihood: str
    size: str
    #: The groups named in the section's rows, those named in most rows first.
    groups: list[str] = field(default_factory=list)
    more_groups: int = 0  # groups left out of `groups`
    benefits: list[BenefitSummary] = field(default_factory=list)
    #: Every risk, in the authors' order.
    risks: list[RiskSummary] = field(default_factory=list)
    #: The risks the summary lists: those marked key, or (none marked) the ones it chose.
    key_risks: list[RiskSummary] = field(default_factory=list)
    #: Whether the authors marked the key risks (False: the summary chose them).
    marked_by_authors: bool = False
    na_rows: list[str] = field(default_factory=list)
    unanswered_rows: list[str] = field(default_factory=list)
    evidence_items: int = 0
    #: likelihood rank x size rank from the template scales (0 when either is missing).
    score: int = 0

    @property
    def more_risks(self) -> int:
        """Risks of the section the summary does not list."""
        return len(self.risks) - len(self.key_risks)

    def top_groups(self, limit: int) -> tuple[list[str], int]:
        """The `limit` groups most affected, and how many others there are."""
        return self.groups[:limit], max(0, len(self.groups) - limit) + self.more_groups

    @property
    def main_groups(self) -> list[str]:
        """The groups the summary names, each in a line at most."""
        return [shorten(g, GROUP_LENGTH) for g in self.groups[:GROUPS_SHOWN]]

    @property
    def other_groups(self) -> int:
        return self.top_groups(GROUPS_SHOWN)[1]


def _rank(options: list, key: str) -> int:
    for i, o in enumerate(options):
        if o.key == key:
            return len(options) - i
    return 0


def _short_items(piece: str) -> list[str]:
    """"Older people, disabled people, carers" is a list; "Older residents who use the service, and
    their carers" is one group: a line is split at its commas only when every part is a few words."""
    parts = [p.strip() for p in re.split(r",\s+", piece)]
    if len(parts) > 1 and all(0 < len(p.split()) <= 4 for p in parts):
        return [re.sub(r"^(?:and|or)\s+", "", p) for p in parts]
    return [piece]


def split_groups(text: str) -> list[str]:
    """The groups named in a "groups affected" answer, one per line, list item or short list entry."""
    out: list[str] = []
    for line in re.split(r"\n|;", plain(text)):
        line = re.sub(r"^[\s\-–•*·]+|^\d+[.)]\s+", "", line).strip(" .")
        if not line or line.endswith(":"):  # "For older people:" introduces a list
            continue
        out.extend(shorten(piece, 80) for piece in _short_items(line) if piece)
    return out


def _choose(risks: list[RiskSummary], high: bool) -> list[RiskSummary]:
    """The risks the summary lists in a section whose authors marked none (see the module's doc)."""
    seen_in_row: dict[str, int] = {}
    order = []
    for position, risk in enumerate(risks):
        nth = seen_in_row.get(risk.row_title, 0)
        seen_in_row[risk.row_title] = nth + 1
        order.append((bool(risk.mitigations), nth, position))
    chosen = sorted(order)[: CHOSEN_RISKS[1] if high else CHOSEN_RISKS[0]]
    return [risks[position] for _m, _n, position in sorted(chosen, key=lambda c: c[2])]


def summarise_section(spec: SectionSpec, a: Assessment, template: TemplateSpec) -> SectionSummary:
    answers = a.section(spec.key)
    ev = answers.evidence if answers else None
    s = SectionSummary(
        key=spec.key,
        title=spec.title,
        direction=template.direction_label(ev.direction) if ev and ev.direction else NOT_STATED,
        likelihood=template.scale_label("likelihood", ev.likelihood) if ev and ev.likelihood else NOT_STATED,
        size=template.scale_label("impact", ev.size) if ev and ev.size else NOT_STATED,
        evidence_items=len(ev.items) if ev else 0,
        score=_rank(template.likelihood_scale, ev.likelihood) * _rank(template.impact_scale, ev.size) if ev else 0,
    )
    if answers is None:
        s.unanswered_rows = [area.title for area in spec.category_areas]
        return s
    named: dict[str, tuple[str, int, int]] = {}  # casefolded group -> (as first written, rows naming it, first seen)
    next_number = 1
    for title, _question, row in section_rows(spec, answers):
        if row.impact == "no":
            s.na_rows.append(title)
            continue
        if row.impact != "yes":
            s.unanswered_rows.append(title)
            continue
        for g in dict.fromkeys(split_groups(row.groups)):
            first, rows, seen = named.get(g.casefold(), (g, 0, len(named)))
            named[g.casefold()] = (first, rows + 1, seen)
        s.benefits.extend(BenefitSummary(title, b.text) for b in row.benefits if b.text.strip())
        laid, next_number = impact_row.layout(row, next_number)
        for risk, line in zip(row.risks, laid.risks, strict=True):
            if not risk.text.strip() and not risk.mitigations:
                continue
            mits = [MitigationSummary(m.text, m.owner, format_date(m.target_date)) for m in risk.mitigations
                    if m.text.strip()]
            s.risks.append(RiskSummary(title, risk.text, mits, key=risk.key_risk, number=line.number))
    groups = [first for first, _rows, _seen in sorted(named.values(), key=lambda g: (-g[1], g[2]))]
    s.groups, s.more_groups = groups[:MAX_GROUPS], max(0, len(groups) - MAX_GROUPS)
    marked = [r for r in s.risks if r.key]
    top = len(template.likelihood_scale) * len(template.impact_scale)
    s.key_risks, s.marked_by_authors = (marked, True) if marked else (_choose(s.risks, 2 * s.score >= top > 0), False)
    return s
