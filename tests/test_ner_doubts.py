"""GiNZA reads only where the rules are in doubt: which sentences raise a doubt, the windows
the model reads, exact raw offsets back, and what the second reading does with the evidence.
No model is loaded: a fake `spans` stands in for GiNZA (the real model: test_people_venues_model)."""
from __future__ import annotations

import pytest

from pipeline.document import Document
from pipeline.ner import MAX_BYTES, EntityModel, NerRules, WindowPicker, byte_chunks
from pipeline.run import Extractor


class FakeModel(EntityModel):
    """Labels every occurrence of some strings, as GiNZA would label them, and records what it read."""

    LEXICON = {"内大": "Person", "坂林": "Person", "日経": "Organization", "中曽根": "City"}

    def __init__(self, rules, **kw):
        super().__init__(rules.get("ner"), **kw)
        self.seen: list[str] = []

    def spans(self, texts):
        self.seen += texts
        out = []
        for text in texts:
            found = []
            for word, label in self.LEXICON.items():
                at = text.find(word)
                while at >= 0:
                    found.append((at, at + len(word), label))
                    at = text.find(word, at + 1)
            out.append(sorted(found))
        return out


def run_fake(rules, text: str, **kw) -> tuple[Document, FakeModel]:
    model = FakeModel(rules, **kw)
    doc = Extractor(rules, model=model).extract(Document("2017/x", "2017", text))
    return doc, model


@pytest.mark.parametrize("sentence, windows", [
    # the rules read both people and nothing else needs a look: the model reads nothing
    ("稲田防衛大臣とカーター米国防長官は、会談した。", []),
    ("わが国の防衛力の整備は着実に進められている。", []),
    ("両大臣は、地域情勢への認識を共有した。", []),
    ("防衛大臣と米国防長官との間で会談した。", []),  # titles with no name, nothing name-like before them
    ("防衛大臣は、横須賀において演説した。", []),  # a place the rules read
    # a kanji run MeCab does not read as a name, before an office title
    ("内大防衛大臣は、会談した。", ["内大防衛大臣は、会談"]),
    # a title after a run no rule reads as a name
    ("陸軍参謀長と会談した。", ["陸軍参謀長と会談し"]),
    # a proper noun before a place cue that no rule reads as a place
    ("大臣は、日経において講演した。", ["大臣は、日経において"]),
])
def test_ner_reads_only_the_doubts(rules, sentence, windows):
    _, model = run_fake(rules, sentence + "\n")
    assert model.seen == windows


def test_ner_evidence_turns_a_doubt_into_a_row(rules):
    doc, _ = run_fake(rules, "坂林防衛大臣は、中曽根において会談した。\n")
    assert [(p.text, p.name, p.country, p.source) for p in doc.people] == [("坂林防衛大臣", "坂林", "JP", "ner")]
    assert [(v.text, v.source) for v in doc.venues] == [("中曽根", "ner")]
    assert {(e.text, e.label) for e in doc.entities} == {("坂林", "Person"), ("中曽根", "City")}


def test_ner_organisation_is_no_place(rules):
    doc, model = run_fake(rules, "大臣は、日経において講演した。\n")
    assert model.seen and doc.venues == ()  # asked, but an Organization is no place


@pytest.mark.parametrize("text", [
    "内大防衛大臣は、会談した。\n",
    "　内大防衛大臣は、９月１６日に会談した。\n",  # full-width: folded lengths differ
    "前文。\n\n防衛大臣は、坂林防衛大臣と会談した。\n",
])
def test_ner_entity_offsets_map_back_to_raw_text(rules, text):
    doc, model = run_fake(rules, text)
    assert doc.entities, "the fake model found nothing in the windows"
    for e in doc.entities:
        assert doc.text[e.start:e.end] == e.text
        assert e.text in FakeModel.LEXICON
        sent = doc.sentence(e.sentence_id)
        assert sent.start <= e.start < e.end <= sent.end
    assert sum(map(len, model.seen)) < len(text)  # it read windows, not the whole text


@pytest.mark.parametrize("doubts, text, expected", [
    # overlapping and nearby windows merge; far ones stay apart
    ([(3, 4), (6, 7), (27, 28)], "aaaXbbXccccccccccccccccccccXdd", [(0, 8), (24, 29)]),
    # a window start moves back to a break within `snap`
    ([(7, 8)], "aaaa、bbX", [(5, 8)]),
    # no break near: the window starts exactly `before` characters back
    ([(35, 36)], "a" * 35 + "X", [(33, 36)]),
    ([], "aaaa", []),
])
def test_ner_window_shapes(doubts, text, expected):
    picker = WindowPicker(NerRules(before=3 if len(doubts) == 3 else 2, after=1 if len(doubts) == 3 else 0,
                                   snap=3, merge_gap=4, edge=2))
    assert picker.windows(text, doubts) == expected


def test_ner_sentences_mode_reads_the_whole_doubtful_sentence():
    picker = WindowPicker(NerRules(mode="sentences"))
    assert picker.windows("わが国の防衛力の整備。", [(2, 4)]) == [(0, 11)]
    assert picker.windows("わが国の防衛力の整備。", []) == []


def test_ner_entities_cut_by_a_window_edge_are_dropped():
    picker = WindowPicker(NerRules(before=3, after=0, snap=0, edge=2))
    # the window of "ああああカーター防衛大臣" around 大臣 is "ー防衛大臣": an entity at its cut start is partial
    window = picker.windows("ああああカーター防衛大臣", [(10, 12)])
    assert window == [(7, 12)]
    assert not picker.keep(window[0], 12, 0, 1)  # "ー": touches the cut start
    assert not picker.keep(window[0], 12, 1, 5)  # starts within `edge` (2) of the cut: may be partial
    assert picker.keep(window[0], 12, 2, 5)  # "衛大臣": far enough in, ends at the sentence's own end
    assert picker.keep((0, 6), 12, 0, 2)  # a window at the sentence start keeps an entity at 0 ...
    assert not picker.keep((0, 6), 12, 3, 6)  # ... and one ending at a cut end (not the sentence end) is partial


def test_ner_cached_windows_skip_the_model(rules, tmp_path):
    text = "坂林防衛大臣は、中曽根において会談した。\n"
    a, first = run_fake(rules, text, cache_dir=tmp_path)
    b, second = run_fake(rules, text, cache_dir=tmp_path)
    assert a.entities == b.entities and a.entities
    assert first.seen and second.seen == []
    assert second._nlp is None  # the model was never loaded


def test_ner_off_reads_nothing_and_keeps_rule_rows(rules):
    model = FakeModel(rules)
    doc = Extractor(rules, ner=False, model=model).extract(Document("2017/x", "2017", "坂林防衛大臣は会談した。\n"))
    assert model.seen == [] and doc.entities == () and doc.people == ()


@pytest.mark.parametrize("text", [
    "あ" * 50_000,  # 150,000 bytes, no break at all
    ("日米防衛相会談を実施した。" * 8000),  # breaks after 。
    "a" * 100 + "、" + "漢" * 30_000 + "\n" + "b" * 10,
    "",
])
def test_ner_byte_chunks_cover_the_text_under_the_limit(text):
    chunks = byte_chunks(text)
    assert "".join(text[a:b] for a, b in chunks) == text
    assert all(0 < len(text[a:b].encode("utf-8")) <= MAX_BYTES for a, b in chunks)
    assert all(chunks[i][1] == chunks[i + 1][0] for i in range(len(chunks) - 1))


def test_ner_label_map_is_ginzas():
    from ginza.ene_ontonotes_mapper import ENE_ONTONOTES_MAPPING

    from pipeline.ner import ontonotes_mapping

    assert ontonotes_mapping() == ENE_ONTONOTES_MAPPING
    assert ontonotes_mapping()["Person"] == "PERSON"
