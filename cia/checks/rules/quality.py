"""Rules 14 to 16: percent tables, acronyms and the Health and Care legislation."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterator

from cia import richtext
from cia.checks.base import ADVICE, Context, Finding, Location, Rule, register
from cia.checks.rules._settings import template_terms
from cia.checks.rules._walk import (
    and_list,
    applicable,
    blank,
    cached,
    evidence_label,
    mask_urls,
    sections,
    short,
    slots,
    staff_title,
)
from cia.checks.text.abbreviations import allow_list, defined_in, mask_file_names

# --- R14: percent tables -----------------------------------------------------------

_NUMBER = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*(%?)\s*$")
_PERCENT_HEADER = re.compile(r"%|percent|per cent|proportion|share", re.I)
_TOTAL = re.compile(r"^\s*(?:grand\s+)?total\b", re.I)
_NOT_STATED = {"", "-", "–", "n/a", "na", "unknown", "not known", "not stated"}

#: A column whose figures add up to far from 100 is not a share of a whole (a column of
#: rates, say): only sums within this range are compared with 100.
PLAUSIBLE_SUM = (50.0, 150.0)


def _cell_text(cell) -> str:
    return " ".join(getattr(x, "text", " ") for x in cell).strip()


def table_sums(rows: list[list[str]]) -> list[tuple[str, float]]:
    """(column header, sum) of each percentage column of a table (header row first, if any)."""
    if len(rows) < 2:
        return []
    for r in rows[1:]:
        label = next((c for c in r if c.strip()), "")
        if _TOTAL.match(label):
            return []  # the table states its own total
    out = []
    for col in range(max(len(r) for r in rows)):
        column = [r[col] if col < len(r) else "" for r in rows]
        if _NUMBER.match(column[0]):  # no header row
            header, cells = "", column
        else:
            header, cells = column[0], column[1:]
        stated = [c for c in cells if c.strip().lower() not in _NOT_STATED]
        if len(stated) < 2 or len(stated) < len(cells):  # an unknown share: it cannot add up
            continue
        parsed = [_NUMBER.match(c) for c in stated]
        if not all(parsed):
            continue
        with_sign = sum(1 for m in parsed if m and m.group(2))
        if not (_PERCENT_HEADER.search(header) or with_sign * 2 > len(cells)):
            continue
        out.append((header.strip(), sum(float(m.group(1)) for m in parsed if m)))
    return out


def _fmt(x: float) -> str:
    return f"{round(x, 1):g}"


@functools.lru_cache(maxsize=4096)  # pure, and asked again for every unchanged text on every save
def _table_problems(text: str, tolerance: float) -> tuple[str, ...]:
    """What is wrong with the percentages in the tables pasted into `text`."""
    low, high = PLAUSIBLE_SUM
    problems = []
    tables = richtext.tables(text)
    for n, table in enumerate(tables, 1):
        rows = [[_cell_text(c) for c in row] for row in table.rows]
        for head, total in table_sums(rows):
            if abs(total - 100) > tolerance and low <= total <= high:
                name = f"table {n}" if len(tables) > 1 else "the table"
                column = f"column “{short(head, 40)}”" if head else "a column"
                problems.append(f"{column} of {name} adds up to {_fmt(total)}%")
    return tuple(problems)


def check_percent_tables(ctx: Context) -> Iterator[Finding]:
    tolerance = ctx.config.percent_tolerance
    for slot in slots(ctx):
        text = slot.text
        if "%" not in text and "percent" not in text.lower():
            continue
        if "\t" not in text and "|" not in text:
            continue
        problems = _table_problems(text, tolerance)
        if problems:
            yield Finding("CIA-R14", ADVICE,
                          f"{slot.where}: the percentages in {and_list(problems, 3)}, not 100%. Check the "
                          "figures",
                          slot.location)
    if applicable(ctx).page("staff"):  # the workforce profile is on the staff page
        yield from _workforce(ctx)


def _workforce(ctx: Context) -> Iterator[Finding]:
    tolerance = ctx.config.percent_tolerance
    groups: dict[str, list] = defaultdict(list)
    for line in ctx.assessment.staff.profile:
        groups[line.characteristic.strip() or "Workforce"].append(line)
    problems = []
    for characteristic, lines in groups.items():
        if len(lines) < 2:
            continue
        for attr, when in (("pre_percent", "before"), ("post_percent", "after")):
            values = [_NUMBER.match(getattr(line, attr) or "") for line in lines]
            if all(values):
                total = sum(float(m.group(1)) for m in values if m)
                if abs(total - 100) > tolerance:
                    problems.append(f"{characteristic} {when} the change add up to {_fmt(total)}%")
    if problems:
        yield Finding("CIA-R14", ADVICE,
                      f"{staff_title(ctx)}, workforce profile: the percentages for {and_list(problems, 4)}, "
                      "not 100%. Check the figures",
                      Location("staff", field="profile"))


register(Rule(
    id="CIA-R14",
    title="Percentage tables add up to 100%",
    default_severity=ADVICE,
    template_sentence=(
        "How certain are you about the assessment of each potential impact, and what evidence have "
        "you used to arrive at the decision?"
    ),
    check=check_percent_tables,
    explanation=(
        "Checks small tables pasted into answers: a column of percentages (most of its figures end "
        "in %, or its heading mentions %) should add up to 100%, give or take a tolerance set by the "
        "council. Tables with a Total row, columns with unknown figures and columns adding up to far "
        "from 100 (rates rather than shares) are left alone. The staff workforce profile is checked "
        "per protected characteristic, before and after the change."
    ),
))


# --- R15: acronyms -------------------------------------------------------------------

# Starts with a character class (no leading \b) so that the engine skips to capitals quickly;
# the two-character look-behind after the first capital stands for \b.
ACRONYM = re.compile(r"([A-Z](?<!\w.)[A-Z]+)(?:(s)|['’]s)?\b")
_TWO_CAPITALS = re.compile(r"[A-Z][A-Z]")
_ROMAN = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")
#: Words written in capitals for emphasis, and Latin abbreviations: not acronyms.
CAPITAL_WORDS = frozenset({
    "NOT", "AND", "OR", "THE", "ALL", "NO", "YES", "NB", "PS", "ONLY", "MUST", "NOTE", "DO", "IS", "BE",
    "WE", "IF", "OF", "TO", "IN", "ON", "AT", "BY", "AN", "AS", "SO", "WILL", "THIS", "THAT", "FOR",
    "WITH", "ARE", "NEW", "NOW", "PLEASE", "DRAFT", "FINAL", "OFFICIAL", "SENSITIVE", "CONFIDENTIAL",
})


def _template_acronyms(ctx: Context) -> set[str]:
    """Acronyms the template itself spells out ("Public Sector Equality Duty (PSED)")."""

    def build(ctx: Context) -> set[str]:
        t = ctx.template
        texts = [t.sections_intro] + [s.title for s in t.sections] + [s.intro for s in t.sections]
        texts += [s.mandatory_engagement for s in t.sections]
        return set().union(*(_spelled_out_at(x).values() for x in texts if x))

    return cached(ctx, "template_acronyms", build)


@functools.lru_cache(maxsize=4096)  # pure, and asked again for every unchanged text on every save
def _acronym_uses(text: str) -> tuple[str, tuple[tuple[str, str, int], ...]]:
    """The text with its links masked, and each (acronym, token as written, position) in it."""
    masked = mask_file_names(mask_urls(text))
    return masked, tuple((m.group(1), m.group(0), m.start(1)) for m in ACRONYM.finditer(masked))


@functools.lru_cache(maxsize=4096)
def _spelled_out_at(masked: str) -> dict[int, str]:
    return defined_in(masked)


@functools.lru_cache(maxsize=8192)  # most texts have no acronym: a lookup rather than a scan of the text
def _has_two_capitals(text: str) -> bool:
    return _TWO_CAPITALS.search(text) is not None


def check_acronyms(ctx: Context) -> Iterator[Finding]:
    allowed = set(ctx.config.acronym_allow_list) | allow_list() | template_terms(ctx, "CIA-R15")
    defined = set(_template_acronyms(ctx))
    reported: set[str] = set()
    for slot in slots(ctx):
        text = slot.text
        if not _has_two_capitals(text):
            continue
        masked, uses = _acronym_uses(text)
        for acronym, token, start in uses:
            if acronym in defined or acronym in reported:
                continue
            if (acronym in allowed or token in allowed or acronym + "s" in allowed
                    or acronym in CAPITAL_WORDS or _ROMAN.match(acronym)):
                continue
            if _spelled_out_at(masked).get(start) == acronym:
                defined.add(acronym)
                continue
            reported.add(acronym)
            yield Finding("CIA-R15", ADVICE,
                          f"{slot.where}: spell out {acronym} the first time it is used: write the words in "
                          f"full, with {acronym} in brackets after them",
                          slot.location)


register(Rule(
    id="CIA-R15",
    title="Acronyms are spelled out on first use",
    default_severity=ADVICE,
    template_sentence=(
        "For CIAs that are going to Cabinet, only the 'Checklist and Executive Summary' should be "
        "submitted as part of the Cabinet Papers."
    ),
    check=check_acronyms,
    explanation=(
        "The CIA is read by Cabinet members and the public. An acronym (2 or more capital letters, "
        "such as ASC or CCGs) should be spelled out the first time it is used: 'Adult Social Care "
        "(ASC)' or 'ASC (Adult Social Care)', also for compounds and plurals such as 'Looked after "
        "children and care leavers (LAC&CL)' or 'Integrated Care Boards (ICBs)'. Common public-sector "
        "abbreviations (HM, NHS, CCTV, UNISON ...), the council's allow list, the template's own "
        "additions, acronyms the template spells out, Roman numerals, codes such as CO2 or Q3, web "
        "addresses and file names are not flagged. One finding per acronym, at its first use."
    ),
))


# --- R16: legislation ----------------------------------------------------------------

_YEAR = re.compile(r"\s+\d{4}\s*$")
_CONTINUES_NAME = re.compile(r"(?:social|and|health)\s+$")
_ACT_PATTERNS: dict[str, re.Pattern[str]] = {}


def _core(act: str) -> str:
    """ "care act" from "Care Act 2014"."""
    return " ".join(_YEAR.sub("", act.strip()).lower().split())


def _act_pattern(act: str) -> re.Pattern[str]:
    """The act's name without its year, for lower-case text, any white space between words."""
    core = _core(act)
    if core not in _ACT_PATTERNS:
        words = [re.escape(w) for w in core.split()]
        _ACT_PATTERNS[core] = re.compile(r"\s+".join(words) + r"(?!\w)")  # no look-behind: fast scan
    return _ACT_PATTERNS[core]


def mentions(text: str, act: str, others: list[str]) -> bool:
    """Whether `text` names `act` (with or without its year), not as part of a longer act in `others`."""
    text = text.lower()
    core = _core(act)
    spans = []
    for other in others:
        other_core = _core(other)
        if other_core != core and core in other_core:
            spans += [m.span() for m in _act_pattern(other).finditer(text)]
    for m in _act_pattern(act).finditer(text):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
            continue  # inside a word
        if any(s <= m.start() and m.end() <= e for s, e in spans):
            continue
        if _CONTINUES_NAME.search(text[max(0, m.start() - 10):m.start()]):
            continue  # "Health and Care Act", "Social Care Act": another act
        return True
    return False


def _section_text(ctx: Context, key: str) -> str:
    parts = (f"section:{key}", f"evidence:{key}")
    return "\n".join(s.text for s in slots(ctx) if s.location.part in parts)


def check_legislation(ctx: Context) -> Iterator[Finding]:
    for spec, _answers in sections(ctx):
        acts = [a for a in spec.legislation if not blank(a)]
        if not acts:
            continue
        text = _section_text(ctx, spec.key)
        for act in acts:
            if not mentions(text, act, acts):
                yield Finding("CIA-R16", ADVICE,
                              f"{spec.title}: say how you have considered the {act}, in the rows or in the "
                              f"{evidence_label(ctx, spec)}",
                              Location(f"evidence:{spec.key}", field="narrative"))


def _has_legislation(ctx: Context) -> bool:
    return any(any(not blank(a) for a in s.legislation) for s in ctx.template.sections)


register(Rule(
    id="CIA-R16",
    title="Health and Care: the Care Act 2014 and the Health and Social Care Act 2012 are considered",
    default_severity=ADVICE,
    template_sentence="Please consider the Care Act 2014 and the Health and Social Care Act 2012.",
    check=check_legislation,
    applies=_has_legislation,
    explanation=(
        "Applies to sections for which the template lists legislation to consider (Health and Care). "
        "The section's rows or Evidence Base should mention each act by name; the year is optional."
    ),
))
