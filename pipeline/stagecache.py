"""A per-document cache of stage outputs and finished table rows, for instant rule-tuning re-runs.

Every stage gets a key that chains, in pipeline order, the code version (a hash of the
`pipeline/` sources), the stage's name and what it depends on: the *validated content*
of the rule files it reads (so a comment or a reformatting changes nothing) and, for
the model stages, the model and dictionary versions. Stage k's key covers stages 0..k,
so a change in clauses.yaml (the last stage) re-runs only the clause stage, a change in
dates.yaml re-runs dates and every stage after it, and an edit that leaves every
validated rule equal re-runs nothing: the document's finished CSV rows are reused.

Per document (keyed by a hash of its doc_id) these files live under
`<root>/stages-<code version>/`, each stamped with the hash of the document as read (`raw_key`):
- `<hash>.s<i>`: the fields stage i (the layout is stage 0) changed, its delta, under stage i's key, so the longest
  matching prefix of stages is restored and only the stages after it run (and are written); the
  last stage's delta is not written (what it made is in the rows, and the last stage is cheap to run again);
- `<hash>.tables`: the document's finished CSV rows per table, each under the key of the
  stage that last changed the table's field (a clause change re-formats only clauses.csv),
  and the last stage's key (when it matches, nothing runs at all).

Safety as in `pipeline.cache`: files are written to a temporary file and `os.replace`d in
(concurrent runs never see half a file); a file that cannot be read, fails its checksum
or does not match the format/version/doc_id/content is ignored and recomputed; write
errors are ignored. Values are pickled (they are the pipeline's own frozen dataclasses;
the cache is a local folder of the user's own runs).
"""
from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, Callable

from .cache import content_key, stamped, touch, unstamped, versioned_folder, write_atomically
from .document import Document, Token
from .tables import TABLES, DocTables, render


def code_version() -> str:
    """A hash of every source and data file of the `pipeline` package (any change misses the cache)."""
    root = Path(__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".json")):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def rules_fingerprint(rules: Any, names: tuple[str, ...]) -> str:
    """A hash of the validated content of the named rule files (comments and layout do not count)."""
    parts = []
    for name in sorted(names):
        model = rules.files.get(name)
        parts.append(f"{name}={model.model_dump_json() if model is not None else '<missing>'}")
    return content_key(*parts)


def doc_content_key(doc: Document) -> str:
    """A hash of everything a document brings into the first stage."""
    return content_key(doc.doc_id, doc.edition, doc.text, doc.encoding, doc.source, doc.layout, doc.layout_note,
                       doc.text_file, *doc.warnings)


def raw_key(doc: Document) -> str:
    """A hash of a document as read, before the prelude (layout): with the last stage's key (which
    covers the layout's rules and the code) it decides the laid-out text, so a document whose rows
    are stored is found without laying it out again."""
    return content_key("raw", doc_content_key(doc), doc.layout_request)


def delta(before: Document, after: Document) -> dict[str, Any]:
    """The fields a stage replaced (stages return `dataclasses.replace(doc, ...)`)."""
    out = {}
    for f in fields(Document):
        new = getattr(after, f.name)
        if new is not getattr(before, f.name):
            out[f.name] = new
    return out


def _packed(change: dict[str, Any]) -> dict[str, Any]:
    """A stage's delta as stored: tokens as plain tuples (pickle stores and restores a named tuple
    per word several times slower than a plain one)."""
    if "tokens" in change:
        change = {**change, "tokens": tuple(map(tuple, change["tokens"]))}
    return change


def _unpacked(change: dict[str, Any]) -> dict[str, Any]:
    """The inverse of `_packed`."""
    if "tokens" in change:
        change = {**change, "tokens": tuple(map(Token._make, change["tokens"]))}
    return change


class StageCache:
    """Stage deltas and finished rows of documents, one pair of files per document."""

    def __init__(self, root: Path, version: str):
        self.version = version
        self.folder = versioned_folder(root, "stages", version)
        self.stats = {"tables_hits": 0, "stage_hits": 0, "stage_runs": 0, "bad_files": 0}

    def _path(self, doc_id: str, kind: str) -> Path:
        return self.folder / f"{content_key(doc_id)}.{kind}"

    def load(self, doc_id: str, kind: str, content: str, key: str = "") -> Any:
        """The stored value for a document of this content, or None (absent or damaged)."""
        return self._load_stamped(doc_id, kind, self._fields(doc_id, content, key))

    def _load_stamped(self, doc_id: str, kind: str, fields: dict[str, str]) -> Any:
        """The stored value whose header carries these `fields`, or None (absent, other, or damaged)."""
        try:
            data = self._path(doc_id, kind).read_bytes()
        except OSError:
            return None
        try:
            payload = unstamped(data, fields)
            return None if payload is None else pickle.loads(payload)  # noqa: S301 - own local cache, checksummed
        except Exception:  # noqa: BLE001 - any damage means: recompute
            self.stats["bad_files"] += 1
            return None

    def save(self, doc_id: str, kind: str, content: str, value: Any, key: str = "", final: str = "",
             raw: str = "") -> None:
        """Replace a document's file atomically; failures only cost a recomputation later. `final` (the
        rows' last stage key) and `raw` (`raw_key`) go into the header, where `is_current` reads them
        without the payload."""
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except pickle.PicklingError:
            return
        fields = self._fields(doc_id, content, key) | ({"final": final} if final else {}) | ({"raw": raw} if raw else {})
        write_atomically(self._path(doc_id, kind), stamped(fields, payload))

    def is_current(self, doc_id: str, raw: str, final: str) -> bool:
        """Whether the document's stored rows were made from this document as read (`raw_key`) under the
        last stage's key `final`: a look at the header line only (the payload is read, and checked, when
        the rows are used)."""
        try:
            with self._path(doc_id, "tables").open("rb") as fh:
                header = json.loads(fh.readline())
        except (OSError, ValueError):
            return False
        want = {"version": self.version, "doc_id": doc_id, "raw": raw, "final": final}
        return isinstance(header, dict) and all(header.get(k, "") == v for k, v in want.items())

    def extract_tables(self, doc: Document, steps: list[tuple[str, Callable[[Document], Document]]],
                       raw: str) -> tuple[DocTables, tuple[str, ...], Document | None]:
        """A document's rows (`tables.render`), the warnings about rows dropped, and the document
        after every step (None when nothing ran), with the stage calls (key, call) wrapped by the
        cache: the stored rows when the last key is unchanged; else the longest prefix of steps whose
        keys match is restored from their stored deltas, the other steps run (and are stored), and a
        table whose producing step kept its key keeps its stored CSV text. `doc` is the document as
        read and `raw` its `raw_key`: every file of the document is stamped with it (the step keys
        chain every stage's rules, the layout's too, so they and `raw` decide each delta)."""
        content, final = raw, steps[-1][0]
        stored = self._stored(doc, content)
        hit = self._hit(doc.doc_id, stored, final)
        if hit is not None:
            return (*hit, None)
        old = stored["tables"]
        doc, producer = self._run_steps(doc, content, steps)
        made_by = {t: producer.get(attr, "input") for t, (attr, _) in TABLES.items()}
        tables, dropped = render(doc, lambda t: old[t][1:] if t in old and old[t][0] == made_by[t] else None)
        entries = {t: (None if dropped else made_by[t], tables.tables[t], tables.counts[t]) for t in TABLES}
        self.save(doc.doc_id, "tables", content, {"final": final, "tables": entries, "dropped": dropped,
                                                  "document": tables.document, "text_file": doc.text_file},
                  final=final, raw=raw)
        return tables, dropped, doc

    def stored_tables(self, doc_id: str, raw: str, final: str) -> tuple[DocTables, tuple[str, ...]] | None:
        """The stored rows of the document as read (`raw_key`) when they were made under the last stage's
        key `final`, else None."""
        stored = self._load_stamped(doc_id, "tables", {"version": self.version, "doc_id": doc_id, "raw": raw,
                                                       "final": final})
        return None if stored is None else self._hit(doc_id, self._valid(stored), final)

    def _hit(self, doc_id: str, stored: dict, final: str) -> tuple[DocTables, tuple[str, ...]] | None:
        old = stored["tables"]
        if stored["final"] != final or not set(TABLES) <= set(old):
            return None
        self.stats["tables_hits"] += 1
        touch(self._path(doc_id, "tables"))  # used now: the last of the cache to be evicted
        text_file = stored.get("text_file", "")
        return DocTables(doc_id, {t: old[t][1] for t in TABLES}, {t: old[t][2] for t in TABLES},
                         stored["document"], text_file=text_file if isinstance(text_file, str) else ""), stored["dropped"]

    def _stored(self, doc: Document, content: str) -> dict:
        """The document's `.tables` entry (an empty one when absent or malformed)."""
        return self._valid(self.load(doc.doc_id, "tables", content))

    @staticmethod
    def _valid(stored: Any) -> dict:
        """A `.tables` entry as stored, or an empty one when it is malformed."""
        if not (isinstance(stored, dict) and isinstance(stored.get("tables"), dict)
                and isinstance(stored.get("dropped"), tuple) and isinstance(stored.get("document"), str)):
            return {"final": None, "tables": {}, "dropped": (), "document": ""}
        stored["tables"] = {t: v for t, v in stored["tables"].items() if isinstance(v, tuple) and len(v) == 3}
        return stored

    def _run_steps(self, doc: Document, content: str, steps: list[tuple[str, Callable[[Document], Document]]]
                   ) -> tuple[Document, dict[str, str]]:
        """The document after every step, and for each field the key of the step that last changed it."""
        producer: dict[str, str] = {}
        restored = 0
        for i, (key, _) in enumerate(steps):
            change = self.load(doc.doc_id, f"s{i}", content, key)
            if not isinstance(change, dict):
                break
            try:
                doc = replace(doc, **_unpacked(change))
            except Exception:  # noqa: BLE001 - a damaged entry: run this step and the rest
                break
            producer.update(dict.fromkeys(change, key))
            restored += 1
        self.stats["stage_hits"] += restored
        for i, (key, call) in enumerate(steps[restored:], start=restored):
            before = doc
            doc = call(doc)
            change = delta(before, doc)
            if i < len(steps) - 1:  # the last step's work is the rows, stored under its key; lost, it runs again
                self.save(doc.doc_id, f"s{i}", content, _packed(change), key)
            producer.update(dict.fromkeys(change, key))
            self.stats["stage_runs"] += 1
        return doc, producer

    def _fields(self, doc_id: str, content: str, key: str) -> dict[str, str]:
        return {"version": self.version, "doc_id": doc_id, "content": content, "key": key}
