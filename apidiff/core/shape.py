"""Shapes: what each keyword's value must be, checked before a format's normalizer reads a node.

Untrusted documents arrive as plain values (dicts, lists, strings, numbers). A format describes
what it expects with a few combinators (a table per kind of node) and checks each node with
:func:`check` before reading it, so that a wrong type is one located error (``flows: expected a
mapping, got a number``) instead of a crash or a silent guess deep inside a rule.

- ``STR``, ``BOOL``, ``NUM`` (int, float or an exact decimal; not a bool), ``INT`` (an integral
  number), ``OBJ`` (a mapping), ``LIST``, ``ANY``, ``NULL``;
- ``ListOf(shape)``, ``MapOf(shape)``, ``Either(a, b, …)``, ``Nullable(shape)``,
  ``OneOf("A", "B")`` (one of these strings);
- ``Obj({key: shape}, required=(...), rule=fn)``: a mapping whose listed keys have those shapes
  (other keys are not looked at); ``rule(value)`` returns a message for what a table cannot say
  (``name`` is required unless ``kind`` is ``LIST``).

:func:`check` raises :class:`ShapeError` with the JSON pointer of the bad value, relative to the
node checked; the format turns it into a located :class:`~apidiff.core.errors.ParseError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from apidiff.core.location import escape_pointer_token

__all__ = ["ANY", "BOOL", "INT", "LIST", "NULL", "NUM", "OBJ", "STR", "Either", "ListOf", "MapOf", "Nullable", "Obj",
           "OneOf", "Shape", "ShapeError", "check", "describe"]


class ShapeError(Exception):
    """A value that does not have its expected shape: ``pointer`` (below the node checked) and a message."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(message)
        self.pointer = pointer
        self.message = message


class _Mismatch(Exception):
    """Raised deep inside a check: the keys below the node are collected as it unwinds (in reverse), so
    that a pointer is only made for the one bad value, never for the thousands of good ones."""

    def __init__(self, message: str, keys: list[object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.keys: list[object] = keys if keys is not None else []


class Shape:
    """What a value must be: :meth:`accepts` says whether the value itself fits, :meth:`inside`
    raises for the first problem below it."""

    leaf = False  # nothing to check below an accepted value

    @property
    def noun(self) -> str:
        """How messages name what is expected (``a mapping``)."""
        return "a value"

    def accepts(self, value: Any) -> bool:
        raise NotImplementedError

    def inside(self, value: Any) -> None:
        """Raise :class:`_Mismatch` for the first problem below an accepted value."""
        return None


@dataclass(frozen=True)
class _Leaf(Shape):
    name: str
    test: Callable[[Any], bool]
    leaf = True

    @property
    def noun(self) -> str:
        return self.name

    def accepts(self, value: Any) -> bool:
        return self.test(value)


def _number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _integral(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, Decimal):
        return value.is_finite() and value == value.to_integral_value()
    return False


STR: Shape = _Leaf("a string", lambda v: isinstance(v, str))
BOOL: Shape = _Leaf("true or false", lambda v: isinstance(v, bool))
NUM: Shape = _Leaf("a number", _number)
INT: Shape = _Leaf("a whole number", _integral)
OBJ: Shape = _Leaf("a mapping", lambda v: isinstance(v, dict))
LIST: Shape = _Leaf("a list", lambda v: isinstance(v, list))
NULL: Shape = _Leaf("null", lambda v: v is None)
ANY: Shape = _Leaf("a value", lambda v: True)


def _item(value: Any, shape: Shape, key: object) -> None:
    """Check one value below a node, naming its key if it is the bad one."""
    if not shape.accepts(value):
        raise _Mismatch(f"expected {shape.noun}, got {describe(value)}", [key])
    if not shape.leaf:
        try:
            shape.inside(value)
        except _Mismatch as exc:
            exc.keys.append(key)
            raise


@dataclass(frozen=True)
class ListOf(Shape):
    item: Shape

    @property
    def noun(self) -> str:
        return "a list"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, list)

    def inside(self, value: Any) -> None:
        shape = self.item
        if shape is ANY:
            return
        for i, item in enumerate(value):
            _item(item, shape, i)


@dataclass(frozen=True)
class MapOf(Shape):
    value: Shape

    @property
    def noun(self) -> str:
        return "a mapping"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, dict)

    def inside(self, value: Any) -> None:
        shape = self.value
        if shape is ANY:
            return
        for key, item in value.items():
            _item(item, shape, str(key))


@dataclass(frozen=True)
class Either(Shape):
    options: tuple[Shape, ...]

    def __init__(self, *options: Shape) -> None:
        object.__setattr__(self, "options", options)
        object.__setattr__(self, "leaf", all(o.leaf for o in options))

    @property
    def noun(self) -> str:
        nouns = [o.noun for o in self.options]
        return " or ".join(dict.fromkeys(nouns))

    def accepts(self, value: Any) -> bool:
        return any(option.accepts(value) for option in self.options)

    def inside(self, value: Any) -> None:
        for option in self.options:
            if option.accepts(value):
                if not option.leaf:
                    option.inside(value)
                return


def Nullable(shape: Shape) -> Shape:
    return Either(shape, NULL)


@dataclass(frozen=True)
class OneOf(Shape):
    values: tuple[str, ...]
    leaf = True

    def __init__(self, *values: str) -> None:
        object.__setattr__(self, "values", values)

    @property
    def noun(self) -> str:
        return "one of " + ", ".join(self.values)

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str) and value in self.values


@dataclass(frozen=True)
class Obj(Shape):
    fields: Mapping[str, Shape] = field(default_factory=dict)
    required: Sequence[str] = ()
    rule: Callable[[Mapping[str, Any]], tuple[str, str] | None] | None = None  # -> (key, message)

    @property
    def noun(self) -> str:
        return "a mapping"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, dict)

    def inside(self, value: Any) -> None:
        for key in self.required:
            if key not in value:
                raise _Mismatch(f"{key} is required")
        fields = self.fields
        for key, item in value.items():  # a node has a few keys, a table many: walk the node's
            shape = fields.get(key) if type(key) is str else None
            if shape is not None and shape is not ANY:
                _item(item, shape, key)
        if self.rule is not None:
            found = self.rule(value)
            if found is not None:
                key, message = found
                raise _Mismatch(message, [key] if key else [])


def describe(value: Any) -> str:
    """What a value is, for messages: ``a number``, ``a list``, ``null``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if _number(value):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "a value"


def check(value: Any, shape: Shape, pointer: str = "") -> None:
    """Raise :class:`ShapeError` (pointer below ``pointer``, message naming the key) when ``value``
    does not have ``shape``."""
    try:
        if not shape.accepts(value):
            raise _Mismatch(f"expected {shape.noun}, got {describe(value)}")
        shape.inside(value)
    except _Mismatch as exc:
        bad = pointer + "".join(f"/{escape_pointer_token(str(k))}" for k in reversed(exc.keys))
        tokens = [t.replace("~1", "/").replace("~0", "~") for t in bad.split("/")]
        key = tokens[-1]
        if key.isdigit() and len(tokens) > 1:  # a list item: name it by its list ("types[0]")
            key = f"{tokens[-2]}[{key}]"
        if exc.message.startswith("expected") and key:
            raise ShapeError(bad, f"{key}: {exc.message}") from None
        raise ShapeError(bad, exc.message) from None
