#!/usr/bin/env python3
"""How big are the reports on real schema pairs, and does the pull-request comment still show every breaking change?

For GitHub's GraphQL schema 10.0.0 → 15.20.0 and 14.58.0 → 15.20.0 and its REST description 22.0.0 → 23.0.2
(the corpus of ``../shared/bench/fetch-corpus.sh``, see ``_common.py``), each measured in a fresh process,
with its wall time:

- ``text``: lines (and characters) of ``apidiff diff OLD NEW`` (no colour);
- ``markdown``: characters of ``apidiff diff --format markdown``;
- ``comment``: characters of the pull-request comment the GitHub Action posts
  (``apidiff.ci.github_action.comment_body``: the Markdown report cut to GitHub's 65,536-character limit,
  with its marker, note and footer), whether it was cut (the job summary's Markdown, up to 1 MiB, is not
  all in it), and how many of the breaking changes it shows: by
  their message, or only by their subject (Markdown escapes, backticks and HTML entities ignored);
- ``guide.md`` / ``guide.html``: bytes and lines of ``apidiff guide`` in Markdown and HTML;
- ``plan.md``: bytes and lines of ``apidiff plan``.

    python bench/report_sizes.py [--against DIR] [--today 2026-12-01] [--only TEXT] [--timeout 900]
                                 [--fetch-script PATH]

``--against DIR`` measures the apidiff of another source tree too (an untouched copy, a ``git worktree``),
each of its commands right after this tree's, and prints both side by side. Commands run with this
interpreter as ``python -c "…from apidiff.cli import main; main()" ARGS`` with ``PYTHONPATH`` set to the
tree, from the corpus folder (reports name the files ``graphql/10.0.0/package/schema.graphql``, about as
long as paths in a repository), with ``NO_COLOR=1``, ``COLUMNS=100``, ``TZ=UTC``, ``--today`` and
``--no-config``. Each tree is checked first to import apidiff from itself. Exit code 2 when the corpus or a
tree cannot be had; a command that fails is shown as ``error`` (with its last line of standard error) and
makes the exit code 1.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _common import REPO, add_corpus_arguments, corpus_dir, ensure_corpus, graphql_sdl, machine_line, openapi_json

TODAY = "2026-12-01"
FIXED_ENV = {"NO_COLOR": "1", "COLUMNS": "100", "TZ": "UTC"}
CLI = "import sys; sys.argv[0] = 'apidiff'; from apidiff.cli import main; main()"

# The comment as the Action builds it, and which breaking changes it shows. Run in the measured tree.
COMMENT = r'''
import html, json, re, sys
from datetime import date
from apidiff import compare
from apidiff.ci import github_action as ga

old, new, today = sys.argv[1], sys.argv[2], date.fromisoformat(sys.argv[3])
report = compare(old, new, today=today)
outcome = ga.Outcome(schema=new, path=new, status="compared", report=report)
base = ga.Base(sha="0" * 40, short="0123456789ab", label="main (0123456789ab)")
body, _ = ga.comment_body(outcome, base, "breaking", "https://github.com/o/r/actions/runs/1")

def plain(text):
    text = html.unescape(text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~])", r"\1", text)
    return " ".join(text.replace("`", "").split())

shown = plain(body)
breaking = [c for c in report.changes if c.severity.value == "breaking"]
by_message = sum(1 for c in breaking if plain(c.message) in shown)
by_subject = sum(1 for c in breaking if plain(c.message) not in shown and plain(c.subject) in shown)
# a change folded into a group is shown when its group's element and its own member or place are
grouped_shown = set()
try:
    from apidiff.core.groups import facet_for, group_changes
    for g in group_changes(report.changes, facet_for(report.new.kind)):
        for i in g.changes:
            c = report.changes[i]
            if c.severity.value != "breaking" or plain(c.message) in shown or plain(c.subject) in shown:
                continue
            facet = facet_for(report.new.kind)(c)
            own = [plain(x) for x in (facet.member, facet.place) if x]
            if plain(g.element) in shown and own and all(x in shown for x in own):
                grouped_shown.add(i)
except ImportError:  # a tree without groups
    pass
by_group = len(grouped_shown)
missing = [c.message for i, c in enumerate(report.changes) if c.severity.value == "breaking"
           and plain(c.message) not in shown and plain(c.subject) not in shown and i not in grouped_shown]
full = ga.render(report, "markdown", fail_on="breaking", limit=ga.SUMMARY_LIMIT)
print(json.dumps({"chars": len(body), "limit": ga.COMMENT_LIMIT, "cut": full not in body,
                  "breaking": len(breaking), "by_message": by_message, "by_subject": by_subject, "by_group": by_group,
                  "missing": missing[:3]}))
'''


@dataclass(frozen=True, slots=True)
class Pair:
    name: str
    old: Path
    new: Path


@dataclass(frozen=True, slots=True)
class Measure:
    name: str
    args: tuple[str, ...]  # apidiff arguments after OLD NEW; empty for the comment
    comment: bool = False


@dataclass(slots=True)
class Result:
    seconds: float
    error: str | None = None
    chars: int = 0
    bytes: int = 0
    lines: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def measures(today: str) -> list[Measure]:
    dated = ("--today", today, "--no-config")
    return [
        Measure("text", ("--no-color", "--fail-on", "never", *dated)),
        Measure("markdown", ("--format", "markdown", "--fail-on", "never", *dated)),
        Measure("comment", (), comment=True),
        Measure("guide.md", dated),
        Measure("guide.html", ("--format", "html", *dated)),
        Measure("plan.md", dated),
    ]


def pairs() -> list[Pair]:
    return [
        Pair("GitHub GraphQL 10.0.0 → 15.20.0", graphql_sdl("10.0.0"), graphql_sdl("15.20.0")),
        Pair("GitHub GraphQL 14.58.0 → 15.20.0", graphql_sdl("14.58.0"), graphql_sdl("15.20.0")),
        Pair("GitHub REST 22.0.0 → 23.0.2", openapi_json("22.0.0"), openapi_json("23.0.2")),
    ]


def environment(tree: Path) -> dict[str, str]:
    return {**os.environ, **FIXED_ENV, "PYTHONPATH": str(tree)}


def check_tree(tree: Path) -> None:
    """Exit with 2 unless ``import apidiff`` from the corpus folder with PYTHONPATH=tree finds the tree's."""
    done = subprocess.run([sys.executable, "-c", "import apidiff; print(apidiff.__file__)"], cwd=corpus_dir(),
                          env=environment(tree), capture_output=True, text=True, timeout=60, check=False)
    where = Path(done.stdout.strip()).resolve() if done.returncode == 0 else None
    if where is None or not where.is_relative_to(tree.resolve()):
        print(f"{tree}: apidiff is imported from {where or done.stderr.strip()[-300:]}, not from this tree",
              file=sys.stderr)
        sys.exit(2)


def relative(path: Path) -> str:
    return path.relative_to(corpus_dir()).as_posix() if path.is_relative_to(corpus_dir()) else str(path)


def run(tree: Path, pair: Pair, measure: Measure, today: str, timeout: float) -> Result:
    old, new = relative(pair.old), relative(pair.new)
    if measure.comment:
        argv = [sys.executable, "-c", COMMENT, old, new, today]
    else:
        verb = "diff" if measure.name in ("text", "markdown") else measure.name.split(".")[0]
        argv = [sys.executable, "-c", CLI, verb, old, new, *measure.args]
    start = time.perf_counter()
    try:
        done = subprocess.run(argv, cwd=corpus_dir(), env=environment(tree), capture_output=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        return Result(time.perf_counter() - start, error=f"timed out after {timeout:g} s")
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        lines = done.stderr.decode("utf-8", "backslashreplace").strip().splitlines()
        return Result(seconds, error=f"exit {done.returncode}: {lines[-1][:200] if lines else ''}")
    text = done.stdout.decode("utf-8")
    result = Result(seconds, chars=len(text), bytes=len(done.stdout), lines=text.count("\n"))
    if measure.comment:
        result.extra = json.loads(text)
        result.chars = int(result.extra["chars"])
    return result


def describe(measure: Measure, r: Result) -> str:
    if r.error is not None:
        return f"error ({r.error})"
    if measure.name == "text":
        figure = f"{r.lines:,} lines, {r.chars:,} chars"
    elif measure.name == "markdown":
        figure = f"{r.chars:,} chars"
    elif measure.comment:
        e = r.extra
        shown = int(e["by_message"]) + int(e["by_subject"]) + int(e.get("by_group", 0))
        figure = (f"{r.chars:,} chars{' (cut)' if e['cut'] else ''}; breaking shown {shown}/{e['breaking']}"
                  f" ({e['by_message']} by message"
                  + (f", {e['by_subject']} by subject only" if e["by_subject"] else "")
                  + (f", {e['by_group']} in their group's line" if e.get("by_group") else "") + ")")
    else:
        figure = f"{r.bytes:,} bytes, {r.lines:,} lines"
    return f"{figure}  {r.seconds:.2f} s"


def print_pair(pair: Pair, trees: Sequence[tuple[str, Path]], rows: list[tuple[Measure, list[Result]]]) -> None:
    print(f"\n{pair.name}  ({relative(pair.old)} → {relative(pair.new)})")
    cells = [[describe(m, r) for r in results] for m, results in rows]
    widths = [max(len(label), *(len(c[i]) for c in cells)) for i, (label, _) in enumerate(trees)]
    name_width = max(len("measure"), *(len(m.name) for m, _ in rows))
    print(f"  {'measure':<{name_width}}  " + "  ".join(f"{label:<{w}}" for (label, _), w in zip(trees, widths,
                                                                                               strict=True)))
    for (m, _), row in zip(rows, cells, strict=True):
        print(f"  {m.name:<{name_width}}  " + "  ".join(f"{c:<{w}}" for c, w in zip(row, widths, strict=True)))
    for m, results in rows:
        for (label, _), r in zip(trees, results, strict=True):
            missing = r.extra.get("missing") if m.comment else None
            if missing:
                print(f"  {label}: breaking changes not in the comment, e.g. {missing}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--against", type=Path, default=None, metavar="DIR",
                        help="also measure the apidiff of the source tree DIR (PYTHONPATH=DIR), side by side")
    parser.add_argument("--today", default=TODAY, help=f"the date sunsets are judged against (default: {TODAY})")
    parser.add_argument("--only", default=None, metavar="TEXT",
                        help="only pairs or measures whose name contains TEXT (e.g. REST, guide)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed per command (default: 900)")
    add_corpus_arguments(parser)
    args = parser.parse_args(argv)
    chosen = pairs()
    ensure_corpus([p for pair in chosen for p in (pair.old, pair.new)], args.fetch_script)
    trees = [("this tree", REPO)]
    if args.against is not None:
        if not (args.against / "apidiff" / "__init__.py").is_file():
            print(f"--against {args.against}: not an apidiff source tree (no apidiff/__init__.py)", file=sys.stderr)
            return 2
        trees.append((str(args.against), args.against.resolve()))
    for _, tree in trees:
        check_tree(tree)
    print(f"report sizes, --today {args.today}; {machine_line()}")
    print("trees: " + ", ".join(f"{label} = {tree}" for label, tree in trees))
    failed = False
    for pair in chosen:
        rows = []
        for measure in measures(args.today):
            if args.only and args.only not in pair.name and args.only not in measure.name:
                continue
            results = [run(tree, pair, measure, args.today, args.timeout) for _, tree in trees]
            failed |= any(r.error is not None for r in results)
            print(f"  {pair.name} {measure.name}: " + ", ".join(f"{r.seconds:.2f} s" for r in results),
                  file=sys.stderr, flush=True)
            rows.append((measure, results))
        if rows:
            print_pair(pair, trees, rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
