"""Where the documents of a run are extracted: in this process, in a local process pool, or on a
Dask distributed cluster (`--executor dask --scheduler ADDRESS`).

Every executor has one method, `results(paths)`: the `run.Result` of each path, in the order
given, as they come. At most a few documents per worker are in flight at any time, so a run
of thousands of documents holds only those rows in memory (the tables are written as the
rows arrive). Each worker builds one `run.Extractor` (one MeCab tagger and one GiNZA model)
and keeps it for every document it is given; workers return CSV rows, as a local worker does,
so the tables are the same whichever executor made them.

Dask: the client reads each raw file and sends its text (workers need not see `raw/`); the
rules go to every worker once. A worker's cache is `--cache` as seen on the worker's machine
(a shared folder, or each machine's own). Workers must run the same version of this package.
"""
from __future__ import annotations

import threading
from collections import deque
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .document import Document
from .errors import InputError, UsageError
from .reader import doc_id_of, read_raw
from .ruleset import Rules

IN_FLIGHT_PER_WORKER = 4  # documents submitted ahead of the one being written, per worker
CONNECT_TIMEOUT = "20s"  # how long the client tries to reach the Dask scheduler


def in_order(submit: Callable[[Path], object], wait: Callable[[object], object], paths: Iterable[Path],
             window: int) -> Iterator:
    """The results of `submit(path)` (a future, resolved by `wait`) in the order of `paths`, with at
    most `window` futures pending."""
    pending: deque = deque()
    for path in paths:
        pending.append(submit(path))
        if len(pending) >= window:
            yield wait(pending.popleft())
    while pending:
        yield wait(pending.popleft())


class Serial:
    """Every document in this process, one after the other. With a core to spare (`--jobs 2` and one
    document: an edition saved as one file), GiNZA loads in a process of its own while this one runs
    the rule stages (`EntityModel.load_elsewhere`)."""

    def __init__(self, rules: Rules, ner: bool, cache: str | None, raw_dir: Path, *, spare_core: bool = False):
        from .run import _init_worker

        _init_worker(rules, ner, cache)
        self.raw_dir = raw_dir
        self.spare_core = spare_core

    def results(self, paths: Iterable[Path]) -> Iterator:
        from . import run

        for i, p in enumerate(paths):
            if i == 0 and self.spare_core and run._WORKER is not None and run._WORKER.model is not None:
                run._WORKER.model.load_elsewhere()  # a document to extract after all: the model loads meanwhile
            yield run._extract_path(str(p), str(self.raw_dir))


class LocalPool:
    """A process pool of `jobs` workers on this machine (the default)."""

    def __init__(self, pool, raw_dir: Path, jobs: int):
        self.pool, self.raw_dir, self.jobs = pool, raw_dir, jobs

    def results(self, paths: Iterable[Path]) -> Iterator:
        from .run import _extract_path

        return in_order(lambda p: self.pool.submit(_extract_path, str(p), str(self.raw_dir)),
                        lambda fut: fut.result(), paths, self.jobs * IN_FLIGHT_PER_WORKER)


class DaskCluster:
    """The workers of a Dask distributed cluster (`distributed.Client(scheduler)`)."""

    def __init__(self, client, rules: Rules, ner: bool, cache: str | None, raw_dir: Path):
        self.client, self.raw_dir, self.ner, self.cache = client, raw_dir, ner, cache
        self.rules = client.scatter(rules, broadcast=True)  # sent to every worker once
        workers = max(1, sum(client.nthreads().values()))
        self.window = workers * IN_FLIGHT_PER_WORKER

    def _submit(self, path: Path):
        try:
            raw = read_raw(path, self.raw_dir)
        except InputError as err:
            rel = doc_id_of(path, self.raw_dir)
            return None, (rel, "read", err.reason), (), str(err)
        doc = Document(raw.doc_id, raw.edition, raw.text, raw.encoding, warnings=raw.warnings)
        return self.client.submit(dask_task, doc, str(path), self.rules, self.ner, self.cache, pure=False)

    def results(self, paths: Iterable[Path]) -> Iterator:
        return in_order(self._submit, lambda f: f if isinstance(f, tuple) else f.result(), paths, self.window)


_LOCAL = threading.local()  # a Dask worker thread's Extractor, kept for every document it is given


def dask_task(doc: Document, path: str, rules: Rules, ner: bool, cache: str | None):
    """Runs on a Dask worker: the document's Result, from this worker thread's own Extractor."""
    from .run import Extractor, extract_document

    key = (rules.fingerprint, ner, cache)
    if getattr(_LOCAL, "key", None) != key:
        _LOCAL.key = key
        _LOCAL.extractor = Extractor(rules, ner=ner, cache_dir=Path(cache) if cache else None)
    return extract_document(_LOCAL.extractor, doc, path)


@contextmanager
def executor_for(settings, rules: Rules, raw_dir: Path, n_docs: int):
    """The executor a run's settings ask for; closed (workers stopped, pending work cancelled) on exit."""
    cache = str(settings.cache) if settings.cache is not None else None
    if settings.executor == "dask":
        try:
            from distributed import Client
        except ImportError:
            raise UsageError("--executor dask needs the dask[distributed] package (pip install 'dask[distributed]')"
                             ) from None
        if not settings.scheduler:
            raise UsageError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
        try:
            client = Client(settings.scheduler, timeout=CONNECT_TIMEOUT)
        except OSError as err:
            raise UsageError(f"--scheduler {settings.scheduler}: cannot connect ({err})") from None
        try:
            yield DaskCluster(client, rules, settings.ner, cache, raw_dir)
        finally:
            client.close()
        return
    if settings.jobs <= 1 or n_docs <= 1:
        yield Serial(rules, settings.ner, cache, raw_dir, spare_core=settings.jobs > 1)
        return
    from concurrent.futures import ProcessPoolExecutor

    from .run import _init_worker

    pool = ProcessPoolExecutor(max_workers=min(settings.jobs, n_docs), initializer=_init_worker,
                               initargs=(rules, settings.ner, cache))
    try:
        yield LocalPool(pool, raw_dir, settings.jobs)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
