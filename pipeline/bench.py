"""`python -m pipeline bench`: how fast is a whole edition, cold and warm, against naive GiNZA?

1. Builds a synthetic edition of N characters (default 1,000,000; ~5,000 characters per
   file, so ~200 files) from the raw seed (`--seed`, default raw/): every copy of a seed
   line is perturbed (years, days, era years, names before titles) and a line that
   would still repeat gets a numbered marker, so no two lines are equal and no cache
   can cheat.
2. Runs `python -m pipeline extract` on it as a subprocess (so memory is measured for
   the whole process tree), into a temporary --out and --cache (never into output/):
   - cold: empty cache (median of --repeat runs, each with a fresh cache);
   - warm: after a real rules-only change (a new predicate rule added to the copy of
     clauses.yaml, a different one each run), with the cache the cold run filled (median of
     --repeat runs): the stage cache re-runs only the clause stage;
   - touch: after a comment-only edit of a rule file (blocks.yaml, the first stage's): the
     validated rules are unchanged, so nothing re-runs (median of --repeat runs).
   - one file: the same text as ONE file (an edition saved from a PDF as text), cold, once.
   Sizes: every value of --chars (default 100,000 and 1,000,000: chars/s at both shows
   whether cost grows linearly).
3. Runs the naive baseline once: GiNZA's full pipeline with default ops (`nlp(paragraph)`
   for every paragraph) on a --naive-chars slice (default 100,000) of the edition; its
   time for N characters is EXTRAPOLATED linearly from that slice (model load excluded).
4. Times every stage on ONE document (the edition's files joined) at each of --stage-chars
   (default 1,000,000 and 2,000,000 characters), in process, CPU seconds per stage, and the ratio
   of the largest size to the smallest: a stage that is linear in document length doubles when the
   text doubles. GiNZA NER is left out unless --stage-ner (it reads windows, whose number grows
   with the text; left out, the table measures the rule stages and MeCab).
5. Prints a table and writes JSON (default output.bench/bench.json, beside output/, so an
   extract never swaps it away; `--json PATH` to choose).

Peak memory: `rss_max` is the largest single process of the tree (wait4 rusage, i.e.
what RUSAGE_CHILDREN reports); `pss_tree` is the sampled peak of the sum of PSS over
the process tree (shared pages split between processes, so the sum is real memory).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .cli import JOBS, at_least, cores

COMMAND = "bench"
CHARS_PER_FILE = 5_000

_KATAKANA = "アイカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
_KANJI = "山川田中村井本林森松竹石原上下島岡西東北南野口藤高橋小大水木金谷池宮坂内長谷"
_TITLE_AFTER = r"[米英仏独印比韓豪中露加伊]?\p{Han}{0,6}(?:大統領|長官|大臣|首相)"


def _sizes(text: str) -> list[int]:
    """`--chars`: edition sizes, comma separated, each a positive whole number."""
    return [at_least(1)(x.strip()) for x in text.split(",") if x.strip()] or [at_least(1)(text)]


def add_parser(sub) -> None:
    bp = sub.add_parser(COMMAND, help="benchmark cold/warm extract against naive GiNZA on a synthetic edition")
    bp.add_argument("--seed", type=Path, default=Path("raw"), help="raw folder the edition is built from")
    bp.add_argument("--rules", type=Path, default=Path("rules"))
    bp.add_argument("--chars", type=_sizes, default=[100_000, 1_000_000], help="edition sizes, comma separated")
    bp.add_argument("--naive-chars", type=at_least(1), default=100_000, help="slice the naive baseline runs on")
    bp.add_argument("--repeat", type=at_least(1), default=3, help="runs per measurement (median reported)")
    bp.add_argument("--jobs", type=JOBS, default=0, help="extract --jobs (default 0: one per core)")
    bp.add_argument("--json", type=Path, default=Path("output.bench/bench.json"), help="where the JSON goes")
    bp.add_argument("--no-naive", action="store_true", help="skip the naive baseline")
    bp.add_argument("--no-one-file", action="store_true", help="skip the cold run of each edition as ONE file")
    bp.add_argument("--keep", action="store_true", help="keep the temporary folder (edition, outputs, caches)")
    bp.add_argument("--stage-chars", type=_sizes, default=[1_000_000, 2_000_000],
                    help="sizes of the one-document stage timing, comma separated")
    bp.add_argument("--stage-ner", action="store_true", help="include GiNZA NER in the stage timing")
    bp.add_argument("--no-stages", action="store_true", help="skip the one-document stage timing")
    bp.add_argument("--archive", action="store_true",
                    help="the archive run instead: --editions editions of --edition-chars each (one folder per "
                         "year), cold, then a run killed half-way and its resume")
    bp.add_argument("--editions", type=at_least(1), default=20, help="editions of the archive run")
    bp.add_argument("--edition-chars", type=at_least(1), default=1_000_000, help="characters per archive edition")
    bp.add_argument("--no-ner", action="store_true", help="extract with --no-ner (rules and MeCab only)")
    bp.add_argument("--naive-worker", type=Path, help=argparse.SUPPRESS)


# -- the synthetic edition ---------------------------------------------------------------
def _seed_lines(seed: Path) -> list[str]:
    from .reader import list_raw, read_raw

    lines: list[str] = []
    for path in list_raw(seed):
        lines.extend(read_raw(path, seed).text.split("\n"))
    return lines


class _Perturber:
    """Perturbs the lines of one copy: shifted years/days, other names before titles."""

    def __init__(self, copy: int):
        import regex

        self.rng = random.Random(copy)
        self.year = self.rng.randint(1, 9)
        self.day = self.rng.randint(1, 27)
        self.names: dict[str, str] = {}
        self.regex = regex

    def _name(self, old: str, alphabet: str) -> str:
        if old not in self.names:
            parts = old.split("・")
            self.names[old] = "・".join("".join(self.rng.choice(alphabet) for _ in range(max(2, len(p))))
                                        for p in parts)
        return self.names[old]

    def line(self, text: str) -> str:
        sub = self.regex.sub
        y, d = self.year, self.day
        text = sub(r"(\d{1,4})\((平成|令和|昭和|同)(\d{1,2})(年?)\)", lambda m: (
            f"{int(m[1]) + y}({m[2]}{int(m[3]) + y}{m[4]})"), text)
        text = sub(r"(?<![\d(])(平成|令和|昭和|同)(\d{1,2})年", lambda m: f"{m[1]}{int(m[2]) + y}年", text)
        text = sub(r"(?<![\d.]|平成|令和|昭和|同)(\d{1,2})年(?!度?以)", lambda m: f"{int(m[1]) + y}年", text)
        text = sub(r"(?<![\d.])(\d{1,2})日", lambda m: f"{(int(m[1]) - 1 + d) % 28 + 1}日", text)
        text = sub(r"([\p{Katakana}ー・]{2,})(?=" + _TITLE_AFTER + ")",
                   lambda m: self._name(m[1], _KATAKANA), text)
        text = sub(r"(?<!\p{Han})(\p{Han}{2})(?=(?:防衛|外務|内閣総理|国防)大臣)",
                   lambda m: self._name(m[1], _KANJI), text)
        return text


def build_edition(seed: Path, chars: int, folder: Path, *, year: str = "2099", state: dict | None = None) -> dict:
    """Write a synthetic edition of about `chars` characters into folder/<year>/*.txt. Editions built
    with one `state` (an archive) share it, so that no line of one repeats in another."""
    lines = [ln for ln in _seed_lines(seed)]
    if not any(ln.strip() for ln in lines):
        raise SystemExit(f"bench: no text in {seed}/")
    n_files = max(1, round(chars / CHARS_PER_FILE))
    per_file = chars / n_files
    state = {"seen": set(), "marked": 0, "files": 0} if state is None else state
    seen: set[str] = state["seen"]
    total, marked, first = 0, state["marked"], state["files"]
    for i in range(n_files):
        perturb, wrap = _Perturber((first + i) * 1000), 0
        out: list[str] = []
        size, k = 0, (i * 37) % len(lines)
        while size < per_file:
            line = lines[k]
            new = perturb.line(line) if line.strip() else line
            if new.strip() and new in seen:
                marked += 1
                tail = "。" if new.endswith("。") else ""
                new = f"{new[:len(new) - len(tail)]}(第{marked}例){tail}"
            if new.strip():
                seen.add(new)
            out.append(new)
            size += len(new) + 1
            k += 1
            if k == len(lines):
                k, wrap = 0, wrap + 1
                perturb = _Perturber((first + i) * 1000 + wrap)
        path = folder / year / f"bench_{i:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "\n".join(out) + "\n"
        path.write_text(text, encoding="utf-8")
        total += len(text)
    state["marked"], state["files"] = marked, first + n_files
    return {"chars": total, "files": n_files, "lines": len(seen), "marked_lines": marked}


def build_archive(seed: Path, editions: int, chars: int, folder: Path) -> dict:
    """`editions` synthetic editions of about `chars` characters each, one folder per year from 2005."""
    state: dict = {"seen": set(), "marked": 0, "files": 0}
    total = files = 0
    for e in range(editions):
        built = build_edition(seed, chars, folder, year=str(2005 + e), state=state)
        total, files = total + built["chars"], files + built["files"]
    return {"chars": total, "files": files, "editions": editions, "lines": len(state["seen"]),
            "marked_lines": state["marked"]}


def ner_share(edition: Path, rules_dir: Path, sample: int = 100_000) -> dict:
    """How much text GiNZA reads: the rules run on the edition's first `sample` characters with a
    model that only counts the windows around their doubts (no model is loaded)."""
    from .document import Document
    from .ner import EntityModel
    from .reader import list_raw, read_raw
    from .ruleset import load_rules
    from .run import Extractor

    class Counting(EntityModel):
        read_chars = 0

        def spans(self, texts):
            self.read_chars += sum(map(len, texts))
            return [[] for _ in texts]

    rules = load_rules(rules_dir)
    model = Counting(rules.get("ner"))
    extractor = Extractor(rules, model=model)
    total = sampled = 0
    for path in list_raw(edition):
        raw = read_raw(path, edition)
        total += len(raw.text)
        if sampled < sample:
            extractor.extract(Document(raw.doc_id, raw.edition, raw.text))
            sampled += len(raw.text)
    share = model.read_chars / max(1, sampled)
    return {"chars": total, "sampled_chars": sampled, "ner_chars": round(share * total), "ner_share": round(share, 4)}


def add_predicate(path: Path, rule_id: str) -> None:
    """A real rules-only change: a new predicate rule at the top of the predicates of clauses.yaml."""
    text = path.read_text(encoding="utf-8")
    rule = (f"predicates:\n  - id: {rule_id}\n    type: confirm\n    tokens:\n      - {{lemma: 確認}}\n"
            f"      - {{lemma: する}}\n")
    if "\npredicates:\n" not in text:
        raise SystemExit(f"bench: no 'predicates:' list in {path}")
    path.write_text(text.replace("\npredicates:\n", "\n" + rule, 1), encoding="utf-8")


# -- measuring a subprocess tree ---------------------------------------------------------
def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                stat = fh.read()
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _tree_pss_kb(root: int) -> int:
    kids, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(kids.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total


def measure(cmd: list[str], *, cwd: Path) -> dict:
    """Run a command; wall seconds, largest-process RSS (wait4) and sampled tree PSS peak."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out, \
            tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        began = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, text=True)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _tree_pss_kb(proc.pid))
                done.wait(0.5)  # reading smaps of large processes costs CPU: sample sparingly

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)  # rusage of this child and its waited-for children
        seconds = time.perf_counter() - began
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().strip(), err.read().strip()
    rss_kb = usage.ru_maxrss
    return {"seconds": round(seconds, 2), "rss_max_mb": round(rss_kb / 1024), "pss_tree_mb": round(peak[0] / 1024),
            "returncode": proc.returncode, "stdout": stdout.splitlines()[-1:], "stderr": stderr.splitlines()[-3:]}


def _median(runs: list[dict], key: str) -> float:
    return round(statistics.median(r[key] for r in runs), 2)


def _summary(runs: list[dict], chars: int) -> dict:
    seconds = _median(runs, "seconds")
    return {"runs": len(runs), "seconds": seconds, "seconds_all": [r["seconds"] for r in runs],
            "chars_per_s": round(chars / seconds) if seconds else None,
            "rss_max_mb": max(r["rss_max_mb"] for r in runs), "pss_tree_mb": max(r["pss_tree_mb"] for r in runs),
            "ok": all(r["returncode"] == 0 for r in runs), "last_stdout": runs[-1]["stdout"],
            "last_stderr": runs[-1]["stderr"]}


# -- the stages on one long document -------------------------------------------------------
def stage_times(edition: Path, rules_dir: Path, *, ner: bool) -> dict[str, float]:
    """CPU seconds of every stage on ONE document: the edition's files joined in name order."""
    from .document import Document
    from .ruleset import load_rules
    from .run import Extractor, fewer_collections

    text = "".join(p.read_text(encoding="utf-8") for p in sorted(edition.rglob("*.txt")))
    fewer_collections()  # as a worker runs
    doc = Document("2099/one", "2099", text)
    times = {"chars": float(len(text))}
    for name, stage in Extractor(load_rules(rules_dir), ner=ner).stages:
        began = time.process_time()
        doc = stage(doc)
        times[name] = round(time.process_time() - began, 3)
    return times


def render_stages(timing: dict) -> str:
    """The per-stage table: CPU seconds at each size and the ratio of the largest to the smallest."""
    sizes = list(timing["sizes"])
    names = [n for n in timing["sizes"][sizes[0]] if n != "chars"]
    head = (["stage (one document, CPU s)"] + [f"{int(timing['sizes'][k]['chars']):,} chars" for k in sizes]
            + [f"ratio x{timing['growth']:.2f}"])
    rows = [head]
    for n in names + ["total"]:
        values = [sum(v for k, v in timing["sizes"][k].items() if k != "chars") if n == "total"
                  else timing["sizes"][k][n] for k in sizes]
        ratio = values[-1] / values[0] if values[0] else float("nan")
        rows.append([n] + [f"{v:.2f}" for v in values] + [f"{ratio:.2f}"])
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    lines.append(f"(text x{timing['growth']:.2f}; NER {'included' if timing['ner'] else 'left out (--stage-ner)'}; "
                 f"linear stages have a ratio near the text's)")
    return "\n".join(lines)


# -- the archive: many editions, a kill and a resume ---------------------------------------
def _cache_bytes(cache: Path) -> int:
    return sum(p.stat().st_size for p in cache.rglob("*") if p.is_file()) if cache.exists() else 0


def _stage_files(cache: Path) -> dict[str, int]:
    """name -> mtime (ns) of the first stage file of every document whose rows are in the cache (a finished
    document): the file is rewritten only when the document is extracted again."""
    finished = {p.name.split(".")[0] for p in cache.glob("stages-*/*.tables")}
    return {p.name: p.stat().st_mtime_ns for p in cache.glob("stages-*/*.s0") if p.name.split(".")[0] in finished}


def killed_run(cmd: list[str], *, cwd: Path, cache: Path, docs: int) -> dict:
    """Run a command and SIGKILL its whole process tree once `docs` documents have their rows in the cache."""
    import signal

    began = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    while proc.poll() is None and len(list(cache.glob("stages-*/*.tables"))) < docs:
        time.sleep(0.5)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return {"seconds": round(time.perf_counter() - began, 2), "returncode": proc.returncode,
            "docs_done": len(list(cache.glob("stages-*/*.tables")))}


def archive(args, work: Path, py: list[str], root: Path, jobs: int) -> dict:
    """Cold run of the whole archive (memory, throughput), a 1M reference (its first edition alone), then a
    run killed half-way and its resume: time, documents extracted again, tables equal to the cold run's."""
    folder = work / "archive"
    built = build_archive(args.seed, args.editions, args.edition_chars, folder)
    print(f"bench: archive of {built['chars']:,} chars in {built['files']} files ({built['editions']} editions)",
          file=sys.stderr)
    reference = work / "reference"
    first = sorted(p for p in folder.iterdir() if p.is_dir())[0]
    shutil.copytree(first, reference / first.name)  # a copy: the raw folder's glob follows no symlink
    ref_chars = sum(len(p.read_text(encoding="utf-8")) for p in first.glob("*.txt"))

    def extract(raw: Path, name: str, *extra: str) -> list[str]:
        return py + ["extract", "--raw", str(raw), "--rules", str(work / "rules"), "--out", str(work / f"out-{name}"),
                     "--jobs", str(jobs), "--cache", str(work / f"cache-{name}"), *extra] + \
            (["--no-ner"] if args.no_ner else [])

    unbounded = ("--cache-max-size", "1T")  # the resume check counts stage files: none may be evicted

    ref = measure(extract(reference, "reference"), cwd=root)
    print(f"bench: reference edition ({ref_chars:,} chars) cold: {ref['seconds']} s", file=sys.stderr)
    cold = measure(extract(folder, "archive"), cwd=root)
    print(f"bench: archive cold: {cold['seconds']} s, tree PSS peak {cold['pss_tree_mb']} MB", file=sys.stderr)
    killed = killed_run(extract(folder, "resume", *unbounded), cwd=root, cache=work / "cache-resume",
                        docs=built["files"] // 2)
    done = _stage_files(work / "cache-resume")
    print(f"bench: killed after {killed['docs_done']} documents ({killed['seconds']} s)", file=sys.stderr)
    resume = measure(extract(folder, "resume", *unbounded), cwd=root)
    after = _stage_files(work / "cache-resume")
    again = sum(1 for name, mtime in done.items() if after.get(name) != mtime)
    same = all((work / "out-archive" / p.name).read_bytes() == p.read_bytes()
               for p in (work / "out-resume").glob("*.csv"))
    print(f"bench: resume: {resume['seconds']} s; {again} finished documents extracted again; "
          f"tables {'equal' if same else 'DIFFERENT'}", file=sys.stderr)
    return {"built": built, "ner": not args.no_ner, "reference": {"chars": ref_chars, **_summary([ref], ref_chars)},
            "cold": _summary([cold], built["chars"]), "killed": killed, "resume": _summary([resume], built["chars"]),
            "resume_docs_done_before": len(done), "resume_docs_extracted_again": again, "resume_tables_equal": same,
            "cache_mb_after_cold": round(_cache_bytes(work / "cache-archive") / 2**20, 1),
            "cache_mb_after_resume": round(_cache_bytes(work / "cache-resume") / 2**20, 1)}


def render_archive(a: dict) -> str:
    cold, ref, resume = a["cold"], a["reference"], a["resume"]
    lines = [f"archive: {a['built']['chars']:,} chars in {a['built']['files']} files ({a['built']['editions']} "
             f"editions), {'with' if a['ner'] else 'without'} NER",
             f"  cold: {cold['seconds']:.1f} s, {cold['chars_per_s']:,} chars/s (one edition alone: "
             f"{ref['chars_per_s']:,} chars/s); peak tree PSS {cold['pss_tree_mb']:,} MB, largest process "
             f"{cold['rss_max_mb']:,} MB RSS",
             f"  killed after {a['killed']['docs_done']} documents ({a['killed']['seconds']:.1f} s); resume "
             f"{resume['seconds']:.1f} s, {a['resume_docs_extracted_again']} of {a['resume_docs_done_before']} "
             f"finished documents extracted again, tables {'equal to' if a['resume_tables_equal'] else 'DIFFERENT from'}"
             f" the cold run's",
             f"  cache: {a['cache_mb_after_cold']:,} MB after the cold run (default --cache-max-size 1G), "
             f"{a['cache_mb_after_resume']:,} MB after the resume (unbounded)"]
    return "\n".join(lines)


# -- the naive baseline -------------------------------------------------------------------
def naive_worker(folder: Path) -> int:
    """GiNZA's full pipeline, default ops, one `nlp(paragraph)` per paragraph; prints JSON."""
    import spacy

    from .ner import byte_chunks

    began = time.perf_counter()
    nlp = spacy.load("ja_ginza")
    loaded = time.perf_counter()
    chars = 0
    for path in sorted(folder.rglob("*.txt")):
        for para in path.read_text(encoding="utf-8").split("\n"):
            para = para.strip()
            for a, b in byte_chunks(para):
                nlp(para[a:b])
            chars += len(para)
    end = time.perf_counter()
    print(json.dumps({"chars": chars, "load_s": round(loaded - began, 2), "process_s": round(end - loaded, 2)}))
    return 0


def _slice(edition: Path, chars: int, folder: Path) -> int:
    """Copy whole files of the edition into folder until `chars` characters."""
    total = 0
    for path in sorted(edition.rglob("*.txt")):
        if total >= chars:
            break
        target = folder / path.relative_to(edition)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        total += len(path.read_text(encoding="utf-8"))
    return total


# -- the command --------------------------------------------------------------------------
def main(args) -> int:
    if args.naive_worker:
        return naive_worker(args.naive_worker)
    root = Path.cwd()
    jobs = cores(args.jobs)
    sizes = args.chars
    work = Path(tempfile.mkdtemp(prefix="hakusho-bench-"))
    py = [sys.executable, "-m", "pipeline"]
    report: dict = {"machine": {"cores": os.cpu_count(), "jobs": jobs, "load_avg_at_start": os.getloadavg()},
                    "repeat": args.repeat, "sizes": {}, "work_dir": str(work) if args.keep else None}
    try:
        rules = work / "rules"
        shutil.copytree(args.rules, rules)
        if args.archive:
            report["archive"] = archive(args, work, py, root, jobs)
            sizes = []
        for chars in sizes:
            edition = work / f"edition-{chars}"
            built = build_edition(args.seed, chars, edition)
            share = ner_share(edition, rules)
            print(f"bench: {built['chars']:,} chars in {built['files']} files; NER reads "
                  f"~{share['ner_chars']:,} chars ({share['ner_share']:.1%} of the text, where the rules are in doubt)", file=sys.stderr)
            cold, warm, touch = [], [], []
            for r in range(args.repeat):
                cache = work / f"cache-{chars}-{r}"
                cmd = py + ["extract", "--raw", str(edition), "--rules", str(rules), "--out",
                            str(work / f"out-{chars}"), "--jobs", str(jobs), "--cache", str(cache)] + \
                    (["--no-ner"] if args.no_ner else [])
                cold.append(measure(cmd, cwd=root))
                print(f"bench: {chars:,} cold run {r + 1}: {cold[-1]['seconds']} s", file=sys.stderr)
                if r == args.repeat - 1:
                    for w in range(args.repeat):
                        add_predicate(rules / "clauses.yaml", f"clause.bench.c{chars}_{w}")
                        warm.append(measure(cmd, cwd=root))
                        print(f"bench: {chars:,} warm run {w + 1} (new clause rule): {warm[-1]['seconds']} s",
                              file=sys.stderr)
                    for w in range(args.repeat):
                        with open(rules / "blocks.yaml", "a", encoding="utf-8") as fh:
                            fh.write(f"\n# bench: a comment-only change ({chars} {w})\n")
                        touch.append(measure(cmd, cwd=root))
                        print(f"bench: {chars:,} touch run {w + 1} (comment only): {touch[-1]['seconds']} s",
                              file=sys.stderr)
                shutil.rmtree(cache, ignore_errors=True) if r < args.repeat - 1 else None
            entry = {"edition": built, "ner": share, "cold": _summary(cold, built["chars"]),
                     "warm": _summary(warm, built["chars"]), "touch": _summary(touch, built["chars"])}
            if not args.no_one_file:  # the same text as ONE file (an edition saved from a PDF), cold
                one = work / f"one-{chars}" / "2099"
                one.mkdir(parents=True)
                with open(one / "edition.txt", "w", encoding="utf-8") as fh:
                    for path in sorted(edition.rglob("*.txt")):
                        fh.write(path.read_text(encoding="utf-8"))
                cmd = py + ["extract", "--raw", str(one.parent), "--rules", str(rules), "--out",
                            str(work / f"out-one-{chars}"), "--jobs", str(jobs), "--cache",
                            str(work / f"cache-one-{chars}")] + (["--no-ner"] if args.no_ner else [])
                entry["one_file"] = _summary([measure(cmd, cwd=root)], built["chars"])
                print(f"bench: {chars:,} as one file, cold: {entry['one_file']['seconds']} s", file=sys.stderr)
            entry["warm_over_cold"] = round(entry["warm"]["seconds"] / entry["cold"]["seconds"], 3)
            entry["touch_over_cold"] = round(entry["touch"]["seconds"] / entry["cold"]["seconds"], 3)
            report["sizes"][str(chars)] = entry
        if not args.no_naive and sizes:
            sliced = work / "naive-slice"
            n = _slice(work / f"edition-{sizes[-1]}", args.naive_chars, sliced)
            m = measure(py + [COMMAND, "--naive-worker", str(sliced)], cwd=root)
            info = json.loads(m["stdout"][0]) if m["returncode"] == 0 and m["stdout"] else {}
            rate = info["chars"] / info["process_s"] if info.get("process_s") else None
            report["naive"] = {"slice_chars": n, **info, "chars_per_s": round(rate) if rate else None,
                               "rss_max_mb": m["rss_max_mb"], "pss_tree_mb": m["pss_tree_mb"], "seconds": m["seconds"],
                               "ok": m["returncode"] == 0, "stderr": m["stderr"],
                               "note": "time for N chars is extrapolated linearly from the slice (model load excluded)"}
            for chars, entry in report["sizes"].items():
                if rate:
                    naive_s = entry["edition"]["chars"] / rate
                    entry["naive_extrapolated_s"] = round(naive_s, 1)
                    entry["cold_over_naive"] = round(entry["cold"]["seconds"] / naive_s, 4)
        if not args.no_stages and not args.archive:
            timing: dict = {"ner": args.stage_ner, "sizes": {}}
            for chars in args.stage_chars:
                edition = work / f"stage-{chars}"  # one-{chars} holds the one-file cold run's edition
                build_edition(args.seed, chars, edition)
                timing["sizes"][str(chars)] = stage_times(edition, rules, ner=args.stage_ner)
                shutil.rmtree(edition, ignore_errors=True)
                print(f"bench: stages on one document of {chars:,} chars: "
                      f"{sum(v for k, v in timing['sizes'][str(chars)].items() if k != 'chars'):.1f} CPU s",
                      file=sys.stderr)
            sizes = list(timing["sizes"].values())
            timing["growth"] = round(sizes[-1]["chars"] / sizes[0]["chars"], 3)
            report["stages"] = timing
        report["load_avg_at_end"] = os.getloadavg()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    parts = [render(report)] if report["sizes"] else []
    if "stages" in report:
        parts.append(render_stages(report["stages"]))
    if "archive" in report:
        parts.append(render_archive(report["archive"]))
    table = "\n\n".join(parts)
    args.json.with_suffix(".txt").write_text(table + "\n", encoding="utf-8")
    print(table)
    print(f"(JSON: {args.json})")
    ok = all(e["cold"]["ok"] and e["warm"]["ok"] and e["touch"]["ok"] for e in report["sizes"].values()) and \
        ("archive" not in report or (report["archive"]["cold"]["ok"] and report["archive"]["resume"]["ok"]
                                     and report["archive"]["resume_tables_equal"]))
    return 0 if ok else 1


def render(report: dict) -> str:
    rows = [("measurement", "chars", "median s", "chars/s", "max proc RSS MB", "tree PSS MB", "runs")]
    for chars, e in report["sizes"].items():
        n = e["edition"]["chars"]
        for kind, label in (("cold", "cold extract"), ("one_file", "cold extract, as ONE file"),
                            ("warm", "warm: new clause rule"), ("touch", "warm: comment-only edit")):
            if kind not in e:
                continue
            s = e[kind]
            rows.append((f"{label}{'' if s['ok'] else ' (FAILED)'}", f"{n:,}", f"{s['seconds']:.1f}",
                         f"{s['chars_per_s']:,}", str(s["rss_max_mb"]), str(s["pss_tree_mb"]), str(s["runs"])))
        if "naive_extrapolated_s" in e:
            rows.append(("naive GiNZA (extrapolated)", f"{n:,}", f"{e['naive_extrapolated_s']:.1f}",
                         f"{report['naive']['chars_per_s']:,}", "", "", "1 slice"))
    nv = report.get("naive")
    if nv:
        rows.append((f"naive GiNZA slice{'' if nv['ok'] else ' (FAILED)'}", f"{nv.get('chars', 0):,}",
                     f"{nv.get('process_s', 0):.1f}", f"{nv.get('chars_per_s') or 0:,}", str(nv["rss_max_mb"]),
                     str(nv["pss_tree_mb"]), "1"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    for chars, e in report["sizes"].items():
        extra = f", cold/naive {e['cold_over_naive']:.3f}" if "cold_over_naive" in e else ""
        touch = f", touch/cold {e['touch_over_cold']:.3f}" if "touch_over_cold" in e else ""
        lines.append(f"{int(chars):,}: warm/cold {e['warm_over_cold']:.3f}{touch}{extra}; NER read "
                     f"{e['ner']['ner_chars']:,} chars ({e['ner']['ner_share']:.1%} of the text, doubts)")
    lines.append(f"{report['machine']['cores']} cores, --jobs {report['machine']['jobs']}, load average "
                 f"{report['machine']['load_avg_at_start'][0]:.1f} at start (other work on the machine skews timings)")
    return "\n".join(lines)
