"""Pairing: old and new elements matched by identity, once per element kind.

The matcher never says "breaking"; it hands rules pairs. Children are paired only inside
persisted parents (a removed type is one change, not one per field), and a persisted element
that compares equal to its counterpart is skipped whole, so an unchanged subtree costs one
equality test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from apidiff.core.direction import Direction
from apidiff.core.pair import Pair, pair_maps
from apidiff.formats.graphql.fedmatch import federation_pairs
from apidiff.formats.graphql.merging import merge_pairs
from apidiff.formats.graphql.model import Directive, Field, GraphQLApi, TypeDef
from apidiff.formats.graphql.reach import Reach


def pairs(old: GraphQLApi, new: GraphQLApi) -> Iterator[Pair[Any]]:
    """Every pair of elements the rules look at, parents before children."""
    old_reach, new_reach = Reach(old), Reach(new)
    usages = _usages if old.has_applied and new.has_applied else _no_usages

    def direction(name: str, o: object, n: object) -> Direction:
        d = Direction.NONE
        if o is not None:
            d = d | old_reach.direction(name)
        if n is not None:
            d = d | new_reach.direction(name)
        return d

    for op, o_root, n_root in pair_maps(old.roots, new.roots):
        if o_root != n_root:
            yield Pair("schema-root", f"schema {op}", o_root, n_root, Direction.OUTPUT)
    yield from usages(Pair("schema", "schema", old, new, Direction.NONE))

    for name, o_type, n_type in pair_maps(old.types, new.types):
        if o_type is not None and o_type == n_type:
            continue
        tp: Pair[TypeDef] = Pair("type", name, o_type, n_type, direction(name, o_type, n_type))
        yield tp
        if (o_type is None) != (n_type is None):
            # a type added (or removed) that implements an interface of both schemas adds (or removes) a
            # possible type of that interface, as a union member does
            one = n_type if n_type is not None else o_type
            assert one is not None
            for iname, m in sorted(one.interfaces.items()):
                if iname in old.types and iname in new.types:
                    yield Pair("interface", f"{name} implements {iname}", m if o_type is not None else None,
                               m if n_type is not None else None, Direction.OUTPUT, tp)
        if o_type is None or n_type is None or o_type.kind is not n_type.kind:
            continue
        yield from _type_children(tp, o_type, n_type, usages)

    for name, o_dir, n_dir in pair_maps(old.directives, new.directives):
        if o_dir is not None and o_dir == n_dir:
            continue
        dp: Pair[Directive] = Pair("directive", f"@{name}", o_dir, n_dir, Direction.INPUT)
        yield dp
        if o_dir is None or n_dir is None:
            continue
        for arg, o_arg, n_arg in pair_maps(o_dir.args, n_dir.args):
            if o_arg != n_arg or o_arg is None:
                yield Pair("directive-argument", f"@{name}({arg}:)", o_arg, n_arg, Direction.INPUT, dp)
        for loc, o_loc, n_loc in pair_maps(o_dir.locations, n_dir.locations):
            if o_loc is None or n_loc is None:
                yield Pair("directive-location", f"@{name} location {loc}", o_loc, n_loc, Direction.INPUT, dp)
    yield from merge_pairs(old, new)
    yield from federation_pairs(old, new)


def _usages(parent: Pair[Any]) -> Iterator[Pair[Any]]:
    """Directives applied to a persisted element, paired by name."""
    o_map = getattr(parent.old, "applied", None) or {}
    n_map = getattr(parent.new, "applied", None) or {}
    if parent.old is None or parent.new is None or o_map == n_map:
        return
    for key, o_d, n_d in pair_maps(o_map, n_map):
        if o_d != n_d:
            yield Pair("directive-usage", f"{parent.subject} @{key}", o_d, n_d, parent.direction, parent)


def _no_usages(parent: Pair[Any]) -> Iterator[Pair[Any]]:
    return iter(())


def _type_children(tp: Pair[TypeDef], o_type: TypeDef, n_type: TypeDef,
                   _usages: Callable[[Pair[Any]], Iterator[Pair[Any]]]) -> Iterator[Pair[Any]]:
    name = o_type.name
    yield from _usages(tp)
    for fname, o_f, n_f in pair_maps(o_type.fields, n_type.fields):
        if o_f is not None and o_f == n_f:
            continue
        fp: Pair[Field] = Pair("field", f"{name}.{fname}", o_f, n_f, Direction.OUTPUT, tp)
        yield fp
        if o_f is None or n_f is None:
            continue
        yield from _usages(fp)
        for arg, o_arg, n_arg in pair_maps(o_f.args, n_f.args):
            if o_arg != n_arg or o_arg is None:
                ap: Pair[Any] = Pair("argument", f"{name}.{fname}({arg}:)", o_arg, n_arg, Direction.INPUT, fp)
                yield ap
                yield from _usages(ap)
    for fname, o_i, n_i in pair_maps(o_type.input_fields, n_type.input_fields):
        if o_i != n_i or o_i is None:
            ip: Pair[Any] = Pair("input-field", f"{name}.{fname}", o_i, n_i, Direction.INPUT, tp)
            yield ip
            yield from _usages(ip)
    for vname, o_v, n_v in pair_maps(o_type.values, n_type.values):
        if o_v != n_v or o_v is None:
            vp: Pair[Any] = Pair("enum-value", f"{name}.{vname}", o_v, n_v, tp.direction, tp)
            yield vp
            yield from _usages(vp)
    for mname, o_m, n_m in pair_maps(o_type.members, n_type.members):
        if o_m is None or n_m is None:
            yield Pair("union-member", f"{name} member {mname}", o_m, n_m, Direction.OUTPUT, tp)
    for iname, o_i2, n_i2 in pair_maps(o_type.interfaces, n_type.interfaces):
        if o_i2 is None or n_i2 is None:
            yield Pair("interface", f"{name} implements {iname}", o_i2, n_i2, Direction.OUTPUT, tp)
