"""The Thrift model: namespaces, constants, typedefs, structs (and unions and exceptions), enums and services.

Structs, enums, services, constants and typedefs are keyed by qualified name (``User`` in the file compared,
``common.User`` in a file it includes); **fields, arguments, exceptions a method throws and enum values by
number**: a name is an attribute, so a rename is a name change (wire-safe, source-breaking), not a deletion
plus an addition. Types are resolved: a typedef is its underlying type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from apidiff.core.location import Location
from apidiff.core.model import Api, Deprecation

__all__ = ["BASE_TYPES", "Const", "EnumDef", "EnumValue", "FieldDef", "Method", "Namespace", "Service", "StructDef",
           "ThriftApi", "TypeRef", "Typedef"]

BASE_TYPES = ("bool", "byte", "i16", "i32", "i64", "double", "string", "binary")


@dataclass(frozen=True, slots=True)
class TypeRef:
    """A resolved type: a base type, an enum or struct by qualified name, or a container of types."""

    kind: str  # one of BASE_TYPES, "enum", "struct", "list", "set", "map"
    name: str = ""  # the enum or struct's qualified name
    args: tuple[TypeRef, ...] = ()  # a container's element types (map: key, value)

    @property
    def text(self) -> str:
        """As written in IDL (typedefs resolved): ``i32``, ``User``, ``map<string,list<Color>>``."""
        if self.kind in ("enum", "struct"):
            return self.name
        if self.args:
            return f"{self.kind}<{','.join(a.text for a in self.args)}>"
        return self.kind

    @property
    def wire(self) -> str:
        """What the binary and compact protocols write: an enum is an ``i32``, ``binary`` a ``string``, every
        struct, union and exception a ``struct``."""
        if self.kind == "enum":
            return "i32"
        if self.kind == "binary":
            return "string"
        if self.kind == "struct":
            return "struct"
        if self.args:
            return f"{self.kind}<{','.join(a.wire for a in self.args)}>"
        return self.kind

    def named(self) -> tuple[str, ...]:
        """The qualified names of every enum and struct it refers to."""
        own = (self.name,) if self.kind in ("enum", "struct") else ()
        return own + tuple(n for a in self.args for n in a.named())


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldDef:
    """A field of a struct, an argument of a method, or an exception a method throws."""

    id: int
    name: str
    type: TypeRef
    requiredness: str = "default"  # "required", "optional" or "default" (neither written)
    default: str | None = None  # the default value, canonically written
    deprecation: Deprecation | None = None
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class StructDef:
    name: str  # qualified
    kind: str  # "struct", "union" or "exception"
    file: str
    fields: Mapping[int, FieldDef] = field(default_factory=dict)
    deprecation: Deprecation | None = None
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class EnumValue:
    number: int
    name: str
    deprecation: Deprecation | None = None
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class EnumDef:
    name: str  # qualified
    file: str
    values: Mapping[int, EnumValue] = field(default_factory=dict)
    deprecation: Deprecation | None = None
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Method:
    name: str
    service: str  # the qualified name of the service that declares it (an ancestor, for an inherited method)
    oneway: bool = False
    returns: TypeRef | None = None  # None: void
    args: Mapping[int, FieldDef] = field(default_factory=dict)
    throws: Mapping[int, FieldDef] = field(default_factory=dict)
    deprecation: Deprecation | None = None
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Service:
    name: str  # qualified
    file: str
    extends: str | None = None  # the qualified name of the service it extends
    methods: Mapping[str, Method] = field(default_factory=dict)  # its own and those it inherits
    deprecation: Deprecation | None = None
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Const:
    name: str  # qualified
    type: str  # as written
    value: str  # canonically written
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Typedef:
    name: str  # qualified
    type: TypeRef
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Namespace:
    scope: str  # the language ("py", "java", "*")
    module: str  # the file it is declared in, as a qualifier ("" for the file compared)
    name: str
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class ThriftApi(Api):
    files: tuple[str, ...] = ()  # the files read (the compared ones and those they include), as shown
    namespaces: Mapping[str, Namespace] = field(default_factory=dict)  # by "scope" or "module:scope"
    consts: Mapping[str, Const] = field(default_factory=dict)
    typedefs: Mapping[str, Typedef] = field(default_factory=dict)
    structs: Mapping[str, StructDef] = field(default_factory=dict)
    enums: Mapping[str, EnumDef] = field(default_factory=dict)
    services: Mapping[str, Service] = field(default_factory=dict)
