"""Bad input on the confidential boxes of the evidence, engagement, questions and Community Impact
pages: any value of a box is read as ticked or not (as WTForms reads a checkbox: only "" and "false"
are not ticked), a box for something that is not on the page marks nothing, and no post is a 500.
A refused post explains itself and changes nothing saved.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests.helpers import page_fields, stored_part
from tests.integration.bad_input_support import (
    HOSTILE,
    ODD_INDICES,
    assert_explained,
    assert_never_broken,
    examples,
)
from tests.integration.test_confidential_answers import assessment_with_answers

#: page -> (its boxes, boxes no page of this assessment has, the stored part, its marks as stored)
PAGES = {
    "sections/equality/evidence": (
        ["items-0-confidential", "items-1-confidential"],
        [f"items-{i}-confidential" for i in ODD_INDICES] + ["items-7-confidential"],
        "evidence:equality", lambda part: [i["confidential"] for i in part["evidence"]["items"]]),
    "engagement": (
        ["activities-0-confidential", "activities-1-confidential"],
        [f"activities-{i}-confidential" for i in ODD_INDICES] + ["activities-9-confidential"],
        "engagement", lambda part: [a["confidential"] for a in part["activities"]]),
    "sections/ways_of_working/questions": (
        ["confidential-long_term", "confidential-prevention"],
        ["confidential-", "confidential-no_such_question", "confidential-long_term-0", "confidential-strategic_decision"],
        "questions:ways_of_working",
        lambda part: [part["confidential"].get("long_term", False), part["confidential"].get("prevention", False)]),
    "community-impact": (
        ["confidential_equalities_legal", "confidential_risk"],
        ["confidential_", "confidential_confidential", "confidential_no_such_paragraph", "confidential-risk"],
        "community_impact",
        lambda part: [part["confidential"].get("equalities_legal", False), part["confidential"].get("risk", False)]),
}

BOX_VALUES = st.one_of(st.sampled_from(["yes", "", "false", "False", "no", "0", "off", "y", "true"]), HOSTILE)


def _ticked(values: list[str]) -> bool:
    """As WTForms reads a checkbox: the first value posted, unless it is "" or "false"."""
    return bool(values) and values[0] not in ("", "false")


@pytest.fixture
def answered(app, users, author) -> int:
    return assessment_with_answers(app, users, marked=False)


def _without_marks(part: dict) -> dict:
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("confidential", "version")}
        return [strip(v) for v in value] if isinstance(value, list) else value

    return strip(part)


@pytest.mark.parametrize("page", list(PAGES))
@examples(12)
@given(data=st.data())
def test_any_value_of_a_box_is_ticked_or_not_and_nothing_else_changes(app, author, answered, page, data):
    boxes, forged, part, marks = PAGES[page]
    url = f"/assessments/{answered}/{page}"
    # Saved once as shown first: the first save stores what the page shows (drafted paragraphs,
    # questions left blank), which is not the box's doing.
    assert author.post(url, data={**page_fields(author.get(url).get_data(as_text=True)), "submit": "later"}
                       ).status_code == 302
    html = author.get(url).get_data(as_text=True)
    fields = {k: v for k, v in page_fields(html).items() if k not in boxes}
    posted: dict[str, list[str]] = {box: data.draw(st.lists(BOX_VALUES, max_size=2), label=box) for box in boxes}
    extra = data.draw(st.lists(st.tuples(st.sampled_from(forged), BOX_VALUES), max_size=2), label="forged boxes")
    pairs = [*fields.items(), *((box, v) for box, values in posted.items() for v in values), *extra,
             ("submit", "later")]
    with app.app_context():
        before = stored_part(answered, part)
    response = author.post(url, data=MultiDict(pairs))
    assert_never_broken(response, (200, 302))
    with app.app_context():
        after = stored_part(answered, part)
    if response.status_code == 200:
        assert_explained(response)
        assert after == before, "a refused save changed what was saved"
        return
    assert marks(after) == [_ticked(posted[box]) for box in boxes]
    assert _without_marks(after) == _without_marks(before), "a box changed something else"
