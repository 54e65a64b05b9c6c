"""The impact row kind: what the checker reads in a row, how the documents number it, its column
labels, where its fields are on the page, and its JSON Schema."""

from __future__ import annotations

import json

import jsonschema

from cia import jsonformat
from cia.domain import Benefit, ColumnGuidance, Mitigation, Risk, RowAnswer, SectionSpec, TemplateSpec
from cia.kinds import impact_row


def _row() -> RowAnswer:
    return RowAnswer(
        key="transport", impact="yes", groups="Older people",
        benefits=[Benefit(id="b1", text="Fewer journeys"), Benefit(id="b2", text="  ")],
        risks=[Risk(id="r1", text="Longer waits", mitigations=[
                   Mitigation(id="m1", text="Extra buses", owner="Transport lead", target_date="2027-03-01"),
                   Mitigation(id="m2", text="")]),
               Risk(id="r2", text="", mitigations=[Mitigation(id="m3", text="Review in a year")])],
        maximise="Publicise the new routes")


def test_texts_are_every_field_with_text_in_page_order_with_where_it_is():
    found = [(t.words, t.item, t.sub, t.field, t.slot) for t in impact_row.texts(_row())]
    assert found == [
        ("groups affected", "", "", "groups", "groups"),
        ("benefit 1", "b1", "", "text", "benefit"),
        ("risk 1", "r1", "", "text", "risk"),
        ("risk 1, mitigation 1", "r1", "m1", "text", "mitigation"),
        ("risk 2, mitigation 1", "r2", "m3", "text", "mitigation"),
        ("how benefits will be maximised", "", "", "maximise", "maximise"),
    ]


def test_a_row_has_content_while_a_benefit_risk_or_mitigation_holds_text():
    row = _row()
    assert impact_row.has_content(row)
    row.benefits, row.risks = [], []
    assert not impact_row.has_content(row)
    assert impact_row.has_answer(row)  # its impact and groups are answers
    assert not impact_row.has_answer(RowAnswer(key="x"))


def test_layout_numbers_risks_through_the_section_and_mitigations_under_their_risk():
    laid, next_number = impact_row.layout(_row(), 4)
    assert next_number == 6
    assert [r.number for r in laid.risks] == [4, 5]
    assert [m.number for m in laid.risks[0].mitigations] == ["4.1", "4.2"]
    assert laid.risks[0].mitigations[0].owner == "Transport lead"
    assert laid.benefits[0] == (1, "Fewer journeys")
    assert laid.maximise == "Publicise the new routes"


def test_an_na_or_unanswered_row_lays_out_as_its_state_and_keeps_the_numbering():
    for impact, shown in (("no", "no"), ("", ""), ("maybe", "")):
        laid, next_number = impact_row.layout(RowAnswer(key="x", impact=impact, risks=[Risk(text="kept")]), 3)
        assert (laid.impact, laid.risks, next_number) == (shown, [], 3)


def test_headers_use_the_templates_words_and_the_defaults_for_what_it_leaves_out():
    template = TemplateSpec(columns=[ColumnGuidance(key="risks", label="Risks and harms")])
    spec = SectionSpec(row_label_header="Protected characteristic:")
    assert impact_row.headers(template, spec) == [
        "Protected characteristic", "Which groups will be affected", "Benefits", "Risks and harms",
        "Mitigations / Recommendations"]
    assert impact_row.headers(template, SectionSpec())[0] == "Category area"
    assert impact_row.column_labels(template)["risks"] == "Risks and harms"


def test_field_ids_are_the_inputs_the_section_page_gives_each_place():
    row = _row()
    assert impact_row.field_id(2, row, "r1", "m1", "text") == "rows-2-risks-0-mitigations-0-text"
    assert impact_row.field_id(2, row, "r1", "m1", "target_date") == "rows-2-risks-0-mitigations-0-target_date-day"
    assert impact_row.field_id(2, row, "r2", "", "mitigations") == "rows-2-risks-1-mitigations-0-text"
    assert impact_row.field_id(2, row, "b1", "", "text") == "rows-2-benefits-0-text"
    assert impact_row.field_id(2, row, "", "", "") == "rows-2-impact"
    assert impact_row.field_id(2, row, "", "", "groups") == "rows-2-groups"
    assert impact_row.field_id(2, RowAnswer(key="x"), "", "", "risks") == "rows-2-risks"
    assert impact_row.field_id(2, row, "gone", "", "text") == "rows-2-text"


def test_the_row_schema_comes_from_the_kind_and_checks_stored_rows():
    with open(jsonformat.__file__.replace("jsonformat.py", "schema/assessment.schema.json"), encoding="utf-8") as fh:
        on_file = json.load(fh)
    assert "RowAnswer" not in on_file["$defs"]  # declared once, by the kind
    schema = jsonformat.schema()
    assert schema["$defs"]["RowAnswer"] == impact_row.SCHEMA_DEFS["RowAnswer"]
    row_schema = {**schema, "$ref": "#/$defs/RowAnswer"}
    row_schema.pop("properties", None), row_schema.pop("required", None)
    row_schema["additionalProperties"] = True
    validator = jsonschema.Draft202012Validator(row_schema)
    assert not list(validator.iter_errors(_row().to_dict()))
    assert list(validator.iter_errors({**_row().to_dict(), "colour": "red"}))
