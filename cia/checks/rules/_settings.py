"""The template's own words for a rule, from its rule settings (`RuleSetting.terms`).

CIA-R10 reads them as extra internal host names, CIA-R15 as extra allowed abbreviations:
the designer's Checker rules page edits them, one a line.
"""

from __future__ import annotations

from cia.checks.base import Context
from cia.checks.rules._walk import cached


def template_terms(ctx: Context, rule_id: str) -> frozenset[str]:
    def build(ctx: Context) -> frozenset[str]:
        setting = ctx.template.rule_settings.get(rule_id)
        return frozenset(t.strip() for t in (setting.terms if setting else ()) if t.strip())

    return cached(ctx, f"terms:{rule_id}", build)
