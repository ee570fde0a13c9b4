"""Segmentation: lines into classified blocks, the heading tree, and sentences.

Block kinds and heading forms come from `rules/blocks.yaml` and `rules/headings.yaml`.
Matching runs on the NFKC-folded line (`NormText`), so full-width numbering
(`（１）`, `１　`) is recognised like the half-width form; spans stay raw.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from ..document import BLOCK_KINDS, Block, Document, Section, Sentence
from ..ruleset import CompiledPattern, Regex, Rule, Rules, Strict
from ..textnorm import NormText
from . import stage


class LineRule(Rule):
    """A pattern over one folded line that gives the line a block kind."""

    kind: Literal[BLOCK_KINDS]  # the closed list: any other kind is a rule-file error
    pattern: Regex


class BlockRules(Strict):
    rules: tuple[LineRule, ...]
    max_line_length: int = 1000  # longer lines are paragraphs: no line rule, caption cue or heading is tried
    caption_cues: tuple[LineRule, ...] = ()
    sentence_ends: str = "。!?"
    quote_pairs: tuple[str, ...] = ("「」", "『』", "()", "[]", "【】")


class HeadingRule(Rule):
    """One numbering form. `pattern` must capture `label`, `num` and `title`.

    `rank` orders forms from the outermost (1) inward; a form with `nestable: true`
    may nest inside itself (bare numbers: chapter `4`, then section `1`)."""

    rank: int
    pattern: Regex
    nestable: bool = False
    sequence: str = ""  # ordinal alphabet for non-numeric labels (ア, イ, ウ ...)
    out_of_sequence_kind: Literal[BLOCK_KINDS + ("",)] = ""  # block kind of a line of this form whose number breaks the sequence


class HeadingRules(Strict):
    max_title_length: int = 120
    not_heading_if_ends_with: tuple[str, ...] = ("。",)
    headings: tuple[HeadingRule, ...]



_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def ordinal(num: str, sequence: str = "") -> int | None:
    """The ordinal value of a heading number: `4`, `IV`, `十二`, or a letter of `sequence`."""
    num = num.strip()
    if not num:
        return None
    if sequence and num in sequence:
        return sequence.index(num) + 1
    if num.isascii() and num.isdigit():
        return int(num)
    if num.isdecimal():  # full-width digits
        return int(num)
    if all(c in _ROMAN for c in num.upper()):
        values = [_ROMAN[c] for c in num.upper()]
        return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    if all(c in _KANJI_DIGITS or c in "十百" for c in num):
        total, current = 0, 0
        for c in num:
            if c in _KANJI_DIGITS:
                current = _KANJI_DIGITS[c]
            else:
                total += (current or 1) * (10 if c == "十" else 100)
                current = 0
        return total + current
    return None


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    norm: NormText


@dataclass
class _Open:
    """An open heading on the stack while the tree is built."""

    section_index: int
    rank: int
    rule_id: str
    number: int | None
    level: int


def _lines(text: str) -> list[_Line]:
    """Non-empty lines, stripped of surrounding whitespace, with folded views."""
    out, pos = [], 0
    for raw_line in text.split("\n"):
        begin, end = pos, pos + len(raw_line)
        pos = end + 1
        stripped = raw_line.strip(" \t\u3000\u00a0\ufeff")
        if not stripped:
            continue
        lead = len(raw_line) - len(raw_line.lstrip(" \t\u3000\u00a0\ufeff"))
        start = begin + lead
        out.append(_Line(start, start + len(stripped), NormText.of(stripped, start)))
    return out


@stage("segment", rules={"blocks": BlockRules, "headings": HeadingRules}, requires=("text",),
       assigns=("blocks", "sections", "sentences"))
class Segmenter:
    """Compiled block and heading rules; `__call__(doc)` adds blocks, sections and sentences."""

    def __init__(self, rules: Rules):
        blocks: BlockRules = rules.get("blocks")
        headings: HeadingRules = rules.get("headings")
        self.block_rules = [(r.kind, CompiledPattern.of(r.id, r.pattern)) for r in blocks.rules]
        self.caption_cues = [CompiledPattern.of(r.id, r.pattern) for r in blocks.caption_cues]
        self.max_line = blocks.max_line_length
        self.sentence_ends = set(blocks.sentence_ends)
        self.pairs = {p[0]: p[1] for p in blocks.quote_pairs}
        self.heading_rules = [(r, CompiledPattern.of(r.id, r.pattern)) for r in headings.headings]
        self.max_title = headings.max_title_length
        self.bad_endings = headings.not_heading_if_ends_with

    # -- blocks -------------------------------------------------------------------------
    def _line_kind(self, line: _Line) -> tuple[str, str]:
        if len(line.norm.text) > self.max_line:
            return "paragraph", ""
        for kind, pattern in self.block_rules:
            if pattern.search(line.norm.text):
                return kind, pattern.rule_id
        return "", ""

    def _heading_match(self, line: _Line):
        text = line.norm.text
        if len(text) > self.max_title + 12 or text.endswith(self.bad_endings):
            return None
        for rule, pattern in self.heading_rules:
            m = pattern.fullmatch(text)
            if m and m.group("title").strip():
                return rule, m
        return None

    def __call__(self, doc: Document) -> Document:
        lines = _lines(doc.text)
        kinds: list[tuple[str, str]] = [self._line_kind(line) for line in lines]
        # photo captions: a line followed by the same text re-broken over the next two lines
        for i in range(len(lines) - 2):
            if kinds[i][0] or kinds[i + 1][0] or kinds[i + 2][0]:
                continue
            whole, a, b = (lines[j].norm.text for j in (i, i + 1, i + 2))
            if len(a) > 1 and len(b) > 1 and whole == a + b and not whole.endswith("。"):
                kinds[i] = ("caption", "caption.rebroken_copy")
                kinds[i + 1] = kinds[i + 2] = ("caption_duplicate", "caption.rebroken_copy")

        stack: list[_Open] = []
        sections: list[dict] = []
        blocks: list[Block] = []
        for line, (kind, rule_id) in zip(lines, kinds):
            block_id = len(blocks) + 1
            if not kind:
                found = self._heading_match(line)
                opened = self._open_heading(found, stack, sections, line, block_id) if found else None
                if opened:
                    kind, rule_id = "heading", opened
                elif found and found[0].out_of_sequence_kind:
                    kind, rule_id = found[0].out_of_sequence_kind, f"{found[0].id}.out_of_sequence"
            if not kind:
                cue = next((c for c in self.caption_cues if c.search(line.norm.text)), None)
                if cue and not line.norm.text.endswith("。"):
                    kind, rule_id = "caption", cue.rule_id
                else:
                    kind, rule_id = "paragraph", ""
            section_id = sections[stack[-1].section_index]["section_id"] if stack else None
            blocks.append(Block(block_id, section_id, kind, line.start, line.end,
                                doc.text[line.start:line.end], rule_id))

        built = self._close_sections(sections, blocks)
        sentences = self._sentences(blocks, lines)
        return replace(doc, blocks=tuple(blocks), sections=built, sentences=sentences)

    def _open_heading(self, found, stack: list[_Open], sections: list[dict], line: _Line,
                      block_id: int) -> str | None:
        """Place a heading candidate in the tree; None when numbering says it is no heading."""
        rule, m = found
        number = ordinal(m.group("num"), rule.sequence)
        same = [o for o in stack if o.rule_id == rule.id]
        if same and number is not None and number != 1 and not any(
                o.number is not None and o.number + 1 == number for o in same):
            return None  # breaks the numbering: a footnote or a reference, not a heading
        # pop to the parent: everything ranked deeper, and the sibling of the same form
        while stack:
            top = stack[-1]
            if top.rank > rule.rank:
                stack.pop()
            elif top.rule_id == rule.id:
                nests = rule.nestable and number == 1 and top.number != 0
                if nests:
                    break
                stack.pop()
                # a continuing number closes deeper levels of the same form up to its sibling
                if number is not None and top.number is not None and top.number + 1 == number:
                    break
            else:
                break
        parent = stack[-1] if stack else None
        label_a, label_b = m.span("label")
        title_a, title_b = m.span("title")
        label = line.norm.raw_text(label_a, label_b)
        title = line.norm.raw_text(title_a, title_b).strip(" \t\u3000")
        level = (parent.level + 1) if parent else 1
        parent_info = sections[parent.section_index] if parent else None
        path = f"{parent_info['path']} > {label}" if parent_info else label
        sections.append({"section_id": len(sections) + 1, "parent_id": parent_info["section_id"] if parent_info
                         else None, "level": level, "label": label, "title": title, "path": path,
                         "start": line.start, "block_id": block_id, "rule": rule.id})
        stack.append(_Open(len(sections) - 1, rule.rank, rule.id, number, level))
        return rule.id

    @staticmethod
    def _close_sections(sections: list[dict], blocks: list[Block]) -> tuple[Section, ...]:
        """A section ends at the last block before the next heading of the same or a higher level."""
        out = []
        for i, s in enumerate(sections):
            end_block = len(blocks)
            for later in sections[i + 1:]:
                if later["level"] <= s["level"]:
                    end_block = later["block_id"] - 1
                    break
            end = blocks[end_block - 1].end if end_block >= 1 else s["start"]
            out.append(Section(s["section_id"], s["parent_id"], s["level"], s["label"], s["title"], s["path"],
                               s["start"], max(end, s["start"]), s["block_id"], s["rule"]))
        return tuple(out)

    def _sentences(self, blocks: list[Block], lines: list[_Line]) -> tuple[Sentence, ...]:
        out: list[Sentence] = []
        for block, line in zip(blocks, lines):
            for a, b in self.split(line.norm.text):
                ra, rb = line.norm.raw_span(a, b)
                out.append(Sentence(len(out) + 1, block.block_id, block.section_id, ra, rb,
                                    line.norm.raw[ra - line.norm.offset:rb - line.norm.offset]))
        return tuple(out)

    def split(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans of one folded block: split after 。!? outside brackets that close."""
        closers = set(self.pairs.values())
        matched: set[int] = set()
        stack: list[tuple[str, int]] = []
        for i, c in enumerate(text):
            if c in self.pairs:
                stack.append((self.pairs[c], i))
            elif c in closers:
                for k in range(len(stack) - 1, -1, -1):
                    if stack[k][0] == c:
                        matched.add(stack[k][1])
                        matched.add(i)
                        del stack[k:]
                        break
        spans, depth, begin, i = [], 0, 0, 0
        while i < len(text):
            c = text[i]
            if i in matched:
                depth += 1 if c in self.pairs else -1
            elif depth == 0 and c in self.sentence_ends:
                while i + 1 < len(text) and text[i + 1] in self.sentence_ends:
                    i += 1
                spans.append((begin, i + 1))
                begin = i + 1
            i += 1
        if begin < len(text):
            spans.append((begin, len(text)))
        trimmed = []
        for a, b in spans:
            while a < b and text[a] in " \t":
                a += 1
            while b > a and text[b - 1] in " \t":
                b -= 1
            if b > a:
                trimmed.append((a, b))
        return trimmed
