"""Where a change lands in an HTTP API: the operations it touches, and where in them.

Shared by the migration guide (:mod:`apidiff.formats.openapi.guide`, one section per operation) and the
traffic reader (:mod:`apidiff.formats.openapi.usage`, which recorded requests a change touches). A change
inside an operation (``GET /pets query parameter limit``) lands on that operation; a change to a
security scheme on the operations that use the scheme; a change inside a named schema
(``Pet.name``, ``Status``) on every operation that uses the schema in a direction where the change
is not safe (:func:`apidiff.core.places.relevant`: an enum value added matters where the enum is
read, not where it is sent).

It lives apart from the guide because the usage reader needs it without the guide's examples.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping

from apidiff.core.change import Change, Mode
from apidiff.core.direction import Direction
from apidiff.core.places import relevant, sides
from apidiff.formats.openapi.model import HttpApi, Operation, Schema, nested, path_key

__all__ = ["METHODS", "HttpPlaces", "component_of", "op_key", "operation_subject", "operation_usage", "position_of",
           "schema_refs", "under"]

METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "QUERY")


# -- subjects -----------------------------------------------------------------------------------

def operation_subject(o: Operation | None, n: Operation | None) -> str:
    """An operation's subject, as written: ``GET /pets/{petId}``, ``webhook newPet POST``.

    The normalized key (``GET /pets/{}``) only matches operations and is never shown: when a path
    parameter was renamed the subject is the new side's path (``GET /pets/{id}``), and the
    ``path-parameter-renamed`` change says what it was before."""
    either = n or o
    assert either is not None
    return f"webhook {either.path} {either.method}" if either.webhook else f"{either.method} {either.path}"


def op_key(subject: str) -> tuple[str, str] | None:
    """``GET /pets/{petId} query parameter x`` → (``GET /pets/{}``, ``query parameter x``): the
    operation's key (what matches, never shown) and the rest of the subject."""
    words = subject.split(" ")
    if words[0] in METHODS and len(words) > 1:
        return f"{words[0]} {path_key(words[1])}", " ".join(words[2:])
    if words[0] == "webhook" and len(words) > 2:
        return f"WEBHOOK {words[1]} {words[2]}", " ".join(words[3:])
    return None


def position_of(change: Change) -> str | None:
    """``operation``, ``request`` or ``response`` for a change inside an operation, else ``None``."""
    found = op_key(change.subject)
    if found is None:
        return None
    rest = found[1]
    return "response" if rest.startswith("response") else "request" if rest else "operation"


def component_of(subject: str, schemas: Container[str]) -> str | None:
    """The named schema a subject is inside (``Pet.owner`` → ``Pet``), longest name first, so that
    dotted names (``io.k8s.Pod.spec``) resolve. The candidates are the subject's prefixes that
    :func:`under` accepts, looked up longest first (not every schema tested per subject)."""
    if subject in schemas:
        return subject
    # no prefix longer than the longest schema name can be one: a subject holding a 4 MB string is not sliced
    # at each of its spaces (fuzz seed 2042 case 5164)
    longest = _longest(schemas)
    for i in range(min(len(subject) - 1, longest), -1, -1):
        if subject[i] in INSIDE and subject[:i] in schemas:
            return subject[:i]
    return None


_LONGEST: dict[int, tuple[object, int]] = {}


def _longest(schemas: Container[str]) -> int:
    """The length of the longest name in ``schemas`` (cached per container); unbounded when it cannot be listed."""
    cached = _LONGEST.get(id(schemas))
    if cached is not None and cached[0] is schemas:
        return cached[1]
    if not isinstance(schemas, Iterable):
        return 1 << 62
    longest = max((len(name) for name in schemas), default=0)
    if len(_LONGEST) > 64:
        _LONGEST.clear()
    _LONGEST[id(schemas)] = (schemas, longest)
    return longest


INSIDE = ".[{ "  # what follows a schema's name in the subject of an element inside it


def under(path: str, target: str) -> bool:
    """``target`` is ``path`` or an element inside it."""
    return target == path or (target.startswith(path) and target[len(path)] in INSIDE)


# -- which named schemas an operation uses ------------------------------------------------------

def schema_refs(api: HttpApi, schema: Schema | None,
                memo: Mapping[str, frozenset[str]] | None = None) -> frozenset[str]:
    """The named schemas ``schema`` uses, directly or through others; ``memo`` maps a schema name
    to what it uses (itself included), when already known."""
    if schema is None:
        return frozenset()
    known = memo or {}
    out: set[str] = set()
    stack = [schema]
    while stack:
        s = stack.pop()
        if s.ref is not None:
            if s.ref in out:
                continue
            out.add(s.ref)
            if s.ref in known:
                out |= known[s.ref]
                continue
            target = api.schemas.get(s.ref)
            if target is not None:
                stack.append(target)
            continue
        stack.extend(nested(s))
    return frozenset(out)


def operation_usage(api: HttpApi) -> dict[str, dict[str, set[str]]]:
    """Per operation key: the named schemas it uses and where (``request``/``response``)."""
    out: dict[str, dict[str, set[str]]] = {}
    for key, op in api.operations.items():
        used: dict[str, set[str]] = {}

        def add(schema: Schema | None, where: str, used: dict[str, set[str]] = used) -> None:
            for name in schema_refs(api, schema):
                used.setdefault(name, set()).add(where)

        for param in op.parameters.values():
            add(param.schema, "request")
        if op.body is not None:
            for media in op.body.content.values():
                add(media.schema, "request")
        for resp in op.responses.values():
            for media in resp.content.values():
                add(media.schema, "response")
            for header in resp.headers.values():
                add(header.schema, "response")
        out[key] = used
    return out


# -- the operations a change touches ------------------------------------------------------------

class HttpPlaces:
    """The operations of ``old``/``new`` that a change touches, for clients judged in ``mode``."""

    def __init__(self, old: HttpApi, new: HttpApi, mode: Mode) -> None:
        self.old, self.new, self.mode = old, new, mode
        self.base = new if mode is Mode.FORWARD else old  # the operations clients call today
        self.usages = [operation_usage(api) for api in sides(old, new, mode)]
        self.schemas = set(old.schemas) | set(new.schemas)
        self._users: dict[str, list[str]] | None = None  # named schema -> operation keys using it

    def users(self, component: str) -> list[str]:
        """The keys of the base operations that use ``component`` on some side, in the base's order
        (an index built once: not every operation asked per change)."""
        if self._users is None:
            order = {key: i for i, key in enumerate(self.base.operations)}
            found: dict[str, set[str]] = {}
            for usage in self.usages:
                for key, used in usage.items():
                    if key in order:
                        for name in used:
                            found.setdefault(name, set()).add(key)
            self._users = {name: sorted(keys, key=order.__getitem__) for name, keys in found.items()}
        return self._users.get(component, [])

    def places(self, change: Change) -> list[tuple[str, str]]:
        """(operation key, position): ``request``, ``response`` or ``operation``; for a change in a
        named schema, the first position (response, then request) where it matters."""
        return [(key, positions[0]) for key, positions in self.all_places(change)]

    def all_places(self, change: Change) -> list[tuple[str, tuple[str, ...]]]:
        """(operation key, positions): like :meth:`places`, with every position where a change in
        a named schema matters (``response`` and ``request`` when it is read and sent)."""
        subject = change.subject
        found = op_key(subject)
        if found is not None:
            key = found[0]
            position = position_of(change)
            return [(key, (position,))] if key in self.base.operations and position is not None else []
        if subject.startswith("security scheme "):
            name = subject[len("security scheme "):]
            return [(key, ("operation",)) for key in self.base.operations if self.uses_scheme(key, name)]
        component = component_of(subject, self.schemas)
        if component is None:
            return []
        dirs = relevant(change, self.mode)
        out: list[tuple[str, tuple[str, ...]]] = []
        for key in self.users(component):  # the other operations use it nowhere: no position
            op = self.base.operations[key]
            where: set[str] = set()
            for usage in self.usages:
                where |= usage.get(key, {}).get(component, set())
            positions = tuple(p for p in ("response", "request") if p in where and self.direction(op, p) in dirs)
            if positions:
                out.append((key, positions))
        return out

    def uses_scheme(self, key: str, name: str) -> bool:
        for api in (self.old, self.new):
            op = api.operations.get(key)
            if op is not None and op.security and any(name == s for alt in op.security for s, _ in alt):
                return True
        return False

    @staticmethod
    def direction(op: Operation, position: str) -> Direction:
        """Which way data goes at ``position`` of ``op``: a webhook's request is what the API sends."""
        if position == "operation":
            return Direction.NONE
        sends = (position == "request") != op.webhook
        return Direction.INPUT if sends else Direction.OUTPUT
