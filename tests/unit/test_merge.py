"""The three-way merge of a part: what one side changed is kept; what both changed is a conflict."""

from __future__ import annotations

from cia.merge import UNKNOWN, merge, unit_of


def _row(key: str, groups: str = "", risks: list | None = None) -> dict:
    return {"key": key, "groups": groups, "risks": risks or []}


def test_changes_to_different_rows_are_both_kept():
    base = {"rows": [_row("a"), _row("b")], "completed": False}
    theirs = {"rows": [_row("a", "Theirs"), _row("b")], "completed": False}
    mine = {"rows": [_row("a"), _row("b", "Mine")], "completed": True}
    merged = merge(base, theirs, mine)
    assert merged.data == {"rows": [_row("a", "Theirs"), _row("b", "Mine")], "completed": True}
    assert merged.conflicts == [] and merged.kept_theirs == ["rows[a]"]


def test_the_same_row_changed_differently_is_a_conflict_settled_by_a_choice():
    base = {"rows": [_row("a"), _row("b")]}
    theirs = {"rows": [_row("a", "Theirs"), _row("b", "Theirs too")]}
    mine = {"rows": [_row("a", "Mine"), _row("b", "Theirs too")]}
    assert merge(base, theirs, mine).conflicts == ["rows[a]"]
    assert merge(base, theirs, mine).data["rows"][0]["groups"] == "Theirs"  # unsettled: theirs, nothing lost
    assert merge(base, theirs, mine, {"rows[a]": "mine"}).data["rows"][0]["groups"] == "Mine"
    assert merge(base, theirs, mine, {"rows[a]": "theirs"}).conflicts == []


def test_items_added_on_both_sides_are_all_kept_in_place():
    base = {"items": [{"id": "1", "text": "one"}, {"id": "2", "text": "two"}]}
    theirs = {"items": [*base["items"], {"id": "t", "text": "theirs"}]}
    mine = {"items": [base["items"][0], {"id": "m", "text": "mine"}, base["items"][1]]}
    assert [i["id"] for i in merge(base, theirs, mine).data["items"]] == ["1", "m", "2", "t"]


def test_an_item_removed_by_one_side_and_changed_by_the_other_is_asked_about():
    base = {"items": [{"id": "1", "text": "one"}, {"id": "2", "text": "two"}]}
    theirs = {"items": [{"id": "1", "text": "one, changed"}, {"id": "2", "text": "two"}]}
    mine = {"items": [{"id": "2", "text": "two"}]}
    assert merge(base, theirs, mine).conflicts == ["items[1]"]
    assert merge(base, theirs, mine, {"items[1]": "mine"}).data == mine
    removed_untouched = merge(base, base, mine)
    assert removed_untouched.data == mine and removed_untouched.conflicts == []


def test_a_reorder_by_one_side_is_kept():
    base = {"items": [{"id": "1"}, {"id": "2"}, {"id": "3"}]}
    mine = {"items": [{"id": "3"}, {"id": "1"}, {"id": "2"}]}
    theirs = {"items": [{"id": "1"}, {"id": "2", "text": "x"}, {"id": "3"}]}
    assert merge(base, theirs, mine).data["items"] == [{"id": "3"}, {"id": "1"}, {"id": "2", "text": "x"}]


def test_without_a_base_every_difference_is_asked_about():
    theirs = {"rows": [_row("a", "Theirs"), _row("b")], "summary": "same"}
    mine = {"rows": [_row("a", "Mine"), _row("b", "Mine")], "summary": "same"}
    assert merge(UNKNOWN, theirs, mine).conflicts == ["rows[a]", "rows[b]"]


def test_units_are_rows_items_and_questions():
    assert unit_of("rows[transport].risks[ab12].text") == "rows[transport]"
    assert unit_of("evidence.items[x1].text") == "evidence.items[x1]"
    assert unit_of("answers.budget") == "answers.budget"
    assert unit_of("summary") == "summary"
