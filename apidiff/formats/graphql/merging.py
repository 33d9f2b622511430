"""Field merging: fields of two possible types of one abstract type that can no longer share a selection set.

GraphQL's validation rule "fields on correct type / overlapping fields can be merged" lets a query select
``... on A { url } ... on B { url }`` when ``A`` and ``B`` are distinct object types only if the two ``url``
fields have the same response shape: both lists or neither, both non-null or neither (level by level), and
the same leaf type where a level is a scalar or an enum (graphql-core's ``do_types_conflict``). A change to
one field that is safe on its own (``String`` to ``String!`` in an output) can break such queries; these
pairs carry it, naming the siblings.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from apidiff.core.direction import Direction
from apidiff.core.pair import Pair
from apidiff.formats.graphql.model import FieldMerge, GraphQLApi, TypeDef, TypeKind, TypeRef

__all__ = ["merge_pairs", "types_conflict"]

_LEAVES = (TypeKind.SCALAR, TypeKind.ENUM)


def types_conflict(api: GraphQLApi, a: TypeRef, b: TypeRef) -> bool:
    """Whether two fields of these types cannot be merged in one response (graphql-core's rule)."""
    wa, wb = a.wrappers, b.wrappers
    if wa != wb:  # level by level, a list against no list, or non-null against nullable
        return True
    if _leaf(api, a.name) or _leaf(api, b.name):
        return a.name != b.name
    return False


def _leaf(api: GraphQLApi, name: str) -> bool:
    t = api.types.get(name)
    return t is None or t.kind in _LEAVES


def _abstracts(api: GraphQLApi) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Object type -> the abstract types it belongs to; abstract type -> its object types."""
    possible: dict[str, list[str]] = {}
    for t in api.types.values():
        if t.kind is TypeKind.UNION:
            possible.setdefault(t.name, []).extend(m for m in t.members if _object(api.types.get(m)))
        elif t.kind is TypeKind.OBJECT:
            for iface in t.interfaces:
                possible.setdefault(iface, []).append(t.name)
    belongs: dict[str, list[str]] = {}
    for abstract, members in possible.items():
        for m in members:
            belongs.setdefault(m, []).append(abstract)
    return belongs, possible


def _object(t: TypeDef | None) -> bool:
    return t is not None and t.kind is TypeKind.OBJECT


def _conflicts(api: GraphQLApi, tname: str, fname: str, ref: TypeRef, belongs: Mapping[str, list[str]],
               possible: Mapping[str, list[str]]) -> dict[str, set[str]]:
    """Sibling field -> the abstract types through which it meets ``tname.fname`` and conflicts with it."""
    out: dict[str, set[str]] = {}
    for abstract in belongs.get(tname, ()):
        for sibling in possible.get(abstract, ()):
            if sibling == tname:
                continue
            other = api.types[sibling].fields.get(fname)
            if other is not None and types_conflict(api, ref, other.type):
                out.setdefault(f"{sibling}.{fname}", set()).add(abstract)
    return out


def merge_pairs(old: GraphQLApi, new: GraphQLApi) -> Iterator[Pair[FieldMerge]]:
    """For each object field whose type changed: the siblings it now conflicts with, or no longer does."""
    changed = []
    for tname in sorted(old.types.keys() & new.types.keys()):
        o_t, n_t = old.types[tname], new.types[tname]
        if o_t is n_t or o_t == n_t or not (_object(o_t) and _object(n_t)):
            continue
        for fname in sorted(o_t.fields.keys() & n_t.fields.keys()):
            if o_t.fields[fname].type != n_t.fields[fname].type:
                changed.append((tname, fname))
    if not changed:
        return
    o_belongs, o_possible = _abstracts(old)
    n_belongs, n_possible = _abstracts(new)
    for tname, fname in changed:
        o_f, n_f = old.types[tname].fields[fname], new.types[tname].fields[fname]
        before = _conflicts(old, tname, fname, o_f.type, o_belongs, o_possible)
        after = _conflicts(new, tname, fname, n_f.type, n_belongs, n_possible)
        subject = f"{tname}.{fname}"
        came = sorted(after.keys() - before.keys())
        gone = sorted(before.keys() - after.keys())
        if came:
            via = tuple(sorted(set().union(*(after[s] for s in came))))
            yield Pair("field-merge", subject, None, FieldMerge(siblings=tuple(came), via=via, location=n_f.location),
                       Direction.OUTPUT)
        if gone:
            via = tuple(sorted(set().union(*(before[s] for s in gone))))
            yield Pair("field-merge", subject, FieldMerge(siblings=tuple(gone), via=via, location=o_f.location), None,
                       Direction.OUTPUT)
