"""Pairing for HTTP APIs: operations, parameters, bodies, responses, and JSON Schemas by meaning.

Schemas are compared after dereferencing, so a schema moved inline ↔ ``$ref`` with the same
shape is no change. A named schema used on both sides under the same name is compared once, at
the top level, with the direction of every place that uses it; a change inside it is reported
on the schema (``Pet.name``), not once per operation. ``oneOf``/``anyOf`` branches are matched by
content, not position, so reordering them is no change.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from apidiff.core.direction import Direction
from apidiff.core.fingerprint import EqualClasses
from apidiff.core.pair import Pair, pair_maps
from apidiff.formats.openapi.model import HttpApi, Operation, Parameter, Schema
from apidiff.formats.openapi.places import operation_subject
from apidiff.formats.openapi.reach import http_reach

_PARAM = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True, slots=True)
class Property:
    """An object property with its requiredness (what property rules read)."""

    name: str
    schema: Schema
    required: bool

    @property
    def location(self) -> Any:
        return self.schema.location

    @property
    def deprecation(self) -> Any:
        return self.schema.deprecation

    @property
    def stability(self) -> str | None:
        return self.schema.stability


def without(direction: Direction, part: Direction) -> Direction:
    if direction is part or direction is Direction.NONE:
        return Direction.NONE
    if direction is Direction.BOTH:
        return Direction.OUTPUT if part is Direction.INPUT else Direction.INPUT
    return direction


class HttpMatcher:
    def __init__(self, old: HttpApi, new: HttpApi) -> None:
        self.old = old
        self.new = new
        self.old_reach = http_reach(old)
        self.new_reach = http_reach(new)
        self.visited: set[tuple[str, str, Direction]] = set()

    def deref(self, api: HttpApi, schema: Schema | None) -> Schema | None:
        hops = 0
        while schema is not None and schema.ref is not None and hops < 64:
            schema = api.schemas.get(schema.ref)
            hops += 1
        return schema

    # -- top level ------------------------------------------------------------------------------
    def pairs(self) -> Iterator[Pair[Any]]:
        for _, o, n in pair_maps(self.old.operations, self.new.operations):
            if o is not None and o == n:
                continue
            level = (o or n).stability  # type: ignore[union-attr]  # the promise clients were given
            if level in RELAXED:
                yield from _relaxed(self.operation(o, n), level)
            else:
                yield from self.operation(o, n)
        for name, o_s, n_s in pair_maps(self.old.security_schemes, self.new.security_schemes):
            if o_s != n_s:
                yield Pair("security-scheme", f"security scheme {name}", o_s, n_s, Direction.NONE)
        for key, o_c, n_c in pair_maps(self.old.schemas, self.new.schemas):
            if o_c is None or n_c is None:
                yield Pair("schema-component", key, o_c, n_c, Direction.NONE)
                continue
            if o_c == n_c:
                continue
            direction = self.old_reach.get(key, Direction.NONE) | self.new_reach.get(key, Direction.NONE)
            if direction is not Direction.NONE:
                yield from self.schema(o_c, n_c, key, direction)

    def operation(self, o: Operation | None, n: Operation | None) -> Iterator[Pair[Any]]:
        subject = operation_subject(o, n)
        op_pair: Pair[Operation] = Pair("operation", subject, o, n, Direction.NONE)
        yield op_pair
        if o is None or n is None:
            return
        request, response = ((Direction.OUTPUT, Direction.INPUT) if n.webhook
                             else (Direction.INPUT, Direction.OUTPUT))
        for _, o_p, n_p in pair_maps(_param_keys(o), _param_keys(n)):
            if o_p is not None and o_p == n_p and o_p.name == n_p.name:
                continue
            name = (n_p or o_p).name  # type: ignore[union-attr]  # as written (a renamed one: its new name)
            where = (n_p or o_p).location_in  # type: ignore[union-attr]
            p_subject = f"{subject} {where} parameter {name}"
            yield Pair("parameter", p_subject, o_p, n_p, request, op_pair)
            if o_p is not None and n_p is not None:
                yield from self.schema(o_p.schema, n_p.schema, p_subject, request)
        if o.body != n.body:
            b_subject = f"{subject} request body"
            body_pair: Pair[Any] = Pair("request-body", b_subject, o.body, n.body, request, op_pair)
            yield body_pair
            if o.body is not None and n.body is not None:
                yield from self.content(o.body.content, n.body.content, b_subject, request, body_pair)
        for status, o_r, n_r in pair_maps(o.responses, n.responses):
            if o_r is not None and o_r == n_r:
                continue
            r_subject = f"{subject} response {status}"
            r_pair: Pair[Any] = Pair("response", r_subject, o_r, n_r, response, op_pair)
            yield r_pair
            if o_r is None or n_r is None:
                continue
            for _, o_h, n_h in pair_maps(o_r.headers, n_r.headers):
                if o_h is not None and o_h == n_h:
                    continue
                h_subject = f"{r_subject} header {(n_h or o_h).name}"  # type: ignore[union-attr]
                yield Pair("response-header", h_subject, o_h, n_h, response, r_pair)
                if o_h is not None and n_h is not None:
                    yield from self.schema(o_h.schema, n_h.schema, h_subject, response)
            yield from self.content(o_r.content, n_r.content, r_subject, response, r_pair)

    def content(self, old: Mapping[str, Any], new: Mapping[str, Any], subject: str, direction: Direction,
                parent: Pair[Any]) -> Iterator[Pair[Any]]:
        for media, o_m, n_m in pair_maps(old, new):
            if o_m is not None and o_m == n_m:
                continue
            m_subject = f"{subject} {media}"
            if o_m is None or n_m is None:
                yield Pair("media-type", m_subject, o_m, n_m, direction, parent)
                continue
            yield from self.schema(o_m.schema, n_m.schema, m_subject, direction)

    # -- schemas --------------------------------------------------------------------------------
    def schema(self, old: Schema | None, new: Schema | None, subject: str, direction: Direction,
               parent: Pair[Any] | None = None) -> Iterator[Pair[Any]]:
        if old is None or new is None or direction is Direction.NONE:
            if (old is None) != (new is None):
                yield Pair("schema", subject, old, new, direction, parent)
            return
        if old.ref is not None and old.ref == new.ref:
            return  # the named schema is compared once, at the top level
        if old.ref is not None or new.ref is not None:
            # a ref compared with an inline schema: the inline side is this place's own schema, so
            # the marker names it by location; only the same pair at the same place is a repeat
            marker = (_identity(old), _identity(new), direction)
            if marker in self.visited:
                return
            self.visited.add(marker)
        o = self.deref(self.old, old)
        n = self.deref(self.new, new)
        if o is None or n is None or o == n:
            return  # equal schemas hold equal refs, and named schemas are compared on their own
        yield Pair("schema", subject, o, n, direction, parent)
        for name, o_p, n_p in pair_maps(o.properties, n.properties):
            p_subject = f"{subject}.{name}"
            if o_p is not None and o_p == n_p and (name in o.required) == (name in n.required):
                continue
            p_dir: Direction = direction
            if (o_p is None or o_p.read_only) and (n_p is None or n_p.read_only):
                p_dir = without(p_dir, Direction.INPUT)
            if (o_p is None or o_p.write_only) and (n_p is None or n_p.write_only):
                p_dir = without(p_dir, Direction.OUTPUT)
            if p_dir is Direction.NONE:
                continue
            old_prop = Property(name, o_p, name in o.required) if o_p is not None else None
            new_prop = Property(name, n_p, name in n.required) if n_p is not None else None
            if old_prop != new_prop:
                yield Pair("property", p_subject, old_prop, new_prop, p_dir)
            if o_p is not None and n_p is not None:
                yield from self.schema(o_p, n_p, p_subject, p_dir)
        if o.items is not None and n.items is not None:
            yield from self.schema(o.items, n.items, f"{subject}[]", direction)
        if isinstance(o.additional, Schema) and isinstance(n.additional, Schema):
            yield from self.schema(o.additional, n.additional, f"{subject}{{*}}", direction)
        if o.not_ is not None and n.not_ is not None:
            yield from self.schema(o.not_, n.not_, f"{subject} not", direction)
        for kind, o_list, n_list in (("oneOf", o.one_of, n.one_of), ("anyOf", o.any_of, n.any_of),
                                     ("allOf", o.all_of, n.all_of)):
            if o_list == n_list:
                continue
            for label, o_b, n_b in self.branches(o_list, n_list):
                b_subject = f"{subject} {kind} {label}"
                if o_b is None or n_b is None:
                    yield Pair("branch", b_subject, o_b, n_b, direction, Pair("schema", subject, o, n, direction))
                else:
                    yield from self.schema(o_b, n_b, b_subject, direction)

    def branches(self, old: tuple[Schema, ...], new: tuple[Schema, ...]) -> Iterator[tuple[str, Schema | None,
                                                                                          Schema | None]]:
        """Match composition branches by meaning: same content, then same named schema, then same
        title or type; what is left is added or removed.

        Each old branch takes the first new branch left that qualifies. The new branches are indexed
        (by ref, by content, by title, by type) so that n branches cost O(n), not O(n²): a branch
        that is a ``$ref`` takes the first left with the same ref (its content is the ref's, so the
        same content means the same ref); an inline one the first inline one equal to it; then an
        unmatched branch with a title the first whose schema has that title, one without a title
        (nor the type ``object`` alone) the first untitled one of the same types."""
        taken = [False] * len(new)

        def first(queue: deque[int] | None) -> int | None:
            while queue and taken[queue[0]]:
                queue.popleft()
            if not queue:
                return None
            taken[queue[0]] = True
            return queue.popleft()

        by_ref: dict[str, deque[int]] = {}
        inline = EqualClasses()
        by_content: dict[int, deque[int]] = {}
        by_title: dict[str, deque[int]] = {}
        by_types: dict[frozenset[str], deque[int]] = {}
        for j, n in enumerate(new):
            if n.ref is not None:
                by_ref.setdefault(n.ref, deque()).append(j)
            else:
                by_content.setdefault(inline.of(n), deque()).append(j)
            n_d = self.deref(self.new, n)
            if n_d is not None:
                if n_d.title:
                    by_title.setdefault(n_d.title, deque()).append(j)
                else:
                    by_types.setdefault(n_d.types, deque()).append(j)
        matched: list[tuple[str, Schema | None, Schema | None]] = []
        unmatched_old: list[Schema] = []
        for o in old:
            hit = first(by_ref.get(o.ref) if o.ref is not None else by_content.get(inline.of(o)))
            if hit is not None:
                matched.append((_label(o, new[hit]), o, new[hit]))
            else:
                unmatched_old.append(o)
        left_old: list[Schema] = []
        for o in unmatched_old:
            o_d = self.deref(self.old, o)
            hit = None
            if o_d is not None and o_d.title:
                hit = first(by_title.get(o_d.title))
            elif o_d is not None and o_d.types and o_d.types != frozenset({"object"}):
                hit = first(by_types.get(o_d.types))
            if hit is not None:
                matched.append((_label(o, new[hit]), o, new[hit]))
            else:
                left_old.append(o)
        for o in left_old:
            matched.append((_label(o, None), o, None))
        for j, n in enumerate(new):
            if not taken[j]:
                matched.append((_label(None, n), None, n))
        return iter(matched)


def _identity(schema: Schema) -> str:
    if schema.ref is not None:
        return schema.ref
    return f"@{schema.location.file}#{schema.location.pointer}"


RELAXED = ("draft", "alpha", "beta")


def _relaxed(pairs: Iterator[Pair[Any]], level: str) -> Iterator[Pair[Any]]:
    """Mark what belongs to an unstable operation, except changes to the operation's own
    lifecycle (its stability, deprecation), which are judged as usual."""
    from dataclasses import replace

    for p in pairs:
        if p.kind == "operation" and p.old is not None and p.new is not None:
            yield p
        else:
            yield replace(p, stability=level)


def _label(o: Schema | None, n: Schema | None) -> str:
    """A branch's name in subjects; the same whichever side is old (forward verdicts need it)."""
    labels = [_one_label(s) for s in (o, n) if s is not None]
    return min(labels)


def _one_label(s: Schema) -> str:
    if s.ref:
        return s.ref
    if s.title:
        return s.title
    return s.type_label()


def _param_keys(op: Operation) -> dict[str, Parameter]:
    """Parameters keyed so that a renamed path parameter keeps its identity (its position); the
    key (``path #0``) only matches parameters: subjects name a parameter as written."""
    positions = {name: i for i, name in enumerate(_PARAM.findall(op.path))}
    out = {}
    for key, p in op.parameters.items():
        if p.location_in == "path" and p.name in positions:
            out[f"path #{positions[p.name]}"] = p
        else:
            out[key] = p
    return out
