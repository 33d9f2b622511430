"""Pairing Thrift elements: namespaces by language, constants, typedefs, structs, enums and services by
qualified name, fields, arguments and thrown exceptions by **id**, enum values by number, methods by name.

Direction is data flow: a struct or enum reachable from a method's arguments is input (clients write it,
servers read it), from its return type or the exceptions it throws is output, from both both. A struct or
enum no service reaches is ``none``: data at rest, which the rules judge as a reader's and a writer's schema
(backward: the new schema reads data the old one wrote). Arguments are input, thrown exceptions output;
namespaces, constants, typedefs, services and methods are both.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from apidiff.core.direction import Direction
from apidiff.core.pair import Pair, pair_maps
from apidiff.formats.thrift.model import EnumDef, EnumValue, FieldDef, Method, Service, StructDef, ThriftApi, TypeRef

__all__ = ["flows", "pairs"]


def flows(api: ThriftApi) -> dict[str, Direction]:
    """The direction of every struct and enum the services reach (the rest are absent)."""
    out: dict[str, Direction] = {}

    def reach(roots: Iterable[TypeRef], direction: Direction) -> None:
        todo = [name for ref in roots for name in ref.named()]
        seen: set[str] = set()
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            out[name] = out.get(name, Direction.NONE) | direction
            struct = api.structs.get(name)
            if struct is not None:
                todo += [n for f in struct.fields.values() for n in f.type.named()]

    for service in api.services.values():
        for method in service.methods.values():
            reach((a.type for a in method.args.values()), Direction.INPUT)
            reach([*(t.type for t in method.throws.values()), *([method.returns] if method.returns else [])],
                  Direction.OUTPUT)
    return out


def _by_id(items: Mapping[int, Any]) -> dict[str, Any]:
    """Number-keyed maps in number order (``pair_maps`` sorts its keys as text)."""
    return {f"{n:011d}" if n >= 0 else f"-{-n:010d}": v for n, v in sorted(items.items())}


def pairs(old: ThriftApi, new: ThriftApi) -> Iterator[Pair[Any]]:
    o_flow, n_flow = flows(old), flows(new)

    def direction(name: str) -> Direction:
        d = o_flow.get(name, Direction.NONE) | n_flow.get(name, Direction.NONE)
        return d

    for _key, o_ns, n_ns in pair_maps(old.namespaces, new.namespaces):
        if o_ns != n_ns:
            ns = n_ns or o_ns
            assert ns is not None
            yield Pair("namespace", f"namespace {ns.scope}" + (f" ({ns.module})" if ns.module else ""), o_ns, n_ns,
                       Direction.BOTH)
    for name, o_c, n_c in pair_maps(old.consts, new.consts):
        if o_c != n_c:
            yield Pair("const", f"const {name}", o_c, n_c, Direction.BOTH)
    for name, o_t, n_t in pair_maps(old.typedefs, new.typedefs):
        if o_t != n_t:
            yield Pair("typedef", f"typedef {name}", o_t, n_t, Direction.BOTH)
    for name, o_s, n_s in pair_maps(old.structs, new.structs):
        if o_s != n_s:
            yield from _struct(name, o_s, n_s, direction(name))
    for name, o_e, n_e in pair_maps(old.enums, new.enums):
        if o_e != n_e:
            yield from _enum(name, o_e, n_e, direction(name))
    for name, o_v, n_v in pair_maps(old.services, new.services):
        if o_v != n_v:
            yield from _service(name, o_v, n_v)


def _struct(name: str, o: StructDef | None, n: StructDef | None, direction: Direction) -> Iterator[Pair[Any]]:
    parent: Pair[StructDef] = Pair("struct", name, o, n, direction)
    yield parent
    if o is None or n is None:
        return
    yield from _fields("field", name, ".", o.fields, n.fields, direction, parent)


def _fields(kind: str, owner: str, sep: str, o: Mapping[int, FieldDef], n: Mapping[int, FieldDef],
            direction: Direction, parent: Pair[Any], close: str = "") -> Iterator[Pair[Any]]:
    for _, o_f, n_f in pair_maps(_by_id(o), _by_id(n)):
        if o_f != n_f:
            f = n_f or o_f
            assert f is not None
            yield Pair(kind, f"{owner}{sep}{f.name}{close}", o_f, n_f, direction, parent)


def _enum(name: str, o: EnumDef | None, n: EnumDef | None, direction: Direction) -> Iterator[Pair[Any]]:
    parent: Pair[EnumDef] = Pair("enum", name, o, n, direction)
    yield parent
    if o is None or n is None:
        return
    o_values, n_values = dict(o.values), dict(n.values)
    moved: list[tuple[EnumValue, EnumValue]] = []
    n_by_name = {v.name: v for v in n.values.values()}
    for number, value in o.values.items():  # a name that left its number for a number that is new
        there = n_by_name.get(value.name)
        if number not in n.values and there is not None and there.number not in o.values:
            moved.append((value, there))
            del o_values[number], n_values[there.number]
    for _, o_v, n_v in pair_maps(_by_id(o_values), _by_id(n_values)):
        if o_v != n_v:
            v = n_v or o_v
            assert v is not None
            yield Pair("enum-value", f"{name}.{v.name}", o_v, n_v, direction, parent)
    for o_v, n_v in moved:
        yield Pair("enum-value", f"{name}.{n_v.name}", o_v, n_v, direction, parent)


def _service(name: str, o: Service | None, n: Service | None) -> Iterator[Pair[Any]]:
    parent: Pair[Service] = Pair("service", name, o, n, Direction.BOTH)
    yield parent
    if o is None or n is None:
        return
    for mname, o_m, n_m in pair_maps(o.methods, n.methods):
        if o_m != n_m:
            yield from _method(f"{name}.{mname}", o_m, n_m, parent)


def _method(subject: str, o: Method | None, n: Method | None, service: Pair[Service]) -> Iterator[Pair[Any]]:
    parent: Pair[Method] = Pair("method", subject, o, n, Direction.BOTH, service)
    yield parent
    if o is None or n is None:
        return
    yield from _fields("argument", subject, "(", o.args, n.args, Direction.INPUT, parent, ")")
    yield from _fields("throws", subject, " throws ", o.throws, n.throws, Direction.OUTPUT, parent)
