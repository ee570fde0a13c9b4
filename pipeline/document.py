"""The document model: one frozen record per table row, one `Document` per raw file.

Every span (`start`, `end`) is a Python string index into `Document.text`, the raw
file's text as `open(path, newline=None)` returns it with the BOM removed. Stages
never rewrite that text; they add tuples of records with `dataclasses.replace`.
"""
from __future__ import annotations

import itertools
import operator
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, Sequence, TypeVar

# The closed vocabularies of the output contract (OUTPUT.md): the values a column may hold.
# Rule schemas and stages import them from here (`Literal[BLOCK_KINDS]`).
BLOCK_KINDS = ("heading", "paragraph", "figure_ref", "document_ref", "caption", "caption_duplicate",
               "footnote", "boilerplate")
GRANULARITIES = ("year", "month", "day")  # coarse to fine
DATE_MODIFIERS = ("from", "until", "approx")
CLAUSE_TYPES = ("agree", "confirm", "share", "welcome", "state", "request")
MEETING_MODES = ("in_person", "telephone", "video")
MEETING_SOURCES = ("heading", "prose", "caption")  # where a session was first found
CONSULT_MODES = ("phone", "multilateral", "third-party", "visit")  # PLOVER's CONSULT modes, or empty
MENTION_SOURCES = ("rule", "ner", "rule+ner")  # which found a person or a venue: the rules, GiNZA, both
SOURCE_FORMATS = ("txt", "html", "pdf")  # what a raw file is, by its extension
LAYOUTS = ("plain", "pdf")  # plain: lines are paragraphs; pdf: lines are broken where the page ended them
LAYOUT_ACTIONS = ("detected", "joined", "dropped", "removed", "converted")

R = TypeVar("R")  # a row type of a SpanIndex


@dataclass(frozen=True)
class Block:
    """One non-empty line of the raw text, classified by `kind`."""

    block_id: int
    section_id: int | None
    kind: str  # one of BLOCK_KINDS
    start: int
    end: int
    text: str
    rule: str = ""


@dataclass(frozen=True)
class Section:
    """A node of the heading tree; `start`/`end` cover the heading and its body."""

    section_id: int
    parent_id: int | None
    level: int
    label: str
    title: str
    path: str
    start: int
    end: int
    block_id: int  # the heading block
    rule: str = ""


@dataclass(frozen=True)
class Sentence:
    sentence_id: int
    block_id: int
    section_id: int | None
    start: int
    end: int
    text: str


class Token(NamedTuple):
    """A MeCab (fugashi + unidic-lite) token; digits and other unknown words have empty lemma/reading.
    A named tuple, not a dataclass like the other records: a document holds one per word (637,000 in a
    1M-character edition), and a tuple is made, stored and restored in half the time."""

    token_id: int
    block_id: int
    sentence_id: int
    start: int
    end: int
    text: str
    lemma: str
    pos1: str
    pos2: str
    pos3: str
    pos4: str
    reading: str


_SENTENCE_ID = operator.itemgetter(Token._fields.index("sentence_id"))

@dataclass(frozen=True)
class Entity:
    """A raw GiNZA NER mention (Sekine's extended label plus an OntoNotes-style label)."""

    sentence_id: int
    start: int
    end: int
    text: str
    label: str
    ontonotes: str


@dataclass(frozen=True)
class DateMention:
    section_id: int | None
    sentence_id: int
    start: int
    end: int
    text: str
    value: str
    granularity: str  # one of GRANULARITIES
    relative: bool
    modifier: str  # one of DATE_MODIFIERS, or ""
    fiscal: bool
    rule: str


@dataclass(frozen=True)
class PersonMention:
    section_id: int | None
    sentence_id: int
    start: int
    end: int
    text: str
    name: str
    title: str
    country: str
    former: bool
    person_id: str
    source: str  # one of MENTION_SOURCES
    rule: str
    id_source: str = "fallback"  # registry: person_id is a rules/persons.yaml entry; fallback: country + family name


@dataclass(frozen=True)
class VenueMention:
    section_id: int | None
    sentence_id: int
    start: int
    end: int
    text: str
    name: str
    country: str
    meeting_id: int | None
    source: str  # one of MENTION_SOURCES
    rule: str


@dataclass(frozen=True)
class Clause:
    section_id: int | None
    meeting_id: int | None
    sentence_id: int
    start: int
    end: int
    text: str
    type: str  # one of CLAUSE_TYPES
    actor: str  # "both" or a person_id
    content: str
    rule: str


@dataclass(frozen=True)
class Meeting:
    section_id: int | None
    meeting_id: int
    meeting_no: str
    title: str
    date: str
    venue: str
    participants: str  # person_ids joined by "|", sorted
    mode: str  # one of MEETING_MODES
    start: int
    end: int
    text: str
    rule: str
    source: str = "heading"  # one of MEETING_SOURCES
    counterparts: str = ""  # ISO codes (or organisation codes) of the sides other than Japan, "|"-joined, sorted
    host: str = ""  # the side that hosted the session, when the text says
    consult_mode: str = ""  # one of CONSULT_MODES, or empty
    account: tuple[int, ...] = ()  # sentence ids that tell this session (clauses and venues there belong to it)
    participant_names: str = ""  # the participants as written at the meeting (people.text), in `participants` order
    event_id: str = ""  # the real-world session across documents: filled in by the writer (pipeline/corpus.py)


@dataclass(frozen=True)
class LayoutEdit:
    """What the layout stage changed in the text as read: a line break joined, a line dropped, markup
    removed. `start`/`end` index the text as read (before the layout stage), not `Document.text`."""

    rule: str
    action: str  # one of LAYOUT_ACTIONS
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class TraceEvent:
    """What a stage decided about a candidate span: why a rule's match was kept or dropped.

    Stages record dropped candidates (and may record kept ones); `explain` prints them."""

    stage: str
    rule: str
    start: int
    end: int
    text: str
    decision: str  # kept|dropped
    reason: str


@dataclass(frozen=True)
class Document:
    """A raw file and everything the stages found in it."""

    doc_id: str
    edition: str
    text: str
    encoding: str = "utf-8"
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    tokens: tuple[Token, ...] = ()
    entities: tuple[Entity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    people: tuple[PersonMention, ...] = ()
    venues: tuple[VenueMention, ...] = ()
    clauses: tuple[Clause, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    # how the text was laid out (`stages/layout.py`): the file's format, the layout asked for ("" lets the
    # rules decide), the layout found and why, and the file below the output folder that holds the text
    # the tables index when it is not the raw file's text ("" when it is)
    source: str = "txt"  # one of SOURCE_FORMATS
    layout_request: str = ""  # "", or one of LAYOUTS
    full_lines: tuple[int, ...] = ()  # lines (numbers in text.split("\n")) a PDF's page geometry shows full
    layout: str = ""  # one of LAYOUTS once the layout stage ran
    layout_note: str = ""
    text_file: str = ""
    layout_edits: tuple[LayoutEdit, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    trace: tuple[TraceEvent, ...] = field(default=())

    def block(self, block_id: int) -> Block:
        return self.blocks[block_id - 1]

    def sentence(self, sentence_id: int) -> Sentence:
        return self.sentences[sentence_id - 1]

    def tokens_by_sentence(self) -> dict[int, tuple[Token, ...]]:
        """Tokens grouped by sentence_id, in reading order."""
        groups: dict[int, tuple[Token, ...]] = {}
        for sid, run in itertools.groupby(self.tokens, key=_SENTENCE_ID):  # a sentence's tokens are one run
            groups[sid] = groups[sid] + tuple(run) if sid in groups else tuple(run)
        return groups

    def extractable_sentences(self, *, figures: bool = False) -> tuple[Sentence, ...]:
        """Sentences of blocks that yield entities (not caption copies, boilerplate or figure refs);
        `figures=True` keeps figure refs (a figure's title dates its table: `図表5-2-3 …(昨年以降)`)."""
        skip = {"caption_duplicate", "boilerplate"} | (set() if figures else {"figure_ref"})
        return tuple(s for s in self.sentences if self.block(s.block_id).kind not in skip)


class SpanIndex(Generic[R]):
    """Rows with `start`/`end` (sentences, people, venues...) indexed by start offset, so the rows
    inside a span are found by bisection instead of a scan of every row of the document."""

    def __init__(self, rows: Sequence[R]):
        self.order = sorted(range(len(rows)), key=lambda i: rows[i].start)  # stable: ties keep row order
        self.rows = [rows[i] for i in self.order]
        self.starts = [r.start for r in self.rows]

    def _range(self, start: int, end: int) -> range:
        return range(bisect_left(self.starts, start), bisect_right(self.starts, end))

    def inside(self, start: int, end: int) -> list[R]:
        """The rows with start <= row.start and row.end <= end, by start (ties in row order)."""
        return [self.rows[k] for k in self._range(start, end) if self.rows[k].end <= end]

    def at(self, pos: int) -> R | None:
        """The row whose span [start, end) holds `pos` (of rows that do not overlap), or None."""
        k = bisect_right(self.starts, pos) - 1
        return self.rows[k] if k >= 0 and self.rows[k].start <= pos < self.rows[k].end else None

    def indexed_inside(self, start: int, end: int) -> list[tuple[int, R]]:
        """(position in the rows given, row) of the rows `inside` returns, in the same order."""
        return [(self.order[k], self.rows[k]) for k in self._range(start, end) if self.rows[k].end <= end]
