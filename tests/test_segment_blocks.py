"""Block kinds: footnotes (the trap of numbered lines), captions and their re-broken copies,
figure/document references, boilerplate; sentences split on 。!? outside brackets."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.document import Document
from pipeline.stages.segment import Segmenter

SEED = Path(__file__).resolve().parent.parent / "raw" / "2017" / "000_5aa69a72492d7d21.txt"


@pytest.fixture(scope="module")
def segment(rules):
    seg = Segmenter(rules)
    return lambda text: seg(Document("test/doc", "", text))


def kinds(doc: Document) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in doc.blocks]


SECTION_END = "2 最近行われた主な政策協議など\n(8)日米首脳電話会談\n両首脳は、認識で一致した。\n"

FOOTNOTES = [
    "8 I部2章6節4項脚注44参照",
    "9 会談後の日米防衛相共同記者会見では、発言があった。",
    "10 「具体的行動」の一環となる取組としては、一例として挙げられる。",
    "８　Ⅰ部２章６節４項脚注４４参照",  # full-width form of the cross reference
    "1 新たな空対空ミサイルに関する日英共同研究は、実現可能性を探るものである。",
    "11 同盟調整メカニズム(ACM:Alliance Coordination Mechanism)",  # breaks the numbering 2 -> 11
]


@pytest.mark.parametrize("line", FOOTNOTES)
def test_numbered_lines_at_section_end_are_footnotes(segment, line):
    doc = segment(SECTION_END + line + "\n")
    assert kinds(doc)[-1] == ("footnote", line)
    assert [s.label for s in doc.sections] == ["2", "(8)"]


def test_footnote_trap_keeps_the_tree(segment):
    """`8 I部…参照` after heading 2 is no bare-number heading 8, and `3 …` afterwards still is heading 3."""
    doc = segment(SECTION_END + "8 I部2章6節4項脚注44参照\n3 今後の課題\n本文。\n")
    assert [(s.label, s.path) for s in doc.sections] == [("2", "2"), ("(8)", "2 > (8)"), ("3", "3")]


LINE_KINDS = [
    ("Contents", "boilerplate"),
    ("目次", "boilerplate"),
    ("図表II-4-2-7(日米安全保障問題に関する日米両国政府の関係者間の主な政策協議)", "figure_ref"),
    ("図表III-3-2-1 主要国との防衛協力・交流の概要", "figure_ref"),
    ("図表Ⅲ－３－２－１　主要国との防衛協力・交流の概要", "figure_ref"),  # full-width
    ("参照資料26(日米協議(閣僚級)の実績(14(平成26)年以降))", "document_ref"),
    ("参照資料４１（共同声明）", "document_ref"),
    ("図表に示すとおり、防衛協力は進展している。", "paragraph"),
    ("日米防衛相共同記者会見を行うマティス米国防長官(写真左)と稲田防衛大臣(写真右)", "caption"),
    ("献花を行う首脳(16(平成28)年12月)【内閣広報室提供】", "caption"),
    ("写真は会見の様子である。", "paragraph"),
]


@pytest.mark.parametrize("line,kind", LINE_KINDS)
def test_line_kinds(segment, line, kind):
    assert kinds(segment(line + "\n")) == [(kind, line)]


def test_rebroken_caption_copy_is_duplicate(segment):
    whole = "共同記者会見に臨む小野寺防衛大臣(写真右)とパルリ仏軍事大臣(写真左)(18(平成30)年1月)"
    a, b = "共同記者会見に臨む小野寺防衛大臣(写真右)と", "パルリ仏軍事大臣(写真左)(18(平成30)年1月)"
    doc = segment(f"本文。\n{whole}\n{a}\n{b}\n次の本文。\n")
    assert [k for k, _ in kinds(doc)] == ["paragraph", "caption", "caption_duplicate", "caption_duplicate",
                                          "paragraph"]


def test_seed_captions_and_footnotes(segment):
    doc = segment(SEED.read_text(encoding="utf-8"))
    dup = [b.text for b in doc.blocks if b.kind == "caption_duplicate"]
    assert dup == [
        "パールハーバーのアリゾナ記念館で献花を行う安倍内閣総理大臣と",
        "オバマ米大統領(当時)(16(平成28)年12月)【内閣広報室提供】",
        "日米防衛相共同記者会見を行うマティス米国防長官(写真左)と",
        "稲田防衛大臣(写真右)",
        "マイク・ペンス米副大統領(写真左)の表敬を受け、同氏と握手する",
        "安倍内閣総理大臣(写真右)(17(平成29)年4月)【内閣広報室提供】",
    ]
    foot = [b.text[:12] for b in doc.blocks if b.kind == "footnote"]
    assert foot == ["8 I部2章6節4項脚注", "9 会談後の日米防衛相共", "10 「具体的行動」の一"]
    assert all(b.kind != "footnote" for b in doc.blocks[:-3])


def test_every_block_is_a_nonempty_stripped_line(segment):
    text = "  第1章 総論  \n\n\u3000本文である。\t\n \n"
    doc = segment(text)
    assert [(b.text, doc.text[b.start:b.end]) for b in doc.blocks] == [("第1章 総論", "第1章 総論"),
                                                                       ("本文である。", "本文である。")]


SENTENCES = [
    ("両閣僚は一致した。また確認した。", ["両閣僚は一致した。", "また確認した。"]),
    ("「北朝鮮の挑発は容認できない。」と述べた。次。", ["「北朝鮮の挑発は容認できない。」と述べた。", "次。"]),
    ("会談を行った(詳細は後述。)。以上。", ["会談を行った(詳細は後述。)。", "以上。"]),
    ("会談を行った（詳細は後述。）。以上。", ["会談を行った（詳細は後述。）。", "以上。"]),
    ("本当か！？そうだ。", ["本当か！？", "そうだ。"]),
    ("閉じない「括弧。次の文。", ["閉じない「括弧。", "次の文。"]),
    ("句点のない文", ["句点のない文"]),
]


@pytest.mark.parametrize("text,expected", SENTENCES)
def test_sentences(segment, text, expected):
    doc = segment(text + "\n")
    assert [s.text for s in doc.sentences] == expected
    assert all(doc.text[s.start:s.end] == s.text for s in doc.sentences)
    assert [s.sentence_id for s in doc.sentences] == list(range(1, len(expected) + 1))
