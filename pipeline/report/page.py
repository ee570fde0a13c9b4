"""The report page: `build_report` reads the tables and raw texts and writes index.html; `screenshot`
renders it with headless Chromium."""
from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from collections import Counter
from importlib import resources
from pathlib import Path

from ..errors import PipelineError
from ..load import read_rows
from ..reader import read_raw
from ..tables import previous_dir
from .cards import meeting_anchor, render_cards, render_meeting_table
from .diff import diff_tables, render_diff
from .text import KIND_TABLE, KINDS, Span, Unit, render_text, span_of, to_int, units_of
from .timeline import legend_html, timeline_points, timeline_svg, write_timeline, year_chart_svg

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars")


def _by_doc(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        out.setdefault(row.get("doc_id", ""), []).append(row)
    return out


def _toc(doc: str, prefix: str, sections: list[dict[str, str]]) -> str:
    items = []
    for row in sorted(sections, key=lambda r: (to_int(r.get("start")) or 0, to_int(r.get("section_id")) or 0)):
        lvl = min(6, to_int(row.get("level")) or 1)
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
        tocs.append(_toc(doc, prefix, by_doc["sections"].get(doc, [])))
        body, units, counts = _document(doc, prefix, raw, by_doc, problems, anchors)
        bodies.append(body)
        if units is not None:
            units_by_doc[doc] = units
        totals.update(counts)
    meetings = tables["meetings"]
    points = timeline_points(meetings, [meeting_anchor(n) for n in range(1, len(meetings) + 1)])
    images = write_timeline(points, out)
    for stale in {"timeline.png", "timeline.svg"} - set(images):  # timeline.png: written by older versions
        (out / stale).unlink(missing_ok=True)
    prev = previous if previous is not None else previous_dir(output)
    diffs = diff_tables(output, prev if prev.is_dir() else None)
    page = _page(doc_ids=doc_ids, tocs=tocs, bodies=bodies, totals=totals, points=points,
                 table=render_meeting_table(meetings, tables["clauses"]),
                 cards=render_cards(tables["meetings"], doc_prefix=prefixes, people=tables["people"],
                                    clauses=tables["clauses"], units=units_by_doc, dates=tables["dates"],
                                    venues=tables["venues"], anchors=anchors),
                 diff=render_diff(diffs, prev), problems=problems, output=output)
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def _document(doc: str, prefix: str, raw: Path, by_doc: dict, problems: list[str], anchors: set[str]
              ) -> tuple[str, list[Unit] | None, Counter]:
    """A document's part of the page, its units (None without raw text) and its mention counts;
    rows that cannot be shown go to `problems`, the ids of the highlights to `anchors`."""
    sections = by_doc["sections"].get(doc, [])
    path = raw / f"{doc}.txt"
    try:
        text = read_raw(path, raw).text
    except PipelineError as err:
        problems.append(str(err))
        return (f'<section class="part" id="{prefix}"><h2>{html.escape(doc)}</h2>'
                f'<p class="muted">raw text not found: {html.escape(str(path))}</p></section>'), None, Counter()
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
    units = units_of(text, by_doc["blocks"].get(doc, []), sections, prefix=prefix)
    summary = ", ".join(f"{counts[k]} {KIND_TABLE[k]}" for k in ("date", "person", "venue", "clause"))
    return (f'<section class="part" id="{prefix}"><h2>{html.escape(doc)}</h2>'
            f'<p class="muted">{len(text)} characters; {summary}</p>'
            f'{render_text(text, units, spans, sections, prefix=prefix)}</section>'), units, counts


# the page's one script: the meeting filters (rows, cards, timeline markers; preset by a link's
# `#cp=US&mode=…&year=…`), and every card's details opened for printing; without it all meetings show
SCRIPT = """
(function () {
  var sel = {cp: document.getElementById("f-cp"), mode: document.getElementById("f-mode"),
             year: document.getElementById("f-year")};
  function apply() {
    var shown = 0;
    document.querySelectorAll("[data-meeting]").forEach(function (el) {
      var ok = (!sel.cp.value || (" " + el.dataset.cp + " ").indexOf(" " + sel.cp.value + " ") >= 0) &&
               (!sel.mode.value || el.dataset.mode === sel.mode.value) &&
               (!sel.year.value || el.dataset.year === sel.year.value);
      el.style.display = ok ? "" : "none";
      if (ok && el.tagName === "TR") shown++;
    });
    document.getElementById("f-count").textContent = shown;
  }
  if (!sel.cp) return;
  [sel.cp, sel.mode, sel.year].forEach(function (s) { s.addEventListener("change", apply); });
  // a link may carry a filter: index.html#cp=US&mode=telephone&year=2017
  var preset = new URLSearchParams(location.hash.slice(1));
  if (["cp", "mode", "year"].some(function (k) { return preset.has(k); })) {
    ["cp", "mode", "year"].forEach(function (k) { if (preset.has(k)) sel[k].value = preset.get(k); });
    apply();
  }
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".card details").forEach(function (d) { d.open = true; });
  });
})();
"""


def _page(*, doc_ids, tocs, bodies, totals, points, table, cards, diff, problems, output) -> str:
    css = resources.files("pipeline").joinpath("report_static/report.css").read_text(encoding="utf-8")
    toggles = "".join(
        f'<label><input type="checkbox" id="show-{k}" checked> <span class="swatch {k}">{k}</span> '
        f'<span class="muted">({totals[k]})</span></label>' for k in ("date", "person", "venue", "clause"))
    toggles += '<label><input type="checkbox" id="show-labels" checked> labels</label>'
    if points:
        timeline = (f'<figure class="timeline">{year_chart_svg(points)}{legend_html(points)}{timeline_svg(points)}'
                    f'<figcaption class="muted">{len(points)} dated meetings. Rows: the sides other than Japan '
                    f'(<code>counterparts</code>; a meeting of several sides is on each of their rows), with '
                    f'their number of meetings; markers: the mode. Hover a marker for the meeting, click it for '
                    f'its card. Also <a href="timeline.svg">timeline.svg</a>.</figcaption></figure>')
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
<ul><li><a href="#timeline">Meetings timeline</a></li><li><a href="#meeting-table">Meetings table</a></li>
<li><a href="#changes">Changes since the previous run</a></li><li><a href="#meetings">Meeting cards</a></li></ul>
{"".join(tocs)}
</nav>
<main id="top">
<h1>hakusho report</h1>
<p class="muted">{len(doc_ids)} document(s) from <code>{html.escape(str(output))}</code>. Hover a highlight for its
normalised value, person_id, rule and source.</p>
<div class="controls" role="group" aria-label="highlight toggles">{toggles}</div>
{warn}
<section id="timeline"><h2>Meetings timeline</h2>{timeline}</section>
<section id="meeting-table"><h2>Meetings</h2>{table}</section>
<section id="changes"><h2>Changes since the previous run</h2>{diff}</section>
{"".join(bodies)}
<section id="meetings"><h2>Meeting cards</h2>{cards}</section>
</main>
</div>
<script>{SCRIPT}</script>
</body>
</html>
"""


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
