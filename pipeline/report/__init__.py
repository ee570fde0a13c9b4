"""`python -m pipeline report`: a static HTML report of a run, built from the CSV tables and raw text.

Writes `<out>/index.html` (opens from disk: no server, no network; one small inline script for the
meeting filters), the meetings timeline beside it (`timeline.svg`) and, with `--png`, a screenshot of
the page rendered by headless Chromium (`index.png`). The page shows the meetings per year and on a
timeline (one row per counterpart, hover and click), a table of all meetings filterable by
counterpart, mode and year, the rows added and removed per table since the previous run
(`tables.previous_dir`), per document the raw text with headings as headings and every date,
person, venue and clause highlighted (hover: the row's values, rule and source), a sticky table of
contents, and per-meeting cards that print whole. Nothing re-runs the pipeline.

The report's default folder is `OUTPUT.report/` beside the output folder (`output.report/`), so that
the next `extract`, which replaces `output/` whole, does not delete it.

The package: `page` (the page and the screenshot), `text` (the highlighted document text),
`cards` (meeting cards and table), `timeline` (the timeline and year chart), `diff` (changes since
the previous run).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from .diff import TableDiff, diff_tables, render_diff
from .page import build_report, screenshot
from .text import Span, Unit, render_segment, span_of, units_of
from .timeline import TimelinePoint, timeline_points, timeline_svg, write_timeline, year_chart_svg

COMMAND = "report"

__all__ = ["COMMAND", "Span", "TableDiff", "TimelinePoint", "Unit", "add_parser", "build_report", "diff_tables",
           "main", "render_diff", "render_segment", "report_dir", "screenshot", "span_of", "timeline_points",
           "timeline_svg", "units_of", "write_timeline", "year_chart_svg"]


def report_dir(output: Path) -> Path:
    """The report's default folder: beside the output folder, which every `extract` replaces whole."""
    output = Path(output)
    return output.parent / f"{output.name}.report"


def add_parser(sub) -> None:
    rp = sub.add_parser("report", help="write a static HTML report of output/ into output.report/")
    rp.add_argument("--output", type=Path, default=Path("output"), help="folder of the CSV tables (default: output)")
    rp.add_argument("--raw", type=Path, default=Path("raw"), help="folder of raw *.txt files (default: raw)")
    rp.add_argument("--out", type=Path, default=None,
                    help="report folder (default: OUTPUT.report beside the output folder, which extract replaces)")
    rp.add_argument("--previous", type=Path, default=None,
                    help="tables of the previous run to diff against (default: the kept .OUTPUT.previous/)")
    rp.add_argument("--png", action="store_true", help="also render index.png with headless Chromium")


def main(args: argparse.Namespace) -> int:
    out = args.out if args.out is not None else report_dir(args.output)
    index = build_report(output=args.output, raw=args.raw, out=out, previous=args.previous)
    print(f"wrote {index}")
    if args.png:
        print(f"wrote {screenshot(index, out / 'index.png')}")
    return 0
