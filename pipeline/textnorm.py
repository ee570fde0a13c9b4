"""A normalised view of a piece of raw text that maps every index back to the raw text.

Stages match on `NormText.text` (NFKC-folded: full-width digits, ASCII and brackets
become half-width, half-width katakana become full-width, ideographic spaces and
stray NUL characters become spaces) and report raw spans with `NormText.raw_span`.
Circled numbers (①) are kept as written so they never turn into digits. This is the only place text is normalised.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

_KEEP = {chr(c) for c in range(0x2460, 0x24FF + 1)} | {chr(c) for c in range(0x3251, 0x325F + 1)} | {
    chr(c) for c in range(0x32B1, 0x32BF + 1)}
_EXTRA = {"~": "〜", "～": "〜", "\u3000": " ", "\t": " ", "\u00a0": " ", "\x00": " "}  # NUL: a stray byte
_COMBINING_MARKS = {"\uff9e", "\uff9f", "\u3099", "\u309a"}
_SPECIAL = frozenset(_EXTRA) | frozenset(_COMBINING_MARKS) | frozenset(_KEEP)  # never folded as plain NFKC
_SPECIAL_CHAR = re.compile("[" + "".join(map(re.escape, sorted(_SPECIAL))) + "]")  # finds one faster than a set


@lru_cache(maxsize=1 << 16)
def fold_char(chunk: str) -> str:
    """NFKC of one character (or a base + voicing-mark pair), with the project's extra folds."""
    if chunk in _KEEP:
        return chunk
    if chunk in _EXTRA:
        return _EXTRA[chunk]
    out = unicodedata.normalize("NFKC", chunk)
    return "".join(_EXTRA.get(c, c) for c in out)


def is_han(c: str) -> bool:
    """A kanji (CJK unified ideographs and extension A) or the iteration marks 々 〆."""
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or c in "々〆"


@dataclass(frozen=True)
class NormText:
    """`text` is the folded form of `raw[offset:offset+len(raw)]`; `starts[i]`/`ends[i]` give
    the raw span (absolute, i.e. including `offset`) of folded character i."""

    raw: str
    offset: int
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def of(cls, raw: str, offset: int = 0) -> "NormText":
        """The folded view of `raw` (which starts at raw offset `offset`); memoized, since several
        stages fold the same sentence or block (NormText is immutable, so sharing is safe)."""
        return _norm_of(cls, raw, offset)

    @classmethod
    def _compute(cls, raw: str, offset: int) -> "NormText":
        if unicodedata.is_normalized("NFKC", raw) and _SPECIAL_CHAR.search(raw) is None:
            # every character folds to itself (the common case): the identity mapping
            n = len(raw)
            return cls(raw, offset, raw, tuple(range(offset, offset + n)), tuple(range(offset + 1, offset + n + 1)))
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        i, n = 0, len(raw)
        while i < n:
            j = i + 1
            if j < n and raw[j] in _COMBINING_MARKS:
                j += 1
            folded = fold_char(raw[i:j])
            if not folded:  # characters NFKC removes entirely are kept as written
                folded = raw[i:j]
            for c in folded:
                out.append(c)
                starts.append(offset + i)
                ends.append(offset + j)
            i = j
        return cls(raw, offset, "".join(out), tuple(starts), tuple(ends))

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw (absolute) span of the folded span [start, end). An empty span maps to a point."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else self.offset + len(self.raw)
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def raw_text(self, start: int, end: int) -> str:
        """The raw text under the folded span [start, end)."""
        a, b = self.raw_span(start, end)
        return self.raw[a - self.offset:b - self.offset]

    def folded_span(self, raw_start: int, raw_end: int) -> tuple[int, int] | None:
        """The inverse of `raw_span`: the folded span from the first character that starts at
        `raw_start` to the first that ends at `raw_end`, or None when either is no boundary."""
        a = bisect_left(self.starts, raw_start)
        b = bisect_left(self.ends, raw_end)
        if a >= len(self.starts) or self.starts[a] != raw_start or b >= len(self.ends) or self.ends[b] != raw_end:
            return None
        return a, b + 1

    def boundaries(self, raw_positions: set[int]) -> set[int]:
        """Folded indices whose character starts at one of the raw positions (token edges, say)."""
        return {i for i, s in enumerate(self.starts) if s in raw_positions}


@lru_cache(maxsize=4096)
def _norm_of(cls: type, raw: str, offset: int) -> NormText:
    return cls._compute(raw, offset)


@lru_cache(maxsize=1 << 16)
def folded(raw: str) -> str:
    """`NormText.of(raw).text` for short pieces (token surfaces), memoized."""
    return fold_text(raw)


def fold_text(raw: str) -> str:
    """`NormText.of(raw).text`, without the map back to the raw text (for a piece only matched against)."""
    if unicodedata.is_normalized("NFKC", raw) and _SPECIAL_CHAR.search(raw) is None:
        return raw
    return NormText._compute(raw, 0).text


def quote_spans(text: str, pairs: tuple[str, ...]) -> list[tuple[int, int]]:
    """Inner spans [open+1, close) of balanced quotation pairs in `text`."""
    opens = {p[0]: p[1] for p in pairs if len(p) == 2}
    spans, stack = [], []
    for m in _quote_marks(tuple(pairs)).finditer(text):  # only the quotation marks: every other character is inert
        i, c = m.start(), m.group()
        if c in opens:
            stack.append((opens[c], i))
        elif stack and c == stack[-1][0]:
            _, a = stack.pop()
            if not stack:
                spans.append((a + 1, i))
    return spans


@lru_cache(maxsize=64)
def _quote_marks(pairs: tuple[str, ...]) -> re.Pattern:
    """A pattern matching any one opening or closing mark of `pairs`."""
    marks = sorted({c for p in pairs if len(p) == 2 for c in p})
    return re.compile("[" + "".join(re.escape(c) for c in marks) + "]" if marks else "(?!)")
