"""Property-based tests (hypothesis) over random and mutated white-paper text: no exception,
every row keeps raw_text[start:end] == text, output deterministic, no document lost."""
from __future__ import annotations

import tempfile
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import fields
from io import StringIO
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import load
from pipeline.cli import main
from pipeline.document import Document

from conftest import RULES_DIR

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = (ROOT / "raw" / "2017" / "000_5aa69a72492d7d21.txt").read_text(encoding="utf-8")
SEED_LINES = SEED_TEXT.split("\n")
TABLES = ("blocks", "sections", "sentences", "tokens", "entities", "dates", "people", "venues", "clauses",
          "meetings")

# pieces a white paper is made of, and things that break naive code
FRAGMENTS = [
    "第II部", "第4章", "第1節", "4 ", "1 ", "(1)", "（２）", "ア ", "(ア)", "（イ）", "① ", "１　", "ｱ ", "8 I部2章6節4項脚注44参照",
    "16(平成28)年9月16日", "17(平成29年)1月28日", "同年12月7日", "同日", "令和元年5月1日", "平成31年4月30日",
    "稲田防衛大臣", "マティス米国防長官", "ﾏﾃｨｽ米国防長官", "マイク・ペンス米副大統領", "安倍内閣総理大臣", "(当時)",
    "両閣僚は、", "認識で一致した。", "改めて確認した。", "歓迎する旨述べた。", "要請した。", "「", "」", "『", "』",
    "(", ")", "（", "）", "【内閣広報室提供】", "(写真左)", "図表II-4-2-7", "参照資料26", "Contents", "において会談",
    "を訪問", "、", "。", "！", "？", " ", "\u3000", "\t", "\n", "\n\n", "〜", "～", "ﾞ", "ﾟ", "\u3099", "①", "Ⅱ",
    "𠮷", "😀", "\ufeff", "\u200b", "\u00a0", "=SUM(A1)", "+", "-", "@", '"', ",", "'",
]

texts = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"), max_size=400),
    st.lists(st.sampled_from(FRAGMENTS), max_size=120).map("".join),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8).map(
        lambda s: "".join(c for c in s if not "\ud800" <= c <= "\udfff" and c not in "\r\x00"))),
        max_size=80).map("".join),
)


@st.composite
def mutated_seed(draw) -> str:
    """A window of the seed's lines with lines dropped, duplicated, cut, joined and sprinkled with fragments."""
    a = draw(st.integers(0, len(SEED_LINES) - 1))
    b = draw(st.integers(a + 1, min(len(SEED_LINES), a + 40)))
    lines = SEED_LINES[a:b]
    for _ in range(draw(st.integers(0, 12))):
        op = draw(st.sampled_from(["drop", "dup", "cut", "join", "insert", "widen"]))
        if not lines:
            break
        k = draw(st.integers(0, len(lines) - 1))
        if op == "drop":
            del lines[k]
        elif op == "dup":
            lines.insert(k, lines[k])
        elif op == "cut" and lines[k]:
            at = draw(st.integers(0, len(lines[k])))
            lines[k:k + 1] = [lines[k][:at], lines[k][at:]]
        elif op == "join" and k + 1 < len(lines):
            lines[k:k + 2] = [lines[k] + lines[k + 1]]
        elif op == "insert":
            at = draw(st.integers(0, len(lines[k])))
            lines[k] = lines[k][:at] + draw(st.sampled_from(FRAGMENTS)) + lines[k][at:]
        elif op == "widen":
            lines[k] = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in lines[k])
    return "\n".join(lines)



def _field_names(row) -> tuple[str, ...]:
    """The fields of a record: a dataclass, or a named tuple (tokens)."""
    return row._fields if hasattr(row, "_fields") else tuple(f.name for f in fields(row))

def rows_with_spans(doc: Document):
    for table in TABLES:
        for row in getattr(doc, table):
            names = set(_field_names(row))
            if {"start", "end", "text"} <= names:
                yield table, row


def check(extractor, text: str) -> None:
    doc = extractor.extract(Document("prop/doc", "", text))  # must not raise
    assert doc.text == text or doc.text_file  # the text is indexed as it is, unless the run writes its own
    indexed = doc.text
    for table, row in rows_with_spans(doc):
        assert 0 <= row.start <= row.end <= len(indexed), (table, row)
        assert indexed[row.start:row.end] == row.text, (table, row)
    for s in doc.sections:
        assert 0 <= s.start <= s.end <= len(indexed)
        assert s.parent_id is None or s.parent_id < s.section_id
    again = extractor.extract(Document("prop/doc", "", text))
    assert again == doc  # deterministic


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_random_text(extractor, text):
    check(extractor, text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated_seed())
def test_mutated_white_paper(extractor, text):
    check(extractor, text)


files = st.dictionaries(
    st.from_regex(r"[a-z0-9_]{1,8}", fullmatch=True),
    st.one_of(st.binary(max_size=300), texts.map(lambda t: t.encode("utf-8")),
              mutated_seed().map(lambda t: t.replace("\n", "\r\n").encode("utf-8")),
              mutated_seed().map(lambda t: t.encode("cp932", errors="ignore"))),
    min_size=1, max_size=4)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=files)
def test_no_document_is_lost(batch):
    """Every raw file ends up either in the tables (documents.csv) or in failures.csv, never both."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw" / "2017"
        raw.mkdir(parents=True)
        for name, data in batch.items():
            (raw / f"{name}.txt").write_bytes(data)
        sink = StringIO()
        with redirect_stdout(sink), redirect_stderr(sink):
            code = main(["extract", "--raw", str(Path(tmp) / "raw"), "--rules", str(RULES_DIR), "--out",
                         str(Path(tmp) / "out"), "--jobs", "1", "--no-ner", "--no-cache"])
        assert "Traceback" not in sink.getvalue()
        tables = load(Path(tmp) / "out")
        done = set(tables["documents"]["doc_id"])
        failed = set(tables["failures"]["doc_id"])
        assert done | failed == {f"2017/{name}" for name in batch}
        assert not done & failed
        assert code == (1 if failed else 0)
        assert all(tables["failures"]["error"] != "")
        # only unreadable files may fail: a stage that fails on text it was given is a bug, not a failure row
        assert set(tables["failures"]["stage"]) <= {"read"}, tables["failures"].to_dict("records")
        for table in ("blocks", "tokens", "sections"):
            assert set(tables[table]["doc_id"]) <= done
