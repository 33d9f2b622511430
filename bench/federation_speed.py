#!/usr/bin/env python3
"""Whole-process speed of a composition-aware diff: two folders of generated Federation 2 subgraphs.

Generates ``--subgraphs`` subgraphs (default 20) of ``--types`` object types each (default 100: about 2,000
types in all, a few hundred of them entities shared by key across subgraphs, with ``@shareable``,
``@external``/``@requires``, enums, inputs and interfaces), an old and a new version that differ in about 1%
of their fields (removed, retyped, overridden, re-keyed, tagged), and times, each in a fresh process and
interleaved after one warm-up round:

- ``apidiff diff OLD_FOLDER NEW_FOLDER --format json``: both folders composed, subgraph and client changes;
- Apollo's composition of both folders (``@apollo/composition`` from npm, the peer: it composes but does not
  diff), when node and the package are installed (``tests/peers/apollo.py`` installs it).

Prints median and minimum wall seconds, median peak RSS, and the ratios to apidiff.

    python bench/federation_speed.py [--subgraphs 20] [--types 100] [--runs 5] [--against DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from _common import (
    REPO,
    Series,
    add_against_argument,
    against_series,
    machine_line,
    measure_interleaved,
    print_table,
    tool,
)

LINK = ('extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", '
        '"@external", "@requires", "@override", "@tag", "@inaccessible"])\n')


def generate(n_subgraphs: int, n_types: int, seed: int, changed: bool) -> dict[str, str]:
    """Subgraph name -> SDL. Entity ``E<k>`` is owned by subgraph ``k % n`` and referenced by the next one."""
    rng = random.Random(seed)
    out: dict[str, str] = {}
    entities = max(1, n_types // 5)
    for s in range(n_subgraphs):
        lines = [LINK]
        change = random.Random(seed * 1000 + s)
        roots = []
        for t in range(n_types):
            name = f"S{s}T{t}"
            fields = [f"  f{i}: {rng.choice(['String', 'Int', 'Float', 'Boolean', 'ID', f'S{s}Enum', '[String!]'])}"
                      for i in range(8)]
            if changed and change.random() < 0.08:
                i = change.randrange(len(fields))
                fields[i] = fields[i].replace(":", "Renamed:", 1) if change.random() < 0.5 else \
                    fields[i].split(":")[0] + ": String!"
            if t % 10 == 0:
                lines.append(f"interface S{s}I{t} {{ id: ID! }}")
                lines.append(f"type {name} implements S{s}I{t} {{\n  id: ID!\n" + "\n".join(fields) + "\n}")
            else:
                lines.append(f"type {name} {{\n" + "\n".join(fields) + "\n}")
            roots.append(f"  s{s}t{t}(first: Int = 10, filter: S{s}Filter): [{name}!]!")
        lines.append(f"enum S{s}Enum {{ A B C D }}")
        lines.append(f"input S{s}Filter {{ q: String limit: Int = 20 }}")
        # entities: owned here (k % n == s) or referenced from the owner
        for k in range(entities):
            owner = k % n_subgraphs
            if owner == s:
                key = '@key(fields: "id")' + (' @key(fields: "sku")' if k % 7 == 0 and not (changed and k % 3 == 0)
                                              else "")
                tag = ' @tag(name: "partner")' if changed and k % 11 == 0 else ""
                lines.append(f"type E{k} {key} {{\n  id: ID!\n  sku: String!\n  name: String @shareable{tag}\n"
                             f"  weight: Float\n  price: Int\n}}")
            elif (owner + 1) % n_subgraphs == s:
                override = f' @override(from: "s{owner}", label: "percent(10)")' if changed and k % 5 == 0 else ""
                lines.append(f'type E{k} @key(fields: "id") {{\n  id: ID!\n  name: String @shareable\n'
                             f'  weight: Float @external\n  shipping: Int @requires(fields: "weight")\n'
                             f"  price: Int{override}\n}}" if override else
                             f'type E{k} @key(fields: "id") {{\n  id: ID!\n  name: String @shareable\n'
                             f'  weight: Float @external\n  shipping: Int @requires(fields: "weight")\n}}')
                roots.append(f"  e{k}(id: ID!): E{k}")
        lines.append("type Query {\n" + "\n".join(roots) + "\n}")
        out[f"s{s}"] = "\n".join(lines) + "\n"
    return out


def write(folder: Path, subgraphs: dict[str, str]) -> None:
    folder.mkdir(parents=True)
    for name, text in subgraphs.items():
        (folder / f"{name}.graphql").write_text(text, encoding="utf-8")


def apollo_series(old: Path, new: Path) -> list[Series]:
    peers = Path(os.environ.get("APIDIFF_PEERS") or Path.home() / ".cache" / "apidiff-peers") / "apollo"
    compose = REPO / "tests" / "peers" / "compose.js"
    if shutil.which("node") is None or not (peers / "node_modules" / "@apollo" / "composition").is_dir():
        print(f"Apollo composition not installed in {peers} (run the federation tests once): left out")
        return []
    env = {**os.environ, "NODE_PATH": str(peers / "node_modules")}
    script = (f"const {{ execFileSync }} = require('child_process');"
              f"for (const d of {[str(old), str(new)]!r}) {{"
              f"  const files = require('fs').readdirSync(d).map(f => f.replace('.graphql', '') + '=' + d + '/' + f);"
              f"  execFileSync('node', [{str(compose)!r}, ...files], {{ maxBuffer: 1 << 30 }}); }}")
    return [Series("Apollo composition of both folders (node)", ["node", "-e", script], env=env)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subgraphs", type=int, default=20, help="subgraphs per side (default 20)")
    parser.add_argument("--types", type=int, default=100, help="object types per subgraph (default 100)")
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each command (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured rounds first (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    add_against_argument(parser)
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="apidiff-federation-"))
    try:
        old, new = scratch / "old", scratch / "new"
        write(old, generate(args.subgraphs, args.types, args.seed, changed=False))
        write(new, generate(args.subgraphs, args.types, args.seed, changed=True))
        cmd = ["diff", str(old), str(new), "--format", "json", "--no-config"]
        series = [Series("apidiff diff OLD NEW --format json", [tool("apidiff"), *cmd], ok_codes=(0, 1))]
        series += against_series("apidiff diff OLD NEW --format json", args.against, cmd)
        series += apollo_series(old, new)
        size = sum(p.stat().st_size for p in old.iterdir()) / 1e6
        print(f"{args.subgraphs} subgraphs x ~{args.types + args.types // 5 // args.subgraphs * 2 + 3} types per side "
              f"({size:.1f} MB of SDL per side); {machine_line()}")
        measure_interleaved(series, args.runs, args.warmup)
        print_table(series, reference=series[0].name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
