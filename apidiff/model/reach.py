"""Which types are reachable from input positions and which from output positions.

This generalises graphql-core's two variance functions: a type used where clients *send*
data (arguments, input objects) is judged as input, one used where clients *receive* data
(fields, responses) as output, and one used in both places gets the stricter verdict.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apidiff.model.graph import Api


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


class Reach:
    """Input and output reachability of the named types of one :class:`Api`, computed once."""

    __slots__ = ("inputs", "outputs")

    def __init__(self, api: Api) -> None:
        types = api.types
        implementations: dict[str, list[str]] = {}
        for t in types.values():
            for iface in t.interfaces:
                implementations.setdefault(iface, []).append(t.name)

        outputs: set[str] = set()
        inputs: set[str] = set()
        input_roots: list[str] = []
        stack = [m.target for m in api.roots.values() if m.target]
        while stack:
            name = stack.pop()
            if name in outputs:
                continue
            outputs.add(name)
            out_type = types.get(name)
            if out_type is None:
                continue
            for f in out_type.fields.values():
                stack.append(f.type.name)
                input_roots.extend(a.type.name for a in f.args.values())
            stack.extend(out_type.members)
            stack.extend(implementations.get(name, ()))
        for d in api.directives.values():
            input_roots.extend(a.type.name for a in d.args.values())

        stack = input_roots
        while stack:
            name = stack.pop()
            if name in inputs:
                continue
            inputs.add(name)
            in_type = types.get(name)
            if in_type is not None:
                stack.extend(f.type.name for f in in_type.input_fields.values())
        self.inputs = frozenset(inputs)
        self.outputs = frozenset(outputs)

    def direction(self, type_name: str) -> Direction:
        return Direction.of(type_name in self.inputs, type_name in self.outputs)


def http_reach(api: Api) -> dict[str, Direction]:
    """Direction of each named JSON Schema of an HTTP API: where operations use it.

    ``readOnly`` properties are not part of requests and ``writeOnly`` ones not of responses,
    so the walk does not enter them in that direction.
    """
    from apidiff.model.http import Schema, nested

    seen: dict[str, Direction] = {}

    def walk(root: Schema | None, direction: Direction) -> None:
        stack = [root] if root is not None else []
        while stack:
            s = stack.pop()
            if s.ref is not None:
                have = seen.get(s.ref, Direction.NONE)
                if (have | direction) is have:
                    continue
                seen[s.ref] = have | direction
                target = api.schemas.get(s.ref)
                if target is not None:
                    stack.append(target)
                continue
            for prop in s.properties.values():
                if direction is Direction.INPUT and prop.read_only:
                    continue
                if direction is Direction.OUTPUT and prop.write_only:
                    continue
                stack.append(prop)
            stack.extend(nested(s, properties=False))

    for op in api.operations.values():
        # a webhook's request is what the API sends, its response what it receives
        request, response = (Direction.OUTPUT, Direction.INPUT) if op.webhook else (Direction.INPUT, Direction.OUTPUT)
        for p in op.parameters.values():
            walk(p.schema, request)
        if op.body is not None:
            for m in op.body.content.values():
                walk(m.schema, request)
        for r in op.responses.values():
            for m in r.content.values():
                walk(m.schema, response)
            for h in r.headers.values():
                walk(h.schema, response)
    return seen
