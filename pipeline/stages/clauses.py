"""Outcome clauses: agreed / confirmed / shared / welcomed / stated / requested, with who and what.

Predicates are token patterns over MeCab tokens (`rules/clauses.yaml` `predicates`), so
一致した / 一致し / 一致する / 一致をした / 一致10した are one rule. A predicate inside a
quotation, followed by 旨 (part of a statement) or negated is dropped (and traced). The
actor comes from subject patterns over the paragraph in which person mentions are one
placeholder character; `content` runs from the clause start to the predicate. The clause
is linked to the meeting of its section (or an ancestor section).
"""
from __future__ import annotations

import bisect
import itertools
import operator
from dataclasses import dataclass, field, replace
from typing import Callable, Literal

import regex

from pydantic import model_validator

from ..document import (BLOCK_KINDS, CLAUSE_TYPES, Block, Clause, Document, Meeting, PersonMention, Sentence, Token,
                        TraceEvent)
from ..overlap import resolve
from ..ruleset import CompiledPattern, Regex, Rule, Rules, Strict, literal_words
from ..textnorm import NormText, fold_text, folded, quote_spans
from . import stage

_TEXT = operator.itemgetter(Token._fields.index("text"))
_START_KEY = operator.itemgetter(*(Token._fields.index(f) for f in ("text", "lemma", "pos1")))
PERSON = "\ue000"  # one character standing for a person mention in the subject view
BLANK = "\ue001"  # a character inside a quotation in the subject view


class TokenSpec(Strict):
    """One token of a predicate: regexes that must match the folded surface, lemma, pos1."""

    text: Regex | None = None
    lemma: Regex | None = None
    pos: Regex | None = None
    op: Literal["1", "?", "*", "+"] = "1"


class PredicateRule(Rule):
    type: Literal[CLAUSE_TYPES]
    tokens: tuple[TokenSpec, ...]
    tail: str = ""
    not_before: Regex = ""
    not_after: Regex = ""


def _person_pattern(pattern: str, shorts: str = "(?!)") -> str:
    return pattern.replace("{person}", PERSON).replace("{country_short}", shorts)


class SubjectRule(Rule):
    """A subject pattern over the paragraph view; `{person}` stands for a person mention and
    `{country_short}` for any country's abbreviation of rules/countries.yaml (日米豪防衛相は).

    `actor: same` (同大臣は / 同氏から) resolves to the nearest earlier person of the section whose
    title ends with the pattern's `title` group (any person when the group is empty)."""

    actor: Literal["both", "person", "partner", "same"]
    pattern: str
    joinable: bool = False  # a person subject a later partner (…Bとの間で) turns into `both`

    @model_validator(mode="after")
    def _compiles(self):
        import regex

        try:
            regex.compile(_person_pattern(self.pattern), regex.V1)
        except regex.error as err:
            raise ValueError(f"regex does not compile: {err}") from None
        return self


class ClauseRules(Strict):
    block_kinds: tuple[Literal[BLOCK_KINDS], ...] = ("paragraph", "footnote")
    meeting_block_kinds: tuple[Literal[BLOCK_KINDS], ...] = ("paragraph",)
    footnote_marker_token: Regex = r"\d{1,2}"
    footnote_marker: Regex = ""
    quote_pairs: tuple[str, ...] = ("「」", "『』")
    embedded_after: Regex = ""
    negated_after: Regex = ""
    person_suffix: Regex = r"^\(当時\)"
    tails: dict[str, tuple[TokenSpec, ...]] = {}
    predicates: tuple[PredicateRule, ...]
    subjects: tuple[SubjectRule, ...] = ()
    joint_types: tuple[Literal[CLAUSE_TYPES], ...] = ("agree", "share")
    content_skip: Regex = ""

    @model_validator(mode="after")
    def _tails_exist(self):
        for p in self.predicates:
            if p.tail and p.tail not in self.tails:
                raise ValueError(f"rule {p.id}: unknown tail '{p.tail}' (known: {', '.join(sorted(self.tails))})")
        return self




@dataclass(frozen=True)
class _Spec:
    text: CompiledPattern | None
    lemma: CompiledPattern | None
    pos: CompiledPattern | None
    op: str
    lemmas: frozenset[str] | None = None  # the lemma pattern's words when it is a plain alternation (`literal_words`)
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # (surface, lemma, pos1) -> bool

    def ok(self, surface: str, tok: Token) -> bool:
        if self.lemmas is not None and tok.lemma not in self.lemmas:
            return False  # what `lemma.fullmatch` would say, without a regex call
        key = (surface, tok.lemma, tok.pos1)
        hit = self.memo.get(key)
        if hit is None:
            hit = ((self.text is None or self.text.fullmatch(surface) is not None)
                   and (self.lemma is None or self.lemma.fullmatch(tok.lemma) is not None)
                   and (self.pos is None or self.pos.fullmatch(tok.pos1) is not None))
            if len(self.memo) >= _MEMO_MAX:
                self.memo.clear()
            self.memo[key] = hit
        return hit


_MEMO_MAX = 50_000  # entries per token spec; tokens repeat, so a small memo saves most regex calls


@dataclass(frozen=True)
class _Predicate:
    rule: PredicateRule
    specs: tuple[_Spec, ...]
    not_before: CompiledPattern | None
    not_after: CompiledPattern | None


@dataclass(frozen=True)
class _Candidate:
    order: int
    rule_id: str
    type: str
    sentence_id: int
    start: int
    end: int


@dataclass(frozen=True)
class _Subject:
    start: int  # raw offsets
    end: int
    rule_id: str
    actor: str  # both|person|partner
    person_id: str
    joinable: bool


def _compile_spec(rule_id: str, spec: TokenSpec) -> _Spec:
    def c(p):
        return CompiledPattern.of(rule_id, p) if p is not None else None

    return _Spec(c(spec.text), c(spec.lemma), c(spec.pos), spec.op,
                 literal_words(spec.lemma) if spec.lemma is not None else None)


class _Markers:
    """Whether token i of a sentence is a footnote marker, decided when asked (a match asks of few
    tokens; `decide` is memoized by surface)."""

    def __init__(self, surfaces: list[str], decide):
        self.surfaces, self.decide = surfaces, decide

    def __getitem__(self, i: int) -> bool:
        return self.decide(self.surfaces[i])


def match_tokens(specs: tuple[_Spec, ...], surfaces: list[str], toks: tuple[Token, ...], begin: int,
                 *, is_marker: "_Markers | list[bool]") -> int | None:
    """Match `specs` from token `begin`; return the index after the last consumed token, or None.

    Greedy with backtracking; a footnote-marker token (`is_marker[i]`) between consumed tokens
    is skipped."""
    end = _match_from(specs, surfaces, toks, is_marker, 0, begin, None)
    return end if end is not None and end > begin else None


def _match_from(specs: tuple[_Spec, ...], surfaces: list[str], toks: tuple[Token, ...], is_marker, si: int, ti: int,
                last: int | None) -> int | None:
    """`match_tokens` from spec `si` at token `ti`, `last` the end of what is consumed so far (a function of
    the module, not a closure that calls itself: such a closure is a reference cycle, garbage only the
    cycle collector frees, and a match is tried tens of thousands of times per edition)."""
    if si == len(specs):
        return last
    spec = specs[si]
    n = len(toks)
    # the token at ti, or (between consumed tokens) the one after a footnote marker at ti
    for tj in ((ti, ti + 1) if last is not None and ti + 1 < n and is_marker[ti] else (ti,)):
        if tj < n and spec.ok(surfaces[tj], toks[tj]):
            nxt = si if spec.op in ("*", "+") else si + 1
            found = _match_from(specs, surfaces, toks, is_marker, nxt, tj + 1, tj + 1)
            if found is None and spec.op in ("*", "+"):
                found = _match_from(specs, surfaces, toks, is_marker, si + 1, tj + 1, tj + 1)
            if found is not None:
                return found
    if spec.op in ("?", "*"):
        return _match_from(specs, surfaces, toks, is_marker, si + 1, ti, last)
    return None


def _starters(specs: tuple[_Spec, ...]) -> tuple[_Spec, ...]:
    """The specs that can consume the first token of a match: the leading optional ones and the
    first required one (a match must consume the token it starts at)."""
    for i, spec in enumerate(specs):
        if spec.op in ("1", "+"):
            return specs[:i + 1]
    return specs


@stage("clauses", rules={"clauses": ClauseRules}, reads=("countries",), assigns=("clauses",),
       requires=("text", "sections", "sentences", "blocks", "tokens", "dates", "people", "meetings"))
class ClauseStage:
    """Sets `doc.clauses`: one row per outcome predicate, with type, actor, content and meeting."""

    def __init__(self, rules: Rules):
        cfg: ClauseRules = rules.get("clauses")
        self.cfg = cfg
        self.predicates: list[_Predicate] = []
        for p in cfg.predicates:
            specs = tuple(_compile_spec(p.id, s) for s in p.tokens + (cfg.tails[p.tail] if p.tail else ()))
            self.predicates.append(_Predicate(
                p, specs, CompiledPattern.of(p.id, p.not_before + "$") if p.not_before else None,
                CompiledPattern.of(p.id, p.not_after) if p.not_after else None))
        self._starters = [_starters(pred.specs) for pred in self.predicates]
        # (text, lemma, pos1) -> the predicates (indices) a match can start at such a token
        self._start_memo: dict[tuple[str, str, str], tuple[int, ...]] = {}
        self._marker_memo: dict[str, bool] = {}
        self.marker_token = CompiledPattern.of("clauses.footnote_marker_token", cfg.footnote_marker_token)
        self.marker = CompiledPattern.of("clauses.footnote_marker", cfg.footnote_marker) if cfg.footnote_marker \
            else None
        self.embedded = CompiledPattern.of("clauses.embedded_after", cfg.embedded_after) if cfg.embedded_after \
            else None
        self.negated = CompiledPattern.of("clauses.negated_after", cfg.negated_after) if cfg.negated_after else None
        self.person_suffix = CompiledPattern.of("clauses.person_suffix", cfg.person_suffix)
        # {country_short}: any country's abbreviation (rules/countries.yaml: 米, 豪, NZ ...)
        shorts = "(?:" + "|".join(regex.escape(x) for x in rules.get("countries").shorts()) + ")"
        self.subjects = [(s, CompiledPattern.of(s.id, _person_pattern(s.pattern, shorts))) for s in cfg.subjects]
        self.content_skip = CompiledPattern.of("clauses.content_skip", cfg.content_skip) if cfg.content_skip \
            else None

    def _is_marker(self, surface: str) -> bool:
        """Whether a token is a footnote marker (memoized: surfaces repeat)."""
        hit = self._marker_memo.get(surface)
        if hit is None:
            hit = self.marker_token.fullmatch(surface) is not None
            if len(self._marker_memo) >= _MEMO_MAX:
                self._marker_memo.clear()
            self._marker_memo[surface] = hit
        return hit

    # ---- predicates -------------------------------------------------------------------
    def _candidates(self, doc: Document, block: Block, sentences: list[Sentence],
                    toks_by_sent: dict[int, tuple[Token, ...]], trace: list[TraceEvent]) -> list[_Candidate]:
        """The predicates found in the block's `sentences` (overlaps resolved, drops traced)."""
        quotes: list[tuple[int, int]] | None = None  # the block's quotations, found once a predicate can start
        out: list[_Candidate] = []
        memo = self._start_memo
        for sent in sentences:
            toks = toks_by_sent.get(sent.sentence_id, ())
            # per predicate, the tokens a match can start at (a spec that may consume the first token accepts
            # it); most sentences have none, and are left at that
            at = list(map(memo.get, map(_START_KEY, toks)))  # per token: the predicates, None when not known yet
            if None in at:
                at = [self._starting(tok) if orders is None else orders for tok, orders in zip(toks, at)]
            if not any(at):
                continue
            starts: list[list[int]] = [[] for _ in self.predicates]
            for ti in itertools.compress(range(len(at)), at):
                for order in at[ti]:
                    starts[order].append(ti)
            if quotes is None:
                norm = NormText.of(block.text, block.start)
                quotes = [norm.raw_span(a, b) for a, b in quote_spans(norm.text, self.cfg.quote_pairs)]
            surfaces = list(map(folded, map(_TEXT, toks)))
            is_marker = _Markers(surfaces, self._is_marker)
            found: list[_Candidate] = []
            for order, pred in enumerate(self.predicates):
                for ti in starts[order]:
                    end = match_tokens(pred.specs, surfaces, toks, ti, is_marker=is_marker)
                    if end is None:
                        continue
                    a, b = toks[ti].start, toks[end - 1].end
                    after = _fold_between(doc.text, b, sent.end)
                    reason = ""
                    if any(qa <= a and b <= qb for qa, qb in quotes):
                        reason = "inside a quotation"
                    elif pred.not_before is not None and \
                            pred.not_before.search(_fold_between(doc.text, sent.start, a)) is not None:
                        reason = f"not_before /{pred.rule.not_before}/ matches"
                    elif pred.not_after is not None and pred.not_after.match(after) is not None:
                        reason = f"not_after /{pred.rule.not_after}/ matches"
                    elif self.embedded is not None and self.embedded.match(after) is not None:
                        reason = "embedded in a statement (embedded_after)"
                    elif self.negated is not None and self.negated.match(after) is not None:
                        reason = "negated (negated_after)"
                    if reason:
                        trace.append(TraceEvent("clauses", pred.rule.id, a, b, doc.text[a:b], "dropped", reason))
                        continue
                    found.append(_Candidate(order, pred.rule.id, pred.rule.type, sent.sentence_id, a, b))
            kept, dropped = resolve(found, span=lambda c: (c.start, c.end), priority=lambda c: c.order,
                                    label=lambda c: c.rule_id)
            for c, why in dropped:
                trace.append(TraceEvent("clauses", c.rule_id, c.start, c.end, doc.text[c.start:c.end], "dropped", why))
            out += kept
        return out

    def _starting(self, tok: Token) -> tuple[int, ...]:
        """The predicates (indices) a match can start at `tok` (memoized by surface, lemma and pos1)."""
        surface = folded(tok.text)
        orders = tuple(order for order, starters in enumerate(self._starters)
                       if any(sp.ok(surface, tok) for sp in starters))
        if len(self._start_memo) >= _MEMO_MAX:
            self._start_memo.clear()
        self._start_memo[_START_KEY(tok)] = orders
        return orders

    # ---- subjects ---------------------------------------------------------------------
    def _subjects(self, doc: Document, block: Block, people: list[PersonMention],
                  section_people: list[PersonMention], n_earlier: int) -> list[_Subject]:
        """The subject patterns found in the block; `people` are the block's person mentions and
        `section_people[:n_earlier]` those of its section before it (both in reading order)."""
        norm = NormText.of(block.text, block.start)
        text = norm.text
        who: dict[int, PersonMention] = {}
        spans = []
        for p in people:
            fa = bisect.bisect_left(norm.starts, p.start)
            fb = bisect.bisect_left(norm.starts, p.end)
            if fa >= fb:
                continue
            m = self.person_suffix.match(text[fb:]) if fb < len(text) else None
            if m is not None:
                fb += m.end()
            spans.append((fa, fb, p))
        spans.sort(key=lambda s: s[0])
        # the view: the folded text with each person (and its suffix) as one PERSON character; a
        # piece is (view start, folded start, folded end of a person or None for text)
        pieces: list[str] = []
        segments: list[tuple[int, int, int | None]] = []
        i = vpos = 0
        for fa, fb, p in spans:
            if fa < i or fa >= len(text):
                continue  # inside the person before it
            if fa > i:
                segments.append((vpos, i, None))
                pieces.append(text[i:fa])
                vpos += fa - i
            who[vpos] = p
            segments.append((vpos, fa, fb))
            pieces.append(PERSON)
            vpos += 1
            i = fb
        if i < len(text):
            segments.append((vpos, i, None))
            pieces.append(text[i:])
        vtext = "".join(pieces)
        seg_starts = [g[0] for g in segments]

        def raw_of(j: int) -> tuple[int, int]:
            """The raw span of view character j."""
            start, fold, person_end = segments[bisect.bisect_right(seg_starts, j) - 1]
            if person_end is not None:
                return norm.raw_span(fold, person_end)
            f = fold + j - start
            return norm.raw_span(f, f + 1)

        for qa, qb in quote_spans(vtext, self.cfg.quote_pairs):
            vtext = vtext[:qa] + BLANK * (qb - qa) + vtext[qb:]
        found: list[tuple[int, int, int, SubjectRule, str]] = []
        for order, (rule, pat) in enumerate(self.subjects):
            for m in pat.finditer(vtext):
                if m.end() > m.start():
                    title = (m.groupdict().get("title") or "") if rule.actor == "same" else ""
                    found.append((m.start(), m.end(), order, rule, title))
        kept, _ = resolve(found, span=lambda f: (f[0], f[1]), priority=lambda f: f[2])
        out = []
        for a, b, _, rule, title in kept:
            pid, actor = "", rule.actor
            if rule.actor in ("person", "partner"):
                persons = [who[j] for j in range(a, b) if j in who]
                pid = persons[-1].person_id if persons else ""
            elif rule.actor == "same":
                at = raw_of(a)[0]
                # the nearest earlier fitting person: the block's, then its section's before it
                nearest = itertools.chain(reversed(people), (section_people[i] for i in range(n_earlier - 1, -1, -1)))
                last = next((p for p in nearest if p.end <= at and p.person_id
                             and (not title or p.title.endswith(title))), None)
                pid, actor = (last.person_id if last is not None else ""), "person"
            if actor != "both" and not pid:
                continue
            out.append(_Subject(raw_of(a)[0], raw_of(b - 1)[1], rule.id, actor, pid, rule.joinable))
        return out

    # ---- assembly ---------------------------------------------------------------------
    def __call__(self, doc: Document) -> Document:
        toks_by_sent = doc.tokens_by_sentence()
        trace: list[TraceEvent] = []
        clauses: list[Clause] = []
        blocks = [b for b in doc.blocks if b.kind in self.cfg.block_kinds]
        sentences_of: dict[int, list[Sentence]] = {}
        for sent in doc.sentences:
            sentences_of.setdefault(sent.block_id, []).append(sent)
        people = sorted(doc.people, key=lambda p: (p.start, p.end))
        starts = [p.start for p in people]
        # per section, its people in reading order: the `earlier` of a block is a prefix of its section's
        section_people: dict[int | None, list[PersonMention]] = {}
        for p in people:
            section_people.setdefault(p.section_id, []).append(p)
        section_starts = {sid: [p.start for p in ps] for sid, ps in section_people.items()}
        meeting_of = self._meetings(doc)
        for block in blocks:
            cands = self._candidates(doc, block, sentences_of.get(block.block_id, []), toks_by_sent, trace)
            if not cands:
                continue
            lo, hi = bisect.bisect_left(starts, block.start), bisect.bisect_left(starts, block.end)
            k = bisect.bisect_left(section_starts.get(block.section_id, []), block.start)
            subjects = self._subjects(doc, block, people[lo:hi], section_people.get(block.section_id, []), k)
            clauses += self._assemble(doc, block, cands, subjects, meeting_of(block))
        return replace(doc, clauses=tuple(clauses), trace=doc.trace + tuple(trace))

    def _assemble(self, doc: Document, block: Block, cands: list[_Candidate],
                  subjects: list[_Subject], meeting_of: Callable[[int], int | None]) -> list[Clause]:
        events = sorted([(s.end, 0, s) for s in subjects] + [(c.start, 1, c) for c in cands],
                        key=lambda e: (e[0], e[1]))
        actor, actor_rule, joinable = "both", "", False
        boundary = {}  # sentence_id -> raw position where the next clause's content starts
        out = []
        for _, kind, ev in events:
            if kind == 0:
                s: _Subject = ev
                if s.actor == "partner":
                    if actor != "both" and joinable:
                        actor, actor_rule, joinable = "both", s.rule_id, False
                    continue
                actor, actor_rule, joinable = (s.person_id if s.actor == "person" else "both"), s.rule_id, s.joinable
                sid = _sentence_at(doc, block, s.end)
                if sid is not None:
                    boundary[sid] = s.end
                continue
            c: _Candidate = ev
            if c.type in self.cfg.joint_types:
                if actor != "both":
                    actor, actor_rule, joinable = "both", "", False
                who, rule = "both", c.rule_id + (f"+{actor_rule}" if actor_rule else "")
            else:
                who, rule = actor, c.rule_id + (f"+{actor_rule}" if actor_rule else "")
            sent = doc.sentence(c.sentence_id)
            begin = max(boundary.get(c.sentence_id, sent.start), sent.start)
            out.append(Clause(block.section_id, meeting_of(c.sentence_id), c.sentence_id, c.start, c.end,
                              doc.text[c.start:c.end],
                              c.type, who, self._content(doc.text[begin:c.start]), rule))
            boundary[c.sentence_id] = c.end
        return out

    def _content(self, raw: str) -> str:
        text = raw
        if self.content_skip is not None:
            norm = NormText.of(raw)
            m = self.content_skip.match(norm.text)
            if m is not None and m.end() > 0:
                text = raw[norm.raw_span(0, m.end())[1]:] if m.end() < len(norm.text) else ""
        if self.marker is not None:
            pieces, last = [], 0
            for m in self.marker.finditer(text):
                pieces.append(text[last:m.start()])
                last = m.end()
            text = "".join(pieces) + text[last:]
        return " ".join(text.split())

    def _meetings(self, doc: Document) -> Callable[[Block], Callable[[int], int | None]]:
        """For a block, the meeting of a clause in its sentence `sentence_id`: the session whose account
        holds the sentence (a date in the sentence picks among several), else the heading meeting of
        the block's section or an ancestor section; None outside `meeting_block_kinds`."""
        told: dict[int, list[Meeting]] = {}
        by_section: dict[int, list[Meeting]] = {}
        for m in doc.meetings:
            for sid in m.account:
                told.setdefault(sid, []).append(m)
            if m.source == "heading" and m.section_id is not None:
                by_section.setdefault(m.section_id, []).append(m)
        dates_of: dict[int, list[str]] = {}
        for d in doc.dates:
            if d.value:
                dates_of.setdefault(d.sentence_id, []).append(d.value)

        def of_block(block: Block) -> Callable[[int], int | None]:
            def meeting_of(sentence_id: int) -> int | None:
                if not doc.meetings or block.kind not in self.cfg.meeting_block_kinds:
                    return None
                sessions = told.get(sentence_id)
                sid: int | None = block.section_id
                while sessions is None and sid is not None:
                    sessions = by_section.get(sid)
                    sid = doc.sections[sid - 1].parent_id
                if not sessions:
                    return None
                hints = dates_of.get(sentence_id, ())
                for m in sessions:
                    if any(m.date and m.date.startswith(h) for h in hints):
                        return m.meeting_id
                return sessions[0].meeting_id
            return meeting_of

        return of_block


def _fold_between(text: str, a: int, b: int) -> str:
    return fold_text(text[a:b]) if b > a else ""


def _sentence_at(doc: Document, block: Block, pos: int) -> int | None:
    """The sentence of `block` whose span holds `pos` (sentences are in reading order)."""
    i = bisect.bisect_right(doc.sentences, pos, key=lambda s: s.start) - 1
    for s in doc.sentences[max(i - 1, 0):i + 2]:
        if s.block_id == block.block_id and s.start <= pos <= s.end:
            return s.sentence_id
    return None
