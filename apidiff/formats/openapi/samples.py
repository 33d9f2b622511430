"""Examples for the migration guide of HTTP APIs: JSON values built from schemas, HTTP requests and responses.

A value comes from ``const``, ``example`` (or the first of ``examples``), ``default`` or ``enum``,
else from the type, the format and the bounds
(``date-time`` → ``"2026-01-01T00:00:00Z"``, an integer inside ``minimum``/``maximum``, a string
inside ``minLength``/``maxLength``, the first enum value in the model's order, which is sorted, an array
of one item, an object with its required properties and a few optional ones). Cycles and deep nesting
are cut at ``depth``.

A :class:`~apidiff.core.guide.Focus` says what a sample must show to illustrate one change: the
elements to include even when optional (named by the subjects the differ reports: ``Pet.owner``,
``GET /pets query parameter limit``, ``Status``) and the values to put there: a JSON value,
:data:`OMIT` (leave it out), or a :class:`Shape` (a value of the element's own schema with that
many characters, items or properties, or with a property it does not declare), so that a changed
``maxLength`` shows a string longer than the old limit.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from apidiff.core._yaml import dumps_json, loads_json
from apidiff.core.guide import DEFAULT_DEPTH, NO_FOCUS, Focus
from apidiff.formats.jsonschema.model import Number, Schema
from apidiff.formats.openapi.model import HttpApi, Operation, Parameter
from apidiff.formats.openapi.places import INSIDE as _INSIDE
from apidiff.formats.openapi.places import component_of, schema_refs
from apidiff.formats.openapi.places import under as _under

__all__ = ["CUT", "FORMATS", "MAX_SHAPE", "OMIT", "OPTIONAL_PROPERTIES", "HttpSampler", "JsonSampler", "Shape",
           "body_text", "label", "minimal", "pick_media", "pick_type", "sample_number", "sample_string",
           "sample_value", "status_line"]

OPTIONAL_PROPERTIES = 2  # optional properties shown besides the required and the focused ones

FORMATS: Mapping[str, str] = {
    "date-time": "2026-01-01T00:00:00Z",
    "date": "2026-01-01",
    "time": "12:00:00Z",
    "duration": "P1D",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uuid": "123e4567-e89b-12d3-a456-426614174000",
    "uri": "https://example.com",
    "url": "https://example.com",
    "iri": "https://example.com",
    "uri-reference": "/example",
    "iri-reference": "/example",
    "uri-template": "https://example.com/{id}",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "ZXhhbXBsZQ==",
    "binary": "<binary>",
    "password": "********",
    "regex": "^.*$",
    "json-pointer": "/example",
    "relative-json-pointer": "0/example",
}
_TYPE_ORDER = ("object", "array", "string", "integer", "number", "boolean")


class _Cut:
    """A value left out: a cycle or the depth limit was reached."""

    def __repr__(self) -> str:
        return "CUT"


CUT: Any = _Cut()


class _Omit:
    """A focus value: leave this element out (an optional property, parameter or header)."""

    def __repr__(self) -> str:
        return "OMIT"


OMIT: Any = _Omit()

MAX_SHAPE = 300  # the largest size a Shape asks for that a sample shows (a string of 300 characters)
_BRANCHES_SCANNED = 64  # composition branches tried for one that uses a focused named schema


@dataclass(frozen=True, slots=True)
class Shape:
    """A focus value: the element's own sample, built from its type (not its example, default or
    enum), with ``size`` characters (a string), items (an array) or properties (an object), and
    with ``extra``, a property its schema does not declare."""

    size: int | None = None
    extra: bool = False


_REACH: dict[int, tuple[HttpApi, dict[str, frozenset[str]], dict[int, tuple[Schema, frozenset[str]]]]] = {}


def _reach_memo(api: HttpApi) -> tuple[dict[str, frozenset[str]], dict[int, tuple[Schema, frozenset[str]]]]:
    """The named schemas each named schema uses, and (by the id of an unnamed schema) each unnamed one,
    of ``api``: filled as they are asked for."""
    cached = _REACH.get(id(api))
    if cached is None or cached[0] is not api:
        if len(_REACH) >= 8:
            _REACH.clear()
        cached = _REACH[id(api)] = (api, {}, {})
    return cached[1], cached[2]


def _named_keys(targets: frozenset[str], prefix: str, keys: Mapping[str, Any]) -> list[str]:
    """The keys k of ``keys`` such that a target is ``prefix`` + k or an element inside it: read off the
    targets rather than tried one key at a time (an operation may have thousands of responses or media
    types, and each of its entries asks)."""
    found: dict[str, None] = {}
    # only the lengths of the keys are tried, not every separator of the target: a 4 MB key was
    # sliced at each of its spaces (minutes); this costs at most the keys' total length per target
    lengths = sorted({len(k) for k in keys})
    for t in targets:
        if not t.startswith(prefix):
            continue
        rest = t[len(prefix):]
        for n in lengths:
            if n > len(rest):
                break
            if (n == len(rest) or rest[n] in _INSIDE) and rest[:n] in keys:
                found[rest[:n]] = None
    return list(found)


class JsonSampler:
    """Sample values of the JSON Schemas of one HTTP API."""

    def __init__(self, api: HttpApi, focus: Focus = NO_FOCUS, *, usage: str | None = None,
                 prefer: Mapping[str, Any] | None = None) -> None:
        self.api = api
        self.focus = focus
        self.usage = usage  # "request": leave readOnly properties out; "response": writeOnly ones
        # choices made by the sample of the other side (enum values, optional properties by path):
        # reused where still valid, so that the before and after samples differ only by the change
        self.prefer: Mapping[str, Any] = prefer or {}
        self.chosen: dict[str, Any] = {}
        # what each schema uses does not depend on the focus: shared by the samplers of one API (a guide
        # makes one per entry; each asking anew walked a schema of n properties once per entry)
        self._reach, self._inline = _reach_memo(api)
        self.components = frozenset(c for t in focus.targets if (c := component_of(t, api.schemas)) is not None)

    # -- reachability -------------------------------------------------------------------------
    def refs(self, schema: Schema | None) -> frozenset[str]:
        """The named schemas ``schema`` uses, directly or through others."""
        return schema_refs(self.api, schema, self._reach)

    def focused(self, path: str, schema: Schema | None) -> bool:
        """Whether the element at ``path`` holds something the focus names."""
        if any(_under(path, t) for t in self.focus.targets):
            return True
        return schema is not None and self._reaches(schema)

    def _reaches(self, schema: Schema) -> bool:
        """Whether ``schema`` uses a named schema that a focus target is in (each schema asked once)."""
        if not self.components:
            return False
        if schema.ref is not None:
            key = schema.ref
            if key not in self._reach:
                self._reach[key] = self.refs(schema)
            return bool(self._reach[key] & self.components)
        hit = self._inline.get(id(schema))
        if hit is None or hit[0] is not schema:
            hit = self._inline[id(schema)] = (schema, self.refs(schema))
        return bool(hit[1] & self.components)

    def holds(self, path: str, schema: Schema) -> bool:
        """Whether a focus target is inside the element at ``path`` (not the element itself): its
        ``example``, which knows nothing of the change, would hide what the sample must show."""
        return any(t != path and _under(path, t) for t in self.focus.targets) or self._reaches(schema)

    def touches(self, path: str, schema: Schema | None) -> bool:
        """Focused, or inside an element the focus names (a body, a parameter, a response)."""
        return self.focused(path, schema) or any(_under(t, path) for t in self.focus.targets)

    # -- values -------------------------------------------------------------------------------
    def value(self, schema: Schema | None, path: str = "", depth: int = DEFAULT_DEPTH,
              stack: tuple[str, ...] = ()) -> Any:
        """A value valid for ``schema``; :data:`CUT` when a cycle or the depth limit stops it."""
        if path in self.focus.values:
            return self._focused(self.focus.values[path], schema, path, depth, stack)
        if schema is None:
            return "string"
        if schema.ref is not None:
            name = schema.ref
            if name in self.focus.values:
                return self._focused(self.focus.values[name], schema, path, depth, stack)
            target = self.api.schemas.get(name)
            if target is None or name in stack or depth <= 0:
                return CUT
            return self.value(target, name, depth, (*stack, name))
        if depth <= 0:
            return CUT
        if schema.const is not None:
            return _decoded(schema.const)
        if schema.example is not None and not self.holds(path, schema):
            return _decoded(schema.example)
        if schema.default is not None:
            return _decoded(schema.default)
        if schema.enum or schema.extensible_enum:
            return self._enum(schema.enum or schema.extensible_enum or (), path)
        branches = schema.one_of or schema.any_of
        if branches:
            kind = "oneOf" if schema.one_of else "anyOf"
            branch = self._branch(branches, f"{path} {kind}")
            value = self.value(branch, f"{path} {kind} {label(branch)}", depth - 1, stack)
            own = self._typed(schema, path, depth, stack) if schema.properties else CUT
            if isinstance(own, dict) and isinstance(value, dict):
                return {**own, **value}
            return value
        if schema.all_of:
            merged = self._typed(schema, path, depth, stack)
            for part in schema.all_of:
                value = self.value(part, path, depth - 1, stack)
                if isinstance(merged, dict) and isinstance(value, dict):
                    merged = {**merged, **value}
                elif merged is CUT or merged == "string":
                    merged = value
            return merged
        return self._typed(schema, path, depth, stack)

    def _focused(self, wanted: Any, schema: Schema | None, path: str, depth: int, stack: tuple[str, ...]) -> Any:
        """The value a focus asks for at ``path``: itself, or built to a :class:`Shape`."""
        if not isinstance(wanted, Shape):
            return wanted
        target = schema
        hops = 0
        while target is not None and target.ref is not None and hops < 64:
            target = self.api.schemas.get(target.ref)
            hops += 1
        if target is None or target.ref is not None:
            return "s" * wanted.size if wanted.size is not None else "string"
        kind = pick_type(target)
        n = wanted.size
        if kind == "string" and n is not None:
            return "s" * n
        if kind == "array" and n is not None:
            item = self.value(target.items, f"{path}[]", depth - 1, stack)
            if item is CUT:
                item = minimal(target.items, self.api) if target.items is not None else "string"
            return [item] * n
        base = self._typed(target, path, depth, stack)
        if kind != "object" or not isinstance(base, dict):
            return base
        out = dict(base)
        if n is not None:
            for name in target.properties:
                if len(out) >= n:
                    break
                if name not in out:
                    value = self.value(target.properties[name], f"{path}.{name}", depth - 1, stack)
                    out[name] = minimal(target.properties[name], self.api) if value is CUT else value
            extra = 1
            while len(out) < n:
                while f"key{extra}" in out:
                    extra += 1
                out[f"key{extra}"] = "string"
            for name in [k for k in out if k not in target.required][::-1]:
                if len(out) <= n:
                    break
                del out[name]
        if wanted.extra:
            name = "undeclared"
            while name in out:
                name += "_"
            out[name] = "string"
        return out

    def _enum(self, values: tuple[str, ...], path: str) -> Any:
        preferred = self.prefer.get(f"{path}=")
        if preferred is not None and dumps_json(preferred) in values:
            value = preferred
        else:
            decoded = [_decoded(v) for v in values]
            value = next((v for v in decoded if v is not None), decoded[0])
        self.chosen[f"{path}="] = value
        return value

    def _branch(self, branches: tuple[Schema, ...], prefix: str) -> Schema:
        """The first branch a focus target is in (``{prefix} {label}`` or inside it), else the first
        that is not just null. The labels a target can be in are read off the targets, and looked
        up in an index of the branches (one sample per entry of n branches must not test them all)."""
        head = f"{prefix} "
        wanted: set[str] = set()
        for t in self.focus.targets:
            if t.startswith(head):
                rest = t[len(head):]
                wanted.add(rest)
                wanted.update(rest[:i] for i, ch in enumerate(rest) if ch in _INSIDE)
        if wanted:
            first = _first_by_label(branches)
            hits = [first[w] for w in wanted if w in first]
            if hits:
                return branches[min(hits)]
        if self.components:  # a branch that uses the named schema a target is in
            hit = next((b for b in branches[:_BRANCHES_SCANNED] if self._reaches(b)), None)
            if hit is not None:
                return hit
        return next((b for b in branches if b.types != frozenset({"null"})), branches[0])

    def _typed(self, schema: Schema, path: str, depth: int, stack: tuple[str, ...]) -> Any:
        kind = pick_type(schema)
        if kind == "object":
            return self._object(schema, path, depth, stack)
        if kind == "array":
            if schema.max_items == 0:
                return []
            item = self.value(schema.items, f"{path}[]", depth - 1, stack)
            if item is CUT:
                return []
            count = 1 if schema.unique_items else max(1, schema.min_items or 0)
            return [item] * count
        if kind == "string":
            return sample_string(schema)
        if kind == "integer":
            return sample_number(schema, integer=True)
        if kind == "number":
            return sample_number(schema, integer=False)
        if kind == "boolean":
            return True
        return None

    def _properties(self, schema: Schema, path: str, preferred: Any, saturated: list[bool],
                    ) -> Iterator[tuple[str, Schema]]:
        """The properties :meth:`_object` may show, in order: all of a small object; of a large one,
        once no other optional one can be shown (``OPTIONAL_PROPERTIES`` of them, or none but the
        preferred), only the required, the focused and the preferred ones, found by name (focused by
        their path, or by using a named schema the focus names, looked up in an index of the object):
        a sample per entry of an object with n properties must not test them all."""
        properties = schema.properties
        if len(properties) <= 4 * OPTIONAL_PROPERTIES:
            yield from properties.items()
            return
        head = f"{path}."
        wanted = set(schema.required)
        for t in self.focus.targets:
            if t.startswith(head):
                rest = t[len(head):]
                wanted.add(rest)
                wanted.update(rest[:i] for i, ch in enumerate(rest) if ch in _INSIDE)
        if self.components:
            using = _users_of(self.api, properties)
            for component in self.components:
                wanted.update(using.get(component, ()))
        if preferred is not None:
            wanted.update(n for n in preferred if isinstance(n, str))
            start = 0
        else:
            start = len(properties)
            for i, (name, prop) in enumerate(properties.items()):
                yield name, prop
                if saturated[0]:  # set by the caller once no other optional property can be shown
                    start = i + 1
                    break
        if start >= len(properties):
            return
        names, position = _positions(properties)
        for i in sorted(position[n] for n in wanted if n in position):
            if i >= start:
                yield names[i], properties[names[i]]

    def _object(self, schema: Schema, path: str, depth: int, stack: tuple[str, ...]) -> Any:
        out: dict[str, Any] = {}
        optional = 0
        preferred = self.prefer.get(f"{path}{{}}")
        shown: list[str] = []
        saturated = [False]
        for name, prop in self._properties(schema, path, preferred, saturated):
            if (self.usage == "request" and prop.read_only) or (self.usage == "response" and prop.write_only):
                continue
            p_path = f"{path}.{name}"
            required = name in schema.required
            focused = self.focused(p_path, prop)
            if not required and not focused:
                if preferred is not None and name not in preferred:
                    continue
                if preferred is None and optional >= OPTIONAL_PROPERTIES:
                    continue
            value = self.value(prop, p_path, depth - 1, stack)
            if value is OMIT:
                continue
            if value is CUT:
                if not required:
                    continue
                value = minimal(prop, self.api)
            if not required:
                optional += 1
                if not focused:
                    shown.append(name)
            out[name] = value
            saturated[0] = preferred is None and optional >= OPTIONAL_PROPERTIES
        self.chosen[f"{path}{{}}"] = shown
        if isinstance(schema.additional, Schema) and not schema.properties:
            value = self.value(schema.additional, f"{path}{{*}}", depth - 1, stack)
            if value is not CUT:
                out["key"] = value
        if schema.min_properties and len(out) < schema.min_properties:
            for name, prop in schema.properties.items():
                if len(out) >= schema.min_properties:
                    break
                if name not in out:
                    value = self.value(prop, f"{path}.{name}", depth - 1, stack)
                    out[name] = minimal(prop, self.api) if value is CUT else value
        return out


_LABELS: dict[int, tuple[tuple[Schema, ...], dict[str, int]]] = {}  # id(branches) -> (branches, label -> first)
_USERS: dict[int, tuple[Mapping[str, Schema], dict[str, list[str]]]] = {}


def _users_of(api: HttpApi, properties: Mapping[str, Schema]) -> dict[str, list[str]]:
    """Named schema → the properties (of ``properties``) whose schemas use it, directly or through
    others; built once per object, cached like :func:`_positions`."""
    cached = _USERS.get(id(properties))
    if cached is not None and cached[0] is properties:
        return cached[1]
    memo: dict[str, frozenset[str]] = {}
    index: dict[str, list[str]] = {}
    for name, prop in properties.items():
        uses = schema_refs(api, prop, memo)
        if prop.ref is not None:
            memo.setdefault(prop.ref, uses)
        for component in uses:
            index.setdefault(component, []).append(name)
    if len(_USERS) >= 256:
        _USERS.clear()
    _USERS[id(properties)] = (properties, index)
    return index
_POSITIONS: dict[int, tuple[Mapping[str, Schema], list[str], dict[str, int]]] = {}


def _positions(properties: Mapping[str, Schema]) -> tuple[list[str], dict[str, int]]:
    """The property names in order, and each one's position; cached like :func:`_first_by_label`."""
    cached = _POSITIONS.get(id(properties))
    if cached is not None and cached[0] is properties:
        return cached[1], cached[2]
    names = list(properties)
    position = {name: i for i, name in enumerate(names)}
    if len(_POSITIONS) >= 256:
        _POSITIONS.clear()
    _POSITIONS[id(properties)] = (properties, names, position)
    return names, position


def _first_by_label(branches: tuple[Schema, ...]) -> dict[str, int]:
    """Each label of ``branches`` with the position of its first branch; kept for the last tuples
    asked about (the tuple is kept with it, so an id cannot be reused while it is cached)."""
    cached = _LABELS.get(id(branches))
    if cached is not None and cached[0] is branches:
        return cached[1]
    first: dict[str, int] = {}
    for i, b in enumerate(branches):
        first.setdefault(label(b), i)
    if len(_LABELS) >= 256:
        _LABELS.clear()
    _LABELS[id(branches)] = (branches, first)
    return first


def label(schema: Schema) -> str:
    """How the differ names a composition branch (``Cat``, a title, or ``object``)."""
    if schema.ref:
        return schema.ref
    if schema.title:
        return schema.title
    return schema.type_label()


def pick_type(schema: Schema) -> str | None:
    named = schema.types - {"null"}
    for kind in _TYPE_ORDER:
        if kind in named:
            return kind
    if schema.properties or isinstance(schema.additional, Schema):
        return "object"
    if schema.items is not None:
        return "array"
    if schema.types == frozenset({"null"}):
        return None
    return "string"


def minimal(schema: Schema, api: HttpApi) -> Any:
    """The smallest value for a required element that a cycle or the depth limit cut off."""
    target = api.schemas.get(schema.ref, schema) if schema.ref else schema
    if target.nullable:
        return None
    kind = pick_type(target)
    return {"object": {}, "array": [], "integer": 0, "number": 0, "boolean": False}.get(kind or "", "")


def sample_string(schema: Schema) -> str:
    text = FORMATS.get(schema.format or "", "string")
    if schema.max_length is not None and len(text) > schema.max_length:
        text = "string"[: schema.max_length] if schema.max_length <= 6 else "s" * schema.max_length
    if schema.min_length is not None and len(text) < schema.min_length:
        text += "x" * (schema.min_length - len(text))
    return text


def sample_number(schema: Schema, *, integer: bool) -> int | float:
    """1 (or 1.5), moved inside the bounds and onto ``multipleOf``."""
    lo = hi = None
    step = 1.0 if integer else 0.5
    low, high = (_finite(b.value) if b is not None else None for b in (schema.minimum, schema.maximum))
    if low is not None and schema.minimum is not None:
        lo = low + (step if schema.minimum.exclusive else 0)
    if high is not None and schema.maximum is not None:
        hi = high - (step if schema.maximum.exclusive else 0)
    value: float = 1 if integer else 1.5
    if lo is not None and value < lo:
        value = math.ceil(lo) if integer else lo
    if hi is not None and value > hi:
        value = math.floor(hi) if integer else hi
    m = _finite(schema.multiple_of) if schema.multiple_of else None
    if m:
        up = math.ceil(value / m) * m
        value = up if hi is None or up <= hi else math.floor(value / m) * m
    return int(value) if integer else value


def _finite(value: Number | None) -> float | None:
    """A bound as a float for a sample; None when no float holds it (an exact decimal of 400 digits)."""
    if value is None:
        return None
    as_float = float(value) if not isinstance(value, int) or abs(value) < 2**1000 else math.inf
    return as_float if math.isfinite(as_float) else None


def sample_value(schema: Schema | None, api: HttpApi, depth: int = DEFAULT_DEPTH, *, path: str = "",
                 focus: Focus = NO_FOCUS, usage: str | None = None) -> Any:
    """A plausible value for ``schema`` (references resolved in ``api``); ``None`` where nothing
    can be built (a cycle through required properties at the top)."""
    value = JsonSampler(api, focus, usage=usage).value(schema, path, depth)
    return None if value is CUT else value


# -- HTTP ---------------------------------------------------------------------------------------

def _scalar_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return dumps_json(value, ensure_ascii=False)


def _q(text: str) -> str:
    return quote(text, safe=":@,$!'()*")


def _query_pairs(param: Parameter, value: Any) -> list[str]:
    name = _q(param.name)
    if isinstance(value, list):
        explode = param.explode if param.explode is not None else param.style in (None, "form")
        if explode:
            return [f"{name}={_q(_scalar_text(v))}" for v in value]
        sep = {"spaceDelimited": "%20", "pipeDelimited": "|"}.get(param.style or "", ",")
        return [f"{name}={sep.join(_q(_scalar_text(v)) for v in value)}"]
    if isinstance(value, dict):
        if param.style == "deepObject":
            return [f"{name}[{_q(k)}]={_q(_scalar_text(v))}" for k, v in value.items()]
        return [f"{_q(k)}={_q(_scalar_text(v))}" for k, v in value.items()]
    return [f"{name}={_q(_scalar_text(value))}"]


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(_scalar_text(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k},{_scalar_text(v)}" for k, v in value.items())
    return _scalar_text(value)


def pick_media(content: Mapping[str, Any], prefer: str | None = None) -> str | None:
    """The media type to show: ``prefer`` when present, else JSON, else the first."""
    if prefer is not None and prefer in content:
        return prefer
    for name in content:
        if name == "application/json" or name.endswith("+json"):
            return name
    for name in content:
        if "json" in name:
            return name
    return next(iter(content), None)


def body_text(media: str, value: Any) -> str | None:
    """A body in ``media``, or ``None`` when the format cannot be shown as text."""
    if "json" in media:
        return dumps_json(value, indent=2, ensure_ascii=False)
    if media == "application/x-www-form-urlencoded" and isinstance(value, dict):
        return "&".join(f"{_q(k)}={_q(_plain(v))}" for k, v in value.items())
    if media.startswith("text/") and not isinstance(value, (dict, list)):
        return _scalar_text(value)
    return None


def status_line(status: str) -> str:
    code = {"default": "500"}.get(status.lower(), status.upper().replace("XX", "00"))
    try:
        phrase = HTTPStatus(int(code)).phrase
    except ValueError:
        phrase = ""
    return f"HTTP/1.1 {code} {phrase}".rstrip()


class HttpSampler:
    """Requests and responses of the operations of one HTTP API, focused on one change."""

    request_values: JsonSampler
    response_values: JsonSampler

    def __init__(self, api: HttpApi, focus: Focus = NO_FOCUS, *, like: HttpSampler | None = None,
                 security: frozenset[str] | None = None) -> None:
        """``like``: the sampler of the other side, whose choices this one repeats where it can;
        ``security``: the security alternative to show (scheme names), when the operation has it."""
        self.api = api
        self.focus = focus
        self.security = security
        self.request_values = JsonSampler(api, focus, usage="request",
                                          prefer=like.request_values.chosen if like else None)
        self.response_values = JsonSampler(api, focus, usage="response",
                                           prefer=like.response_values.chosen if like else None)

    def _wanted(self, sampler: JsonSampler, path: str, schema: Schema | None, required: bool) -> bool:
        return required or sampler.touches(path, schema)

    def auth(self, op: Operation) -> tuple[list[str], list[str]]:
        """Headers and query pairs for a security alternative of ``op``: the first one that
        ``self.security`` names, else the first."""
        headers: list[str] = []
        query: list[str] = []
        if not op.security:
            return headers, query
        chosen = next((alt for alt in op.security if self.security is not None
                       and frozenset(n for n, _ in alt) == self.security), op.security[0])
        for name, _scopes in chosen:
            scheme = self.api.security_schemes.get(name)
            if scheme is None:
                headers.append(f"Authorization: <{name} credentials>")
                continue
            kind = scheme.type.lower()
            if kind == "http" and (scheme.scheme or "").lower() == "basic":
                headers.append("Authorization: Basic <credentials>")
            elif kind in ("http", "oauth2", "openidconnect"):
                headers.append(f"Authorization: {(scheme.scheme or 'Bearer').title()} <token>")
            elif kind == "apikey" and scheme.scheme:
                where, _, key = scheme.scheme.partition(" ")
                if where == "header":
                    headers.append(f"{key}: <api key>")
                elif where == "query":
                    query.append(f"{_q(key)}=<api-key>")
                elif where == "cookie":
                    headers.append(f"Cookie: {key}=<api key>")
        return headers, query

    def request(self, op: Operation, subject: str, *, body: bool | None = None) -> str:
        """The request line, headers and body; ``body`` forces the body in (True) or out (False)."""
        values = self.request_values
        path = op.path
        query: list[str] = []
        headers: list[str] = []
        cookies: list[str] = []
        for param in op.parameters.values():
            p_subject = f"{subject} {param.location_in} parameter {param.name}"
            required = param.required or param.location_in == "path"
            if not self._wanted(values, p_subject, param.schema, required):
                continue
            value = values.value(param.schema, p_subject)
            if value is OMIT:
                continue
            if value is CUT:
                value = "string"
            if param.location_in == "path":
                path = path.replace("{" + param.name + "}", _q(_plain(value)))
            elif param.location_in == "query":
                query += _query_pairs(param, value)
            elif param.location_in == "header":
                headers.append(f"{param.name}: {_plain(value)}")
            elif param.location_in == "cookie":
                cookies.append(f"{param.name}={_q(_plain(value))}")
        auth_headers, auth_query = self.auth(op)
        query += auth_query
        headers = auth_headers + headers
        if cookies:
            headers.append("Cookie: " + "; ".join(cookies))
        target = path + ("?" + "&".join(query) if query else "")
        lines = [f"{op.method} {target} HTTP/1.1", *headers]
        text = None
        if op.body is not None and op.body.content:
            b_subject = f"{subject} request body"
            media = pick_media(op.body.content, self._focused_media(op.body.content, b_subject))
            assert media is not None
            schema = op.body.content[media].schema
            m_subject = f"{b_subject} {media}"
            show = body if body is not None else (op.body.required or values.touches(m_subject, schema))
            if show:
                lines.append(f"Content-Type: {media}")
                value = values.value(schema, m_subject)
                text = body_text(media, {} if value is CUT else value)
        return "\n".join(lines) + (f"\n\n{text}" if text is not None else "")

    def _focused_media(self, content: Mapping[str, Any], subject: str) -> str | None:
        """The first media type of ``content`` whose body (``subject`` + media) a focus target is or is in."""
        named = _named_keys(self.focus.targets, f"{subject} ", content)
        if not named:
            return None
        return named[0] if len(named) == 1 else next(str(m) for m in content if m in named)

    def response_status(self, op: Operation, subject: str) -> str | None:
        """The response that shows the focus best: one named by it, else the first success
        response that holds a focused element, else the first success response."""
        named = self._named_statuses(op, f"{subject} response ")
        if named:
            return named[0] if len(named) == 1 else next(s for s in op.responses if s in named)
        # success responses first, then the others, "default" last (each group in document order); the
        # first that holds a focused element, else the first of them all
        ordered = [*(s for s in op.responses if s.startswith("2")),
                   *(s for s in op.responses if not s.startswith("2") and s != "default"),
                   *(s for s in op.responses if s == "default")]
        for status in ordered:
            resp = op.responses[status]
            r_subject = f"{subject} response {status}"
            if any(self.response_values.touches(f"{r_subject} {m}", mt.schema) for m, mt in resp.content.items()) \
                    or any(self.response_values.touches(f"{r_subject} header {h.name}", h.schema)
                           for h in resp.headers.values()):
                return status
        return ordered[0] if ordered else None

    def _named_statuses(self, op: Operation, prefix: str) -> list[str]:
        """The statuses of ``op`` whose response (``prefix`` + status) a focus target is or is inside."""
        return _named_keys(self.focus.targets, prefix, op.responses)

    def response(self, op: Operation, subject: str, status: str) -> str:
        resp = op.responses[status]
        values = self.response_values
        r_subject = f"{subject} response {status}"
        lines = [status_line(status)]
        for header in resp.headers.values():
            h_subject = f"{r_subject} header {header.name}"
            if self._wanted(values, h_subject, header.schema, header.required):
                value = values.value(header.schema, h_subject)
                if value is OMIT:
                    continue
                lines.append(f"{header.name}: {_plain('string' if value is CUT else value)}")
        text = None
        media = pick_media(resp.content, self._focused_media(resp.content, r_subject))
        if media is not None:
            lines.append(f"Content-Type: {media}")
            value = values.value(resp.content[media].schema, f"{r_subject} {media}")
            text = body_text(media, {} if value is CUT else value)
        return "\n".join(lines) + (f"\n\n{text}" if text is not None else "")


def _decoded(text: str) -> Any:
    """A value of the model (kept as JSON text) for a sample; None for one JSON cannot carry (YAML's ``.inf`` and
    ``.nan``), which no HTTP example may contain."""
    try:
        return loads_json(text)
    except ValueError:
        return None
