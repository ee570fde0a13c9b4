"""Every rule's own examples, run: a rule with an `id` and `examples` in any rule file must show
its id in the `rule` column of some row when each example is extracted as a one-line document
(rules only, no NER, as `raw/2020/example.txt`); none of its `counter_examples` may show it.

`check-rules` runs them on the folder it checks, and `tests/test_rule_examples.py` turns each into
a test, so a rule a user adds with an example is tested for free.
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from .document import Document
from .ruleset import LINE_KEY, read_yaml, rule_nodes

ROW_TABLES = ("layout_edits", "blocks", "sections", "dates", "people", "venues", "meetings", "clauses")
EXAMPLE_EDITION = "2020"  # an example is read as raw/2020/example.txt, so edition words (本年, 昨年) resolve


class RuleItem(NamedTuple):
    file: str
    line: int
    rule_id: str
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]


def rule_items(folder: Path) -> list[RuleItem]:
    """Every mapping with an id and examples or counter-examples in every rule file, in file order."""
    return [RuleItem(path.name, node.get(LINE_KEY, 0), node["id"], tuple(node.get("examples") or ()),
                     tuple(node.get("counter_examples") or ()))
            for path in sorted(Path(folder).glob("*.yaml")) for node in rule_nodes(read_yaml(path))
            if node.get("examples") or node.get("counter_examples")]


def fired(doc: Document) -> set[str]:
    """Rule ids in the `rule` column of any row of any table."""
    ids: set[str] = set()
    for table in ROW_TABLES:
        for record in getattr(doc, table):
            ids.update(r for r in getattr(record, "rule", "").split("+") if r)
    return ids


def rows_with(doc: Document, rule_id: str) -> list[str]:
    """`table: 'text'` of every row whose `rule` column names rule_id."""
    return [f"{t}: {getattr(r, 'text', '')!r}" for t in ROW_TABLES for r in getattr(doc, t)
            if rule_id in getattr(r, "rule", "").split("+")]


def example_problem(extract, folder: Path, item: RuleItem, text: str, positive: bool) -> str:
    """'' when the example behaves, else one line naming the file, line and rule."""
    doc = extract(Document(f"{EXAMPLE_EDITION}/example", EXAMPLE_EDITION, text))
    where = f"{Path(folder) / item.file}:{item.line} rule {item.rule_id}"
    if positive and item.rule_id not in fired(doc):
        return f"{where}: example {text!r} gives no row with this rule; rules that fired: {sorted(fired(doc))}"
    if not positive and rows_with(doc, item.rule_id):
        return f"{where}: counter-example {text!r} fires it in {rows_with(doc, item.rule_id)}"
    return ""


def check_examples(folder: Path, rules) -> tuple[int, list[str]]:
    """Run every example and counter-example of the (validated) rules in `folder`:
    (number run, one line per one that misbehaves)."""
    from .run import Extractor

    extract = Extractor(rules, ner=False).extract
    run, problems = 0, []
    for item in rule_items(folder):
        for positive, texts in ((True, item.examples), (False, item.counter_examples)):
            for text in texts:
                run += 1
                problem = example_problem(extract, folder, item, text, positive)
                if problem:
                    problems.append(problem)
    return run, problems
