"""Examples for the migration guide: JSON values built from schemas, HTTP requests and responses,
and GraphQL operations.

A value comes from ``const``, ``example`` (or the first of ``examples``), ``default`` or ``enum``,
else from the type, the format and the bounds
(``date-time`` → ``"2026-01-01T00:00:00Z"``, an integer inside ``minimum``/``maximum``, a string
inside ``minLength``/``maxLength``, the first enum value in the model's order, which is sorted, an array
of one item, an object with its required properties and a few optional ones). Cycles and deep nesting
are cut at ``depth``.

A :class:`Focus` says what a sample must show to illustrate one change: the elements to include
even when optional (named by the subjects the differ reports: ``Pet.owner``, ``GET /pets query
parameter limit``, ``Status``; for GraphQL the coordinates ``Type.field(arg:)``, ``Input.field``
and type names) and the values to put there.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from apidiff.formats.graphql.model import Api, Field, InputValue, TypeDef, TypeKind, TypeRef
from apidiff.formats.openapi.model import Operation, Parameter, Schema
from apidiff.formats.openapi.places import component_of, schema_refs
from apidiff.formats.openapi.places import under as _under

DEFAULT_DEPTH = 6
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


@dataclass(frozen=True, slots=True)
class Focus:
    """What a sample must show: elements to include although optional, and values to use."""

    include: frozenset[str] = frozenset()
    values: Mapping[str, Any] = field(default_factory=dict)

    @property
    def targets(self) -> frozenset[str]:
        return self.include | frozenset(self.values)


NO_FOCUS = Focus()


class JsonSampler:
    """Sample values of the JSON Schemas of one HTTP API."""

    def __init__(self, api: Api, focus: Focus = NO_FOCUS, *, usage: str | None = None,
                 prefer: Mapping[str, Any] | None = None) -> None:
        self.api = api
        self.focus = focus
        self.usage = usage  # "request": leave readOnly properties out; "response": writeOnly ones
        # choices made by the sample of the other side (enum values, optional properties by path):
        # reused where still valid, so that the before and after samples differ only by the change
        self.prefer: Mapping[str, Any] = prefer or {}
        self.chosen: dict[str, Any] = {}
        self._reach: dict[str, frozenset[str]] = {}
        self.components = frozenset(c for t in focus.targets if (c := component_of(t, api.schemas)) is not None)

    # -- reachability -------------------------------------------------------------------------
    def refs(self, schema: Schema | None) -> frozenset[str]:
        """The named schemas ``schema`` uses, directly or through others."""
        return schema_refs(self.api, schema, self._reach)

    def focused(self, path: str, schema: Schema | None) -> bool:
        """Whether the element at ``path`` holds something the focus names."""
        if any(_under(path, t) for t in self.focus.targets):
            return True
        if not self.components or schema is None:
            return False
        if schema.ref is not None:
            key = schema.ref
            if key not in self._reach:
                self._reach[key] = self.refs(schema)
            return bool(self._reach[key] & self.components)
        return bool(self.refs(schema) & self.components)

    def touches(self, path: str, schema: Schema | None) -> bool:
        """Focused, or inside an element the focus names (a body, a parameter, a response)."""
        return self.focused(path, schema) or any(_under(t, path) for t in self.focus.targets)

    # -- values -------------------------------------------------------------------------------
    def value(self, schema: Schema | None, path: str = "", depth: int = DEFAULT_DEPTH,
              stack: tuple[str, ...] = ()) -> Any:
        """A value valid for ``schema``; :data:`CUT` when a cycle or the depth limit stops it."""
        if path in self.focus.values:
            return self.focus.values[path]
        if schema is None:
            return "string"
        if schema.ref is not None:
            name = schema.ref
            if name in self.focus.values:
                return self.focus.values[name]
            target = self.api.schemas.get(name)
            if target is None or name in stack or depth <= 0:
                return CUT
            return self.value(target, name, depth, (*stack, name))
        if depth <= 0:
            return CUT
        if schema.const is not None:
            return json.loads(schema.const)
        if schema.example is not None:
            return json.loads(schema.example)
        if schema.default is not None:
            return json.loads(schema.default)
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

    def _enum(self, values: tuple[str, ...], path: str) -> Any:
        preferred = self.prefer.get(f"{path}=")
        if preferred is not None and json.dumps(preferred) in values:
            value = preferred
        else:
            decoded = [json.loads(v) for v in values]
            value = next((v for v in decoded if v is not None), decoded[0])
        self.chosen[f"{path}="] = value
        return value

    def _branch(self, branches: tuple[Schema, ...], prefix: str) -> Schema:
        for b in branches:
            if any(_under(f"{prefix} {label(b)}", t) for t in self.focus.targets):
                return b
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

    def _object(self, schema: Schema, path: str, depth: int, stack: tuple[str, ...]) -> Any:
        out: dict[str, Any] = {}
        optional = 0
        preferred = self.prefer.get(f"{path}{{}}")
        shown: list[str] = []
        for name, prop in schema.properties.items():
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


def minimal(schema: Schema, api: Api) -> Any:
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
    if schema.minimum is not None:
        lo = schema.minimum.value + (step if schema.minimum.exclusive else 0)
    if schema.maximum is not None:
        hi = schema.maximum.value - (step if schema.maximum.exclusive else 0)
    value: float = 1 if integer else 1.5
    if lo is not None and value < lo:
        value = math.ceil(lo) if integer else lo
    if hi is not None and value > hi:
        value = math.floor(hi) if integer else hi
    if schema.multiple_of:
        m = schema.multiple_of
        up = math.ceil(value / m) * m
        value = up if hi is None or up <= hi else math.floor(value / m) * m
    return int(value) if integer else value


def sample_value(schema: Schema | None, api: Api, depth: int = DEFAULT_DEPTH, *, path: str = "",
                 focus: Focus = NO_FOCUS, usage: str | None = None) -> Any:
    """A plausible value for ``schema`` (references resolved in ``api``); ``None`` where nothing
    can be built (a cycle through required properties at the top)."""
    value = JsonSampler(api, focus, usage=usage).value(schema, path, depth)
    return None if value is CUT else value


# -- HTTP ---------------------------------------------------------------------------------------

def _scalar_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


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
        return json.dumps(value, indent=2, ensure_ascii=False)
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

    def __init__(self, api: Api, focus: Focus = NO_FOCUS, *, like: HttpSampler | None = None,
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
        for media in content:
            if any(_under(f"{subject} {media}", t) for t in self.focus.targets):
                return str(media)
        return None

    def response_status(self, op: Operation, subject: str) -> str | None:
        """The response that shows the focus best: one named by it, else the first success
        response that holds a focused element, else the first success response."""
        for status in op.responses:
            if any(_under(f"{subject} response {status}", t) for t in self.focus.targets):
                return status
        holding = []
        for status, resp in op.responses.items():
            r_subject = f"{subject} response {status}"
            if any(self.response_values.touches(f"{r_subject} {m}", mt.schema) for m, mt in resp.content.items()) \
                    or any(self.response_values.touches(f"{r_subject} header {h.name}", h.schema)
                           for h in resp.headers.values()):
                holding.append(status)
        ordered = sorted(holding or list(op.responses), key=lambda s: (not s.startswith("2"), s == "default"))
        return ordered[0] if ordered else None

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


# -- GraphQL ------------------------------------------------------------------------------------

@dataclass(slots=True)
class Sel:
    """One line of a selection set: a field with its arguments, an inline fragment or a comment,
    with the selections under it (``None`` for a leaf)."""

    text: str
    children: list[Sel] | None = None


Step = tuple[str, str]  # ("field", "Type.field") or ("on", "Type")

_SCALARS = {"Int": "1", "Float": "1.5", "String": '"string"', "Boolean": "true", "ID": '"1"'}
_LEAF = (TypeKind.SCALAR, TypeKind.ENUM)


class GraphQLIndex:
    """The selection graph of one GraphQL schema, built once and shared by the samplers.

    Paths are found backwards: a breadth-first walk from the goal types over the reversed graph
    gives each type its distance to the goal (one walk per goal set, whatever the number of root
    fields), and a path from a root field follows the distances down. On a schema where almost
    everything is reachable from everything (GitHub's, through ``node``), this keeps the guide
    linear in the number of changes rather than in changes × root fields × types.
    """

    def __init__(self, api: Api) -> None:
        self.api = api
        self.implementations: dict[str, list[str]] = {}
        for t in api.types.values():
            for iface in t.interfaces:
                self.implementations.setdefault(iface, []).append(t.name)
        self._preds: dict[str, list[str]] | None = None
        self._dist: dict[frozenset[str], dict[str, int]] = {}
        self._input_reach: dict[str, frozenset[str]] = {}
        self._returning: dict[str, frozenset[str]] = {}
        self._arg_owners: dict[str, frozenset[str]] = {}

    def kind(self, name: str) -> TypeKind | None:
        t = self.api.types.get(name)
        return t.kind if t is not None else None

    def successors(self, type_name: str) -> Iterable[tuple[Step, str]]:
        """Selections from a composite type into composite types: fields, and inline fragments
        on union members and interface implementations."""
        t = self.api.types.get(type_name)
        if t is None:
            return
        if t.kind in (TypeKind.OBJECT, TypeKind.INTERFACE):
            for f in t.fields.values():
                if self.kind(f.type.name) not in _LEAF and f.type.name in self.api.types:
                    yield ("field", f"{type_name}.{f.name}"), f.type.name
        if t.kind is TypeKind.UNION:
            for m in t.members:
                yield ("on", m), m
        if t.kind is TypeKind.INTERFACE:
            for m in self.implementations.get(type_name, ()):
                yield ("on", m), m

    def input_types(self, name: str) -> frozenset[str]:
        """Types reachable from input type ``name`` through input fields, itself included."""
        if name in self._input_reach:
            return self._input_reach[name]
        seen: set[str] = set()
        stack = [name]
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            t = self.api.types.get(n)
            if t is not None:
                stack.extend(f.type.name for f in t.input_fields.values())
        self._input_reach[name] = frozenset(seen)
        return self._input_reach[name]

    def returning(self, name: str) -> frozenset[str]:
        """Types with a field of type ``name``."""
        if name not in self._returning:
            self._returning[name] = frozenset(t.name for t in self.api.types.values()
                                              if any(f.type.name == name for f in t.fields.values()))
        return self._returning[name]

    def arg_owners(self, name: str) -> frozenset[str]:
        """Types with a field that takes an argument whose type contains ``name``."""
        if name not in self._arg_owners:
            self._arg_owners[name] = frozenset(
                t.name for t in self.api.types.values()
                if any(name in self.input_types(a.type.name) for f in t.fields.values() for a in f.args.values()))
        return self._arg_owners[name]

    def distances(self, goals: frozenset[str]) -> dict[str, int]:
        """For each type that can reach a goal type by selections, the number of steps."""
        if goals in self._dist:
            return self._dist[goals]
        if self._preds is None:
            preds: dict[str, list[str]] = {}
            for t in self.api.types.values():
                for _step, target in self.successors(t.name):
                    preds.setdefault(target, []).append(t.name)
            self._preds = preds
        dist = {g: 0 for g in goals}
        frontier = list(goals)
        while frontier:
            nxt = []
            for name in frontier:
                for pred in self._preds.get(name, ()):
                    if pred not in dist:
                        dist[pred] = dist[name] + 1
                        nxt.append(pred)
            frontier = nxt
        self._dist[goals] = dist
        return dist

    def walk(self, root_type: str, root_field: str, goals: frozenset[str]) -> tuple[list[Step], str] | None:
        """The shortest selection path from a root field to a goal type, and that type."""
        root = self.api.types.get(root_type)
        f = root.fields.get(root_field) if root is not None else None
        if f is None:
            return None
        dist = self.distances(goals)
        current = f.type.name
        if current not in dist:
            return None
        steps: list[Step] = [("field", f"{root_type}.{root_field}")]
        while dist[current] > 0:
            for step, target in self.successors(current):
                if dist.get(target) == dist[current] - 1:
                    steps.append(step)
                    current = target
                    break
            else:  # pragma: no cover - distances come from these very edges
                return None
        return steps, current


class GraphQLSampler:
    """GraphQL operations on one schema that select a path to an element, with argument values.

    ``other`` is the schema on the other side of the comparison: arguments it requires are passed
    here too when they exist, so that the before and after operations differ only where the change
    is. With ``variables``, the focused arguments are passed as variables with a default value
    (``query ($genre: Genre = HISTORY)``).
    """

    def __init__(self, api: Api, focus: Focus = NO_FOCUS, *, other: Api | None = None,
                 variables: bool = False, index: GraphQLIndex | None = None,
                 prefer: list[Step] | None = None) -> None:
        """``prefer``: the path the other side's example took, reused when it is valid here."""
        self.api = api
        self.focus = focus
        self.other = other
        self.variables = variables
        self.index = index if index is not None else GraphQLIndex(api)
        self.prefer = prefer
        self.steps: list[Step] | None = None  # the path of the last example built
        self.declared: dict[str, str] = {}
        self.focus_types = frozenset(t.split(".", 1)[0].split("(", 1)[0] for t in focus.targets)

    def kind(self, name: str) -> TypeKind | None:
        return self.index.kind(name)

    def input_types(self, name: str) -> frozenset[str]:
        return self.index.input_types(name)

    # -- paths --------------------------------------------------------------------------------
    def _follow(self, root_type: str, root_field: str, steps: list[Step]) -> str | None:
        """The type a path ends on, when it is valid on this schema from this root field."""
        if not steps or steps[0] != ("field", f"{root_type}.{root_field}"):
            return None
        current = root_type
        for kind, name in steps:
            t = self.api.types.get(current)
            if t is None:
                return None
            if kind == "field":
                owner, field_name = name.split(".", 1)
                f = t.fields.get(field_name)
                if owner != current or f is None:
                    return None
                current = f.type.name
            else:
                target = self.api.types.get(name)
                if target is None or not (name in t.members or current in target.interfaces):
                    return None
                current = name
        return current

    def _walk(self, root_type: str, root_field: str, goals: frozenset[str]) -> tuple[list[Step], str] | None:
        if self.prefer:
            end = self._follow(root_type, root_field, self.prefer)
            if end is not None and end in goals:
                return list(self.prefer), end
        return self.index.walk(root_type, root_field, goals)

    def path_to(self, root_type: str, root_field: str, target: str) -> list[Step] | None:
        """Steps from the root field to a selection on type ``target``; ``[]`` when ``target`` is
        the root type itself."""
        if target == root_type:
            return []
        found = self._walk(root_type, root_field, frozenset({target}))
        return found[0] if found is not None else None

    def path_to_implementation(self, root_type: str, root_field: str,
                               interface: str) -> tuple[list[Step], str] | None:
        """Steps to a type that implements ``interface`` (where ``... on interface`` is valid)."""
        goals = frozenset(self.index.implementations.get(interface, ()))
        return self._walk(root_type, root_field, goals) if goals else None

    def _path_to_field(self, root_type: str, root_field: str, owners: frozenset[str],
                       test: Callable[[Field], bool]) -> tuple[list[Step], str, str] | None:
        root = self.api.types.get(root_type)
        f = root.fields.get(root_field) if root is not None else None
        if f is None:
            return None
        if test(f):  # the root field itself
            return [], root_type, root_field
        found = self._walk(root_type, root_field, owners)
        if found is None:
            return None
        steps, owner = found
        name = next(g.name for g in self.api.types[owner].fields.values() if test(g))
        return steps, owner, name

    def path_to_returning(self, root_type: str, root_field: str,
                          target: str) -> tuple[list[Step], str, str] | None:
        """Steps to a type, that type and its first field of type ``target``."""
        return self._path_to_field(root_type, root_field, self.index.returning(target),
                                   lambda f: f.type.name == target)

    def path_to_argument(self, root_type: str, root_field: str,
                         target: str) -> tuple[list[Step], str, str] | None:
        """Steps to a type, that type and its first field with an argument whose type contains
        input type (or enum, or scalar) ``target``."""
        return self._path_to_field(root_type, root_field, self.index.arg_owners(target),
                                   lambda f: any(target in self.input_types(a.type.name) for a in f.args.values()))

    # -- values -------------------------------------------------------------------------------
    def focused(self, coordinate: str, value: InputValue) -> bool:
        """The focus names this argument or input field, or a type its value contains."""
        return coordinate in self.focus.targets or bool(self.input_types(value.type.name) & self.focus_types)

    def _wanted(self, coordinate: str, value: InputValue, other: InputValue | None) -> bool:
        return value.required or (other is not None and other.required) or self.focused(coordinate, value)

    def literal(self, ref: TypeRef, depth: int = DEFAULT_DEPTH) -> str:
        """A GraphQL literal of type ``ref``."""
        if ref.wrappers:
            if ref.wrappers[0] == "[]":
                return f"[{self.literal(ref.unwrap(), depth)}]"
            return self.literal(ref.unwrap(), depth)
        name = ref.name
        if name in self.focus.values:
            return str(self.focus.values[name])
        t = self.api.types.get(name)
        if t is None or t.kind is TypeKind.SCALAR:
            return _SCALARS.get(name, '"string"')
        if t.kind is TypeKind.ENUM:
            live = [v for v in t.values.values() if v.deprecation is None] or list(t.values.values())
            return live[0].name if live else "null"
        if t.kind is TypeKind.INPUT_OBJECT:
            return self._object(t, depth)
        return "null"

    def _object(self, t: TypeDef, depth: int) -> str:
        other_type = self.other.types.get(t.name) if self.other is not None else None
        fields = list(t.input_fields.values())
        if t.one_of:  # exactly one field: the focused one, else the first
            fields = [next((f for f in fields if self.focused(f"{t.name}.{f.name}", f)), fields[0])] if fields else []
        parts = []
        for f in fields:
            coordinate = f"{t.name}.{f.name}"
            other = other_type.input_fields.get(f.name) if other_type is not None else None
            if not t.one_of and not self._wanted(coordinate, f, other):
                continue
            if depth <= 0 and not f.type.non_null:
                continue
            value = self.focus.values.get(coordinate)
            parts.append(f"{f.name}: {value if value is not None else self.literal(f.type, depth - 1)}")
        return "{" + ", ".join(parts) + "}"

    def arguments(self, type_name: str, field_name: str) -> str:
        t = self.api.types[type_name]
        f = t.fields[field_name]
        other_field = None
        if self.other is not None and type_name in self.other.types:
            other_field = self.other.types[type_name].fields.get(field_name)
        parts = []
        for arg in f.args.values():
            coordinate = f"{type_name}.{field_name}({arg.name}:)"
            other = other_field.args.get(arg.name) if other_field is not None else None
            if not self._wanted(coordinate, arg, other):
                continue
            value = self.focus.values.get(coordinate)
            text = str(value) if value is not None else self.literal(arg.type)
            if self.variables and self.focused(coordinate, arg):
                var = arg.name
                while var in self.declared:
                    var += "_"
                self.declared[var] = f"${var}: {arg.type} = {text}"
                text = f"${var}"
            parts.append(f"{arg.name}: {text}")
        return f"({', '.join(parts)})" if parts else ""

    # -- selections ---------------------------------------------------------------------------
    def default_selection(self, type_name: str) -> list[Sel] | None:
        """What to select under a field of type ``type_name``: ``id``, else up to three leaf fields
        without required arguments, else ``__typename``; ``None`` for a leaf type."""
        t = self.api.types.get(type_name)
        if t is None or t.kind in _LEAF:
            return None
        if t.kind in (TypeKind.OBJECT, TypeKind.INTERFACE):
            leaves = [f.name for f in t.fields.values()
                      if self.kind(f.type.name) in _LEAF and not any(a.required for a in f.args.values())]
            if "id" in leaves:
                return [Sel("id")]
            if leaves:
                return [Sel(name) for name in leaves[:3]]
        return [Sel("__typename")]

    def field(self, type_name: str, field_name: str, children: list[Sel] | None = None) -> Sel:
        """``field(args) { … }`` on ``type_name``; ``children`` replaces the default selection."""
        f = self.api.types[type_name].fields[field_name]
        below = children if children is not None else self.default_selection(f.type.name)
        if self.kind(f.type.name) in _LEAF:
            below = None
        return Sel(f"{field_name}{self.arguments(type_name, field_name)}", below)

    def operation(self, steps: list[Step], leaf: list[Sel], root_type: str) -> str:
        """The whole operation: the steps from the root, then ``leaf`` at the end."""
        self.steps = steps
        inner = leaf
        for kind, name in reversed(steps):
            if kind == "on":
                inner = [Sel(f"... on {name}", inner)]
            else:
                owner, field_name = name.split(".", 1)
                inner = [self.field(owner, field_name, inner)]
        keyword = next((op for op, m in self.api.roots.items() if m.target == root_type), "query")
        head = keyword
        if self.declared:
            head += " (" + ", ".join(self.declared[k] for k in self.declared) + ")"
        lines = [head + " {"]
        _render(inner, 1, lines)
        lines.append("}")
        return "\n".join(lines)


def _render(sels: list[Sel], level: int, lines: list[str]) -> None:
    pad = "  " * level
    for sel in sels:
        if sel.children is None:
            lines.append(pad + sel.text)
        else:
            lines.append(pad + sel.text + " {")
            _render(sel.children, level + 1, lines)
            lines.append(pad + "}")
