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
from dataclasses import dataclass, replace
from pathlib import Path

from .document import Document
from .errors import InputError, PipelineError, StageError
from .reader import list_raw, read_raw, unread_files
from .ruleset import Rules, load_rules
from .tables import DocTables, OutputFolder, doc_tables, drop_broken_rows

# the rule files each stage reads (rules.get); a rule file listed for no stage counts for all of them
STAGE_RULE_FILES: dict[str, tuple[str, ...]] = {
    "segment": ("blocks", "headings"), "tokenize": (), "ner": ("ner",), "dates": ("dates",),
    "people": ("people", "persons"), "venues": ("venues", "people"), "meetings": ("meetings", "people", "venues"),
    "clauses": ("clauses",)}


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


class _ReadLog:
    """The rules as one stage sees them while it is built: records the files it reads (`get`),
    so the stage cache keys follow what the code really reads, not only STAGE_RULE_FILES."""

    def __init__(self, rules: Rules, read: set[str]):
        self._rules, self._read = rules, read

    def get(self, name: str):
        self._read.add(name)
        return self._rules.get(name)

    def __getattr__(self, attr: str):
        return getattr(self._rules, attr)


class Extractor:
    """All stages, built once per process: `extract(doc)` runs them in order."""

    def __init__(self, rules: Rules, *, ner: bool = True, cache_dir: Path | None = None):
        from .stages.clauses import ClauseStage
        from .stages.dates import DateStage
        from .stages.meetings import MeetingStage
        from .stages.people import PeopleStage
        from .stages.segment import Segmenter
        from .stages.tokenize import Tokenizer
        from .stages.venues import VenueStage

        self.rules = rules
        self.reads: dict[str, set[str]] = {}  # stage -> the rule files it read while being built

        def log(name: str) -> _ReadLog:
            return _ReadLog(rules, self.reads.setdefault(name, set()))

        stages = [("segment", Segmenter(log("segment"))), ("tokenize", Tokenizer(cache_dir=cache_dir))]
        if ner:
            from .stages.ner import NerModel

            stages.append(("ner", NerModel(log("ner"), cache_dir=cache_dir)))
        stages += [("dates", DateStage(log("dates"))), ("people", PeopleStage(log("people"))),
                   ("venues", VenueStage(log("venues"))), ("meetings", MeetingStage(log("meetings"))),
                   ("clauses", ClauseStage(log("clauses")))]
        self.stages = stages
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

        def reads(name: str) -> tuple[str, ...]:  # declared and observed; an unknown stage reads everything
            return tuple(sorted(set(STAGE_RULE_FILES.get(name, tuple(self.rules.files))) | self.reads.get(name, set())))

        read = {n for name, _ in self.stages for n in reads(name)}
        key = content_key("pipeline", rules_fingerprint(self.rules, tuple(n for n in self.rules.files if n not in read)))
        keys = []
        for name, stage in self.stages:
            key = content_key(key, name, rules_fingerprint(self.rules, reads(name)), str(getattr(stage, "version", "")))
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
        """The document's CSV rows and the warnings about rows dropped as broken.

        With a cache: the finished rows when no stage's key changed, else the stages whose
        keys still match are restored from their stored outputs and only the rest run."""
        cache = self.stage_cache
        if cache is None:
            out, dropped = drop_broken_rows(self.extract(doc))
            return doc_tables(out), dropped
        from .stagecache import delta, doc_content_key
        from .tables import TABLES, document_text, table_text

        content, final = doc_content_key(doc), self.stage_keys[-1]
        stored = cache.load(doc.doc_id, "tables", content)
        if not (isinstance(stored, dict) and isinstance(stored.get("tables"), dict)
                and isinstance(stored.get("dropped"), tuple) and isinstance(stored.get("document"), str)):
            stored = {"final": None, "tables": {}, "dropped": (), "document": ""}
        old = stored["tables"]
        if stored["final"] == final and all(isinstance(old.get(t), tuple) and len(old[t]) == 3 for t in TABLES):
            cache.stats["tables_hits"] += 1
            return DocTables(doc.doc_id, {t: old[t][1] for t in TABLES}, {t: old[t][2] for t in TABLES},
                             stored["document"]), stored["dropped"]
        producer: dict[str, str] = {}  # Document field -> key of the stage that last changed it
        restored = 0
        for i, key in enumerate(self.stage_keys):
            change = cache.load(doc.doc_id, f"s{i}", content, key)
            if not isinstance(change, dict):
                break
            try:
                doc = replace(doc, **change)
            except Exception:  # noqa: BLE001 - a damaged entry: run this stage and the rest
                break
            producer.update(dict.fromkeys(change, key))
            restored += 1
        cache.stats["stage_hits"] += restored
        for i in range(restored, len(self.stages)):
            (name, stage), key = self.stages[i], self.stage_keys[i]
            before = doc
            doc = self._run(name, stage, doc)
            change = delta(before, doc)
            cache.save(doc.doc_id, f"s{i}", content, change, key)
            producer.update(dict.fromkeys(change, key))
            cache.stats["stage_runs"] += 1
        out, dropped = drop_broken_rows(doc)  # a stage bug must not write rows that break the offsets
        texts, counts, entries = {}, {}, {}
        for table, (attr, _) in TABLES.items():
            key = producer.get(attr, "input") if not dropped else None
            hit = old.get(table)
            if key is not None and isinstance(hit, tuple) and len(hit) == 3 and hit[0] == key:
                texts[table], counts[table] = hit[1], hit[2]
            else:
                texts[table], counts[table] = table_text(out, table)
            entries[table] = (key, texts[table], counts[table])
        tables = DocTables(doc.doc_id, texts, counts, document_text(out))
        cache.save(doc.doc_id, "tables", content, {"final": final, "tables": entries, "dropped": dropped,
                                                   "document": tables.document})
        return tables, dropped


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
        counts = target.write(docs, failures)
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
