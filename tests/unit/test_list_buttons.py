"""The lists' buttons (cia/web/editing.py `apply_action`), the one implementation both the authoring
pages and the template designer use: what each button does to form data, and what it says when it
cannot act."""

from __future__ import annotations

import pytest

from cia.web.editing import REPEATABLE, ActionError, ButtonWords, ListRule, apply_action

LISTS = {"areas": ListRule(lambda: {"key": "", "title": ""}, 3, "category areas to a section", movable=True),
         "notes": ListRule(lambda: {"id": "", "text": ""}, 5, "notes")}


def _data() -> dict:
    return {"areas": [{"key": "a", "title": "A"}, {"key": "b", "title": "B"}, {"key": "c", "title": "C"}],
            "notes": [{"id": "n1", "text": "One"}]}


def _keys(data: dict) -> list[str]:
    return [area["key"] for area in data["areas"]]


@pytest.mark.parametrize(("action", "order", "focus"), [
    ("up:areas-1", ["b", "a", "c"], "areas-0"),
    ("down:areas-1", ["a", "c", "b"], "areas-2"),
    ("up:areas-0", ["a", "b", "c"], "areas-0"),    # already first: nothing moves, focus stays on it
    ("down:areas-2", ["a", "b", "c"], "areas-2"),  # already last
])
def test_move_up_and_down_swap_neighbours_and_do_nothing_at_the_ends(action, order, focus):
    data = _data()
    assert apply_action(action, data, LISTS) == focus
    assert _keys(data) == order


def test_add_appends_a_blank_item_and_focuses_its_first_field_until_the_limit():
    data = _data()
    assert apply_action("add:notes", data, LISTS) == "notes-1-text"  # the first field after its id
    assert data["notes"][-1] == {"id": "", "text": ""}
    with pytest.raises(ActionError, match="^You can add up to 3 category areas to a section$"):
        apply_action("add:areas", data, LISTS)


def test_remove_takes_the_item_out_and_focuses_the_list():
    data = _data()
    assert apply_action("remove:areas-1", data, LISTS) == "areas"
    assert _keys(data) == ["a", "c"]


@pytest.mark.parametrize(("action", "message"), [
    ("sideways:areas-0", "That button is not recognised"),
    ("remove:", "That button is not recognised"),
    ("up:notes-0", "That button is not recognised"),           # a list whose items do not move
    ("remove:nothing-0", "That button is not recognised"),
    ("add:nothing", "That list cannot be added to"),
    ("remove:areas", "That item cannot be removed"),
    ("remove:areas-7", "That item has already been removed"),
    ("add:areas-9-notes", "That item is no longer on the page"),
    ("remove:areas-" + "1" * 7, "That button is not recognised"),  # no page has a millionth item
])
def test_a_button_that_cannot_act_changes_nothing_and_says_why(action, message):
    data = _data()
    with pytest.raises(ActionError) as refused:
        apply_action(action, data, LISTS)
    assert str(refused.value) == message
    assert data == _data()


def test_a_page_words_the_buttons_it_cannot_act_on_its_own_way():
    words = ButtonWords(unrecognised="Not recognised: try again", gone="No longer here")
    for action, message in [("sideways:areas-0", "Not recognised: try again"), ("remove:areas-7", "No longer here")]:
        with pytest.raises(ActionError, match=f"^{message}$"):
            apply_action(action, _data(), LISTS, words)


def test_buttons_reach_lists_inside_items_and_a_list_may_keep_items():
    data = {"rows": [{"key": "economy", "custom": "", "risks": []}, {"key": "own-1", "custom": "1", "risks": []}]}
    assert apply_action("add:rows-1-risks", data, REPEATABLE) == "rows-1-risks-0-text"
    assert data["rows"][1]["risks"][0]["mitigations"], "a new risk comes with a box for one mitigation"
    with pytest.raises(ActionError, match="^Only rows you added can be removed$"):
        apply_action("remove:rows-0", data, REPEATABLE)
    assert apply_action("remove:rows-1", data, REPEATABLE) == "rows"
    assert [row["key"] for row in data["rows"]] == ["economy"]


def test_a_remove_button_for_a_field_that_is_not_a_list_is_refused():
    data = {"decision_date": {"day": "1", "month": "2", "year": "2025"}}
    with pytest.raises(ActionError):
        apply_action("remove:decision_date-0", data, REPEATABLE)
    assert data == {"decision_date": {"day": "1", "month": "2", "year": "2025"}}
