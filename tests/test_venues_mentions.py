"""Venues: places where a meeting or an event took place, read by rules only (no NER).

The places are not in the seed document except where a cue form needs one."""
from __future__ import annotations

import pytest

# (sentence, [(text, name, country)])
CASES = [
    ("河野防衛大臣は、キャンベラにおいてレイノルズ豪国防大臣と会談した。", [("キャンベラ", "キャンベラ", "AU")]),
    ("浜田防衛大臣は、ハワイ州ホノルルにおいて会談した。", [("ハワイ州ホノルル", "ホノルル", "US")]),
    ("小野寺防衛大臣は、インドネシアのジャカルタにおいて会談した。", [("インドネシアのジャカルタ", "ジャカルタ", "ID")]),
    # a place not in the gazetteer, found by katakana + cue; country from "XのY"
    ("防衛大臣は、ベトナムのカムラン湾において艦艇を視察した。", [("ベトナムのカムラン湾", "カムラン湾", "VN")]),
    ("防衛大臣は、オーストラリアのダーウィンを訪問した。", [("オーストラリアのダーウィン", "ダーウィン", "AU")]),
    # a facility after a katakana place; a MeCab 地名 + facility word
    ("フィリピンのスービック基地において引渡式が行われた。", [("フィリピンのスービック基地", "スービック基地", "PH")]),
    ("同年10月、横須賀基地において観艦式が行われた。", [("横須賀基地", "横須賀基地", "JP")]),
    # a country marker + facility
    ("防衛大臣は、豪国防省において会談した。", [("豪国防省", "豪国防省", "AU")]),
    # Reiwa-era heading: place in brackets after the date
    ("(2)日豪防衛相会談(令和元年11月18日(東京))", [("東京", "東京", "JP")]),
    ("(1)日米防衛相会談(令和2年8月29日(グアム))", [("グアム", "グアム", "US")]),
    # event venues: の機会に
    ("両首脳は、G20大阪サミットの機会に会談した。", [("G20大阪サミット", "G20大阪サミット", "JP")]),
    ("中谷防衛大臣は、ハリファックス国際安全保障フォーラムの機会に会談した。",
     [("ハリファックス国際安全保障フォーラム", "ハリファックス国際安全保障フォーラム", "CA")]),
    # で + an event verb; seas have no country
    ("東シナ海で実施された共同訓練を歓迎した。", [("東シナ海", "東シナ海", "")]),
    ("ホノルルで署名を行った。", [("ホノルル", "ホノルル", "US")]),
    # XにあるY: only Y is the venue, X gives its country
    ("首相は、ハワイ州オアフ島にあるヒッカム基地を訪問した。", [("ヒッカム基地", "ヒッカム基地", "US")]),
    # a bracketed aside between the place and the cue; latin letters with dots
    ("稲田防衛大臣は、シャングリラ会合(アジア安全保障会議)の機会に会談した。", [("シャングリラ会合", "シャングリラ会合", "SG")]),
    ("日米首脳会談がワシントンD.C.で行われた。", [("ワシントンD.C.", "ワシントンD.C.", "US")]),
    # a date and month before the place are not part of it
    ("同年6月シンガポールにおいて会談した。", [("シンガポール", "シンガポール", "SG")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_venues(run_text, text, expected):
    doc = run_text(text)
    got = [(v.text, v.name, v.country) for v in doc.venues]
    assert got == expected
    assert all(doc.text[v.start:v.end] == v.text for v in doc.venues)


def test_rule_column_and_source(run_text):
    (v,) = run_text("小野寺防衛大臣は、インドネシアのジャカルタにおいて会談した。").venues
    assert v.rule.split("+")[0] == "venue.cue.nioite"
    assert "venue.of_place" in v.rule.split("+")
    assert v.source == "rule"


def test_full_width_brackets_keep_raw_offsets(run_text):
    text = "（１）日英防衛相会談（１７（平成２９）年１２月１４日（英国防省））"
    doc = run_text(text)
    assert [(v.text, v.name, v.country) for v in doc.venues] == [("英国防省", "英国防省", "GB")]
    assert all(text[v.start:v.end] == v.text for v in doc.venues)
