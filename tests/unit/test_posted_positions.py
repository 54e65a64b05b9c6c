"""The index of list positions in posted names (cia/formfields.py `posted_positions`), which every
list on a posted page is read by: what counts as a position, and under which list it is found."""

from __future__ import annotations

from cia.formfields import posted_positions


def test_each_list_gets_the_positions_posted_for_it_in_order():
    names = ["version", "rows-1-key", "rows-0-key", "rows-0-risks-2-text", "rows-0-risks-0-text",
             "rows-0-risks-0-mitigations-1-target_date-day", "rows-0-risks-0-mitigations-1-target_date-month",
             "rows-1-risks-0-id"]
    assert posted_positions(names, "-") == {
        "rows": [0, 1], "rows-0-risks": [0, 2], "rows-0-risks-0-mitigations": [1], "rows-1-risks": [0]}


def test_only_whole_parts_of_one_to_six_ascii_digits_after_the_first_are_positions():
    names = ["3-text",              # the first part is a name, never a position
             "a-1234567-text",      # seven digits: too long
             "b-²-text", "c-٣-text",  # digits, but not ASCII ones
             "d-12x-text", "e--4", "f-0012", "g-5-", "h-999999"]
    assert posted_positions(names, "-") == {"e-": [4], "f": [12], "g": [5], "h": [999999]}


def test_a_position_of_a_list_inside_an_item_is_the_inner_lists_alone():
    assert posted_positions(["a-1-b-2-c-3"], "-") == {"a": [1], "a-1-b": [2], "a-1-b-2-c": [3]}
    assert posted_positions(["a__1__b__2", "a__1__b__0"], "__") == {"a": [1], "a__1__b": [0, 2]}
