"""The type graph of a GraphQL :class:`~apidiff.formats.graphql.model.Api` as a graphql-core ``GraphQLSchema``.

Client operations are validated and walked with graphql-core, which needs its own schema objects.
The graph keeps everything validation reads (kinds, fields, arguments and their types, which
arguments and input fields have defaults, enum values, union members, implemented interfaces,
directive definitions with their locations and repeatability, ``@oneOf``, root types), so the
schema is built from it directly: no SDL is printed and parsed again, and the loaders stay as
they are. Descriptions and applied directives are left out; validation does not read them.

The schema is built with ``assume_valid=True``: the loaders accept schemas that are not quite
valid (see :mod:`apidiff.formats.graphql.load`), and validating operations against them still gives
the right answers for everything the operations touch. A type that is referenced but not
defined becomes a scalar of that name, so that selecting it reports one error, not a crash.

Built-in directives: the loaders drop the definitions of ``@skip``, ``@include``, ``@deprecated``,
``@specifiedBy``, ``@oneOf``, ``@defer`` and ``@stream``, so the schema always has graphql-core's
(``@defer`` and ``@stream`` included: whether a server supports them cannot be told from the graph,
and an operation that uses them is not reported for it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import graphql
from graphql import (
    DirectiveLocation,
    GraphQLArgument,
    GraphQLDirective,
    GraphQLEnumType,
    GraphQLEnumValue,
    GraphQLError,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLType,
    GraphQLUnionType,
    specified_directives,
    specified_scalar_types,
)

from apidiff.formats.graphql.model import NON_NULL, Directive, GraphQLApi, InputValue, TypeDef, TypeKind, TypeRef

__all__ = ["build_schema"]

_DEFAULT_INPUT: Any = getattr(graphql, "GraphQLDefaultInput", None)  # graphql-core >= 3.3
_EXTRA_DIRECTIVES = tuple(d for d in (getattr(graphql, "GraphQLDeferDirective", None),
                                      getattr(graphql, "GraphQLStreamDirective", None)) if d is not None)
_LOCATIONS = {loc.name: loc for loc in DirectiveLocation}


def build_schema(api: GraphQLApi) -> GraphQLSchema:
    """A graphql-core schema with the types, fields, arguments and directives of ``api``."""
    return _Builder(api).schema()


class _Builder:
    def __init__(self, api: GraphQLApi) -> None:
        self.api = api
        self.named: dict[str, GraphQLNamedType] = {}

    def schema(self) -> GraphQLSchema:
        for name, t in self.api.types.items():
            self.named[name] = self.named_type(t)
        roots = {op: self.named.get(m.target or "") for op, m in self.api.roots.items()}
        builtin = {d.name for d in specified_directives}
        directives = [*specified_directives,
                      *(d for d in _EXTRA_DIRECTIVES if d.name not in self.api.directives),
                      *(self.directive(d) for d in self.api.directives.values() if d.name not in builtin)]
        return GraphQLSchema(
            query=_object_or_none(roots.get("query")),
            mutation=_object_or_none(roots.get("mutation")),
            subscription=_object_or_none(roots.get("subscription")),
            types=list(self.named.values()),
            directives=directives,
            assume_valid=True,
        )

    # -- types ------------------------------------------------------------------------------------
    def named_type(self, t: TypeDef) -> GraphQLNamedType:
        name = t.name
        if t.kind is TypeKind.SCALAR:
            return specified_scalar_types.get(name) or GraphQLScalarType(name, specified_by_url=t.specified_by)
        if t.kind is TypeKind.OBJECT:
            return GraphQLObjectType(name, fields=self.fields_of(t), interfaces=self.interfaces_of(t))
        if t.kind is TypeKind.INTERFACE:
            return GraphQLInterfaceType(name, fields=self.fields_of(t), interfaces=self.interfaces_of(t))
        if t.kind is TypeKind.UNION:
            return GraphQLUnionType(name, types=lambda: [o for m in t.members
                                                         if isinstance(o := self.ref_named(m), GraphQLObjectType)])
        if t.kind is TypeKind.ENUM:
            return GraphQLEnumType(name, {v.name: GraphQLEnumValue(
                v.name, deprecation_reason=v.deprecation.reason if v.deprecation else None)
                for v in t.values.values()})
        extra: dict[str, Any] = {"is_one_of": True} if t.one_of and _DEFAULT_INPUT is not None else {}
        return GraphQLInputObjectType(name, fields=lambda: {
            f.name: self.input_field(f) for f in t.input_fields.values()}, **extra)

    def fields_of(self, t: TypeDef) -> Callable[[], dict[str, GraphQLField]]:
        def thunk() -> dict[str, GraphQLField]:
            return {f.name: GraphQLField(
                self.output_type(f.type), args=self.args(f.args),
                deprecation_reason=f.deprecation.reason if f.deprecation else None)
                for f in t.fields.values()}
        return thunk

    def interfaces_of(self, t: TypeDef) -> Callable[[], list[GraphQLInterfaceType]]:
        return lambda: [i for name in t.interfaces if isinstance(i := self.ref_named(name), GraphQLInterfaceType)]

    def ref_named(self, name: str) -> GraphQLNamedType:
        """The type called ``name``; a placeholder scalar when the graph does not define it."""
        found = self.named.get(name)
        if found is None:
            found = self.named[name] = specified_scalar_types.get(name) or GraphQLScalarType(name)
        return found

    def wrap(self, ref: TypeRef) -> GraphQLType:
        result: GraphQLType = self.ref_named(ref.name)
        for wrapper in reversed(ref.wrappers):
            result = GraphQLNonNull(result) if wrapper == NON_NULL else GraphQLList(result)  # type: ignore[arg-type, type-var, unused-ignore]
        return result

    def output_type(self, ref: TypeRef) -> Any:
        return self.wrap(ref)

    def input_type(self, ref: TypeRef) -> Any:
        return self.wrap(ref)

    def args(self, args: Mapping[str, InputValue]) -> dict[str, GraphQLArgument]:
        out = {}
        for a in args.values():
            type_ = self.input_type(a.type)
            out[a.name] = GraphQLArgument(type_, **self.default(a, type_),
                                          deprecation_reason=a.deprecation.reason if a.deprecation else None)
        return out

    def input_field(self, f: InputValue) -> GraphQLInputField:
        type_ = self.input_type(f.type)
        return GraphQLInputField(type_, **self.default(f, type_),
                                 deprecation_reason=f.deprecation.reason if f.deprecation else None)

    @staticmethod
    def default(value: InputValue, type_: Any) -> dict[str, Any]:
        """The keyword that gives an argument or input field its default: the literal as written
        (graphql-core 3.3), or its value (3.2). Validation only asks whether there is one."""
        if value.default is None:
            return {}
        try:
            literal = graphql.parse_value(value.default)
        except GraphQLError:  # not GraphQL syntax (introspection JSON may carry anything): still a default
            return {"default": _DEFAULT_INPUT(value=value.default)} if _DEFAULT_INPUT else {"default_value": None}
        if _DEFAULT_INPUT is not None:
            return {"default": _DEFAULT_INPUT(literal=literal)}
        coerced = graphql.value_from_ast(literal, type_)
        return {"default_value": None if coerced is graphql.Undefined else coerced}

    def directive(self, d: Directive) -> GraphQLDirective:
        return GraphQLDirective(
            d.name, locations=[_LOCATIONS[loc] for loc in d.locations if loc in _LOCATIONS],
            args=self.args(d.args), is_repeatable=d.repeatable)


def _object_or_none(t: GraphQLNamedType | None) -> GraphQLObjectType | None:
    return t if isinstance(t, GraphQLObjectType) else None
