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


def _merge(previous: str, sections: dict[str, str]) -> list[str]:
    """The sections of an earlier run, with those measured now put in place of theirs (by title)."""
    kept = []
    for chunk in previous.split("\n## ")[1:]:
        title = chunk.split("\n", 1)[0].strip()
        if title.startswith("Where the time goes"):
            break  # the analysis is appended afresh
        if title not in sections:
            kept.append((title, "## " + chunk.rstrip() + "\n"))
    merged = dict(kept)
    merged.update(sections)
    return list(merged.values())


def main() -> int:
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_"))
    only = set(sys.argv[1:])
    unknown = only - set(names)
    if unknown:
        print(f"No such benchmark: {', '.join(sorted(unknown))}. There are: {', '.join(names)}")
        return 2
    sections: dict[str, str] = {}
    for name in names:
        if only and name not in only:
            continue
        print(f"== {name}", flush=True)
        result = importlib.import_module(f"bench.{name}").run()
        table = _table(result.get("rows", []))
        print(table)
        print(result.get("notes", ""))
        title = result.get("title", name)
        sections[title] = f"## {title}\n\n{table}\n{result.get('notes', '')}\n"
    header = (
        "# Benchmarks\n\n"
        f"Run by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"
        f"{' (' + ', '.join(sorted(only)) + ' re-run; the other sections are from the previous run)' if only else ''}.\n"
        "Timings are medians of repeated runs. Where it matters, figures are given as a ratio to a "
        "reference measured in the same run, which travels better between machines than milliseconds.\n\n"
    )
    target = ROOT / "docs" / "benchmarks.md"
    body = _merge(target.read_text(), sections) if only and target.exists() else list(sections.values())
    analysis = ROOT / "docs" / "benchmarks-analysis.md"
    extra = analysis.read_text() if analysis.exists() else ""
    target.write_text(header + "\n".join(body) + ("\n" + extra if extra else ""))
    print(f"Wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
