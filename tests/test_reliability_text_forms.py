"""NFKC-variant input (half-width katakana, full-width digits/ASCII, ideographic spaces, tabs,
〜/～, CRLF) gives the same extraction as the canonical text, with offsets into the raw variant."""
from __future__ import annotations

import unicodedata
from dataclasses import fields
from pathlib import Path

import pytest

from pipeline.document import Document
from pipeline.reader import decode
from pipeline.textnorm import NormText

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = (ROOT / "raw" / "2017" / "000_5aa69a72492d7d21.txt").read_text(encoding="utf-8")
EXTRA = "\n(9)日米防衛相電話会談(17(平成29)年7月1日〜3日)\n同年7月1日〜3日、稲田防衛大臣とマティス米国防長官は協議を行った。\n"
CANONICAL = SEED_TEXT + EXTRA
TABLES = ("sections", "blocks", "sentences", "tokens", "dates", "people", "venues", "clauses", "meetings")


def _half_katakana() -> dict[str, str]:
    """Full-width katakana (incl. voiced) -> half-width spelling, built from NFKC itself."""
    out: dict[str, str] = {}
    for code in range(0xFF66, 0xFF9E):
        half = chr(code)
        out.setdefault(unicodedata.normalize("NFKC", half), half)
        for mark in ("\uff9e", "\uff9f"):
            full = unicodedata.normalize("NFKC", half + mark)
            if len(full) == 1:
                out.setdefault(full, half + mark)
    out["ー"] = "\uff70"
    out["・"] = "\uff65"
    return out


def full_width(c: str) -> str:
    return chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c


def variant(text: str, *, katakana: bool, ascii_digits: bool, spaces: bool, tilde: bool) -> str:
    half = _half_katakana()
    out = []
    for k, c in enumerate(text):
        if katakana and c in half:
            c = half[c]
        elif ascii_digits and "!" <= c <= "~":
            c = full_width(c)
        elif spaces and c == " ":
            c = "\u3000" if k % 2 else "\t"
        elif tilde and c == "〜":
            c = "～"
        out.append(c)
    return "".join(out)


def fold(value):
    return NormText.of(value).text if isinstance(value, str) else value



def _field_names(row) -> tuple[str, ...]:
    """The fields of a record: a dataclass, or a named tuple (tokens)."""
    return row._fields if hasattr(row, "_fields") else tuple(f.name for f in fields(row))

def projection(doc: Document) -> dict[str, list[tuple]]:
    """Every row of every table without its offsets, strings NFKC-folded."""
    out = {}
    for table in TABLES:
        rows = []
        for r in getattr(doc, table):
            rows.append(tuple((n, fold(getattr(r, n))) for n in _field_names(r) if n not in ("start", "end")))
        out[table] = rows
    return out


@pytest.fixture(scope="module")
def canonical(extractor):
    return extractor.extract(Document("2017/doc", "2017", CANONICAL))


FORMS = {
    "half-width katakana": dict(katakana=True, ascii_digits=False, spaces=False, tilde=False),
    "full-width digits and ASCII": dict(katakana=False, ascii_digits=True, spaces=False, tilde=False),
    "ideographic spaces and tabs": dict(katakana=False, ascii_digits=False, spaces=True, tilde=False),
    "wave dash": dict(katakana=False, ascii_digits=False, spaces=False, tilde=True),
    "all at once, CRLF": dict(katakana=True, ascii_digits=True, spaces=True, tilde=True),
}


@pytest.mark.parametrize("form", FORMS)
def test_variant_gives_the_same_extraction(extractor, canonical, form):
    text = variant(CANONICAL, **FORMS[form])
    assert text != CANONICAL
    data = text.replace("\n", "\r\n").encode("utf-8") if "CRLF" in form else text.encode("utf-8")
    raw_text, _, _ = decode(data, "variant.txt")
    assert raw_text == text
    doc = extractor.extract(Document("2017/doc", "2017", raw_text))
    for table in TABLES:  # offsets are into the variant's raw text
        for row in getattr(doc, table):
            if hasattr(row, "text") and hasattr(row, "start"):
                assert raw_text[row.start:row.end] == row.text, (table, row)
    got, want = projection(doc), projection(canonical)
    for table in TABLES:
        assert got[table] == want[table], table
    assert len(canonical.blocks) > 70 and len(canonical.tokens) > 4000
