"""With the real GiNZA model: NER is extra evidence (source rule+ner), never a requirement."""
from __future__ import annotations

import pytest

from pipeline.document import Document


@pytest.mark.model
def test_ner_confirms_rule_people_and_keeps_the_rows(ner_extractor, extractor):
    text = "翌日、小野寺防衛大臣は、宋永武韓国国防部長官と電話会談を行った。"
    with_ner = ner_extractor.extract(Document("t", "", text))
    rules_only = extractor.extract(Document("t", "", text))
    rows = [(p.text, p.name, p.title, p.country) for p in with_ner.people]
    assert rows == [("小野寺防衛大臣", "小野寺", "防衛大臣", "JP"), ("宋永武韓国国防部長官", "宋永武", "国防部長官", "KR")]
    assert rows == [(p.text, p.name, p.title, p.country) for p in rules_only.people]
    assert {p.text: p.source for p in with_ner.people}["宋永武韓国国防部長官"] == "rule+ner"


@pytest.mark.model
def test_ner_place_label_confirms_a_venue(ner_extractor):
    doc = ner_extractor.extract(Document("t", "", "小野寺防衛大臣は、シンガポールにおいて会談した。"))
    assert [(v.text, v.country, v.source) for v in doc.venues] == [("シンガポール", "SG", "rule+ner")]
