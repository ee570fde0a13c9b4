"""MeCab tokens through fugashi + unidic-lite, with raw offsets.

MeCab reads the folded text of each sentence (`NormText`), in chunks it can take;
each node's fields are copied out at once (fugashi nodes go stale on the next call).
With a cache folder, each sentence's analysis is cached by its folded text (see
`pipeline.cache`), keyed also by the fugashi/unidic-lite versions and the chunk size.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from sys import intern

from ..cache import DocCache, content_key, memoized
from ..document import Document, Token
from ..textnorm import NormText
from . import stage

NODE_FORMAT = r"%m\t%s\t%f[0]\t%f[1]\t%f[2]\t%f[3]\t%f[7]\t%f[17]\n"
UNK_FORMAT = r"%m\t%s\t%f[0]\t%f[1]\t%f[2]\t%f[3]\n"
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


def _valid_rows(value) -> bool:
    """A cached analysis: a list of [start, end, lemma, pos1, pos2, pos3, pos4, reading]."""
    return isinstance(value, list) and all(
        isinstance(r, list) and len(r) == 8 and type(r[0]) is int and type(r[1]) is int and 0 <= r[0] < r[1]
        and all(isinstance(f, str) for f in r[2:]) for r in value)


@stage("tokenize", requires=("text", "sentences"), assigns=("tokens",), cached=True)
class Tokenizer:
    """One MeCab tagger (unidic-lite); `__call__(doc)` adds the tokens of every sentence."""

    def __init__(self, rules=None, *, cache_dir: Path | None = None):  # reads no rule file
        import importlib.metadata as meta

        import fugashi
        import unidic_lite

        # MeCab writes each node as one line of the fields we keep (a Python object per node and its
        # 26 parsed features cost three times MeCab's own time): surface, status (1: unknown word),
        # pos1-4, lemma, kana; an unknown word has only the parts of speech
        self.tagger = fugashi.Tagger(f'-d "{unidic_lite.DICDIR}" -O "" -F "{NODE_FORMAT}" -U "{UNK_FORMAT}" -E "EOS\\n"')
        info = self.tagger.dictionary_info[0] if self.tagger.dictionary_info else {}
        self.version = (f"fugashi-{meta.version('fugashi')}+unidic-lite-{meta.version('unidic-lite')}"
                        f"+dic{info.get('version', '?')}-{info.get('size', '?')}+chunk{CHUNK}+rows1")
        self.cache = DocCache(cache_dir, "tokens", self.version) if cache_dir is not None else None

    def analyse(self, text: str) -> list[tuple[int, int, str, str, str, str, str, str]]:
        """(start, end, lemma, pos1, pos2, pos3, pos4, reading) over folded text."""
        rows = []
        for a, b in chunks(text):
            piece = text[a:b]
            if any(c in piece for c in "\t\n\r\0"):  # a line of MeCab's output is one node: keep it so
                piece = "".join(" " if c in "\t\n\r\0" else c for c in piece)
            cursor = 0
            for line in self.tagger.parse(piece).split("\n"):
                surface, status, p1, p2, p3, p4, lemma, reading = (line.split("\t") + [""] * 7)[:8]
                if not surface or line == "EOS":
                    continue
                found = piece.find(surface, cursor)
                if found < 0:
                    continue
                if status == "1":  # an unknown word has no lemma or reading
                    lemma = reading = ""
                rows.append((a + found, a + found + len(surface), _field(lemma), _field(p1), _field(p2),
                             _field(p3), _field(p4), _field(reading)))
                cursor = found + len(surface)
        return rows

    def __call__(self, doc: Document) -> Document:
        norms = [NormText.of(sent.text, sent.start) for sent in doc.sentences]
        analyses = memoized(self.cache, doc.doc_id, [content_key(n.text) for n in norms],
                            lambda todo: [self.analyse(norms[i].text) for i in todo], _valid_rows)
        tokens: list[Token] = []
        for sent, norm, rows in zip(doc.sentences, norms, analyses):
            if any(r[1] > len(norm.text) for r in rows):
                rows = self.analyse(norm.text)  # an entry that does not fit its text: recompute
            for a, b, lemma, p1, p2, p3, p4, reading in rows:
                ra, rb = norm.raw_span(a, b)
                # the fields repeat (particles, parts of speech): one string object each, so that tokens take
                # less memory and the stage cache stores and restores each value once per document
                tokens.append(Token(len(tokens) + 1, sent.block_id, sent.sentence_id, ra, rb,
                                    intern(doc.text[ra:rb]), intern(lemma), intern(p1), intern(p2), intern(p3),
                                    intern(p4), intern(reading)))
        return replace(doc, tokens=tuple(tokens))
