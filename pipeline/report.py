"""`python -m pipeline report`: a static HTML report of a run, built from the CSV tables and raw text.

Writes `<out>/index.html` (opens from disk: no server, no network, no script), the meetings
timeline beside it (`timeline.png`, `timeline.svg`) and, with `--png`, a screenshot of the page
rendered by headless Chromium (`index.png`). The page shows, per document, the raw text with
headings as headings and every date, person, venue and clause highlighted (hover: the row's
values, rule and source), a sticky table of contents, per-meeting cards, and the rows added and
removed per table since the previous run (`tables.previous_dir`). Nothing re-runs the pipeline.
"""
from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import tempfile
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from .errors import PipelineError
from .load import read_rows
from .reader import read_raw
from .tables import previous_dir

COMMAND = "report"

# mention kinds, outermost first when two spans are equal; table that holds each kind
KINDS: tuple[str, ...] = ("clause", "person", "venue", "date")
KIND_TABLE = {"date": "dates", "person": "people", "venue": "venues", "clause": "clauses"}
# the clause types a meeting card lists as its outcomes (the others follow as remarks)
OUTCOME_TYPES = ("agree", "confirm", "share")
DIFF_SAMPLE = 25  # rows shown per table and direction in the diff
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">", "h", "*", "p")
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#bcbd22", "#7f7f7f", "#393b79", "#637939")


@dataclass(frozen=True)
class Span:
    """One highlighted mention: a row of dates/people/venues/clauses with its raw span."""

    start: int
    end: int
    kind: str
    label: str  # the short tag shown after the mention
    title: str  # the hover text
    anchor: str  # element id of the mention's first piece
    value: str  # the normalised value (data-value)


@dataclass(frozen=True)
class Unit:
    """A block of the page: a raw line/paragraph rendered as a heading or a paragraph."""

    start: int
    end: int
    kind: str
    level: int  # heading level (2..6) or 0
    anchor: str  # element id; a section's anchor when the unit is its heading


@dataclass(frozen=True)
class TableDiff:
    table: str
    previous: int | None  # rows in the previous run; None when there is no previous table
    current: int | None
    added: tuple[str, ...]  # rows as CSV lines
    removed: tuple[str, ...]
    changed: int = 0  # added/removed pairs with the same key (span or id): the same row, other values
    key: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------- tables

def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _by_doc(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        out.setdefault(row.get("doc_id", ""), []).append(row)
    return out


# ---------------------------------------------------------------------------------------- spans

def _lines(*pairs: tuple[str, str | None]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in pairs if v not in (None, ""))


def span_of(kind: str, row: dict[str, str], *, prefix: str) -> Span | None:
    """The highlight for one table row, or None when the row has no usable span."""
    start, end = _int(row.get("start")), _int(row.get("end"))
    if start is None or end is None or end <= start:
        return None
    text = row.get("text", "")
    rule = row.get("rule", "")
    source = row.get("source", "") or f"{KIND_TABLE[kind]}.csv"
    if kind == "date":
        value = row.get("value", "")
        flags = ", ".join(x for x in ("relative" if row.get("relative") == "true" else "",
                                      "fiscal" if row.get("fiscal") == "true" else "",
                                      row.get("modifier", "")) if x)
        title = _lines(("DATE", text), ("value", f"{value} ({row.get('granularity', '')})".replace(" ()", "")),
                       ("flags", flags), ("rule", rule), ("source", source))
        label = "DATE"
    elif kind == "person":
        value = row.get("person_id", "") or row.get("name", "")
        title = _lines(("PERSON", text), ("name", row.get("name")), ("title", row.get("title")),
                       ("country", row.get("country")), ("former", "true" if row.get("former") == "true" else ""),
                       ("person_id", row.get("person_id")), ("rule", rule), ("source", source))
        label = "PERSON"
    elif kind == "venue":
        value = row.get("name", "")
        title = _lines(("VENUE", text), ("name", value), ("country", row.get("country")),
                       ("meeting_id", row.get("meeting_id")), ("rule", rule), ("source", source))
        label = "VENUE"
    else:
        value = row.get("type", "")
        title = _lines(("CLAUSE", text), ("type", value), ("actor", row.get("actor")),
                       ("meeting_id", row.get("meeting_id")), ("content", row.get("content")),
                       ("rule", rule), ("source", source))
        label = value.upper() or "CLAUSE"
    return Span(start, end, kind, label, title, f"{prefix}-{kind}-{start}-{end}", value)


def _order(span: Span) -> tuple[int, int, int]:
    """Outer spans first: earlier start, then longer, then kind order (clause > person > venue > date)."""
    return span.start, -span.end, KINDS.index(span.kind)


def render_segment(text: str, a: int, b: int, spans: list[Span], *, opened: set[str] | None = None) -> str:
    """HTML for text[a:b] with the spans that touch it as nested `<mark>` elements.

    Spans that cross each other are split into pieces that nest; every piece carries the
    mention's title, the first piece its id, later pieces the class `cont`. Stripping the
    tags gives back text[a:b] exactly. `opened` collects the anchors already emitted."""
    opened = set() if opened is None else opened
    inside = sorted((s for s in spans if s.start < b and s.end > a), key=_order)
    points = sorted({a, b} | {max(a, s.start) for s in inside} | {min(b, s.end) for s in inside})
    out: list[str] = []
    stack: list[Span] = []
    for p, q in zip(points, points[1:]):
        active = [s for s in inside if s.start <= p and s.end >= q]
        keep = 0
        while keep < len(stack) and keep < len(active) and stack[keep] is active[keep]:
            keep += 1
        for _ in range(len(stack) - keep):
            out.append("</mark>")
            stack.pop()
        for s in active[keep:]:
            first = s.anchor not in opened
            opened.add(s.anchor)
            attrs = [f'class="m m-{s.kind}{"" if first else " cont"}"']
            if first:
                attrs.append(f'id="{html.escape(s.anchor)}"')
            attrs += [f'data-kind="{s.kind}"', f'data-start="{s.start}"', f'data-end="{s.end}"',
                      f'data-label="{html.escape(s.label)}"', f'data-value="{html.escape(s.value)}"',
                      f'title="{html.escape(s.title)}"']
            out.append(f"<mark {' '.join(attrs)}>")
            stack.append(s)
        out.append(html.escape(text[p:q], quote=False))
    out.extend("</mark>" for _ in stack)
    return "".join(out)


# ---------------------------------------------------------------------------------------- document

def units_of(text: str, blocks: list[dict[str, str]], sections: list[dict[str, str]], *, prefix: str) -> list[Unit]:
    """The blocks of the page in reading order: blocks.csv rows (or raw lines when there are none),
    plus any uncovered non-blank text; a unit that starts where a section starts is its heading."""
    spans: list[tuple[int, int, str]] = []
    for row in blocks:
        s, e = _int(row.get("start")), _int(row.get("end"))
        if s is not None and e is not None and 0 <= s < e <= len(text):
            spans.append((s, e, row.get("kind", "")))
    if not spans:
        pos = 0
        for line in text.split("\n"):
            if line.strip():
                spans.append((pos, pos + len(line), ""))
            pos += len(line) + 1
    spans.sort()
    clean: list[tuple[int, int, str]] = []
    last = 0
    for s, e, kind in spans:
        if s < last:  # overlapping blocks: keep reading order, never repeat text
            if e <= last:
                continue
            s = last
        if text[last:s].strip():
            clean.append((last, s, "other"))
        clean.append((s, e, kind))
        last = e
    if text[last:].strip():
        clean.append((last, len(text), "other"))
    level_at: dict[int, tuple[int, str]] = {}
    for row in sections:
        s, lvl = _int(row.get("start")), _int(row.get("level"))
        if s is not None and s not in level_at:
            level_at[s] = (min(6, (lvl or 1) + 1), f"{prefix}-s{row.get('section_id', '')}")
    units = []
    for s, e, kind in clean:
        # a section's heading line may begin after leading spaces of its unit
        lead = s + len(text[s:e]) - len(text[s:e].lstrip())
        hit = level_at.get(s) or level_at.get(lead)
        if hit or kind == "heading":
            level, anchor = hit or (6, f"{prefix}-p{s}")
            units.append(Unit(s, e, "heading", level, anchor))
        else:
            units.append(Unit(s, e, kind or "paragraph", 0, f"{prefix}-p{s}"))
    return units


def render_text(text: str, units: list[Unit], spans: list[Span], sections: list[dict[str, str]],
                *, prefix: str) -> str:
    """The document body: headings and paragraphs with highlighted mentions; text between units
    (newlines) is kept as whitespace, so stripping the tags gives back the raw text."""
    by_start = sorted(spans, key=lambda s: s.start)
    starts = [s.start for s in by_start]
    longest = max((s.end - s.start for s in by_start), default=0)

    def near(a: int, b: int) -> list[Span]:
        """The spans that may touch text[a:b] (a bisect window instead of every span)."""
        return by_start[bisect_left(starts, a - longest):bisect_left(starts, b)]

    out: list[str] = []
    opened: set[str] = set()
    anchors_used = {u.anchor for u in units}
    pending = sorted((_int(r.get("start")) or 0, f"{prefix}-s{r.get('section_id', '')}") for r in sections
                     if f"{prefix}-s{r.get('section_id', '')}" not in anchors_used)
    pos = 0
    for unit in units:
        while pending and pending[0][0] <= unit.start:
            out.append(f'<a class="anchor" id="{html.escape(pending.pop(0)[1])}"></a>')
        out.append(render_segment(text, pos, unit.start, near(pos, unit.start), opened=opened))
        body = render_segment(text, unit.start, unit.end, near(unit.start, unit.end), opened=opened)
        if unit.kind == "heading":
            out.append(f'<h{unit.level} class="hd" id="{html.escape(unit.anchor)}">{body}</h{unit.level}>')
        else:
            out.append(f'<p class="blk k-{html.escape(unit.kind)}" id="{html.escape(unit.anchor)}">{body}</p>')
        pos = unit.end
    out.append(render_segment(text, pos, len(text), near(pos, len(text)), opened=opened))
    out.extend(f'<a class="anchor" id="{html.escape(a)}"></a>' for _, a in pending)
    return f'<div class="doctext" lang="ja" data-chars="{len(text)}">{"".join(out)}</div>'


def unit_at(units: list[Unit], offset: int | None) -> Unit | None:
    for unit in units:
        if offset is not None and unit.start <= offset < unit.end:
            return unit
    return None


# ---------------------------------------------------------------------------------------- timeline

def _ascii(value: str) -> str:
    """The value when it is plain ASCII after NFKC (so the plot font has its glyphs), else ''."""
    folded = unicodedata.normalize("NFKC", value or "").strip()
    return folded if folded.isascii() else ""


def _parse_date(value: str) -> date | None:
    parts = (value or "").split("-")
    try:
        nums = [int(p) for p in parts]
    except ValueError:
        return None
    if not nums or len(nums) > 3:
        return None
    try:
        return date(nums[0], nums[1] if len(nums) > 1 else 1, nums[2] if len(nums) > 2 else 1)
    except ValueError:
        return None


@dataclass(frozen=True)
class TimelinePoint:
    when: date
    row: str  # counterpart country (ISO codes), ASCII
    venue_country: str  # ASCII or "?"
    tag: str  # meeting number when ASCII


def timeline_points(meetings: list[dict[str, str]], people: list[dict[str, str]],
                    venues: list[dict[str, str]]) -> list[TimelinePoint]:
    """One point per dated meeting: row = the counterpart country (participants' countries other
    than JP, from people.csv), marker = the venue's country (from venues.csv)."""
    country_of: dict[tuple[str, str], Counter] = {}
    for p in people:
        if p.get("person_id") and p.get("country"):
            country_of.setdefault((p.get("doc_id", ""), p["person_id"]), Counter())[p["country"]] += 1
    # person_id is stable across files: fall back to any document's country
    any_country: dict[str, Counter] = {}
    for (_, pid), counts in country_of.items():
        any_country.setdefault(pid, Counter()).update(counts)
    venue_by_meeting: dict[tuple[str, str], str] = {}
    venue_by_name: dict[tuple[str, str], str] = {}
    for v in venues:
        if not v.get("country"):
            continue
        if v.get("meeting_id"):
            venue_by_meeting.setdefault((v.get("doc_id", ""), v["meeting_id"]), v["country"])
        for key in (v.get("name", ""), v.get("text", "")):
            if key:
                venue_by_name.setdefault((v.get("doc_id", ""), key), v["country"])
    points = []
    for m in meetings:
        when = _parse_date(m.get("date", ""))
        if when is None:
            continue
        doc = m.get("doc_id", "")
        countries = set()
        for pid in filter(None, (m.get("participants") or "").split("|")):
            counts = country_of.get((doc, pid)) or any_country.get(pid)
            if counts:
                countries.add(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0])
        others = sorted(c for c in countries if c != "JP")
        row = "+".join(_ascii(c) or "?" for c in others) or ("JP" if countries else "?")
        venue = (venue_by_meeting.get((doc, m.get("meeting_id", "")))
                 or venue_by_name.get((doc, m.get("venue", ""))) or "")
        if not m.get("venue"):  # no venue: say why (a call, a video meeting) rather than "?"
            where = m.get("mode") if m.get("mode") in ("telephone", "video") else "no venue"
        else:
            where = _ascii(venue) or "?"
        points.append(TimelinePoint(when, row, where, _ascii(m.get("meeting_no", ""))))
    return sorted(points, key=lambda p: (p.row, p.when, p.venue_country, p.tag))


def write_timeline(points: list[TimelinePoint], out_dir: Path) -> list[str]:
    """Plot the points into timeline.png and timeline.svg (ASCII labels only: no missing glyphs).

    Returns the file names written (none without points)."""
    if not points:
        return []
    from matplotlib import rc_context
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    rows = sorted({p.row for p in points})
    venues = sorted({p.venue_country for p in points})
    style = {v: (MARKERS[i % len(MARKERS)], COLOURS[i % len(COLOURS)]) for i, v in enumerate(venues)}
    with rc_context({"svg.hashsalt": "hakusho", "font.family": "DejaVu Sans", "svg.fonttype": "none"}):
        fig = Figure(figsize=(10, 1.3 + 0.55 * len(rows)), dpi=110)
        ax = fig.add_subplot()
        for venue in venues:
            marker, colour = style[venue]
            sel = [p for p in points if p.venue_country == venue]
            ax.scatter([p.when for p in sel], [rows.index(p.row) for p in sel], marker=marker, s=70,
                       color=colour, edgecolor="black", linewidth=0.6, zorder=3, label=f"venue {venue}" if len(venue) <= 2 else venue)
        for p in points:
            if p.tag:
                ax.annotate(p.tag, (p.when, rows.index(p.row)), textcoords="offset points", xytext=(0, 8),
                            ha="center", fontsize=7, color="#444444")
        ax.set_yticks(range(len(rows)), labels=rows)
        ax.set_ylim(-0.7, len(rows) - 0.3)
        locator = AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        ax.grid(axis="x", color="#dddddd", zorder=0)
        ax.set_ylabel("counterpart")
        ax.set_title(f"Meetings by date ({len(points)})", fontsize=11)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        fig.tight_layout()
        fig.savefig(out_dir / "timeline.png", metadata={"Software": None})
        fig.savefig(out_dir / "timeline.svg", metadata={"Date": None, "Creator": None})
    return ["timeline.png", "timeline.svg"]


# ---------------------------------------------------------------------------------------- diff

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


# ---------------------------------------------------------------------------------------- cards

def _mention_of(meeting: dict[str, str], rows: list[dict[str, str]], *, field: str, value: str) -> dict | None:
    """The mention a card's date/venue links to: the row the meeting names (same meeting_id), else
    a row with the same value inside the meeting's span, else in its section, else in its document."""
    if not value:
        return None
    doc = meeting.get("doc_id", "")
    same = [r for r in rows if r.get("doc_id", "") == doc and value in (r.get(field, ""), r.get("text", ""))]
    s, e = _int(meeting.get("start")), _int(meeting.get("end"))
    tiers = (
        [r for r in same if meeting.get("meeting_id") and r.get("meeting_id") == meeting.get("meeting_id")],
        [r for r in same if s is not None and e is not None and s <= (_int(r.get("start")) or -1) < e],
        [r for r in same if meeting.get("section_id") and r.get("section_id") == meeting.get("section_id")],
        same,
    )
    for tier in tiers:
        if tier:
            return min(tier, key=lambda r: _int(r.get("start")) or 0)
    return None


def render_cards(meetings: list[dict[str, str]], *, doc_prefix: dict[str, str], people: list[dict[str, str]],
                 clauses: list[dict[str, str]], units: dict[str, list[Unit]],
                 dates: list[dict[str, str]] = (), venues: list[dict[str, str]] = (),
                 anchors: set[str] | None = None) -> str:
    """One card per meeting row: date, venue, participants and the clauses linked to it.

    Links point at highlighted mentions (`anchors`: the ids on the page; None = trust every row)."""

    def href(anchor: str) -> str:
        return f"#{anchor}" if anchors is None or anchor in anchors else ""

    if not meetings:
        return '<p class="muted">No meetings in meetings.csv.</p>'
    first_mention: dict[tuple[str, str], dict[str, str]] = {}
    for p in people:
        if p.get("person_id"):
            first_mention.setdefault((p.get("doc_id", ""), p["person_id"]), p)
    by_meeting: dict[tuple[str, str], list[dict[str, str]]] = {}
    for c in clauses:
        if c.get("meeting_id"):
            by_meeting.setdefault((c.get("doc_id", ""), c["meeting_id"]), []).append(c)
    cards = []
    for m in meetings:
        doc = m.get("doc_id", "")
        prefix = doc_prefix.get(doc, "")
        esc = html.escape
        where = unit_at(units.get(doc, []), _int(m.get("start")))
        if not prefix:
            target = ""
        elif where:
            target = where.anchor
        else:
            target = f"{prefix}-s{m['section_id']}" if m.get("section_id") else prefix
        head = esc(" ".join(x for x in (m.get("meeting_no", ""), m.get("title", "")) if x) or "meeting")

        def linked(kind: str, value: str, rows, field: str, m=m, prefix=prefix) -> str:
            row = _mention_of(m, rows, field=field, value=value) if prefix else None
            target = href(f'{prefix}-{kind}-{row.get("start")}-{row.get("end")}') if row else ""
            return f'<a href="{esc(target)}">{esc(value)}</a>' if target else esc(value or "?")
        if target:
            head = f'<a href="#{esc(target)}">{head}</a>'
        parts = []
        for pid in filter(None, (m.get("participants") or "").split("|")):
            p = first_mention.get((doc, pid))
            target = href(f'{prefix}-person-{p["start"]}-{p["end"]}') if p else ""
            if p:
                who = esc(" ".join(x for x in (p.get("name", ""), p.get("title", "")) if x) or pid)
                extra = esc(f" ({p['country']})") if p.get("country") else ""
                parts.append(f'<a href="{esc(target)}" title="{esc(pid)}">{who}</a>{extra}' if target
                             else f'<span title="{esc(pid)}">{who}</span>{extra}')
            else:
                parts.append(esc(pid))
        items_main, items_other = [], []
        for c in sorted(by_meeting.get((doc, m.get("meeting_id", "")), []), key=lambda c: _int(c.get("start")) or 0):
            link = esc(href(f'{prefix}-clause-{c.get("start")}-{c.get("end")}'))
            content = esc(c.get("content", "") or c.get("text", ""))
            item = (f'<li data-type="{esc(c.get("type", ""))}"><span class="tag">{esc(c.get("type", ""))}</span>'
                    + (f'<a href="{link}">{content}</a>' if link else content)
                    + f' <span class="muted">{esc(c.get("text", ""))}</span></li>')
            (items_main if c.get("type") in OUTCOME_TYPES else items_other).append(item)
        lists = ""
        if items_main:
            lists += f'<div>agreed / confirmed / shared:</div><ul class="outcomes">{"".join(items_main)}</ul>'
        if items_other:
            lists += (f'<details><summary>other statements ({len(items_other)})</summary>'
                      f'<ul>{"".join(items_other)}</ul></details>')
        if not lists:
            lists = '<div class="muted">no clauses linked to this meeting</div>'
        cards.append(
            f'<div class="card" data-meeting-id="{esc(m.get("meeting_id", ""))}"><h3>{head}</h3><dl>'
            f'<dt>date</dt><dd>{linked("date", m.get("date", ""), dates, "value")}</dd>'
            f'<dt>venue</dt><dd>{linked("venue", m.get("venue", ""), venues, "name")}</dd>'
            + (f'<dt>mode</dt><dd>{esc(m["mode"])}</dd>' if m.get("mode") else "")
            + f'<dt>participants</dt><dd>{", ".join(parts) or "?"}</dd>'
            + f'<dt>document</dt><dd class="muted">{esc(doc)}</dd></dl>{lists}</div>')
    return f'<div class="cards">{"".join(cards)}</div>'


# ---------------------------------------------------------------------------------------- page

def _toc(doc: str, prefix: str, sections: list[dict[str, str]]) -> str:
    items = []
    for row in sorted(sections, key=lambda r: (_int(r.get("start")) or 0, _int(r.get("section_id")) or 0)):
        lvl = min(6, _int(row.get("level")) or 1)
        label = " ".join(x for x in (row.get("label", ""), row.get("title", "")) if x)
        items.append(f'<li class="lvl{lvl}"><a href="#{html.escape(prefix)}-s{html.escape(row.get("section_id", ""))}"'
                     f' title="{html.escape(row.get("path", ""))}">{html.escape(label)}</a></li>')
    return (f'<h2><a href="#{html.escape(prefix)}">{html.escape(doc)}</a></h2>'
            f'<ul>{"".join(items)}</ul>')


def build_report(*, output: Path, raw: Path, out: Path, previous: Path | None) -> Path:
    """Write the report for the tables in `output` (raw text from `raw`) into `out`; return index.html."""
    output, raw, out = Path(output), Path(raw), Path(out)
    if not output.is_dir():
        raise PipelineError(f"{output}: no such output folder (run `make extract` first)")
    tables = {name: read_rows(output / f"{name}.csv")[1]
              for name in ("documents", "sections", "blocks", "dates", "people", "venues", "clauses", "meetings")}
    doc_ids = sorted({r.get("doc_id", "") for rows in tables.values() for r in rows} - {""})
    by_doc = {name: _by_doc(rows) for name, rows in tables.items()}
    out.mkdir(parents=True, exist_ok=True)
    prefixes = {doc: f"d{i}" for i, doc in enumerate(doc_ids)}
    totals = Counter()
    problems: list[str] = []
    tocs, bodies, units_by_doc = [], [], {}
    anchors: set[str] = set()
    for doc in doc_ids:
        prefix = prefixes[doc]
        sections = by_doc["sections"].get(doc, [])
        tocs.append(_toc(doc, prefix, sections))
        path = raw / f"{doc}.txt"
        try:
            text = read_raw(path, raw).text
        except PipelineError as err:
            problems.append(str(err))
            bodies.append(f'<section class="part" id="{prefix}"><h2>{html.escape(doc)}</h2>'
                          f'<p class="muted">raw text not found: {html.escape(str(path))}</p></section>')
            continue
        spans: list[Span] = []
        counts = Counter()
        for kind in KINDS:
            for row in by_doc[KIND_TABLE[kind]].get(doc, []):
                span = span_of(kind, row, prefix=prefix)
                if span is None or span.end > len(text):
                    problems.append(f"{doc}: {KIND_TABLE[kind]}.csv row without a valid span: {row.get('text', '')!r}")
                    continue
                if row.get("text") is not None and text[span.start:span.end] != row.get("text"):
                    problems.append(f"{doc}: {KIND_TABLE[kind]}.csv {span.start}-{span.end}: text "
                                    f"{row.get('text')!r} != raw {text[span.start:span.end]!r}")
                    continue
                spans.append(span)
                anchors.add(span.anchor)
                counts[kind] += 1
        totals.update(counts)
        units = units_of(text, by_doc["blocks"].get(doc, []), sections, prefix=prefix)
        units_by_doc[doc] = units
        summary = ", ".join(f"{counts[k]} {KIND_TABLE[k]}" for k in ("date", "person", "venue", "clause"))
        bodies.append(f'<section class="part" id="{prefix}"><h2>{html.escape(doc)}</h2>'
                      f'<p class="muted">{len(text)} characters; {summary}</p>'
                      f'{render_text(text, units, spans, sections, prefix=prefix)}</section>')
    points = timeline_points(tables["meetings"], tables["people"], tables["venues"])
    images = write_timeline(points, out)
    for stale in {"timeline.png", "timeline.svg"} - set(images):
        (out / stale).unlink(missing_ok=True)
    prev = previous if previous is not None else previous_dir(output)
    diffs = diff_tables(output, prev if prev.is_dir() else None)
    page = _page(doc_ids=doc_ids, tocs=tocs, bodies=bodies, totals=totals, images=images, points=points,
                 cards=render_cards(tables["meetings"], doc_prefix=prefixes, people=tables["people"],
                                    clauses=tables["clauses"], units=units_by_doc, dates=tables["dates"],
                                    venues=tables["venues"], anchors=anchors),
                 diff=render_diff(diffs, prev), problems=problems, output=output)
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def _page(*, doc_ids, tocs, bodies, totals, images, points, cards, diff, problems, output) -> str:
    css = resources.files(__package__).joinpath("report_static/report.css").read_text(encoding="utf-8")
    toggles = "".join(
        f'<label><input type="checkbox" id="show-{k}" checked> <span class="swatch {k}">{k}</span> '
        f'<span class="muted">({totals[k]})</span></label>' for k in ("date", "person", "venue", "clause"))
    toggles += '<label><input type="checkbox" id="show-labels" checked> labels</label>'
    if images:
        timeline = (f'<figure class="timeline"><img src="timeline.svg" alt="meetings timeline: {len(points)} '
                    f'meetings by date, one row per counterpart country, markers by venue country">'
                    f'<figcaption class="muted">Rows: counterpart country (participants other than JP); '
                    f'markers: venue country; numbers: meeting number. Also '
                    f'<a href="timeline.png">timeline.png</a>.</figcaption></figure>')
    else:
        timeline = '<p class="muted">No dated meetings to plot.</p>'
    warn = ""
    if problems:
        items = "".join(f"<li>{html.escape(p)}</li>" for p in problems[:200])
        warn = f'<details class="problems"><summary>{len(problems)} rows not shown</summary><ul>{items}</ul></details>'
    return f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hakusho report</title>
<style>
{css}</style>
</head>
<body>
<div class="layout">
<nav class="toc" aria-label="table of contents">
<h2><a href="#top">Report</a></h2>
<ul><li><a href="#changes">Changes since the previous run</a></li><li><a href="#timeline">Meetings timeline</a></li>
<li><a href="#meetings">Meetings</a></li></ul>
{"".join(tocs)}
</nav>
<main id="top">
<h1>hakusho report</h1>
<p class="muted">{len(doc_ids)} document(s) from <code>{html.escape(str(output))}</code>. Hover a highlight for its
normalised value, person_id, rule and source.</p>
<div class="controls" role="group" aria-label="highlight toggles">{toggles}</div>
{warn}
<section id="changes"><h2>Changes since the previous run</h2>{diff}</section>
<section id="timeline"><h2>Meetings timeline</h2>{timeline}</section>
{"".join(bodies)}
<section id="meetings"><h2>Meetings</h2>{cards}</section>
</main>
</div>
</body>
</html>
"""


# ---------------------------------------------------------------------------------------- browser

def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot(index: Path, png: Path, *, width: int = 1400, height: int = 3200) -> Path:
    """Render the report with headless Chromium (Debian's `chromium`) into a PNG; no network."""
    browser = find_chromium()
    if browser is None:
        raise PipelineError("chromium not found: install it with `apt-get install -y chromium fonts-noto-cjk`")
    with tempfile.TemporaryDirectory(prefix="hakusho-chromium-") as profile:
        cmd = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
               f"--screenshot={png.resolve()}", index.resolve().as_uri()]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if done.returncode != 0 or not png.exists():
        raise PipelineError(f"chromium failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return png


# ---------------------------------------------------------------------------------------- CLI

def add_parser(sub) -> None:
    rp = sub.add_parser("report", help="write a static HTML report of output/ into output/report/")
    rp.add_argument("--output", type=Path, default=Path("output"), help="folder of the CSV tables (default: output)")
    rp.add_argument("--raw", type=Path, default=Path("raw"), help="folder of raw *.txt files (default: raw)")
    rp.add_argument("--out", type=Path, default=None, help="report folder (default: OUTPUT/report)")
    rp.add_argument("--previous", type=Path, default=None,
                    help="tables of the previous run to diff against (default: the kept .OUTPUT.previous/)")
    rp.add_argument("--png", action="store_true", help="also render index.png with headless Chromium")


def main(args: argparse.Namespace) -> int:
    out = args.out if args.out is not None else Path(args.output) / "report"
    index = build_report(output=args.output, raw=args.raw, out=out, previous=args.previous)
    print(f"wrote {index}")
    if args.png:
        print(f"wrote {screenshot(index, out / 'index.png')}")
    return 0
