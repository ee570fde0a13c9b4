"""Loading the output tables into pandas with the right dtypes."""
from __future__ import annotations

import csv
from pathlib import Path

from .tables import ESCAPE, EXACT_COLUMNS, unneutralise

INT_COLUMNS = {"start", "end", "level", "section_id", "parent_id", "block_id", "sentence_id", "token_id",
               "meeting_id", "chars"}
BOOL_COLUMNS = {"relative", "former", "fiscal"}
ISO_DATE_COLUMNS = {"dates": "value", "meetings": "date"}


def read_rows(path: str | Path) -> tuple[list[str], list[dict[str, str]]]:
    """A CSV table as (header, rows of text) without pandas, the formula guard removed as `load`
    removes it (a BOM is tolerated); a missing file is an empty table."""
    path = Path(path)
    if not path.is_file():
        return [], []
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows = [{k: unneutralise(v) if isinstance(v, str) and k not in EXACT_COLUMNS else v for k, v in r.items()}
                for r in reader]
        return list(reader.fieldnames or []), rows


def load(out_dir: str | Path = "output") -> dict:
    """Every `*.csv` of a run as a DataFrame, by table name.

    Offsets and ids are nullable integers (`Int64`), flags are booleans, text stays text
    (empty cells are empty strings); `dates.value` and `meetings.date` are also parsed into
    a `*_parsed` datetime column (month/year granularity parse to the first day). The `'`
    the writer puts before cells starting with = + - @ (spreadsheet formula guard) is removed."""
    import pandas as pd

    tables = {}
    for path in sorted(Path(out_dir).glob("*.csv")):
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        for col in df.columns:
            if col not in EXACT_COLUMNS:
                escaped = df[col].str.startswith(ESCAPE)
                if escaped.any():
                    df.loc[escaped, col] = df.loc[escaped, col].map(unneutralise)
            if col in INT_COLUMNS:
                df[col] = pd.to_numeric(df[col].where(df[col] != ""), errors="raise").astype("Int64")
            elif col in BOOL_COLUMNS:
                df[col] = df[col].map({"true": True, "false": False}).astype("boolean")
        if path.stem in ISO_DATE_COLUMNS and ISO_DATE_COLUMNS[path.stem] in df.columns:
            col = ISO_DATE_COLUMNS[path.stem]
            df[f"{col}_parsed"] = pd.to_datetime(df[col].where(df[col] != ""), format="ISO8601", errors="coerce")
        tables[path.stem] = df
    return tables
