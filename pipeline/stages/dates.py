"""Placeholder for the dates stage (its issue fills it in): adds nothing yet."""
from __future__ import annotations

from ..document import Document
from ..ruleset import Rules

RULE_SCHEMAS: dict = {}


class DateStage:
    def __init__(self, rules: Rules):
        self.rules = rules

    def __call__(self, doc: Document) -> Document:
        return doc
