"""Venues: places where a meeting or an event took place, read by rules only (no NER).

The places are not in the seed document except where a cue form needs one. The cue forms of
other editions: coordinated places, visits written as nouns, port calls, conferences used as
occasions, parallel places, readings in kana, latin glosses, and seas that are venues only for
something held there."""
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
    # cue forms of other editions: places coordinated before one cue, one row each
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
    # における before a meeting; 歴訪, 公式訪問; Xへの訪問
    ("同年6月、シンガポールにおける日豪防衛相会談で確認した。", [("シンガポール", "シンガポール", "SG")]),
    ("防衛大臣は、インド、スリランカを歴訪した。", [("インド", "インド", "IN"), ("スリランカ", "スリランカ", "LK")]),
    ("首相は、ベトナムを公式訪問した。", [("ベトナム", "ベトナム", "VN")]),
    ("首相のトルコへの訪問に同行した。", [("トルコ", "トルコ", "TR")]),
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
