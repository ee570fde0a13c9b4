"""A run killed in the middle resumes from the per-document cache: the documents it finished are not
extracted again, and the tables are the same as those of a run that was never interrupted."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

from pipeline.cli import main
from tests.conftest import ROOT, RULES_DIR, SEED

# a run (one worker: documents in order) that is killed when it starts its third document
KILL_AT_THIRD = """
import os, signal, sys
from pipeline import run
from pipeline.cli import main

real, calls = run._extract_path, []

def third_kills(*args):
    calls.append(1)
    if len(calls) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args)

run._extract_path = third_kills
sys.exit(main(sys.argv[1:]))
"""


def _raw(tmp_path):
    raw = tmp_path / "raw" / "2017"
    raw.mkdir(parents=True)
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for i in range(5):  # five different documents
        (raw / f"doc{i}.txt").write_text("\n".join(lines[i * 12:(i + 1) * 12 + 20]) + "\n", encoding="utf-8")
    return tmp_path / "raw"


def _args(raw, out, cache):
    return ["extract", "--raw", str(raw), "--rules", str(RULES_DIR), "--out", str(out), "--jobs", "1", "--no-ner",
            "--cache", str(cache)]


def _stage_files(cache):
    return {p.name: p.stat().st_mtime_ns for p in cache.rglob("*.s0")}


def test_cache_resume_after_a_kill_recomputes_only_unfinished_documents(tmp_path):
    raw = _raw(tmp_path)
    assert main(_args(raw, tmp_path / "whole", tmp_path / "cache-whole")) == 0
    proc = subprocess.run([sys.executable, "-c", KILL_AT_THIRD, *_args(raw, tmp_path / "out", tmp_path / "cache")],
                          cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == -signal.SIGKILL
    done = _stage_files(tmp_path / "cache")
    assert len(done) == 2  # two documents finished before the kill
    assert main(_args(raw, tmp_path / "out", tmp_path / "cache")) == 0
    after = _stage_files(tmp_path / "cache")
    assert len(after) == 5
    assert {name: after[name] for name in done} == done  # the finished documents were not extracted again
    whole = {p.name: p.read_bytes() for p in (tmp_path / "whole").glob("*.csv")}
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").glob("*.csv")} == whole
