"""`pipeline eval` lists the rows to look at: misses and false positives, with text and rule id."""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.evaluate import evaluate, format_problems

ROOT = Path(__file__).resolve().parent.parent
DOC = "2017/x"
RAW = "両閣僚は、地域情勢への認識を共有し、協力を確認した。\n(1)日米防衛相会談(16(平成28)年9月16日(米国防省))\n"


def write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = list(dict.fromkeys(c for r in rows for c in r)) or ["doc_id"]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns)
        w.writeheader()
        w.writerows(rows)


def span_row(text: str, **fields) -> dict:
    start = RAW.index(text)
    return {"doc_id": DOC, "start": str(start), "end": str(start + len(text)), "text": text, **fields}


@pytest.fixture
def tree(tmp_path):
    def make(table: str, gold: list[dict], out: list[dict], scope_end: int | None = None):
        write(tmp_path / "gold" / "x" / f"{table}.csv", gold)
        write(tmp_path / "out" / f"{table}.csv", out)
        if scope_end is not None:
            write(tmp_path / "gold" / "x" / "scope.csv", [{"doc_id": DOC, "end": str(scope_end)}])
        (tmp_path / "raw" / "2017").mkdir(parents=True, exist_ok=True)
        (tmp_path / "raw" / "2017" / "x.txt").write_text(RAW, encoding="utf-8")
        return tmp_path / "out", tmp_path / "gold", tmp_path / "raw"

    return make


CASES = [
    # (table, gold rows, output rows, expected (kind, text, rule, detail fragment) problems)
    ("clauses", [span_row("認識を共有し", type="share", actor="both")],
     [span_row("認識を共有し", type="confirm", actor="both", rule="clause.confirm.kakunin")],
     [("miss", "認識を共有し", "clause.confirm.kakunin", "type gold='share' output='confirm'"),
      ("false_positive", "認識を共有し", "clause.confirm.kakunin", "overlaps unmatched gold")]),
    ("clauses", [span_row("確認した", type="confirm", actor="both")], [],
     [("miss", "確認した", "", "no overlapping output row")]),
    ("clauses", [span_row("確認した", type="confirm", actor="both")],
     [span_row("確認した", type="confirm", actor="both", rule="clause.confirm.kakunin"),
      span_row("共有し", type="share", actor="both", rule="clause.share.kyoyu")],
     [("false_positive", "共有し", "clause.share.kyoyu", "no gold row here")]),
    ("dates", [span_row("16(平成28)年9月16日", value="2016-09-16", granularity="day")],
     [span_row("16(平成28)年9月16日", value="2016-09-16", granularity="day", rule="date.white_paper")], []),
    ("dates", [span_row("16(平成28)年9月16日", value="2016-09-16", granularity="day")],
     [span_row("9月16日", value="2016-09-16", granularity="day", rule="date.md")], []),  # overlap is enough
    ("people", [span_row("両閣僚", name="x", title="y", country="JP", former="false")],
     [span_row("両閣僚", name="x", title="y", country="JP", former="true", rule="person.title")],
     [("miss", "両閣僚", "person.title", "former gold='false' output='true'"),
      ("false_positive", "両閣僚", "person.title", "overlaps unmatched gold")]),
    ("meetings", [{"doc_id": DOC, "title": "日米防衛相会談", "date": "2016-09-16", "venue": "米国防省",
                   "participants": "稲田"}],
     [{"doc_id": DOC, "title": "日米防衛相会談", "date": "2016-09-16", "venue": "防衛省", "participants": "p1",
       "start": "27", "end": "70", "rule": "meeting.heading"}],
     [("miss", "日米防衛相会談 2016-09-16 @米国防省 [稲田]", "meeting.heading", "venue gold='米国防省' output='防衛省'")]),
    ("meetings", [], [{"doc_id": DOC, "title": "t", "date": "2016-09-17", "venue": "", "participants": ""}], []),
    ("sections", [{"doc_id": DOC, "label": "(1)", "title": "日米防衛相会談", "path": "(1)"}],
     [{"doc_id": DOC, "label": "(1)", "title": "日米防衛相会談(16)", "path": "(1)", "start": "27", "end": "70",
       "rule": "heading.paren_number"}],
     [("miss", "(1) 日米防衛相会談", "", "path '(1)'"),
      ("false_positive", "(1) 日米防衛相会談(16)", "heading.paren_number", "path '(1)'")]),
]


@pytest.mark.parametrize(("table", "gold", "out", "expected"), CASES)
def test_problems(tree, table, gold, out, expected):
    report = evaluate(*tree(table, gold, out))
    got = [(p.kind, p.text, p.rule, p.detail) for p in report.problems]
    assert len(got) == len(expected), got
    for (kind, text, rule, detail), want in zip(got, expected):
        assert (kind, text, rule) == want[:3]
        assert want[3] in detail, detail


def test_meeting_participants_compare_through_person_names(tree):
    out_dir, gold_dir, raw_dir = tree("meetings", [{"doc_id": DOC, "date": "2016-09-16", "venue": "v",
                                                    "participants": "カーター|稲田"}],
                                      [{"doc_id": DOC, "date": "2016-09-16", "venue": "v", "participants": "p1|p2"}])
    write(out_dir / "people.csv", [span_row("両閣僚", name="稲田", person_id="p1"),
                                   span_row("共有し", name="アシュトン・カーター", person_id="p2")])
    report = evaluate(out_dir, gold_dir, raw_dir)
    assert report.scores["meetings.+participants"].hits == 1
    assert report.problems == []


def test_rows_after_the_scope_are_not_scored(tree):
    gold = [span_row("認識を共有し", type="share", actor="both")]
    out = [span_row("認識を共有し", type="share", actor="both"),
           span_row("16(平成28)年9月16日", type="state", actor="both")]
    report = evaluate(*tree("clauses", gold, out, scope_end=RAW.index("\n")))
    assert report.scores["clauses.span"].pred == 1
    assert report.problems == []


def test_broken_offsets_are_reported(tree):
    out = [dict(span_row("認識を共有し", type="share", actor="both"), text="認識を共有した")]
    report = evaluate(*tree("clauses", [span_row("認識を共有し", type="share", actor="both")], out))
    assert report.offsets_checked == 1
    assert len(report.offsets_broken) == 1 and "認識を共有した" in report.offsets_broken[0]


def test_printout_lists_text_and_rule(tree):
    report = evaluate(*tree(*CASES[0][:3]))
    text = format_problems(report)
    assert "clauses: 1 misses (gold rows not matched)" in text
    assert "clauses: 1 false positives (output rows not matched)" in text
    assert "'認識を共有し'  rule=clause.confirm.kakunin" in text


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "eval", *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def test_cli_min_f1_fails_below_threshold(tree):
    out_dir, gold_dir, raw_dir = tree(*CASES[0][:3])
    ok = run_cli("--output", str(out_dir), "--gold", str(gold_dir), "--raw", str(raw_dir), "--min-f1",
                 "clauses.span=1.0")
    bad = run_cli("--output", str(out_dir), "--gold", str(gold_dir), "--min-f1", "clauses.type=0.5")
    assert ok.returncode == 0, ok.stderr
    assert "clauses.span" in ok.stdout and "misses" in ok.stdout
    assert bad.returncode == 1
    assert "FAIL: clauses.type F1 0.000 < 0.5" in bad.stdout


def test_cli_missing_output_folder(tmp_path):
    result = run_cli("--output", str(tmp_path / "nope"), "--gold", "tests/gold")
    assert result.returncode == 2
    assert "output folder not found" in result.stderr
