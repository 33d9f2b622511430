"""Apollo Federation: a subgraph's or a supergraph's SDL → the client-facing API schema and the federation facts.

A **subgraph** (Federation 1: ``@key`` on ``extend type``, ``@external``; Federation 2: ``extend schema
@link(url: ".../federation/v2.x", import: [...])``, with renamed imports ``{name: "@key", as: "@primaryKey"}``
and the namespaced ``@federation__key``) keeps its types minus federation's machinery (``_Any``,
``_Entity``, ``_Service``, ``FieldSet``, ``link__*``, ``Query._entities``, ``Query._service``, the
definitions of the federation directives) and minus what is ``@inaccessible``; the federation directives
applied to its elements become :class:`~apidiff.formats.graphql.model.Subgraph` facts (keys, shareable,
external, requires, provides, override, tags) and leave the elements, so that the client-facing
comparison sees what clients see.

A **supergraph** (the router's input: ``@link(url: ".../join/v0.x", for: EXECUTION)``, ``enum join__Graph``
with ``@join__graph``, ``@join__type``/``@join__field`` on every element) gives the API schema the router
serves: the join and link machinery removed, ``@inaccessible`` elements removed, and one
:class:`Subgraph` per graph from the join directives.

Pure: reads a loaded :class:`~apidiff.formats.graphql.model.GraphQLApi`, returns another.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from graphql import GraphQLError, parse, parse_value, print_ast, value_from_ast_untyped
from graphql.language import ast

from apidiff.core.errors import ParseError
from apidiff.core.location import Location
from apidiff.formats.graphql.model import (
    AppliedDirective,
    EnumValue,
    Federation,
    Field,
    FieldFacts,
    GraphQLApi,
    InputValue,
    Key,
    Subgraph,
    TypeDef,
    TypeFacts,
    TypeKind,
    TypeRef,
)

_E = TypeVar("_E", InputValue, EnumValue)

FEDERATION_URL = re.compile(r"^https?://specs\.apollo\.dev/federation/v(\d+)\.(\d+)/?$")
LATEST_MINOR = 14  # @apollo/federation-internals 2.14 knows v2.0 to v2.14
DIRECTIVES = ("key", "requires", "provides", "external", "tag", "extends", "shareable", "inaccessible", "override",
              "composeDirective", "interfaceObject", "authenticated", "requiresScopes", "policy", "context",
              "fromContext", "cost", "listSize", "cacheTag")
FEDERATION_1 = ("key", "requires", "provides", "external", "extends", "tag", "inaccessible")
SPEC_TYPES = ("FieldSet", "Scope", "Policy", "ContextFieldValue")
ENTITY_TYPES = ("_Any", "_Entity", "_Service", "_FieldSet", "link__Import", "link__Purpose")
ENTITY_FIELDS = ("_entities", "_service")
JOIN_URL = re.compile(r"^https?://specs\.apollo\.dev/join/v(\d+)\.(\d+)/?$")
# the specs a supergraph links whose directives the API schema does not carry
_SPEC_URL = re.compile(r"^https?://specs\.apollo\.dev/(\w+)/v\d+\.\d+/?$")
_MACHINERY_WARNING = re.compile(
    r"directive @(\w+) is used but not defined|refers to type (\w+), which is not defined|"
    r"extend (?:object|interface) (\w+): the type is not defined")


@dataclasses.dataclass(frozen=True)
class _Names:
    """How one document spells federation: local directive names → canonical ones, and machinery types."""

    version: str
    directives: Mapping[str, str]
    types: frozenset[str]
    links: frozenset[str] = frozenset({"link"})

    def canonical(self, directive: str) -> str | None:
        return self.directives.get(directive)


def _args(directive: AppliedDirective) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, text in directive.args:
        try:
            values[name] = value_from_ast_untyped(parse_value(text))
        except GraphQLError:
            values[name] = text
    return values


def _error(message: str, where: Location) -> ParseError:
    return ParseError(message, file=where.file, line=where.line or None, column=where.column or None)


def _links(api: GraphQLApi) -> Iterator[tuple[AppliedDirective, dict[str, Any]]]:
    for directive in api.applied.values():
        if directive.name in ("link", "core"):
            yield directive, _args(directive)


def _url(args: Mapping[str, Any]) -> str:
    url = args.get("url", args.get("feature"))
    return url if isinstance(url, str) else ""


def is_supergraph(api: GraphQLApi) -> bool:
    return any(JOIN_URL.match(_url(args)) for _, args in _links(api))


def _names(api: GraphQLApi) -> _Names | None:
    """How the document spells federation, or None when it is no subgraph."""
    for directive, args in _links(api):
        url = _url(args)
        if "specs.apollo.dev/federation/" not in url:
            continue
        match = FEDERATION_URL.match(url)
        if match is None or match[1] != "2" or int(match[2]) > LATEST_MINOR:
            raise _error(f"@link to an unknown Federation version: {url} (apidiff knows v2.0 to "
                         f"v2.{LATEST_MINOR})", directive.location)
        namespace = args.get("as") if isinstance(args.get("as"), str) else "federation"
        directives = {f"{namespace}__{name}": name for name in DIRECTIVES}
        types = {f"{namespace}__{name}" for name in SPEC_TYPES} | set(ENTITY_TYPES)
        for item in args.get("import") or ():
            name, alias = (item, item) if isinstance(item, str) else \
                (item.get("name"), item.get("as", item.get("name"))) if isinstance(item, dict) else (None, None)
            if not isinstance(name, str) or not isinstance(alias, str):
                raise _error(f"@link import: expected a name or {{name, as}}, got {item!r}", directive.location)
            if name.startswith("@"):
                if name[1:] not in DIRECTIVES:
                    raise _error(f"@link imports {name}, which Federation v2.{match[2]} does not define",
                                 directive.location)
                directives[alias.lstrip("@")] = name[1:]
            elif name in SPEC_TYPES:
                types.add(alias)
        return _Names(f"2.{match[2]}", directives, frozenset(types))
    used = {d.name for _, element in _elements(api) for d in element.applied.values()}
    # Federation 1 has no @link: its directives used without a definition (a schema that defines its own
    # @key is plain GraphQL), or the _FieldSet scalar that Federation 1 subgraphs print
    if (used & {"key", "extends", "external", "requires", "provides"}) - set(api.directives) \
            or "_FieldSet" in api.types \
            or any(_MACHINERY_WARNING.search(w) and "_FieldSet" in w for w in api.warnings):
        return _Names("1", {name: name for name in FEDERATION_1}, frozenset(ENTITY_TYPES))
    return None


def is_subgraph(api: GraphQLApi) -> bool:
    return _names(api) is not None


def _marks(api: GraphQLApi, skip: Callable[[str, str], bool], inaccessible: Callable[[Any], bool],
           tag_names: set[str]) -> tuple[set[str], dict[str, tuple[str, ...]], dict[str, Location]]:
    """The coordinates marked ``@inaccessible``, each element's ``@tag`` names and where the marked elements
    are, leaving out the elements ``skip(owner type, element name)`` calls machinery."""
    hidden: set[str] = set()
    tags: dict[str, tuple[str, ...]] = {}
    where: dict[str, Location] = {}
    for coordinate, element in _elements(api):
        if skip(coordinate.split(".", 1)[0], element.name):
            continue
        if inaccessible(element.applied):
            hidden.add(coordinate)
            where[coordinate] = element.location
        found = _tags(element.applied, tag_names)
        if found:
            tags[coordinate] = found
            where[coordinate] = element.location
    return hidden, tags, where


def _elements(api: GraphQLApi) -> Iterator[tuple[str, Any]]:
    """Every element that can carry directives, by coordinate."""
    for t in api.types.values():
        yield t.name, t
        for f in t.fields.values():
            yield f"{t.name}.{f.name}", f
            for a in f.args.values():
                yield f"{t.name}.{f.name}({a.name}:)", a
        for i in t.input_fields.values():
            yield f"{t.name}.{i.name}", i
        for v in t.values.values():
            yield f"{t.name}.{v.name}", v


def field_set(text: str) -> ast.SelectionSetNode:
    """A ``FieldSet`` (``"id organization { id }"``) as a selection set; ValueError when it does not parse."""
    try:
        document = parse("{" + text + "}", no_location=True)
    except GraphQLError as exc:
        raise ValueError(exc.message.removeprefix("Syntax Error: ")) from None
    operation = document.definitions[0]
    assert isinstance(operation, ast.OperationDefinitionNode)
    return operation.selection_set


def normalize_field_set(text: str) -> str:
    return " ".join(print_ast(field_set(text)).split())[2:-2]


def _check_field_set(api: GraphQLApi, owner: str, text: str, what: str, where: Location) -> str:
    """The normalized field set; an error naming the field that ``owner`` does not have."""
    try:
        selection = field_set(text)
    except ValueError as exc:
        raise _error(f'{owner} {what}(fields: "{text}"): {exc}', where) from None

    def walk(type_name: str, node: ast.SelectionSetNode) -> None:
        t = api.types.get(type_name)
        if t is None:
            return
        for sel in node.selections:
            if isinstance(sel, ast.InlineFragmentNode):
                walk(sel.type_condition.name.value if sel.type_condition else type_name, sel.selection_set)
                continue
            if not isinstance(sel, ast.FieldNode):
                continue
            name = sel.name.value
            if name == "__typename":
                continue
            f = t.fields.get(name)
            if f is None:
                raise _error(f'{owner} {what}(fields: "{text}"): {type_name} has no field {name}', where)
            if sel.selection_set is not None:
                walk(f.type.name, sel.selection_set)

    walk(owner, selection)
    return " ".join(print_ast(selection).split())[2:-2]


def _strip(applied: Mapping[str, AppliedDirective], drop: frozenset[str] | set[str]) -> dict[str, AppliedDirective]:
    return {k: d for k, d in applied.items() if d.name not in drop}


def _tags(applied: Mapping[str, AppliedDirective], names: set[str]) -> tuple[str, ...]:
    return tuple(sorted({str(_args(d).get("name")) for d in applied.values() if d.name in names}))


def _filtered_warnings(api: GraphQLApi, directives: set[str], types: set[str]) -> tuple[str, ...]:
    """The loader's warnings minus those about federation's own names, which are known now."""
    kept = []
    for warning in api.warnings:
        match = _MACHINERY_WARNING.search(warning)
        if match is not None and ((match[1] and match[1] in directives) or (match[2] and match[2] in types)
                                  or match[3]):
            continue
        kept.append(warning)
    return tuple(kept)


def subgraph_view(api: GraphQLApi, name: str) -> GraphQLApi:
    """A subgraph's client-facing schema, with its federation facts."""
    names = _names(api)
    if names is None:
        return api
    local = {n for n, c in names.directives.items()}
    by_canonical: dict[str, set[str]] = {}
    for n, c in names.directives.items():
        by_canonical.setdefault(c, set()).add(n)

    def has(applied: Mapping[str, AppliedDirective], canonical: str) -> list[AppliedDirective]:
        wanted = by_canonical.get(canonical, set())
        return [d for d in applied.values() if d.name in wanted]

    query = api.roots["query"].target if "query" in api.roots else "Query"
    machinery = set(names.types)
    type_facts: dict[str, TypeFacts] = {}
    field_facts: dict[str, FieldFacts] = {}
    inaccessible, tags, marked_at = _marks(api, lambda owner, name: name in machinery or owner in machinery,
                                lambda applied: bool(has(applied, "inaccessible")), by_canonical.get("tag", set()))
    types: dict[str, TypeDef] = {}
    for t in api.types.values():
        if t.name in machinery:
            continue
        keys = []
        for d in has(t.applied, "key"):
            args = _args(d)
            keys.append(Key(fields=_check_field_set(api, t.name, str(args.get("fields", "")), "@key", d.location),
                            resolvable=args.get("resolvable", True) is not False, location=d.location))
        type_shareable = bool(has(t.applied, "shareable"))
        # Federation 2: the fields of a key are shareable without saying so
        key_fields = {sel.name.value for k in keys for sel in field_set(k.fields).selections
                      if isinstance(sel, ast.FieldNode)} if names.version != "1" else set()
        extension = bool(has(t.applied, "extends")) or (names.version == "1" and _is_extension(api, t))
        if t.kind in (TypeKind.OBJECT, TypeKind.INTERFACE):
            if keys or type_shareable or extension or has(t.applied, "interfaceObject"):
                type_facts[t.name] = TypeFacts(keys=tuple(keys), shareable=type_shareable,
                                               interface_object=bool(has(t.applied, "interfaceObject")),
                                               extension=extension, location=t.location)
            for f in t.fields.values():
                if t.name == query and f.name in ENTITY_FIELDS:
                    continue
                if not f.applied:  # most fields: no federation directive
                    field_facts[f"{t.name}.{f.name}"] = FieldFacts(
                        shareable=type_shareable or f.name in key_fields, location=f.location)
                    continue
                requires = has(f.applied, "requires")
                provides = has(f.applied, "provides")
                override = has(f.applied, "override")
                o_args = _args(override[0]) if override else {}
                field_facts[f"{t.name}.{f.name}"] = FieldFacts(
                    shareable=type_shareable or bool(has(f.applied, "shareable")) or f.name in key_fields,
                    external=bool(has(f.applied, "external")),
                    requires=normalize_field_set(str(_args(requires[0]).get("fields", ""))) if requires else None,
                    provides=_check_field_set(api, f.type.name, str(_args(provides[0]).get("fields", "")),
                                              "@provides", provides[0].location) if provides else None,
                    override=str(o_args["from"]) if "from" in o_args else None,
                    override_label=str(o_args["label"]) if "label" in o_args else None,
                    location=f.location)
        types[t.name] = _clean_type(t, local, query if t.name == query else None)
    subgraph = Subgraph(name=name, version=names.version, types=type_facts, fields=field_facts,
                        inaccessible=frozenset(inaccessible), tags=tags, marked_at=marked_at,
                        location=_first_location(api))
    directives = {n: d for n, d in api.directives.items() if n not in local and n not in names.links}
    view = dataclasses.replace(api, types=types, directives=directives, applied=_strip(api.applied, {"link"}),
                               warnings=_filtered_warnings(api, local | names.links, machinery),
                               federation=Federation(role="subgraph", subgraphs={name: subgraph},
                                                     tags=dict(tags), inaccessible=frozenset(inaccessible),
                                                     marked_at=marked_at))
    return remove_inaccessible(view, inaccessible)


def _first_location(api: GraphQLApi) -> Location:
    for t in api.types.values():
        if t.location.line and t.location.file != "<builtin>":
            return Location(t.location.file, 1, 1)
    return Location(api.source, 1, 1)


def _is_extension(api: GraphQLApi, t: TypeDef) -> bool:
    """Federation 1 writes entities owned elsewhere as ``extend type``; the loader keeps no flag, but it
    warned that the type had no definition."""
    return any(f"extend object {t.name}:" in w or f"extend interface {t.name}:" in w for w in api.warnings)


def _clean_type(t: TypeDef, drop: set[str] | frozenset[str], query: str | None) -> TypeDef:
    """The type without federation's applied directives (and, on the query root, its entity fields); elements
    that carry none are kept as they are (most of them: a large graph is not copied element by element)."""

    def dirty(applied: Mapping[str, AppliedDirective]) -> bool:
        return any(d.name in drop for d in applied.values())

    def clean(v: _E) -> _E:
        return dataclasses.replace(v, applied=_strip(v.applied, drop)) if dirty(v.applied) else v

    def clean_field(f: Field) -> Field:
        if not dirty(f.applied) and not any(dirty(v.applied) for v in f.args.values()):
            return f
        return dataclasses.replace(f, applied=_strip(f.applied, drop), args={a: clean(v) for a, v in f.args.items()})

    fields = {n: clean_field(f) for n, f in t.fields.items() if not (query is not None and n in ENTITY_FIELDS)}
    return dataclasses.replace(
        t, applied=_strip(t.applied, drop), fields=fields,
        input_fields={n: clean(v) for n, v in t.input_fields.items()},
        values={n: clean(v) for n, v in t.values.items()})


def remove_inaccessible(api: GraphQLApi, coordinates: set[str] | frozenset[str]) -> GraphQLApi:
    """The schema without the ``@inaccessible`` elements (and without what referred to a removed type)."""
    if not coordinates:
        return api
    gone = {c for c in coordinates if c in api.types}

    def keep(ref: TypeRef) -> bool:
        return ref.name not in gone

    types: dict[str, TypeDef] = {}
    for t in api.types.values():
        if t.name in gone:
            continue
        fields: dict[str, Field] = {}
        for f in t.fields.values():
            c = f"{t.name}.{f.name}"
            if c in coordinates or not keep(f.type):
                continue
            args = {a: v for a, v in f.args.items() if f"{c}({a}:)" not in coordinates and keep(v.type)}
            fields[f.name] = dataclasses.replace(f, args=args) if len(args) != len(f.args) else f
        inputs: dict[str, InputValue] = {n: v for n, v in t.input_fields.items()
                                         if f"{t.name}.{n}" not in coordinates and keep(v.type)}
        values = {n: v for n, v in t.values.items() if f"{t.name}.{n}" not in coordinates}
        types[t.name] = dataclasses.replace(
            t, fields=fields, input_fields=inputs, values=values,
            members={n: m for n, m in t.members.items() if n not in gone},
            interfaces={n: m for n, m in t.interfaces.items() if n not in gone})
    roots = {op: m for op, m in api.roots.items() if m.target not in gone}
    return dataclasses.replace(api, types=types, roots=roots)


# ---------------------------------------------------------------------------------------------
# Supergraphs


def supergraph_view(api: GraphQLApi) -> GraphQLApi:
    """The API schema a supergraph's router serves, with one :class:`Subgraph` per ``join__Graph`` value."""
    spec_prefixes: set[str] = set()
    spec_directives: set[str] = set()
    for _directive, args in _links(api):
        match = _SPEC_URL.match(_url(args))
        if match is None:
            continue
        spec = str(args.get("as") or match[1])
        spec_prefixes.add(spec)
        spec_directives.update({spec, *(i.lstrip("@") for i in args.get("import") or () if isinstance(i, str))})
        for item in args.get("import") or ():
            if isinstance(item, dict) and isinstance(item.get("as"), str):
                spec_directives.add(item["as"].lstrip("@"))
    spec_directives |= {"link", "core"}
    graph_enum = api.types.get("join__Graph")
    graphs: dict[str, tuple[str, str | None, Location]] = {}  # enum value -> (name, url)
    for value in (graph_enum.values.values() if graph_enum is not None else ()):
        for d in value.applied.values():
            if d.name == "join__graph":
                args = _args(d)
                graphs[value.name] = (str(args.get("name", value.name.lower())),
                                      str(args["url"]) if isinstance(args.get("url"), str) else None, value.location)
    if not graphs:
        where = graph_enum.location if graph_enum is not None else _first_location(api)
        raise _error("supergraph without subgraphs: enum join__Graph has no values with @join__graph", where)

    def is_spec(name: str) -> bool:
        return name in spec_directives or ("__" in name and name.split("__", 1)[0] in spec_prefixes)

    per_graph_types: dict[str, dict[str, TypeFacts]] = {g: {} for g in graphs}
    per_graph_fields: dict[str, dict[str, FieldFacts]] = {g: {} for g in graphs}
    inaccessible, tags, marked_at = _marks(
        api, lambda owner, name: name.startswith(("join__", "link__", "core__")) or owner in (
            "join__Graph", "join__FieldSet", "link__Import", "link__Purpose"),
        lambda applied: any(d.name == "inaccessible" or d.name.endswith("__inaccessible") for d in applied.values()),
        {d for d in spec_directives if d == "tag" or d.endswith("__tag")} | {"tag"})
    types: dict[str, TypeDef] = {}
    for t in api.types.values():
        if t.name.split("__", 1)[0] in spec_prefixes and "__" in t.name:
            continue
        in_graphs: list[str] = []
        for d in t.applied.values():
            if d.name != "join__type":
                continue
            args = _args(d)
            graph = str(args.get("graph"))
            if graph not in graphs:
                continue
            in_graphs.append(graph)
            have = per_graph_types[graph].get(t.name) or TypeFacts(location=d.location)
            keys = have.keys
            if isinstance(args.get("key"), str):
                keys += (Key(fields=normalize_field_set(args["key"]), resolvable=args.get("resolvable", True)
                             is not False, location=d.location),)
            per_graph_types[graph][t.name] = dataclasses.replace(
                have, keys=keys, extension=have.extension or args.get("extension") is True,
                interface_object=have.interface_object or args.get("isInterfaceObject") is True)
        for f in t.fields.values():
            joined = [_args(d) for d in f.applied.values() if d.name == "join__field"]
            if not joined:
                joined = [{"graph": g} for g in in_graphs]
            resolvers = [j for j in joined if str(j.get("graph")) in graphs and not j.get("external")]
            for j in joined:
                graph = str(j.get("graph"))
                if graph not in graphs:
                    continue
                per_graph_fields[graph][f"{t.name}.{f.name}"] = FieldFacts(
                    shareable=len(resolvers) > 1 and not j.get("external"), external=j.get("external") is True,
                    requires=normalize_field_set(j["requires"]) if isinstance(j.get("requires"), str) else None,
                    provides=normalize_field_set(j["provides"]) if isinstance(j.get("provides"), str) else None,
                    override=str(j["override"]) if isinstance(j.get("override"), str) else None,
                    override_label=str(j["overrideLabel"]) if isinstance(j.get("overrideLabel"), str) else None,
                    location=f.location)
        drop = {d.name for _, e in _elements_of(t) for d in e.applied.values() if is_spec(d.name)}
        types[t.name] = _clean_type(t, drop, None)
    subgraphs = {}
    for graph, (name, url, location) in graphs.items():
        subgraphs[name] = Subgraph(name=name, version="2", url=url, types=per_graph_types[graph],
                                   fields=per_graph_fields[graph], location=location)
    directives = {n: d for n, d in api.directives.items() if not is_spec(n)}
    machinery = {n for n in api.types if n.split("__", 1)[0] in spec_prefixes and "__" in n}
    view = dataclasses.replace(api, types=types, directives=directives, applied={},
                               warnings=_filtered_warnings(api, spec_directives, machinery),
                               federation=Federation(role="supergraph", subgraphs=subgraphs, tags=tags,
                                                     inaccessible=frozenset(inaccessible), marked_at=marked_at))
    return remove_inaccessible(view, inaccessible)


def _elements_of(t: TypeDef) -> Iterator[tuple[str, Any]]:
    yield t.name, t
    for f in t.fields.values():
        yield f.name, f
        for a in f.args.values():
            yield a.name, a
    for i in t.input_fields.values():
        yield i.name, i
    for v in t.values.values():
        yield v.name, v


def view(api: GraphQLApi, name: str) -> GraphQLApi:
    """The client-facing schema of a loaded SDL document: a supergraph's API schema, a subgraph's
    schema without federation's machinery, or the document itself."""
    if is_supergraph(api):
        return supergraph_view(api)
    return subgraph_view(api, name)
