"""People written in forms the development documents do not have: a country written out after
the name's ・, a reading in brackets after a kanji name, compound Chinese titles, organisations."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("sentence, expected", [
    ("岸防衛大臣は、来日したプラボウォ・インドネシア国防大臣との間で会談を実施した。",
     ("プラボウォ・インドネシア国防大臣", "プラボウォ", "国防大臣", "ID")),
    ("河野防衛大臣は、鄭景斗(チョン・ギョンドゥ)韓国国防部長官との間で会談を実施した。",
     ("鄭景斗(チョン・ギョンドゥ)韓国国防部長官", "鄭景斗", "国防部長官", "KR")),
    ("河野防衛大臣は、北京において、魏鳳和中国国務委員兼国防部長との間で会談を実施した。",
     ("魏鳳和中国国務委員兼国防部長", "魏鳳和", "国務委員兼国防部長", "CN")),
    ("2021年度、ストルテンベルグNATO事務総長が来日した。",
     ("ストルテンベルグNATO事務総長", "ストルテンベルグ", "事務総長", "")),
])
def test_people_other_forms(run_text, sentence, expected):
    doc = run_text(sentence)
    found = [(p.text, p.name, p.title, p.country) for p in doc.people]
    assert expected in found


def test_people_country_written_out_shares_id_with_marker_form(run_text):
    doc = run_text("プラボウォ・インドネシア国防大臣は来日した。プラボウォ尼国防大臣は述べた。")
    assert len({p.person_id for p in doc.people}) == 1
    assert len(doc.people) == 2


def test_clauses_ryoshi_is_joint(run_text):
    doc = run_text("河野防衛大臣から、懸念を伝達した。両氏は、調整を加速することを確認した。")
    assert [(c.text, c.type, c.actor) for c in doc.clauses] == [("確認した", "confirm", "both")]


@pytest.mark.model
def test_people_rule_name_beats_a_wider_ginza_person(ner_extractor):
    """GiNZA tags the whole 安倍内閣総理大臣 as Person here; the rule reading (安倍 + 内閣総理大臣) must win."""
    from pipeline.document import Document

    text = "安倍内閣総理大臣は、国賓として来日したトランプ米大統領との間で、東京において日米首脳会談を実施した。"
    doc = ner_extractor.extract(Document("t/ner", "", text))
    assert ("安倍内閣総理大臣", "安倍", "内閣総理大臣") in [(p.text, p.name, p.title) for p in doc.people]


@pytest.mark.parametrize("sentence, expected", [
    ("河野防衛大臣は、グアムのアンダーセン空軍基地において、エスパー米国防長官と会談を実施した。",
     ("グアムのアンダーセン空軍基地", "アンダーセン空軍基地", "US")),
    # a country written before ・ is not the most specific place
    ("安倍内閣総理大臣は、フランス・ビアリッツにおいて会談した。", ("フランス・ビアリッツ", "ビアリッツ", "FR")),
    ("両大臣は、ジョイント・ベース・パールハーバー・ヒッカムを訪問した。",
     ("ジョイント・ベース・パールハーバー・ヒッカム", "ジョイント・ベース・パールハーバー・ヒッカム", "US")),
])
def test_venues_katakana_facility_with_kanji_qualifier(run_text, sentence, expected):
    assert expected in [(v.text, v.name, v.country) for v in run_text(sentence).venues]


@pytest.mark.parametrize("text, expected", [
    # a foreign office holder with no marker anywhere takes the heading's one partner country
    ("(1)日米首脳会談(21(令和3)年4月16日)\n\n菅内閣総理大臣は、バイデン大統領との間で会談を実施した。\n",
     ("バイデン", "大統領", "US")),
    ("(1)日インドネシア防衛相会談(21(令和3)年3月30日)\n\n岸防衛大臣は、プラボウォ国防大臣と会談した。\n",
     ("プラボウォ", "国防大臣", "ID")),
    # two partners: no guess
    # (a person the registry does not know: the registry would give Biden's country)
    ("(1)日米豪首脳会談(21(令和3)年4月16日)\n\n菅内閣総理大臣は、ハミルトン大統領と会談した。\n",
     ("ハミルトン", "大統領", "")),
    ("パンデ印陸軍参謀長と懇談した。", ("パンデ", "陸軍参謀長", "IN")),
])
def test_people_country_from_the_meeting_heading(run_text, text, expected):
    assert expected in [(p.name, p.title, p.country) for p in run_text(text).people]


@pytest.mark.parametrize("sentence, expected", [
    # MeCab reads the name's last character and the marker's first as one word (燮韓): the name
    # still ends where the country marker starts
    ("浜田防衛大臣は、李鐘燮韓国国防部長官と会談を行った。", [("李鐘燮", "国防部長官", "KR")]),
    # a short name that starts with a surname keeps a character that is never a name alone (軍)
    ("浜田防衛大臣は、董軍中国国防部長と会談を行った。", [("董軍", "国防部長", "CN")]),
    # ... but not without a surname first, nor without a marker
    ("中国人民解放軍中国国防部長と会談した。", []),
    ("在日米軍司令官と会談した。", []),
    ("陸軍参謀長と会談した。", []),
])
def test_people_foreign_kanji_names_before_a_marker(run_text, sentence, expected):
    doc = run_text(sentence)
    assert [(p.name, p.title, p.country) for p in doc.people if p.country != "JP"] == expected


@pytest.mark.parametrize("sentence, expected", [
    # a one-character abbreviation inside a MeCab word is no marker: 田中 is a name
    ("田中防衛大臣は、パネッタ米国防長官と会談を行った。", ("田中", "防衛大臣", "JP")),
    ("野中防衛大臣は会談した。", ("野中", "防衛大臣", "JP")),
])
def test_people_surname_with_an_abbreviation_inside(run_text, sentence, expected):
    assert expected in [(p.name, p.title, p.country) for p in run_text(sentence).people]
