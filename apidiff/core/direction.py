"""Data-flow directions: where clients send data (input), where they receive it (output), or both."""

from __future__ import annotations

from enum import Enum


class Direction(str, Enum):
    INPUT = "input"
    OUTPUT = "output"
    BOTH = "both"
    NONE = "none"

    def __or__(self, other: object) -> Direction:
        if not isinstance(other, Direction):
            return NotImplemented
        if self is other or other is Direction.NONE:
            return self
        if self is Direction.NONE:
            return other
        return Direction.BOTH

    @classmethod
    def of(cls, input: bool, output: bool) -> Direction:
        if input and output:
            return cls.BOTH
        return cls.INPUT if input else cls.OUTPUT if output else cls.NONE
