"""HTTP APIs in the type graph: operations, parameters, bodies, responses and JSON Schemas.

OpenAPI (2.0, 3.0, 3.1) normalizes into these; so can any HTTP description later. Named schemas
(OpenAPI components, or a schema in another file reached by ``$ref``) live in ``HttpApi.schemas`` and
are referenced by ``Schema.ref``; everything else is inline. Like the rest of the model, the
classes are frozen, slotted, and compare without their locations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from apidiff.core.location import Location
from apidiff.core.model import Api, Deprecation
from apidiff.formats.jsonschema.model import JSON_TYPES, Bound, Discriminator, Schema, nested


@dataclass(frozen=True, slots=True, kw_only=True)
class Parameter:
    """A request parameter (``in`` path, query, header or cookie) or a response header.

    ``style`` and ``explode`` are as written (None: unset); :func:`serialization` applies the
    defaults. ``scalar`` says that the schema, after ``$ref``, allows only primitive values (no
    array, no object), which every style except ``matrix`` and ``label`` writes the same way; it
    follows from the schema, so it is not compared."""

    name: str
    location_in: str  # path | query | header | cookie ("header" for response headers)
    required: bool = False
    schema: Schema | None = None
    style: str | None = None
    explode: bool | None = None
    scalar: bool = field(default=False, compare=False)
    allow_empty: bool = False
    deprecation: Deprecation | None = None
    description: str | None = None
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaType:
    name: str  # application/json
    schema: Schema | None = None
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Body:
    """A request body."""

    required: bool = False
    content: Mapping[str, MediaType] = field(default_factory=dict)
    description: str | None = None
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    status: str  # "200", "2XX", "default"
    content: Mapping[str, MediaType] = field(default_factory=dict)
    headers: Mapping[str, Parameter] = field(default_factory=dict)
    description: str | None = None
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class OAuthFlow:
    """One OAuth 2.0 flow of a security scheme (2.0 flow names are read as their 3.x names)."""

    scopes: tuple[str, ...] = ()
    authorization_url: str | None = None
    token_url: str | None = None
    refresh_url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityScheme:
    """A security scheme; two schemes are the same scheme when their :func:`definition` is, whatever
    their key in ``components/securitySchemes`` (``name``, which does not take part in equality)."""

    name: str = field(compare=False)
    type: str  # apiKey | http | oauth2 | openIdConnect | mutualTLS (2.0 basic is read as http basic)
    scheme: str | None = None  # http: bearer, basic; apiKey: the header/query/cookie and its name
    bearer_format: str | None = None
    flows: Mapping[str, OAuthFlow] = field(default_factory=dict)  # oauth2 flow -> its URLs and scopes
    open_id_connect_url: str | None = None
    location: Location = field(compare=False)


def definition(scheme: SecurityScheme) -> tuple[object, ...]:
    """What a scheme is on the wire, hashable and spelling-blind: the type and HTTP scheme are
    case-insensitive, and so is a header name (a query or cookie name is not). The bearer format
    is documentation and is left out."""
    kind = scheme.type.lower()
    written = scheme.scheme or ""
    if kind == "apikey":
        where, _, key = written.partition(" ")
        written = f"{where.lower()} {key.lower() if where.lower() == 'header' else key}"
    elif kind == "http":
        written = written.lower()
    flows = tuple(sorted((name, f.scopes, f.authorization_url, f.token_url, f.refresh_url)
                         for name, f in scheme.flows.items()))
    return (kind, written, flows, scheme.open_id_connect_url)


@dataclass(frozen=True, slots=True, kw_only=True)
class Operation:
    """One HTTP operation, keyed by method and normalized path (``GET /pets/{}``)."""

    key: str
    method: str
    path: str  # the path template as written (/pets/{petId})
    operation_id: str | None = None
    summary: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    parameters: Mapping[str, Parameter] = field(default_factory=dict)  # "query limit" -> Parameter
    body: Body | None = None
    responses: Mapping[str, Response] = field(default_factory=dict)
    # alternatives (any one suffices), each a set of schemes with their scopes; None: no requirement
    security: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] | None = None
    # the definitions of the schemes ``security`` names, from this operation's own document (a name
    # that no scheme defines is absent): requirements are compared by what the schemes are
    security_schemes: Mapping[str, SecurityScheme] = field(default_factory=dict, compare=False)
    servers: tuple[str, ...] = ()
    deprecation: Deprecation | None = None
    stability: str | None = None  # x-stability-level: draft, alpha, beta, stable
    webhook: bool = False
    location: Location = field(compare=False)


def serialization(param: Parameter) -> tuple[str, bool]:
    """The effective ``(style, explode)`` of a parameter, by the OpenAPI 3.x defaults: ``form`` in
    query and cookie, ``simple`` in path and header; ``explode`` is true for ``form`` only."""
    style = param.style or ("form" if param.location_in in ("query", "cookie") else "simple")
    return style, param.explode if param.explode is not None else style == "form"


def path_key(path: str) -> str:
    """``/pets/{petId}`` → ``/pets/{}``: renaming a path parameter keeps the operation.

    A trailing slash is dropped too (``/metrics/`` and ``/metrics`` are one operation), so that a
    path that gained or lost it is not reported as removed and added; the rule
    ``path-trailing-slash-changed`` reports it on the operation."""
    out = []
    depth = 0
    for ch in path:
        if ch == "{":
            depth += 1
            if depth == 1:
                out.append("{}")
            continue
        if ch == "}":
            depth = max(0, depth - 1)
            continue
        if depth == 0:
            out.append(ch)
    key = "".join(out)
    return key.rstrip("/") or "/"


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpApi(Api):
    """An HTTP API description (OpenAPI 2.0, 3.0, 3.1): operations, named schemas, security schemes."""

    operations: Mapping[str, Operation] = field(default_factory=dict)  # "GET /pets/{}" -> Operation
    schemas: Mapping[str, Schema] = field(default_factory=dict)  # named JSON Schemas
    security_schemes: Mapping[str, SecurityScheme] = field(default_factory=dict)


__all__ = ["JSON_TYPES", "Body", "Bound", "Discriminator", "HttpApi", "MediaType", "OAuthFlow", "Operation",
           "Parameter", "Response", "Schema", "SecurityScheme", "definition", "nested", "path_key", "serialization"]

HttpApiParts = tuple[Mapping[str, Operation], Mapping[str, Schema], Mapping[str, SecurityScheme]]
