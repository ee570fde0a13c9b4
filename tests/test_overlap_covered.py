"""`Covered`: whether a span overlaps any span of another kind (a venue candidate that is part of a
person mention is no venue), found by bisection; checked against the plain definition."""
from __future__ import annotations

import random

import pytest

from pipeline.overlap import Covered


@pytest.mark.parametrize("a, b, expected", [
    (0, 5, False),    # ends where the first span starts
    (3, 6, True),     # runs into [5, 9)
    (9, 10, False),   # between [5, 9) and [10, 30)
    (12, 13, True),   # inside the long span [10, 30)
    (30, 40, False),  # starts where the long span ends
    (15, 16, True),   # inside both [10, 30) and [14, 17)
])
def test_overlap_with_nested_and_touching_spans(a, b, expected):
    covered = Covered([(14, 17), (5, 9), (10, 30)])  # unsorted, one span inside another
    assert covered.overlaps(a, b) is expected


def test_no_spans_overlap_nothing():
    assert Covered([]).overlaps(0, 100) is False


def test_agrees_with_the_definition_on_random_spans():
    rng = random.Random(7)
    for _ in range(200):
        spans = [(x, x + rng.randint(1, 8)) for x in (rng.randint(0, 60) for _ in range(rng.randint(0, 12)))]
        covered = Covered(spans)
        for a in range(0, 70, 3):
            b = a + rng.randint(1, 6)
            assert covered.overlaps(a, b) == any(x < b and a < y for x, y in spans), (spans, a, b)
