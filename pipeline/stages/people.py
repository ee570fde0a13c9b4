"""People: a name + an optional country marker + an office title, with a stable person id.

A mention is read left to right on the folded sentence text: a NAME (a katakana run such as
マイク・ペンス, or the kanji at the start of a kanji run cut at a MeCab token boundary, or a
GiNZA Person span), then right after it an optional COUNTRY MARKER (米, 英, 韓国 ...), an
optional former prefix (元), an OFFICE TITLE (防衛大臣, 国防長官, any kanji run ending in 大臣
after a marker ...) and an optional `(当時)`. Titles, markers and the words that are never names
live in rules/people.yaml; the registry of pinned ids in rules/persons.yaml.

Country: the marker's ISO code (or "Xの" before the name); else the code the same person (same
name key) carries with a marker elsewhere in the document; else the registry; else the one country
whose office the title is; else context (a mention joined by および, the country visited, the
paragraph's partner, the section heading), only where the office fits the country; else the
office's default. person_id: the registry entry (rules/persons.yaml, pipeline/persons.py) whose name,
office, country and term fit the mention and the date of its sentence (else the edition's years),
`id_source` registry; else "<country>-<key>" where key is the family name (name_key), so マイク・ペンス
and ペンス share one id in every document, whatever the order (`id_source` fallback).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Literal


from ..document import Document, PersonMention, Sentence, Token, TraceEvent
from ..ner import NerRules, SentenceView, read_in_doubt, with_entities
from ..overlap import resolve
from ..countries import CountryTable, MarkerRule
from ..persons import PersonRegistry, Resolved, Resolver
from ..ruleset import AnyOf, CompiledPattern, CountryCode, Regex, Rule, Rules, Strict
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
    countries: tuple[CountryCode, ...] = ()  # the only countries whose offices bear this title (one: that country)
    not_countries: tuple[CountryCode, ...] = ()  # countries that never use it: context may not give them
    default: CountryCode = ""  # of several `countries`, the one meant when nothing in the text says which
    organisation: bool = False  # an organisation's office (事務総長): the holder has no country
    # "" anywhere; "marker" only right after a country marker; "marker_or_foreign_name" also after a
    # katakana name or a GiNZA Person (a name next to an office no rule knows); "person_name" only
    # after a name MeCab reads as 人名 or GiNZA as Person (bare offices: 大臣, 長官)
    requires: Literal["", "marker", "marker_or_foreign_name", "person_name"] = ""


class ContextCue(Rule):
    """Words around a mention that name the country an office holder belongs to. `{countries}` in
    the pattern stands for a list of country markers (ドイツ, タイおよびシンガポール); the cue gives
    a country only when the list names exactly one and the office fits it."""

    pattern: str
    scope: Literal["sentence", "block"]


class CountryContext(Strict):
    list_separator: Regex = "、|および|及び|並びに|ならびに|と"
    of_marker: Regex = "の"  # ルクセンブルクのシルツ国防大臣: a marker + this right before the name
    joined_by: Regex = "および|及び|並びに|ならびに"  # チェコのA国防大臣およびB国防次官: B is Czech too
    cues: tuple[ContextCue, ...] = ()


class PersonIdRules(Strict):
    """How the key of a person id is taken from a name written in parts (・)."""

    family_name_first: tuple[str, ...] = ()  # first parts that are East Asian family names: リー・シェンロン
    particles: tuple[str, ...] = ()  # parts that belong to the family name after them: ル・ドリアン


class PeopleRules(Strict):
    names: tuple[NameRule, ...]
    non_names: tuple[str, ...] = ()
    not_followed_by: Regex = "(?!)"
    former_prefix: PatternRule
    former_suffix: PatternRule
    name_reading: PatternRule | None = None
    counterpart_heading: PatternRule | None = None
    titles: tuple[TitleRule, ...]
    markers: tuple[MarkerRule, ...] = ()  # organisations in a marker's place (NATO); countries: countries.yaml
    country_context: CountryContext = CountryContext()
    person_id: PersonIdRules = PersonIdRules()
    katakana_non_names: tuple[str, ...] = ()
    max_kanji_name: int = 4


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
        return (self.title_end, not titles[self.title].requires, self.marker is not None, -self.title)


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
    of_marker: int | None = None  # index of the marker of "Xの" right before the name


@dataclass(frozen=True)
class Cue:
    """A context cue found in the text: where it ends (raw offset) and the countries it names."""

    end: int
    codes: frozenset[str]
    rule_id: str


def name_key(name: str, ids: PersonIdRules) -> str:
    """The part of a name that identifies the person across mentions: the family name. `=` joins
    the parts of one name (クランプ=カレンバウアー), `・` separates them; the family name is the last
    part with the particles before it (ル・ドリアン), or the first part of a name whose first
    part is an East Asian family name (リー・シェンロン -> リー, グエン・タン・ズン -> グエン)."""
    parts = name.replace("＝", "=").split("・")
    if len(parts) >= 2 and parts[0] in ids.family_name_first:
        return parts[0]
    k = len(parts) - 1
    while k > 0 and parts[k - 1] in ids.particles:
        k -= 1
    return "・".join(parts[k:])


@stage("people", rules={"people": PeopleRules, "persons": PersonRegistry, "countries": CountryTable, "ner": NerRules},
       requires=("text", "edition", "sections", "sentences", "blocks", "tokens", "dates"), assigns=("people", "entities"),
       model=True)
class PeopleStage:
    """Adds `doc.people`, and the GiNZA entities it asked for to `doc.entities`."""

    def __init__(self, rules: Rules, model=None):
        self.rules: PeopleRules = rules.get("people")
        self.registry = Resolver(rules.get("persons"), self.key)
        self.model = model
        shape = rules.get("ner")  # how a doubt is widened: part of what the model's evidence depends on
        self.version = f"{model.version}+{shape.model_dump_json()}" if model is not None else "rules"
        r = self.rules
        # the countries' markers (rules/countries.yaml), then people.yaml's own (organisations)
        self.marker_rules: tuple[MarkerRule, ...] = rules.get("countries").marker_rules() + r.markers
        self.names = [(n, CompiledPattern.of(n.id, n.pattern)) for n in r.names]
        self.titles = [CompiledPattern.of(t.id, t.pattern) for t in r.titles]
        self.markers = [CompiledPattern.of(m.id, m.pattern) for m in self.marker_rules]
        self.only_markers = CompiledPattern.of("markers", "(?:" + "|".join(f"(?:{m.pattern})" for m in self.marker_rules)
                                               + ")+")
        self.former_prefix = CompiledPattern.of(r.former_prefix.id, r.former_prefix.pattern)
        self.former_suffix = CompiledPattern.of(r.former_suffix.id, r.former_suffix.pattern)
        self.reading = CompiledPattern.of(r.name_reading.id, r.name_reading.pattern) if r.name_reading else None
        ctx = r.country_context
        any_marker = "(?:" + "|".join(f"(?:{m.pattern})" for m in self.marker_rules) + ")"
        countries = f"(?P<countries>{any_marker}(?:(?:{ctx.list_separator}){any_marker})*)"
        self.separator = CompiledPattern.of("people.country_context.list_separator", ctx.list_separator)
        self.counterpart = (CompiledPattern.of(r.counterpart_heading.id,
                                               r.counterpart_heading.pattern.replace("{countries}", countries))
                            if r.counterpart_heading else None)
        self.cues = [(cue, CompiledPattern.of(cue.id, cue.pattern.replace("{countries}", countries)))
                     for cue in ctx.cues]
        self.of_marker = CompiledPattern.of("people.country_context.of_marker", f"(?:{ctx.of_marker})\\Z")
        self.joined_by = CompiledPattern.of("people.country_context.joined_by", ctx.joined_by)
        self.katakana_non_names = frozenset(r.katakana_non_names)
        self.not_followed = CompiledPattern.of("people.not_followed_by", r.not_followed_by)
        self.non_names = frozenset(r.non_names)
        self._marker_memo: dict[str, tuple[int, ...]] = {}  # text -> indices of the markers it fullmatches
        # one alternation of every marker: where it does not match, none does
        self._any_marker = AnyOf("markers", [m.pattern for m in self.marker_rules])

    def markers_matching(self, piece: str) -> tuple[int, ...]:
        """Indices of the marker patterns that match all of `piece` (memoized: pieces repeat)."""
        hit = self._marker_memo.get(piece)
        if hit is None:
            if not self._any_marker.matches_all(piece):
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
            for m in pat.finditer(text, overlapped=True):
                found.setdefault(m.start(), []).append((k, m.end()))
        return found

    def title_allowed(self, k: int, marker: int | None, *, foreign: bool, person: bool) -> bool:
        """Whether title rule `k` may follow this name (`requires`, see TitleRule)."""
        req = self.rules.titles[k].requires
        if req == "marker":
            return marker is not None
        if req == "marker_or_foreign_name":
            return marker is not None or foreign
        if req == "person_name":
            return marker is None and person
        return True

    def tails(self, text: str, pos: int, title_at: dict[int, list[tuple[int, int]]], *,
              foreign: bool = False, person: bool = False) -> list[Tail]:
        """Every reading of former? marker? former? title (当時)? starting exactly at `pos`
        (元米大統領 and 米元大統領 alike). `foreign`/`person`: what the name is (see title_allowed)."""
        out: list[Tail] = []
        if self.reading is not None:  # 鄭景斗(チョン・ギョンドゥ)韓国国防部長官: skip the name's reading
            m = self.reading.match(text, pos)
            if m is not None:
                pos = m.end()
        starts = [(False, pos)]
        if self.former_prefix.fullmatch(text[pos:pos + 1]):
            starts.append((True, pos + 1))
        for former0, p0 in starts:
            marker_opts: list[tuple[int | None, int]] = [(None, p0)]
            for j in range(p0 + 1, min(len(text), p0 + MAX_MARKER) + 1):
                if j in title_at or j + 1 in title_at:
                    marker_opts += [(k, j) for k in self.markers_matching(text[p0:j])]
            for marker, p1 in marker_opts:
                former_opts = [(former0, p1)]
                if not former0 and p1 + 1 in title_at and self.former_prefix.fullmatch(text[p1:p1 + 1]):
                    former_opts.append((True, p1 + 1))
                for former, p2 in former_opts:
                    for k, end in title_at.get(p2, ()):
                        if not self.title_allowed(k, marker, foreign=foreign, person=person):
                            continue
                        m = self.former_suffix.match(text, end)
                        out.append(Tail(marker, p1, former, k, p2, end, m.end() if m else end))
        return out

    def best_tail(self, text: str, pos: int, title_at: dict[int, list[tuple[int, int]]], *,
                  foreign: bool = False, person: bool = False) -> Tail | None:
        found = self.tails(text, pos, title_at, foreign=foreign, person=person)
        # readings after the same name: on a tie, the longer marker (中国+国務委員兼国防部長, not 中+国国務…)
        return max(found, key=lambda t: (t.rank(self.rules.titles), t.title_start)) if found else None

    def kanji_name_ok(self, name: str, toks: list[Token], *, marked: bool) -> str:
        """'' when a kanji run is a plausible name, else the reason it is not. Before a foreign
        country marker or an office only other countries have (宋永武韓国国防部長官, 文在寅韓国大統領,
        李相熙国防部長官) MeCab's reading of the name is not asked."""
        if not 1 <= len(name) <= self.rules.max_kanji_name:
            return "kanji name too long"
        if name in self.non_names or self.only_markers.fullmatch(name):
            return "not a name (non_names / country marker)"
        # 董軍中国国防部長: before a foreign marker, a short name that starts with a surname keeps a word
        # that is never a name on its own
        surname_first = marked and len(name) <= 3 and bool(toks) and toks[0].pos3 == "人名"
        for t in toks:
            if t.text in self.non_names and not (surname_first and t is not toks[0]):
                return f"contains non-name word {t.text}"
        for t in toks:
            if not marked and (t.pos1 in ("接頭辞", "接尾辞") or (t.pos1 and t.pos1 != "名詞")):
                return f"token {t.text} is {t.pos1}"  # the only reason GiNZA may overrule
        return ""

    def katakana_name_ok(self, name: str) -> str:
        if len(name) < 2:
            return "too short"
        if name in self.non_names or name in self.katakana_non_names or self.only_markers.fullmatch(name):
            return "not a name (country marker / katakana_non_names)"
        return ""

    def marker_starts(self, text: str, i: int) -> bool:
        """Whether a country written out (two characters or more: 韓国, not the 中 of 田中) starts at
        folded position i."""
        if not self._any_marker.matches_at(text, i):
            return False  # no marker starts here (one alternation of them all)
        return any((m := pat.match(text, i)) is not None and m.end() - i >= 2 for pat in self.markers)

    def starts_country_name(self, text: str, a: int, b: int) -> bool:
        """Whether a country marker starting at `a` runs past `b`: アラブ in アラブ首長国連邦 is no name."""
        if not self._any_marker.matches_at(text, a):
            return False  # no marker starts here (one alternation of them all)
        return any((m := pat.match(text, a)) is not None and m.end() > b for pat in self.markers)

    def marker_before(self, text: str, a: int) -> int | None:
        """The marker of "Xの" right before a name (ルクセンブルクのシルツ国防大臣), longest first."""
        of = self.of_marker.search(text[:a])
        if of is None:
            return None
        end = of.start()
        for j in range(max(0, end - MAX_MARKER), end):
            piece = text[j:end]
            hit = self.markers_matching(piece)
            # the piece must start a word, not sit inside a longer katakana, kanji or latin run
            if hit and not (j > 0 and _script(text[j - 1]) and _script(text[j - 1]) == _script(piece[0])):
                return hit[0]
        return None

    def sentence_candidates(self, view: SentenceView, doubts: list[tuple[int, int]] | None = None) -> list[Candidate]:
        """The sentence's candidates. With `doubts` (a first reading, no model evidence yet), also the
        folded spans where a GiNZA Person could change them: a title that only a person's or a foreign
        name may precede, a kanji run MeCab does not read as a name, a title with no name found."""
        text = view.text
        title_at = self.title_starts(text) if text else {}
        if not title_at:
            return []
        out: list[Candidate] = []
        for rule, pat in self.names:
            for m in pat.finditer(text):
                found = (self._katakana_name if rule.kind == "katakana" else self._kanji_run)(
                    view, title_at, rule, m.start(), m.end(), doubts)
                if found is not None:
                    out.append(found)
        if doubts is not None:
            doubts += self.unnamed_titles(text, title_at, out)
        out += self._model_names(view, title_at, out)
        kept = []
        for c in out:
            follow = self.not_followed.search(text[c.tail.title_end:c.tail.title_end + 8])
            if follow is not None and follow.start() == 0:
                view.drop(c.name_rule, c.name_start, c.tail.title_end,
                          "title is part of a compound noun (not_followed_by)")
                continue
            kept.append(replace(c, of_marker=self.marker_before(text, c.name_start)))
        return kept

    def _katakana_name(self, view: SentenceView, title_at: dict[int, list[tuple[int, int]]], rule: NameRule,
                       a: int, b: int, doubts: list[tuple[int, int]] | None) -> Candidate | None:
        """The katakana name text[a:b] before a tail, or None."""
        text = view.text
        if a > 0 and (text[a - 1] in "ー・=" or "\u30a1" <= text[a - 1] <= "\u30fa"):
            return None
        # ウクライナ・ウメロフ国防相: a country written before the name's ・ is its marker
        # (of_marker reads it back), not a part of the name
        first = text.find("・", a, b)
        if first > a and self.markers_matching(text[a:first]) and self.of_marker.search(text[:first + 1]):
            a = first + 1
        ner = view.evidence_ends_in(a, b)
        tail = self.best_tail(text, b, title_at, foreign=True, person=ner)
        if doubts is not None and not ner:
            alt = self.best_tail(text, b, title_at, foreign=True, person=True)
            if _reads_differently(alt, tail):
                doubts.append((a, alt.title_end))
        # プラボウォ・インドネシア国防大臣: the part after the last ・ may be the country marker
        dot = text.rfind("・", a, b)
        if dot > a:
            split = self.best_tail(text, dot + 1, title_at, foreign=True, person=ner)
            if split is not None and split.marker is not None and split.marker_end >= b:
                b, tail = dot, split
        if tail is None:
            return None
        why = self.katakana_name_ok(text[a:b])
        if not why and self.starts_country_name(text, a, b):
            why = "the start of a country name"
        if why:
            view.drop(rule.id, a, tail.title_end, why)
            return None
        return Candidate(view.sent, view.norm, a, b, rule.id, tail, view.evidence_overlaps(a, b), True)

    def _kanji_run(self, view: SentenceView, title_at: dict[int, list[tuple[int, int]]], rule: NameRule,
                   a: int, b: int, doubts: list[tuple[int, int]] | None) -> Candidate | None:
        """The kanji name at the start of the kanji run at `a` (or at a 人名 token inside it) before a
        tail: the best reading of every start and end the tokens allow, or None."""
        text, bounds = view.text, view.bounds
        run_start = run_end = a
        while run_end < len(text) and _is_han(text[run_end]):
            run_end += 1
        if run_start > 0 and _is_han(text[run_start - 1]):
            return None  # finditer restarts inside runs; only take each run once
        before = text[run_start - 1] if run_start > 0 else ""
        if before and (_is_kana_name_char(before) or (before.isascii() and before.isalnum())):
            return None  # a kanji name does not follow katakana or latin letters (インド太平洋軍司令官)
        starts = [run_start] + [i for i in range(run_start + 1, run_end) if i in bounds
                                and (t := view.token_at(view.norm.starts[i])) is not None and t.pos3 == "人名"]
        best: tuple[tuple, Candidate] | None = None
        best_alt: tuple | None = None  # the choice GiNZA could make: a Person over every span
        rejected: tuple[int, int, str] | None = None
        for s in starts:
            for i in range(s + 1, min(run_end, s + self.rules.max_kanji_name) + 1):
                # a name ends at a token edge, or where a country marker starts (李鐘燮韓国国防部長官:
                # MeCab reads 燮韓 as one word)
                if s not in bounds or (i not in bounds and not self.marker_starts(text, i)):
                    continue
                toks_si = view.tokens_in(s, i)
                ner = view.evidence_ends_in(s, i)
                person = ner or (bool(toks_si) and all(t.pos3 == "人名" for t in toks_si))
                found = self._kanji_choice(view, title_at, rule, run_start, s, i, toks_si, ner, person)
                if doubts is not None and not ner:
                    alt = self._kanji_choice(view, title_at, rule, run_start, s, i, toks_si, True, True)
                    if alt is not None and alt[0] is not None and (best_alt is None or alt[0] > best_alt[0]):
                        best_alt = (alt[0], s, i, alt[1].tail)
                if found is None:
                    continue
                if found[0] is None:
                    rejected = rejected or (s, found[2].title_end, found[1])
                elif best is None or found[0] > best[0]:
                    best = found
        if best_alt is not None and (best is None or (best[1].name_start, best[1].name_end, best[1].tail)
                                     != best_alt[1:]):
            doubts.append((best_alt[1], best_alt[3].title_end))
        if best is None and rejected is not None:
            view.drop(rule.id, rejected[0], rejected[1], f"title without a name: {rejected[2]}")
        return best[1] if best is not None else None

    def _kanji_choice(self, view: SentenceView, title_at: dict[int, list[tuple[int, int]]], rule: NameRule,
                      run_start: int, s: int, i: int, toks_si: list[Token], ner: bool, person: bool):
        """The kanji name text[s:i] before its best tail: (rank key, candidate), or (None, the reason it
        is no name, the tail), or None when no title follows."""
        text = view.text
        tail = self.best_tail(text, i, title_at, foreign=ner, person=person)
        if tail is None:
            return None
        # before a marker or a foreign office (国防部長官: Korea only) the name is foreign
        title = self.rules.titles[tail.title]
        foreign_office = tail.marker is not None or (bool(title.countries) and "JP" not in title.countries)
        why = self.kanji_name_ok(text[s:i], toks_si, marked=foreign_office)
        if not why and self.starts_country_name(text, s, i):
            why = "the start of a country name"
        if why and not (ner and why.startswith("token ")):
            return None, why, tail  # GiNZA may overrule MeCab's reading of a word, never non_names or markers
        cand = (Candidate(view.sent, view.norm, s, i, "person.ner_name", tail, True, False) if why
                else Candidate(view.sent, view.norm, s, i, rule.id, tail, view.evidence_overlaps(s, i), True))
        return (tail.rank(self.rules.titles), cand.rule_found, s == run_start, -(i - s)), cand

    def _model_names(self, view: SentenceView, title_at: dict[int, list[tuple[int, int]]],
                     found: list[Candidate]) -> list[Candidate]:
        """GiNZA Person spans the rules did not read as names, before a tail."""
        text, out = view.text, []
        for a, b in view.evidence:
            if any(c.name_start < b and a < c.name_end for c in found + out):
                continue
            name = text[a:b]
            if not all(_is_han(c) or _is_kana_name_char(c) for c in name):
                continue
            if name in self.non_names or self.only_markers.fullmatch(name):
                continue
            if name in self.katakana_non_names or self.starts_country_name(text, a, b):
                continue
            tail = self.best_tail(text, b, title_at, foreign=True, person=True)
            if tail is not None:
                out.append(Candidate(view.sent, view.norm, a, b, "person.ner_name", tail, True, False))
        return out

    def unnamed_titles(self, text: str, title_at: dict[int, list[tuple[int, int]]],
                       found: list[Candidate]) -> list[tuple[int, int]]:
        """Titles no candidate names, after a run of name characters that is not only a country marker
        or a word that is never a name: where a GiNZA Person the rules did not read would be kept."""
        named = {c.tail.title_start for c in found}
        inner = {k for t, ends in title_at.items() for _, e in ends for k in range(t + 1, e)}
        out = []
        for t0 in sorted(title_at):
            if t0 in named or t0 == 0 or t0 in inner:  # 長官 inside 国防長官 is not a title of its own
                continue
            for p in range(max(1, t0 - MAX_MARKER), t0 + 1):
                if not (_is_han(text[p - 1]) or _is_kana_name_char(text[p - 1])):
                    continue
                if any(c.name_start < p <= c.tail.title_end for c in found):
                    continue
                run = p - 1
                while run > 0 and p - run < 12 and (_is_han(text[run - 1]) or _is_kana_name_char(text[run - 1])):
                    run -= 1
                word = text[run:p]
                if word in self.non_names or word in self.katakana_non_names or self.only_markers.fullmatch(word):
                    continue
                tail = self.best_tail(text, p, title_at, foreign=True, person=True)
                if tail is not None and tail.title_start == t0:
                    out.append((run, tail.title_end))
                    break
        return out

    # ------------------------------------------------------------------ the document
    def __call__(self, doc: Document) -> Document:
        cands, trace, entities = read_in_doubt(
            doc, "people", self.model, self.sentence_candidates,
            lambda e: e.label in PERSON_LABELS)

        def span(c: Candidate) -> tuple[int, int]:
            return c.norm.raw_span(c.name_start, c.tail.title_end)

        kept, dropped = resolve(cands, span=span, priority=lambda c: 0 if c.rule_found else 1,
                                label=lambda c: c.norm.raw_text(c.name_start, c.tail.title_end))
        for c, reason in dropped:
            a, b = span(c)
            trace.append(TraceEvent("people", c.name_rule, a, b, doc.text[a:b], "dropped", reason))

        # the countries each person key carries with a marker (米, ルクセンブルクの), anywhere in the document
        marked: dict[str, Counter] = {}
        for c in kept:
            found = self.marker_country(c)
            if found is not None and found[0]:
                marked.setdefault(self.key(c.norm.text[c.name_start:c.name_end]), Counter())[found[0]] += 1
        cues = self.context_cues(doc)

        dates: dict[int, tuple[str, ...]] = {}  # sentence -> the registry's "when": its dates, else the
        for d in doc.dates:                      # dates of the paragraph's last dated sentence before it
            dates[d.sentence_id] = dates.get(d.sentence_id, ()) + (d.value,)
        last: dict[int, tuple[str, ...]] = {}
        for sent in sorted(doc.sentences, key=lambda x: x.start):
            last[sent.block_id] = dates.setdefault(sent.sentence_id, last.get(sent.block_id, ()))
        people: list[PersonMention] = []
        previous: dict[int, tuple[int, str, bool]] = {}  # sentence -> (end, country, from a marker) of the last mention
        for c in sorted(kept, key=span):
            t = c.tail
            # name and title are values, not spans: the folded (NFKC) form, the same in every encoding
            name = c.norm.text[c.name_start:c.name_end]
            title = c.norm.text[t.title_start:t.title_end]
            title_rule = self.rules.titles[t.title]
            key = self.key(name)
            former = t.former_prefix or t.tojitsu_end > t.title_end
            marked_here = self.marker_country(c)
            entry = self.registry.resolve(name, title, country=marked_here[0] if marked_here else "",
                                          dates=dates.get(c.sentence.sentence_id, ()), edition=doc.edition,
                                          former=former)
            a, b = c.norm.raw_span(c.name_start, t.title_end)
            fired = [c.name_rule]
            if self.reading is not None and self.reading.match(c.norm.text, c.name_end) is not None:
                fired.append(self.reading.rule_id)
            if t.former_prefix:
                fired.append(self.rules.former_prefix.id)
            fired.append(title_rule.id)
            country, why = self.country_of(doc, c, key=key, entry=entry, marked=marked, cues=cues,
                                           previous=previous.get(c.sentence.sentence_id), start=a)
            fired += why
            if entry is not None and entry.country and country and country != entry.country:
                entry = None  # the registry's person is of another country
            previous[c.sentence.sentence_id] = (b, country, self.marker_country(c) is not None)
            if t.tojitsu_end > t.title_end:
                fired.append(self.rules.former_suffix.id)
            if entry is not None:
                fired += ["person.registry", entry.id]
            person_id = entry.id if entry is not None else f"{country or 'XX'}-{key}"
            source = "ner" if not c.rule_found else ("rule+ner" if c.ner else "rule")
            people.append(PersonMention(c.sentence.section_id, c.sentence.sentence_id, a, b, doc.text[a:b], name,
                                        title, country, former, person_id, source, "+".join(fired),
                                        "registry" if entry is not None else "fallback"))
        people.sort(key=lambda p: (p.start, p.end))
        return replace(doc, people=tuple(people), trace=doc.trace + tuple(trace),
                       entities=with_entities(doc, entities))

    # ------------------------------------------------------------------ countries
    def key(self, name: str) -> str:
        return name_key(name, self.rules.person_id)

    def marker_country(self, c: Candidate) -> tuple[str, str] | None:
        """(code, rule id) of the marker written with the mention (米, NATO, ルクセンブルクの); None without one."""
        if c.tail.marker is not None:
            mk = self.marker_rules[c.tail.marker]
            return mk.country, mk.id
        if c.of_marker is not None:
            mk = self.marker_rules[c.of_marker]
            return mk.country, mk.id
        return None

    def office(self, rule: TitleRule, name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(countries, not_countries) of an office for this name: a katakana name is not Japanese, so a
        Japanese office after one (マカリー外務大臣) is the same office of some other country."""
        if name and _is_kana_name_char(name[0]) and "JP" in rule.countries:
            return tuple(x for x in rule.countries if x != "JP"), tuple(rule.not_countries) + ("JP",)
        return rule.countries, rule.not_countries

    def fits(self, rule: TitleRule, name: str, code: str) -> bool:
        """Whether the office `rule` of a person named `name` can be held in country `code`."""
        if rule.organisation or not code:
            return False
        countries, excluded = self.office(rule, name)
        return (not countries or code in countries) and code not in excluded

    def country_of(self, doc: Document, c: Candidate, *, key: str, entry: Resolved | None,
                   marked: dict[str, Counter], cues: dict[tuple[str, int], list[Cue]],
                   previous: tuple[int, str, bool] | None, start: int) -> tuple[str, list[str]]:
        """The mention's country and the ids of the rules that gave it, the first that applies: the marker
        (米, ルクセンブルクの); the same person's marked mentions; the registry; an office only one country
        has (防衛大臣 -> JP); the marker of the mention joined by および before it; a context cue (the
        country visited, the partner of `Xとの間では`), nearest first; the partner in the section heading;
        the office's default among the countries that have it (国防長官 -> US, unless context says PH).
        Context counts only where the office fits the country (a NATO 事務総長 is nobody's)."""
        found = self.marker_country(c)
        if found is not None:
            return found[0], ([found[1]] if c.tail.marker is not None else [found[1], "country.of_marker"])
        if key in marked:
            return sorted(marked[key].items(), key=lambda kv: (-kv[1], kv[0]))[0][0], ["country.same_person"]
        if entry is not None and entry.country:
            return entry.country, ["country.registry"]
        rule = self.rules.titles[c.tail.title]
        name = c.norm.text[c.name_start:c.name_end]
        if rule.organisation:
            return "", []
        countries, _ = self.office(rule, name)
        if len(countries) == 1:
            return countries[0], ["country.office"]
        if previous is not None and previous[2] and self.fits(rule, name, previous[1]):
            gap = doc.text[previous[0]:start]
            if self.joined_by.fullmatch(NormText.of(gap).text):
                return previous[1], ["country.joined"]
        near = cues.get(("sentence", c.sentence.sentence_id), []) + cues.get(("block", c.sentence.block_id), [])
        for cue in sorted((q for q in near if q.end <= start), key=lambda q: -q.end):
            fit = {code for code in cue.codes if self.fits(rule, name, code)}
            if len(fit) == 1:
                return fit.pop(), [cue.rule_id]
            if len(fit) > 1:
                return "", []
        code = self.counterpart_country(doc, c.sentence.section_id, lambda x: self.fits(rule, name, x))
        if code:
            return code, [self.counterpart.rule_id]
        if rule.default and rule.default in countries:
            return rule.default, ["country.office_default"]
        return "", []

    def codes_of(self, piece: str) -> frozenset[str]:
        """The countries a list of markers names (タイおよびシンガポール -> TH, SG); empty unless every
        part of the list is a marker."""
        codes = set()
        for part in self.separator.compiled.split(piece):
            hit = self.markers_matching(part) if part else ()
            if not hit:
                return frozenset()
            codes.add(self.marker_rules[hit[0]].country)
        return frozenset(codes - {""})

    def context_cues(self, doc: Document) -> dict[tuple[str, int], list[Cue]]:
        """(scope, sentence or block id) -> the context cues found in it (rules: country_context.cues)."""
        out: dict[tuple[str, int], list[Cue]] = {}
        if not self.cues:
            return out
        for sent in doc.extractable_sentences():
            norm = NormText.of(sent.text, sent.start)
            for cue, pat in self.cues:
                for m in pat.finditer(norm.text):
                    codes = self.codes_of(m.group("countries"))
                    if codes:
                        scope_id = sent.sentence_id if cue.scope == "sentence" else sent.block_id
                        out.setdefault((cue.scope, scope_id), []).append(
                            Cue(norm.raw_span(m.start(), m.end())[1], codes, cue.id))
        return out

    def counterpart_country(self, doc: Document, section_id: int | None, fits) -> str:
        """The one partner country a heading names (日米首脳会談 -> US) that the office fits, nearest
        heading first; '' when no heading of the section or its ancestors names one."""
        if self.counterpart is None:
            return ""
        by_id = {s.section_id: s for s in doc.sections}
        while section_id is not None and section_id in by_id:
            section = by_id[section_id]
            for m in self.counterpart.finditer(NormText.of(section.title).text):
                codes = {code for code in self.codes_of(m.group("countries")) if fits(code)}
                if len(codes) == 1:
                    return codes.pop()
            section_id = section.parent_id
        return ""


def _reads_differently(alt: Tail | None, tail: Tail | None) -> bool:
    """Whether the reading a name would get with GiNZA's evidence (`alt`) differs from the rules' own:
    a title found only then, or another extent of marker and title."""
    if alt is None:
        return False
    return tail is None or (alt.marker_end, alt.title_start, alt.title_end) != (tail.marker_end, tail.title_start,
                                                                               tail.title_end)


def _is_kana_name_char(c: str) -> bool:
    return "\u30a1" <= c <= "\u30fa" or c in "ー・="


def _script(c: str) -> str:
    """'han', 'kana' or 'latin' for a character that continues a word of that script, else ''."""
    if _is_han(c):
        return "han"
    if _is_kana_name_char(c):
        return "kana"
    return "latin" if c.isascii() and c.isalnum() else ""
