"""The examples in the shipped dates.yaml (the pinned copy), as tests.

Every rule with an id and examples must show its id in the `rule` column of some date
row when the example is extracted as a one-line document; its counter_examples must
not; a guard's `blocks` must yield no date row at all."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.document import Document
from pipeline.ruleset import CompiledPattern, Rules
from pipeline.run import Extractor
from pipeline.stages.dates import Guard
from pipeline.textnorm import NormText

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
def test_example_fires(run_example, rule_id, text):
    doc = run_example(text)
    assert rule_id in fired(doc), [(d.text, d.rule) for d in doc.dates]


@pytest.mark.parametrize(("rule_id", "text"), cases("counter_examples"))
def test_counter_example_does_not_fire(run_example, rule_id, text):
    doc = run_example(text)
    assert rule_id not in fired(doc), [(d.text, d.rule) for d in doc.dates]


GUARDS = {g["id"]: g["pattern"] for g in DATA.get("guards", [])}


@pytest.mark.parametrize(("guard_id", "text"), [
    pytest.param(g["id"], text, id=f"{g['id']}:{k + 1}")
    for g in DATA.get("guards", []) for k, text in enumerate(g.get("blocks", []))])
def test_guard_blocks(run_example, guard_id, text):
    """A guard's `blocks` example exercises that guard (its pattern matches there) and gives no date."""
    assert CompiledPattern.of(guard_id, GUARDS[guard_id]).search(NormText.of(text, 0).text), \
        f"{guard_id}: its pattern does not match its own example {text!r}"
    doc = run_example(text)
    assert [(d.text, d.rule) for d in doc.dates] == []


@pytest.mark.parametrize("guarded", [False, True])
def test_dates_guard_drops_an_overlapping_candidate(rules, guarded):
    """The guard mechanism: a date candidate overlapping a guard's match is dropped, with the reason."""
    dates = rules.get("dates")
    guard = Guard(id="date.guard.test", pattern="2月4日に会談")
    changed = dates.model_copy(update={"guards": dates.guards + ((guard,) if guarded else ())})
    extractor = Extractor(Rules(rules.folder, {**rules.files, "dates": changed}, rules.fingerprint), ner=False)
    doc = extractor.extract(Document("t", "", "2017年2月4日に会談し、2018年1月に再び会談した。"))
    kept = [d.text for d in doc.dates]
    assert kept == (["2018年1月"] if guarded else ["2017年2月4日", "2018年1月"])
    dropped = [t.reason for t in doc.trace if t.text == "2017年2月4日" and "non-date guard date.guard.test" in t.reason]
    assert len(dropped) == (1 if guarded else 0)
