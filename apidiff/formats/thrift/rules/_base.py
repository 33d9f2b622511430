"""What Thrift's rules share: examples written as ``.thrift`` text, the two surfaces, and verdicts by data flow."""

from __future__ import annotations

from apidiff.core.change import Severity
from apidiff.core.direction import Direction
from apidiff.core.rule import BREAKING, DANGEROUS, SAFE, Example
from apidiff.formats.thrift.model import TypeRef

NAME = "thrift"
HEAD = "namespace py acme\n"


def example(old: str, new: str, *, head: str = HEAD) -> Example:
    """A before/after pair of ``.thrift`` files (``head`` prepended: a namespace, which marks the text as Thrift)."""
    return Example(head + old, head + new, format=NAME)


def surfaces(wire: Severity = SAFE, source: Severity = SAFE) -> dict[str, Severity]:
    """One verdict per surface: the binary and compact protocols, generated source code."""
    return {"wire": wire, "source": source}


NONE = surfaces()
SOURCE = surfaces(source=BREAKING)
ALL = surfaces(BREAKING, BREAKING)


def flow(direction: Direction, input: Severity, output: Severity) -> Severity:
    """The backward verdict of a change by where its element is used.

    ``input`` is the verdict when the new schema reads what the old one writes (arguments: new servers read
    old clients' requests; data no service reaches: the new schema reads stored data), ``output`` when the
    old schema reads what the new one writes (returns and exceptions: old clients read new servers'
    responses); used both ways, the worse of the two."""
    if direction is Direction.OUTPUT:
        return output
    if direction is Direction.BOTH:
        return max(input, output)
    return input


def read(written: TypeRef, reader: TypeRef) -> Severity:
    """What a value written as ``written`` becomes when read as ``reader``, on the binary and compact protocols.

    Another wire type is skipped by the reader: the value is lost (breaking). The same wire type parses:
    ``string`` read as ``binary`` and an enum read as ``i32`` keep every value (safe); ``binary`` read as
    ``string`` (bytes that are not UTF-8), an ``i32`` read as an enum (numbers it does not name), another enum
    or another struct may misread values (dangerous)."""
    if written == reader:
        return SAFE
    if written.wire != reader.wire:
        return BREAKING
    if written.args and written.kind == reader.kind:
        return max(read(a, b) for a, b in zip(written.args, reader.args, strict=True))
    if (written.kind, reader.kind) in (("string", "binary"), ("enum", "i32")):
        return SAFE
    return DANGEROUS
