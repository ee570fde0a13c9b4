"""A rule with a catastrophic-backtracking regex is bounded: the document fails with one line
naming the rule, the other documents are still extracted, nothing hangs."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.document import Document
from pipeline.errors import StageError
from pipeline import ruleset
from pipeline.ruleset import CompiledPattern, load_rules
from pipeline.run import Extractor

from conftest import RULES_DIR

ROOT = Path(__file__).resolve().parent.parent
EVIL = "(a|aa)+$"  # exponential in any backtracking engine
HOSTILE_LINE = "a" * 900 + "!"  # under blocks.yaml max_line_length, so the rule runs


@pytest.fixture
def short_limit(monkeypatch) -> float:
    """A 0.5 s limit (the shipped one is 2 s of CPU): the same behaviour, less time spent."""
    monkeypatch.setattr(ruleset, "MATCH_TIMEOUT_S", 0.5)
    return 0.5


def test_compiled_pattern_times_out_as_stage_error(short_limit):
    pattern = CompiledPattern.of("block.evil", "(a+)+$")
    with pytest.raises(StageError) as info:
        pattern.search("a" * 20_000 + "!")
    assert "block.evil" in str(info.value) and f"took over {short_limit}s" in str(info.value)
    assert pattern.search("aaa") is not None  # the pattern still works on ordinary input


# a catastrophic match under a 1 s limit, in a process the test keeps stopping and continuing
PAUSED_MATCH = """
import sys, time
import pipeline.ruleset as ruleset
from pipeline.errors import StageError

ruleset.MATCH_TIMEOUT_S = 1.0
pattern = ruleset.CompiledPattern.of("block.evil", "(a|aa)+$")
print("matching", flush=True)
wall, cpu = time.monotonic(), time.process_time()
try:
    pattern.search("a" * 900 + "!")
except StageError:
    print(f"{time.monotonic() - wall:.2f} {time.process_time() - cpu:.2f}", flush=True)
"""


def test_rule_time_limit_counts_cpu_time_not_waiting():
    """A loaded machine does not fail a document: the limit is CPU time. The match runs in a process
    that gets the CPU about one time in eight (stopped 0.35 s, running 0.05 s): it ends only after a
    whole second of CPU, so long after a second of waiting."""
    proc = subprocess.Popen([sys.executable, "-c", PAUSED_MATCH], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "matching\n"
    while proc.poll() is None:
        os.kill(proc.pid, signal.SIGSTOP)
        time.sleep(0.35)
        os.kill(proc.pid, signal.SIGCONT)
        time.sleep(0.05)
    wall, cpu = map(float, proc.stdout.readline().split())
    proc.communicate(timeout=60)
    assert cpu >= 0.9  # the whole second of CPU before the limit stopped it ...
    assert wall >= 2 * cpu  # ... though it waited much longer


def _evil_rules(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    text = (rules / "blocks.yaml").read_text(encoding="utf-8")
    evil = (f"rules:\n  - id: block.evil\n    kind: boilerplate\n    pattern: '{EVIL}'\n")
    (rules / "blocks.yaml").write_text(text.replace("rules:\n", evil, 1), encoding="utf-8")
    return rules


def test_catastrophic_rule_fails_one_document_in_one_line(tmp_path, capsys, short_limit):
    rules = _evil_rules(tmp_path)
    doc = Document("2017/hostile", "", "第1章 総論\n" + HOSTILE_LINE + "\n")
    with pytest.raises(StageError) as info:
        Extractor(load_rules(rules), ner=False).extract(doc)
    assert info.value.stage == "segment" and "block.evil" in info.value.reason
    assert "\n" not in str(info.value)

    raw = tmp_path / "raw" / "2017"
    raw.mkdir(parents=True)
    (raw / "hostile.txt").write_text(doc.text, encoding="utf-8")
    (raw / "ordinary.txt").write_text("第1章 総論\n両閣僚は一致した。\n", encoding="utf-8")
    code = main(["extract", "--raw", str(tmp_path / "raw"), "--rules", str(rules), "--out", str(tmp_path / "out"),
                 "--jobs", "1", "--no-ner", "--no-cache"])
    assert code == 1
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error: ")]
    assert len(err) == 1 and "hostile.txt" in err[0] and "stage segment" in err[0] and "block.evil" in err[0]
    failures = (tmp_path / "out" / "failures.csv").read_text(encoding="utf-8").splitlines()
    assert failures[1].startswith("2017/hostile,segment,")
    assert "2017/ordinary" in (tmp_path / "out" / "documents.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("pattern", [
    "内閣総理大臣|総理大臣|総理",
    r"[米英仏]?\p{Han}{0,6}(?:大臣|長官)",
    r"(?:[\p{Han}--[及並と]]|・(?=\p{Han})){0,12}(?:大臣|長官)",  # regex V1 set difference
    r"(?P<m>\d{1,2})月|(?P<m>[一二三]{1,3})月",  # one group name twice (regex allows it)
    r"^\S+$",
])
def test_patterns_that_cannot_backtrack_badly_are_cheap(pattern):
    assert ruleset.cheap_pattern(pattern)


@pytest.mark.parametrize("pattern", [
    "(a+)+$", "(a|aa)+$", r"(\w+\s?)*$",   # a repeat or an alternation inside an unbounded repeat
    r"(?P<sep>[./])\d(?P=sep)",            # a back reference
    r"\S.*、.*。",                          # two unbounded repeats: polynomial blow-up
    r"\d{0,20}\d{0,20}\d{0,20}",           # bounded, but too many combinations
    r"(?r)abc",                             # syntax only the regex module reads
])
def test_patterns_that_could_run_long_keep_their_time_limit(pattern):
    assert not ruleset.cheap_pattern(pattern)


def test_a_cheap_pattern_on_a_long_text_keeps_its_time_limit(short_limit):
    pattern = CompiledPattern.of("block.slow", "a.*b")  # cheap, but quadratic when no b follows
    assert pattern.cheap
    with pytest.raises(StageError) as info:
        pattern.search("a" * 300_000)
    assert "block.slow" in str(info.value)
