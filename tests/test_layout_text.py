"""The layout stage on texts written here: PDF-shaped text (joined lines, page furniture dropped,
hyphenation undone), HTML tags left in a text file, saved web pages, the choice of layout (detected,
asked for with --layout), and what the run writes for it (output/text/, documents.csv, warnings)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.document import Document
from pipeline.html import declared_encoding, page_text
from pipeline.load import read_rows
from pipeline.pdf import reading_order

from conftest import RULES_DIR

# one paragraph set 20 characters wide, as copied out of a PDF
WRAPPED = ["日米両国は、首脳・閣僚レベルをはじめ様々", "なレベルで緊密に連携し、二国間のみならず",
           "、国際社会全体の平和と安定のために協力し", "てきた。"]
JOINED = "日米両国は、首脳・閣僚レベルをはじめ様々なレベルで緊密に連携し、二国間のみならず、国際社会全体の平和と安定のために協力してきた。"


@pytest.mark.parametrize(("lines", "expected"), [
    (WRAPPED, JOINED),  # no space between Japanese characters
    # a page number and the running header inside a sentence (the 日印防衛相会/談)
    (WRAPPED[:2] + ["402", "防衛白書 2022"] + WRAPPED[2:] + ["403", "防衛白書 2022"] + WRAPPED, f"{JOINED}\n{JOINED}"),
    # a form feed between pages, the page number at the foot of the first
    (WRAPPED[:2] + ["12", "\f" + WRAPPED[2]] + WRAPPED[3:], JOINED),
    # a figure title repeated where the figure goes on over a page: the later copy is dropped
    (["図表II-4-2-7 主な政策協議"] + WRAPPED[:2] + ["図表II-4-2-7 主な政策協議"] + WRAPPED[2:],
     f"図表II-4-2-7 主な政策協議\n{JOINED}"),
    # a Latin word broken by a hyphen
    (["Both of the ministers agreed coop-", "eration for peace and stability in", "the region with partners of the tw",
      "o countries."], "Both of the ministers agreed cooperation for peace and stability inthe region with partners "
                       "of the two countries."),
])
def test_layout_pdf_text_is_joined_and_furniture_dropped(run_text, lines, expected):
    doc = run_text("\n".join(lines) + "\n", doc_id="2017/doc")
    assert doc.layout == "pdf" and doc.text == expected + "\n"
    assert doc.text_file == "text/2017/doc.txt" and doc.layout_note.startswith("pdf (auto)")


def test_layout_pdf_text_heading_broken_over_two_lines_keeps_its_meeting(run_text):
    text = "\n".join(["(3)日比防衛相会談(2017年5", "月1日)"] + WRAPPED[:2] + [
        "稲田防衛大臣は、ロレンザーナ比国防大臣と会", "談を行い、両大臣は地域情勢について認識を共", "有した。"]) + "\n"
    doc = run_text(text, doc_id="2017/doc")
    assert [(s.label, s.title) for s in doc.sections] == [("(3)", "日比防衛相会談(2017年5月1日)")]
    assert [(m.title, m.date) for m in doc.meetings][:1] == [("日比防衛相会談", "2017-05-01")]
    assert [c.text for c in doc.clauses] == ["認識を共有した"]


def test_layout_repeated_headings_and_footnote_numbers_are_kept(run_text):
    """A heading repeated in the text (イ … under each meeting) is no running header, a footnote marker
    alone on a line no page number."""
    heading = "イ 日米同盟の抑止力・対処力の強化"
    lines = [heading] + WRAPPED + [heading] + WRAPPED[:3] + ["て会談を実施した", "9", heading] + WRAPPED
    doc = run_text("\n".join(lines) + "\n", doc_id="2017/doc")
    assert doc.layout == "pdf" and doc.text.count(heading) == 3 and "\n9\n" in doc.text


@pytest.mark.parametrize("text", [
    "日米両国は緊密に連携してきた。\n両閣僚は一致した。\n両首脳は確認した。\n",
    "(1)日米防衛相会談(2017年2月4日)\n\n稲田防衛大臣とマティス米国防長官は、防衛省において日米防衛相会談を実施した。\n",
    "両閣僚は会談を行\nった。\n",  # one broken line is no layout
])
def test_layout_plain_text_is_read_as_is(run_text, text):
    doc = run_text(text, doc_id="2017/doc")
    assert (doc.layout, doc.text, doc.text_file, doc.layout_edits) == ("plain", text, "", ())


@pytest.mark.parametrize(("request_", "text", "layout", "joined"), [
    ("plain", "\n".join(WRAPPED) + "\n", "plain", False),  # --layout plain: never reflowed
    ("pdf", "両閣僚は会談を行\nった。\n", "pdf", True),  # --layout pdf: reflowed though not detected
])
def test_layout_option_overrides_detection(extractor, request_, text, layout, joined):
    doc = extractor.extract(Document("2017/doc", "2017", text, layout_request=request_))
    assert doc.layout == layout and doc.layout_note.startswith(f"{layout} (option)")
    assert (doc.text != text) == joined


def test_layout_markup_in_text_hides_no_heading_or_predicate(run_text):
    text = ("<h3>(3)日比防衛相会談(2017年5月1日)</h3>\n稲田防衛大臣は、ロレンザーナ比国防大臣と会談を行い、"
            "両大臣は地域情勢について<span>認識を共有</span>した。<br>\n")
    doc = run_text(text, doc_id="2017/doc")
    assert "<" not in doc.text and doc.text_file == "text/2017/doc.txt"
    assert [(s.label, s.title) for s in doc.sections] == [("(3)", "日比防衛相会談(2017年5月1日)")]
    assert [(c.text, c.type) for c in doc.clauses] == [("認識を共有した", "share")]
    assert [m.date for m in doc.meetings] == ["2017-05-01"]


@pytest.mark.parametrize("text", ["<解説>日英防衛協力の歩み\n", "<VOICE>派遣隊員の声\n", "輸入額<輸出額となった。\n"])
def test_layout_text_without_html_tags_is_untouched(run_text, text):
    doc = run_text(text, doc_id="2017/doc")
    assert doc.text == text and doc.text_file == ""


PAGE = """<html><head><title>題</title><script>var a = "会談を実施した。";</script></head><body>
<div id="header">防衛省</div><nav><ul><li>Contents</li></ul></nav>
<div class="topicpath">白書トップ &gt; 第II部</div>
<h2>(1)日米防衛相会談</h2>
<p>稲田防衛大臣は、
  会談を実施した。</p>
<ul><li>項目一</li><li>項目二</li></ul>
<table><tr><th>年月</th><th>会談</th></tr><tr><td>2017年2月</td><td>日米防衛相会談</td></tr></table>
<figure><img alt="写真"><figcaption>握手する両大臣</figcaption></figure>
<p>Defense of<br>Japan &amp; 日本</p>
<footer>Copyright</footer></body></html>"""


def test_layout_web_page_text_as_its_reader_sees_it(rules):
    lines = page_text(PAGE, rules.get("layout").page).split("\n\n")
    assert lines == ["(1)日米防衛相会談", "稲田防衛大臣は、会談を実施した。", "項目一", "項目二", "年月 会談",
                     "2017年2月 日米防衛相会談", "握手する両大臣", "Defense of", "Japan & 日本\n"]


@pytest.mark.parametrize(("head", "encoding"), [
    (b'<meta charset="Shift_JIS">', "cp932"),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=shift_jis">', "cp932"),
    (b'<?xml version="1.0" encoding="EUC-JP"?>', "euc_jp"),
    (b'<meta charset="utf-8">', "utf-8"),
    (b"<title>none</title>", None),
    (b'<meta charset="no-such-codec">', None),
])
def test_layout_web_page_encoding_is_the_declared_one(head, encoding):
    assert declared_encoding(b"<html><head>" + head + b"</head>") == encoding


def test_layout_pdf_reading_order_reads_columns_then_the_foot():
    # (x0, x1, top, height): a title across both columns, two columns of two lines, a centred page number
    boxes = [(50, 500, 800, 12), (300, 530, 760, 10), (50, 280, 760, 10), (50, 280, 745, 10),
             (300, 530, 745, 10), (50, 280, 730, 10), (300, 530, 730, 10), (60, 280, 715, 10),
             (290, 305, 40, 10)]
    order = reading_order(boxes)
    assert [i for i, _, _ in order] == [0, 2, 3, 5, 7, 1, 4, 6, 8]
    assert [i for i, indented, _ in order if indented] == [7]
    assert [i for i, _, full in order if full] == [2, 3, 5, 7, 1, 4, 6]


def test_layout_pdf_vertical_text_is_read_right_to_left(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from pipeline.pdf import pdf_text

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3", isVertical=True))
    c = canvas.Canvas(str(tmp_path / "v.pdf"))
    c.setFont("HeiseiMin-W3", 12)
    c.drawString(500, 780, "日米防衛相会談を実施した。")
    c.drawString(480, 780, "両閣僚は一致した。")
    c.save()
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))  # horizontal again for other tests
    text, _ = pdf_text((tmp_path / "v.pdf").read_bytes(), "v.pdf")
    assert text.split("\n")[:2] == ["日米防衛相会談を実施した。", "両閣僚は一致した。"]


def _extract(raw: Path, out: Path, *more: str) -> int:
    return main(["extract", "--raw", str(raw), "--rules", str(RULES_DIR), "--out", str(out), "--jobs", "1",
                 "--no-ner", "--no-cache", *more])


def test_layout_cli_writes_the_indexed_text_and_names_other_files(tmp_path, capsys):
    raw = tmp_path / "raw"
    (raw / "2017").mkdir(parents=True)
    (raw / "2017" / "a.txt").write_text("\n".join(WRAPPED) + "\n", encoding="utf-8")
    (raw / "2017" / "b.txt").write_text("両閣僚は一致した。\n", encoding="utf-8")
    (raw / "2017" / "c.docx").write_bytes(b"PK")
    assert _extract(raw, tmp_path / "out") == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [f"warning: {raw / '2017/c.docx'}: not read (only *.txt, *.html, *.htm and *.pdf files are)"]
    _, docs = read_rows(tmp_path / "out" / "documents.csv")
    assert [(d["doc_id"], d["layout"], d["text_file"]) for d in docs] == [
        ("2017/a", "pdf", "text/2017/a.txt"), ("2017/b", "plain", "")]
    assert (tmp_path / "out" / "text" / "2017" / "a.txt").read_text(encoding="utf-8") == JOINED + "\n"
    assert _extract(raw, tmp_path / "out2", "--layout", "plain") == 0
    _, docs = read_rows(tmp_path / "out2" / "documents.csv")
    assert [(d["layout"], d["layout_note"], d["text_file"]) for d in docs][0] == ("plain", "plain (mode)", "")


def test_layout_unreadable_pdf_is_a_failure_row(tmp_path, capsys):
    raw = tmp_path / "raw"
    (raw / "2017").mkdir(parents=True)
    (raw / "2017" / "a.txt").write_text("両閣僚は一致した。\n", encoding="utf-8")
    (raw / "2017" / "b.pdf").write_bytes(b"%PDF-1.4 not really")
    assert _extract(raw, tmp_path / "out") == 1
    _, failures = read_rows(tmp_path / "out" / "failures.csv")
    assert [(f["doc_id"], f["stage"]) for f in failures] == [("2017/b", "read")]
    assert "not a readable PDF" in failures[0]["error"] or "no text" in failures[0]["error"]


def test_layout_cli_reads_one_file_per_doc_id_and_fails_an_empty_page(tmp_path, capsys):
    raw = tmp_path / "raw"
    (raw / "2017").mkdir(parents=True)
    (raw / "2017" / "a.txt").write_text("両閣僚は一致した。\n", encoding="utf-8")
    (raw / "2017" / "a.html").write_text("<html><body><p>両首脳は確認した。</p></body></html>", encoding="utf-8")
    (raw / "2017" / "b.htm").write_text("<html><body><nav>トップ</nav><script>x()</script></body></html>",
                                        encoding="utf-8")
    assert _extract(raw, tmp_path / "out") == 1
    assert f"warning: {raw / '2017/a.txt'}: not read (its doc_id is {raw / '2017/a.html'}'s)" in \
        capsys.readouterr().err.splitlines()
    _, docs = read_rows(tmp_path / "out" / "documents.csv")
    assert [(d["doc_id"], d["format"]) for d in docs] == [("2017/a", "html")]
    _, failures = read_rows(tmp_path / "out" / "failures.csv")
    assert [(f["doc_id"], f["stage"]) for f in failures] == [("2017/b", "layout")]
    assert "no text on the web page" in failures[0]["error"]


def test_layout_explain_reads_the_raw_file_of_any_format(tmp_path):
    from pipeline.explain import extract_doc

    (tmp_path / "2017").mkdir()
    (tmp_path / "2017" / "a.html").write_text("<html><body><h4>(1)日米防衛相会談</h4><p>両閣僚は<span>一致"
                                              "</span>した。</p></body></html>", encoding="utf-8")
    doc = extract_doc("2017/a", raw_dir=tmp_path, rules_dir=RULES_DIR, ner=False)
    assert (doc.source, doc.text) == ("html", "(1)日米防衛相会談\n\n両閣僚は一致した。\n")
    assert [s.label for s in doc.sections] == ["(1)"]


def test_layout_cached_run_writes_the_indexed_text_too(tmp_path):
    raw = tmp_path / "raw"
    (raw / "2017").mkdir(parents=True)
    (raw / "2017" / "a.txt").write_text("\n".join(WRAPPED) + "\n", encoding="utf-8")
    for out in ("out1", "out2"):  # the second run takes the rows from the cache
        assert main(["extract", "--raw", str(raw), "--rules", str(RULES_DIR), "--out", str(tmp_path / out),
                     "--jobs", "1", "--no-ner", "--cache", str(tmp_path / "cache")]) == 0
        assert (tmp_path / out / "text" / "2017" / "a.txt").read_text(encoding="utf-8") == JOINED + "\n"
