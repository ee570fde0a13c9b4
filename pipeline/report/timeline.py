"""The meetings timeline: one point per dated meeting, by counterpart country, as PNG and SVG."""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">", "h", "*", "p")
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#bcbd22", "#7f7f7f", "#393b79", "#637939")


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
