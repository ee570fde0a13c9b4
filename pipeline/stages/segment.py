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


class PageTitleRule(Rule):
    """A line that repeats an item of a breadcrumb line is the page's title (an unnumbered heading)."""

    breadcrumb_rules: tuple[str, ...]  # ids of the line rules that find breadcrumbs
    separator: str = " > "


class CaptionCopyRule(Rule):
    """Later copies of a caption, whole or re-broken: `max_lines` lines each, at most `max_gap`
    lines apart, `min_length` characters (spaces aside) at least."""

    max_lines: int = 3
    max_gap: int = 3
    min_length: int = 4


class LineJoinRule(Rule):
    """Unclassified lines that are one paragraph broken inside a sentence: the block so far matches
    `first`, the next line (adjacent, or after at most `max_blank_lines`) matches `second`."""

    first: Regex
    second: Regex
    max_blank_lines: int = 0  # blank lines allowed between the two


class BlockRules(Strict):
    rules: tuple[LineRule, ...]
    joins: tuple[LineJoinRule, ...] = ()
    max_line_length: int = 1000  # longer lines are paragraphs: no line rule, caption cue or heading is tried
    page_title: PageTitleRule | None = None
    caption_copies: CaptionCopyRule = CaptionCopyRule(id="caption.copy")
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
    min_list_run: int = 0  # this many siblings of one form in a row, with no body between, are a list (0: off)
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


_BLANK = " \t\u3000\u00a0\ufeff\x00"  # stripped around a line (a stray NUL reads as a space)


def _compact(text: str) -> str:
    """Text without spaces: how copies of a caption are compared."""
    return "".join(text.split())


def _lines(text: str) -> list[_Line]:
    """Non-empty lines, stripped of surrounding whitespace, with folded views."""
    out, pos = [], 0
    for raw_line in text.split("\n"):
        begin, end = pos, pos + len(raw_line)
        pos = end + 1
        stripped = raw_line.strip(_BLANK)
        if not stripped:
            continue
        lead = len(raw_line) - len(raw_line.lstrip(_BLANK))
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
        # a pattern anchored with ^ only matches at 0: `match` says so at once, where `search`
        # would try every position of a long line
        self.block_rules = [(r.kind, CompiledPattern.of(r.id, r.pattern), r.pattern.startswith("^"))
                            for r in blocks.rules]
        self.caption_cues = [CompiledPattern.of(r.id, r.pattern) for r in blocks.caption_cues]
        self.page_title = blocks.page_title
        self.copies = blocks.caption_copies
        self.joins = [(r.id, CompiledPattern.of(r.id, r.first), CompiledPattern.of(r.id, r.second), r.max_blank_lines)
                      for r in blocks.joins]
        self.min_list_run = headings.min_list_run
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
        for kind, pattern, anchored in self.block_rules:
            if (pattern.match if anchored else pattern.search)(line.norm.text):
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
        found = [None if kind else self._heading_match(line) for line, (kind, _) in zip(lines, kinds)]
        self._mark_caption_copies(lines, kinds, found)
        self._mark_page_titles(lines, kinds, found)
        self._mark_lists(doc.text, lines, kinds, found)
        lines, kinds, found = self._join_broken_lines(doc.text, lines, kinds, found)

        stack: list[_Open] = []
        sections: list[dict] = []
        blocks: list[Block] = []
        for line, (kind, rule_id) in zip(lines, kinds):
            block_id = len(blocks) + 1
            if not kind:
                heading = found[block_id - 1]
                opened = self._open_heading(heading, stack, sections, line, block_id) if heading else None
                if opened:
                    kind, rule_id = "heading", opened
                elif heading and heading[0].out_of_sequence_kind:
                    kind, rule_id = heading[0].out_of_sequence_kind, f"{heading[0].id}.out_of_sequence"
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

    def _join_broken_lines(self, text: str, lines: list[_Line], kinds: list[tuple[str, str]], found: list):
        """Unclassified lines that a join rule says are one broken paragraph (adjacent, or with at most
        its `max_blank_lines` between) become one block (its text keeps the line breaks)."""
        out_lines, out_kinds, out_found = [], [], []
        open_block = False  # whether the last block may take the next line
        for line, kind, heading in zip(lines, kinds, found):
            free = not kind[0] and heading is None
            if open_block and free:
                block, blank = out_lines[-1].norm.text, text.count("\n", out_lines[-1].end, line.start) - 1
                rule_id = next((rid for rid, first, second, most in self.joins if blank <= most
                                and first.search(block) and second.search(line.norm.text)), None)
                if rule_id:
                    begin = out_lines[-1].start
                    out_lines[-1] = _Line(begin, line.end, NormText.of(text[begin:line.end], begin))
                    out_kinds[-1] = ("paragraph", rule_id)
                    continue
            out_lines.append(line)
            out_kinds.append(kind)
            out_found.append(heading)
            open_block = free
        return out_lines, out_kinds, out_found

    def _mark_caption_copies(self, lines: list[_Line], kinds: list[tuple[str, str]], found: list) -> None:
        """Every later copy of a caption, whole or re-broken over up to `max_lines` lines, becomes
        caption_duplicate and the first one caption: units of consecutive free lines (no kind yet,
        no heading form, no 。 at the end) are compared by their text without spaces."""
        cfg = self.copies
        keys = [_compact(line.norm.text) for line in lines]
        free = [not kind and heading is None and not line.norm.text.endswith("。")
                for line, (kind, _), heading in zip(lines, kinds, found)]
        seen: dict[str, list[tuple[int, int]]] = {}  # joined text -> units [a, b) that spell it
        i = 0
        while i < len(lines):
            copy = None
            for k in range(1, cfg.max_lines + 1):
                if i + k > len(lines) or not free[i + k - 1]:
                    break
                joined = "".join(keys[i:i + k])
                if len(joined) < cfg.min_length:
                    continue
                first = next(((a, b) for a, b in seen.get(joined, ()) if b <= i and i - b <= cfg.max_gap), None)
                if first:
                    copy = (first, k)
                    break
                seen.setdefault(joined, []).append((i, i + k))
            if copy is None:
                i += 1
                continue
            (a, b), k = copy
            for j in range(a, b):
                if kinds[j][0] != "caption_duplicate":
                    kinds[j] = ("caption", cfg.id)
            for j in range(i, i + k):
                kinds[j] = ("caption_duplicate", cfg.id)
                free[j] = False
            i += k

    def _mark_page_titles(self, lines: list[_Line], kinds: list[tuple[str, str]], found: list) -> None:
        """A line that repeats an item of a breadcrumb is the page's title: an unnumbered heading."""
        rule = self.page_title
        if rule is None:
            return
        items = {_compact(part) for line, (_, rule_id) in zip(lines, kinds) if rule_id in rule.breadcrumb_rules
                 for part in line.norm.text.split(rule.separator)} - {""}
        for i, line in enumerate(lines):
            if not kinds[i][0] and found[i] is None and _compact(line.norm.text) in items:
                kinds[i] = ("heading", rule.id)

    def _mark_lists(self, text: str, lines: list[_Line], kinds: list[tuple[str, str]], found: list) -> None:
        """`min_list_run` heading candidates of one form numbered n, n+1, … on adjacent lines (no
        blank line, no body between) are the items of a list."""
        if not self.min_list_run:
            return
        i = 0
        while i < len(found):
            j = i + 1
            if found[i] is not None:
                rule = found[i][0]
                last = ordinal(found[i][1].group("num"), rule.sequence)
                while (j < len(found) and last is not None and found[j] is not None and found[j][0].id == rule.id
                       and text.count("\n", lines[j - 1].end, lines[j].start) == 1
                       and ordinal(found[j][1].group("num"), rule.sequence) == last + 1):
                    last += 1
                    j += 1
                if j - i >= self.min_list_run:
                    for k in range(i, j):
                        kinds[k], found[k] = ("paragraph", f"{rule.id}.list_item"), None
            i = j

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
