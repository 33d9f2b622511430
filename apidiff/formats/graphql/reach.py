"""Which types are reachable from input positions and which from output positions.

This generalises graphql-core's two variance functions: a type used where clients *send*
data (arguments, input objects) is judged as input, one used where clients *receive* data
(fields, responses) as output, and one used in both places gets the stricter verdict.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from apidiff.core.direction import Direction

if TYPE_CHECKING:
    from apidiff.formats.graphql.model import GraphQLApi


class Reach:
    """Input and output reachability of the named types of one :class:`GraphQLApi`, computed once."""

    __slots__ = ("inputs", "outputs")

    def __init__(self, api: GraphQLApi) -> None:
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
