"""PDF files: their text, line by line, page after page (pages apart by a form feed).

pdfminer.six, not pypdf: pdfminer analyses the layout of each page (characters into lines, lines
into text boxes, boxes into reading order), so two columns come out one after the other and a header
drawn last still comes first; with `detect_vertical` it reads vertical Japanese (縦書き) lines right to
left; and it ships the Adobe-Japan1 CMaps, so CID-keyed Japanese fonts without a ToUnicode map decode.
pypdf gives the text in the order of the content stream, without layout analysis, so columns drawn
in any other order interleave. The lines stay as the page breaks them: the layout stage joins them
(`pipeline/stages/layout.py`).
"""
from __future__ import annotations

import io

from .errors import InputError


COLUMN_TOLERANCE = 6.0  # points: left edges this close start one column
MIN_COLUMN_LINES = 3  # a column starts where at least this many lines start
COLUMN_GAP = 4.0  # line heights: columns start at least this far apart (closer: an indent)


INDENT = 0.7  # a line starting this many of its heights right of its column's edge is indented
FULL = 1.0  # a line ending less than this many of its heights short of its column's right edge is full


def _lines(page) -> list:
    """The text lines of a pdfminer page, box after box."""
    from pdfminer.layout import LTTextBox, LTTextLine

    return [line for box in page if isinstance(box, LTTextBox) for line in box
            if isinstance(line, LTTextLine) and line.get_text().strip()]


def reading_order(boxes: list[tuple[float, float, float, float]]) -> list[tuple[int, bool, bool]]:
    """The reading order of a page's horizontal lines, given as (x0, x1, top, height), and for each
    whether it is indented (a paragraph's first line) and full (it reaches its column's right edge, so
    the page may have broken a paragraph or heading there): columns are where many lines start; a line
    that reaches past its column's right edge (a title, a centred page number) spans the columns and cuts
    the page into bands; each band is read column by column, top to bottom."""
    if not boxes:
        return []
    starts: list[list[float]] = []
    for x0 in sorted(b[0] for b in boxes):
        if starts and x0 - starts[-1][-1] <= COLUMN_TOLERANCE:
            starts[-1].append(x0)
        else:
            starts.append([x0])
    height = sorted(b[3] for b in boxes)[len(boxes) // 2]
    columns: list[float] = []
    for group in starts:  # an indent (a few heights right of a column's edge) starts no column
        if len(group) >= MIN_COLUMN_LINES and (not columns or group[0] - columns[-1] > COLUMN_GAP * height):
            columns.append(group[0])
    columns = columns or [min(b[0] for b in boxes)]

    def column(x0: float) -> int:
        return max((k for k, start in enumerate(columns) if start <= x0 + COLUMN_TOLERANCE), default=0)

    lengths = sorted(x1 - columns[column(x0)] for x0, x1, _, _ in boxes)
    width = lengths[(len(lengths) * 3) // 4]  # a column's width: where most lines end

    def edge(x0: float) -> float:
        return columns[column(x0)] + width

    spanning = sorted((i for i, (x0, x1, _, _) in enumerate(boxes) if x1 > edge(x0) + COLUMN_TOLERANCE),
                      key=lambda i: -boxes[i][2])
    cuts = [boxes[i][2] for i in spanning]
    span_set = set(spanning)

    def band(top: float) -> int:
        return sum(1 for cut in cuts if cut > top)

    body = sorted((i for i in range(len(boxes)) if i not in span_set),
                  key=lambda i: (band(boxes[i][2]), column(boxes[i][0]), -boxes[i][2], boxes[i][0]))
    order: list[int] = []
    for b in range(len(spanning) + 1):
        order += [i for i in body if band(boxes[i][2]) == b]
        if b < len(spanning):
            order.append(spanning[b])
    return [(i, i not in span_set and boxes[i][0] - columns[column(boxes[i][0])] >= INDENT * boxes[i][3],
             i not in span_set and boxes[i][1] >= edge(boxes[i][0]) - FULL * boxes[i][3]) for i in order]


def pdf_text(data: bytes, name: str) -> tuple[str, tuple[int, ...]]:
    """The text of every page: one line per text line, in reading order, pages apart by "\\f"; an
    indented line starts with an ideographic space. With it, the numbers of the lines (of the text split
    at "\\n") that reach their column's right edge."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    pages: list[str] = []
    full: list[int] = []
    row = 0
    try:
        for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams())):
            lines = _lines(page)
            if sum(1 for line in lines if len(line.get_text().strip()) == 1) * 2 > len(lines) > 1:
                # one character per line: vertical writing (縦書き), read again as such, lines right to left
                vertical = next(extract_pages(io.BytesIO(data), page_numbers=[number],
                                              laparams=LAParams(detect_vertical=True)))
                texts = [line.get_text().strip("\n") for line in _lines(vertical)]
            else:
                order = reading_order([(line.x0, line.x1, line.y1, line.height) for line in lines])
                texts = [("\u3000" if indented else "") + lines[i].get_text().strip("\n") for i, indented, _ in order]
                full += [row + k for k, (_, _, is_full) in enumerate(order) if is_full]
            pages.append("\n".join(texts))
            row += max(1, len(texts))
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as err:
        raise InputError(name, f"not a readable PDF: {type(err).__name__}: {err}".rstrip(": ")) from None
    except Exception as err:  # noqa: BLE001 - pdfminer raises many kinds on damaged files
        raise InputError(name, f"not a readable PDF: {type(err).__name__}") from None
    if not any(p.strip() for p in pages):
        raise InputError(name, "no text in the PDF (scanned pages without a text layer?)")
    return "\n\f".join(pages) + "\n", tuple(full)
