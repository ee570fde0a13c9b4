"""Every rule's own examples, as tests (`pipeline.examples`): a rule with an `id` and `examples` in
any file of rules/ must show its id in the `rule` column of some row when its example is extracted
as a one-line document (rules only, no NER); none of its `counter_examples` may show it.

These read the user's rules/ (not the pinned copy the other tests use): rule files and rules are
found when the tests are collected, so a user who adds a rule with an example gets a test for free
(test id: `file.yaml:rule.id:example N`).
"""
from __future__ import annotations

import pytest

from pipeline.examples import example_problem, rule_items
from pipeline.ruleset import load_rules
from pipeline.run import Extractor

from conftest import USER_RULES


@pytest.fixture(scope="module")
def user_extract():
    return Extractor(load_rules(USER_RULES), ner=False).extract


def cases(positive: bool) -> list:
    kind = "example" if positive else "counter"
    return [pytest.param(item, text, id=f"{item.file}:{item.rule_id}:{kind}{k + 1}")
            for item in rule_items(USER_RULES)
            for k, text in enumerate(item.examples if positive else item.counter_examples)]


def test_rule_files_have_examples():
    """The runner sees rules: an empty collection would make every check pass silently."""
    items = rule_items(USER_RULES)
    assert {"blocks.yaml", "headings.yaml"} <= {item.file for item in items}
    assert sum(len(item.examples) for item in items) >= 10


@pytest.mark.parametrize(("item", "text"), cases(True))
def test_rule_example_fires(user_extract, item, text):
    assert example_problem(user_extract, USER_RULES, item, text, True) == ""


@pytest.mark.parametrize(("item", "text"), cases(False))
def test_rule_counter_example_does_not_fire(user_extract, item, text):
    assert example_problem(user_extract, USER_RULES, item, text, False) == ""
