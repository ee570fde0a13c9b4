"""Venues from the cues and phrase forms of other editions: coordinated places, visits written
as nouns, port calls, conferences used as occasions, parallel places, readings in kana,
latin glosses, and seas that are venues only for something held there (rules only, no NER)."""
from __future__ import annotations

import pytest

# (sentence, [(text, name, country)])
CASES = [
    # places coordinated before one cue: one row each
    ("同年4月、防衛大臣がポーランド、リトアニアおよびラトビアを訪問し、国防大臣と会談した。",
     [("ポーランド", "ポーランド", "PL"), ("リトアニア", "リトアニア", "LT"), ("ラトビア", "ラトビア", "LV")]),
    ("防衛副大臣は、ケニアとタンザニアを訪問した。", [("ケニア", "ケニア", "KE"), ("タンザニア", "タンザニア", "TZ")]),
    ("練習艦隊が舞鶴・小樽を訪問した。", [("舞鶴", "舞鶴", "JP"), ("小樽", "小樽", "JP")]),
    # X・Y where X contains Y is one place named Y
    ("練習艦隊がハワイ州・オアフ島を訪問した。", [("ハワイ州・オアフ島", "オアフ島", "US")]),
    # a reading in kana after kanji: the kanji are a (foreign) place name, the reading is not part of it
    ("練習艦が中国浙江省・楡林(ゆりん)を訪問した。", [("中国浙江省・楡林", "楡林", "CN")]),
    ("練習艦が鎮南浦(ちんなんぽ)に寄港した。", [("鎮南浦", "鎮南浦", "")]),
    # port calls
    ("インド海軍フリゲートが舞鶴に寄港し、親善訓練を行った。", [("舞鶴", "舞鶴", "JP")]),
    ("英海軍哨戒艦が那覇に入港した。", [("那覇", "那覇", "JP")]),
    # a visit written as a noun
    ("同年3月の防衛審議官のペルー訪問などを通じて、協力が進展している。", [("ペルー", "ペルー", "PE")]),
    ("ケニア訪問に際しては、部隊を視察した。", [("ケニア", "ケニア", "KE")]),
    # two parallel places before one event verb
    ("前年5月にはソウルで、同年10月にはハノイで防衛相会談が行われた。", [("ソウル", "ソウル", "KR"), ("ハノイ", "ハノイ", "VN")]),
    # a conference as the occasion of a meeting: の際に, に際して; the ordinal is not part of the name
    ("第52回ミュンヘン安全保障会議の際に訪問し、会談を行った。",
     [("第52回ミュンヘン安全保障会議", "ミュンヘン安全保障会議", "DE")]),
    ("昨年9月IISSアジア安全保障会議の際に会談した。", [("IISSアジア安全保障会議", "IISSアジア安全保障会議", "SG")]),
    ("同年11月、拡大ASEAN国防相会議(ADMMプラス)に際して、防衛大臣は豪国防大臣と会談した。",
     [("拡大ASEAN国防相会議", "拡大ASEAN国防相会議", "")]),
    # XでのY会議: the place, not the conference
    ("バンコクでのASEAN関連首脳会議の際に会談した。", [("バンコク", "バンコク", "TH")]),
    ("ハノイで開催された拡大ASEAN国防相会議に出席した。", [("ハノイ", "ハノイ", "VN")]),
    # a latin gloss after a colon between the place and the cue
    ("首相は、国連本部:United Nations Headquartersにおいて、事務総長と会談を行った。", [("国連本部", "国連本部", "US")]),
    # a sea with something held there; a city whose name ends in 海 is not a sea
    ("同年7月、日本海において日米共同訓練を実施した。", [("日本海", "日本海", "")]),
    ("ロシア海軍艦艇が上海において会合を開いた。", [("上海", "上海", "CN")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_venues_cue_forms(run_text, text, expected):
    doc = run_text(text)
    assert [(v.text, v.name, v.country) for v in doc.venues] == expected
    assert all(doc.text[v.start:v.end] == v.text for v in doc.venues)


def test_venues_coordinated_rows_name_their_rule(run_text):
    first, last = run_text("防衛副大臣は、ケニアとタンザニアを訪問した。").venues
    assert "venue.coordinated" in first.rule.split("+")
    assert "venue.coordinated" not in last.rule.split("+")
    assert first.rule.split("+")[0] == last.rule.split("+")[0] == "venue.cue.visit"


def test_venues_reading_keeps_raw_offsets_in_full_width(run_text):
    text = "練習艦が中国浙江省・楡林（ゆりん）を訪問した。"
    (v,) = run_text(text).venues
    assert (v.text, v.name, v.country) == ("中国浙江省・楡林", "楡林", "CN")
    assert text[v.start:v.end] == v.text


# more cue forms: における before a meeting, 歴訪/公式訪問, Xへの訪問
MORE = [
    ("同年6月、シンガポールにおける日豪防衛相会談で確認した。", [("シンガポール", "シンガポール", "SG")]),
    ("防衛大臣は、インド、スリランカを歴訪した。", [("インド", "インド", "IN"), ("スリランカ", "スリランカ", "LK")]),
    ("首相は、ベトナムを公式訪問した。", [("ベトナム", "ベトナム", "VN")]),
    ("首相のトルコへの訪問に同行した。", [("トルコ", "トルコ", "TR")]),
    # katakana common nouns are not places, before any cue
    ("両国間のハイレベル訪問が活発に行われている。", []),
    ("ハイレベルで実施した。", []),
    ("ワーキンググループで協議した。", []),
    ("南シナ海における拠点構築に反対した。", []),
]


@pytest.mark.parametrize(("text", "expected"), MORE)
def test_venues_more_cue_forms(run_text, text, expected):
    assert [(v.text, v.name, v.country) for v in run_text(text).venues] == expected
