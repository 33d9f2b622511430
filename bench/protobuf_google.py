#!/usr/bin/env python3
"""apidiff against ``buf breaking`` on Google's public API protos: speed, peak memory and the violations found.

The pair is npm's ``google-proto-files`` (``--old`` 4.2.0, ``--new`` 5.0.3), each installed with npm into a
scratch folder (``--dir``, default ``/tmp/gbench``: ``<dir>/<version>/node_modules/google-proto-files``) and
built once into a binary image (``<dir>/old.binpb``, ``<dir>/new.binpb``; source info included, buf's default)
with ``buf build . --config '{"version":"v2","modules":[{"path":".","excludes":[...]}]}'`` run in the package
folder, excluding ``google/protobuf`` (buf supplies its own well-known types), ``build`` and ``gapic``. The
images are reused while they are newer than their package (``--rebuild`` forces a build). buf is npm's
``@bufbuild/buf`` at the version the tests pin, installed as they do (``tests/peers/buf.py``: ``$APIDIFF_PEERS``
or ``~/.cache/apidiff-peers``); its native binary is run when found, else npm's node launcher.

Measured, each in a fresh process, interleaved, after one unmeasured round whose output is kept for the
comparison:

- ``buf breaking new.binpb --against old.binpb --error-format json --config '{"version":"v2","breaking":{"use":
  ["FILE"]}}'`` (exit code 100: violations found);
- ``apidiff diff old.binpb new.binpb --format json --profile FILE --no-config`` (exit code 1: breaking changes).

Then the violation sets are compared as multisets of (buf rule, file): buf's annotations (``type``, ``path``;
``FILE_NO_DELETE`` has no path, the file is taken from its message) against apidiff's breaking changes, one
entry for each buf rule in force among the change's ``args.buf``, in the change's ``args.file``. Printed: the
totals, matched, only-buf and only-apidiff, and the ``--top`` rules by difference with ``--examples`` examples
of each side (buf's message, apidiff's id, subject and message); then the table of medians: wall time, CPU
time (user + sys: steadier than wall time on a shared machine; buf is multi-threaded, apidiff is not) and peak RSS,
all three from ``os.wait4`` on the child.

    python bench/protobuf_google.py [--dir /tmp/gbench] [--old 4.2.0 --new 5.0.3] [--runs 3] [--no-timing]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from _common import REPO, machine_line, tool

PACKAGE = "google-proto-files"
EXCLUDES = ("google/protobuf", "build", "gapic")
BREAKING_CONFIG = '{"version":"v2","breaking":{"use":["%s"]}}'
FOUND = 100  # buf's exit status when it reports violations
DELETED_FILE = re.compile(r'file "([^"]+)"')


# -- setting up ------------------------------------------------------------------------------------

def _package_dir(root: Path, version: str) -> Path:
    return root / version / "node_modules" / PACKAGE


def install_protos(root: Path, version: str) -> Path:
    """``<root>/<version>/node_modules/google-proto-files`` at ``version``, installed with npm if needed."""
    folder = _package_dir(root, version)
    manifest = folder / "package.json"
    if manifest.is_file() and json.loads(manifest.read_text(encoding="utf-8")).get("version") == version:
        return folder
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is not installed: cannot fetch google-proto-files")
    (root / version).mkdir(parents=True, exist_ok=True)
    print(f"npm install {PACKAGE}@{version} into {root / version}", file=sys.stderr)
    done = subprocess.run([npm, "install", "--prefix", str(root / version), "--no-audit", "--no-fund", "--silent",
                           f"{PACKAGE}@{version}"], capture_output=True, text=True, check=False)
    if done.returncode != 0 or not manifest.is_file():
        sys.exit(f"npm install {PACKAGE}@{version} failed: {(done.stderr or done.stdout).strip()[-1000:]}")
    return folder


def find_buf(given: str | None) -> str:
    """The buf executable: ``--buf``, else the tests' pinned install (the native binary when there is one)."""
    if given:
        return given
    sys.path.insert(0, str(REPO))
    try:
        from tests.peers import buf as peer  # needs pytest: its install skips tests on failure
    except ImportError as exc:
        found = shutil.which("buf")
        if found is None:
            sys.exit(f"cannot import tests/peers/buf.py ({exc}) and no buf on PATH: pass --buf PATH")
        return found
    try:
        folder = peer.install()
    except BaseException as exc:  # pytest.skip raises an exception of its own (not an Exception)
        if type(exc).__name__ != "Skipped":
            raise
        sys.exit(f"buf could not be installed: {exc}")
    native = sorted((folder / "node_modules" / "@bufbuild").glob("buf-*/bin/buf"))
    return str(native[0] if native else folder / "node_modules" / ".bin" / "buf")


def build_image(buf: str, package: Path, out: Path, rebuild: bool) -> float | None:
    """``buf build`` of the package folder (minus EXCLUDES) into ``out``; its seconds, or None when reused."""
    if not rebuild and out.is_file() and out.stat().st_mtime > (package / "package.json").stat().st_mtime:
        return None
    config = json.dumps({"version": "v2", "modules": [{"path": ".", "excludes": list(EXCLUDES)}]})
    command = [buf, "build", ".", "--config", config, "-o", f"{out}#format=binpb", "--error-format", "json"]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=package, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        out.unlink(missing_ok=True)
        sys.exit(f"buf build failed in {package} (exit {done.returncode}):\n{(done.stdout + done.stderr)[-3000:]}")
    return seconds


def module_files(package: Path) -> int:
    """The .proto files of the module: those under the package folder outside EXCLUDES."""
    return sum(1 for p in package.rglob("*.proto")
               if not any(p.relative_to(package).as_posix().startswith(e + "/") for e in EXCLUDES))


def image_files(image: Path) -> tuple[int, int]:
    """Files in a binary image, and how many of them are well-known types (``google/protobuf/``, imports)."""
    from google.protobuf import descriptor_pb2

    fds = descriptor_pb2.FileDescriptorSet()
    fds.ParseFromString(image.read_bytes())
    return len(fds.file), sum(1 for f in fds.file if f.name.startswith("google/protobuf/"))


# -- comparing -------------------------------------------------------------------------------------

Key = tuple[str, str]


def buf_violations(stdout: str) -> tuple[Counter[Key], dict[Key, list[str]]]:
    counts: Counter[Key] = Counter()
    examples: dict[Key, list[str]] = defaultdict(list)
    for line in stdout.splitlines():
        if not line.strip():
            continue
        v = json.loads(line)
        rule, path, message = v.get("type", ""), v.get("path", ""), v.get("message", "")
        if not path and rule == "FILE_NO_DELETE" and (m := DELETED_FILE.search(message)):
            path = m.group(1)
        counts[(rule, path)] += 1
        examples[(rule, path)].append(f"{message} [{path or '-'}:{v.get('start_line', 0)}]")
    return counts, examples


def apidiff_violations(report: dict[str, Any], rules: frozenset[str]) -> tuple[Counter[Key], dict[Key, list[str]]]:
    counts: Counter[Key] = Counter()
    examples: dict[Key, list[str]] = defaultdict(list)
    for c in report["changes"]:
        if c["severity"] != "breaking":
            continue
        args = c.get("args", {})
        named = [r for r in args.get("buf", ()) if r in rules] or [f"(no buf rule in force: {c['id']})"]
        for rule in named:
            key = (rule, str(args.get("file", "")))
            counts[key] += 1
            examples[key].append(f"{c['id']} {c['subject']}: {c['message']}")
    return counts, examples


def compare(buf_stdout: str, report: dict[str, Any], rules: frozenset[str], top: int, n_examples: int) -> None:
    want, want_ex = buf_violations(buf_stdout)
    got, got_ex = apidiff_violations(report, rules)
    matched = want & got
    only_buf, only_apidiff = want - got, got - want
    total = sum(want.values()), sum(got.values())
    print(f"\nviolations (rule, file): buf {total[0]}, apidiff {total[1]}, matched {sum(matched.values())}, "
          f"only buf {sum(only_buf.values())}, only apidiff {sum(only_apidiff.values())}")
    print(f"apidiff summary: {report['summary']}")
    by_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (rule, _), n in want.items():
        by_rule[rule][0] += n
    for (rule, _), n in got.items():
        by_rule[rule][1] += n
    for (rule, _), n in only_buf.items():
        by_rule[rule][2] += n
    for (rule, _), n in only_apidiff.items():
        by_rule[rule][3] += n
    print(f"\n{'buf rule':<44} {'buf':>5} {'apidiff':>7} {'only buf':>8} {'only apidiff':>12}")
    for rule, (b, a, ob, oa) in sorted(by_rule.items(), key=lambda kv: (-kv[1][0] - kv[1][1], kv[0])):
        print(f"{rule:<44} {b:5d} {a:7d} {ob:8d} {oa:12d}")
    differing = sorted((r for r, v in by_rule.items() if v[2] or v[3]), key=lambda r: (-(by_rule[r][2] +
                                                                                         by_rule[r][3]), r))
    print(f"\ntop {min(top, len(differing))} of {len(differing)} rules by difference (only buf + only apidiff):")
    for rule in differing[:top]:
        _, _, ob, oa = by_rule[rule]
        print(f"\n{rule}: only buf {ob}, only apidiff {oa}")
        for label, diff, ex in (("buf", only_buf, want_ex), ("apidiff", only_apidiff, got_ex)):
            keys = sorted(k for k in diff if k[0] == rule)
            shown = 0
            for key in keys:
                # examples of the surplus: the last entries of the key (the first ones are the matched ones)
                for text in ex[key][-diff[key]:]:
                    if shown == n_examples:
                        break
                    print(f"  {label:>7}: {text[:300]}")
                    shown += 1


def run_measured(argv: Sequence[str], cwd: Path) -> tuple[float, float, float, int]:
    """``argv`` once in a fresh process, output discarded: wall s, CPU s (user + sys), peak RSS MB, exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(argv), cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / scale, os.waitstatus_to_exitcode(status)


# -- main ------------------------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/gbench"),
                        help="scratch folder: packages, images, reports (default /tmp/gbench)")
    parser.add_argument("--old", default="4.2.0", help=f"old {PACKAGE} version (default 4.2.0)")
    parser.add_argument("--new", default="5.0.3", help="new version (default 5.0.3)")
    parser.add_argument("--runs", type=int, default=3, help="measured runs of each command (default 3)")
    parser.add_argument("--profile", default="FILE", help="buf category or rule ids, both tools (default FILE)")
    parser.add_argument("--buf", default=None, help="buf executable (default: the tests' pinned npm install)")
    parser.add_argument("--rebuild", action="store_true", help="build the images again even when up to date")
    parser.add_argument("--no-timing", action="store_true", help="only compare the violations (one run each)")
    parser.add_argument("--top", type=int, default=15, help="rules shown by difference (default 15)")
    parser.add_argument("--examples", type=int, default=3, help="examples per rule and side (default 3)")
    args = parser.parse_args(argv)

    root = args.dir.resolve()
    root.mkdir(parents=True, exist_ok=True)
    buf = find_buf(args.buf)
    version = subprocess.run([buf, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    old_pkg, new_pkg = install_protos(root, args.old), install_protos(root, args.new)
    old_img, new_img = root / "old.binpb", root / "new.binpb"
    for label, pkg, img in (("old", old_pkg, old_img), ("new", new_pkg, new_img)):
        built = build_image(buf, pkg, img, args.rebuild)
        files, wkt = image_files(img)
        print(f"{label}: {PACKAGE}@{args.old if label == 'old' else args.new}, {module_files(pkg)} module files "
              f"(excluding {', '.join(EXCLUDES)}) -> {img} {img.stat().st_size / 1e6:.1f} MB, {files} files "
              f"({wkt} google/protobuf imports); "
              + (f"built in {built:.1f} s" if built is not None else "reused (--rebuild to build again)"))
    print(f"buf {version} ({buf}); {machine_line()}")

    from apidiff.formats.protobuf.profiles import _expand  # the ids of a category, as v2 has them

    rules = frozenset(_expand([x.strip() for x in args.profile.split(",") if x.strip()]))
    buf_argv = [buf, "breaking", str(new_img), "--against", str(old_img), "--error-format", "json",
                "--config", BREAKING_CONFIG % args.profile.replace(",", '","')]
    apidiff_json = root / "apidiff.json"
    apidiff_argv = [tool("apidiff"), "diff", str(old_img), str(new_img), "--format", "json", "--profile",
                    args.profile, "--no-config"]

    # the unmeasured first round: its outputs are the ones compared
    start = time.perf_counter()
    done = subprocess.run(buf_argv, cwd=root, capture_output=True, text=True, check=False)
    buf_s = time.perf_counter() - start
    if done.returncode not in (0, FOUND):
        sys.exit(f"buf breaking failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")
    (root / "buf.jsonl").write_text(done.stdout, encoding="utf-8")
    start = time.perf_counter()
    ran = subprocess.run([*apidiff_argv, "-o", str(apidiff_json)], cwd=root, capture_output=True, text=True,
                         check=False)
    apidiff_s = time.perf_counter() - start
    if ran.returncode not in (0, 1):
        sys.exit(f"apidiff diff failed (exit {ran.returncode}): {ran.stderr.strip()[-2000:]}")
    print(f"first round (kept for the comparison; {root / 'buf.jsonl'}, {apidiff_json}): buf {buf_s:.1f} s, "
          f"apidiff {apidiff_s:.1f} s")
    report = json.loads(apidiff_json.read_text(encoding="utf-8"))
    compare(done.stdout, report, rules, args.top, args.examples)

    if args.no_timing:
        return 0
    series = {"buf breaking": (buf_argv, (0, FOUND)), "apidiff diff --format json": (apidiff_argv, (0, 1))}
    print(f"\ntiming: {args.runs} runs each, interleaved, fresh processes (wall: perf_counter; CPU user+sys and "
          "peak RSS: os.wait4)", file=sys.stderr)
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in series}
    for round_no in range(args.runs):
        for name, (argv, ok) in series.items():
            wall, cpu, peak, code = run_measured(argv, root)
            if code not in ok:
                sys.exit(f"{name} failed with exit code {code}: {' '.join(argv)}")
            runs[name].append((wall, cpu, peak))
        print(f"  round {round_no + 1}/{args.runs}: "
              + ", ".join(f"{n} {r[-1][0]:.1f}s wall {r[-1][1]:.1f}s CPU" for n, r in runs.items()), file=sys.stderr)
    med = {n: tuple(statistics.median(x[i] for x in r) for i in range(3)) for n, r in runs.items()}
    b, a = med["buf breaking"], med["apidiff diff --format json"]
    print(f"\n{'command':<28} {'median wall s':>13} {'median CPU s':>12} {'peak RSS MB':>11}")
    for name, (wall, cpu, peak) in med.items():
        print(f"{name:<28} {wall:13.2f} {cpu:12.2f} {peak:11.0f}")
    print(f"(median of {args.runs} runs each, interleaved, after the unmeasured first round; {machine_line()})")
    print(f"\napidiff / buf: wall {a[0] / b[0]:.3f}×, CPU {a[1] / b[1]:.3f}× (target ≤ 0.15×); peak RSS apidiff "
          f"{a[2]:.0f} MB (target < 1024 MB), buf {b[2]:.0f} MB ({a[2] / b[2]:.2f}×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
