"""Shared fixtures: the pinned rules, a rules-only extractor, and one GiNZA extractor per session.

Tests never depend on what a user changes in the working tree: they read the shipped rules from a
pinned copy (`tests/pinned_rules/`, refreshed by `make pin-rules` when the shipped rules change on
purpose), and only `tests/test_rule_examples.py` reads rules/ itself (each rule's own examples).
The session fails when a test wrote into the working tree (`.cache/`, `output/`, `raw/`, `rules/`).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import Phase, settings

from pipeline.document import Document
from pipeline.examples import EXAMPLE_EDITION  # the edition rule examples are read in
from pipeline.reader import edition_of
from pipeline.ruleset import Rules, load_rules
from pipeline.run import Extractor

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "tests" / "pinned_rules"  # the shipped rules, as the tests know them
USER_RULES = ROOT / "rules"  # the user's rules: only their own examples are tests
SHARED = ROOT.parent / "shared"
SEED = ROOT / "raw" / "2017" / "000_5aa69a72492d7d21.txt"

# hypothesis keeps no example database in the working tree; the mutation check (tests/mutation_check.py)
# only needs to know that a property fails, not the smallest example (HAKUSHO_HYPOTHESIS=no-shrink)
settings.register_profile("hermetic", database=None)
settings.register_profile("no-shrink", database=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
settings.load_profile(os.environ.get("HAKUSHO_HYPOTHESIS", "hermetic"))

# what tests must not change: the user's folders and the defaults of `python -m pipeline extract`
GUARDED = ("raw", "rules", "output", ".output.previous", ".output.lock", ".cache")


def tree_state(root: Path = ROOT) -> dict[str, tuple[int, int]]:
    """path -> (size, mtime) of every file and folder under the guarded paths of the working tree."""
    state = {}
    for name in GUARDED:
        top = root / name
        if not top.exists():
            continue
        for folder, dirs, files in os.walk(top):
            for entry in [folder, *(os.path.join(folder, f) for f in files)]:
                st = os.lstat(entry)
                state[os.path.relpath(entry, root)] = (st.st_size, st.st_mtime_ns)
    return state


def rule_files_differing(pinned: Path = RULES_DIR, user: Path = USER_RULES) -> list[str]:
    names = {p.name for p in pinned.glob("*.yaml")} | {p.name for p in user.glob("*.yaml")}
    return sorted(n for n in names if not ((pinned / n).is_file() and (user / n).is_file()
                                            and (pinned / n).read_bytes() == (user / n).read_bytes()))


def pytest_report_header(config) -> list[str]:
    differing = rule_files_differing()
    if not differing:
        return []
    return [f"rules/ differs from the pinned copy tests/pinned_rules/ in {', '.join(differing)}: the tests of "
            f"shipped behaviour read the pinned copy, and rules/ is checked by its own examples "
            f"(tests/test_rule_examples.py, make check-rules). Changed the shipped rules on purpose? make pin-rules"]


def pytest_sessionstart(session) -> None:
    session.config._tree_before = tree_state()


def pytest_sessionfinish(session, exitstatus) -> None:
    before = getattr(session.config, "_tree_before", None)
    if before is None:
        return
    after = tree_state()
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if changed:
        shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
        print(f"\nFAILED: tests wrote into the working tree: {shown}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def seed_raw(folder: Path) -> Path:
    """A raw folder holding only the seed (as raw/ ships it), so a document a user adds to raw/ changes
    no test."""
    (folder / "2017").mkdir(parents=True, exist_ok=True)
    (folder / "2017" / SEED.name).write_bytes(SEED.read_bytes())
    return folder


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
