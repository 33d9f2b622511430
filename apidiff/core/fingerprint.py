"""Telling many model values apart in linear time: hashable fingerprints of unhashable values.

Model elements are frozen dataclasses, but many hold dicts (a schema's properties, a type's fields),
so they cannot be dict keys or set members. Finding which of n elements are equal by comparing each
with every other costs O(n²); bucketing them by :func:`fingerprint` first and comparing with ``==``
only inside a bucket costs O(n) (:class:`EqualClasses`).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import Field, fields, is_dataclass
from enum import Enum
from typing import Any

__all__ = ["EqualClasses", "fingerprint"]

_ATOMS = frozenset({str, int, float, bool, bytes, type(None)})
_MAPPING, _SEQUENCE, _SET, _ENUM, _OTHER = "mapping", "sequence", "set", "enum", "other"
_KINDS: dict[type, tuple[str, ...] | str] = {}  # a class -> its compared fields (a dataclass) or its kind


def _kind(cls: type) -> tuple[str, ...] | str:
    if is_dataclass(cls):
        model_fields: tuple[Field[Any], ...] = fields(cls)
        return tuple(f.name for f in model_fields if f.compare)
    if issubclass(cls, Enum):
        return _ENUM
    if issubclass(cls, Mapping):
        return _MAPPING
    if issubclass(cls, tuple | list):
        return _SEQUENCE
    if issubclass(cls, set | frozenset):
        return _SET
    return _OTHER


def fingerprint(value: Any) -> Hashable:
    """A hashable digest of ``value`` such that ``a == b`` implies equal digests; unequal values
    may share one (an unhashable value of an unknown kind), so a bucket is still checked with ``==``.
    Follows what ``==`` reads: a dataclass's compared fields (not its location), the items of
    mappings, tuples, lists and sets."""
    cls = type(value)
    if cls in _ATOMS:
        return value  # type: ignore[no-any-return]
    kind = _KINDS.get(cls)
    if kind is None:
        kind = _KINDS[cls] = _kind(cls)
    if isinstance(kind, tuple):  # a dataclass: equal only to one of its class with equal compared fields
        return (cls, *[fingerprint(getattr(value, name)) for name in kind])
    if kind is _MAPPING:
        return frozenset([(fingerprint(k), fingerprint(v)) for k, v in value.items()])
    if kind is _SEQUENCE:
        return tuple([fingerprint(v) for v in value])
    if kind is _SET:
        return frozenset([fingerprint(v) for v in value])
    if kind is _ENUM:  # a str or int Enum equals its plain value, but hashes by its name
        return fingerprint(value.value)
    try:
        hash(value)
    except TypeError:
        return None  # unknown and unhashable: one bucket, told apart by ==
    return value  # type: ignore[no-any-return]


class EqualClasses:
    """Numbers values so that equal values get the same number (the first value of each class
    stands for it; the others are compared with it, ``==`` assumed an equivalence)."""

    def __init__(self) -> None:
        self._buckets: dict[Hashable, list[tuple[Any, int]]] = {}
        self._count = 0

    def of(self, value: Any) -> int:
        bucket = self._buckets.setdefault(fingerprint(value), [])
        for seen, number in bucket:
            if seen == value:
                return number
        number = self._count
        self._count += 1
        bucket.append((value, number))
        return number
