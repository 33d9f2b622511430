"""Pairing: an element of the old model and its counterpart in the new one.

Formats match their elements (by name, by number, by path template) and hand rules pairs; the
matcher never says "breaking". Children are paired only inside persisted parents, and a persisted
element equal to its counterpart is skipped whole.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from apidiff.core.direction import Direction
from apidiff.core.location import Location

__all__ = ["Pair", "pair_maps"]

T = TypeVar("T")
E = TypeVar("E")


@dataclass(frozen=True, slots=True)
class Pair(Generic[T]):
    """An element in the old and the new graph (``None`` on the side where it does not exist)."""

    kind: str  # "type", "field", "argument", "input-field", "enum-value", "union-member", …
    subject: str  # the coordinate reported to users: Type.field(arg:)
    old: T | None
    new: T | None
    direction: Direction
    parent: Pair[Any] | None = None
    stability: str | None = None  # x-stability-level of the operation it belongs to, when not stable

    def swapped(self) -> Pair[T]:
        return Pair(self.kind, self.subject, self.new, self.old, self.direction,
                    self.parent.swapped() if self.parent is not None else None, self.stability)

    @property
    def added(self) -> bool:
        return self.old is None

    @property
    def removed(self) -> bool:
        return self.new is None

    @property
    def old_location(self) -> Location | None:
        return getattr(self.old, "location", None)

    @property
    def new_location(self) -> Location | None:
        return getattr(self.new, "location", None)

    @property
    def owner(self) -> str:
        """The parent's subject (the type of a field, the field of an argument)."""
        return self.parent.subject if self.parent is not None else ""


def pair_maps(old: Mapping[str, E], new: Mapping[str, E]) -> Iterator[tuple[str, E | None, E | None]]:
    """Union of keys, sorted: the walk (and so which place first reaches a schema shared by
    several) must not depend on the order the documents were written in."""
    for key in sorted(old.keys() | new.keys()):
        yield key, old.get(key), new.get(key)
