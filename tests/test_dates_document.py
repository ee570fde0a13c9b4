"""Dates over a whole document: caption copies, anchors across blocks, eras, warnings, trace, offsets."""
from __future__ import annotations

import pytest

CAPTION = ("(2)日米首脳会談(16(平成28)年12月27日)\n\n"
           "献花を行う安倍内閣総理大臣とオバマ米大統領(当時)(16(平成28)年12月)【内閣広報室提供】\n\n"
           "献花を行う安倍内閣総理大臣と\n"
           "オバマ米大統領(当時)(16(平成28)年12月)【内閣広報室提供】\n\n"
           "安倍内閣総理大臣は、同日、会談を行った。\n")


def test_caption_duplicate_yields_no_date(run_text):
    doc = run_text(CAPTION)
    kinds = {b.block_id: b.kind for b in doc.blocks}
    assert "caption_duplicate" in kinds.values()
    for d in doc.dates:
        assert kinds[doc.sentence(d.sentence_id).block_id] != "caption_duplicate"
    assert [d.text for d in doc.dates] == ["16(平成28)年12月27日", "16(平成28)年12月", "同日"]


def test_relative_resolves_against_nearest_preceding_date_across_blocks(run_text):
    doc = run_text(CAPTION)
    same_day = doc.dates[-1]
    # the nearest preceding date with a day is the heading date, not the month of the caption
    assert (same_day.value, same_day.relative) == ("2016-12-27", True)


def test_heading_date_anchors_the_paragraph(run_text):
    doc = run_text("ア 日韓防衛相電話会談(17(平成29)年11月30日)\n\n同年11月29日に発射されたことを受け、翌日、会談した。\n")
    assert [(d.text, d.value, d.relative) for d in doc.dates] == [
        ("17(平成29)年11月30日", "2017-11-30", False),
        ("同年11月29日", "2017-11-29", True),
        ("翌日", "2017-11-30", True)]


def test_same_era_follows_last_explicit_era(run_text):
    doc = run_text("昭和60年に始まり、61(同61)年に拡大した。\n")
    assert [(d.text, d.value) for d in doc.dates] == [("昭和60年", "1985"), ("61(同61)年", "1986")]


def test_out_of_range_era_year_warns_and_resolves(run_text):
    doc = run_text("平成32年4月に予定されていた。\n")
    assert [(d.value, d.granularity) for d in doc.dates] == [("2020-04", "month")]
    assert any("平成32年" in w for w in doc.warnings)


def test_western_and_era_years_that_disagree_warn(run_text):
    doc = run_text("17(平成30)年に\n")
    assert [d.value for d in doc.dates] == ["2018"]
    assert any("disagree" in w for w in doc.warnings)


def test_impossible_day_is_dropped_with_a_trace(run_text):
    doc = run_text("2017年2月30日に\n")
    assert [d.value for d in doc.dates] == []
    assert any(t.stage == "dates" and t.decision == "dropped" and "does not exist" in t.reason for t in doc.trace)


def test_relative_without_anchor_is_dropped_with_a_trace(run_text):
    doc = run_text("同日、共同声明を発出した。\n")
    assert doc.dates == ()
    assert any(t.stage == "dates" and t.text == "同日" and "no preceding date" in t.reason for t in doc.trace)


def test_duration_after_a_date_is_not_a_date(run_text):
    doc = run_text("2018年から4年間\n")
    assert [(d.text, d.modifier) for d in doc.dates] == [("2018年", "from")]


def test_guard_drop_is_traced(run_text):
    doc = run_text("同一年度内に\n")
    assert doc.dates == ()
    assert any(t.stage == "dates" and "date.guard.idiom" in t.reason for t in doc.trace)


def test_fiscal_flag(run_text):
    doc = run_text("18(平成30)年度中、2019年度及び2019年に\n")
    assert [(d.text, d.value, d.granularity, d.fiscal) for d in doc.dates] == [
        ("18(平成30)年度", "2018", "year", True), ("2019年度", "2019", "year", True),
        ("2019年", "2019", "year", False)]


def test_fiscal_short_takes_edition_era_when_nothing_precedes(extractor):
    from pipeline.document import Document

    doc = extractor.extract(Document("t/doc", "2017", "28年度予算\n"))
    assert [(d.text, d.value, d.fiscal) for d in doc.dates] == [("28年度", "2016", True)]


@pytest.mark.parametrize("text", [
    "１６（平成２８）年９月１６日　及び　同年１２月７日\n",
    "16(同28)年9 月の会談\n",
    "令和　２　年　１０　月　１９　日\n",
])
def test_offsets_map_back_to_raw_text(run_text, text):
    doc = run_text(text)
    assert doc.dates
    for d in doc.dates:
        assert doc.text[d.start:d.end] == d.text


def test_rule_column_lists_every_rule_that_fired(run_text):
    doc = run_text("17(平成29)年6月に実施し、同月より全国で\n")
    assert [d.rule for d in doc.dates] == ["date.wp_era", "date.relative_month+date.rel.same_month+date.mod.from"]


@pytest.mark.parametrize("text", ["", "年月日", "同", "(平成)年", "0000年0月0日", "平成0年", "99999999年",
                                  "H99.99.99", "同年" * 50, "9" * 200 + "年"])
def test_odd_input_never_crashes(run_text, text):
    doc = run_text(text)
    for d in doc.dates:
        assert doc.text[d.start:d.end] == d.text


def test_output_is_deterministic(run_text):
    text = "17(平成29年)1月28日、同年3月7日、同年4月6日、同年4月24日\n"
    assert run_text(text).dates == run_text(text).dates


@pytest.mark.parametrize("text, expected", [
    # 翌12日 is the day after the day told before, not the 12th of a month named in passing in between
    ("2023年1月11日、会談を行った。両者は、令和4年12月に策定された戦略を踏まえ一致した。翌12日には、会談を行った。",
     "2023-01-12"),
    ("2016年9月30日に会談した。翌1日には、電話会談を行った。", "2016-10-01"),
    # with no day told before, the month told before anchors it
    ("2016年9月に会談した。翌5日には、電話会談を行った。", "2016-09-05"),
])
def test_dates_next_day_anchors_on_the_last_day(run_text, text, expected):
    doc = run_text(text + "\n", doc_id="2023/x")
    assert [d.value for d in doc.dates if d.text.startswith("翌")] == [expected]
