"""MeCab tokens through fugashi + unidic-lite, with raw offsets.

MeCab reads the folded text of each sentence (`NormText`), in chunks it can take;
each node's fields are copied out at once (fugashi nodes go stale on the next call).
"""
from __future__ import annotations

from dataclasses import replace

from ..document import Document, Token
from ..textnorm import NormText

CHUNK = 2000  # characters per MeCab call; chunks end after punctuation or whitespace where possible


def _field(value) -> str:
    return "" if value in (None, "*") else str(value)


def chunks(text: str, size: int = CHUNK) -> list[tuple[int, int]]:
    """Split text into spans of at most `size` characters, preferring breaks after 、。 or spaces."""
    out, begin = [], 0
    while len(text) - begin > size:
        cut = begin + size
        for k in range(cut, begin + size // 2, -1):
            if text[k - 1] in "、。,. \n」)":
                cut = k
                break
        out.append((begin, cut))
        begin = cut
    if begin < len(text):
        out.append((begin, len(text)))
    return out


class Tokenizer:
    """One MeCab tagger (unidic-lite); `__call__(doc)` adds the tokens of every sentence."""

    def __init__(self):
        import fugashi
        import unidic_lite

        self.tagger = fugashi.Tagger(f'-d "{unidic_lite.DICDIR}"')
        self.version = f"fugashi+unidic-lite-{getattr(unidic_lite, '__version__', '1')}"

    def analyse(self, text: str) -> list[tuple[int, int, str, str, str, str, str, str]]:
        """(start, end, surface, lemma, pos1, pos2, pos3, pos4, reading) over folded text."""
        rows = []
        for a, b in chunks(text):
            piece = text[a:b]
            cursor = 0
            for node in self.tagger(piece):
                surface = node.surface
                if not surface:
                    continue
                found = piece.find(surface, cursor)
                if found < 0:
                    continue
                f = node.feature
                lemma = "" if node.is_unk else _field(getattr(f, "lemma", None))
                reading = "" if node.is_unk else _field(getattr(f, "kana", None))
                rows.append((a + found, a + found + len(surface), lemma, _field(f.pos1), _field(f.pos2),
                             _field(f.pos3), _field(f.pos4), reading))
                cursor = found + len(surface)
        return rows

    def __call__(self, doc: Document) -> Document:
        tokens: list[Token] = []
        for sent in doc.sentences:
            norm = NormText.of(sent.text, sent.start)
            for a, b, lemma, p1, p2, p3, p4, reading in self.analyse(norm.text):
                ra, rb = norm.raw_span(a, b)
                tokens.append(Token(len(tokens) + 1, sent.block_id, sent.sentence_id, ra, rb,
                                    doc.text[ra:rb], lemma, p1, p2, p3, p4, reading))
        return replace(doc, tokens=tuple(tokens))
