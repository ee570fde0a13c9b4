"""`pipeline.load`: keys that join right across documents, and the joined tables users build every time."""
from __future__ import annotations

import pytest

from pipeline import load
from pipeline.cli import main

from conftest import RULES_DIR
from two_editions import write_raw


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("joins")
    code = main(["extract", "--raw", str(write_raw(tmp / "raw")), "--rules", str(RULES_DIR), "--out",
                 str(tmp / "out"), "--jobs", "1", "--no-ner", "--no-cache"])
    assert code == 0
    return load(tmp / "out")


def test_load_ids_restart_but_keys_are_unique(tables):
    meetings = tables["meetings"]
    assert meetings["meeting_id"].duplicated().any()  # the trap: both documents have meeting 1 and 2
    assert meetings.index.name == "meeting_key" and meetings.index.is_unique
    assert list(meetings.index) == ["2020/a#1", "2020/a#2", "2021/b#1", "2021/b#2"]
    for name, key in (("sections", "section_key"), ("blocks", "block_key"), ("sentences", "sentence_key")):
        assert tables[name].index.name == key and tables[name].index.is_unique, name
    clauses = tables["clauses"]
    assert (clauses["meeting_key"] == clauses["doc_id"] + "#" + clauses["meeting_id"].astype(str)).all()
    assert clauses.columns.get_loc("meeting_key") == clauses.columns.get_loc("meeting_id") + 1


def test_load_naive_join_on_the_key_is_right(tables):
    clauses, meetings = tables["clauses"], tables["meetings"]
    naive = clauses.merge(meetings.reset_index(), on="meeting_id")  # what went wrong: 2 documents x ids
    assert len(naive) > len(clauses)
    joined = clauses.join(meetings, on="meeting_key", rsuffix="_meeting")
    assert len(joined) == len(clauses) == 4
    assert (joined["doc_id"] == joined["doc_id_meeting"]).all()
    merged = clauses.merge(meetings, on="meeting_key", suffixes=("", "_meeting"))
    assert len(merged) == 4 and (merged["doc_id"] == merged["doc_id_meeting"]).all()
    on_sentence = tables["people"].join(tables["sentences"], on="sentence_key", rsuffix="_s")
    assert all(t in s for t, s in zip(on_sentence["text"], on_sentence["text_s"]))


def test_load_the_us_question_in_one_filter(tables):
    m = tables["meetings_outcomes"]
    us = m[m["counterparts"].str.contains(r"\bUS\b")]
    assert us[["date", "venue", "mode", "participant_names"]].values.tolist() == [
        ["2019-11", "", "telephone", "河野防衛大臣|エスパー米国防長官"],
        ["2021-05-12", "", "telephone", "岸防衛大臣|オースティン米国防長官"]]
    assert us["outcomes"].tolist() == ["エスパー米国防長官と電話会談を実施し、緊密な連携の継続を確認した",
                                       "オースティン米国防長官と電話会談を実施し、同盟の抑止力の強化で一致した"]


@pytest.mark.parametrize(("key", "outcomes", "statements", "clauses"), [
    ("2020/a#1", "防衛協力の強化で一致した", "", 1),
    ("2021/b#2", "", "共同訓練の拡大を歓迎した", 1),  # welcoming is a statement, not an agreement
])
def test_load_meetings_outcomes(tables, key, outcomes, statements, clauses):
    row = tables["meetings_outcomes"].loc[key]
    assert (row["outcomes"], row["statements"], row["clauses"]) == (outcomes, statements, clauses)


def test_load_meeting_clauses_carry_their_meeting(tables):
    mc = tables["meeting_clauses"]
    assert mc[["meeting_key", "type", "meeting_title", "date"]].values.tolist() == [
        ["2020/a#1", "agree", "会談", "2019-09"], ["2020/a#2", "confirm", "電話会談", "2019-11"],
        ["2021/b#1", "agree", "電話会談", "2021-05-12"], ["2021/b#2", "welcome", "会談", "2021-06"]]


def test_load_people_with_their_meetings(tables):
    pm = tables["people_meetings"]
    assert len(pm) == 8
    kishi = pm[pm["person_id"] == "JP-岸信夫"]
    assert kishi[["meeting_key", "participant_name", "title", "country", "counterparts"]].values.tolist() == [
        ["2021/b#1", "岸防衛大臣", "防衛大臣", "JP", "US"], ["2021/b#2", "岸防衛大臣", "防衛大臣", "JP", "FR"]]
