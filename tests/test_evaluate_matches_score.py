"""`pipeline eval` gives the same numbers as the shared scorer (../shared/eval/score.py).

The shared scorer is an independent implementation, so it is the oracle here: both run on
the same output folders -- perturbed copies of the gold tables (spans shifted, fields
changed, rows dropped, duplicated and invented) and a real rules-only extraction of the
seed -- and every score's hits/gold/pred must agree.
"""
from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.evaluate import TABLES, evaluate

ROOT = Path(__file__).resolve().parent.parent
SCORE_PY = ROOT.parent / "shared" / "eval" / "score.py"
GOLD_SETS = {"seed": (ROOT / "tests" / "gold", ROOT / "raw"),
             "dev": (ROOT / "tests" / "gold-dev", ROOT / "tests" / "data" / "dev" / "raw")}


def score_py(out_dir: Path, gold_dir: Path, raw_dir: Path) -> dict:
    result = subprocess.run([sys.executable, str(SCORE_PY), "--output", str(out_dir), "--gold", str(gold_dir),
                             "--raw", str(raw_dir), "--json"], capture_output=True, text=True, encoding="utf-8",
                            timeout=120, check=True)
    return json.loads(result.stdout)


def ours(out_dir: Path, gold_dir: Path, raw_dir: Path) -> dict:
    report = evaluate(out_dir, gold_dir, raw_dir)
    return {"scores": {k: {"hits": c.hits, "gold": c.gold, "pred": c.pred, "f1": c.f1}
                       for k, c in report.scores.items()},
            "offsets_checked": report.offsets_checked, "offsets_broken": len(report.offsets_broken)}


def assert_same(out_dir: Path, gold_dir: Path, raw_dir: Path) -> dict:
    theirs, mine = score_py(out_dir, gold_dir, raw_dir), ours(out_dir, gold_dir, raw_dir)
    assert list(mine["scores"]) == list(theirs["scores"])
    for key, want in theirs["scores"].items():
        got = mine["scores"][key]
        assert (got["hits"], got["gold"], got["pred"]) == (want["hits"], want["gold"], want["pred"]), key
        assert got["f1"] == pytest.approx(want["f1"], abs=1e-12), key
    assert (mine["offsets_checked"], mine["offsets_broken"]) == (theirs["offsets_checked"], theirs["offsets_broken"])
    return mine


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write(path: Path, rows: list[dict], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def perturb(gold_dir: Path, out_dir: Path, seed: int) -> None:
    """Output tables made from the gold: people get person ids, actors and participants use them,
    and random rows are dropped, shifted, changed, duplicated or invented."""
    rnd = random.Random(seed)
    gold = {t: [r for folder in sorted(gold_dir.iterdir()) for r in read(folder / f"{t}.csv")] for t in TABLES}
    pid = {}
    for r in gold["people"]:
        pid.setdefault(r["name"].split("・")[-1], f"p{len(pid) + 1}")
    out_dir.mkdir(parents=True)
    changes = {"dates": ("value", "granularity"), "people": ("name", "title", "country", "former"),
               "venues": ("name",), "clauses": ("type", "actor"), "sections": ("label", "title"),
               "meetings": ("date", "venue", "participants")}
    for table in TABLES:
        rows = []
        for g in gold[table]:
            r = dict(g, rule=f"{table}.rule{rnd.randint(1, 3)}")
            if table == "people":
                r["person_id"] = pid[g["name"].split("・")[-1]]
            if table == "clauses" and g["actor"] != "both":
                r["actor"] = pid.get(g["actor"], g["actor"])
            if table == "meetings":
                r["participants"] = "|".join(sorted(pid.get(n, n) for n in g["participants"].split("|") if n))
            roll = rnd.random()
            if roll < 0.12:
                continue  # a miss
            if roll < 0.25 and "start" in r:  # a shifted span, still or no longer overlapping
                d = rnd.choice((-3, -1, 1, 2, 40))
                r["start"], r["end"] = str(int(r["start"]) + d), str(int(r["end"]) + d)
            elif roll < 0.4:
                field = rnd.choice(changes[table])
                r[field] = {"participants": r[field].split("|")[0], "former": "true", "actor": "both"}.get(
                    field, r[field] + "x")
            rows.append(r)
            if rnd.random() < 0.1:
                rows.append(dict(r))  # a duplicate: one of the two is a false positive
        if rows and rnd.random() < 0.8:
            extra = dict(rnd.choice(rows))
            if "start" in extra:
                extra["start"], extra["end"] = str(int(extra["start"]) + 5000), str(int(extra["end"]) + 5000)
            rows.append(extra)
        rnd.shuffle(rows)
        columns = list(dict.fromkeys([c for r in gold[table][:1] for c in r] + ["person_id", "rule"]))
        write(out_dir / f"{table}.csv", rows, columns)


@pytest.mark.parametrize("gold_set", sorted(GOLD_SETS))
@pytest.mark.parametrize("seed", range(8))
def test_same_scores_on_perturbed_gold(tmp_path, gold_set, seed):
    gold_dir, raw_dir = GOLD_SETS[gold_set]
    perturb(gold_dir, tmp_path / "out", seed)
    mine = assert_same(tmp_path / "out", gold_dir, raw_dir)
    # the perturbation really produced errors of every kind the scores can see
    assert any(s["hits"] < s["gold"] for s in mine["scores"].values())
    assert any(s["hits"] < s["pred"] for s in mine["scores"].values())


@pytest.mark.parametrize("gold_set", sorted(GOLD_SETS))
def test_same_scores_on_gold_itself(tmp_path, gold_set):
    gold_dir, raw_dir = GOLD_SETS[gold_set]
    out = tmp_path / "out"
    out.mkdir()
    for table in TABLES:
        rows = [r for folder in sorted(gold_dir.iterdir()) for r in read(folder / f"{table}.csv")]
        write(out / f"{table}.csv", rows, list(rows[0]))
    mine = assert_same(out, gold_dir, raw_dir)
    assert mine["scores"]["dates.value"]["f1"] == 1.0


def test_same_scores_and_printout_on_a_real_extraction(tmp_path):
    """A rules-only run of the seed, scored by `python -m pipeline eval` and by score.py: same table."""
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "pipeline", "extract", "--no-ner", "--jobs", "1", "--raw", "raw",
                    "--out", str(out)], cwd=ROOT, check=True, capture_output=True, timeout=600)
    assert_same(out, ROOT / "tests" / "gold", ROOT / "raw")
    theirs = subprocess.run([sys.executable, str(SCORE_PY), "--output", str(out), "--gold", str(ROOT / "tests" / "gold"),
                             "--raw", "raw"], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=True)
    mine = subprocess.run([sys.executable, "-m", "pipeline", "eval", "--output", str(out), "--gold", "tests/gold",
                           "--raw", "raw"], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=True)
    n = len(theirs.stdout.splitlines())
    assert mine.stdout.splitlines()[:n] == theirs.stdout.splitlines()


@pytest.mark.parametrize(("copy", "original"), [
    ("tests/gold", "gold"), ("tests/gold-dev", "dev/gold"), ("tests/data/dev/raw", "dev/raw")])
def test_project_gold_is_a_copy_of_shared(copy, original):
    mine = {p.relative_to(ROOT / copy): p.read_bytes() for p in (ROOT / copy).rglob("*") if p.is_file()}
    shared = ROOT.parent / "shared" / original
    theirs = {p.relative_to(shared): p.read_bytes() for p in shared.rglob("*") if p.is_file()}
    assert mine == theirs


@pytest.mark.parametrize("seed", range(6))
def test_same_meeting_scores_with_mode_counterparts_and_consult(tmp_path, seed):
    """Gold that records mode, counterparts, host and consult_mode (as the real-page gold does) is
    scored on them too, the same way: sessions with those fields changed, dropped and invented."""
    rnd = random.Random(seed)
    gold_dir, raw_dir = GOLD_SETS["seed"]
    gold = tmp_path / "gold" / "doc"
    gold.mkdir(parents=True)
    meetings = read(next(gold_dir.iterdir()) / "meetings.csv")
    columns = list(meetings[0]) + ["mode", "counterparts", "host", "consult_mode"]
    for k, r in enumerate(meetings):
        r.update(mode=("in_person", "telephone")[k % 2], counterparts=("US", "AU|US", "")[k % 3],
                 host=("US", "", "JP")[k % 3], consult_mode=("visit", "phone", "")[k % 3])
    write(gold / "meetings.csv", meetings, columns)
    out = tmp_path / "out"
    out.mkdir()
    rows = []
    for r in meetings:
        o = dict(r)
        roll = rnd.random()
        if roll < 0.15:
            continue
        field = rnd.choice(("mode", "counterparts", "host", "consult_mode", "venue", "none"))
        if field != "none":
            o[field] = {"counterparts": "US|GB", "mode": "video"}.get(field, o[field] + "x")
        rows.append(o)
    rows.append(dict(rnd.choice(meetings), date="1999-01-01"))
    write(out / "meetings.csv", rows, columns)
    mine = assert_same(out, tmp_path / "gold", raw_dir)
    assert {"meetings.+mode", "meetings.+counterparts", "meetings.+consult"} <= set(mine["scores"])
    assert any(mine["scores"][k]["hits"] < mine["scores"][k]["gold"]
               for k in ("meetings.+mode", "meetings.+counterparts", "meetings.+consult"))


@pytest.mark.model
def test_eval_ablation_prints_what_each_component_adds_and_costs():
    from pipeline.evaluate import ablation

    text = ablation([("seed", ROOT / "raw", ROOT / "tests" / "gold")], ROOT / "rules")
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["set", "score", "rules"] and "rules + NER" in lines[0]
    rows = {line.split()[1]: line.split()[2:] for line in lines[1:] if line.startswith("seed ")}
    assert rows["meetings.date"] == ["1.000", "1.000", "+0.000"]
    off, on, gain = (float(x) for x in rows["seconds"])
    assert on > off > 0 and gain == pytest.approx(on - off, abs=0.11)
    assert "parser" in lines[-1]
