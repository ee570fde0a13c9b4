"""The officeholder registry (rules/persons.yaml, pipeline/persons.py): a mention resolves to the
entry whose name, office, country and term fit it; everyone else keeps the fallback id.

The registry here is written for these tests (invented people), so the tests do not move when the
shipped registry grows."""
from __future__ import annotations

import pytest

from pipeline.document import Document
from pipeline.errors import RuleError
from pipeline.persons import span_of, term_span
from pipeline.ruleset import load_rules
from pipeline.run import Extractor

from conftest import RULES_DIR

REGISTRY = """
offices:
  defense_minister: {titles: '防衛大臣|国防大臣|国防長官|大臣'}
  foreign_minister: {titles: '外務大臣|外相'}
  prime_minister: {titles: '首相|内閣総理大臣'}
  secretary_general: {titles: '事務総長', organisation: true}
persons:
  - {id: JP-山田一郎, names: [山田, 山田一郎], country: JP, held: [{office: defense_minister, term: 2010-03-01/2011-06-30}]}
  - id: JP-山田花子
    names: [山田, 山田花子]
    country: JP
    held: [{office: foreign_minister, term: 2010-01/2012-12}, {office: defense_minister, term: 2020-09-01/2021-10-31}]
  - {id: US-ジョン・アダムソン, names: [アダムソン, ジョン・アダムソン, アダムスン], country: US,
     held: [{office: defense_minister, term: 2015/2017}]}
  - {id: IN-ラム・シン, names: [シン, ラム・シン], country: IN, held: [{office: defense_minister, term: 2019-05/}]}
  - {id: KR-シン・ミンホ, names: [シン, シン・ミンホ], country: KR, held: [{office: defense_minister, term: 2019-01/2020-12}]}
  - {id: NO-オーラ・ノルドマン, names: [ノルドマン], country: 'NO',
     held: [{office: prime_minister, term: 2001/2005}, {office: secretary_general, term: 2014/2016}]}
"""


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules")
    for f in RULES_DIR.glob("*.yaml"):
        (folder / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "persons.yaml").write_text(REGISTRY, encoding="utf-8")
    ex = Extractor(load_rules(folder), ner=False)

    def run(text: str, edition: str = "", fields: tuple[str, ...] = ("person_id", "id_source")) -> list[tuple]:
        doc = ex.extract(Document(f"{edition}/t" if edition else "t", edition, text))
        return [tuple(getattr(p, f) for f in fields) for p in doc.people]

    return run


@pytest.mark.parametrize(("text", "expected"), [
    # one family name, two people: the office and the term tell which
    ("2010年5月、山田防衛大臣は述べた。", ("JP-山田一郎", "registry")),
    ("2010年5月、山田外務大臣は述べた。", ("JP-山田花子", "registry")),
    ("2021年5月、山田防衛大臣は述べた。", ("JP-山田花子", "registry")),
    # neither was defence minister in 2015: not guessed
    ("2015年5月、山田防衛大臣は述べた。", ("JP-山田", "fallback")),
    # an office the registry does not give either of them
    ("2010年5月、山田防衛大臣政務官は述べた。", ("JP-山田", "fallback")),
    # the day a term ends still fits; the day after does not
    ("2011年6月30日、山田防衛大臣は述べた。", ("JP-山田一郎", "registry")),
    ("2011年7月1日、山田防衛大臣は述べた。", ("JP-山田", "fallback")),
    # a month-precise term covers its whole month
    ("2012年12月31日、山田外務大臣は述べた。", ("JP-山田花子", "registry")),
])
def test_people_registry_namesakes_apart_by_term_and_office(extract, text, expected):
    assert extract(text) == [expected]


def test_people_registry_one_person_across_offices_and_spellings(extract):
    text = ("2016年5月、アダムソン米国防長官と会談した。2016年6月、アダムスン米国防長官と会談した。"
            "2016年7月、ジョン・アダムソン米国防長官と会談した。")
    assert extract(text) == [("US-ジョン・アダムソン", "registry")] * 3
    assert extract("2011年1月、山田外務大臣は述べた。2020年10月、山田防衛大臣は述べた。") == [
        ("JP-山田花子", "registry"), ("JP-山田花子", "registry")]


@pytest.mark.parametrize(("edition", "expected"), [
    ("2011", ("JP-山田一郎", "registry")),   # the window is the edition's year and the year before
    ("2012", ("JP-山田一郎", "registry")),
    ("2022", ("JP-山田花子", "registry")),
    ("2016", ("JP-山田", "fallback")),
])
def test_people_registry_no_date_resolves_by_the_edition_year(extract, edition, expected):
    assert extract("山田防衛大臣は述べた。", edition) == [expected]


def test_people_registry_a_date_of_the_sentence_wins_over_the_edition(extract):
    assert extract("2010年5月、山田防衛大臣は述べた。", "2022") == [("JP-山田一郎", "registry")]
    # a date the term does not hold (a law of 1954) falls back to the edition's window
    assert extract("1954年に制定された法律について、山田防衛大臣は述べた。", "2022") == [("JP-山田花子", "registry")]


def test_people_registry_a_sentence_without_a_date_takes_the_paragraph_s_last_date(extract):
    text = "2010年5月、両国の会合が開催された。山田防衛大臣が出席した。"
    assert extract(text, "2022") == [("JP-山田一郎", "registry")]
    # another paragraph: the edition's window
    assert extract("2010年5月、両国の会合が開催された。\n山田防衛大臣が出席した。", "2022") == [("JP-山田花子", "registry")]


@pytest.mark.parametrize("text", ["2010年5月、佐藤防衛大臣は述べた。", "2016年5月、ペリー米国防長官と会談した。"])
def test_people_registry_unknown_person_keeps_the_fallback_id(extract, text):
    ((pid, source),) = extract(text)
    assert source == "fallback"
    assert pid in ("JP-佐藤", "US-ペリー")


def test_people_registry_the_country_marker_picks_the_namesake(extract):
    assert extract("2020年3月、シン印国防大臣と会談した。") == [("IN-ラム・シン", "registry")]
    assert extract("2020年3月、シン韓国国防大臣と会談した。") == [("KR-シン・ミンホ", "registry")]
    # no marker and both fit: not guessed
    assert extract("2020年3月、シン国防大臣と会談した。")[0][1] == "fallback"


def test_people_registry_former_title_fits_an_earlier_term(extract):
    assert extract("山田外務大臣(当時)は述べた。", "2024") == [("JP-山田花子", "registry")]
    # both were defence minister before 2024: a former 山田防衛大臣 is not guessed
    assert extract("山田防衛大臣(当時)は述べた。", "2024") == [("JP-山田", "fallback")]


def test_people_registry_gives_no_country_for_an_organisation_office(extract):
    fields = ("person_id", "id_source", "country")
    assert extract("2015年5月、ノルドマン事務総長と会談した。", fields=fields) == [("NO-オーラ・ノルドマン", "registry", "")]
    assert extract("2003年5月、ノルドマン首相と会談した。", fields=fields) == [("NO-オーラ・ノルドマン", "registry", "NO")]


@pytest.mark.parametrize(("value", "first", "last"), [
    ("2016", "2016-01-01", "2016-12-31"), ("2016-02", "2016-02-01", "2016-02-29"), ("2016-09-16", "2016-09-16", "2016-09-16"),
])
def test_people_registry_date_spans(value, first, last):
    lo, hi = span_of(value)
    assert (lo.isoformat(), hi.isoformat()) == (first, last)


@pytest.mark.parametrize(("term", "ok"), [
    ("2020-09-16/2022-08-10", True), ("2006-03/2007-03", True), ("2025-10-21/", True), ("2023/2025", True),
    ("2022/2020", False), ("2020-09-16", False), ("/2020", False), ("2020-13/2021", False), ("20-01-01/2021", False),
])
def test_people_registry_terms_are_validated(term, ok):
    if ok:
        term_span(term)
    else:
        with pytest.raises(ValueError):
            term_span(term)


@pytest.mark.parametrize(("registry", "message"), [
    ("offices: {}\npersons:\n  - {id: JP-x, names: [x], held: [{office: chief, term: 2020/2021}]}\n", "unknown office"),
    ("offices: {chief: {titles: '長官'}}\npersons:\n  - {id: JP-x, names: [x], held: [{office: chief, term: 2021/2020}]}\n",
     "ends before it begins"),
    ("offices: {chief: {titles: '長官'}}\npersons:\n  - {id: JP-x, names: [x], held: [{office: chief, term: 2020/}], "
     "titles: [長官]}\n", "not both"),
])
def test_people_registry_bad_entries_stop_the_run(tmp_path, registry, message):
    for f in RULES_DIR.glob("*.yaml"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "persons.yaml").write_text(registry, encoding="utf-8")
    with pytest.raises(RuleError, match=message):
        load_rules(tmp_path)
