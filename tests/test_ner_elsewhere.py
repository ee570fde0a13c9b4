"""GiNZA loaded in a process of its own (a run of one document with a core to spare): the same
entities as the model of this process, and a failed process costs only the time to load here."""
from __future__ import annotations

from pipeline.ner import EntityModel

TEXTS = ["稲田防衛大臣は、マティス米国防長官と会談した。", "ワシントンにおいて会談した。", "同年5月、坂林防衛大臣が訪米した。"]


def test_the_model_process_reads_the_same_entities(ner_extractor, rules):
    here = ner_extractor.model.spans(TEXTS)
    assert any(here)  # the texts hold entities: the comparison below is not of empty lists
    elsewhere = EntityModel(rules.get("ner"))
    elsewhere.load_elsewhere()
    try:
        assert elsewhere.spans(TEXTS) == here
        assert elsewhere._elsewhere is not None and elsewhere._nlp is None  # read there, not loaded here
    finally:
        elsewhere._elsewhere.close()


def test_windows_handed_ahead_are_read_once_and_give_the_same_entities(ner_extractor, rules):
    from pipeline.document import Sentence
    from pipeline.textnorm import NormText

    model = EntityModel(rules.get("ner"))
    model.load_elsewhere()
    asks = [(Sentence(k + 1, 1, None, 0, len(t), t), NormText.of(t, 0), [(2, 6)]) for k, t in enumerate(TEXTS)]
    model.ahead(asks)
    sent = set(model._elsewhere.sent)
    assert sent  # handed over before anything waits for them
    windows = [n.text[a:b] for _, n, d in asks for a, b in model.picker.windows(n.text, d)]
    assert model.spans(windows) == ner_extractor.model.spans(windows)
    assert model._elsewhere.sent == sent  # the windows were not sent twice
    model._elsewhere.close()
    # closed in order: the thread that read its answers ended before the pipe closed under it
    assert not model._elsewhere.collector.is_alive() and model._elsewhere.conn.closed


def test_a_model_process_that_died_is_replaced_by_the_model_here(ner_extractor, rules):
    model = EntityModel(rules.get("ner"))
    model.load_elsewhere()
    process = model._elsewhere.process
    process.kill()
    process.join()
    assert model.spans(TEXTS) == ner_extractor.model.spans(TEXTS)
    assert model._elsewhere is None
