"""The workbook: every table of a run as one sheet of `hakusho.xlsx`, for spreadsheet users.

`python -m pipeline xlsx` (`make xlsx`) writes it into an output folder; `extract --xlsx` writes it
with the tables. One sheet per CSV table, with the CSV's columns in its order, then the joined
sheets of `pipeline.load` (`meetings_outcomes`, `people_meetings`). Values are typed as `load`
types them: offsets and ids as numbers, flags as TRUE/FALSE, text as text (never as a formula:
the formula guard `'` is not needed and not written). `dates.value` and `meetings.date` are real
dates where they are a full ISO date (`2016-09-16`); month and year values (`2017-05`, `2017`) stay
text, because a date cell would invent a day. The header row is frozen and has a filter. A table
longer than a sheet (1,048,575 rows) continues on `NAME_2`, `NAME_3`, …
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path

from .errors import PipelineError
from .tables import WORKBOOK

COMMAND = "xlsx"
SHEET_ROWS = 1_048_575  # an Excel sheet's rows below the header
JOINED_SHEETS = ("meetings_outcomes", "people_meetings")
FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def sheets(out_dir: Path) -> dict[str, "pd.DataFrame"]:  # noqa: F821
    """The frames of the workbook by sheet name: the CSV tables (their columns, in file order) and the
    joined tables of `load`; full ISO dates in `dates.value`/`meetings.date` as datetimes."""
    from .load import ISO_DATE_COLUMNS, load

    tables = load(out_dir)
    out = {}
    for path in sorted(Path(out_dir).glob("*.csv")):
        name = path.stem
        df = tables[name].reset_index() if tables[name].index.name else tables[name]
        df = df[_csv_header(path)].copy()  # the CSV's columns: not load's keys and parsed dates
        date_col = ISO_DATE_COLUMNS.get(name)
        if date_col in df.columns:
            df[date_col] = df[date_col].map(_full_date).astype(object)
        out[name] = df
    for name in JOINED_SHEETS:
        if name in tables:
            df = tables[name].reset_index() if tables[name].index.name else tables[name].copy()
            df = df[[c for c in df.columns if not c.endswith("_parsed")]]
            if "date" in df.columns:
                df["date"] = df["date"].map(_full_date).astype(object)
            out[name] = df
    return out


def _full_date(value: str):
    """A full ISO date as a datetime (a date cell); anything else (`2017-05`, `2017`, "") as it is."""
    if not FULL_DATE.fullmatch(value or ""):
        return value
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        return value


def _csv_header(path: Path) -> list[str]:
    import csv

    with path.open(encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f), [])


def write_workbook(out_dir: Path, path: Path | None = None) -> Path:
    """Write the tables of `out_dir` into `path` (default `out_dir/hakusho.xlsx`); return the path."""
    import xlsxwriter

    out_dir = Path(out_dir)
    path = Path(path) if path is not None else out_dir / WORKBOOK
    frames = sheets(out_dir)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                           "strings_to_urls": False, "strings_to_numbers": False})
    head, day = book.add_format({"bold": True}), book.add_format({"num_format": "yyyy-mm-dd"})
    try:
        for name, df in frames.items():
            columns = [_cells(df[c]) for c in df.columns]
            for part, lo in enumerate(range(0, max(len(df), 1), SHEET_ROWS)):
                ws = book.add_worksheet(name if part == 0 else f"{name}_{part + 1}")
                ws.write_row(0, 0, [str(c) for c in df.columns], head)
                ws.freeze_panes(1, 0)
                rows = min(SHEET_ROWS, len(df) - lo)
                ws.autofilter(0, 0, rows, max(len(df.columns) - 1, 0))
                for r in range(rows):
                    for c, cells in enumerate(columns):
                        _write(ws, r + 1, c, cells[lo + r], day)
    finally:
        book.close()
    return path


def _cells(series) -> list:
    """A column as plain Python values: None for missing, bool, int, datetime or str."""
    import pandas as pd

    return [v if isinstance(v, str) else None if v is None or pd.isna(v) else
            v.item() if hasattr(v, "item") else v for v in series.tolist()]


def _write(ws, row: int, col: int, value, day) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value, day)
    else:
        ws.write_string(row, col, str(value))


def add_parser(sub) -> None:
    xp = sub.add_parser("xlsx", help=f"write the tables of output/ into output/{WORKBOOK}, one sheet per table")
    xp.add_argument("--output", type=Path, default=Path("output"), help="folder of the CSV tables (default: output)")
    xp.add_argument("--to", type=Path, default=None, help=f"the workbook to write (default: OUTPUT/{WORKBOOK})")


def main(args: argparse.Namespace) -> int:
    if not Path(args.output).is_dir():
        raise PipelineError(f"{args.output}: no such output folder (run `make extract` first)")
    print(f"wrote {write_workbook(args.output, args.to)}")
    return 0
