"""Things that are not venues: every line of tests/negatives/venues.txt yields no venue row."""
from __future__ import annotations

from pathlib import Path

import pytest

NEGATIVES = Path(__file__).resolve().parent / "negatives" / "venues.txt"
LINES = [line for line in NEGATIVES.read_text(encoding="utf-8").splitlines()
         if line.strip() and not line.startswith("#")]


def test_negatives_file_is_large_enough():
    assert len(LINES) >= 20


@pytest.mark.parametrize("text", LINES)
def test_not_a_venue(run_text, text):
    doc = run_text(text)
    assert [(v.text, v.rule) for v in doc.venues] == []
