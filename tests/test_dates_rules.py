"""The examples in rules/dates.yaml, as tests.

Every rule with an id and examples must show its id in the `rule` column of some date
row when the example is extracted as a one-line document; its counter_examples must
not; a guard's `blocks` must yield no date row at all."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

DATES_YAML = Path(__file__).resolve().parent.parent / "rules" / "dates.yaml"
DATA = yaml.safe_load(DATES_YAML.read_text(encoding="utf-8"))
SECTIONS = ("patterns", "relative", "modifiers", "ranges")


def cases(key: str) -> list:
    return [pytest.param(rule["id"], text, id=f"{rule['id']}:{k + 1}")
            for section in SECTIONS for rule in DATA.get(section, [])
            for k, text in enumerate(rule.get(key, []))]


def fired(doc) -> set[str]:
    return {rule_id for d in doc.dates for rule_id in d.rule.split("+")}


def test_every_rule_has_an_example():
    missing = [rule["id"] for section in SECTIONS for rule in DATA.get(section, []) if not rule.get("examples")]
    assert missing == []
    assert all(guard.get("blocks") for guard in DATA.get("guards", []))


@pytest.mark.parametrize(("rule_id", "text"), cases("examples"))
def test_example_fires(run_example, rule_id, text):
    doc = run_example(text)
    assert rule_id in fired(doc), [(d.text, d.rule) for d in doc.dates]


@pytest.mark.parametrize(("rule_id", "text"), cases("counter_examples"))
def test_counter_example_does_not_fire(run_example, rule_id, text):
    doc = run_example(text)
    assert rule_id not in fired(doc), [(d.text, d.rule) for d in doc.dates]


@pytest.mark.parametrize(("guard_id", "text"), [
    pytest.param(g["id"], text, id=f"{g['id']}:{k + 1}")
    for g in DATA.get("guards", []) for k, text in enumerate(g.get("blocks", []))])
def test_guard_blocks(run_example, guard_id, text):
    doc = run_example(text)
    assert [(d.text, d.rule) for d in doc.dates] == []
