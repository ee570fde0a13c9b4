"""`pipeline.load`: every table as a DataFrame with integer offsets/ids, booleans and parsed dates."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline import load
from pipeline.load import read_rows
from pipeline.cli import main

from conftest import RULES_DIR, seed_raw

ROOT = Path(__file__).resolve().parent.parent

DATES = ("doc_id,section_id,sentence_id,start,end,text,value,granularity,relative,modifier,fiscal,rule\n"
         "2017/a,1,2,10,20,同年12月7日,2016-12-07,day,true,,false,date.x\n"
         "2017/a,,3,30,34,9月,2016-09,month,false,from,false,'=date.y\n")


def test_load_dtypes_on_a_real_run(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["extract", "--raw", str(seed_raw(tmp_path / "raw")), "--rules", str(RULES_DIR), "--out", str(out),
                 "--jobs", "1", "--no-ner", "--no-cache"])
    assert code == 0
    tables = load(out)
    assert {"sections", "blocks", "sentences", "tokens", "dates", "people", "venues", "clauses", "meetings",
            "documents", "failures"} <= set(tables)
    for name, df in tables.items():
        for col in ("start", "end", "section_id", "parent_id", "level", "block_id", "token_id", "sentence_id"):
            if col in df.columns:
                assert str(df[col].dtype) == "Int64", (name, col)
        for col in ("text", "label", "title", "kind", "lemma"):
            if col in df.columns:
                assert df[col].map(type).eq(str).all(), (name, col)
    sections = tables["sections"]
    assert sections["parent_id"].isna().sum() == 1  # only the root has no parent
    assert tables["documents"]["chars"].tolist() == [len(
        (ROOT / "raw" / "2017" / "000_5aa69a72492d7d21.txt").read_text(encoding="utf-8"))]
    text = (ROOT / "raw" / "2017" / "000_5aa69a72492d7d21.txt").read_text(encoding="utf-8")
    for name in ("blocks", "sections", "tokens", "sentences"):
        df = tables[name]
        if "text" in df.columns:
            assert all(text[s:e] == t for s, e, t in zip(df["start"], df["end"], df["text"])), name


def test_load_booleans_dates_and_formula_guard(tmp_path):
    (tmp_path / "dates.csv").write_text(DATES, encoding="utf-8")
    dates = load(tmp_path)["dates"]
    assert str(dates["relative"].dtype) == "boolean" and dates["relative"].tolist() == [True, False]
    assert dates["fiscal"].tolist() == [False, False]
    assert dates["section_id"].tolist()[0] == 1 and pd.isna(dates["section_id"][1])
    assert dates["value_parsed"].tolist() == [pd.Timestamp("2016-12-07"), pd.Timestamp("2016-09-01")]
    assert dates["modifier"].tolist() == ["", "from"]
    assert dates["rule"].tolist() == ["date.x", "=date.y"]  # the writer's ' guard is removed


def test_load_read_rows_removes_the_formula_guard_like_load(tmp_path):
    (tmp_path / "dates.csv").write_text("\ufeff" + DATES.replace("9月", "'=9月"), encoding="utf-8")
    head, rows = read_rows(tmp_path / "dates.csv")
    assert head[:3] == ["doc_id", "section_id", "sentence_id"]
    assert [r["rule"] for r in rows] == ["date.x", "=date.y"] == load(tmp_path)["dates"]["rule"].tolist()
    assert rows[1]["text"] == "'=9月"  # span text is never escaped, so never unescaped
    assert read_rows(tmp_path / "missing.csv") == ([], [])
