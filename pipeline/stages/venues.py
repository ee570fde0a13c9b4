"""Venues: the places where a meeting or an event took place.

A CUE (において, で + an event verb, an event's の機会に/の際に, を訪問, X訪問, に寄港, a place in
brackets after a meeting date) points at a PLACE PHRASE: the run of kanji/katakana/latin letters
before the cue (past a bracketed aside, a reading in kana or a latin gloss; or inside the
brackets), trimmed from the left to the longest part that reads as a place and extended over
"XのY" when X is a place too and over "X・Y" when X contains Y (中国広東省・湛江). Places joined
to it by a coordinator (X、Y及びZを訪問) share the cue. A phrase reads as a place by the
gazetteer, a country marker + facility (米国防省), MeCab's 地名 tags, a katakana run that is not
one dictionary common noun, a facility word after a place, kanji with a reading in kana, or a
GiNZA place entity. Topics (尖閣諸島), modes (電話, テレビ会議) and non-places (全国) are
excluded. All of it is data in rules/venues.yaml; the countries (places of kind `country`, and
the markers of 米国防省) come from rules/countries.yaml. `meeting_id` stays empty: the meetings stage links venues to meetings.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from ..document import Document, Sentence, Token, TraceEvent, VenueMention
from ..ner import SentenceView, read_in_doubt, with_entities
from ..overlap import Covered, resolve
from ..ruleset import CompiledPattern, CountryCode, Regex, Rule, Rules, Strict
from ..textnorm import NormText
from ..textnorm import is_han as _is_han
from . import stage

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "Country", "City", "Province", "Location", "GPE_Other",
                          "Location_Other", "Facility", "Facility_Other", "Geological_Region", "Geological_Region_Other",
                          "Region", "Continental_Region", "Domestic_Region", "County", "Sea", "Bay", "Island",
                          "Military_Base", "Port", "Airport", "Station", "Park", "Spa", "Water_Route", "Line_Other",
                          "Astral_Body", "Archaeological_Place", "Theater", "Public_Institution", "Worship_Place",
                          "Car_Stop", "Research_Institute", "Sports_Facility", "Market", "Museum", "Zoo", "School"})
MAX_PHRASE = 30


class Cue(Rule):
    pattern: Regex
    # kinds of place the cue accepts (all when empty); `place` is a MeCab 地名 or NER place, `name` a
    # katakana/latin name no dictionary knows as a place
    requires: tuple[Literal["country", "state", "region", "city", "facility", "event", "sea", "place", "name"], ...] = ()


class PatternRule(Rule):
    pattern: Regex


class Place(Strict):
    name: str
    country: CountryCode = ""
    kind: Literal["country", "state", "region", "city", "facility", "event", "sea"]
    aliases: tuple[str, ...] = ()


class VenueRules(Strict):
    cues: tuple[Cue, ...]
    context: PatternRule
    place_chars: Regex
    facility_suffix: Regex
    event_pattern: Regex
    sea_pattern: Regex
    sea_word: Regex = "(?!)"
    event_placed: Regex = "(?!)"
    admin_prefix: Regex
    container_suffix: Regex = "(?!)"
    coordinator: Regex = "(?!)"
    reading_aside: Regex = "(?!)"
    gloss: Regex = "(?!)"
    kanji_default_country: CountryCode = ""
    non_place_suffix: Regex = "(?!)"
    topics: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    non_places: tuple[str, ...] = ()
    gazetteer: tuple[Place, ...] = ()




@dataclass(frozen=True)
class Reading:
    """Why a phrase is a place: its kind, country (None = not known yet) and the rule ids that said so."""

    kind: str
    country: str | None
    rules: tuple[str, ...]
    ner: bool = False
    rule_found: bool = True


@dataclass(frozen=True)
class Candidate:
    sentence: Sentence
    norm: NormText
    start: int
    end: int
    name_start: int
    name_end: int
    country: str
    cue: str
    reading: Reading


@stage("venues", rules={"venues": VenueRules}, reads=("countries", "ner"),
       requires=("text", "sentences", "blocks", "tokens", "people"), assigns=("venues", "entities"), model=True)
class VenueStage:
    """Adds `doc.venues` (meeting_id left empty), and the GiNZA entities it asked for to `doc.entities`."""

    def __init__(self, rules: Rules, model=None):
        self.rules: VenueRules = rules.get("venues")
        self.model = model
        shape = rules.get("ner")  # how a doubt is widened: part of what the model's evidence depends on
        self.version = f"{model.version}+{shape.model_dump_json()}" if model is not None else "rules"
        countries = rules.get("countries")
        r = self.rules
        self.cues = [(c, CompiledPattern.of(c.id, c.pattern)) for c in r.cues]
        self.context = CompiledPattern.of(r.context.id, r.context.pattern)
        self.place_char = CompiledPattern.of("venues.place_chars", r.place_chars)
        self.facility = CompiledPattern.of("venues.facility_suffix", r.facility_suffix)
        self.event = CompiledPattern.of("venue.event_pattern", r.event_pattern)
        self.sea = CompiledPattern.of("venues.sea_pattern", r.sea_pattern)
        self.sea_word = CompiledPattern.of("venues.sea_word", r.sea_word)
        self.event_placed = CompiledPattern.of("venues.event_placed", r.event_placed)
        self.admin = CompiledPattern.of("venues.admin_prefix", r.admin_prefix)
        self.non_place_suffix = CompiledPattern.of("venues.non_place_suffix", r.non_place_suffix)
        self.container = CompiledPattern.of("venues.container_suffix", r.container_suffix)
        self.coordinator = CompiledPattern.of("venues.coordinator", r.coordinator)
        self.reading_aside = CompiledPattern.of("venues.reading_aside", r.reading_aside)
        self.gloss = CompiledPattern.of("venues.gloss", r.gloss)
        self.markers = [(m.country, CompiledPattern.of(m.id, m.pattern), m.id) for m in countries.marker_rules()]
        self.places: dict[str, Place] = {}
        for p in gazetteer(countries, r):
            for n in (p.name, *p.aliases):
                self.places.setdefault(n, p)
        self.by_length = sorted(self.places, key=lambda n: (-len(n), n))
        self.excluded = {**{w: "topic of talk" for w in r.topics}, **{w: "mode of meeting" for w in r.modes},
                         **{w: "not a place" for w in r.non_places}}

    # ------------------------------------------------------------------ is this a place?
    def reading(self, s: str, toks: list[Token], ner: bool) -> Reading | str:
        """How `s` reads as a place, or the reason it does not."""
        if not s:
            return "empty"
        if s in self.excluded:
            return self.excluded[s]
        for mode in self.rules.modes:
            if mode in s:
                return "mode of meeting"
        if s in self.places:
            p = self.places[s]
            return Reading(p.kind, p.country, ("venue.gazetteer",), ner)
        if self.non_place_suffix.search(s):
            return "a region of concern (non_place_suffix)"
        # country marker + facility: 米国防省, 英国防省 (the facilities first: a dictionary look-up)
        cuts = [n for n in range(1, len(s)) if (f := self.places.get(s[n:])) is not None and f.kind == "facility"]
        for code, pat, rid in self.markers if cuts else ():
            for n in cuts:
                if pat.fullmatch(s[:n]):
                    return Reading("facility", code, ("venue.marker_facility", rid), ner)
        if self.event.search(s):
            return Reading("event", None, ("venue.event_pattern",), ner)
        if self.sea.search(s) and len(toks) >= 2 and self.sea_word.fullmatch(toks[-1].text) \
                and any(t.pos3 == "地名" for t in toks[:-1]):  # 日本海, not the city 上海
            return Reading("sea", "", ("venue.sea_pattern",), ner)
        if toks and toks[0].pos2 == "固有名詞" and toks[0].pos3 == "地名" \
                and all(t.pos1 in ("名詞", "接尾辞") for t in toks):
            return Reading("place", None, ("venue.mecab_place",), ner)
        latin_kana = all(_is_kana(c) or c.isascii() and c.isalpha() for c in s)
        if latin_kana and len(s) >= 2:
            if len(toks) == 1 and toks[0].pos2 == "普通名詞" and toks[0].lemma:
                return "a dictionary common noun"
            return Reading("name", None, ("venue.katakana_place",), ner)  # a name, maybe not a place
        fac = self.facility.search(s)
        if fac and fac.start() > 0:
            head = s[:fac.start()]
            # a katakana name, optionally with a short kanji qualifier (アンダーセン空軍基地)
            k = 0
            while k < len(head) and _is_kana(head[k]):
                k += 1
            qualified = k > 0 and len(head) - k <= 3 and all(_is_han(c) for c in head[k:])
            if qualified or head in self.places or (toks and toks[0].pos3 == "地名"):
                return Reading("facility", None, ("venue.facility",), ner)
        if ner:
            return Reading("place", None, ("venue.ner_place",), True, False)
        return NOT_READ

    def country_inside(self, s: str) -> str | None:
        """The country of the most specific gazetteer entry written inside `s`."""
        found: list[tuple[int, Place]] = []
        for n in self.by_length:
            k = s.find(n)
            if k >= 0:
                found.append((k + len(n), self.places[n]))
        found = [f for f in found if f[1].country]
        if not found and self.facility.search(s):
            for code, pat, _ in self.markers:
                for n in range(1, min(4, len(s))):
                    if pat.fullmatch(s[:n]):
                        return code
        if not found:
            return None
        return max(found, key=lambda f: f[0])[1].country

    # ------------------------------------------------------------------ one sentence
    def sentence_candidates(self, view: SentenceView, doubts: list[tuple[int, int]] | None = None) -> list[Candidate]:
        """The sentence's candidates. With `doubts` (a first reading, no model evidence yet), also the
        folded spans before a cue that no rule reads as a place: where a GiNZA place would be kept."""
        return _PlaceReading(self, view, doubts).candidates()

    # ------------------------------------------------------------------ the document
    def __call__(self, doc: Document) -> Document:
        cands, trace, entities = read_in_doubt(
            doc, "venues", self.model, self.sentence_candidates,
            lambda e: e.label in PLACE_LABELS or e.ontonotes in ("GPE", "LOC", "FAC"))
        people = Covered([(p.start, p.end) for p in doc.people])
        free: list[Candidate] = []
        for c in cands:
            a, b = c.norm.raw_span(c.start, c.end)
            if people.overlaps(a, b):
                trace.append(TraceEvent("venues", c.cue.split("+")[0], a, b, doc.text[a:b], "dropped",
                                        "overlaps a person mention"))
                continue
            free.append(c)
        # the same span from two cues is one venue: keep the first cue's reading
        kept, dropped = resolve(free, span=lambda c: c.norm.raw_span(c.start, c.end),
                                priority=lambda c: 0 if c.reading.rule_found else 1,
                                label=lambda c: c.norm.raw_text(c.start, c.end))
        for c, reason in dropped:
            a, b = c.norm.raw_span(c.start, c.end)
            trace.append(TraceEvent("venues", c.cue.split("+")[0], a, b, doc.text[a:b], "dropped", reason))
        venues = []
        for c in kept:
            a, b = c.norm.raw_span(c.start, c.end)
            source = ("rule+ner" if c.reading.ner else "rule") if c.reading.rule_found else "ner"
            venues.append(VenueMention(c.sentence.section_id, c.sentence.sentence_id, a, b, doc.text[a:b],
                                       c.norm.raw_text(c.name_start, c.name_end), c.country, None, source, c.cue))
        venues.sort(key=lambda v: (v.start, v.end))
        return replace(doc, venues=tuple(venues), trace=doc.trace + tuple(trace),
                       entities=with_entities(doc, entities))


class _PlaceReading:
    """The venue candidates of one sentence (`VenueStage.sentence_candidates`): the stage's rules, the
    sentence's view and, in a first reading, the doubts to fill."""

    def __init__(self, st: VenueStage, view: SentenceView, doubts: list[tuple[int, int]] | None):
        self.st, self.view, self.text, self.doubts = st, view, view.text, doubts

    def read(self, a: int, b: int) -> Reading | str:
        st, text = self.st, self.text
        toks_ab = self.view.tokens_in(a, b)
        found = st.reading(text[a:b], toks_ab, self.view.evidence_covers(a, b))
        if self.doubts is not None and found == NOT_READ and any(t.pos2 == "固有名詞" for t in toks_ab):
            self.doubts.append((a, b))  # a proper noun no rule reads as a place: GiNZA may know it
        return found

    def skip_aside(self, b: int) -> tuple[int, bool]:
        """Move b before an aside that ends at it: a bracket (シャングリラ会合(アジア安全保障会議)の機会に)
        or a latin gloss after a colon (X本部:North Atlantic Treaty Organizationにおいて). The flag is
        True when the bracket holds a reading in kana (湛江(たんこう)): the kanji before it are a name."""
        st, text = self.st, self.text
        if b > 0 and text[b - 1] == ")":
            depth, k = 0, b - 1
            while k >= 0:
                depth += {")": 1, "(": -1}.get(text[k], 0)
                if depth == 0:
                    break
                k -= 1
            if k > 0 and b - k <= MAX_PHRASE:
                return k, st.reading_aside.fullmatch(text[k:b]) is not None
        window = max(0, b - 2 * MAX_PHRASE)
        gloss = st.gloss.search(text[window:b])
        if gloss is not None and window + gloss.start() > 0:
            return window + gloss.start(), False
        return b, False

    def core(self, b: int, named: bool = False) -> tuple[int, Reading] | tuple[None, str]:
        """The longest place that ends at b, within the character run before b; with `named`, the
        kanji just before b are a place even when nothing else says so (they carry a reading)."""
        st, text = self.st, self.text
        a = b
        while a > 0 and b - a < MAX_PHRASE and st.place_char.fullmatch(text[a - 1]) is not None:
            a -= 1
        han = b
        while han > a and _is_han(text[han - 1]):
            han -= 1
        why = "no place phrase before the cue"
        for s in range(a, b):
            if s not in self.view.bounds and not (named and s == han):
                continue
            if "・" in text[s:b] and not all(_is_kana(c) for c in text[s:b]):
                continue  # X・Y of kanji: read Y alone, then X (a container or another place)
            r = self.read(s, b)
            if isinstance(r, Reading):
                return s, r
            if named and s == han:
                return s, Reading("place", None, ("venue.reading_aside",))
            if s == a:
                why = r
        return None, why

    def build(self, cue: Cue, a: int, b: int, r: Reading, fired: list[str]) -> Candidate:
        """The venue whose most specific place is text[a:b], read as `r`."""
        st, text = self.st, self.text
        name_start, name_end = a, b
        country = r.country
        fired = [cue.id, *r.rules, *fired]
        # XのY: X is a place too -> the phrase starts at X; Y stays the name.
        # X・Y likewise when X is a country, a state or a province (中国広東省・湛江).
        while a >= 2 and text[a - 1] in "の・":
            prev, pr = self.core(a - 1)
            if prev is None or isinstance(pr, str) or pr.kind == "event":
                break
            if text[a - 1] == "・" and pr.kind not in ("country", "state") \
                    and not st.container.search(text[prev:a - 1]):
                break
            if country is None and pr.country:
                country = pr.country
            elif country is None:
                country = st.country_inside(text[prev:a - 1])
            a = prev
            fired.append("venue.of_place")
        # XにあるY: X tells Y's country
        ctx = st.context.search(text[max(0, a - 6):a])
        if ctx is not None and country is None:
            cb = max(0, a - 6) + ctx.start()
            cs, cr = self.core(cb)
            if cs is not None and not isinstance(cr, str):
                country = cr.country or st.country_inside(text[cs:cb])
                fired.append(st.rules.context.id)
        if country is None:
            country = st.country_inside(text[name_start:name_end])
        if country is None and all(_is_han(c) for c in text[name_start:name_end]) \
                and r.kind in ("place", "facility") and "venue.reading_aside" not in r.rules:
            country = st.rules.kanji_default_country
            fired.append("venue.kanji_default_country")
        # name: the most specific part
        while True:
            # a country written before a ・ (フランス・ビアリッツ -> ビアリッツ)
            dot = text.find("・", name_start, name_end)
            head = st.places.get(text[name_start:dot]) if dot > name_start else None
            if head is not None and head.kind == "country" and name_end - dot - 1 >= 2:
                name_start = dot + 1
                fired.append("venue.country_prefix")
                continue
            am = st.admin.match(text[name_start:name_end])
            if am is None or am.end() == 0 or name_end - (name_start + am.end()) < 2:
                break
            name_start += am.end()
        return Candidate(self.view.sent, self.view.norm, a, b, name_start, name_end, country or "", "+".join(fired), r)

    def fits(self, cue: Cue, a: int, b: int, r: Reading | str) -> bool:
        st, text = self.st, self.text
        if isinstance(r, str):
            if b > a:
                self.view.drop(cue.id, a, b, r)
            return False
        if cue.requires and r.kind not in cue.requires:
            self.view.drop(cue.id, a, b, f"cue needs a place of kind {'/'.join(cue.requires)}, not {r.kind}")
            return False
        if r.kind == "event" and st.event_placed.search(text[max(0, a - 4):a]):
            self.view.drop(cue.id, a, b, "the event's own place is named before it (XでのY会議)")
            return False
        return True

    def candidates(self) -> list[Candidate]:
        """The venues of the sentence, cue by cue."""
        st, text = self.st, self.text
        out: list[Candidate] = []
        for cue, pat in st.cues:
            for m in pat.finditer(text):
                if "place" in pat.compiled.groupindex and m.group("place") is not None:
                    a, b = m.span("place")
                    r = self.read(a, b)
                else:
                    b, named = self.skip_aside(m.start())
                    start, r = self.core(b, named)
                    a = start if start is not None else b
                if not self.fits(cue, a, b, r):
                    continue
                found = self.build(cue, a, b, r, [])
                out.append(found)
                # places coordinated before it share the cue: X、Y及びZを訪問, 江田島・呉を訪問
                while True:
                    sep = st.coordinator.search(text[max(0, found.start - 4):found.start])
                    if sep is None:
                        break
                    qb, named = self.skip_aside(found.start - len(sep.group()))
                    qa, qr = self.core(qb, named)
                    if qa is None or isinstance(qr, str) or not qr.rule_found or qr.kind == "event" \
                            or not self.fits(cue, qa, qb, qr):
                        break
                    found = self.build(cue, qa, qb, qr, ["venue.coordinated"])
                    out.append(found)
        return out


def gazetteer(countries, r: VenueRules) -> tuple[Place, ...]:
    """Every place: the countries of rules/countries.yaml, then rules/venues.yaml's gazetteer."""
    return tuple(Place(name=n, country=c, kind="country", aliases=a) for n, c, a in countries.places()) + r.gazetteer


NOT_READ = "not read as a place"  # the one reading GiNZA's evidence can change


def _is_kana(c: str) -> bool:
    return "\u30a1" <= c <= "\u30fa" or c in "ー・"
