#!/usr/bin/env python3
"""No superlinear cost: grow one dimension of a schema at a time and fit the exponent of the time.

For each dimension (below) and each size n (``--min`` 1,000 doubling up to ``--max`` 64,000; ``--quick``:
up to 8,000), builds an old/new pair of documents in which n elements of that dimension change (4,000
properties removed: the old response schema has them, the new one does not), writes both into a
temporary folder (outside the timing), then times, in this process:

- ``apidiff.compare(OLD_PATH, NEW_PATH)``: reading, detecting and loading both files, pairing, the rules,
  rename detection, locating the changes (line numbers) and sorting them;
- ``apidiff.report.render(report, "text")`` and ``render(report, "json")``.

Each size is run ``--repeat`` times (default 3, after ``gc.collect()``); the table gives the median total
and, of the median run, its parts. The exponent k of ``time ≈ c·n^k`` is fitted by least squares on
log(time) against log(n) over the sizes measured, the smallest left out when three or more remain
(at 1,000 elements constant costs, imports and warm-up still weigh). Linear work gives k ≈ 1; k above
1.2 is flagged as superlinear.

A run is bounded: an interval timer interrupts one that takes more than ``--limit`` seconds (default 60);
the dimension then stops growing and is reported as superlinear (``stopped at N``). A pair that apidiff
refuses (a ``LoadError``: nesting past 128 levels, a chain of more than 64 refs) is still timed: refusing
a hostile input must be linear too; its rows say ``refused`` and why.

``--verbs`` adds the deprecation plan and the migration guide of the report (``build_plan``, ``build_guide``
and their Markdown renderers, on models loaded again outside the timing) to each run: columns ``plan`` and
``guide``, and the total. A guide shows sample requests and responses per entry, so a guide of n removed
properties of one response is O(n²) in size: that dimension's guide exponent is about 2 by design.

Documents are JSON (OpenAPI 3.0.3) or SDL (GraphQL); ``--yaml`` writes the OpenAPI ones as YAML instead.
``APIDIFF_NO_FORK=1`` is set (unless set already) so that both sides load in this process and the figures
add up; ``--fork`` leaves apidiff's parallel loading of large GraphQL files on. The garbage collector runs as the
``apidiff`` command sets it (``apidiff.cli.GC_THRESHOLD``, imports frozen); ``--default-gc`` leaves Python's
thresholds, as a program calling ``compare()`` has them.

    python bench/growth.py [--min 1000] [--max 64000] [--quick] [--repeat 3] [--only NAME[,NAME…]]
                           [--limit 60] [--verbs] [--yaml] [--fork] [--default-gc] [--list]

``--only`` takes dimension names or parts of them (``--only graphql``, ``--only properties-removed``).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine_line

TODAY = date(2026, 1, 1)
FLAG = 1.2

Json = dict[str, Any]


# -- OpenAPI documents -----------------------------------------------------------------------------

def _openapi(paths: Json, schemas: Json | None = None) -> Json:
    doc: Json = {"openapi": "3.0.3", "info": {"title": "growth", "version": "1.0.0"}, "paths": paths}
    if schemas:
        doc["components"] = {"schemas": schemas}
    return doc


def _response(schema: Json, description: str = "ok") -> Json:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _get(schema: Json, operation_id: str) -> Json:
    return {"get": {"operationId": operation_id, "responses": {"200": _response(schema)}}}


def _ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def _shape(i: int) -> Json:
    """A property schema; most shapes are unique (a rename can be told), booleans repeat (it cannot)."""
    kind = i % 5
    if kind == 0:
        return {"type": "string", "maxLength": i + 1}
    if kind == 1:
        return {"type": "integer", "maximum": i + 1}
    if kind == 2:
        return {"type": "number", "minimum": -i}
    if kind == 3:
        return {"type": "array", "items": {"type": "string"}, "maxItems": i + 1}
    return {"type": "boolean", "description": f"flag {i}"}


def _object(names: list[str], shapes: list[Json], *, required_every: int = 3) -> Json:
    props: Json = {"id": {"type": "string"}}
    props.update(zip(names, shapes, strict=True))
    required = ["id"] + [name for k, name in enumerate(names) if k % required_every == 0]
    return {"type": "object", "properties": props, "required": required}


def oas_properties(n: int, *, renamed: bool = False) -> tuple[Json, Json]:
    """One response schema with n properties (and ``id``), a third of them required, of unique shapes
    but for the booleans; the new one has ``id`` only (or, renamed, the same called ``field_{i}_v2``)."""
    names = [f"field_{i}" for i in range(n)]
    shapes = [_shape(i) for i in range(n)]
    old = _openapi({"/items": _get(_object(names, shapes), "listItems")})
    new_names = [f"{name}_v2" for name in names] if renamed else []
    new = _openapi({"/items": _get(_object(new_names, shapes if renamed else []), "listItems")})
    return old, new


def oas_operations(n: int, *, renamed: bool = False) -> tuple[Json, Json]:
    """n operations (``GET /items{i}/{id}``, each response of its own shape) and one that stays."""
    def ops(prefix: str) -> Json:
        return {f"{prefix}/items{i}/{{id}}": _get(_shape(i), f"get{prefix.strip('/')}Item{i}") for i in range(n)}

    stay = {"/health": _get({"type": "string"}, "health")}
    old = _openapi({**stay, **ops("")})
    new = _openapi({**stay, **(ops("/v2") if renamed else {})})
    return old, new


def oas_enum(n: int) -> tuple[Json, Json]:
    """A named enum with n + 1 values, read in a request body and in a response; the new one keeps one."""
    def doc(values: list[str]) -> Json:
        status = {"type": "string", "enum": values}
        item = {"type": "object", "properties": {"status": _ref("Status")}, "required": ["status"]}
        paths = {"/items": {"post": {"operationId": "createItem",
                                     "requestBody": {"required": True,
                                                     "content": {"application/json": {"schema": _ref("Item")}}},
                                     "responses": {"201": _response(_ref("Item"))}}}}
        return _openapi(paths, {"Status": status, "Item": item})

    return doc(["active"] + [f"value_{i}" for i in range(n)]), doc(["active"])


def oas_oneof_refs(n: int) -> tuple[Json, Json]:
    """A response ``oneOf`` n named branches; the new one drops the first half and adds as many."""
    def doc(first: int) -> Json:
        names = [f"Branch{i}" for i in range(first, first + n)]
        schemas = {name: {"type": "object", "properties": {f"p{name}": {"type": "string"}}} for name in names}
        return _openapi({"/items": _get({"oneOf": [_ref(name) for name in names]}, "listItems")}, schemas)

    return doc(0), doc(n // 2)


def oas_anyof_inline(n: int) -> tuple[Json, Json]:
    """A response ``anyOf`` n inline titled objects; the new one changes a property in half of them and
    replaces the other half by as many new ones."""
    def branch(i: int, kind: str) -> Json:
        return {"title": f"Variant{i}", "type": "object", "properties": {f"v{i}": {"type": kind}}}

    half = n // 2
    old = [branch(i, "string") for i in range(n)]
    new = [branch(i, "integer") for i in range(half)] + [branch(n + i, "string") for i in range(n - half)]
    return (_openapi({"/items": _get({"anyOf": old}, "listItems")}),
            _openapi({"/items": _get({"anyOf": new}, "listItems")}))


def oas_allof_depth(n: int) -> tuple[str, str]:
    """``allOf`` nested n deep around an object; the new innermost object has a property less. Past 128
    levels the loader refuses it (what is timed then is the refusal). Written as JSON text (also with
    ``--yaml``: too deep for the serializers)."""
    def doc(props: Json) -> str:
        inner = json.dumps({"type": "object", "properties": props})
        text = json.dumps(_openapi({"/items": _get("@SCHEMA@", "listItems")}), indent=1)  # type: ignore[arg-type]
        return text.replace('"@SCHEMA@"', '{"allOf": [' * n + inner + "]}" * n)

    return doc({"a": {"type": "string"}, "b": {"type": "string"}}), doc({"a": {"type": "string"}})


def oas_allof_width(n: int) -> tuple[Json, Json]:
    """``allOf`` of n inline objects of one property each (merged by the loader); the new one keeps one."""
    def doc(count: int) -> Json:
        members = [{"type": "object", "properties": {f"part_{i}": _shape(i)}} for i in range(count)]
        return _openapi({"/items": _get({"allOf": [{"type": "object", "properties": {"id": {"type": "string"}}},
                                                   *members]}, "listItems")})

    return doc(n), doc(0)


def oas_ref_chain(n: int, *, head_first: bool = False) -> tuple[Json, Json]:
    """A chain of n + 1 named components, each with a property ``next`` that refers to the next one;
    the response uses the head; in the new chain every link's ``value`` changes type. The links are
    named so that the loader, which builds components in name order, meets the tail first (with
    ``head_first``, the head first: it then builds the chain recursively, one level per link)."""
    def name(i: int) -> str:
        return f"Link{i:06d}" if head_first else f"Link{n - i:06d}"

    def doc(kind: str) -> Json:
        schemas = {name(i): {"type": "object", "properties": {"value": {"type": kind}, "next": _ref(name(i + 1))}}
                   for i in range(n)}
        schemas[name(n)] = {"type": "object", "properties": {"value": {"type": kind}}}
        return _openapi({"/items": _get(_ref(name(0)), "listItems")}, schemas)

    return doc("string"), doc("integer")


def oas_ref_aliases(n: int) -> tuple[Json, Json]:
    """Components that are bare ``$ref`` to the next (``Alias0 → Alias1 → … → Target``); the new target
    has a property less. Past 64 refs in a chain the loader refuses it."""
    def doc(props: Json) -> Json:
        schemas: Json = {f"Alias{i}": _ref(f"Alias{i + 1}") for i in range(n)}
        schemas[f"Alias{n}"] = {"type": "object", "properties": props}
        return _openapi({"/items": _get(_ref("Alias0"), "listItems")}, schemas)

    return doc({"a": {"type": "string"}, "b": {"type": "string"}}), doc({"a": {"type": "string"}})


def _swap(build: Callable[[int], tuple[Any, Any]]) -> Callable[[int], tuple[Any, Any]]:
    def swapped(n: int) -> tuple[Any, Any]:
        old, new = build(n)
        return new, old

    return swapped


# -- GraphQL documents -----------------------------------------------------------------------------

def gql_types(n: int) -> tuple[str, str]:
    """n object types, each reached from a root field; the new schema has neither."""
    types = "".join(f"type Thing{i} {{\n  id: ID!\n  value{i}: {('String', 'Int', 'Float')[i % 3]}\n}}\n\n"
                    for i in range(n))
    fields = "".join(f"  thing{i}: Thing{i}\n" for i in range(n))
    return f"type Query {{\n  ok: Boolean\n{fields}}}\n\n{types}", "type Query {\n  ok: Boolean\n}\n"


def gql_fields(n: int, *, renamed: bool = False) -> tuple[str, str]:
    """One type with n fields (each with an argument of its own, so shapes are unique); the new one has
    none (or, renamed, the same fields called ``field{i}V2``)."""
    def fields(suffix: str) -> str:
        return "".join(f"  field{i}{suffix}(arg{i}: Int): {('String', 'Int', 'Boolean', 'Float')[i % 4]}\n"
                       for i in range(n))

    head = "type Query {\n  ok: Boolean\n  item: Item\n}\n\ntype Item {\n  id: ID!\n"
    return f"{head}{fields('')}}}\n", f"{head}{fields('V2') if renamed else ''}}}\n"


def gql_arguments(n: int) -> tuple[str, str]:
    """One field with n optional arguments; the new one has none."""
    args = "".join(f"    arg{i}: {('String', 'Int', 'Boolean')[i % 3]}\n" for i in range(n))
    return f"type Query {{\n  search(\n    q: String\n{args}  ): [String]\n}}\n", \
        "type Query {\n  search(\n    q: String\n  ): [String]\n}\n"


def gql_input_fields(n: int) -> tuple[str, str]:
    """One input type with n optional fields; the new one has none."""
    fields = "".join(f"  field{i}: {('String', 'Int', 'Boolean')[i % 3]}\n" for i in range(n))
    head = "type Query {\n  ok: Boolean\n}\n\ntype Mutation {\n  create(input: CreateInput!): Boolean\n}\n\n"
    head += "input CreateInput {\n  name: String\n"
    return f"{head}{fields}}}\n", f"{head}}}\n"


def gql_enum(n: int) -> tuple[str, str]:
    """An enum with n + 1 values, read in an argument and returned by a field; the new one keeps one."""
    values = "".join(f"  VALUE_{i}\n" for i in range(n))
    head = "type Query {\n  status(filter: Status): Status\n}\n\n"
    return f"{head}enum Status {{\n  ACTIVE\n{values}}}\n", f"{head}enum Status {{\n  ACTIVE\n}}\n"


def gql_union(n: int) -> tuple[str, str]:
    """A union of n members (all 3n/2 member types are in both schemas); the new union drops the
    first half and adds as many."""
    half = n // 2
    types = "".join(f"type Member{i} {{\n  id{i}: ID\n}}\n\n" for i in range(n + half))
    head = "type Query {\n  search: Result\n  all: [Member0]\n}\n\n"

    def union(first: int) -> str:
        return "union Result =\n" + "".join(f"  | Member{i}\n" for i in range(first, first + n))

    return f"{head}{types}{union(0)}", f"{head}{types}{union(half)}"


def gql_interfaces(n: int) -> tuple[str, str]:
    """A type implementing n interfaces (all 3n/2 are in both schemas); the new one drops the first
    half and implements as many others."""
    half = n // 2
    interfaces = "".join(f"interface Node{i} {{\n  id: ID!\n}}\n\n" for i in range(n + half))
    head = "type Query {\n  thing: Thing\n}\n\n"

    def thing(first: int) -> str:
        return ("type Thing implements " + " & ".join(f"Node{i}" for i in range(first, first + n))
                + " {\n  id: ID!\n}\n")

    return f"{head}{interfaces}{thing(0)}", f"{head}{interfaces}{thing(half)}"


# -- dimensions ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Dimension:
    name: str
    build: Callable[[int], tuple[Any, Any]]  # n -> (old, new): a JSON document (dict) or SDL text
    suffix: str  # ".json" (".yaml" with --yaml) or ".graphql"
    about: str | None = None  # default: the builder's docstring

    @property
    def summary(self) -> str:
        return " ".join((self.about or self.build.__doc__ or "").split())


SWAPPED = "The pair of the {} dimension, old and new exchanged."
RENAMED = "The pair of the {} dimension, with the new side renaming every element instead (same shapes)."


def dimensions() -> list[Dimension]:
    oas = ".json"
    gql = ".graphql"
    return [
        Dimension("openapi-properties-removed", oas_properties, oas),
        Dimension("openapi-properties-added", _swap(oas_properties), oas, SWAPPED.format("properties-removed")),
        Dimension("openapi-properties-renamed", lambda n: oas_properties(n, renamed=True), oas,
                  RENAMED.format("properties-removed")),
        Dimension("openapi-operations-removed", oas_operations, oas),
        Dimension("openapi-operations-added", _swap(oas_operations), oas, SWAPPED.format("operations-removed")),
        Dimension("openapi-operations-renamed", lambda n: oas_operations(n, renamed=True), oas,
                  RENAMED.format("operations-removed") + " (``/v2`` prefixed)"),
        Dimension("openapi-enum-values-removed", oas_enum, oas),
        Dimension("openapi-enum-values-added", _swap(oas_enum), oas, SWAPPED.format("enum-values-removed")),
        Dimension("openapi-oneof-branches", oas_oneof_refs, oas),
        Dimension("openapi-anyof-inline-branches", oas_anyof_inline, oas),
        Dimension("openapi-allof-depth", oas_allof_depth, oas),
        Dimension("openapi-allof-width", oas_allof_width, oas),
        Dimension("openapi-ref-chain", oas_ref_chain, oas),
        Dimension("openapi-ref-chain-head-first", lambda n: oas_ref_chain(n, head_first=True), oas,
                  "The ref-chain pair with the links named head first: the loader builds the chain recursively "
                  "and refuses it past a couple of hundred links (Python's recursion limit)."),
        Dimension("openapi-ref-aliases", oas_ref_aliases, oas),
        Dimension("graphql-types-removed", gql_types, gql),
        Dimension("graphql-types-added", _swap(gql_types), gql, SWAPPED.format("types-removed")),
        Dimension("graphql-fields-removed", gql_fields, gql),
        Dimension("graphql-fields-added", _swap(gql_fields), gql, SWAPPED.format("fields-removed")),
        Dimension("graphql-fields-renamed", lambda n: gql_fields(n, renamed=True), gql,
                  RENAMED.format("fields-removed")),
        Dimension("graphql-arguments-removed", gql_arguments, gql),
        Dimension("graphql-input-fields-removed", gql_input_fields, gql),
        Dimension("graphql-enum-values-removed", gql_enum, gql),
        Dimension("graphql-enum-values-added", _swap(gql_enum), gql, SWAPPED.format("enum-values-removed")),
        Dimension("graphql-union-members", gql_union, gql),
        Dimension("graphql-interfaces", gql_interfaces, gql),
    ]


# -- measuring -------------------------------------------------------------------------------------

class Overtime(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Overtime


@dataclass(slots=True)
class Run:
    total: float
    compare: float
    text: float
    json: float
    changes: int
    refused: str | None = None
    plan: float = 0.0  # with --verbs
    guide: float = 0.0


@dataclass(slots=True)
class Row:
    size: int
    runs: list[Run] = field(default_factory=list)
    overtime: bool = False

    @property
    def median(self) -> Run:
        ordered = sorted(self.runs, key=lambda r: r.total)
        return ordered[(len(ordered) - 1) // 2]

    @property
    def seconds(self) -> float:
        return statistics.median(r.total for r in self.runs)


def write(folder: Path, stem: str, document: Any, suffix: str, yaml_out: bool) -> Path:
    if isinstance(document, str):
        path = folder / f"{stem}{suffix}"
        path.write_text(document, encoding="utf-8")
        return path
    if yaml_out:
        import yaml

        path = folder / f"{stem}.yaml"
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        path.write_text(yaml.dump(document, Dumper=dumper, sort_keys=False), encoding="utf-8")
        return path
    path = folder / f"{stem}{suffix}"
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    return path


def run_once(old: Path, new: Path, limit: float, verbs: bool = False) -> Run:
    from apidiff import compare, load
    from apidiff.api import build_guide, build_plan
    from apidiff.core.errors import LoadError
    from apidiff.report import render
    from apidiff.report.guide import render_markdown as guide_markdown
    from apidiff.report.plan import render_markdown as plan_markdown

    gc.collect()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        start = time.perf_counter()
        try:
            report = compare(old, new, today=TODAY)
        except LoadError as exc:  # refused (nesting, ref chains, …): timed all the same
            seconds = time.perf_counter() - start
            return Run(seconds, seconds, 0.0, 0.0, 0, refused=f"{type(exc).__name__}: {exc.message}")
        compared = time.perf_counter()
        render(report, "text")
        texted = time.perf_counter()
        render(report, "json")
        done = time.perf_counter()
        planned = guided = done
        if verbs:  # the models again, untimed: the plan and the guide read them beside the report
            old_api, new_api = load(old), load(new)
            planned = time.perf_counter()
            plan_markdown(build_plan(report, old_api, new_api, today=TODAY))
            guided = time.perf_counter()
            guide_markdown(build_guide(report, old_api, new_api))
            planned, guided = guided - planned, time.perf_counter() - guided
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if not verbs:
        return Run(done - start, compared - start, texted - compared, done - texted, len(report.changes))
    return Run(done - start + planned + guided, compared - start, texted - compared, done - texted,
               len(report.changes), plan=planned, guide=guided)


def fit(rows: list[Row]) -> tuple[float | None, list[int]]:
    """The exponent k of seconds ≈ c·n^k (least squares on log-log) and the sizes it is fitted over:
    every completed size, the smallest left out when three or more remain."""
    points = [(r.size, r.seconds) for r in rows if not r.overtime and r.runs and r.seconds > 0]
    if len(points) >= 3:
        points = points[1:]
    if len(points) < 2:
        return None, [p[0] for p in points]
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(s) for _, s in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    k = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    return k, [p[0] for p in points]


@dataclass(slots=True)
class Outcome:
    dimension: Dimension
    rows: list[Row]
    exponent: float | None
    fitted: list[int]

    @property
    def stopped(self) -> int | None:
        return next((r.size for r in self.rows if r.overtime), None)

    @property
    def superlinear(self) -> bool:
        return self.stopped is not None or (self.exponent is not None and self.exponent > FLAG)


def sizes(low: int, high: int) -> Iterator[int]:
    n = low
    while n <= high:
        yield n
        n *= 2


def measure(dim: Dimension, args: argparse.Namespace, folder: Path) -> Outcome:
    print(f"\n{dim.name}: {dim.summary}")
    extra = f"  {'plan':>7}  {'guide':>7}" if args.verbs else ""
    print(f"  {'n':>7}  {'total s':>8}  {'compare':>8}  {'text':>7}  {'json':>7}{extra}  {'changes':>8}  {'MB':>6}")
    rows: list[Row] = []
    for n in sizes(args.min, args.max):
        old_doc, new_doc = dim.build(n)
        old = write(folder, f"{dim.name}-{n}-old", old_doc, dim.suffix, args.yaml)
        new = write(folder, f"{dim.name}-{n}-new", new_doc, dim.suffix, args.yaml)
        del old_doc, new_doc
        megabytes = (old.stat().st_size + new.stat().st_size) / 1e6
        row = Row(n)
        rows.append(row)
        for _ in range(args.repeat):
            try:
                row.runs.append(run_once(old, new, args.limit, args.verbs))
            except Overtime:
                row.overtime = True
                break
            if row.runs[-1].total > args.limit:
                row.overtime = True
                break
        old.unlink()
        new.unlink()
        if row.overtime:
            print(f"  {n:>7,}  > {args.limit:.0f} s: stopped growing this dimension", flush=True)
            break
        m = row.median
        note = f"  refused ({m.refused})" if m.refused else ""
        extra = f"  {m.plan:7.3f}  {m.guide:7.3f}" if args.verbs else ""
        print(f"  {n:>7,}  {row.seconds:8.3f}  {m.compare:8.3f}  {m.text:7.3f}  {m.json:7.3f}{extra}  {m.changes:>8,}  "
              f"{megabytes:6.1f}{note}", flush=True)
    k, fitted = fit(rows)
    outcome = Outcome(dim, rows, k, fitted)
    where = f"{fitted[0]:,}–{fitted[-1]:,}" if fitted else "-"
    if k is None:
        print(f"  exponent: too few sizes to fit (over {where})")
    else:
        flag = "  SUPERLINEAR" if outcome.superlinear else ""
        print(f"  exponent k = {k:.2f} (time ≈ c·n^k, fitted over {where}){flag}")
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min", type=int, default=1000, help="the smallest size (default 1000)")
    parser.add_argument("--max", type=int, default=64000, help="the largest size (default 64000)")
    parser.add_argument("--quick", action="store_true", help="sizes up to 8,000")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the median is shown (default 3)")
    parser.add_argument("--only", default=None, metavar="NAME[,NAME…]",
                        help="only the dimensions whose names contain one of these")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds a run may take (default 60)")
    parser.add_argument("--yaml", action="store_true", help="write the OpenAPI documents as YAML, not JSON")
    parser.add_argument("--fork", action="store_true", help="leave apidiff's parallel loading on")
    parser.add_argument("--verbs", action="store_true",
                        help="also time the deprecation plan and the migration guide (Markdown) of each pair")
    parser.add_argument("--default-gc", action="store_true",
                        help="leave the garbage collector as Python sets it (default: as the command does)")
    parser.add_argument("--list", action="store_true", help="list the dimensions and exit")
    args = parser.parse_args()
    if args.quick:
        args.max = min(args.max, 8000)
    chosen = dimensions()
    if args.list:
        for dim in chosen:
            print(f"{dim.name}: {dim.summary}")
        return 0
    if args.only:
        wanted = [w.strip() for w in args.only.split(",") if w.strip()]
        chosen = [d for d in chosen if any(w in d.name for w in wanted)]
        if not chosen:
            print(f"no dimension matches {args.only!r} (see --list)", file=sys.stderr)
            return 2
    if not args.fork:
        os.environ.setdefault("APIDIFF_NO_FORK", "1")
    import apidiff
    from apidiff.cli import GC_THRESHOLD

    if not args.default_gc:  # the garbage collector as the command sets it (apidiff.cli)
        gc.set_threshold(*GC_THRESHOLD)
        gc.freeze()

    print(f"apidiff {apidiff.__version__} from {Path(apidiff.__file__).parent}; {machine_line()}")
    print(f"sizes {args.min:,}–{args.max:,} (doubling), median of {args.repeat}, limit {args.limit:.0f} s per run, "
          f"OpenAPI as {'YAML' if args.yaml else 'JSON'}" + ("; with the plan and the guide" if args.verbs else ""))
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="apidiff-growth-") as tmp:
        for dim in chosen:
            outcomes.append(measure(dim, args, Path(tmp)))
    print(f"\nsummary (exponent k of time ≈ c·n^k; flagged above {FLAG}):")
    width = max(len(o.dimension.name) for o in outcomes)
    for o in outcomes:
        largest = max((r for r in o.rows if not r.overtime), key=lambda r: r.size, default=None)
        at = f"{largest.seconds:.2f} s at {largest.size:,}" if largest is not None else "-"
        k = f"{o.exponent:5.2f}" if o.exponent is not None else "    -"
        refused = " refused" if largest is not None and largest.median.refused else ""
        stopped = f"  stopped at {o.stopped:,} (> {args.limit:.0f} s)" if o.stopped else ""
        flag = "  SUPERLINEAR" if o.superlinear else ""
        print(f"  {o.dimension.name:<{width}}  k = {k}  ({at}{refused}){stopped}{flag}")
    flagged = [o.dimension.name for o in outcomes if o.superlinear]
    print(f"{len(flagged)} of {len(outcomes)} dimensions superlinear" + (f": {', '.join(flagged)}" if flagged else ""))
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
