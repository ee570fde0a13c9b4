"""The workbook (`extract --xlsx`, `python -m pipeline xlsx`) read back equals the CSVs; `--csv-bom`."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pipeline import load
from pipeline.cli import main
from pipeline.tables import unneutralise

from conftest import RULES_DIR
from two_editions import write_raw

TABLES = ["blocks", "clauses", "dates", "documents", "entities", "events", "failures", "meetings", "people",
          "persons", "sections", "sentences", "tokens", "venues"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("xlsx")
    raw = write_raw(tmp / "raw")
    for name, flags in (("plain", []), ("both", ["--xlsx", "--csv-bom"])):
        code = main(["extract", "--raw", str(raw), "--rules", str(RULES_DIR), "--out", str(tmp / name),
                     "--jobs", "1", "--no-ner", "--no-cache", *flags])
        assert code == 0
    return tmp


def _as_csv_text(value) -> str:
    """A cell read back from the workbook as the CSV writes it."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def test_workbook_reads_back_equal_to_the_csvs(runs):
    book = pd.read_excel(runs / "both" / "hakusho.xlsx", sheet_name=None)
    assert list(book) == TABLES + ["meetings_outcomes", "people_meetings"]
    for name in TABLES:
        csv = pd.read_csv(runs / "both" / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        sheet = book[name]
        assert list(sheet.columns) == list(csv.columns), name
        assert len(sheet) == len(csv), name
        for col in csv.columns:
            want = csv[col].tolist() if col == "text" else [unneutralise(v) for v in csv[col]]
            assert [_as_csv_text(v) for v in sheet[col].tolist()] == want, (name, col)
    outcomes = load(runs / "both")["meetings_outcomes"]
    assert book["meetings_outcomes"]["outcomes"].fillna("").tolist() == outcomes["outcomes"].tolist()


def test_workbook_cell_types_header_and_filter(runs):
    from openpyxl import load_workbook

    wb = load_workbook(runs / "both" / "hakusho.xlsx")
    for name in TABLES:
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name
    dates = {row[5].value: row[6] for row in wb["dates"].iter_rows(min_row=2)}  # text -> value cell
    assert dates["2021年5月12日"].is_date and dates["2021年5月12日"].value == dt.datetime(2021, 5, 12)
    assert dates["2021年5月12日"].number_format == "yyyy-mm-dd"
    assert dates["2021年6月"].value == "2021-06"  # a month stays text: a date cell would invent a day
    meetings = list(wb["meetings"].iter_rows(min_row=2, values_only=True))
    assert meetings[0][2] == 1 and isinstance(meetings[0][2], int)  # ids are numbers
    assert "ラジナート・シン印国防大臣|河野防衛大臣" in [r[8] for r in meetings]  # Japanese intact
    blocks = [row[6] for row in wb["blocks"].iter_rows(min_row=2) if row[6].value == "=2021年7月の予定"]
    assert blocks and blocks[0].data_type == "s"  # a text starting with = is text, not a formula


def test_workbook_command_writes_into_the_output_folder(runs, capsys):
    assert not (runs / "plain" / "hakusho.xlsx").exists()
    assert main(["xlsx", "--output", str(runs / "plain")]) == 0
    assert (runs / "plain" / "hakusho.xlsx").is_file()
    assert main(["xlsx", "--output", str(runs / "missing")]) == 2
    assert "no such output folder" in capsys.readouterr().err


def test_workbook_csv_bom_only_when_asked_and_loads_the_same(runs):
    for name in TABLES:
        plain_bytes = (runs / "plain" / f"{name}.csv").read_bytes()
        assert not plain_bytes.startswith(b"\xef\xbb\xbf"), name
        assert (runs / "both" / f"{name}.csv").read_bytes() == b"\xef\xbb\xbf" + plain_bytes, name
    plain, bom = load(runs / "plain"), load(runs / "both")
    for name in TABLES:
        pd.testing.assert_frame_equal(plain[name], bom[name])
