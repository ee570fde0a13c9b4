"""The one adapter around spaCy/GiNZA (`ja_ginza`): raw NER mentions with raw offsets.

Only this module imports spaCy. The model is loaded once per process with only the
components NER needs (`tok2vec`, `ner`), numpy gemm instead of blis (faster on these
CPUs), and it only reads sentences whose text can feed a later stage (`wants`).
Input is chunked below SudachiPy's 49,149-byte limit.
"""
from __future__ import annotations

from dataclasses import replace

from ..document import Document, Entity, Sentence
from ..textnorm import NormText

MAX_BYTES = 40_000  # SudachiPy refuses more than 49,149 UTF-8 bytes per call
BATCH_SIZE = 64
KEEP_COMPONENTS = ("tok2vec", "ner")


def byte_chunks(text: str, limit: int = MAX_BYTES) -> list[tuple[int, int]]:
    """Spans of text whose UTF-8 size stays under `limit`, cut after punctuation where possible."""
    out, begin, size, last_break = [], 0, 0, None
    for i, c in enumerate(text):
        size += len(c.encode("utf-8"))
        if c in "、。,. \n」)":
            last_break = i + 1
        if size > limit:
            cut = last_break if last_break and last_break > begin else i
            out.append((begin, cut))
            begin, last_break = cut, None
            size = len(text[begin:i + 1].encode("utf-8"))
    if begin < len(text):
        out.append((begin, len(text)))
    return out


def wants(sentence_text: str) -> bool:
    """Whether a sentence can hold evidence the people/venue stages use: a katakana run, an
    office title (大臣/長官/大統領/首相...), or a place cue (において/で/訪問/の機会)."""
    folded = NormText.of(sentence_text).text
    katakana = sum(1 for c in folded if "\u30a1" <= c <= "\u30fa")
    cues = ("大臣", "長官", "大統領", "首相", "総理", "幕僚", "において", "訪問", "の機会", "で", "にある")
    return katakana >= 2 or any(c in folded for c in cues)


class NerModel:
    """ja_ginza loaded once; `__call__(doc)` adds `doc.entities`."""

    def __init__(self):
        import spacy
        from thinc.api import NumpyOps, set_current_ops

        set_current_ops(NumpyOps(use_blis=False))
        self.nlp = spacy.load("ja_ginza", exclude=[n for n in _pipe_names() if n not in KEEP_COMPONENTS])
        self.version = f"ja_ginza-{self.nlp.meta.get('version', '?')}"
        from ginza.ene_ontonotes_mapper import ENE_ONTONOTES_MAPPING

        self.mapping = ENE_ONTONOTES_MAPPING

    def spans(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        """(start, end, label) per text, offsets into each given text."""
        pieces: list[tuple[int, int, int]] = []  # (text index, start, end)
        for k, text in enumerate(texts):
            for a, b in byte_chunks(text):
                pieces.append((k, a, b))
        out: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        docs = self.nlp.pipe((texts[k][a:b] for k, a, b in pieces), batch_size=BATCH_SIZE)
        for (k, a, _), sdoc in zip(pieces, docs):
            out[k].extend((a + e.start_char, a + e.end_char, e.label_) for e in sdoc.ents)
        return out

    def sentence_entities(self, sentences: list[Sentence]) -> list[Entity]:
        norms = [NormText.of(s.text, s.start) for s in sentences]
        found = self.spans([n.text for n in norms])
        out: list[Entity] = []
        for sent, norm, spans in zip(sentences, norms, found):
            for a, b, label in spans:
                ra, rb = norm.raw_span(a, b)
                out.append(Entity(sent.sentence_id, ra, rb, norm.raw_text(a, b), label,
                                  self.mapping.get(label, "")))
        return out

    def __call__(self, doc: Document) -> Document:
        chosen = [s for s in doc.extractable_sentences() if wants(s.text)]
        return replace(doc, entities=tuple(self.sentence_entities(chosen)))


def _pipe_names() -> list[str]:
    """Component names of the installed ja_ginza package, read from its config without loading."""
    import spacy.util
    import ja_ginza

    from pathlib import Path

    path = Path(ja_ginza.__file__).parent
    candidates = [p for p in path.iterdir() if p.is_dir() and (p / "config.cfg").exists()]
    config = spacy.util.load_config(candidates[0] / "config.cfg") if candidates else {"nlp": {"pipeline": []}}
    return list(config["nlp"]["pipeline"])
