"""One run of the pipeline: raw files in, tables out.

`run(settings)` loads and validates the rules first (a broken rule stops the run
before `output/` is touched), extracts every document (in a process pool when
`jobs > 1`, one MeCab tagger and one GiNZA model per worker), isolates failures
per document, and writes all tables at once.
"""
from __future__ import annotations

import dataclasses
import sys
import threading
import time
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from .document import Document
from .errors import InputError, PipelineError, StageError
from .reader import doc_id_clashes, doc_id_of, list_raw, read_raw, unread_files
from .ruleset import RULES_NAMESPACE, Rules, load_rules
from .stagecache import raw_key
from .tables import DocTables, OutputFolder, render


@dataclass(frozen=True)
class Settings:
    raw: Path = Path("raw")
    rules: Path = Path("rules")
    out: Path = Path("output")
    jobs: int = 1
    ner: bool = True
    fail_fast: bool = False
    progress: bool = False
    cache: Path | None = Path(".cache")  # model results cache (pipeline/cache.py); None: no cache
    cache_max: int = 1 << 30  # bytes the cache may hold after a run (least recently used documents go first)
    executor: str = "local"  # local: a process pool of `jobs` workers; dask: the cluster at `scheduler`
    scheduler: str | None = None
    csv_bom: bool = False  # CSVs with a UTF-8 BOM (spreadsheets that guess the encoding)
    xlsx: bool = False  # also write the tables as one workbook (pipeline/workbook.py)
    layout: str = ""  # "plain" or "pdf": how every document is laid out (--layout); "": rules/layout.yaml decides


class Extractor:
    """All stages in the order their declarations give (`pipeline.stages.registry`), each built
    once per process when first needed (a run whose documents are cached builds no rule stage):
    `extract(doc)` runs them in order."""

    def __init__(self, rules: Rules, *, ner: bool = True, cache_dir: Path | None = None, model=None):
        from .stages import registry

        self.rules = rules
        self.cache_dir = cache_dir
        self.specs = registry()
        if ner and model is None:  # one GiNZA per process, asked by the stages that declare `model=True`
            from .ner import EntityModel

            model = EntityModel(rules.get("ner"), cache_dir=cache_dir)
        self.model = model if ner else None
        self._built: dict[str, object] = {}
        # the stages that make the text every other stage indexes (layout) run before the stage cache,
        # which is keyed by the text they give
        self.prelude = max((i + 1 for i, spec in enumerate(self.specs) if "text" in spec.assigns), default=0)
        self.stage_cache = None
        self.stage_keys: list[str] = []
        if cache_dir is not None:
            from .stagecache import StageCache, code_version

            self.stage_cache = StageCache(cache_dir, code_version())
            self.stage_keys = self._stage_keys()

    def stage(self, name: str):
        """The built stage `name` (built on first use)."""
        if name not in self._built:
            spec = next(s for s in self.specs if s.name == name)
            self._built[name] = spec.build(self.rules, self.cache_dir, self.model)
        return self._built[name]

    @property
    def stages(self) -> list[tuple[str, object]]:
        """(name, stage) of every stage in run order, all built."""
        return [(spec.name, self.stage(spec.name)) for spec in self.specs]

    def _stage_keys(self) -> list[str]:
        """Stage k's cache key: the chain of every stage up to k (name, rule content, model version)."""
        from .cache import content_key
        from .stagecache import rules_fingerprint

        read = {n for spec in self.specs for n in spec.rule_files}
        unread = tuple(n for n in self.rules.files if n not in read)  # e.g. ner.yaml with NER off
        key = content_key("pipeline", rules_fingerprint(self.rules, unread))
        keys = []
        for spec in self.specs:
            # what a stage's results depend on besides its rule files: its own model (MeCab's dictionary: a
            # `cached` stage, built here to say its version) or GiNZA's (a `model` stage: the shared model's
            # version, so that the stage need not be built; how it asks the model is in its rule files)
            version = (str(getattr(self.stage(spec.name), "version", "")) if spec.cached else
                       self.model.version if spec.model and self.model is not None else "")
            key = content_key(key, spec.name, rules_fingerprint(self.rules, spec.rule_files), version)
            keys.append(key)
        return keys

    @staticmethod
    def _run(name: str, stage, doc: Document) -> Document:
        try:
            return stage(doc)
        except StageError as err:  # e.g. a rule pattern that timed out: keep its reason only
            raise StageError(doc.doc_id, name, err.reason) from None
        except PipelineError as err:
            raise StageError(doc.doc_id, name, str(err)) from None
        except RecursionError:
            raise StageError(doc.doc_id, name, "input too deeply nested") from None
        except Exception as err:  # noqa: BLE001 - one document's failure must not stop the run
            raise StageError(doc.doc_id, name, f"{type(err).__name__}: {err}") from None

    def extract(self, doc: Document) -> Document:
        for spec in self.specs:
            doc = self._run(spec.name, self.stage(spec.name), doc)
        return doc

    def _step(self, name: str, doc: Document) -> Document:
        return self._run(name, self.stage(name), doc)

    def cache_folders(self) -> dict[str, str]:
        """Cache namespace -> the folder of the current code or model version (`pipeline.cache.prune`)."""
        out = {}
        if self.stage_cache is not None:
            out["stages"] = self.stage_cache.folder.name
            from .cache import versioned_folder

            out[RULES_NAMESPACE] = versioned_folder(self.cache_dir, RULES_NAMESPACE, self.stage_cache.version).name
            caches = [getattr(self.stage(spec.name), "cache", None) for spec in self.specs if spec.cached]
            for cache in caches + [getattr(self.model, "cache", None)]:
                if cache is not None:
                    out[cache.namespace] = cache.folder.name
        return out

    def is_cached(self, doc: Document) -> bool:
        """Whether the cache holds the document's rows for this document as read, these rules and this
        code (the layout is not run: the last stage's key covers its rules)."""
        return (self.stage_cache is not None and bool(self.stage_keys)
                and self.stage_cache.is_current(doc.doc_id, raw_key(doc), self.stage_keys[-1]))

    def _cache_view(self, doc: Document) -> Document | None:
        """The laid-out document the cache is keyed by; None without a cache or when the layout fails."""
        if self.stage_cache is None or not self.stage_keys:
            return None
        try:
            return self.laid_out(doc)
        except StageError:
            return None

    def laid_out(self, doc: Document) -> Document:
        """The document after the prelude (the layout stage): the text every cached stage is keyed by."""
        for spec in self.specs[:self.prelude]:
            doc = self._step(spec.name, doc)
        return doc

    @staticmethod
    def _with_text(doc: Document, tables: DocTables) -> DocTables:
        """The rows with the text they index when it is not the raw file's (`Document.text_file`)."""
        return replace(tables, text=doc.text, text_file=doc.text_file) if doc.text_file else tables

    def cached_tables(self, doc: Document) -> tuple[DocTables, tuple[str, ...]] | None:
        """The document's stored rows when nothing changed since they were made (no stage runs), else None.
        Only a document whose rows index a text of their own (`Document.text_file`) is laid out again,
        for that text."""
        if self.stage_cache is None or not self.stage_keys:
            return None
        hit = self.stage_cache.stored_tables(doc.doc_id, raw_key(doc), self.stage_keys[-1])
        if hit is None or not hit[0].text_file:
            return hit
        laid = self._cache_view(doc)
        return None if laid is None else (self._with_text(laid, hit[0]), hit[1])

    def extract_tables(self, doc: Document) -> tuple[DocTables, tuple[str, ...]]:
        """The document's CSV rows and the warnings about rows dropped as broken (`tables.render`).

        With a cache, `StageCache.extract_tables` wraps every stage call, the layout's included, from
        outside: it restores what is still valid for the document as read and runs only the rest. The
        text the rows index rides along when it is not the raw file's (`Document.text_file`)."""
        if self.stage_cache is None:
            for spec in self.specs:
                doc = self._step(spec.name, doc)
            tables, dropped = render(doc)
            return self._with_text(doc, tables), dropped
        steps = [(key, partial(self._step, spec.name)) for spec, key in zip(self.specs, self.stage_keys)]
        tables, dropped, done = self.stage_cache.extract_tables(doc, steps, raw_key(doc))
        if done is None and tables.text_file:  # stored rows (nothing ran): lay the text they index out again
            done = self.laid_out(doc)
        return (self._with_text(done, tables) if done is not None else tables), dropped


_WORKER: Extractor | None = None


def fewer_collections() -> None:
    """For a process of a run (the writer, a worker): it allocates millions of short-lived acyclic
    objects (tokens, rows), so cycles are collected less often (an archive's writer holds ~150,000
    rows of people and meetings: with the default thresholds, linking them took 50% longer)."""
    import gc

    gc.set_threshold(50_000, 50, 100)


def _init_worker(rules: Rules | str, ner: bool, cache_dir: str | None = None) -> None:
    """Build this process's Extractor; `rules` already loaded (inherited by forked workers) or a folder."""
    global _WORKER  # one Extractor per worker process
    loaded = rules if isinstance(rules, Rules) else load_rules(Path(rules))
    _WORKER = Extractor(loaded, ner=ner, cache_dir=Path(cache_dir) if cache_dir else None)
    fewer_collections()


Result = tuple[DocTables | None, tuple[str, str, str] | None, tuple[str, ...], str]


def _extract_path(path: str, raw_dir: str) -> Result:
    """Read and extract one file: (its CSV rows, failure row, warnings, error line); never raises."""
    assert _WORKER is not None
    return _extract_with(_WORKER, Path(path), Path(raw_dir))


def _extract_with(extractor: Extractor, path: Path, raw_dir: Path) -> Result:
    try:
        raw = read_raw(Path(path), Path(raw_dir))
    except InputError as err:
        rel = Path(path).relative_to(raw_dir).with_suffix("").as_posix()
        return None, (rel, "read", err.reason), (), str(err)
    return extract_document(extractor, raw.document(), str(path))


def extract_document(extractor: Extractor, doc: Document, path: str) -> Result:
    """One read document's Result (its CSV rows, or its failure row and error line); never raises."""
    try:
        tables, dropped = extractor.extract_tables(doc)
    except StageError as err:
        return None, (doc.doc_id, err.stage, err.reason), doc.warnings, f"{path}: stage {err.stage}: {err.reason}"
    return tables, None, doc.warnings + dropped, ""


def _read(path: Path, raw_dir: Path) -> Document | None:
    """The document of a raw file, or None when it cannot be read (the worker then reports why)."""
    try:
        raw = read_raw(path, raw_dir)
    except InputError:
        return None
    return raw.document()


def _cached(extractor: Extractor, path: Path, raw_dir: Path) -> Result:
    """A document's Result from the stage cache (computed here after all when its entry proves damaged)."""
    doc = _read(path, raw_dir)
    if doc is None:
        return _extract_with(extractor, path, raw_dir)
    hit = extractor.cached_tables(doc)
    if hit is None:
        return extract_document(extractor, doc, str(path))
    return hit[0], None, doc.warnings + hit[1], ""


def run(settings: Settings) -> int:
    """Run the pipeline; returns the process exit code (0 ok, 1 a document failed, 2 bad setup).

    Everything that can stop a run is checked before any extraction work and leaves the output
    as it was: the rules, the raw folder and its documents, and the output folder (`OutputFolder`:
    only an output of this tool is replaced, one run at a time, and it must be writable).
    Documents whose rows the cache holds for these rules and this code are taken from it here,
    without starting a worker; the others go to the executor (`pipeline.dispatch`: a local
    process pool, or a Dask cluster), and the tables are written as the rows come, in doc_id
    order, so memory stays bounded however many documents there are."""
    began = time.perf_counter()
    rules = load_rules(settings.rules, cache=settings.cache)  # raises RuleError before anything is written
    fewer_collections()
    for path in rules.ignored:
        print(f"warning: {path}: not a rule file, ignored", file=sys.stderr)
    raw_dir = Path(settings.raw)
    if not raw_dir.is_dir():
        raise InputError(str(raw_dir), "raw folder not found")
    paths, unread = list_raw(raw_dir), unread_files(raw_dir)
    if not paths:
        others = f" ({len(unread)} other files, which are not read)" if unread else ""
        raise InputError(str(raw_dir), f"no input documents: no *.txt, *.html, *.htm or *.pdf file in it{others}")
    for path in unread:
        print(f"warning: {path}: not read (only *.txt, *.html, *.htm and *.pdf files are)", file=sys.stderr)
    for path, first in doc_id_clashes(paths, raw_dir):
        print(f"warning: {path}: not read (its doc_id is {first}'s)", file=sys.stderr)
        paths.remove(path)
    if settings.layout:  # --layout: how every text file is laid out, as rules/layout.yaml's `mode` would say
        rules = with_layout_mode(rules, settings.layout)
    from .dispatch import executor_for

    paths = sorted(paths, key=lambda p: doc_id_of(p, raw_dir))  # the order the tables are written in
    with OutputFolder(settings.out) as target, executor_for(settings, rules, raw_dir, len(paths)) as executor:
        failures: list[tuple[str, str, str]] = []
        done = [0]
        progress = _progress(len(paths), settings.progress)
        stopped = [False]
        keys = Extractor(rules, ner=settings.ner, cache_dir=Path(settings.cache)) if settings.cache else None
        cached: dict[int, bool] = {}  # whether the cache holds a document's rows: then read when its turn comes

        def is_cached(i: int) -> bool:
            if i not in cached:
                cached[i] = keys is not None and (doc := _read(paths[i], raw_dir)) is not None and keys.is_cached(doc)
            return cached[i]

        # checked in order as the executor takes them, so the first document is at work after one check
        computed = executor.results(p for i, p in enumerate(paths) if not is_cached(i))
        pruning: list[threading.Thread] = []

        def prune_cache() -> None:  # bounded: old versions, deleted documents, size cap
            from .cache import content_key, prune

            prune(Path(settings.cache), current=keys.cache_folders(), source=str(raw_dir.resolve()),
                  run_docs={content_key(doc_id_of(p, raw_dir)) for p in paths}, max_bytes=settings.cache_max)

        def collected():
            for i in range(len(paths)):
                doc, failure, warnings, error = _cached(keys, paths[i], raw_dir) if is_cached(i) else next(computed)
                for message in warnings:
                    print(f"warning: {message}", file=sys.stderr)
                if error:
                    print(f"error: {error}", file=sys.stderr)
                progress.update(1)
                if failure is not None:
                    failures.append(failure)
                    if settings.fail_fast:
                        stopped[0] = True
                        return
                if doc is not None:
                    done[0] += 1
                    yield doc
            if keys is not None:  # every document is in: the cache is pruned while the writer links and writes
                pruning.append(threading.Thread(target=prune_cache, name="prune"))
                pruning[0].start()

        if settings.fail_fast:  # nothing is written before every document succeeded
            parts = list(collected())
            progress.close()
            if stopped[0]:
                print(f"stopped at the first failure (--fail-fast); {settings.out}/ left as it was",
                      file=sys.stderr)
                return 1
            counts = target.write_sorted(parts, failures, bom=settings.csv_bom, xlsx=settings.xlsx)
        else:
            counts = target.write_sorted(collected(), failures, bom=settings.csv_bom, xlsx=settings.xlsx)
            progress.close()
    for thread in pruning:
        thread.join()
    seconds = time.perf_counter() - began
    shown = ", ".join(f"{t} {counts[t]}" for t in ("sections", "blocks", "tokens", "dates", "people", "venues",
                                                     "clauses", "meetings"))
    unread_note = f"; {len(unread)} files not read" if unread else ""
    print(f"extracted {done[0]} of {len(paths)} documents into {settings.out}/: {shown}; "
          f"{len(failures)} failed{unread_note}; {seconds:.1f} s")
    return 1 if failures else 0


class _NoProgress:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def with_layout_mode(rules: Rules, mode: str) -> Rules:
    """The rules with rules/layout.yaml's `mode` set (`--layout plain|pdf`)."""
    layout = rules.files["layout"]
    files = {**rules.files, "layout": layout.model_copy(update={"mode": mode})}
    return dataclasses.replace(rules, files=files, fingerprint=f"{rules.fingerprint}+layout={mode}")


def _progress(total: int, enabled: bool):
    if not enabled:
        return _NoProgress()
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=sys.stderr)
