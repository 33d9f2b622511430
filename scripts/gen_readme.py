#!/usr/bin/env python3
"""Regenerate the program excerpts of README.md and docs/*.md: what the program prints, run for real.

Run: python scripts/gen_readme.py            (rewrites the excerpts in place)
     python scripts/gen_readme.py --check    (exit 1 when one is stale; tests/test_docs.py runs it)
     python scripts/gen_readme.py FILE...    (only these files)

Between marker comments the text is generated; everything else is left as written. Three markers:

``<!-- apidiff:run [OPTIONS] apidiff ARGS... -->`` … ``<!-- /apidiff:run -->``
    The standard output of ``apidiff ARGS...``, run as ``python -m apidiff ARGS...`` with this
    interpreter, from the repository's top folder (file names in reports are as written), with
    ``PYTHONPATH`` set to this checkout, ``NO_COLOR=1``, ``COLUMNS=100`` and ``TZ=UTC``. Exit codes 0
    and 1 are fine (1 is "breaking changes found"); any other is an error. No shell: no pipes, no
    redirections, arguments split as by ``shlex``.

``<!-- apidiff:python [OPTIONS] -->`` … ``<!-- /apidiff:python -->``
    The standard output of the nearest ```` ```python ```` block above the marker, run as a script in a
    fresh interpreter from the repository's top folder. It must exit with 0.

``<!-- apidiff:value NAME -->`` … ``<!-- /apidiff:value -->`` (inline)
    A figure of the program: ``rules`` (how many rules ``apidiff rules`` lists), ``oasdiff-checks``
    (the oasdiff checks in scripts/oasdiff-rules.tsv).

OPTIONS, before the command:

- ``head=N``: only the first N lines, then a line ``…`` when there were more;
- ``tail=N``: only the last N lines, after a line ``…`` when there were more (with ``head``: both ends);
- ``lang=L``: the code block's language (default ``text``);
- ``quote``: a Markdown block quote instead of a code block (for Markdown output, shown rendered);
- ``console``: a ```` ```console ```` block that starts with ``$ apidiff ARGS...``.

Other helpers change what reports look like; after such a change this one command brings every
excerpt up to date, and the test suite fails until it has been run.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ("README.md", "docs/*.md")
ENV = {"NO_COLOR": "1", "COLUMNS": "100", "TZ": "UTC"}
TIMEOUT = 300  # seconds per command
FLAGS = frozenset({"quote", "console"})
SHELL = frozenset({"|", "||", "&&", ";", ">", ">>", "<", "2>", "&"})
ELLIPSIS = "…"

BLOCK = re.compile(r"<!-- apidiff:(?P<kind>run|python)(?P<spec>(?:\s[^\n]*?)?) -->\n(?P<body>.*?)"
                   r"<!-- /apidiff:(?P=kind) -->", re.S)
VALUE = re.compile(r"<!-- apidiff:value (?P<name>[\w-]+) -->(?P<body>.*?)<!-- /apidiff:value -->")
OPENER = re.compile(r"<!-- /?apidiff:(?:run|python|value)\b")
FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})(?P<info>[^\n`]*)$", re.M)


class MarkerError(Exception):
    """A marker that cannot be generated: its file and line, and why."""


@dataclass(frozen=True, slots=True)
class Options:
    head: int | None = None
    tail: int | None = None
    lang: str = "text"
    quote: bool = False
    console: bool = False


def doc_files() -> list[Path]:
    found: list[Path] = []
    for pattern in DOCS:
        found += sorted(ROOT.glob(pattern))
    return found


def shown(path: Path) -> str:
    """The path relative to the repository, as messages name it."""
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


# -- reading markers ------------------------------------------------------------------------------

def parse_spec(spec: str, *, command: bool) -> tuple[Options, list[str]]:
    """The options and (for ``run``) the command of a marker's text."""
    try:
        words = shlex.split(spec)
    except ValueError as exc:
        raise MarkerError(f"cannot split the marker: {exc}") from None
    counts: dict[str, int] = {}
    lang = "text"
    flags: set[str] = set()
    while words and words[0] != "apidiff":
        word = words.pop(0)
        key, eq, text = word.partition("=")
        if not eq and key in FLAGS:
            flags.add(key)
        elif eq and key in ("head", "tail"):
            if not text.isdigit() or int(text) < 1:
                raise MarkerError(f"{word}: not a positive number of lines")
            counts[key] = int(text)
        elif eq and key == "lang" and re.fullmatch(r"[\w+-]+", text):
            lang = text
        else:
            raise MarkerError(f"unknown option {word!r} (options: head=N, tail=N, lang=L, quote, console; "
                              "then the command, starting with apidiff)")
    if command and not words:
        raise MarkerError("no command: the marker must name `apidiff ARGS...`")
    if not command and words:
        raise MarkerError("an apidiff:python marker takes options only; it runs the python block above it")
    shell = [w for w in words if w in SHELL]
    if shell:
        raise MarkerError(f"{shell[0]!r}: commands run without a shell")
    return Options(head=counts.get("head"), tail=counts.get("tail"), lang=lang, quote="quote" in flags,
                   console="console" in flags), words


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A fenced code block: its language, the line of its opening fence, where it ends, its text."""

    info: str
    line: int
    end: int
    code: str


def code_blocks(text: str) -> list[CodeBlock]:
    """Every fenced code block at the start of a line (fences nested in a longer fence are its text)."""
    blocks: list[CodeBlock] = []
    fences = list(FENCE.finditer(text))
    i = 0
    while i < len(fences):
        opening = fences[i]
        j = next((k for k in range(i + 1, len(fences)) if not fences[k].group("info").strip()
                  and fences[k].group("fence").startswith(opening.group("fence"))), None)
        if j is None:
            break
        closing = fences[j]
        blocks.append(CodeBlock(opening.group("info").strip(), line_of(text, opening.start()), closing.end(),
                                text[opening.end() + 1:closing.start()]))
        i = j + 1
    return blocks


def python_block_before(text: str, offset: int) -> str:
    """The code of the last ```python block that ends before ``offset``."""
    code = [b.code for b in code_blocks(text) if b.info == "python" and b.end <= offset]
    if not code:
        raise MarkerError("no ```python block above this apidiff:python marker")
    return code[-1]


# -- running --------------------------------------------------------------------------------------

def environment() -> dict[str, str]:
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, **ENV, "PYTHONPATH": str(ROOT) + (os.pathsep + path if path else "")}


def run_command(words: Sequence[str]) -> str:
    """The standard output of ``apidiff ARGS`` (``words[0]`` is ``apidiff``)."""
    argv = [sys.executable, "-m", "apidiff", *words[1:]]
    done = subprocess.run(argv, cwd=ROOT, env=environment(), capture_output=True, text=True, timeout=TIMEOUT,
                          check=False)
    if done.returncode not in (0, 1):
        raise MarkerError(f"`{shlex.join(words)}` exited with {done.returncode}: {done.stderr.strip()[-500:]}")
    return done.stdout


def run_python(code: str) -> str:
    """The standard output of a snippet run as a script from the repository's top folder."""
    with tempfile.TemporaryDirectory(prefix="apidiff-docs-") as folder:
        script = Path(folder) / "snippet.py"
        script.write_text(code, encoding="utf-8")
        done = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=environment(), capture_output=True,
                              text=True, timeout=TIMEOUT, check=False)
    if done.returncode != 0:
        raise MarkerError(f"the python block exited with {done.returncode}: {done.stderr.strip()[-800:]}")
    return done.stdout


def value(name: str) -> str:
    if ROOT.as_posix() not in sys.path:
        sys.path.insert(0, str(ROOT))
    if name == "rules":
        from apidiff.formats import all_rules

        return str(len(all_rules()))
    if name == "oasdiff-checks":
        tsv = ROOT / "scripts" / "oasdiff-rules.tsv"
        return str(sum(1 for line in tsv.read_text().splitlines() if line and not line.startswith("#")))
    raise MarkerError(f"unknown value {name!r} (values: rules, oasdiff-checks)")


# -- writing --------------------------------------------------------------------------------------

def fence_for(text: str) -> str:
    """Three backticks, or more than the longest run of backticks that starts a line of ``text``."""
    longest = max((len(m.group(0)) for m in re.finditer(r"^`{3,}", text, re.M)), default=0)
    return "`" * max(3, longest + 1)


def excerpt(output: str, options: Options, words: Sequence[str]) -> str:
    lines = output.splitlines()
    head, tail = options.head or 0, options.tail or 0
    if (head or tail) and len(lines) > head + tail:
        lines = [*lines[:head], ELLIPSIS, *(lines[-tail:] if tail else [])]
    if options.quote:
        return "".join(f"> {line}\n" if line.strip() else ">\n" for line in lines)
    if options.console:
        lines = [f"$ {shlex.join(words)}", *lines]
    body = "".join(line + "\n" for line in lines)
    fence = fence_for(body)
    return f"{fence}{'console' if options.console else options.lang}\n{body}{fence}\n"


@dataclass(frozen=True, slots=True)
class Job:
    """One block to generate: where its body is in the file, and how to compute it."""

    start: int
    end: int
    where: str
    compute: Callable[[], str]


def jobs_of(path: Path, text: str) -> list[Job]:
    rel = shown(path)
    jobs: list[Job] = []
    covered: list[tuple[int, int]] = []
    for m in BLOCK.finditer(text):
        where = f"{rel}:{line_of(text, m.start())}"
        covered.append((m.start(), m.end()))
        try:
            options, words = parse_spec(m.group("spec"), command=m.group("kind") == "run")
            if m.group("kind") == "run":
                def compute(words: list[str] = words, options: Options = options) -> str:
                    return excerpt(run_command(words), options, words)
            else:
                code = python_block_before(text, m.start())

                def compute(code: str = code, options: Options = options) -> str:
                    return excerpt(run_python(code), options, ())
        except MarkerError as exc:
            raise MarkerError(f"{where}: {exc}") from None
        jobs.append(Job(m.start("body"), m.end("body"), where, compute))
    for m in VALUE.finditer(text):
        covered.append((m.start(), m.end()))
        jobs.append(Job(m.start("body"), m.end("body"), f"{rel}:{line_of(text, m.start())}",
                        lambda name=m.group("name"): value(name)))
    for m in OPENER.finditer(text):
        if not any(a <= m.start() < b for a, b in covered):
            raise MarkerError(f"{rel}:{line_of(text, m.start())}: a marker without its pair "
                              "(`<!-- apidiff:KIND … -->` … `<!-- /apidiff:KIND -->`)")
    return sorted(jobs, key=lambda j: j.start)


def regenerate(path: Path, text: str, pool: ThreadPoolExecutor) -> str:
    jobs = jobs_of(path, text)

    def compute(job: Job) -> str:
        try:
            return job.compute()
        except MarkerError as exc:
            raise MarkerError(f"{job.where}: {exc}") from None
        except subprocess.TimeoutExpired:
            raise MarkerError(f"{job.where}: took more than {TIMEOUT} s") from None

    bodies = list(pool.map(compute, jobs))
    out, at = [], 0
    for job, body in zip(jobs, bodies, strict=True):
        out += [text[at:job.start], body]
        at = job.end
    return "".join(out) + text[at:]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when an excerpt is stale")
    parser.add_argument("files", nargs="*", type=Path, help="only these files (default: README.md, docs/*.md)")
    args = parser.parse_args(argv)
    files = [f.resolve() for f in args.files] or doc_files()
    stale: list[str] = []
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        for path in files:
            text = path.read_text(encoding="utf-8")
            try:
                new = regenerate(path, text, pool)
            except MarkerError as exc:
                print(f"gen_readme: error: {exc}", file=sys.stderr)
                return 2
            rel = shown(path)
            if new == text:
                continue
            if args.check:
                stale.append(rel)
                diff = difflib.unified_diff(text.splitlines(), new.splitlines(), f"{rel} (as written)",
                                            f"{rel} (generated)", lineterm="", n=1)
                print("\n".join(list(diff)[:60]))
            else:
                path.write_text(new, encoding="utf-8")
                print(f"wrote {rel}")
    if stale:
        print(f"stale: {', '.join(stale)} (run: python scripts/gen_readme.py)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
