"""The stage cache (pipeline/stagecache.py): a rules-only change re-runs only the stages whose
rule content changed and the stages after them; an edit that leaves the validated rules equal
re-runs nothing; the rows are always those of a run without cache; damage is recomputed."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from pipeline.document import Document
from pipeline.reader import read_raw
from pipeline.ruleset import load_rules
from pipeline.run import Extractor, Settings, run
from pipeline.stages import registry

from conftest import RULES_DIR, SEED

ROOT = Path(__file__).resolve().parent.parent
STAGES = ["layout", "segment", "tokenize", "dates", "people", "venues", "meetings", "clauses"]  # without NER


@pytest.fixture(scope="module")
def seed_doc() -> Document:
    raw = read_raw(SEED, ROOT / "raw")
    text = raw.text[:4000]
    return Document(raw.doc_id, raw.edition, text[:text.rfind("\n") + 1], raw.encoding)


def _rules_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(RULES_DIR, folder)
    return folder


def _first_rule(node):
    """The first mapping with an `id` in a parsed rule file."""
    if isinstance(node, dict):
        if isinstance(node.get("id"), str):
            return node
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _first_rule(child)
        if found is not None:
            return found
    return None


def _edit(folder: Path, name: str, change) -> None:
    path = folder / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _add_counter_example(data) -> None:
    rule = _first_rule(data)
    rule["counter_examples"] = list(rule.get("counter_examples", [])) + ["キャッシュの試験のための文。"]


def _add_predicate(data) -> None:
    data["predicates"].insert(0, {"id": "clause.test.cache", "type": "confirm",
                                  "tokens": [{"lemma": "確認"}, {"lemma": "する"}]})


def _rows(extractor: Extractor, doc: Document):
    tables, dropped = extractor.extract_tables(doc)
    return tables.tables, tables.counts, tables.document, dropped


def _first_stage(name: str) -> str:
    """The first stage (without NER) that reads the rule file `name`."""
    reads = {spec.name: spec.rule_files for spec in registry()}
    return next(s for s in STAGES if name in reads[s])


@pytest.mark.parametrize("name, change, reruns", [
    ("clauses", _add_predicate, ["clauses"]),
    ("clauses", _add_counter_example, ["clauses"]),
    ("dates", _add_counter_example, STAGES[STAGES.index("dates"):]),
    ("people", _add_counter_example, STAGES[STAGES.index("people"):]),
    ("venues", _add_counter_example, STAGES[STAGES.index("venues"):]),
    ("headings", _add_counter_example, STAGES),
    ("clauses", lambda data: None, []),  # re-written without comments, same content
    ("blocks", lambda data: None, []),
])
def test_rule_change_reruns_only_the_affected_stages(tmp_path, seed_doc, name, change, reruns):
    folder = _rules_copy(tmp_path)
    cache = tmp_path / "cache"
    first = Extractor(load_rules(folder), ner=False, cache_dir=cache)
    _rows(first, seed_doc)
    assert first.stage_cache.stats["stage_runs"] == len(STAGES)

    _edit(folder, name, change)
    rules = load_rules(folder)
    again = Extractor(rules, ner=False, cache_dir=cache)
    got = _rows(again, seed_doc)
    stats = again.stage_cache.stats
    assert stats["stage_runs"] == len(reruns)
    assert stats["tables_hits"] == (0 if reruns else 1)
    if reruns:
        assert stats["stage_hits"] == STAGES.index(reruns[0])
        assert reruns[0] == _first_stage(name)
    assert got == _rows(Extractor(rules, ner=False), seed_doc)  # the rows of a run without cache


def test_comment_only_edit_reruns_nothing(tmp_path, seed_doc):
    folder = _rules_copy(tmp_path)
    cache = tmp_path / "cache"
    _rows(Extractor(load_rules(folder), ner=False, cache_dir=cache), seed_doc)
    for path in sorted(folder.glob("*.yaml")):
        with path.open("a", encoding="utf-8") as fh:
            fh.write("\n# a comment only\n")
    again = Extractor(load_rules(folder), ner=False, cache_dir=cache)
    _rows(again, seed_doc)
    assert again.stage_cache.stats == {"tables_hits": 1, "stage_hits": 0, "stage_runs": 0, "bad_files": 0}


def test_changed_document_text_misses(tmp_path, seed_doc):
    rules = load_rules(RULES_DIR)
    cache = tmp_path / "cache"
    _rows(Extractor(rules, ner=False, cache_dir=cache), seed_doc)
    other = Document(seed_doc.doc_id, seed_doc.edition, seed_doc.text.replace("。", "。\n", 1), seed_doc.encoding)
    again = Extractor(rules, ner=False, cache_dir=cache)
    got = _rows(again, other)
    assert again.stage_cache.stats["stage_runs"] == len(STAGES)
    assert got == _rows(Extractor(rules, ner=False), other)


@pytest.mark.parametrize("damage", [
    lambda data: b"",
    lambda data: data[:len(data) // 2],
    lambda data: data.replace(b'"format": 1', b'"format": 9'),
    lambda data: data[:-1] + bytes([data[-1] ^ 1]),
    lambda data: b"not a header\n" + data,
])
def test_damaged_files_are_recomputed_not_fatal(tmp_path, seed_doc, damage):
    rules = load_rules(RULES_DIR)
    cache = tmp_path / "cache"
    expected = _rows(Extractor(rules, ner=False, cache_dir=cache), seed_doc)
    files = sorted(p for p in cache.rglob("*") if p.is_file() and p.parent.name.startswith("stages-"))
    assert files
    for path in files:
        path.write_bytes(damage(path.read_bytes()))
    again = Extractor(rules, ner=False, cache_dir=cache)
    assert _rows(again, seed_doc) == expected
    assert again.stage_cache.stats["stage_runs"] == len(STAGES)


def test_run_with_cache_writes_the_same_tables(tmp_path):
    raw = tmp_path / "raw" / "2017"
    raw.mkdir(parents=True)
    shutil.copyfile(SEED, raw / SEED.name)
    plain = Settings(raw=tmp_path / "raw", rules=RULES_DIR, out=tmp_path / "plain", ner=False, cache=None)
    assert run(plain) == 0
    for attempt in ("cold", "warm"):
        cached = Settings(raw=tmp_path / "raw", rules=RULES_DIR, out=tmp_path / attempt, ner=False,
                          cache=tmp_path / "cache")
        assert run(cached) == 0
        for table in sorted((tmp_path / "plain").glob("*.csv")):
            assert (tmp_path / attempt / table.name).read_bytes() == table.read_bytes(), (attempt, table.name)


def test_stored_rows_are_found_from_the_document_as_read(tmp_path, seed_doc):
    """A run asks the cache before laying a document out: the rows are keyed by the document as read
    and by the last stage's key, which covers the layout's rules."""
    folder = _rules_copy(tmp_path)
    cache = tmp_path / "cache"
    first = Extractor(load_rules(folder), ner=False, cache_dir=cache)
    assert not first.is_cached(seed_doc) and first.cached_tables(seed_doc) is None
    made = _rows(first, seed_doc)

    again = Extractor(load_rules(folder), ner=False, cache_dir=cache)
    assert again.is_cached(seed_doc)
    tables, dropped = again.cached_tables(seed_doc)
    assert (tables.tables, tables.counts, tables.document, dropped) == made

    edited = Document(seed_doc.doc_id, seed_doc.edition, seed_doc.text + "\n同年5月、会談した。")
    assert not again.is_cached(edited) and again.cached_tables(edited) is None

    def stricter_detection(data) -> None:
        data["detect"]["min_broken_lines"] += 1

    _edit(folder, "layout", stricter_detection)
    changed = Extractor(load_rules(folder), ner=False, cache_dir=cache)
    assert not changed.is_cached(seed_doc) and changed.cached_tables(seed_doc) is None
