"""`pipeline explain`: rows with their rules (and where the rules are written), NER spans and
dropped candidates with their reasons, in reading order, around a span."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.document import Entity, TraceEvent
from pipeline.explain import describe_rules, explain_span, lines_in, rule_locations, window

ROOT = Path(__file__).resolve().parent.parent
TEXT = "(1)日米防衛相会談\n両閣僚は、認識を共有した。別の文である。"


@pytest.fixture
def doc(run_text):
    d = run_text(TEXT)
    a = TEXT.index("両閣僚")
    b = TEXT.index("共有した")
    return replace(
        d,
        entities=(Entity(2, a, a + 3, "両閣僚", "Position_Vocation", "PERSON"),),
        trace=(TraceEvent("clauses", "clause.share.x", b, b + 4, "共有した", "dropped", "inside a quotation"),
               TraceEvent("people", "person.y", a, a + 2, "両閣", "dropped", "overlaps [x:y] person.z")))


def test_rule_locations_name_file_and_line(tmp_path):
    (tmp_path / "a.yaml").write_text("rules:\n  - id: r.one\n    pattern: x\n  - {id: r.two, pattern: y}\n",
                                     encoding="utf-8")
    (tmp_path / "b.yaml").write_text("items:\n  nested:\n    - id: r.three\n", encoding="utf-8")
    locations = rule_locations(tmp_path)
    assert locations == {"r.one": f"{tmp_path / 'a.yaml'}:2", "r.two": f"{tmp_path / 'a.yaml'}:4",
                         "r.three": f"{tmp_path / 'b.yaml'}:3"}


@pytest.mark.parametrize(("rule", "expected"), [
    ("", "-"),
    ("a", "a (f.yaml:1)"),
    ("a+code.rule", "a (f.yaml:1) + code.rule (built in)"),
])
def test_describe_rules(rule, expected):
    assert describe_rules(rule, {"a": "f.yaml:1"}) == expected


def test_window_is_the_sentences_around_a_span(doc):
    a = TEXT.index("共有")
    s = TEXT.index("両閣僚")
    assert window(doc, a, a + 2) == (s, TEXT.index("別の文"))


def test_listing_is_in_reading_order_with_ner_and_dropped(doc):
    s = TEXT.index("両閣僚")
    lines = lines_in(doc, s, len(TEXT))
    kinds = [(ln.what, ln.text) for ln in lines if ln.what != "row"]
    assert kinds == [("ner", "両閣僚"), ("dropped", "両閣"), ("dropped", "共有した")]
    starts = [ln.start for ln in lines]
    assert starts == sorted(starts)


def test_explain_span_shows_reasons_and_sentence(doc):
    a = TEXT.index("共有")
    text = explain_span(doc, a, a + 2, {"clause.share.x": "rules/clauses.yaml:7"})
    assert "sentence 2" in text and "両閣僚は、認識を共有した。" in text
    assert "別の文" not in text
    assert "NER Position_Vocation '両閣僚'  ontonotes=PERSON" in text
    assert "clauses DROPPED  '共有した'" in text
    assert "rule: clause.share.x (rules/clauses.yaml:7)" in text
    assert "why: inside a quotation" in text
    assert "why: overlaps [x:y] person.z" in text


def test_heading_rows_carry_their_rule(doc, rules):
    text = explain_span(doc, 0, 3, rule_locations(rules.folder))
    assert "sections row" in text and "label=(1) title=日米防衛相会談" in text
    assert f"heading.paren_number ({rules.folder / 'headings.yaml'}:" in text


def test_nothing_touches_plain_text(run_text):
    d = run_text("これは文である。")
    assert "(nothing: no rule, NER span or candidate touches this text)" in explain_span(d, 0, 3, {})
