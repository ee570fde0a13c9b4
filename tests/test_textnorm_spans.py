"""NormText: folded spans map to raw spans and back."""
from __future__ import annotations

import pytest

from pipeline.textnorm import NormText


@pytest.mark.parametrize("raw, piece", [
    ("稲田防衛大臣とカーター米国防長官", "カーター"),
    ("１６（平成２８）年９月にﾏﾃｨｽ米国防長官", "ﾏﾃｨｽ"),
    ("１６（平成２８）年９月にﾏﾃｨｽ米国防長官", "（平成２８）"),
    ("㍻28年、マティス", "マティス"),
])
def test_textnorm_folded_span_inverts_raw_span(raw, piece):
    norm = NormText.of(raw, 100)
    a = raw.index(piece) + 100
    b = a + len(piece)
    span = norm.folded_span(a, b)
    assert span is not None
    assert norm.raw_span(*span) == (a, b)
    assert norm.raw_text(*span) == piece


def test_textnorm_folded_span_none_inside_a_folded_character():
    norm = NormText.of("ﾏﾃｨｽ")  # ﾃ and ｨ are separate; no half of a character is a boundary
    assert norm.folded_span(0, 1) == (0, 1)
    assert NormText.of("ガ").folded_span(0, 1) == (0, 1)
    assert NormText.of("ｶﾞ").folded_span(0, 1) is None  # ｶﾞ folds to one ガ spanning both raw characters


def test_textnorm_boundaries_are_folded_indices():
    norm = NormText.of("㍻28年")  # ㍻ folds to 平成: two folded characters from one raw character
    assert norm.text == "平成28年"
    assert norm.boundaries({0, 1, 3}) == {0, 1, 2, 4}
