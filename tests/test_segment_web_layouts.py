"""Web pages of the white paper: breadcrumbs, navigation, image labels, credits, KEY WORD labels
and bylines are boilerplate; every later copy of a caption is caption_duplicate; page titles and
column titles are unnumbered headings; other numbering forms; lists and numbered notes are no
headings; none of this yields entities."""
from __future__ import annotations

import pytest

from pipeline.document import Document
from pipeline.stages.segment import Segmenter


@pytest.fixture(scope="module")
def segment(rules):
    seg = Segmenter(rules)
    return lambda text: seg(Document("test/doc", "", text))


def kinds(doc: Document) -> list[str]:
    return [b.kind for b in doc.blocks]


BOILERPLATE = [
    "白書トップ > 第II部 防衛政策 > 第3章 同盟 > 2 日英協力",
    "防衛白書トップ > 令和6年版防衛白書の刊行に寄せて",
    "ＴＯＰ ＞ 資料編",  # full-width
    "資料 > 第1章 > 第2節",
    "前の項目に戻る   次の項目に進む",
    "次のページへ進む",
    "ページの先頭へ",
    "統合幕僚長の画像",
    "特集3 海洋安全保障 写真4",
    "写真2",
    "【首相官邸ホームページ】",
    "【NATO】",
    "KEY WORD",
    "KeyWord統合防空ミサイル防衛とは",
    "防衛事務官 佐藤 花子(さとう はなこ)",
    "陸上自衛隊第8師団 2等陸曹 田中 一郎",
    "防衛駐在官 3等海佐 木村 進(きむら すすむ)",
    "防衛大臣 山田 太郎",
    "統合幕僚監部 3等空佐 中村花子(なかむら はなこ)",
    "装備庁 技術戦略部 フェロー BROWN ANNA(アナ・ブラウン)",
]
NOT_BOILERPLATE = [
    "トップ会談で一致した。",
    "両国は、次の項目に進むことで合意した。",
    "写真は式典の様子である。",
    "【解説】防衛協力の現状",
    "Keywords of the alliance",
    "防衛大臣 山田太郎は会談した。",
    "輸入額 > 輸出額",
    "2 最近の主要な防衛交流実績など",
    "ア 総論、地域情勢",
]


@pytest.mark.parametrize("line", BOILERPLATE)
def test_segment_web_boilerplate_lines(segment, line):
    doc = segment("本文である。\n" + line + "\n")
    assert kinds(doc) == ["paragraph", "boilerplate"]
    assert doc.sections == ()


@pytest.mark.parametrize("line", NOT_BOILERPLATE)
def test_segment_web_text_is_no_boilerplate(segment, line):
    assert "boilerplate" not in kinds(segment(line + "\n"))


CAPTION = "式典で握手する両国の大臣(左から2人目が大臣)"
A, B = "式典で握手する", "両国の大臣(左から2人目が大臣)"
A3, B3, C3 = "式典で", "握手する両国の", "大臣(左から2人目が大臣)"

# (lines between two sentences, expected kinds of those lines)
COPIES = [
    ([CAPTION, CAPTION], ["caption", "caption_duplicate"]),  # repeated whole
    ([CAPTION, "", CAPTION], ["caption", "caption_duplicate"]),  # a blank line between
    ([CAPTION, A, B], ["caption", "caption_duplicate", "caption_duplicate"]),  # re-broken over two lines
    ([CAPTION, A3, B3, C3], ["caption", "caption_duplicate", "caption_duplicate", "caption_duplicate"]),
    ([A, B, CAPTION], ["caption", "caption", "caption_duplicate"]),  # broken first, whole later
    ([CAPTION, CAPTION, A, B], ["caption", "caption_duplicate", "caption_duplicate", "caption_duplicate"]),
    (["訓練する隊員", "訓練する 隊員"], ["caption", "caption_duplicate"]),  # spaces aside
    (["訓練する隊員", "別の写真の説明", "訓練する隊員"], ["caption", "paragraph", "caption_duplicate"]),
]


@pytest.mark.parametrize("lines,expected", COPIES)
def test_segment_every_later_caption_copy_is_duplicate(segment, lines, expected):
    doc = segment("\n".join(["本文である。", *lines, "次の本文である。"]) + "\n")
    assert kinds(doc) == ["paragraph", *expected, "paragraph"]


NO_COPIES = [
    ["同じ文である。", "同じ文である。"],  # sentences, not captions
    ["訓練", "訓練"],  # too short to compare
    ["訓練する隊員", "一", "二", "三", "四", "訓練する隊員"],  # too far apart
    ["(1)同名の項目", "(1)同名の項目"],  # numbered headings
]


@pytest.mark.parametrize("lines", NO_COPIES)
def test_segment_repeats_that_are_no_caption_copies(segment, lines):
    assert "caption_duplicate" not in kinds(segment("\n".join(lines) + "\n"))


def test_segment_caption_copy_yields_no_entities(run_text):
    caption = "会談する山田防衛大臣と鈴木外務大臣(2019年5月)"
    doc = run_text(f"本文である。\n\n{caption}\n\n{caption}\n")
    first, copy = doc.blocks[1], doc.blocks[2]
    assert (first.kind, copy.kind) == ("caption", "caption_duplicate")
    assert {d.value for d in doc.dates} == {"2019-05"}
    for row in (*doc.dates, *doc.people):
        assert first.start <= row.start < first.end


def test_segment_boilerplate_yields_no_entities(run_text):
    doc = run_text("防衛白書トップ > 令和3年版防衛白書の刊行に寄せて\n\n防衛大臣 山田 太郎\n\n"
                   "【2019年5月 首相官邸ホームページ】\n\n山田防衛大臣は、2019年5月に訪米した。\n")
    body = doc.blocks[-1]
    assert kinds(doc) == ["boilerplate", "boilerplate", "boilerplate", "paragraph"]
    assert doc.dates and doc.people
    for row in (*doc.dates, *doc.people, *doc.venues, *doc.clauses):
        assert body.start <= row.start < body.end


def test_segment_breadcrumb_item_is_an_unnumbered_heading(segment):
    doc = segment("Contents\n\nコラム\n\n白書トップ > コラム > 特集2 海の守り > 艦艇の一日\n\n特集2 海の守り\n\n"
                  "艦艇の一日\n\n本文である。\n\n艦艇の一日を振り返る\n")
    got = [(b.kind, b.text) for b in doc.blocks]
    assert got == [("boilerplate", "Contents"), ("heading", "コラム"),
                   ("boilerplate", "白書トップ > コラム > 特集2 海の守り > 艦艇の一日"),
                   ("heading", "特集2 海の守り"), ("heading", "艦艇の一日"), ("paragraph", "本文である。"),
                   ("paragraph", "艦艇の一日を振り返る")]
    # only the numbered one is a section
    assert [(s.label, s.title) for s in doc.sections] == [("特集2", "海の守り")]


@pytest.mark.parametrize("line", ["<解説>日仏の防衛装備協力", "＜ＶＯＩＣＥ＞派遣隊員の声", "刊行に寄せて", "ダイジェスト"])
def test_segment_column_titles_are_unnumbered_headings(segment, line):
    doc = segment(line + "\n本文である。\n")
    assert kinds(doc) == ["heading", "paragraph"] and doc.sections == ()


# (lines, expected (label, title, path) per section)
FORMS = [
    (["特集1 防衛この一年", "本文である。"], [("特集1", "防衛この一年", "特集1")]),
    (["第II部 防衛政策", "第2章 協力", "第3節 各国との交流", "➊ 英国との交流", "本文である。", "➋ 仏国との交流"],
     [("第II部", "防衛政策", "第II部"), ("第2章", "協力", "第II部 > 第2章"),
      ("第3節", "各国との交流", "第II部 > 第2章 > 第3節"), ("➊", "英国との交流", "第II部 > 第2章 > 第3節 > ➊"),
      ("➋", "仏国との交流", "第II部 > 第2章 > 第3節 > ➋")]),
    (["❶ 災害派遣", "本文である。", "❷ 国際緊急援助"], [("❶", "災害派遣", "❶"), ("❷", "国際緊急援助", "❷")]),
    (["第1章 概要", "1.背景", "本文である。", "２．経緯", "本文である。"],
     [("第1章", "概要", "第1章"), ("1.", "背景", "第1章 > 1."), ("２．", "経緯", "第1章 > ２．")]),
]


@pytest.mark.parametrize("lines,expected", FORMS)
def test_segment_other_numbering_forms(segment, lines, expected):
    doc = segment("\n\n".join(lines) + "\n")
    assert [(s.label, s.title, s.path) for s in doc.sections] == expected


def test_segment_numbered_list_is_no_headings(segment):
    items = ["1.事務次官 → 次官", "2.統合幕僚長 → 統幕長", "3.陸上自衛隊 → 陸自"]
    doc = segment("凡例\n本書では次の略称を用いる。\n" + "\n".join(items) + "\n\n1 概要\n本文である。\n")
    assert [(s.label, s.title) for s in doc.sections] == [("1", "概要")]
    assert [b.kind for b in doc.blocks if b.text in items] == ["paragraph"] * 3
    # two items are no list yet: they stay headings
    two = segment("\n".join(items[:2]) + "\n")
    assert [s.label for s in two.sections] == ["1.", "2."]


@pytest.mark.parametrize("note", [
    "1 詳細は防衛省HP参照。(https://www.mod.go.jp/j/example/index.html(別ウィンドウ)",
    "1 詳細はこちら https://www.mod.go.jp/j/example/",
    "1 詳細は別紙参照。(別紙3)",
])
def test_segment_numbered_note_is_a_footnote_not_a_heading(segment, note):
    doc = segment(f"第4節 感染症への対応\n\n本文である1。\n\n{note}\n")
    assert kinds(doc) == ["heading", "paragraph", "footnote"]
    assert [s.label for s in doc.sections] == ["第4節"]


@pytest.mark.parametrize("text,block", [
    ("\x00第1章 日米同盟\n本文である。\n", "第1章 日米同盟"),  # a leading NUL is stripped like a space
    ("第1章 日米\x00同盟\n本文である。\n", "第1章 日米\x00同盟"),  # inside: the block keeps it
])
def test_segment_stray_nul_reads_as_space(segment, text, block):
    doc = segment(text)
    first = doc.blocks[0]
    assert first.kind == "heading" and first.text == block == text[first.start:first.end]
    assert doc.sections[0].label == "第1章"


def test_segment_breadcrumb_column_title_stays_one_item(segment):
    doc = segment("白書トップ > コラム > <解説>日英協力\n\n<解説>日英協力\n\n日英協力\n\n本文である。\n")
    assert kinds(doc) == ["boilerplate", "heading", "paragraph", "paragraph"]


# (raw text, expected block texts): lines broken inside a sentence are one block
JOINS = [
    ("両国は「防衛協力に関する共同宣言」\n3を発表した。\n", ["両国は「防衛協力に関する共同宣言」\n3を発表した。"]),
    ("首脳は演説を行っている\n8。\nまた、会談した。\n", ["首脳は演説を行っている\n8。", "また、会談した。"]),
    ("大臣は会談を行った。さらに本年\n5月には英国を\n訪問した。\n", ["大臣は会談を行った。さらに本年\n5月には英国を\n訪問した。"]),
    ("協定に基づく日豪ACSA3\n\nの署名が行われた。\n", ["協定に基づく日豪ACSA3\n\nの署名が行われた。"]),
    ("協定に基づく日豪ACSA3\n\n、署名が行われた。\n", ["協定に基づく日豪ACSA3\n\n、署名が行われた。"]),
    # no join: a sentence end, a blank line, a heading, a caption copy, a closing bracket
    ("大臣は会談を行った。\n5月には訪問した。\n", ["大臣は会談を行った。", "5月には訪問した。"]),
    ("大臣は会談を行った。さらに本年\n\n5月には訪問した。\n", ["大臣は会談を行った。さらに本年", "5月には訪問した。"]),
    ("本文である。次は\n(1)概要\n", ["本文である。次は", "(1)概要"]),
    ("本文である。(写真右)\n3つの国が協力した。\n", ["本文である。(写真右)", "3つの国が協力した。"]),
    ("協定(ACSA:Agreement)\n2および取決めに署名した。\n", ["協定(ACSA:Agreement)\n2および取決めに署名した。"]),
    ("両国は合意した。\n2つの国が協力した。\n", ["両国は合意した。", "2つの国が協力した。"]),
    ("協定に基づく日豪ACSA3\n\n日豪は署名した。\n", ["協定に基づく日豪ACSA3", "日豪は署名した。"]),
    ("協定に基づく日豪ACSA3\n\n\nの署名が行われた。\n", ["協定に基づく日豪ACSA3", "の署名が行われた。"]),
]


@pytest.mark.parametrize("text,expected", JOINS)
def test_segment_line_broken_inside_a_sentence_is_one_block(segment, text, expected):
    doc = segment(text)
    assert [b.text for b in doc.blocks] == expected
    assert all(text[b.start:b.end] == b.text for b in doc.blocks)


def test_segment_joined_block_reads_a_meeting_sentence_whole(run_text):
    text = "2019年5月、山田防衛大臣は英国を訪問し、スミス国防大臣(当時)\n2と会談を行った。\n"
    doc = run_text(text)
    assert len(doc.blocks) == 1 and len(doc.sentences) == 1
    assert doc.sentences[0].text == text.strip()
    assert {p.name for p in doc.people} == {"山田", "スミス"}


@pytest.mark.parametrize("line,kind", [
    ("(図表I-2-4-8参照)", "figure_ref"),
    ("図表 III-1-2 各国の国防費", "figure_ref"),
    ("資料62(防衛装備移転三原則)", "document_ref"),
    ("(図表I-2-4-8参照)のとおり、活動は活発化した。", "paragraph"),
    ("資料を見よ。", "paragraph"),
])
def test_segment_figure_and_document_pointers(segment, line, kind):
    assert kinds(segment(line + "\n")) == [kind]
