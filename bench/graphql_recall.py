#!/usr/bin/env python3
"""Recall against graphql-core: does apidiff report every change graphql-core finds, and at which severity?

Loads a pair of GitHub GraphQL schemas (the corpus of ../shared/bench/fetch-corpus.sh) with graphql-core
(``build_schema``, ``find_breaking_changes``, ``find_dangerous_changes``) and with ``apidiff.compare``.
Every graphql-core change is mapped, from its type and description, to the apidiff coordinate it is
about (``Type.field(arg:)``, ``Enum.VALUE``, ``Union member Type``, ``Type implements Interface``,
``@directive location LOC``) and the apidiff rule ids that describe the same event; it is matched when
apidiff reports one of them at that coordinate.

Printed: the counts of both tools; the graphql-core changes with no apidiff counterpart (must be none:
exit code 1 otherwise); the matched changes that apidiff classifies at another severity than graphql-core
(apidiff's ``backward`` verdict), grouped, with both verdicts; and, for information, the breaking or
dangerous apidiff changes that graphql-core does not report.

    python bench/graphql_recall.py [--old 14.58.0] [--new 15.20.0] [--today 2026-11-25]
    python bench/graphql_recall.py --synthetic   # a built-in pair with every graphql-core change type
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import graphql
from _common import add_corpus_arguments, ensure_corpus, graphql_sdl
from graphql import GraphQLSchema, build_schema, is_input_object_type
from graphql.utilities import (
    BreakingChange,
    BreakingChangeType,
    DangerousChange,
    DangerousChangeType,
    find_breaking_changes,
    find_dangerous_changes,
)

try:  # graphql-core >= 3.3 also lists safe changes
    from graphql.utilities import SafeChange, find_schema_changes
except ImportError:  # graphql-core 3.2
    SafeChange = find_schema_changes = None

import apidiff
from apidiff import Change, compare

GcChange = BreakingChange | DangerousChange
N = r"[_A-Za-z][_0-9A-Za-z]*"  # a GraphQL name
B, D = BreakingChangeType, DangerousChangeType


def removal(base: str) -> frozenset[str]:
    """A removal rule and its deprecation variants (see apidiff.core.rule.removal_rule)."""
    return frozenset({base, f"{base}-without-deprecation", f"{base}-before-sunset", f"{base}-after-sunset"})


@dataclass(frozen=True, slots=True)
class Expected:
    subject: str  # apidiff's coordinate
    rules: frozenset[str]  # apidiff rule ids that describe the same event


@dataclass(frozen=True, slots=True)
class Outcome:
    change: GcChange
    expected: Expected | None  # None: the description was not understood
    match: Change | None
    at_subject: tuple[Change, ...]  # what apidiff reported at that coordinate (when not matched)

    @property
    def core_verdict(self) -> str:
        return "breaking" if isinstance(self.change.type, BreakingChangeType) else "dangerous"


class Mapper:
    """graphql-core change -> the apidiff coordinate and rule ids; the old schema tells input objects
    from output types (graphql-core says "Field T.f" for both)."""

    def __init__(self, old: GraphQLSchema) -> None:
        self.old = old

    def is_input(self, type_name: str) -> bool:
        return is_input_object_type(self.old.type_map.get(type_name))

    def expected(self, change: GcChange) -> Expected | None:
        kind, text = change.type, change.description

        def m(pattern: str) -> re.Match[str] | None:
            return re.match(pattern, text)

        if kind is B.TYPE_REMOVED and (g := m(rf"^(?:Standard scalar )?({N}) was removed[. ]")):
            return Expected(g[1], frozenset({"type-removed"}))
        if kind is B.TYPE_CHANGED_KIND and (g := m(rf"^({N}) changed from ")):
            return Expected(g[1], frozenset({"type-kind-changed"}))
        if kind is B.TYPE_REMOVED_FROM_UNION and (g := m(rf"^({N}) was removed from union type ({N})\.$")):
            return Expected(f"{g[2]} member {g[1]}", frozenset({"union-member-removed"}))
        if kind is D.TYPE_ADDED_TO_UNION and (g := m(rf"^({N}) was added to union type ({N})\.$")):
            return Expected(f"{g[2]} member {g[1]}", frozenset({"union-member-added"}))
        if kind is B.VALUE_REMOVED_FROM_ENUM and (g := m(rf"^Enum value ({N}\.{N}) was removed\.$")):
            return Expected(g[1], removal("enum-value-removed"))
        if kind is D.VALUE_ADDED_TO_ENUM and (g := m(rf"^Enum value ({N}\.{N}) was added\.$")):
            return Expected(g[1], frozenset({"enum-value-added"}))
        if kind is B.IMPLEMENTED_INTERFACE_REMOVED and (g := m(rf"^({N}) no longer implements interface ({N})\.$")):
            return Expected(f"{g[1]} implements {g[2]}", frozenset({"interface-removed"}))
        if kind is D.IMPLEMENTED_INTERFACE_ADDED and (g := m(rf"^({N}) added to interfaces implemented by ({N})\.$")):
            return Expected(f"{g[2]} implements {g[1]}", frozenset({"interface-added"}))
        if kind is B.REQUIRED_INPUT_FIELD_ADDED and (g := m(rf"^A required field ({N}\.{N}) was added\.$")):
            return Expected(g[1], frozenset({"input-field-added-required"}))
        if kind is D.OPTIONAL_INPUT_FIELD_ADDED and (g := m(rf"^An optional field ({N}\.{N}) was added\.$")):
            # graphql-core: optional = nullable, or non-null with a default
            return Expected(g[1], frozenset({"input-field-added-optional", "input-field-added-required-with-default"}))
        if kind is B.FIELD_REMOVED and (g := m(rf"^Field (({N})\.{N}) was removed\.$")):
            return Expected(g[1], removal("input-field-removed" if self.is_input(g[2]) else "field-removed"))
        if kind is B.FIELD_CHANGED_KIND and (g := m(rf"^Field (({N})\.{N}) changed type from ")):
            if self.is_input(g[2]):
                return Expected(g[1], frozenset({"input-field-type-changed", "input-field-became-non-nullable"}))
            return Expected(g[1], frozenset({"field-type-changed", "field-became-nullable"}))
        if kind is D.INPUT_FIELD_DEFAULT_VALUE_CHANGE and (
                g := m(rf"^({N}\.{N}) (?:defaultValue was removed\.|has changed defaultValue from )")):
            return Expected(g[1], frozenset({"input-field-default-changed"}))
        # arguments of fields (Type.field(arg:)) and of directives (@dir(arg:)) share the description formats
        arg = rf"((@)?{N}(?:\.{N})?\({N}:\))"
        if kind in (B.REQUIRED_ARG_ADDED, B.REQUIRED_DIRECTIVE_ARG_ADDED) and (
                g := m(rf"^A required argument {arg} was added\.$")):
            return Expected(g[1], frozenset({f"{_arg_kind(g[2])}-added-required"}))
        if kind is D.OPTIONAL_ARG_ADDED and (g := m(rf"^An optional argument {arg} was added\.$")):
            prefix = _arg_kind(g[2])
            return Expected(g[1], frozenset({f"{prefix}-added-optional", f"{prefix}-added-required-with-default"}))
        if kind in (B.ARG_REMOVED, B.DIRECTIVE_ARG_REMOVED) and (g := m(rf"^Argument {arg} was removed\.$")):
            return Expected(g[1], removal(f"{_arg_kind(g[2])}-removed"))
        if kind is B.ARG_CHANGED_KIND and (g := m(rf"^Argument {arg} has changed type from ")):
            prefix = _arg_kind(g[2])
            return Expected(g[1], frozenset({f"{prefix}-type-changed", f"{prefix}-became-non-nullable"}))
        if kind is D.ARG_DEFAULT_VALUE_CHANGE and (
                g := m(rf"^{arg} (?:defaultValue was removed\.|has changed defaultValue from )")):
            return Expected(g[1], frozenset({f"{_arg_kind(g[2])}-default-changed"}))
        if kind is B.DIRECTIVE_REMOVED and (g := m(rf"^Directive (@{N}) was removed\.$")):
            return Expected(g[1], frozenset({"directive-removed"}))
        if kind is B.DIRECTIVE_REPEATABLE_REMOVED and (g := m(rf"^Repeatable flag was removed from (@{N})\.$")):
            return Expected(g[1], frozenset({"directive-repeatable-removed"}))
        if kind is B.DIRECTIVE_LOCATION_REMOVED and (g := m(rf"^({N}) was removed from (@{N})\.$")):
            return Expected(f"{g[2]} location {g[1]}", frozenset({"directive-location-removed"}))
        return None


def _arg_kind(at_sign: str | None) -> str:
    return "directive-argument" if at_sign else "argument"


def match_all(core: Sequence[GcChange], report_changes: Sequence[Change], mapper: Mapper) -> list[Outcome]:
    by_subject: dict[str, list[Change]] = defaultdict(list)
    for c in report_changes:
        by_subject[c.subject].append(c)
    outcomes = []
    for change in core:
        expected = mapper.expected(change)
        if expected is None:
            outcomes.append(Outcome(change, None, None, ()))
            continue
        at = by_subject.get(expected.subject, [])
        match = next((c for c in at if c.id in expected.rules), None)
        outcomes.append(Outcome(change, expected, match, () if match else tuple(at)))
    return outcomes


def _describe(changes: Iterable[Change]) -> str:
    return "; ".join(f"{c.id} ({c.backward.value}, {c.direction.value})" for c in changes) or "nothing"


def _core_safe_verdict(subject: str, safe: Sequence[Any]) -> str:
    """graphql-core's safe change that names ``subject``, if any (graphql-core >= 3.3 lists them)."""
    pattern = re.compile(rf"(?<![\w.@]){re.escape(subject)}(?![\w(])")
    hit = next((c for c in safe if pattern.search(c.description)), None)
    return f"graphql-core: safe {hit.type.name}" if hit else "graphql-core: nothing"


def report(core: Sequence[GcChange], changes: Sequence[Change], mapper: Mapper, title: str,
           safe: Sequence[Any] = ()) -> int:
    outcomes = match_all(core, changes, mapper)
    n_break = sum(1 for o in outcomes if o.core_verdict == "breaking")
    counts = {s: sum(1 for c in changes if c.backward.value == s) for s in ("breaking", "dangerous", "safe")}
    print(title)
    print(f"{'':14}{'breaking':>9}{'dangerous':>10}{'safe':>6}")
    print(f"{'apidiff':14}{counts['breaking']:>9}{counts['dangerous']:>10}{counts['safe']:>6}"
          "   (backward verdicts, every rule)")
    print(f"{'graphql-core':14}{n_break:>9}{len(outcomes) - n_break:>10}{'-':>6}")

    unknown = [o for o in outcomes if o.expected is None]
    missing = [o for o in outcomes if o.expected is not None and o.match is None]
    matched = [o for o in outcomes if o.match is not None]
    print(f"\ngraphql-core changes matched to an apidiff change: {len(matched)}/{len(outcomes)}")

    print(f"\n== graphql-core changes with no apidiff counterpart: {len(missing)} ==")
    for o in missing:
        assert o.expected is not None
        owner = re.split(r"[.( ]", o.expected.subject, maxsplit=1)[0]
        near = [c for c in changes if re.split(r"[.( ]", c.subject, maxsplit=1)[0] == owner][:5] \
            if not o.at_subject else []
        print(f"  {o.change.type.name} ({o.core_verdict}): {o.change.description}")
        print(f"      expected {' | '.join(sorted(o.expected.rules))} at {o.expected.subject}; "
              f"apidiff reported there: {_describe(o.at_subject)}"
              + (f"; near it: {_describe(near)}" if near else ""))
    if unknown:
        print(f"\n== graphql-core changes this script cannot map (new type or description format): {len(unknown)} ==")
        for o in unknown:
            print(f"  {o.change.type.name}: {o.change.description}")

    groups: dict[tuple[str, str, str, str], list[Outcome]] = defaultdict(list)
    for o in matched:
        assert o.match is not None
        if o.match.backward.value != o.core_verdict:
            groups[(o.change.type.name, o.core_verdict, o.match.id, o.match.backward.value)].append(o)
    total = sum(len(v) for v in groups.values())
    print(f"\n== severity differences (graphql-core verdict -> apidiff backward verdict): {total} ==")
    for (kind, core_verdict, rule_id, verdict), items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"  {kind} {core_verdict} -> {rule_id} {verdict}: {len(items)}")
        for o in items:
            assert o.match is not None
            print(f"      {o.match.subject} [{o.match.direction.value}]  {o.change.description}")

    counterparts = {id(o.match) for o in matched}
    extras: dict[str, list[Change]] = defaultdict(list)
    for c in changes:
        if c.backward.value != "safe" and id(c) not in counterparts:
            extras[f"{c.id} ({c.backward.value})"].append(c)
    print(f"\n-- for information: breaking/dangerous apidiff changes graphql-core does not report: "
          f"{sum(len(v) for v in extras.values())} --")
    for key, items in sorted(extras.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"  {key}: {len(items)}")
        for c in items:
            print(f"      {c.subject} [{c.direction.value}]  {c.message}  ({_core_safe_verdict(c.subject, safe)})")
    return 1 if missing or unknown else 0


# A small pair that triggers every BreakingChangeType and DangerousChangeType of graphql-core, to check
# the mapping itself (the real pairs exercise only a few of them).
SYNTHETIC_OLD = """
directive @gone on FIELD
directive @rep repeatable on FIELD | QUERY
directive @d(a: Int, b: Int, c: Int = 1, e: Int = 2) on FIELD
type Query {
  removed: String
  sunset: String @deprecated(reason: "Removal on 2020-01-01 UTC.")
  f(a: Int, b: Int, c: Int = 1, e: Int = 2, gone: Int, nn: Int): String
  kind: String
  nullable: String!
  u: U
  obj: Obj
  e: E
  eIn(x: EIn): String
  gone: Gone
  k: Kinded
  i(in: In): String
  fl: Float
}
type Gone { a: Int }
type Kinded { a: Int }
interface Node { id: ID }
interface Other { id: ID }
type Obj implements Node { id: ID }
type A { a: Int }
type B { b: Int }
union U = A | B
enum E { X Y }
enum EIn { X Y }
input In { a: Int, b: Int = 1, c: Int = 3, gone: Int, nn: Int }
"""
SYNTHETIC_NEW = """
directive @rep on FIELD
directive @d(a: String, c: Int = 2, e: Int, req: Int!, opt: Int) on FIELD
type Query {
  f(a: String, c: Int = 2, e: Int, nn: Int!, req: Int!, opt: Int, optd: Int! = 1): String
  kind: Int
  nullable: String
  u: U
  obj: Obj
  e: E
  eIn(x: EIn): String
  k: Kinded
  i(in: In): String
}
interface Kinded { a: Int }
interface Node { id: ID }
interface Other { id: ID }
type Obj implements Other { id: ID }
type A { a: Int }
type B { b: Int }
type C { c: Int }
union U = A | C
enum E { X Z }
enum EIn { X Y W }
input In { a: String, b: Int = 2, c: Int, nn: Int!, req: Int!, opt: Int, optd: Int! = 1 }
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", default="14.58.0", help="old @octokit/graphql-schema version (default 14.58.0)")
    parser.add_argument("--new", default="15.20.0", help="new version (default 15.20.0)")
    parser.add_argument("--today", type=date.fromisoformat, default=date.today(),
                        help="the date apidiff judges deprecation sunsets against (default: today)")
    parser.add_argument("--synthetic", action="store_true",
                        help="compare the built-in pair that has every graphql-core change type instead")
    add_corpus_arguments(parser)
    args = parser.parse_args(argv)

    old_src: str | Path
    new_src: str | Path
    if args.synthetic:
        old_src, new_src, label = SYNTHETIC_OLD, SYNTHETIC_NEW, "synthetic pair"
        old_text, new_text = SYNTHETIC_OLD, SYNTHETIC_NEW
    else:
        old_src, new_src = graphql_sdl(args.old), graphql_sdl(args.new)
        ensure_corpus([old_src, new_src], args.fetch_script)
        old_text, new_text = old_src.read_text(encoding="utf-8"), new_src.read_text(encoding="utf-8")
        label = f"@octokit/graphql-schema {args.old} -> {args.new}"

    old_schema, new_schema = build_schema(old_text), build_schema(new_text)
    core: list[GcChange] = [*find_breaking_changes(old_schema, new_schema),
                            *find_dangerous_changes(old_schema, new_schema)]
    safe = [c for c in find_schema_changes(old_schema, new_schema) if isinstance(c, SafeChange)] \
        if find_schema_changes is not None else []
    result = compare(old_src, new_src, mode="backward", today=args.today)
    title = (f"{label}: graphql-core {graphql.__version__} vs apidiff {apidiff.__version__} "
             f"(mode backward, today {args.today.isoformat()})")
    return report(core, result.changes, Mapper(old_schema), title, safe)


if __name__ == "__main__":
    sys.exit(main())
