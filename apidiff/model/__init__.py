"""The shared type graph (see DESIGN.md): pure data, no I/O, no verdicts."""

from apidiff.model.graph import (
    LIST,
    NON_NULL,
    Api,
    AppliedDirective,
    Deprecation,
    Directive,
    EnumValue,
    Field,
    InputValue,
    Member,
    TypeDef,
    TypeKind,
    TypeRef,
)
from apidiff.model.location import Location
from apidiff.model.reach import Direction, Reach

__all__ = [
    "LIST",
    "NON_NULL",
    "Api",
    "AppliedDirective",
    "Deprecation",
    "Direction",
    "Directive",
    "EnumValue",
    "Field",
    "InputValue",
    "Location",
    "Member",
    "Reach",
    "TypeDef",
    "TypeKind",
    "TypeRef",
]
