"""Shared helpers of the benchmark scripts: where the corpus is, and how a whole process is timed.

The corpus is the set of real schemas cached by ``../shared/bench/fetch-corpus.sh`` (relative to the
repository): ``$APIDIFF_CORPUS`` or ``~/.cache/apidiff-corpus``. When it is missing, the fetch script
is run (``--fetch-script PATH``, or the default path when it exists); otherwise a one-line instruction
is printed and the script exits with 2.

Each measured command runs in a fresh process. Wall time is measured around the process by the parent
(``time.perf_counter``); the peak resident set size comes from GNU ``/usr/bin/time -f %M`` when it is
available, else from ``os.wait4`` on the child. Both report the largest single process of the tree
(a child that the measured process forks and waits for counts, but is not added to its parent).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path.home() / ".cache" / "apidiff-corpus"
DEFAULT_FETCH_SCRIPT = REPO.parent / "shared" / "bench" / "fetch-corpus.sh"
GRAPHQL_SDL = "graphql/{version}/package/schema.graphql"
OPENAPI_JSON = "openapi/{version}/package/generated/api.github.com.json"
VENV_BIN = Path(sys.executable).parent  # the interpreter running the script: the project's venv
GNU_TIME = "/usr/bin/time"


# -- corpus ----------------------------------------------------------------------------------------

def add_against_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--against", type=Path, default=None, metavar="DIR",
                        help="also time the apidiff whose source tree is DIR (e.g. a `git worktree` of an earlier "
                             "commit), run as `python -m apidiff.cli` with PYTHONPATH=DIR, in the same rounds")


def against_series(name: str, folder: Path | None, args: Sequence[str]) -> list[Series]:
    """The series of ``apidiff ARGS`` run from the source tree ``folder`` (none when it is None)."""
    if folder is None:
        return []
    env = {**os.environ, "PYTHONPATH": str(folder.resolve())}
    return [Series(f"{name} @ {folder}", [sys.executable, "-m", "apidiff.cli", *args], ok_codes=(0, 1), env=env)]


def add_corpus_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fetch-script", type=Path, default=None,
                        help=f"fetch-corpus.sh to run when the corpus is missing (default: {DEFAULT_FETCH_SCRIPT})")


def corpus_dir() -> Path:
    return Path(os.environ.get("APIDIFF_CORPUS") or DEFAULT_CORPUS).expanduser()


def graphql_sdl(version: str) -> Path:
    return corpus_dir() / GRAPHQL_SDL.format(version=version)


def openapi_json(version: str) -> Path:
    return corpus_dir() / OPENAPI_JSON.format(version=version)


def ensure_corpus(files: Sequence[Path], fetch_script: Path | None = None) -> None:
    """Make sure ``files`` exist, running the fetch script once if not; exit 2 when they cannot."""
    if all(f.is_file() for f in files):
        return
    script = fetch_script or DEFAULT_FETCH_SCRIPT
    dest = corpus_dir()
    if not script.is_file():
        print(f"corpus missing at {dest} and no fetch script at {script}: run `bash path/to/fetch-corpus.sh {dest}` "
              "or pass --fetch-script PATH", file=sys.stderr)
        sys.exit(2)
    print(f"corpus missing at {dest}: running {script}", file=sys.stderr)
    done = subprocess.run(["bash", str(script), str(dest)], stdout=subprocess.DEVNULL, check=False)
    missing = [str(f) for f in files if not f.is_file()]
    if done.returncode != 0 or missing:
        print(f"fetching the corpus failed (exit {done.returncode}); still missing: {', '.join(missing) or '-'}",
              file=sys.stderr)
        sys.exit(2)


# -- measuring whole processes ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    peak_mb: float
    returncode: int


@dataclass(slots=True)
class Series:
    """The runs of one command."""

    name: str
    argv: Sequence[str]
    ok_codes: Collection[int] = (0,)
    env: Mapping[str, str] | None = None  # the whole environment of the process (default: inherited)
    runs: list[Run] = field(default_factory=list)

    @property
    def median_s(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def min_s(self) -> float:
        return min(r.seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return statistics.median(r.peak_mb for r in self.runs)


def _gnu_time_works() -> bool:
    if not os.access(GNU_TIME, os.X_OK):
        return False
    try:
        done = subprocess.run([GNU_TIME, "-f", "%M", "true"], capture_output=True, text=True, check=False)
    except OSError:
        return False
    words = done.stderr.split()
    return done.returncode == 0 and bool(words) and words[-1].isdigit()


USE_GNU_TIME = _gnu_time_works()


def run_once(argv: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path | None = None) -> Run:
    """Run ``argv`` once in a fresh process (output discarded): wall seconds, peak RSS in MB, exit code."""
    if USE_GNU_TIME:
        with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
            start = time.perf_counter()
            done = subprocess.run([GNU_TIME, "-q", "-f", "%M", "-o", out.name, *argv], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd,
                                  check=False)
            seconds = time.perf_counter() - start
            lines = [line for line in Path(out.name).read_text().splitlines() if line.strip()]
        kilobytes = int(lines[-1]) if lines and lines[-1].strip().isdigit() else 0
        return Run(seconds, kilobytes / 1024, done.returncode)
    start = time.perf_counter()
    proc = subprocess.Popen(list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return Run(seconds, usage.ru_maxrss / scale, proc.returncode)


def median_of(n: int, argv: Sequence[str]) -> tuple[float, float]:
    """Run ``argv`` ``n`` times, each in a fresh process: median wall seconds and median peak RSS (MB)."""
    runs = [run_once(argv) for _ in range(n)]
    return statistics.median(r.seconds for r in runs), statistics.median(r.peak_mb for r in runs)


def measure_interleaved(series: Sequence[Series], runs: int, warmup: int = 1, *, cwd: Path | None = None) -> None:
    """Run the commands in turn (A, B, C, A, B, C, ...) so that noise hits them alike; ``warmup``
    rounds are run first and not kept. Exits with 2 when a command fails (its stderr is shown)."""
    for round_no in range(warmup + runs):
        for s in series:
            run = run_once(s.argv, env=s.env, cwd=cwd)
            if run.returncode not in s.ok_codes:
                done = subprocess.run(list(s.argv), capture_output=True, text=True, env=s.env, cwd=cwd, check=False)
                print(f"{s.name} failed with exit code {run.returncode}: {' '.join(s.argv)}\n"
                      f"{done.stderr.strip()[-2000:]}", file=sys.stderr)
                sys.exit(2)
            if round_no >= warmup:
                s.runs.append(run)
        print(f"  round {round_no + 1}/{warmup + runs}{' (warm-up)' if round_no < warmup else ''}: "
              + ", ".join(f"{s.name} {s.runs[-1].seconds:.2f}s" if round_no >= warmup else s.name for s in series),
              file=sys.stderr)


def print_table(series: Sequence[Series], reference: str) -> None:
    """Median and minimum wall time, median peak RSS, and ratios against the ``reference`` row."""
    ref = next(s for s in series if s.name == reference)
    width = max(len(s.name) for s in series)
    print(f"{'command':<{width}}  {'median s':>8}  {'min s':>6}  {'peak MB':>7}  {'time ×':>7}  {'peak ×':>7}")
    for s in series:
        print(f"{s.name:<{width}}  {s.median_s:8.2f}  {s.min_s:6.2f}  {s.peak_mb:7.0f}  "
              f"{s.median_s / ref.median_s:7.2f}  {s.peak_mb / ref.peak_mb:7.2f}")
    print(f"(median of {len(ref.runs)} runs each, interleaved; × = ratio to {reference}; "
          f"peak RSS via {'/usr/bin/time -f %M' if USE_GNU_TIME else 'os.wait4'})")


def tool(name: str) -> str:
    """An executable of the project's venv, else one on PATH, else the bare name."""
    candidate = VENV_BIN / name
    if candidate.exists():
        return str(candidate)
    return shutil.which(name) or name


def machine_line() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return (f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
            f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
