"""The one adapter around spaCy/GiNZA (`ja_ginza`): raw NER mentions with raw offsets.

Only this module imports spaCy, and only when a window is not cached. The model is
loaded once per process with only the components NER needs (`tok2vec`, `ner`), numpy
gemm instead of blis and one BLAS thread per process (both about twice as fast on these
CPUs; parallelism comes from worker processes). NER is still the expensive step
(~2k chars/s), so it does not read whole sentences: it reads short WINDOWS around the evidence the people and venue stages use — the text
before an office title (大臣, 長官, 大統領 ...), around a place cue (において, を訪問,
の機会 ...), after a meeting date's parenthesis — as listed in `rules/ner.yaml`.
Windows are cut from the folded sentence text, moved back to a natural break (、。 or a
bracket) where one is near, merged when they overlap or nearly touch, and entities that
touch a cut edge (not the sentence's own edge) are dropped, since the model saw only
part of them. Offsets map back exactly: window -> folded sentence -> raw text.
Every window's result is cached by its text (`pipeline.cache`); input to the model is
chunked below SudachiPy's 49,149-byte limit.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Literal

from ..cache import DocCache, content_key, memoized
from ..document import Document, Entity, Sentence
from ..ruleset import CompiledPattern, Regex, Rules, Strict
from ..textnorm import NormText
from . import stage

MAX_BYTES = 40_000  # SudachiPy refuses more than 49,149 UTF-8 bytes per call
BATCH_SIZE = 64  # small batches: same speed, a fraction of the memory of spaCy's default
KEEP_COMPONENTS = ("tok2vec", "ner")
LABEL_MAP = "data/ginza_ene_ontonotes.json"
BREAKS = "、。,.!? \n「」『』()[]【】"


class NerCue(Strict):
    """A pattern over the folded sentence whose surroundings NER must read:
    `before`/`after` characters on each side of the match."""

    pattern: Regex
    before: int = 30
    after: int = 4
    note: str = ""


class NerRules(Strict):
    """Where NER runs (`mode: windows`, the default, or `sentences` for every extractable
    sentence: the slow reference) and how windows are shaped."""

    mode: Literal["windows", "sentences"] = "windows"
    cues: tuple[NerCue, ...] = ()
    snap: int = 12  # look this many characters further back for a natural break
    merge_gap: int = 8  # windows closer than this are read as one
    edge: int = 2  # entities starting/ending this close to a cut edge are dropped




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


class WindowPicker:
    """Compiled cues: `windows(text)` gives the spans of a folded sentence NER must read."""

    def __init__(self, rules: NerRules):
        self.rules = rules
        self.cues = [(CompiledPattern.of(f"ner.cue{i}", c.pattern), c.before, c.after)
                     for i, c in enumerate(rules.cues)]

    def windows(self, text: str) -> list[tuple[int, int]]:
        """Sorted, merged (start, end) spans of `text`; the whole text in `sentences` mode."""
        if not text:
            return []
        if self.rules.mode == "sentences":
            return [(0, len(text))]
        spans = []
        for pattern, before, after in self.cues:
            for m in pattern.finditer(text):
                spans.append((self._snap_left(text, max(0, m.start() - before)), min(len(text), m.end() + after)))
        spans.sort()
        merged: list[tuple[int, int]] = []
        for a, b in spans:
            if merged and a - merged[-1][1] < self.rules.merge_gap:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        return merged

    def _snap_left(self, text: str, a: int) -> int:
        """Move a window start back to just after a break within `snap` characters."""
        if a == 0:
            return 0
        for k in range(a, max(0, a - self.rules.snap) - 1, -1):
            if k == 0 or text[k - 1] in BREAKS:
                return k
        return a

    def keep(self, window: tuple[int, int], length: int, a: int, b: int) -> bool:
        """Whether an entity [a, b) (window-relative) is whole: not touching a cut edge."""
        ws, we = window
        if ws > 0 and a < self.rules.edge:
            return False
        if we < length and b > (we - ws) - self.rules.edge:
            return False
        return True


def _valid_spans(value) -> bool:
    """A cached NER result: a list of [start, end, label]."""
    return isinstance(value, list) and all(
        isinstance(r, list) and len(r) == 3 and type(r[0]) is int and type(r[1]) is int and 0 <= r[0] < r[1]
        and isinstance(r[2], str) and r[2] for r in value)


@stage("ner", rules={"ner": NerRules}, requires=("sentences", "blocks"), assigns=("entities",), cached=True)
class NerModel:
    """ja_ginza loaded once; `__call__(doc)` adds `doc.entities` found in the chosen windows."""

    def __init__(self, rules: Rules, *, cache_dir: Path | None = None):
        import importlib.metadata as meta

        self.picker = WindowPicker(rules.get("ner"))
        versions = "+".join(f"{p}-{_version(meta, p)}" for p in ("ja-ginza", "ginza", "spacy", "thinc", "sudachipy",
                                                               "sudachidict-core", "numpy"))
        self.version = f"{versions}+{','.join(KEEP_COMPONENTS)}+numpyops+chunk{MAX_BYTES}+spans1"
        self.cache = DocCache(cache_dir, "ner", self.version) if cache_dir is not None else None
        self._nlp = None
        self.mapping: dict[str, str] = ontonotes_mapping()

    @property
    def nlp(self):
        """The model, loaded on first use: a run whose windows are all cached never loads it."""
        if self._nlp is None:
            if "numpy" not in sys.modules:  # one BLAS thread: parallelism comes from worker processes
                for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
                    os.environ.setdefault(var, "1")
            import spacy
            from thinc.api import NumpyOps, set_current_ops

            set_current_ops(NumpyOps(use_blis=False))
            self._nlp = spacy.load("ja_ginza", exclude=[n for n in _pipe_names() if n not in KEEP_COMPONENTS])
        return self._nlp

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

    def _spans_once(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        """`spans`, reading a window text that repeats within the document once."""
        unique = list(dict.fromkeys(texts))
        by_text = dict(zip(unique, self.spans(unique)))
        return [by_text[t] for t in texts]

    def sentence_entities(self, sentences: list[Sentence], doc_id: str = "") -> list[Entity]:
        """Entities of the windows of these sentences, with raw offsets, in reading order."""
        norms = [NormText.of(s.text, s.start) for s in sentences]
        jobs: list[tuple[int, tuple[int, int]]] = []  # (sentence index, window)
        for i, norm in enumerate(norms):
            jobs.extend((i, w) for w in self.picker.windows(norm.text))
        texts = [norms[i].text[a:b] for i, (a, b) in jobs]
        found = memoized(self.cache, doc_id, [content_key(t) for t in texts],
                         lambda todo: self._spans_once([texts[j] for j in todo]), _valid_spans)
        out: list[Entity] = []
        for (i, window), text, spans in zip(jobs, texts, found):
            sent, norm = sentences[i], norms[i]
            for a, b, label in spans:
                if b > len(text) or not self.picker.keep(window, len(norm.text), a, b):
                    continue
                ra, rb = norm.raw_span(window[0] + a, window[0] + b)
                out.append(Entity(sent.sentence_id, ra, rb, norm.raw_text(window[0] + a, window[0] + b), label,
                                  self.mapping.get(label, "")))
        return out

    def __call__(self, doc: Document) -> Document:
        chosen = list(doc.extractable_sentences())
        return replace(doc, entities=tuple(self.sentence_entities(chosen, doc.doc_id)))


def _version(meta, package: str) -> str:
    try:
        return meta.version(package)
    except meta.PackageNotFoundError:
        return "none"


def ontonotes_mapping() -> dict[str, str]:
    """GiNZA's Sekine -> OntoNotes label map (`ginza.ene_ontonotes_mapper`, GiNZA 5.3, MIT licence),
    shipped as data: importing it from GiNZA would import spaCy, which a fully cached run never needs."""
    text = resources.files("pipeline").joinpath(LABEL_MAP).read_text(encoding="utf-8")
    return json.loads(text)


def _pipe_names() -> list[str]:
    """Component names of the installed ja_ginza package, read from its config without loading."""
    import spacy.util
    import ja_ginza

    path = Path(ja_ginza.__file__).parent
    candidates = [p for p in path.iterdir() if p.is_dir() and (p / "config.cfg").exists()]
    config = spacy.util.load_config(candidates[0] / "config.cfg") if candidates else {"nlp": {"pipeline": []}}
    return list(config["nlp"]["pipeline"])
