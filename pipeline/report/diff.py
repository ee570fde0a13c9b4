"""What changed since the previous run: rows added and removed per table."""
from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..load import read_rows

DIFF_SAMPLE = 25  # rows shown per table and direction in the diff


@dataclass(frozen=True)
class TableDiff:
    table: str
    previous: int | None  # rows in the previous run; None when there is no previous table
    current: int | None
    added: tuple[str, ...]  # rows as CSV lines
    removed: tuple[str, ...]
    changed: int = 0  # added/removed pairs with the same key (span or id): the same row, other values
    key: tuple[str, ...] = ()


def diff_tables(current: Path, previous: Path | None) -> list[TableDiff]:
    """Rows added and removed per table (multiset of rows over the columns both runs share)."""
    names = sorted({p.stem for p in current.glob("*.csv")}
                   | ({p.stem for p in previous.glob("*.csv")} if previous and previous.is_dir() else set()))
    out = []
    for name in names:
        head_now, now = read_rows(current / f"{name}.csv")
        head_prev, prev = read_rows(previous / f"{name}.csv") if previous else ([], [])
        cols = [c for c in head_now if c in head_prev] if head_now and head_prev else (head_now or head_prev)
        key = _diff_key(cols)

        def as_line(r: dict[str, str]) -> str:
            return ",".join(_csv_cell(r.get(c, "")) for c in cols)

        key_of = {as_line(r): tuple(r.get(c, "") for c in key) for r in (*now, *prev)}
        c_now, c_prev = Counter(map(as_line, now)), Counter(map(as_line, prev))
        added = tuple(sorted((c_now - c_prev).elements()))
        removed = tuple(sorted((c_prev - c_now).elements()))
        k_added, k_removed = Counter(key_of[x] for x in added), Counter(key_of[x] for x in removed)
        changed = sum((k_added & k_removed).values()) if key else 0
        out.append(TableDiff(name, len(prev) if head_prev else None, len(now) if head_now else None,
                             added, removed, changed, key))
    return out


def _diff_key(cols: list[str]) -> tuple[str, ...]:
    """The columns that identify a row across runs: its span, else its id, else none."""
    if "start" in cols and "end" in cols:
        return tuple(c for c in ("doc_id", "start", "end") if c in cols)
    ids = [c for c in cols if c.endswith("_id") and c != "doc_id"]
    return tuple(c for c in ("doc_id", *ids[:1]) if c in cols) if ids else ()


def _csv_cell(value: str) -> str:
    return f'"{value.replace(chr(34), chr(34) * 2)}"' if any(c in value for c in ',"\n\r') else value


def render_diff(diffs: list[TableDiff], previous: Path | None) -> str:
    if previous is None or not previous.is_dir():
        return ('<p class="muted">No previous run is kept (the previous output is kept as '
                f'<code>{html.escape(str(previous))}</code> after the next <code>make extract</code>).</p>')
    rows = []
    details = []
    for d in diffs:
        fmt = (lambda n: "—" if n is None else str(n))
        rows.append(f'<tr><td>{html.escape(d.table)}</td><td>{fmt(d.previous)}</td><td>{fmt(d.current)}</td>'
                    f'<td class="added">+{len(d.added)}</td><td class="removed">−{len(d.removed)}</td>'
                    f'<td title="same {html.escape("/".join(d.key))}, other values">{d.changed}</td></tr>')
        for sign, label, lines in (("+", "added", d.added), ("−", "removed", d.removed)):
            if lines:
                more = f"\n… and {len(lines) - DIFF_SAMPLE} more" if len(lines) > DIFF_SAMPLE else ""
                body = html.escape("\n".join(f"{sign} {x}" for x in lines[:DIFF_SAMPLE]) + more)
                details.append(f'<details class="diff-{label}" data-table="{html.escape(d.table)}">'
                               f'<summary>{html.escape(d.table)}: {len(lines)} {label}</summary>'
                               f'<pre>{body}</pre></details>')
    return (f'<p class="muted">Compared with the previous run kept in <code>{html.escape(str(previous))}</code>.</p>'
            '<table class="stats diff"><tr><th>table</th><th>previous</th><th>current</th><th>added</th>'
            f'<th>removed</th><th>of which changed</th></tr>{"".join(rows)}</table>{"".join(details)}')
