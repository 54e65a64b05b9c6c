"""Rules 1 to 4: the rows of each section and its Evidence Base are filled in."""

from __future__ import annotations

from collections.abc import Iterator

from cia.checks.base import ERROR, Context, Finding, Location, Rule, register
from cia.checks.rules._walk import NA_LABEL, blank, evidence_label, rows, sections
from cia.kinds import impact_row

_has_content = impact_row.has_content


# --- R01 ------------------------------------------------------------------------


def check_rows_completed(ctx: Context) -> Iterator[Finding]:
    for view in rows(ctx):
        row = view.row
        if row.impact not in ("yes", "no"):
            yield Finding("CIA-R01", ERROR, f"{view.where}: select whether there is an impact",
                          Location(view.part, row.key, field="impact"))
        elif row.impact == "yes" and blank(row.groups) and not _has_content(row):
            yield Finding(
                "CIA-R01", ERROR,
                f"{view.where}: enter the groups affected, the benefits or the risks, "
                f"or select {NA_LABEL}",
                Location(view.part, row.key, field="groups"),
            )


register(Rule(
    id="CIA-R01",
    title="Every row is completed or marked N/A",
    default_severity=ERROR,
    template_sentence="Where no major impacts have been identified, please state N/A.",
    check=check_rows_completed,
    explanation=(
        "Each row of each section must say whether the proposal has an impact. A row with an "
        "impact needs its groups, benefits or risks filled in. A row marked N/A (no impact "
        "identified) asks nothing more: what its other fields held is kept but neither checked nor exported."
    ),
))


# --- R02 ------------------------------------------------------------------------


def check_risks_mitigated(ctx: Context) -> Iterator[Finding]:
    for view in rows(ctx):
        row = view.row
        if row.is_na:  # its other answers are not asked (kept, not checked)
            continue
        for n, risk in enumerate(row.risks, 1):
            has_mitigation = any(not blank(m.text) for m in risk.mitigations)
            if blank(risk.text):
                if has_mitigation:
                    yield Finding("CIA-R02", ERROR,
                                  f"{view.where}: enter risk {n}, or remove its mitigations",
                                  Location(view.part, row.key, risk.id, field="text"))
            elif not has_mitigation:
                yield Finding("CIA-R02", ERROR,
                              f"{view.where}: risk {n} has no mitigation. Enter how the risk will be "
                              "minimised",
                              Location(view.part, row.key, risk.id, field="mitigations"))


register(Rule(
    id="CIA-R02",
    title="Every risk has at least one mitigation",
    default_severity=ERROR,
    template_sentence=(
        "Set out any recommendations as to how the benefits will be maximised and the risks minimised."
    ),
    check=check_risks_mitigated,
    explanation=(
        "Each risk entered in a row must have at least one mitigation or recommendation saying how "
        "the risk will be reduced. A mitigation entered without its risk is also pointed out."
    ),
))


# --- R03 ------------------------------------------------------------------------


def check_groups_named(ctx: Context) -> Iterator[Finding]:
    for view in rows(ctx):
        row = view.row
        # A row with an impact and nothing in it at all is rule 1's finding.
        if row.impact == "yes" and blank(row.groups) and _has_content(row):
            yield Finding("CIA-R03", ERROR,
                          f"{view.where}: enter the groups affected, or select {NA_LABEL}",
                          Location(view.part, row.key, field="groups"))


register(Rule(
    id="CIA-R03",
    title="Every completed row names the groups affected",
    default_severity=ERROR,
    template_sentence=(
        "Which groups of people will be impacted by the proposed policy, service or project?"
    ),
    check=check_groups_named,
    explanation=(
        "A row with an impact (benefits or risks) must say which groups of people will be affected, "
        "for example people in an area, older people or people with care needs."
    ),
))


# --- R04 ------------------------------------------------------------------------


def check_evidence_base(ctx: Context) -> Iterator[Finding]:
    for spec, answers in sections(ctx):
        if not spec.evidence_base:
            continue
        ev = answers.evidence
        where = f"{spec.title}, {evidence_label(ctx, spec)}"
        part = f"evidence:{spec.key}"
        if not any(not (blank(i.title) and blank(i.link) and blank(i.description)) for i in ev.items):
            yield Finding("CIA-R04", ERROR, f"{where}: add the evidence you used",
                          Location(part, field="items"))
        if blank(ev.likelihood):
            yield Finding("CIA-R04", ERROR, f"{where}: select how likely the impacts are",
                          Location(part, field="likelihood"))
        if blank(ev.size):
            yield Finding("CIA-R04", ERROR, f"{where}: select the size of impact",
                          Location(part, field="size"))


register(Rule(
    id="CIA-R04",
    title="Each section has an Evidence Base",
    default_severity=ERROR,
    template_sentence="Evidence Base: (Evidence used/ likelihood/ size of impact)",
    check=check_evidence_base,
    explanation=(
        "Each section's Evidence Base must list at least one piece of evidence (with a title, link "
        "or description), and say how likely the impacts are and how big they are."
    ),
))
