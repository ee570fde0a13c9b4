"""A rule with a catastrophic-backtracking regex is bounded: the document fails with one line
naming the rule, the other documents are still extracted, nothing hangs."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.document import Document
from pipeline.errors import StageError
from pipeline.ruleset import MATCH_TIMEOUT_S, CompiledPattern, load_rules
from pipeline.run import Extractor

from conftest import RULES_DIR

ROOT = Path(__file__).resolve().parent.parent
EVIL = "(a|aa)+$"  # exponential in any backtracking engine
HOSTILE_LINE = "a" * 900 + "!"  # under blocks.yaml max_line_length, so the rule runs


def test_compiled_pattern_times_out_as_stage_error():
    pattern = CompiledPattern.of("block.evil", "(a+)+$")
    with pytest.raises(StageError) as info:
        pattern.search("a" * 20_000 + "!")
    assert "block.evil" in str(info.value) and f"{MATCH_TIMEOUT_S}" in str(info.value)
    assert pattern.search("aaa") is not None  # the pattern still works on ordinary input


def _evil_rules(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    text = (rules / "blocks.yaml").read_text(encoding="utf-8")
    evil = (f"rules:\n  - id: block.evil\n    kind: boilerplate\n    pattern: '{EVIL}'\n")
    (rules / "blocks.yaml").write_text(text.replace("rules:\n", evil, 1), encoding="utf-8")
    return rules


def test_catastrophic_rule_fails_one_document_in_one_line(tmp_path, capsys):
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
