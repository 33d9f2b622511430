"""Hypothesis strategies: random valid GraphQL SDL schemas and OpenAPI 3.0 documents, and edits of them.

Schemas are plain dataclasses rendered to text, so that the same model can be written with its
definitions, fields, properties and paths in another order (``rng``: order is not meaning).
Validity is by construction: every referenced type is defined, input types appear only in input
positions and output types only in output positions; an edit that would break that is rejected
and another one is drawn. ``tests/test_properties.py`` checks validity with graphql-core and
openapi-spec-validator.

- ``graphql_schemas()``: Query (and sometimes Mutation) roots, objects, interfaces implemented by
  objects, unions, enums with (deprecated) values, input types, custom scalars (``@specifiedBy``),
  directive definitions applied to fields, arguments with defaults, descriptions, deprecations;
  ``graphql_pairs()``: a schema and the same after 1-4 of ``GRAPHQL_EDITS``; ``render_sdl``.
- ``openapi_docs()``: paths with operations, path/query/header parameters, request bodies and
  responses (several media types, headers), component schemas with ``$ref`` (cycles included),
  type/format/enum/bounds/nullable/default/readOnly/writeOnly, oneOf, allOf, additionalProperties,
  security; ``openapi_pairs()``: a document and the same after 1-4 of ``OPENAPI_EDITS``;
  ``render_openapi`` (JSON, one-line JSON, YAML).
- ``mangled(text)``: a valid document cut, spliced and sprinkled with punctuation.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import yaml
from hypothesis import strategies as st

T = TypeVar("T")
Draw = Callable[[st.SearchStrategy[Any]], Any]


class Rejected(Exception):
    """An edit that does not apply to this schema (or would make it invalid): draw another."""


def _order(rng: random.Random | None, items: Iterable[T]) -> list[T]:
    out = list(items)
    if rng is not None:
        rng.shuffle(out)
    return out


def _fresh(existing: Iterable[str], vocabulary: Iterable[str], prefix: str) -> str:
    taken = set(existing)
    for word in vocabulary:
        if word not in taken:
            return word
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


DESCRIPTIONS = ("The owner.", "Deprecated soon", "Number of items", "A \"quoted\" word", "Two\nlines",
                "Ünïcödé ✓", "Back\\slash")
REASONS = (None, "Use `name` instead.", "Use `id`. Removal on 2025-06-30.", "Use `id`. Removal on 2027-03-01.",
           "Gone on 2024-13-45 (not a date).")

# =============================================================================================
# GraphQL

BUILTIN_SCALARS = ("String", "Int", "Float", "Boolean", "ID")
ROOT_NAMES = ("Query", "Mutation")
SPECIFIED_BY = (None, "https://tools.ietf.org/html/rfc3339", "https://url.spec.whatwg.org/")
OBJECT_NAMES = ("User", "Post", "Comment", "Team", "Repo")
INTERFACE_NAMES = ("Node", "Named")
UNION_NAMES = ("SearchResult", "Actor")
ENUM_NAMES = ("Color", "Role", "Status")
INPUT_NAMES = ("UserFilter", "PostInput", "Paging")
SCALAR_NAMES = ("DateTime", "URL")
DIRECTIVE_NAMES = ("tag", "auth", "cost")
FIELD_WORDS = ("id", "name", "title", "count", "owner", "items", "tags", "score", "parent", "createdAt", "size",
               "kind")
IFACE_WORDS = ("Id", "Label", "Created")
ARG_WORDS = ("first", "after", "filter", "order", "limit", "query", "includeAll")
VALUE_WORDS = ("RED", "GREEN", "BLUE", "ADMIN", "GUEST", "ACTIVE", "ARCHIVED", "DRAFT")
DIRECTIVE_LOCATIONS = ("FIELD_DEFINITION", "OBJECT", "ARGUMENT_DEFINITION", "ENUM_VALUE", "QUERY", "FIELD")


@dataclass
class GRef:
    """A type reference: ``name``, optionally in a list (``item_non_null``: ``[T!]``), optionally non-null."""

    name: str
    non_null: bool = False
    is_list: bool = False
    item_non_null: bool = False

    def render(self) -> str:
        text = self.name
        if self.is_list:
            text = f"[{text}{'!' if self.item_non_null else ''}]"
        return text + ("!" if self.non_null else "")


@dataclass
class GInputValue:
    """An argument, an input field or a directive argument."""

    name: str
    type: GRef
    default: str | None = None
    description: str | None = None
    deprecated: str | None = None  # the reason ("" for @deprecated without one); only written when optional

    @property
    def required(self) -> bool:
        return self.type.non_null and self.default is None


@dataclass
class GField:
    name: str
    type: GRef
    args: list[GInputValue] = field(default_factory=list)
    description: str | None = None
    deprecated: str | None = None
    directives: list[str] = field(default_factory=list)


@dataclass
class GObject:
    """An object type or an interface. An object's rendered fields are its own plus those of its interfaces."""

    name: str
    fields: list[GField]
    interfaces: list[str] = field(default_factory=list)
    description: str | None = None


@dataclass
class GInput:
    name: str
    fields: list[GInputValue]
    description: str | None = None


@dataclass
class GEnumValue:
    name: str
    description: str | None = None
    deprecated: str | None = None


@dataclass
class GEnum:
    name: str
    values: list[GEnumValue]
    description: str | None = None


@dataclass
class GUnion:
    name: str
    members: list[str]
    description: str | None = None


@dataclass
class GScalar:
    name: str
    description: str | None = None
    specified_by: str | None = None


@dataclass
class GDirective:
    name: str
    args: list[GInputValue]
    locations: list[str]
    repeatable: bool = False
    description: str | None = None


@dataclass
class GSchema:
    objects: list[GObject]  # objects[0] is Query; a "Mutation" object is the mutation root
    interfaces: list[GObject] = field(default_factory=list)
    unions: list[GUnion] = field(default_factory=list)
    enums: list[GEnum] = field(default_factory=list)
    inputs: list[GInput] = field(default_factory=list)
    scalars: list[GScalar] = field(default_factory=list)
    directives: list[GDirective] = field(default_factory=list)

    # -- lookups --------------------------------------------------------------------------------
    def names(self) -> set[str]:
        groups: list[list[Any]] = [self.objects, self.interfaces, self.unions, self.enums, self.inputs, self.scalars]
        return {t.name for group in groups for t in group}

    def plain_objects(self) -> list[GObject]:
        """Object types other than the roots (what fields and unions may refer to)."""
        return [o for o in self.objects if o.name not in ROOT_NAMES]

    def output_names(self) -> list[str]:
        return [*BUILTIN_SCALARS, *(t.name for t in self.plain_objects()), *(t.name for t in self.interfaces),
                *(t.name for t in self.unions), *(t.name for t in self.enums), *(t.name for t in self.scalars)]

    def input_names(self) -> list[str]:
        return [*BUILTIN_SCALARS, *(t.name for t in self.enums), *(t.name for t in self.scalars),
                *(t.name for t in self.inputs)]

    def interface(self, name: str) -> GObject:
        return next(i for i in self.interfaces if i.name == name)

    def enum(self, name: str) -> GEnum | None:
        return next((e for e in self.enums if e.name == name), None)

    def all_fields(self, obj: GObject) -> list[GField]:
        """Own fields, then the fields of the implemented interfaces."""
        out = list(obj.fields)
        for iface in obj.interfaces:
            out.extend(self.interface(iface).fields)
        return out

    def field_owners(self) -> list[GObject]:
        return [*self.objects, *self.interfaces]

    def input_values(self) -> list[GInputValue]:
        """Every argument, input field and directive argument."""
        out: list[GInputValue] = []
        for owner in self.field_owners():
            for f in owner.fields:
                out.extend(f.args)
        for i in self.inputs:
            out.extend(i.fields)
        for d in self.directives:
            out.extend(d.args)
        return out

    def refs(self) -> list[GRef]:
        out = [f.type for owner in self.field_owners() for f in owner.fields]
        out.extend(v.type for v in self.input_values())
        return out


# -- rendering ----------------------------------------------------------------------------------

def _gql_string(text: str, block: bool) -> str:
    if block and not any(c in text for c in '"\\\n') and text.strip() == text:
        return f'"""{text}"""'
    return json.dumps(text)


def _desc(text: str | None, indent: str, block: bool) -> str:
    return f"{indent}{_gql_string(text, block)}\n" if text is not None else ""


def _deprecated(reason: str | None, block: bool) -> str:
    if reason is None:
        return ""
    if reason == "":
        return " @deprecated"
    return f" @deprecated(reason: {_gql_string(reason, block)})"


def _literal(ref: GRef) -> str:
    """A valid value for a required directive argument of type ``ref``."""
    inner = {"Int": "1", "Float": "1.5", "Boolean": "true", "ID": '"1"'}.get(ref.name, '"x"')
    return f"[{inner}]" if ref.is_list else inner


class _SdlWriter:
    def __init__(self, schema: GSchema, rng: random.Random | None) -> None:
        self.s = schema
        self.rng = rng
        self.block = rng is not None and rng.random() < 0.5  # description style is not meaning either

    def input_value(self, v: GInputValue, indent: str) -> str:
        text = _desc(v.description, indent, self.block) + f"{indent}{v.name}: {v.type.render()}"
        if v.default is not None:
            text += f" = {v.default}"
        if not v.required:
            text += _deprecated(v.deprecated, self.block)
        return text

    def args(self, args: list[GInputValue], indent: str) -> str:
        if not args:
            return ""
        inner = "\n".join(self.input_value(a, indent + "  ") for a in _order(self.rng, args))
        return f"(\n{inner}\n{indent})"

    def applied(self, name: str) -> str:
        d = next(d for d in self.s.directives if d.name == name)
        args = [a for a in _order(self.rng, d.args) if a.required]
        inner = ", ".join(f"{a.name}: {_literal(a.type)}" for a in args)
        return f" @{name}({inner})" if inner else f" @{name}"

    def field(self, f: GField) -> str:
        return (_desc(f.description, "  ", self.block) + f"  {f.name}{self.args(f.args, '  ')}: {f.type.render()}"
                + _deprecated(f.deprecated, self.block) + "".join(self.applied(d) for d in _order(self.rng,
                                                                                                 f.directives)))

    def split(self, items: list[T]) -> tuple[list[T], list[T]]:
        """``items`` in order, sometimes cut in two: the second part goes to an ``extend`` block."""
        items = _order(self.rng, items)
        if self.rng is None or len(items) < 2 or self.rng.random() < 0.7:
            return items, []
        cut = self.rng.randrange(1, len(items))
        return items[:cut], items[cut:]

    def object(self, obj: GObject, keyword: str) -> list[str]:
        fields, more = self.split(self.s.all_fields(obj) if keyword == "type" else obj.fields)
        implements = " implements " + " & ".join(_order(self.rng, obj.interfaces)) if obj.interfaces else ""
        body = "\n".join(self.field(f) for f in fields)
        out = [_desc(obj.description, "", self.block) + f"{keyword} {obj.name}{implements} {{\n{body}\n}}"]
        if more:
            out.append(f"extend {keyword} {obj.name} {{\n" + "\n".join(self.field(f) for f in more) + "\n}")
        return out

    def definitions(self) -> list[str]:
        s, rng, b = self.s, self.rng, self.block
        out = [block for o in s.objects for block in self.object(o, "type")]
        out += [block for i in s.interfaces for block in self.object(i, "interface")]
        out += [_desc(u.description, "", b) + f"union {u.name} = " + " | ".join(_order(rng, u.members))
                for u in s.unions]
        for e in s.enums:
            first, more = self.split(e.values)
            for keyword, values in (("enum", first), ("extend enum", more)):
                if values:
                    out.append((_desc(e.description, "", b) if keyword == "enum" else "") + f"{keyword} {e.name} {{\n"
                               + "\n".join(_desc(v.description, "  ", b) + f"  {v.name}"
                                           + _deprecated(v.deprecated, b) for v in values) + "\n}")
        for i in s.inputs:
            first, more = self.split(i.fields)
            for keyword, fields in (("input", first), ("extend input", more)):
                if fields:
                    out.append((_desc(i.description, "", b) if keyword == "input" else "") + f"{keyword} {i.name} {{\n"
                               + "\n".join(self.input_value(v, "  ") for v in fields) + "\n}")
        out += [_desc(c.description, "", b) + f"scalar {c.name}"
                + (f" @specifiedBy(url: {_gql_string(c.specified_by, b)})" if c.specified_by else "")
                for c in s.scalars]
        for d in s.directives:
            out.append(_desc(d.description, "", b) + f"directive @{d.name}{self.args(d.args, '')}"
                       + (" repeatable" if d.repeatable else "") + " on " + " | ".join(_order(rng, d.locations)))
        return out


def render_sdl(schema: GSchema, rng: random.Random | None = None) -> str:
    """The schema as SDL; with ``rng``, every list is shuffled, some types are split into a definition
    and an ``extend`` block, an explicit ``schema`` block may name the Query root, and descriptions may
    be block strings: all of which must mean the same schema."""
    writer = _SdlWriter(schema, rng)
    blocks = _order(rng, writer.definitions())
    if rng is not None and rng.random() < 0.5:
        roots = [f"  {name.lower()}: {name}" for name in _order(rng, ROOT_NAMES)
                 if any(o.name == name for o in schema.objects)]
        blocks.insert(rng.randrange(len(blocks) + 1), "schema {\n" + "\n".join(roots) + "\n}")
    return "\n\n".join(blocks) + "\n"


# -- validity -----------------------------------------------------------------------------------

def _default_for(draw: Draw, schema: GSchema, ref: GRef) -> str | None:
    """A valid default value literal for an input of type ``ref`` (None: no default)."""
    if ref.is_list:
        return draw(st.sampled_from([None, "[]"]))
    enum = schema.enum(ref.name)
    if enum is not None:
        return draw(st.sampled_from([v.name for v in enum.values]))
    choices = {"Int": ["0", "10", "-3"], "Float": ["1.5", "0.0"], "String": ['"a"', '"b c"'],
               "Boolean": ["true", "false"], "ID": ['"x1"']}.get(ref.name)
    return draw(st.sampled_from(choices)) if choices else None


def _default_ok(schema: GSchema, v: GInputValue) -> bool:
    if v.default is None:
        return True
    if v.type.is_list:
        return v.default == "[]"
    enum = schema.enum(v.type.name)
    if enum is not None:
        return v.default in {x.name for x in enum.values}
    literal = {"Int": "-0123456789", "Float": "-.0123456789", "Boolean": "truefals", "String": '"abc ',
               "ID": '"x1'}.get(v.type.name)
    return literal is not None and all(c in literal for c in v.default)


def graphql_problems(schema: GSchema) -> list[str]:
    """What makes ``schema`` invalid; empty when it is valid."""
    problems = []
    names = schema.names()
    out_names = set(schema.output_names()) | {"Query"}
    in_names = set(schema.input_names())
    if not schema.objects or schema.objects[0].name != "Query" or not schema.objects[0].fields:
        problems.append("no Query fields")
    for owner in schema.field_owners():
        if not schema.all_fields(owner):
            problems.append(f"{owner.name} has no fields")
        seen = [f.name for f in schema.all_fields(owner)]
        if len(seen) != len(set(seen)):
            problems.append(f"{owner.name} has duplicate fields")
        for iface in owner.interfaces:
            if iface not in {i.name for i in schema.interfaces}:
                problems.append(f"{owner.name} implements undefined {iface}")
        for f in owner.fields:
            if f.type.name not in out_names:
                problems.append(f"{owner.name}.{f.name} has a non-output type")
            for d in f.directives:
                spec = next((x for x in schema.directives if x.name == d), None)
                if spec is None or "FIELD_DEFINITION" not in spec.locations:
                    problems.append(f"{owner.name}.{f.name} @{d} is not allowed")
            if len(set(f.directives)) != len(f.directives):
                problems.append(f"{owner.name}.{f.name} repeats a directive")
    for v in schema.input_values():
        if v.type.name not in in_names:
            problems.append(f"input value {v.name} has a non-input type")
        if not _default_ok(schema, v):
            problems.append(f"input value {v.name} has a bad default {v.default}")
    for i in schema.inputs:
        if not i.fields:
            problems.append(f"{i.name} has no fields")
        for v in i.fields:  # input cycles only through nullable or list fields
            if v.type.name in {x.name for x in schema.inputs} and v.type.non_null and not v.type.is_list:
                problems.append(f"{i.name}.{v.name} is a non-null input object")
    for e in schema.enums:
        if not e.values:
            problems.append(f"{e.name} has no values")
    object_names = {o.name for o in schema.plain_objects()}
    for u in schema.unions:
        if not u.members or any(m not in object_names for m in u.members):
            problems.append(f"{u.name} has bad members")
    for d in schema.directives:
        if not d.locations:
            problems.append(f"@{d.name} has no locations")
    problems.extend(f"undefined type {r.name}" for r in schema.refs()
                    if r.name not in names and r.name not in BUILTIN_SCALARS)
    return problems


# -- generation ---------------------------------------------------------------------------------

def _gref(draw: Draw, names: list[str]) -> GRef:
    is_list = draw(st.integers(0, 3)) == 0
    return GRef(draw(st.sampled_from(names)), non_null=draw(st.booleans()), is_list=is_list,
                item_non_null=is_list and draw(st.booleans()))


def _maybe(draw: Draw, values: tuple[T, ...], chance: int = 3) -> T | None:
    """One of ``values`` about once in ``chance`` draws, else None."""
    return draw(st.sampled_from(values)) if draw(st.integers(0, chance - 1)) == 0 else None


def _input_value(draw: Draw, schema: GSchema, name: str, names: list[str], *, nullable_inputs: bool = False,
                 required: bool | None = None) -> GInputValue:
    ref = _gref(draw, names)
    if nullable_inputs and ref.name in {i.name for i in schema.inputs} and not ref.is_list:
        ref.non_null = False
    if required is not None:
        ref.non_null = required
    value = GInputValue(name, ref, description=_maybe(draw, DESCRIPTIONS))
    if draw(st.booleans()) and required is not True:
        value.default = _default_for(draw, schema, ref)
    if not value.required:
        value.deprecated = _maybe(draw, REASONS, 6)
    return value


def _args(draw: Draw, schema: GSchema, most: int) -> list[GInputValue]:
    names = draw(st.lists(st.sampled_from(ARG_WORDS), max_size=most, unique=True))
    return [_input_value(draw, schema, n, schema.input_names()) for n in names]


def _field(draw: Draw, schema: GSchema, name: str) -> GField:
    f = GField(name, _gref(draw, schema.output_names()), args=_args(draw, schema, 2),
               description=_maybe(draw, DESCRIPTIONS), deprecated=_maybe(draw, REASONS, 5))
    usable = [d.name for d in schema.directives if "FIELD_DEFINITION" in d.locations]
    if usable and draw(st.integers(0, 2)) == 0:
        f.directives = draw(st.lists(st.sampled_from(usable), min_size=1, max_size=2, unique=True))
    return f


@st.composite
def graphql_schemas(draw: Draw) -> GSchema:
    """A random valid schema: a Query root, objects, interfaces, unions, enums, inputs, scalars, directives."""
    n_obj = draw(st.integers(0, len(OBJECT_NAMES)))
    schema = GSchema(
        objects=[GObject("Query", [])] + [GObject(n, [], description=_maybe(draw, DESCRIPTIONS))
                                          for n in OBJECT_NAMES[:n_obj]],
        interfaces=[GObject(n, []) for n in INTERFACE_NAMES[:draw(st.integers(0, len(INTERFACE_NAMES)))]],
        scalars=[GScalar(n, _maybe(draw, DESCRIPTIONS), draw(st.sampled_from(SPECIFIED_BY)))
                 for n in SCALAR_NAMES[:draw(st.integers(0, 2))]],
    )
    for name in ENUM_NAMES[:draw(st.integers(0, len(ENUM_NAMES)))]:
        values = draw(st.lists(st.sampled_from(VALUE_WORDS), min_size=1, max_size=4, unique=True))
        schema.enums.append(GEnum(name, [GEnumValue(v, _maybe(draw, DESCRIPTIONS, 4), _maybe(draw, REASONS, 4))
                                         for v in values], _maybe(draw, DESCRIPTIONS)))
    for name in INPUT_NAMES[:draw(st.integers(0, len(INPUT_NAMES)))]:
        schema.inputs.append(GInput(name, [], _maybe(draw, DESCRIPTIONS)))
    for i in schema.inputs:
        words = draw(st.lists(st.sampled_from(FIELD_WORDS), min_size=1, max_size=3, unique=True))
        i.fields = [_input_value(draw, schema, w, schema.input_names(), nullable_inputs=True) for w in words]
    for name in DIRECTIVE_NAMES[:draw(st.integers(0, 3))]:
        locations = draw(st.lists(st.sampled_from(DIRECTIVE_LOCATIONS), min_size=1, max_size=3, unique=True))
        args = [_input_value(draw, schema, w, list(BUILTIN_SCALARS))
                for w in draw(st.lists(st.sampled_from(ARG_WORDS), max_size=2, unique=True))]
        schema.directives.append(GDirective(name, args, locations, draw(st.booleans()),
                                            _maybe(draw, DESCRIPTIONS)))
    for iface in schema.interfaces:
        words = draw(st.lists(st.sampled_from(IFACE_WORDS), min_size=1, max_size=2, unique=True))
        iface.fields = [_field(draw, schema, iface.name.lower() + w) for w in words]
        iface.description = _maybe(draw, DESCRIPTIONS)
    for obj in schema.objects:
        if schema.interfaces and obj.name != "Query":
            obj.interfaces = draw(st.lists(st.sampled_from([i.name for i in schema.interfaces]), max_size=2,
                                           unique=True))
        words = draw(st.lists(st.sampled_from(FIELD_WORDS), min_size=0 if obj.interfaces else 1, max_size=4,
                              unique=True))
        obj.fields = [_field(draw, schema, w) for w in words]
    objects = [o.name for o in schema.plain_objects()]
    if objects:
        for name in UNION_NAMES[:draw(st.integers(0, len(UNION_NAMES)))]:
            members = draw(st.lists(st.sampled_from(objects), min_size=1, max_size=3, unique=True))
            schema.unions.append(GUnion(name, members, _maybe(draw, DESCRIPTIONS)))
    # Query: one field per kind of type at least sometimes, so that most types are reachable
    extra = draw(st.lists(st.sampled_from(schema.output_names()), max_size=3, unique=True))
    query = schema.objects[0]
    query.fields = [_field(draw, schema, w) for w in draw(st.lists(st.sampled_from(FIELD_WORDS), min_size=1,
                                                                  max_size=3, unique=True))]
    for i, target in enumerate(extra):
        f = _field(draw, schema, f"get{target}{i}")
        f.type.name = target
        query.fields.append(f)
    if draw(st.integers(0, 2)) == 0:
        schema.objects.append(_mutation(draw, schema))
    problems = graphql_problems(schema)
    assert not problems, problems
    return schema


def _mutation(draw: Draw, schema: GSchema) -> GObject:
    names = draw(st.lists(st.sampled_from(["create", "update", "delete"]), min_size=1, max_size=2, unique=True))
    fields = []
    for name in names:
        f = _field(draw, schema, name + "Thing")
        f.args = [_input_value(draw, schema, "input", schema.input_names(), required=True), *f.args]
        fields.append(f)
    return GObject("Mutation", fields, description=_maybe(draw, DESCRIPTIONS))


# -- edits --------------------------------------------------------------------------------------

def _remove_types(schema: GSchema, doomed: set[str]) -> None:
    """Remove the named types and every usage of them; containers left empty go too (cascading)."""
    while doomed:
        name = doomed.pop()
        if name == "Query":
            raise Rejected("Query cannot go")
        schema.objects = [o for o in schema.objects if o.name != name]
        schema.interfaces = [i for i in schema.interfaces if i.name != name]
        schema.unions = [u for u in schema.unions if u.name != name]
        schema.enums = [e for e in schema.enums if e.name != name]
        schema.inputs = [i for i in schema.inputs if i.name != name]
        schema.scalars = [s for s in schema.scalars if s.name != name]
        for owner in schema.field_owners():
            owner.interfaces = [i for i in owner.interfaces if i != name]
            owner.fields = [f for f in owner.fields if f.type.name != name]
            for f in owner.fields:
                f.args = [a for a in f.args if a.type.name != name]
        for i in schema.inputs:
            i.fields = [v for v in i.fields if v.type.name != name]
        for d in schema.directives:
            d.args = [a for a in d.args if a.type.name != name]
        for u in schema.unions:
            u.members = [m for m in u.members if m != name]
        for owner in schema.field_owners():
            if not schema.all_fields(owner):
                doomed.add(owner.name)
        doomed.update(i.name for i in schema.inputs if not i.fields)
        doomed.update(u.name for u in schema.unions if not u.members)


def _pick(draw: Draw, items: list[T]) -> T:
    if not items:
        raise Rejected("nothing to pick")
    return draw(st.sampled_from(items))


def _any_field(draw: Draw, s: GSchema) -> tuple[GObject, GField]:
    owner = _pick(draw, [o for o in s.field_owners() if o.fields])
    return owner, _pick(draw, owner.fields)


def _any_input_value(draw: Draw, s: GSchema) -> GInputValue:
    return _pick(draw, s.input_values())


def _retype(draw: Draw, ref: GRef, names: list[str]) -> str:
    how = draw(st.sampled_from(["non_null", "list", "item", "name"]))
    if how == "non_null":
        ref.non_null = not ref.non_null
    elif how == "list":
        ref.is_list = not ref.is_list
        ref.item_non_null = False
    elif how == "item":
        if not ref.is_list:
            raise Rejected("not a list")
        ref.item_non_null = not ref.item_non_null
    else:
        ref.name = draw(st.sampled_from([n for n in names if n != ref.name] or names))
    return how


def _g_remove_field(draw: Draw, s: GSchema) -> str:
    owner, f = _any_field(draw, s)
    owner.fields.remove(f)
    return f"remove field {owner.name}.{f.name}"


def _g_add_field(draw: Draw, s: GSchema) -> str:
    owner = _pick(draw, s.field_owners())
    taken = {f.name for o in s.field_owners() for f in s.all_fields(o)} if owner in s.interfaces else \
        {f.name for f in s.all_fields(owner)}
    vocab = [owner.name.lower() + w for w in IFACE_WORDS] if owner in s.interfaces else list(FIELD_WORDS)
    f = _field(draw, s, _fresh(taken, vocab, owner.name.lower() + "Extra" if owner in s.interfaces else "extra"))
    owner.fields.append(f)
    return f"add field {owner.name}.{f.name}: {f.type.render()}"


def _g_field_type(draw: Draw, s: GSchema) -> str:
    owner, f = _any_field(draw, s)
    how = _retype(draw, f.type, s.output_names())
    return f"retype ({how}) {owner.name}.{f.name} to {f.type.render()}"


def _g_add_argument(draw: Draw, s: GSchema) -> str:
    owner, f = _any_field(draw, s)
    name = _fresh([a.name for a in f.args], ARG_WORDS, "arg")
    f.args.append(_input_value(draw, s, name, s.input_names(), required=draw(st.sampled_from([None, True]))))
    return f"add argument {owner.name}.{f.name}({name}: {f.args[-1].type.render()})"


def _g_remove_argument(draw: Draw, s: GSchema) -> str:
    owner, f = _any_field(draw, s)
    arg = _pick(draw, f.args)
    f.args.remove(arg)
    return f"remove argument {owner.name}.{f.name}({arg.name}:)"


def _g_input_value_type(draw: Draw, s: GSchema) -> str:
    v = _any_input_value(draw, s)
    of_directive = any(v is a for d in s.directives for a in d.args)  # applications need a literal
    how = _retype(draw, v.type, list(BUILTIN_SCALARS) if of_directive else s.input_names())
    if not _default_ok(s, v):
        v.default = _default_for(draw, s, v.type)
    return f"retype ({how}) input value {v.name} to {v.type.render()}"


def _g_default(draw: Draw, s: GSchema) -> str:
    v = _any_input_value(draw, s)
    new = _default_for(draw, s, v.type) if v.default is None or draw(st.booleans()) else None
    if new == v.default:
        raise Rejected("same default")
    v.default = new
    return f"default of {v.name} = {new}"


def _g_deprecate(draw: Draw, s: GSchema) -> str:
    kind = draw(st.sampled_from(["field", "value", "input"]))
    target: Any
    if kind == "field":
        target = _any_field(draw, s)[1]
    elif kind == "value":
        target = _pick(draw, [v for e in s.enums for v in e.values])
    else:
        target = _pick(draw, [v for v in s.input_values() if not v.required])
    reason = draw(st.sampled_from([r for r in (*REASONS, "") if r != target.deprecated]))
    target.deprecated = reason
    return f"deprecate {kind} {target.name}: {reason!r}"


def _g_description(draw: Draw, s: GSchema) -> str:
    targets: list[Any] = [*s.field_owners(), *s.enums, *s.inputs, *s.unions, *s.scalars, *s.directives,
                          *(f for o in s.field_owners() for f in o.fields), *s.input_values(),
                          *(v for e in s.enums for v in e.values)]
    target = _pick(draw, targets)
    if isinstance(target, GScalar) and draw(st.booleans()):
        target.specified_by = draw(st.sampled_from([u for u in SPECIFIED_BY if u != target.specified_by]))
        return f"{target.name} @specifiedBy {target.specified_by}"
    target.description = draw(st.sampled_from([d for d in (None, *DESCRIPTIONS) if d != target.description]))
    return f"describe {target.name}"


def _g_add_enum_value(draw: Draw, s: GSchema) -> str:
    e = _pick(draw, s.enums)
    name = _fresh([v.name for v in e.values], VALUE_WORDS, "VALUE")
    e.values.append(GEnumValue(name))
    return f"add enum value {e.name}.{name}"


def _g_remove_enum_value(draw: Draw, s: GSchema) -> str:
    e = _pick(draw, [e for e in s.enums if len(e.values) > 1])
    v = _pick(draw, e.values)
    e.values.remove(v)
    for iv in s.input_values():
        if iv.type.name == e.name and iv.default == v.name:
            iv.default = e.values[0].name
    return f"remove enum value {e.name}.{v.name}"


def _g_union_member(draw: Draw, s: GSchema) -> str:
    u = _pick(draw, s.unions)
    if draw(st.booleans()):
        m = _pick(draw, [o.name for o in s.plain_objects() if o.name not in u.members])
        u.members.append(m)
        return f"add member {m} to {u.name}"
    if len(u.members) < 2:
        raise Rejected("last member")
    m = _pick(draw, u.members)
    u.members.remove(m)
    return f"remove member {m} from {u.name}"


def _g_input_field(draw: Draw, s: GSchema) -> str:
    i = _pick(draw, s.inputs)
    if draw(st.booleans()):
        name = _fresh([v.name for v in i.fields], FIELD_WORDS, "extra")
        i.fields.append(_input_value(draw, s, name, s.input_names(), nullable_inputs=True))
        return f"add input field {i.name}.{name}"
    v = _pick(draw, i.fields)
    i.fields.remove(v)
    return f"remove input field {i.name}.{v.name}"


def _g_remove_type(draw: Draw, s: GSchema) -> str:
    name = _pick(draw, sorted(s.names() - {"Query"}))
    _remove_types(s, {name})
    return f"remove type {name}"


def _g_add_type(draw: Draw, s: GSchema) -> str:
    kind = draw(st.sampled_from(["enum", "object", "scalar", "input", "mutation"]))
    if kind == "mutation":
        if "Mutation" in s.names():
            raise Rejected("there is a Mutation type")
        s.objects.append(_mutation(draw, s))
        return "add Mutation"
    name = _fresh(s.names(), [], "Extra" + kind.title())
    if kind == "enum":
        s.enums.append(GEnum(name, [GEnumValue("ONE")]))
    elif kind == "object":
        s.objects.append(GObject(name, [GField("id", GRef("ID", non_null=True))]))
    elif kind == "scalar":
        s.scalars.append(GScalar(name))
    else:
        s.inputs.append(GInput(name, [GInputValue("id", GRef("ID"))]))
    if kind != "input" and draw(st.booleans()):
        s.objects[0].fields.append(GField(_fresh([f.name for f in s.objects[0].fields], [], "extra"), GRef(name)))
    return f"add {kind} {name}"


def _g_interface(draw: Draw, s: GSchema) -> str:
    obj = _pick(draw, s.plain_objects())
    if draw(st.booleans()):
        iface = _pick(draw, [i.name for i in s.interfaces if i.name not in obj.interfaces])
        obj.interfaces.append(iface)
        return f"{obj.name} implements {iface}"
    iface = _pick(draw, obj.interfaces)
    obj.interfaces.remove(iface)
    return f"{obj.name} no longer implements {iface}"


def _g_enum_to_scalar(draw: Draw, s: GSchema) -> str:
    e = _pick(draw, s.enums)
    s.enums.remove(e)
    s.scalars.append(GScalar(e.name, e.description))
    for v in s.input_values():
        if v.type.name == e.name:
            v.default = None
    return f"enum {e.name} became a scalar"


def _g_directive(draw: Draw, s: GSchema) -> str:
    how = draw(st.sampled_from(["add", "remove", "arg", "location", "repeatable", "apply"]))
    if how == "add":
        name = _fresh([d.name for d in s.directives], DIRECTIVE_NAMES, "dir")
        s.directives.append(GDirective(name, [], ["FIELD_DEFINITION"]))
        return f"add directive @{name}"
    d = _pick(draw, s.directives)
    if how == "remove":
        s.directives.remove(d)
        for owner in s.field_owners():
            for f in owner.fields:
                f.directives = [x for x in f.directives if x != d.name]
        return f"remove directive @{d.name}"
    if how == "arg":
        if d.args and draw(st.booleans()):
            a = draw(st.sampled_from(d.args))
            d.args.remove(a)
            return f"remove argument @{d.name}({a.name}:)"
        name = _fresh([a.name for a in d.args], ARG_WORDS, "arg")
        d.args.append(_input_value(draw, s, name, list(BUILTIN_SCALARS)))
        return f"add argument @{d.name}({name}: {d.args[-1].type.render()})"
    if how == "location":
        free = [loc for loc in DIRECTIVE_LOCATIONS if loc not in d.locations]
        if free and draw(st.booleans()):
            d.locations.append(draw(st.sampled_from(free)))
            return f"add location {d.locations[-1]} to @{d.name}"
        loc = _pick(draw, d.locations)
        d.locations.remove(loc)
        return f"remove location {loc} from @{d.name}"
    if how == "repeatable":
        d.repeatable = not d.repeatable
        return f"@{d.name} repeatable={d.repeatable}"
    owner, f = _any_field(draw, s)
    if d.name in f.directives:
        f.directives.remove(d.name)
        return f"unapply @{d.name} on {owner.name}.{f.name}"
    f.directives.append(d.name)
    return f"apply @{d.name} on {owner.name}.{f.name}"


GRAPHQL_EDITS: dict[str, Callable[[Draw, GSchema], str]] = {
    "remove-field": _g_remove_field, "add-field": _g_add_field, "field-type": _g_field_type,
    "add-argument": _g_add_argument, "remove-argument": _g_remove_argument, "input-type": _g_input_value_type,
    "default": _g_default, "deprecate": _g_deprecate, "description": _g_description,
    "add-enum-value": _g_add_enum_value, "remove-enum-value": _g_remove_enum_value, "union": _g_union_member,
    "input-field": _g_input_field, "remove-type": _g_remove_type, "add-type": _g_add_type,
    "interface": _g_interface, "enum-to-scalar": _g_enum_to_scalar, "directive": _g_directive,
}


EDIT_WEIGHTS = {"directive": 3, "schema-keyword": 4, "parameter": 2, "property": 2, "field-type": 2,
                "input-type": 2, "deprecate": 2}


def _edited(draw: Draw, model: T, edits: dict[str, Callable[[Draw, T], str]],
            problems: Callable[[T], list[str]]) -> tuple[T, list[str]]:
    """``model`` after 1-4 random edits that keep it valid, and what they were."""
    count = draw(st.integers(1, 4))
    done: list[str] = []
    attempts = 0
    names = [name for name in sorted(edits) for _ in range(EDIT_WEIGHTS.get(name, 1))]
    while len(done) < count and attempts < 40:
        attempts += 1
        candidate = copy.deepcopy(model)
        try:
            what = edits[draw(st.sampled_from(names))](draw, candidate)
        except Rejected:
            continue
        if problems(candidate):
            continue
        model = candidate
        done.append(what)
    return model, done


@st.composite
def graphql_pairs(draw: Draw) -> tuple[GSchema, GSchema, list[str]]:
    """A schema, the same schema after 1-4 edits, and the edits."""
    old = draw(graphql_schemas())
    new, edits = _edited(draw, old, GRAPHQL_EDITS, graphql_problems)
    return old, new, edits


# =============================================================================================
# OpenAPI 3.0

PATHS = ("/items", "/items/{itemId}", "/users/{userId}/orders", "/health", "/stores/{storeId}/items/{itemId}")
PARAM_WORDS = ("limit", "offset", "sort", "q", "expand", "verbose")
HEADER_WORDS = ("X-Request-Id", "X-Trace", "X-Tenant")
COMPONENT_NAMES = ("Pet", "Owner", "Tag", "Error", "Order")
PROP_WORDS = ("id", "name", "status", "tags", "owner", "createdAt", "price", "count", "note")
FORMATS = {"string": (None, "date", "date-time", "uuid", "email"), "integer": (None, "int32", "int64"),
           "number": (None, "float", "double"), "boolean": (None,)}
STATUSES = ("200", "201", "204", "400", "404", "default")
SUNSETS = (None, "2025-01-31", "2027-06-30")
SCHEME_NAMES = ("bearerAuth", "apiKey")


@dataclass
class OSchema:
    """A JSON Schema: a ``ref`` to a component, or a typed schema."""

    type: str | None = None
    ref: str | None = None
    format: str | None = None
    enum: list[Any] | None = None
    minimum: int | None = None
    maximum: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    nullable: bool = False
    items: OSchema | None = None
    properties: dict[str, OSchema] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    description: str | None = None
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False
    default: Any = None
    min_items: int | None = None
    max_items: int | None = None
    additional: bool | OSchema | None = None  # additionalProperties
    one_of: list[OSchema] = field(default_factory=list)
    all_of: list[OSchema] = field(default_factory=list)

    def children(self) -> list[OSchema]:
        out = [x for x in (self.items, self.additional) if isinstance(x, OSchema)]
        return [*out, *self.properties.values(), *self.one_of, *self.all_of]

    def nodes(self) -> list[OSchema]:
        out = [self]
        for sub in self.children():
            out.extend(sub.nodes())
        return out


@dataclass
class OParam:
    name: str
    location: str  # path | query | header
    schema: OSchema
    required: bool = False
    description: str | None = None
    deprecated: bool = False
    sunset: str | None = None


@dataclass
class OResponse:
    status: str
    schema: OSchema | None = None
    description: str = "ok"
    headers: dict[str, tuple[bool, OSchema]] = field(default_factory=dict)
    media: list[str] = field(default_factory=lambda: ["application/json"])  # each with ``schema``


@dataclass
class OOperation:
    method: str
    operation_id: str
    parameters: list[OParam] = field(default_factory=list)
    body: OSchema | None = None
    body_required: bool = False
    responses: list[OResponse] = field(default_factory=list)
    summary: str | None = None
    deprecated: bool = False
    sunset: str | None = None
    body_media: list[str] = field(default_factory=lambda: ["application/json"])
    security: list[str] | None = None  # names of security schemes (each one alternative); None: the default


@dataclass
class OPath:
    template: str
    operations: list[OOperation]


@dataclass
class ODoc:
    paths: list[OPath]
    components: dict[str, OSchema] = field(default_factory=dict)
    version: str = "3.0.3"
    security_schemes: dict[str, str] = field(default_factory=dict)  # name -> "bearer" | "apiKey"
    security: list[str] = field(default_factory=list)  # the global requirement

    def schemas(self) -> list[OSchema]:
        """Every schema node, in components, parameters, bodies, responses and headers."""
        roots: list[OSchema] = list(self.components.values())
        for p in self.paths:
            for op in p.operations:
                roots.extend(par.schema for par in op.parameters)
                roots.extend([op.body] if op.body is not None else [])
                for r in op.responses:
                    roots.extend([r.schema] if r.schema is not None else [])
                    roots.extend(h for _, h in r.headers.values())
        return [n for root in roots for n in root.nodes()]

    def operations(self) -> list[tuple[OPath, OOperation]]:
        return [(p, op) for p in self.paths for op in p.operations]


def path_params(template: str) -> list[str]:
    return [part[1:-1] for part in template.split("/") if part.startswith("{")]


# -- rendering ----------------------------------------------------------------------------------

def _keys(rng: random.Random | None, mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: mapping[k] for k in _order(rng, mapping)}


def schema_dict(s: OSchema, rng: random.Random | None = None) -> dict[str, Any]:
    if s.ref is not None:
        return {"$ref": f"#/components/schemas/{s.ref}"}
    out: dict[str, Any] = {}
    if s.type is not None:
        out["type"] = s.type
    for key, value in (("format", s.format), ("minimum", s.minimum), ("maximum", s.maximum),
                       ("minLength", s.min_length), ("maxLength", s.max_length), ("description", s.description),
                       ("default", s.default), ("minItems", s.min_items), ("maxItems", s.max_items)):
        if value is not None:
            out[key] = value
    if s.enum is not None:
        out["enum"] = _order(rng, s.enum)
    if s.nullable:
        out["nullable"] = True
    if s.deprecated:
        out["deprecated"] = True
    if s.read_only:
        out["readOnly"] = True
    if s.write_only:
        out["writeOnly"] = True
    if s.items is not None:
        out["items"] = schema_dict(s.items, rng)
    if s.type == "object":
        out["properties"] = {k: schema_dict(v, rng) for k, v in _keys(rng, s.properties).items()}
        if s.required:
            out["required"] = _order(rng, s.required)
    if s.additional is not None:
        out["additionalProperties"] = schema_dict(s.additional, rng) if isinstance(s.additional, OSchema) \
            else s.additional
    if s.one_of:
        out["oneOf"] = [schema_dict(x, rng) for x in _order(rng, s.one_of)]  # branch order is not meaning
    if s.all_of:
        out["allOf"] = [schema_dict(x, rng) for x in s.all_of]
    return _keys(rng, out)


def openapi_dict(doc: ODoc, rng: random.Random | None = None) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for p in _order(rng, doc.paths):
        item: dict[str, Any] = {}
        for op in _order(rng, p.operations):
            o: dict[str, Any] = {"operationId": op.operation_id}
            if op.summary is not None:
                o["summary"] = op.summary
            if op.deprecated:
                o["deprecated"] = True
            if op.sunset is not None:
                o["x-sunset"] = op.sunset
            if op.parameters:
                o["parameters"] = [_param_dict(par, rng) for par in _order(rng, op.parameters)]
            if op.body is not None:
                o["requestBody"] = {"required": op.body_required,
                                    "content": {m: {"schema": schema_dict(op.body, rng)}
                                                for m in _order(rng, op.body_media)}}
            if op.security is not None:
                o["security"] = [{name: []} for name in _order(rng, op.security)]
            responses: dict[str, Any] = {}
            for r in _order(rng, op.responses):
                resp: dict[str, Any] = {"description": r.description}
                if r.schema is not None:
                    resp["content"] = {m: {"schema": schema_dict(r.schema, rng)} for m in _order(rng, r.media)}
                if r.headers:
                    resp["headers"] = {name: {"required": req, "schema": schema_dict(h, rng)}
                                       for name, (req, h) in _keys(rng, r.headers).items()}
                responses[r.status] = _keys(rng, resp)
            o["responses"] = responses
            item[op.method] = _keys(rng, o)
        paths[p.template] = item
    out: dict[str, Any] = {"openapi": doc.version, "info": {"title": "Generated", "version": "1.0.0"},
                           "paths": paths}
    components: dict[str, Any] = {}
    if doc.components:
        components["schemas"] = {k: schema_dict(v, rng) for k, v in _keys(rng, doc.components).items()}
    if doc.security_schemes:
        components["securitySchemes"] = {
            name: {"type": "http", "scheme": "bearer"} if kind == "bearer" else
            {"type": "apiKey", "in": "header", "name": "X-Api-Key"}
            for name, kind in _keys(rng, doc.security_schemes).items()}
    if components:
        out["components"] = _keys(rng, components)
    if doc.security:
        out["security"] = [{name: []} for name in _order(rng, doc.security)]
    return _keys(rng, out)


def _param_dict(p: OParam, rng: random.Random | None) -> dict[str, Any]:
    out: dict[str, Any] = {"name": p.name, "in": p.location, "required": p.required,
                           "schema": schema_dict(p.schema, rng)}
    if p.description is not None:
        out["description"] = p.description
    if p.deprecated:
        out["deprecated"] = True
    if p.sunset is not None:
        out["x-sunset"] = p.sunset
    return _keys(rng, out)


def render_openapi(doc: ODoc, rng: random.Random | None = None, style: str = "json") -> str:
    """The document as JSON (``style="json"``, indented; ``"compact"``: one line) or YAML text
    (``"yaml"``; ``"yaml-sorted"``: keys sorted, as PyYAML writes by default)."""
    data = openapi_dict(doc, rng)
    if style in ("yaml", "yaml-sorted"):
        return yaml.safe_dump(data, sort_keys=style == "yaml-sorted", allow_unicode=True)
    if style == "compact":
        return json.dumps(data, ensure_ascii=False)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# -- validity -----------------------------------------------------------------------------------

def openapi_problems(doc: ODoc) -> list[str]:
    problems = []
    if not doc.operations():
        problems.append("no operations")
    ids = [op.operation_id for _, op in doc.operations()]
    if len(ids) != len(set(ids)):
        problems.append("duplicate operationId")
    for p in doc.paths:
        if not p.operations:
            problems.append(f"{p.template} has no operations")
        for op in p.operations:
            declared = sorted(par.name for par in op.parameters if par.location == "path")
            if declared != sorted(path_params(p.template)):
                problems.append(f"{op.method} {p.template} path parameters {declared}")
            keys = [(par.location, par.name.lower()) for par in op.parameters]
            if len(keys) != len(set(keys)):
                problems.append(f"{op.method} {p.template} duplicate parameters")
            if not op.responses:
                problems.append(f"{op.method} {p.template} has no responses")
    templates = [p.template for p in doc.paths]
    shapes = [tuple("{}" if part.startswith("{") else part for part in t.split("/")) for t in templates]
    if len(set(shapes)) != len(shapes):
        problems.append("two paths of the same shape")
    for s in doc.schemas():
        if s.ref is not None and s.ref not in doc.components:
            problems.append(f"dangling $ref {s.ref}")
        if s.type == "object" and any(r not in s.properties for r in s.required):
            problems.append("required names a missing property")
        if s.type == "array" and s.items is None:
            problems.append("array without items")
        if s.nullable and s.type is None:
            problems.append("nullable without type")
        if s.enum is not None and (not s.enum or len(set(map(repr, s.enum))) != len(s.enum)):
            problems.append("bad enum")
        if s.min_items is not None and s.max_items is not None and s.min_items > s.max_items:
            problems.append("minItems > maxItems")
    for _, op in doc.operations():
        for name in [*(op.security or ()), *doc.security]:
            if name not in doc.security_schemes:
                problems.append(f"undefined security scheme {name}")
    return problems


# -- generation ---------------------------------------------------------------------------------

def _primitive(draw: Draw, kind: str | None = None) -> OSchema:
    kind = kind or draw(st.sampled_from(["string", "integer", "number", "boolean"]))
    s = OSchema(type=kind, format=draw(st.sampled_from(FORMATS[kind])))
    if kind == "string":
        if draw(st.integers(0, 2)) == 0:
            s.enum = draw(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=3, unique=True))
            s.format = None
        else:
            s.min_length = _maybe(draw, (0, 1, 3))
            s.max_length = _maybe(draw, (10, 50, 100))
    elif kind in ("integer", "number"):
        if draw(st.integers(0, 3)) == 0:
            s.enum = draw(st.lists(st.sampled_from([1, 2, 3, 5]), min_size=1, max_size=3, unique=True))
        else:
            s.minimum = _maybe(draw, (0, 1, -10))
            s.maximum = _maybe(draw, (100, 1000))
    s.nullable = draw(st.integers(0, 4)) == 0
    s.description = _maybe(draw, DESCRIPTIONS, 5)
    if s.format is None and draw(st.integers(0, 5)) == 0:  # a default must match the format
        s.default = _default_value(draw, s)
    return s


def _default_value(draw: Draw, s: OSchema) -> Any:
    if s.enum:
        return draw(st.sampled_from(s.enum))
    # values inside every bound the strategies draw (minLength <= 5 <= maxLength, minimum <= 5 <= maximum)
    return draw(st.sampled_from({"string": ["abcde", "fghij"], "integer": [5, 7], "number": [5.5, 7],
                                 "boolean": [True, False]}.get(s.type or "", [None])))


def _schema(draw: Draw, components: list[str], depth: int = 0) -> OSchema:
    """A property or body schema: a primitive, a ref, an array or (shallowly) an inline object."""
    choices = ["primitive", "primitive", "array"] + (["ref", "ref"] if components else []) + \
        (["object", "oneOf", "allOf", "map"] if depth == 0 else [])
    how = draw(st.sampled_from(choices))
    if how == "primitive":
        return _primitive(draw)
    if how == "ref":
        return OSchema(ref=draw(st.sampled_from(components)))
    if how == "array":
        return OSchema(type="array", items=_schema(draw, components, depth + 1), min_items=_maybe(draw, (0, 1)),
                       max_items=_maybe(draw, (5, 10)))
    if how == "oneOf":
        return OSchema(one_of=[_branch(draw, components) for _ in range(draw(st.integers(1, 3)))])
    if how == "allOf":
        parts = [OSchema(ref=draw(st.sampled_from(components)))] if components else []
        return OSchema(all_of=[*parts, _object(draw, components, depth + 1)])
    if how == "map":
        return OSchema(type="object", additional=_primitive(draw) if draw(st.booleans()) else True)
    return _object(draw, components, depth + 1)


def _branch(draw: Draw, components: list[str]) -> OSchema:
    if components and draw(st.booleans()):
        return OSchema(ref=draw(st.sampled_from(components)))
    return _primitive(draw)


def _object(draw: Draw, components: list[str], depth: int) -> OSchema:
    names = draw(st.lists(st.sampled_from(PROP_WORDS), min_size=1, max_size=4, unique=True))
    s = OSchema(type="object", properties={n: _schema(draw, components, depth) for n in names},
                description=_maybe(draw, DESCRIPTIONS, 4))
    s.required = [n for n in names if draw(st.booleans())]
    for prop in s.properties.values():
        if prop.ref is None and draw(st.integers(0, 7)) == 0:
            prop.deprecated = True
        if prop.ref is None and draw(st.integers(0, 9)) == 0:
            prop.read_only = True
        elif prop.ref is None and draw(st.integers(0, 11)) == 0:
            prop.write_only = True
    if draw(st.integers(0, 5)) == 0:
        s.additional = False
    return s


def _body(draw: Draw, components: list[str]) -> OSchema:
    how = draw(st.sampled_from(["ref", "array", "object"] if components else ["object"]))
    if how == "ref":
        return OSchema(ref=draw(st.sampled_from(components)))
    if how == "array":
        return OSchema(type="array", items=OSchema(ref=draw(st.sampled_from(components))))
    return _object(draw, components, 1)


def _param(draw: Draw, name: str, location: str) -> OParam:
    schema = _primitive(draw, "string" if location == "header" else None)
    if location == "query" and draw(st.integers(0, 4)) == 0:
        schema = OSchema(type="array", items=_primitive(draw, "string"))
    schema.nullable = False
    deprecated = location != "path" and draw(st.integers(0, 5)) == 0
    return OParam(name, location, schema, required=location == "path" or draw(st.booleans()),
                  description=_maybe(draw, DESCRIPTIONS, 4), deprecated=deprecated,
                  sunset=_maybe(draw, SUNSETS[1:]) if deprecated else None)


def _response(draw: Draw, status: str, components: list[str]) -> OResponse:
    r = OResponse(status, None if status == "204" else _body(draw, components),
                  description=draw(st.sampled_from(["ok", "Created", "Not found"])))
    if draw(st.integers(0, 4)) == 0:
        r.media.append("application/xml")
    if draw(st.integers(0, 3)) == 0:
        name = draw(st.sampled_from(HEADER_WORDS))
        r.headers[name] = (draw(st.booleans()), _primitive(draw, draw(st.sampled_from(["string", "integer"]))))
    return r


def _operation(draw: Draw, template: str, method: str, components: list[str], taken_ids: set[str],
               schemes: list[str]) -> OOperation:
    op_id = _fresh(taken_ids, [f"{method}{template.replace('/', '_').replace('{', '').replace('}', '')}"], "op")
    taken_ids.add(op_id)
    op = OOperation(method, op_id, summary=_maybe(draw, DESCRIPTIONS, 3))
    op.parameters = [_param(draw, n, "path") for n in path_params(template)]
    for name in draw(st.lists(st.sampled_from(PARAM_WORDS), max_size=3, unique=True)):
        op.parameters.append(_param(draw, name, "query"))
    for name in draw(st.lists(st.sampled_from(HEADER_WORDS), max_size=1, unique=True)):
        op.parameters.append(_param(draw, name, "header"))
    if method in ("post", "put") and draw(st.integers(0, 3)) > 0:
        op.body = _body(draw, components)
        op.body_required = draw(st.booleans())
    statuses = draw(st.lists(st.sampled_from(STATUSES), min_size=1, max_size=3, unique=True))
    op.responses = [_response(draw, s, components) for s in statuses]
    if draw(st.integers(0, 6)) == 0:
        op.deprecated = True
        op.sunset = _maybe(draw, SUNSETS[1:], 2)
    if schemes and draw(st.integers(0, 3)) == 0:
        op.security = draw(st.lists(st.sampled_from(schemes), max_size=2, unique=True))
    return op


@st.composite
def openapi_docs(draw: Draw, all_of: bool = True) -> ODoc:
    """A random valid OpenAPI 3.0 document (``all_of=False``: without ``allOf``)."""
    components = draw(st.lists(st.sampled_from(COMPONENT_NAMES), max_size=4, unique=True))
    doc = ODoc(paths=[])
    for name in components:
        if draw(st.integers(0, 5)) == 0:
            doc.components[name] = OSchema(type="string", enum=["x", "y"], description=_maybe(draw, DESCRIPTIONS))
        else:
            doc.components[name] = _object(draw, components, 0)
    for name in draw(st.lists(st.sampled_from(SCHEME_NAMES), max_size=2, unique=True)):
        doc.security_schemes[name] = draw(st.sampled_from(["bearer", "apiKey"]))
    schemes = sorted(doc.security_schemes)
    if schemes and draw(st.booleans()):
        doc.security = [draw(st.sampled_from(schemes))]
    templates = draw(st.lists(st.sampled_from(PATHS), min_size=1, max_size=3, unique=True))
    ids: set[str] = set()
    for template in templates:
        methods = draw(st.lists(st.sampled_from(["get", "post", "put", "delete"]), min_size=1, max_size=2,
                                unique=True))
        doc.paths.append(OPath(template, [_operation(draw, template, m, components, ids, schemes)
                                          for m in methods]))
    if not all_of:
        doc = _simplified(doc, True, False)
    problems = openapi_problems(doc)
    assert not problems, problems
    return doc


# -- edits --------------------------------------------------------------------------------------

def _any_op(draw: Draw, d: ODoc) -> tuple[OPath, OOperation]:
    return _pick(draw, d.operations())


def _o_operation(draw: Draw, d: ODoc) -> str:
    if draw(st.booleans()):
        p, op = _any_op(draw, d)
        p.operations.remove(op)
        if not p.operations:
            d.paths.remove(p)
        return f"remove {op.method} {p.template}"
    template = draw(st.sampled_from(PATHS))
    p = next((x for x in d.paths if x.template == template), None)
    if p is None:
        p = OPath(template, [])
        d.paths.append(p)
    method = _pick(draw, [m for m in ("get", "post", "put", "delete", "patch") if m not in
                          {o.method for o in p.operations}])
    p.operations.append(_operation(draw, template, method, list(d.components),
                                   {o.operation_id for _, o in d.operations()}, sorted(d.security_schemes)))
    return f"add {method} {template}"


def _o_parameter(draw: Draw, d: ODoc) -> str:
    p, op = _any_op(draw, d)
    how = draw(st.sampled_from(["add", "remove", "required", "deprecate", "describe"]))
    if how == "add":
        location = draw(st.sampled_from(["query", "header"]))
        words = PARAM_WORDS if location == "query" else HEADER_WORDS
        name = _fresh([x.name for x in op.parameters], words, "extra")
        op.parameters.append(_param(draw, name, location))
        return f"add {location} parameter {name} to {op.method} {p.template}"
    par = _pick(draw, [x for x in op.parameters if x.location != "path"])
    if how == "remove":
        op.parameters.remove(par)
    elif how == "required":
        par.required = not par.required
    elif how == "deprecate":
        par.deprecated = not par.deprecated
        par.sunset = draw(st.sampled_from(SUNSETS)) if par.deprecated else None
    else:
        par.description = draw(st.sampled_from([x for x in (None, *DESCRIPTIONS) if x != par.description]))
    return f"{how} parameter {par.name} of {op.method} {p.template}"


_KEYWORD_FITS: dict[str, Callable[[OSchema], bool]] = {
    "type": lambda s: s.type in FORMATS,
    "format": lambda s: s.type in FORMATS and s.type != "boolean",
    "enum-add": lambda s: s.enum is not None,
    "enum-remove": lambda s: s.enum is not None and len(s.enum) > 1,
    "minimum": lambda s: s.type in ("integer", "number") and s.enum is None,
    "maximum": lambda s: s.type in ("integer", "number") and s.enum is None,
    "min_length": lambda s: s.type == "string" and s.enum is None,
    "max_length": lambda s: s.type == "string" and s.enum is None,
    "nullable": lambda s: s.type is not None,
    "description": lambda s: s.ref is None,
    "default": lambda s: s.type in FORMATS and s.format is None,
    "min_items": lambda s: s.type == "array",
    "max_items": lambda s: s.type == "array",
    "additional": lambda s: s.type == "object",
    "one_of": lambda s: bool(s.one_of),
    "access": lambda s: s.ref is None and s.type is not None,
}


def _o_schema_keyword(draw: Draw, d: ODoc) -> str:
    how = draw(st.sampled_from(sorted(_KEYWORD_FITS)))
    s = _pick(draw, [s for s in d.schemas() if s.ref is None and _KEYWORD_FITS[how](s)])
    if how == "type":
        new = draw(st.sampled_from([t for t in FORMATS if t != s.type]))
        s.type, s.format, s.enum, s.default = new, None, None, None
        s.minimum = s.maximum = s.min_length = s.max_length = None
    elif how == "format":
        s.format = draw(st.sampled_from([f for f in FORMATS[s.type or ""] if f != s.format]))
        s.default = None
    elif how == "enum-add":
        assert s.enum is not None
        pool = ["a", "b", "c", "d", "x", "y", "z"] if s.type == "string" else [1, 2, 3, 5, 8]
        s.enum.append(_pick(draw, [v for v in pool if v not in s.enum]))
    elif how == "enum-remove":
        assert s.enum is not None
        s.enum.remove(draw(st.sampled_from(s.enum)))
        if s.default is not None and s.default not in s.enum:
            s.default = s.enum[0]
    elif how in ("minimum", "maximum", "min_length", "max_length", "min_items", "max_items"):
        pool = {"minimum": (None, -5, 0, 1), "maximum": (None, 10, 100, 500), "min_length": (None, 0, 2, 5),
                "max_length": (None, 8, 20, 64), "min_items": (None, 0, 1, 2), "max_items": (None, 3, 10)}[how]
        setattr(s, how, draw(st.sampled_from([v for v in pool if v != getattr(s, how)])))
    elif how == "default":
        s.default = None if s.default is not None and draw(st.booleans()) else _default_value(draw, s)
    elif how == "additional":
        s.additional = draw(st.sampled_from([x for x in (None, True, False, "schema") if x != s.additional]))
        if s.additional == "schema":
            s.additional = _primitive(draw)
    elif how == "one_of":
        if len(s.one_of) > 1 and draw(st.booleans()):
            s.one_of.remove(draw(st.sampled_from(s.one_of)))
        else:
            s.one_of.append(_branch(draw, list(d.components)))
    elif how == "access":
        s.read_only, s.write_only = draw(st.sampled_from([(a, b) for a, b in ((False, False), (True, False),
                                                                                (False, True))
                                                           if (a, b) != (s.read_only, s.write_only)]))
    elif how == "nullable":
        s.nullable = not s.nullable
    else:
        s.description = draw(st.sampled_from([x for x in (None, *DESCRIPTIONS) if x != s.description]))
    return f"schema {how} ({s.type})"


def _o_property(draw: Draw, d: ODoc) -> str:
    s = _pick(draw, [s for s in d.schemas() if s.type == "object"])
    how = draw(st.sampled_from(["add", "remove", "required", "deprecate", "retype"]))
    if how == "add":
        name = _fresh(s.properties, PROP_WORDS, "extra")
        s.properties[name] = _schema(draw, list(d.components), 1)
        if draw(st.booleans()):
            s.required.append(name)
        return f"add property {name}"
    name = _pick(draw, sorted(s.properties))
    if how == "remove":
        if len(s.properties) < 2:
            raise Rejected("last property")
        del s.properties[name]
        s.required = [r for r in s.required if r != name]
    elif how == "required":
        s.required = [r for r in s.required if r != name] if name in s.required else [*s.required, name]
    elif how == "deprecate":
        if s.properties[name].ref is not None:
            raise Rejected("a $ref has no siblings in 3.0")
        s.properties[name].deprecated = not s.properties[name].deprecated
    else:
        s.properties[name] = _schema(draw, list(d.components), 1)
    return f"{how} property {name}"


def _o_body(draw: Draw, d: ODoc) -> str:
    p, op = _any_op(draw, d)
    how = draw(st.sampled_from(["toggle", "required", "replace"]))
    if how == "toggle":
        op.body = None if op.body is not None else _body(draw, list(d.components))
        op.body_required = draw(st.booleans())
    elif how == "required":
        if op.body is None:
            raise Rejected("no body")
        op.body_required = not op.body_required
    else:
        op.body = _body(draw, list(d.components))
    return f"body {how} of {op.method} {p.template}"


def _o_response(draw: Draw, d: ODoc) -> str:
    p, op = _any_op(draw, d)
    how = draw(st.sampled_from(["add", "remove", "replace", "header"]))
    if how == "add":
        status = _pick(draw, [s for s in STATUSES if s not in {r.status for r in op.responses}])
        op.responses.append(_response(draw, status, list(d.components)))
        return f"add response {status} to {op.method} {p.template}"
    r = _pick(draw, op.responses)
    if how == "remove":
        if len(op.responses) < 2:
            raise Rejected("last response")
        op.responses.remove(r)
    elif how == "replace":
        if r.status == "204":
            raise Rejected("no content")
        r.schema = _body(draw, list(d.components))
    else:
        name = draw(st.sampled_from(HEADER_WORDS))
        if name in r.headers and draw(st.booleans()):
            del r.headers[name]
        elif name in r.headers:
            r.headers[name] = (not r.headers[name][0], r.headers[name][1])
        else:
            r.headers[name] = (draw(st.booleans()), _primitive(draw, "string"))
    return f"{how} response {r.status} of {op.method} {p.template}"


def _o_component(draw: Draw, d: ODoc) -> str:
    if draw(st.booleans()):
        name = _fresh(d.components, COMPONENT_NAMES, "Extra")
        d.components[name] = _object(draw, [*d.components, name], 1)
        return f"add component {name}"
    name = _pick(draw, sorted(d.components))
    del d.components[name]
    for s in d.schemas():  # usages become inline strings
        if s.ref == name:
            s.ref, s.type = None, "string"
    return f"remove component {name}"


def _o_media(draw: Draw, d: ODoc) -> str:
    p, op = _any_op(draw, d)
    target: Any = op if op.body is not None and draw(st.booleans()) else _pick(draw, [r for r in op.responses
                                                                                      if r.schema is not None])
    media = target.body_media if isinstance(target, OOperation) else target.media
    if len(media) > 1 and draw(st.booleans()):
        media.remove(draw(st.sampled_from(media)))
    else:
        media.append(_pick(draw, [m for m in ("application/json", "application/xml", "text/plain")
                                  if m not in media]))
    return f"media types {media} in {op.method} {p.template}"


def _o_security(draw: Draw, d: ODoc) -> str:
    how = draw(st.sampled_from(["scheme", "global", "operation"]))
    if how == "scheme":
        name = _pick(draw, list(SCHEME_NAMES))
        if name in d.security_schemes and draw(st.booleans()):
            del d.security_schemes[name]
            d.security = [x for x in d.security if x != name]
            for _, op in d.operations():
                if op.security is not None:
                    op.security = [x for x in op.security if x != name]
            return f"remove security scheme {name}"
        d.security_schemes[name] = "apiKey" if d.security_schemes.get(name) == "bearer" else "bearer"
        return f"security scheme {name} is {d.security_schemes[name]}"
    schemes = sorted(d.security_schemes)
    if how == "global":
        d.security = draw(st.lists(st.sampled_from(schemes), max_size=2, unique=True)) if schemes else []
        return f"global security {d.security}"
    p, op = _any_op(draw, d)
    op.security = draw(st.none() | st.lists(st.sampled_from(schemes), max_size=2, unique=True)) if schemes else None
    return f"security {op.security} on {op.method} {p.template}"


def _o_operation_meta(draw: Draw, d: ODoc) -> str:
    p, op = _any_op(draw, d)
    how = draw(st.sampled_from(["deprecate", "summary", "operation-id", "rename-path-parameter"]))
    if how == "deprecate":
        op.deprecated = not op.deprecated or draw(st.booleans())
        op.sunset = draw(st.sampled_from([x for x in SUNSETS if x != op.sunset])) if op.deprecated else None
    elif how == "summary":
        op.summary = draw(st.sampled_from([x for x in (None, *DESCRIPTIONS) if x != op.summary]))
    elif how == "operation-id":
        op.operation_id = _fresh({o.operation_id for _, o in d.operations()}, [], op.operation_id + "V")
    else:
        old = _pick(draw, path_params(p.template))
        new = old.removesuffix("Id") + "Key"
        p.template = p.template.replace("{" + old + "}", "{" + new + "}")
        for o in p.operations:
            for par in o.parameters:
                if par.location == "path" and par.name == old:
                    par.name = new
    return f"{how} {op.method} {p.template}"


OPENAPI_EDITS: dict[str, Callable[[Draw, ODoc], str]] = {
    "operation": _o_operation, "parameter": _o_parameter, "schema-keyword": _o_schema_keyword,
    "property": _o_property, "body": _o_body, "response": _o_response, "component": _o_component,
    "operation-meta": _o_operation_meta, "media": _o_media, "security": _o_security,
}


def _simplified(doc: ODoc, access: bool, all_of: bool) -> ODoc:
    """``doc`` without readOnly/writeOnly (unless ``access``) and with each allOf replaced by its
    inline object (unless ``all_of``)."""
    doc = copy.deepcopy(doc)
    for s in doc.schemas():
        if not access:
            s.read_only = s.write_only = False
        if not all_of and s.all_of:
            inline = s.all_of[-1]
            s.all_of, s.type, s.properties, s.required = [], "object", inline.properties, inline.required
    return doc


@st.composite
def openapi_pairs(draw: Draw, access: bool = True, all_of: bool = True) -> tuple[ODoc, ODoc, list[str]]:
    """A document, the same document after 1-4 edits, and the edits. ``access=False``: no property is
    ``readOnly`` or ``writeOnly``; ``all_of=False``: no ``allOf``."""
    old = draw(openapi_docs())
    new, edits = _edited(draw, old, OPENAPI_EDITS, openapi_problems)
    return _simplified(old, access, all_of), _simplified(new, access, all_of), edits


# =============================================================================================
# Garbage: mutated fragments of valid documents

@st.composite
def mangled(draw: Draw, text: str) -> str:
    """``text`` cut, spliced and sprinkled with punctuation: near-valid input for the parsers."""
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["truncate", "delete", "duplicate", "insert", "swap"]))
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 40)))
        if how == "truncate":
            text = text[:i]
        elif how == "delete":
            text = text[:i] + text[j:]
        elif how == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif how == "insert":
            junk = draw(st.text(alphabet=st.sampled_from('{}[]():,"\'\\!@#$&*|=-\n\t #/~0123456789aZ.\x00\ufeff'
                                                         "\u2028é"), max_size=6))
            text = text[:i] + junk + text[i:]
        else:
            k = draw(st.integers(0, n))
            a, b = sorted((i, k))
            text = text[:a] + text[b:] + text[a:b]
    return text
