"""The venue gazetteer stays in step with the country markers of rules/people.yaml."""
from __future__ import annotations

from collections import Counter


def test_venues_gazetteer_has_every_marker_country(rules):
    """A country a person's marker knows (チェコ国防大臣) is a place a venue can name (チェコを訪問)."""
    countries = {p.country for p in rules.get("venues").gazetteer if p.kind == "country"}
    missing = sorted({m.country for m in rules.get("people").markers if m.country} - countries)
    assert not missing, f"rules/venues.yaml gazetteer has no entry of kind country for {missing}"


def test_venues_gazetteer_names_are_unique(rules):
    names = Counter(n for p in rules.get("venues").gazetteer for n in (p.name, *p.aliases))
    assert [n for n, k in names.items() if k > 1] == []


def test_venues_gazetteer_one_country_entry_per_code(rules):
    codes = Counter(p.country for p in rules.get("venues").gazetteer if p.kind == "country")
    assert [c for c, k in codes.items() if k > 1] == []
