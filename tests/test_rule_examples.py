"""Every rule's own examples, as tests: a rule with an `id` and `examples` in any file of rules/
must show its id in the `rule` column of some row when its example is extracted as a
one-line document (rules only, no NER); none of its `counter_examples` may show it.

Rule files and rules are found when the tests are collected, so a user who adds a rule
with an example gets a test for free (test id: `file.yaml:rule.id:example N`).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.document import Document
from pipeline.ruleset import LINE_KEY, read_yaml, rule_nodes

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
ROW_TABLES = ("blocks", "sections", "dates", "people", "venues", "meetings", "clauses")


def rule_items(folder: Path) -> list[tuple[str, int, str, list[str], list[str]]]:
    """(file name, line, rule id, examples, counter_examples) of every mapping with an id in every rule file."""
    return [(path.name, node.get(LINE_KEY, 0), node["id"], list(node.get("examples") or ()),
             list(node.get("counter_examples") or ()))
            for path in sorted(folder.glob("*.yaml")) for node in rule_nodes(read_yaml(path))
            if node.get("examples") or node.get("counter_examples")]


def fired(doc: Document) -> set[str]:
    """Rule ids in the `rule` column of any row of any table."""
    ids: set[str] = set()
    for table in ROW_TABLES:
        for record in getattr(doc, table):
            ids.update(r for r in getattr(record, "rule", "").split("+") if r)
    return ids


def cases(positive: bool) -> list:
    out = []
    for name, line, rule_id, examples, counters in rule_items(RULES_DIR):
        for k, text in enumerate(examples if positive else counters):
            kind = "example" if positive else "counter"
            out.append(pytest.param(name, line, rule_id, text, id=f"{name}:{rule_id}:{kind}{k + 1}"))
    return out


def test_rule_files_have_examples():
    """The runner sees rules: an empty collection would make every check pass silently."""
    items = rule_items(RULES_DIR)
    assert {"blocks.yaml", "headings.yaml"} <= {name for name, *_ in items}
    assert sum(len(ex) for *_, ex, _ in items) >= 10


@pytest.mark.parametrize(("file", "line", "rule_id", "text"), cases(True))
def test_rule_example_fires(run_example, file, line, rule_id, text):
    doc = run_example(text)
    got = fired(doc)
    assert rule_id in got, (f"rules/{file}:{line} rule {rule_id}: example {text!r} gives no row with this rule; "
                            f"rules that fired: {sorted(got)}")


@pytest.mark.parametrize(("file", "line", "rule_id", "text"), cases(False))
def test_rule_counter_example_does_not_fire(run_example, file, line, rule_id, text):
    doc = run_example(text)
    rows = [f"{t}: {r.text if hasattr(r, 'text') else ''!r}" for t in ROW_TABLES for r in getattr(doc, t)
            if rule_id in getattr(r, "rule", "").split("+")]
    assert not rows, f"rules/{file}:{line} rule {rule_id}: counter-example {text!r} fires it in {rows}"
