"""NER windows: which text the model reads, and exact raw offsets back. No model is loaded:
a fake `spans` stands in for GiNZA."""
from __future__ import annotations

import pytest

from pipeline.document import Document
from pipeline.stages.ner import MAX_BYTES, NerModel, NerRules, WindowPicker, byte_chunks


@pytest.fixture(scope="module")
def picker(rules) -> WindowPicker:
    return WindowPicker(rules.get("ner"))


@pytest.mark.parametrize("sentence, expected", [
    # the name and country marker before a title, from the start of the sentence
    ("稲田防衛大臣とカーター米国防長官（当時）は、日米防衛相会談を実施した。",
     ["稲田防衛大臣とカーター米国防長官（当時）は、"]),
    # a place before a place cue
    ("安倍内閣総理大臣は、イタリアのタオルミーナにおいて、トランプ米大統領との間で日米首脳会談を実施した。",
     ["安倍内閣総理大臣は、イタリアのタオルミーナにおいて、トランプ米大統領との間で日米"]),
    # a meeting date's place in brackets
    ("（１）日米防衛相会談（16（平成28）年9月16日（米国防省）及び同年12月7日（防衛省））",
     ["年9月16日（米国防省）及び同年12月7日（防衛省））"]),
    # no evidence: nothing to read
    ("わが国の防衛力の整備は着実に進められている。", []),
    ("両大臣は、地域情勢への認識を共有した。", []),
    ("16（同28）年9月の会談においては、北朝鮮の問題について議論した。", []),
])
def test_windows_cover_the_evidence(picker, sentence, expected):
    from pipeline.textnorm import NormText

    norm = NormText.of(sentence)
    got = [norm.raw_text(a, b) for a, b in picker.windows(norm.text)]
    assert got == expected


@pytest.mark.parametrize("cues, text, expected", [
    # overlapping and nearby windows merge; far ones stay apart
    ([{"pattern": "X", "before": 3, "after": 1}], "aaaXbbXccccccccccccccccccccXdd",
     [(0, 8), (24, 29)]),
    # a window start moves back to a break within `snap`
    ([{"pattern": "X", "before": 2, "after": 0}], "aaaa、bbX", [(5, 8)]),
    # no break near: the window starts exactly `before` characters back
    ([{"pattern": "X", "before": 2, "after": 0}], "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaX", [(33, 36)]),
])
def test_window_shapes(cues, text, expected):
    picker = WindowPicker(NerRules(cues=cues, snap=3, merge_gap=4, edge=2))
    assert picker.windows(text) == expected


def test_sentences_mode_reads_everything():
    picker = WindowPicker(NerRules(mode="sentences"))
    assert picker.windows("わが国の防衛力の整備。") == [(0, 11)]
    assert picker.windows("") == []


class FakeNer(NerModel):
    """Labels every occurrence of some strings, as GiNZA would label them, without a model."""

    LEXICON = {"カーター": "Person", "稲田": "Person", "米国防省": "Organization", "タオルミーナ": "City",
               "防衛大臣": "Position_Vocation"}

    def __init__(self, rules, **kw):
        super().__init__(rules, **kw)
        self.read: list[str] = []

    def spans(self, texts):
        self.read += texts
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


@pytest.mark.parametrize("text", [
    "稲田防衛大臣とカーター米国防長官（当時）は、会談を実施した。\n",
    "　稲田防衛大臣と　カーター米国防長官は、９月１６日（米国防省）に会談した。\n",  # full-width: folded lengths differ
    "前文。\n\n安倍内閣総理大臣は、イタリアのタオルミーナにおいて会談した。\n",
])
def test_entity_offsets_map_back_to_raw_text(rules, run_text, text):
    doc = run_text(text)
    ner = FakeNer(rules)
    entities = ner(doc).entities
    assert entities, "the fake model found nothing in the windows"
    for e in entities:
        assert doc.text[e.start:e.end] == e.text
        assert e.text in FakeNer.LEXICON
        sent = doc.sentence(e.sentence_id)
        assert sent.start <= e.start < e.end <= sent.end
    assert sum(map(len, ner.read)) < len(text)  # it read windows, not the whole text


def test_entities_cut_by_a_window_edge_are_dropped(rules):
    picker = WindowPicker(NerRules(cues=[{"pattern": "大臣", "before": 3, "after": 0}], snap=0, edge=2))
    # the window of "ああああカーター防衛大臣" is "ー防衛大臣": an entity at its cut start is partial
    window = picker.windows("ああああカーター防衛大臣")
    assert window == [(7, 12)]
    assert not picker.keep(window[0], 12, 0, 1)  # "ー": touches the cut start
    assert not picker.keep(window[0], 12, 1, 5)  # starts within `edge` (2) of the cut: may be partial
    assert picker.keep(window[0], 12, 2, 5)  # "衛大臣": far enough in, ends at the sentence's own end
    # a window that starts at the sentence start keeps an entity at offset 0 ...
    assert picker.keep((0, 6), 12, 0, 2)
    # ... and one that ends at a cut end (not the sentence end) is partial
    assert not picker.keep((0, 6), 12, 3, 6)


def test_cached_windows_skip_the_model(rules, run_text, tmp_path):
    doc = run_text("稲田防衛大臣とカーター米国防長官は、防衛省において会談した。\n", doc_id="2017/x")
    first = FakeNer(rules, cache_dir=tmp_path)
    a = first(doc).entities
    second = FakeNer(rules, cache_dir=tmp_path)
    b = second(doc).entities
    assert a == b and a
    assert first.read and second.read == []
    assert second._nlp is None  # the model was never loaded


@pytest.mark.parametrize("text", [
    "あ" * 50_000,  # 150,000 bytes, no break at all
    ("日米防衛相会談を実施した。" * 8000),  # breaks after 。
    "a" * 100 + "、" + "漢" * 30_000 + "\n" + "b" * 10,
    "",
])
def test_byte_chunks_cover_the_text_under_the_limit(text):
    chunks = byte_chunks(text)
    assert "".join(text[a:b] for a, b in chunks) == text
    assert all(0 < len(text[a:b].encode("utf-8")) <= MAX_BYTES for a, b in chunks)
    assert all(chunks[i][1] == chunks[i + 1][0] for i in range(len(chunks) - 1))


def test_ner_label_map_is_ginzas():
    from ginza.ene_ontonotes_mapper import ENE_ONTONOTES_MAPPING

    from pipeline.stages.ner import ontonotes_mapping

    assert ontonotes_mapping() == ENE_ONTONOTES_MAPPING
    assert ontonotes_mapping()["Person"] == "PERSON"
