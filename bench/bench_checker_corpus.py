"""The checker's accuracy on the corpus: recall and precision per text rule (tests/corpus/).

Each of the corpus's CIAs was written for it, with defects planted on purpose and a list of things
that must not be flagged (officers' names, legislation, public links, common abbreviations, N/A
rows ...). See tests/corpus/corpus.py for how findings are matched. Targets: recall of at least
95% on planted defects, no rule below 90% precision, nothing that must not be flagged flagged.
Run it as a script or call `run()`.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cia.checks import get_rule  # noqa: E402
from tests.corpus.corpus import TARGET_PRECISION, TARGET_RECALL, score  # noqa: E402


def _percent(x: float) -> str:
    return f"{x * 100:.1f}%"


def run() -> dict:
    result = score()
    rows = []
    for rule_id, tally in result.by_rule.items():
        rule = get_rule(rule_id)
        rows.append({"rule": rule_id, "title": rule.title if rule else rule_id, "planted": tally.planted,
                     "found": tally.found, "recall": _percent(tally.recall), "findings": tally.findings,
                     "true": tally.true, "precision": _percent(tally.precision)})
    total = result.total
    rows.append({"rule": "all", "title": "all measured rules", "planted": total.planted, "found": total.found,
                 "recall": _percent(total.recall), "findings": total.findings, "true": total.true,
                 "precision": _percent(total.precision)})
    lowest = min((t.precision for t in result.by_rule.values()), default=1.0)
    met = total.recall >= TARGET_RECALL and lowest >= TARGET_PRECISION and not result.flagged_fine
    missed = [m for t in result.by_rule.values() for m in t.missed]
    false = [m for t in result.by_rule.values() for m in t.false]
    notes = (
        f"{result.cases} CIAs ({result.words:,} words of source) from {result.councils} councils, with "
        f"{total.planted} planted defects and {result.fine_items} things that must not be flagged. Recall "
        f"{_percent(total.recall)} (target {_percent(TARGET_RECALL)}); lowest precision of a rule "
        f"{_percent(lowest)} (target {_percent(TARGET_PRECISION)}); must-not-flag items flagged: "
        f"{len(result.flagged_fine)}. Targets {'met' if met else 'NOT met'}. The same figures are asserted by "
        "tests/unit/test_checker_corpus.py. The CIAs were scored as they were written; what the checker got "
        "wrong on them was fixed in the checker, each with a unit test in tests/unit/test_checks_accuracy.py: "
        "National Insurance numbers read as acronyms, brackets after words that do not spell the acronym "
        "(\"OHID treatment data (NDTMS)\") taken as its expansion, GDPR and the AA standard asked to be spelled "
        "out, and table captions counted as sentences pasted into every Evidence Base. An identical mitigation "
        "in two rows that was not planted on purpose was found, and kept as a defect. The last three CIAs (26 to "
        "28) were written after those fixes, as a check on CIAs the checker had not been tuned on: every planted "
        "defect found, nothing else flagged.\n"
    )
    for label, items in (("Missed", missed), ("False positives", false), ("Flagged but fine", result.flagged_fine)):
        if items:
            notes += f"\n{label}:\n" + "".join(f"- {item}\n" for item in items)
    return {"name": "checker_corpus", "title": "Checker accuracy on the corpus (recall and precision per rule)",
            "rows": rows, "notes": notes, "ok": met}


if __name__ == "__main__":
    figures = run()
    for row in figures["rows"]:
        print(row)
    print(figures["notes"])
