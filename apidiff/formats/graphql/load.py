"""GraphQL SDL and introspection JSON → the type graph.

SDL is parsed with graphql-core's parser only (no schema building, no validation), so that real
schemas that are not quite valid still load: duplicate definitions with the same signature and
directives used without a definition give warnings naming file and line; only a conflict that
makes the meaning ambiguous (the same field defined twice with different types) is an error.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, cast

from graphql import GraphQLError, GraphQLSyntaxError, Source, parse, parse_value, print_ast
from graphql.language import ast

from apidiff.core._positions import DocumentLocator
from apidiff.core._yaml import loads_json
from apidiff.core.errors import LimitExceeded, ParseError
from apidiff.core.location import Location, escape_pointer_token
from apidiff.core.shape import BOOL, STR, ListOf, Nullable, Obj, OneOf, Shape, ShapeError, check, describe
from apidiff.core.sources import Text
from apidiff.formats.graphql.model import (
    LIST,
    NON_NULL,
    AppliedDirective,
    Deprecation,
    Directive,
    EnumValue,
    Field,
    GraphQLApi,
    InputValue,
    Member,
    TypeDef,
    TypeKind,
    TypeRef,
)

BUILTIN_SCALARS = ("Boolean", "Float", "ID", "Int", "String")
BUILTIN_DIRECTIVES = frozenset({"skip", "include", "deprecated", "specifiedBy", "oneOf", "defer", "stream"})
DEFAULT_DEPRECATION_REASON = "No longer supported"
ROOT_DEFAULTS = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_BUILTIN_LOCATION = Location("<builtin>", 1, 1)

_KINDS: dict[type[ast.Node], TypeKind] = {
    ast.ScalarTypeDefinitionNode: TypeKind.SCALAR,
    ast.ScalarTypeExtensionNode: TypeKind.SCALAR,
    ast.ObjectTypeDefinitionNode: TypeKind.OBJECT,
    ast.ObjectTypeExtensionNode: TypeKind.OBJECT,
    ast.InterfaceTypeDefinitionNode: TypeKind.INTERFACE,
    ast.InterfaceTypeExtensionNode: TypeKind.INTERFACE,
    ast.UnionTypeDefinitionNode: TypeKind.UNION,
    ast.UnionTypeExtensionNode: TypeKind.UNION,
    ast.EnumTypeDefinitionNode: TypeKind.ENUM,
    ast.EnumTypeExtensionNode: TypeKind.ENUM,
    ast.InputObjectTypeDefinitionNode: TypeKind.INPUT_OBJECT,
    ast.InputObjectTypeExtensionNode: TypeKind.INPUT_OBJECT,
}


def add_builtin_scalars(types: dict[str, TypeDef], directives: Mapping[str, Directive]) -> None:
    """Add the standard scalars a schema has, as graphql-core does: ``String`` and ``Boolean``
    always (the built-in directives and introspection use them), ``Int``, ``Float`` and ``ID``
    only while something references them. So removing the last ``Float`` field also reports
    ``Float`` removed: a query declaring a ``$x: Float`` variable no longer validates."""
    used = {"String", "Boolean"}
    for t in types.values():
        for f in t.fields.values():
            used.add(f.type.name)
            used.update(a.type.name for a in f.args.values())
        used.update(v.type.name for v in t.input_fields.values())
    for d in directives.values():
        used.update(a.type.name for a in d.args.values())
    for name in BUILTIN_SCALARS:
        if name in used:
            types.setdefault(name, TypeDef(name=name, kind=TypeKind.SCALAR, location=_BUILTIN_LOCATION))


def sunset_from_reason(reason: str | None) -> date | None:
    """The removal date announced in a deprecation reason (``Removal on 2024-07-01 UTC.``)."""
    if reason:
        for match in _DATE.finditer(reason):
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                continue
    return None


def _deprecation(reason: str | None) -> Deprecation:
    return Deprecation(reason=reason, sunset=sunset_from_reason(reason))


# ---------------------------------------------------------------------------------------------
# SDL


def parse_sdl(text: Text) -> ast.DocumentNode:
    try:
        return parse(Source(text.text, text.name))
    except GraphQLSyntaxError as exc:
        line, column = (exc.locations[0].line, exc.locations[0].column) if exc.locations else (None, None)
        message = exc.message.removeprefix("Syntax Error: ")
        raise ParseError(f"GraphQL syntax error: {message}", file=text.name, line=line, column=column) from None
    except RecursionError:
        raise LimitExceeded("GraphQL document is nested too deeply", file=text.name) from None


def load_sdl(texts: Sequence[Text], source: str) -> GraphQLApi:
    """Build the type graph from one or more SDL documents (a folder is several)."""
    from apidiff.formats.graphql.federation import view

    documents = [(parse_sdl(text), text.name) for text in texts]
    groups = _subgraph_groups(documents, source)
    if groups is not None:
        from apidiff.formats.graphql.compose import compose

        return compose([view(_build(docs, name), name) for name, docs in groups.items()], source)
    return view(_build(documents, source), _subgraph_name(source))


def _build(documents: Sequence[tuple[ast.DocumentNode, str]], source: str) -> GraphQLApi:
    builder = _SdlBuilder()
    for document, name in documents:
        builder.add(document, name)
    return builder.finish(source)


_FEDERATION_LINK = re.compile(r"specs\.apollo\.dev/federation/")


def _links_federation(document: ast.DocumentNode) -> bool:
    """Whether the document is a subgraph: ``@link`` to federation's spec, or Federation 1's ``@key``
    used without being defined."""
    defined = {d.name.value for d in document.definitions if isinstance(d, ast.DirectiveDefinitionNode)}
    for d in document.definitions:
        if isinstance(d, (ast.SchemaDefinitionNode, ast.SchemaExtensionNode)):
            for applied in d.directives or ():
                if applied.name.value == "link" and any(
                        isinstance(a.value, ast.StringValueNode) and _FEDERATION_LINK.search(a.value.value)
                        for a in applied.arguments or ()):
                    return True
        elif isinstance(d, (ast.ObjectTypeDefinitionNode, ast.ObjectTypeExtensionNode)) and "key" not in defined \
                and any(applied.name.value == "key" for applied in d.directives or ()):
            return True
    return False


def _subgraph_groups(documents: Sequence[tuple[ast.DocumentNode, str]], source: str
                     ) -> dict[str, list[tuple[ast.DocumentNode, str]]] | None:
    """A folder of subgraphs, one per file or per subfolder and named by it; None for one schema (a folder
    whose files together are one schema, or one subgraph)."""
    if len(documents) < 2:
        return None
    root = source.replace("\\", "/").rstrip("/") + "/"
    names = [name.replace("\\", "/") for _, name in documents]
    if not all(n.startswith(root) for n in names):
        prefix = os.path.commonpath(names) if len(set(names)) > 1 else ""
        root = prefix.rstrip("/") + "/" if prefix else ""
    groups: dict[str, list[tuple[ast.DocumentNode, str]]] = {}
    for (document, name), normalized in zip(documents, names, strict=True):
        relative = normalized[len(root):] if normalized.startswith(root) else normalized
        head, _, rest = relative.partition("/")
        groups.setdefault(_subgraph_name(head) if not rest else head, []).append((document, name))
    if len(groups) < 2:
        return None
    if not all(any(_links_federation(document) for document, _ in docs) for docs in groups.values()):
        return None
    return groups


def _subgraph_name(source: str) -> str:
    """A subgraph is named by its file (``products.graphql`` → ``products``) or folder."""
    name = source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    for suffix in (".graphqls", ".graphql", ".gql"):
        name = name.removesuffix(suffix)
    return name or "subgraph"



def canonical_value(node: ast.ValueNode) -> str:
    """A value as canonical GraphQL text, so that defaults compare by value: an input object's fields in name
    order, numbers in one spelling (``1.0`` and ``1e0`` are ``1``; ``1.50`` is ``1.5``), strings as plain
    strings (not blocks)."""
    if isinstance(node, ast.ObjectValueNode):
        fields = sorted(node.fields, key=lambda f: f.name.value)
        return "{" + ", ".join(f"{f.name.value}: {canonical_value(f.value)}" for f in fields) + "}"
    if isinstance(node, ast.ListValueNode):
        return "[" + ", ".join(canonical_value(v) for v in node.values) + "]"
    if isinstance(node, ast.FloatValueNode):
        try:
            number = float(node.value)
        except ValueError:
            return node.value
        if number.is_integer() and abs(number) < 1e16:
            return str(int(number))
        return repr(number)
    if isinstance(node, ast.IntValueNode):
        return node.value.lstrip("+")
    if isinstance(node, ast.StringValueNode):
        return json.dumps(node.value, ensure_ascii=False)
    return print_ast(node)

class _SdlBuilder:
    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.types: dict[str, TypeDef] = {}
        self.extensions: list[tuple[ast.Node, str]] = []
        self.directives: dict[str, Directive] = {}
        self.roots: dict[str, Member] = {}
        self.used_directives: list[tuple[str, Location]] = []
        self.schema_applied: dict[str, AppliedDirective] = {}

    # -- helpers ------------------------------------------------------------------------------
    @staticmethod
    def loc(node: ast.Node, file: str) -> Location:
        target = getattr(node, "name", None) or node
        loc = target.loc or node.loc
        if loc is None:
            return Location(file, 1, 1)
        return Location(file, loc.start_token.line, loc.start_token.column)

    def warn(self, location: Location, message: str) -> None:
        self.warnings.append(f"{location}: {message}")

    @staticmethod
    def typeref(node: ast.TypeNode) -> TypeRef:
        wrappers: list[str] = []
        while not isinstance(node, ast.NamedTypeNode):
            if isinstance(node, ast.NonNullTypeNode):
                wrappers.append(NON_NULL)
            else:
                wrappers.append(LIST)
            node = cast(Any, node).type
        return TypeRef(node.name.value, tuple(wrappers))

    @staticmethod
    def description(node: ast.Node) -> str | None:
        desc = getattr(node, "description", None)
        return desc.value if desc is not None else None

    def annotations(self, node: ast.Node, file: str) -> tuple[Deprecation | None, dict[str, AppliedDirective]]:
        """The deprecation and the other directives applied to ``node``."""
        deprecation = None
        applied: dict[str, AppliedDirective] = {}
        for directive in getattr(node, "directives", None) or ():
            name = directive.name.value
            if name == "deprecated":
                reason = DEFAULT_DEPRECATION_REASON
                for arg in directive.arguments or ():
                    if arg.name.value == "reason" and isinstance(arg.value, ast.StringValueNode):
                        reason = arg.value.value
                deprecation = _deprecation(reason)
                continue
            if name in ("specifiedBy", "oneOf"):
                continue
            location = self.loc(directive, file)
            if name not in BUILTIN_DIRECTIVES:
                self.used_directives.append((name, location))
            key = name
            n = 1
            while key in applied:
                n += 1
                key = f"{name}#{n}"
            applied[key] = AppliedDirective(
                name=name, args=tuple(sorted((a.name.value, print_ast(a.value)) for a in directive.arguments or ())),
                location=location)
        return deprecation, applied

    def input_values(self, nodes: Iterable[ast.InputValueDefinitionNode] | None, file: str,
                     owner: str) -> dict[str, InputValue]:
        values: dict[str, InputValue] = {}
        for node in nodes or ():
            deprecation, applied = self.annotations(node, file)
            value = InputValue(
                name=node.name.value,
                type=self.typeref(node.type),
                default=canonical_value(node.default_value) if node.default_value is not None else None,
                description=self.description(node),
                deprecation=deprecation,
                applied=applied,
                location=self.loc(node, file),
            )
            self.put(values, value, f"{owner}({value.name}:)")
        return values

    def put(self, into: dict[str, Any], element: Any, coordinate: str) -> None:
        """Add ``element``; a duplicate with the same meaning is a warning, a conflict an error."""
        old = into.get(element.name)
        if old is None:
            into[element.name] = element
            return
        if _signature(old) != _signature(element):
            where = element.location
            raise ParseError(f"{coordinate} is defined twice with different definitions "
                             f"(first at line {old.location.line})",
                             file=where.file, line=where.line, column=where.column)
        self.warn(element.location, f"{coordinate} is defined twice (first at line "
                  f"{old.location.line}); the first definition is used")

    # -- definitions --------------------------------------------------------------------------
    def add(self, document: ast.DocumentNode, file: str) -> None:
        for node in document.definitions:
            if isinstance(node, ast.SchemaDefinitionNode | ast.SchemaExtensionNode):
                for op in node.operation_types or ():
                    kind = op.operation.value
                    self.roots[kind] = Member(name=kind, target=op.type.name.value, location=self.loc(op, file))
                for d in self.annotations(node, file)[1].values():  # every `extend schema @link` counts
                    key, n = d.name, 1
                    while key in self.schema_applied:
                        n += 1
                        key = f"{d.name}#{n}"
                    self.schema_applied[key] = d
            elif isinstance(node, ast.DirectiveDefinitionNode):
                directive = Directive(
                    name=node.name.value,
                    args=self.input_values(node.arguments, file, f"@{node.name.value}"),
                    locations={n.value: Member(name=n.value, location=self.loc(n, file)) for n in node.locations},
                    repeatable=node.repeatable,
                    description=self.description(node),
                    location=self.loc(node, file),
                )
                if directive.name in BUILTIN_DIRECTIVES:
                    continue
                self.put(self.directives, directive, f"@{directive.name}")
            elif isinstance(node, ast.TypeExtensionNode):
                self.extensions.append((node, file))
            elif isinstance(node, ast.TypeDefinitionNode):
                typedef = self.typedef(node, file)
                if typedef.name in self.types:
                    first = self.types[typedef.name]
                    if first.kind is not typedef.kind:
                        raise ParseError(f"type {typedef.name} is defined twice, as {first.kind.label} "
                                         f"(line {first.location.line}) and as {typedef.kind.label}",
                                         file=file, line=typedef.location.line, column=typedef.location.column)
                    self.warn(typedef.location, f"type {typedef.name} is defined twice (first at "
                              f"{first.location}); the definitions are merged")
                    self.merge(first, typedef)
                else:
                    self.types[typedef.name] = typedef
            else:
                loc = self.loc(node, file)
                raise ParseError(f"{node.kind.replace('_', ' ')} is not allowed in a schema document",
                                 file=file, line=loc.line, column=loc.column)

    def typedef(self, node: ast.Node, file: str) -> TypeDef:
        kind = _KINDS[type(node)]
        name = cast(Any, node).name.value
        fields: dict[str, Field] = {}
        for f in getattr(node, "fields", None) or ():
            if isinstance(f, ast.FieldDefinitionNode):
                coord = f"{name}.{f.name.value}"
                deprecation, applied = self.annotations(f, file)
                self.put(fields, Field(
                    name=f.name.value,
                    type=self.typeref(f.type),
                    args=self.input_values(f.arguments, file, coord),
                    description=self.description(f),
                    deprecation=deprecation,
                    applied=applied,
                    location=self.loc(f, file),
                ), coord)
        input_fields: dict[str, InputValue] = {}
        if kind is TypeKind.INPUT_OBJECT:
            input_fields = self.input_values(cast(Any, node).fields, file, name)
        values: dict[str, EnumValue] = {}
        for v in getattr(node, "values", None) or ():
            deprecation, applied = self.annotations(v, file)
            self.put(values, EnumValue(name=v.name.value, description=self.description(v),
                                       deprecation=deprecation, applied=applied, location=self.loc(v, file)),
                     f"{name}.{v.name.value}")
        specified_by = None
        one_of = False
        for d in getattr(node, "directives", None) or ():
            if d.name.value == "specifiedBy":
                for arg in d.arguments or ():
                    if arg.name.value == "url" and isinstance(arg.value, ast.StringValueNode):
                        specified_by = arg.value.value
            one_of = one_of or d.name.value == "oneOf"
        type_applied = self.annotations(node, file)[1]
        return TypeDef(
            name=name,
            kind=kind,
            description=self.description(node),
            fields=fields,
            input_fields=input_fields,
            interfaces={i.name.value: Member(name=i.name.value, location=self.loc(i, file))
                        for i in getattr(node, "interfaces", None) or ()},
            members={m.name.value: Member(name=m.name.value, location=self.loc(m, file))
                     for m in getattr(node, "types", None) or ()},
            values=values,
            specified_by=specified_by,
            one_of=one_of,
            applied=type_applied,
            location=self.loc(node, file),
        )

    def merge(self, base: TypeDef, extra: TypeDef) -> None:
        """Fold an extension (or a duplicate definition) into ``base``, in place."""
        coord = base.name
        for f in extra.fields.values():
            self.put(cast(dict[str, Any], base.fields), f, f"{coord}.{f.name}")
        for i in extra.input_fields.values():
            self.put(cast(dict[str, Any], base.input_fields), i, f"{coord}.{i.name}")
        for v in extra.values.values():
            self.put(cast(dict[str, Any], base.values), v, f"{coord}.{v.name}")
        for name, m in extra.interfaces.items():
            cast(dict[str, Any], base.interfaces).setdefault(name, m)
        for name, m in extra.members.items():
            cast(dict[str, Any], base.members).setdefault(name, m)
        for key, d in extra.applied.items():
            cast(dict[str, Any], base.applied).setdefault(key, d)
        if base.specified_by is None and extra.specified_by is not None:
            object.__setattr__(base, "specified_by", extra.specified_by)
        if extra.one_of:
            object.__setattr__(base, "one_of", True)

    def finish(self, source: str) -> GraphQLApi:
        for node, file in self.extensions:
            extension = self.typedef(node, file)
            base = self.types.get(extension.name)
            if base is None:
                self.warn(extension.location, f"extend {extension.kind.label} {extension.name}: the type is "
                          "not defined; the extension is used as its definition")
                self.types[extension.name] = extension
            elif base.kind is not extension.kind:
                loc = extension.location
                raise ParseError(f"extend {extension.kind.label} {extension.name}: {extension.name} is "
                                 f"{base.kind.label}", file=loc.file, line=loc.line, column=loc.column)
            else:
                self.merge(base, extension)
        add_builtin_scalars(self.types, self.directives)
        if not self.roots:
            for op, name in ROOT_DEFAULTS.items():
                if name in self.types:
                    self.roots[op] = Member(name=op, target=name, location=self.types[name].location)
        for name, loc in self.used_directives:
            if name not in self.directives:
                self.warn(loc, f"directive @{name} is used but not defined")
        _check_references(self.types, self.directives, self.roots, self.warnings)
        return GraphQLApi(kind="graphql", source=source, types=dict(sorted(self.types.items())),
                   directives=dict(sorted(self.directives.items())), roots=self.roots,
                   applied=self.schema_applied, warnings=tuple(dict.fromkeys(self.warnings)))


def _signature(element: Any) -> Any:
    """What must agree between two definitions of the same element for them to be one."""
    if isinstance(element, Field):
        return (element.type, tuple((a.name, a.type, a.default) for a in element.args.values()))
    if isinstance(element, InputValue):
        return (element.type, element.default)
    if isinstance(element, Directive):
        return (tuple((a.name, a.type, a.default) for a in element.args.values()),
                tuple(element.locations), element.repeatable)
    return None


# Types that federation's machinery names without defining them in a subgraph's file (apidiff learns
# them with Federation support); a reference to one stays a warning, as does a directive argument's type.
_MACHINERY = re.compile(r"^(_Any|_FieldSet|FieldSet|_Entity|_Service|(link|join|federation)__\w+)$")


def _check_references(types: Mapping[str, TypeDef], directives: Mapping[str, Directive],
                      roots: Mapping[str, Member], warnings: list[str],
                      locate: Callable[[Location], Location] | None = None) -> None:
    """A reference to a type that is not defined makes every verdict about it a guess: an error
    (graphql-core and graphql-inspector refuse such schemas too), except for federation machinery
    and the argument types of directives, which real subgraphs leave undefined (warnings)."""
    def undefined(name: str, where: Location, message: str) -> None:
        if _MACHINERY.match(name):
            warnings.append(f"{where}: {message}")
        else:
            if not where.line and locate is not None:
                where = locate(where)
            raise ParseError(message, file=where.file, line=where.line or None, column=where.column or None)

    def check(ref: TypeRef, where: Location, coordinate: str) -> None:
        if ref.name not in types:
            undefined(ref.name, where, f"{coordinate} refers to type {ref.name}, which is not defined")

    for t in types.values():
        for f in t.fields.values():
            check(f.type, f.location, f"{t.name}.{f.name}")
            for a in f.args.values():
                check(a.type, a.location, f"{t.name}.{f.name}({a.name}:)")
        for i in t.input_fields.values():
            check(i.type, i.location, f"{t.name}.{i.name}")
        for m in (*t.members.values(), *t.interfaces.values()):
            if m.name not in types:
                undefined(m.name, m.location, f"{t.name} refers to type {m.name}, which is not defined")
    for d in directives.values():
        for a in d.args.values():
            if a.type.name not in types:
                warnings.append(f"{a.location}: @{d.name}({a.name}:) refers to type {a.type.name}, which is not "
                                "defined")
    for m in roots.values():
        if m.target not in types:
            undefined(m.target or "", m.location, f"the {m.name} root type {m.target} is not defined")


# ---------------------------------------------------------------------------------------------
# Introspection JSON


def load_introspection(text: Text, source: str) -> GraphQLApi:
    """Build the type graph from an introspection result (``{"data": {"__schema": …}}`` or ``{"__schema": …}``)."""
    try:
        document = loads_json(text.text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"invalid JSON: {exc.msg}", file=text.name, line=exc.lineno, column=exc.colno) from None
    except ValueError as exc:  # NaN, Infinity
        raise ParseError(f"invalid JSON: {exc}", file=text.name) from None
    except RecursionError:
        raise LimitExceeded("JSON document is nested too deeply", file=text.name) from None
    prefix = ""
    if isinstance(document, dict) and isinstance(document.get("data"), dict):
        document, prefix = document["data"], "/data"
    schema = document.get("__schema") if isinstance(document, dict) else None
    if not isinstance(schema, dict):
        raise ParseError("introspection JSON has no __schema object", file=text.name, line=1, column=1)
    locator = DocumentLocator({text.name: text.text}, prefer_name=True)
    try:
        check(schema, INTROSPECTION, prefix + "/__schema")
    except ShapeError as exc:
        where = locator(Location(text.name, pointer=exc.pointer))
        raise ParseError(f"malformed introspection result: {exc.message}", file=text.name,
                         line=where.line or None, column=where.column or None) from None
    return _Introspection(text.name, prefix + "/__schema").build(schema, source, locator)


def _type_ref_rule(node: Mapping[str, Any]) -> tuple[str, str] | None:
    if node.get("kind") in ("NON_NULL", "LIST"):
        return ("ofType", "a NON_NULL or LIST type needs ofType") if not isinstance(node.get("ofType"), dict) else None
    if not isinstance(node.get("name"), str):
        return "name", f"name: a {node.get('kind')} type reference needs a name, got {describe(node.get('name'))}"
    return None


_REF_KINDS = OneOf("SCALAR", "OBJECT", "INTERFACE", "UNION", "ENUM", "INPUT_OBJECT", "LIST", "NON_NULL")
_REF_FIELDS: dict[str, Shape] = {"kind": _REF_KINDS}
_TYPE_REF = Obj(_REF_FIELDS, required=("kind",), rule=_type_ref_rule)
_REF_FIELDS["ofType"] = Nullable(_TYPE_REF)  # a recursive shape: ofType is a type reference too
_DEPRECATABLE = {"isDeprecated": Nullable(BOOL), "deprecationReason": Nullable(STR), "description": Nullable(STR)}
_INPUT_VALUE = Obj({"name": STR, "type": _TYPE_REF, "defaultValue": Nullable(STR), **_DEPRECATABLE},
                   required=("name", "type"))
_NAMED = Obj({"name": STR}, required=("name",))
INTROSPECTION = Obj({
    "queryType": Nullable(_NAMED), "mutationType": Nullable(_NAMED), "subscriptionType": Nullable(_NAMED),
    "types": ListOf(Obj({
        "kind": OneOf("SCALAR", "OBJECT", "INTERFACE", "UNION", "ENUM", "INPUT_OBJECT"), "name": STR,
        "description": Nullable(STR), "specifiedByURL": Nullable(STR), "specifiedByUrl": Nullable(STR),
        "isOneOf": Nullable(BOOL),
        "fields": Nullable(ListOf(Obj({"name": STR, "type": _TYPE_REF, "args": Nullable(ListOf(_INPUT_VALUE)),
                                       **_DEPRECATABLE}, required=("name", "type")))),
        "inputFields": Nullable(ListOf(_INPUT_VALUE)),
        "interfaces": Nullable(ListOf(_NAMED)),
        "possibleTypes": Nullable(ListOf(_NAMED)),
        "enumValues": Nullable(ListOf(Obj({"name": STR, **_DEPRECATABLE}, required=("name",)))),
    }, required=("kind", "name"))),
    "directives": Nullable(ListOf(Obj({
        "name": STR, "description": Nullable(STR), "locations": Nullable(ListOf(STR)),
        "args": Nullable(ListOf(_INPUT_VALUE)), "isRepeatable": Nullable(BOOL)}, required=("name",)))),
}, required=("types",))
"""What an introspection result's ``__schema`` must be (the parts apidiff reads)."""


class _Introspection:
    def __init__(self, file: str, base: str) -> None:
        self.file = file
        self.base = base

    def loc(self, *parts: object) -> Location:
        return Location(self.file, pointer=self.base + "".join(f"/{escape_pointer_token(str(p))}" for p in parts))

    @staticmethod
    def typeref(node: dict[str, Any]) -> TypeRef:
        wrappers: list[str] = []
        while node["kind"] in ("NON_NULL", "LIST"):
            wrappers.append(NON_NULL if node["kind"] == "NON_NULL" else LIST)
            node = node["ofType"]
        return TypeRef(node["name"], tuple(wrappers))

    @staticmethod
    def default(value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return canonical_value(parse_value(value))
        except GraphQLError:
            return value

    def deprecation(self, node: dict[str, Any]) -> Deprecation | None:
        if node.get("isDeprecated"):
            return _deprecation(node.get("deprecationReason"))
        return None

    def input_values(self, nodes: list[dict[str, Any]] | None, *path: object) -> dict[str, InputValue]:
        return {n["name"]: InputValue(
            name=n["name"], type=self.typeref(n["type"]), default=self.default(n.get("defaultValue")),
            description=n.get("description"), deprecation=self.deprecation(n), location=self.loc(*path, i),
        ) for i, n in enumerate(nodes or ())}

    def build(self, schema: dict[str, Any], source: str, locator: DocumentLocator) -> GraphQLApi:
        types: dict[str, TypeDef] = {}
        for ti, t in enumerate(schema.get("types") or ()):
            name = t["name"]
            if name.startswith("__"):
                continue
            kind = TypeKind(t["kind"].lower().replace("_", "-"))
            types[name] = TypeDef(
                name=name,
                kind=kind,
                description=None if name in BUILTIN_SCALARS else t.get("description"),
                fields={} if kind is TypeKind.INPUT_OBJECT else {f["name"]: Field(
                    name=f["name"], type=self.typeref(f["type"]),
                    args=self.input_values(f.get("args"), "types", ti, "fields", fi, "args"),
                    description=f.get("description"), deprecation=self.deprecation(f),
                    location=self.loc("types", ti, "fields", fi),
                ) for fi, f in enumerate(t.get("fields") or ())},
                input_fields=self.input_values(t.get("inputFields"), "types", ti, "inputFields"),
                interfaces={i["name"]: Member(name=i["name"], location=self.loc("types", ti, "interfaces", ii))
                            for ii, i in enumerate(t.get("interfaces") or ())},
                members={m["name"]: Member(name=m["name"], location=self.loc("types", ti, "possibleTypes", mi))
                         for mi, m in enumerate(t.get("possibleTypes") or ())} if kind is TypeKind.UNION else {},
                values={v["name"]: EnumValue(name=v["name"], description=v.get("description"),
                                             deprecation=self.deprecation(v),
                                             location=self.loc("types", ti, "enumValues", vi))
                        for vi, v in enumerate(t.get("enumValues") or ())},
                specified_by=t.get("specifiedByURL") or t.get("specifiedByUrl"),
                one_of=bool(t.get("isOneOf")),
                location=_BUILTIN_LOCATION if name in BUILTIN_SCALARS else self.loc("types", ti),
            )
        directives = {d["name"]: Directive(
            name=d["name"], args=self.input_values(d.get("args"), "directives", di, "args"),
            locations={n: Member(name=n, location=self.loc("directives", di, "locations", li))
                       for li, n in enumerate(d.get("locations") or ())},
            repeatable=bool(d.get("isRepeatable")), description=d.get("description"),
            location=self.loc("directives", di),
        ) for di, d in enumerate(schema.get("directives") or ()) if d["name"] not in BUILTIN_DIRECTIVES}
        roots = {op: Member(name=op, target=schema[key]["name"], location=self.loc(key))
                 for op, key in (("query", "queryType"), ("mutation", "mutationType"),
                                 ("subscription", "subscriptionType")) if schema.get(key)}
        add_builtin_scalars(types, directives)
        warnings: list[str] = []
        _check_references(types, directives, roots, warnings, locator)
        return GraphQLApi(kind="graphql", source=source, types=dict(sorted(types.items())),
                   directives=dict(sorted(directives.items())), roots=roots, warnings=tuple(warnings),
                   has_applied=False, locate=locator)
