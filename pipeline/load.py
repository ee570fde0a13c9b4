"""Loading the output tables into pandas with the right dtypes."""
from __future__ import annotations

import csv
from pathlib import Path

from .tables import ESCAPE, EXACT_COLUMNS, unneutralise

INT_COLUMNS = {"start", "end", "level", "section_id", "parent_id", "block_id", "sentence_id", "token_id",
               "meeting_id", "chars", "mentions", "documents"}
BOOL_COLUMNS = {"relative", "former", "fiscal"}
ISO_DATE_COLUMNS = {"dates": "value", "meetings": "date"}
# ids restart at 1 in every document: `doc_id#id` is unique across the output. Each id column gets
# its key column beside it; the table whose rows the id names is indexed by that key instead.
KEYS = {"section_id": "section_key", "parent_id": "parent_key", "block_id": "block_key",
        "sentence_id": "sentence_key", "meeting_id": "meeting_key"}
KEY_OF_TABLE = {"sections": "section_id", "blocks": "block_id", "sentences": "sentence_id", "meetings": "meeting_id"}
OUTCOME_TYPES = ("agree", "confirm", "share")  # what a meeting agreed; the other clause types are statements
MEETING_FIELDS = ("date", "title", "venue", "mode", "counterparts", "host", "consult_mode", "participants",
                  "participant_names", "event_id")
OWN_ID = {"events": "event_id", "persons": "person_id"}  # the run's tables (pipeline/corpus.py), by their id


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
    """Every `*.csv` of a run as a DataFrame, by table name, and the joins users build every time.

    Offsets and ids are nullable integers (`Int64`), flags are booleans, text stays text
    (empty cells are empty strings); `dates.value` and `meetings.date` are also parsed into
    a `*_parsed` datetime column (month/year granularity parse to the first day). The `'`
    the writer puts before cells starting with = + - @ (spreadsheet formula guard) is removed.

    Ids restart in every document, so every `*_id` column that points at a row gets a `*_key`
    column beside it (`"2017/000_x#3"`, unique across the output; `<NA>` where the id is empty),
    and sections, blocks, sentences and meetings are indexed by their own key: `clauses.join(
    meetings, on="meeting_key")` is right however many documents there are. Built from them:
    `meetings_outcomes` (one row per meeting: `outcomes`, what it agreed/confirmed/shared, and
    its other `statements`), `meeting_clauses` (one row per clause of a meeting, with the
    meeting's date, title, venue, …) and `people_meetings` (one row per participant of a meeting).
    `events` (one row per real-world session, indexed by `event_id`) and `persons` (indexed by
    `person_id`) are the run's cross-document tables: count sessions with `events` or
    `meetings.event_id.nunique()`, not with the meeting rows, which count mentions."""
    tables = {path.stem: _read_table(path) for path in sorted(Path(out_dir).glob("*.csv"))}
    for name, id_col in KEY_OF_TABLE.items():
        if name in tables and KEYS[id_col] in tables[name].columns:
            tables[name] = tables[name].set_index(KEYS[id_col])
    for name, id_col in OWN_ID.items():
        if name in tables and id_col in tables[name].columns:
            tables[name] = tables[name].set_index(id_col)
    if {"meetings", "clauses"} <= set(tables):
        tables["meeting_clauses"] = meeting_clauses(tables["meetings"], tables["clauses"])
        tables["meetings_outcomes"] = meetings_outcomes(tables["meetings"], tables["meeting_clauses"])
    if {"meetings", "people"} <= set(tables):
        tables["people_meetings"] = people_meetings(tables["meetings"], tables["people"])
    return tables


def _read_table(path: Path):
    """One CSV table with the dtypes `load` promises and its key columns."""
    import pandas as pd

    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
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
    if "doc_id" in df.columns:
        for col in [c for c in df.columns if c in KEYS]:
            key = (df["doc_id"] + "#" + df[col].astype("string")).astype("string")
            df.insert(df.columns.get_loc(col) + 1, KEYS[col], key)
    return df


def meeting_clauses(meetings, clauses):
    """One row per clause that belongs to a meeting, with the meeting's date, title, venue, mode,
    sides and participants (`meeting_title` is the meeting's title), indexed like `clauses`."""
    info = meetings[list(MEETING_FIELDS)].rename(columns={"title": "meeting_title"})
    linked = clauses[clauses["meeting_key"].notna()]
    cols = ["doc_id", "meeting_key", "meeting_id", "type", "actor", "content", "text", "start", "end",
            "sentence_key"]
    return linked[[c for c in cols if c in linked.columns]].join(info, on="meeting_key")


def meetings_outcomes(meetings, linked):
    """The meetings (indexed by meeting_key) with `outcomes`: what each agreed, confirmed or shared
    (clause content and predicate, one line each, in text order), `statements`: its other clauses,
    and `clauses`: how many clauses it has."""
    import pandas as pd

    linked = linked.sort_values(["meeting_key", "start"])
    said = linked["content"] + linked["text"]
    outcome = linked["type"].isin(OUTCOME_TYPES)
    out = meetings.copy()
    for col, rows in (("outcomes", outcome), ("statements", ~outcome)):
        joined = said[rows].groupby(linked.loc[rows, "meeting_key"]).agg("\n".join)
        out[col] = joined.reindex(out.index).fillna("").astype(str)
    out["clauses"] = linked.groupby("meeting_key").size().reindex(out.index).fillna(0).astype("Int64")
    return out if len(out) else out.astype({"outcomes": str, "statements": str})


def people_meetings(meetings, people):
    """One row per participant of a meeting: the person_id, the name as written at the meeting
    (`participant_name`), the person's name/title/country from that mention, and the meeting's
    key, date, title, venue, mode and sides."""
    import pandas as pd

    rows = []
    for key, m in meetings.iterrows():
        ids = [p for p in m["participants"].split("|") if p]
        names = m["participant_names"].split("|") if "participant_names" in m.index else []
        for i, pid in enumerate(ids):
            rows.append({"meeting_key": key, "doc_id": m["doc_id"], "person_id": pid,
                         "participant_name": names[i] if i < len(names) else ""})
    cols = ["meeting_key", "doc_id", "person_id", "participant_name"]
    out = pd.DataFrame(rows, columns=cols).astype(str)
    who = (people[["doc_id", "person_id", "text", "name", "title", "country"]]
           .drop_duplicates(["doc_id", "person_id", "text"])
           .rename(columns={"text": "participant_name"}))
    out = out.merge(who, on=["doc_id", "person_id", "participant_name"], how="left")
    for col in ("name", "title", "country"):
        out[col] = out[col].fillna("").astype(str)
    info = meetings[[c for c in MEETING_FIELDS if c not in ("participants", "participant_names")]]
    return out.join(info.rename(columns={"title": "meeting_title"}), on="meeting_key")
