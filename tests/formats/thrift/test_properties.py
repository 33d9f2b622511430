"""Invariants of the Thrift diff on generated schemas: a schema compared with itself (however its members are
ordered) has no change; swapping old and new swaps every change's backward and forward verdicts, on every
surface; the report is the same on every run, sorted, and does not depend on the order members are written in.

The schemas are drawn from small pools of names, ids and types so that two draws overlap: fields renamed,
retyped, made required, removed and added; enum values renamed and renumbered; structs turned into unions;
methods retyped, made oneway, given new arguments and exceptions; typedefs, constants and namespaces changed.
"""

from __future__ import annotations

import os
import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from apidiff import compare
from apidiff.core.result import Report
from tests.conftest import TODAY

# APIDIFF_PROPERTY_SCALE=20 runs twenty times as many examples (as tests/test_properties.py does)
SCALE = float(os.environ.get("APIDIFF_PROPERTY_SCALE", "1"))
SETTINGS = settings(max_examples=max(1, int(60 * SCALE)), deadline=None, suppress_health_check=list(HealthCheck))
TYPES = ("bool", "byte", "i16", "i32", "i64", "double", "string", "binary", "list<i32>", "set<i32>", "list<i64>",
         "map<string,i32>", "Color", "Inner", "Id")
NAMES = ("a", "b", "c", "d")


@dataclass(frozen=True)
class Field:
    id: int
    name: str
    requiredness: str  # "", "required ", "optional "
    type: str
    default: int | None = None

    def text(self) -> str:
        default = f" = {self.default}" if self.default is not None else ""
        return f"{self.id}: {self.requiredness}{self.type} {self.name}{default}"


@dataclass(frozen=True)
class Method:
    name: str
    returns: str
    oneway: bool
    args: tuple[Field, ...]
    throws: tuple[str, ...]

    def text(self, rng: random.Random | None) -> str:
        args = _shuffled(self.args, rng)
        throws = ", ".join(f"{i}: {name} {name.lower()}" for i, name in enumerate(self.throws, 1))
        return (("oneway " if self.oneway else "") + f"{self.returns} {self.name}("
                + ", ".join(a.text() for a in args) + ")" + (f" throws ({throws})" if throws else ""))


@dataclass(frozen=True)
class Schema:
    java: str | None
    typedef: str
    limit: tuple[str, int]
    colors: tuple[tuple[str, int], ...]
    kind: str
    fields: tuple[Field, ...]
    extends: bool
    methods: tuple[Method, ...]


def _shuffled(items: tuple[Any, ...], rng: random.Random | None) -> list[Any]:
    out = list(items)
    if rng is not None:
        rng.shuffle(out)
    return out


def text(s: Schema, rng: random.Random | None = None) -> str:
    """The schema as IDL; with ``rng``, its fields, values, arguments and methods in another order."""
    colors = ", ".join(f"{n} = {v}" for n, v in _shuffled(s.colors, rng))
    fields = ", ".join(f.text() for f in _shuffled(s.fields, rng))
    methods = ", ".join(m.text(rng) for m in _shuffled(s.methods, rng))
    return ("namespace py acme\n" + (f"namespace java {s.java}\n" if s.java else "")
            + f"typedef {s.typedef} Id\nconst {s.limit[0]} LIMIT = {s.limit[1]}\n"
            + f"enum Color {{ {colors} }}\nstruct Inner {{ 1: i32 x }}\n"
            + "exception Oops { 1: string why }\nexception Gone { 1: string why }\n"
            + f"{s.kind} M {{ {fields} }}\nservice Base {{ void ping() }}\n"
            + f"service S{' extends Base' if s.extends else ''} {{ {methods} }}\n")


@st.composite
def field_lists(draw: st.DrawFn, *, union: bool = False, max_id: int = 5) -> tuple[Field, ...]:
    ids = draw(st.lists(st.integers(1, max_id), unique=True, max_size=len(NAMES)))
    names = draw(st.permutations(NAMES))
    out = []
    for fid, name in zip(ids, names, strict=False):
        type_ = draw(st.sampled_from(TYPES))
        requiredness = draw(st.sampled_from(("", "optional ") if union else ("", "required ", "optional ")))
        default = draw(st.sampled_from((None, 1, 2))) if type_ == "i32" and not union else None
        out.append(Field(fid, name, requiredness, type_, default))
    return tuple(out)


@st.composite
def schemas(draw: st.DrawFn) -> Schema:
    color_names = draw(st.lists(st.sampled_from(("RED", "GREEN", "BLUE")), unique=True, min_size=1))
    numbers = draw(st.lists(st.integers(0, 3), unique=True, min_size=len(color_names), max_size=len(color_names)))
    kind = draw(st.sampled_from(("struct", "struct", "union", "exception")))
    methods = []
    for name in draw(st.lists(st.sampled_from(("get", "put", "fire")), unique=True, max_size=2)):
        oneway = draw(st.booleans())
        methods.append(Method(
            name=name, returns="void" if oneway else draw(st.sampled_from(("void", "i32", "i64", "Inner", "M"))),
            oneway=oneway, args=draw(field_lists(max_id=3)),
            throws=() if oneway else tuple(draw(st.lists(st.sampled_from(("Oops", "Gone")), unique=True)))))
    return Schema(java=draw(st.sampled_from((None, "com.acme.v1", "com.acme.v2"))),
                  typedef=draw(st.sampled_from(("i32", "i64", "string"))),
                  limit=(draw(st.sampled_from(("i32", "i64"))), draw(st.integers(1, 2))),
                  colors=tuple(zip(color_names, numbers, strict=True)), kind=kind,
                  fields=draw(field_lists(union=kind == "union")), extends=draw(st.booleans()),
                  methods=tuple(methods))


seeds = st.randoms(use_true_random=False)


def run(old: str, new: str) -> Report:
    return compare(old, new, today=TODAY)


def show(report: Report) -> str:
    return "\n".join(f"{c.id} | {c.subject} | b={c.backward.value} f={c.forward.value} | {c.message}"
                     for c in report.changes)


def _meaning(report: Report) -> list[tuple[str, ...]]:
    """The changes without their locations (which move when members are reordered)."""
    return [(c.id, c.subject, c.message, c.backward.value, c.forward.value, c.direction.value)
            for c in report.changes]


@SETTINGS
@given(schemas(), seeds)
def test_a_schema_has_no_change_against_itself(schema: Schema, rng: random.Random) -> None:
    same, shuffled = text(schema), text(schema, rng)
    note(same)
    assert run(same, same).changes == ()
    assert run(same, shuffled).changes == (), show(run(same, shuffled))


@SETTINGS
@given(schemas(), schemas())
def test_swapping_old_and_new_swaps_backward_and_forward(a: Schema, b: Schema) -> None:
    old, new = text(a), text(b)
    there, back = run(old, new), run(new, old)
    note(old + "\n---\n" + new)
    note("old → new:\n" + show(there))
    note("new → old:\n" + show(back))

    def key(c: Any, swap: bool) -> tuple[Any, ...]:
        locations = (c.new_location, c.old_location) if swap else (c.old_location, c.new_location)
        verdicts = (c.forward, c.backward) if swap else (c.backward, c.forward)
        surfaces = tuple(sorted((s, (f, b) if swap else (b, f)) for s, (b, f) in (c.surfaces or {}).items()))
        return (*locations, *verdicts, surfaces)

    assert Counter(key(c, False) for c in there.changes) == Counter(key(c, True) for c in back.changes)


@SETTINGS
@given(schemas(), schemas(), seeds)
def test_the_report_is_deterministic(a: Schema, b: Schema, rng: random.Random) -> None:
    old, new = text(a), text(b)
    first = run(old, new)
    assert run(old, new).to_json() == first.to_json()
    assert list(first.changes) == sorted(first.changes, key=lambda c: c.sort_key)
    assert _meaning(run(text(a, rng), text(b, rng))) == _meaning(first)
