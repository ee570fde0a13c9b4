"""The CSV writer: spreadsheet-formula guard, exact round trip through pandas, atomic swap,
and a run killed mid-way leaving the previous output intact."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline import load
from pipeline.document import Block, Document, Section, Sentence
from pipeline import tables
from pipeline.cli import main
from pipeline.tables import CORPUS_COLUMNS, MARKER, TABLES, drop_broken_rows, neutralise, render, unneutralise, write_doc_tables

from conftest import RULES_DIR


def _write_tables(out, docs, failures):
    """Every table of these documents, rendered and written as a run does."""
    return write_doc_tables(out, [render(doc)[0] for doc in docs], failures)


ROOT = Path(__file__).resolve().parent.parent

HOSTILE = ["=SUM(A1:A9)", "+81-3-1234", "-1", "@cmd", "\tx", "'=quoted", "'plain", "a,b", 'say "hi"', "two\nlines",
           "cr\rinside", "plain", ""]


def doc_with(title: str, line: str) -> Document:
    text = f"(1){title}\n{line}\n"
    a = text.index(line)
    blocks = (Block(1, 1, "heading", 0, len(text.split("\n")[0]), text.split("\n")[0], "heading.paren_number"),
              Block(2, 1, "paragraph", a, a + len(line), line))
    section = Section(1, None, 1, "(1)", title, "(1)", 0, a + len(line), 1, "heading.paren_number")
    sentence = Sentence(1, 2, 1, a, a + len(line), line)
    return Document("2017/doc", "2017", text, blocks=blocks, sections=(section,), sentences=(sentence,))


@pytest.mark.parametrize("value", HOSTILE)
def test_neutralise_round_trip(value):
    safe = neutralise(value)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unneutralise(safe) == value


@pytest.mark.parametrize("value", HOSTILE)
def test_free_text_is_guarded_and_span_text_exact(tmp_path, value):
    line = value.replace("\n", " ").replace("\r", " ") or "x"  # a block is one line
    doc = doc_with(value or "t", line)
    _write_tables(tmp_path / "out", [doc], [])
    raw = pd.read_csv(tmp_path / "out" / "sections.csv", dtype=str, keep_default_na=False)
    assert not raw["title"][0].startswith(("=", "+", "-", "@", "\t", "\r"))
    blocks = pd.read_csv(tmp_path / "out" / "blocks.csv", dtype=str, keep_default_na=False)
    assert blocks["text"][1] == line  # span text is never escaped
    tables = load(tmp_path / "out")
    assert tables["sections"]["title"].iloc[0] == (value or "t")
    assert tables["blocks"]["text"].iloc[1] == line
    text = doc.text
    assert all(text[s:e] == t for s, e, t in zip(tables["blocks"]["start"], tables["blocks"]["end"],
                                                  tables["blocks"]["text"]))


def test_commas_quotes_newlines_round_trip_through_read_csv(tmp_path):
    title = 'a,"b",\nc\r\nd\'e'
    _write_tables(tmp_path / "out", [doc_with(title, "本文,「引用」\"です\"。")], [("2017/x", "read", 'bad "byte",\nhere')])
    sections = pd.read_csv(tmp_path / "out" / "sections.csv", dtype=str, keep_default_na=False)
    assert sections["title"][0] == title
    blocks = pd.read_csv(tmp_path / "out" / "blocks.csv", dtype=str, keep_default_na=False)
    assert blocks["text"][1] == "本文,「引用」\"です\"。"
    failures = pd.read_csv(tmp_path / "out" / "failures.csv", dtype=str, keep_default_na=False)
    assert failures["error"][0] == 'bad "byte",\nhere'


def test_every_table_is_written_with_its_header(tmp_path):
    _write_tables(tmp_path / "out", [], [])
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted([f"{t}.csv" for t in (*TABLES, *CORPUS_COLUMNS)] + ["documents.csv", "failures.csv", MARKER])
    for table, (_, columns) in TABLES.items():
        assert (tmp_path / "out" / f"{table}.csv").read_text(encoding="utf-8") == ",".join(("doc_id",) + columns) + "\n"
    for table, columns in CORPUS_COLUMNS.items():
        assert (tmp_path / "out" / f"{table}.csv").read_text(encoding="utf-8") == ",".join(columns) + "\n"


def test_rows_breaking_offsets_are_dropped_with_a_warning():
    doc = doc_with("総論", "本文です。")
    bad = Block(3, 1, "paragraph", 0, 3, "ずれた")
    fixed, messages = drop_broken_rows(Document(doc.doc_id, doc.edition, doc.text, blocks=doc.blocks + (bad,),
                                                sections=doc.sections, sentences=doc.sentences))
    assert fixed.blocks == doc.blocks
    assert messages == ("2017/doc: dropped 1 blocks row(s) whose text is not raw_text[start:end]",)
    assert fixed.warnings == messages


def test_interrupted_write_leaves_previous_output(tmp_path, monkeypatch):
    out = tmp_path / "output"
    _write_tables(out, [doc_with("旧", "旧い本文。")], [])
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real, calls = tables._write_rows, []

    def write_then_interrupt(f, rows):  # the writer gets half-way, then the user presses Ctrl-C
        calls.append(f)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real(f, rows)

    monkeypatch.setattr(tables, "_write_rows", write_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        _write_tables(out, [doc_with("新", "新しい本文。")], [])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]  # no temporary folder left


def test_stale_temporary_folders_of_dead_runs_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".output.tmp-{dead.stdout.strip()}-abc"
    stale.mkdir()
    (stale / "blocks.csv").write_text("half", encoding="utf-8")
    _write_tables(tmp_path / "output", [], [])
    assert not stale.exists()
    assert (tmp_path / "output" / "blocks.csv").exists()


# a run that stops (sleeps) at a chosen point and says so on stderr, so the test kills it exactly there
KILL_SCRIPT = """
import sys, time
from pipeline import run, tables
from pipeline.cli import main

point, argv = sys.argv[1], sys.argv[2:]
module, name, nth = {"extract": (run, "_extract_path", 2), "write": (tables, "_write_rows", 3),
                     "swap": (tables, "swap_in", 1), "exchanged": (tables, "_exchange", 1)}[point]
real, calls = getattr(module, name), []

def stop_there(*args, **kw):
    calls.append(1)
    if point == "exchanged":
        real(*args, **kw)
    if len(calls) == nth:
        print("stopped at", point, file=sys.stderr, flush=True)
        time.sleep(600)
    return real(*args, **kw) if point != "exchanged" else True

setattr(module, name, stop_there)
sys.exit(main(argv))
"""


def _stopped_run(point: str, raw: Path, out: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, point, "extract", "--raw", str(raw), "--rules",
                             str(RULES_DIR), "--out", str(out), "--jobs", "1", "--no-ner", "--no-cache"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()  # blocks until the run is at that point
    assert line == f"stopped at {point}\n", line + proc.stderr.read()
    return proc


def _kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    proc.stdout.close()
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.parametrize("point", ["extract", "write", "swap", "exchanged"])
def test_killed_run_leaves_a_whole_output(tmp_path, capsys, point):
    """SIGKILL a real run at each point of its work: output/ is the previous run (or, once the folders are
    exchanged, the new one), whole; a second run meanwhile refuses (lock); the next run cleans up."""
    raw = tmp_path / "raw" / "2017"
    raw.mkdir(parents=True)
    for name in ("a", "b"):
        (raw / f"{name}.txt").write_text(f"第1章 総論\n{name}の本文です。\n", encoding="utf-8")
    out = tmp_path / "output"
    _write_tables(out, [doc_with("旧", "旧い本文。")], [])
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    proc = _stopped_run(point, tmp_path / "raw", out)
    try:
        second = main(["extract", "--raw", str(tmp_path / "raw"), "--rules", str(RULES_DIR), "--out", str(out),
                       "--jobs", "1", "--no-ner", "--no-cache"])
        assert second == 2
        assert f"another run (pid {proc.pid}) is writing into it" in capsys.readouterr().err
    finally:
        _kill(proc)
    now = {p.name: p.read_bytes() for p in out.iterdir()}
    if point == "exchanged":
        assert load(out)["documents"]["doc_id"].tolist() == ["2017/a", "2017/b"]
    else:
        assert now == before
    # the next run cleans up whatever the killed one left (temporary folder, lock file) and replaces the output
    assert main(["extract", "--raw", str(tmp_path / "raw"), "--rules", str(RULES_DIR), "--out", str(out),
                 "--jobs", "1", "--no-ner", "--no-cache"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.previous", "output", "raw"]
    assert load(out)["documents"]["doc_id"].tolist() == ["2017/a", "2017/b"]


def test_token_rows_escape_formula_starts_except_in_span_text():
    """Tokens are written column by column when no cell needs a change; a lemma or reading that a
    spreadsheet would run as a formula still gets its quote, and the span text stays exact."""
    from pipeline.document import Token

    text = "日米=会談"
    plain = (Token(1, 1, 1, 0, 2, "日米", "日米", "名詞", "普通名詞", "一般", "", "ニチベイ"),
             Token(2, 1, 1, 3, 5, "会談", "会談", "名詞", "普通名詞", "サ変可能", "", "カイダン"))
    doc = Document("2017/x", "2017", text, tokens=plain)
    assert tables.table_text(doc, "tokens") == (
        "2017/x,1,1,0,2,日米,日米,名詞,普通名詞,一般,,ニチベイ,1\n"
        "2017/x,1,2,3,5,会談,会談,名詞,普通名詞,サ変可能,,カイダン,1\n", 2)
    risky = plain + (Token(3, 1, 1, 2, 3, "=", "=", "補助記号", "一般", "", "", "-"),)
    assert tables.table_text(Document("2017/x", "2017", text, tokens=risky), "tokens")[0].splitlines()[2] == \
        "2017/x,1,3,2,3,=,'=,補助記号,一般,,,'-,1"
    with_cr = (Token(1, 1, 1, 0, 2, "日米", "日\r米", "名詞", "", "", "", ""),)
    assert tables.table_text(Document("2017/x", "2017", text, tokens=with_cr), "tokens")[0] == \
        '"2017/x","1","1","0","2","日米","日\r米","名詞","","","","","1"\n'
