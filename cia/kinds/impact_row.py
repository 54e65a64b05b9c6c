"""The impact row: one category area answered as groups affected, benefits, risks each with its
mitigations, and how the benefits will be maximised (or marked N/A).

It is the answer of a section's rows, not of a question, so it is not in the question kinds'
registry (`cia.kinds.base`): a section's category areas and the authors' own rows are its rows.
Everything that handles a row asks this module instead of naming the row's fields itself
(docs/decisions/0020-the-shape-declared-once.md):

- its stored shape: `RowAnswer`, `Benefit`, `Risk`, `Mitigation` in cia/domain.py, and their JSON
  Schema here (`SCHEMA_DEFS`, added to the format's schema by `cia.jsonformat.schema()`);
- its columns' labels, from the template (`headers`);
- what the checker reads in it (`texts`, `has_content`), with where each text is (a row marked N/A
  asks for nothing more: its other answers are kept, but neither checked nor exported);
- how the documents lay it out: numbered benefits, risks and mitigations (`layout`), which the
  Word and Excel writers put into their cells;
- the words the history, the conflict page and the comparison of revisions use for its fields
  (`FIELD_WORDS`, `LIST_WORDS`);
- where a field is on its page (`field_id`: the input ids the section page gives it).

Its input is rendered from plain data by cia/web/section_view.py and the `impact_row` macros in
templates/assessments/section.html, and read back by the rules of `RowForm` in cia/web/forms.py
(WTForms, so in the web layer). Imports nothing from Flask.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from cia.domain import RowAnswer, SectionSpec, TemplateSpec

KEY = "impact_row"
NAME = "Impact row"
DESCRIPTION = ("A category area answered with the groups affected, the benefits, the risks each with its "
               "mitigations, and how benefits will be maximised; or marked N/A")

#: The row's answer columns: (the template's column key, the label when the template has none).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("groups_affected", "Which groups will be affected"),
    ("benefits", "Benefits"),
    ("risks", "Risks"),
    ("mitigations_recommendations", "Mitigations / Recommendations"),
)


def column_labels(template: TemplateSpec) -> dict[str, str]:
    """{column key: its label}, the template's or the default (the pages' table headers)."""
    return {key: template.column_label(key, default) for key, default in COLUMNS}


def headers(template: TemplateSpec, spec: SectionSpec) -> list[str]:
    """The table's headers as the template words them: the row label, then the answer columns."""
    return [spec.row_label_header.rstrip(":") or "Category area",
            *(template.column_label(key, default) for key, default in COLUMNS)]


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


# --- what the checker reads ----------------------------------------------------------------------


class RowText(NamedTuple):
    """One free-text field of a row, with where it is."""

    #: After the row's name in a message: "groups affected", "risk 2, mitigation 1".
    words: str
    #: Where it is in the row: a benefit's or risk's id, a mitigation's id, the field's name.
    item: str
    sub: str
    field: str
    text: str
    #: What the field is, for the rules: "groups", "benefit", "risk", "mitigation", "maximise".
    slot: str


def texts(row: RowAnswer) -> list[RowText]:
    """Every field of the row with text in it, in the order the page shows them."""
    out: list[RowText] = []
    if not _blank(row.groups):
        out.append(RowText("groups affected", "", "", "groups", row.groups, "groups"))
    for n, benefit in enumerate(row.benefits, 1):
        if not _blank(benefit.text):
            out.append(RowText(f"benefit {n}", benefit.id, "", "text", benefit.text, "benefit"))
    for n, risk in enumerate(row.risks, 1):
        if not _blank(risk.text):
            out.append(RowText(f"risk {n}", risk.id, "", "text", risk.text, "risk"))
        for m, mitigation in enumerate(risk.mitigations, 1):
            if not _blank(mitigation.text):
                out.append(RowText(f"risk {n}, mitigation {m}", risk.id, mitigation.id, "text", mitigation.text,
                                   "mitigation"))
    if not _blank(row.maximise):
        out.append(RowText("how benefits will be maximised", "", "", "maximise", row.maximise, "maximise"))
    return out


def has_content(row: RowAnswer) -> bool:
    """Whether the row holds a benefit, a risk or a mitigation."""
    return any(not _blank(b.text) for b in row.benefits) or any(
        not _blank(r.text) or any(not _blank(m.text) for m in r.mitigations) for r in row.risks)


def has_answer(row: RowAnswer) -> bool:
    """Whether anything at all was answered in the row (moving a draft to a new template version
    reports the rows that would be left behind with answers in them)."""
    return bool(row.impact or row.groups.strip() or row.maximise.strip() or row.title.strip()
                or any(b.text.strip() for b in row.benefits) or row.risks)


# --- how the documents lay it out ---------------------------------------------------------------


class MitigationLine(NamedTuple):
    number: str  # "3.1": the risk's number and the mitigation's
    text: str
    owner: str
    target_date: str  # as stored: "YYYY-MM-DD" or "YYYY-MM"


class RiskLine(NamedTuple):
    number: int  # numbered through the section, as the template's "Risk 3"
    text: str
    mitigations: list[MitigationLine]
    key_risk: bool = False

    @property
    def label(self) -> str:
        """"Risk 3", or "Risk 3 (key risk)" for one the authors marked as key."""
        return f"Risk {self.number} (key risk)" if self.key_risk else f"Risk {self.number}"


class RowLayout(NamedTuple):
    """A row as the Word and Excel documents print it."""

    #: "yes" (an impact), "no" (N/A) or "" (not answered): only a "yes" row has the rest.
    impact: str
    groups: str
    benefits: list[tuple[int, str]]  # (number in the row, text)
    risks: list[RiskLine]
    maximise: str  # "" when there is none


def layout(row: RowAnswer, first_risk: int) -> tuple[RowLayout, int]:
    """The row laid out with its risks numbered from `first_risk`; and the next risk's number."""
    if row.impact != "yes":
        return RowLayout(row.impact if row.impact == "no" else "", "", [], [], ""), first_risk
    risks = []
    number = first_risk
    for risk in row.risks:
        risks.append(RiskLine(number, risk.text, [MitigationLine(f"{number}.{j}", m.text, m.owner, m.target_date)
                                                  for j, m in enumerate(risk.mitigations, 1)], risk.key_risk))
        number += 1
    benefits = [(i, b.text) for i, b in enumerate(row.benefits, 1)]
    return RowLayout("yes", row.groups, benefits, risks, row.maximise if row.maximise.strip() else ""), number


# --- words for its fields (history, conflicts, comparing revisions) ----------------------------

#: The row's fields and its items' fields, as people read them.
FIELD_WORDS = {
    "impact": "Is there an impact", "groups": "Which groups will be affected",
    "maximise": "How benefits will be maximised", "text": "Text", "owner": "Owner",
    "target_date": "Target date", "title": "Title", "question": "Question", "key_risk": "Key risk",
    "confidential": "Confidential",
}
#: What a stored value of its fields is, when not the text people read (cia/shape.py's `stores`).
STORES = {"impact": "impact", "target_date": "date"}
#: Its lists' items: "Risk 2", "Mitigation 1".
LIST_WORDS = {"benefits": "Benefit", "risks": "Risk", "mitigations": "Mitigation"}


# --- where a field is on its page ---------------------------------------------------------------

DATE_FIELDS = {"target_date"}


def _index(items: list[Any], ident: str) -> int | None:
    return next((i for i, item in enumerate(items) if item.id == ident), None)


def _leaf(prefix: str, field: str) -> str:
    return f"{prefix}{field}-day" if field in DATE_FIELDS else f"{prefix}{field}"


def field_id(row_index: int, row: RowAnswer, item: str, sub: str, field: str) -> str:
    """The id of the input on the section page for a place in the row (as the checker names it:
    a benefit's or risk's id, a mitigation's id, the field)."""
    prefix = f"rows-{row_index}-"
    if item:
        risk_index = _index(row.risks, item)
        if risk_index is not None:
            risk = row.risks[risk_index]
            prefix += f"risks-{risk_index}-"
            if sub:
                mitigation_index = _index(risk.mitigations, sub)
                if mitigation_index is not None:
                    return _leaf(f"{prefix}mitigations-{mitigation_index}-", field or "text")
            if field == "mitigations":  # the page always shows a box for a risk's first mitigation
                return f"{prefix}mitigations-0-text"
            return _leaf(prefix, field or "text")
        benefit_index = _index(row.benefits, item)
        if benefit_index is not None:
            return f"{prefix}benefits-{benefit_index}-{field or 'text'}"
    if field in ("", "row"):
        return f"rows-{row_index}-impact"
    if field in ("benefits", "risks") and not getattr(row, field):
        return f"rows-{row_index}-{field}"
    return _leaf(prefix, field)


def position(row: RowAnswer, item: str, sub: str, field: str) -> tuple[int, int, int]:
    """Where a place is in the row, in the order the page asks: whether there is an impact, the
    groups, each benefit, each risk with its mitigations, then how benefits will be maximised."""
    if item:
        risk = next((i for i, r in enumerate(row.risks) if r.id == item), None)
        if risk is not None:
            mitigations = row.risks[risk].mitigations
            mitigation = next((i for i, m in enumerate(mitigations) if m.id == sub), -1) if sub else -1
            return (3, risk, mitigation)
        benefit = next((i for i, b in enumerate(row.benefits) if b.id == item), len(row.benefits))
        return (2, benefit, 0)
    order = {"": 0, "row": 0, "impact": 0, "groups": 1, "benefits": 2, "risks": 3, "maximise": 4}
    return (order.get(field, 5), 0, 0)


# --- its JSON Schema -----------------------------------------------------------------------------

_ID = {"$ref": "#/$defs/key", "description": "Stable id."}

#: The stored row's JSON Schema definitions, added to the assessment format's schema.
SCHEMA_DEFS: dict[str, dict[str, Any]] = {
    "Mitigation": {
        "type": "object", "description": "A mitigation or recommendation for one risk.",
        "additionalProperties": False,
        "properties": {
            "id": _ID,
            "text": {"$ref": "#/$defs/text", "description": "The mitigation."},
            "owner": {"$ref": "#/$defs/text", "description": "Who will do it."},
            "target_date": {"$ref": "#/$defs/text", "description": "By when."},
        },
    },
    "Risk": {
        "type": "object", "description": "A risk and its mitigations.", "additionalProperties": False,
        "properties": {
            "id": _ID,
            "text": {"$ref": "#/$defs/text", "description": "The risk."},
            "key_risk": {"type": "boolean",
                         "description": "true when the authors mark it as a key risk: the Checklist and Executive "
                                        "Summary lists the key risks of each section. Missing means false."},
            "mitigations": {"type": "array", "maxItems": 30, "items": {"$ref": "#/$defs/Mitigation"},
                            "description": "Mitigations of this risk."},
        },
    },
    "Benefit": {
        "type": "object", "description": "A benefit.", "additionalProperties": False,
        "properties": {"id": _ID, "text": {"$ref": "#/$defs/text", "description": "The benefit."}},
    },
    "RowAnswer": {
        "type": "object", "description": "The answers for one category area, or for a row the authors added.",
        "additionalProperties": False,
        "properties": {
            "key": {"$ref": "#/$defs/key",
                    "description": "The category area's key in the template, or \"own-<id>\" for an added row."},
            "custom": {"type": "boolean", "description": "True for a row the authors added."},
            "title": {"$ref": "#/$defs/text",
                      "description": "Title of an added row (template rows take the template's title)."},
            "question": {"$ref": "#/$defs/text", "description": "Question of an added row."},
            "impact": {"$ref": "#/$defs/yesNo", "description": "\"yes\" impact identified, \"no\" N/A, \"\" not answered."},
            "groups": {"$ref": "#/$defs/text", "description": "Which groups will be affected."},
            "benefits": {"type": "array", "maxItems": 50, "items": {"$ref": "#/$defs/Benefit"},
                         "description": "Benefits."},
            "risks": {"type": "array", "maxItems": 50, "items": {"$ref": "#/$defs/Risk"},
                      "description": "Risks, each with its mitigations."},
            "maximise": {"$ref": "#/$defs/text",
                         "description": "How the benefits will be maximised, and any trade-offs."},
            "confidential": {"type": "boolean",
                             "description": "true when the authors mark the row confidential: the public version of "
                                            "each export withholds its answers. Missing means false."},
        },
    },
}
