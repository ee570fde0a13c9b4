"""One card per meeting: date, venue, participants and the clauses linked to it."""
from __future__ import annotations

import html

from .text import Unit, to_int, unit_at

# the clause types a meeting card lists as its outcomes (the others follow as remarks)
OUTCOME_TYPES = ("agree", "confirm", "share")


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
    return f'<div class="cards">{"".join(cards.card(m) for m in meetings)}</div>'


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

    def card(self, m: dict[str, str]) -> str:
        doc = m.get("doc_id", "")
        prefix = self.doc_prefix.get(doc, "")
        esc = html.escape
        return (f'<div class="card" data-meeting-id="{esc(m.get("meeting_id", ""))}"><h3>{self.head(m, doc, prefix)}'
                f'</h3><dl><dt>date</dt><dd>{self.linked(m, prefix, "date", m.get("date", ""), self.dates, "value")}</dd>'
                f'<dt>venue</dt><dd>{self.linked(m, prefix, "venue", m.get("venue", ""), self.venues, "name")}</dd>'
                + (f'<dt>mode</dt><dd>{esc(m["mode"])}</dd>' if m.get("mode") else "")
                + f'<dt>participants</dt><dd>{", ".join(self.participants(m, doc, prefix)) or "?"}</dd>'
                + f'<dt>document</dt><dd class="muted">{esc(doc)}</dd></dl>{self.clause_lists(m, doc, prefix)}</div>')

    def head(self, m: dict[str, str], doc: str, prefix: str) -> str:
        """The card's title, linked to where the meeting is in the text."""
        where = unit_at(self.units.get(doc, []), to_int(m.get("start")))
        if not prefix:
            target = ""
        elif where:
            target = where.anchor
        else:
            target = f"{prefix}-s{m['section_id']}" if m.get("section_id") else prefix
        head = html.escape(" ".join(x for x in (m.get("meeting_no", ""), m.get("title", "")) if x) or "meeting")
        return f'<a href="#{html.escape(target)}">{head}</a>' if target else head

    def linked(self, m: dict[str, str], prefix: str, kind: str, value: str, rows, field: str) -> str:
        row = _mention_of(m, rows, field=field, value=value) if prefix else None
        target = self.href(f'{prefix}-{kind}-{row.get("start")}-{row.get("end")}') if row else ""
        return f'<a href="{html.escape(target)}">{html.escape(value)}</a>' if target else html.escape(value or "?")

    def participants(self, m: dict[str, str], doc: str, prefix: str) -> list[str]:
        esc = html.escape
        parts = []
        for pid in filter(None, (m.get("participants") or "").split("|")):
            p = self.first_mention.get((doc, pid))
            if not p:
                parts.append(esc(pid))
                continue
            target = self.href(f'{prefix}-person-{p["start"]}-{p["end"]}')
            who = esc(" ".join(x for x in (p.get("name", ""), p.get("title", "")) if x) or pid)
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
