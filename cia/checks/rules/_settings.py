"""The template's own words for a rule, from its rule settings (`RuleSetting.terms`).

CIA-R10 reads them as extra internal host names, CIA-R15 as extra allowed abbreviations:
the designer's Checker rules page edits them, one a line.
"""

from __future__ import annotations

import re

from cia.checks.base import Context
from cia.checks.rules._walk import cached


def template_terms(ctx: Context, rule_id: str) -> frozenset[str]:
    def build(ctx: Context) -> frozenset[str]:
        setting = ctx.template.rule_settings.get(rule_id)
        return frozenset(t.strip() for t in (setting.terms if setting else ()) if t.strip())

    return cached(ctx, f"terms:{rule_id}", build)


#: The rules that take the template's own words, what the words are, and how each must look.
TERMS = {
    "CIA-R10": ("More internal host names",
                "One a line, such as staffhub or intranet.example.gov.uk. Links to these hosts, and to hosts "
                "below them, are reported as not reachable by the public."),
    "CIA-R15": ("More abbreviations that need no spelling out",
                "One a line, as written, such as MPFT. The checker already knows common ones such as HM, NHS, "
                "CCTV and UNISON."),
}
MAX_TERMS = 200
MAX_TERM_LENGTH = 100
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$")
_ABBREVIATION = re.compile(r"^[A-Za-z0-9&/+.-]{2,20}$")


def parse_terms(rule_id: str, text: str) -> tuple[list[str], str]:
    """(the terms typed one a line, a problem in GOV.UK words or "")."""
    terms = list(dict.fromkeys(t.strip() for t in (text or "").splitlines() if t.strip()))
    label = TERMS[rule_id][0].lower()
    if len(terms) > MAX_TERMS:
        return terms, f"{rule_id}: enter {MAX_TERMS} {label} or fewer"
    for term in terms:
        if len(term) > MAX_TERM_LENGTH:
            return terms, f"{rule_id}: each line must be {MAX_TERM_LENGTH} characters or fewer"
        if rule_id == "CIA-R10" and not _HOST.match(term.lower().strip(".")):
            return terms, (f"{rule_id}: “{term}” is not a host name. Enter host names only, such as "
                           "intranet.example.gov.uk, without https:// or a path")
        if rule_id == "CIA-R15" and not _ABBREVIATION.match(term):
            return terms, (f"{rule_id}: “{term}” is not an abbreviation. Enter one abbreviation a line, "
                           "with no spaces, such as MPFT")
    return terms, ""


def terms_problems(rule_id: str, terms: list[str]) -> list[str]:
    """What is wrong with a template file's terms for a rule: only rules that take them, well formed."""
    if not terms:
        return []
    if rule_id not in TERMS:
        return [f"{rule_id} takes no terms: leave terms out (rules that take them: {', '.join(sorted(TERMS))})"]
    _, problem = parse_terms(rule_id, "\n".join(str(t) for t in terms))
    return [problem] if problem else []
