"""The seed as the Ministry publishes it, built by the tests: a section web page (UTF-8 or Shift_JIS),
a two-column PDF with a running header and page numbers, and the text hard-wrapped as copied out of a
PDF; and the comparison of their tables with the plain seed's."""
from __future__ import annotations

import html
import re
from pathlib import Path

from pipeline.load import read_rows
from pipeline.tables import TABLES

COMPARED = ("dates", "people", "venues", "clauses", "meetings", "sections")
OFFSETS = {"start", "end"}


def hard_wrapped(text: str, width: int = 40) -> str:
    """Every line cut into pieces of `width` characters (blank lines kept), as a fixed-width copy."""
    out = []
    for line in text.split("\n"):
        out += [line[i:i + width] for i in range(0, len(line), width)] if line else [line]
    return "\n".join(out)


def section_page(plain_out: Path, doc_id: str, *, charset: str = "UTF-8") -> str:
    """A section page shaped like the Ministry's: head (title, meta, style, script), site header,
    navigation, breadcrumbs, the body (h1–h4 headings, paragraphs, photos with captions), a page-top link
    and a footer. The body's blocks are the plain seed's, as its blocks.csv classifies them."""
    _, blocks = read_rows(plain_out / "blocks.csv")
    _, sections = read_rows(plain_out / "sections.csv")
    level = {int(s["start"]): int(s["level"]) for s in sections if s["doc_id"] == doc_id}
    body = []
    for b in (b for b in blocks if b["doc_id"] == doc_id):
        text = html.escape(b["text"], quote=False)
        if b["kind"] == "boilerplate":
            continue  # "Contents": the page's navigation has it
        if b["kind"] == "heading":
            n = min(level.get(int(b["start"]), 4), 4)
            body.append(f"<h{n} class=\"title\">{text}</h{n}>")
        elif b["kind"] == "caption":
            body.append(f"<figure><img src=\"photo.jpg\" alt=\"写真\">\n<figcaption>{text}</figcaption></figure>")
        elif b["kind"] == "caption_duplicate":
            body.append(f"<p class=\"caption\">{text}</p>")
        else:
            body.append(f"<p>\n  {text}\n</p>")
    return f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="{charset}">
<title>防衛白書 | 防衛省</title>
<style>p {{ margin: 0 }}</style>
<script>var page = "日米防衛相会談を実施した。";</script>
</head>
<body>
<div id="header"><a href="/">防衛省・自衛隊</a><form><input name="q"><button>検索</button></form></div>
<nav class="gnav"><ul><li>Contents</li><li>防衛白書トップ</li><li>日米防衛相会談(2017年2月4日)</li></ul></nav>
<div class="breadcrumbs"><a href="/">防衛白書トップ</a> &gt; 第II部 &gt; 第4章 日米同盟</div>
<main id="main">
{chr(10).join(body)}
</main>
<p class="pagetop"><a href="#header">ページの先頭へ</a></p>
<footer><p>Copyright &copy; Ministry of Defense. 2017年9月1日更新</p></footer>
<script>console.log("稲田防衛大臣は会談した。")</script>
</body>
</html>
"""


HEADING = re.compile(r"^(第\S+部|\d{1,2} |\(\d{1,2}\)|[アイウエオ] )")


def two_column_pdf(text: str, path: Path, *, header: str = "防衛白書 2017", first_page: int = 401) -> Path:
    """The text as an A4 PDF set as the white paper is: two columns, body in HeiseiMin-W3 10pt with a
    one-em indent at each paragraph, headings in HeiseiKakuGo-W5 12pt, a running header at the top and
    the page number at the foot of every page (reportlab's built-in CID fonts: no font file needed)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    body_font, heading_font, size, heading_size = "HeiseiMin-W3", "HeiseiKakuGo-W5", 10.0, 12.0
    for font in (body_font, heading_font):
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    width, height = A4
    margin, gutter, leading = 50.0, 24.0, 15.0
    col_w = (width - 2 * margin - gutter) / 2
    top, bottom = height - margin - 2 * leading, margin + 2 * leading

    def wrap(par: str, indent: float, font: str, sz: float) -> list[str]:
        lines, cur = [], ""
        for tok in re.findall(r"[A-Za-z0-9]+|.", par):  # Latin words and numbers are not broken
            room = col_w - (0 if lines else indent)
            if cur and pdfmetrics.stringWidth(cur + tok, font, sz) > room:
                lines.append(cur)
                cur = tok.lstrip()
            else:
                cur += tok
        return lines + [cur] if cur else lines

    c = canvas.Canvas(str(path), pagesize=A4)
    state = {"page": 0, "col": 0, "y": top}

    def furniture() -> None:
        c.setFont(body_font, size)
        c.drawString(margin, height - margin, header)
        c.drawCentredString(width / 2, margin, str(first_page + state["page"]))

    furniture()
    for par in text.split("\n"):
        if not par.strip():
            continue
        heading = bool(HEADING.match(par)) and not par.endswith("。")
        indent = 0.0 if heading or "【" in par or "(写真" in par else size
        font, sz = (heading_font, heading_size) if heading else (body_font, size)
        for n, line in enumerate(wrap(par, indent, font, sz)):
            if state["y"] < bottom:
                state["col"], state["y"] = state["col"] + 1, top
                if state["col"] == 2:
                    c.showPage()
                    state["page"], state["col"] = state["page"] + 1, 0
                    furniture()
            c.setFont(font, sz)
            c.drawString(margin + state["col"] * (col_w + gutter) + (indent if n == 0 else 0), state["y"], line)
            state["y"] -= leading
        state["y"] -= leading * 0.8
    c.save()
    return path


def indexed_text(out: Path, raw: Path, doc_id: str) -> tuple[str, str]:
    """(the text the rows of a document index, its file): output/<text_file> when documents.csv names
    one, else the raw .txt."""
    _, docs = read_rows(out / "documents.csv")
    row = next(d for d in docs if d["doc_id"] == doc_id)
    path = out / row["text_file"] if row["text_file"] else raw / f"{doc_id}.txt"
    return path.read_text(encoding="utf-8") if row["text_file"] else path.open(encoding="utf-8").read(), str(path)


def broken_offsets(out: Path, raw: Path) -> tuple[int, list[str]]:
    """(rows checked, rows whose text is not text[start:end] of the text they index)."""
    checked, broken = 0, []
    texts: dict[str, str] = {}
    for table, (_, columns) in TABLES.items():
        if not {"start", "end", "text"} <= set(columns):
            continue
        for row in read_rows(out / f"{table}.csv")[1]:
            doc = row["doc_id"]
            if doc not in texts:
                texts[doc] = indexed_text(out, raw, doc)[0]
            checked += 1
            if texts[doc][int(row["start"]):int(row["end"])] != row["text"]:
                broken.append(f"{table}: {row['text']!r}")
    return checked, broken


def comparable(out: Path, table: str) -> list[dict[str, str]]:
    """A table's rows without offsets; `sentence_id` is replaced by the sentence's text (the ids number
    sentences, which shift when a version drops a line such as "Contents")."""
    sentences = {(r["doc_id"], r["sentence_id"]): r["text"] for r in read_rows(out / "sentences.csv")[1]}
    rows = []
    for row in read_rows(out / f"{table}.csv")[1]:
        row = {k: v for k, v in row.items() if k not in OFFSETS}
        if "sentence_id" in row:
            row["sentence_id"] = sentences.get((row["doc_id"], row["sentence_id"]), "?")
        rows.append(row)
    return rows


def equal_rows(plain: Path, other: Path) -> dict[str, tuple[int, int, int]]:
    """table -> (rows equal to the plain seed's in every field but offsets, the plain seed's rows, the
    other version's rows), position by position."""
    out = {}
    for table in COMPARED:
        a, b = comparable(plain, table), comparable(other, table)
        out[table] = (sum(1 for x, y in zip(a, b) if x == y), len(a), len(b))
    return out
