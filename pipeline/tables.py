"""The one writer: Documents into CSV tables, atomically and deterministically.

Tables are written into a temporary folder beside `output/` and swapped in only
when all of them are complete; the output they replace is kept as
`.<name>.previous/` (for diffs) until the next run. Column order and row order are
fixed; booleans are `true`/`false`; unknown is the empty cell.
"""
from __future__ import annotations

import csv
import os
import shutil
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import Iterable

from .document import Document

# table -> (Document attribute, columns after doc_id); `doc_id` always comes first.
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "sections": ("sections", ("section_id", "parent_id", "level", "label", "title", "path", "start", "end", "rule")),
    "blocks": ("blocks", ("block_id", "section_id", "kind", "start", "end", "text", "rule")),
    "sentences": ("sentences", ("sentence_id", "block_id", "section_id", "start", "end", "text")),
    "tokens": ("tokens", ("block_id", "token_id", "start", "end", "text", "lemma", "pos1", "pos2", "pos3", "pos4",
                          "reading", "sentence_id")),
    "entities": ("entities", ("sentence_id", "start", "end", "text", "label", "ontonotes")),
    "dates": ("dates", ("section_id", "sentence_id", "start", "end", "text", "value", "granularity", "relative",
                        "modifier", "fiscal", "rule")),
    "people": ("people", ("section_id", "sentence_id", "start", "end", "text", "name", "title", "country", "former",
                          "person_id", "source", "rule")),
    "venues": ("venues", ("section_id", "sentence_id", "start", "end", "text", "name", "country", "meeting_id",
                          "source", "rule")),
    "clauses": ("clauses", ("section_id", "meeting_id", "sentence_id", "start", "end", "text", "type", "actor",
                            "content", "rule")),
    "meetings": ("meetings", ("section_id", "meeting_id", "meeting_no", "title", "date", "venue", "participants",
                              "mode", "start", "end", "text", "rule")),
}
DOCUMENT_COLUMNS = ("doc_id", "edition", "encoding", "chars", "warnings")
FAILURE_COLUMNS = ("doc_id", "stage", "error")


def cell(value) -> str:
    """One CSV cell: booleans as true/false, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def rows_of(table: str, docs: Iterable[Document]) -> list[list[str]]:
    """The rows of one table over documents in the given order."""
    attr, columns = TABLES[table]
    out = []
    for doc in docs:
        for record in getattr(doc, attr):
            out.append([doc.doc_id] + [cell(getattr(record, c)) for c in columns])
    return out


def header(table: str) -> list[str]:
    return ["doc_id", *TABLES[table][1]]


def _write_csv(path: Path, head: Iterable[str], rows: Iterable[Iterable[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(list(head))
        writer.writerows(rows)


def write_tables(out_dir: Path, docs: list[Document], failures: list[tuple[str, str, str]]) -> dict[str, int]:
    """Write every table for `docs` (sorted by doc_id) and swap them in as `out_dir` atomically.

    Returns the number of rows per table."""
    out_dir = Path(out_dir)
    docs = sorted(docs, key=lambda d: d.doc_id)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    counts: dict[str, int] = {}
    try:
        for table in TABLES:
            rows = rows_of(table, docs)
            _write_csv(tmp / f"{table}.csv", header(table), rows)
            counts[table] = len(rows)
        _write_csv(tmp / "documents.csv", DOCUMENT_COLUMNS,
                   ([d.doc_id, d.edition, d.encoding, str(len(d.text)), " | ".join(d.warnings)] for d in docs))
        _write_csv(tmp / "failures.csv", FAILURE_COLUMNS, sorted(failures))
        counts["failures"] = len(failures)
        swap_in(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return counts


def previous_dir(out_dir: Path) -> Path:
    """Where the output a run replaced is kept until the next run."""
    return out_dir.parent / f".{out_dir.name}.previous"


def swap_in(tmp: Path, out_dir: Path) -> None:
    """Replace out_dir by tmp with renames only; the old output becomes `previous_dir`."""
    tmp.chmod(0o755)
    prev = previous_dir(out_dir)
    if out_dir.exists():
        if prev.exists():
            shutil.rmtree(prev)
        os.replace(out_dir, prev)
    os.replace(tmp, out_dir)


def record_fields(record) -> list[str]:
    return [f.name for f in fields(record)]
