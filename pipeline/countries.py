"""The one country table (`rules/countries.yaml`): each country's ISO code, the names a text
writes for it and its one-character abbreviation. The people stage reads the markers written
between a name and a title from it (マティス米国防長官), the venue and meeting stages the
places of kind `country` (米国を訪問); nothing else lists countries.
"""
from __future__ import annotations

import regex

from .ruleset import CountryCode, Regex, Rule, Strict


class MarkerRule(Rule):
    """A country (or organisation) marker written between a name and a title."""

    pattern: Regex
    country: CountryCode


class Country(Rule):
    """`names`: how a text names the country, the first as the place's name (米国, アメリカ);
    `short`: abbreviations written only in compounds and before titles (米, 豪); `marker: false`
    for a country whose people the texts name without one (日本)."""

    code: CountryCode
    names: tuple[str, ...]
    short: tuple[str, ...] = ()
    marker: bool = True


class CountryTable(Strict):
    countries: tuple[Country, ...]

    def marker_rules(self) -> tuple[MarkerRule, ...]:
        """One marker per country (id `country.<code>`): its names and abbreviations, longest first."""
        return tuple(MarkerRule(id=c.id, pattern="|".join(regex.escape(n) for n in sorted(
            (*c.names, *c.short), key=len, reverse=True)), country=c.code, examples=c.examples,
            counter_examples=c.counter_examples) for c in self.countries if c.marker)

    def places(self) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        """(name, code, aliases) of every country as a place."""
        return tuple((c.names[0], c.code, c.names[1:]) for c in self.countries)

    def shorts(self) -> tuple[str, ...]:
        """Every abbreviation (米, 豪, NZ ...), longest first."""
        return tuple(sorted((s for c in self.countries for s in c.short), key=len, reverse=True))
