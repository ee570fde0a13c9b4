"""The stage cache's paths that a rules-only re-run takes: the layout is a cached stage (a document laid
out as a PDF page keeps the text its rows index, whether its rows are stored or re-made); the last
stage's delta is not written, and lost rows make only that stage run again."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from pipeline.document import Document
from pipeline.ruleset import load_rules
from pipeline.run import Extractor

from conftest import RULES_DIR

# paragraphs broken where a PDF page's lines ended, as copied out of it
WRAPPED = "\n".join(["(2)日豪防衛相会談", "岸防衛大臣は、2021年6月9日、ダットン豪国防大臣とテレビ会", "談を行い、両国の協力を一層強化",
                     "していくことで一致した。", "両大臣は、共同訓練の拡充を歓迎した。"]) + "\n"


def _rules(tmp_path: Path, mode: str = "pdf") -> Path:
    """A copy of the rules whose layout reads every text as `mode` (pdf: lines broken where a page ended them)."""
    folder = tmp_path / "rules"
    shutil.copytree(RULES_DIR, folder)
    _set_layout(folder, mode)
    return folder


def _set_layout(folder: Path, mode: str) -> None:
    path = folder / "layout.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["mode"] = mode
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _new_predicate(folder: Path) -> None:
    path = folder / "clauses.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["predicates"].insert(0, {"id": "clause.test.paths", "type": "confirm",
                                  "tokens": [{"lemma": "拡充"}]})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _extract(folder: Path, cache: Path | None, doc: Document):
    extractor = Extractor(load_rules(folder), ner=False, cache_dir=cache)
    tables, dropped = extractor.extract_tables(doc)
    return extractor, tables, dropped


def test_a_pdf_laid_out_document_keeps_its_text_from_stored_rows_and_after_a_rules_change(tmp_path):
    folder, cache = _rules(tmp_path), tmp_path / "cache"
    doc = Document("2021/pdf", "2021", WRAPPED)
    first, made, _ = _extract(folder, cache, doc)
    assert made.text_file == "text/2021/pdf.txt" and "テレビ会談を行い" in made.text

    again, stored, _ = _extract(folder, cache, doc)  # every key unchanged: the stored rows, laid out again
    assert again.stage_cache.stats["tables_hits"] == 1 and again.stage_cache.stats["stage_runs"] == 0
    assert (stored.text, stored.text_file, stored.tables) == (made.text, made.text_file, made.tables)

    _new_predicate(folder)  # a clause rule: the layout's delta is restored with the others, clauses run
    changed, remade, _ = _extract(folder, cache, doc)
    assert changed.stage_cache.stats["stage_runs"] == 1
    assert changed.stage_cache.stats["stage_hits"] == len(changed.specs) - 1
    assert (remade.text, remade.text_file) == (made.text, made.text_file)
    plain, expected, _ = _extract(folder, None, doc)
    assert remade.tables == expected.tables and b"clause.test.paths" in remade.tables["clauses"]


def test_a_layout_rule_change_lays_the_document_out_again(tmp_path):
    folder, cache = _rules(tmp_path), tmp_path / "cache"
    doc = Document("2021/pdf", "2021", WRAPPED)
    _extract(folder, cache, doc)
    _set_layout(folder, "plain")  # read every line as a paragraph: the text the rows index changes
    again, tables, _ = _extract(folder, cache, doc)
    assert again.stage_cache.stats["stage_hits"] == 0 and again.stage_cache.stats["stage_runs"] == len(again.specs)
    assert tables.text_file == "" and tables.tables == _extract(folder, None, doc)[1].tables


def test_the_last_stage_writes_no_delta_and_lost_rows_rerun_only_it(tmp_path):
    folder, cache = _rules(tmp_path, "plain"), tmp_path / "cache"
    doc = Document("2021/plain", "2021", WRAPPED)
    first, made, _ = _extract(folder, cache, doc)
    last = len(first.specs) - 1
    folder_of = first.stage_cache.folder
    assert sorted(p.suffix for p in folder_of.iterdir()) == sorted([f".s{i}" for i in range(last)] + [".tables"])
    next(folder_of.glob("*.tables")).unlink()  # the rows are lost; every delta is there
    again, tables, _ = _extract(folder, cache, doc)
    assert again.stage_cache.stats["stage_hits"] == last and again.stage_cache.stats["stage_runs"] == 1
    assert tables.tables == made.tables
