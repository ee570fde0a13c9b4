"""Things that are not dates: every line of tests/negatives/dates.txt yields no date row."""
from __future__ import annotations

from pathlib import Path

import pytest

NEGATIVES = Path(__file__).resolve().parent / "negatives" / "dates.txt"
LINES = [line for line in NEGATIVES.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_negatives_file_is_large_enough():
    assert len(LINES) >= 20


@pytest.mark.parametrize("text", LINES)
def test_not_a_date(run_text, text):
    doc = run_text(text, doc_id="2020/negative")  # with an edition, so edition words (本年) would resolve
    assert [(d.text, d.value, d.rule) for d in doc.dates] == []
