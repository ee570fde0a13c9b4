"""Meetings: one row per session of each meeting named in a section heading.

A heading title is cut into segments, each a name followed by a parenthesis of dates
(`日米防衛相会談(16(平成28)年9月16日(米国防省)及び同年12月7日(防衛省))`). A segment whose name
matches a rule of `rules/meetings.yaml` is a meeting; each date mention (from the dates
stage) inside its parenthesis is a session, and a parenthesis right after a date is that
session's venue. Without a heading venue, the first venue of the body's opening sentence
is used. Participants are the person_ids of the people in the heading and in the opening
sentence. Venue rows of the meeting's section get its `meeting_id`.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from typing import Literal

from ..document import (BLOCK_KINDS, MEETING_MODES, DateMention, Document, Meeting, PersonMention, Section, Sentence,
                        SpanIndex, TraceEvent, VenueMention)
from ..ruleset import CompiledPattern, Regex, Rule, Rules, Strict
from ..textnorm import NormText
from . import stage
from .meeting_prose import ProseReader, ProseRules, Session


class MeetingRule(Rule):
    mode: Literal[MEETING_MODES]
    pattern: Regex
    needs_date: bool = False


class MeetingRules(Strict):
    meetings: tuple[MeetingRule, ...]
    drop_parentheticals: Regex = ""
    segment_joiners: Regex = ""
    not_venue: Regex = ""
    opening_cue: Regex = ""
    not_participant_after: Regex = ""
    no_venue_modes: tuple[Literal[MEETING_MODES], ...] = ("telephone", "video")
    venue_after_date: Regex = r"^\s*\(([^()]*)\)"
    paragraph_kinds: tuple[Literal[BLOCK_KINDS], ...] = ("paragraph",)
    prose: ProseRules | None = None




@dataclass(frozen=True)
class _Paren:
    start: int  # folded indices into the heading's folded title, '(' .. ')' inclusive
    end: int


@dataclass(frozen=True)
class _Segment:
    name_start: int  # folded indices
    name_end: int
    paren: _Paren | None
    venue_paren: _Paren | None  # a separate parenthesis after the date parenthesis


@dataclass(frozen=True)
class _Rows:
    """A document's rows indexed once per call, so that a section, a heading or a meeting finds its
    sentences, people and venues by bisection and lookup, never by a scan of the whole document."""

    sentences: SpanIndex[Sentence]
    people: SpanIndex[PersonMention]
    venues: SpanIndex[VenueMention]
    people_at: frozenset[int]  # ids of the sentences that hold a person mention
    first_day: dict[int, str]  # sentence id -> the value of its first day date
    venue_country: dict[str, str]  # venue name -> the country of its first mention that has one
    person_countries: dict[str, set[str]]  # person_id -> the countries other than JP its mentions name
    mentions_of: dict[str, SpanIndex[PersonMention]]  # person_id -> its mentions
    mentions_in_sentence: dict[tuple[str, int], list[PersonMention]]  # (person_id, sentence id) -> mentions
    mentions_in_section: dict[tuple[str, int], SpanIndex[PersonMention]]  # (person_id, section id) -> mentions

    @classmethod
    def of(cls, doc: Document) -> "_Rows":
        first_day: dict[int, str] = {}
        for d in doc.dates:
            if d.granularity == "day":
                first_day.setdefault(d.sentence_id, d.value)
        venue_country: dict[str, str] = {}
        for v in doc.venues:
            if v.country:
                venue_country.setdefault(v.name, v.country)
        person_countries: dict[str, set[str]] = {}
        of: dict[str, list[PersonMention]] = {}
        in_sentence: dict[tuple[str, int], list[PersonMention]] = {}
        in_section: dict[tuple[str, int], list[PersonMention]] = {}
        for p in doc.people:
            if p.person_id and p.country and p.country != "JP":
                person_countries.setdefault(p.person_id, set()).add(p.country)
            of.setdefault(p.person_id, []).append(p)
            in_sentence.setdefault((p.person_id, p.sentence_id), []).append(p)
            if p.section_id is not None:
                in_section.setdefault((p.person_id, p.section_id), []).append(p)
        return cls(SpanIndex(doc.sentences), SpanIndex(doc.people), SpanIndex(doc.venues),
                   frozenset(p.sentence_id for p in doc.people), first_day, venue_country, person_countries,
                   {k: SpanIndex(v) for k, v in of.items()}, in_sentence,
                   {k: SpanIndex(v) for k, v in in_section.items()})


def top_parens(text: str) -> list[_Paren]:
    """Top-level balanced (...) groups of `text`."""
    out, depth, begin = [], 0, 0
    for i, c in enumerate(text):
        if c == "(":
            if depth == 0:
                begin = i
            depth += 1
        elif c == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                out.append(_Paren(begin, i + 1))
    return out


@stage("meetings", rules={"meetings": MeetingRules}, reads=("countries", "venues"), assigns=("meetings", "venues"),
       requires=("text", "sections", "sentences", "blocks", "dates", "people", "venues"))
class MeetingStage:
    """Sets `doc.meetings` and the `meeting_id` of the venues inside each meeting's section."""

    def __init__(self, rules: Rules):
        cfg: MeetingRules = rules.get("meetings")
        self.cfg = cfg
        self.rules = [(r, CompiledPattern.of(r.id, r.pattern)) for r in cfg.meetings]

        def c(name: str, p: str):
            return CompiledPattern.of(f"meetings.{name}", p) if p else None

        self.drop = c("drop_parentheticals", cfg.drop_parentheticals)
        self.joiners = c("segment_joiners", cfg.segment_joiners)
        self.not_venue = c("not_venue", cfg.not_venue)
        self.cue = c("opening_cue", cfg.opening_cue)
        self.not_participant = c("not_participant_after", cfg.not_participant_after)
        self.venue_after_date = CompiledPattern.of("meetings.venue_after_date", cfg.venue_after_date)
        self.prose: ProseReader | None = None
        if cfg.prose is not None:
            places: dict[str, tuple[str, str]] = {}
            named = [((n, *aliases), code, "country") for n, code, aliases in rules.get("countries").places()]
            named += [((p.name, *p.aliases), p.country, p.kind) for p in rules.get("venues").gazetteer]
            for names, code, kind in named:  # the countries first, as in the venue stage
                for n in names:
                    places.setdefault(NormText.of(n).text, (code, kind))
            markers = [(m.country, CompiledPattern.of(m.id, m.pattern)) for m in rules.get("countries").marker_rules()]
            self.prose = ProseReader(cfg.prose, [(r.mode, p) for r, p in self.rules], places, markers,
                                     rules.get("countries").shorts())

    def __call__(self, doc: Document) -> Document:
        meetings: list[Meeting] = []
        trace: list[TraceEvent] = []
        venue_owner: dict[int, int] = {}  # index in doc.venues -> meeting_id
        dates_by_start = sorted(doc.dates, key=lambda d: (d.start, d.end))
        rows = _Rows.of(doc)
        for section in doc.sections:
            block = doc.block(section.block_id)
            heading = NormText.of(block.text, block.start)
            found = self._section_meetings(doc, section, heading, len(meetings), trace, dates_by_start, rows)
            if not found:
                continue
            meetings += found
            self._claim_venues(section, found, venue_owner, rows)
        if self.prose is not None:
            meetings = self._with_prose(doc, meetings, venue_owner, trace, rows)
        venues = tuple(replace(v, meeting_id=venue_owner[i]) if i in venue_owner else v
                       for i, v in enumerate(doc.venues))
        meetings = [replace(m, participant_names=participant_names(m, rows)) for m in meetings]
        return replace(doc, meetings=tuple(meetings), venues=venues, trace=doc.trace + tuple(trace))

    # ---- prose ------------------------------------------------------------------------
    def _with_prose(self, doc: Document, heading: list[Meeting], venue_owner: dict[int, int],
                    trace: list[TraceEvent], rows: _Rows) -> list[Meeting]:
        """Heading meetings plus the prose sessions that are not one of them, numbered in reading order,
        with counterparts, host and consult mode; venues and accounts linked to their session."""
        assert self.prose is not None
        kept = self._kept_sessions(doc, heading, self.prose.read(doc, trace))
        order = sorted(range(len(kept)), key=lambda k: (kept[k][1].start if kept[k][1] else kept[k][0].start, k))
        renumber = {k: n + 1 for n, k in enumerate(order)}
        mention_sentences = {sid for _, _, sids in kept for sid in sids}
        out: list[Meeting] = []
        old_ids = {m.meeting_id: renumber[k] for k, (_, m, _) in enumerate(kept) if m is not None}
        for i, mid in list(venue_owner.items()):
            venue_owner[i] = old_ids.get(mid, mid)
        for k in order:
            s, m, sids = kept[k]
            if m is not None:
                out.append(replace(self._consulted_heading(m, rows), meeting_id=renumber[k], account=tuple(sids)))
                continue
            assert s is not None
            # every mention of the session tells it: 同年11月の日中防衛相会談では…合意した belongs to it too
            account = tuple(sorted({sid for first in sids for sid in self._account(doc, first, mention_sentences)}))
            host, mode = consult(s.mode, s.counterparts, s.host, s.venue_country, s.venue_is_event, s.japan_side,
                                 s.multilateral)
            out.append(Meeting(s.section_id, renumber[k], "", s.title, s.date, s.venue, "|".join(s.participants),
                               s.mode, s.start, s.end, doc.text[s.start:s.end], s.rule, s.source,
                               "|".join(s.counterparts), host, mode, account))
        self._claim_prose_venues(doc, out, venue_owner)
        return out

    def _kept_sessions(self, doc: Document, heading: list[Meeting], found: list[Session]
                       ) -> list[tuple[Session | None, Meeting | None, list[int]]]:
        """(prose session, heading meeting, sentence ids of its mentions) of every session: the heading
        meetings, then each prose session that is neither one of them nor a session told before (a
        second mention adds what the first lacks); weak mentions of an organisation's session add sides."""
        kept: list[tuple[Session | None, Meeting | None, list[int]]] = [(None, m, []) for m in heading]
        heading_of_section: dict[int, list[int]] = {}  # section id -> indices of its heading meetings
        for k, m in enumerate(heading):
            if m.section_id is not None:
                heading_of_section.setdefault(m.section_id, []).append(k)
        by_year: dict[str, list[int]] = {}  # year -> indices of kept prose sessions (duplicates share a year)
        for s in found:
            if s.weak:
                continue
            same = self._same_heading(doc, s, heading, heading_of_section)
            if same is not None:  # a retelling of a heading meeting: its people took part in it too
                _, m, sids = kept[same]
                assert m is not None
                people = sorted(set(filter(None, m.participants.split("|"))) | set(s.participants))
                kept[same] = (None, replace(m, participants="|".join(people)), sids + [s.sentence_id])
                continue
            year = s.date[:4]
            dup = next((k for k in by_year.get(year, ()) if _same_session(kept[k][0], s)), None) if year else None
            if dup is not None:
                o = kept[dup][0]
                assert o is not None
                kept[dup] = (replace(o, venue=o.venue or s.venue, venue_country=o.venue_country or s.venue_country,
                                     host=o.host or s.host, participants=o.participants or s.participants),
                             None, kept[dup][2] + [s.sentence_id])
                continue
            if year:
                by_year.setdefault(year, []).append(len(kept))
            kept.append((s, None, [s.sentence_id]))
        first_titled: dict[str, int] = {}  # title -> the first kept prose session with it
        for k, (o, _, _) in enumerate(kept):
            if o is not None:
                first_titled.setdefault(o.title, k)
        for w in (s for s in found if s.weak and s.multilateral):  # more sides of an organisation's session
            k = first_titled.get(w.title)
            if k is not None:
                o = kept[k][0]
                assert o is not None
                kept[k] = (replace(o, counterparts=tuple(sorted(set(o.counterparts) | set(w.counterparts)))),
                           None, kept[k][2] + [w.sentence_id])
        return kept

    def _consulted_heading(self, m: Meeting, rows: _Rows) -> Meeting:
        """A heading meeting with its counterparts, host and consult mode."""
        reader = self.prose
        host = self._heading_host(m, rows)
        sides = reader.title_sides(NormText.of(m.title).text)
        counterparts = self._heading_counterparts(m, sides, rows)
        venue_country = reader.place_country(NormText.of(m.venue).text) if m.venue else ""
        is_event = bool(m.venue) and reader.not_place_event(NormText.of(m.venue).text)
        japan = not sides or "JP" in sides
        host, mode = consult(m.mode, counterparts, host, venue_country or host, is_event, japan)
        return replace(m, counterparts="|".join(counterparts), host=host, consult_mode=mode)

    def _same_heading(self, doc: Document, s: Session, heading: list[Meeting],
                      heading_of_section: dict[int, list[int]]) -> int | None:
        """The heading meeting (index) that a prose session retells: in its section (or below), same date."""
        if s.section_id is None:
            return None
        owners: list[int] = []
        sid: int | None = s.section_id
        while sid is not None:
            owners += heading_of_section.get(sid, [])
            if owners:
                break
            sid = doc.sections[sid - 1].parent_id
        sides = self.prose.title_sides(NormText.of(s.title).text) if self.prose is not None else None
        for k in owners:
            m = heading[k]
            theirs = self.prose.title_sides(NormText.of(m.title).text) if self.prose is not None else None
            if sides and theirs and set(sides) != set(theirs):
                continue  # 日米韓防衛相会談 told in the section of a 日米防衛相会談: another meeting
            # 第1回日豪「2+2」 retells 日豪外務・防衛閣僚協議(「2+2」): the heading's alias, same sides
            by_alias = bool(sides) and bool(theirs) and same_title(s.title, bracket_alias(m.title))
            if not (same_title(s.title, m.title) or same_title(s.alias, m.title) or by_alias):
                continue  # a 表敬 told in the section of a 防衛相会談: another meeting
            if not s.date or (m.date and (m.date.startswith(s.date) or s.date.startswith(m.date))):
                return k
        return None

    def _account(self, doc: Document, sentence_id: int, mentions: set[int]) -> tuple[int, ...]:
        """The session's sentence and the sentences that continue its account: the rest of its
        paragraph, and the next paragraphs of its section that open as a continuation (両大臣は,
        また); it ends at the next session's sentence."""
        assert self.prose is not None
        first = doc.sentence(sentence_id)
        block = first.block_id
        out = [sentence_id]
        for s in doc.sentences[sentence_id:]:
            if s.sentence_id in mentions or s.section_id != first.section_id:
                break
            if s.block_id != block:
                kind = doc.block(s.block_id).kind
                if kind not in self.cfg.paragraph_kinds or s.start != doc.block(s.block_id).start \
                        or self.prose.account_continues.match(NormText.of(s.text).text) is None:
                    break
                block = s.block_id
            out.append(s.sentence_id)
        return tuple(out)

    def _claim_prose_venues(self, doc: Document, meetings: list[Meeting], owner: dict[int, int]) -> None:
        by_sentence: dict[int, list[Meeting]] = {}
        for m in meetings:
            if m.source != "heading":
                for sid in m.account:
                    by_sentence.setdefault(sid, []).append(m)
        for i, v in enumerate(doc.venues):
            if i in owner or v.sentence_id not in by_sentence:
                continue
            cands = by_sentence[v.sentence_id]
            named = [m for m in cands if m.venue and m.venue == v.name]
            after = [m for m in cands if m.start >= v.end]
            owner[i] = (named or after or cands)[0].meeting_id

    def _heading_host(self, m: Meeting, rows: _Rows) -> str:
        if m.mode in self.cfg.no_venue_modes or not m.venue or self.prose is None:
            return ""
        name = NormText.of(m.venue).text
        org = self.prose.org_of(name)
        if org and "本部" in name:
            return org
        return rows.venue_country.get(m.venue) or self.prose.place_country(name)

    def _heading_counterparts(self, m: Meeting, sides, rows: _Rows) -> tuple[str, ...]:
        out = {x for x in sides or () if x != "JP"}
        for pid in filter(None, m.participants.split("|")):
            out |= rows.person_countries.get(pid, set())
        return tuple(sorted(out))

    # ---- headings ---------------------------------------------------------------------
    def _segments(self, title: str, offset: int, dates: list[DateMention], norm: NormText) -> list[_Segment]:
        """Cut the folded heading text (title starting at folded index `offset`) into segments."""
        segs: list[_Segment] = []
        name_start = offset
        parens = [_Paren(p.start + offset, p.end + offset) for p in top_parens(title)]
        for p in parens:
            ra, rb = norm.raw_span(p.start, p.end)
            has_date = any(ra <= d.start and d.end <= rb for d in dates)
            inner = norm.text[p.start + 1:p.end - 1]
            if has_date:
                segs.append(_Segment(name_start, p.start, p, None))
                name_start = p.end
            elif self.drop is not None and self.drop.fullmatch(inner) is not None:
                if name_start == p.start:
                    name_start = p.end
            elif segs and name_start == p.start and segs[-1].venue_paren is None:
                segs[-1] = replace(segs[-1], venue_paren=p)
                name_start = p.end
        if name_start < len(norm.text) and norm.text[name_start:].strip() and (not segs or
                                                                                 segs[-1].name_end < name_start):
            segs.append(_Segment(name_start, len(norm.text), None, None))
        return segs

    def _section_meetings(self, doc: Document, section: Section, heading: NormText, next_id: int,
                          trace: list[TraceEvent], by_start: list[DateMention], rows: _Rows) -> list[Meeting]:
        title_at = heading.text.rfind(NormText.of(section.title).text) if section.title else -1
        if title_at < 0:
            return []
        block = doc.block(section.block_id)
        lo, hi = bisect.bisect_left(by_start, block.start, key=lambda d: d.start), \
            bisect.bisect_left(by_start, block.end, key=lambda d: d.start)
        dates = [d for d in by_start[lo:hi] if d.end <= block.end]
        segs = self._segments(heading.text[title_at:], title_at, dates, heading)
        out: list[Meeting] = []
        for seg in segs:
            name = heading.text[seg.name_start:seg.name_end]
            if self.joiners is not None:
                m = self.joiners.match(name)
                if m is not None and m.end() < len(name):
                    seg = replace(seg, name_start=seg.name_start + m.end())
                    name = name[m.end():]
            name = self._clean_name(name).strip()
            rule = next((r for r, p in self.rules if p.search(name) is not None), None)
            na, nb = heading.raw_span(seg.name_start, seg.name_end)
            if rule is None:
                continue
            if rule.needs_date and seg.paren is None:
                trace.append(TraceEvent("meetings", rule.id, na, nb, doc.text[na:nb], "dropped",
                                        "needs_date: no date parenthesis in the heading"))
                continue
            sessions = self._sessions(doc, seg, heading, dates, rule.mode, rows)
            if not sessions:
                sessions = [(self._body_date(doc, section, rows), "", (0, 0))]
            if not any(date for date, _, _ in sessions):
                trace.append(TraceEvent("meetings", rule.id, na, nb, doc.text[na:nb], "dropped",
                                        "no session date in the heading or the opening sentence"))
                continue
            end = seg.venue_paren.end if seg.venue_paren else seg.paren.end if seg.paren else seg.name_end
            ra, rb = heading.raw_span(seg.name_start, end)
            raw_name = self._clean_name(" ".join(doc.text[na:nb].split())).strip()
            opening = self._opening_sentence(doc, section, rows)
            people = self._participants(doc, heading, seg, opening, rows)
            body_venue = ""
            if rule.mode not in self.cfg.no_venue_modes and opening is not None:
                inside = rows.venues.inside(opening.start, opening.end)
                # the most specific place: a city or facility before the country it is in
                inside.sort(key=lambda v: self.prose is not None and self.prose.is_country(v.name))
                body_venue = inside[0].name if inside else ""
            for date, venue, _ in sessions:
                mode, fired = rule.mode, rule.id
                # a session parenthesis that names a mode (`(テレビ会議形式)`, `(電話)`) is no venue
                as_mode = next((r for r, p in self.rules if venue and r.mode in self.cfg.no_venue_modes
                                and p.search(venue) is not None), None)
                if as_mode is not None:
                    mode, fired = as_mode.mode, f"{rule.id}+{as_mode.id}"
                if mode in self.cfg.no_venue_modes:
                    venue = ""
                elif not venue and len(sessions) == 1:
                    venue = body_venue
                out.append(Meeting(section.section_id, next_id + len(out) + 1, section.label, raw_name, date, venue,
                                   "|".join(people), mode, ra, rb, doc.text[ra:rb], fired))
        return out

    def _clean_name(self, name: str) -> str:
        """The name without parentheticals that `drop_parentheticals` matches ((安全保障部分))."""
        if self.drop is None:
            return name
        for p in reversed(top_parens(NormText.of(name).text)):
            norm = NormText.of(name)
            if self.drop.fullmatch(norm.text[p.start + 1:p.end - 1]) is not None:
                a, b = norm.raw_span(p.start, p.end)
                name = name[:a] + name[b:]
        return name

    def _sessions(self, doc: Document, seg: _Segment, heading: NormText, dates: list[DateMention],
                  mode: str, rows: _Rows) -> list[tuple[str, str, tuple[int, int]]]:
        """(date value, venue name, venue raw span) per date of the segment's parenthesis."""
        if seg.paren is None:
            return []
        pa, pb = heading.raw_span(seg.paren.start, seg.paren.end)
        inside = sorted((d for d in dates if pa <= d.start and d.end <= pb), key=lambda d: d.start)
        inside = [d for d in inside if not d.modifier]  # (2004年以降): a period, not a session date
        days = [d for d in inside if d.granularity == "day"] or inside
        out = []
        for d in days:
            venue, span = "", (0, 0)
            fa = _folded_index(heading, d.end)
            rest = heading.text[fa:heading_limit(heading, seg)]
            m = self.venue_after_date.match(rest)
            g = next((k for k in range(1, (m.re.groups if m is not None else 0) + 1) if m.group(k)), 0)
            if m is not None and g:
                span = heading.raw_span(fa + m.start(g), fa + m.end(g))
                text = m.group(g).strip()
                has_date = any(span[0] <= d2.start and d2.end <= span[1] for d2 in dates)
                if text and not has_date and (self.not_venue is None or self.not_venue.fullmatch(text) is None):
                    venue = _venue_name(rows, span, doc.text[span[0]:span[1]].strip())
            out.append((d.value, venue, span))
        if seg.venue_paren is not None and len(out) >= 1 and all(not v for _, v, _ in out):
            inner = heading.text[seg.venue_paren.start + 1:seg.venue_paren.end - 1].strip()
            if inner and (self.not_venue is None or self.not_venue.fullmatch(inner) is None):
                span = heading.raw_span(seg.venue_paren.start + 1, seg.venue_paren.end - 1)
                name = _venue_name(rows, span, doc.text[span[0]:span[1]].strip())
                out = [(value, name, span) for value, _, _ in out]
        return out

    def _body_date(self, doc: Document, section: Section, rows: _Rows) -> str:
        opening = self._opening_sentence(doc, section, rows)
        return rows.first_day.get(opening.sentence_id, "") if opening is not None else ""

    # ---- body -------------------------------------------------------------------------
    def _opening_sentence(self, doc: Document, section: Section, rows: _Rows) -> Sentence | None:
        own = [s for s in rows.sentences.inside(section.start, section.end)
               if doc.block(s.block_id).kind in self.cfg.paragraph_kinds]
        direct = [s for s in own if s.section_id == section.section_id] or own
        with_people = [s for s in direct if s.sentence_id in rows.people_at]
        if self.cue is not None:
            for s in with_people:
                if self.cue.search(NormText.of(s.text).text) is not None:
                    return s
        return with_people[0] if with_people else None

    def _participants(self, doc: Document, heading: NormText, seg: _Segment,
                      opening: Sentence | None, rows: _Rows) -> list[str]:
        na, nb = heading.raw_span(seg.name_start, seg.name_end)
        ids = {p.person_id for p in rows.people.inside(na, nb) if p.person_id}
        if opening is not None:
            for p in rows.people.inside(opening.start, opening.end):
                if not p.person_id:
                    continue
                after = NormText.of(doc.text[p.end:opening.end]).text
                if self.not_participant is not None and self.not_participant.match(after) is not None:
                    continue
                ids.add(p.person_id)
        return sorted(ids)

    def _claim_venues(self, section: Section, found: list[Meeting], owner: dict[int, int], rows: _Rows) -> None:
        for i, v in rows.venues.indexed_inside(section.start, section.end):
            in_heading = [m for m in found if m.start <= v.start and v.end <= m.end]
            same = [m for m in (in_heading or found) if m.venue and m.venue == v.name]
            owner[i] = (same or in_heading or found)[0].meeting_id


def same_title(a: str, b: str) -> bool:
    """Whether two names can name one meeting: equal once 第N回 and brackets are set aside, or one
    ends the other (会談 / 日米防衛相会談, 日仏「2+2」 / 第2回日仏「2+2」); 表敬 and 会談 are two meetings."""
    x, y = _bare_title(a), _bare_title(b)
    return bool(x) and bool(y) and (x.endswith(y) or y.endswith(x))


def bracket_alias(title: str) -> str:
    """The name in brackets that ends a title (日豪外務・防衛閣僚協議(「2+2」) -> 「2+2」), or ''."""
    import regex

    m = regex.search(r"\(([^()]+)\)\s*\Z", NormText.of(title).text)
    return m.group(1) if m else ""


def _bare_title(title: str) -> str:
    import regex

    return regex.sub(r"^(?:第\d+回)|[「」()\s]", "", NormText.of(title).text)


def _same_session(a: Session, b: Session) -> bool:
    """Two prose mentions of one session: compatible dates, names, mode, sides and people."""
    if a.sentence_id == b.sentence_id:
        return False  # two mentions (or frames) of one sentence are two sessions
    if not any(same_title(x, y) for x in (a.title, a.alias) for y in (b.title, b.alias)):
        return False
    if not a.date or not b.date or not (a.date.startswith(b.date) or b.date.startswith(a.date)):
        return False
    if a.mode != b.mode:
        return False
    if a.counterparts and b.counterparts and a.counterparts != b.counterparts:
        return False
    if not (a.participants and b.participants and set(a.participants) & set(b.participants)):
        return not (a.participants and b.participants)
    # people in common, but each names another person of one side (安倍首相 in the prose, 小野寺防衛大臣 in
    # the caption, each with the same visitor): two sessions of the visit
    sides_a, sides_b = _by_side(a.participants), _by_side(b.participants)
    return all(sides_a[c] & sides_b[c] for c in sides_a.keys() & sides_b.keys())


def _by_side(participants: tuple[str, ...]) -> dict[str, set[str]]:
    """person_ids by the country their id begins with (`JP-安倍晋三`); ids with no country are left out."""
    out: dict[str, set[str]] = {}
    for p in participants:
        code, sep, _ = p.partition("-")
        if sep and code:
            out.setdefault(code, set()).add(p)
    return out


def participant_names(m: Meeting, rows: _Rows) -> str:
    """The participants as written at the meeting (`稲田防衛大臣|カーター米国防長官`), in the order of
    `m.participants`: for each person_id the mention nearest the meeting, preferring one inside its
    mention, then in the sentences that tell it, then in its section, then anywhere in the document
    (equally near: the earlier mention). Found through `rows.mentions_of` (no scan of every mention)."""
    at = rows.sentences.at(m.start)
    told = set(m.account) | ({at.sentence_id} if at is not None else set())
    names = []
    for pid in filter(None, m.participants.split("|")):
        mentions = rows.mentions_of.get(pid)
        if mentions is None:
            names.append("")
            continue
        inside = mentions.inside(m.start, m.end)
        best = (_nearest(inside, m.start) or _nearest([p for sid in sorted(told) for p in
                                                       rows.mentions_in_sentence.get((pid, sid), [])], m.start)
                or (_nearest(rows.mentions_in_section[(pid, m.section_id)].rows, m.start, sorted_rows=True)
                    if m.section_id is not None and (pid, m.section_id) in rows.mentions_in_section else None)
                or _nearest(mentions.rows, m.start, sorted_rows=True))
        names.append(best.text if best is not None else "")
    return "|".join(names)


def _nearest(mentions: list[PersonMention], pos: int, *, sorted_rows: bool = False) -> PersonMention | None:
    """The mention whose start is nearest `pos`, the earliest of equally near ones; with `sorted_rows`
    (by start) only the two around `pos` are compared."""
    if sorted_rows and mentions:
        k = bisect.bisect_left(mentions, pos, key=lambda p: p.start)
        mentions = mentions[max(k - 1, 0):k + 1]
    return min(mentions, key=lambda p: (abs(p.start - pos), p.start), default=None)


def consult(mode: str, counterparts, host: str, venue_country: str, venue_is_event: bool,
            japan_side: bool, multilateral: bool = False) -> tuple[str, str]:
    """(host, PLOVER CONSULT mode): phone, multilateral, third-party or visit, the first that applies.
    A host that is none of the sides (a venue in a third country) is no host."""
    sides = set(counterparts) | ({"JP"} if japan_side else set())
    if mode in ("telephone", "video"):
        return "", "phone"
    own = host if host in sides else ""
    if len(sides) >= 3 or multilateral:
        return own, "multilateral"
    if own:
        return own, "visit"
    if venue_is_event or (venue_country and sides and venue_country not in sides) or host:
        return "", "third-party"
    return "", ""


def heading_limit(heading: NormText, seg: _Segment) -> int:
    return seg.paren.end - 1 if seg.paren is not None else len(heading.text)


def _folded_index(norm: NormText, raw_pos: int) -> int:
    import bisect

    return bisect.bisect_left(norm.starts, raw_pos)


def _venue_name(rows: _Rows, span: tuple[int, int], fallback: str) -> str:
    """The name of the (first) venue mention inside `span`, else the parenthesis text as written."""
    inside = rows.venues.indexed_inside(*span)
    return min(inside, key=lambda iv: iv[0])[1].name if inside else fallback


__all__ = ["MeetingStage", "MeetingRules", "PersonMention"]
