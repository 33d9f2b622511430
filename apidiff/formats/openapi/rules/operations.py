"""HTTP operations, parameters, request bodies, responses, response headers, media types, security."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apidiff.core.change import Hit, Severity
from apidiff.core.pair import Pair
from apidiff.core.rule import (
    BREAKING,
    DANGEROUS,
    INPUT,
    OUTPUT,
    SAFE,
    Policy,
    deprecation_added,
    deprecation_removed,
    deprecation_variant,
    description_message,
    removal_rule,
    rule,
)
from apidiff.formats.openapi.model import (
    Body,
    MediaType,
    OAuthFlow,
    Operation,
    Parameter,
    Response,
    Schema,
    SecurityScheme,
    definition,
    serialization,
)
from apidiff.formats.openapi.rules._examples import HTTP_DEPRECATIONS, OK, document, operation, pair, parameters

_GET = {"responses": OK}
_Q = {"name": "limit", "in": "query", "schema": {"type": "integer"}}
_QR = {**_Q, "required": True}


def _both(p: Pair[Any]) -> bool:
    return p.old is not None and p.new is not None


# -- operations -----------------------------------------------------------------------------------

@rule(id="operation-added", kind="operation", mirror="operation-removed", severity=SAFE,
      message="operation {subject} was added",
      example=pair(document({"/pets": {"get": _GET}}), document({"/pets": {"get": _GET, "post": _GET}})),
      equivalents=("oasdiff endpoint-added",))
def operation_added(pair: Pair[Operation], policy: Policy) -> Iterator[Hit]:
    """An operation (method and path) was added.

    Existing clients do not call it. Clients built for the new version that call it get 404 or 405
    from the old one, so a rollback is breaking (forward).

    ## Safe rollout
    Nothing to stage for existing clients; release clients that call it after the API.
    """
    if pair.old is None:
        yield Hit()


@removal_rule(base="operation-removed", kind="operation", noun="operation", mirror="operation-added",
              message="operation {subject} was removed", deprecations=HTTP_DEPRECATIONS,
              example=lambda dep: pair(document({"/pets": {"get": _GET, "post": {**_GET, **dep}}}),
                                       document({"/pets": {"get": _GET}})),
              equivalents=("oasdiff api-removed-without-deprecation", "oasdiff api-removed-before-sunset",
                           "oasdiff api-path-removed-without-deprecation", "oasdiff api-path-removed-before-sunset"),
              rollout="Expand: add the replacement operation. Migrate: mark the old one `deprecated: true` with "
                      "`x-sunset: <date>`, serve `Deprecation` and `Sunset` headers on its responses, and watch its "
                      "traffic. Contract: remove it after the sunset, once traffic is gone.")
def operation_removed(pair: Pair[Operation], policy: Policy) -> Iterator[Hit]:
    yield Hit()


@rule(id="operation-deprecated", at="deprecated", kind="operation", family="operation-deprecation",
      mirror="operation-deprecation", severity=SAFE, message="operation {subject} was deprecated{sunset}",
      example=pair(operation({}), operation({"deprecated": True, "x-sunset": "2027-03-01"})),
      equivalents=("oasdiff endpoint-deprecated", "oasdiff endpoint-deprecated-with-sunset"))
def operation_deprecated(pair: Pair[Operation], policy: Policy) -> Iterator[Hit]:
    """An operation was marked `deprecated: true`.

    Deprecation changes no behaviour; it starts the clock of the deprecation policy. With
    `x-sunset: <date>`, the later removal is judged against that date.

    ## Safe rollout
    This is the migrate step of a removal: name the replacement in the description, set
    `x-sunset`, and serve `Deprecation`/`Sunset` headers.
    """
    if (deprecation_added(pair) and pair.new is not None and pair.new.deprecation is not None
            and deprecation_variant(pair.new.deprecation, policy) == ""):
        sunset = pair.new.deprecation.sunset
        yield Hit({"sunset": f" (sunset {sunset.isoformat()})" if sunset else ""})


@rule(id="operation-undeprecated", at="deprecated", kind="operation", family="operation-deprecation",
      mirror="operation-deprecation", severity=SAFE, message="operation {subject} is no longer deprecated",
      example=pair(operation({"deprecated": True}), operation({})), equivalents=("oasdiff endpoint-reactivated",))
def operation_undeprecated(pair: Pair[Operation], policy: Policy) -> Iterator[Hit]:
    """A deprecated operation is no longer deprecated.

    Clients are unaffected; a planned removal was called off.

    ## Safe rollout
    Nothing to stage.
    """
    if deprecation_removed(pair):
        yield Hit()


@rule(id="operation-id-changed", at="operationId", kind="operation", mirror="operation-id-changed", severity=DANGEROUS,
      message="operationId of {subject} changed from {old} to {new}",
      example=pair(operation({"operationId": "listPets"}), operation({"operationId": "getPets"})),
      equivalents=("oasdiff api-operation-id-*",))
def operation_id_changed(pair: Pair[Operation], policy: Policy) -> Iterator[Hit]:
    """The `operationId` of an operation was added, changed or removed.

    Requests on the wire are unaffected, but SDKs and client code generated from the description
    name their methods after it: regenerated clients stop compiling.

    ## Safe rollout
    Keep operation ids stable; if one must change, release it with the SDKs' next major version.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.operation_id != n.operation_id:
        yield Hit({"old": repr(o.operation_id or ""), "new": repr(n.operation_id or "")})


@rule(id="path-trailing-slash-changed", kind="operation", mirror="path-trailing-slash-changed", severity=DANGEROUS,
      message="the path of {subject} changed from {old} to {new}: a trailing slash was {change}",
      example=pair(operation({}, path="/metrics"), operation({}, path="/metrics/")), equivalents=())
def path_trailing_slash_changed(pair: Pair[Operation], policy: Policy) -> Iterator[Hit]:
    """A path gained or lost a trailing slash (`/metrics` became `/metrics/`).

    apidiff matches the two spellings as one operation, so nothing else is reported as removed and
    added. Many servers and frameworks route them differently, though: clients that call the old
    spelling may get 404, or a redirect that drops the body of a `POST` or that they do not follow.

    ## Safe rollout
    Serve both spellings (or redirect the old one with 308) before changing the description.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and not n.webhook:
        old_slashes, new_slashes = len(o.path) - len(o.path.rstrip("/")), len(n.path) - len(n.path.rstrip("/"))
        if old_slashes != new_slashes:
            yield Hit({"old": o.path, "new": n.path, "change": "added" if new_slashes > old_slashes else "removed"})


@rule(id="operation-tags-changed", at="tags", kind="operation", mirror="operation-tags-changed", severity=SAFE,
      message="tags of {subject} changed from {old} to {new}",
      example=pair(operation({"tags": ["pets"]}), operation({"tags": ["animals"]})),
      equivalents=("oasdiff api-tag-added", "oasdiff api-tag-removed"))
def operation_tags_changed(pair: Pair[Operation], policy: Policy) -> Iterator[Hit]:
    """The tags of an operation changed.

    Tags group operations in documentation and sometimes in generated SDKs (one class per tag);
    requests are unaffected.

    ## Safe rollout
    Nothing to stage; mention it to SDK users if their generator groups by tag.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.tags != n.tags:
        yield Hit({"old": list(o.tags), "new": list(n.tags)})


@rule(id="operation-description-changed", at="description", kind="operation", mirror="operation-description-changed",
      severity=SAFE, message="summary or description of {subject} {change}",
      example=pair(operation({"summary": "List pets"}), operation({"summary": "List all pets"})),
      equivalents=())
def operation_description_changed(pair: Pair[Operation], policy: Policy) -> Iterator[Hit]:
    """The summary or description of an operation changed.

    Documentation only: requests and responses are the same. Listed for changelogs and reviews.

    ## Safe rollout
    Nothing to stage.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None:
        old = f"{o.summary or ''}\n{o.description or ''}".strip() or None
        new = f"{n.summary or ''}\n{n.description or ''}".strip() or None
        if old != new:
            yield Hit(description_message(old, new))


# A requirement list is an OR of alternatives, each an AND of (scheme, scopes). Schemes are compared by
# what they are (their definition), not by their key: a scheme renamed with the same definition is the
# same scheme. A scheme whose definition changed under the same key stays that scheme: the change is
# reported once, on the scheme (security-scheme-changed), not on every operation that uses it.

_Token = tuple[object, ...]
_Alternative = dict[_Token, frozenset[str]]


def _tokens(o: Operation, n: Operation) -> tuple[dict[str, _Token], dict[str, _Token]]:
    """What each scheme name stands for on each side: a name used on both sides is one scheme;
    otherwise a scheme is its definition (an undefined name is only itself)."""

    def token(op: Operation, name: str) -> _Token:
        scheme = op.security_schemes.get(name)
        return ("scheme", definition(scheme)) if scheme is not None else ("undefined", name)

    old = {name: token(o, name) for alt in o.security or () for name, _ in alt}
    new = {name: old[name] if name in old else token(n, name) for alt in n.security or () for name, _ in alt}
    return old, new


def _alternatives(op: Operation, tokens: dict[str, _Token]) -> list[_Alternative]:
    if not op.security:  # no requirement, or `security: []`: anonymous access
        return [{}]
    out: list[_Alternative] = []
    for alt in op.security:
        merged: _Alternative = {}
        for name, scopes in alt:
            merged[tokens[name]] = merged.get(tokens[name], frozenset()) | frozenset(scopes)
        out.append(merged)
    return out


def _within(b: _Alternative, a: _Alternative) -> bool:
    """A client that satisfies ``a`` satisfies ``b``: every scheme of ``b`` is in ``a``, with no more scopes."""
    return all(t in a and scopes <= a[t] for t, scopes in b.items())


def _refused(old: list[_Alternative], new: list[_Alternative]) -> list[_Alternative]:
    """The alternatives of ``old`` that no alternative of ``new`` accepts."""
    return [a for a in old if not any(_within(b, a) for b in new)]


def _describe(op: Operation) -> str:
    if not op.security:
        return "no authentication"
    return " or ".join(
        " and ".join(f"{name} ({', '.join(scopes)})" if scopes else name for name, scopes in alt) or
        "no authentication" for alt in op.security)


def _requirements(pair: Pair[Operation]) -> tuple[int, int] | None:
    """How many alternatives of the old side the new one refuses, and of the new side the old one."""
    if (o := pair.old) is None or (n := pair.new) is None or o.security == n.security:
        return None
    old_tokens, new_tokens = _tokens(o, n)
    old, new = _alternatives(o, old_tokens), _alternatives(n, new_tokens)
    return len(_refused(old, new)), len(_refused(new, old))


def _secured(security: list[dict[str, list[str]]], **schemes: dict[str, Any]) -> str:
    return document({"/pets": {"get": {**_GET, "security": security}}},
                    components={"securitySchemes": schemes or _SCHEMES})


_OAUTH = {"type": "oauth2", "flows": {"clientCredentials": {
    "tokenUrl": "https://auth.example.com/token", "scopes": {"read": "read pets", "write": "write pets"}}}}
_SCHEMES = {"apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}, "oauth": _OAUTH}


@rule(id="security-requirement-removed", at="security", kind="operation", family="security-requirement",
      mirror="security-requirement", severity=BREAKING, message="{subject} now requires {new}; before: {old}",
      example=pair(_secured([{"apiKey": []}, {"oauth": ["read"]}]), _secured([{"oauth": ["read"]}])),
      equivalents=("oasdiff api-security-removed", "oasdiff api-security-scope-added",
                   "oasdiff api-global-security-added", "oasdiff api-global-security-scope-added"))
def security_requirement_removed(pair: Pair[Operation], policy: Policy) -> Iterator[Hit]:
    """A way to authenticate to an operation is no longer accepted.

    Security requirements are alternatives, each a set of schemes (with scopes) that must all be
    presented. A client that satisfied one of the old alternatives is refused with 401 or 403 when
    no new alternative asks for the same or less: an alternative was dropped, gained a scheme or a
    scope, or the operation now needs credentials. Schemes are compared by their definition, so
    renaming a scheme in `components/securitySchemes` changes nothing here. One change is reported
    per operation, saying what a client needs now and what it needed before.

    ## Safe rollout
    Add the new requirement as an extra alternative first, move clients to it, and remove the old
    alternative after the sunset.
    """
    counts = _requirements(pair)
    if counts is not None and counts[0] and pair.old is not None and pair.new is not None:
        yield Hit({"old": _describe(pair.old), "new": _describe(pair.new)})


@rule(id="security-requirement-added", at="security", kind="operation", family="security-requirement",
      mirror="security-requirement", severity=SAFE, message="{subject} now accepts {new}; before: {old}",
      example=pair(_secured([{"oauth": ["read"]}]), _secured([{"apiKey": []}, {"oauth": ["read"]}])),
      equivalents=("oasdiff api-security-added", "oasdiff api-security-scope-removed",
                   "oasdiff api-global-security-removed", "oasdiff api-global-security-scope-removed"))
def security_requirement_added(pair: Pair[Operation], policy: Policy) -> Iterator[Hit]:
    """An operation accepts more ways to authenticate, and every old one still.

    Every client that authenticated before still can: each old alternative is still accepted, as
    written or by a new alternative that asks for less (fewer schemes or scopes, or none at all).
    Clients built for the new version that use what was added are refused by the old one
    (forward).

    ## Safe rollout
    Nothing to stage for existing clients.
    """
    counts = _requirements(pair)
    if counts is not None and not counts[0] and counts[1] and pair.old is not None and pair.new is not None:
        yield Hit({"old": _describe(pair.old), "new": _describe(pair.new)})


# -- parameters -----------------------------------------------------------------------------------

@rule(id="parameter-added-required", kind="parameter", family="parameter-added", mirror="parameter-removed",
      severity=BREAKING, message="required {where} parameter {name} was added to {owner}",
      example=pair(parameters(), parameters(_QR)),
      equivalents=("oasdiff new-required-request-parameter", "oasdiff new-request-path-parameter"))
def parameter_added_required(pair: Pair[Parameter], policy: Policy) -> Iterator[Hit]:
    """A required parameter was added.

    Every existing request lacks it and is rejected.

    ## Safe rollout
    Add it as optional with a server-side default, migrate clients to send it, then make it
    required once every client does.
    """
    if pair.old is None and pair.new is not None and pair.new.required:
        yield Hit({"where": pair.new.location_in, "name": pair.new.name})


@rule(id="parameter-added-optional", kind="parameter", family="parameter-added", mirror="parameter-removed",
      severity=SAFE, message="optional {where} parameter {name} was added to {owner}",
      example=pair(parameters(), parameters(_Q)), equivalents=("oasdiff new-optional-request-parameter",))
def parameter_added_optional(pair: Pair[Parameter], policy: Policy) -> Iterator[Hit]:
    """An optional parameter was added.

    Existing requests do not send it and keep working. Clients built for the new version that send
    it may see it ignored by the old one (forward).

    ## Safe rollout
    Nothing to stage for existing clients.
    """
    if pair.old is None and pair.new is not None and not pair.new.required:
        yield Hit({"where": pair.new.location_in, "name": pair.new.name})


@removal_rule(base="parameter-removed", kind="parameter", noun="parameter", mirror="parameter-added",
              message="{where} parameter {name} was removed from {owner}", severity=DANGEROUS,
              deprecations=HTTP_DEPRECATIONS,
              example=lambda dep: pair(parameters({**_Q, **dep}), parameters()),
              equivalents=("oasdiff request-parameter-removed", "oasdiff request-parameter-removed-before-sunset"),
              rollout="Deprecate the parameter with `deprecated: true` and `x-sunset`, keep accepting it (ignored "
                      "or mapped to its replacement), and remove it from the description after the sunset.")
def parameter_removed(pair: Pair[Parameter], policy: Policy) -> Iterator[Hit]:
    """Clients that still send it are usually not rejected (the server ignores it), but whatever it
    controlled no longer happens: dangerous."""
    assert pair.old is not None
    yield Hit({"where": pair.old.location_in, "name": pair.old.name})


@rule(id="parameter-became-required", at="required", kind="parameter", family="parameter-required",
      mirror="parameter-required", severity=BREAKING, message="{where} parameter {name} of {owner} became required",
      example=pair(parameters(_Q), parameters(_QR)), equivalents=("oasdiff request-parameter-became-required",))
def parameter_became_required(pair: Pair[Parameter], policy: Policy) -> Iterator[Hit]:
    """An optional parameter became required.

    Requests that omit it are rejected with 400, though they were valid before.

    ## Safe rollout
    Keep it optional with a default on the server; migrate clients to send it explicitly first.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and not o.required and n.required:
        yield Hit({"where": n.location_in, "name": n.name})


@rule(id="parameter-became-optional", at="required", kind="parameter", family="parameter-required",
      mirror="parameter-required", severity=SAFE, message="{where} parameter {name} of {owner} became optional",
      example=pair(parameters(_QR), parameters(_Q)), equivalents=("oasdiff request-parameter-became-optional",))
def parameter_became_optional(pair: Pair[Parameter], policy: Policy) -> Iterator[Hit]:
    """A required parameter became optional.

    Every request that was valid still is. Clients built for the new version may omit it and be
    rejected by the old one (forward).

    ## Safe rollout
    Nothing to stage for existing clients.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.required and not n.required:
        yield Hit({"where": n.location_in, "name": n.name})


@rule(id="path-parameter-renamed", kind="parameter", mirror="path-parameter-renamed", severity=SAFE,
      message="path parameter {old} of {owner} was renamed to {new} (the path was {old_path})",
      example=pair(parameters({"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}},
                              path="/pets/{petId}"),
                   parameters({"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                              path="/pets/{id}")),
      equivalents=())
def path_parameter_renamed(pair: Pair[Parameter], policy: Policy) -> Iterator[Hit]:
    """A path parameter was renamed; its position in the path is unchanged.

    For example `/pets/{petId}` became `/pets/{id}`. The URL on the wire is the same, so requests
    are unaffected; only generated SDKs whose argument is named after the parameter change.

    ## Safe rollout
    Nothing to stage.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.name != n.name:
        # the subject and {owner} are the new side's path; the old one is said here
        op = pair.parent.old if pair.parent is not None else None
        yield Hit({"old": o.name, "new": n.name, "old_path": getattr(op, "path", None) or f"{{{o.name}}}"})


@rule(id="parameter-serialization-changed", at="style", kind="parameter", mirror="parameter-serialization-changed",
      severity=BREAKING, message="serialization of {where} parameter {name} of {owner} changed from {old} to {new}",
      example=pair(parameters({**_Q, "schema": {"type": "array", "items": {"type": "string"}}, "style": "form",
                               "explode": True}),
                   parameters({**_Q, "schema": {"type": "array", "items": {"type": "string"}}, "style": "form",
                               "explode": False})),
      equivalents=())
def parameter_serialization_changed(pair: Pair[Parameter], policy: Policy) -> Iterator[Hit]:
    """The `style` or `explode` of a parameter changed how its values are written.

    The same value is written differently on the wire (`?tag=a&tag=b` versus `?tag=a,b`): requests
    written the old way are misread or rejected. Styles are compared after the defaults of OpenAPI
    3.x (`form` with `explode: true` in query and cookie, `simple` in path and header), so writing
    out a default, or removing it, is no change. A parameter whose schema allows only primitive
    values (on either side) is written the same whatever `explode` says, and `form` and `simple`
    write it the same way too: only a change to or from `matrix` or `label` is reported for it.

    ## Safe rollout
    Accept both spellings on the server before changing the description.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None:
        scalar = o.scalar or n.scalar
        if _on_the_wire(o, scalar) != _on_the_wire(n, scalar):
            yield Hit({"where": n.location_in, "name": n.name, "old": _written(o), "new": _written(n)})


def _on_the_wire(param: Parameter, scalar: bool) -> tuple[str, bool | None]:
    """What decides how a value is written: for primitive values, neither ``explode`` nor ``form``
    against ``simple``."""
    style, explode = serialization(param)
    return ("form" if style == "simple" else style, None) if scalar else (style, explode)


def _written(param: Parameter) -> str:
    """``style=form (default), explode=false``: the effective values, marked where they are defaults."""
    style, explode = serialization(param)
    return (f"style={style}{'' if param.style else ' (default)'}, "
            f"explode={'true' if explode else 'false'}{'' if param.explode is not None else ' (default)'}")


@rule(id="parameter-deprecated", at="deprecated",
      kind="parameter", family="parameter-deprecation", mirror="parameter-deprecation",
      severity=SAFE, message="{where} parameter {name} of {owner} was deprecated",
      example=pair(parameters(_Q), parameters({**_Q, "deprecated": True, "x-sunset": "2027-03-01"})),
      equivalents=("oasdiff request-parameter-deprecated",))
def parameter_deprecated(pair: Pair[Parameter], policy: Policy) -> Iterator[Hit]:
    """A parameter was marked `deprecated: true`.

    Nothing changes for clients yet; its removal is announced.

    ## Safe rollout
    Set `x-sunset` so the removal can be judged against a date.
    """
    if (deprecation_added(pair) and pair.new is not None and pair.new.deprecation is not None
            and deprecation_variant(pair.new.deprecation, policy) == ""):
        yield Hit({"where": pair.new.location_in, "name": pair.new.name})


@rule(id="parameter-undeprecated", at="deprecated",
      kind="parameter", family="parameter-deprecation", mirror="parameter-deprecation",
      severity=SAFE, message="{where} parameter {name} of {owner} is no longer deprecated",
      example=pair(parameters({**_Q, "deprecated": True}), parameters(_Q)),
      equivalents=("oasdiff request-parameter-reactivated",))
def parameter_undeprecated(pair: Pair[Parameter], policy: Policy) -> Iterator[Hit]:
    """A deprecated parameter is no longer deprecated.

    Clients are unaffected; a planned removal was called off.

    ## Safe rollout
    Nothing to stage.
    """
    if deprecation_removed(pair) and pair.new is not None:
        yield Hit({"where": pair.new.location_in, "name": pair.new.name})


# -- request bodies -------------------------------------------------------------------------------

_BODY = {"type": "object", "properties": {"name": {"type": "string"}}}


def _body_doc(body: dict[str, Any] | None) -> str:
    op: dict[str, Any] = {"responses": OK}
    if body is not None:
        op["requestBody"] = body
    return document({"/pets": {"post": op}})


def _body(required: bool) -> dict[str, Any]:
    return {"required": required, "content": {"application/json": {"schema": _BODY}}}


@rule(id="request-body-added-required", kind="request-body", family="request-body-added",
      mirror="request-body-removed", severity=BREAKING, message="a required request body was added to {owner}",
      example=pair(_body_doc(None), _body_doc(_body(True))), equivalents=("oasdiff request-body-added-required",))
def request_body_added_required(pair: Pair[Body], policy: Policy) -> Iterator[Hit]:
    """An operation that took no body now requires one.

    Existing requests have no body and are rejected.

    ## Safe rollout
    Add the body as optional, migrate clients to send it, then make it required.
    """
    if pair.old is None and pair.new is not None and pair.new.required:
        yield Hit()


@rule(id="request-body-added-optional", kind="request-body", family="request-body-added",
      mirror="request-body-removed", severity=SAFE, message="an optional request body was added to {owner}",
      example=pair(_body_doc(None), _body_doc(_body(False))), equivalents=("oasdiff request-body-added-optional",))
def request_body_added_optional(pair: Pair[Body], policy: Policy) -> Iterator[Hit]:
    """An operation that took no body now accepts an optional one.

    Existing requests, which send no body, keep working; new clients that send one may have it
    ignored by the old version (forward).

    ## Safe rollout
    Nothing to stage.
    """
    if pair.old is None and pair.new is not None and not pair.new.required:
        yield Hit()


@rule(id="request-body-removed", kind="request-body", mirror="request-body-added", severity=DANGEROUS,
      message="the request body of {owner} was removed",
      example=pair(_body_doc(_body(False)), _body_doc(None)), equivalents=("oasdiff request-body-removed",))
def request_body_removed(pair: Pair[Body], policy: Policy) -> Iterator[Hit]:
    """An operation no longer takes a request body.

    Clients still send one; most servers ignore it, some reject it, and in either case what it
    carried is lost.

    ## Safe rollout
    Keep accepting and ignoring the body for a deprecation period before removing it.
    """
    if pair.new is None and pair.old is not None:
        yield Hit()


@rule(id="request-body-became-required", at="required", kind="request-body", family="request-body-required",
      mirror="request-body-required", severity=BREAKING, message="the request body of {owner} became required",
      example=pair(_body_doc(_body(False)), _body_doc(_body(True))),
      equivalents=("oasdiff request-body-became-required",))
def request_body_became_required(pair: Pair[Body], policy: Policy) -> Iterator[Hit]:
    """An optional request body became required.

    Requests without a body, which were valid before, are rejected.

    ## Safe rollout
    Migrate clients to always send the body first.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and not o.required and n.required:
        yield Hit()


@rule(id="request-body-became-optional", at="required", kind="request-body", family="request-body-required",
      mirror="request-body-required", severity=SAFE, message="the request body of {owner} became optional",
      example=pair(_body_doc(_body(True)), _body_doc(_body(False))),
      equivalents=("oasdiff request-body-became-optional",))
def request_body_became_optional(pair: Pair[Body], policy: Policy) -> Iterator[Hit]:
    """A required request body became optional.

    Every request that was valid still is; new clients that omit the body are rejected by the old
    version (forward).

    ## Safe rollout
    Nothing to stage.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.required and not n.required:
        yield Hit()


# -- media types ----------------------------------------------------------------------------------

def _media_doc(*media: str) -> str:
    return document({"/pets": {"post": {"requestBody": {"content": {m: {"schema": _BODY} for m in media}},
                                        "responses": OK}}})


@rule(id="media-type-added", kind="media-type", mirror="media-type-removed", severity={INPUT: SAFE, OUTPUT: DANGEROUS},
      message="media type {media} was added to {owner}",
      example=pair(_media_doc("application/json"), _media_doc("application/json", "application/xml")),
      equivalents=("oasdiff request-body-media-type-added", "oasdiff response-media-type-added"))
def media_type_added(pair: Pair[MediaType], policy: Policy) -> Iterator[Hit]:
    """A media type was added to a request body or a response.

    For requests it is safe: clients may now also send it. For responses it is dangerous: a
    client that sends `Accept: */*` may receive a format it cannot parse.

    ## Safe rollout
    For responses, serve the new type only to clients that ask for it explicitly.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"media": pair.new.name})


@rule(id="media-type-removed", kind="media-type", mirror="media-type-added", severity=BREAKING,
      message="media type {media} was removed from {owner}",
      example=pair(_media_doc("application/json", "application/xml"), _media_doc("application/json")),
      equivalents=("oasdiff request-body-media-type-removed", "oasdiff response-media-type-removed"))
def media_type_removed(pair: Pair[MediaType], policy: Policy) -> Iterator[Hit]:
    """A media type was removed from a request body or a response.

    Clients that send it get 415; clients that ask for it get 406 or a format they cannot read.

    ## Safe rollout
    Keep serving the old media type until no client uses it.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"media": pair.old.name})


# -- responses ------------------------------------------------------------------------------------

def _success(status: str) -> bool:
    return status.startswith(("2", "3")) or status == "default"


def _responses(*statuses: str) -> str:
    return document({"/pets": {"get": {"responses": {s: {"description": "r"} for s in statuses}}}})


@rule(id="response-status-added", kind="response", mirror="response-status-removed",
      severity={INPUT: SAFE, OUTPUT: DANGEROUS}, message="{owner} may now respond with status {status}",
      example=pair(_responses("200"), _responses("200", "202")),
      equivalents=("oasdiff response-success-status-added", "oasdiff response-non-success-status-added"))
def response_status_added(pair: Pair[Response], policy: Policy) -> Iterator[Hit]:
    """A response status was added to an operation.

    A new success status (2xx, 3xx) is dangerous: clients written for the old one may not handle
    it. A new error status is safe: clients already handle errors as a class.

    ## Safe rollout
    Tell consumers before returning a new success status.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"status": pair.new.status}, severity=DANGEROUS if _success(pair.new.status) else SAFE)


@rule(id="response-status-removed", kind="response", mirror="response-status-added", severity=BREAKING,
      message="{owner} no longer responds with status {status}",
      example=pair(_responses("200", "404"), _responses("404")),
      equivalents=("oasdiff response-success-status-removed", "oasdiff response-non-success-status-removed"))
def response_status_removed(pair: Pair[Response], policy: Policy) -> Iterator[Hit]:
    """A response status was removed from an operation.

    Removing a success status (or `default`) is breaking: clients wait for a response that no
    longer comes. Removing an error status is safe.

    ## Safe rollout
    Add the new success status first, migrate clients to handle it, then stop sending the old one.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"status": pair.old.status}, severity=BREAKING if _success(pair.old.status) else SAFE)


_H = {"X-Rate-Limit": {"schema": {"type": "integer"}}}
_HR = {"X-Rate-Limit": {"schema": {"type": "integer"}, "required": True}}


def _headers(headers: dict[str, Any]) -> str:
    return document({"/pets": {"get": {"responses": {"200": {"description": "ok", "headers": headers}}}}})


@rule(id="response-header-added", kind="response-header", mirror="response-header-removed", severity=SAFE,
      message="response header {name} was added to {owner}",
      example=pair(_headers({}), _headers(_H)), equivalents=("oasdiff response-header-added",))
def response_header_added(pair: Pair[Parameter], policy: Policy) -> Iterator[Hit]:
    """A response header was added.

    Clients ignore headers they do not know; new clients that read it do not get it from the old
    version (forward).

    ## Safe rollout
    Nothing to stage.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"name": pair.new.name})


@rule(id="response-header-removed", kind="response-header", mirror="response-header-added", severity=BREAKING,
      message="response header {name} was removed from {owner}",
      example=pair(_headers(_HR), _headers({})),
      equivalents=("oasdiff required-response-header-removed", "oasdiff optional-response-header-removed"))
def response_header_removed(pair: Pair[Parameter], policy: Policy) -> Iterator[Hit]:
    """A response header was removed.

    Clients that read a required header fail; for an optional header they should cope, so that
    is dangerous.

    ## Safe rollout
    Make the header optional first and tell consumers, then remove it.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"name": pair.old.name}, severity=BREAKING if pair.old.required else DANGEROUS)


@rule(id="response-header-became-optional", at="required", kind="response-header", family="response-header-required",
      mirror="response-header-required", severity=BREAKING,
      message="response header {name} of {owner} became optional",
      example=pair(_headers(_HR), _headers(_H)), equivalents=("oasdiff response-header-became-optional",))
def response_header_became_optional(pair: Pair[Parameter], policy: Policy) -> Iterator[Hit]:
    """A required response header became optional.

    Clients that rely on it being present fail when it is missing.

    ## Safe rollout
    Keep sending it until consumers handle its absence.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.required and not n.required:
        yield Hit({"name": n.name})


@rule(id="response-header-became-required", at="required", kind="response-header", family="response-header-required",
      mirror="response-header-required", severity=SAFE,
      message="response header {name} of {owner} became required",
      example=pair(_headers(_H), _headers(_HR)), equivalents=())
def response_header_became_required(pair: Pair[Parameter], policy: Policy) -> Iterator[Hit]:
    """An optional response header is now always sent.

    Clients that handled its absence are unaffected.

    ## Safe rollout
    Nothing to stage.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and not o.required and n.required:
        yield Hit({"name": n.name})


# -- security schemes and named schemas -----------------------------------------------------------

def _schemes(scheme: dict[str, Any] | None) -> str:
    return document({"/pets": {"get": _GET}}, **({"components": {"securitySchemes": {"auth": scheme}}}
                                                  if scheme else {}))


@rule(id="security-scheme-changed", kind="security-scheme", mirror="security-scheme-changed", severity=BREAKING,
      message="{subject} changed: {what}",
      example=pair(_schemes({"type": "http", "scheme": "basic"}), _schemes({"type": "http", "scheme": "bearer"})),
      equivalents=("oasdiff api-security-component-type-changed", "oasdiff api-security-component-oauth-scope-removed",
                   "oasdiff api-security-component-oauth-scope-added",
                   "oasdiff api-security-component-oauth-token-url-changed",
                   "oasdiff api-security-component-oauth-url-changed",
                   "oasdiff api-security-component-oauth-scope-changed"))
def security_scheme_changed(pair: Pair[SecurityScheme], policy: Policy) -> Iterator[Hit]:
    """A security scheme changed how clients authenticate or where they get their credentials.

    Every operation that requires the scheme refuses credentials presented the old way: a new
    type, HTTP scheme, or API key location or name is breaking, and so is a removed OAuth flow or
    scope (clients that request it are refused a token). A moved authorization, token or refresh
    URL, or OpenID Connect discovery URL, is dangerous: clients configured with the old address
    fail unless it keeps working. Added flows and scopes, a new refresh URL and a changed
    `bearerFormat` (documentation only) are safe. The changes of one scheme are reported together,
    at the worst of their verdicts.

    ## Safe rollout
    Add a new scheme beside the old one, accept both, migrate clients, then remove the old one. Keep
    old OAuth and OpenID Connect URLs answering (or redirecting) until clients have moved.
    """
    o, n = pair.old, pair.new
    if o is None or n is None:
        return
    changes: list[tuple[Severity, str]] = []
    if o.type.lower() != n.type.lower():
        changes.append((BREAKING, f"type {_scheme_text(o)} → {_scheme_text(n)}"))
    else:
        if definition(o)[1] != definition(n)[1]:
            what = "API key" if o.type.lower() == "apikey" else "scheme"
            changes.append((BREAKING, f"{what} {o.scheme or '(none)'} → {n.scheme or '(none)'}"))
        if o.bearer_format != n.bearer_format:
            changes.append((SAFE, f"bearerFormat {o.bearer_format or '(none)'} → {n.bearer_format or '(none)'}"))
        for flow in sorted(set(o.flows) | set(n.flows)):
            changes += _flow_changes(flow, o.flows.get(flow), n.flows.get(flow))
        changes += _url_change("openIdConnectUrl", o.open_id_connect_url, n.open_id_connect_url)
    if changes:
        yield Hit({"what": "; ".join(text for _, text in changes)}, severity=max(sev for sev, _ in changes))


def _scheme_text(s: SecurityScheme) -> str:
    return f"{s.type} {s.scheme or ''}".strip()


def _url_change(what: str, old: str | None, new: str | None) -> list[tuple[Severity, str]]:
    if old == new:
        return []
    return [(SAFE if old is None else DANGEROUS, f"{what} {old or '(none)'} → {new or '(none)'}")]


def _flow_changes(flow: str, o: OAuthFlow | None, n: OAuthFlow | None) -> list[tuple[Severity, str]]:
    if o is None or n is None:
        return [(SAFE, f"flow {flow} added")] if o is None else [(BREAKING, f"flow {flow} removed")]
    out: list[tuple[Severity, str]] = []
    for what, old, new in (("authorizationUrl", o.authorization_url, n.authorization_url),
                           ("tokenUrl", o.token_url, n.token_url), ("refreshUrl", o.refresh_url, n.refresh_url)):
        out += [(sev, f"{flow} {text}") for sev, text in _url_change(what, old, new)]
    if removed := sorted(set(o.scopes) - set(n.scopes)):
        out.append((BREAKING, f"{flow} scopes removed: {', '.join(removed)}"))
    if added := sorted(set(n.scopes) - set(o.scopes)):
        out.append((SAFE, f"{flow} scopes added: {', '.join(added)}"))
    return out


@rule(id="security-scheme-added", kind="security-scheme", mirror="security-scheme-removed", severity=SAFE,
      message="{subject} was added", example=pair(_schemes(None), _schemes({"type": "http", "scheme": "bearer"})),
      equivalents=("oasdiff api-security-component-added",))
def security_scheme_added(pair: Pair[SecurityScheme], policy: Policy) -> Iterator[Hit]:
    """A security scheme was defined.

    Defining a scheme changes nothing until an operation requires it (reported there).

    ## Safe rollout
    Nothing to stage.
    """
    if pair.old is None:
        yield Hit()


@rule(id="security-scheme-removed", kind="security-scheme", mirror="security-scheme-added", severity=SAFE,
      message="{subject} was removed", example=pair(_schemes({"type": "http", "scheme": "bearer"}), _schemes(None)),
      equivalents=("oasdiff api-security-component-removed",))
def security_scheme_removed(pair: Pair[SecurityScheme], policy: Policy) -> Iterator[Hit]:
    """A security scheme definition was removed.

    What matters is whether operations still accept it; that is reported on each operation.

    ## Safe rollout
    Nothing to stage here; see `security-requirement-removed`.
    """
    if pair.new is None:
        yield Hit()


@rule(id="schema-component-added", kind="schema-component", mirror="schema-component-removed", severity=SAFE,
      message="schema {subject} was added",
      example=pair(document({"/pets": {"get": _GET}}), document({"/pets": {"get": _GET}}, {"Pet": _BODY})))
def schema_component_added(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """A named schema was added to the components.

    A schema changes nothing by itself; where operations use it, the change is reported there.

    ## Safe rollout
    Nothing to stage.
    """
    if pair.old is None:
        yield Hit()


@rule(id="schema-component-removed", kind="schema-component", mirror="schema-component-added", severity=SAFE,
      message="schema {subject} was removed",
      example=pair(document({"/pets": {"get": _GET}}, {"Pet": _BODY}), document({"/pets": {"get": _GET}})))
def schema_component_removed(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """A named schema was removed from the components.

    Where operations used it, the change of their request or response is reported there; an
    unused schema affects no client.

    ## Safe rollout
    Nothing to stage.
    """
    if pair.new is None:
        yield Hit()

