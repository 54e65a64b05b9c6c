"""History, conflicts and the comparison of revisions show what people wrote and chose: labels
for keys, dates as people write them, no internal ids, and a swap of one word for another as a swap."""

from __future__ import annotations

from cia.review.compare import compare_part
from cia.web.labels import show_value
from tests.factories import load_staffordshire


def test_keys_read_as_their_labels_and_dates_as_people_write_them():
    t = load_staffordshire()
    assert show_value("no", "section:psed", "rows[age].impact", t) == "No impact identified"
    assert show_value("yes", "section:psed", "rows[age].impact", t) == "Impact identified"
    assert show_value("2026-03-04", "details", "date", t) == "4 March 2026"
    assert show_value("2026-03", "details", "date", t) == "March 2026"
    assert show_value("2027-01-31", "section:psed", "rows[age].risks[r1].mitigations[m1].target_date", t) == "31 January 2027"
    assert show_value("cabinet", "details", "decision_route", t) == "Cabinet"
    assert show_value("yes", "team", "members[m1].has_team_role", t) == "Yes"
    assert show_value("data", "evidence:psed", "evidence.items[e1].kind", t) == "Data"
    assert show_value("no", "section:psed", "rows[age].groups", t) == "no"  # typed text stays as typed


def test_a_swapped_answer_reads_as_a_swap_not_as_words_run_together():
    t = load_staffordshire()
    [entry] = compare_part("section:psed", {"rows": [{"key": "age", "impact": "no"}]},
                           {"rows": [{"key": "age", "impact": "yes"}]}, t)
    assert (entry.old, entry.new, entry.words) == ("No impact identified", "Impact identified", None)


def test_an_added_risk_lists_its_answers_without_ids():
    t = load_staffordshire()
    old = {"rows": [{"key": "age", "impact": "yes", "risks": []}]}
    new = {"rows": [{"key": "age", "impact": "yes", "risks": [
        {"id": "ab12cd34ef", "text": "Longer waits", "mitigations": [
            {"id": "0f0f0f0f0f", "text": "Extra buses", "owner": "", "target_date": "2027-01-31"}]}]}]}
    [entry] = compare_part("section:psed", old, new, t)
    shown = " ".join(f"{label}: {value}" for label, value in entry.fields)
    assert "Longer waits" in shown and "Extra buses" in shown and "31 January 2027" in shown
    assert "ab12cd34ef" not in shown and "0f0f0f0f0f" not in shown
