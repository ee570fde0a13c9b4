"""Things that are not people: every line of tests/negatives/people.txt yields no person row."""
from __future__ import annotations

from pathlib import Path

import pytest

NEGATIVES = Path(__file__).resolve().parent / "negatives" / "people.txt"
LINES = [line for line in NEGATIVES.read_text(encoding="utf-8").splitlines()
         if line.strip() and not line.startswith("#")]


def test_negatives_file_is_large_enough():
    assert len(LINES) >= 20


@pytest.mark.parametrize("text", LINES)
def test_not_a_person(run_text, text):
    doc = run_text(text)
    assert [(p.text, p.rule) for p in doc.people] == []
