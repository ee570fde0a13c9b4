"""The heading tree: every numbering form (half- and full-width), nesting, levels, paths and spans."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.document import Document
from pipeline.stages.segment import Segmenter

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "raw" / "2017" / "000_5aa69a72492d7d21.txt"
GOLD_SECTIONS = ROOT / "tests" / "gold" / "000_5aa69a72492d7d21" / "sections.csv"


@pytest.fixture(scope="module")
def segment(rules):
    seg = Segmenter(rules)
    return lambda text: seg(Document("test/doc", "", text))


def tree(doc: Document) -> list[tuple[int, str, str, str]]:
    return [(s.level, s.label, s.title, s.path) for s in doc.sections]


BODY = "本文である。"

# (lines, expected (level, label, title, path) per heading)
FORMS = [
    # 第N部 / 第N章 / 第N節 with Roman, Arabic, kanji and full-width numbers
    (["第II部 わが国の安全保障", "第1章 防衛政策", "第1節 基本方針"],
     [(1, "第II部", "わが国の安全保障", "第II部"), (2, "第1章", "防衛政策", "第II部 > 第1章"),
      (3, "第1節", "基本方針", "第II部 > 第1章 > 第1節")]),
    (["第三部 国民の生命", "第十二章 国際協力"],
     [(1, "第三部", "国民の生命", "第三部"), (2, "第十二章", "国際協力", "第三部 > 第十二章")]),
    (["第Ⅲ部　国民の生命", "第２章　日米同盟"],
     [(1, "第Ⅲ部", "国民の生命", "第Ⅲ部"), (2, "第２章", "日米同盟", "第Ⅲ部 > 第２章")]),
    # bare numbers nest: chapter 4, then its sections 1, 2
    (["4 日米間の政策協議", "1 各種の政策協議", BODY, "2 最近の協議"],
     [(1, "4", "日米間の政策協議", "4"), (2, "1", "各種の政策協議", "4 > 1"), (2, "2", "最近の協議", "4 > 2")]),
    # full-width bare numbers with an ideographic space
    (["４　日米間の政策協議", "１　各種の政策協議"],
     [(1, "４", "日米間の政策協議", "４"), (2, "１", "各種の政策協議", "４ > １")]),
    # (1) and full-width （１）, with and without a space
    (["2 最近の協議", "(1)日米防衛相会談", BODY, "（２） 日米首脳会談"],
     [(1, "2", "最近の協議", "2"), (2, "(1)", "日米防衛相会談", "2 > (1)"), (2, "（２）", "日米首脳会談", "2 > （２）")]),
    # ア / イ under (1); (ア) / (イ) under ア; full-width （ア）
    (["(1)英国", "ア 日英「2+2」", "(ア)地域情勢", BODY, "（イ）防衛協力", "イ 日英防衛相会談"],
     [(1, "(1)", "英国", "(1)"), (2, "ア", "日英「2+2」", "(1) > ア"), (3, "(ア)", "地域情勢", "(1) > ア > (ア)"),
      (3, "（イ）", "防衛協力", "(1) > ア > （イ）"), (2, "イ", "日英防衛相会談", "(1) > イ")]),
    # half-width katakana label
    (["(1)英国", "ｱ 総論", BODY, "ｲ 各論"],
     [(1, "(1)", "英国", "(1)"), (2, "ｱ", "総論", "(1) > ｱ"), (2, "ｲ", "各論", "(1) > ｲ")]),
    # circled numbers
    (["ア 総論", "① 基本的な考え方", "② 具体的な取組"],
     [(1, "ア", "総論", "ア"), (2, "①", "基本的な考え方", "ア > ①"), (2, "②", "具体的な取組", "ア > ②")]),
    # a deeper form closes when a shallower one continues: (2) after ア under (1)
    (["(1)英国", "ア 総論", BODY, "(2)フランス", "ア 総論"],
     [(1, "(1)", "英国", "(1)"), (2, "ア", "総論", "(1) > ア"), (1, "(2)", "フランス", "(2)"),
      (2, "ア", "総論", "(2) > ア")]),
    # the full white-paper depth: 第II部 > 4 > 2 > (3) > イ > (ア) > ①
    (["第II部 防衛", "4 協議", "1 各種", "2 最近", "(1)会談", "(2)会談", "(3)会談", "ア 総論", "イ 各論", "(ア)地域",
      "① 基本"],
     [(1, "第II部", "防衛", "第II部"), (2, "4", "協議", "第II部 > 4"), (3, "1", "各種", "第II部 > 4 > 1"),
      (3, "2", "最近", "第II部 > 4 > 2"), (4, "(1)", "会談", "第II部 > 4 > 2 > (1)"),
      (4, "(2)", "会談", "第II部 > 4 > 2 > (2)"), (4, "(3)", "会談", "第II部 > 4 > 2 > (3)"),
      (5, "ア", "総論", "第II部 > 4 > 2 > (3) > ア"), (5, "イ", "各論", "第II部 > 4 > 2 > (3) > イ"),
      (6, "(ア)", "地域", "第II部 > 4 > 2 > (3) > イ > (ア)"),
      (7, "①", "基本", "第II部 > 4 > 2 > (3) > イ > (ア) > ①")]),
]


@pytest.mark.parametrize("lines,expected", FORMS, ids=[f"form{i}" for i in range(len(FORMS))])
def test_heading_forms(segment, lines, expected):
    doc = segment("\n\n".join(lines) + "\n")
    assert tree(doc) == expected
    for s in doc.sections:
        assert doc.text[s.start:s.end].startswith(s.label)
        assert doc.block(s.block_id).kind == "heading"


NOT_HEADINGS = [
    "2017年の政策協議が行われた",  # a number glued to its word
    "アジア太平洋地域の平和",  # a word that starts with ア
    "第II部の記述を参照。",  # a sentence ending with 。
    "10 「具体的行動」の一環となる取組としては、一例として挙げられる。",  # numbered footnote sentence
    "(1)から(3)までの措置を講じた。",
]


@pytest.mark.parametrize("line", NOT_HEADINGS)
def test_not_headings(segment, line):
    doc = segment(line + "\n")
    assert doc.sections == ()
    assert doc.blocks[0].kind != "heading"


def test_section_spans_cover_body_up_to_next_sibling(segment):
    text = "1 総論\n本文一。\n(1)細目\n本文二。\n2 各論\n本文三。\n"
    doc = segment(text)
    one, paren, two = doc.sections
    assert doc.text[one.start:one.end] == "1 総論\n本文一。\n(1)細目\n本文二。"
    assert doc.text[paren.start:paren.end] == "(1)細目\n本文二。"
    assert doc.text[two.start:two.end] == "2 各論\n本文三。"
    assert paren.parent_id == one.section_id and two.parent_id is None
    assert [b.section_id for b in doc.blocks] == [1, 1, 2, 2, 3, 3]


def test_seed_tree_matches_gold(segment):
    doc = segment(SEED.read_text(encoding="utf-8"))
    with GOLD_SECTIONS.open(encoding="utf-8", newline="") as f:
        gold = [(int(r["level"]), r["label"], r["title"], r["path"]) for r in csv.DictReader(f)]
    assert tree(doc) == gold
