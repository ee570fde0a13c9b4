"""The users' loop, end to end: a predicate added only in a copy of rules/clauses.yaml shows up
as a new row of clauses.csv after `extract`, with the new rule's id, and its own example
fires through the same machinery the generic example runner uses."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

from pipeline.document import Document
from pipeline.ruleset import load_rules
from pipeline.run import Extractor

from conftest import RULES_DIR

ROOT = Path(__file__).resolve().parent.parent
DEMO = ("(1)日豪防衛相会談(19(令和元)年6月1日(シンガポール))\n"
        "両閣僚は、地域情勢について意見交換を行い、防衛協力を一層強化することを申し合わせた。\n")
NEW_PREDICATE = """predicates:
  - id: clause.agree.moshiawase
    type: agree
    tokens:
      - {lemma: 申し合わせる, pos: 動詞}
      - {lemma: た, pos: 助動詞, op: "?"}
    examples: ["両閣僚は、防衛協力を強化することを申し合わせた。"]
    counter_examples: ["両国の申し合わせ事項を確認した。"]
"""


def extract(base: Path, rules: Path) -> list[dict]:
    out = base / f"output-{rules.name}"
    subprocess.run([sys.executable, "-m", "pipeline", "extract", "--no-ner", "--no-cache", "--jobs", "1",
                    "--raw", str(base / "raw"), "--rules", str(rules), "--out", str(out)],
                   cwd=ROOT, check=True, capture_output=True, timeout=300)
    with (out / "clauses.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_new_predicate_in_rules_gives_a_new_clause(tmp_path):
    (tmp_path / "raw" / "2019").mkdir(parents=True)
    (tmp_path / "raw" / "2019" / "demo.txt").write_text(DEMO, encoding="utf-8")
    before_rules = tmp_path / "before"
    shutil.copytree(RULES_DIR, before_rules)
    after_rules = tmp_path / "after"
    shutil.copytree(RULES_DIR, after_rules)
    clauses = (after_rules / "clauses.yaml").read_text(encoding="utf-8")
    assert clauses.count("predicates:\n") == 1
    (after_rules / "clauses.yaml").write_text(clauses.replace("predicates:\n", NEW_PREDICATE), encoding="utf-8")

    before = extract(tmp_path, before_rules)
    after = extract(tmp_path, after_rules)

    assert not [r for r in before if r["text"] == "申し合わせた"]
    new = [r for r in after if r["text"] == "申し合わせた"]
    assert len(new) == 1
    start = DEMO.index("申し合わせた")
    assert (new[0]["start"], new[0]["end"], new[0]["type"]) == (str(start), str(start + 6), "agree")
    assert "clause.agree.moshiawase" in new[0]["rule"].split("+")
    assert new[0]["content"].endswith("防衛協力を一層強化することを")

    # the rule's own example and counter-example, as the generic runner checks them
    extractor = Extractor(load_rules(after_rules), ner=False)
    ids = lambda text: {r for c in extractor.extract(Document("t", "", text)).clauses for r in c.rule.split("+")}
    assert "clause.agree.moshiawase" in ids("両閣僚は、防衛協力を強化することを申し合わせた。")
    assert "clause.agree.moshiawase" not in ids("両国の申し合わせ事項を確認した。")
