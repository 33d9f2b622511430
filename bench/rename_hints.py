#!/usr/bin/env python3
"""How many probable-rename hints apidiff gives on real schema pairs, with every hint listed for
review (false hints should be rare). Needs the corpus of ../shared/bench/fetch-corpus.sh
(default ~/.cache/apidiff-corpus, or $APIDIFF_CORPUS)."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from apidiff import compare

CORPUS = Path(os.environ.get("APIDIFF_CORPUS", Path.home() / ".cache" / "apidiff-corpus"))
GRAPHQL = "graphql/{}/package/schema.graphql"
REST = "openapi/{}/package/generated/api.github.com.json"
PAIRS = [(GRAPHQL, "14.58.0", "15.20.0"), (GRAPHQL, "10.0.0", "15.20.0"), (REST, "22.0.0", "23.0.2"),
         (REST, "16.0.0", "23.0.2")]


def main() -> int:
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}: run ../shared/bench/fetch-corpus.sh first", file=sys.stderr)
        return 2
    for pattern, old, new in PAIRS:
        report = compare(CORPUS / pattern.format(old), CORPUS / pattern.format(new), today=date(2026, 1, 1))
        removals = [c for c in report.changes if "-removed" in c.id]
        hinted = [c for c in removals if "renamed_to" in c.args]
        print(f"{pattern.split('/')[0]} {old} -> {new}: {len(hinted)} rename hints among {len(removals)} removals")
        for change in hinted:
            print(f"    {change.subject}  ->  {change.args['renamed_to']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
