"""Long input: paragraphs past SudachiPy's 49,149-byte and MeCab's limits are split with exact
offsets, and a 5 MB single file goes through the whole rules pipeline."""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from pipeline import load
from pipeline.cli import main
from pipeline.document import Document
from pipeline.ner import MAX_BYTES, byte_chunks
from pipeline.stages.tokenize import CHUNK, chunks

from conftest import RULES_DIR

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = (ROOT / "raw" / "2017" / "000_5aa69a72492d7d21.txt").read_text(encoding="utf-8")
SUDACHI_LIMIT = 49_149

LONG = [
    ("no punctuation at all", "日米同盟" * 20_000),
    ("seed without line breaks", (SEED_TEXT.replace("\n", "") * 15)[:60_000]),
    ("one sentence, only commas", ("両閣僚は、地域情勢について、" * 5_000)),
    ("astral characters", "𠮷野家" * 20_000),
]


@pytest.mark.parametrize("name,text", LONG, ids=[n for n, _ in LONG])
def test_byte_chunks_stay_under_sudachi_limit_and_tile_the_text(name, text):
    assert len(text.encode("utf-8")) > SUDACHI_LIMIT
    spans = byte_chunks(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a < b for a, b in spans)
    assert all(b == a2 for (_, b), (a2, _) in zip(spans, spans[1:]))
    assert all(len(text[a:b].encode("utf-8")) <= MAX_BYTES < SUDACHI_LIMIT for a, b in spans)


@pytest.mark.parametrize("name,text", LONG, ids=[n for n, _ in LONG])
def test_mecab_chunks_tile_the_text(name, text):
    spans = chunks(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(b == a2 for (_, b), (a2, _) in zip(spans, spans[1:]))
    assert all(0 < b - a <= CHUNK for a, b in spans)


@pytest.mark.parametrize("name,text", LONG, ids=[n for n, _ in LONG])
def test_long_paragraph_tokens_have_exact_offsets(extractor, name, text):
    doc = extractor.extract(Document("test/long", "", "第1章 総論\n" + text + "\n"))
    assert doc.tokens
    for table in ("blocks", "sentences", "tokens", "dates", "people", "venues", "clauses"):
        for row in getattr(doc, table):
            assert doc.text[row.start:row.end] == row.text, (table, row)
    body = [t for t in doc.tokens if t.block_id == 2]
    assert body[0].start == len("第1章 総論\n") and body[-1].end == len(doc.text) - 1
    # no character but whitespace is lost between tokens
    assert all(doc.text[a.end:b.start].strip() == "" for a, b in zip(body, body[1:]))


def test_five_megabyte_file(tmp_path, capsys):
    raw = tmp_path / "raw" / "2017"
    raw.mkdir(parents=True)
    text = (SEED_TEXT + "\n") * (5_000_000 // len(SEED_TEXT.encode("utf-8")) + 1)
    assert len(text.encode("utf-8")) > 5_000_000
    (raw / "big.txt").write_text(text, encoding="utf-8")
    code = main(["extract", "--raw", str(tmp_path / "raw"), "--rules", str(RULES_DIR), "--out",
                 str(tmp_path / "out"), "--jobs", "1", "--no-ner", "--no-cache"])
    assert code == 0
    assert "extracted 1 of 1 documents" in capsys.readouterr().out
    csv.field_size_limit(sys.maxsize)
    tables = load(tmp_path / "out")
    assert len(tables["sections"]) > 19 * text.count("第II部 わが国の安全保障")
    blocks = tables["blocks"]
    assert all(text[s:e] == t for s, e, t in zip(blocks["start"], blocks["end"], blocks["text"]))
    tokens = tables["tokens"]
    assert tokens["end"].max() <= len(text)
    sample = tokens.iloc[::997]
    assert all(text[s:e] == t for s, e, t in zip(sample["start"], sample["end"], sample["text"]))
