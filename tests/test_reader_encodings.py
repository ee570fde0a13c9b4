"""Reading raw files: UTF-8 with/without BOM, CRLF/CR, CP932, UTF-16, and every way a file can be unreadable."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.reader import decode, doc_id_of, edition_of, list_raw, read_raw

TEXT = "第II部 日米同盟\n\n4 日米間の政策協議\n両閣僚は、認識で一致した。\n"


@pytest.mark.parametrize("data,encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.replace("\n", "\r\n").encode("utf-8"), "utf-8-sig"),
    (TEXT.replace("\n", "\r").encode("utf-8"), "utf-8"),  # old Mac line ends
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
])
def test_text_is_what_open_with_universal_newlines_gives(tmp_path, data, encoding):
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    text, enc, warnings = decode(data, "x.txt")
    with path.open(encoding="utf-8-sig" if encoding.startswith("utf-8") else "utf-16", newline=None) as f:
        assert text == f.read() == TEXT
    assert enc == encoding
    assert warnings == ()


def test_cp932_is_detected_with_a_warning_naming_the_file(tmp_path):
    raw = tmp_path / "raw"
    (raw / "2016").mkdir(parents=True)
    path = raw / "2016" / "old.txt"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode("cp932"))
    got = read_raw(path, raw)
    assert got.text == TEXT
    assert got.encoding == "cp932"
    assert len(got.warnings) == 1 and str(path) in got.warnings[0] and "CP932" in got.warnings[0]
    assert (got.doc_id, got.edition) == ("2016/old", "2016")


@pytest.mark.parametrize("data,reason", [
    # UTF-8 text with one stray byte: an error naming the byte offset, never a CP932 guess
    ("日米同盟".encode("utf-8") + b"\xff" + "一致".encode("utf-8"), "undecodable byte 0xff at byte offset 12"),
    (b"abc\x80def", "undecodable byte 0x80 at byte offset 3"),
    (codecs.BOM_UTF8 + b"\xe6\x97", "byte offset 3"),  # truncated character after the BOM
    (bytes(range(256)) * 4, "binary content"),  # binary
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content"),
    ("本文\x00です".encode("utf-8") * 5, "binary content: 5 NUL characters, the first at character 2, byte offset 6"),
    ("ab\r\n".encode("utf-16-le") * 4, "binary content"),  # UTF-16 without its BOM: every other byte NUL
    (b"", "empty file"),
    (b" \r\n\t\n\xe3\x80\x80\n", "only whitespace"),  # spaces, tab, ideographic space
    (codecs.BOM_UTF8, "only whitespace"),
    (b"\xed\xb3\x80abc", "byte offset 0"),  # a lone surrogate written as UTF-8 (after a lossy decode)
    (codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00\xdc", "UTF-16"),  # lone low surrogate
])
def test_unreadable_files_raise_one_line_naming_file_and_reason(data, reason):
    with pytest.raises(InputError) as info:
        decode(data, "raw/2017/bad.txt")
    message = str(info.value)
    assert message.startswith("raw/2017/bad.txt: ")
    assert reason in message
    assert "\n" not in message


def test_read_raw_names_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_raw(tmp_path / "gone.txt", tmp_path)


def test_long_line_is_read_with_a_warning(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("あ" * 200_000, encoding="utf-8")
    got = read_raw(path, tmp_path)
    assert len(got.text) == 200_000
    assert len(got.warnings) == 1 and "200000 characters" in got.warnings[0]


@pytest.mark.parametrize("rel,doc_id,edition", [
    ("2017/000_5aa69a72492d7d21.txt", "2017/000_5aa69a72492d7d21", "2017"),
    ("2018/sub/part.txt", "2018/sub/part", "2018"),
    ("loose.txt", "loose", ""),
    ("drafts/a.txt", "drafts/a", ""),
])
def test_doc_id_and_edition(tmp_path, rel, doc_id, edition):
    assert doc_id_of(tmp_path / rel, tmp_path) == doc_id
    assert edition_of(doc_id) == edition


def test_list_raw_is_sorted_and_only_txt(tmp_path):
    for rel in ("2018/b.txt", "2017/z.txt", "2017/a.txt", "2017/notes.md", "2017/dir.txt/inner.txt"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if rel != "2017/dir.txt/inner.txt" or not p.parent.is_file():
            p.write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in list_raw(tmp_path)]
    assert found == ["2017/a.txt", "2017/dir.txt/inner.txt", "2017/z.txt", "2018/b.txt"]


def test_cp932_with_half_width_katakana_is_read():
    text = "ﾏﾃｨｽ米国防長官と稲田防衛大臣は、会談を行った。\n"
    assert decode(text.encode("cp932"), "x.txt")[:2] == (text, "cp932")


@pytest.mark.parametrize("data,offsets,where", [
    ("本文\x00です。".encode("utf-8"), [2], "1 stray NUL character (the first at character 2, byte offset 6)"),
    ("本文です。\x00\x00続き。".encode("utf-8"), [5, 6], "2 stray NUL characters (the first at character 5, byte offset 15)"),
    ("一行目\r\n\x00二行目。".encode("utf-8"), [4], "(the first at character 4, byte offset 11)"),  # after CRLF -> LF
    (codecs.BOM_UTF16_LE + "本文\x00です。".encode("utf-16-le"), [2], "(the first at character 2)"),
    ((("あ" * 300 + "\x00") * 5 + "。").encode("utf-8"), [300, 601, 902, 1203, 1504], "5 stray NUL characters"),
])
def test_reader_stray_nul_stays_in_place_with_a_warning(data, offsets, where):
    """A stray NUL costs nothing: the text keeps it where it was (offsets are the raw file's)."""
    text, _, warnings = decode(data, "raw/2020/page.txt")
    assert [i for i, c in enumerate(text) if c == "\x00"] == offsets
    assert len(warnings) == 1 and warnings[0].startswith("raw/2020/page.txt: ") and where in warnings[0]
    assert "read as spaces; offsets unchanged" in warnings[0]


def test_reader_only_nuls_and_whitespace_is_no_text():
    with pytest.raises(InputError, match="only whitespace"):
        decode(b" \x00\n", "x.txt")
