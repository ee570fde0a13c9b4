"""The closed vocabularies of the output contract live once, in pipeline/document.py; every value
the stages write in those columns is one of them."""
from __future__ import annotations

import pytest

from pipeline.document import (BLOCK_KINDS, CLAUSE_TYPES, CONSULT_MODES, MEETING_MODES, MEETING_SOURCES,
                               MENTION_SOURCES, Document)

TEXTS = [
    "1 日米防衛協力\n(1)日米防衛相会談(16(平成28)年9月16日(米国防省))\n稲田防衛大臣とカーター米国防長官は、協力を推進することで一致した。\n",
    "2021年5月、岸防衛大臣は、ダットン豪国防大臣と電話会談を実施し、協力の推進で一致した。\n"
    "同年6月、岸防衛大臣は、シンガポールにおいてパルリ仏軍事大臣と会談を行い、認識を共有した。\n"
    "同年7月、岸防衛大臣は、オースティン米国防長官およびダットン豪国防大臣と日米豪防衛相会談を行った。\n"
    "同年8月、ダットン豪国防大臣が来日し、岸防衛大臣と会談を行った。\n",
]


@pytest.mark.parametrize("text", TEXTS)
def test_vocabularies_hold_every_value_written(run_text, text):
    doc: Document = run_text(text, doc_id="2021/x")
    assert doc.meetings, "the text tells meetings"
    assert {b.kind for b in doc.blocks} <= set(BLOCK_KINDS)
    assert {m.mode for m in doc.meetings} <= set(MEETING_MODES)
    assert {m.source for m in doc.meetings} <= set(MEETING_SOURCES)
    assert {m.consult_mode for m in doc.meetings} <= set(CONSULT_MODES) | {""}
    assert {p.source for p in doc.people} | {v.source for v in doc.venues} <= set(MENTION_SOURCES)
    assert {c.type for c in doc.clauses} <= set(CLAUSE_TYPES)


def test_vocabularies_every_consult_mode_is_reached(run_text):
    doc = run_text(TEXTS[1], doc_id="2021/x")
    assert {m.consult_mode for m in doc.meetings} == set(CONSULT_MODES)
