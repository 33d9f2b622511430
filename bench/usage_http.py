#!/usr/bin/env python3
"""Speed and memory of HTTP traffic as usage: a large combined-format access log against the petstore.

Generates (once, in a temporary folder, seeded) an access log of ``--lines`` lines (default 1,000,000,
about 130 MB) in the combined log format against ``examples/petstore/v1.yaml``: ``/v1/pets`` and
``/v1/pets/{id}`` with random ids (so that paths do not repeat), query strings with ``limit``, ``status``
and ``cursor``, 200 user agents, 2 % unknown paths and 0.1 % malformed lines. Then, each run in a fresh
process, times reading the file, :func:`apidiff.formats.openapi.usage.read` and :meth:`HttpUsage.assess` against the
comparison of ``v1.yaml`` with ``v2.yaml``, and prints the median of ``--runs`` runs (default 3), lines
per second, the process's peak RSS (which includes the file's text: it is read whole) and how much
the resident set grew during ``read`` (the aggregates; Linux only).

A file over ``sources.MAX_FILE_BYTES`` (100 MB) is what ``--usage`` refuses; the benchmark then reads it
the same way without the cap (``--lines 750000`` stays under it).

    python bench/usage_http.py [--lines 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OLD = REPO / "examples" / "petstore" / "v1.yaml"
NEW = REPO / "examples" / "petstore" / "v2.yaml"


def generate(path: Path, lines: int, seed: int = 20250114) -> None:
    rng = random.Random(seed)
    agents = [f"PetClient/{major}.{minor} (build {rng.randrange(10_000)}; {os})"
              for major in range(1, 11) for minor in range(10) for os in ("iOS 17", "Android 14")]
    statuses = ("available", "pending", "sold")
    with path.open("w", encoding="utf-8") as out:
        for i in range(lines):
            if i % 1000 == 999:
                out.write(f"garbled line {i} [no request here\n")
                continue
            roll = rng.random()
            pet = rng.randrange(1, 10_000_000)
            if roll < 0.40:
                query = []
                if rng.random() < 0.5:
                    query.append(f"limit={rng.choice((10, 20, 50, 100))}")
                if rng.random() < 0.3:
                    query.append(f"status={rng.choice(statuses)}")
                if rng.random() < 0.1:
                    query.append(f"cursor={rng.randrange(1 << 30):x}")
                request, status = "GET /v1/pets" + ("?" + "&".join(query) if query else ""), 200
            elif roll < 0.55:
                request, status = "POST /v1/pets", rng.choice((201, 201, 201, 400))
            elif roll < 0.90:
                request, status = f"GET /v1/pets/{pet}", rng.choice((200, 200, 200, 404))
            elif roll < 0.98:
                request, status = f"DELETE /v1/pets/{pet}", 204
            else:
                request, status = f"GET /v1/admin/report/{pet}", 404
            second = i % 60
            out.write(f"10.{i % 256}.{(i >> 8) % 256}.{(i >> 16) % 256} - - [14/Jan/2025:10:{(i // 60) % 60:02d}:"
                      f"{second:02d} +0000] \"{request} HTTP/1.1\" {status} {rng.randrange(50, 5000)} \"-\" "
                      f"\"{rng.choice(agents)}\"\n")


def child(log: Path) -> None:
    """One run: prints a JSON object with the phases' seconds and counts."""
    from apidiff import compare, load
    from apidiff.core.sources import MAX_FILE_BYTES, Text, decode, read_text
    from apidiff.formats.openapi.usage import read
    from apidiff.usage import UsageFile

    old, new = load(OLD), load(NEW)
    changes = compare(old, new).changes
    t0 = time.perf_counter()
    if log.stat().st_size <= MAX_FILE_BYTES:
        text = read_text(log)
    else:  # what --usage would refuse (sources.MAX_FILE_BYTES): read the same way, without the cap
        text = Text(str(log), decode(log.read_bytes(), str(log)))
    t1 = time.perf_counter()
    rss_before = current_rss_mb()
    usage = read([UsageFile(text, "access-log", "bench")])
    t2 = time.perf_counter()
    rss_after = current_rss_mb()
    impacts = usage.assess(changes, old, new)
    t3 = time.perf_counter()
    lines = text.text.count("\n")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    print(json.dumps({"load": t1 - t0, "read": t2 - t1, "assess": t3 - t2, "lines": lines,
                      "requests": usage.requests, "aggregates": usage.aggregates,
                      "paths": len(usage._reader.paths.segments),
                      "usages": len(usage.usages), "impacts": len(impacts),
                      "affected": sum(i.requests for i in impacts),
                      "skipped": sum(s.lines for s in usage.skipped), "unmatched": usage.unmatched_requests,
                      "text_mb": len(text.text) / 1e6, "peak_mb": peak_mb,
                      "read_growth_mb": rss_after - rss_before}))


def current_rss_mb() -> float:
    """The process's resident set size now (Linux); 0 elsewhere."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * resource.getpagesize() / (1024 * 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "access.log"
        start = time.perf_counter()
        generate(log, args.lines)
        print(f"generated {args.lines:,} lines, {log.stat().st_size / 1e6:.1f} MB, in "
              f"{time.perf_counter() - start:.1f} s", file=sys.stderr)
        runs = []
        for n in range(args.runs):
            done = subprocess.run([sys.executable, __file__, "--child", str(log)], capture_output=True, text=True,
                                  check=False)
            if done.returncode != 0:
                print(done.stderr.strip()[-2000:], file=sys.stderr)
                sys.exit(2)
            runs.append(json.loads(done.stdout))
            r = runs[-1]
            print(f"  run {n + 1}/{args.runs}: load {r['load']:.2f} s, read {r['read']:.2f} s, "
                  f"assess {r['assess']:.3f} s, peak {r['peak_mb']:.0f} MB", file=sys.stderr)
    first = runs[0]
    med = {k: statistics.median(r[k] for r in runs) for k in ("load", "read", "assess", "peak_mb", "read_growth_mb")}
    total = med["read"] + med["assess"]
    print(f"{first['lines']:,} lines ({first['text_mb']:.0f} MB of text): {first['requests']:,} requests in "
          f"{first['aggregates']:,} aggregates over {first['paths']:,} path nodes; {first['usages']} usages, "
          f"{first['impacts']} affected ({first['affected']:,} requests); {first['skipped']:,} lines skipped, "
          f"{first['unmatched']:,} requests unmatched")
    print(f"median of {len(runs)}: read_text {med['load']:.2f} s, read {med['read']:.2f} s, "
          f"assess {med['assess']:.3f} s, read+assess {total:.2f} s = {first['lines'] / total:,.0f} lines/s; "
          f"peak RSS {med['peak_mb']:.0f} MB (the text is read whole); read() grew RSS by "
          f"{med['read_growth_mb']:.1f} MB")


if __name__ == "__main__":
    main()
