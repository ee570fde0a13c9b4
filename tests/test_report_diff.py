"""The report's diff against the previous run: rows added and removed per table."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.report import diff_tables, render_diff


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.csv").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("previous,current,added,removed", [
    ("doc_id,value\nd,2016\nd,2017\n", "doc_id,value\nd,2017\nd,2018\n", ["d,2018"], ["d,2016"]),
    ("doc_id,value\nd,2016\n", "doc_id,value\nd,2016\n", [], []),
    # a duplicated row counts once per copy
    ("doc_id,value\nd,2016\n", "doc_id,value\nd,2016\nd,2016\n", ["d,2016"], []),
    # a new column: rows compare on the columns both runs have
    ("doc_id,value\nd,2016\n", "doc_id,value,rule\nd,2016,date.x\n", [], []),
    # quoting survives: a value with a comma is one cell
    ('doc_id,text\nd,"a,b"\n', "doc_id,text\n", [], ['d,"a,b"']),
])
def test_report_diff_rows(tmp_path, previous, current, added, removed):
    write(tmp_path / "prev", "dates", previous)
    write(tmp_path / "now", "dates", current)
    (d,) = diff_tables(tmp_path / "now", tmp_path / "prev")
    assert (d.table, list(d.added), list(d.removed)) == ("dates", added, removed)


def test_report_diff_new_and_dropped_tables(tmp_path):
    write(tmp_path / "prev", "old", "doc_id,x\nd,1\n")
    write(tmp_path / "now", "new", "doc_id,x\nd,1\nd,2\n")
    diffs = {d.table: d for d in diff_tables(tmp_path / "now", tmp_path / "prev")}
    assert (diffs["new"].previous, diffs["new"].current, len(diffs["new"].added)) == (None, 2, 2)
    assert (diffs["old"].previous, diffs["old"].current, len(diffs["old"].removed)) == (1, None, 1)
    html = render_diff(list(diffs.values()), tmp_path / "prev")
    assert '<td>new</td><td>—</td><td>2</td><td class="added">+2</td>' in html


def test_report_diff_without_previous_run(tmp_path):
    write(tmp_path / "now", "dates", "doc_id,value\nd,2016\n")
    assert "No previous run" in render_diff(diff_tables(tmp_path / "now", None), tmp_path / "missing")


@pytest.mark.parametrize("previous,current,changed", [
    # same span, other value: one changed row (one added + one removed)
    ("doc_id,start,end,value\nd,1,5,2016\nd,9,12,2017\n", "doc_id,start,end,value\nd,1,5,2015\nd,9,12,2017\n", 1),
    # a new span and a dropped span are not changes
    ("doc_id,start,end,value\nd,1,5,2016\n", "doc_id,start,end,value\nd,2,5,2016\n", 0),
    # tables without spans are keyed by their first id column
    ("doc_id,meeting_id,date\nd,1,2016-09-16\n", "doc_id,meeting_id,date\nd,1,2016-09-17\n", 1),
])
def test_report_diff_changed_rows(tmp_path, previous, current, changed):
    write(tmp_path / "prev", "t", previous)
    write(tmp_path / "now", "t", current)
    (d,) = diff_tables(tmp_path / "now", tmp_path / "prev")
    assert (len(d.added), len(d.removed), d.changed) == (1, 1, changed)
