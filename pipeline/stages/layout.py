"""Layout: the text a reader sees, from what the raw file holds.

The first stage. It gives every later stage the text it indexes (`Document.text`) and says how that
text was made (`layout`, `layout_note`, `layout_edits`); when that text is not the raw file's own
(`text_file`), the run writes it to `output/<text_file>` so that `text[start:end] == row.text` can be
checked on every row. What it does, all from `rules/layout.yaml`:

- a saved web page (`.html`/`.htm`, or a `.txt` that is a whole page) becomes the text its reader sees:
  scripts, styles, navigation, breadcrumbs and footers dropped, one line per heading, paragraph,
  list item, caption and table row;
- HTML tags left in a `.txt` (`<h3>(3)日比…</h3>`, `<span>認識を共有</span>した`) are removed, a tag that
  begins or ends a block ending its line;
- PDF-shaped text (from a `.pdf`, or copied out of one into a `.txt`), detected per document or asked
  for: page numbers, running headers and footers and repeated figure titles dropped, and lines the page
  broke inside a paragraph joined (no space between Japanese characters, Latin hyphenation undone).

Plain text is left exactly as read.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from typing import Literal

from ..document import LAYOUTS, Document, LayoutEdit
from ..errors import InputError
from ..ruleset import CompiledPattern, Regex, Rule, Strict
from ..textnorm import folded
from . import stage


class MarkupRule(Rule):
    """HTML tags left in a text file: `pattern` finds a tag; a tag whose name matches `line_break` ends
    its line (h1–h6, p, div, li, br, tr …); `entity` finds character references to decode."""

    pattern: Regex
    line_break: Regex
    entity: Regex = r"&(#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});"


class PageRule(Rule):
    """A saved web page: a `.html`/`.htm` file, or a text file that `pattern` finds to be one. Elements
    named in `drop_elements`, and elements whose class, id or role holds a word of `drop_marks`, are not
    text of the paper; `block_elements` each give a line of their own."""

    pattern: Regex
    drop_elements: tuple[str, ...]
    drop_marks: tuple[str, ...]
    block_elements: tuple[str, ...]
    table_cell_separator: str = " "


class DetectRule(Rule):
    """PDF-shaped text: most lines stop at one width (in characters, or in display width with half-width
    characters counting half), and many of those stop inside a sentence. Lines of `min_line_length`
    characters or more are measured; `width_slack` is how far below the width a line may stop and still
    be full (display width: a half-width character more or less)."""

    min_line_length: int = 8
    min_broken_lines: int = 3  # full lines that stop inside a sentence, at least
    min_broken_share: float = 0.25  # of the measured lines
    max_overlong_share: float = 0.05  # lines longer than the width: a wrapped text has (almost) none
    char_slack: int = 0
    width_slack: float = 1.0
    overlong_tolerance: float = 0.1  # lines up to this share longer than the width are full (proportional glyphs)


class DropRule(Rule):
    """Lines of PDF-shaped text that are no text of the paper."""

    pattern: Regex = ""  # fullmatch on the folded line ("" for rules that find lines by repetition)
    min_repeats: int = 0  # running headers: a line (digits aside) repeated this many times
    max_length: int = 0  # and no longer than this


class JoinRule(Rule):
    """A line of PDF-shaped text continues on the next unless it ends a sentence (`sentence_end` on
    the folded line) or stops short of the width; a line starting with `continues` (a character that
    cannot begin a line) always continues the line before."""

    sentence_end: Regex
    continues: Regex
    # where at least this share of the short lines that end a sentence are followed by a blank line or an
    # indented line, the text marks its paragraphs so, and a full line that ends a sentence continues on
    # the next unless that is marked too
    marked_paragraphs: float = 0.5
    # a line that opens more of these brackets than it closes goes on in the next line
    brackets: tuple[str, ...] = ("()", "「」", "『』", "【】", "〔〕", "[]")


class JoinSpaceRule(Rule):
    """How two joined lines meet: `hyphen` (end of the first, start of the second) is a Latin word
    broken by a hyphen, which is removed; `space` the two sides between which a line break stood for a
    space (Latin words wrapped at a word boundary; never between Japanese characters)."""

    hyphen: tuple[Regex, Regex]
    space: tuple[Regex, Regex]


class LayoutRules(Strict):
    mode: Literal["auto", "plain", "pdf"] = "auto"  # auto: detect per document; `--layout` overrides
    markup: MarkupRule
    page: PageRule
    detect: DetectRule
    page_number: DropRule
    running_header: DropRule
    figure_title: DropRule
    join: JoinRule
    join_space: JoinSpaceRule


def display_width(text: str) -> float:
    """Width as set on a page: full-width (and ambiguous East Asian) characters 1, others a half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "FWA" else 0.5 for c in text)


@dataclass(frozen=True)
class _Line:
    start: int  # span of the stripped line in the text as read
    end: int
    text: str
    norm: str  # folded
    page: int
    blank_before: bool  # a blank line (on the same page) stands between this line and the one before
    indented: bool  # starts with an ideographic space, a tab or two spaces (a paragraph's first line)
    row: int  # its number in text.split("\n")


_BLANK = " \t\u3000\u00a0\ufeff\x00\r"


def _lines(text: str) -> list[_Line]:
    """Non-empty lines, stripped, with their page (pages are separated by form feeds)."""
    out: list[_Line] = []
    pos, page, blank = 0, 0, False
    for row, segment in enumerate(text.split("\n")):
        parts = segment.split("\f")
        offset = pos
        for k, part in enumerate(parts):
            if k:
                page += 1
                blank = False
            stripped = part.strip(_BLANK)
            if stripped:
                start = offset + len(part) - len(part.lstrip(_BLANK))
                lead = part[:len(part) - len(part.lstrip(_BLANK))]
                indented = "\u3000" in lead or "\t" in lead or lead.count(" ") >= 2
                out.append(_Line(start, start + len(stripped), stripped, folded(stripped), page, blank, indented, row))
                blank = False
            elif len(parts) == 1:
                blank = True
            offset += len(part) + 1
        pos += len(segment) + 1
    return out


@stage("layout", rules={"layout": LayoutRules}, reads=("headings",), requires=("text",),
       assigns=("text", "layout", "layout_note", "text_file", "layout_edits"))
class LayoutStage:
    """`__call__(doc)` replaces the text as read by the text a reader sees (see the module docstring)."""

    def __init__(self, rules):
        cfg: LayoutRules = rules.get("layout")
        self.cfg = cfg
        self.tag = CompiledPattern.of(cfg.markup.id, cfg.markup.pattern)
        self.block_tag = CompiledPattern.of(cfg.markup.id, cfg.markup.line_break)
        self.entity = CompiledPattern.of(cfg.markup.id, cfg.markup.entity)
        self.page = CompiledPattern.of(cfg.page.id, cfg.page.pattern)
        self.page_number = CompiledPattern.of(cfg.page_number.id, cfg.page_number.pattern)
        self.figure_title = CompiledPattern.of(cfg.figure_title.id, cfg.figure_title.pattern)
        self.sentence_end = CompiledPattern.of(cfg.join.id, cfg.join.sentence_end)
        self.continues = CompiledPattern.of(cfg.join.id, cfg.join.continues)
        sp = cfg.join_space
        self.hyphen = tuple(CompiledPattern.of(sp.id, p) for p in sp.hyphen)
        # a short line of a heading form ends the line before it (headings.yaml)
        self.headings = [CompiledPattern.of(r.id, r.pattern) for r in rules.get("headings").headings]
        self.space = tuple(CompiledPattern.of(sp.id, p) for p in sp.space)

    def __call__(self, doc: Document) -> Document:
        text, edits, notes = doc.text, [], []
        if doc.source == "html" or (doc.source == "txt" and self.page.search(text[:2000])):
            from ..html import page_text

            text = page_text(text, self.cfg.page)
            if not text.strip():
                raise InputError(doc.doc_id, "no text on the web page (only scripts, navigation or markup)")
            edits.append(LayoutEdit(self.cfg.page.id, "converted", 0, len(doc.text), doc.text[:80]))
            notes.append("web page: the text as its reader sees it")
        elif doc.source == "txt" and self.tag.search(text):
            text, removed = self._strip_markup(text)
            edits += removed
            notes.append(f"removed {len(removed)} HTML tags")
        layout, why = self._choose(doc, text)
        if layout == "pdf":
            geometry = set(doc.full_lines) if doc.source == "pdf" and text == doc.text else None
            text, found, summary = self._reflow(text, auto=why == "auto", full_rows=geometry)
            edits += found
            notes.append(summary)
        note = "; ".join([f"{layout} ({why})"] + notes)
        changed = text != doc.text or doc.source != "txt"
        return replace(doc, text=text, layout=layout, layout_note=note, layout_edits=tuple(edits),
                       text_file=f"text/{doc.doc_id}.txt" if changed else "")

    # -- which layout -----------------------------------------------------------------------
    def _choose(self, doc: Document, text: str) -> tuple[str, str]:
        """(layout, why): the `--layout` option, else the file's format (a PDF is PDF-shaped, a web page
        is not), else the rules' `mode`, else detection."""
        if doc.layout_request in LAYOUTS:
            return doc.layout_request, "option"
        if doc.source == "pdf":
            return "pdf", "format"
        if doc.source == "html":
            return "plain", "format"
        if self.cfg.mode != "auto":
            return self.cfg.mode, "mode"  # rules/layout.yaml's mode, or --layout
        return ("pdf" if self._detect(_lines(text)) else "plain"), "auto"

    def _measure(self, lines: list[_Line]) -> tuple[str, float, list[bool]]:
        """The measure lines were wrapped by (characters or display width), its width, and for each
        line whether it is full (stops at the width)."""
        det = self.cfg.detect
        best = ("chars", 0.0, [False] * len(lines), -1)
        for measure, slack in (("chars", float(det.char_slack)), ("width", det.width_slack)):
            values = [float(len(ln.text)) if measure == "chars" else display_width(ln.text) for ln in lines]
            measured = [v for ln, v in zip(lines, values) if len(ln.text) >= det.min_line_length]
            if not measured:
                continue
            counts = Counter(measured)
            candidates = sorted(counts)
            width, hits = 0.0, -1
            top = 1 + det.overlong_tolerance
            for v in candidates:  # the width that the most lines stop at (within slack); ties: the wider
                n = sum(c for w, c in counts.items() if v - slack <= w <= v * top)
                if n >= hits:
                    width, hits = v, n
            if hits > best[3]:
                best = (measure, width, [width - slack <= v <= width * top for v in values], hits)
        return best[0], best[1], best[2]

    def _unclosed(self, line: _Line) -> int:
        """Brackets the line opens and does not close (negative: closes more than it opens)."""
        return sum(line.norm.count(p[0]) - line.norm.count(p[1]) for p in self.cfg.join.brackets)

    def _heading(self, line: _Line) -> bool:
        for pattern in self.headings:
            m = pattern.fullmatch(line.norm)
            if m and m.group("title").strip():
                return True
        return False

    def _ends(self, line: _Line) -> bool:
        return bool(self.sentence_end.search(line.norm))

    def _detect(self, lines: list[_Line]) -> bool:
        det = self.cfg.detect
        measure, width, full = self._measure(lines)
        measured = [ln for ln in lines if len(ln.text) >= det.min_line_length]
        if not measured or width <= 0:
            return False
        value = (lambda ln: float(len(ln.text))) if measure == "chars" else (lambda ln: display_width(ln.text))
        overlong = sum(1 for ln in measured if value(ln) > width * (1 + det.overlong_tolerance))
        broken = sum(1 for i, ln in enumerate(lines[:-1]) if full[i] and not self._ends(ln)
                     and not lines[i + 1].blank_before and lines[i + 1].page == ln.page)
        return (broken >= det.min_broken_lines and broken >= det.min_broken_share * len(measured)
                and overlong <= det.max_overlong_share * len(measured))

    # -- markup left in a text file ---------------------------------------------------------
    def _strip_markup(self, text: str) -> tuple[str, list[LayoutEdit]]:
        import html

        out, edits, pos = [], [], 0
        for m in self.tag.finditer(text):
            out.append(text[pos:m.start()])
            name = m.group("name") if "name" in m.re.groupindex else m.group()
            if self.block_tag.fullmatch(name or ""):
                before = "".join(out)
                after = text[m.end():m.end() + 1]
                if before and not before.endswith("\n") and after not in ("\n", ""):
                    out.append("\n")
            edits.append(LayoutEdit(self.cfg.markup.id, "removed", m.start(), m.end(), m.group()))
            pos = m.end()
        out.append(text[pos:])
        joined = "".join(out)
        decoded = self.entity.compiled.sub(lambda m: html.unescape(m.group()), joined)
        return decoded, edits

    # -- PDF-shaped text --------------------------------------------------------------------
    def _furniture(self, lines: list[_Line]) -> dict[int, str]:
        """Index of each line that is page furniture -> the id of the rule that drops it."""
        cfg = self.cfg
        pages = lines[-1].page + 1 if lines else 1
        key = ["".join(ln.norm.split()) for ln in lines]
        digits = ["".join("#" if c.isdigit() else c for c in k) for k in key]
        drop: dict[int, str] = {}
        rh = cfg.running_header
        bare = {i for i, ln in enumerate(lines) if self.page_number.fullmatch(ln.norm)}
        groups: dict[str, list[int]] = {}
        for i, (ln, d) in enumerate(zip(lines, digits)):
            if len(ln.text) <= rh.max_length and not self._ends(ln) and i not in bare:
                groups.setdefault(d, []).append(i)
        needed = max(2, min(rh.min_repeats, (pages + 1) // 2)) if pages > 1 else rh.min_repeats
        for members in groups.values():
            # a header or footer stands at the top or foot of its page, or beside the page number; a heading
            # repeated in the text does not
            strong = [i for i in members if i - 1 in bare or i + 1 in bare]
            edge = [i for i in members if pages > 1 and self._at_page_edge(lines, i)]
            if len(strong) >= 2 or len(set(strong) | set(edge)) >= needed:
                for i in members:
                    drop[i] = rh.id
        numbers = [i for i, ln in enumerate(lines) if i not in drop and self.page_number.fullmatch(ln.norm)]
        values = {i: int("".join(c for c in lines[i].norm if c.isdigit()) or -1) for i in numbers}
        for i in numbers:
            ln = lines[i]
            edge = self._at_page_edge(lines, i)
            by_header = (i > 0 and drop.get(i - 1) == rh.id) or drop.get(i + 1) == rh.id
            in_sequence = any(j != i and 0 < abs(values[j] - values[i]) <= 2 and (values[j] > values[i]) == (j > i)
                              for j in numbers)
            if (pages > 1 and edge) or by_header or in_sequence:
                drop[i] = cfg.page_number.id
        seen: set[str] = set()
        for i, ln in enumerate(lines):
            if i in drop or not self.figure_title.match(ln.norm):
                continue
            if key[i] in seen:
                drop[i] = cfg.figure_title.id
            seen.add(key[i])
        return drop

    @staticmethod
    def _at_page_edge(lines: list[_Line], i: int, depth: int = 2) -> bool:
        """Among the first or last `depth` lines of its page."""
        page = lines[i].page
        before = sum(1 for j in range(max(0, i - depth), i) if lines[j].page == page)
        after = sum(1 for j in range(i + 1, min(len(lines), i + 1 + depth)) if lines[j].page == page)
        return before < depth or after < depth

    def _reflow(self, text: str, *, auto: bool, full_rows: set[int] | None = None
                ) -> tuple[str, list[LayoutEdit], str]:
        """The text with its page furniture dropped and its broken lines joined; which lines are full
        comes from the page geometry (`full_rows`, for a PDF) or from the widths the lines stop at."""
        lines = _lines(text)
        if not lines:
            return text, [], "nothing to join"
        drop = self._furniture(lines)
        kept = [ln for i, ln in enumerate(lines) if i not in drop]
        measure, width, full = self._measure(kept)
        if full_rows is not None:
            measure, full = "width", [ln.row in full_rows for ln in kept]
        edits = [LayoutEdit(self.cfg.detect.id, "detected", 0, 0, f"{measure} {width:g}")] if auto else []
        edits += [LayoutEdit(rule, "dropped", lines[i].start, lines[i].end, lines[i].text)
                  for i, rule in sorted(drop.items())]
        # paragraphs marked by a blank line or an indent: the lines after most sure paragraph ends (short
        # lines that end a sentence) are so marked
        ending = [k for k, ln in enumerate(kept[:-1]) if self._ends(ln) and not full[k]]
        marked = bool(ending) and (sum(1 for k in ending if kept[k + 1].blank_before or kept[k + 1].indented) >=
                                   self.cfg.join.marked_paragraphs * len(ending))
        out: list[str] = []
        joins = depth = 0  # depth: brackets the paragraph so far opened and did not close
        prev: _Line | None = None
        gap_blank = gap_break = False  # since the last kept line: a blank line, a page break or furniture
        k = 0
        for i, ln in enumerate(lines):
            if prev is not None and (ln.page != prev.page or i in drop):
                gap_break = True
            if i in drop:
                continue
            if ln.blank_before and not (prev is not None and ln.page != prev.page):
                gap_blank = True
            if prev is not None:
                same_par = (not gap_blank or gap_break) and not (not full[k] and self._heading(ln))
                if same_par and ((full[k - 1] and not (marked and ln.indented)
                                  and (marked or not self._ends(prev))) or
                                 (not gap_blank and not self._ends(prev) and depth > 0) or
                                 (not gap_blank and self.continues.match(ln.norm))):
                    out.append(self._joint(out, prev, ln, measure, edits))
                    joins += 1
                else:
                    out.append("\n\n" if gap_blank else "\n")
                    depth = 0
            out.append(ln.text)
            depth += self._unclosed(ln)
            prev, k = ln, k + 1
            gap_blank = gap_break = False
        counts = Counter(rule for rule in drop.values())
        dropped = ", ".join(f"{n} {rule.rsplit('.', 1)[-1].replace('_', ' ')}" for rule, n in sorted(counts.items()))
        summary = f"joined {joins} line breaks" + (f"; dropped {dropped}" if dropped else "")
        return "".join(out) + ("\n" if text.endswith("\n") else ""), edits, summary

    def _joint(self, out: list[str], prev: _Line, line: _Line, measure: str, edits: list[LayoutEdit]) -> str:
        """What stands between two joined lines: nothing, a space (Latin words wrapped at a word
        boundary, in display-width text), or nothing after removing a hyphen that broke a word."""
        end, begin = self.hyphen
        rule, action = self.cfg.join.id, "joined"
        joint = ""
        if end.search(prev.text) and begin.match(line.text):
            out[-1] = out[-1][:-1]
            rule = self.cfg.join_space.id
        elif measure == "width" and self.space[0].search(prev.text) and self.space[1].match(line.text):
            joint, rule = " ", self.cfg.join_space.id
        edits.append(LayoutEdit(rule, action, prev.end, line.start, prev.text[-8:] + "⏎" + line.text[:8]))
        return joint
