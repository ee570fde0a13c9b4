"""`python -m pipeline explain`: why a row is (or is not) in the output.

    python -m pipeline explain clauses 3            # data row 3 of output/clauses.csv
    python -m pipeline explain clauses 2017/000_5aa69a72492d7d21:900:930   # that row in any run
    python -m pipeline explain --text "両閣僚は、…で一致した。"
    python -m pipeline explain --doc 2017/000_5aa69a72492d7d21 --span 900:906   # a miss from `make eval`

For an output row, the row's document (raw/<doc_id>.txt) is extracted again with the
current rules/, and everything that touches the row's sentence is listed in reading
order: the rows of every table with the ids of the rules that made them (and the file
and line each rule is written on), the NER spans GiNZA found, and the candidates the
stages dropped with the overlap policy's (or another) reason, from `Document.trace`.
With --text, the same for a piece of text, as a one-document input.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .document import Document
from .errors import InputError
from .load import read_rows

COMMAND = "explain"

# Document attribute -> the fields worth showing next to the text of its rows
ROW_TABLES: dict[str, tuple[str, ...]] = {
    "sections": ("label", "title", "path"),
    "blocks": ("kind",),
    "dates": ("value", "granularity", "relative", "modifier"),
    "people": ("name", "title", "country", "former", "person_id", "id_source", "source"),
    "venues": ("name", "country", "meeting_id", "source"),
    "meetings": ("meeting_id", "title", "date", "venue", "participants", "mode", "source", "counterparts", "host",
                 "consult_mode"),
    "clauses": ("type", "actor", "meeting_id", "content"),
}


@dataclass(frozen=True)
class Line:
    """One thing that happened over a span, for the reading-order listing."""

    start: int
    end: int
    what: str  # row|ner|kept|dropped
    table: str  # table name, or the stage for trace events, or the NER label
    text: str
    rule: str
    detail: str

    def sort_key(self) -> tuple:
        return self.start, -(self.end - self.start), ("row", "ner", "kept", "dropped").index(self.what), self.table


# -- where rules are written --------------------------------------------------------------
def rule_locations(rules_dir: Path) -> dict[str, str]:
    """Rule id -> `rules/file.yaml:LINE`, for every mapping with an `id` in every rule file."""
    from .ruleset import LINE_KEY, read_yaml, rule_nodes

    found: dict[str, str] = {}
    for path in sorted(Path(rules_dir).glob("*.yaml")):
        for node in rule_nodes(read_yaml(path)):
            found.setdefault(node["id"], f"{path}:{node.get(LINE_KEY, '?')}")
    return found


def describe_rules(rule: str, locations: dict[str, str]) -> str:
    """`a+b` -> `a (rules/x.yaml:3) + b (built in)`."""
    if not rule:
        return "-"
    return " + ".join(f"{r} ({locations.get(r, 'built in')})" for r in rule.split("+"))


# -- what happened around a span ----------------------------------------------------------
def _overlaps(a: int, b: int, start: int, end: int) -> bool:
    if a == b:  # an empty span counts where it sits
        return start <= a <= end
    return a < end and start < b


def _fields(record: Any, names: tuple[str, ...]) -> str:
    parts = []
    for n in names:
        value = getattr(record, n, None)
        if value in (None, ""):
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        text = str(value)
        parts.append(f"{n}={text if len(text) <= 40 else text[:39] + '…'}")
    return " ".join(parts)


def lines_in(doc: Document, start: int, end: int) -> list[Line]:
    """Rows, NER spans and trace events overlapping [start, end), in reading order."""
    out: list[Line] = []
    for table, names in ROW_TABLES.items():
        for rec in getattr(doc, table):
            a, b = rec.start, rec.end
            if table == "sections":  # a section covers its body; it happens at its heading line
                b = doc.block(rec.block_id).end
            if table == "blocks" and rec.kind == "paragraph" and not rec.rule:
                continue  # the default kind tells nothing
            if _overlaps(a, b, start, end):
                text = rec.text if hasattr(rec, "text") else doc.text[a:b]
                out.append(Line(a, b, "row", table, text, rec.rule, _fields(rec, names)))
    for e in doc.entities:
        if _overlaps(e.start, e.end, start, end):
            out.append(Line(e.start, e.end, "ner", e.label, e.text, "", f"ontonotes={e.ontonotes}" if e.ontonotes
                            else ""))
    for t in doc.trace:
        if _overlaps(t.start, t.end, start, end):
            out.append(Line(t.start, t.end, t.decision if t.decision in ("kept", "dropped") else "dropped",
                            t.stage, t.text, t.rule, t.reason))
    return sorted(out, key=Line.sort_key)


def window(doc: Document, start: int, end: int) -> tuple[int, int]:
    """The sentences that overlap [start, end), as one span (the span itself when there are none)."""
    hit = [s for s in doc.sentences if _overlaps(start, end, s.start, s.end) or _overlaps(s.start, s.end, start, end)]
    if not hit:
        return start, end
    return min(start, min(s.start for s in hit)), max(end, max(s.end for s in hit))


def format_lines(lines: list[Line], locations: dict[str, str]) -> str:
    if not lines:
        return "  (nothing: no rule, NER span or candidate touches this text)"
    out = []
    for ln in lines:
        tag = {"row": f"{ln.table} row", "ner": f"NER {ln.table}", "kept": f"{ln.table} kept",
               "dropped": f"{ln.table} DROPPED"}[ln.what]
        head = f"  [{ln.start}:{ln.end}] {tag:16} {ln.text!r}"
        if ln.what == "ner":
            out.append(f"{head}  {ln.detail}".rstrip())
            continue
        out.append(head)
        if ln.what == "row":
            if ln.detail:
                out.append(f"      {ln.detail}")
            out.append(f"      rule: {describe_rules(ln.rule, locations)}")
        else:
            out.append(f"      rule: {describe_rules(ln.rule, locations)}")
            out.append(f"      why: {ln.detail or '(no reason recorded)'}")
    return "\n".join(out)


def explain_span(doc: Document, start: int, end: int, locations: dict[str, str]) -> str:
    """The report for one span of an extracted document: its sentences, then what happened there."""
    a, b = window(doc, start, end)
    parts = []
    for s in doc.sentences:
        if _overlaps(s.start, s.end, a, b):
            kind = doc.block(s.block_id).kind
            parts.append(f"sentence {s.sentence_id} [{s.start}:{s.end}] ({kind}): {s.text}")
    parts.append("in reading order:")
    parts.append(format_lines(lines_in(doc, a, b), locations))
    return "\n".join(parts)


# -- output rows ---------------------------------------------------------------------------
def read_row(out_dir: Path, table: str, ref: str) -> tuple[int, dict[str, str]]:
    """The row `ref` names and its 1-based number: `ref` is that number, or `DOC_ID:START:END`, the
    row of that document with that span, which names the same row in every run that has it."""
    path = Path(out_dir) / f"{table.removesuffix('.csv')}.csv"
    if not path.is_file():
        raise InputError(str(path), "no such output table (run `make extract` first?)")
    rows = read_rows(path)[1]
    if ref.isdigit():
        number = int(ref)
        if not 1 <= number <= len(rows):
            raise InputError(str(path), f"row {number} out of range: the table has {len(rows)} data rows")
        return number, rows[number - 1]
    wanted = ref.rsplit(":", 2)
    if len(wanted) != 3:
        raise InputError(str(path), f"row {ref!r}: give a row number or DOC_ID:START:END")
    for number, row in enumerate(rows, 1):
        if [row.get("doc_id"), row.get("start"), row.get("end")] == wanted:
            return number, row
    raise InputError(str(path), f"no row of {wanted[0]} spans {wanted[1]}:{wanted[2]}")


def row_span(row: dict[str, str], doc: Document, table: str) -> tuple[int, int]:
    try:
        start, end = int(row["start"]), int(row["end"])
    except (KeyError, ValueError):
        raise InputError(table, "this table's rows have no start/end span to explain") from None
    if table == "sections":  # only its heading line
        line_end = doc.text.find("\n", start)
        end = min(end, line_end if line_end >= 0 else len(doc.text))
    return start, end


def same_row_now(doc: Document, table: str, row: dict[str, str]) -> str:
    """Whether the re-run produced this row again (same span), and with which rule ids."""
    attr = table.removesuffix(".csv")
    if not hasattr(doc, attr):
        return ""
    for rec in getattr(doc, attr):
        if str(getattr(rec, "start", "")) == row.get("start") and str(getattr(rec, "end", "")) == row.get("end"):
            rule = getattr(rec, "rule", "")
            changed = "" if rule == row.get("rule", rule) else f" (was {row.get('rule') or '-'})"
            return f"the re-run with the current rules gives this row again: rule {rule or '-'}{changed}"
    return "the re-run with the current rules does NOT give this row any more (rules changed since extract?)"


def extract_doc(doc_id: str, *, raw_dir: Path, rules_dir: Path, ner: bool) -> Document:
    """Extract the raw file of doc_id (`raw/<doc_id>.txt`, `.html`, `.pdf`) again with the rules in rules_dir."""
    from .reader import raw_path, read_raw
    from .ruleset import load_rules
    from .run import Extractor

    path = raw_path(raw_dir, doc_id)
    if path is None:
        raise InputError(str(Path(raw_dir) / f"{doc_id}.txt"), f"raw file of doc_id {doc_id!r} not found (use --raw)")
    rules = load_rules(rules_dir)
    raw = read_raw(path, Path(raw_dir))
    return Extractor(rules, ner=ner).extract(raw.document())


def explain_row(table: str, ref: str, *, out_dir: Path, raw_dir: Path, rules_dir: Path, ner: bool) -> str:
    table = table.removesuffix(".csv")
    number, row = read_row(out_dir, table, ref)
    doc_id = row.get("doc_id", "")
    doc = extract_doc(doc_id, raw_dir=raw_dir, rules_dir=rules_dir, ner=ner)
    start, end = row_span(row, doc, table)
    shown = {k: v for k, v in row.items() if k not in ("doc_id", "start", "end", "text", "rule") and v != ""}
    head = [f"{table}.csv row {number}: {doc_id} [{start}:{end}] {row.get('text') or doc.text[start:end]!r}",
            "  " + " ".join(f"{k}={v if len(v) <= 40 else v[:39] + '…'}" for k, v in shown.items()),
            f"  rule: {describe_rules(row.get('rule', ''), rule_locations(rules_dir))}",
            "  " + same_row_now(doc, table, row),
            f"  in any later run: explain {table} {doc_id}:{row.get('start')}:{row.get('end')}", ""]
    return "\n".join(head) + explain_span(doc, start, end, rule_locations(rules_dir))


def explain_at(doc_id: str, start: int, end: int, *, raw_dir: Path, rules_dir: Path, ner: bool) -> str:
    """What happens around [start, end) of a document: for a gold row `make eval` lists as a miss."""
    doc = extract_doc(doc_id, raw_dir=raw_dir, rules_dir=rules_dir, ner=ner)
    if not 0 <= start <= end <= len(doc.text):
        raise InputError(doc_id, f"span {start}:{end} outside the text (0:{len(doc.text)})")
    head = f"{doc_id} [{start}:{end}] {doc.text[start:end]!r}\n\n"
    return head + explain_span(doc, start, end, rule_locations(rules_dir))


def explain_text(text: str, *, rules_dir: Path, ner: bool) -> str:
    from .ruleset import load_rules
    from .run import Extractor

    doc = Extractor(load_rules(rules_dir), ner=ner).extract(Document("text", "", text))
    return explain_span(doc, 0, len(text), rule_locations(rules_dir))


# -- command line ---------------------------------------------------------------------------
def add_parser(sub) -> None:
    ap = sub.add_parser("explain", help="which rules, NER spans and dropped candidates made (or missed) a row",
                        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("table", nargs="?", help="output table, e.g. clauses (for output/clauses.csv)")
    ap.add_argument("row", nargs="?", help="1-based data row number in that table, or DOC_ID:START:END (stable)")
    ap.add_argument("--text", help="explain this text instead of an output row")
    ap.add_argument("--doc", help="explain a span of this document (doc_id) instead, with --span")
    ap.add_argument("--span", help="START:END in the --doc document, e.g. a miss listed by `make eval`")
    ap.add_argument("--output", type=Path, default=Path("output"), help="output folder (default: output)")
    ap.add_argument("--raw", type=Path, default=Path("raw"), help="raw folder (default: raw)")
    ap.add_argument("--rules", type=Path, default=Path("rules"), help="rule folder (default: rules)")
    ap.add_argument("--no-ner", action="store_true", help="skip the GiNZA NER stage (rules only)")


def main(args: argparse.Namespace) -> int:
    if args.text is not None:
        if args.table is not None:
            raise InputError("explain", "give either TABLE ROW or --text, not both")
        print(explain_text(args.text, rules_dir=args.rules, ner=not args.no_ner))
        return 0
    if args.doc is not None:
        try:
            start, end = (int(x) for x in (args.span or "").split(":"))
        except ValueError:
            raise InputError("explain", "--doc needs --span START:END (e.g. --span 900:906)") from None
        print(explain_at(args.doc, start, end, raw_dir=args.raw, rules_dir=args.rules, ner=not args.no_ner))
        return 0
    if args.table is None or args.row is None:
        raise InputError("explain", "give TABLE ROW (e.g. `explain clauses 3`), --text \"...\" "
                                    "or --doc DOC_ID --span START:END")
    print(explain_row(args.table, args.row, out_dir=args.output, raw_dir=args.raw, rules_dir=args.rules,
                      ner=not args.no_ner))
    return 0
