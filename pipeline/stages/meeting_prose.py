"""Meetings told in running prose (and in photo captions): one session per date frame and partner.

A sentence is read through a *view*: its folded text with every person mention replaced by
PERSON and every date mention by DATE, line breaks inside a sentence removed, each view
character mapped back to raw offsets. On that view, `rules/meetings.yaml` (`prose`) gives:

- the meeting MENTION (a compound ending in a meeting word: 日米防衛相会談, 電話会談, 「2+2」会合),
  kept when the text says the session took place (a realisation verb after it, a realisation
  relative clause or a date right before it, or a setting particle with a dated frame) and not
  planned, habitual, a framework, or an event that only serves as the place of another meeting;
- the case frame of the region before the mention: DATE frames (each date, or range, opens a
  session), person ROLES from the particle after each person (は/が subject, と/との間で partner,
  a list joiner takes the role of the next person), the MODE written for each date (対面で,
  電話で), VISITS (訪日, 訪米, Xを訪問) and the places of the venues stage;
- one session per frame, or per partner when the frame distributes (それぞれ, 二国間会談).

The heading stage and this module both return `Session`s; `meetings.py` merges and numbers them.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace

from typing import Annotated, Literal

import regex
from pydantic import AfterValidator

from ..document import (BLOCK_KINDS, MEETING_MODES, DateMention, Document, PersonMention, Sentence, TraceEvent,
                        VenueMention)
from ..ruleset import CompiledPattern, CountryCode, Regex, Rule, Strict
from ..textnorm import NormText, fold_text, quote_spans

PERSON = "\ue000"
DATE = "\ue002"


@dataclass(frozen=True)
class Session:
    """A meeting session before merging and numbering (raw offsets)."""

    section_id: int | None
    sentence_id: int
    start: int
    end: int
    title: str
    date: str
    venue: str
    venue_country: str
    participants: tuple[str, ...]
    mode: str
    source: str  # heading|prose|caption
    counterparts: tuple[str, ...]
    host: str
    multilateral: bool  # the title names an organisation's meeting (NATO国防相会合): many sides
    japan_side: bool
    venue_is_event: bool
    rule: str
    meeting_no: str = ""
    weak: bool = False  # no date and nobody named: only adds sides to the same organisation's session
    alias: str = ""  # the name in the parenthesis after the mention: 日米安全保障協議委員会(日米「2+2」)


@dataclass
class View:
    """A logical sentence as the rules see it."""

    text: str
    spans: list[tuple[int, int]]  # view index -> raw span
    people: dict[int, PersonMention] = field(default_factory=dict)
    dates: dict[int, DateMention] = field(default_factory=dict)
    sentences: tuple[Sentence, ...] = ()

    def raw(self, a: int, b: int) -> tuple[int, int]:
        if b <= a:
            pos = self.spans[a][0] if a < len(self.spans) else self.spans[-1][1]
            return pos, pos
        return self.spans[a][0], self.spans[b - 1][1]

    def at(self, raw_pos: int) -> int:
        """The first view index whose raw span starts at or after `raw_pos`."""
        return bisect.bisect_left([s for s, _ in self.spans], raw_pos)


def build_view(doc: Document, sents: tuple[Sentence, ...], people: list[PersonMention],
               dates: list[DateMention]) -> View:
    a, b = sents[0].start, sents[-1].end
    norm = NormText.of(doc.text[a:b], a)
    marks: list[tuple[int, int, str, object]] = []
    for p in people:
        marks.append((p.start, p.end, PERSON, p))
    for d in dates:
        marks.append((d.start, d.end, DATE, d))
    marks.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    text: list[str] = []
    spans: list[tuple[int, int]] = []
    view = View("", spans, sentences=sents)
    i, k, n = 0, 0, len(norm.text)
    while i < n:
        ra = norm.starts[i]
        while k < len(marks) and marks[k][0] < ra:
            k += 1
        if k < len(marks) and marks[k][0] == ra:
            start, end, ch, obj = marks[k]
            k += 1
            j = i
            while j < n and norm.starts[j] < end:
                j += 1
            if ch == PERSON:
                view.people[len(text)] = obj  # type: ignore[assignment]
            else:
                view.dates[len(text)] = obj  # type: ignore[assignment]
            text.append(ch)
            spans.append((start, end))
            i = j
            continue
        c = norm.text[i]
        if c in "\r\n":
            i += 1
            continue
        text.append(c)
        spans.append((norm.starts[i], norm.ends[i]))
        i += 1
    view.text = "".join(text)
    return view


@dataclass(frozen=True)
class Mention:
    start: int  # view indices of name+word (+alias parenthesis)
    end: int
    name_end: int  # end of name+word, before the alias parenthesis
    title: str  # raw text of name+word
    verb_end: int  # view index after the realisation phrase (the `text` of the row)
    role: str  # meeting|venue|dropped
    reason: str = ""
    clause_end: int = -1  # a coordinated mention (Aを、Bを…開催した): where the shared verb phrase ends
    bare: bool = False  # the meeting word alone, with no name (協議, 会談)




# ---------------------------------------------------------------------------- rule schema
class ModeCue(Rule):
    mode: Literal[MEETING_MODES]
    pattern: ViewRegex


class Organisation(Strict):
    """An organisation that can be a side of a meeting: its code, how it is written, its seat."""

    code: str
    pattern: Regex
    seat: CountryCode = ""
    members: tuple[str, ...] = ()  # ISO codes or organisation codes: the sides a meeting of it has


class Abbreviation(Strict):
    """A side written as one character inside a compound title (日米, 米朝) that is no person marker."""

    pattern: Regex
    country: CountryCode


def _view_pattern(p: str) -> str:
    return p.replace("{person}", PERSON).replace("{date}", DATE)


def _compile_view(p: str) -> str:
    try:
        regex.compile(_view_pattern(p), regex.V1)
    except regex.error as err:
        raise ValueError(f"regex does not compile: {err}") from None
    return p


ViewRegex = Annotated[str, AfterValidator(_compile_view)]  # a Regex that may write {person} and {date}


class ProseRules(Rule):
    """`meetings.yaml` `prose`: how a sentence tells a session (see the file's comments)."""

    block_kinds: tuple[Literal[BLOCK_KINDS], ...] = ("paragraph", "caption")
    quote_pairs: tuple[str, ...] = ("「」", "『』")
    anaphor: str = "同"  # a venue written 同会合/同地 is the place of the session told before
    mention: ViewRegex
    happened_after: ViewRegex
    happened_before: ViewRegex
    setting_after: ViewRegex
    coordinated_after: ViewRegex
    not_after: ViewRegex
    not_before: ViewRegex
    habitual: ViewRegex
    not_title: ViewRegex
    venue_after: ViewRegex
    subject_after: ViewRegex
    attendee_after: ViewRegex = "(?!)"
    partner_after: ViewRegex
    list_after: ViewRegex
    range_between: ViewRegex
    distribute: ViewRegex
    continuation: ViewRegex
    closed_frame: ViewRegex
    account_continues: Regex = "(?!)"
    side_cue: ViewRegex = "(?!)"
    frame_place: ViewRegex
    # a session that joins the one told just before in the sentence (…と会談を行うとともに、Bを交えた
    # …会談を行った): the same gathering, so the same place and the earlier session's people too
    joins_previous: ViewRegex = "(?!)"
    # a subject that names both sides of the session told just before (両大臣は…電話会談を実施し):
    # a session with nobody named has that session's people and sides
    both_sides: ViewRegex = "(?!)"
    # in the sentence right after a session: the countries named before it attended that session
    # (同会合には、豪州、フィジー…及びトンガの国防大臣等が参加した): its sides, when it has none
    countries_attending: ViewRegex = "(?!)"
    # the occasion of the session told just before (この会合の際、…と会談し): its date for a session with
    # none, and a place written for the session beats it as the session's place
    occasion_told_before: ViewRegex = "(?!)"
    # the meeting word right after a topic (…会談を行い、…について協議した): what the session told just
    # before in the sentence discussed, not another session
    discussed_topic: ViewRegex = "(?!)"
    # what joins two dates that share the people written after the last of them (16年3月と同年5月に
    # Bと会談を行い: two sessions, both with B)
    dates_joined: ViewRegex = "(?!)"
    # right after a date: the date someone took office (同年5月に就任したA国防大臣と…), no session's date
    date_not_session_after: Regex = "(?!)"
    visit_japan: ViewRegex
    visit_abbreviated: ViewRegex
    visit_place: ViewRegex
    place_joiners: ViewRegex
    modes: tuple[ModeCue, ...]
    organisations: tuple[Organisation, ...] = ()
    abbreviations: tuple[Abbreviation, ...] = ()


SENTENCE_END = "。！？!?"
DATE_CONTEXT = 20  # characters after a date that `date_not_session_after` reads



@dataclass(frozen=True)
class _Frame:
    start: int  # view indices: the frame's own text [start, end)
    end: int
    date: DateMention | None


class ProseReader:
    """Finds the sessions that prose sentences and captions tell (see the module docstring)."""

    def __init__(self, cfg: ProseRules, title_modes: list[tuple[str, CompiledPattern]],
                 places: dict[str, tuple[str, str]], markers: list[tuple[str, CompiledPattern]],
                 shorts: tuple[str, ...] = ()):
        self.cfg = cfg
        # {country_short}: any country's abbreviation of rules/countries.yaml (訪米, 訪豪)
        short = "(?:" + "|".join(regex.escape(x) for x in shorts) + ")" if shorts else "(?!)"

        def c(name: str) -> CompiledPattern:
            return CompiledPattern.of(f"{cfg.id}.{name}",
                                      _view_pattern(getattr(cfg, name)).replace("{country_short}", short))

        self.mention = c("mention")
        self.happened_after, self.happened_before = c("happened_after"), c("happened_before")
        self.setting_after, self.coordinated_after = c("setting_after"), c("coordinated_after")
        self.not_after, self.not_before, self.habitual = c("not_after"), c("not_before"), c("habitual")
        self.not_title, self.venue_after = c("not_title"), c("venue_after")
        self.subject_after, self.partner_after, self.list_after = c("subject_after"), c("partner_after"), \
            c("list_after")
        self.attendee_after = c("attendee_after")
        self.range_between, self.distribute, self.continuation = c("range_between"), c("distribute"), \
            c("continuation")
        self.closed_frame = c("closed_frame")
        self.frame_place = c("frame_place")
        self._person_org: dict[str, str] = {}  # person_id -> organisation, per document (`read`)
        self.joins_previous = c("joins_previous")
        self.both_sides = c("both_sides")
        self.countries_attending = c("countries_attending")
        self.occasion_told_before = c("occasion_told_before")
        self.discussed_topic = c("discussed_topic")
        self.dates_joined = c("dates_joined")
        self.date_not_session_after = CompiledPattern.of(f"{cfg.id}.date_not_session_after", cfg.date_not_session_after)
        self.side_cue = c("side_cue")
        self.account_continues = CompiledPattern.of(f"{cfg.id}.account_continues", cfg.account_continues)
        self.visit_japan, self.visit_abbreviated = c("visit_japan"), c("visit_abbreviated")
        self.visit_place, self.place_joiners = c("visit_place"), c("place_joiners")
        self.modes = [(m.mode, CompiledPattern.of(m.id, _view_pattern(m.pattern))) for m in cfg.modes]
        self.title_modes = title_modes
        self._sides_memo: dict[str, tuple[str, ...] | None] = {}
        self.title_lead = CompiledPattern.of(f"{cfg.id}.title_lead", r"(?:第\d+回)?[「・]?")
        self.places = places
        self.markers = markers
        self.orgs = [(o, CompiledPattern.of(f"{cfg.id}.organisation.{o.code}", o.pattern)) for o in cfg.organisations]
        self.org_codes = frozenset(o.code for o in cfg.organisations)  # read per session: computed once
        self.abbreviations = [(a.country, CompiledPattern.of(f"{cfg.id}.abbreviation", a.pattern))
                              for a in cfg.abbreviations]

    # ------------------------------------------------------------------ countries
    def side_at(self, text: str, i: int) -> tuple[str, int] | None:
        """The side (ISO code or organisation code) written at `text[i:]` and its length, longest first."""
        best: tuple[str, int] | None = None
        for code, pat in self.abbreviations + self.markers:
            m = pat.match(text, i)
            if m is not None and m.end() > i and (best is None or m.end() - i > best[1]):
                best = (code, m.end() - i)
        for org, pat in self.orgs:
            m = pat.match(text, i)
            if m is not None and m.end() > i and (best is None or m.end() - i > best[1]):
                best = (org.code, m.end() - i)
        return best

    def title_sides(self, title: str) -> tuple[str, ...] | None:
        """The sides a compound title names (日米 -> JP, US; 米朝 -> US, KP), or None when it names none
        (memoized: titles repeat, and each position tries every marker)."""
        if title not in self._sides_memo:
            if len(self._sides_memo) >= 50_000:
                self._sides_memo.clear()
            self._sides_memo[title] = self._title_sides(title)
        return self._sides_memo[title]

    def _title_sides(self, title: str) -> tuple[str, ...] | None:
        lead = self.title_lead.match(title)
        i, sides = (lead.end() if lead is not None else 0), []
        while i < len(title):
            got = self.side_at(title, i)
            if got is None:
                break
            sides.append(got[0])
            i += got[1]
        if len(sides) >= 2 or (len(sides) == 1 and sides[0] in self.org_codes):
            return tuple(dict.fromkeys(sides))
        org = self.org_of(title)  # an organisation's meeting named anywhere (拡大ASEAN国防相会議)
        return (org,) if org else None

    def org_of(self, text: str) -> str:
        for org, pat in self.orgs:
            if pat.search(text) is not None:
                return org.code
        return ""

    def seat_of(self, code: str) -> str:
        return next((o.seat for o, _ in self.orgs if o.code == code), "")

    def members_of(self, code: str) -> tuple[str, ...]:
        return next((o.members for o, _ in self.orgs if o.code == code), ())

    def place_country(self, name: str) -> str:
        """The country of a place written `name` (gazetteer, else a country marker at its start)."""
        if name in self.places:
            return self.places[name][0]
        for n in sorted((p for p in self.places if p and p in name), key=len, reverse=True):
            if self.places[n][0]:
                return self.places[n][0]
        return ""

    def countries_in(self, text: str) -> list[str]:
        """Countries named in `text` by gazetteer country names, in order."""
        found: list[tuple[int, int, str]] = []
        for name, (code, kind) in self.places.items():
            if kind != "country" or not code:
                continue
            k = text.find(name)
            while k >= 0:
                found.append((k, -len(name), code))
                k = text.find(name, k + 1)
        found.sort()
        out, end = [], -1
        for k, neg, code in found:
            if k >= end:
                out.append(code)
                end = k - neg
        return out

    # ------------------------------------------------------------------ sentences
    def logical_sentences(self, doc: Document) -> list[tuple[Sentence, ...]]:
        """Sentences of the prose block kinds, a sentence cut by a line break joined with its rest."""
        groups: list[list[Sentence]] = []
        prev: Sentence | None = None
        for s in doc.sentences:
            block = doc.block(s.block_id)
            if block.kind not in self.cfg.block_kinds:
                prev = None
                continue
            if (prev is not None and prev.block_id + 1 == s.block_id and block.kind == "paragraph"
                    and doc.block(prev.block_id).kind == "paragraph" and prev.end == doc.block(prev.block_id).end
                    and s.start == block.start and prev.text.rstrip()[-1:] not in SENTENCE_END
                    and not doc.text[prev.end:s.start].count("\n") > 1):
                groups[-1].append(s)
            else:
                groups.append([s])
            prev = s
        return [tuple(g) for g in groups]

    # ------------------------------------------------------------------ mentions
    def mentions(self, doc: Document, view: View, caption: bool) -> list[Mention]:
        """The meeting mentions of a view, each with its role (meeting, venue of another, dropped)."""
        text = view.text
        raw_found = []
        for m in self.mention.finditer(text):
            if raw_found and m.start() < raw_found[-1].end():
                continue  # the alias in a parenthesis after a mention: (「2+2」)
            raw_found.append(m)
        out: list[Mention] = []
        has_date = DATE in text
        quotes = quote_spans(text, self.cfg.quote_pairs)
        for k, m in enumerate(raw_found):
            a, name_end, end = m.start(), m.end("word"), m.end()
            ra, rb = view.raw(a, name_end)
            title = " ".join(doc.text[ra:rb].split())
            if any(qa <= a and name_end <= qb and (qa < a or name_end < qb) for qa, qb in quotes):
                role, reason, verb_end = "dropped", "inside a quotation", end
            else:
                role, reason, verb_end = self._took_place(text, a, name_end, end, k + 1 < len(raw_found),
                                                          caption and has_date)
            if role in ("meeting", "coordinated"):
                lo = out[-1].verb_end if out else 0
                window = text[lo:min(len(text), verb_end + 12)]
                if self.habitual.search(window) is not None and DATE not in text[lo:a]:
                    role, reason = "dropped", "habitual: recurring talks with no session date"
            out.append(Mention(a, end, name_end, title, verb_end, role, reason, bare=not m.group("name")))
        return self._roles_by_neighbours(text, out)

    def _took_place(self, text: str, a: int, name_end: int, end: int, more: bool, dated_caption: bool
                    ) -> tuple[str, str, int]:
        """(role, reason, verb end) of the mention text[a:end] by the words around it: a realisation
        after or before it (meeting), a planned/framework/recurring sign (dropped), a coordinated
        mention whose next one decides (`more`: there is a next one)."""
        after, before = text[end:], text[:a]
        if self.not_title.search(text[a:name_end]) is not None:
            return "dropped", "not_title: not a meeting between governments", end
        if self.not_after.match(after) is not None:
            return "dropped", "not_after: planned, a framework or not the session itself", end
        if self.not_before.search(before) is not None:
            return "dropped", "not_before: planned or recurring", end
        hap = self.happened_after.match(after)
        if hap is not None:
            return "meeting", "", end + hap.end()
        if self.coordinated_after.match(after) is not None and more:
            # the next mention decides; this one's own evidence (a date right before) is the fallback
            return "coordinated", "before" if self.happened_before.search(before) is not None else "", end
        if self.happened_before.search(before) is not None:
            return "meeting", "", end
        setting = self.setting_after.match(after)
        if setting is not None and (DATE in before or dated_caption):
            return "meeting", "", end + setting.end()
        if dated_caption:
            return "meeting", "", end
        return "dropped", "no sign that the session took place", end

    def _roles_by_neighbours(self, text: str, out: list[Mention]) -> list[Mention]:
        """Roles told by the other mentions of the sentence: an event that is the place of a later
        meeting, a coordinated mention that takes the role of the next."""
        # an event used as the place of a later meeting of the sentence (シャングリラ会合において…と会談)
        # (not across a clause of its own: 同会談で確認された方針を受けて、…協議を開催し)
        for k in range(len(out) - 2, -1, -1):
            x = out[k]
            later = next((y for y in out[k + 1:] if y.role == "meeting"), None)
            if self.venue_after.match(text[x.end:]) is not None and later is not None \
                    and self.closed_frame.search(text[x.end:later.start]) is None:
                out[k] = replace(x, verb_end=x.end, role="venue", reason="the place of another meeting in the sentence")
        # a coordinated mention (AとBが行われた, Aが、さらにBが行われた) takes the role of the next
        for k in range(len(out) - 1, -1, -1):
            if out[k].role == "coordinated":
                nxt = out[k + 1].role if k + 1 < len(out) else "dropped"
                own = out[k].reason == "before"
                out[k] = replace(out[k], role="meeting" if nxt == "meeting" or own else "dropped",
                                 reason="" if nxt == "meeting" or own else "coordinated with a mention that is no session",
                                 clause_end=max(out[k + 1].verb_end, out[k + 1].clause_end)
                                 if k + 1 < len(out) and nxt == "meeting" else -1)
        return out

    # ------------------------------------------------------------------ roles
    def role_of(self, view: View, i: int) -> str:
        """subject|partner|attendee|other for the person at view index `i` (a list joiner takes the
        next one's role)."""
        text = view.text
        seen = 0
        while seen < 12:
            rest = text[i + 1:]
            if self.subject_after.match(rest) is not None:
                return "subject"
            if self.partner_after.match(rest) is not None:
                return "partner"
            if self.attendee_after.match(rest) is not None:
                return "attendee"
            m = self.list_after.match(rest)
            if m is None:
                return "other"
            i = i + 1 + m.end()
            if i >= len(text) or text[i] != PERSON:
                return "other"
            seen += 1
        return "other"

    # ------------------------------------------------------------------ frames and sessions
    def frames(self, view: View, lo: int, hi: int, inherited: DateMention | None) -> tuple[int, list[_Frame]]:
        """(end of the shared prefix, date frames) of the region [lo, hi)."""
        at = sorted(i for i in view.dates if lo <= i < hi)
        groups: list[list[int]] = []
        for i in at:
            if groups and self.range_between.fullmatch(view.text[groups[-1][-1] + 1:i]) is not None:
                groups[-1].append(i)
            else:
                groups.append([i])
        if not groups:
            return hi, [_Frame(lo, hi, inherited)]
        out = []
        for k, g in enumerate(groups):
            end = groups[k + 1][0] if k + 1 < len(groups) else hi
            ds = [view.dates[i] for i in g]
            # adjacent pieces (本年 + 5月 across a line break) read as one: the most specific;
            # a range (1月~2月) is dated by its start
            joined = len(g) > 1 and all(view.text[a + 1:b] == "" for a, b in zip(g, g[1:]))
            out.append(_Frame(g[0], end, ds[-1] if joined else ds[0]))
        return groups[0][0], out

    def visits(self, view: View, a: int, b: int) -> tuple[bool, list[tuple[str, str]]]:
        """(a visit to Japan is written, [(place as written, country)] visited) in view[a:b]."""
        text = view.text[a:b]
        japan = self.visit_japan.search(text) is not None
        places: list[tuple[str, str]] = []
        for m in self.visit_abbreviated.finditer(text):
            got = self.side_at(text, m.start("side"))
            if got is not None:
                places.append(("", got[0]))
        for m in self.visit_place.finditer(text):
            phrase = m.group("place")
            cuts = [0] + [x for j in self.place_joiners.finditer(phrase) for x in (j.start(), j.end())] + [len(phrase)]
            for part in (phrase[cuts[i]:cuts[i + 1]] for i in range(0, len(cuts), 2)):
                part = part.strip()
                if part:
                    code = self.place_country(part) or self.org_of(part)
                    places.append((part, code))
        return japan, places

    def read(self, doc: Document, trace: list[TraceEvent] | None = None) -> list[Session]:
        """The sessions prose and captions tell; mentions that are no session go to `trace` with the reason."""
        people = sorted(doc.people, key=lambda p: (p.start, p.end))
        # an organisation's officer named once with it (ラスムセンNATO事務総長) and then without it
        self._person_org = {}
        for p in people:
            if p.person_id and not p.country and (org := self.org_of(p.text)):
                self._person_org.setdefault(p.person_id, org)
        dates = [d for d in sorted(doc.dates, key=lambda d: (d.start, d.end))
                 if self.date_not_session_after.match(fold_text(doc.text[d.end:d.end + DATE_CONTEXT])) is None]
        venues = sorted(doc.venues, key=lambda v: (v.start, v.end))
        p_starts, d_starts = [p.start for p in people], [d.start for d in dates]
        v_starts = [v.start for v in venues]
        out: list[Session] = []
        # the account so far: (section, its subjects, its date, whether a visit told alone opened it)
        last: tuple[int | None, tuple[PersonMention, ...], DateMention | None, bool] | None = None
        previous_venue: list = [None]  # (venue, country, is_event) of the last session with a venue
        told_at = -2  # the index of the last sentence that told sessions
        for n, sents in enumerate(self.logical_sentences(doc)):
            a, b = sents[0].start, sents[-1].end
            ps = [p for p in people[bisect.bisect_left(p_starts, a):bisect.bisect_left(p_starts, b)] if p.end <= b]
            ds = [d for d in dates[bisect.bisect_left(d_starts, a):bisect.bisect_left(d_starts, b)] if d.end <= b]
            if not ps and not ds and not any(w in doc.text[a:b] for w in ("会", "協議", "2+2", "表敬", "対話")):
                continue
            view = build_view(doc, sents, ps, ds)
            caption = doc.block(sents[0].block_id).kind == "caption"
            mentions = self.mentions(doc, view, caption)
            if trace is not None:
                for x in mentions:
                    if x.role in ("dropped", "venue"):
                        ra, rb = view.raw(x.start, x.name_end)
                        trace.append(TraceEvent("meetings", self.cfg.id, ra, rb, doc.text[ra:rb], "dropped",
                                                x.reason))
            section_id = sents[0].section_id
            carried = last if last is not None and last[0] == section_id else None
            own_venues = [v for v in venues[bisect.bisect_left(v_starts, a):bisect.bisect_left(v_starts, b)]
                          if v.end <= b]
            found = self._from_session_before(view, self.sessions_of(doc, view, mentions, caption, own_venues, carried,
                                                            previous_venue), out)
            if not found and told_at == n - 1 and not any(x.role == "meeting" for x in mentions):
                self._attendees_told_next(view, out)
            subjects = tuple(view.people[i] for i in sorted(view.people) if self.role_of(view, i) == "subject")
            if found:
                told_at = n
                last_date = next((view.dates[i] for i in sorted(view.dates, reverse=True)), None)
                # a sentence with no date of its own goes on with the account's date (and its visit)
                last = (section_id, subjects or (carried[1] if carried else ()),
                        last_date or (carried[2] if carried else None),
                        bool(carried and carried[3] and last_date is None))
                out += found
            elif mentions or ps:
                visit_date = next((view.dates[i] for i in sorted(view.dates)), None)
                if subjects and visit_date is not None and not any(x.role == "meeting" for x in mentions) \
                        and self.visits(view, 0, len(view.text))[1]:
                    # 本年3月、A防衛副大臣は、B及びCを訪問した。Bでは…と会談を行い: the visit's account goes on,
                    # with its subject and its date
                    last = (section_id, subjects, visit_date, True)
                else:
                    last = None if subjects else last
        return out

    def _from_session_before(self, view: View, found: list[Session], told: list[Session]) -> list[Session]:
        """What a session takes from the session told just before it (in the same section): its people and
        sides when nobody is named but both sides are (両大臣は、電話会談を実施し), its people too when it
        joins it (Cを交えて…会談も行われた), its date and place when the session is held on its occasion (この
        会合の際、…と会談し / その機会に…) and has none of its own."""
        out: list[Session] = []
        for s in found:
            before = out or told
            prev = before[-1] if before else None
            if prev is None or prev.section_id != s.section_id:
                out.append(s)
                continue
            head = view.text[:view.at(s.start)]
            if not s.participants and prev.participants and self.both_sides.search(head) is not None:
                s = replace(s, participants=prev.participants, counterparts=prev.counterparts)
            elif s.participants and prev.participants and self.joins_previous.search(head) is not None \
                    and s.date in ("", prev.date):
                # (両大臣は、)同月、Cも交えて…会合を開催し: the people of the session before took part too
                s = replace(s, participants=tuple(sorted(set(prev.participants) | set(s.participants))))
            if self.occasion_told_before.search(head) is not None:
                if not s.date and prev.date:
                    s = replace(s, date=prev.date, weak=False if s.participants else s.weak)
                if not s.venue and s.mode == "in_person" and prev.venue:  # held where its occasion was
                    s = replace(s, venue=prev.venue, venue_country=prev.venue_country,
                                venue_is_event=prev.venue_is_event, host=s.host or prev.host)
            out.append(s)
        return out

    def _attendees_told_next(self, view: View, out: list[Session]) -> None:
        """第2回日豪「2+2」が開催された。わが国からはA外務大臣とB防衛大臣が、豪側からはC…とD…が出席し…:
        the people of the sentence right after a session with no participants, when it says they
        attended (or chaired it), are that session's participants; the countries it says attended
        (…及びトンガの国防大臣等が参加した) are its sides, when it has none."""
        if not out:
            return
        said = self.countries_attending.search(view.text)
        if said is not None and not out[-1].counterparts:
            sides = tuple(sorted({c for c in self.countries_in(view.text[:said.start()]) if c != "JP"}))
            out[-1] = replace(out[-1], counterparts=sides) if sides else out[-1]
        if out[-1].participants or not view.people:
            return
        if not any(self.attendee_after.search(view.text[i + 1:]) is not None for i in view.people):
            return  # nobody is said to attend (…が出席し)
        ids = tuple(sorted({p.person_id for p in view.people.values() if p.person_id}))
        out[-1] = replace(out[-1], participants=ids)

    def sessions_of(self, doc: Document, view: View, mentions: list[Mention], caption: bool,
                    venues: list[VenueMention], carried, previous_venue: list) -> list[Session]:
        text = view.text
        out: list[Session] = []
        lo = 0
        roles = {i: self.role_of(view, i) for i in view.people}
        sentence_subjects = [i for i in sorted(view.people) if roles[i] == "subject"]
        # この会合の際: an occasion told before is no place where the session's own place is written
        told_before = [o.span() for o in self.occasion_told_before.finditer(text)]
        # a sentence continues the account when it says so (また、その際…), or names someone after a visit told
        # alone (…を訪問した。ポートモレスビーではA国防大臣と会談を行い)
        continuing = carried is not None and ((carried[3] and bool(view.people)) or self.continuation.match(text) is not None)
        for k, m in enumerate(mentions):
            if m.role != "meeting":
                continue
            hi = m.start
            inherited = self._inherited_date(view, m, lo, caption, carried if continuing else None)
            prefix_end, frames = self.frames(view, lo, hi, inherited)
            event_venues = [x for x in mentions if x.role == "venue" and x.end <= hi]
            own_occasions = [x for x in event_venues if not any(a <= x.start and x.end <= b for a, b in told_before)]
            title_sides = self.title_sides(text[m.start:m.name_end]) or self.title_sides(text[m.name_end:m.end][1:-1])
            mode0 = next((mode for mode, pat in self.title_modes if pat.search(text[m.start:m.name_end])), "in_person")
            rule = self.cfg.id
            # the rest of the mention's clause: up to the next mention of the sentence
            limit = next((x.start for x in mentions[k + 1:] if x.start >= m.end), len(text))
            chain_end = max(m.verb_end, m.clause_end)
            attendees = [view.people[i] for i in sorted(view.people) if lo <= i < limit and roles[i] == "attendee"]
            # a date joined to the next one by a list word alone shares the people written after it
            reach = [f.end for f in frames]
            for n in range(len(frames) - 2, -1, -1):
                if self.dates_joined.fullmatch(text[frames[n].start + 1:frames[n].end]) is not None:
                    reach[n] = reach[n + 1]
            # a frame that ends in a clause of its own (…意見交換を行ったほか、 / …が訪日した際に発出された宣言を受けて、)
            # dates no session here, and its people are that clause's
            closing = [[c.end() for c in self.closed_frame.finditer(text[f.start:f.end])] if n + 1 < len(frames) else []
                       for n, f in enumerate(frames)]
            closed = [bool(c) for c in closing]
            peopled = [not closed[n] and any(f.start <= i < reach[n] for i in view.people) for n, f in enumerate(frames)]
            # a place written after それぞれ, right before the mention, is every frame's (Aと、Bと、それぞれ東京において会談)
            each = [d.start() for d in self.distribute.finditer(text[lo:hi])]
            ea, eb = view.raw(lo + each[-1], hi) if each and len(frames) > 1 else (0, 0)
            shared = any(lo <= i < prefix_end for i in view.people)
            # the subjects of the sentence, but for those of a closing clause (…が訪日した際の宣言を受けて、)
            open_subjects = [i for i in sentence_subjects
                             if not any(c and f.start <= i < f.start + c[-1] for c, f in zip(closing, frames))]
            for n, f in enumerate(frames):
                if closed[n]:
                    continue
                if not shared and any(peopled) and not peopled[n]:
                    continue  # the people are written in other frames: this date dates something else
                if f.date is not None and f.date.modifier == "from":
                    continue  # 15年以降…開催されており: recurring since a date, no one session
                own = [i for i in sorted(view.people) if (lo <= i < prefix_end or f.start <= i < reach[n])]
                subjects, partners = self._frame_people(view, m, f, own, roles, open_subjects, attendees, carried,
                                                        limit, caption)
                span_text = text[f.start:hi] + text[m.start:m.name_end]
                mode = mode0
                if mode == "in_person":  # a mode written for the date, or in the clause's verb phrase
                    mode = self._written_mode(text[f.start:hi] + "\n" + text[m.end:chain_end]) or mode
                japan_visit, visited = self.visits(view, lo, prefix_end)
                jv2, visited2 = self.visits(view, f.start, f.end)
                japan_visit, visited = japan_visit or jv2, visited + visited2
                fa, fb = view.raw(f.start, f.end)
                pa, pb = view.raw(lo, prefix_end)
                va, vb = view.raw(m.end, m.verb_end)  # …会合を東京において対面形式で開催し: its own verb phrase
                frame_venues = [v for v in venues if (fa <= v.start and v.end <= fb) or (pa <= v.start and v.end <= pb)
                                or (va <= v.start and v.end <= vb) or (ea <= v.start and v.end <= eb)]
                groups = self._distribute(view, f, hi, subjects, partners, span_text, own, roles)
                events = own_occasions if frame_venues else event_venues
                for subs, parts, country in groups:
                    session = self._session(doc, view, m, f, mode, subs, parts, country, title_sides, japan_visit,
                                            visited, frame_venues, events, lo, prefix_end, rule,
                                            "caption" if caption else "prose")
                    prev = out[-1] if out else None
                    if m.bare and prev is not None and not any(lo <= i < hi for i in view.dates) and (
                            (not subs and not parts and prev.mode == session.mode and prev.title.endswith(session.title))
                            or self.discussed_topic.search(text[lo:m.start]) is not None):
                        # …協議が開催され、…について協議が行われた / …会談を行い、…について協議した: the word
                        # alone tells the session just told again, or what it discussed
                        continue
                    if m.bare and not subs and not parts and self.discussed_topic.search(text[lo:m.start]) is not None:
                        continue  # (政府は…会議を開催し、)…について協議した: a topic discussed, with nobody named
                    if prev is not None and prev.sentence_id == session.sentence_id and prev.date == session.date \
                            and prev.start != session.start and self.joins_previous.search(text[lo:hi]) is not None:
                        session = replace(session, participants=tuple(sorted(set(prev.participants)
                                                                              | set(session.participants))),
                                          venue=prev.venue or session.venue,
                                          venue_country=prev.venue_country if prev.venue else session.venue_country,
                                          venue_is_event=prev.venue_is_event if prev.venue else session.venue_is_event)
                    session = self._placed_by_context(session, prev, previous_venue)
                    if f.date is None and not subs and not parts:
                        # no date and nobody named: talks in general, not one session; it may still
                        # name the sides of an organisation's session told elsewhere
                        session = replace(session, weak=True)
                    out.append(session)
            lo = m.verb_end
        return out

    def _inherited_date(self, view: View, m: Mention, lo: int, caption: bool, carried) -> DateMention | None:
        """The date a mention's frames inherit: the sentence's last date before the clause, a caption's
        date after it, or (`carried`, in a sentence that continues the account) the account's date."""
        inherited = next((view.dates[i] for i in sorted(view.dates, reverse=True) if i < lo), None)
        if inherited is None and caption:
            inherited = next((view.dates[i] for i in sorted(view.dates) if i >= m.end), None)
        if inherited is None and carried is not None and not any(lo <= i < m.start for i in view.dates):
            inherited = carried[2]
        return inherited

    def _frame_people(self, view: View, m: Mention, f: _Frame, own: list[int], roles: dict[int, str],
                      sentence_subjects: list[int], attendees: list[PersonMention], carried, limit: int,
                      caption: bool = False):
        """(subjects, partners) of a frame: its own people by role, else the sentence's last subject
        before it, the account's subjects carried over, or the people named after the mention (in a
        caption, the person its clause describes: …と会談する小野寺防衛大臣)."""
        subjects = [view.people[i] for i in own if roles[i] == "subject"]
        if not subjects:
            earlier = [i for i in sentence_subjects if i < f.end]
            subjects = [view.people[i] for i in earlier[-1:]]
        partners = [view.people[i] for i in own if roles[i] == "partner"]
        if caption and not subjects and partners:
            shown = [i for i in sorted(view.people) if m.end <= i < limit and roles[i] != "partner"]
            subjects = [view.people[i] for i in shown[:1]]
        if not subjects and carried is not None and partners and not sentence_subjects:
            # the account's subject carries over, unless it is a third country's visitor (Xが来日し…。
            # Yについては、同年6月、Y国防大臣との会談を…: X took no part)
            sides = {p.country for p in partners}
            subjects = [p for p in carried[1] if not p.country or p.country == "JP" or p.country in sides]
        partners += [p for p in attendees if p not in partners and p not in subjects]
        if not subjects and not partners:  # …が開催され、AおよびBと、CおよびDとの間で…
            after = [i for i in sorted(view.people) if m.end <= i < limit]
            subjects = [view.people[i] for i in after if roles[i] == "subject"]
            partners = [view.people[i] for i in after if roles[i] in ("partner", "attendee")]
        return subjects, partners

    def _written_mode(self, text: str) -> str:
        """The mode written first in `text` (電話で, テレビ会議形式で), or ''."""
        cue = min(((mm.start(), mode) for mode, pat in self.modes for mm in [pat.search(text)] if mm is not None),
                  default=None)
        return cue[1] if cue is not None else ""

    def _placed_by_context(self, session: Session, prev: Session | None, previous_venue: list) -> Session:
        """A session whose place is told elsewhere: 同会合において (the place told before), or a second
        session of the same sentence and date with no place of its own (Xにおいて…と会談を行うとともに、
        …を交えた…会談を行った: one place for both; with someone of the first, its host too).
        Remembers the place for the next."""
        if session.venue.startswith(self.cfg.anaphor) and previous_venue[0]:
            session = replace(session, venue=previous_venue[0][0], venue_country=previous_venue[0][1],
                              venue_is_event=previous_venue[0][2])
        if not session.venue and session.mode == "in_person" and prev is not None and prev.venue and \
                prev.sentence_id == session.sentence_id and prev.start != session.start and prev.date == session.date:
            session = replace(session, venue=prev.venue, venue_country=prev.venue_country,
                              venue_is_event=prev.venue_is_event)
        if not session.venue and not session.host and session.mode == "in_person" and prev is not None \
                and prev.host and prev.mode == "in_person" and prev.sentence_id == session.sentence_id \
                and prev.start != session.start and prev.date == session.date \
                and set(prev.participants) & set(session.participants):
            # one visit, two sessions (Xが来日し、Aを表敬したほか、Bと会談を行い): the visitor's host for both
            session = replace(session, host=prev.host)
        if session.venue:
            previous_venue[0] = (session.venue, session.venue_country, session.venue_is_event)
        return session

    def _distribute(self, view: View, f: _Frame, hi: int, subjects: list[PersonMention],
                    partners: list[PersonMention], span_text: str, own: list[int], roles: dict[int, str]):
        """[(subjects, partners, partner country)] per session of a frame."""
        if self.distribute.search(span_text) is None:
            return [(subjects, partners, "")]
        if len(partners) >= 2:
            if len(subjects) == len(partners):
                return [([s], [p], "") for s, p in zip(subjects, partners)]
            return [(subjects, [p], "") for p in partners]
        if not partners:
            last_subject = max((i for i in own if roles[i] == "subject"), default=f.start)
            countries = list(dict.fromkeys(self.countries_in(view.text[max(last_subject, f.start):hi])))
            if len(countries) >= 2:
                return [(subjects, [], c) for c in countries]
        return [(subjects, partners, "")]

    def _session(self, doc: Document, view: View, m: Mention, f: _Frame, mode: str, subjects, partners,
                 country: str, title_sides, japan_visit: bool, visited: list[tuple[str, str]],
                 frame_venues: list[VenueMention], event_venues: list[Mention], lo: int, prefix_end: int,
                 rule: str, source: str) -> Session:
        people = list(dict.fromkeys(list(subjects) + list(partners)))
        ids = tuple(sorted({p.person_id for p in people if p.person_id}))
        counterparts = self._counterparts(doc, view, m, f, lo, subjects, partners, country, title_sides, visited)
        venue, venue_country, host, venue_is_event = "", "", "", False
        if mode == "in_person":
            venue, venue_country, host, venue_is_event = self._where(doc, view, f, counterparts, japan_visit, visited,
                                                                     frame_venues, event_venues)
        japan_side = True if not title_sides else "JP" in title_sides or not any(
            s not in self.org_codes for s in title_sides)
        multilateral = any(x in self.org_codes for x in title_sides or ())
        ra, rb = view.raw(m.start, m.verb_end)
        sent = next((s for s in view.sentences if s.start <= ra < s.end + 1), view.sentences[0])
        return Session(sent.section_id, sent.sentence_id, ra, rb, m.title, f.date.value if f.date else "", venue,
                       venue_country, ids, mode, source, counterparts, host, multilateral, japan_side,
                       venue_is_event, rule, alias=view.text[m.name_end + 1:m.end - 1])

    def _counterparts(self, doc: Document, view: View, m: Mention, f: _Frame, lo: int, subjects, partners,
                      country: str, title_sides, visited: list[tuple[str, str]]) -> tuple[str, ...]:
        """The sides other than Japan, sorted: from the meeting's title (日米豪, an organisation's
        members), the partners' countries, the distributed country; failing those, a country of the
        frame, the side named for the account (Xとの間では), the country visited, the subjects'
        countries, the section heading's partner."""
        sides: list[str] = []
        if title_sides:
            sides += [s for s in title_sides if s != "JP"]
            if self.members_of(title_sides[0]) and len(title_sides) == 1:
                sides = list(self.members_of(title_sides[0]))
            if any(s in self.org_codes for s in title_sides):
                for run in self._compounds(view.text[lo:m.start]):
                    sides += [s for s in run if s != "JP"]
        for p in partners:
            code = p.country or self.org_of(p.text) or self._person_org.get(p.person_id, "")
            if code and code != "JP":
                sides.append(code)
        if country:
            sides.append(country)
        if not sides and not partners:
            sides += [c for c in self.countries_in(view.text[f.start:m.start]) if c != "JP"][:1]
        if not sides:  # NATOとの間では、…と会談: the side named for the account
            for cue in self.side_cue.finditer(view.text[lo:m.start]):
                named = cue.group("side")
                code = self.place_country(named) or self.org_of(named)
                if code and code != "JP":
                    sides.append(code)
        if not sides:
            sides += [c for _, c in visited if c and c != "JP"][:1]
        if not sides:
            for p in subjects:
                code = p.country or self.org_of(p.text) or self._person_org.get(p.person_id, "")
                if code and code != "JP":
                    sides.append(code)
        if not sides:
            sides += self.heading_sides(doc, view.sentences[0].section_id)
        return tuple(sorted(set(sides)))

    def _where(self, doc: Document, view: View, f: _Frame, counterparts: tuple[str, ...], japan_visit: bool,
               visited: list[tuple[str, str]], frame_venues: list[VenueMention], event_venues: list[Mention]
               ) -> tuple[str, str, str, bool]:
        """(venue, its country, host, whether the venue is an event) of an in-person session."""
        venue, venue_country, host, venue_is_event = "", "", "", False
        # the venue: a place of the venues stage, a place written as the frame's setting, a
        # conference used as the place, a place visited; the first that fits the partner
        options = [(v.name, v.country or self.place_country(v.name), False) for v in frame_venues]
        options += [(n, c, False) for n, c in self.frame_places(doc, view, f)]
        options += [(e.title, "", True) for e in event_venues[-1:]]
        options += [(n, c, False) for n, c in visited if n]

        def fits(c: str) -> bool:
            return bool(c) and (c in counterparts or any(c == self.seat_of(x) for x in counterparts))

        # the most specific first: a city or facility before the country it is in
        options.sort(key=lambda o: self.places.get(o[0], ("", ""))[1] == "country")
        chosen = next((o for o in options if fits(o[1])), None)
        if chosen is None and options and (len({o[0] for o in options}) <= 1 or not counterparts):
            chosen = options[0]
        if chosen is None and options and len({o[1] for o in options if o[1]}) <= 1:
            # places of one third country (シンガポールで開催されたシャングリラ会合の際に): the most
            # specific, the conference the session was held at
            chosen = next((o for o in options if o[2] or self.not_place_event(o[0])), options[0])
        if chosen is not None:
            venue, venue_country, venue_is_event = chosen
        codes = [c for _, c in visited if c]  # a region visited (中東を訪問し) names no host: the venue may
        if japan_visit:
            host = "JP"
        elif codes:
            fit = [c for c in codes if c in counterparts]
            seat = [x for x in counterparts if self.seat_of(x) and self.seat_of(x) in codes]
            host = seat[0] if seat and not fit else (fit[0] if fit else (codes[0] if len(codes) == 1 else ""))
        elif venue:
            org = self.org_of(venue)
            if org and org in counterparts:
                host = org
            else:
                host = venue_country
                seat = [x for x in counterparts if host and self.seat_of(x) == host]
                if seat and host not in counterparts:
                    host = seat[0]
        if not venue_is_event and venue:
            venue_is_event = self.not_place_event(venue)
        return venue, venue_country, host, venue_is_event

    def frame_places(self, doc: Document, view: View, f: _Frame) -> list[tuple[str, str]]:
        """Gazetteer places written as the setting of the frame (北京で、): (name as written, country)."""
        out = []
        for m in self.frame_place.finditer(view.text, f.start):
            if m.start() >= f.end:
                break
            name = m.group("place")
            for n in sorted((p for p in self.places if p and name.endswith(p)), key=len, reverse=True)[:1]:
                ra, rb = view.raw(m.start("place") + len(name) - len(n), m.end("place"))
                out.append((doc.text[ra:rb], self.places[n][0]))
        return out

    def is_country(self, name: str) -> bool:
        return self.places.get(NormText.of(name).text, ("", ""))[1] == "country"

    def not_place_event(self, name: str) -> bool:
        """Whether a venue name is an event (a conference) rather than a place: a meeting word, or the
        name of an organisation with no seat (ADMMプラス: its meetings move from host to host)."""
        if name in self.places:
            return False
        return self.mention.search(name) is not None or any(
            not org.seat and pat.fullmatch(name) is not None for org, pat in self.orgs)

    def _compounds(self, text: str) -> list[tuple[str, ...]]:
        """Side compounds written in `text` (日豪NZ韓, 日米豪)."""
        out = []
        i = 0
        while i < len(text):
            if text[i] == "日":
                sides = self.title_sides(text[i:])
                if sides and len(sides) >= 3:
                    out.append(sides)
            i += 1
        return out

    def heading_sides(self, doc: Document, section_id: int | None) -> list[str]:
        """The partner a section heading (or a parent's) names: 日中防衛交流 -> CN."""
        while section_id is not None:
            sec = doc.sections[section_id - 1]
            folded = NormText.of(sec.title).text
            for i, ch in enumerate(folded):
                if ch == "日":
                    sides = self.title_sides(folded[i:])
                    if sides and len(sides) == 2:
                        return [s for s in sides if s != "JP"]
            section_id = sec.parent_id
        return []
