"""What the rules share: the assessment's rows and free text, in document order, with names.

Every rule names places the way the template does ("Health and Care, Safeguarding,
risk 2") and points at them with a `Location` whose field names are the domain's
field names. The walk is done once per run and kept in `Context.cache`.
"""

from __future__ import annotations

import calendar
import re
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from threading import Lock
from typing import NamedTuple, TypeVar

from cia import shape
from cia.checks.base import Context, Location
from cia.conditions import Applicable
from cia.domain import (
    IMPACT_CHOICES,
    RowAnswer,
    SectionAnswers,
    SectionSpec,
    StaffImpact,
    blank_section,
    section_rows,
)
from cia.kinds import impact_row
from cia.kinds.base import kind_of

T = TypeVar("T")

NA_LABEL = IMPACT_CHOICES["no"]  # "No impact identified"

ENGAGEMENT_LABEL = "Engagement and consultation"
TEAM_LABEL = "Project Team"
DETAILS_LABEL = "Proposal details"
COMMUNITY_LABEL = "Community Impact"

#: Words for the fields of the standard parts, as messages name them (declared in cia/shape.py).
ENGAGEMENT_FIELDS = {f.key: f.words for f in shape.ENGAGEMENT.item_fields}
STAFF_FIELDS = {f.key: f.words for f in shape.STAFF.fields if f.key in
                ("profile", "job_losses", "job_loss_groups", "support", "hr_protocols")}


class RowView(NamedTuple):
    """One row of a section as the template presents it."""

    spec: SectionSpec
    title: str  # the template's row title, or the author's own row title
    row: RowAnswer
    part: str  # "section:<key>"
    where: str  # "Health and Care, Safeguarding"


class Slot(NamedTuple):
    """One free-text field of the assessment."""

    where: str  # "Health and Care, Safeguarding, risk 2"
    location: Location
    text: str
    #: what the field is: "groups", "benefit", "risk", "mitigation", "maximise",
    #: "evidence_title", "evidence_description", "narrative", "summary", "name",
    #: "engagement", "staff", "staff_profile", "community", "answer" (to a template's question)
    kind: str
    #: whether members of the public could be named here (not a role field)
    personal: bool = True
    #: (section key, row key) for the fields of a row, else None
    row: tuple[str, str] | None = None
    #: the row's own name ("Health and Care, Safeguarding") for row fields
    row_where: str = ""


def cached(ctx: Context, name: str, build: Callable[[Context], T]) -> T:
    if name not in ctx.cache:
        ctx.cache[name] = build(ctx)
    return ctx.cache[name]


def evidence_label(ctx: Context, spec: SectionSpec | None = None) -> str:
    """ "Evidence Base", from the template's label "Evidence Base: (Evidence used/ ...)". """
    label = (spec.evidence_base_label if spec else "") or ctx.template.evidence_base_label
    return label.split(":")[0].strip() or "Evidence Base"


def applicable(ctx: Context) -> Applicable:
    """The sections and questions that apply to this assessment (a hidden one is not checked)."""
    return cached(ctx, "applicable", lambda ctx: Applicable(ctx.template, ctx.assessment))


def sections(ctx: Context) -> list[tuple[SectionSpec, SectionAnswers]]:
    """Every template section that applies, with its answers (blank answers if the assessment has none)."""

    def build(ctx: Context) -> list[tuple[SectionSpec, SectionAnswers]]:
        stored = {s.key: s for s in ctx.assessment.sections}
        shown = applicable(ctx)
        return [(spec, stored.get(spec.key) or blank_section(spec)) for spec in ctx.template.sections
                if shown.section(spec)]

    return cached(ctx, "sections", build)


def rows(ctx: Context) -> list[RowView]:
    def build(ctx: Context) -> list[RowView]:
        out = []
        for spec, answers in sections(ctx):
            part = f"section:{spec.key}"
            for title, _question, row in section_rows(spec, answers):
                out.append(RowView(spec, title, row, part, f"{spec.title}, {title}"))
        return out

    return cached(ctx, "rows", build)


def staff_title(ctx: Context) -> str:
    """The template's name for the row that stands for the council's own staff."""
    for spec in ctx.template.sections:
        if spec.staff_row_key:
            area = spec.area(spec.staff_row_key)
            if area and area.title:
                return area.title
    return "Impact on staff"


def staff_row(ctx: Context) -> RowAnswer | None:
    for view in rows(ctx):
        if view.spec.staff_row_key and view.row.key == view.spec.staff_row_key:
            return view.row
    return None


# Links in markup: "[text](https://...)" targets and bare addresses.
_URL = re.compile(r"\]\(\s*(?:https?://|www\.)[^)\s]*\s*\)|(?:https?://|www\.)[^\s<>\"\]]+", re.I)


def mask_urls(text: str) -> str:
    """`text` without its web addresses (link texts stay), for rules that read the prose."""
    if "http" in text or "www." in text or "HTTP" in text or "WWW." in text:
        return _URL.sub(" ", text)
    return text


def blank(text: str | None) -> bool:
    return not (text or "").strip()


def slots(ctx: Context) -> list[Slot]:
    """Every free-text field in document order: details, engagement, sections, staff, community."""
    return cached(ctx, "slots", _build_slots)


def _build_slots(ctx: Context) -> list[Slot]:
    a = ctx.assessment
    out: list[Slot] = []
    add = out.append
    d = a.details
    if not blank(d.name):
        add(Slot(f"{DETAILS_LABEL}, name of proposal", Location("details", field="name"), d.name, "name", False))
    if not blank(d.summary):
        add(Slot(f"{DETAILS_LABEL}, summary", Location("details", field="summary"), d.summary, "summary"))
    shown = applicable(ctx)
    for n, act in enumerate(a.engagement.activities if shown.page("engagement") else [], 1):
        for name, words in ENGAGEMENT_FIELDS.items():
            text = getattr(act, name)
            if not blank(text):
                add(Slot(f"{ENGAGEMENT_LABEL}, activity {n}, {words}",
                         Location("engagement", item=act.id, field=name), text, "engagement"))
    for spec, answers in sections(ctx):
        out.extend(_row_slots(ctx, spec, answers))
    for spec, answers in sections(ctx):
        out.extend(question_slots(ctx, spec, answers))
        if spec.evidence_base:
            out.extend(evidence_slots(ctx, spec, answers))
    staff = a.staff if shown.page("staff") else StaffImpact()  # a page the template leaves out is not read
    st = staff_title(ctx)
    groups = "\n".join(line.group for line in staff.profile if not blank(line.group))
    if groups:  # one field for the whole grid: its lines have no ids
        add(Slot(f"{st}, workforce profile", Location("staff", field="profile"), groups, "staff_profile"))
    for name in ("job_losses", "job_loss_groups", "support", "hr_protocols"):
        text = getattr(staff, name)
        if not blank(text):
            add(Slot(f"{st}, {STAFF_FIELDS[name]}", Location("staff", field=name), text, "staff"))
    for paragraph in ctx.template.community_impact_paragraphs:  # only the paragraphs the template uses
        text = getattr(a.community_impact, paragraph.key, "")
        if not blank(text):
            add(Slot(f"{COMMUNITY_LABEL}, {paragraph.heading}", Location("community_impact", field=paragraph.key),
                     text, "community"))
    return out


#: The free text of a section's rows, kept under what the rows part is as stored (`Context.parts`):
#: most of the work of walking a stored assessment, and the same on every run until that part is saved.
_ROW_SLOTS: OrderedDict[tuple[str, Hashable], tuple[Slot, ...]] = OrderedDict()
_ROW_SLOTS_LOCK = Lock()
_ROW_SLOTS_KEPT = 2048  # sections; a template has about a dozen


def _row_slots(ctx: Context, spec: SectionSpec, answers: SectionAnswers) -> Sequence[Slot]:
    part = f"section:{spec.key}"
    stored_as = ctx.parts.get(part)
    if stored_as is None:
        return _build_row_slots(spec, answers)
    key = (part, stored_as)
    with _ROW_SLOTS_LOCK:
        found = _ROW_SLOTS.get(key)
    if found is None:
        found = tuple(_build_row_slots(spec, answers))
        with _ROW_SLOTS_LOCK:
            _ROW_SLOTS[key] = found
            while len(_ROW_SLOTS) > _ROW_SLOTS_KEPT:
                _ROW_SLOTS.popitem(last=False)
    return found


def _build_row_slots(spec: SectionSpec, answers: SectionAnswers) -> list[Slot]:
    """The free-text fields of a section's rows, in the order of `rows`."""
    out = []
    part = f"section:{spec.key}"
    for title, _question, row in section_rows(spec, answers):
        where = f"{spec.title}, {title}"
        key = (spec.key, row.key)
        # what the impact row kind says is text, and where; a row marked N/A asks for none of it
        for found in [] if row.is_na else impact_row.texts(row):
            out.append(Slot(f"{where}, {found.words}", Location(part, row.key, found.item, found.sub, found.field),
                            found.text, found.slot, True, key, where))
    return out


def question_slots(ctx: Context, spec: SectionSpec, answers: SectionAnswers) -> list[Slot]:
    """The free text in the answers to a section's questions that apply."""
    out = []
    for question in applicable(ctx).questions_of(spec):
        kind = kind_of(question.kind)
        answer = answers.answers.get(question.key)
        if kind is None or answer is None:
            continue
        if kind.entries is not None:  # a list: each item's answers, pointing at the item's field
            for entry in kind.entries(question, answer):
                for text in entry.kind.texts(entry.answer):
                    if not blank(text):
                        out.append(Slot(f"{spec.title}, {short(question.label, 80)}, {entry.item_label.lower()}: "
                                        f"{short(entry.question.label, 80)}",
                                        Location(f"questions:{spec.key}", row=question.key, item=entry.item_id,
                                                 field=entry.question.key), text, "answer"))
            continue
        for text in kind.texts(answer):
            if not blank(text):
                out.append(Slot(f"{spec.title}, {short(question.label, 80)}",
                                Location(f"questions:{spec.key}", field=question.key), text, "answer"))
    return out


def evidence_slots(ctx: Context, spec: SectionSpec, answers: SectionAnswers) -> list[Slot]:
    out = []
    part = f"evidence:{spec.key}"
    where = f"{spec.title}, {evidence_label(ctx, spec)}"
    for n, item in enumerate(answers.evidence.items, 1):
        for name, kind in (("title", "evidence_title"), ("period", "evidence_period"),
                           ("description", "evidence_description")):
            text = getattr(item, name)
            if not blank(text):
                out.append(Slot(f"{where}, evidence {n}", Location(part, item=item.id, field=name), text, kind))
    if not blank(answers.evidence.narrative):
        out.append(Slot(f"{where}, summary of the evidence", Location(part, field="narrative"),
                        answers.evidence.narrative, "narrative"))
    return out


# --- dates ---------------------------------------------------------------------

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*$")
_UK_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def parse_date(text: str) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) from "YYYY-MM", "YYYY-MM-DD" or "DD/MM/YYYY"; None if not a date."""
    m = _ISO_DATE.match(text or "")
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None
    else:
        m = _UK_DATE.match(text or "")
        if not m:
            return None
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not 1 <= mo <= 12:
        return None
    if d is not None and not 1 <= d <= calendar.monthrange(y, mo)[1]:
        return None
    return y, mo, d


def is_after(a: tuple[int, int, int | None], b: tuple[int, int, int | None]) -> bool:
    """Whether date `a` is after date `b`; a month-only date compares by month."""
    if a[2] is None or b[2] is None:
        return a[:2] > b[:2]
    return a > b


def format_date(d: tuple[int, int, int | None]) -> str:
    month = f"{calendar.month_name[d[1]]} {d[0]}"
    return month if d[2] is None else f"{d[2]} {month}"


def and_list(items: Sequence[str], limit: int = 0) -> str:
    """ "a, b and c"; with a limit, "a, b and 3 more"."""
    items = list(items)
    if limit and len(items) > limit:
        rest = len(items) - limit + 1
        items = items[: limit - 1] + [f"{rest} more"]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def short(text: str, length: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"
