"""The one adapter around spaCy/GiNZA (`ja_ginza`): entities with raw offsets, read only where
the rules are in doubt.

GiNZA's NER is evidence, not truth, and it is the expensive step (~1-2k characters/s), so it
never reads whole documents. The people and venue stages read every sentence with their rules
first and name their DOUBTS: the few places where the model's answer could change a row (an
office title after a kanji run MeCab does not read as a name, a title only a person's name may
precede, a run before a place cue that no rule reads as a place). `EntityModel.read` widens each
doubt to a short window of its sentence (`before`/`after` characters, moved back to a natural
break within `snap`, merged when closer than `merge_gap`; `rules/ner.yaml`), runs the model on
those windows only, drops entities that touch a cut edge (the model saw only part of them) and
maps offsets back exactly: window -> folded sentence -> raw text. The stages then read those
sentences again with the entities as evidence. `mode: sentences` widens every doubt to its whole
sentence (the slow reference the windows are checked against).

The model is loaded once per process, lazily (a run whose windows are all cached never loads
it), with only the components NER needs (`tok2vec`, `ner`), numpy gemm instead of blis and one
BLAS thread per process (both about twice as fast on these CPUs; parallelism comes from worker
processes). Every window's result is cached by its text (`pipeline.cache`); input to the model
is chunked below SudachiPy's 49,149-byte limit.
"""
from __future__ import annotations

import json
import os
import sys
from collections import deque
from importlib import resources
from pathlib import Path
from typing import Callable, Literal

from .cache import DocCache, content_key, memoized
from .document import Document, Entity, Sentence, Token, TraceEvent
from .ruleset import Strict
from .textnorm import NormText

MAX_BYTES = 40_000  # SudachiPy refuses more than 49,149 UTF-8 bytes per call
BATCH_SIZE = 64  # small batches: same speed, a fraction of the memory of spaCy's default
KEEP_COMPONENTS = ("tok2vec", "ner")
AHEAD_EVERY = 200  # sentences read by the rules between two hand-overs of windows to the model's process
LABEL_MAP = "data/ginza_ene_ontonotes.json"
BREAKS = "、。,.!? \n「」『』()[]【】"


class NerRules(Strict):
    """How a doubt becomes the window the model reads: `mode: windows` (the default) reads
    `before`/`after` characters around it, `sentences` its whole sentence (the slow reference)."""

    mode: Literal["windows", "sentences"] = "windows"
    before: int = 12  # characters read before a doubt (a name or place before it, its marker)
    after: int = 4  # characters read after it (the title's end, a particle)
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
    """`windows(text, doubts)`: the spans of a folded sentence the model reads for those doubts."""

    def __init__(self, rules: NerRules):
        self.rules = rules

    def windows(self, text: str, doubts: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Sorted, merged (start, end) spans of `text` around the doubt spans; the whole text in
        `sentences` mode."""
        if not text or not doubts:
            return []
        if self.rules.mode == "sentences":
            return [(0, len(text))]
        r = self.rules
        spans = sorted((self._snap_left(text, max(0, a - r.before)), min(len(text), b + r.after)) for a, b in doubts)
        merged: list[tuple[int, int]] = []
        for a, b in spans:
            if merged and a - merged[-1][1] < r.merge_gap:
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


def load_model():
    """ja_ginza with only the components NER needs, numpy gemm and one BLAS thread."""
    if "numpy" not in sys.modules:  # one BLAS thread: parallelism comes from worker processes
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")
    import spacy
    from thinc.api import NumpyOps, set_current_ops

    set_current_ops(NumpyOps(use_blis=False))
    return spacy.load("ja_ginza", exclude=[n for n in _pipe_names() if n not in KEEP_COMPONENTS])


def read_spans(nlp, texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """(start, end, label) of the entities the model finds in each text, offsets into that text."""
    pieces: list[tuple[int, int, int]] = []  # (text index, start, end)
    for k, text in enumerate(texts):
        for a, b in byte_chunks(text):
            pieces.append((k, a, b))
    out: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    docs = nlp.pipe((texts[k][a:b] for k, a, b in pieces), batch_size=BATCH_SIZE)
    for (k, a, _), sdoc in zip(pieces, docs):
        out[k].extend((a + e.start_char, a + e.end_char, e.label_) for e in sdoc.ents)
    return out


class _ModelProcess:
    """GiNZA in a process of its own (spawned: nothing of this process is copied into it). Lists of
    window texts go to it through a pipe as soon as they are known (`send`); it answers each list
    in order, and a thread here collects the answers, so neither side ever waits on a full pipe."""

    def __init__(self):
        import multiprocessing
        import threading

        ctx = multiprocessing.get_context("spawn")
        self.conn, there = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(there,), daemon=True, name="hakusho-ginza")
        self.process.start()
        there.close()
        self.sent: set[str] = set()
        self.pending: deque[list[str]] = deque()  # lists sent and not answered yet, in order
        self.ready: dict[str, list[tuple[int, int, str]]] = {}
        self.alive = True
        self.changed = threading.Condition()
        self.collector = threading.Thread(target=self._collect, daemon=True, name="hakusho-ginza-answers")
        self.collector.start()

    def close(self) -> None:
        """Stop the process, then the thread that collects its answers, then close the pipe — in that
        order: the thread reads from the pipe, and the number of a closed pipe is soon another's (a pipe
        closed under it had it read the next model process's answers)."""
        self.process.kill()
        self.process.join()
        self.collector.join()  # the process is gone: its end of the pipe is closed, so the thread ends
        self.conn.close()

    def _collect(self) -> None:
        while True:
            try:
                answer = self.conn.recv()
            except (EOFError, OSError):
                break
            with self.changed:
                self.ready.update(zip(self.pending.popleft(), answer))
                self.changed.notify_all()
        with self.changed:
            self.alive = False
            self.changed.notify_all()

    def send(self, texts: list[str]) -> None:
        """Have the texts read (those not sent before)."""
        new = [t for t in dict.fromkeys(texts) if t not in self.sent]
        if not new or not self.alive:
            return
        self.sent.update(new)
        with self.changed:
            self.pending.append(new)
        try:
            self.conn.send(new)
        except (OSError, ValueError):
            with self.changed:
                self.alive = False

    def spans(self, texts: list[str]) -> list[list[tuple[int, int, str]]] | None:
        """The entities of every text (sending those not sent yet), or None when the process failed."""
        self.send(texts)
        with self.changed:
            self.changed.wait_for(lambda: not self.alive or all(t in self.ready for t in texts))
            if not all(t in self.ready for t in texts):
                self.process.kill()
                return None
            return [self.ready[t] for t in texts]


def _serve(conn) -> None:
    """The model's own process (`EntityModel.load_elsewhere`): load it, then answer every list of
    texts with their entities until the other end closes the pipe."""
    nlp = load_model()
    while True:
        try:
            texts = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(read_spans(nlp, texts))


def _valid_spans(value) -> bool:
    """A cached NER result: a list of [start, end, label]."""
    return isinstance(value, list) and all(
        isinstance(r, list) and len(r) == 3 and type(r[0]) is int and type(r[1]) is int and 0 <= r[0] < r[1]
        and isinstance(r[2], str) and r[2] for r in value)


class EntityModel:
    """ja_ginza, loaded on first use; `read(doc_id, asks)` gives the entities of the windows around
    the doubts the stages name. One per process, shared by the stages that ask."""

    def __init__(self, rules: NerRules, *, cache_dir: Path | None = None):
        import importlib.metadata as meta

        self.picker = WindowPicker(rules)
        versions = "+".join(f"{p}-{_version(meta, p)}" for p in ("ja-ginza", "ginza", "spacy", "thinc", "sudachipy",
                                                               "sudachidict-core", "numpy"))
        self.version = f"{versions}+{','.join(KEEP_COMPONENTS)}+numpyops+chunk{MAX_BYTES}+spans1"
        self.cache = DocCache(cache_dir, "ner", self.version) if cache_dir is not None else None
        self._nlp = None
        self._elsewhere: _ModelProcess | None = None  # the model's own process (`load_elsewhere`)
        self.mapping: dict[str, str] = ontonotes_mapping()

    @property
    def nlp(self):
        """The model, loaded on first use: a run whose windows are all cached never loads it."""
        if self._nlp is None:
            self._nlp = load_model()
        return self._nlp

    def load_elsewhere(self) -> None:
        """Load the model in a process of its own now, while this one runs the rule stages, and read
        there (`_ModelProcess`): a run of ONE document leaves the other core idle, and loading and
        reading are seconds of it. The entities are the same (the same model reads the same
        windows); if that process fails, the model is loaded here after all."""
        if self._nlp is None and self._elsewhere is None:
            self._elsewhere = _ModelProcess()

    def ahead(self, asks: list[tuple[Sentence, NormText, list[tuple[int, int]]]]) -> None:
        """Hand the windows of these doubts to the model's own process now (when it has one), so it
        reads them while this process goes on reading sentences by the rules."""
        if self._elsewhere is not None:
            self._elsewhere.send([norm.text[a:b] for _, norm, doubts in asks
                                  for a, b in self.picker.windows(norm.text, doubts)])

    def spans(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        """(start, end, label) per text, offsets into each given text."""
        if self._elsewhere is not None:
            found = self._elsewhere.spans(texts)
            if found is not None:
                return found
            self._elsewhere = None  # that process failed: load the model here
        return read_spans(self.nlp, texts)

    def _spans_once(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        """`spans`, reading a window text that repeats within the document once."""
        unique = list(dict.fromkeys(texts))
        by_text = dict(zip(unique, self.spans(unique)))
        return [by_text[t] for t in texts]

    def read(self, doc_id: str, asker: str,
             asks: list[tuple[Sentence, NormText, list[tuple[int, int]]]]) -> list[Entity]:
        """Entities, with raw offsets, of the windows around each sentence's doubts (folded spans of
        its `NormText`), in the order asked. Each asking stage keeps its own cache entry per document."""
        jobs: list[tuple[int, tuple[int, int]]] = []  # (ask index, window)
        for i, (_, norm, doubts) in enumerate(asks):
            jobs.extend((i, w) for w in self.picker.windows(norm.text, doubts))
        texts = [asks[i][1].text[a:b] for i, (a, b) in jobs]
        found = memoized(self.cache, f"{doc_id}#{asker}", [content_key(t) for t in texts],
                         lambda todo: self._spans_once([texts[j] for j in todo]), _valid_spans)
        out: list[Entity] = []
        for (i, window), text, spans in zip(jobs, texts, found):
            sent, norm, _ = asks[i]
            for a, b, label in spans:
                if b > len(text) or not self.picker.keep(window, len(norm.text), a, b):
                    continue
                ra, rb = norm.raw_span(window[0] + a, window[0] + b)
                out.append(Entity(sent.sentence_id, ra, rb, norm.raw_text(window[0] + a, window[0] + b), label,
                                  self.mapping.get(label, "")))
        return out


class SentenceView:
    """One sentence as a rule stage reads it: the folded text, its MeCab tokens, the model's evidence
    (folded spans of the entities the stage wants; none in a first reading) and the stage's trace."""

    def __init__(self, doc: Document, sent: Sentence, toks: tuple[Token, ...], entities: list[Entity],
                 trace: list[TraceEvent], stage: str):
        self.doc, self.sent, self.toks, self.trace, self.stage = doc, sent, toks, trace, stage
        self.norm = NormText.of(sent.text, sent.start)
        self.text = self.norm.text
        self.evidence = [f for e in entities if (f := self.norm.folded_span(e.start, e.end)) is not None and f[0] < f[1]]
        self._bounds: set[int] | None = None
        self._token_at: dict[int, Token] | None = None

    @property
    def bounds(self) -> set[int]:
        """Folded positions where a MeCab token starts or ends, and both ends of the text."""
        if self._bounds is None:
            edges = {t.start for t in self.toks} | {t.end for t in self.toks}
            self._bounds = self.norm.boundaries(edges) | {0, len(self.text)}
        return self._bounds

    def token_at(self, raw_start: int) -> Token | None:
        """The token that starts at a raw offset."""
        if self._token_at is None:
            self._token_at = {t.start: t for t in self.toks}
        return self._token_at.get(raw_start)

    def tokens_in(self, a: int, b: int) -> list[Token]:
        """The tokens inside folded [a, b)."""
        ra, rb = self.norm.raw_span(a, b)
        return [t for t in self.toks if ra <= t.start and t.end <= rb]

    def evidence_overlaps(self, a: int, b: int) -> bool:
        return any(x < b and a < y for x, y in self.evidence)

    def evidence_ends_in(self, a: int, b: int) -> bool:
        """An entity over [a, b) that stops inside it (a name, unlike 済南軍区司令官 tagged whole)."""
        return any(x < b and a < y <= b for x, y in self.evidence)

    def evidence_covers(self, a: int, b: int) -> bool:
        return any(x <= a and b <= y for x, y in self.evidence)

    def drop(self, rule_id: str, a: int, b: int, reason: str) -> None:
        """Trace a candidate over folded [a, b) as dropped."""
        ra, rb = self.norm.raw_span(a, b)
        self.trace.append(TraceEvent(self.stage, rule_id, ra, rb, self.doc.text[ra:rb], "dropped", reason))


def read_in_doubt(doc: Document, asker: str, model: EntityModel | None,
                  read_sentence: Callable[[SentenceView, list[tuple[int, int]] | None], list],
                  wanted: Callable[[Entity], bool]) -> tuple[list, list[TraceEvent], list[Entity]]:
    """The two readings of a rule stage that asks the model: every extractable sentence by the rules
    alone (`read_sentence(view, doubts)` appends to `doubts` the folded spans where evidence could
    change its result), then, for the sentences in doubt only, the model's entities (those `wanted`)
    and a second reading with them. Returns the candidates in sentence order, the trace of the
    reading kept for each sentence, and the entities the model gave."""
    by_sentence = doc.tokens_by_sentence()
    found: dict[int, tuple[list, list[TraceEvent]]] = {}
    asks = []
    sentences = list(doc.extractable_sentences())
    handed = 0  # asks handed to the model ahead of the second reading
    for k, sent in enumerate(sentences):
        view = SentenceView(doc, sent, by_sentence.get(sent.sentence_id, ()), [], [], asker)
        doubts: list[tuple[int, int]] | None = [] if model is not None else None
        found[sent.sentence_id] = (read_sentence(view, doubts), view.trace)
        if doubts:
            asks.append((sent, view.norm, doubts))
        if model is not None and k % AHEAD_EVERY == AHEAD_EVERY - 1 and handed < len(asks):
            model.ahead(asks[handed:])
            handed = len(asks)
    entities: list[Entity] = model.read(doc.doc_id, asker, asks) if asks else []
    evidence: dict[int, list[Entity]] = {}
    for e in entities:
        if wanted(e):
            evidence.setdefault(e.sentence_id, []).append(e)
    for sent, _, _ in asks:
        view = SentenceView(doc, sent, by_sentence.get(sent.sentence_id, ()), evidence.get(sent.sentence_id, []), [],
                            asker)
        found[sent.sentence_id] = (read_sentence(view, None), view.trace)
    cands: list = []
    trace: list[TraceEvent] = []
    for sent in sentences:
        cands += found[sent.sentence_id][0]
        trace += found[sent.sentence_id][1]
    return cands, trace, entities


def with_entities(doc: Document, entities: list[Entity]) -> tuple[Entity, ...]:
    """The document's entities with these added, in reading order."""
    return tuple(sorted(doc.entities + tuple(entities), key=lambda e: (e.start, e.end, e.label)))


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
