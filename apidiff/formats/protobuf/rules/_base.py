"""What Protobuf's rules share: examples written as ``.proto`` text, the three surfaces, and buf's rule ids."""

from __future__ import annotations

from apidiff.core.change import Severity
from apidiff.core.rule import BREAKING, SAFE, Example

NAME = "protobuf"
HEAD = 'syntax = "proto3";\npackage acme.v1;\n'


def example(old: str, new: str, *, head: str = HEAD, new_head: str | None = None) -> Example:
    """A before/after pair of ``.proto`` files (``head`` prepended: proto3, package ``acme.v1``; ``new_head``
    on the new side when it differs)."""
    return Example(head + old, (head if new_head is None else new_head) + new, format=NAME)


def files(**texts: str) -> str:
    """Several ``.proto`` files as one text, each after a ``// file: NAME.proto`` line (``a="..."``)."""
    return "".join(f"// file: {name}.proto\n{text}" for name, text in texts.items())


def multi(old: str, new: str) -> Example:
    """A before/after pair of texts made with :func:`files`."""
    return Example(old, new, format=NAME)


def surfaces(wire: Severity = SAFE, json: Severity = SAFE, source: Severity = SAFE) -> dict[str, Severity]:
    """One verdict per surface: the binary wire format, the proto3 JSON mapping, generated source code."""
    return {"wire": wire, "json": json, "source": source}


SOURCE = surfaces(source=BREAKING)
JSON = surfaces(json=BREAKING, source=BREAKING)
ALL = surfaces(BREAKING, BREAKING, BREAKING)
NONE = surfaces()


def buf(*ids: str) -> tuple[str, ...]:
    return tuple(f"buf {i}" for i in ids)
