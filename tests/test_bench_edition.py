"""The benchmark's synthetic edition: the size asked for, ~5,000 characters a file, and no two
lines equal (so no cache can reuse a result across copies). No model, no extract run."""
from __future__ import annotations

import pytest

from pipeline.bench import _Perturber, build_edition
from conftest import SEED


@pytest.mark.parametrize("chars, files", [(20_000, 4), (51_000, 10)])
def test_edition_has_the_size_and_unique_lines(tmp_path, chars, files):
    info = build_edition(SEED.parent.parent, chars, tmp_path)
    paths = sorted(tmp_path.rglob("*.txt"))
    assert len(paths) == info["files"] == files
    texts = [p.read_text(encoding="utf-8") for p in paths]
    assert abs(sum(map(len, texts)) - chars) < 0.1 * chars
    lines = [ln for t in texts for ln in t.split("\n") if ln.strip()]
    assert len(lines) == len(set(lines))


@pytest.mark.parametrize("line, expected", [
    # Gregorian and era years move together; days stay valid days
    ("（1）日米防衛相会談（16(平成28)年9月16日）", "（1）日米防衛相会談（19(平成31)年9月25日）"),
    ("平成28年12月7日", "平成31年12月16日"),
])
def test_perturbation_keeps_dates_consistent(line, expected):
    p = _Perturber(0)
    p.year, p.day = 3, 9
    assert p.line(line) == expected


def test_names_before_titles_change_consistently():
    p = _Perturber(1)
    a = p.line("稲田防衛大臣とカーター米国防長官は会談した。")
    b = p.line("カーター米国防長官から、稲田防衛大臣に伝えた。")
    assert "カーター" not in a and "稲田" not in a
    new_katakana = a.split("と")[1].split("米")[0]
    assert b.startswith(new_katakana + "米国防長官")
