"""Cross-document tables, made when every document of a run is extracted (by the writer, so the
per-document rows and their cache stay per document):

- `persons.csv`: one row per person_id — the full name, country, the offices and years seen,
  `id_source` (registry or fallback), the spellings met, how many mentions in how many documents;
- `events.csv`: one row per real-world meeting session, and `meetings.event_id`: the meeting rows of
  all documents that tell the same session share an event. Two rows tell the same session when
  their dates agree at the finest granularity both have (2016-09 and 2016-09-16 agree), their sides
  are the same (the counterparts, else the countries of the non-Japanese participants), their mode
  is the same, their titles agree (equal, one a generic 会談/協議, or one ending the other:
  防衛相会談 / 日米防衛相会談) and their non-Japanese participants overlap (or one names none).
  A row with no date, or that does not say who met, is a session of its own. A coarse row that fits several sessions (2016-09
  when there were talks on the 5th and the 20th) is not guessed into one: it stays an event of its
  own, flagged. Values the rows of one event disagree on (two venues) are kept and flagged in
  `conflicts`, not chosen between.
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from .tables import CORPUS_COLUMNS, DOCUMENT_COLUMNS, DocTables, _csv_text, header

# rows are read back from what this package wrote: a cell may be as long as a document (a one-file
# edition of 1M characters has such cells), longer than the csv module's default limit of 131,072
csv.field_size_limit(2**31 - 1)

GENERIC_TITLES = frozenset({"会談", "協議", "会合", "会議", "対話", "表敬", "電話会談", "テレビ会談", "ビデオ会談"})


def parse(text: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of one document's CSV text (no header) as dicts by column."""
    return [dict(zip(columns, row)) for row in csv.reader(io.StringIO(text, newline=""))]


# ---------------------------------------------------------------------------- persons
def countries(people: list[dict[str, str]]) -> dict[str, str]:
    """person_id -> the country its mentions give most often ("" when none gives one)."""
    seen: dict[str, Counter] = {}
    for p in people:
        counter = seen.get(p["person_id"])
        if counter is None:  # (not setdefault: that would make a Counter for every mention)
            counter = seen[p["person_id"]] = Counter()
        counter[p["country"]] += bool(p["country"])
    return {pid: max(c.items(), key=lambda kv: (kv[1], kv[0] != "", kv[0]))[0] if c else "" for pid, c in seen.items()}


def persons_rows(people: list[dict[str, str]], when: dict[tuple[str, str], set[str]],
                 country_of: dict[str, str]) -> list[list[str]]:
    """One row per person_id. `when[(doc_id, sentence_id)]`: the years of that sentence's dates (or
    the document's edition year)."""
    by_id: dict[str, list[dict[str, str]]] = {}
    for p in people:
        by_id.setdefault(p["person_id"], []).append(p)
    rows = []
    for pid in sorted(by_id):
        mentions = by_id[pid]
        spellings = sorted({p["name"] for p in mentions if p["name"]})
        country = country_of.get(pid, "")
        source = "registry" if any(p.get("id_source") == "registry" for p in mentions) else "fallback"
        if source == "registry" and "-" in pid:
            name = pid.split("-", 1)[1]  # a registry id is "<country>-<full name>"
        else:
            name = max(spellings, key=lambda s: (len(s), s)) if spellings else ""
        years: dict[str, set[str]] = {}
        for p in mentions:
            years.setdefault(p["title"], set()).update(when.get((p["doc_id"], p["sentence_id"]), ()))
        offices = "; ".join(f"{title} {', '.join(sorted(ys))}".strip()
                            for title, ys in sorted(years.items(), key=lambda kv: (min(kv[1], default="9999"), kv[0])))
        rows.append([pid, name, country, source, offices, "|".join(spellings), str(len(mentions)),
                     str(len({p["doc_id"] for p in mentions}))])
    return rows


# ---------------------------------------------------------------------------- events
def dates_agree(a: str, b: str) -> bool:
    """Whether two ISO dates agree at the finest granularity both have (2016-09 and 2016-09-16 do)."""
    if not a or not b:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return long == short or long.startswith(short + "-")


def _date_prefixes(date: str) -> list[str]:
    """The dates that agree with `date` and are not longer: itself and its prefixes at a `-`."""
    return [date[:k] for k, c in enumerate(date) if c == "-"] + [date] if date else []


def titles_agree(a: str, b: str) -> bool:
    return a == b or a in GENERIC_TITLES or b in GENERIC_TITLES or a.endswith(b) or b.endswith(a)


def ids(cell: str) -> frozenset[str]:
    return frozenset(filter(None, cell.split("|")))


@dataclass(frozen=True)
class Mention:
    """A meeting row as the linking sees it: `sides` are the countries other than Japan — its
    counterparts, else the countries of its participants (empty: the row does not say who met)."""

    row: dict[str, str]
    sides: frozenset[str]
    foreign: frozenset[str]  # the participants who are not Japanese

    @classmethod
    def of(cls, row: dict[str, str], country_of: dict[str, str]) -> "Mention":
        foreign = frozenset(p for p in ids(row["participants"]) if country_of.get(p) != "JP")
        sides = ids(row["counterparts"]) or frozenset(country_of[p] for p in foreign if country_of.get(p))
        return cls(row, sides, foreign)

    def agrees(self, other: "Mention") -> bool:
        a, b = self.row, other.row
        return (dates_agree(a["date"], b["date"]) and a["mode"] == b["mode"] and titles_agree(a["title"], b["title"])
                and bool(self.sides) and self.sides == other.sides
                and (not self.foreign or not other.foreign or bool(self.foreign & other.foreign)))


@dataclass
class Event:
    members: list[Mention] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    def fits(self, m: Mention) -> bool:
        return all(m.agrees(x) for x in self.members)

    def date(self) -> str:
        return max((x.row["date"] for x in self.members), key=len)


def link_meetings(meetings: list[dict[str, str]], country_of: dict[str, str]
                  ) -> tuple[list[list[str]], dict[tuple[str, str], str]]:
    """The events of all meeting rows, and (doc_id, meeting_id) -> event_id. `country_of`: the
    country of each person_id."""
    order = sorted(meetings, key=lambda m: (-len(m["date"]), m["date"], m["doc_id"], int(m["meeting_id"] or 0)))
    events: list[Event] = []
    # rows that agree share their mode and their sides, and the rows come longest date first, so a
    # row's date agrees with a member's only when it is that date or one of its prefixes (2016-09 of
    # 2016-09-16): an event is looked for only among the events filed under the row's own date
    filed: dict[tuple[str, frozenset[str], str], dict[int, Event]] = {}
    for row in order:
        m = Mention.of(row, country_of)
        date = row["date"]
        candidates = filed.get((row["mode"], m.sides, date), {}) if m.sides and date else {}
        fitting = [e for e in candidates.values() if e.fits(m)]
        event = fitting[0] if len(fitting) == 1 else Event([])
        event.members.append(m)
        if len(fitting) > 1:
            event.flags.append(f"fits {len(fitting)} sessions")
        if not fitting or len(fitting) > 1:
            events.append(event)
        for prefix in _date_prefixes(date) if m.sides else ():
            filed.setdefault((row["mode"], m.sides, prefix), {})[id(event)] = event
    for e in events:
        e.members.sort(key=lambda x: (x.row["doc_id"], int(x.row["meeting_id"] or 0)))
    dated = sorted(((e.date(), e) for e in events), key=lambda de: (
        de[0] or "9999", sorted(de[1].members[0].sides), de[1].members[0].row["doc_id"],
        int(de[1].members[0].row["meeting_id"] or 0)))
    numbers: Counter = Counter()
    rows, event_of = [], {}
    for date, e in dated:
        members = [x.row for x in e.members]
        sides = "|".join(sorted(e.members[0].sides))
        stem = f"E-{date or 'undated'}-{sides.replace('|', '+') or 'XX'}"
        numbers[stem] += 1
        event_id = f"{stem}-{numbers[stem]}"
        for r in members:
            event_of[(r["doc_id"], r["meeting_id"])] = event_id
        conflicts = list(e.flags)
        values = {}
        for column in ("venue", "host", "consult_mode"):
            seen = sorted({r[column] for r in members if r[column]})
            values[column] = seen[0] if len(seen) == 1 else ""
            if len(seen) > 1:
                conflicts.append(f"{column}: {' | '.join(seen)}")
        title = max((r["title"] for r in members), key=lambda t: (t not in GENERIC_TITLES, len(t), t))
        participants = sorted(frozenset().union(*(ids(r["participants"]) for r in members)))
        rows.append([event_id, date, title, sides, members[0]["mode"], "|".join(participants), values["venue"],
                     values["host"], values["consult_mode"], "; ".join(conflicts), str(len(members)),
                     str(len({r["doc_id"] for r in members})),
                     "|".join(f"{r['doc_id']}#{r['meeting_id']}" for r in members)])
    return rows, event_of


# ---------------------------------------------------------------------------- the run's tables
class Corpus:
    """What the cross-document tables need of every document, gathered while the writer streams the
    documents' rows (`add`, in doc_id order): the people, meetings and dates rows (small next to the
    tokens), and each document's meetings text, which is written last, with the event ids."""

    def __init__(self) -> None:
        self.people: list[dict[str, str]] = []
        self.meetings: list[dict[str, str]] = []
        self.meeting_texts: list[str] = []
        self.years: dict[tuple[str, str], set[str]] = {}
        self.editions: dict[str, str] = {}
        self._linked: tuple[list[list[str]], dict[tuple[str, str], str]] | None = None
        self._countries: dict[str, str] | None = None

    def add(self, part: DocTables) -> None:
        (document,) = parse(part.document, DOCUMENT_COLUMNS)
        self.editions[part.doc_id] = document["edition"]
        meetings = part.tables["meetings"].decode("utf-8")
        self.people += parse(part.tables["people"].decode("utf-8"), header("people"))
        self.meetings += parse(meetings, header("meetings"))
        self.meeting_texts.append(meetings)
        for d in parse(part.tables["dates"].decode("utf-8"), header("dates")):
            self.years.setdefault((d["doc_id"], d["sentence_id"]), set()).add(d["value"][:4])

    def countries(self) -> dict[str, str]:
        """person_id -> country (`countries`), computed once every document is added (the events and
        the persons table both read it)."""
        if self._countries is None:
            self._countries = countries(self.people)
        return self._countries

    def linked(self) -> tuple[list[list[str]], dict[tuple[str, str], str]]:
        """(events rows, (doc_id, meeting_id) -> event_id), computed once."""
        if self._linked is None:
            self._linked = link_meetings(self.meetings, self.countries())
        return self._linked

    def meetings_text(self) -> str:
        """Every document's meetings rows (as CSV text, in the order added) with `event_id` filled in."""
        _, event_of = self.linked()
        column, meeting_id = header("meetings").index("event_id"), header("meetings").index("meeting_id")
        rows = [row for text in self.meeting_texts for row in csv.reader(io.StringIO(text, newline=""))]
        for row in rows:
            row[column] = event_of[(row[0], row[meeting_id])]
        return _csv_text(rows)

    def tables(self) -> dict[str, list[list[str]]]:
        """The rows of the cross-document tables (CORPUS_COLUMNS) by name."""
        when = dict(self.years)
        for p in self.people:  # a sentence without a date: the edition's year
            if (p["doc_id"], p["sentence_id"]) not in when and self.editions.get(p["doc_id"]):
                when[(p["doc_id"], p["sentence_id"])] = {self.editions[p["doc_id"]]}
        return {"persons": persons_rows(self.people, when, self.countries()), "events": self.linked()[0]}
