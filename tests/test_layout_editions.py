"""The edition as published (issue 18): the seed as a saved section page (UTF-8 and Shift_JIS), as a
two-column PDF with a running header and page numbers, and hard-wrapped at 40 characters as text copied
out of a PDF gives the plain seed's tables (dates, people, venues, clauses, meetings, sections) in every
field but offsets, and every row's text is text[start:end] of the file the tables index
(output/text/<doc_id>.txt, which documents.csv names)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.evaluate import check_offsets
from pipeline.load import read_rows

from conftest import RULES_DIR, SEED
from editions import COMPARED, broken_offsets, equal_rows, hard_wrapped, indexed_text, section_page, two_column_pdf

DOC_ID = "2017/" + SEED.stem


def extract(raw: Path, out: Path, *more: str) -> Path:
    assert main(["extract", "--raw", str(raw), "--rules", str(RULES_DIR), "--out", str(out), "--jobs", "1",
                 "--no-ner", "--no-cache", *more]) == 0
    return out


def edition(root: Path, name: str, data: bytes) -> Path:
    raw = root / "raw"
    (raw / "2017").mkdir(parents=True)
    (raw / "2017" / name).write_bytes(data)
    return raw


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("plain")
    return extract(edition(root, SEED.name, SEED.read_bytes()), root / "out")


@pytest.fixture(scope="session")
def seed_pdf(tmp_path_factory) -> Path:
    """The seed as a two-column PDF, made once per session."""
    return two_column_pdf(SEED.read_text(encoding="utf-8"), tmp_path_factory.mktemp("pdf") / "seed.pdf")


def _version(kind: str, root: Path, plain: Path, seed_pdf: Path) -> tuple[Path, Path]:
    if kind == "wrapped":
        raw = edition(root, SEED.name, hard_wrapped(SEED.read_text(encoding="utf-8"), 40).encode("utf-8"))
    elif kind == "pdf":
        raw = edition(root, SEED.stem + ".pdf", seed_pdf.read_bytes())
    else:
        charset = "Shift_JIS" if kind == "html-sjis" else "UTF-8"
        page = section_page(plain, DOC_ID, charset=charset)
        raw = edition(root, SEED.stem + ".html", page.encode("cp932" if charset == "Shift_JIS" else "utf-8"))
    return raw, extract(raw, root / "out")


@pytest.mark.parametrize("kind", ["wrapped", "pdf", "html", "html-sjis"])
def test_layout_edition_tables_equal_the_plain_seeds(kind, tmp_path, plain, seed_pdf):
    raw, out = _version(kind, tmp_path, plain, seed_pdf)
    counts = equal_rows(plain, out)
    print(kind, counts)  # the acceptance numbers: rows equal to the plain seed's, per table
    assert {t: (same, theirs) for t, (same, _, theirs) in counts.items()} == \
        {t: (n, n) for t, (_, n, _) in counts.items()}
    assert all(counts[t][1] > 0 for t in COMPARED)
    checked, broken = broken_offsets(out, raw)
    assert checked > 1000 and broken == []
    assert check_offsets(out, raw, {DOC_ID})[0] > 1000 and check_offsets(out, raw, {DOC_ID})[1] == []  # make eval
    _, docs = read_rows(out / "documents.csv")
    assert docs[0]["text_file"] == f"text/{DOC_ID}.txt" and (out / docs[0]["text_file"]).is_file()
    assert docs[0]["layout"] == ("plain" if kind.startswith("html") else "pdf")
    assert docs[0]["format"] == {"wrapped": "txt", "pdf": "pdf"}.get(kind, "html")


def test_layout_edition_wrapped_text_reflows_to_the_seed(tmp_path, plain, seed_pdf):
    raw, out = _version("wrapped", tmp_path, plain, seed_pdf)
    text, path = indexed_text(out, raw, DOC_ID)
    assert path.endswith(f"text/{DOC_ID}.txt") and text == SEED.read_text(encoding="utf-8")
    _, docs = read_rows(out / "documents.csv")
    assert docs[0]["layout_note"].startswith("pdf (auto); joined ")


def test_layout_edition_pdf_drops_page_furniture(tmp_path, plain, seed_pdf):
    raw, out = _version("pdf", tmp_path, plain, seed_pdf)
    text, _ = indexed_text(out, raw, DOC_ID)
    assert "防衛白書 2017" not in text and "\n401\n" not in f"\n{text}" and "\f" not in text
    assert [line for line in text.split("\n") if line] == [line for line in SEED.read_text(encoding="utf-8")
                                                           .split("\n") if line]
    _, docs = read_rows(out / "documents.csv")
    assert "page number" in docs[0]["layout_note"] and "running header" in docs[0]["layout_note"]


def test_layout_edition_plain_seed_is_indexed_as_is(plain):
    _, docs = read_rows(plain / "documents.csv")
    assert (docs[0]["format"], docs[0]["layout"], docs[0]["text_file"]) == ("txt", "plain", "")
    assert not (plain / "text").exists()
