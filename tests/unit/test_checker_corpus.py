"""The checker on the corpus (tests/corpus/): recall on planted defects, precision per rule, and
nothing flagged that must not be. `make bench` writes the same figures to docs/benchmarks.md."""

from __future__ import annotations

import pytest

from tests.corpus.corpus import MEASURED, TARGET_PRECISION, TARGET_RECALL, cases, load_template, score


@pytest.fixture(scope="module")
def corpus_score():
    return score()


def test_the_corpus_is_large_and_varied():
    found = cases(load_template())
    assert len(found) >= 20
    assert len({c.assessment.details.directorate for c in found}) >= 15
    assert len({c.council for c in found}) >= 20
    assert max(c.words for c in found) >= 2 * (sum(c.words for c in found) / len(found))  # some long ones
    planted = {d["rule"] for c in found for d in c.defects}
    assert planted >= set(MEASURED)
    assert sum(len(c.fine) for c in found) >= 100


def test_recall_on_planted_defects(corpus_score):
    total = corpus_score.total
    missed = [m for t in corpus_score.by_rule.values() for m in t.missed]
    assert total.recall >= TARGET_RECALL, missed


@pytest.mark.parametrize("rule", MEASURED)
def test_precision_of_each_rule(corpus_score, rule):
    tally = corpus_score.by_rule[rule]
    assert tally.precision >= TARGET_PRECISION, tally.false


def test_nothing_that_must_not_be_flagged_is(corpus_score):
    assert corpus_score.flagged_fine == []
