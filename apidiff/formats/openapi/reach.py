"""Which named JSON Schemas of an HTTP API are read in requests (input) and which in responses (output)."""

from __future__ import annotations

from apidiff.core.direction import Direction
from apidiff.formats.openapi.model import HttpApi, Schema, nested


def http_reach(api: HttpApi) -> dict[str, Direction]:
    """Direction of each named JSON Schema of an HTTP API: where operations use it.

    ``readOnly`` properties are not part of requests and ``writeOnly`` ones not of responses,
    so the walk does not enter them in that direction.
    """
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
