"""One run of the pipeline: raw files in, tables out.

`run(settings)` loads and validates the rules first (a broken rule stops the run
before `output/` is touched), extracts every document (in a process pool when
`jobs > 1`, one MeCab tagger and one GiNZA model per worker), isolates failures
per document, and writes all tables at once.
"""
from __future__ import annotations

import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .document import Document
from .errors import InputError, PipelineError, StageError
from .reader import list_raw, read_raw, unread_files
from .ruleset import Rules, load_rules
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
    csv_bom: bool = False  # CSVs with a UTF-8 BOM (spreadsheets that guess the encoding)
    xlsx: bool = False  # also write the tables as one workbook (pipeline/workbook.py)


class Extractor:
    """All stages, built once per process in the order their declarations give
    (`pipeline.stages.registry`): `extract(doc)` runs them in order."""

    def __init__(self, rules: Rules, *, ner: bool = True, cache_dir: Path | None = None, model=None):
        from .stages import registry

        self.rules = rules
        self.specs = registry()
        if ner and model is None:  # one GiNZA per process, asked by the stages that declare `model=True`
            from .ner import EntityModel

            model = EntityModel(rules.get("ner"), cache_dir=cache_dir)
        model = model if ner else None
        self.stages = [(spec.name, spec.build(rules, cache_dir, model)) for spec in self.specs]
        self.stage_cache = None
        self.stage_keys: list[str] = []
        if cache_dir is not None:
            from .stagecache import StageCache, code_version

            self.stage_cache = StageCache(cache_dir, code_version())
            self.stage_keys = self._stage_keys()

    def _stage_keys(self) -> list[str]:
        """Stage k's cache key: the chain of every stage up to k (name, rule content, model version)."""
        from .cache import content_key
        from .stagecache import rules_fingerprint

        read = {n for spec in self.specs for n in spec.rule_files}
        unread = tuple(n for n in self.rules.files if n not in read)  # e.g. ner.yaml with NER off
        key = content_key("pipeline", rules_fingerprint(self.rules, unread))
        keys = []
        for spec, (name, stage) in zip(self.specs, self.stages):
            key = content_key(key, name, rules_fingerprint(self.rules, spec.rule_files),
                              str(getattr(stage, "version", "")))
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
        for name, stage in self.stages:
            doc = self._run(name, stage, doc)
        return doc

    def extract_tables(self, doc: Document) -> tuple[DocTables, tuple[str, ...]]:
        """The document's CSV rows and the warnings about rows dropped as broken (`tables.render`).

        With a cache, `StageCache.extract_tables` wraps the stage calls from outside: it
        restores what is still valid and runs only the rest."""
        if self.stage_cache is None:
            return render(self.extract(doc))
        steps = [(key, partial(self._run, name, stage)) for (name, stage), key in zip(self.stages, self.stage_keys)]
        return self.stage_cache.extract_tables(doc, steps)


_WORKER: Extractor | None = None


def _init_worker(rules: Rules | str, ner: bool, cache_dir: str | None = None) -> None:
    """Build this process's Extractor; `rules` already loaded (inherited by forked workers) or a folder."""
    global _WORKER  # one Extractor per worker process
    import gc

    # a run allocates millions of short-lived acyclic objects (tokens, rows): collect cycles less often
    gc.set_threshold(50_000, 50, 100)
    loaded = rules if isinstance(rules, Rules) else load_rules(Path(rules))
    _WORKER = Extractor(loaded, ner=ner, cache_dir=Path(cache_dir) if cache_dir else None)


Result = tuple[DocTables | None, tuple[str, str, str] | None, tuple[str, ...], str]


def _extract_path(path: str, raw_dir: str) -> Result:
    """Read and extract one file: (its CSV rows, failure row, warnings, error line); never raises."""
    assert _WORKER is not None
    try:
        raw = read_raw(Path(path), Path(raw_dir))
    except InputError as err:
        rel = Path(path).relative_to(raw_dir).with_suffix("").as_posix()
        return None, (rel, "read", err.reason), (), str(err)
    doc = Document(raw.doc_id, raw.edition, raw.text, raw.encoding, warnings=raw.warnings)
    try:
        tables, dropped = _WORKER.extract_tables(doc)
    except StageError as err:
        return None, (raw.doc_id, err.stage, err.reason), raw.warnings, f"{path}: stage {err.stage}: {err.reason}"
    return tables, None, raw.warnings + dropped, ""


def run(settings: Settings) -> int:
    """Run the pipeline; returns the process exit code (0 ok, 1 a document failed, 2 bad setup).

    Everything that can stop a run is checked before any extraction work and leaves the output
    as it was: the rules, the raw folder and its documents, and the output folder (`OutputFolder`:
    only an output of this tool is replaced, one run at a time, and it must be writable)."""
    began = time.perf_counter()
    rules = load_rules(settings.rules)  # raises RuleError before anything is written
    for path in rules.ignored:
        print(f"warning: {path}: not a rule file, ignored", file=sys.stderr)
    raw_dir = Path(settings.raw)
    if not raw_dir.is_dir():
        raise InputError(str(raw_dir), "raw folder not found")
    paths, unread = list_raw(raw_dir), unread_files(raw_dir)
    if not paths:
        others = f" ({len(unread)} other files, which are not read)" if unread else ""
        raise InputError(str(raw_dir), f"no input documents: no *.txt file in it{others}")
    if unread:
        shown = ", ".join(str(p) for p in unread[:5]) + (f" and {len(unread) - 5} more" if len(unread) > 5 else "")
        print(f"warning: {len(unread)} files in {raw_dir}/ are not read (only *.txt files are): {shown}",
              file=sys.stderr)
    with OutputFolder(settings.out) as target:  # raises OutputError before any work
        docs: list[DocTables] = []
        failures: list[tuple[str, str, str]] = []
        progress = _progress(len(paths), settings.progress)
        cache_arg = str(settings.cache) if settings.cache is not None else None

        def collect(result: Result) -> bool:
            doc, failure, warnings, error = result
            for message in warnings:
                print(f"warning: {message}", file=sys.stderr)
            if error:
                print(f"error: {error}", file=sys.stderr)
            if doc is not None:
                docs.append(doc)
            if failure is not None:
                failures.append(failure)
            progress.update(1)
            return failure is not None and settings.fail_fast

        if settings.jobs <= 1 or len(paths) <= 1:
            _init_worker(rules, settings.ner, cache_arg)
            for p in paths:
                if collect(_extract_path(str(p), str(raw_dir))):
                    break
        else:
            with ProcessPoolExecutor(max_workers=min(settings.jobs, len(paths)), initializer=_init_worker,
                                     initargs=(rules, settings.ner, cache_arg)) as pool:
                futures = [pool.submit(_extract_path, str(p), str(raw_dir)) for p in paths]
                for fut in futures:
                    if collect(fut.result()):
                        for f in futures:
                            f.cancel()
                        break
        progress.close()
        if settings.fail_fast and failures:
            print(f"stopped at the first failure (--fail-fast); {settings.out}/ left as it was", file=sys.stderr)
            return 1
        counts = target.write(docs, failures, bom=settings.csv_bom, xlsx=settings.xlsx)
    seconds = time.perf_counter() - began
    shown = ", ".join(f"{t} {counts[t]}" for t in ("sections", "blocks", "tokens", "dates", "people", "venues",
                                                     "clauses", "meetings"))
    unread_note = f"; {len(unread)} files not read" if unread else ""
    print(f"extracted {len(docs)} of {len(paths)} documents into {settings.out}/: {shown}; "
          f"{len(failures)} failed{unread_note}; {seconds:.1f} s")
    return 1 if failures else 0


class _NoProgress:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, enabled: bool):
    if not enabled:
        return _NoProgress()
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=sys.stderr)
