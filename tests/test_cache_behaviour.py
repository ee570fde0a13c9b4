"""The model-result cache: hits, misses on changed text, damaged files and entries, version keys."""
from __future__ import annotations

import json

import pytest

from pipeline.cache import DocCache, content_key, memoized, stamped, unstamped
from pipeline.document import Document


def _valid(value) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


class Counting:
    """A fake model: value of a piece = its characters; records which pieces it computed."""

    def __init__(self, pieces: list[str]):
        self.pieces = pieces
        self.computed: list[str] = []

    def __call__(self, todo: list[int]) -> list[list[str]]:
        self.computed += [self.pieces[i] for i in todo]
        return [list(self.pieces[i]) for i in todo]


def run(cache: DocCache | None, pieces: list[str], doc_id: str = "2017/a") -> tuple[list, list[str]]:
    model = Counting(pieces)
    values = memoized(cache, doc_id, [content_key(p) for p in pieces], model, _valid)
    return values, model.computed


def test_second_run_hits_every_piece(tmp_path):
    cache = DocCache(tmp_path, "tokens", "v1")
    first, computed = run(cache, ["稲田防衛大臣", "会談を実施した。"])
    assert computed == ["稲田防衛大臣", "会談を実施した。"]
    second, computed = run(DocCache(tmp_path, "tokens", "v1"), ["稲田防衛大臣", "会談を実施した。"])
    assert computed == []
    assert [list(v) for v in first] == second == [list("稲田防衛大臣"), list("会談を実施した。")]


@pytest.mark.parametrize("before, after, recomputed", [
    (["A文。", "B文。", "C文。"], ["A文。", "B文を変えた。", "C文。"], ["B文を変えた。"]),
    (["A文。", "B文。"], ["新しい文。", "A文。", "B文。"], ["新しい文。"]),
    (["A文。", "B文。"], ["B文。"], []),
])
def test_only_changed_pieces_are_recomputed(tmp_path, before, after, recomputed):
    run(DocCache(tmp_path, "ner", "v1"), before)
    values, computed = run(DocCache(tmp_path, "ner", "v1"), after)
    assert computed == recomputed
    assert values == [list(p) for p in after]


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],  # truncated
    lambda data: b"\x00\xff garbage",  # not JSON at all
    lambda data: data[:-3] + b"xx}",  # payload changed: checksum mismatch
    lambda data: b"",  # empty file
    lambda data: b'{"format": 1}\n[]',  # header of another kind
])
def test_damaged_file_is_recomputed_not_fatal(tmp_path, damage):
    cache = DocCache(tmp_path, "tokens", "v1")
    run(cache, ["一文。", "二文。"])
    path = cache.path("2017/a")
    path.write_bytes(damage(path.read_bytes()))
    fresh = DocCache(tmp_path, "tokens", "v1")
    values, computed = run(fresh, ["一文。", "二文。"])
    assert computed == ["一文。", "二文。"]
    assert values == [list("一文。"), list("二文。")]
    assert fresh.stats["bad_files"] == 1
    # and the rewritten file is whole again
    assert run(DocCache(tmp_path, "tokens", "v1"), ["一文。", "二文。"])[1] == []


def test_bad_entry_is_recomputed_alone(tmp_path):
    cache = DocCache(tmp_path, "tokens", "v1")
    keys = [content_key("一文。"), content_key("二文。")]
    cache.save("2017/a", {keys[0]: list("一文。"), keys[1]: {"not": "a list"}})
    fresh = DocCache(tmp_path, "tokens", "v1")
    values, computed = run(fresh, ["一文。", "二文。"])
    assert computed == ["二文。"]
    assert values == [list("一文。"), list("二文。")]
    assert fresh.stats["bad_entries"] == 1


@pytest.mark.parametrize("first, second, hits", [
    (("tokens", "fugashi-1.5+unidic-1.0.8"), ("tokens", "fugashi-1.5+unidic-1.0.8"), True),
    (("tokens", "fugashi-1.5+unidic-1.0.8"), ("tokens", "fugashi-1.5+unidic-2.0"), False),
    (("ner", "ja-ginza-5.3.0"), ("ner", "ja-ginza-5.4.0"), False),
    (("ner", "ja-ginza-5.3.0"), ("tokens", "ja-ginza-5.3.0"), False),
])
def test_version_key_change_misses(tmp_path, first, second, hits):
    run(DocCache(tmp_path, *first), ["一文。"])
    _, computed = run(DocCache(tmp_path, *second), ["一文。"])
    assert computed == ([] if hits else ["一文。"])


def test_documents_do_not_share_files(tmp_path):
    run(DocCache(tmp_path, "tokens", "v1"), ["一文。"], doc_id="2017/a")
    _, computed = run(DocCache(tmp_path, "tokens", "v1"), ["二文。"], doc_id="2017/b")
    assert computed == ["二文。"]
    assert run(DocCache(tmp_path, "tokens", "v1"), ["一文。"], doc_id="2017/a")[1] == []


def test_file_layout_and_no_temp_files_left(tmp_path):
    cache = DocCache(tmp_path, "tokens", "v1")
    run(cache, ["一文。"])
    files = sorted(p.name for p in cache.folder.iterdir())
    assert files == [cache.path("2017/a").name]
    head, _, payload = cache.path("2017/a").read_bytes().partition(b"\n")
    assert json.loads(head)["doc_id"] == "2017/a"
    assert json.loads(payload) == {content_key("一文。"): list("一文。")}


def test_unwritable_cache_never_fails_the_run(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    values, computed = run(DocCache(blocker, "tokens", "v1"), ["一文。"])
    assert values == [list("一文。")] and computed == ["一文。"]


def test_no_cache_computes_everything():
    values, computed = run(None, ["一文。", "一文。"])
    assert computed == ["一文。", "一文。"]


def test_tokenizer_results_equal_with_and_without_cache(tmp_path, rules):
    from pipeline.stages.segment import Segmenter
    from pipeline.stages.tokenize import Tokenizer

    text = "稲田防衛大臣とカーター米国防長官（当時）は、日米防衛相会談を実施した。\n両閣僚は、認識を共有した。\n"
    doc = Segmenter(rules)(Document("2017/t", "", text))
    plain = Tokenizer()(doc).tokens
    cached = Tokenizer(cache_dir=tmp_path)
    first = cached(doc).tokens
    again = Tokenizer(cache_dir=tmp_path)
    second = again(doc).tokens
    assert plain == first == second
    assert again.cache.stats["hits"] == len(doc.sentences) and again.cache.stats["misses"] == 0
    assert all(text[t.start:t.end] == t.text for t in second)


@pytest.mark.parametrize("data, fields, expected", [
    (None, {"version": "v", "doc_id": "d"}, b"x\ny"),
    (None, {"version": "w", "doc_id": "d"}, None),  # another version
    (None, {"version": "v", "doc_id": "e"}, None),  # another document
    (None, {"version": "v", "doc_id": "d", "key": ""}, b"x\ny"),  # an absent field reads as ""
    (b'{"format": 1, "version": "v", "doc_id": "d", "crc32": 0}\nx\ny', {"version": "v", "doc_id": "d"}, None),
    (b'{"format": 9, "version": "v", "doc_id": "d", "crc32": 1989525992}\nx\ny', {"version": "v"}, None),
])
def test_cache_stamped_header_is_checked_once_for_both_caches(data, fields, expected):
    data = data if data is not None else stamped({"version": "v", "doc_id": "d"}, b"x\ny")
    assert unstamped(data, fields) == expected
