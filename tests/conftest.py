"""Shared fixtures: the project's rules, a rules-only extractor, and one GiNZA extractor per session."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.document import Document
from pipeline.reader import edition_of
from pipeline.ruleset import Rules, load_rules
from pipeline.run import Extractor

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "rules"
SHARED = ROOT.parent / "shared"
SEED = ROOT / "raw" / "2017" / "000_5aa69a72492d7d21.txt"
EXAMPLE_EDITION = "2020"  # the edition year rule examples are read in (rules/README.md)


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules(RULES_DIR)


@pytest.fixture(scope="session")
def extractor(rules) -> Extractor:
    """Every stage but NER: rule tests never load the model."""
    return Extractor(rules, ner=False)


@pytest.fixture(scope="session")
def ner_extractor(rules) -> Extractor:
    """Every stage with the real ja_ginza model, loaded once for the whole session."""
    return Extractor(rules, ner=True)


@pytest.fixture(scope="session")
def run_text(extractor):
    """Run the rules-only pipeline on a piece of text and return the Document."""

    def run(text: str, doc_id: str = "test/doc") -> Document:
        return extractor.extract(Document(doc_id, edition_of(doc_id), text))

    return run


@pytest.fixture(scope="session")
def run_example(run_text):
    """Run a rule's example as a one-line document of the EXAMPLE_EDITION edition
    (raw/<edition>/example.txt), so that edition words (本年, 昨年) resolve."""
    return lambda text: run_text(text, doc_id=f"{EXAMPLE_EDITION}/example")
