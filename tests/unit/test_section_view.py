"""A category area's state for the contents list, and what a row marked N/A leaves unasked."""

from __future__ import annotations

from cia.web import section_view


def test_area_states():
    assert section_view.area_state({"key": "a"}, False) == "not_started"
    assert section_view.area_state({"key": "a", "benefits": [{"id": "b1", "text": " "}]}, False) == "not_started"
    assert section_view.area_state({"key": "a", "groups": "Bus users"}, False) == "in_progress"
    assert section_view.area_state({"key": "a", "risks": [{"id": "r", "mitigations": [{"text": "x"}]}]},
                                   False) == "in_progress"
    assert section_view.area_state({"key": "a", "impact": "yes"}, True) == "in_progress"
    assert section_view.area_state({"key": "a", "impact": "yes", "groups": "Bus users"}, False) == "completed"
    assert section_view.area_state({"key": "a", "impact": "no", "groups": "Kept"}, True) == "not_applicable"


def test_an_na_rows_messages_are_dropped_and_no_other():
    values = {"rows": [{"key": "a", "impact": "no"}, {"key": "b", "impact": "yes"}]}
    errors = {"rows-0-benefits-0-text": ["too long"], "rows-0-risks-1-mitigations-0-target_date-month": ["13"],
              "rows-0-groups": ["too long"], "rows-0-impact": ["choose"], "rows-1-groups": ["too long"],
              "rows-10-groups": ["too long"], "version": ["stale"]}
    section_view.drop_unasked_messages(values, errors)
    assert sorted(errors) == ["rows-0-impact", "rows-1-groups", "rows-10-groups", "version"]


def test_an_na_row_keeps_its_stored_answers_and_a_new_one_gets_empty_ones():
    stored = [{"key": "a", "impact": "yes", "groups": "Stored", "benefits": [{"id": "b1", "text": "Kept"}],
               "risks": [], "maximise": "More"}]
    posted = [{"key": "a", "impact": "no", "groups": "Typed", "benefits": [], "risks": [{"text": "x"}],
               "maximise": ""},
              {"key": "b", "impact": "no", "groups": "Typed", "benefits": [{"text": "y"}]},
              {"key": "c", "impact": "yes", "groups": "Asked"}]
    section_view.keep_stored_answers(posted, stored)
    assert posted[0] == {**stored[0], "impact": "no"}
    assert posted[1] == {"key": "b", "impact": "no", "groups": "", "benefits": [], "risks": [], "maximise": ""}
    assert posted[2] == {"key": "c", "impact": "yes", "groups": "Asked"}
    posted[1]["benefits"].append({"text": "z"})  # each row its own list
    assert section_view.ANSWER_FIELDS["benefits"] == []
