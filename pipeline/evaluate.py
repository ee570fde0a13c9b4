"""`python -m pipeline eval`: score output/ tables against the project's gold tables.

    python -m pipeline eval --output output --gold tests/gold --raw raw

Gold is one folder per document (`tests/gold/<name>/<table>.csv`, optional `scope.csv`
with the end of the annotated region). The matching is the one of the shared scorer
(`shared/eval/score.py`), so the numbers are the same:

- span tables (dates, people, venues, clauses): each gold row, in order of its span, takes
  the not-yet-used output row of the same document whose span overlaps it most (first one
  on ties) among those whose key fields agree; one score per level of fields (`KEYS`).
- sections: a multiset of (label, title); meetings: a session matches on its date, then
  the venue and the participants (person ids compared through the names they carry).

Then, per table, the rows a user has to look at: misses (gold rows left unmatched at the
strictest level) and false positives (output rows left unmatched), each with its text, the
rule ids that made the output row, and the fields that disagree with its overlapping partner.
"""
from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .cli import at_least
from .load import read_rows

COMMAND = "eval"

TABLES = ("dates", "people", "venues", "clauses", "sections", "meetings")

# span table -> [(score name, fields that must agree)], from overlap only to the strictest level
KEYS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "dates": [("span", ()), ("value", ("value", "granularity"))],
    "people": [("span", ()), ("name+title", ("name", "title")),
               ("+country", ("name", "title", "country", "former"))],
    "venues": [("span", ()), ("name", ("name",))],
    "clauses": [("span", ()), ("type", ("type",)), ("+actor", ("type", "actor"))],
}
SECTION_KEY = ("label", "title")
# every score `eval` can print (the names --min-f1 accepts); the meetings ones are counted by meeting_hits
MEETING_SCORES = ("date", "+venue", "+participants", "+mode", "+counterparts", "+consult")
SCORE_NAMES = tuple([f"{t}.{name}" for t, keys in KEYS.items() for name, _ in keys] + ["sections.label+title"]
                    + [f"meetings.{name}" for name in MEETING_SCORES])

Row = dict[str, str]


# -- reading -----------------------------------------------------------------------------
def read_table(path: Path) -> list[Row]:
    """The rows of one CSV (`load.read_rows`: formula guard removed, BOM tolerated)."""
    return read_rows(path)[1]


def canon(value: object) -> str:
    """A cell as compared: stripped; booleans and their spellings folded; null-ish values empty."""
    text = "" if value is None else str(value).strip()
    folded = text.lower()
    if folded in {"true", "1", "yes"}:
        return "true"
    if folded in {"false", "0", "no"}:
        return "false"
    if folded in {"", "nan", "none"}:
        return ""
    return text


def row_span(row: Row) -> tuple[int, int] | None:
    try:
        return int(float(row["start"])), int(float(row["end"]))
    except (KeyError, TypeError, ValueError):
        return None


def overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> int:
    """Length of the overlap of two spans, 0 when either is missing or they are disjoint."""
    if a is None or b is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


@dataclass(frozen=True)
class Gold:
    """Gold rows per table, and the end of the annotated region per doc_id (from scope.csv)."""

    rows: dict[str, list[Row]]
    scope_end: dict[str, int]

    @property
    def doc_ids(self) -> list[str]:
        return sorted({r["doc_id"] for rows in self.rows.values() for r in rows})


def read_gold(gold_dir: Path) -> Gold:
    rows: dict[str, list[Row]] = {t: [] for t in TABLES}
    scope: dict[str, int] = {}
    for folder in sorted(p for p in Path(gold_dir).iterdir() if p.is_dir()):
        for table in TABLES:
            rows[table].extend(read_table(folder / f"{table}.csv"))
        for r in read_table(folder / "scope.csv"):
            scope[r["doc_id"]] = int(r["end"])
    return Gold(rows, scope)


def read_output(out_dir: Path, gold: Gold) -> dict[str, list[Row]]:
    """Output rows of the gold's documents, inside the annotated region."""
    wanted = set(gold.doc_ids)

    def keep(r: Row) -> bool:
        if r.get("doc_id") not in wanted:
            return False
        sp = row_span(r)
        end = gold.scope_end.get(r["doc_id"])
        return end is None or sp is None or sp[0] < end

    return {t: [r for r in read_table(Path(out_dir) / f"{t}.csv") if keep(r)] for t in TABLES}


# -- person names, for actor and participant fields -----------------------------------
def names_by_person(people: list[Row]) -> dict[str, set[str]]:
    """person_id -> every name it is written with (name, text, last part of a ・ name)."""
    names: dict[str, set[str]] = defaultdict(set)
    for r in people:
        pid = canon(r.get("person_id"))
        for key in ("name", "text"):
            if r.get(key):
                names[pid].add(canon(r[key]))
        if r.get("name"):
            names[pid].add(canon(r["name"]).split("・")[-1])
    return names


def field_agrees(name: str, gold_row: Row, out_row: Row, names: dict[str, set[str]]) -> bool:
    want, got = canon(gold_row.get(name)), canon(out_row.get(name))
    if name == "actor" and got not in {"both", ""}:
        return want in names.get(got, {got})
    return want == got


# -- matching ----------------------------------------------------------------------------
def match_span_rows(gold: list[Row], out: list[Row], fields: tuple[str, ...],
                    names: dict[str, set[str]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, output index) pairs: gold in span order, largest overlap wins."""
    order = sorted(range(len(gold)), key=lambda i: row_span(gold[i]) or (0, 0))
    taken: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for gi in order:
        gs = row_span(gold[gi])
        best, best_len = -1, 0
        for oi, o in enumerate(out):
            if oi in taken:
                continue
            length = overlap(gs, row_span(o))
            if length <= best_len:
                continue
            if all(field_agrees(f, gold[gi], o, names) for f in fields):
                best, best_len = oi, length
        if best >= 0:
            taken.add(best)
            pairs.append((gi, best))
    return pairs


def match_sections(gold: list[Row], out: list[Row]) -> list[tuple[int, int]]:
    """(label, title) as a multiset: each gold heading takes the first unused equal output row."""
    taken: set[int] = set()
    pairs = []
    for gi, g in enumerate(gold):
        key = tuple(canon(g.get(k)) for k in SECTION_KEY)
        oi = next((i for i, o in enumerate(out) if i not in taken
                   and tuple(canon(o.get(k)) for k in SECTION_KEY) == key), None)
        if oi is not None:
            taken.add(oi)
            pairs.append((gi, oi))
    return pairs


def _participant_names(row: Row) -> set[str]:
    return {p for p in canon(row.get("participants")).split("|") if p}


def meeting_quality(g: Row, o: Row, names: dict[str, set[str]]) -> tuple[bool, bool]:
    """(venue agrees, participants agree): every gold name carried by one of exactly as many ids."""
    wanted = _participant_names(g)
    ids = _participant_names(o)
    found = {n for n in wanted if any(n in names.get(i, {i}) for i in ids)}
    return canon(o.get("venue")) == canon(g.get("venue")), len(found) == len(wanted) == len(ids)


def match_meetings(gold: list[Row], out: list[Row], names: dict[str, set[str]]
                   ) -> list[tuple[int, int, bool, bool]]:
    """(gold index, output index, venue ok, participants ok) for each gold session whose date was found."""
    pool = list(range(len(out)))
    found = []
    for gi, g in enumerate(gold):
        same_date = [oi for oi in pool if canon(out[oi].get("date")) == canon(g.get("date"))]
        if not same_date:
            continue
        oi = max(same_date, key=lambda i: meeting_quality(g, out[i], names))
        pool.remove(oi)
        found.append((gi, oi, *meeting_quality(g, out[oi], names)))
    return found


def _codes(row: Row) -> list[str]:
    return sorted(c for c in canon(row.get("counterparts")).split("|") if c)


def meeting_hits(gold: list[Row], out: list[Row], found: list[tuple[int, int, bool, bool]]
                 ) -> list[tuple[str, int]]:
    """Hits per meetings score: date, +venue, +participants, and where the gold records them
    +mode, +counterparts and +consult (host and consult_mode), as the shared scorer counts them."""
    hits = [("date", len(found)), ("+venue", sum(1 for *_, v, _ in found if v)),
            ("+participants", sum(1 for *_, v, p in found if v and p))]
    if any("mode" in g for g in gold):
        hits.append(("+mode", sum(canon(out[oi].get("mode")) == canon(gold[gi].get("mode")) for gi, oi, *_ in found)))
    if any("consult_mode" in g for g in gold):
        hits.append(("+counterparts", sum(_codes(out[oi]) == _codes(gold[gi]) for gi, oi, *_ in found)))
        hits.append(("+consult", sum(canon(out[oi].get("consult_mode")) == canon(gold[gi].get("consult_mode"))
                                     and canon(out[oi].get("host")) == canon(gold[gi].get("host"))
                                     for gi, oi, *_ in found)))
    return hits


# -- scoring -----------------------------------------------------------------------------
@dataclass
class Count:
    hits: int = 0
    gold: int = 0
    pred: int = 0

    def add(self, hits: int, gold: int, pred: int) -> None:
        self.hits += hits
        self.gold += gold
        self.pred += pred

    @property
    def precision(self) -> float:
        return self.hits / self.pred if self.pred else (0.0 if self.gold else 1.0)

    @property
    def recall(self) -> float:
        return self.hits / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Problem:
    """A row to look at: a gold row nobody matched (miss) or an output row nobody wanted (false positive)."""

    table: str
    kind: str  # miss|false_positive
    doc_id: str
    start: str
    end: str
    text: str
    rule: str
    detail: str


@dataclass
class Report:
    scores: dict[str, Count] = field(default_factory=dict)
    per_doc: dict[str, dict[str, Count]] = field(default_factory=dict)  # doc_id -> score -> counts
    problems: list[Problem] = field(default_factory=list)
    offsets_checked: int = 0
    offsets_broken: list[str] = field(default_factory=list)


def _describe(row: Row, fields: tuple[str, ...]) -> str:
    return ", ".join(f"{f}={row.get(f, '')!r}" for f in fields)


def _span_problems(table: str, gold: list[Row], out: list[Row], pairs: list[tuple[int, int]],
                   names: dict[str, set[str]]) -> list[Problem]:
    fields = KEYS[table][-1][1]
    matched_gold = {g for g, _ in pairs}
    matched_out = {o for _, o in pairs}
    problems = []
    for gi, g in enumerate(gold):
        if gi in matched_gold:
            continue
        near = max((o for oi, o in enumerate(out) if oi not in matched_out),
                   key=lambda o: overlap(row_span(g), row_span(o)), default=None)
        if near is not None and overlap(row_span(g), row_span(near)):
            bad = [f for f in fields if not field_agrees(f, g, near, names)]
            detail = (f"output {near.get('text', '')!r} [{near.get('start')}:{near.get('end')}] "
                      f"({near.get('rule', '') or 'no rule'}) differs: "
                      + "; ".join(f"{f} gold={g.get(f, '')!r} output={near.get(f, '')!r}" for f in bad))
        else:
            detail = "no overlapping output row; gold " + _describe(g, fields)
        problems.append(Problem(table, "miss", g.get("doc_id", ""), g.get("start", ""), g.get("end", ""),
                                g.get("text", ""), near.get("rule", "") if near and detail.startswith("output")
                                else "", detail))
    for oi, o in enumerate(out):
        if oi in matched_out:
            continue
        near = max((g for gi, g in enumerate(gold) if gi not in matched_gold),
                   key=lambda g: overlap(row_span(g), row_span(o)), default=None)
        if near is not None and overlap(row_span(near), row_span(o)):
            detail = f"overlaps unmatched gold {near.get('text', '')!r} [{near.get('start')}:{near.get('end')}]"
        else:
            detail = "no gold row here; output " + _describe(o, fields)
        problems.append(Problem(table, "false_positive", o.get("doc_id", ""), o.get("start", ""),
                                o.get("end", ""), o.get("text", ""), o.get("rule", ""), detail))
    return problems


def _section_problems(gold: list[Row], out: list[Row], pairs: list[tuple[int, int]]) -> list[Problem]:
    matched_gold = {g for g, _ in pairs}
    matched_out = {o for _, o in pairs}
    problems = [Problem("sections", "miss", g.get("doc_id", ""), "", "", f"{g.get('label', '')} {g.get('title', '')}",
                        "", f"path {g.get('path', '')!r}") for gi, g in enumerate(gold) if gi not in matched_gold]
    problems += [Problem("sections", "false_positive", o.get("doc_id", ""), o.get("start", ""), o.get("end", ""),
                         f"{o.get('label', '')} {o.get('title', '')}", o.get("rule", ""), f"path {o.get('path', '')!r}")
                 for oi, o in enumerate(out) if oi not in matched_out]
    return problems


def _meeting_problems(gold: list[Row], out: list[Row], found: list[tuple[int, int, bool, bool]]) -> list[Problem]:
    by_gold = {gi: (oi, v, p) for gi, oi, v, p in found}
    matched_out = {oi for _, oi, _, _ in found}
    problems = []
    for gi, g in enumerate(gold):
        want = f"{g.get('title', '')} {g.get('date', '')} @{g.get('venue', '')} [{g.get('participants', '')}]"
        if gi not in by_gold:
            problems.append(Problem("meetings", "miss", g.get("doc_id", ""), "", "", want, "",
                                    "no output session on that date"))
            continue
        oi, venue_ok, parts_ok = by_gold[gi]
        if venue_ok and parts_ok:
            continue
        o = out[oi]
        wrong = ([f"venue gold={g.get('venue', '')!r} output={o.get('venue', '')!r}"] if not venue_ok else []) + \
                ([f"participants gold={g.get('participants', '')!r} output={o.get('participants', '')!r}"]
                 if not parts_ok else [])
        problems.append(Problem("meetings", "miss", g.get("doc_id", ""), o.get("start", ""), o.get("end", ""), want,
                                o.get("rule", ""), "date found, but " + "; ".join(wrong)))
    for oi, o in enumerate(out):
        if oi not in matched_out:
            problems.append(Problem("meetings", "false_positive", o.get("doc_id", ""), o.get("start", ""),
                                    o.get("end", ""), f"{o.get('title', '')} {o.get('date', '')} @{o.get('venue', '')}",
                                    o.get("rule", ""), "no gold session on that date"))
    return problems


def check_offsets(out_dir: Path, raw_dir: Path | None, doc_ids: set[str]) -> tuple[int, list[str]]:
    """Rows of every span table whose text is not raw_text[start:end] (or text[start:end] of the file in
    output/text/ that the run wrote for the document)."""
    if raw_dir is None:
        return 0, []
    texts: dict[str, str | None] = {}
    checked, broken = 0, []
    for table in (*TABLES, "blocks", "tokens"):
        for r in read_table(Path(out_dir) / f"{table}.csv"):
            doc = r.get("doc_id", "")
            sp = row_span(r)
            if doc not in doc_ids or sp is None or "text" not in r:
                continue
            if doc not in texts:
                # the text the rows index: output/text/<doc_id>.txt when the run wrote one (a web page, a
                # PDF, re-flowed text), else the raw file
                path = Path(out_dir) / "text" / f"{doc}.txt"
                path = path if path.is_file() else Path(raw_dir) / f"{doc}.txt"
                texts[doc] = path.read_text(encoding="utf-8-sig") if path.is_file() else None
            raw = texts[doc]
            if raw is None:
                continue
            checked += 1
            if raw[sp[0]:sp[1]] != r["text"]:
                broken.append(f"{table}.csv {doc} [{sp[0]}:{sp[1]}] {r['text'][:30]!r}")
    return checked, broken


def evaluate(out_dir: Path, gold_dir: Path, raw_dir: Path | None = None) -> Report:
    """Score every table of out_dir against gold_dir (micro-averaged over documents)."""
    gold = read_gold(gold_dir)
    out = read_output(out_dir, gold)
    names = names_by_person(out["people"])
    report = Report()
    for doc in gold.doc_ids:
        def add(key: str, hits: int, n_gold: int, n_out: int) -> None:
            report.scores.setdefault(key, Count()).add(hits, n_gold, n_out)
            report.per_doc.setdefault(doc, {}).setdefault(key, Count()).add(hits, n_gold, n_out)

        for table in TABLES:
            g = [r for r in gold.rows[table] if r["doc_id"] == doc]
            o = [r for r in out[table] if r["doc_id"] == doc]
            if not g:
                continue
            if table in KEYS:
                pairs: list[tuple[int, int]] = []
                for name, fields in KEYS[table]:
                    pairs = match_span_rows(g, o, fields, names)
                    add(f"{table}.{name}", len(pairs), len(g), len(o))
                report.problems += _span_problems(table, g, o, pairs, names)
            elif table == "sections":
                pairs = match_sections(g, o)
                add("sections.label+title", len(pairs), len(g), len(o))
                report.problems += _section_problems(g, o, pairs)
            else:
                found = match_meetings(g, o, names)
                for name, hits in meeting_hits(g, o, found):
                    add(f"meetings.{name}", hits, len(g), len(o))
                report.problems += _meeting_problems(g, o, found)
    report.offsets_checked, report.offsets_broken = check_offsets(out_dir, raw_dir, set(gold.doc_ids))
    return report


# -- printing ----------------------------------------------------------------------------
def format_scores(report: Report) -> str:
    lines = [f"{'score':28} {'gold':>5} {'pred':>5} {'hits':>5}   P      R      F1"]
    for key, c in report.scores.items():
        lines.append(f"{key:28} {c.gold:5d} {c.pred:5d} {c.hits:5d}   {c.precision:.3f}  {c.recall:.3f}  {c.f1:.3f}")
    lines.append(f"offsets: {report.offsets_checked} rows checked, {len(report.offsets_broken)} broken")
    lines += [f"  broken: {b}" for b in report.offsets_broken[:10]]
    return "\n".join(lines)


def format_problems(report: Report, *, tables: tuple[str, ...] = TABLES, limit: int = 0) -> str:
    lines = []
    for table in tables:
        for kind, title in (("miss", "misses (gold rows not matched)"),
                            ("false_positive", "false positives (output rows not matched)")):
            rows = [p for p in report.problems if p.table == table and p.kind == kind]
            if not rows:
                continue
            lines.append(f"\n{table}: {len(rows)} {title}")
            for p in rows[:limit or None]:
                where = f"[{p.start}:{p.end}]" if p.start != "" else ""
                lines.append(f"  {p.doc_id} {where} {p.text!r}  rule={p.rule or '-'}  -- {p.detail}")
            if limit and len(rows) > limit:
                lines.append(f"  ... {len(rows) - limit} more")
    if lines:
        lines.append("\nwhy a row is missed or wrong: python -m pipeline explain --doc DOC_ID --span START:END "
                     "(or: explain TABLE DOC_ID:START:END for an output row)")
    return "\n".join(lines)


PER_DOC_SCORES = ("dates.value", "people.+country", "venues.name", "clauses.+actor", "sections.label+title",
                  "meetings.date", "meetings.+participants")


def format_per_doc(report: Report) -> str:
    """One line per document: the F1 (hits/gold) of the main scores, `-` where the gold of that
    table is empty, so a user sees which page loses what."""
    short = [k.split(".", 1)[1] if not k.startswith("meetings") else "m." + k.split(".", 1)[1]
             for k in PER_DOC_SCORES]
    lines = [f"{'document':34} " + " ".join(f"{s[:11]:>11}" for s in short)]
    for doc in sorted(report.per_doc):
        cells = []
        for key in PER_DOC_SCORES:
            c = report.per_doc[doc].get(key)
            cells.append(f"{'-':>11}" if c is None else f"{c.f1:5.2f} {c.hits:2d}/{c.gold:<2d}")
        lines.append(f"{doc[:34]:34} " + " ".join(cells))
    return "\n".join(lines)


ABLATION = (("rules only", False), ("rules + NER", True))  # (name, GiNZA NER on); no stage uses the parser


def ablation(sets: list[tuple[str, Path, Path]], rules_dir: Path) -> str:
    """Extract each development set with every model component off and on; the F1 that each adds
    and the seconds it costs (one process, no cache, the model load included)."""
    import contextlib
    import io
    import tempfile
    import time

    from .run import Settings, run

    results: dict[tuple[str, str], tuple[Report, float]] = {}
    with tempfile.TemporaryDirectory(prefix="hakusho-ablation-") as tmp:
        for set_name, raw, gold in sets:
            for name, ner in ABLATION:
                out = Path(tmp) / f"{set_name}-{int(ner)}"
                began = time.perf_counter()
                with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                    run(Settings(raw=raw, rules=rules_dir, out=out, jobs=1, ner=ner, cache=None))
                results[(set_name, name)] = (evaluate(out, gold, raw), time.perf_counter() - began)
    base, full = ABLATION[0][0], ABLATION[-1][0]
    lines = [f"{'set':10} {'score':24} {base:>11} {full:>12} {'gain':>7}"]
    for set_name, _, _ in sets:
        off, t_off = results[(set_name, base)]
        on, t_on = results[(set_name, full)]
        for key in off.scores:
            if key.split(".")[1] in ("span", "name+title", "type", "+venue"):
                continue
            a, b = off.scores[key].f1, on.scores.get(key, Count()).f1
            lines.append(f"{set_name:10} {key:24} {a:11.3f} {b:12.3f} {b - a:+7.3f}")
        lines.append(f"{set_name:10} {'seconds':24} {t_off:11.1f} {t_on:12.1f} {t_on - t_off:+7.1f}")
    lines.append("the dependency parser: no stage uses it (case frames are read from particles and MeCab "
                 "tokens), so it costs nothing and adds nothing")
    return "\n".join(lines)


def as_json(report: Report) -> dict:
    return {"scores": {k: {"hits": c.hits, "gold": c.gold, "pred": c.pred, "p": c.precision, "r": c.recall,
                           "f1": c.f1} for k, c in report.scores.items()},
            "offsets_checked": report.offsets_checked, "offsets_broken": len(report.offsets_broken),
            "problems": [p.__dict__ for p in report.problems]}


def min_f1(spec: str) -> tuple[str, float]:
    """`--min-f1 TABLE.SCORE=VALUE`: a score `eval` prints and a number from 0 to 1."""
    key, sep, value = spec.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"{spec!r} is not TABLE.SCORE=VALUE (e.g. dates.value=0.95)")
    if key not in SCORE_NAMES:
        raise argparse.ArgumentTypeError(f"no score named {key!r}; the scores are {', '.join(SCORE_NAMES)}")
    try:
        threshold = float(value)
    except ValueError:
        threshold = -1.0
    if not 0.0 <= threshold <= 1.0:
        raise argparse.ArgumentTypeError(f"{spec!r}: the value must be a number from 0 to 1, not {value!r}")
    return key, threshold


def add_parser(sub) -> None:
    ap = sub.add_parser("eval", help="score output/ against the gold tables in tests/gold",
                        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--output", type=Path, default=Path("output"), help="folder of output CSVs (default: output)")
    ap.add_argument("--gold", type=Path, default=Path("tests/gold"), help="folder of gold document folders")
    ap.add_argument("--raw", type=Path, default=None, help="raw/ folder, to check raw_text[start:end] == text")
    ap.add_argument("--table", action="append", choices=TABLES, default=None,
                    help="list misses/false positives only for this table (repeatable)")
    ap.add_argument("--limit", type=at_least(0, "0: all"), default=0,
                    help="at most this many misses/false positives per list (default 0: all)")
    ap.add_argument("--scores-only", action="store_true", help="print the score table only")
    ap.add_argument("--per-doc", action="store_true", help="also print one line of F1s per document")
    ap.add_argument("--ablation", action="append", default=[], metavar="NAME=RAW:GOLD",
                    help="extract the set RAW with and without the NER model and print the F1 each component adds "
                         "against GOLD and the seconds it costs (repeatable; --output is not read)")
    ap.add_argument("--rules", type=Path, default=Path("rules"), help="rule folder for --ablation (default: rules)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--min-f1", action="append", type=min_f1, default=[], metavar="TABLE.SCORE=VALUE",
                    help="exit 1 when that F1 is lower, e.g. dates.value=0.95")


def main(args: argparse.Namespace) -> int:
    from .errors import InputError

    if args.ablation:
        sets = []
        for spec in args.ablation:
            name, _, paths = spec.partition("=")
            raw, _, gold = paths.partition(":")
            if not (name and raw and gold):
                raise InputError(spec, "--ablation takes NAME=RAW:GOLD (e.g. seed=raw:tests/gold)")
            for folder in (raw, gold):
                if not Path(folder).is_dir():
                    raise InputError(folder, "folder not found (--ablation)")
            sets.append((name, Path(raw), Path(gold)))
        print(ablation(sets, args.rules))
        return 0
    for folder, what in ((args.output, "output"), (args.gold, "gold"), (args.raw, "raw")):
        if folder is not None and not Path(folder).is_dir():
            raise InputError(str(folder), f"{what} folder not found")
    report = evaluate(args.output, args.gold, args.raw)
    failed = []
    for key, value in args.min_f1:
        if key not in report.scores:
            failed.append(f"{key} not scored: the gold has no rows of that table")
        elif report.scores[key].f1 < value:
            failed.append(f"{key} F1 {report.scores[key].f1:.3f} < {value}")
    if args.json:
        print(json.dumps({**as_json(report), "failed": failed}, ensure_ascii=False, indent=1))
    else:
        print(format_scores(report))
        if args.per_doc:
            print(format_per_doc(report))
        if not args.scores_only:
            print(format_problems(report, tables=tuple(args.table or TABLES), limit=args.limit))
        for f in failed:
            print("FAIL:", f)
    return 1 if failed else 0
