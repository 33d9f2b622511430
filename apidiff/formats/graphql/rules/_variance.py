"""Variance of GraphQL type references (graphql-core's two functions, kept explicit).

Output positions are covariant: the server may promise more (``String`` → ``String!``).
Input positions are contravariant: the server may accept more (``Int!`` → ``Int``).
"""

from __future__ import annotations

from apidiff.formats.graphql.model import TypeRef


def safe_for_output(old: TypeRef, new: TypeRef) -> bool:
    """Every value of ``new`` is a value an old reader of ``old`` understands."""
    if old.is_list:
        return (new.is_list and safe_for_output(old.unwrap(), new.unwrap())) or (
            new.non_null and safe_for_output(old, new.unwrap()))
    if old.non_null:
        return new.non_null and safe_for_output(old.unwrap(), new.unwrap())
    return (not new.wrappers and old.name == new.name) or (new.non_null and safe_for_output(old, new.unwrap()))


def safe_for_input(old: TypeRef, new: TypeRef) -> bool:
    """Every value an old client sends as ``old`` is still accepted as ``new``."""
    if old.is_list:
        return new.is_list and safe_for_input(old.unwrap(), new.unwrap())
    if old.non_null:
        return (new.non_null and safe_for_input(old.unwrap(), new.unwrap())) or (
            not new.non_null and safe_for_input(old.unwrap(), new))
    return not new.wrappers and old.name == new.name


def only_nullability(old: TypeRef, new: TypeRef) -> str | None:
    """``"non-null"``/``"nullable"`` when the types differ only by the outermost ``!``."""
    if new.non_null and new.unwrap() == old:
        return "non-null"
    if old.non_null and old.unwrap() == new:
        return "nullable"
    return None
