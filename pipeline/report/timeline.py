"""The meetings timeline and the per-year counts, as SVG that the page inlines (hover, links, filters).

One row per counterpart (`meetings.counterparts`: a meeting with AU|US sits on both rows), rows by
number of meetings; one marker per session (`meetings.event_id`: a session several documents tell is
one marker), its shape and colour the mode (in person, telephone,
video), hollow when only the month or year is known. Markers carry no text, so nothing can collide
however many meetings there are; hovering shows the date, meeting, venue, participants and document,
and a click goes to the meeting's card. Markers that would overlap within a row are spread over a
few lanes. The year chart stacks each year's meetings by mode, with the count above the bar.
"""
from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .cards import NO_COUNTERPART, filter_attrs, venue_text

MODES = ("in_person", "telephone", "video", "")  # "" = mode unknown
MODE_LABEL = {"in_person": "in person", "telephone": "telephone", "video": "video", "": "mode unknown"}
MODE_COLOUR = {"in_person": "#1f6fb4", "telephone": "#c4322b", "video": "#2a9d3c", "": "#7a7a7a"}
WIDTH, LEFT, RIGHT, ROW, TOP = 1000, 120, 16, 22, 26
LANES = (0, -6, 6, -11, 11)  # vertical offsets inside a row for markers that would overlap
MIN_GAP = 7.0  # px between markers of one lane


@dataclass(frozen=True)
class TimelinePoint:
    when: date  # the middle of the period when only the month or year is known
    exact: bool  # the day is known
    rows: tuple[str, ...]  # counterpart codes, or (NO_COUNTERPART,)
    mode: str
    hover: str  # the hover text: date, meeting, venue, participants, document
    target: str  # the element id of the meeting's card ("" = no link)
    attrs: str = ""  # the data attributes the page's filters read (`cards.filter_attrs`)


def _parse_date(value: str) -> tuple[date, bool] | None:
    """(date, day known) for an ISO value of any granularity: a month's 15th, a year's 1 July."""
    parts = (value or "").split("-")
    try:
        nums = [int(p) for p in parts]
        if len(nums) == 3:
            return date(*nums), True
        if len(nums) == 2:
            return date(nums[0], nums[1], 15), False
        if len(nums) == 1:
            return date(nums[0], 7, 1), False
    except ValueError:
        return None
    return None


def timeline_points(meetings: list[dict[str, str]], targets: list[str] | None = None) -> list[TimelinePoint]:
    """One point per dated session (rows of meetings.csv); `targets[i]` is the card id of meeting i.
    Rows of one `event_id` (a session told in several places or editions) are one point: the row
    with the finest date."""
    shown: dict[str, int] = {}  # event_id -> the row that stands for it
    for i, m in enumerate(meetings):
        event = m.get("event_id", "")
        if event and (event not in shown or len(m.get("date", "")) > len(meetings[shown[event]].get("date", ""))):
            shown[event] = i
    points = []
    for i, m in enumerate(meetings):
        if m.get("event_id", "") and shown[m["event_id"]] != i:
            continue
        parsed = _parse_date(m.get("date", ""))
        if parsed is None:
            continue
        when, exact = parsed
        rows = tuple(sorted({c for c in (m.get("counterparts") or "").split("|") if c})) or (NO_COUNTERPART,)
        mode = m.get("mode", "") if m.get("mode", "") in MODES else ""
        who = (m.get("participant_names") or m.get("participants") or "").replace("|", ", ")
        hover = "\n".join(x for x in (f'{m.get("date", "")} {m.get("title", "")}',
                                      f"{MODE_LABEL[mode]}, venue: {venue_text(m)}",
                                      who, m.get("doc_id", "")) if x.strip())
        points.append(TimelinePoint(when, exact, rows, mode, hover, targets[i] if targets else "", filter_attrs(m)))
    return points


def _span(points: list[TimelinePoint]) -> tuple[date, date]:
    years = [p.when.year for p in points]
    return date(min(years), 1, 1), date(max(years) + 1, 1, 1)


def _x(when: date, lo: date, hi: date) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * (when - lo).days / max(1, (hi - lo).days)


def _marker(mode: str, x: float, y: float, exact: bool) -> str:
    colour = MODE_COLOUR[mode]
    paint = f'fill="{colour}" stroke="#1d2430" stroke-width="0.6"' if exact else \
        f'fill="#ffffff" stroke="{colour}" stroke-width="1.8"'
    if mode == "telephone":
        return f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y + 4:.1f}L{x - 5:.1f} {y + 4:.1f}Z" {paint}/>'
    if mode == "video":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" {paint}/>'
    if mode == "":
        return f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y:.1f}L{x:.1f} {y + 5:.1f}L{x - 5:.1f} {y:.1f}Z" {paint}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" {paint}/>'


def _axis(lo: date, hi: date, top: float, bottom: float) -> list[str]:
    """Year lines with labels below; months too when the span is short."""
    out = []
    years = list(range(lo.year, hi.year))
    step = 1 if len(years) <= 25 else 2
    for y in years:
        x = _x(date(y, 1, 1), lo, hi)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="#c9ced8"/>')
        if (y - years[0]) % step == 0:
            mid = _x(date(y, 7, 1), lo, hi)
            out.append(f'<text x="{mid:.1f}" y="{bottom + 14}" text-anchor="middle" font-size="11">{y}</text>')
    if len(years) <= 2:
        for y in years:
            for month in range(2, 13):
                x = _x(date(y, month, 1), lo, hi)
                out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="#eceff4"/>')
                out.append(f'<text x="{x:.1f}" y="{top - 4}" text-anchor="middle" font-size="9" '
                           f'fill="#667085">{month}</text>')
    return out


def timeline_svg(points: list[TimelinePoint], *, standalone: bool = False) -> str:
    """The timeline as an SVG element (with `standalone`, a file of its own)."""
    if not points:
        return ""
    count = Counter(r for p in points for r in p.rows)
    rows = sorted(count, key=lambda r: (r == NO_COUNTERPART, -count[r], r))
    lo, hi = _span(points)
    height = TOP + ROW * len(rows) + 26
    bottom = TOP + ROW * len(rows)
    out = [f'<rect x="{LEFT}" y="{TOP}" width="{WIDTH - LEFT - RIGHT}" height="{bottom - TOP}" fill="#ffffff"/>']
    for i, row in enumerate(rows):
        y = TOP + ROW * i + ROW / 2
        if i % 2:
            out.append(f'<rect x="{LEFT}" y="{TOP + ROW * i}" width="{WIDTH - LEFT - RIGHT}" height="{ROW}" '
                       f'fill="#f4f6fa"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12">'
                   f'{html.escape(row)} <tspan fill="#667085">({count[row]})</tspan></text>')
    out += _axis(lo, hi, TOP, bottom)
    for i, row in enumerate(rows):
        y0 = TOP + ROW * i + ROW / 2
        last = [float("-inf")] * len(LANES)
        for p in sorted((p for p in points if row in p.rows), key=lambda p: (p.when, p.mode, p.hover)):
            x = _x(p.when, lo, hi)
            lane = next((k for k, at in enumerate(last) if x - at >= MIN_GAP), min(range(len(LANES)),
                                                                                  key=lambda k: last[k]))
            last[lane] = x
            body = f'<title>{html.escape(p.hover)}</title>{_marker(p.mode, x, y0 + LANES[lane], p.exact)}'
            link = f' href="#{html.escape(p.target)}"' if p.target else ""
            out.append(f'<a class="pt" {p.attrs}{link}>{body}</a>')
    head = f'xmlns="http://www.w3.org/2000/svg" ' if standalone else ""
    return (f'<svg {head}class="timeline" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'role="img" aria-label="meetings by date, one row per counterpart" '
            f'font-family="sans-serif">{"".join(out)}</svg>')


def year_chart_svg(points: list[TimelinePoint]) -> str:
    """Meetings per year, stacked by mode, the count above each bar."""
    if not points:
        return ""
    by_year: dict[int, Counter] = {}
    for p in points:
        by_year.setdefault(p.when.year, Counter())[p.mode] += 1
    years = list(range(min(by_year), max(by_year) + 1))
    most = max(sum(c.values()) for c in by_year.values())
    top, plot = 18, 120
    slot = (WIDTH - LEFT - RIGHT) / len(years)
    bar = min(40.0, slot * 0.7)
    step = 1 if len(years) <= 25 else 2
    out = [f'<text x="{LEFT - 8}" y="{top + 10}" text-anchor="end" font-size="11" fill="#667085">'
           f'meetings per year</text>',
           f'<line x1="{LEFT}" y1="{top + plot}" x2="{WIDTH - RIGHT}" y2="{top + plot}" stroke="#98a2b3"/>']
    for k, year in enumerate(years):
        counts = by_year.get(year, Counter())
        x = LEFT + slot * k + (slot - bar) / 2
        base = top + plot
        for mode in MODES:
            if counts[mode]:
                h = plot * counts[mode] / most
                base -= h
                out.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                           f'fill="{MODE_COLOUR[mode]}"><title>{year}: {counts[mode]} '
                           f'{MODE_LABEL[mode]}</title></rect>')
        total = sum(counts.values())
        if total:
            out.append(f'<text x="{x + bar / 2:.1f}" y="{base - 3:.1f}" text-anchor="middle" font-size="10">'
                       f'{total}</text>')
        if k % step == 0:
            out.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot + 14}" text-anchor="middle" font-size="11">'
                       f'{year}</text>')
    height = top + plot + 22
    return (f'<svg class="years" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
            f'aria-label="meetings per year by mode" font-family="sans-serif">{"".join(out)}</svg>')


def legend_html(points: list[TimelinePoint]) -> str:
    """The markers' meaning: the modes present, and hollow = day unknown."""
    modes = [m for m in MODES if any(p.mode == m for p in points)]
    items = [f'<span class="key"><svg width="14" height="14" viewBox="-7 -7 14 14">{_marker(m, 0, 0, True)}</svg> '
             f'{MODE_LABEL[m]}</span>' for m in modes]
    if any(not p.exact for p in points):
        items.append(f'<span class="key"><svg width="14" height="14" viewBox="-7 -7 14 14">'
                     f'{_marker("in_person", 0, 0, False)}</svg> only the month or year is known</span>')
    return f'<div class="legend">Mode: {" ".join(items)}</div>'


def write_timeline(points: list[TimelinePoint], out_dir: Path) -> list[str]:
    """Write timeline.svg (a file of its own); returns the file names written (none without points)."""
    if not points:
        return []
    svg = timeline_svg(points, standalone=True)
    (Path(out_dir) / "timeline.svg").write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{svg}\n', encoding="utf-8")
    return ["timeline.svg"]
