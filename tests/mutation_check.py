"""The mutation check: deliberate breaks, each applied alone to a throw-away copy of the repository
(the working tree is never changed), and the test that caught it.

    python tests/mutation_check.py [--only NAME ...] [--list]

For each break the tests named with it run (`pytest -x`); the first failing test is the catch,
and a break no test catches is a SURVIVOR (exit status 1). A break whose text is no longer in
the code is reported as "not applied" (the code moved on: update the break). Not collected by
pytest (no `test_` prefix); takes several minutes.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALL = "    def __call__(self, doc: Document) -> Document:\n"


@dataclass(frozen=True)
class Break:
    name: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]


def raise_in(stage: str, tests: tuple[str, ...]) -> Break:
    return Break(f"exception in stage {stage}", f"pipeline/stages/{stage}.py", CALL,
                 CALL + "        raise RuntimeError('mutation')\n", tests)


LOST = ("tests/test_property_extraction.py::test_no_document_is_lost",)

BREAKS = [
    Break("every date guard pattern set to (?!)", "pipeline/stages/dates.py",
          "self.guards = [(g, CompiledPattern.of(g.id, g.pattern)) for g in r.guards]",
          'self.guards = [(g, CompiledPattern.of(g.id, "(?!)")) for g in r.guards]', ("tests/test_dates_rules.py",)),
    Break("a guard disabled in the rules (date.guard.duration: (?!))", "tests/pinned_rules/dates.yaml",
          "  - id: date.guard.duration\n    pattern: '", "  - id: date.guard.duration\n    pattern: '(?!)",
          ("tests/test_dates_rules.py",)),
    Break("guard mechanism disabled (overlapping candidates kept)", "pipeline/stages/dates.py",
          "            if hit is None:\n", "            if True:\n", ("tests/test_dates_rules.py",)),
    raise_in("segment", LOST),
    raise_in("tokenize", LOST),
    raise_in("dates", LOST),
    raise_in("people", LOST),
    raise_in("venues", LOST),
    raise_in("meetings", LOST),
    raise_in("clauses", LOST),
    Break("the model's entities ignored (read returns nothing)", "pipeline/ner.py",
          "        out: list[Entity] = []\n        for (i, window), text, spans in zip(jobs, texts, found):",
          "        out: list[Entity] = []\n        found = [[] for _ in found]\n"
          "        for (i, window), text, spans in zip(jobs, texts, found):",
          ("tests/test_ner_doubts.py", "tests/test_people_venues_model.py")),
    Break("no doubt raised for a kanji run MeCab does not read as a name", "pipeline/stages/people.py",
          'if doubts is not None and not ner:\n                    alt = self._kanji_choice(',
          'if False:\n                    alt = self._kanji_choice(',
          ("tests/test_ner_doubts.py",)),
    Break("date offsets shifted by one", "pipeline/stages/dates.py",
          "                a, b = norm.raw_span(m.start(), m.end())\n",
          "                a, b = norm.raw_span(m.start(), m.end())\n                a, b = a + 1, b + 1\n",
          ("tests/test_dates_forms.py",)),
    Break("token offsets shifted by one", "pipeline/stages/tokenize.py",
          "                ra, rb = norm.raw_span(a, b)\n",
          "                ra, rb = norm.raw_span(a, b)\n                ra, rb = ra + 1, rb + 1\n",
          ("tests/test_reliability_long_input.py::test_long_paragraph_tokens_have_exact_offsets",)),
    Break("block end shifted by one (text kept)", "pipeline/stages/segment.py",
          "            blocks.append(Block(block_id, section_id, kind, line.start, line.end,\n",
          "            blocks.append(Block(block_id, section_id, kind, line.start, line.end + 1,\n",
          ("tests/test_segment_blocks.py", "tests/test_tables_writer.py")),
    Break("clause type swapped (agree -> confirm)", "pipeline/stages/clauses.py",
          "found.append(_Candidate(order, pred.rule.id, pred.rule.type,",
          "found.append(_Candidate(order, pred.rule.id, {'agree': 'confirm'}.get(pred.rule.type, pred.rule.type),",
          ("tests/test_clauses_predicates.py",)),
    Break("country marker ignored", "pipeline/stages/people.py",
          "        if c.tail.marker is not None:\n            mk = self.marker_rules[c.tail.marker]\n",
          "        if False:\n            mk = self.marker_rules[c.tail.marker]\n", ("tests/test_people_mentions.py",)),
    Break("meeting needs_date ignored", "pipeline/stages/meetings.py",
          "            if rule.needs_date and seg.paren is None:", "            if False:",
          ("tests/test_meetings_headings.py",)),
    Break("atomic swap skipped (tables written straight into the output)", "pipeline/tables.py",
          "            self.tmp = Path(tempfile.mkdtemp(prefix=f\"{tmp_prefix(self.out)}{os.getpid()}-\", dir=self.out.parent))\n",
          "            self.out.mkdir(exist_ok=True)\n            self.tmp = self.out\n",
          ("tests/test_tables_writer.py",)),
    Break("stale temporary folders kept", "pipeline/tables.py",
          "        if pid.isdigit() and not _alive(int(pid)):\n", "        if False:\n", ("tests/test_tables_writer.py",)),
    Break("any --out replaced (no marker check)", "pipeline/tables.py",
          "    if path.is_symlink():\n        raise OutputError", "    return\n    if path.is_symlink():\n        raise OutputError",
          ("tests/test_cli_safety.py",)),
    Break("no lock", "pipeline/tables.py", "            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\n", "            pass\n",
          ("tests/test_cli_safety.py", "tests/test_tables_writer.py")),
    Break("no marker written", "pipeline/tables.py",
          "            (self.tmp / MARKER).write_text(MARKER_TEXT, encoding=\"utf-8\")\n", "", ("tests/test_cli_safety.py",)),
    Break("a run without documents replaces the output", "pipeline/run.py", "    if not paths:\n", "    if False:\n",
          ("tests/test_cli_safety.py",)),
    Break("unread raw files not named", "pipeline/run.py", "    for path in unread:\n", "    for path in ():\n",
          ("tests/test_cli_safety.py",)),
    Break("--fail-fast ignored", "pipeline/run.py", "                    if settings.fail_fast:\n                        stopped[0] = True",
          "                    if False:\n                        stopped[0] = True", ("tests/test_cli_extract.py",)),
    Break("formula cells not escaped", "pipeline/tables.py",
          "    return ESCAPE + value if value.startswith(FORMULA_START + (ESCAPE,)) else value\n", "    return value\n",
          ("tests/test_tables_writer.py",)),
    Break("person overlap never found", "pipeline/overlap.py", "        return k >= 0 and self.reach[k] > a\n",
          "        return False\n", ("tests/test_overlap_covered.py",)),
    Break("stored rows found for any text", "pipeline/stagecache.py",
          'want = {"version": self.version, "doc_id": doc_id, "raw": raw, "final": final}',
          'want = {"version": self.version, "doc_id": doc_id, "final": final}', ("tests/test_stage_cache.py",)),
    Break("column-wise rows skip the formula escape", "pipeline/tables.py",
          "(exact or not value or value[0] not in _RISKY)", "True", ("tests/test_tables_writer.py",)),
    Break("rows breaking offsets kept", "pipeline/tables.py", "    broken = broken_rows(doc, tables)\n    if not broken:",
          "    broken = broken_rows(doc, tables)\n    if True:", ("tests/test_tables_writer.py",)),
    Break("CRLF kept", "pipeline/reader.py", '    text = text.replace("\\r\\n", "\\n").replace("\\r", "\\n")\n', "",
          ("tests/test_reader_encodings.py",)),
    Break("stage cache ignores rule content", "pipeline/stagecache.py",
          "    parts = []\n    for name in sorted(names):", "    parts = []\n    for name in sorted(names)[:0]:",
          ("tests/test_stage_cache.py",)),
    Break("--jobs accepts negatives", "pipeline/cli.py", "        if value is None or value < minimum:",
          "        if value is None:", ("tests/test_cli_safety.py",)),
    Break("--min-f1 accepts any score name", "pipeline/evaluate.py", "    if key not in SCORE_NAMES:", "    if False:",
          ("tests/test_cli_safety.py",)),
    Break("stray rule file fatal again", "pipeline/ruleset.py", "            if near:\n", "            if True:\n",
          ("tests/test_cli_safety.py",)),
    Break("rule examples never checked", "pipeline/examples.py",
          '    where = f"{Path(folder) / item.file}:{item.line} rule {item.rule_id}"\n',
          '    where = f"{Path(folder) / item.file}:{item.line} rule {item.rule_id}"\n    return ""\n',
          ("tests/test_cli_safety.py::test_check_rules_runs_every_rule_example",)),
]


def copy_repo(dest: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)


def run_break(b: Break, base: Path) -> tuple[str, float]:
    work = Path(tempfile.mkdtemp(prefix="mutation-", dir=base))
    try:
        copy_repo(work)
        path = work / b.file
        text = path.read_text(encoding="utf-8")
        if text.count(b.old) != 1:
            return f"not applied ({text.count(b.old)} matches of the break's text)", 0.0
        path.write_text(text.replace(b.old, b.new), encoding="utf-8")
        began = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
                               *b.tests], cwd=work, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(work), "HAKUSHO_HYPOTHESIS": "no-shrink"}, timeout=3600)
        seconds = time.monotonic() - began
        failed = re.findall(r"^FAILED (\S+)", done.stdout, re.M) or re.findall(r"^ERROR (\S+)", done.stdout, re.M)
        if done.returncode == 0:
            return "SURVIVED", seconds
        return (failed[0] if failed else f"pytest exit {done.returncode}: {done.stdout.strip().splitlines()[-1:]}"), seconds
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", help="run only the breaks whose name contains one of these words")
    ap.add_argument("--list", action="store_true", help="list the breaks and exit")
    args = ap.parse_args()
    chosen = [b for b in BREAKS if not args.only or any(w in b.name for w in args.only)]
    if args.list:
        for b in chosen:
            print(f"{b.name}  ({b.file}; tests: {' '.join(b.tests)})")
        return 0
    survivors = 0
    print("| # | break | file | caught by | s |\n|---|---|---|---|---|", flush=True)
    with tempfile.TemporaryDirectory(prefix="hakusho-mutations-") as base:
        for k, b in enumerate(chosen, 1):
            caught, seconds = run_break(b, Path(base))
            survivors += caught == "SURVIVED"
            print(f"| {k} | {b.name} | {b.file} | {caught} | {seconds:.0f} |", flush=True)
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
