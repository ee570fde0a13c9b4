"""How predicates are matched, on texts and patterns written here: a lemma written as plain words is a
set look-up that agrees with the regex; quotations are found from their marks; the text around a match is
folded as NormText folds it; a match leaves no reference cycle behind (the cycle collector once ran every
few documents of an edition to free them)."""
from __future__ import annotations

import gc

import pytest
import regex

from pipeline.ruleset import literal_words
from pipeline.stages.clauses import TokenSpec, _compile_spec, match_tokens
from pipeline.textnorm import NormText, fold_text, quote_spans


@pytest.mark.parametrize(("pattern", "words"), [
    ("確認", {"確認"}),
    ("表明|表する|示す", {"表明", "表する", "示す"}),
    ("a b", {"a b"}),  # a space is a character like any other (no verbose flag)
    ("x|", {"x", ""}),  # an empty branch matches the empty lemma
])
def test_literal_words_of_plain_alternations(pattern, words):
    assert literal_words(pattern) == words
    for word in words:  # what fullmatch says, the set says
        assert regex.fullmatch(pattern, word, regex.V1) is not None


@pytest.mark.parametrize("pattern", ["確認.", "合意|一致(?!)", r"\d+", "(確認)", "[一二]致", "^確認$", "確認?", "",
                                     " 確認", "確認{1,2}", "(?i)abc", "a#b"])
def test_literal_words_refuses_every_other_pattern(pattern):
    assert literal_words(pattern) is None


class _Tok:
    """A token as the spec reads it (the clause stage reads these fields of `Token`)."""

    def __init__(self, text: str, lemma: str, pos1: str = "名詞"):
        self.text, self.lemma, self.pos1, self.start, self.end = text, lemma, pos1, 0, len(text)


@pytest.mark.parametrize(("spec", "lemma", "ok"), [
    (TokenSpec(lemma="確認|合意"), "合意", True),
    (TokenSpec(lemma="確認|合意"), "確認書", False),  # a whole lemma, not a prefix
    (TokenSpec(lemma="確認|合意", pos="動詞"), "確認", False),  # the other fields still count
    (TokenSpec(lemma="確認.*"), "確認書", True),  # a regex keeps its meaning
])
def test_a_spec_with_plain_words_agrees_with_its_regex(spec, lemma, ok):
    compiled = _compile_spec("test.rule", spec)
    assert (compiled.lemmas is not None) == (literal_words(spec.lemma) is not None)
    assert compiled.ok(lemma, _Tok(lemma, lemma)) is ok


@pytest.mark.parametrize(("text", "inside"), [
    ("大臣は「協力を強化する」旨述べた。", ["協力を強化する"]),
    ("「外の『内の』外」と「次」", ["外の『内の』外", "次"]),  # the outermost only
    ("「a「b」c」d", ["a「b」c"]),  # the same mark nested
    ("「閉じない", []), ("閉じる」だけ「」", [""]),  # a close with nothing open is no mark; empty quotes
    ("』「』」", ["』"]),  # a close of another pair inside is text
    ("引用なし", []),
])
def test_quote_spans_are_the_balanced_outermost_quotations(text, inside):
    assert [text[a:b] for a, b in quote_spans(text, ("「」", "『』"))] == inside
    assert quote_spans(text, ()) == []


@pytest.mark.parametrize("text", ["両閣僚は、一致した。", "ＡＢＣ１２３と半角ｶﾀｶﾅ", "ｶﾞｷﾞ", "①から⑳", "全角　空白と\tタブ",
                                  "～波", "ガ\u3099", "", "\x00"])
def test_fold_text_is_the_folded_text_of_normtext(text):
    assert fold_text(text) == NormText.of(text).text


def test_a_match_leaves_no_reference_cycle():
    specs = tuple(_compile_spec("test.rule", s) for s in (
        TokenSpec(lemma="確認"), TokenSpec(text="を", op="?"), TokenSpec(lemma="為る"), TokenSpec(lemma="た", op="*")))
    toks = tuple(_Tok(t, lemma) for t, lemma in (("確認", "確認"), ("し", "為る"), ("た", "た"), ("。", "。")))
    surfaces = [t.text for t in toks]
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        ends = [match_tokens(specs, surfaces, toks, 0, is_marker=[False] * 4) for _ in range(500)]
        assert gc.collect() == 0  # nothing unreachable was left for the cycle collector
    finally:
        if was:
            gc.enable()
    assert set(ends) == {3}
