"""The HTML report: highlights nest, text round-trips, every gold mention is highlighted with its value."""
from __future__ import annotations

import csv
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.document import Document
from pipeline.report import Span, build_report, render_segment
from pipeline.tables import render, write_doc_tables


def _write_tables(out, docs, failures):
    """Every table of these documents, rendered and written as a run does."""
    return write_doc_tables(out, [render(doc)[0] for doc in docs], failures)


ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold" / "000_5aa69a72492d7d21"
SEED_ID = "2017/000_5aa69a72492d7d21"
SEED = ROOT / "raw" / "2017" / "000_5aa69a72492d7d21.txt"
VOID = {"meta", "img", "input", "br", "hr", "link"}


class Page(HTMLParser):
    """Collects the marks, the text inside each `.doctext`, ids and links; checks that tags nest."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.marks: list[dict[str, str]] = []
        self.doctexts: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self._doc_depth: int | None = None
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if a.get("id"):
            self.ids.append(a["id"])
        if a.get("href"):
            self.hrefs.append(a["href"])
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag == "div" and "doctext" in a.get("class", "").split():
            self._doc_depth = len(self.stack)
            self.doctexts.append("")
        if tag == "mark":
            self.marks.append(a)
        if self._doc_depth is not None and tag in {"h2", "h3", "h4", "h5", "h6"}:
            self._heading = [tag, ""]

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]} ")
            return
        if self._heading is not None and tag == self._heading[0]:
            self.headings.append((self._heading[0], self._heading[1]))
            self._heading = None
        if self._doc_depth is not None and len(self.stack) == self._doc_depth:
            self._doc_depth = None
        self.stack.pop()

    def handle_data(self, data):
        if self._doc_depth is not None:
            self.doctexts[-1] += data
        if self._heading is not None:
            self._heading[1] += data


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    assert page.errors == [] and page.stack == [], (page.errors, page.stack)
    return page


def read_gold(name: str) -> list[dict[str, str]]:
    with (GOLD / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def mark_at(page: Page, kind: str, start: str, end: str) -> list[dict[str, str]]:
    return [m for m in page.marks if m.get("data-kind") == kind and m.get("data-start") == str(start)
            and m.get("data-end") == str(end)]


def assert_gold_highlighted(page: Page) -> None:
    """Every gold date/person/venue has a mark at its span whose title carries the gold value."""
    missing = []
    for row in read_gold("dates"):
        if not any(f"value: {row['value']}" in m["title"] for m in mark_at(page, "date", row["start"], row["end"])):
            missing.append(("date", row["start"], row["text"], row["value"]))
    for row in read_gold("people"):
        if not any(f"name: {row['name']}" in m["title"] and "person_id: " in m["title"]
                   for m in mark_at(page, "person", row["start"], row["end"])):
            missing.append(("person", row["start"], row["text"], row["name"]))
    for row in read_gold("venues"):
        if not any(f"name: {row['name']}" in m["title"] for m in mark_at(page, "venue", row["start"], row["end"])):
            missing.append(("venue", row["start"], row["text"], row["name"]))
    assert missing == []


# ------------------------------------------------------------------------------- render_segment

def span(start, end, kind, anchor=None, value="v"):
    return Span(start, end, kind, kind.upper(), f"{kind} {value}", anchor or f"a-{kind}-{start}-{end}", value)


STRIP_CASES = [
    # (text, spans): a person inside a clause, a date inside a heading-like line, crossing spans,
    # equal spans, characters that need escaping, spans at the edges
    ("両閣僚は<認識>で一致した", [span(0, 3, "person"), span(8, 13, "clause")]),
    ("稲田防衛大臣が述べた", [span(0, 10, "clause"), span(0, 6, "person")]),
    ("ABCDEFGH", [span(1, 5, "date"), span(3, 7, "venue")]),
    ('a & b "c" <d>', [span(0, 13, "venue"), span(0, 13, "date"), span(4, 9, "person")]),
    ("x", [span(0, 1, "date")]),
    ("no spans here & <there>", []),
]


@pytest.mark.parametrize("text,spans", STRIP_CASES)
def test_report_segment_strips_to_the_raw_text(text, spans):
    out = f'<div class="doctext">{render_segment(text, 0, len(text), spans)}</div>'
    page = Page()
    page.feed(out)
    assert page.errors == [] and page.stack == []
    assert page.doctexts == [text]
    assert {m["data-start"] + "-" + m["data-end"] + m["data-kind"] for m in page.marks} == \
        {f"{s.start}-{s.end}{s.kind}" for s in spans}


@pytest.mark.parametrize("text,spans,expected", [
    ("AB", [span(0, 2, "clause", "c"), span(0, 1, "person", "p")],
     '<mark class="m m-clause" id="c"><mark class="m m-person" id="p">A</mark>B</mark>'),
    ("ABC", [span(0, 2, "date", "d"), span(1, 3, "venue", "v")],
     '<mark class="m m-date" id="d">A<mark class="m m-venue" id="v">B</mark></mark>'
     '<mark class="m m-venue cont">C</mark>'),
    ("<&>", [span(1, 2, "date", "d")], '&lt;<mark class="m m-date" id="d">&amp;</mark>&gt;'),
])
def test_report_segment_nests_crossing_spans(text, spans, expected):
    out = render_segment(text, 0, len(text), spans)
    # compare the element structure without the data-/title attributes
    import re

    assert re.sub(r' (data-[a-z]+|title)="[^"]*"', "", out) == expected


# ------------------------------------------------------------------------------- whole report

@pytest.fixture
def gold_output(tmp_path) -> Path:
    """An output folder holding the gold mentions of the seed (doc_id, start/end, values) plus
    sections found by locating the gold headings in the raw text."""
    text = seed_text()
    out = tmp_path / "output"
    out.mkdir()
    sections, pos = [], 0
    for i, row in enumerate(read_gold("sections"), 1):
        head = f"{row['label']} {row['title']}" if row["title"] else row["label"]
        at = text.find(head, pos)
        if at < 0:
            head = row["label"] + row["title"]
            at = text.find(head, pos)
        assert at >= 0, head
        pos = at + len(head)
        sections.append({"doc_id": row["doc_id"], "section_id": str(i), "level": row["level"], "label": row["label"],
                         "title": row["title"], "path": row["path"], "start": str(at), "end": str(pos)})
    write_csv(out / "sections.csv", sections)
    for name in ("dates", "people", "venues", "clauses"):
        rows = read_gold(name)
        if name == "people":
            for r in rows:
                r["person_id"] = r["name"]
        write_csv(out / f"{name}.csv", rows)
    meetings = read_gold("meetings")
    for i, m in enumerate(meetings, 1):
        m["meeting_id"] = str(i)
    write_csv(out / "meetings.csv", meetings)
    return out


def test_report_gold_tables_highlight_every_gold_mention(gold_output, tmp_path):
    index = build_report(output=gold_output, raw=ROOT / "raw", out=tmp_path / "report", previous=None)
    page = parse(index)
    assert page.doctexts == [seed_text()]
    assert_gold_highlighted(page)
    # headings are headings and each TOC link has its target
    assert ("h2", "第II部 わが国の安全保障・防衛政策と日米同盟") in page.headings
    assert len(page.headings) >= len(read_gold("sections"))
    assert all(h[1:] in page.ids for h in page.hrefs if h.startswith("#"))
    assert len([m for m in page.marks if m.get("data-kind") == "clause" and "cont" not in m["class"]]) == \
        len(read_gold("clauses"))
    assert (tmp_path / "report" / "timeline.svg").exists() and not (tmp_path / "report" / "timeline.png").exists()
    # the first meeting's card links its date and venue to their highlights (gold: 804-818, 819-823)
    html_text = index.read_text(encoding="utf-8")
    assert '<a href="#d0-date-804-818">2016-09-16</a>' in html_text
    assert '<a href="#d0-venue-819-823">米国防省</a>' in html_text


def test_report_escapes_markup_in_text_and_values(tmp_path):
    raw = tmp_path / "raw"
    (raw / "x").mkdir(parents=True)
    text = '見出し <b>&"x"\n\n稲田防衛大臣は<script>alert(1)</script>と述べた。\n'
    (raw / "x" / "d.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "output"
    out.mkdir()
    write_csv(out / "people.csv", [{"doc_id": "x/d", "start": "13", "end": "19", "text": "稲田防衛大臣",
                                    "name": '<i>"稲田"</i>', "person_id": "a&b"}])
    write_csv(out / "clauses.csv", [{"doc_id": "x/d", "start": "13", "end": "53", "text": text[13:53],
                                     "type": "state", "content": "<script>"}])
    index = build_report(output=out, raw=raw, out=tmp_path / "report", previous=None)
    html_text = index.read_text(encoding="utf-8")
    assert "<script>alert" not in html_text and "<b>" not in html_text and html_text.count("<script>") == 1
    page = parse(index)
    assert page.doctexts == [text]
    (person,) = [m for m in page.marks if m["data-kind"] == "person"]
    assert 'name: <i>"稲田"</i>' in person["title"] and "person_id: a&b" in person["title"]


def test_report_for_the_seed_from_a_real_extract(extractor, tmp_path):
    """The acceptance test: extract the seed (rules only), write the tables twice (so a previous
    run is kept), build the report and check its structure against the gold."""
    doc = extractor.extract(Document(SEED_ID, "2017", seed_text()))
    out = tmp_path / "output"
    _write_tables(out, [doc], [])
    first_dates = (out / "dates.csv").read_text(encoding="utf-8").splitlines()
    _write_tables(out, [doc], [])
    index = build_report(output=out, raw=ROOT / "raw", out=out / "report", previous=None)
    page = parse(index)
    assert page.doctexts == [seed_text()]
    assert_gold_highlighted(page)
    # the diff against the kept previous run: same rows, nothing added or removed
    html_text = index.read_text(encoding="utf-8")
    assert f"<td>dates</td><td>{len(first_dates) - 1}</td><td>{len(first_dates) - 1}</td>" \
           '<td class="added">+0</td>' in html_text
    assert 'href="#d0-s1"' in html_text and 'id="d0-s1"' in html_text
    assert len(doc.meetings) == len(read_gold("meetings")) > 0  # the seed has meetings: the timeline is checked
    assert (out / "report" / "timeline.svg").exists()
    assert html_text.count('class="card"') == len(doc.meetings)


def test_report_cli_writes_the_same_page_twice(gold_output, tmp_path):
    from pipeline.cli import main

    args = ["report", "--output", str(gold_output), "--raw", str(ROOT / "raw"), "--out", str(tmp_path / "r")]
    assert main(args) == 0
    first = (tmp_path / "r" / "index.html").read_bytes()
    svg = (tmp_path / "r" / "timeline.svg").read_bytes()
    assert main(args) == 0
    assert (tmp_path / "r" / "index.html").read_bytes() == first
    assert (tmp_path / "r" / "timeline.svg").read_bytes() == svg
    assert first.count(b"<script") == 1 and b"<script src" not in first  # the filters' inline script only
    assert b"http://" not in first and b"https://" not in first


def test_report_cli_without_output_folder(tmp_path, capsys):
    from pipeline.cli import main

    assert main(["report", "--output", str(tmp_path / "missing"), "--raw", str(ROOT / "raw")]) == 2
    assert "no such output folder" in capsys.readouterr().err
