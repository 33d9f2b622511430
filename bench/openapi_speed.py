#!/usr/bin/env python3
"""Whole-process speed and peak memory of an OpenAPI diff: apidiff on GitHub's REST description, JSON and YAML.

The pair (``@octokit/openapi`` ``generated/api.github.com.json``, ~12 MB each) is also converted once to
YAML (PyYAML ``CSafeDumper``, ``sort_keys=False``) in a temporary folder. Measured, each in a fresh process,
interleaved after one warm-up round:

- ``apidiff diff OLD NEW --format json`` on the JSON files, and on the YAML files (exit code 1 is normal);
- floors: a Python process that only ``json.load``s both JSON files, and one that only ``ryaml.loads`` both
  YAML files (the YAML parser apidiff uses); with ``--pyyaml``, also PyYAML ``CSafeLoader`` on both (slow);
- ``oasdiff breaking OLD NEW`` on both pairs, when ``oasdiff`` is on PATH or ``--oasdiff PATH`` is given.

Prints median and minimum wall seconds, median peak RSS, and the ratios to apidiff on JSON.

    python bench/openapi_speed.py [--old 22.0.0] [--new 23.0.2] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import yaml
from _common import (
    Series,
    add_against_argument,
    add_corpus_arguments,
    against_series,
    ensure_corpus,
    machine_line,
    measure_interleaved,
    openapi_json,
    print_table,
    tool,
)

JSON_FLOOR = """
import json, sys
for p in sys.argv[1:]:
    with open(p, "rb") as f:
        json.load(f)
"""
RYAML_FLOOR = """
import sys, ryaml
for p in sys.argv[1:]:
    with open(p, encoding="utf-8") as f:
        ryaml.loads(f.read())
"""
PYYAML_FLOOR = """
import sys, yaml
for p in sys.argv[1:]:
    with open(p, encoding="utf-8") as f:
        yaml.load(f, Loader=yaml.CSafeLoader)
"""


def to_yaml(source: Path, target: Path) -> None:
    with source.open("rb") as f:
        data = json.load(f)
    with target.open("w", encoding="utf-8") as out:
        yaml.dump(data, out, Dumper=yaml.CSafeDumper, sort_keys=False)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", default="22.0.0", help="old @octokit/openapi version (default 22.0.0)")
    parser.add_argument("--new", default="23.0.2", help="new version (default 23.0.2)")
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each command (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured rounds first (default 1)")
    parser.add_argument("--oasdiff", default=None, help="oasdiff executable (default: oasdiff on PATH, if any)")
    parser.add_argument("--pyyaml", action="store_true",
                        help="also measure a PyYAML CSafeLoader floor on the YAML pair (~5 s per file)")
    parser.add_argument("--no-fork", action="store_true",
                        help="also time apidiff on JSON in one process (APIDIFF_NO_FORK=1): it loads two large "
                             "documents in parallel by forking, and the peak RSS measured is the largest process's")
    add_against_argument(parser)
    add_corpus_arguments(parser)
    args = parser.parse_args(argv)

    old, new = openapi_json(args.old), openapi_json(args.new)
    ensure_corpus([old, new], args.fetch_script)
    apidiff = tool("apidiff")
    oasdiff = args.oasdiff or shutil.which("oasdiff")

    with tempfile.TemporaryDirectory(prefix="apidiff-bench-") as tmp:
        old_yaml, new_yaml = Path(tmp) / f"{args.old}.yaml", Path(tmp) / f"{args.new}.yaml"
        start = time.perf_counter()
        to_yaml(old, old_yaml)
        to_yaml(new, new_yaml)
        converted = time.perf_counter() - start

        def mb(p: Path) -> str:
            return f"{p.stat().st_size / 1e6:.1f}"

        print(f"OpenAPI @octokit/openapi {args.old} -> {args.new}: JSON {mb(old)} MB -> {mb(new)} MB, "
              f"YAML {mb(old_yaml)} MB -> {mb(new_yaml)} MB (converted in {converted:.1f} s); {machine_line()}")

        series = [
            Series("apidiff diff (JSON)", [apidiff, "diff", str(old), str(new), "--format", "json"], ok_codes=(0, 1)),
            Series("apidiff diff (YAML)", [apidiff, "diff", str(old_yaml), str(new_yaml), "--format", "json"],
                   ok_codes=(0, 1)),
            *against_series("apidiff diff (JSON)", args.against, ["diff", str(old), str(new), "--format", "json"]),
            *against_series("apidiff diff (YAML)", args.against,
                            ["diff", str(old_yaml), str(new_yaml), "--format", "json"]),
            Series("floor: json.load both", [sys.executable, "-c", JSON_FLOOR, str(old), str(new)]),
            Series("floor: ryaml.loads both", [sys.executable, "-c", RYAML_FLOOR, str(old_yaml), str(new_yaml)]),
        ]
        if args.no_fork:
            series.insert(1, Series("apidiff (JSON), one process", series[0].argv, ok_codes=(0, 1),
                                    env={**os.environ, "APIDIFF_NO_FORK": "1"}))
        if args.pyyaml:
            series.append(Series("floor: PyYAML CSafeLoader both",
                                 [sys.executable, "-c", PYYAML_FLOOR, str(old_yaml), str(new_yaml)]))
        if oasdiff:
            series += [Series("oasdiff breaking (JSON)", [oasdiff, "breaking", str(old), str(new)], ok_codes=(0, 1)),
                       Series("oasdiff breaking (YAML)", [oasdiff, "breaking", str(old_yaml), str(new_yaml)],
                              ok_codes=(0, 1))]
        else:
            print("oasdiff: not on PATH (use --oasdiff PATH): left out")

        measure_interleaved(series, args.runs, args.warmup)
    print_table(series, reference=series[0].name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
