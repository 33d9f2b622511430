#!/usr/bin/env python3
"""Consumer impact on GraphQL operations: 1,000 generated operations against GitHub's schema, timed end to end.

Generates realistic client operations against the old schema (seeded, so every run writes the same
files): queries from ``repository``, ``user``, ``organization``, ``viewer``, ``search``, ``node`` and
others, mutations with input variables, connections (``first: 10``, ``pageInfo``, ``nodes``/``edges``),
enum and input-object literals, inline fragments on unions and interfaces, and named fragments kept in a
``fragments.graphql`` file of each consumer. Every operation is checked valid against the old schema with
graphql-core before it is kept. They are written, a dozen per file, into a temporary folder with one
subfolder per consumer (``web/``, ``ios/``, ``android/``, ``billing/`` ...).

Then it times, each in a fresh process (median of ``--runs``, after a warm-up round; wall time and peak
RSS, see ``_common.py``):

- the CLI: ``apidiff diff OLD NEW --usage 'DIR/**/*.graphql' -f json`` (skipped with ``--no-cli``);
- ``--in-process``: a Python process doing the same with the library: ``load`` both schemas,
  ``compare``, ``load_usage`` and ``assess``; one more run prints how long each step took and what was
  found.

    python bench/usage_graphql.py [--old 14.58.0] [--new 15.20.0] [--operations 1000] [--consumers 4]
                                  [--runs 5] [--in-process] [--no-cli] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from _common import (
    Series,
    add_corpus_arguments,
    ensure_corpus,
    graphql_sdl,
    machine_line,
    measure_interleaved,
    tool,
)
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
    get_named_type,
    is_required_argument,
    is_required_input_field,
    parse,
    validate,
)

CONSUMERS = ("web", "ios", "android", "billing", "partners", "cli", "desktop", "admin")
ROOTS = {  # realistic entry points and how often clients start there
    "repository": 30, "viewer": 15, "user": 10, "organization": 10, "search": 8, "node": 6, "nodes": 2,
    "topic": 2, "rateLimit": 2, "repositoryOwner": 3, "enterprise": 1, "securityAdvisories": 1,
    "marketplaceListings": 1, "licenses": 1, "codesOfConduct": 1,
}
FRAGMENT_TYPES = ("Repository", "Issue", "PullRequest", "User", "Organization", "Commit", "Label", "Milestone",
                  "Release", "Ref", "Actor", "Team", "Discussion", "IssueComment", "Project")
SCALAR_VALUES = {"String": '"octocat"', "ID": '"MDQ6VXNlcjE="', "Int": "10", "Float": "1.5", "Boolean": "true",
                 "URI": '"https://github.com"', "DateTime": '"2024-01-01T00:00:00Z"', "GitObjectID": '"abc123"'}

IN_PROCESS = r"""
import glob, json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from apidiff import compare, load
old, new = load(sys.argv[1]), load(sys.argv[2])
t1 = time.perf_counter()
report = compare(old, new)
t2 = time.perf_counter()
pattern = sys.argv[3]
try:
    from apidiff.usage import load_usage
    usage = load_usage([pattern])
except ImportError:  # before apidiff.formats.openapi.usage exists: the GraphQL reader alone
    from apidiff.core.sources import read_text
    from apidiff.usage import UsageFile, default_consumer, detect
    from apidiff.usage import graphql as reader
    base = Path(pattern.split("**")[0])
    files = [UsageFile(read_text(Path(p)), detect(read_text(Path(p))), default_consumer(Path(p), base))
             for p in sorted(glob.glob(pattern, recursive=True))]
    usage = reader.read(files)
t3 = time.perf_counter()
if hasattr(usage, "assess") and hasattr(usage, "files"):
    result = usage.assess(report.changes, old, new)
    impacts, count = result.impacts, result.usages
else:
    impacts = usage.assess(report.changes, old, new)
    count = len(usage.usages)
t4 = time.perf_counter()
out = {"usages": count, "affected": len(impacts),
       "errors": sum(1 for i in impacts if i.errors),
       "changes": len(report.changes),
       "seconds": {"load both schemas": t1 - t0, "compare": t2 - t1, "read usage": t3 - t2, "assess": t4 - t3,
                   "total in process": t4 - t0},
       "impacts": [i.to_dict() for i in impacts]}
json.dump(out, sys.stdout)
"""


# -- generating operations ----------------------------------------------------------------------------

@dataclass
class Op:
    text: str
    fragments: set[str] = field(default_factory=set)


class Generator:
    """Operations against one schema, as a client team would write them."""

    def __init__(self, schema: GraphQLSchema, rng: random.Random) -> None:
        self.schema = schema
        self.rng = rng
        self.fragments: dict[str, tuple[str, str]] = {}  # type -> (fragment name, text)
        self.spreads: dict[str, set[str]] = {}  # fragment name -> fragments it spreads
        self.vars: dict[str, str] = {}
        self.used: set[str] = set()
        self.literals_only = False  # in fragments: no variables (the operations would have to declare them)

    # fragments ---------------------------------------------------------------------------------------
    def make_fragments(self, prefix: str) -> str:
        texts = []
        for type_name in FRAGMENT_TYPES:
            t = self.schema.get_type(type_name)
            if not isinstance(t, GraphQLObjectType | GraphQLInterfaceType):
                continue
            name = f"{prefix}{type_name}Fields"
            self.vars, self.used, self.literals_only = {}, set(), True
            body = self.selection(t, depth=2, allow_spreads=False)
            text = f"fragment {name} on {type_name} {{\n{body}\n}}\n"
            self.fragments[type_name] = (name, text)
            texts.append(text)
        return "\n".join(texts)

    # operations --------------------------------------------------------------------------------------
    def operation(self, index: int) -> Op:
        self.vars, self.used, self.literals_only = {}, set(), False
        mutation = self.rng.random() < 0.12 and self.schema.mutation_type is not None
        if mutation:
            assert self.schema.mutation_type is not None
            root = self.schema.mutation_type
            names = [n for n, f in root.fields.items() if not f.deprecation_reason]
            chosen = [self.rng.choice(names)]
        else:
            root = self.schema.query_type  # type: ignore[assignment]
            available = [n for n in ROOTS if n in root.fields]
            chosen = list(dict.fromkeys(self.rng.choices(available, [ROOTS[n] for n in available],
                                                         k=self.rng.choice((1, 1, 1, 2)))))
        lines = []
        for name in chosen:
            lines.append(self.field_text(name, root.fields[name], depth=0, indent="  "))
        kind = "mutation" if mutation else "query"
        op_name = f"{''.join(p[:1].upper() + p[1:] for p in chosen)}{'Mutation' if mutation else 'Query'}{index}"
        variables = ", ".join(f"${n}: {t}" for n, t in self.vars.items())
        header = f"{kind} {op_name}({variables})" if variables else f"{kind} {op_name}"
        return Op(header + " {\n" + "\n".join(lines) + "\n}\n", set(self.used))

    def selection(self, t: GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType, depth: int,
                  allow_spreads: bool = True, indent: str = "  ") -> str:
        rng = self.rng
        out: list[str] = []
        if allow_spreads and t.name in self.fragments and rng.random() < 0.35:
            name = self.fragments[t.name][0]
            self.used.add(name)
            out.append(f"{indent}...{name}")
        if isinstance(t, GraphQLUnionType):
            out.append(f"{indent}__typename")
            members = list(t.types)
            for member in rng.sample(members, k=min(len(members), rng.randint(1, 3))):
                inner = self.selection(member, depth + 1, allow_spreads, indent + "  ")
                out.append(f"{indent}... on {member.name} {{\n{inner}\n{indent}}}")
            return "\n".join(out)
        fields = t.fields
        if "nodes" in fields and "pageInfo" in fields:
            if "totalCount" in fields:
                out.append(f"{indent}totalCount")
            out.append(f"{indent}pageInfo {{ hasNextPage endCursor }}")
            key = "nodes" if rng.random() < 0.7 or "edges" not in fields else "edges"
            out.append(self.field_text(key, fields[key], depth, indent, allow_spreads))
            return "\n".join(out)
        leaves = [n for n, f in fields.items() if self.is_leaf(f)]
        objects = [n for n, f in fields.items() if not self.is_leaf(f)]
        leaves = self.prefer_current(leaves, fields)
        objects = self.prefer_current(objects, fields)
        if "id" in fields and "id" not in leaves:
            leaves.insert(0, "id")
        n_leaves = min(len(leaves), rng.randint(2, 6) if depth < 3 else rng.randint(1, 3))
        picked = ["id"] if "id" in leaves and rng.random() < 0.8 else []
        picked += rng.sample([n for n in leaves if n not in picked], k=max(0, n_leaves - len(picked)))
        if depth < 3 and objects:
            picked += rng.sample(objects, k=min(len(objects), rng.randint(0, 3 - depth)))
        for name in dict.fromkeys(picked):
            out.append(self.field_text(name, fields[name], depth + 1, indent, allow_spreads))
        if isinstance(t, GraphQLInterfaceType) and depth < 3 and rng.random() < 0.4:
            impls = self.schema.get_possible_types(t)
            for impl in rng.sample(list(impls), k=min(len(impls), rng.randint(1, 2))):
                inner = self.selection(impl, depth + 1, allow_spreads, indent + "  ")
                out.append(f"{indent}... on {impl.name} {{\n{inner}\n{indent}}}")
        if not out:
            out.append(f"{indent}__typename")
        return "\n".join(out)

    def prefer_current(self, names: list[str], fields: dict[str, GraphQLField]) -> list[str]:
        """Mostly fields that are not deprecated; a few clients still use deprecated ones."""
        return [n for n in names if not fields[n].deprecation_reason or self.rng.random() < 0.15]

    @staticmethod
    def is_leaf(f: GraphQLField) -> bool:
        return isinstance(get_named_type(f.type), GraphQLScalarType | GraphQLEnumType)

    def field_text(self, name: str, f: GraphQLField, depth: int, indent: str, allow_spreads: bool = True) -> str:
        args = self.arguments(f)
        result = get_named_type(f.type)
        if isinstance(result, GraphQLScalarType | GraphQLEnumType):
            return f"{indent}{name}{args}"
        inner = self.selection(result, depth, allow_spreads, indent + "  ")  # type: ignore[arg-type]
        return f"{indent}{name}{args} {{\n{inner}\n{indent}}}"

    def arguments(self, f: GraphQLField) -> str:
        rng = self.rng
        parts = []
        for name, arg in f.args.items():
            required = is_required_argument(arg)
            named = get_named_type(arg.type)
            if name == "first":
                parts.append("first: 10")
            elif required:
                parts.append(f"{name}: {self.value_or_variable(name, arg.type)}")
            elif (isinstance(named, GraphQLEnumType) and rng.random() < 0.3) or (
                    name == "orderBy" and isinstance(named, GraphQLInputObjectType) and rng.random() < 0.5):
                parts.append(f"{name}: {self.literal(arg.type)}")
            elif isinstance(named, GraphQLScalarType) and name not in ("after", "before", "last") \
                    and rng.random() < 0.1:
                parts.append(f"{name}: {self.value_or_variable(name, arg.type)}")
        return f"({', '.join(parts)})" if parts else ""

    def value_or_variable(self, name: str, type_: object) -> str:
        named = get_named_type(type_)  # type: ignore[arg-type]
        scalar = isinstance(named, GraphQLScalarType) and not isinstance(type_, GraphQLList)
        if self.literals_only or isinstance(named, GraphQLEnumType) or (scalar and self.rng.random() < 0.3):
            return self.literal(type_)
        var = name
        n = 2
        while var in self.vars and self.vars[var] != str(type_):
            var = f"{name}{n}"
            n += 1
        self.vars[var] = str(type_)
        return f"${var}"

    def literal(self, type_: object, depth: int = 0) -> str:
        if isinstance(type_, GraphQLNonNull):
            return self.literal(type_.of_type, depth)
        if isinstance(type_, GraphQLList):
            return f"[{self.literal(type_.of_type, depth)}]"
        if isinstance(type_, GraphQLEnumType):
            values = [n for n, v in type_.values.items() if not v.deprecation_reason] or list(type_.values)
            return self.rng.choice(values)
        if isinstance(type_, GraphQLInputObjectType):
            parts = []
            for name, f in type_.fields.items():
                if is_required_input_field(f) or (depth < 1 and self.rng.random() < 0.2):
                    parts.append(f"{name}: {self.literal(f.type, depth + 1)}")
            return "{" + ", ".join(parts) + "}"
        if isinstance(type_, GraphQLScalarType):
            return SCALAR_VALUES.get(type_.name, '"x"')
        return "null"


@dataclass
class Corpus:
    folder: Path
    operations: int
    files: int
    fields: int


def generate(schema_path: Path, dest: Path, operations: int, consumers: int, seed: int) -> Corpus:
    """Write ``operations`` valid operations into ``dest/<consumer>/*.graphql``."""
    schema = build_schema(schema_path.read_text(encoding="utf-8"), assume_valid=True)  # GitHub's is not quite valid
    rng = random.Random(seed)
    teams = CONSUMERS[:consumers]
    generators = {}
    fragment_defs: dict[str, dict[str, str]] = {}
    for team in teams:
        gen = Generator(schema, random.Random(rng.random()))
        text = gen.make_fragments(team.capitalize())
        folder = dest / team
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "fragments.graphql").write_text(text, encoding="utf-8")
        generators[team] = gen
        fragment_defs[team] = {name: frag for name, frag in gen.fragments.values()}
    per_team: dict[str, list[str]] = {t: [] for t in teams}
    made = attempts = fields = 0
    while made < operations:
        attempts += 1
        if attempts > operations * 20:
            raise SystemExit(f"could only generate {made} valid operations")
        team = teams[made % len(teams)]
        op = generators[team].operation(made)
        document = parse(op.text + "\n".join(fragment_defs[team][n] for n in sorted(op.fragments)))
        if validate(schema, document):
            continue
        per_team[team].append(op.text)
        fields += op.text.count("\n")
        made += 1
    files = len(teams)
    for team, texts in per_team.items():
        for start in range(0, len(texts), 12):
            folder = dest / team / ("screens" if start % 24 else "features")
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"operations{start // 12 + 1:03}.graphql").write_text("\n".join(texts[start:start + 12]),
                                                                            encoding="utf-8")
            files += 1
    return Corpus(dest, made, files, fields)


# -- measuring -------------------------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", default="14.58.0", help="old @octokit/graphql-schema version (default 14.58.0)")
    parser.add_argument("--new", default="15.20.0", help="new version (default 15.20.0)")
    parser.add_argument("--operations", type=int, default=1000, help="operations to generate (default 1000)")
    parser.add_argument("--consumers", type=int, default=4, choices=range(1, len(CONSUMERS) + 1),
                        metavar=f"1..{len(CONSUMERS)}", help="consumer folders (default 4)")
    parser.add_argument("--seed", type=int, default=20260101, help="random seed of the generator")
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each command (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured rounds first (default 1)")
    parser.add_argument("--in-process", action="store_true",
                        help="also time the library in one Python process (load, compare, load_usage, assess)")
    parser.add_argument("--no-cli", action="store_true", help="do not time the CLI (before --usage exists)")
    parser.add_argument("--keep", type=Path, default=None, help="write the operations here and keep them")
    add_corpus_arguments(parser)
    args = parser.parse_args(argv)

    old, new = graphql_sdl(args.old), graphql_sdl(args.new)
    ensure_corpus([old, new], args.fetch_script)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="apidiff-usage-"))
    try:
        if args.keep and folder.exists():
            shutil.rmtree(folder)
        corpus = generate(old, folder, args.operations, args.consumers, args.seed)
        pattern = str(folder / "**" / "*.graphql")
        print(f"GraphQL @octokit/graphql-schema {args.old} -> {args.new}; {corpus.operations} operations "
              f"({corpus.fields} lines) in {corpus.files} files, {args.consumers} consumers, in {folder}; "
              f"{machine_line()}")
        series = []
        if not args.no_cli:
            series.append(Series("apidiff diff --usage -f json",
                                 [tool("apidiff"), "diff", str(old), str(new), "--usage", pattern, "-f", "json"],
                                 ok_codes=(0, 1)))
        if args.in_process:
            series.append(Series("in process (load, compare, assess)",
                                 [sys.executable, "-c", IN_PROCESS, str(old), str(new), pattern]))
        if not series:
            print("nothing to time: pass --in-process or leave out --no-cli", file=sys.stderr)
            return 2
        measure_interleaved(series, args.runs, args.warmup)
        width = max(len(s.name) for s in series)
        print(f"{'command':<{width}}  {'median s':>8}  {'min s':>6}  {'peak MB':>7}")
        for s in series:
            print(f"{s.name:<{width}}  {s.median_s:8.2f}  {s.min_s:6.2f}  {s.peak_mb:7.0f}")
        print(f"(median of {args.runs} runs each, interleaved, after {args.warmup} warm-up round(s))")
        if args.in_process:
            done = subprocess.run([sys.executable, "-c", IN_PROCESS, str(old), str(new), pattern],
                                  capture_output=True, text=True, check=True)
            result = json.loads(done.stdout)
            steps = ", ".join(f"{k} {v:.2f} s" for k, v in result["seconds"].items())
            print(f"one more in-process run: {steps}")
            by_change: dict[str, int] = {}
            for impact in result["impacts"]:
                for change in impact["changes"]:
                    by_change[change] = by_change.get(change, 0) + 1
            print(f"{result['usages']} operations, {result['affected']} affected ({result['errors']} with "
                  f"validation errors) by {result['changes']} changes; affected per rule: "
                  + (", ".join(f"{k} {v}" for k, v in sorted(by_change.items())) or "-"))
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
