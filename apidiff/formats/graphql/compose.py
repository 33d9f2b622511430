"""Composition: a folder of subgraphs → the client-facing API schema the router would serve.

Each subgraph is loaded alone (:func:`~apidiff.formats.graphql.federation.subgraph_view`); the API
schema merges them the way Apollo's composition does for the API schema:

- types are the union of the subgraphs' types, of one kind (an ``@interfaceObject`` type is the interface
  another subgraph defines, and its fields are added to every implementation);
- object and interface fields, union members and implemented interfaces are unions; a field's type is
  the most general of its definitions (nullable wins), an argument's and an input field's the most
  specific (non-null wins);
- a field's arguments and an input object's fields are the intersection over the subgraphs that define
  them: one required in a subgraph and absent in another is a composition error;
- an enum read only in outputs has the union of its values, one read only in inputs the intersection;
  one read in both must be the same everywhere;
- what any subgraph marks ``@inaccessible`` is not in the API schema; descriptions are the most common
  one; ``@deprecated`` in any subgraph deprecates the element; executable directives defined in every
  subgraph are kept with the locations they all share, type-system directives are not (only those named
  by ``@composeDirective``, which apidiff keeps as written).

A conflict that leaves the API schema undefined (a type that is an object in one subgraph and an enum
in another, a field of two unrelated types) is a located error. Sharing a field without
``@shareable`` is not: it is a fact that the federation rules judge.

Pure: reads loaded :class:`~apidiff.formats.graphql.model.GraphQLApi` subgraphs, returns one graph.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from apidiff.core.direction import Direction
from apidiff.core.errors import ParseError
from apidiff.core.location import Location
from apidiff.formats.graphql.federation import remove_inaccessible
from apidiff.formats.graphql.model import (
    NON_NULL,
    Directive,
    EnumValue,
    Federation,
    Field,
    GraphQLApi,
    InputValue,
    Member,
    Subgraph,
    TypeDef,
    TypeKind,
    TypeRef,
)
from apidiff.formats.graphql.reach import Reach

EXECUTABLE = frozenset({"QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD",
                        "INLINE_FRAGMENT", "VARIABLE_DEFINITION"})
ROOTS = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}


def _error(message: str, where: Location) -> ParseError:
    return ParseError(message, file=where.file, line=where.line or None, column=where.column or None)


def _common(values: Iterable[str | None]) -> str | None:
    """The most common non-empty value, the first of those tied."""
    counted = Counter(v for v in values if v)
    if not counted:
        return None
    best = max(counted.values())
    return next(v for v in counted if counted[v] == best)


def _general(a: TypeRef, b: TypeRef) -> TypeRef:
    """The supertype of two output types of the same named type: a wrapper is non-null only if both are."""
    wrappers: list[str] = []
    i = j = 0
    while i < len(a.wrappers) or j < len(b.wrappers):
        x = a.wrappers[i] if i < len(a.wrappers) else None
        y = b.wrappers[j] if j < len(b.wrappers) else None
        if x == y:
            wrappers.append(x)  # type: ignore[arg-type]
            i, j = i + 1, j + 1
        elif x == NON_NULL:
            i += 1
        elif y == NON_NULL:
            j += 1
        else:
            raise ValueError(f"{a} and {b}")
    return TypeRef(a.name, tuple(wrappers))


def _specific(a: TypeRef, b: TypeRef) -> TypeRef:
    """The subtype of two input types of the same named type: a wrapper is non-null if either is."""
    wrappers: list[str] = []
    i = j = 0
    while i < len(a.wrappers) or j < len(b.wrappers):
        x = a.wrappers[i] if i < len(a.wrappers) else None
        y = b.wrappers[j] if j < len(b.wrappers) else None
        if x == y:
            wrappers.append(x)  # type: ignore[arg-type]
            i, j = i + 1, j + 1
        elif x == NON_NULL:
            wrappers.append(NON_NULL)
            i += 1
        elif y == NON_NULL:
            wrappers.append(NON_NULL)
            j += 1
        else:
            raise ValueError(f"{a} and {b}")
    return TypeRef(a.name, tuple(wrappers))


def _shape(ref: TypeRef) -> tuple[str, ...]:
    return tuple(w for w in ref.wrappers if w != NON_NULL)


class _Composer:
    def __init__(self, subgraphs: Sequence[GraphQLApi]) -> None:
        self.subgraphs = subgraphs
        self.facts: dict[str, Subgraph] = {}
        for api in subgraphs:
            assert api.federation is not None
            self.facts.update(api.federation.subgraphs)
        self.names = [next(iter(api.federation.subgraphs)) for api in subgraphs if api.federation is not None]

    def compose(self, source: str) -> GraphQLApi:
        by_name: dict[str, list[tuple[str, TypeDef]]] = {}
        for name, api in zip(self.names, self.subgraphs, strict=True):
            renames = {m.target: ROOTS[op] for op, m in api.roots.items() if m.target and op in ROOTS}
            for t in api.types.values():
                renamed = renames.get(t.name)
                by_name.setdefault(renamed or t.name, []).append(
                    (name, t if renamed is None else dataclasses.replace(t, name=renamed)))
        types = {tname: self.merge_type(tname, defs) for tname, defs in sorted(by_name.items())}
        self.add_interface_object_fields(types, by_name)
        roots = {op: Member(name=op, target=tname, location=types[tname].location)
                 for op, tname in ROOTS.items() if tname in types}
        draft = GraphQLApi(kind="graphql", source=source, types=types, roots=roots)
        types = self.settle_enums(draft, by_name)
        tags: dict[str, tuple[str, ...]] = {}
        for sub in self.facts.values():
            for coordinate, names in sub.tags.items():
                tags[coordinate] = tuple(sorted({*tags.get(coordinate, ()), *names}))
        warnings = tuple(dict.fromkeys(w for api in self.subgraphs for w in api.warnings))
        hidden: frozenset[str] = frozenset().union(*(sub.inaccessible for sub in self.facts.values()))
        marked_at = {c: loc for sub in self.facts.values() for c, loc in sub.marked_at.items()}
        api = GraphQLApi(kind="graphql", source=source, types=types, roots=roots, directives=self.directives(),
                         warnings=warnings,
                         federation=Federation(role="subgraphs", subgraphs=dict(sorted(self.facts.items())),
                                               tags=dict(sorted(tags.items())), inaccessible=hidden,
                                               marked_at=marked_at))
        return remove_inaccessible(api, hidden)

    # -- types -----------------------------------------------------------------------------------

    def merge_type(self, name: str, defs: list[tuple[str, TypeDef]]) -> TypeDef:
        kinds = {t.kind for _, t in defs}
        first = defs[0][1]
        if len(kinds) > 1:
            objects = [(g, t) for g, t in defs if t.kind is not TypeKind.INTERFACE]
            if kinds == {TypeKind.OBJECT, TypeKind.INTERFACE} and all(
                    self.facts[g].types.get(name) is not None and self.facts[g].types[name].interface_object
                    for g, _ in objects):
                defs = [(g, t) for g, t in defs if t.kind is TypeKind.INTERFACE] + \
                    [(g, dataclasses.replace(t, kind=TypeKind.INTERFACE, interfaces={})) for g, t in objects]
                first = defs[0][1]
            else:
                where = ", ".join(f"{t.kind.label} in {g}" for g, t in defs)
                raise _error(f"type {name} is defined with different kinds: {where}", defs[-1][1].location)
        deprecations = [t for _, t in defs]
        merged = dataclasses.replace(
            first,
            description=_common(t.description for t in deprecations),
            specified_by=next((t.specified_by for _, t in defs if t.specified_by), None),
            one_of=any(t.one_of for _, t in defs),
            applied={},
            interfaces=self.union_members(t.interfaces for _, t in defs),
            members=self.union_members(t.members for _, t in defs),
            fields=self.merge_fields(name, defs) if first.kind in (TypeKind.OBJECT, TypeKind.INTERFACE) else {},
            input_fields=self.merge_inputs(name, defs) if first.kind is TypeKind.INPUT_OBJECT else {},
            values=self.union_values(defs) if first.kind is TypeKind.ENUM else {},
        )
        return merged

    @staticmethod
    def union_members(maps: Iterable[Mapping[str, Member]]) -> dict[str, Member]:
        out: dict[str, Member] = {}
        for m in maps:
            for k, v in m.items():
                out.setdefault(k, v)
        return dict(sorted(out.items())) if out else {}

    def merge_fields(self, owner: str, defs: list[tuple[str, TypeDef]]) -> dict[str, Field]:
        found: dict[str, list[Field]] = {}
        for _, t in defs:
            for f in t.fields.values():
                found.setdefault(f.name, []).append(f)
        out: dict[str, Field] = {}
        for fname, fields in found.items():
            first = fields[0]
            ftype = first.type
            for other in fields[1:]:
                ftype = self.output_type(f"{owner}.{fname}", ftype, other.type, other.location)
            out[fname] = dataclasses.replace(
                first, type=ftype, description=_common(f.description for f in fields), applied={},
                deprecation=next((f.deprecation for f in fields if f.deprecation is not None), None),
                args=self.merge_values(f"{owner}.{fname}", [f.args for f in fields], argument=True))
        return out

    def output_type(self, coordinate: str, a: TypeRef, b: TypeRef, where: Location) -> TypeRef:
        if a.name != b.name:
            # a subtype: the interface or union the other's type belongs to
            sup, sub = (a, b) if self.contains(a.name, b.name) else (b, a) if self.contains(b.name, a.name) \
                else (None, None)
            if sup is None or sub is None or _shape(a) != _shape(b):
                raise _error(f"{coordinate} has type {a} in one subgraph and {b} in another", where)
            return _general(TypeRef(sup.name, sup.wrappers), TypeRef(sup.name, sub.wrappers))
        try:
            return _general(a, b)
        except ValueError:
            raise _error(f"{coordinate} has type {a} in one subgraph and {b} in another", where) from None

    def contains(self, abstract: str, name: str) -> bool:
        for api in self.subgraphs:
            t = api.types.get(abstract)
            if t is not None and name in t.members:
                return True
            impl = api.types.get(name)
            if impl is not None and abstract in impl.interfaces:
                return True
        return False

    def merge_values(self, coordinate: str, maps: list[Mapping[str, InputValue]], *,
                     argument: bool) -> dict[str, InputValue]:
        """Arguments or input fields: those every definition has, of the most specific type."""
        out: dict[str, InputValue] = {}
        names = list(dict.fromkeys(n for m in maps for n in m))
        for vname in names:
            values = [m[vname] for m in maps if vname in m]
            where = f"{coordinate}({vname}:)" if argument else f"{coordinate}.{vname}"
            if len(values) < len(maps):
                required = next((v for v in values if v.required), None)
                if required is not None:
                    raise _error(f"{where} is required in one subgraph and not defined in another",
                                 required.location)
                continue
            vtype = values[0].type
            for other in values[1:]:
                if other.type.name != vtype.name:
                    raise _error(f"{where} has type {vtype} in one subgraph and {other.type} in another",
                                 other.location)
                try:
                    vtype = _specific(vtype, other.type)
                except ValueError:
                    raise _error(f"{where} has type {vtype} in one subgraph and {other.type} in another",
                                 other.location) from None
            out[vname] = dataclasses.replace(
                values[0], type=vtype, applied={},
                default=next((v.default for v in values if v.default is not None), None),
                description=_common(v.description for v in values),
                deprecation=next((v.deprecation for v in values if v.deprecation is not None), None))
        return out

    def merge_inputs(self, owner: str, defs: list[tuple[str, TypeDef]]) -> dict[str, InputValue]:
        return self.merge_values(owner, [t.input_fields for _, t in defs], argument=False)

    @staticmethod
    def union_values(defs: list[tuple[str, TypeDef]]) -> dict[str, EnumValue]:
        found: dict[str, list[EnumValue]] = {}
        for _, t in defs:
            for v in t.values.values():
                found.setdefault(v.name, []).append(v)
        return {n: dataclasses.replace(vs[0], applied={}, description=_common(v.description for v in vs),
                                       deprecation=next((v.deprecation for v in vs if v.deprecation), None))
                for n, vs in found.items()}

    def add_interface_object_fields(self, types: dict[str, TypeDef], by_name: Mapping[str, list[tuple[str, TypeDef]]]
                                    ) -> None:
        """Fields an ``@interfaceObject`` subgraph adds to an interface are fields of its implementations too."""
        for name, defs in by_name.items():
            added = [t for g, t in defs if t.kind is TypeKind.OBJECT and self.facts[g].types.get(name) is not None
                     and self.facts[g].types[name].interface_object]
            if not added or types[name].kind is not TypeKind.INTERFACE:
                continue
            extra = {f.name: types[name].fields[f.name] for t in added for f in t.fields.values()
                     if f.name in types[name].fields}
            for impl in list(types.values()):
                if name in impl.interfaces:
                    missing = {n: f for n, f in extra.items() if n not in impl.fields}
                    if missing:
                        types[impl.name] = dataclasses.replace(impl, fields={**impl.fields, **missing})

    def settle_enums(self, draft: GraphQLApi, by_name: Mapping[str, list[tuple[str, TypeDef]]]) -> dict[str, TypeDef]:
        """Enums read only in inputs keep the values every subgraph has; read in both, they must agree."""
        reach = Reach(draft)
        types = dict(draft.types)
        for name, t in draft.types.items():
            if t.kind is not TypeKind.ENUM or len(by_name[name]) < 2:
                continue
            direction = reach.direction(name)
            sets = [(g, set(d.values)) for g, d in by_name[name]]
            shared = set.intersection(*(s for _, s in sets))
            if direction is Direction.INPUT:
                types[name] = dataclasses.replace(t, values={n: v for n, v in t.values.items() if n in shared})
            elif direction is Direction.BOTH and shared != set(t.values):
                g, _ = next((g, s) for g, s in sets if s != set(t.values))
                raise _error(f"enum {name} is read in inputs and outputs but its values differ between "
                             f"subgraphs ({g} lacks {', '.join(sorted(set(t.values) - shared))})", t.location)
        return types

    def directives(self) -> dict[str, Directive]:
        """Executable directives that every subgraph defines, on the locations they share."""
        defs: dict[str, list[Directive]] = {}
        for api in self.subgraphs:
            for d in api.directives.values():
                if d.location.file != "<builtin>":
                    defs.setdefault(d.name, []).append(d)
        out: dict[str, Directive] = {}
        for dname, found in sorted(defs.items()):
            if len(found) < len(self.subgraphs):
                continue
            shared = set.intersection(*({loc for loc in d.locations if loc in EXECUTABLE} for d in found))
            if not shared:
                continue
            first = found[0]
            out[dname] = dataclasses.replace(first, locations={k: v for k, v in first.locations.items() if k in shared},
                                             args=self.merge_values(f"@{dname}", [d.args for d in found],
                                                                    argument=True))
        builtin = {n: d for n, d in self.subgraphs[0].directives.items() if d.location.file == "<builtin>"}
        return {**builtin, **out}


def compose(subgraphs: Sequence[GraphQLApi], source: str) -> GraphQLApi:
    """The API schema of the subgraphs composed, with each one's federation facts."""
    return _Composer(subgraphs).compose(source)
