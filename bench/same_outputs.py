#!/usr/bin/env python3
"""Are the program's outputs byte-identical to those of another git revision? A safety net for refactorings.

Checks out ``--against REV`` (default ``HEAD``) into a temporary ``git worktree add --detach`` (removed at
the end, also on an error or Ctrl-C), then runs every command below twice, each in a fresh process of this
interpreter:

- with REV's code: ``python -c "import sys; sys.argv[0]='apidiff'; from apidiff.cli import main; main()" ARGS``
  with ``PYTHONPATH=<worktree>`` and the worktree as working directory;
- with the working tree's code (the repository holding this script): ``PYTHONPATH=<repository>``, the
  repository as working directory.

The entry point is read from each tree's ``pyproject.toml`` (``[project.scripts] apidiff``, by default
``apidiff.cli:main``), so a moved ``main`` is followed; both sides check first that the package is
imported from their own tree. Example and fixture files are passed by the same relative path on both
sides (file names appear in the reports), corpus files by the same absolute path. The environment is
inherited, with ``NO_COLOR=1``, ``COLUMNS=100`` and ``TZ=UTC``; every dated command gets ``--today``
and every command that reads a configuration file gets ``--no-config``.

Compared: standard output (bytes) and the exit code. One line per command::

    same  NAME  BYTES bytes  OLD_S/NEW_S
    DIFF  NAME  OLD_BYTES/NEW_BYTES bytes  exit OLD/NEW  OLD_S/NEW_S   (then the first differing line)

and at the end ``N same, M different``; the exit code is 1 when anything differs (or a run timed out),
2 when the corpus or the worktree cannot be had, 0 otherwise. A command that exits with neither 0 nor 1
on both sides, or prints a traceback, is still ``same`` but gets a ``note:`` line with its standard error (a
vacuous comparison); standard error is not compared, but a ``note:`` says when it differs.

Inputs: the petstore and GraphQL examples, the usage fixtures (``fixtures/usage/graphql`` with its
``clients`` folder, ``fixtures/usage/http`` with its HAR, access log and JSON lines), and from the corpus of
``../shared/bench/fetch-corpus.sh`` (see ``_common.py``; ``--quick`` skips it): GitHub's GraphQL SDL
14.58.0 → 15.20.0 and 10.0.0 → 15.20.0, its introspection JSON 15.18.1 → 15.20.0, and GitHub's REST
description 22.0.0 → 23.0.2.

    python bench/same_outputs.py [--against REV] [--new REV] [--quick] [--save DIR] [--jobs 2] [--timeout 300]
                                 [--only SUBSTRING] [--fetch-script PATH]

``--new REV`` compares REV with a second temporary worktree instead of the working tree:
``--against HEAD --new HEAD`` compares the same code with itself, which shows any non-determinism.

``--save DIR`` writes the working tree's output of every command to ``DIR/NAME.out``, and REV's to
``DIR/NAME.old.out`` when they differ.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from _common import REPO, add_corpus_arguments, ensure_corpus, graphql_sdl, openapi_json

TODAY = "2026-12-01"
DEFAULT_ENTRY = "apidiff.cli:main"
FIXED_ENV = {"NO_COLOR": "1", "COLUMNS": "100", "TZ": "UTC"}
DIFF_FORMATS = ("json", "markdown", "html", "sarif", "text", "junit", "github")
EXCERPT_BEFORE, EXCERPT_AFTER = 60, 120  # characters of the first differing line shown around the difference


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    args: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Side:
    """One version of the code: the tree it is imported from (also the working directory) and its entry point."""

    label: str
    root: Path
    entry: str

    def argv(self, args: Sequence[str]) -> list[str]:
        module, _, function = self.entry.partition(":")
        code = f"import sys; sys.argv[0]='apidiff'; from {module} import {function}; {function}()"
        return [sys.executable, "-c", code, *args]

    def env(self) -> dict[str, str]:
        return {**os.environ, **FIXED_ENV, "PYTHONPATH": str(self.root)}


@dataclass(frozen=True, slots=True)
class Result:
    stdout: bytes
    stderr: bytes
    returncode: int | None  # None: timed out
    seconds: float


# -- the commands ----------------------------------------------------------------------------------

def pair_commands(name: str, old: str, new: str) -> list[Command]:
    """Every report of one schema pair: diff in each format, changelog, guide and plan."""
    dated = ("--today", TODAY)
    commands = [Command(f"{name}.diff.{fmt}", ("diff", old, new, "--format", fmt, "--fail-on", "never", *dated,
                                               "--no-config", *(("--no-color",) if fmt == "text" else ())))
                for fmt in DIFF_FORMATS]
    commands += [
        Command(f"{name}.changelog", ("changelog", old, new, *dated)),
        Command(f"{name}.guide.markdown", ("guide", old, new, *dated, "--no-config")),
        Command(f"{name}.guide.html", ("guide", old, new, *dated, "--format", "html", "--no-config")),
        Command(f"{name}.plan.markdown", ("plan", old, new, *dated, "--no-config")),
        Command(f"{name}.plan.json", ("plan", old, new, *dated, "--format", "json", "--no-config")),
    ]
    return commands


def usage_commands(name: str, old: str, new: str, usage: Sequence[str], consumer: str, label: str) -> list[Command]:
    """Consumer impact: diff --usage, impact in each format (and for one consumer), guide --usage."""
    dated = ("--today", TODAY, "--no-config")
    used = tuple(arg for pattern in usage for arg in ("--usage", pattern))
    return [
        Command(f"{name}.diff.json", ("diff", old, new, *used, "--format", "json", "--fail-on", "never", *dated)),
        Command(f"{name}.diff.text", ("diff", old, new, *used, "--fail-on", "never", "--no-color", *dated)),
        Command(f"{name}.diff.markdown", ("diff", old, new, *used, "--format", "markdown", "--fail-on", "never",
                                          *dated)),
        Command(f"{name}.impact.text", ("impact", old, new, *used, *dated)),
        Command(f"{name}.impact.markdown", ("impact", old, new, *used, "--format", "markdown", *dated)),
        Command(f"{name}.impact.json", ("impact", old, new, *used, "--format", "json", *dated)),
        Command(f"{name}.impact.{label}.json", ("impact", old, new, *used, "--consumer", consumer,
                                                   "--format", "json", *dated)),
        Command(f"{name}.guide.markdown", ("guide", old, new, *used, *dated)),
    ]


def corpus_pairs() -> list[tuple[str, Path, Path]]:
    return [
        ("github-graphql-14.58.0-15.20.0", graphql_sdl("14.58.0"), graphql_sdl("15.20.0")),
        ("github-graphql-10.0.0-15.20.0", graphql_sdl("10.0.0"), graphql_sdl("15.20.0")),
        ("github-introspection-15.18.1-15.20.0", graphql_sdl("15.18.1").with_name("schema.json"),
         graphql_sdl("15.20.0").with_name("schema.json")),
        ("github-rest-22.0.0-23.0.2", openapi_json("22.0.0"), openapi_json("23.0.2")),
    ]


def all_commands(quick: bool, fetch_script: Path | None) -> list[Command]:
    gql, http = "fixtures/usage/graphql", "fixtures/usage/http"
    commands = [Command("rules.json", ("rules", "--format", "json")), Command("rules.text", ("rules",))]
    commands += pair_commands("petstore", "examples/petstore/v1.yaml", "examples/petstore/v2.yaml")
    commands += pair_commands("graphql-example", "examples/graphql/v1.graphql", "examples/graphql/v2.graphql")
    commands += usage_commands("usage-graphql", f"{gql}/old.graphql", f"{gql}/new.graphql", [f"{gql}/clients"], "ios",
                               "ios")
    commands += usage_commands("usage-http", f"{http}/old.yaml", f"{http}/new.yaml",
                               [f"{http}/traffic.har", f"{http}/access.log", f"{http}/traffic.jsonl"], "curl/8.4.0",
                               "curl")
    if not quick:
        pairs = corpus_pairs()
        ensure_corpus([path for _, old, new in pairs for path in (old, new)], fetch_script)
        for name, old, new in pairs:
            commands += pair_commands(name, str(old), str(new))
    return commands


# -- the two trees ---------------------------------------------------------------------------------

def entry_point(root: Path) -> str:
    """``[project.scripts] apidiff`` of the tree's pyproject.toml, else the default."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return DEFAULT_ENTRY
    entry = data.get("project", {}).get("scripts", {}).get("apidiff")
    return entry if isinstance(entry, str) and ":" in entry else DEFAULT_ENTRY


def side(label: str, root: Path) -> Side:
    return Side(label, root, entry_point(root))


def check_side(side: Side) -> None:
    """Exit with 2 unless the entry point's package is imported from the side's own tree."""
    package = side.entry.split(":")[0].split(".")[0]
    code = f"import {package}; print({package}.__file__)"
    done = subprocess.run([sys.executable, "-c", code], cwd=side.root, env=side.env(), capture_output=True,
                          text=True, check=False, timeout=60)
    if done.returncode != 0:
        print(f"{side.label}: `import {package}` fails in {side.root}: {last_line(done.stderr.encode())}",
              file=sys.stderr)
        sys.exit(2)
    where = Path(done.stdout.strip()).resolve()
    if not where.is_relative_to(side.root.resolve()):
        print(f"{side.label}: {package} is imported from {where}, not from {side.root}", file=sys.stderr)
        sys.exit(2)


def git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False)


@contextmanager
def worktree(rev: str) -> Iterator[Path]:
    """A detached worktree of ``rev`` in a temporary folder, removed afterwards."""
    commit = git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if commit.returncode != 0:
        print(f"not a revision of {REPO}: {rev}", file=sys.stderr)
        sys.exit(2)
    parent = Path(tempfile.mkdtemp(prefix="apidiff-same-outputs-"))
    tree = parent / "tree"
    try:
        added = git("worktree", "add", "--detach", str(tree), commit.stdout.strip())
        if added.returncode != 0:
            print(f"git worktree add failed: {added.stderr.strip()}", file=sys.stderr)
            sys.exit(2)
        yield tree
    finally:
        if tree.exists():
            removed = git("worktree", "remove", "--force", str(tree))
            if removed.returncode != 0:
                print(f"git worktree remove failed: {removed.stderr.strip()}", file=sys.stderr)
        shutil.rmtree(parent, ignore_errors=True)
        git("worktree", "prune")


# -- running ---------------------------------------------------------------------------------------

class Runner:
    """Runs commands in fresh processes (each in its own process group), and can kill those still running."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.live: set[subprocess.Popen[bytes]] = set()
        self.lock = threading.Lock()

    def run(self, side: Side, command: Command) -> Result:
        start = time.perf_counter()
        proc = subprocess.Popen(side.argv(command.args), cwd=side.root, env=side.env(), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        with self.lock:
            self.live.add(proc)
        try:
            stdout, stderr = proc.communicate(timeout=self.timeout)
            returncode: int | None = proc.returncode
        except subprocess.TimeoutExpired:
            self.kill(proc)
            stdout, stderr = proc.communicate()
            returncode = None
        finally:
            with self.lock:
                self.live.discard(proc)
        return Result(stdout, stderr, returncode, time.perf_counter() - start)

    @staticmethod
    def kill(proc: subprocess.Popen[bytes]) -> None:
        """The process and what it forked (its own process group, by the child's id)."""
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)

    def kill_all(self) -> None:
        with self.lock:
            for proc in list(self.live):
                self.kill(proc)


def excerpt(line: bytes, column: int) -> str:
    start = max(0, column - EXCERPT_BEFORE)
    text = line[start:column + EXCERPT_AFTER].decode("utf-8", errors="backslashreplace")
    return ("…" if start else "") + repr(text) + ("…" if len(line) > column + EXCERPT_AFTER else "")


def first_difference(old: bytes, new: bytes) -> str:
    """Where two outputs first differ: line and column, with an excerpt of both lines around it."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    number = next((i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=False)) if a != b),
                  min(len(old_lines), len(new_lines)))
    a = old_lines[number] if number < len(old_lines) else b""
    b = new_lines[number] if number < len(new_lines) else b""
    column = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    show_a = excerpt(a, column) if number < len(old_lines) else "<end of output>"
    show_b = excerpt(b, column) if number < len(new_lines) else "<end of output>"
    return f"    first difference at line {number + 1}, column {column + 1}:\n      old: {show_a}\n      new: {show_b}"


def last_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", errors="backslashreplace").strip().splitlines()
    return lines[-1][:300] if lines else "(no standard error)"


def crashed(result: Result) -> bool:
    return result.returncode not in (0, 1) or b"Traceback (most recent call last)" in result.stderr


def compare(command: Command, old: Result, new: Result, save: Path | None) -> bool:
    """Print the command's line (and details); True when stdout and exit code are the same."""
    times = f"{old.seconds:.2f}/{new.seconds:.2f}"
    same = old.returncode is not None and old.returncode == new.returncode and old.stdout == new.stdout
    if save is not None:
        (save / f"{command.name}.out").write_bytes(new.stdout)
        if not same:
            (save / f"{command.name}.old.out").write_bytes(old.stdout)
    if same:
        print(f"same  {command.name}  {len(new.stdout)} bytes  {times}", flush=True)
        if crashed(old) or crashed(new):
            print(f"    note: exit {old.returncode} on both sides: {last_line(new.stderr)}", flush=True)
        elif old.stderr != new.stderr:
            print(f"    note: standard error differs (not compared): old {last_line(old.stderr)!r}, "
                  f"new {last_line(new.stderr)!r}", flush=True)
        return True
    codes = "/".join("timeout" if r.returncode is None else str(r.returncode) for r in (old, new))
    print(f"DIFF  {command.name}  {len(old.stdout)}/{len(new.stdout)} bytes  exit {codes}  {times}", flush=True)
    for label, result in (("old", old), ("new", new)):
        if result.returncode is None:
            print(f"    {label}: timed out", flush=True)
        elif result.stderr.strip() and (crashed(result) or old.returncode != new.returncode):
            print(f"    {label} stderr: {last_line(result.stderr)}", flush=True)
    if old.stdout != new.stdout:
        print(first_difference(old.stdout, new.stdout), flush=True)
    return False


def run_all(commands: Sequence[Command], old: Side, new: Side, jobs: int, timeout: float,
            save: Path | None) -> tuple[int, int]:
    """Both sides of each command, ``jobs`` processes at a time; results printed in the commands' order."""
    runner = Runner(timeout)
    same = different = 0
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        futures: list[tuple[Command, Future[Result], Future[Result]]] = [
            (command, pool.submit(runner.run, old, command), pool.submit(runner.run, new, command))
            for command in commands]
        for command, old_run, new_run in futures:
            if compare(command, old_run.result(), new_run.result(), save):
                same += 1
            else:
                different += 1
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        runner.kill_all()
        pool.shutdown(wait=True)
    return same, different


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # so that the worktree is removed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--against", default="HEAD", metavar="REV",
                        help="the git revision whose outputs the working tree's must equal (default: HEAD)")
    parser.add_argument("--new", default=None, metavar="REV",
                        help="compare with this revision (a second temporary worktree) instead of the working tree; "
                             "--against HEAD --new HEAD shows non-determinism")
    parser.add_argument("--quick", action="store_true", help="skip the corpus pairs (examples and fixtures only)")
    parser.add_argument("--save", type=Path, default=None, metavar="DIR",
                        help="write each output to DIR/NAME.out (and REV's to DIR/NAME.old.out when it differs)")
    parser.add_argument("--jobs", type=int, default=2, help="processes run at a time (default: 2)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds allowed per command (default: 300)")
    parser.add_argument("--only", default=None, metavar="SUBSTRING", help="run only commands whose name has this")
    add_corpus_arguments(parser)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    start = time.perf_counter()
    commands = all_commands(args.quick, args.fetch_script)
    if args.only:
        commands = [c for c in commands if args.only in c.name]
    if args.save is not None:
        args.save.mkdir(parents=True, exist_ok=True)
    with ExitStack() as trees:
        old = side(f"{args.against} (worktree)", trees.enter_context(worktree(args.against)))
        new = (side(f"{args.new} (worktree)", trees.enter_context(worktree(args.new))) if args.new
               else side("working tree", REPO))
        for one in (old, new):
            check_side(one)
            print(f"{one.label}: {one.root}, entry point {one.entry}", file=sys.stderr)
        print(f"{len(commands)} commands, {args.jobs} at a time, timeout {args.timeout:g} s", file=sys.stderr)
        same, different = run_all(commands, old, new, max(1, args.jobs), args.timeout, args.save)
    print(f"wall time {time.perf_counter() - start:.1f} s")
    print(f"{same} same, {different} different")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
