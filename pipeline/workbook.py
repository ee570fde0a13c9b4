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
    import pandas as pd

    from .load import ISO_DATE_COLUMNS, load

    tables = load(out_dir)
    out = {}
    for path in sorted(Path(out_dir).glob("*.csv")):
        name = path.stem
        df = tables[name].reset_index() if tables[name].index.name else tables[name]
        df = df[_csv_header(path)].copy()  # the CSV's columns: not load's keys and parsed dates
        date_col = ISO_DATE_COLUMNS.get(name)
        if date_col in df.columns:
            full = df[date_col].str.fullmatch(FULL_DATE)
            df[date_col] = df[date_col].astype(object)
            df.loc[full, date_col] = pd.to_datetime(df.loc[full, date_col], format="%Y-%m-%d").map(
                lambda t: t.to_pydatetime())
        out[name] = df
    for name in JOINED_SHEETS:
        if name in tables:
            df = tables[name]
            out[name] = df.reset_index() if df.index.name else df
    return out


def _csv_header(path: Path) -> list[str]:
    import csv

    with path.open(encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f), [])


def write_workbook(out_dir: Path, path: Path | None = None) -> Path:
    """Write the tables of `out_dir` into `path` (default `out_dir/hakusho.xlsx`); return the path."""
    import pandas as pd

    out_dir = Path(out_dir)
    path = Path(path) if path is not None else out_dir / WORKBOOK
    frames = sheets(out_dir)
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with pd.ExcelWriter(path, engine="xlsxwriter", date_format="yyyy-mm-dd", datetime_format="yyyy-mm-dd",
                        engine_kwargs={"options": options}) as writer:
        for name, df in frames.items():
            for part, lo in enumerate(range(0, max(len(df), 1), SHEET_ROWS)):
                sheet = name if part == 0 else f"{name}_{part + 1}"
                chunk = df.iloc[lo:lo + SHEET_ROWS]
                chunk.to_excel(writer, sheet_name=sheet, index=False, freeze_panes=(1, 0))
                ws = writer.sheets[sheet]
                ws.autofilter(0, 0, len(chunk), max(len(df.columns) - 1, 0))
    return path


def add_parser(sub) -> None:
    xp = sub.add_parser("xlsx", help=f"write the tables of output/ into output/{WORKBOOK}, one sheet per table")
    xp.add_argument("--output", type=Path, default=Path("output"), help="folder of the CSV tables (default: output)")
    xp.add_argument("--to", type=Path, default=None, help=f"the workbook to write (default: OUTPUT/{WORKBOOK})")


def main(args: argparse.Namespace) -> int:
    if not Path(args.output).is_dir():
        raise PipelineError(f"{args.output}: no such output folder (run `make extract` first)")
    print(f"wrote {write_workbook(args.output, args.to)}")
    return 0
