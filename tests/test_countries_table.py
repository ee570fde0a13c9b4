"""rules/countries.yaml is the one country table: people's markers and the places of kind country
are read from it, so a country added there is both at once."""
from __future__ import annotations

from collections import Counter

import pytest

from pipeline.countries import CountryTable
from pipeline.document import Document
from pipeline.ruleset import load_rules

from conftest import RULES_DIR


def test_countries_codes_and_names_are_unique(rules):
    table = rules.get("countries")
    codes = Counter(c.code for c in table.countries)
    assert [c for c, k in codes.items() if k > 1] == []
    names = Counter(n for c in table.countries for n in (*c.names, *c.short))
    names.update(n for p in rules.get("venues").gazetteer for n in (p.name, *p.aliases))
    assert [n for n, k in names.items() if k > 1] == []


def test_countries_marker_is_every_name_and_abbreviation_longest_first():
    table = CountryTable(countries=[{"id": "country.US", "code": "US", "names": ["米国", "アメリカ"], "short": ["米"]},
                                    {"id": "country.JP", "code": "JP", "names": ["日本"], "marker": False}])
    assert [(m.id, m.pattern, m.country) for m in table.marker_rules()] == [("country.US", "アメリカ|米国|米", "US")]
    assert table.places() == (("米国", "US", ("アメリカ",)), ("日本", "JP", ()))
    assert table.shorts() == ("米",)


def test_countries_one_new_line_is_a_marker_and_a_place(tmp_path):
    """A country only the user's table knows: its people get the country, its name is a venue."""
    folder = tmp_path / "rules"
    folder.mkdir()
    for path in RULES_DIR.glob("*.yaml"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    text = "ゾルグ・ザンバラ国防大臣が来日した。昨年、防衛大臣はザンバラを訪問し、会談を行った。\n"
    from pipeline.run import Extractor

    before = Extractor(load_rules(folder), ner=False).extract(Document("2020/x", "2020", text))
    with open(folder / "countries.yaml", "a", encoding="utf-8") as fh:
        fh.write("  - {id: country.ZZ, code: ZZ, names: [ザンバラ]}\n")
    after = Extractor(load_rules(folder), ner=False).extract(Document("2020/x", "2020", text))
    assert ("ザンバラ", "ZZ") not in [(v.name, v.country) for v in before.venues]
    assert ("ゾルグ・ザンバラ", "") in [(p.name, p.country) for p in before.people]
    assert ("ザンバラ", "ZZ") in [(v.name, v.country) for v in after.venues]
    assert ("ゾルグ", "ZZ") in [(p.name, p.country) for p in after.people]


@pytest.mark.parametrize("entry, message", [
    ("  - {id: country.XX1, code: XYZ, names: [ザンバラ]}\n", "XYZ"),
    ("  - {id: country.ZZ, code: ZZ}\n", "names"),
])
def test_countries_bad_entry_names_the_file_and_line(tmp_path, entry, message):
    from pipeline.errors import RuleError

    folder = tmp_path / "rules"
    folder.mkdir()
    for path in RULES_DIR.glob("*.yaml"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with open(folder / "countries.yaml", "a", encoding="utf-8") as fh:
        fh.write(entry)
    with pytest.raises(RuleError) as err:
        load_rules(folder)
    assert "countries.yaml" in str(err.value) and message in str(err.value)
