"""Templates are data: no code or page outside the shipped template data names one council.

A council's wording (its name, its roles, its staff) belongs in its template, where an equality
lead can change it; in code it would reach every other council's assessments.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ONE_COUNCIL = re.compile(r"staffordshire|district commissioning|\bDCLs?\b|SCC staff|\bSCC\b", re.IGNORECASE)


def test_no_python_or_jinja_file_outside_the_template_data_names_one_council():
    found = []
    for folder in ("cia", "templates"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in (".py", ".html") or "template_data" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if ONE_COUNCIL.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert found == []
