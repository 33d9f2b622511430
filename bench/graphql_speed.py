#!/usr/bin/env python3
"""Whole-process speed and peak memory of a GraphQL schema diff: apidiff against graphql-core and graphql-inspector.

Each command runs in a fresh process, the commands interleaved (A, B, C, A, B, C, ...) after one
warm-up round, so that a noisy machine slows them alike:

- ``apidiff diff OLD NEW --format json``: the installed CLI (exit code 1 on breaking changes is normal);
- graphql-core: ``build_schema`` of both files, ``find_breaking_changes`` and ``find_dangerous_changes``,
  in a fresh interpreter (the same one as apidiff's);
- ``graphql-inspector diff OLD NEW``, when ``/work/scratch/node_modules/.bin/graphql-inspector`` exists or
  ``--inspector PATH`` is given (it exits non-zero on breaking changes too).

Prints median and minimum wall seconds, median peak RSS, and the ratios to apidiff.

    python bench/graphql_speed.py [--old 14.58.0] [--new 15.20.0] [--runs 5] [--against DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from _common import (
    REPO,
    Series,
    add_against_argument,
    add_corpus_arguments,
    against_series,
    ensure_corpus,
    graphql_sdl,
    machine_line,
    measure_interleaved,
    print_table,
    tool,
)

DEFAULT_INSPECTOR = REPO.parent / "scratch" / "node_modules" / ".bin" / "graphql-inspector"

GRAPHQL_CORE = """
import sys
from graphql import build_schema
from graphql.utilities import find_breaking_changes, find_dangerous_changes
old, new = (build_schema(open(p, encoding="utf-8").read()) for p in sys.argv[1:3])
changes = find_breaking_changes(old, new) + find_dangerous_changes(old, new)
print(len(changes))
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", default="14.58.0", help="old @octokit/graphql-schema version (default 14.58.0)")
    parser.add_argument("--new", default="15.20.0", help="new version (default 15.20.0)")
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each command (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured rounds first (default 1)")
    parser.add_argument("--no-fork", action="store_true",
                        help="also time apidiff in one process (APIDIFF_NO_FORK=1): it loads two large schemas in "
                             "parallel by forking, and the peak RSS measured is that of the largest process")
    parser.add_argument("--inspector", type=Path, default=None,
                        help=f"graphql-inspector executable (default: {DEFAULT_INSPECTOR} when it exists)")
    add_against_argument(parser)
    add_corpus_arguments(parser)
    args = parser.parse_args(argv)

    old, new = graphql_sdl(args.old), graphql_sdl(args.new)
    ensure_corpus([old, new], args.fetch_script)
    series = [
        Series("apidiff diff --format json", [tool("apidiff"), "diff", str(old), str(new), "--format", "json"],
               ok_codes=(0, 1)),
        Series("graphql-core (python)", [sys.executable, "-c", GRAPHQL_CORE, str(old), str(new)]),
    ]
    series[1:1] = against_series("apidiff diff --format json", args.against,
                                 ["diff", str(old), str(new), "--format", "json"])
    if args.no_fork:
        series.insert(1, Series("apidiff, one process", series[0].argv, ok_codes=(0, 1),
                                env={**os.environ, "APIDIFF_NO_FORK": "1"}))
    inspector = args.inspector or (DEFAULT_INSPECTOR if DEFAULT_INSPECTOR.exists() else None)
    if inspector is not None:
        series.append(Series("graphql-inspector diff", [str(inspector), "diff", str(old), str(new)], ok_codes=(0, 1)))
    else:
        print(f"graphql-inspector not found at {DEFAULT_INSPECTOR} (use --inspector PATH): left out")

    print(f"GraphQL @octokit/graphql-schema {args.old} -> {args.new} "
          f"({old.stat().st_size / 1e6:.1f} MB -> {new.stat().st_size / 1e6:.1f} MB of SDL); {machine_line()}")
    measure_interleaved(series, args.runs, args.warmup)
    print_table(series, reference=series[0].name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
