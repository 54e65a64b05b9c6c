"""Bad input to the designer's condition page: generated data never gives a 500; a refusal explains
itself in the error summary and changes nothing that was saved; what is accepted is saved exactly as
chosen (the question, and that question's answers only)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from cia import templateformat
from cia.domain import Condition
from cia.kinds.base import options_of
from tests.integration.bad_input_support import (
    HOSTILE,
    assert_explained,
    assert_never_broken,
    examples,
)
from tests.integration.designer_support import spec
from tests.integration.test_bad_input_designer import designer_state
from tests.integration.test_designer_conditions import admin, draft, url  # noqa: F401 - fixtures

#: (target, key, where the saved condition is read from)
TARGETS = [
    ("section", "characteristics", lambda s: s.section("characteristics").show_if),
    ("question", "why_not_needed", lambda s: s.question("why_not_needed").show_if),
    ("end", "screening", lambda s: s.section("screening").end_if),
    ("step", "decision-maker", lambda s: next(x for x in s.signoff_steps if x.key == "decision-maker").show_if),
    ("page", "staff", lambda s: next(p for p in s.standard_pages if p.key == "staff").show_if),
]
#: Question keys of every sort: earlier, later, the target itself, free text, none, a list's own.
KEYS = ["full_assessment_needed", "why_not_needed", "outcome", "age", "disability", "proposal_summary",
        "justification", "actions", "gone", ""]


@pytest.mark.parametrize("target, key, stored", TARGETS, ids=[t[0] for t in TARGETS])
@examples(15)
@given(data=st.data())
def test_the_condition_page_saves_what_was_chosen_or_refuses_with_a_message(app, admin, draft, target, key,  # noqa: F811
                                                                            stored, data):
    page = url(draft, target, key)
    before_spec = spec(app, draft)
    depends_on = data.draw(st.sampled_from(KEYS) if data.draw(st.integers(0, 3), label="typed") else HOSTILE,
                           label="depends on")
    pairs = [("spec_hash", templateformat.spec_hash(before_spec)), ("depends_on", depends_on), ("submit", "save")]
    answered = data.draw(st.lists(st.sampled_from(KEYS[:-1]), max_size=3), label="answered")
    if depends_on in KEYS[:-1] and data.draw(st.integers(0, 3), label="answers the question chosen") > 0:
        answered.append(depends_on)  # mostly: what a person could choose
    for question_key in answered:
        question = before_spec.question(question_key)
        known = [o.key for o in options_of(question, before_spec)] if question else []
        possible = st.sampled_from(known or ["x"])
        values = data.draw(st.one_of(st.lists(possible, min_size=1, max_size=3, unique=True),
                                     st.lists(st.one_of(possible, HOSTILE), max_size=3)), label="values")
        pairs += [(f"answers_{question_key}", value) for value in values]
    if data.draw(st.integers(0, 6), label="stale") == 0:
        pairs = [(k, "stale" if k == "spec_hash" else v) for k, v in pairs]
    if data.draw(st.booleans(), label="twice"):
        pairs.append(("depends_on", data.draw(HOSTILE, label="second")))
    before = designer_state(app)
    response = admin.post(page, data=MultiDict(pairs))
    assert_never_broken(response, (200, 302, 409))
    if response.status_code == 302:
        chosen = next(v for k, v in pairs if k == "depends_on")
        expected = Condition(chosen, list(dict.fromkeys(v for k, v in pairs if k == f"answers_{chosen}"))) if chosen else Condition()
        after = spec(app, draft)
        assert stored(after) == expected
        assert templateformat.structure_problems(after) == []
        return
    assert designer_state(app) == before, "a refused request changed saved data"
    assert_explained(response)
