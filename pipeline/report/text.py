"""The report's document text: headings and paragraphs with every mention highlighted.

Each row of dates/people/venues/clauses becomes a `Span`; `render_segment` nests them as
`<mark>` elements, and stripping the tags always gives back the raw text.
"""
from __future__ import annotations

import html
from bisect import bisect_left
from dataclasses import dataclass

# mention kinds, outermost first when two spans are equal; table that holds each kind
KINDS: tuple[str, ...] = ("clause", "person", "venue", "date")
KIND_TABLE = {"date": "dates", "person": "people", "venue": "venues", "clause": "clauses"}


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


def to_int(value: str | None) -> int | None:
    """A CSV cell as an integer, None when empty or not a number."""
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _lines(*pairs: tuple[str, str | None]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in pairs if v not in (None, ""))


def span_of(kind: str, row: dict[str, str], *, prefix: str) -> Span | None:
    """The highlight for one table row, or None when the row has no usable span."""
    start, end = to_int(row.get("start")), to_int(row.get("end"))
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


def units_of(text: str, blocks: list[dict[str, str]], sections: list[dict[str, str]], *, prefix: str) -> list[Unit]:
    """The blocks of the page in reading order: blocks.csv rows (or raw lines when there are none),
    plus any uncovered non-blank text; a unit that starts where a section starts is its heading."""
    spans: list[tuple[int, int, str]] = []
    for row in blocks:
        s, e = to_int(row.get("start")), to_int(row.get("end"))
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
        s, lvl = to_int(row.get("start")), to_int(row.get("level"))
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
    pending = sorted((to_int(r.get("start")) or 0, f"{prefix}-s{r.get('section_id', '')}") for r in sections
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
