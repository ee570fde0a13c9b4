"""Dates: every date expression of a document, normalised to ISO 8601 (`doc.dates`).

Patterns, the era table, relative words, modifiers, ranges and non-date guards live
in `rules/dates.yaml`; this module only interprets a pattern's named groups
(gy, era, ey, m, d, fy, rel, nx). Matching runs per extractable sentence (figure titles too) on the
NFKC-folded text (`NormText`) and every span maps back to raw offsets. Values are
resolved in reading order over the whole document: `同` eras take the last explicit
era, relative words and year-less dates take the nearest preceding date that has
the granularity they need; edition words (本年, 昨年) take the edition year, and make no
row in a document with no edition.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace
from typing import Literal

import regex
from pydantic import model_validator

from ..document import DATE_MODIFIERS, GRANULARITIES, DateMention, Document, TraceEvent
from ..overlap import resolve
from ..ruleset import CompiledPattern, Regex, Rule, Rules, Strict
from ..textnorm import NormText
from . import stage

STAGE = "dates"
_FRAGMENT = regex.compile(r"\{@(\w+)\}")
_MAX_EXPANSION = 20


class Era(Strict):
    name: str
    letter: str = ""
    start: str  # YYYY-MM-DD of the first day
    end: str = ""  # YYYY-MM-DD of the last day; empty = current era


class Numerals(Strict):
    first_year: str = "元"
    kanji_digits: str = "〇一二三四五六七八九"
    kanji_units: dict[str, int] = {"十": 10, "百": 100, "千": 1000}


class DatePattern(Rule):
    pattern: str  # may contain {@fragment}; compiled after expansion


class RelativeWord(Rule):
    word: str
    unit: Literal[GRANULARITIES]
    offset: int
    fiscal: bool = False
    # `date`: the nearest preceding date (同年, 翌月); `edition`: the document's edition year
    # (本年, 昨年: the year the white paper was published)
    anchor: Literal["date", "edition"] = "date"

    @model_validator(mode="after")
    def _edition_is_a_year(self) -> "RelativeWord":
        if self.anchor == "edition" and self.unit != "year":
            raise ValueError(f"rule {self.id}: an edition only gives a year, so `anchor: edition` needs `unit: year`")
        return self


class ModifierRule(Rule):
    modifier: Literal[DATE_MODIFIERS]
    words: tuple[str, ...]


class RangeRule(Rule):
    connector: str
    first: Literal[DATE_MODIFIERS + ("",)] = "from"
    second: Literal[DATE_MODIFIERS + ("",)] = "until"


class Guard(Strict):
    id: str
    pattern: Regex
    blocks: tuple[str, ...] = ()


class DateRules(Strict):
    eras: tuple[Era, ...]
    numerals: Numerals = Numerals()
    fragments: dict[str, str] = {}
    patterns: tuple[DatePattern, ...]
    relative: tuple[RelativeWord, ...] = ()
    modifiers: tuple[ModifierRule, ...] = ()
    ranges: tuple[RangeRule, ...] = ()
    guards: tuple[Guard, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> "DateRules":
        for era in self.eras:
            for day in (era.start, era.end):
                if day:
                    try:
                        dt.date.fromisoformat(day)
                    except ValueError:
                        raise ValueError(f"era {era.name}: '{day}' is not a YYYY-MM-DD date") from None
        for rule in self.patterns:
            try:
                regex.compile(expand(rule.pattern, self), regex.V1)
            except regex.error as err:
                raise ValueError(f"rule {rule.id}: pattern does not compile after expansion: {err}") from None
            except KeyError as err:
                raise ValueError(f"rule {rule.id}: {err.args[0]}") from None
        return self




def _alternation(words) -> str:
    words = sorted(set(w for w in words if w), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(regex.escape(w) for w in words) + ")" if words else "(?!)"


def table_fragments(rules: DateRules) -> dict[str, str]:
    """Fragments built from the tables: era names and letters, relative words by unit."""
    out = {"era": _alternation(e.name for e in rules.eras),
           "era_letter": _alternation(e.letter for e in rules.eras)}
    for unit in GRANULARITIES:
        out[f"rel_{unit}"] = _alternation(r.word for r in rules.relative if r.unit == unit)
    return out


def expand(pattern: str, rules: DateRules) -> str:
    """Replace `{@name}` by its fragment (fragments may use fragments)."""
    known = {**rules.fragments, **table_fragments(rules)}
    for _ in range(_MAX_EXPANSION):
        unknown = sorted({m.group(1) for m in _FRAGMENT.finditer(pattern)} - set(known))
        if unknown:
            raise KeyError(f"unknown fragment {{@{unknown[0]}}} (known: {', '.join(sorted(known))})")
        new = _FRAGMENT.sub(lambda m: known[m.group(1)], pattern)
        if new == pattern:
            return new
        pattern = new
    raise KeyError("fragments nest too deeply (a cycle?)")


# ---------------------------------------------------------------- values

@dataclass(frozen=True)
class Value:
    year: int
    month: int | None = None
    day: int | None = None
    fiscal: bool = False

    @property
    def granularity(self) -> str:
        return "day" if self.day is not None else "month" if self.month is not None else "year"

    def iso(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def fiscal_year(self) -> int:
        if self.fiscal or self.month is None:
            return self.year
        return self.year - 1 if self.month < 4 else self.year


def parse_number(text: str, numerals: Numerals) -> int | None:
    """`28`, `元`, `二十九`, `三十一`, `二〇一九` -> int; None when it is not a number."""
    text = text.replace(" ", "")
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if text == numerals.first_year:
        return 1
    digits = {c: i for i, c in enumerate(numerals.kanji_digits)}
    if all(c in digits for c in text):
        return int("".join(str(digits[c]) for c in text))
    total, current = 0, None
    for c in text:
        if c in digits:
            current = digits[c]
        elif c in numerals.kanji_units:
            total += (1 if current is None else current) * numerals.kanji_units[c]
            current = None
        else:
            return None
    return total + (current or 0)


def shift(anchor: Value, unit: str, offset: int) -> Value:
    """The anchor moved by `offset` units, kept at that unit's granularity."""
    if unit == "year":
        return Value(anchor.year + offset)
    if unit == "month":
        k = anchor.year * 12 + (anchor.month - 1) + offset
        return Value(k // 12, k % 12 + 1)
    day = dt.date(anchor.year, anchor.month, anchor.day) + dt.timedelta(days=offset)
    return Value(day.year, day.month, day.day)


def full_year(year: int) -> int:
    """A two-digit Western year (the white paper's `16(平成28)年`, `01、04年`) -> 4 digits; others unchanged."""
    return year if year >= 100 else 2000 + year if year < 70 else 1900 + year


def valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


# ---------------------------------------------------------------- candidates

@dataclass(frozen=True)
class Candidate:
    sentence_id: int
    section_id: int | None
    start: int  # raw
    end: int  # raw
    text: str
    rule_id: str
    priority: int
    groups: dict
    modifier: str = ""
    modifier_rule: str = ""


@stage("dates", rules={"dates": DateRules}, requires=("text", "edition", "sentences", "blocks"), assigns=("dates",))
class DateStage:
    """Finds date expressions in extractable sentences and resolves them in reading order."""

    def __init__(self, rules: Rules):
        self.rules: DateRules = rules.get("dates")
        r = self.rules
        self.patterns = [(i, p, CompiledPattern.of(p.id, expand(p.pattern, r))) for i, p in enumerate(r.patterns)]
        self.guards = [(g, CompiledPattern.of(g.id, g.pattern)) for g in r.guards]
        self.relative = {w.word: w for w in r.relative}
        self.eras = {e.name: e for e in r.eras}
        self.letters = {e.letter: e for e in r.eras if e.letter}
        self.mod_words = sorted(((w, m) for m in r.modifiers for w in m.words), key=lambda x: (-len(x[0]), x[0]))

    # -- matching

    def _sentence_candidates(self, doc: Document, sent, trace: list[TraceEvent]) -> list[Candidate]:
        norm = NormText.of(sent.text, sent.start)
        text = norm.text
        found: list[tuple[int, int, Candidate]] = []
        for priority, rule, pattern in self.patterns:
            for m in pattern.finditer(text):
                if m.end() <= m.start():
                    continue
                a, b = norm.raw_span(m.start(), m.end())
                groups = {k: v for k, v in m.groupdict().items() if v is not None}
                cand = Candidate(sent.sentence_id, sent.section_id, a, b, doc.text[a:b], rule.id, priority, groups)
                found.append((m.start(), m.end(), cand))
        guarded: list[tuple[int, int, str]] = []
        for guard, pattern in self.guards:
            guarded += [(m.start(), m.end(), guard.id) for m in pattern.finditer(text) if m.end() > m.start()]
        kept_found = []
        for fa, fb, cand in found:
            hit = next((g for g in guarded if g[0] < fb and fa < g[1]), None)
            if hit is None:
                kept_found.append((fa, fb, cand))
            else:
                trace.append(TraceEvent(STAGE, cand.rule_id, cand.start, cand.end, cand.text, "dropped",
                                        f"non-date guard {hit[2]} matches '{text[hit[0]:hit[1]]}'"))
        kept, dropped = resolve(kept_found, span=lambda c: (c[0], c[1]), priority=lambda c: c[2].priority,
                                label=lambda c: c[2].rule_id)
        for (_, _, cand), reason in dropped:
            trace.append(TraceEvent(STAGE, cand.rule_id, cand.start, cand.end, cand.text, "dropped", reason))
        out: list[Candidate] = []
        for idx, (fa, fb, cand) in enumerate(kept):
            modifier, mod_rule = self._modifier_after(text, fb)
            if not modifier:
                for rng in self.rules.ranges:
                    after = text[fb:].lstrip(" ")
                    nxt = kept[idx + 1] if idx + 1 < len(kept) else None
                    if after.startswith(rng.connector) and nxt is not None and \
                            text[fb:nxt[0]].strip(" ") == rng.connector:
                        modifier, mod_rule = rng.first, rng.id
            out.append(replace(cand, modifier=modifier, modifier_rule=mod_rule))
        # the second date of a range
        for idx in range(1, len(out)):
            prev_fb, cur_fa = kept[idx - 1][1], kept[idx][0]
            for rng in self.rules.ranges:
                if text[prev_fb:cur_fa].strip(" ") == rng.connector and not out[idx].modifier:
                    out[idx] = replace(out[idx], modifier=rng.second, modifier_rule=rng.id)
        return out

    def _modifier_after(self, text: str, pos: int) -> tuple[str, str]:
        rest = text[pos:].lstrip(" ")
        for word, rule in self.mod_words:
            if rest.startswith(word):
                return rule.modifier, rule.id
        return "", ""

    # -- resolution

    def _era_year(self, era_name: str, ey: int, cand: Candidate, warnings: list[str]) -> int:
        era = self.eras.get(era_name) or self.letters[era_name]
        first = dt.date.fromisoformat(era.start).year
        year = first + ey - 1
        if era.end and year > dt.date.fromisoformat(era.end).year:
            warnings.append(f"dates: '{cand.text}' at {cand.start}: {era.name}{ey}年 is past the end of {era.name} "
                            f"({era.end}); resolved arithmetically to {year}")
        return year

    def _resolve(self, cand: Candidate, last_era: str | None, anchors: list[Value], warnings: list[str],
                 *, edition: str = "") -> tuple[Value | None, str, str | None]:
        """(value or None, reason when None, era name to remember)."""
        g = cand.groups
        num = self.rules.numerals
        month = parse_number(g["m"], num) if "m" in g else None
        day = parse_number(g["d"], num) if "d" in g else None
        fiscal = "fy" in g
        era_used: str | None = None
        year: int | None = None
        relative = False
        if "ey" in g:
            ey = parse_number(g["ey"], num)
            if ey is None or ey < 1:
                return None, f"era year '{g['ey']}' is not a year", None
            era = g.get("era")
            if era is None or era == "同":
                era = last_era
                if era is None and "gy" in g:
                    return self._finish(Value(full_year(int(g["gy"])), month, day, fiscal), cand, False, warnings,
                                        None)
                if era is None:
                    era = self._era_of_context(anchors, edition)
                if era is None:
                    return None, "era year with no era, date or edition before it", None
            else:
                era_used = era if era in self.eras else self.letters[era].name
            year = self._era_year(era, ey, cand, warnings)
            if "gy" in g:
                gy = parse_number(g["gy"], num)
                if gy is not None and gy % 100 != year % 100:
                    warnings.append(f"dates: '{cand.text}' at {cand.start}: Western year {g['gy']} and era year "
                                    f"disagree; the era year ({year}) is used")
        elif "gy" in g:
            gy = parse_number(g["gy"], num)
            year = None if gy is None else full_year(gy) if len(g["gy"]) == 2 else gy
        if year is not None:
            return self._finish(Value(year, month, day, fiscal), cand, relative, warnings, era_used)
        return self._anchored(cand, month, day, anchors, warnings, edition)

    def _anchored(self, cand: Candidate, month: int | None, day: int | None, anchors: list[Value],
                  warnings: list[str], edition: str) -> tuple[Value | None, str, str | None]:
        """A relative word (翌年, 同月, 本年) or a date with no year, resolved against the edition year or
        the last preceding date fine enough to anchor it."""
        g = cand.groups
        # relative word, or a date with no year: needs an anchor
        if "rel" in g:
            word = self.relative[g["rel"]]
            need = word.unit
        else:
            word = None
            # 翌12日: the day after a day, so a date with a day anchors it before a later 12月 named in passing
            need = ("day" if "nx" in g else "month") if month is None else "year"
        if word is not None and word.anchor == "edition":
            if not edition.isdigit():
                return None, "an edition word in a document with no edition year (not under raw/<year>/)", None
            anchor = Value(int(edition))
        else:
            anchor = next((a for a in reversed(anchors) if GRANULARITIES.index(a.granularity)
                           >= GRANULARITIES.index(need)), None)
            if anchor is None and word is None and need == "day":  # 翌N日 with no day before it: the month anchors
                need = "month"
                anchor = next((a for a in reversed(anchors) if a.granularity != "year"), None)
        if anchor is None:
            return None, f"no preceding date with a {need} to resolve against", None
        if word is not None:
            if word.fiscal:
                base = Value(anchor.fiscal_year() + word.offset, fiscal=True)
            else:
                base = shift(anchor, word.unit, word.offset)
            if month is not None:
                base = Value(base.year, month, day)
            elif day is not None:
                base = Value(base.year, base.month, day)
        elif month is not None:
            # 翌5月 (nx): the first such month after the anchor
            base = Value(anchor.year + ("nx" in g and anchor.month is not None and month <= anchor.month), month, day)
        else:
            base = Value(anchor.year, anchor.month, day)
            if "nx" in g and anchor.day is not None and day <= anchor.day:  # 翌1日 after the 30th: next month
                moved = shift(anchor, "month", 1)
                base = Value(moved.year, moved.month, day)
        return self._finish(base, cand, True, warnings, None)

    def _era_of_context(self, anchors: list[Value], edition: str) -> str | None:
        """The era of the nearest preceding date, else of the edition year; None when neither is known."""
        if anchors:
            year = anchors[-1].year
        elif edition[:4].isdigit():
            year = int(edition[:4])
        else:
            return None
        for era in sorted(self.rules.eras, key=lambda e: e.start, reverse=True):
            if dt.date.fromisoformat(era.start).year <= year:
                return era.name
        return None

    @staticmethod
    def _finish(value: Value, cand: Candidate, relative: bool, warnings: list[str],
                era: str | None) -> tuple[Value | None, str, str | None]:
        if value.month is not None and not 1 <= value.month <= 12:
            return None, f"month {value.month} out of range", None
        if value.day is not None and not valid_day(value.year, value.month, value.day):
            return None, f"day {value.day} does not exist in {value.year}-{value.month:02d}", None
        if not 1 <= value.year <= 9999:
            return None, f"year {value.year} out of range", None
        return (Value(value.year, value.month, value.day, value.fiscal), ("relative" if relative else ""), era)

    def __call__(self, doc: Document) -> Document:
        trace: list[TraceEvent] = list(doc.trace)
        warnings: list[str] = list(doc.warnings)
        candidates: list[Candidate] = []
        for sent in sorted(doc.extractable_sentences(figures=True), key=lambda s: s.start):
            candidates += self._sentence_candidates(doc, sent, trace)
        dates: list[DateMention] = []
        anchors: list[Value] = []
        last_era: str | None = None
        for cand in candidates:
            value, note, era = self._resolve(cand, last_era, anchors, warnings, edition=doc.edition)
            if value is None:
                trace.append(TraceEvent(STAGE, cand.rule_id, cand.start, cand.end, cand.text, "dropped", note))
                continue
            if era is not None:
                last_era = era
            relative = note == "relative"
            rule_ids = [cand.rule_id]
            if "rel" in cand.groups:
                rule_ids.append(self.relative[cand.groups["rel"]].id)
            if cand.modifier_rule:
                rule_ids.append(cand.modifier_rule)
            dates.append(DateMention(cand.section_id, cand.sentence_id, cand.start, cand.end, cand.text,
                                     value.iso(), value.granularity, relative, cand.modifier, value.fiscal,
                                     "+".join(rule_ids)))
            anchors.append(value)
        return replace(doc, dates=tuple(dates), warnings=tuple(warnings), trace=tuple(trace))
