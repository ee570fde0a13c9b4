"""Cross-document tables (pipeline/corpus.py): persons.csv, events.csv and meetings.event_id, made
from every document of a run. The texts are written for these tests."""
from __future__ import annotations

import csv

import pytest

from pipeline.corpus import dates_agree, titles_agree
from pipeline.document import Document
from pipeline.tables import render, write_doc_tables


@pytest.fixture(scope="module")
def run_docs(extractor, tmp_path_factory):
    def run(docs: dict[str, str]) -> dict[str, list[dict[str, str]]]:
        out = tmp_path_factory.mktemp("out") / "output"
        parts = [render(extractor.extract(Document(doc_id, doc_id.split("/")[0], text)))[0]
                 for doc_id, text in docs.items()]
        write_doc_tables(out, parts, [])
        return {t: list(csv.DictReader((out / f"{t}.csv").open(encoding="utf-8", newline="")))
                for t in ("meetings", "events", "persons", "people")}

    return run


SESSION_2016 = "2016年9月15日、稲田防衛大臣は、カーター米国防長官と会談を行った。"
RECAP_2017 = "2016年9月、稲田防衛大臣は、訪米し、カーター米国防長官と日米防衛相会談を行った。"


def test_corpus_two_documents_telling_one_session_give_one_event(run_docs):
    t = run_docs({"2016/a": SESSION_2016, "2017/b": RECAP_2017})
    assert len(t["meetings"]) == 2
    assert len({m["event_id"] for m in t["meetings"]}) == 1
    (event,) = t["events"]
    assert (event["date"], event["counterparts"], event["mentions"], event["documents"]) == ("2016-09-15", "US", "2", "2")
    assert event["meetings"] == "2016/a#1|2017/b#1"
    assert event["title"] == "日米防衛相会談"


def test_corpus_two_sessions_of_one_day_with_different_counterparts_stay_two(run_docs):
    text = ("2019年6月1日、岩屋防衛大臣は、パルリ仏軍事大臣と会談を行った。"
            "2019年6月1日、岩屋防衛大臣は、鄭景斗韓国国防部長官と会談を行った。")
    t = run_docs({"2019/a": text, "2020/b": text})
    assert len(t["meetings"]) == 4
    assert sorted((e["counterparts"], e["mentions"]) for e in t["events"]) == [("FR", "2"), ("KR", "2")]


@pytest.mark.parametrize(("first", "second", "events"), [
    # another month: two sessions
    (SESSION_2016, "2016年10月、稲田防衛大臣は、カーター米国防長官と会談を行った。", 2),
    # a telephone call and a meeting of the same day: two
    (SESSION_2016, "2016年9月15日、稲田防衛大臣は、カーター米国防長官と電話会談を行った。", 2),
    # no date: never joined
    (SESSION_2016, "稲田防衛大臣は、カーター米国防長官と会談を行った。", 2),
    # the same session, told at the day both times
    (SESSION_2016, "2016年9月15日、稲田防衛大臣はカーター米国防長官と会談を行った。", 1),
])
def test_corpus_sessions_join_only_when_everything_agrees(run_docs, first, second, events):
    t = run_docs({"2016/a": first, "2017/b": second})
    assert len(t["meetings"]) == 2, t["meetings"]
    assert len(t["events"]) == events


def test_corpus_a_coarse_mention_that_fits_two_sessions_is_not_guessed(run_docs):
    t = run_docs({"2016/a": "2016年9月5日、稲田防衛大臣は、カーター米国防長官と会談を行った。"
                            "2016年9月20日、稲田防衛大臣は、カーター米国防長官と会談を行った。",
                  "2017/b": RECAP_2017})
    assert len(t["events"]) == 3
    (coarse,) = [e for e in t["events"] if e["date"] == "2016-09"]
    assert "fits 2 sessions" in coarse["conflicts"]


def test_corpus_two_venues_of_one_session_are_kept_and_flagged(run_docs):
    t = run_docs({"2016/a": "2016年9月15日、稲田防衛大臣は、ワシントンにおいてカーター米国防長官と会談を行った。",
                  "2017/b": "2016年9月15日、稲田防衛大臣は、ニューヨークにおいてカーター米国防長官と会談を行った。"})
    (event,) = t["events"]
    assert event["venue"] == ""
    assert "venue:" in event["conflicts"] and "ワシントン" in event["conflicts"] and "ニューヨーク" in event["conflicts"]


def test_corpus_persons_one_row_per_person_id(run_docs):
    t = run_docs({"2016/a": SESSION_2016, "2017/b": RECAP_2017 + "佐藤防衛大臣政務官は述べた。",
                  "2019/c": "2018年5月、河野外務大臣は述べた。2019年10月、河野防衛大臣は述べた。"})
    persons = {p["person_id"]: p for p in t["persons"]}
    assert sorted(persons) == sorted({p["person_id"] for p in t["people"]})
    inada = persons["JP-稲田朋美"]
    assert (inada["name"], inada["country"], inada["id_source"], inada["mentions"], inada["documents"]) == (
        "稲田朋美", "JP", "registry", "2", "2")
    assert inada["offices"] == "防衛大臣 2016"
    assert persons["JP-河野太郎"]["offices"] == "外務大臣 2018; 防衛大臣 2019"
    sato = persons["JP-佐藤"]
    assert (sato["id_source"], sato["offices"]) == ("fallback", "防衛大臣政務官 2017")  # no date: the edition year


@pytest.mark.parametrize(("a", "b", "agree"), [
    ("2016-09-16", "2016-09", True), ("2016-09", "2016", True), ("2016-09-16", "2016-09-16", True),
    ("2016-09-16", "2016-09-17", False), ("2016-01", "2016-10", False), ("2016-1", "2016-10", False),
    ("", "2016", False), ("", "", False),
])
def test_corpus_dates_agree_at_the_finest_shared_granularity(a, b, agree):
    assert dates_agree(a, b) is agree
    assert dates_agree(b, a) is agree


@pytest.mark.parametrize(("a", "b", "agree"), [
    ("日米防衛相会談", "防衛相会談", True), ("日米防衛相会談", "会談", True), ("日米「2+2」", "日米防衛相会談", False),
])
def test_corpus_titles_agree(a, b, agree):
    assert titles_agree(a, b) is agree


def test_corpus_report_timeline_counts_events_not_mentions(run_docs):
    from pipeline.report import timeline_points

    t = run_docs({"2016/a": SESSION_2016, "2017/b": RECAP_2017,
                  "2018/c": "2017年6月3日、稲田防衛大臣は、マティス米国防長官と会談を行った。"})
    assert len(t["meetings"]) == 3 and len(t["events"]) == 2
    points = timeline_points(t["meetings"])
    assert sorted((p.when.isoformat(), p.exact) for p in points) == [("2016-09-15", True), ("2017-06-03", True)]


def test_corpus_load_indexes_events_and_persons(tmp_path, extractor):
    from pipeline import load

    parts = [render(extractor.extract(Document(d, d.split("/")[0], t)))[0]
             for d, t in (("2016/a", SESSION_2016), ("2017/b", RECAP_2017))]
    write_doc_tables(tmp_path / "out", parts, [])
    tables = load(tmp_path / "out")
    events, persons, meetings = tables["events"], tables["persons"], tables["meetings"]
    assert events.index.name == "event_id" and len(events) == 1 == meetings["event_id"].nunique()
    assert len(meetings) == 2
    assert int(events["mentions"].iloc[0]) == 2 and str(events["mentions"].dtype) == "Int64"
    assert persons.loc["JP-稲田朋美", "id_source"] == "registry"


def test_corpus_parse_reads_a_cell_longer_than_the_csv_default_limit():
    from pipeline.corpus import parse

    long = "会" * 200_000
    assert parse(f'a,"{long}"\r\n', ("x", "y")) == [{"x": "a", "y": long}]
