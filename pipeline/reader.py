"""Reading raw files: encoding detection, BOM and newline handling, doc_id and edition."""
from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError


@dataclass(frozen=True)
class RawFile:
    doc_id: str
    edition: str
    path: Path
    text: str
    encoding: str
    warnings: tuple[str, ...]


def doc_id_of(path: Path, raw_dir: Path) -> str:
    """The file's path relative to raw/, without `.txt`, with `/` separators."""
    rel = path.relative_to(raw_dir).with_suffix("")
    return rel.as_posix()


def edition_of(doc_id: str) -> str:
    """The first folder of the doc_id when it is a year (`2017/...` -> `2017`), else empty."""
    head = doc_id.split("/", 1)[0]
    return head if head.isdigit() and len(head) == 4 and "/" in doc_id else ""


def list_raw(raw_dir: Path) -> list[Path]:
    """Every `*.txt` below raw_dir, in a stable order."""
    return sorted(p for p in raw_dir.rglob("*.txt") if p.is_file())


def _looks_japanese(text: str) -> bool:
    """True when a CP932 decoding is plausible text rather than a binary accident."""
    if not text:
        return True
    bad = sum(1 for c in text if (ord(c) < 0x20 and c not in "\r\n\t") or 0xFF61 <= ord(c) <= 0xFF9F)
    jp = sum(1 for c in text if 0x3000 <= ord(c) <= 0x9FFF or 0xFF01 <= ord(c) <= 0xFF5E)
    return bad == 0 and jp >= max(1, len(text) // 20)


def decode(data: bytes, name: str) -> tuple[str, str, tuple[str, ...]]:
    """Decode raw bytes: UTF-8 (BOM optional), UTF-16 with BOM, or Shift_JIS/CP932 (with a warning).

    Returns (text with universal newlines, encoding, warnings). Raises InputError naming
    the file and the byte offset of the first undecodable byte."""
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8-sig", data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body = "utf-16", data
    else:
        encoding, body = "utf-8", data
    warnings: list[str] = []
    try:
        text = body.decode("utf-16" if encoding == "utf-16" else "utf-8")
    except UnicodeDecodeError as err:
        offset = err.start + (len(data) - len(body))
        try:
            text = data.decode("cp932")
        except UnicodeDecodeError:
            text = None
        if text is None or not _looks_japanese(text):
            raise InputError(name, f"not valid UTF-8 or Shift_JIS: undecodable byte 0x{data[offset]:02x} "
                                   f"at byte offset {offset}") from None
        encoding = "cp932"
        warnings.append(f"{name}: read as Shift_JIS/CP932, not UTF-8")
    if "\x00" in text:
        raise InputError(name, f"binary content: NUL byte at character {text.index(chr(0))}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, encoding, tuple(warnings)


def read_raw(path: Path, raw_dir: Path) -> RawFile:
    """Read one raw file; the text is what `open(path, newline=None)` gives, BOM removed."""
    doc_id = doc_id_of(path, raw_dir)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err.strerror}") from None
    text, encoding, warnings = decode(data, str(path))
    return RawFile(doc_id, edition_of(doc_id), path, text, encoding, warnings)
