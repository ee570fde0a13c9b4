"""Rules are data: a predicate added in a copy of rules/ works with no code change."""
from __future__ import annotations

import shutil

from pipeline.document import Document
from pipeline.ruleset import load_rules
from pipeline.run import Extractor

from conftest import RULES_DIR

NEW_RULE = """
  - id: clause.agree.moshiawase
    type: agree
    tokens:
      - {lemma: 申し合わせる, pos: 動詞}
      - {lemma: た, pos: 助動詞, op: "?"}
    examples: ["両首脳は、早期開催について申し合わせた。"]
"""

TEXT = "両首脳は、日米「2+2」の早期開催を申し合わせた。"


def _with_rule(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(RULES_DIR, folder)
    path = folder / "clauses.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "predicates:\n"
    assert anchor in text
    path.write_text(text.replace(anchor, anchor + NEW_RULE.lstrip("\n"), 1), encoding="utf-8")
    return load_rules(folder)


def test_new_predicate_rule_without_code_change(tmp_path, run_text):
    assert [c.text for c in run_text(TEXT).clauses] == []  # the shipped rules do not know 申し合わせた
    doc = Extractor(_with_rule(tmp_path), ner=False).extract(Document("t/doc", "", TEXT))
    assert [(c.text, c.type, c.actor, c.rule) for c in doc.clauses] == [
        ("申し合わせた", "agree", "both", "clause.agree.moshiawase+actor.joint_title")]


def test_unknown_tail_is_a_rule_error(tmp_path):
    import pytest

    from pipeline.errors import RuleError

    folder = tmp_path / "rules"
    shutil.copytree(RULES_DIR, folder)
    path = folder / "clauses.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("tail: suru", "tail: nosuch", 1), encoding="utf-8")
    with pytest.raises(RuleError, match="clauses.yaml.*nosuch"):
        load_rules(folder)
