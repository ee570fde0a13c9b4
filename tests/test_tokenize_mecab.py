"""MeCab's tokens as the tokenize stage reads them from MeCab's own output lines (one line per
node): surfaces at their offsets, the fields of known and unknown words, and texts whose
characters could break a line-per-node reading (tab, newline, the word EOS)."""
from __future__ import annotations

import pytest

from pipeline.stages.tokenize import Tokenizer


@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    return Tokenizer()


def _surfaces(text: str, rows) -> list[str]:
    return [text[a:b] for a, b, *_ in rows]


def test_known_words_have_their_dictionary_fields(tok):
    text = "防衛大臣は会談した。"
    rows = tok.analyse(text)
    assert _surfaces(text, rows) == ["防衛", "大臣", "は", "会談", "し", "た", "。"]
    kaidan = rows[3]
    assert kaidan[2:] == ("会談", "名詞", "普通名詞", "サ変可能", "", "カイダン")
    assert rows[2][3] == "助詞"  # は: a particle


def test_an_unknown_word_has_parts_of_speech_but_no_lemma_or_reading(tok):
    text = "ＸＹＺＺＹは来日"
    rows = tok.analyse(text)
    assert _surfaces(text, rows) == ["ＸＹＺＺＹ", "は", "来日"]
    assert rows[0][3] == "名詞" and rows[0][2] == "" and rows[0][7] == ""  # MeCab does not know it
    assert rows[2][2] == "来日" and rows[2][7] == "ライニチ"


@pytest.mark.parametrize("text, expected", [
    ("日米\t会談", ["日米", "会談"]),
    ("日米\n会談", ["日米", "会談"]),
    ("EOSとは会談", ["EOS", "と", "は", "会談"]),
])
def test_tabs_newlines_and_the_word_eos_keep_every_token_and_offset(tok, text, expected):
    rows = tok.analyse(text)
    assert _surfaces(text, rows) == expected
    assert all(0 <= a < b <= len(text) for a, b, *_ in rows)


def test_long_text_is_read_in_chunks_without_losing_offsets(tok):
    text = "防衛大臣は会談した。" * 500  # 5,000 characters: three MeCab calls
    rows = tok.analyse(text)
    assert len(rows) == 7 * 500
    assert _surfaces(text, rows)[-7:] == ["防衛", "大臣", "は", "会談", "し", "た", "。"]
    assert rows[-1][:2] == (len(text) - 1, len(text))
