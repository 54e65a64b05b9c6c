"""Benchmark of the checker: a realistic 34-row CIA and a 300-row one.

Run it as a script (`python bench/bench_checker.py`) or call `run()`, which returns the
figures. The assessments are generated here, with a fixed seed, to look like real filled-in
CIAs: multi-paragraph answers with bullets, small percentage tables, several risks with
several mitigations, evidence lists full of URLs, acronyms spelled out, officers named.
The cost must grow linearly with the number of rows (300 rows: under about 150 ms).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from cia.checks import run_checks  # noqa: E402
from cia.domain import (  # noqa: E402
    Assessment,
    Benefit,
    EngagementActivity,
    EvidenceItem,
    Mitigation,
    ProposalDetails,
    Risk,
    RowAnswer,
    StaffImpact,
    TeamMember,
    TemplateSpec,
    WorkforceLine,
    blank_assessment,
)

TEMPLATE = ROOT / "cia/template_data/staffordshire-cia.yaml"

PLACES = ["Cannock Chase", "East Staffordshire", "Lichfield", "Newcastle-under-Lyme", "South Staffordshire",
          "Stafford", "Staffordshire Moorlands", "Tamworth", "Burntwood", "Leek", "Biddulph", "Uttoxeter",
          "Rugeley", "Kidsgrove", "Cheadle", "Stone", "Penkridge", "Codsall"]
GROUPS = ["older residents", "disabled adults", "unpaid carers", "young carers", "people on low incomes",
          "residents of rural parishes", "people with a learning disability", "working-age adults",
          "families with children under five", "people with dementia", "care leavers", "veterans",
          "people whose first language is not English", "self-funders", "day service staff",
          "autistic adults", "people recovering from a stroke", "lone parents", "Gypsy and Traveller families",
          "people living alone", "adults with sensory impairments", "people who do not drive",
          "residents of extra care schemes", "volunteers", "small local providers"]
SERVICES = ["day opportunities", "community transport", "respite breaks", "the carers' hub",
            "reablement", "library outreach", "the falls service", "extra care housing",
            "social prescribing", "the information and advice line", "shared lives placements",
            "the home library service", "lunch clubs", "the dementia cafes", "supported employment",
            "direct payments", "the assistive technology service", "occupational therapy visits",
            "the hospital discharge team", "befriending schemes"]
OPENERS = ["Evidence from the annual survey suggests that", "Officers expect that", "Carers told us that",
           "Service data for last year indicates that", "Partners in the voluntary sector report that",
           "It is likely that", "There is a small chance that", "Analysis of referral records shows that",
           "Providers have warned that", "Without mitigation,", "In the longer term,", "During the move,",
           "Compared with the county average,", "The district profile shows that",
           "Feedback at the drop-in sessions was that", "Our modelling assumes that",
           "Health colleagues have noted that", "On balance,"]
VERB_PHRASES = ["may find it harder to reach", "could benefit from longer hours at", "rely heavily on",
                "would need extra help to use", "are over-represented among users of",
                "might stop using", "are likely to welcome changes to", "depend on volunteers to run",
                "travel furthest to attend", "report high satisfaction with", "wait longest for",
                "are least aware of", "could lose weekly contact through", "often combine work with caring and use",
                "are expected to grow as a share of users of", "value the continuity of staff in",
                "have fewer alternatives to", "would face higher charges for"]
TAILS = ["especially in {place}", "because bus routes are limited after six in the evening",
         "as the new hours suit working carers", "unless transport is arranged in advance",
         "at least until the new provider is in place", "which affects around {n:,} people",
         "where {pct}% of households have no car", "according to the {year} returns",
         "although numbers in {place} are small", "and demand rose by {pct}% last year",
         "so the change needs careful phasing", "which the engagement events confirmed",
         "particularly during the winter months", "given the closure of the {place} centre",
         "if charges rise above inflation", "while waiting lists remain above {n:,}",
         "and this pattern is strongest in {place}", "as national research also suggests"]
IMPERATIVES = ["Agree a transition plan with", "Offer a review to", "Write to", "Arrange free transport for",
               "Fund extra places for", "Provide a named worker for", "Give advance notice to",
               "Run information sessions for", "Keep a waiting list open for", "Publish monthly figures on",
               "Train staff to support", "Work with district councils on help for",
               "Ask the voluntary sector to befriend", "Extend the trial of", "Monitor complaints from"]
WHEN = ["before the new model starts", "within {weeks} weeks of the decision", "for the first {months} months",
        "each quarter", "until the review in {year}", "as part of the annual review",
        "before any building closes", "by the end of {month} {year}", "alongside the provider's own plan",
        "and report progress to the project board"]
MONTHS = ["March", "April", "June", "September", "October", "December"]
SOURCES = [("Census 2021", "https://www.ons.gov.uk/census"),
           ("Joint Strategic Needs Assessment 2024", "https://www.staffordshire.gov.uk/jsna/2024"),
           ("Adult Social Care Survey 2023/24", "https://digital.nhs.uk/data-and-information/ascs"),
           ("Mid-year population estimates 2023", "https://www.ons.gov.uk/peoplepopulationandcommunity"),
           ("Carers' consultation report", "https://www.staffordshire.gov.uk/consultations/carers-2024"),
           ("Indices of Deprivation 2019", "https://www.gov.uk/government/statistics/english-indices"),
           ("Fingertips public health profiles", "https://fingertips.phe.org.uk/profile/health-profiles"),
           ("Transport provider mileage returns", "https://www.staffordshire.gov.uk/transport/data")]
#: Text authors really do paste into several rows (the checker's rule 13 should notice).
PASTED = "The project board will monitor this risk monthly and escalate any issues to the Senior Leadership Team."


class Writer:
    """Varied, realistic CIA prose from a seeded random generator (a small phrase grammar)."""

    def __init__(self, seed: int):
        self.r = random.Random(seed)

    def pick(self, items):
        return self.r.choice(items)

    def fill(self, text: str) -> str:
        r = self.r
        return text.format(place=self.pick(PLACES), n=r.randint(40, 4800), pct=r.randint(3, 60),
                           year=r.randint(2021, 2026), weeks=r.randint(2, 12), months=r.randint(3, 24),
                           month=self.pick(MONTHS))

    def sentence(self) -> str:
        text = (f"{self.pick(OPENERS)} {self.pick(GROUPS)} {self.pick(VERB_PHRASES)} {self.pick(SERVICES)}, "
                f"{self.fill(self.pick(TAILS))}.")
        return text[0].upper() + text[1:]

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def answer(self, paragraphs: int = 2) -> str:
        parts = [self.paragraph(self.r.randint(2, 3)) for _ in range(paragraphs)]
        if self.r.random() < 0.4:
            parts.append("\n".join(f"- {self.sentence()}" for _ in range(self.r.randint(2, 4))))
        if self.r.random() < 0.15:
            a = self.r.randint(20, 50)
            b = self.r.randint(10, 100 - a - 5)
            parts.append(f"Age band\tShare of users\n18 to 64\t{a}%\n65 to 84\t{b}%\n85+\t{100 - a - b}%")
        return "\n\n".join(parts)

    def mitigation(self) -> str:
        if self.r.random() < 0.02:
            return PASTED
        return (f"{self.pick(IMPERATIVES)} {self.pick(GROUPS)} using {self.pick(SERVICES)} "
                f"{self.fill(self.pick(WHEN))}.")


def _row(w: Writer, key: str, title: str = "", custom: bool = False, big: bool = False) -> RowAnswer:
    r = w.r
    risks = []
    for k in range(8 if big else r.choice([1, 1, 1, 2, 2, 2, 3])):
        count = 7 if big and k == 0 else r.choice([1, 1, 1, 2, 2])
        mitigations = [Mitigation(text=w.mitigation(), owner="Head of Service", target_date="2025-09-30")
                       for _ in range(count)]
        risks.append(Risk(text=w.paragraph(r.randint(1, 2)), mitigations=mitigations))
    return RowAnswer(
        key=key, custom=custom, title=title, impact="yes",
        groups=", ".join(sorted({w.pick(GROUPS) for _ in range(3)})) + f" in {w.pick(PLACES)}",
        benefits=[Benefit(text=w.answer(2) if big else w.paragraph(r.randint(1, 2)))
                  for _ in range(r.randint(1, 2))],
        risks=risks,
        maximise=w.sentence(),
    )


def build_assessment(template: TemplateSpec, total_rows: int = 34, seed: int = 2024) -> Assessment:
    """A realistic assessment with `total_rows` rows (template rows, then authors' own rows)."""
    w = Writer(seed)
    a = blank_assessment(template, "Day opportunities for adults: a new model")
    a.details = ProposalDetails(
        name="Day opportunities for adults: a new model", sponsor="Mr John Henderson", lead="Dr Anita Patel",
        date="2025-01", summary=w.answer(2), decision_route="cabinet", decision_date="2025-03-19",
        project_size="large", publication_status="public")
    a.team.members = [
        TeamMember(name="Dr Anita Patel", job_title="Assistant Director", has_team_role="no", date_first_involved="2024-09"),
        TeamMember(name="Sam Okafor", job_title="District Commissioning Lead", has_team_role="yes",
                   date_first_involved="2024-10"),
        TeamMember(name="Helen Riley", job_title="Finance Business Partner", has_team_role="no",
                   date_first_involved="2024-11"),
    ]
    a.engagement.activities = [
        EngagementActivity(activity=f"Consultation event {n}", groups=w.pick(GROUPS), dates="October 2024",
                           method="Drop-in sessions and an online survey", findings=w.answer(1),
                           influence=w.paragraph(2))
        for n in range(1, 5)
    ]
    custom_sections = [s for s in template.sections if s.allow_custom_rows]
    extra = max(0, total_rows - sum(len(s.category_areas) for s in template.sections))
    for i, section in enumerate(a.sections):
        spec = template.section(section.key)
        section.rows = [_row(w, area.key, big=(i == 1 and n == 0)) for n, area in enumerate(spec.category_areas)]
        if spec in custom_sections:
            n = extra // len(custom_sections) + (1 if custom_sections.index(spec) < extra % len(custom_sections) else 0)
            section.rows += [_row(w, f"own-{spec.key}-{j}", f"{w.pick(SERVICES).capitalize()} in "
                                                             f"{w.pick(PLACES)} ({j + 1})", True)
                             for j in range(n)]
        ev = section.evidence
        count = 24 if i == 1 else w.r.randint(3, 6)
        ev.items = []
        for n in range(count):
            title, url = SOURCES[(n + i) % len(SOURCES)]
            ev.items.append(EvidenceItem(title=f"{title} ({n + 1})", kind="data", period="2023 to 2024",
                                         link=f"{url}/{section.key}/{n + 1}", description=w.mitigation()))
        ev.likelihood, ev.size, ev.direction = "likely", "medium", "mixed"
        ev.narrative = w.paragraph(3) + (" The duties in the Care Act 2014 and the Health and Social Care Act 2012"
                                         " were considered.")
    a.staff = StaffImpact(
        affects_staff="yes",
        profile=[WorkforceLine("Sex", "Women", "78", "77"), WorkforceLine("Sex", "Men", "22", "23"),
                 WorkforceLine("Age", "Under 50", "55", "Unknown"), WorkforceLine("Age", "50 and over", "45", "Unknown")],
        job_losses="4", job_loss_groups=w.sentence(), support=w.answer(1), hr_protocols=w.paragraph(2))
    a.community_impact.equalities_legal = w.answer(2)
    a.community_impact.health = w.answer(1)
    return a


def load_template() -> TemplateSpec:
    with open(TEMPLATE, encoding="utf-8") as fh:
        return TemplateSpec.from_dict(yaml.safe_load(fh))


def characters(a: Assessment) -> int:
    """Characters of answers in the sections (the measure the engineering notes use)."""
    total = 0
    for s in a.sections:
        for r in s.rows:
            total += len(r.groups) + len(r.maximise) + sum(len(b.text) for b in r.benefits)
            total += sum(len(k.text) + sum(len(m.text) for m in k.mitigations) for k in r.risks)
        total += len(s.evidence.narrative) + sum(len(i.title) + len(i.link) + len(i.description)
                                                 for i in s.evidence.items)
    return total


def time_checks(a: Assessment, template: TemplateSpec, runs: int) -> tuple[float, float, int]:
    """(median wall seconds, median CPU seconds, findings) of `runs` runs of run_checks, after a warm-up."""
    report = run_checks(a, template)
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        run_checks(a, template)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu), len(report.findings)


BUDGET_MS_300 = 150


def reference_ms(repeats: int = 15) -> float:
    """A fixed pure-Python workload (100,000 dict inserts), best of `repeats`: the machine's speed now."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        d = {}
        for i in range(100_000):
            d[i] = i
        best = min(best, time.perf_counter() - started)
    return best * 1000


def run(runs: int = 15) -> dict:
    """Time the checker on 34 and 300 rows. Figures in milliseconds (medians of `runs` runs).

    The result has what `python -m bench` prints ("title", "rows", "notes") and the figures
    by name. `ratio_300_to_34` compares the wall-clock medians: the rows grow 8.8 times, so
    a linear checker stays near that. CPU time is given too, the steadier figure on a busy
    machine, and `x_reference`: the time as a multiple of a fixed Python workload measured
    in the same run, which travels between machines better than milliseconds.
    """
    template = load_template()
    cases = []
    reference = reference_ms()
    for rows in (34, 300):
        a = build_assessment(template, rows)
        assert sum(len(s.rows) for s in a.sections) == rows
        wall, cpu, findings = time_checks(a, template, runs)
        cases.append({"rows": rows, "characters": characters(a), "median_ms": round(wall * 1000, 2),
                      "cpu_ms": round(cpu * 1000, 2), "findings": findings})
    reference = min(reference, reference_ms())
    for case in cases:
        case["x_reference"] = round(case["median_ms"] / reference, 2)
    small, large = cases
    ratio = round(large["median_ms"] / small["median_ms"], 2)
    ok = large["median_ms"] < BUDGET_MS_300
    load = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
    return {
        "name": "checker",
        "title": "Checker (run_checks) on a realistic CIA",
        "runs": runs,
        "rows": cases,
        "cases": cases,
        "reference_ms": round(reference, 2),
        "ratio_300_to_34": ratio,
        "rows_ratio": round(300 / 34, 2),
        "budget_ms_300": BUDGET_MS_300,
        "ok": ok,
        "load_average": load,
        "notes": (f"Medians of {runs} runs after a warm-up. 300 rows take {ratio}x the time of 34 rows "
                  f"({round(300 / 34, 2)}x the rows); budget for 300 rows {BUDGET_MS_300} ms: "
                  f"{'met' if ok else 'not met'}. Reference workload {reference:.2f} ms; load average "
                  f"{load}.\n"),
    }


def main() -> int:
    figures = run()
    print(f"{figures['title']}: median of {figures['runs']} runs")
    print(f"{'rows':>6} {'characters':>11} {'median ms':>10} {'CPU ms':>8} {'x ref':>7} {'findings':>9}")
    for case in figures["rows"]:
        print(f"{case['rows']:>6} {case['characters']:>11,} {case['median_ms']:>10.2f} {case['cpu_ms']:>8.2f} "
              f"{case['x_reference']:>7.2f} {case['findings']:>9}")
    print(f"300/34 rows: {figures['ratio_300_to_34']}x the time for {figures['rows_ratio']}x the rows; "
          f"300 rows within {figures['budget_ms_300']} ms: {'yes' if figures['ok'] else 'NO'} "
          f"(reference workload {figures['reference_ms']} ms, load average {figures['load_average']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
