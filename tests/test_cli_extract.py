"""`python -m pipeline extract`: per-document isolation, failures.csv, exit codes, summary line,
progress bar only on a terminal, CRLF = LF, byte-identical re-runs, untouched output on bad setup."""
from __future__ import annotations

import ast
import codecs
import csv
import fcntl
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.document import Document
from pipeline.tables import render, write_doc_tables

from conftest import RULES_DIR as RULES

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "raw" / "2017" / "000_5aa69a72492d7d21.txt"
GOOD = "第1章 日米同盟\n\n1 政策協議\n両閣僚は、2017年2月4日に会談し、認識で一致した。\n"


def extract(raw: Path, out: Path, *more: str) -> int:
    return main(["extract", "--raw", str(raw), "--rules", str(RULES), "--out", str(out), "--jobs", "1",
                 "--no-ner", "--no-cache", *more])


def read_csv(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)  # a 200,000-character line is one cell
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def earlier_output(out: Path) -> dict[str, bytes]:
    """An output folder as an earlier run left it; its snapshot."""
    write_doc_tables(out, [render(Document("2017/old", "2017", "旧い本文。\n"))[0]], [])
    return snapshot(out)


BAD_FILES: dict[str, bytes] = {
    "2017/b_undecodable": "日米同盟".encode("utf-8") + b"\xff\xfe" + "一致".encode("utf-8"),
    "2017/c_binary": bytes(range(256)) * 8,
    "2017/d_empty": b"",
    "2017/e_whitespace": " \n\t\r\n\u3000\n".encode("utf-8"),
    "2017/g_surrogate": "本文".encode("utf-8") + b"\xed\xb3\x80" + "です".encode("utf-8"),
}
GOOD_FILES: dict[str, bytes] = {
    "2017/a_good": GOOD.encode("utf-8"),
    # PDF copy-paste: the seed's text without a single line break
    "2017/h_long_line": (SEED.read_text(encoding="utf-8").replace("\n", "") * 40)[:200_000].encode("utf-8"),
    "2017/i_cp932": GOOD.replace("\n", "\r\n").encode("cp932"),
    "2018/j_bom_crlf": codecs.BOM_UTF8 + GOOD.replace("\n", "\r\n").encode("utf-8"),
    "2018/k_nul": GOOD.replace("両閣僚は", "両閣僚は\x00").encode("utf-8"),  # a stray NUL: extracted, with a warning
}


def make_raw(root: Path, files: dict[str, bytes]) -> Path:
    for doc_id, data in files.items():
        path = root / f"{doc_id}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def test_bad_documents_are_isolated_and_listed(tmp_path, capsys):
    raw = make_raw(tmp_path / "raw", {**BAD_FILES, **GOOD_FILES})
    out = tmp_path / "output"
    assert extract(raw, out) == 1
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(BAD_FILES)
    for doc_id, line in zip(sorted(BAD_FILES), errors):
        assert str(raw / f"{doc_id}.txt") in line
    assert "byte offset 12" in errors[0]
    assert "Traceback" not in captured.err
    assert any("CP932" in line and "i_cp932.txt" in line for line in captured.err.splitlines())
    # failures.csv: one row per bad file; every good file is in the tables; no document lost
    failures = read_csv(out / "failures.csv")
    assert [(r["doc_id"], r["stage"]) for r in failures] == [(d, "read") for d in sorted(BAD_FILES)]
    documents = read_csv(out / "documents.csv")
    assert [r["doc_id"] for r in documents] == sorted(GOOD_FILES)
    assert {r["doc_id"]: r["encoding"] for r in documents}["2017/i_cp932"] == "cp932"
    blocks = read_csv(out / "blocks.csv")
    assert {r["doc_id"] for r in blocks} == set(GOOD_FILES)
    long_blocks = [r for r in blocks if r["doc_id"] == "2017/h_long_line"]
    assert [(r["start"], r["end"]) for r in long_blocks] == [("0", "200000")]
    # the stray NUL: a warning naming the file and offset; the row text keeps it where the raw file has it
    nul_at = GOOD.index("両閣僚は") + len("両閣僚は")
    assert any("k_nul.txt" in line and f"character {nul_at}" in line for line in captured.err.splitlines())
    nul_text = GOOD_FILES["2018/k_nul"].decode("utf-8")
    nul_blocks = [r for r in blocks if r["doc_id"] == "2018/k_nul" and "\x00" in r["text"]]
    assert [nul_text[int(r["start"]):int(r["end"])] for r in nul_blocks] == [r["text"] for r in nul_blocks] != []
    dates = read_csv(out / "dates.csv")
    assert [r["value"] for r in dates if r["doc_id"] == "2018/k_nul"] == ["2017-02-04"]
    # the summary line
    summary = captured.out.strip().splitlines()[-1]
    assert summary.startswith(f"extracted {len(GOOD_FILES)} of {len(GOOD_FILES) + len(BAD_FILES)} documents")
    assert f"{len(BAD_FILES)} failed" in summary and "sections " in summary and "tokens " in summary


def test_clean_run_exits_zero_with_empty_failures(tmp_path, capsys):
    raw = make_raw(tmp_path / "raw", {"2017/a": GOOD.encode("utf-8")})
    assert extract(raw, tmp_path / "out") == 0
    assert read_csv(tmp_path / "out" / "failures.csv") == []
    assert capsys.readouterr().err == ""


def test_fail_fast_stops_and_leaves_output(tmp_path, capsys):
    # the document after the bad one would warn (CP932) if it were read
    raw = make_raw(tmp_path / "raw", {"2017/a_bad": b"\xff\xfe\xfd", "2017/b_good": GOOD_FILES["2017/i_cp932"]})
    out = tmp_path / "output"
    before = earlier_output(out)
    assert extract(raw, out, "--fail-fast") == 1
    err = capsys.readouterr().err
    assert "a_bad.txt" in err and "--fail-fast" in err
    assert "CP932" not in err  # it stopped at the first failure
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output", "raw"]  # no temporary folder, no lock


def test_crlf_and_bom_give_the_same_tables_as_lf(tmp_path, capsys):
    seed = SEED.read_text(encoding="utf-8")
    lf = make_raw(tmp_path / "lf", {"2017/doc": seed.encode("utf-8")})
    crlf = make_raw(tmp_path / "crlf", {"2017/doc": codecs.BOM_UTF8 + seed.replace("\n", "\r\n").encode("utf-8")})
    assert extract(lf, tmp_path / "out_lf") == 0
    assert extract(crlf, tmp_path / "out_crlf") == 0
    a, b = snapshot(tmp_path / "out_lf"), snapshot(tmp_path / "out_crlf")
    assert a.pop("documents.csv") != b.pop("documents.csv")  # only the encoding column differs
    assert a == b
    assert len(a["blocks.csv"]) > 1000


def test_second_run_is_byte_identical(tmp_path, capsys):
    files = {k: v for k, v in GOOD_FILES.items() if "long" not in k}
    raw = make_raw(tmp_path / "raw", {"2017/seed": SEED.read_bytes(), **files, **BAD_FILES})
    out = tmp_path / "output"
    assert extract(raw, out) == 1
    first = snapshot(out)
    assert extract(raw, out) == 1
    assert snapshot(out) == first
    # the replaced run is kept beside it
    assert snapshot(tmp_path / ".output.previous") == first


@pytest.mark.parametrize("args,message", [
    (["--raw", "does/not/exist"], "raw folder not found"),
    (["--rules", "does/not/exist"], "rules folder not found"),
])
def test_bad_arguments_leave_output(tmp_path, capsys, args, message):
    out = tmp_path / "output"
    before = earlier_output(out)
    argv = ["extract", "--raw", str(tmp_path), "--rules", str(RULES), "--out", str(out), "--no-ner", "--no-cache",
            *args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert snapshot(out) == before


def test_broken_rule_file_leaves_output(tmp_path, capsys):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    text = (rules / "headings.yaml").read_text(encoding="utf-8")
    (rules / "headings.yaml").write_text(text.replace("rank: 4", "rank: four"), encoding="utf-8")
    out = tmp_path / "output"
    before = earlier_output(out)
    raw = make_raw(tmp_path / "raw", {"2017/a": GOOD.encode("utf-8")})
    code = main(["extract", "--raw", str(raw), "--rules", str(rules), "--out", str(out), "--no-ner", "--jobs", "1",
                 "--no-cache"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "headings.yaml:" in err and "heading.number" in err
    assert snapshot(out) == before


def _cli(raw: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline", "extract", "--raw", str(raw), "--rules", str(RULES), "--out", str(out),
            "--jobs", "1", "--no-ner", "--no-cache"]


def test_progress_bar_only_on_a_terminal(tmp_path):
    raw = make_raw(tmp_path / "raw", {"2017/a": GOOD.encode("utf-8"), "2017/b": GOOD.encode("utf-8")})
    piped = subprocess.run(_cli(raw, tmp_path / "o1"), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert piped.returncode == 0
    assert piped.stderr == ""
    assert piped.stdout.startswith("extracted 2 of 2 documents") and piped.stdout.count("\n") == 1

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal 100 columns wide
    proc = subprocess.Popen(_cli(raw, tmp_path / "o2"), cwd=ROOT, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    stdout, _ = proc.communicate(timeout=300)
    os.close(master)
    assert proc.returncode == 0
    assert b"2/2" in shown and b"doc" in shown
    assert stdout.decode().startswith("extracted 2 of 2 documents")


def test_cli_errors_have_no_traceback(tmp_path):
    raw = make_raw(tmp_path / "raw", {"2017/bad": b"\x00\x01\x02\xff"})
    done = subprocess.run(_cli(raw, tmp_path / "out"), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[0].startswith(f"error: {raw / '2017' / 'bad.txt'}: binary content")
    assert read_csv(tmp_path / "out" / "failures.csv")[0]["doc_id"] == "2017/bad"


@pytest.mark.parametrize(("argv", "imported"), [(["extract"], False), (["check-rules"], False), (["report"], True),
                                                ([], True), (["--help"], True)])
def test_only_the_command_run_imports_its_module(argv, imported):
    """An extract starts without importing the report's (or any other command's) module; the help and
    the other commands still see every command."""
    code = ("import sys; from pipeline.cli import _parser; _parser(sys.argv[1] if len(sys.argv) > 1 else None); "
            "print(sorted(m for m in sys.modules if m.startswith(('pipeline.report', 'pipeline.bench'))))")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd=ROOT, check=True)
    modules = ast.literal_eval(out.stdout)
    assert bool(modules) is imported
    assert ("pipeline.bench" in modules) is imported


def test_every_command_is_listed_in_the_help():
    out = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0
    for command in ("extract", "check-rules", "eval", "explain", "report", "bench", "xlsx"):
        assert command in out.stdout
