"""A bounded cache: old code/model versions and deleted documents are pruned, and beyond the size cap
the least recently used documents are evicted first (`pipeline.cache.prune`, run after every extract)."""
from __future__ import annotations

import os
import time

import pytest

from pipeline.cache import STALE_TMP_S, content_key, parse_size, prune
from pipeline.cli import main
from tests.conftest import RULES_DIR

CURRENT = {"stages": "stages-new", "tokens": "tokens-new"}


def _doc(root, doc_id, *, size=100, age=0.0, folders=("stages-new", "tokens-new")):
    """Cache files of one document (`<hash>.s0`, `<hash>.json`), last used `age` seconds ago."""
    key = content_key(doc_id)
    used = time.time() - age
    for folder in folders:
        (root / folder).mkdir(parents=True, exist_ok=True)
        path = root / folder / (f"{key}.s0" if folder.startswith("stages") else f"{key}.json")
        path.write_bytes(b"x" * size)
        os.utime(path, (used, used))
    return key


def _docs_left(root):
    return {p.name.split(".")[0] for p in root.rglob("*") if p.is_file() and p.parent.name != "sources"}


def test_cache_prune_removes_old_versions_only_of_known_namespaces(tmp_path):
    a = _doc(tmp_path, "2017/a", folders=("stages-new", "stages-old", "tokens-old", "ner-other"))
    prune(tmp_path, current=CURRENT)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ner-other", "stages-new"]  # ner: not this run's
    assert (tmp_path / "stages-new" / f"{a}.s0").exists()


@pytest.mark.parametrize("cap, left", [
    (10_000, {"2017/old", "2017/mid", "2017/new"}),  # under the cap: nothing goes
    (450, {"2017/mid", "2017/new"}),  # 600 bytes: the least recently used document goes (both its files)
    (250, {"2017/new"}),
    (0, set()),
])
def test_cache_prune_evicts_least_recently_used_documents(tmp_path, cap, left):
    for doc_id, age in (("2017/mid", 200), ("2017/new", 10), ("2017/old", 5000)):
        _doc(tmp_path, doc_id, age=age)
    removed = prune(tmp_path, current=CURRENT, max_bytes=cap)
    assert _docs_left(tmp_path) == {content_key(d) for d in left}
    assert removed["bytes"] == 200 * (3 - len(left))
    assert sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file()) <= cap


def test_cache_prune_drops_documents_deleted_from_their_source(tmp_path):
    a, b, c = (_doc(tmp_path, d) for d in ("2017/a", "2017/b", "2017/c"))
    prune(tmp_path, current=CURRENT, source="/raw/one", run_docs={a, b, c})
    prune(tmp_path, current=CURRENT, source="/raw/two", run_docs={c})  # another folder has 2017/c too
    assert _docs_left(tmp_path) == {a, b, c}
    prune(tmp_path, current=CURRENT, source="/raw/one", run_docs={a})  # b and c were deleted from /raw/one
    assert _docs_left(tmp_path) == {a, c}  # c is still a document of /raw/two


def test_cache_prune_removes_stale_temporary_files(tmp_path):
    _doc(tmp_path, "2017/a")
    old, fresh = tmp_path / "stages-new" / ".tmp-abc.s0", tmp_path / "stages-new" / ".tmp-def.s0"
    for path, age in ((old, STALE_TMP_S + 60), (fresh, 1)):
        path.write_bytes(b"half")
        os.utime(path, (time.time() - age,) * 2)
    prune(tmp_path, current=CURRENT)
    assert not old.exists() and fresh.exists()


@pytest.mark.parametrize("text, size", [("1G", 1 << 30), ("500M", 500 << 20), ("1.5g", 3 << 29), ("2048", 2048),
                                        ("64KiB", 64 << 10), ("0", 0)])
def test_cache_size_option_parses(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "big", "-1G", "1X"])
def test_cache_size_option_rejects(text):
    with pytest.raises(ValueError):
        parse_size(text)


def _run(raw, cache, out, *extra):
    return main(["extract", "--raw", str(raw), "--rules", str(RULES_DIR), "--out", str(out), "--jobs", "1",
                 "--no-ner", "--cache", str(cache), *extra])


def _entries(cache, doc_id):
    key = content_key(doc_id)
    return [p for p in cache.rglob(f"{key}.*") if p.is_file()]


def test_cache_prune_after_a_run(tmp_path):
    """A real run: a deleted document's entries go at the next run; a small cap evicts the older document."""
    raw = tmp_path / "raw" / "2017"
    raw.mkdir(parents=True)
    for name in ("a", "b"):
        (raw / f"{name}.txt").write_text(f"第1章 総論\n{name}国防大臣と会談した。\n", encoding="utf-8")
    cache = tmp_path / "cache"
    assert _run(tmp_path / "raw", cache, tmp_path / "out") == 0
    assert _entries(cache, "2017/a") and _entries(cache, "2017/b")
    (cache / "stages-0123456789ab").mkdir()  # a folder of an older code version
    (cache / "stages-0123456789ab" / "x.s0").write_bytes(b"old")
    (raw / "b.txt").unlink()
    assert _run(tmp_path / "raw", cache, tmp_path / "out") == 0
    assert _entries(cache, "2017/a") and not _entries(cache, "2017/b")
    assert not (cache / "stages-0123456789ab").exists()
    (raw / "c.txt").write_text("第1章 総論\nc国防大臣と会談した。\n", encoding="utf-8")
    time.sleep(0.05)
    size_a = sum(p.stat().st_size for p in _entries(cache, "2017/a"))
    assert _run(tmp_path / "raw", cache, tmp_path / "out", "--cache-max-size", str(size_a + 10)) == 0
    # both fit no more: a (served from the cache first) was used before c was computed, so a goes
    assert _entries(cache, "2017/c") and not _entries(cache, "2017/a")


def test_cache_rules_validated_once_per_content(tmp_path, monkeypatch):
    """A rule file validated before (same bytes, same code) is taken from the cache; an edited one is
    validated again, and a broken edit is still an error."""
    import shutil

    from pipeline import ruleset
    from pipeline.errors import RuleError

    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    first = ruleset.load_rules(rules, cache=tmp_path / "cache")
    validated = []
    real = ruleset.validate
    monkeypatch.setattr(ruleset, "validate", lambda path, data, schema: validated.append(path.name) or
                        real(path, data, schema))
    again = ruleset.load_rules(rules, cache=tmp_path / "cache")
    assert validated == [] and again.files == first.files
    with open(rules / "blocks.yaml", "a", encoding="utf-8") as fh:
        fh.write("\n# a comment\n")
    assert ruleset.load_rules(rules, cache=tmp_path / "cache").files == first.files
    assert validated == ["blocks.yaml"]
    with open(rules / "blocks.yaml", "a", encoding="utf-8") as fh:
        fh.write("unknown_key: 1\n")
    with pytest.raises(RuleError):
        ruleset.load_rules(rules, cache=tmp_path / "cache")
