"""People: name + country marker + office title, read by rules only (no NER).

The cases use people, titles and countries that are not in the seed document: other
ministers and leaders, other countries' titles, full names with ・, Reiwa-era editions."""
from __future__ import annotations

import pytest

# (sentence, [(text, name, title, country, former)])
CASES = [
    # Reiwa-era Japanese ministers; 岸 and 岩屋 are not MeCab 人名 tokens
    ("岸防衛大臣は、オースティン米国防長官とテレビ会議形式で会談した。",
     [("岸防衛大臣", "岸", "防衛大臣", "JP", False), ("オースティン米国防長官", "オースティン", "国防長官", "US", False)]),
    ("令和元年6月1日、岩屋防衛大臣は、シャナハン米国防長官代行と会談した。",
     [("岩屋防衛大臣", "岩屋", "防衛大臣", "JP", False),
      ("シャナハン米国防長官代行", "シャナハン", "国防長官代行", "US", False)]),
    ("菅内閣総理大臣は、バイデン米大統領との間で電話会談を行った。",
     [("菅内閣総理大臣", "菅", "内閣総理大臣", "JP", False), ("バイデン米大統領", "バイデン", "大統領", "US", False)]),
    ("茂木外務大臣及び河野防衛大臣は、会談した。",
     [("茂木外務大臣", "茂木", "外務大臣", "JP", False), ("河野防衛大臣", "河野", "防衛大臣", "JP", False)]),
    ("山崎統合幕僚長は、ダンフォード米統合参謀本部議長と会談した。",
     [("山崎統合幕僚長", "山崎", "統合幕僚長", "JP", False),
      ("ダンフォード米統合参謀本部議長", "ダンフォード", "統合参謀本部議長", "US", False)]),
    # other countries' markers and titles
    ("河野防衛大臣は、レイノルズ豪国防大臣と会談した。",
     [("河野防衛大臣", "河野", "防衛大臣", "JP", False), ("レイノルズ豪国防大臣", "レイノルズ", "国防大臣", "AU", False)]),
    ("ショイグ露国防相は述べた。", [("ショイグ露国防相", "ショイグ", "国防相", "RU", False)]),
    ("プラウィット泰副首相兼国防大臣と会談した。",
     [("プラウィット泰副首相兼国防大臣", "プラウィット", "副首相兼国防大臣", "TH", False)]),
    ("モディ印首相と会談した。", [("モディ印首相", "モディ", "首相", "IN", False)]),
    ("サージャン加国防大臣と会談した。", [("サージャン加国防大臣", "サージャン", "国防大臣", "CA", False)]),
    ("リック越国防大臣と会談した。", [("リック越国防大臣", "リック", "国防大臣", "VN", False)]),
    ("アキリーノ米インド太平洋軍司令官と会談した。",
     [("アキリーノ米インド太平洋軍司令官", "アキリーノ", "インド太平洋軍司令官", "US", False)]),
    # kanji names before a foreign marker (not MeCab 人名)
    ("、文在寅韓国大統領と会談した。", [("文在寅韓国大統領", "文在寅", "大統領", "KR", False)]),
    ("、魏鳳和中国国防部長と会談した。", [("魏鳳和中国国防部長", "魏鳳和", "国防部長", "CN", False)]),
    # full names with ・ and a generic title after a marker
    ("エマニュエル・マクロン仏大統領と会談した。",
     [("エマニュエル・マクロン仏大統領", "エマニュエル・マクロン", "大統領", "FR", False)]),
    ("フォン・デア・ライエン独国防大臣と会談した。",
     [("フォン・デア・ライエン独国防大臣", "フォン・デア・ライエン", "国防大臣", "DE", False)]),
    ("ハモンド英外務・英連邦大臣と会談した。",
     [("ハモンド英外務・英連邦大臣", "ハモンド", "外務・英連邦大臣", "GB", False)]),
    ("ボルトン米大統領補佐官と会談した。", [("ボルトン米大統領補佐官", "ボルトン", "大統領補佐官", "US", False)]),
    # former: (当時) outside text, 元 inside
    ("ハガティ駐日米国大使と、マティス米国防長官(当時)は述べた。",
     [("マティス米国防長官", "マティス", "国防長官", "US", True)]),
    ("森本元防衛大臣が講演した。", [("森本元防衛大臣", "森本", "防衛大臣", "JP", True)]),
    # no marker: the country of the same person's marked mention
    ("バイデン米大統領と会談した。バイデン大統領は述べた。",
     [("バイデン米大統領", "バイデン", "大統領", "US", False), ("バイデン大統領", "バイデン", "大統領", "US", False)]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_people(run_text, text, expected):
    doc = run_text(text)
    got = [(p.text, p.name, p.title, p.country, p.former) for p in doc.people]
    assert got == expected


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_offsets_point_at_the_text(run_text, text, expected):
    doc = run_text(text)
    assert all(doc.text[p.start:p.end] == p.text for p in doc.people)


def test_full_width_text_keeps_raw_offsets(run_text):
    text = "、小野寺防衛大臣は、ロレンザーナ比国防大臣（当時）と会談した。"
    doc = run_text(text)
    assert [(p.text, p.country, p.former) for p in doc.people] == [
        ("小野寺防衛大臣", "JP", False), ("ロレンザーナ比国防大臣", "PH", True)]
    assert all(text[p.start:p.end] == p.text for p in doc.people)


def test_rule_column_names_the_rules(run_text):
    (p,) = run_text("マティス米国防長官(当時)は述べた。").people
    assert p.rule == ("person.katakana_name+title.secretary_of_defense+country.US+former.tojitsu"
                      "+person.registry+US-ジェームズ・マティス")
    assert p.source == "rule"


def test_compound_nouns_are_not_people(run_text):
    assert run_text("日米防衛相会談を実施した。日英防衛相会談を行った。").people == ()
