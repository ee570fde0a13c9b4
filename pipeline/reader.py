"""Reading raw files: encoding detection, BOM and newline handling, doc_id and edition.

A raw file is plain text (`.txt`), a saved web page (`.html`, `.htm`: decoded by its own encoding
declaration) or a PDF (`.pdf`: its text extracted by `pipeline.pdf`); the layout stage then makes the
text its tables index (`pipeline/stages/layout.py`)."""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from .document import Document
from .errors import InputError


LONG_LINE = 20_000  # characters; a longer line is read as one paragraph, with a warning
MAX_STRAY_NULS = 4  # a file with more NUL characters than this and than one in STRAY_NUL_SHARE is binary
STRAY_NUL_SHARE = 50


# extension -> format of the file (Document.source); other files in raw/ are named in a warning
FORMATS = {".txt": "txt", ".html": "html", ".htm": "html", ".pdf": "pdf"}


@dataclass(frozen=True)
class RawFile:
    doc_id: str
    edition: str
    path: Path
    text: str
    encoding: str
    warnings: tuple[str, ...]
    source: str = "txt"  # FORMATS value
    full_lines: tuple[int, ...] = ()  # a PDF's lines that reach their column's edge (`pipeline.pdf.pdf_text`)

    def document(self) -> Document:
        """The Document the stages start from."""
        return Document(self.doc_id, self.edition, self.text, self.encoding, warnings=self.warnings,
                        source=self.source, full_lines=self.full_lines)


def doc_id_of(path: Path, raw_dir: Path) -> str:
    """The file's path relative to raw/, without its extension (`.txt`, `.html`, `.pdf`), with `/` separators."""
    rel = path.relative_to(raw_dir).with_suffix("")
    return rel.as_posix()


def edition_of(doc_id: str) -> str:
    """The first folder of the doc_id when it is a year (`2017/...` -> `2017`), else empty."""
    head = doc_id.split("/", 1)[0]
    return head if head.isdigit() and len(head) == 4 and "/" in doc_id else ""


def _visible(path: Path, raw_dir: Path) -> bool:
    return path.is_file() and not any(part.startswith(".") for part in path.relative_to(raw_dir).parts)


def list_raw(raw_dir: Path) -> list[Path]:
    """Every document below raw_dir (`*.txt`, `*.html`, `*.htm`, `*.pdf`), in a stable order. `*.txt` files
    are read wherever they are (as always); hidden files and folders are not documents."""
    return sorted(p for p in raw_dir.rglob("*") if p.is_file() and (
        p.suffix == ".txt" or (p.suffix.lower() in FORMATS and _visible(p, raw_dir))))


def unread_files(raw_dir: Path) -> list[Path]:
    """The files below raw_dir that `list_raw` does not read (`.md`, `.docx`, ...), in a stable order;
    hidden files and folders (`.DS_Store`, `.git/`) are not documents and are not listed."""
    read = set(list_raw(raw_dir))
    return sorted(p for p in raw_dir.rglob("*") if _visible(p, raw_dir) and p not in read)


def _looks_japanese(text: str) -> bool:
    """True when a CP932 decoding is plausible text rather than a binary accident."""
    if not text:
        return True
    control = sum(1 for c in text if (ord(c) < 0x20 and c not in "\r\n\t") or 0x7F <= ord(c) <= 0x9F)
    halfwidth = sum(1 for c in text if 0xFF61 <= ord(c) <= 0xFF9F)  # half-width katakana: fine, but not mostly
    jp = sum(1 for c in text if 0x3000 <= ord(c) <= 0x9FFF or 0xFF01 <= ord(c) <= 0xFF5E)
    return control == 0 and jp >= max(1, len(text) // 20) and halfwidth <= jp


def _undecodable(name: str, data: bytes, offset: int, what: str) -> InputError:
    return InputError(name, f"{what}: undecodable byte 0x{data[offset]:02x} at byte offset {offset}")


def decode(data: bytes, name: str) -> tuple[str, str, tuple[str, ...]]:
    """Decode raw bytes: UTF-8 (BOM optional), UTF-16 with BOM, or Shift_JIS/CP932 (with a warning).

    Returns (text with universal newlines, encoding, warnings). A few stray NUL characters stay
    in the text, with a warning naming the file and offset. Raises InputError (one line naming
    the file) for undecodable bytes (with the byte offset), binary content (many NUL bytes),
    lone surrogates, and files without any text (empty or whitespace only)."""
    if not data:
        raise InputError(name, "empty file (0 bytes): nothing to extract")
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8-sig", data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body = "utf-16", data
    else:
        encoding, body = "utf-8", data
    skipped = len(data) - len(body)
    warnings: list[str] = []
    try:
        text = body.decode("utf-16" if encoding == "utf-16" else "utf-8")
    except UnicodeDecodeError as err:
        offset = err.start + skipped
        # UTF-8 that already decoded multi-byte characters (or has a BOM) is UTF-8 with a bad
        # byte, not Shift_JIS: guessing CP932 there would silently turn the file into mojibake.
        if encoding != "utf-8" or any(b >= 0x80 for b in body[:err.start]):
            raise _undecodable(name, data, offset, f"not valid {'UTF-16' if encoding == 'utf-16' else 'UTF-8'}") \
                from None
        try:
            text = data.decode("cp932")
        except UnicodeDecodeError:
            text = None
        if text is None or not _looks_japanese(text):
            what = "binary content" if b"\x00" in data else "not valid UTF-8 or Shift_JIS"
            raise _undecodable(name, data, offset, what) from None
        encoding = "cp932"
        warnings.append(f"{name}: read as Shift_JIS/CP932, not UTF-8")
    surrogate = _SURROGATE.search(text)
    if surrogate:
        raise InputError(name, f"lone surrogate U+{ord(surrogate.group()):04X} at character {surrogate.start()}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        warnings.append(_stray_nuls(name, data, text, encoding))
    if not text.replace("\x00", "").strip():
        raise InputError(name, "no text: the file holds only whitespace")
    return text, encoding, tuple(warnings)


def _stray_nuls(name: str, data: bytes, text: str, encoding: str) -> str:
    """The warning for a few stray NUL characters, which stay in the text (the raw offsets are the
    scorer's) and read as spaces (`NormText` folds them); many NULs mean binary content."""
    count = text.count("\x00")
    first = text.index("\x00")
    byte = "" if encoding == "utf-16" else f", byte offset {data.index(bytes(1))}"
    if count > max(MAX_STRAY_NULS, len(text) // STRAY_NUL_SHARE):
        raise InputError(name, f"binary content: {count} NUL characters, the first at character {first}{byte}")
    return (f"{name}: {count} stray NUL character{'s' if count > 1 else ''} (the first at character {first}{byte}) "
            f"read as spaces; offsets unchanged")


_SURROGATE = re.compile("[\ud800-\udfff]")


def raw_path(raw_dir: Path, doc_id: str) -> Path | None:
    """The raw file of a doc_id (`<doc_id>.txt`, `.html`, `.htm` or `.pdf`), or None."""
    return next((p for ext in FORMATS if (p := Path(raw_dir) / f"{doc_id}{ext}").is_file()), None)


def doc_id_clashes(paths: list[Path], raw_dir: Path) -> list[tuple[Path, Path]]:
    """(file, the earlier file with its doc_id) for files whose doc_id another file already has
    (`a.txt` beside `a.html`); the run reads only the first."""
    seen: dict[str, Path] = {}
    out = []
    for path in paths:
        first = seen.setdefault(doc_id_of(path, raw_dir), path)
        if first is not path:
            out.append((path, first))
    return out


def _decode_page(data: bytes, name: str) -> tuple[str, str, tuple[str, ...]]:
    """A web page's text by the encoding it declares (`pipeline.html.declared_encoding`), else as a text file."""
    from .html import declared_encoding

    declared = declared_encoding(data)
    if declared is None or declared in ("utf-8", "utf-8-sig", "utf-16"):
        return decode(data, name)
    try:
        text = data.decode(declared)
    except UnicodeDecodeError as err:
        raise _undecodable(name, data, err.start, f"not valid {declared} (as the page declares)") from None
    return text.replace("\r\n", "\n").replace("\r", "\n"), declared, ()


def read_raw(path: Path, raw_dir: Path) -> RawFile:
    """Read one raw file; the text of a `.txt` is what `open(path, newline=None)` gives, BOM removed."""
    doc_id = doc_id_of(path, raw_dir)
    source = FORMATS.get(path.suffix.lower(), "txt")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err.strerror}") from None
    if source == "pdf":
        from .pdf import pdf_text

        text, full = pdf_text(data, str(path))
        return RawFile(doc_id, edition_of(doc_id), path, text, "pdf", (), source, full)
    text, encoding, warnings = (_decode_page if source == "html" else decode)(data, str(path))
    longest = max(map(len, text.split("\n")))
    if longest > LONG_LINE:
        warnings += (f"{path}: a line of {longest} characters (no line breaks?); it is read as one paragraph",)
    return RawFile(doc_id, edition_of(doc_id), path, text, encoding, warnings, source)
