"""The examples in the shipped dates.yaml (the pinned copy), as tests.

Every rule with an id and examples must show its id in the `rule` column of some date
row when the example is extracted as a one-line document; its counter_examples must
not; a guard's `blocks` must yield no date row at all."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import RULES_DIR

DATES_YAML = RULES_DIR / "dates.yaml"
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
def test_example_fires(run_text, rule_id, text):
    doc = run_text(text)
    assert rule_id in fired(doc), [(d.text, d.rule) for d in doc.dates]


@pytest.mark.parametrize(("rule_id", "text"), cases("counter_examples"))
def test_counter_example_does_not_fire(run_text, rule_id, text):
    doc = run_text(text)
    assert rule_id not in fired(doc), [(d.text, d.rule) for d in doc.dates]


@pytest.mark.parametrize(("guard_id", "text"), [
    pytest.param(g["id"], text, id=f"{g['id']}:{k + 1}")
    for g in DATA.get("guards", []) for k, text in enumerate(g.get("blocks", []))])
def test_guard_blocks(run_text, guard_id, text):
    doc = run_text(text)
    assert [(d.text, d.rule) for d in doc.dates] == []
