"""A per-document cache of model results (MeCab tokens, GiNZA entities) under `.cache/`.

Layout: `<root>/<namespace>-<hash of version>/<hash of doc_id>.json`: one file per
document, holding `{content hash: value}` for the pieces (sentences, NER windows) its
last run used. The version string names everything that changes a result (model,
dictionary and library versions, chunking, output format), so a new model misses
everything, while a rules-only change finds every piece whose text is unchanged and
only the rule stages run again; a piece whose text changed is a miss and is recomputed.

Safety: a file is written to a temporary file in the same folder and `os.replace`d in,
so concurrent runs never see half a file (the last writer wins with a whole one). A
file that cannot be read or parsed, or whose checksum, format, version or doc_id does
not match, is ignored; an entry the caller's `valid` check rejects is recomputed.
The cache never makes a run fail: write errors are ignored.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any, Callable, Sequence

FORMAT = 1


def content_key(*parts: str) -> str:
    """A stable hash of some text (the key of one cached piece)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def stamped(fields: dict[str, str], payload: bytes) -> bytes:
    """A cache file: one JSON header line (format, `fields`, checksum), then the payload."""
    header = {"format": FORMAT, **fields, "crc32": zlib.crc32(payload)}
    return json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n" + payload


def unstamped(data: bytes, fields: dict[str, str]) -> bytes | None:
    """The payload of a cache file whose header carries this format, these `fields` and the payload's
    checksum; None when any differs (a header that is no JSON raises ValueError)."""
    head, _, payload = data.partition(b"\n")
    header = json.loads(head)
    if (not isinstance(header, dict) or header.get("format") != FORMAT or header.get("crc32") != zlib.crc32(payload)
            or any(header.get(k, "") != v for k, v in fields.items())):
        return None
    return payload


def versioned_folder(root: Path, namespace: str, version: str) -> Path:
    """The folder of one kind of cached value (`namespace`) made by one `version` of the code or model."""
    return Path(root) / f"{namespace}-{content_key(version)[:12]}"


class DocCache:
    """Cached values of one kind (`namespace`, `version`), one file per document."""

    def __init__(self, root: Path, namespace: str, version: str):
        self.root = Path(root)
        self.namespace = namespace
        self.version = version
        self.folder = versioned_folder(self.root, namespace, version)
        self.stats = {"hits": 0, "misses": 0, "bad_files": 0, "bad_entries": 0}

    def path(self, doc_id: str) -> Path:
        return self.folder / f"{content_key(doc_id)}.json"

    def load(self, doc_id: str) -> dict[str, Any]:
        """The stored entries of a document; {} when absent or unreadable in any way."""
        path = self.path(doc_id)
        try:
            data = path.read_bytes()
        except OSError:
            return {}
        try:
            payload = unstamped(data, {"version": self.version, "doc_id": doc_id})
            if payload is None:
                raise ValueError("header does not match")
            entries = json.loads(payload)
            if not isinstance(entries, dict):
                raise ValueError("payload is not a mapping")
            return entries
        except Exception:  # noqa: BLE001 - any damage means: recompute
            self.stats["bad_files"] += 1
            return {}

    def save(self, doc_id: str, entries: dict[str, Any]) -> None:
        """Replace a document's entries atomically; failures only cost a recomputation later."""
        payload = json.dumps(entries, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
        write_atomically(self.path(doc_id), stamped({"version": self.version, "doc_id": doc_id}, payload))


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a temp file beside `path`, then rename it over `path` (never a half file).

    A cache that cannot be written is no error: nothing is written and no temp file is left."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def memoized(cache: DocCache | None, doc_id: str, keys: Sequence[str],
             compute: Callable[[list[int]], list[Any]], valid: Callable[[Any], bool]) -> list[Any]:
    """Values for `keys` (one per piece), from the cache where a valid entry exists.

    `compute(indices)` computes the missing pieces in one batch (so a model sees them
    together) and returns their values in the same order. The document's cache file
    is rewritten only when something changed; it then holds exactly this run's pieces."""
    if cache is None:
        return compute(list(range(len(keys))))
    stored = cache.load(doc_id)
    values: list[Any] = [None] * len(keys)
    missing: list[int] = []
    for i, key in enumerate(keys):
        entry = stored.get(key)
        if entry is not None and valid(entry):
            values[i] = entry
            cache.stats["hits"] += 1
        else:
            if entry is not None:
                cache.stats["bad_entries"] += 1
            missing.append(i)
    cache.stats["misses"] += len(missing)
    if missing:
        for i, value in zip(missing, compute(missing)):
            values[i] = value
    fresh = dict(zip(keys, values))
    if missing or fresh.keys() != stored.keys():
        cache.save(doc_id, fresh)
    return values


# -- housekeeping: a bounded cache ------------------------------------------------------------
DEFAULT_MAX_BYTES = 1 << 30  # --cache-max-size default: 1 GiB
STALE_TMP_S = 3600  # a writer's temporary file older than this was left by a killed run


def touch(path: Path) -> None:
    """Mark a cache file as used now (its document is then the last to be evicted)."""
    try:
        os.utime(path)
    except OSError:
        pass


def _doc_key(name: str) -> str:
    """The document a cache file belongs to: its name up to the first dot (`<hash of doc_id>.s3`)."""
    return name.split(".", 1)[0]


def prune(root: Path, *, current: dict[str, str], run_docs: set[str] | None = None, source: str = "",
          max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, int]:
    """Keep the cache under `root` bounded; returns what was removed (files and bytes).

    - `current`: namespace -> the folder name of the current version (`stages-3f2a…`): the other folders
      of these namespaces hold results of old code or models, and go;
    - `run_docs` (hashes of doc_ids, `content_key(doc_id)`) and `source` (the raw folder): the documents
      that the previous run over the same source had and this one has not were deleted: their entries go
      (a document another source still lists stays);
    - then, while the cache is larger than `max_bytes`, the least recently used documents go (all their
      files, oldest use first; a document's use is the newest modification time of its files).
    Temporary files of killed writers are removed. Errors are ignored: a cache is never a reason to fail."""
    root = Path(root)
    removed = {"files": 0, "bytes": 0}

    def remove(path: Path, size: int) -> None:
        try:
            path.unlink()
        except OSError:
            return
        removed["files"] += 1
        removed["bytes"] += size

    try:
        folders = [p for p in root.iterdir() if p.is_dir()]
    except OSError:
        return removed
    for folder in folders:
        namespace = folder.name.rsplit("-", 1)[0]
        if namespace in current and folder.name != current[namespace]:
            shutil.rmtree(folder, ignore_errors=True)
    gone: set[str] = set()
    if run_docs is not None and source:
        gone = _deleted_documents(root, source, run_docs)
    now = time.time()
    groups: dict[str, list[tuple[Path, int, float]]] = {}
    for folder in (p for p in root.iterdir() if p.is_dir() and p.name.rsplit("-", 1)[0] in current):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                st = entry.stat()
            except OSError:
                continue
            path = Path(entry.path)
            if entry.name.startswith(".tmp-"):
                if now - st.st_mtime > STALE_TMP_S:
                    remove(path, st.st_size)
                continue
            if _doc_key(entry.name) in gone:
                remove(path, st.st_size)
                continue
            groups.setdefault(_doc_key(entry.name), []).append((path, st.st_size, st.st_mtime))
    total = sum(size for files in groups.values() for _, size, _ in files)
    for _, files in sorted(groups.items(), key=lambda kv: (max(m for _, _, m in kv[1]), kv[0])):
        if total <= max_bytes:
            break
        for path, size, _ in files:
            remove(path, size)
            total -= size
    return removed


def _deleted_documents(root: Path, source: str, run_docs: set[str]) -> set[str]:
    """The documents the last run over `source` had and this run has not (and no other source lists);
    this run's list is recorded for the next one (`<root>/sources/<hash of source>.json`)."""
    folder = root / "sources"
    path = folder / f"{content_key(source)}.json"
    try:
        before = set(json.loads(path.read_text(encoding="utf-8"))["docs"])
    except (OSError, ValueError, KeyError, TypeError):
        before = set()
    gone = before - run_docs
    if gone:
        for other in folder.glob("*.json"):
            if other != path:
                try:
                    gone -= set(json.loads(other.read_text(encoding="utf-8"))["docs"])
                except (OSError, ValueError, KeyError, TypeError):
                    continue
    payload = json.dumps({"source": source, "docs": sorted(run_docs)}, ensure_ascii=False).encode("utf-8")
    write_atomically(path, payload)
    return gone


def parse_size(text: str) -> int:
    """`--cache-max-size`: bytes, or a number with K, M, G or T (powers of 1024): 500M, 2G, 1.5G."""
    units = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    raw = text.strip().upper().removesuffix("IB").removesuffix("B")
    number, unit = (raw[:-1], raw[-1]) if raw[-1:] in units and raw[-1:] else (raw, "")
    try:
        value = float(number)
    except ValueError:
        value = -1.0
    if value < 0:
        raise ValueError(f"not a size: {text!r} (bytes, or a number with K, M, G: 500M, 2G)")
    return int(value * units[unit])
