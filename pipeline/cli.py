"""The command line: `python -m pipeline COMMAND ...`. Thin: parse, then call.

Commands other than extract/check-rules live in their own modules, each with
`add_parser(subparsers)` and `main(args) -> int`; they are listed in COMMAND_MODULES.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import PipelineError


# module names (inside the package) that provide more subcommands
COMMAND_MODULES: tuple[str, ...] = ("evaluate", "explain", "report", "bench")


def _command_modules():
    import importlib

    return [importlib.import_module(f".{name}", __package__) for name in COMMAND_MODULES]


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="run the pipeline on raw/ into output/")
    ex.add_argument("--raw", type=Path, default=Path("raw"), help="folder of raw *.txt files (default: raw)")
    ex.add_argument("--rules", type=Path, default=Path("rules"), help="rule folder (default: rules)")
    ex.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output)")
    ex.add_argument("--jobs", type=int, default=0, help="worker processes (default: number of cores)")
    ex.add_argument("--no-ner", action="store_true", help="skip the GiNZA NER stage (rules only)")
    ex.add_argument("--fail-fast", action="store_true", help="stop at the first failing document")
    ex.add_argument("--cache", type=Path, default=Path(".cache"),
                    help="cache of MeCab/GiNZA results, reused when text is unchanged (default: .cache)")
    ex.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")

    ck = sub.add_parser("check-rules", help="validate every rule file and exit")
    ck.add_argument("--rules", type=Path, default=Path("rules"))
    for module in _command_modules():
        module.add_parser(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "extract":
            from .run import Settings, run

            jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
            return run(Settings(raw=args.raw, rules=args.rules, out=args.out, jobs=jobs, ner=not args.no_ner,
                                fail_fast=args.fail_fast, progress=sys.stderr.isatty(),
                                cache=None if args.no_cache else args.cache))
        if args.command == "check-rules":
            from .ruleset import load_rules

            rules = load_rules(args.rules)
            print(f"{len(rules.files)} rule files in {args.rules}/ are valid")
            return 0
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
