"""With the real GiNZA model: NER is evidence where the rules are in doubt, never a requirement."""
from __future__ import annotations

import pytest

from pipeline.document import Document


@pytest.mark.model
def test_ner_is_not_asked_where_the_rules_are_sure(ner_extractor, extractor):
    text = "翌日、小野寺防衛大臣は、宋永武韓国国防部長官とシンガポールにおいて会談を行った。"
    with_ner = ner_extractor.extract(Document("t", "", text))
    rules_only = extractor.extract(Document("t", "", text))
    rows = [(p.text, p.name, p.title, p.country, p.source) for p in with_ner.people]
    assert rows == [("小野寺防衛大臣", "小野寺", "防衛大臣", "JP", "rule"),
                    ("宋永武韓国国防部長官", "宋永武", "国防部長官", "KR", "rule")]
    assert rows == [(p.text, p.name, p.title, p.country, p.source) for p in rules_only.people]
    assert [(v.text, v.country, v.source) for v in with_ner.venues] == [("シンガポール", "SG", "rule")]
    assert with_ner.entities == ()  # nothing was in doubt: the model read nothing


@pytest.mark.model
def test_ner_person_settles_a_name_mecab_does_not_read(ner_extractor, extractor):
    text = "坂林防衛大臣は、会談した。"
    with_ner = ner_extractor.extract(Document("t", "", text))
    assert extractor.extract(Document("t", "", text)).people == ()  # MeCab reads 坂林 as no name
    assert [(p.text, p.name, p.country, p.source) for p in with_ner.people] == [("坂林防衛大臣", "坂林", "JP", "ner")]
    assert [(e.text, e.label) for e in with_ner.entities] == [("坂林", "Person")]
