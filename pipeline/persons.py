"""The officeholder registry (rules/persons.yaml): who held which office and when, and the lookup
that resolves a person mention to one registry entry.

A mention (name, title, country, date) resolves to the entry whose `names` hold the name (or its
family-name key), whose office fits the title and whose term holds the date: a date of the
mention's sentence, else the edition's window (the year before the edition and its year); a
former title (元, (当時)) fits any term that began before the end of the edition's year. Exactly one
fitting person resolves the mention; none or several leave the people stage's fallback id. The
PETRARCH actor dictionaries, whose roles carry date restrictions, are the model.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Callable

from pydantic import ValidationInfo, field_validator

from .ruleset import CompiledPattern, CountryCode, Regex, Rule, Strict

ALWAYS = (date.min, date.max)


def period(value: str, *, end: bool) -> date:
    """The first (or, with `end`, the last) day of an ISO date at day, month or year granularity
    (`2016-09-16`, `2016-09`, `2016`); ValueError for anything else."""
    parts = value.split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        raise ValueError(f"'{value}' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    y = int(parts[0])
    if len(parts) == 1:
        return date(y, 12, 31) if end else date(y, 1, 1)
    m = int(parts[1])
    if len(parts) == 2:
        return date(y, m, calendar.monthrange(y, m)[1]) if end else date(y, m, 1)
    return date(y, m, int(parts[2]))


def span_of(value: str) -> tuple[date, date]:
    """The days an ISO date covers: 2016 is the whole year, 2016-09 the whole month."""
    return period(value, end=False), period(value, end=True)


def term_span(term: str) -> tuple[date, date]:
    """An ISO 8601 interval `FROM/TO` (each end a day, a month or a year; an empty TO: still in office)
    as its first and last day."""
    start, sep, stop = term.partition("/")
    if not sep or not start:
        raise ValueError(f"term '{term}' is not FROM/TO (e.g. 2020-09-16/2022-08-10, or 2025-10-21/ in office)")
    lo = period(start, end=False)
    hi = period(stop, end=True) if stop else date.max
    if hi < lo:
        raise ValueError(f"term '{term}' ends before it begins")
    return lo, hi


class Office(Strict):
    """An office: the titles (a regex matched against the whole title) that name it."""

    titles: Regex
    organisation: bool = False  # an organisation's office (事務総長): the holder's country is not supplied


class Held(Strict):
    office: str
    term: str

    @field_validator("term")
    @classmethod
    def _term(cls, v: str) -> str:
        term_span(v)
        return v


class PersonEntry(Rule):
    """One person: `id` is the person_id; `names` the spellings a text may use."""

    names: tuple[str, ...]
    country: CountryCode = ""
    held: tuple[Held, ...] = ()
    titles: tuple[str, ...] = ()  # without `held`: the titles (as written) that pin a namesake


class PersonRegistry(Strict):
    offices: dict[str, Office] = {}
    persons: tuple[PersonEntry, ...] = ()

    @field_validator("persons")
    @classmethod
    def _known_offices(cls, persons: tuple[PersonEntry, ...], info: ValidationInfo) -> tuple[PersonEntry, ...]:
        offices = info.data.get("offices") or {}
        for p in persons:
            for h in p.held:
                if h.office not in offices:
                    raise ValueError(f"person {p.id}: unknown office '{h.office}' (offices: {', '.join(sorted(offices))})")
            if p.held and p.titles:
                raise ValueError(f"person {p.id}: give `held` (offices with terms) or `titles`, not both")
        return persons


@dataclass(frozen=True)
class Resolved:
    """A mention resolved to a registry entry: its id, and the country it supplies ("" for an
    organisation's office)."""

    id: str
    country: str


class Resolver:
    """Looks a mention up in the registry; `key(name)` is the people stage's family-name key."""

    def __init__(self, registry: PersonRegistry, key: Callable[[str], str]):
        self.key = key
        self.entries = registry.persons
        self.offices = {name: (CompiledPattern.of(f"persons.offices.{name}", o.titles), o.organisation)
                        for name, o in registry.offices.items()}
        self.by_name: dict[str, list[int]] = {}
        for i, e in enumerate(self.entries):
            for n in dict.fromkeys(e.names):
                self.by_name.setdefault(n, []).append(i)
        self.terms = [[term_span(h.term) for h in e.held] for e in self.entries]

    def terms_for(self, i: int, title: str) -> list[tuple[tuple[date, date], bool]] | None:
        """(term, organisation) of each office of entry i that the title names; None when the entry
        cannot be meant by this title at all."""
        e = self.entries[i]
        if not e.held:
            return [(ALWAYS, False)] if not e.titles or title in e.titles else None
        out = []
        for h, term in zip(e.held, self.terms[i]):
            pattern, organisation = self.offices[h.office]
            if pattern.fullmatch(title):
                out.append((term, organisation))
        return out or None

    def resolve(self, name: str, title: str, *, country: str = "", dates: tuple[str, ...] = (), edition: str = "",
                former: bool = False) -> Resolved | None:
        """The one entry the mention names (see the module docstring), or None. `country`: the one the
        text writes with the mention (a marker), if any."""
        found = [i for i in dict.fromkeys(self.by_name.get(name, []) + self.by_name.get(self.key(name), []))
                 if not country or not self.entries[i].country or self.entries[i].country == country]
        offices = {i: t for i in found if (t := self.terms_for(i, title)) is not None}
        if not offices:
            return None
        ed = int(edition) if edition.isdigit() else None
        if former:
            windows = [(date.min, date(ed, 12, 31) if ed else date.max)]
        else:
            windows = []
            for v in dates:
                try:
                    windows.append(span_of(v))
                except ValueError:
                    continue
        for tries in ([windows] if former else [windows, [(date(ed - 1, 1, 1), date(ed, 12, 31)) if ed else ALWAYS]]):
            fitting = {i: org for i, terms in offices.items() for (lo, hi), org in terms
                       if any(lo <= w_hi and w_lo <= hi for w_lo, w_hi in tries)}
            if len(fitting) == 1:
                (i, organisation), = fitting.items()
                return Resolved(self.entries[i].id, "" if organisation else self.entries[i].country)
            if fitting:
                return None  # namesakes both fit: not guessed
        return None
