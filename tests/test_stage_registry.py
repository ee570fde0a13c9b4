"""The stage registry (pipeline/stages/__init__.py): each stage declares its rule files and the
Document fields it requires and assigns once; the run order, the rule schemas and the cache keys
come from those declarations."""
from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.document import Document
from pipeline.stages import LOGS, StageRules, registry, rule_schemas, run_order, stage

ROOT = Path(__file__).resolve().parent.parent


def _spec(name, requires=(), assigns=("dates",), rules=None, reads=()):
    """A declaration made without registering it (the decorator's spec, read back)."""
    import pipeline.stages as stages

    before = dict(stages._DECLARED)
    try:
        stage(name, rules=rules, reads=reads, requires=requires, assigns=assigns)(type(name, (), {}))
        return stages._DECLARED[name]
    finally:
        stages._DECLARED.clear()
        stages._DECLARED.update(before)


def test_registry_run_order_follows_requires_and_assigns():
    assert [s.name for s in registry()] == ["layout", "segment", "tokenize", "dates", "people", "venues", "meetings",
                                            "clauses"]


@pytest.mark.parametrize("specs, expected", [
    ((("b", ("tokens",), ("people",)), ("a", (), ("tokens",))), ["a", "b"]),  # requirement before tie
    ((("x", (), ("people",)), ("y", (), ("dates",))), ["y", "x"]),  # tie: Document field order
    ((("m", ("venues",), ("meetings", "venues")), ("v", (), ("venues",))), ["v", "m"]),  # own field is no cycle
])
def test_registry_run_order_of_declarations(specs, expected):
    declared = tuple(_spec(name, requires=req, assigns=out) for name, req, out in specs)
    assert [s.name for s in run_order(declared)] == expected


@pytest.mark.parametrize("specs, message", [
    ((("a", ("people",), ("dates",)), ("b", ("dates",), ("people",))), "cycle"),
    ((("a", ("no_such_field",), ("dates",)),), "not a Document field"),
    ((("a", (), ()),), "assigns nothing"),
    ((("a", ("trace",), ("dates",)),), "logs"),
])
def test_registry_rejects_bad_declarations(specs, message):
    declared = tuple(_spec(name, requires=req, assigns=out) for name, req, out in specs)
    with pytest.raises(ValueError, match=message):
        run_order(declared)


def test_registry_rule_file_owned_once_and_reads_owned():
    one = _spec("a", rules={"x": object})
    with pytest.raises(ValueError, match="owned by two stages"):
        rule_schemas((one, _spec("b", rules={"x": object})))
    with pytest.raises(ValueError, match="no stage owns"):
        rule_schemas((one, _spec("b", reads=("y",))))
    assert set(rule_schemas()) == {p.stem for p in (ROOT / "rules").glob("*.yaml")}


def test_registry_stage_sees_only_declared_rule_files(rules):
    view = StageRules(rules, _spec("a", rules={"dates": object}))
    assert view.get("dates") is rules.get("dates")
    with pytest.raises(LookupError, match="does not declare"):
        view.get("clauses")


def test_registry_declared_rule_files_are_what_the_stages_read(rules):
    for spec in registry():
        view = StageRules(rules, spec)
        spec.factory(view, cache_dir=None) if spec.cached else spec.factory(view)
        assert view.read == set(spec.rule_files), spec.name


def test_registry_stages_assign_only_what_they_declare(extractor):
    text = "1 防衛\n2019年5月1日、岩屋防衛大臣は東京において米国のシャナハン国防長官代行と会談し、連携を強化することで一致した。\n"
    doc = Document("t/doc", "2017", text)
    for spec, (name, built) in zip(extractor.specs, extractor.stages):
        after = built(doc)
        changed = {f.name for f in dataclasses.fields(Document) if getattr(after, f.name) is not getattr(doc, f.name)}
        assert changed <= set(spec.assigns) | set(LOGS), name
        doc = after


@pytest.mark.parametrize("module", sorted(p.stem for p in (ROOT / "pipeline" / "stages").glob("[!_]*.py")))
def test_registry_importing_a_stage_imports_no_other_stage(module):
    """A stage module may import helper modules of the package, never another stage."""
    code = (f"import pipeline.stages as s, pipeline.stages.{module}; "
            "print(sorted(spec.module for spec in s._DECLARED.values()))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() in ("[]", f"['pipeline.stages.{module}']")
