"""`python -m pipeline explain TABLE ROW | --text | --doc --span` as a user runs it (rules only)."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import RULES_DIR

ROOT = Path(__file__).resolve().parent.parent
RAW_TEXT = ("4 日米間の政策協議\n"
            "(1)日米防衛相会談(16(平成28)年9月16日(米国防省))\n"
            "両閣僚は、地域情勢への認識を共有し、協力していくことで一致した。\n")


def explain(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "explain", "--no-ner", *args], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """A raw folder with one document, the project's rules copied, and an extraction of it."""
    base = tmp_path_factory.mktemp("explain")
    (base / "raw" / "2017").mkdir(parents=True)
    (base / "raw" / "2017" / "a.txt").write_text(RAW_TEXT, encoding="utf-8")
    shutil.copytree(RULES_DIR, base / "rules")
    subprocess.run([sys.executable, "-m", "pipeline", "extract", "--no-ner", "--no-cache", "--jobs", "1",
                    "--raw", str(base / "raw"), "--rules", str(base / "rules"), "--out", str(base / "output")],
                   cwd=ROOT, check=True, capture_output=True, timeout=300)
    return base


def rows(base: Path, table: str) -> list[dict]:
    with (base / "output" / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_explain_each_row_of_each_span_table(extracted):
    """For every output row: its text, every one of its rule ids with file:line, and that the re-run agrees."""
    checked = 0
    for table in ("sections", "dates", "people", "venues", "clauses", "meetings"):
        for number, row in enumerate(rows(extracted, table), 1):
            result = explain(table, str(number), "--output", str(extracted / "output"), "--raw",
                             str(extracted / "raw"), "--rules", str(extracted / "rules"))
            assert result.returncode == 0, result.stderr
            out = result.stdout
            assert out.startswith(f"{table}.csv row {number}: 2017/a [")
            assert "gives this row again" in out
            for rule in filter(None, row.get("rule", "").split("+")):
                assert f"{rule} (" in out
            checked += 1
    assert checked >= 3  # at least the heading rows


def test_explain_row_by_its_stable_reference(extracted):
    """DOC_ID:START:END names the same row as its number, and the output says so for later runs."""
    row = rows(extracted, "dates")[0]
    ref = f"{row['doc_id']}:{row['start']}:{row['end']}"
    args = ("--output", str(extracted / "output"), "--raw", str(extracted / "raw"), "--rules", str(extracted / "rules"))
    by_number, by_ref = explain("dates", "1", *args), explain("dates", ref, *args)
    assert by_number.returncode == by_ref.returncode == 0
    assert by_ref.stdout == by_number.stdout
    assert f"explain dates {ref}" in by_ref.stdout


def test_explain_row_after_a_rule_change(extracted, tmp_path):
    """With a rule file changed since the extraction, explain says the row is no longer produced."""
    rules = tmp_path / "rules"
    shutil.copytree(extracted / "rules", rules)
    headings = (rules / "headings.yaml").read_text(encoding="utf-8")
    (rules / "headings.yaml").write_text(headings.replace("(?P<label>\\((?P<num>\\d{1,2})\\))",
                                                          "(?P<label>\\[(?P<num>\\d{1,2})\\])"), encoding="utf-8")
    number = next(i for i, r in enumerate(rows(extracted, "sections"), 1) if r["label"] == "(1)")
    result = explain("sections", str(number), "--output", str(extracted / "output"), "--raw",
                     str(extracted / "raw"), "--rules", str(rules))
    assert result.returncode == 0, result.stderr
    assert "does NOT give this row any more" in result.stdout


def test_explain_doc_span(extracted):
    start = RAW_TEXT.index("認識を共有し")
    result = explain("--doc", "2017/a", "--span", f"{start}:{start + 6}", "--raw", str(extracted / "raw"),
                     "--rules", str(extracted / "rules"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"2017/a [{start}:{start + 6}] '認識を共有し'")
    assert "両閣僚は、地域情勢への認識を共有し、協力していくことで一致した。" in result.stdout
    assert "in reading order:" in result.stdout


def test_explain_text_shows_heading_rule():
    result = explain("--text", "(2) 日米首脳会談", "--rules", "tests/pinned_rules")
    assert result.returncode == 0, result.stderr
    assert "sections row" in result.stdout
    assert "heading.paren_number (tests/pinned_rules/headings.yaml:" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("clauses", "999"), "out of range"),
    (("dates", "2017/a:0:1"), "no row of 2017/a spans 0:1"),
    (("dates", "2017/a"), "DOC_ID:START:END"),
    (("nosuchtable", "1"), "no such output table"),
    (("clauses",), "give TABLE ROW"),
    (("--doc", "2017/a", "--span", "x"), "--span START:END"),
    (("--doc", "2017/zzz", "--span", "1:2"), "not found"),
])
def test_explain_errors(extracted, args, message):
    result = explain(*args, "--output", str(extracted / "output"), "--raw", str(extracted / "raw"))
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
