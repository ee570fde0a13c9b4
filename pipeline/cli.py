"""The command line: `python -m pipeline COMMAND ...`. Thin: parse, then call.

Commands other than extract/check-rules live in their own modules, each with
`add_parser(subparsers)` and `main(args) -> int`; they are listed in COMMAND_MODULES.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import PipelineError, UsageError


# module names (inside the package) that provide more subcommands
COMMAND_MODULES: tuple[str, ...] = ("evaluate", "explain", "report", "bench", "workbook")


def _command_modules():
    import importlib

    return [importlib.import_module(f".{name}", __package__) for name in COMMAND_MODULES]


class Parser(argparse.ArgumentParser):
    """argparse, with a bad option reported as one line (UsageError) instead of the usage text."""

    def error(self, message: str):
        raise UsageError(f"{self.prog}: {message} (see --help)")


def at_least(minimum: int, meaning: str = ""):
    """An argparse type: an integer >= minimum (`meaning` says what the smallest value means)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(f"must be a whole number of at least {minimum}"
                                             f"{f' ({meaning})' if meaning else ''}, not {text!r}")
        return value

    parse.__name__ = "at_least"
    return parse


JOBS = at_least(0, "0: one worker per core")


def _size(text: str) -> int:
    """An argparse type: a size in bytes (`500M`, `2G`)."""
    from .cache import parse_size

    try:
        return parse_size(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def cores(jobs: int) -> int:
    """Worker processes for `--jobs` (0: one per core)."""
    return jobs if jobs > 0 else (os.cpu_count() or 1)


BUILT_IN = ("extract", "check-rules")  # the commands of this module: their runs import no other command's module


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; for a built-in `command`, without the other commands' modules (an
    extract starts sooner without importing the report's)."""
    ap = Parser(prog="python -m pipeline", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="run the pipeline on raw/ into output/")
    ex.add_argument("--raw", type=Path, default=Path("raw"), help="folder of raw *.txt files (default: raw)")
    ex.add_argument("--rules", type=Path, default=Path("rules"), help="rule folder (default: rules)")
    ex.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output)")
    ex.add_argument("--jobs", type=JOBS, default=0, help="worker processes (default 0: one per core)")
    ex.add_argument("--no-ner", action="store_true", help="skip the GiNZA NER stage (rules only)")
    ex.add_argument("--fail-fast", action="store_true", help="stop at the first failing document")
    ex.add_argument("--cache", type=Path, default=Path(".cache"),
                    help="cache of MeCab/GiNZA results, reused when text is unchanged (default: .cache)")
    ex.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    ex.add_argument("--cache-max-size", type=_size, default=1 << 30, metavar="SIZE",
                    help="the cache's size after a run, least recently used documents evicted first "
                         "(default 1G; 500M, 2G, bytes)")
    ex.add_argument("--executor", choices=("local", "dask"), default="local",
                    help="local: a process pool of --jobs workers (default); dask: the Dask cluster at --scheduler")
    ex.add_argument("--scheduler", help="address of the Dask scheduler for --executor dask (tcp://HOST:8786)")
    ex.add_argument("--xlsx", action="store_true", help="also write OUT/hakusho.xlsx, one sheet per table")
    ex.add_argument("--csv-bom", action="store_true",
                    help="write the CSVs with a UTF-8 BOM, so that a double-click opens them right in Excel")
    ex.add_argument("--layout", choices=("auto", "plain", "pdf"), default="auto",
                    help="how the lines of every document are laid out: auto (rules/layout.yaml decides, per "
                         "document), plain (one paragraph per line: read as is) or pdf (broken where a page "
                         "ended them: joined, page numbers and running headers dropped)")

    ck = sub.add_parser("check-rules", help="validate every rule file and run every rule's examples")
    ck.add_argument("--rules", type=Path, default=Path("rules"))
    ck.add_argument("--no-examples", action="store_true", help="only validate; do not run the examples")
    if command not in BUILT_IN:
        for module in _command_modules():
            module.add_parser(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    try:
        argv = sys.argv[1:] if argv is None else argv
        args = _parser(argv[0] if argv else None).parse_args(argv)
        if args.command == "extract":
            from .run import Settings, run

            if args.cache.exists() and not args.cache.is_dir() and not args.no_cache:
                raise UsageError(f"--cache {args.cache}: not a folder")
            return run(Settings(raw=args.raw, rules=args.rules, out=args.out, jobs=cores(args.jobs),
                                ner=not args.no_ner, fail_fast=args.fail_fast, progress=sys.stderr.isatty(),
                                cache=None if args.no_cache else args.cache, cache_max=args.cache_max_size,
                                executor=args.executor, scheduler=args.scheduler, csv_bom=args.csv_bom,
                                xlsx=args.xlsx, layout="" if args.layout == "auto" else args.layout))
        if args.command == "check-rules":
            return check_rules(args.rules, examples=not args.no_examples)
        for module in _command_modules():
            if getattr(module, "COMMAND", None) == args.command:
                return module.main(args)
    except PipelineError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; output/ left as it was", file=sys.stderr)
        return 130
    return 2


def check_rules(folder: Path, *, examples: bool = True) -> int:
    """Validate every rule file, then run every rule's examples and counter-examples: 0 when all pass."""
    from .ruleset import load_rules

    rules = load_rules(folder)
    for path in rules.ignored:
        print(f"warning: {path}: not a rule file, ignored", file=sys.stderr)
    print(f"{len(rules.files)} rule files in {folder}/ are valid")
    if not examples:
        return 0
    from .examples import check_examples

    run, problems = check_examples(folder, rules)
    for line in problems:
        print(f"error: {line}", file=sys.stderr)
    print(f"{run - len(problems)} of {run} rule examples and counter-examples behave")
    return 1 if problems else 0
