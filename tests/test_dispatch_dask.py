"""`--executor dask`: documents extracted on a Dask distributed cluster give the same tables, byte for
byte, as the local run (a LocalCluster of 2 workers stands in for the machines)."""
from __future__ import annotations

import shutil
import time

import pytest

from pipeline.cli import main
from tests.conftest import RULES_DIR, SEED

distributed = pytest.importorskip("distributed")

DEV = SEED.parents[2] / "tests" / "data" / "dev" / "raw" / "2018" / "dev_2018_partners.txt"


def _raw(tmp_path):
    raw = tmp_path / "raw"
    for year, src in (("2017", SEED), ("2018", DEV)):
        (raw / year).mkdir(parents=True)
        shutil.copyfile(src, raw / year / src.name)
    text = SEED.read_text(encoding="utf-8")
    (raw / "2017" / "part_b.txt").write_text(text[len(text) // 2:], encoding="utf-8")  # a third, different document
    (raw / "2017" / "broken.txt").write_bytes(b"")  # a document that fails, reported the same way
    return raw


def _tables(out):
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.csv"))}


def test_dispatch_dask_tables_equal_local_run(tmp_path, capsys):
    raw = _raw(tmp_path)
    common = ["extract", "--raw", str(raw), "--rules", str(RULES_DIR), "--no-ner", "--no-cache"]
    assert main(common + ["--out", str(tmp_path / "local"), "--jobs", "1"]) == 1  # broken.txt fails
    began = time.perf_counter()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        code = main(common + ["--out", str(tmp_path / "dask"), "--executor", "dask", "--scheduler",
                              cluster.scheduler_address])
    seconds = time.perf_counter() - began
    assert code == 1
    local, remote = _tables(tmp_path / "local"), _tables(tmp_path / "dask")
    assert set(local) == set(remote) and {"clauses.csv", "meetings.csv", "failures.csv"} <= set(local)
    assert [name for name in local if local[name] != remote[name]] == []
    assert b"2017/broken" in remote["failures.csv"]
    assert seconds < 120, f"the Dask run took {seconds:.0f} s"


def test_dispatch_dask_cache_serves_a_second_run(tmp_path):
    """The workers fill the cache; a second run finds every document there and gives the same tables."""
    raw = _raw(tmp_path)
    (raw / "2017" / "broken.txt").unlink()
    cache = tmp_path / "cache"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        args = ["extract", "--raw", str(raw), "--rules", str(RULES_DIR), "--no-ner", "--cache", str(cache),
                "--executor", "dask", "--scheduler", cluster.scheduler_address]
        assert main(args + ["--out", str(tmp_path / "first")]) == 0
        assert main(args + ["--out", str(tmp_path / "second")]) == 0
    assert _tables(tmp_path / "first") == _tables(tmp_path / "second")


@pytest.mark.parametrize("extra, message", [
    ([], "--executor dask needs --scheduler ADDRESS"),
    (["--scheduler", "tcp://127.0.0.1:1"], "cannot connect"),
])
def test_dispatch_dask_bad_scheduler_is_a_usage_error(tmp_path, capsys, monkeypatch, extra, message):
    monkeypatch.setattr("pipeline.dispatch.CONNECT_TIMEOUT", "2s")
    raw = _raw(tmp_path)
    code = main(["extract", "--raw", str(raw), "--rules", str(RULES_DIR), "--no-ner", "--no-cache",
                 "--out", str(tmp_path / "out"), "--executor", "dask", *extra])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
