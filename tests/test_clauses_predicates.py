"""Clause predicates: which spans are clauses, of which type; quotations, vetoes and negatives."""
from __future__ import annotations

from pathlib import Path

import pytest

NEGATIVES = Path(__file__).parent / "negatives" / "clauses.txt"


def spans(doc) -> list[tuple[str, str]]:
    return [(c.text, c.type) for c in doc.clauses]


@pytest.mark.parametrize("text, expected", [
    ("両閣僚は、協力していくことで一致した。", [("一致した", "agree")]),
    ("両閣僚は、協力していくことで一致し、連携を確認した。", [("一致し", "agree"), ("確認した", "confirm")]),
    ("両者は、早期開催で一致するとともに、取り組んでいくことで一致した。", [("一致する", "agree"), ("一致した", "agree")]),
    ("両首脳は、具体的行動をとることで一致10した。", [("一致10した", "agree")]),
    ("両首脳は、同盟を強化することで完全に一致をした。", [("一致をした", "agree")]),
    ("両閣僚は、共同訓練を行うことで合意した。", [("合意した", "agree")]),
    ("両閣僚は、重要性を改めて確認した。", [("改めて確認した", "confirm")]),
    ("両閣僚は、重要性を再確認した。", [("再確認した", "confirm")]),
    ("会談では、意思疎通を継続していくことが確認された。", [("確認された", "confirm")]),
    ("四閣僚は、適用されることを改めて確認するとともに、反対する立場を共有した。",
     [("改めて確認する", "confirm"), ("立場を共有した", "share")]),
    ("両首脳は、懸念を共有するとともに、脅威であるとの認識を共有した。",
     [("懸念を共有する", "share"), ("認識を共有した", "share")]),
    ("四閣僚は、交渉が実質合意に至ったことを歓迎した。", [("歓迎した", "welcome")]),
    ("稲田防衛大臣から、支持する旨述べ、両閣僚は、関与を強化していくことで一致した。",
     [("旨述べ", "state"), ("一致した", "agree")]),
    ("マティス米国防長官から、揺るぎない旨強調した。", [("旨強調した", "state")]),
    ("パルリ仏軍事大臣から、関与していく旨表明した。", [("表明した", "state")]),
    ("マティス米国防長官からは、コミットメントが表明された。", [("表明された", "state")]),
    ("トランプ米大統領から、日本を支える旨が伝えられたほか、両首脳は連携していくことで一致するなど、意思疎通を図っている。",
     [("伝えられた", "state"), ("一致する", "agree")]),
    ("マティス米国防長官から、見本であると言える旨、発言があった。", [("発言があった", "state")]),
    ("稲田防衛大臣から、沖縄の負担軽減について協力を要請し、両閣僚は、協力することで一致した。",
     [("要請し", "request"), ("一致した", "agree")]),
    ("両閣僚は、脅威であるとの認識で一致しており、連携を確認した。", [("一致し", "agree"), ("確認した", "confirm")]),
    ("豪国防大臣は、日本の取組に歓迎の意を表明した。", [("歓迎の意を表明した", "welcome")]),
    # quoted predicates are not clauses; the statement around them is
    ("安倍内閣総理大臣は、「日米同盟を強化していくことで完全に一致をした」旨述べた。", [("旨述べた", "state")]),
    ("ウィリアムソン英国防大臣は、「防衛協力が一層深まることを歓迎する」旨述べた。", [("旨述べた", "state")]),
    # a predicate that is what someone said (…旨) is not an outcome of its own
    ("大臣から、協力を歓迎する旨述べた。", [("旨述べた", "state")]),
])
def test_predicates(run_text, text, expected):
    assert spans(run_text(text)) == expected


@pytest.mark.parametrize("text", [
    line.strip() for line in NEGATIVES.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
])
def test_negatives(run_text, text):
    assert spans(run_text(text)) == []


def test_spans_are_raw_offsets(run_text):
    text = "両閣僚は、具体的行動をとることで一致１０した。"  # full-width footnote digits
    doc = run_text(text)
    assert [(c.text, doc.text[c.start:c.end]) for c in doc.clauses] == [("一致１０した", "一致１０した")]


def test_quoted_predicate_is_traced(run_text):
    doc = run_text("大臣は、「協力していくことで一致した」旨述べた。")
    dropped = [(t.text, t.reason) for t in doc.trace if t.stage == "clauses" and t.decision == "dropped"]
    assert ("一致した", "inside a quotation") in dropped


@pytest.mark.parametrize("text, expected", [
    ("両閣僚は、地域情勢への認識を共有し、尖閣諸島が日米安保条約第5条の適用範囲に含まれることを改めて確認した。",
     ["地域情勢への", "尖閣諸島が日米安保条約第5条の適用範囲に含まれることを"]),
    ("また、両閣僚は、比中仲裁判断8が最終的であることを確認した。", ["比中仲裁判断が最終的であることを"]),
    ("さらに両首脳は、脅威を抑止するため、日米は具体的行動をとることで一致した。",
     ["脅威を抑止するため、日米は具体的行動をとることで"]),
])
def test_content(run_text, text, expected):
    assert [c.content for c in run_text(text).clauses] == expected
