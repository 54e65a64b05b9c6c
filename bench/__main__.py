"""Run every benchmark module in this folder and record the figures in docs/benchmarks.md.

Each module `bench/bench_*.py` exposes `run() -> dict` with at least "title" and "rows"
(a list of dicts, one per measurement) and optionally "notes". Timings are medians of
repeated runs on this machine; compare ratios, not absolute figures, across machines.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _table(rows: list[dict]) -> str:
    if not rows:
        return "(no figures)\n"
    headers = list(rows[0])
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(r.get(h, "")) for h in headers) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def main() -> int:
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_"))
    only = set(sys.argv[1:])
    sections = []
    for name in names:
        if only and name not in only:
            continue
        print(f"== {name}", flush=True)
        result = importlib.import_module(f"bench.{name}").run()
        table = _table(result.get("rows", []))
        print(table)
        sections.append(f"## {result.get('title', name)}\n\n{table}\n{result.get('notes', '')}\n")
    header = (
        "# Benchmarks\n\n"
        f"Run by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}.\n"
        "Timings are medians of repeated runs. Where it matters, figures are given as a ratio to a "
        "reference measured in the same run, which travels better between machines than milliseconds.\n\n"
    )
    analysis = ROOT / "docs" / "benchmarks-analysis.md"
    extra = analysis.read_text() if analysis.exists() else ""
    (ROOT / "docs" / "benchmarks.md").write_text(header + "\n".join(sections) + ("\n" + extra if extra else ""))
    print(f"Wrote {ROOT / 'docs' / 'benchmarks.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
