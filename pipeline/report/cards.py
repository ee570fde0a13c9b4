"""The meetings: one card each (date, venue, participants, the clauses linked to it) and one table
of them all, filterable by counterpart, mode and year.

Meetings are numbered `#1`, `#2`, … in the order of meetings.csv across all documents, so a number
names one meeting of the whole report; the heading label a document gives a meeting (`(1)`) is shown
beside its document only.
"""
from __future__ import annotations

import html

from ..load import OUTCOME_TYPES  # the clause types listed as a meeting's outcomes (the others: statements)
from .text import Unit, to_int, unit_at

REMOTE_MODES = {"telephone": "telephone call", "video": "video conference"}
NO_COUNTERPART = "(none)"  # the counterpart filter's (and the timeline row's) name for "no side named"


def meeting_anchor(number: int) -> str:
    """The element id of meeting #number's card."""
    return f"m{number}"


def filter_attrs(m: dict[str, str]) -> str:
    """The data attributes the page's filters read: counterparts, mode, year."""
    cps = " ".join(c for c in (m.get("counterparts") or "").split("|") if c) or NO_COUNTERPART
    return (f'data-meeting="" data-cp="{html.escape(cps)}" data-mode="{html.escape(m.get("mode", ""))}" '
            f'data-year="{html.escape((m.get("date") or "")[:4])}"')


def venue_text(m: dict[str, str]) -> str:
    """The venue as a card shows it: the place, or why there is none (a call is held nowhere)."""
    if m.get("venue"):
        return m["venue"]
    return f'— ({REMOTE_MODES[m.get("mode", "")]})' if m.get("mode") in REMOTE_MODES else "not named"


def _mention_of(meeting: dict[str, str], rows: list[dict[str, str]], *, field: str, value: str) -> dict | None:
    """The mention a card's date/venue links to: the row the meeting names (same meeting_id), else
    a row with the same value inside the meeting's span, else in its section, else in its document."""
    if not value:
        return None
    doc = meeting.get("doc_id", "")
    same = [r for r in rows if r.get("doc_id", "") == doc and value in (r.get(field, ""), r.get("text", ""))]
    s, e = to_int(meeting.get("start")), to_int(meeting.get("end"))
    tiers = (
        [r for r in same if meeting.get("meeting_id") and r.get("meeting_id") == meeting.get("meeting_id")],
        [r for r in same if s is not None and e is not None and s <= (to_int(r.get("start")) or -1) < e],
        [r for r in same if meeting.get("section_id") and r.get("section_id") == meeting.get("section_id")],
        same,
    )
    for tier in tiers:
        if tier:
            return min(tier, key=lambda r: to_int(r.get("start")) or 0)
    return None


def render_cards(meetings: list[dict[str, str]], *, doc_prefix: dict[str, str], people: list[dict[str, str]],
                 clauses: list[dict[str, str]], units: dict[str, list[Unit]],
                 dates: list[dict[str, str]] = (), venues: list[dict[str, str]] = (),
                 anchors: set[str] | None = None) -> str:
    """One card per meeting row: date, venue, participants and the clauses linked to it.

    Links point at highlighted mentions (`anchors`: the ids on the page; None = trust every row)."""
    if not meetings:
        return '<p class="muted">No meetings in meetings.csv.</p>'
    cards = _Cards(doc_prefix, people, clauses, units, dates, venues, anchors)
    return f'<div class="cards">{"".join(cards.card(m, n) for n, m in enumerate(meetings, 1))}</div>'


class _Cards:
    """What the cards link to: the page's anchors, each document's prefix and units, and the rows."""

    def __init__(self, doc_prefix, people, clauses, units, dates, venues, anchors):
        self.doc_prefix, self.units, self.dates, self.venues = doc_prefix, units, dates, venues
        self.anchors = anchors
        self.first_mention: dict[tuple[str, str], dict[str, str]] = {}
        for p in people:
            if p.get("person_id"):
                self.first_mention.setdefault((p.get("doc_id", ""), p["person_id"]), p)
        self.by_meeting: dict[tuple[str, str], list[dict[str, str]]] = {}
        for c in clauses:
            if c.get("meeting_id"):
                self.by_meeting.setdefault((c.get("doc_id", ""), c["meeting_id"]), []).append(c)

    def href(self, anchor: str) -> str:
        return f"#{anchor}" if self.anchors is None or anchor in self.anchors else ""

    def card(self, m: dict[str, str], number: int) -> str:
        doc = m.get("doc_id", "")
        prefix = self.doc_prefix.get(doc, "")
        esc = html.escape
        venue = (self.linked(m, prefix, "venue", m["venue"], self.venues, "name") if m.get("venue")
                 else f'<span class="muted">{esc(venue_text(m))}</span>')
        where = " ".join(x for x in (doc, m.get("meeting_no", "")) if x)
        return (f'<div class="card" id="{meeting_anchor(number)}" data-meeting-id="{esc(m.get("meeting_id", ""))}" '
                f'{filter_attrs(m)}><h3>{self.head(m, doc, prefix, number)}</h3><dl>'
                f'<dt>date</dt><dd>{self.linked(m, prefix, "date", m.get("date", ""), self.dates, "value")}</dd>'
                f'<dt>venue</dt><dd>{venue}</dd>'
                + (f'<dt>mode</dt><dd>{esc(m["mode"])}</dd>' if m.get("mode") else "")
                + (f'<dt>counterparts</dt><dd>{esc(m["counterparts"].replace("|", ", "))}</dd>'
                   if m.get("counterparts") else "")
                + f'<dt>participants</dt><dd>{", ".join(self.participants(m, doc, prefix)) or "not named"}</dd>'
                + f'<dt>document</dt><dd class="muted">{esc(where)}</dd></dl>{self.clause_lists(m, doc, prefix)}</div>')

    def head(self, m: dict[str, str], doc: str, prefix: str, number: int) -> str:
        """The card's title, linked to where the meeting is in the text."""
        where = unit_at(self.units.get(doc, []), to_int(m.get("start")))
        if not prefix:
            target = ""
        elif where:
            target = where.anchor
        else:
            target = f"{prefix}-s{m['section_id']}" if m.get("section_id") else prefix
        head = html.escape(m.get("title", "") or "meeting")
        number_tag = f'<span class="no">#{number}</span> '
        return number_tag + (f'<a href="#{html.escape(target)}">{head}</a>' if target else head)

    def linked(self, m: dict[str, str], prefix: str, kind: str, value: str, rows, field: str) -> str:
        row = _mention_of(m, rows, field=field, value=value) if prefix else None
        target = self.href(f'{prefix}-{kind}-{row.get("start")}-{row.get("end")}') if row else ""
        if not value:
            return '<span class="muted">not given</span>'
        return f'<a href="{html.escape(target)}">{html.escape(value)}</a>' if target else html.escape(value)

    def participants(self, m: dict[str, str], doc: str, prefix: str) -> list[str]:
        """The participants as written at the meeting (participant_names), linked to a mention."""
        esc = html.escape
        parts = []
        names = (m.get("participant_names") or "").split("|")
        for i, pid in enumerate(filter(None, (m.get("participants") or "").split("|"))):
            written = names[i] if i < len(names) else ""
            p = self.first_mention.get((doc, pid))
            if not p:
                parts.append(esc(written or pid))
                continue
            target = self.href(f'{prefix}-person-{p["start"]}-{p["end"]}')
            who = esc(written or " ".join(x for x in (p.get("name", ""), p.get("title", "")) if x) or pid)
            extra = esc(f" ({p['country']})") if p.get("country") else ""
            parts.append(f'<a href="{esc(target)}" title="{esc(pid)}">{who}</a>{extra}' if target
                         else f'<span title="{esc(pid)}">{who}</span>{extra}')
        return parts

    def clause_lists(self, m: dict[str, str], doc: str, prefix: str) -> str:
        """The meeting's outcomes (OUTCOME_TYPES), then its other statements."""
        esc = html.escape
        items_main, items_other = [], []
        linked = self.by_meeting.get((doc, m.get("meeting_id", "")), [])
        for c in sorted(linked, key=lambda c: to_int(c.get("start")) or 0):
            link = esc(self.href(f'{prefix}-clause-{c.get("start")}-{c.get("end")}'))
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
        return lists or '<div class="muted">no clauses linked to this meeting</div>'


def render_meeting_table(meetings: list[dict[str, str]], clauses: list[dict[str, str]]) -> str:
    """All meetings in one table (a row links to its card), with the filters that the page's script
    applies to the rows, the cards and the timeline: counterpart, mode and year."""
    if not meetings:
        return '<p class="muted">No meetings in meetings.csv.</p>'
    esc = html.escape
    outcomes: dict[tuple[str, str], list[str]] = {}
    for c in sorted(clauses, key=lambda c: to_int(c.get("start")) or 0):
        if c.get("meeting_id") and c.get("type") in OUTCOME_TYPES:
            outcomes.setdefault((c.get("doc_id", ""), c["meeting_id"]), []).append(
                c.get("content", "") + c.get("text", ""))
    rows, cps, modes, years = [], set(), set(), set()
    for n, m in enumerate(meetings, 1):
        cps.update(c for c in (m.get("counterparts") or "").split("|") if c)
        modes.add(m.get("mode", ""))
        years.add((m.get("date") or "")[:4])
        said = outcomes.get((m.get("doc_id", ""), m.get("meeting_id", "")), [])
        where = " ".join(x for x in (m.get("doc_id", ""), m.get("meeting_no", "")) if x)
        rows.append(f'<tr {filter_attrs(m)}><td><a href="#{meeting_anchor(n)}">#{n}</a></td>'
                    f'<td>{esc(m.get("date", ""))}</td><td>{esc(m.get("title", ""))}</td>'
                    f'<td>{esc((m.get("counterparts") or "").replace("|", ", "))}</td><td>{esc(m.get("mode", ""))}</td>'
                    f'<td>{esc(venue_text(m))}</td>'
                    f'<td>{esc((m.get("participant_names") or m.get("participants") or "").replace("|", ", "))}</td>'
                    f'<td title="{esc(chr(10).join(said))}">{len(said) or ""}</td>'
                    f'<td class="muted">{esc(where)}</td></tr>')

    def select(key: str, label: str, values) -> str:
        options = "".join(f'<option value="{esc(v)}">{esc(v or "(unknown)")}</option>' for v in sorted(values))
        return f'<label>{label} <select id="f-{key}"><option value="">all</option>{options}</select></label>'

    none = {NO_COUNTERPART} if any(not m.get("counterparts") for m in meetings) else set()
    filters = (f'<div class="filters" role="group" aria-label="meeting filters">'
               f'{select("cp", "counterpart", cps | none)}{select("mode", "mode", modes)}'
               f'{select("year", "year", years)}<span class="muted"><span id="f-count">{len(meetings)}</span> of '
               f'{len(meetings)} meetings</span></div>')
    head = "".join(f"<th>{h}</th>" for h in ("#", "date", "meeting", "counterparts", "mode", "venue",
                                             "participants", "outcomes", "document"))
    return (f'{filters}<div class="table-wrap"><table class="meetings"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')
