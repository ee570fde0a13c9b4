"""Saved web pages: the declared encoding of the bytes, and the text a reader of the page sees.

`declared_encoding(data)` reads the page's own declaration (a BOM, `<meta charset>`, `<meta
http-equiv="Content-Type" content="…; charset=…">` or an XML declaration in the first bytes, as a
browser's pre-scan does). `page_text(source, rule)` parses the page with lxml and gives one line per
heading, paragraph, list item, caption and table row; the elements and marks that `rules/layout.yaml`
(`page`) names as no text of the paper (scripts, navigation, breadcrumbs, footers …) are left out.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

PRESCAN_BYTES = 4096
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
                      re.IGNORECASE)
# labels of the WHATWG Encoding Standard that Japanese pages use, to Python codecs (CP932 is the
# superset of Shift_JIS that Windows-made pages are really written in)
_ALIASES = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932",
            "windows-31j": "cp932", "csshiftjis": "cp932", "ms932": "cp932", "cp932": "cp932",
            "euc-jp": "euc_jp", "x-euc-jp": "euc_jp", "iso-2022-jp": "iso2022_jp", "utf-8": "utf-8", "utf8": "utf-8"}


def declared_encoding(data: bytes) -> str | None:
    """The Python codec the page declares for itself, or None when it declares none (or an unknown one)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    m = _CHARSET.search(data[:PRESCAN_BYTES])
    if not m:
        return None
    label = (m.group(1) or m.group(2)).decode("ascii").lower()
    name = _ALIASES.get(label, label)
    try:
        return codecs.lookup(name).name if name not in ("cp932", "utf-8-sig") else name
    except LookupError:
        return None


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_SPACE_RUN = re.compile(r"[ \t\r\n\f\u00a0]+")


def _wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in "FW"


def _collapse(text: str) -> str:
    """Whitespace as a browser shows it: a run is one space, and a line break between two wide
    (Japanese) characters is none."""
    def one(m: re.Match) -> str:
        a, b = m.start(), m.end()
        before, after = text[a - 1:a], text[b:b + 1]
        if ("\n" in m.group() or "\r" in m.group()) and before and after and _wide(before) and _wide(after):
            return ""
        return " "

    return _SPACE_RUN.sub(one, text)


def page_text(source: str, rule) -> str:
    """The text of a web page as its reader sees it: one line per block, blocks apart by a blank line."""
    import lxml.html
    from lxml import etree

    source = _XML_DECLARATION.sub("", source, count=1)
    try:
        root = lxml.html.document_fromstring(source)
    except (etree.ParserError, ValueError):
        return ""
    drop = {t.lower() for t in rule.drop_elements}
    marks = {m.lower() for m in rule.drop_marks}
    blocks = {t.lower() for t in rule.block_elements}
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = _collapse("".join(current)).strip()
        current.clear()
        if line:
            lines.append(line)

    def dropped(el) -> bool:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in drop:
            return True
        words = set((el.get("class") or "").lower().split()) | {(el.get("id") or "").lower(),
                                                                  (el.get("role") or "").lower()}
        return bool(words & marks)

    def walk(el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag == "br":
            flush()
        elif not dropped(el):
            block = tag in blocks
            if block:
                flush()
            if tag in ("td", "th") and el.getprevious() is not None:
                current.append(rule.table_cell_separator)
            current.append(el.text or "")
            for child in el:
                walk(child)
            if block:
                flush()
        current.append(el.tail or "")

    body = root.find("body")
    for child in (body if body is not None else root):
        walk(child)
    flush()
    return "\n\n".join(lines) + ("\n" if lines else "")
