"""People: a name + an optional country marker + an office title, with a stable person id.

A mention is read left to right on the folded sentence text: a NAME (a katakana run such as
マイク・ペンス, or the kanji at the start of a kanji run cut at a MeCab token boundary, or a
GiNZA Person span), then right after it an optional COUNTRY MARKER (米, 英, 韓国 ...), an
optional former prefix (元), an OFFICE TITLE (防衛大臣, 国防長官, any kanji run ending in 大臣
after a marker ...) and an optional `(当時)`. Titles, markers and the words that are never names
live in rules/people.yaml; the registry of pinned ids in rules/persons.yaml.

Country: the marker's ISO code; else the code the same person (same name key) carries with a
marker elsewhere in the document; else the registry; else the title's default (JP titles).
person_id: the registry's pin, else "<country>-<key>" where key is the last ・ part of the name,
so マイク・ペンス and ペンス share one id in every document, whatever the order.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Literal

import regex

from ..document import Document, Entity, PersonMention, Sentence, Token, TraceEvent
from ..overlap import resolve
from ..errors import StageError
from ..ruleset import MATCH_TIMEOUT_S, CompiledPattern, CountryCode, Regex, Rule, Rules, Strict
from ..textnorm import NormText
from ..textnorm import is_han as _is_han
from . import stage

MAX_MARKER = 12


class NameRule(Rule):
    kind: Literal["katakana", "kanji"]
    pattern: Regex


class PatternRule(Rule):
    pattern: Regex


class TitleRule(Rule):
    pattern: Regex
    country: CountryCode = ""
    requires_marker: bool = False


class MarkerRule(Rule):
    pattern: Regex
    country: CountryCode


class PeopleRules(Strict):
    names: tuple[NameRule, ...]
    non_names: tuple[str, ...] = ()
    not_followed_by: Regex = "(?!)"
    former_prefix: PatternRule
    former_suffix: PatternRule
    name_reading: PatternRule | None = None
    counterpart_heading: PatternRule | None = None
    titles: tuple[TitleRule, ...]
    markers: tuple[MarkerRule, ...]
    max_kanji_name: int = 4


class PersonEntry(Strict):
    id: str
    names: tuple[str, ...]
    titles: tuple[str, ...] = ()
    country: CountryCode = ""


class PersonRegistry(Strict):
    persons: tuple[PersonEntry, ...] = ()



PERSON_LABELS = ("Person",)


@dataclass(frozen=True)
class Tail:
    """What follows a name: marker, former prefix, title and `(当時)`, as folded positions."""

    marker: int | None  # index into markers
    marker_end: int
    former_prefix: bool
    title: int  # index into titles
    title_start: int
    title_end: int
    tojitsu_end: int  # == title_end when there is no (当時)

    def rank(self, titles: tuple[TitleRule, ...]) -> tuple:
        return (self.title_end, not titles[self.title].requires_marker, self.marker is not None, -self.title)


@dataclass(frozen=True)
class Candidate:
    sentence: Sentence
    norm: NormText
    name_start: int
    name_end: int
    name_rule: str
    tail: Tail
    ner: bool
    rule_found: bool


def name_key(name: str) -> str:
    """The part of a name that identifies the person across mentions: the last ・/= part."""
    for sep in ("・", "=", "＝"):
        name = name.split(sep)[-1]
    return name


@stage("people", rules={"people": PeopleRules, "persons": PersonRegistry},
       requires=("text", "sections", "sentences", "blocks", "tokens", "entities"), assigns=("people",))
class PeopleStage:
    """Adds `doc.people`."""

    def __init__(self, rules: Rules):
        self.rules: PeopleRules = rules.get("people")
        self.registry: PersonRegistry = rules.get("persons")
        r = self.rules
        self.names = [(n, CompiledPattern.of(n.id, n.pattern)) for n in r.names]
        self.titles = [CompiledPattern.of(t.id, t.pattern) for t in r.titles]
        self.markers = [CompiledPattern.of(m.id, m.pattern) for m in r.markers]
        self.only_markers = CompiledPattern.of("markers", "(?:" + "|".join(f"(?:{m.pattern})" for m in r.markers)
                                               + ")+")
        self.former_prefix = CompiledPattern.of(r.former_prefix.id, r.former_prefix.pattern)
        self.former_suffix = CompiledPattern.of(r.former_suffix.id, r.former_suffix.pattern)
        self.reading = CompiledPattern.of(r.name_reading.id, r.name_reading.pattern) if r.name_reading else None
        self.counterpart = (CompiledPattern.of(r.counterpart_heading.id, r.counterpart_heading.pattern)
                            if r.counterpart_heading else None)
        self.not_followed = CompiledPattern.of("people.not_followed_by", r.not_followed_by)
        self.non_names = frozenset(r.non_names)
        self._marker_memo: dict[str, tuple[int, ...]] = {}  # text -> indices of the markers it fullmatches
        # one alternation of every marker: a piece it does not match matches no marker (skipped when a
        # pattern uses group references or inline flags, whose meaning would change inside it)
        plain = all(not regex.search(r"\\[1-9g]|\(\?P?=|\(\?[a-zA-Z]", m.pattern) for m in r.markers)
        self._any_marker = CompiledPattern.of("markers", "|".join(f"(?:{m.pattern})" for m in r.markers)) \
            if plain and r.markers else None

    def markers_matching(self, piece: str) -> tuple[int, ...]:
        """Indices of the marker patterns that match all of `piece` (memoized: pieces repeat)."""
        hit = self._marker_memo.get(piece)
        if hit is None:
            if self._any_marker is not None and self._any_marker.fullmatch(piece) is None:
                hit = ()
            else:
                hit = tuple(k for k, m in enumerate(self.markers) if m.fullmatch(piece))
            if len(self._marker_memo) >= 50_000:
                self._marker_memo.clear()
            self._marker_memo[piece] = hit
        return hit

    # ------------------------------------------------------------------ reading one sentence
    def title_starts(self, text: str) -> dict[int, list[tuple[int, int]]]:
        """Start -> [(title rule index, end)] for every position where a title pattern matches."""
        found: dict[int, list[tuple[int, int]]] = {}
        for k, pat in enumerate(self.titles):
            try:
                matches = list(pat.compiled.finditer(text, overlapped=True, timeout=MATCH_TIMEOUT_S))
            except TimeoutError:
                raise StageError("-", "people", f"rule {pat.rule_id}: pattern took too long") from None
            for m in matches:
                found.setdefault(m.start(), []).append((k, m.end()))
        return found

    def tails(self, text: str, pos: int, title_at: dict[int, list[tuple[int, int]]]) -> list[Tail]:
        """Every reading of marker? former? title (当時)? starting exactly at `pos`."""
        out: list[Tail] = []
        if self.reading is not None:  # 鄭景斗(チョン・ギョンドゥ)韓国国防部長官: skip the name's reading
            m = self.reading.match(text, pos)
            if m is not None:
                pos = m.end()
        marker_opts: list[tuple[int | None, int]] = [(None, pos)]
        for j in range(pos + 1, min(len(text), pos + MAX_MARKER) + 1):
            if j in title_at or j + 1 in title_at:
                marker_opts += [(k, j) for k in self.markers_matching(text[pos:j])]
        for marker, p1 in marker_opts:
            former_opts = [(False, p1)]
            if p1 + 1 in title_at and self.former_prefix.fullmatch(text[p1:p1 + 1]):
                former_opts.append((True, p1 + 1))
            for former, p2 in former_opts:
                for k, end in title_at.get(p2, ()):
                    if self.rules.titles[k].requires_marker and marker is None:
                        continue
                    m = self.former_suffix.match(text, end)
                    out.append(Tail(marker, p1, former, k, p2, end, m.end() if m else end))
        return out

    def best_tail(self, text: str, pos: int, title_at: dict[int, list[tuple[int, int]]]) -> Tail | None:
        found = self.tails(text, pos, title_at)
        # readings after the same name: on a tie, the longer marker (中国+国務委員兼国防部長, not 中+国国務…)
        return max(found, key=lambda t: (t.rank(self.rules.titles), t.title_start)) if found else None

    def kanji_name_ok(self, name: str, toks: list[Token], *, marked: bool) -> str:
        """'' when a kanji run is a plausible name, else the reason it is not. Before a foreign
        country marker (宋永武韓国国防部長官, 文在寅韓国大統領) MeCab's reading of the name is not asked."""
        if not 1 <= len(name) <= self.rules.max_kanji_name:
            return "kanji name too long"
        if name in self.non_names or self.only_markers.fullmatch(name):
            return "not a name (non_names / country marker)"
        for t in toks:
            if t.text in self.non_names:
                return f"contains non-name word {t.text}"
            if marked:
                continue
            if t.pos1 in ("接頭辞", "接尾辞") or (t.pos1 and t.pos1 != "名詞"):
                return f"token {t.text} is {t.pos1}"
        return ""

    def katakana_name_ok(self, name: str) -> str:
        if len(name) < 2:
            return "too short"
        if name in self.non_names or self.only_markers.fullmatch(name):
            return "not a name (country marker)"
        return ""

    def sentence_candidates(self, doc: Document, sent: Sentence, toks: tuple[Token, ...],
                            persons: list[Entity], trace: list[TraceEvent]) -> list[Candidate]:
        norm = NormText.of(sent.text, sent.start)
        text = norm.text
        if not text:
            return []
        title_at = self.title_starts(text)
        if not title_at:
            return []
        bounds = norm.boundaries({t.start for t in toks} | {t.end for t in toks}) | {len(text)}
        tok_at = {}
        for t in toks:
            tok_at[t.start] = t

        def tokens_in(a: int, b: int) -> list[Token]:
            ra, rb = norm.raw_span(a, b)
            return [t for t in toks if ra <= t.start and t.end <= rb]

        ner_spans = []
        for e in persons:
            found = norm.folded_span(e.start, e.end)
            if found is not None and found[0] < found[1]:
                ner_spans.append(found)

        def ner_overlaps(a: int, b: int) -> bool:
            return any(x < b and a < y for x, y in ner_spans)

        def drop(rule_id: str, a: int, b: int, reason: str) -> None:
            ra, rb = norm.raw_span(a, b)
            trace.append(TraceEvent("people", rule_id, ra, rb, doc.text[ra:rb], "dropped", reason))

        out: list[Candidate] = []
        for rule, pat in self.names:
            for m in pat.finditer(text):
                a, b = m.start(), m.end()
                if rule.kind == "katakana":
                    if a > 0 and (text[a - 1] in "ー・=" or "\u30a1" <= text[a - 1] <= "\u30fa"):
                        continue
                    tail = self.best_tail(text, b, title_at)
                    # プラボウォ・インドネシア国防大臣: the part after the last ・ may be the country marker
                    dot = text.rfind("・", a, b)
                    if dot > a:
                        split = self.best_tail(text, dot + 1, title_at)
                        if split is not None and split.marker is not None and split.marker_end >= b:
                            b, tail = dot, split
                    if tail is None:
                        continue
                    why = self.katakana_name_ok(text[a:b])
                    if why:
                        drop(rule.id, a, tail.title_end, why)
                        continue
                    out.append(Candidate(sent, norm, a, b, rule.id, tail, ner_overlaps(a, b), True))
                    continue
                # kanji: the name is the start of a kanji run (or a 人名 token inside it)
                run_start = a
                run_end = a
                while run_end < len(text) and _is_han(text[run_end]):
                    run_end += 1
                if run_start > 0 and _is_han(text[run_start - 1]):
                    continue  # finditer restarts inside runs; only take each run once
                before = text[run_start - 1] if run_start > 0 else ""
                if before and (_is_kana_name_char(before) or (before.isascii() and before.isalnum())):
                    continue  # a kanji name does not follow katakana or latin letters (インド太平洋軍司令官)
                starts = [run_start] + [i for i in range(run_start + 1, run_end) if i in bounds
                                        and (t := tok_at.get(norm.starts[i])) is not None and t.pos3 == "人名"]
                best: tuple[tuple, Candidate] | None = None
                rejected: tuple[int, int, str] | None = None
                for s in starts:
                    for i in range(s + 1, min(run_end, s + self.rules.max_kanji_name) + 1):
                        if i not in bounds or s not in bounds:
                            continue
                        tail = self.best_tail(text, i, title_at)
                        if tail is None:
                            continue
                        why = self.kanji_name_ok(text[s:i], tokens_in(s, i), marked=tail.marker is not None)
                        if why:
                            if ner_overlaps(s, i) and not self.only_markers.fullmatch(text[s:i]) \
                                    and text[s:i] not in self.non_names and len(text[s:i]) <= self.rules.max_kanji_name:
                                cand = Candidate(sent, norm, s, i, "person.ner_name", tail, True, False)
                            else:
                                rejected = rejected or (s, tail.title_end, why)
                                continue
                        else:
                            cand = Candidate(sent, norm, s, i, rule.id, tail, ner_overlaps(s, i), True)
                        key = (tail.rank(self.rules.titles), cand.rule_found, s == run_start, -(i - s))
                        if best is None or key > best[0]:
                            best = (key, cand)
                if best is not None:
                    out.append(best[1])
                elif rejected is not None:
                    drop(rule.id, rejected[0], rejected[1], f"title without a name: {rejected[2]}")
        # GiNZA Person spans the rules did not read as names
        for a, b in ner_spans:
            if any(c.name_start < b and a < c.name_end for c in out):
                continue
            name = text[a:b]
            if not all(_is_han(c) or _is_kana_name_char(c) for c in name):
                continue
            if name in self.non_names or self.only_markers.fullmatch(name):
                continue
            tail = self.best_tail(text, b, title_at)
            if tail is not None:
                out.append(Candidate(sent, norm, a, b, "person.ner_name", tail, True, False))
        kept = []
        for c in out:
            follow = self.not_followed.search(text[c.tail.title_end:c.tail.title_end + 8])
            if follow is not None and follow.start() == 0:
                drop(c.name_rule, c.name_start, c.tail.title_end, "title is part of a compound noun (not_followed_by)")
                continue
            kept.append(c)
        return kept

    # ------------------------------------------------------------------ the document
    def __call__(self, doc: Document) -> Document:
        by_sentence = doc.tokens_by_sentence()
        persons_by_sentence: dict[int, list[Entity]] = {}
        for e in doc.entities:
            if e.label in PERSON_LABELS:
                persons_by_sentence.setdefault(e.sentence_id, []).append(e)
        trace: list[TraceEvent] = []
        cands: list[Candidate] = []
        for sent in doc.extractable_sentences():
            cands += self.sentence_candidates(doc, sent, by_sentence.get(sent.sentence_id, ()),
                                              persons_by_sentence.get(sent.sentence_id, []), trace)

        def span(c: Candidate) -> tuple[int, int]:
            return c.norm.raw_span(c.name_start, c.tail.title_end)

        kept, dropped = resolve(cands, span=span, priority=lambda c: 0 if c.rule_found else 1,
                                label=lambda c: c.norm.raw_text(c.name_start, c.tail.title_end))
        for c, reason in dropped:
            a, b = span(c)
            trace.append(TraceEvent("people", c.name_rule, a, b, doc.text[a:b], "dropped", reason))

        # the countries each person key carries with a marker, anywhere in the document
        marked: dict[str, Counter] = {}
        for c in kept:
            if c.tail.marker is not None:
                code = self.rules.markers[c.tail.marker].country
                if code:
                    marked.setdefault(name_key(c.norm.text[c.name_start:c.name_end]), Counter())[code] += 1

        people: list[PersonMention] = []
        for c in kept:
            t = c.tail
            # name and title are values, not spans: the folded (NFKC) form, the same in every encoding
            name = c.norm.text[c.name_start:c.name_end]
            title = c.norm.text[t.title_start:t.title_end]
            title_rule = self.rules.titles[t.title]
            key = name_key(name)
            entry = self.lookup(name, title)
            fired = [c.name_rule]
            if self.reading is not None and self.reading.match(c.norm.text, c.name_end) is not None:
                fired.append(self.reading.rule_id)
            if t.former_prefix:
                fired.append(self.rules.former_prefix.id)
            fired.append(title_rule.id)
            if t.marker is not None and not self.rules.markers[t.marker].country:
                fired.append(self.rules.markers[t.marker].id)  # an organisation (NATO): no country
            if t.marker is not None and self.rules.markers[t.marker].country:
                country = self.rules.markers[t.marker].country
                fired.append(self.rules.markers[t.marker].id)
            elif key in marked:
                country = sorted(marked[key].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
                fired.append("country.same_person")
            elif entry is not None and entry.country:
                country = entry.country
                fired.append("country.registry")
            elif not title_rule.country and (found := self.counterpart_country(doc, c.sentence.section_id)):
                country = found
                fired.append(self.counterpart.rule_id)
            else:
                country = title_rule.country
                if country:
                    fired.append("country.title_default")
            if t.tojitsu_end > t.title_end:
                fired.append(self.rules.former_suffix.id)
            if entry is not None:
                fired.append("person.registry")
            person_id = entry.id if entry is not None else f"{country or 'XX'}-{key}"
            a, b = c.norm.raw_span(c.name_start, t.title_end)
            source = "ner" if not c.rule_found else ("rule+ner" if c.ner else "rule")
            people.append(PersonMention(c.sentence.section_id, c.sentence.sentence_id, a, b, doc.text[a:b], name,
                                        title, country, t.former_prefix or t.tojitsu_end > t.title_end, person_id,
                                        source, "+".join(fired)))
        people.sort(key=lambda p: (p.start, p.end))
        return replace(doc, people=tuple(people), trace=doc.trace + tuple(trace))

    def counterpart_country(self, doc: Document, section_id: int | None) -> str:
        """The one partner country a meeting heading names (日米首脳会談 -> US), nearest heading first;
        '' when no heading of the section or its ancestors names exactly one."""
        if self.counterpart is None:
            return ""
        by_id = {s.section_id: s for s in doc.sections}
        while section_id is not None and section_id in by_id:
            section = by_id[section_id]
            for m in self.counterpart.finditer(NormText.of(section.title).text):
                codes = {mk.country for mk, pat in zip(self.rules.markers, self.markers)
                         if mk.country and pat.fullmatch(m.group("marker"))}
                if len(codes) == 1:
                    return codes.pop()
            section_id = section.parent_id
        return ""

    def lookup(self, name: str, title: str) -> PersonEntry | None:
        """The registry entry for a name (or its key) and title, if any."""
        key = name_key(name)
        for entry in self.registry.persons:
            if (name in entry.names or key in entry.names) and (not entry.titles or title in entry.titles):
                return entry
        return None


def _is_kana_name_char(c: str) -> bool:
    return "\u30a1" <= c <= "\u30fa" or c in "ー・="
