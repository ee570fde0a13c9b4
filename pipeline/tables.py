"""The one writer: Documents into CSV tables, atomically and deterministically.

Tables are written into a temporary folder beside `output/` and swapped in only
when all of them are complete (one atomic exchange of the two folders where the OS
allows it); the output they replace is kept as `.<name>.previous/` (for diffs) until
the next run. Column order and row order are fixed; booleans are `true`/`false`;
unknown is the empty cell.

Spreadsheet safety: a cell that starts with `= + - @`, a tab or a carriage return
would run as a formula when the CSV is opened in Excel/LibreOffice. Such cells get a
leading `'` (and so does a cell that already starts with `'`, so the escape is
reversible); `pipeline.load` removes it. The `text` column of span tables is never
escaped: `raw_text[start:end] == text` must hold exactly.
"""
from __future__ import annotations

import contextlib
import csv
import ctypes
import ctypes.util
import io
import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from itertools import repeat
from operator import attrgetter
from pathlib import Path
from typing import Callable, Iterable

from .document import Document
from .errors import OutputError

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
                          "person_id", "id_source", "source", "rule")),
    "venues": ("venues", ("section_id", "sentence_id", "start", "end", "text", "name", "country", "meeting_id",
                          "source", "rule")),
    "clauses": ("clauses", ("section_id", "meeting_id", "sentence_id", "start", "end", "text", "type", "actor",
                            "content", "rule")),
    "meetings": ("meetings", ("section_id", "meeting_id", "meeting_no", "title", "date", "venue", "participants",
                              "participant_names", "mode", "source", "counterparts", "host", "consult_mode", "start",
                              "end", "text", "rule", "event_id")),
}
# tables of the whole run, made from every document's rows when all are extracted (pipeline/corpus.py)
CORPUS_COLUMNS: dict[str, tuple[str, ...]] = {
    "persons": ("person_id", "name", "country", "id_source", "offices", "spellings", "mentions", "documents"),
    "events": ("event_id", "date", "title", "counterparts", "mode", "participants", "venue", "host", "consult_mode",
               "conflicts", "mentions", "documents", "meetings"),
}
# format: txt|html|pdf; layout: plain|pdf, layout_note: why and what the layout stage changed; text_file: the
# file below the output folder holding the text the rows index, when it is not the raw file's text
DOCUMENT_COLUMNS = ("doc_id", "edition", "encoding", "chars", "warnings", "format", "layout", "layout_note",
                    "text_file")
TEXT_FOLDER = "text"  # output/text/<doc_id>.txt: the text the rows of a document index, when not the raw file's
FAILURE_COLUMNS = ("doc_id", "stage", "error")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
BOM = "\ufeff".encode("utf-8")  # --csv-bom: what the "utf-8-sig" codec writes first
EXACT_COLUMNS = frozenset({"text"})  # span text: written exactly as in the raw file, never escaped


def cell(value) -> str:
    """One CSV cell: booleans as true/false, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def neutralise(value: str) -> str:
    """A cell that a spreadsheet cannot run as a formula: `'` before = + - @ tab CR (and before `'`)."""
    return ESCAPE + value if value.startswith(FORMULA_START + (ESCAPE,)) else value


def unneutralise(value: str) -> str:
    """The inverse of `neutralise` (used by `pipeline.load`)."""
    return value[1:] if value.startswith(ESCAPE) and value[1:].startswith(FORMULA_START + (ESCAPE,)) else value


_RISKY = frozenset(FORMULA_START + (ESCAPE,))  # one-character starts: a set lookup per cell


def rows_of(table: str, docs: Iterable[Document]) -> list[list[str]]:
    """The rows of one table over documents in the given order: each cell as `cell` makes it, and
    `neutralise`d unless its column is in EXACT_COLUMNS."""
    attr, columns = TABLES[table]
    values = attrgetter(*columns)
    exact = [c in EXACT_COLUMNS for c in columns]
    risky = _RISKY
    out = []
    for doc in docs:
        doc_id = neutralise(doc.doc_id)
        for record in getattr(doc, attr):
            row = [doc_id]
            for value, keep in zip(values(record), exact):  # cell + neutralise inlined: this runs for every cell
                kind = value.__class__
                if kind is int and value >= 0:
                    row.append(str(value))  # digits: nothing to guard
                    continue
                text = value if kind is str else str(value) if kind is int else cell(value)
                row.append(ESCAPE + text if not keep and text and text[0] in risky else text)
            out.append(row)
    return out


def document_row(doc: Document) -> list[str]:
    """The row of `documents.csv` for a document."""
    return [neutralise(v) for v in (doc.doc_id, doc.edition, doc.encoding, str(len(doc.text)), " | ".join(doc.warnings),
                                    doc.source, doc.layout, doc.layout_note, doc.text_file)]


@dataclass(frozen=True)
class DocTables:
    """One document's rows as CSV (no header; UTF-8, as the files are written) per table, and its
    documents.csv row: what a worker sends back, so the parent only concatenates bytes in doc_id
    order (a tokens table is most of an edition's output: it is encoded once, where it is made, and
    then stored, sent and written without being decoded again)."""

    doc_id: str
    tables: dict[str, bytes]
    counts: dict[str, int]
    document: str
    text: str = ""  # the text the rows index, when it is not the raw file's (written to output/<text_file>)
    text_file: str = ""


def table_text(doc: Document, table: str) -> tuple[str, int]:
    """One table's rows of a document as CSV text (no header), and their number. A table whose every
    cell is already as `rows_of` would write it (a whole number, or text that needs no escape and
    holds no CR: tokens, sentences) is handed to the csv module as it is, column by column."""
    attr, columns = TABLES[table]
    records = getattr(doc, attr)
    if records and _plain(doc.doc_id, False) and len(columns) > 1:
        by_column = list(zip(*map(attrgetter(*columns), records)))
        if all(_plain_column(col, c in EXACT_COLUMNS) for col, c in zip(by_column, columns)):
            buf = io.StringIO(newline="")
            csv.writer(buf, lineterminator="\n").writerows(zip(repeat(doc.doc_id), *by_column))
            return buf.getvalue(), len(records)
    rows = rows_of(table, [doc])
    return _csv_text(rows), len(rows)


def _plain(value, exact: bool) -> bool:
    """Whether the csv module writes a value as `rows_of` does: a whole number (not a bool), or text
    without CR that needs no formula escape (or is in an EXACT_COLUMNS column)."""
    kind = value.__class__
    if kind is int:
        return value >= 0
    return kind is str and "\r" not in value and (exact or not value or value[0] not in _RISKY)


def _plain_column(values: tuple, exact: bool) -> bool:
    try:
        distinct = set(values)  # cells repeat (parts of speech, ids): each distinct value is checked once
    except TypeError:
        return False
    return all(_plain(v, exact) for v in distinct)


def document_text(doc: Document) -> str:
    """The document's row of documents.csv as CSV text."""
    return _csv_text([document_row(doc)])


def render(doc: Document, reuse: Callable[[str], tuple[bytes, int] | None] | None = None
           ) -> tuple[DocTables, tuple[str, ...]]:
    """A finished document's rows, rendered once: rows that break the offset invariant are dropped
    (one warning per table, also in documents.csv), then each table becomes CSV text; `reuse(table)`
    may give a table's stored (text, count) instead (its rows were checked when they were stored, so
    only the other tables are checked), and none is reused when a row was dropped."""
    stored = {t: reuse(t) for t in TABLES} if reuse is not None else {}
    doc, dropped = drop_broken_rows(doc, tuple(t for t in TABLES if stored.get(t) is None))
    texts, counts = {}, {}
    for table in TABLES:
        hit = stored.get(table) if not dropped else None
        if hit is None:
            text, count = table_text(doc, table)
            hit = text.encode("utf-8"), count
        texts[table], counts[table] = hit
    return DocTables(doc.doc_id, texts, counts, document_text(doc)), dropped


def broken_rows(doc: Document, tables: tuple[str, ...] = tuple(TABLES)) -> list[tuple[str, object]]:
    """(table, record) for every row of `tables` whose `text` is not `doc.text[start:end]` (a stage bug)."""
    out = []
    for table, (attr, columns) in TABLES.items():
        if table not in tables or not {"start", "end", "text"} <= set(columns):
            continue
        for record in getattr(doc, attr):
            start, end = record.start, record.end
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(doc.text)
                    and doc.text[start:end] == record.text):
                out.append((table, record))
    return out


def drop_broken_rows(doc: Document, tables: tuple[str, ...] = tuple(TABLES)) -> tuple[Document, tuple[str, ...]]:
    """The document without rows (of `tables`) that break the offset invariant, and one warning per table."""
    broken = broken_rows(doc, tables)
    if not broken:
        return doc, ()
    by_table: dict[str, set[int]] = {}
    for table, record in broken:
        by_table.setdefault(table, set()).add(id(record))
    changes, messages = {}, []
    for table, ids in sorted(by_table.items()):
        attr = TABLES[table][0]
        changes[attr] = tuple(r for r in getattr(doc, attr) if id(r) not in ids)
        messages.append(f"{doc.doc_id}: dropped {len(ids)} {table} row(s) whose text is not raw_text[start:end]")
    return replace(doc, warnings=doc.warnings + tuple(messages), **changes), tuple(messages)


def header(table: str) -> list[str]:
    return ["doc_id", *TABLES[table][1]]


class CsvText(str):
    """Rows already formatted by `_write_rows` (a document's fragment): written as they are."""


def _write_rows(f, rows: Iterable[Iterable[str] | CsvText]) -> None:
    """THE row writer (files and per-document fragments)."""
    writer = csv.writer(f, lineterminator="\n")
    # the csv module only quotes the line terminator's characters: a cell holding a bare CR
    # would split the row for readers, so such rows are written fully quoted
    quoted = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        if isinstance(row, CsvText):
            f.write(row)
        else:
            (quoted if "\r" in "".join(row) else writer).writerow(row)


def _csv_text(rows: Iterable[Iterable[str]]) -> str:
    buf = io.StringIO(newline="")
    _write_rows(buf, rows)
    return buf.getvalue()


def _write_csv(path: Path, head: Iterable[str], rows: Iterable[Iterable[str]], *, bom: bool = False) -> None:
    """One CSV file: UTF-8, or UTF-8 with a BOM (`bom`) for spreadsheets that guess the encoding."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        _write_rows(f, [list(head)])
        _write_rows(f, rows)


def write_doc_tables(out_dir: Path, parts: list[DocTables], failures: list[tuple[str, str, str]]) -> dict[str, int]:
    """Write the tables from per-document rows (sorted by doc_id) and swap them in as `out_dir` atomically.

    Returns the number of rows per table."""
    with OutputFolder(out_dir) as target:
        return target.write(parts, failures)


# Every output folder holds this file: only a folder with it (or an empty one) is ever replaced.
MARKER = ".hakusho-output"
MARKER_TEXT = ("Written by `python -m pipeline extract` (hakusho). The next run replaces this folder whole and\n"
               "keeps it as .<name>.previous/ until the run after: keep no files of your own in it.\n")
# what may sit in an output folder: the tables, the marker, the workbook, and report/ (where `python -m pipeline
# report` wrote before its default moved beside the output folder; `--out OUTPUT/report` still may)
WORKBOOK = "hakusho.xlsx"  # written by `--xlsx` / `python -m pipeline xlsx` (pipeline/workbook.py)
OUTPUT_NAMES = frozenset({*(f"{t}.csv" for t in (*TABLES, *CORPUS_COLUMNS)), "documents.csv", "failures.csv", MARKER,
                          "report", WORKBOOK, TEXT_FOLDER})


def check_replaceable(path: Path) -> None:
    """Raise OutputError unless `path` may be replaced by a run: missing, an empty folder, or a folder
    this tool wrote (the marker file, and nothing but what the tool writes)."""
    if path.is_symlink():
        raise OutputError(str(path), "is a symbolic link; refusing to replace it (give the folder itself)")
    if not path.exists():
        return
    if not path.is_dir():
        raise OutputError(str(path), "is a file, not an output folder; refusing to replace it (choose another --out)")
    try:
        names = {p.name for p in path.iterdir()}
    except OSError as err:
        raise OutputError(str(path), f"cannot be listed: {err.strerror}") from None
    if names and MARKER not in names:
        raise OutputError(str(path), f"is not empty and was not written by this tool (no {MARKER} file); "
                                     f"refusing to replace it (choose another --out, or empty it)")
    other = sorted(names - OUTPUT_NAMES)
    if other:
        more = f" and {len(other) - 1} more" if len(other) > 1 else ""
        raise OutputError(str(path), f"holds {other[0]}{more}, which this tool did not write; refusing to "
                                     f"replace it (move that away first)")


class OutputFolder:
    """Where one run writes, made ready before any extraction work.

    `with OutputFolder(out) as target:` raises OutputError (one line naming the path, nothing
    changed) when `out` or its kept previous output is something this tool did not write, when
    another run holds the lock of `out` (`.<name>.lock` beside it, removed at the end), or when
    the folder cannot be written (its temporary folder is created here). `target.write(...)`
    then writes the tables and swaps them in; leaving the block removes what is left over."""

    def __init__(self, out_dir: Path):
        self.out = Path(out_dir)
        self.tmp: Path | None = None
        self._lock: int | None = None

    def __enter__(self) -> "OutputFolder":
        for path in (self.out, previous_dir(self.out)):
            check_replaceable(path)
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self._lock = _lock(lock_path(self.out), self.out)
            for path in (self.out, previous_dir(self.out)):  # again, now that no other run can change them
                check_replaceable(path)
            remove_stale_tmp(self.out)
            self.tmp = Path(tempfile.mkdtemp(prefix=f"{tmp_prefix(self.out)}{os.getpid()}-", dir=self.out.parent))
        except OSError as err:
            self.__exit__(None, None, None)
            blocked = next((a for a in self.out.parents if a.exists() and not a.is_dir()), None)
            reason = f"{blocked} is a file, not a folder" if blocked else err.strerror or str(err)
            raise OutputError(str(self.out), f"cannot write here: {reason}") from None
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def write(self, parts: list[DocTables], failures: list[tuple[str, str, str]], *, bom: bool = False,
              xlsx: bool = False) -> dict[str, int]:
        """Write the tables (per-document rows, sorted by doc_id; with a BOM when `bom`) and, with
        `xlsx`, the workbook of them, then swap them in; rows per table."""
        return self.write_sorted(sorted(parts, key=lambda d: d.doc_id), failures, bom=bom, xlsx=xlsx)

    def write_sorted(self, parts: Iterable[DocTables], failures: list[tuple[str, str, str]], *, bom: bool = False,
                     xlsx: bool = False) -> dict[str, int]:
        """`write`, for rows already in doc_id order, written as they come (`parts` may be a generator:
        only one document's rows are held at a time); `failures` is read once `parts` is exhausted."""
        assert self.tmp is not None, "OutputFolder.write outside its `with` block"
        from .corpus import Corpus  # the cross-document tables and meetings.event_id

        corpus = Corpus()
        counts: dict[str, int] = dict.fromkeys(TABLES, 0)
        names = [*TABLES, "documents"]
        heads = {**{t: header(t) for t in TABLES}, "documents": DOCUMENT_COLUMNS}
        try:
            with contextlib.ExitStack() as stack:
                files = {n: stack.enter_context((self.tmp / f"{n}.csv").open("wb")) for n in names}
                for n in names:
                    files[n].write((BOM if bom else b"") + _csv_text([list(heads[n])]).encode("utf-8"))
                for part in parts:
                    for table in TABLES:
                        if table != "meetings":  # written once every document is read, with their event_id
                            files[table].write(part.tables[table])
                        counts[table] += part.counts[table]
                    files["documents"].write(part.document.encode("utf-8"))
                    if part.text_file:
                        path = self.tmp / part.text_file
                        path.parent.mkdir(parents=True, exist_ok=True)
                        path.write_text(part.text, encoding="utf-8", newline="")
                    corpus.add(part)
                files["meetings"].write(corpus.meetings_text().encode("utf-8"))
            for table, rows in corpus.tables().items():
                _write_csv(self.tmp / f"{table}.csv", CORPUS_COLUMNS[table], rows, bom=bom)
                counts[table] = len(rows)
            _write_csv(self.tmp / "failures.csv", FAILURE_COLUMNS,
                       ([neutralise(v) for v in row] for row in sorted(failures)), bom=bom)
            counts["failures"] = len(failures)
            if xlsx:
                from .workbook import write_workbook

                write_workbook(self.tmp, self.tmp / WORKBOOK)
            (self.tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            swap_in(self.tmp, self.out)
        except OSError as err:
            raise OutputError(str(self.out), f"cannot write the tables: {err.strerror or err}") from None
        self.tmp = None
        return counts

    def __exit__(self, *exc) -> None:
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None
        if self._lock is not None:
            _unlock(lock_path(self.out), self._lock)
            self._lock = None


def lock_path(out_dir: Path) -> Path:
    """The lock file of an output folder, beside it; present only while a run writes into it."""
    return out_dir.parent / f".{out_dir.name}.lock"


def _lock(path: Path, out_dir: Path) -> int:
    """Hold the lock of `out_dir` (flock on `path`, which holds the holder's pid); OutputError when taken."""
    import fcntl

    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise OutputError(str(out_dir), f"another run (pid {holder}) is writing into it; wait for it to "
                                            f"end (lock {path})") from None
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:  # else the holder removed the file while we waited for it: lock the new one
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
            return fd
        os.close(fd)


def _unlock(path: Path, fd: int) -> None:
    try:
        os.unlink(path)  # while still holding it, so a waiting run re-checks and locks a new file
    except OSError:
        pass
    os.close(fd)


def previous_dir(out_dir: Path) -> Path:
    """Where the output a run replaced is kept until the next run."""
    return out_dir.parent / f".{out_dir.name}.previous"


def tmp_prefix(out_dir: Path) -> str:
    return f".{out_dir.name}.tmp-"


def remove_stale_tmp(out_dir: Path) -> None:
    """Remove temporary folders left by runs that were killed (their process is gone)."""
    for path in sorted(out_dir.parent.glob(f"{tmp_prefix(out_dir)}*")):
        pid = path.name[len(tmp_prefix(out_dir)):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two folders (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def swap_in(tmp: Path, out_dir: Path) -> None:
    """Replace out_dir by tmp; the old output becomes `previous_dir`.

    Where the OS can exchange two folders atomically, `out_dir` always exists and always
    holds one complete run; elsewhere two renames leave a window of microseconds."""
    tmp.chmod(0o755)
    prev = previous_dir(out_dir)
    if prev.exists():
        shutil.rmtree(prev)
    if out_dir.exists():
        if _exchange(tmp, out_dir):
            os.replace(tmp, prev)  # tmp now holds the old output
            return
        os.replace(out_dir, prev)
    os.replace(tmp, out_dir)
