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
import tempfile
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


class DocCache:
    """Cached values of one kind (`namespace`, `version`), one file per document."""

    def __init__(self, root: Path, namespace: str, version: str):
        self.root = Path(root)
        self.namespace = namespace
        self.version = version
        self.folder = self.root / f"{namespace}-{content_key(version)[:12]}"
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
