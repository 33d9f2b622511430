"""The GraphQL type graph that the SDL and introspection loaders normalize into.

Pure data: no I/O, no verdicts. Every element has a ``name`` and a ``location``; locations,
like descriptions of *where*, are excluded from equality so that an element that only moved
compares equal to itself, which lets the differ skip unchanged subtrees in one comparison.

The element kinds are GraphQL's: types, fields, arguments, input fields, enum values,
union members, interfaces, directives and schema roots.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from apidiff.core.location import Location
from apidiff.core.model import Api, Deprecation

NON_NULL = "!"
LIST = "[]"


class TypeKind(str, Enum):
    SCALAR = "scalar"
    OBJECT = "object"
    INTERFACE = "interface"
    UNION = "union"
    ENUM = "enum"
    INPUT_OBJECT = "input-object"

    @property
    def label(self) -> str:
        return {"input-object": "input object"}.get(self.value, self.value)


@dataclass(frozen=True, slots=True)
class TypeRef:
    """A reference to a named type with its wrappers, outermost first.

    ``[String!]!`` is ``TypeRef("String", ("!", "[]", "!"))``.
    """

    name: str
    wrappers: tuple[str, ...] = ()

    @property
    def non_null(self) -> bool:
        return bool(self.wrappers) and self.wrappers[0] == NON_NULL

    @property
    def is_list(self) -> bool:
        return bool(self.wrappers) and self.wrappers[0] == LIST

    def unwrap(self) -> TypeRef:
        """The type inside the outermost wrapper."""
        return TypeRef(self.name, self.wrappers[1:])

    def __str__(self) -> str:
        text = self.name
        for wrapper in reversed(self.wrappers):
            text = f"{text}!" if wrapper == NON_NULL else f"[{text}]"
        return text


@dataclass(frozen=True, slots=True, kw_only=True)
class Member:
    """A named link owned by another element: a union member, an implemented interface,
    a directive location or a schema root operation (``name`` = operation, ``target`` = type)."""

    name: str
    target: str | None = None
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class AppliedDirective:
    """A directive applied to an element (``@key(fields: "id")``); ``args`` are canonical text."""

    name: str
    args: tuple[tuple[str, str], ...] = ()
    location: Location = field(compare=False)

    def __str__(self) -> str:
        inner = ", ".join(f"{k}: {v}" for k, v in self.args)
        return f"@{self.name}({inner})" if inner else f"@{self.name}"


Applied = Mapping[str, AppliedDirective]  # keyed by name ("name#2" for a repeated directive)


@dataclass(frozen=True, slots=True, kw_only=True)
class InputValue:
    """An argument, an input-object field or a directive argument."""

    name: str
    type: TypeRef
    default: str | None = None  # the default value as canonical GraphQL/JSON text; None: no default
    description: str | None = None
    deprecation: Deprecation | None = None
    applied: Applied = field(default_factory=dict)
    location: Location = field(compare=False)

    @property
    def required(self) -> bool:
        """A caller must provide it: non-null and without a default."""
        return self.type.non_null and self.default is None


@dataclass(frozen=True, slots=True, kw_only=True)
class Field:
    """An output field of an object or interface type (for GraphQL roots: an operation)."""

    name: str
    type: TypeRef
    args: Mapping[str, InputValue] = field(default_factory=dict)
    description: str | None = None
    deprecation: Deprecation | None = None
    applied: Applied = field(default_factory=dict)
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class EnumValue:
    name: str
    description: str | None = None
    deprecation: Deprecation | None = None
    applied: Applied = field(default_factory=dict)
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class TypeDef:
    """A named type. Which collections are filled depends on ``kind``."""

    name: str
    kind: TypeKind
    description: str | None = None
    fields: Mapping[str, Field] = field(default_factory=dict)
    input_fields: Mapping[str, InputValue] = field(default_factory=dict)
    interfaces: Mapping[str, Member] = field(default_factory=dict)
    members: Mapping[str, Member] = field(default_factory=dict)
    values: Mapping[str, EnumValue] = field(default_factory=dict)
    specified_by: str | None = None
    one_of: bool = False  # an input object with @oneOf: exactly one field must be given
    applied: Applied = field(default_factory=dict)
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Directive:
    name: str
    args: Mapping[str, InputValue] = field(default_factory=dict)
    locations: Mapping[str, Member] = field(default_factory=dict)
    repeatable: bool = False
    description: str | None = None
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Key:
    """An entity key of one subgraph: ``@key(fields: "id sku", resolvable: true)``."""

    fields: str  # the field set, normalized ("id organization { id }")
    resolvable: bool = True
    location: Location = field(compare=False)

    def __str__(self) -> str:
        return f'@key(fields: "{self.fields}"' + (", resolvable: false)" if not self.resolvable else ")")


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldFacts:
    """What federation says about one field in one subgraph."""

    shareable: bool = False
    external: bool = False
    requires: str | None = None
    provides: str | None = None
    override: str | None = None  # the subgraph the field is taken from
    override_label: str | None = None  # progressive override: "percent(10)"
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class TypeFacts:
    """What federation says about one type in one subgraph."""

    keys: tuple[Key, ...] = ()
    shareable: bool = False
    interface_object: bool = False
    extension: bool = False  # Federation 1's ``extend type`` / ``@extends``: owned elsewhere
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Subgraph:
    """One subgraph of a federated graph: its entities, field resolution, visibility and tags.

    Coordinates are GraphQL's: ``Type``, ``Type.field``, ``Type.field(arg:)``, ``Enum.VALUE``."""

    name: str
    version: str  # the Federation version: "1", "2.3"
    url: str | None = None
    types: Mapping[str, TypeFacts] = field(default_factory=dict)
    fields: Mapping[str, FieldFacts] = field(default_factory=dict)  # every object/interface field it defines
    inaccessible: frozenset[str] = frozenset()
    tags: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    marked_at: Mapping[str, Location] = field(default_factory=dict, compare=False)  # where inaccessible/tags are
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class SubgraphField:
    """A field in one subgraph, with what the rest of the graph says about it: what the federation rules read."""

    subgraph: str
    coordinate: str
    facts: FieldFacts
    others: frozenset[str]  # the other subgraphs that resolve it (define it, not @external)
    known: bool  # the other subgraphs are known: a composed graph or a supergraph, not one subgraph alone

    @property
    def location(self) -> Location:
        return self.facts.location


@dataclass(frozen=True, slots=True, kw_only=True)
class Mark:
    """A federation mark on an element: a ``@key`` of an entity, a ``@tag`` name, ``@inaccessible``."""

    subgraph: str
    coordinate: str
    text: str  # ``@key(fields: "id")``, ``public``, ``@inaccessible``
    others: frozenset[str] = frozenset()  # for a key: the other subgraphs that declare the entity
    known: bool = False  # the other subgraphs are known (a composed graph or a supergraph)
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldMerge:
    """The fields of other possible types of an abstract type that a field cannot be selected together with
    (GraphQL's "fields can merge": ``... on A { url } ... on B { url }`` needs one response shape)."""

    siblings: tuple[str, ...]  # "B.url"
    via: tuple[str, ...]  # the abstract types both belong to: "Node"
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Federation:
    """The federation side of a GraphQL schema whose types are the client-facing API schema.

    ``role``: ``subgraph`` (one subgraph's SDL), ``subgraphs`` (a folder, composed by apidiff) or
    ``supergraph`` (the router's composed SDL, with ``@join__*``)."""

    role: str
    subgraphs: Mapping[str, Subgraph] = field(default_factory=dict)
    tags: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # of the graph: contracts filter on them
    inaccessible: frozenset[str] = frozenset()  # of the graph: hidden from clients
    marked_at: Mapping[str, Location] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphQLApi(Api):
    """A GraphQL schema (SDL files or introspection): the root of the type graph."""

    types: Mapping[str, TypeDef] = field(default_factory=dict)
    directives: Mapping[str, Directive] = field(default_factory=dict)
    roots: Mapping[str, Member] = field(default_factory=dict)  # "query" -> Member(target="Query")
    applied: Applied = field(default_factory=dict)  # directives applied to the schema itself
    # False when the format cannot express applied directives (introspection): they are not compared
    has_applied: bool = field(default=True, compare=False)
    federation: Federation | None = None  # set for subgraphs and supergraphs: ``types`` is then the API schema

__all__ = ["LIST", "NON_NULL", "AppliedDirective", "Deprecation", "Directive", "EnumValue", "Federation", "Field",
           "FieldFacts", "FieldMerge", "GraphQLApi", "InputValue", "Key", "Mark", "Member", "Subgraph", "SubgraphField",
           "TypeDef", "TypeFacts", "TypeKind", "TypeRef"]
