"""OpenAPI security judged by meaning: what a client must present, not how schemes are keyed.

A requirement list is an OR of alternatives, each an AND of (scheme, scopes); schemes are compared
by their definition, so a scheme renamed with the same definition changes nothing on operations.
One change is reported per operation. Scheme definitions are compared field by field (type, key
location and name, HTTP scheme, bearer format, each OAuth flow's URLs and scopes, OpenID Connect
URL), once per scheme.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from apidiff import compare
from tests.conftest import TODAY

API_KEY = {"type": "apiKey", "in": "header", "name": "project_id"}
OAUTH = {"type": "oauth2", "flows": {"authorizationCode": {
    "authorizationUrl": "https://auth.example.com/authorize", "tokenUrl": "https://auth.example.com/token",
    "scopes": {"read": "read pets", "write": "write pets"}}}}
SCHEMES = {"apiKey": API_KEY, "oauth": OAUTH}
OK = {"200": {"description": "ok"}}


def doc(op_security: list[dict[str, list[str]]] | None = None, *, schemes: dict[str, Any] | None = None,
        security: list[dict[str, list[str]]] | None = None, version: str = "3.0.3") -> str:
    get: dict[str, Any] = {"responses": OK}
    if op_security is not None:
        get["security"] = op_security
    out: dict[str, Any] = {"openapi": version, "info": {"title": "t", "version": "1"},
                           "paths": {"/pets": {"get": get, "post": {"responses": OK}}},
                           "components": {"securitySchemes": SCHEMES if schemes is None else schemes}}
    if security is not None:
        out["security"] = security
    return json.dumps(out, indent=2)


def verdicts(old: str, new: str) -> list[tuple[str, str, str, str]]:
    return [(c.id, c.subject, c.backward.value, c.forward.value) for c in compare(old, new, today=TODAY).changes]


def messages(old: str, new: str) -> list[str]:
    return [c.message for c in compare(old, new, today=TODAY).changes]


# -- requirements ---------------------------------------------------------------------------------

def test_renamed_scheme_with_the_same_definition_changes_no_operation() -> None:
    old = doc(security=[{"ApiKeyAuth": []}], schemes={"ApiKeyAuth": API_KEY})
    new = doc(security=[{"project_id": []}], schemes={"project_id": dict(API_KEY)})
    changes = compare(old, new, today=TODAY).changes
    assert [c for c in changes if c.backward.value != "safe" or c.forward.value != "safe"] == []
    assert [c.id for c in changes if c.id.startswith("security-requirement")] == []


def test_header_name_case_and_http_scheme_case_are_no_change() -> None:
    old = doc([{"a": []}, {"b": []}], schemes={"a": API_KEY, "b": {"type": "http", "scheme": "Bearer"}})
    new = doc([{"x": []}, {"y": []}], schemes={"x": {**API_KEY, "name": "Project_ID"},
                                                "y": {"type": "http", "scheme": "bearer"}})
    assert [i for i, *_ in verdicts(old, new) if i.startswith("security-requirement")] == []


def test_gained_alternative_is_safe_backward_breaking_forward() -> None:
    old, new = doc([{"oauth": ["read"]}]), doc([{"oauth": ["read"]}, {"apiKey": []}])
    assert verdicts(old, new) == [("security-requirement-added", "GET /pets", "safe", "breaking")]
    assert messages(old, new) == ["GET /pets now accepts apiKey or oauth (read); before: oauth (read)"]
    assert verdicts(new, old) == [("security-requirement-removed", "GET /pets", "breaking", "safe")]


def test_alternative_gained_an_and_ed_scheme_is_breaking_backward() -> None:
    old, new = doc([{"oauth": ["read"]}]), doc([{"oauth": ["read"], "apiKey": []}])
    assert verdicts(old, new) == [("security-requirement-removed", "GET /pets", "breaking", "safe")]
    assert messages(old, new) == ["GET /pets now requires apiKey and oauth (read); before: oauth (read)"]


def test_scope_added_to_a_requirement_is_breaking_backward() -> None:
    old, new = doc([{"oauth": ["read"]}, {"apiKey": []}]), doc([{"oauth": ["read", "write"]}, {"apiKey": []}])
    assert verdicts(old, new) == [("security-requirement-removed", "GET /pets", "breaking", "safe")]
    assert messages(old, new) == ["GET /pets now requires apiKey or oauth (read, write); before: apiKey or "
                                  "oauth (read)"]


def test_scope_removed_from_a_requirement_is_safe_backward() -> None:
    old, new = doc([{"oauth": ["read", "write"]}]), doc([{"oauth": ["read"]}])
    assert verdicts(old, new) == [("security-requirement-added", "GET /pets", "safe", "breaking")]


def test_one_change_per_operation_when_both_ways_refuse_someone() -> None:
    old, new = doc([{"oauth": ["read"]}]), doc([{"apiKey": []}])
    assert verdicts(old, new) == [("security-requirement-removed", "GET /pets", "breaking", "breaking")]


def test_anonymous_access_and_redundant_alternatives() -> None:
    # `{}` accepts everyone: adding it is safe, and an alternative that a weaker one covers adds nothing
    assert verdicts(doc([{"apiKey": []}]), doc([{"apiKey": []}, {}])) == [
        ("security-requirement-added", "GET /pets", "safe", "breaking")]
    assert verdicts(doc([{"apiKey": []}, {"apiKey": [], "oauth": ["read"]}]), doc([{"apiKey": []}])) == []


def test_operation_inherits_the_global_requirement_unless_it_has_its_own() -> None:
    global_key = doc(security=[{"apiKey": []}])
    # moving the same requirement from the document to the operation is no change for GET
    assert verdicts(global_key, doc([{"apiKey": []}], security=[{"apiKey": []}])) == []
    # an explicit empty list opts the operation out: anonymous access
    assert verdicts(global_key, doc([], security=[{"apiKey": []}])) == [
        ("security-requirement-added", "GET /pets", "safe", "breaking")]
    # a new global requirement reaches every operation without one of its own
    assert verdicts(doc([{"apiKey": []}]), doc([{"apiKey": []}], security=[{"oauth": ["read"]}])) == [
        ("security-requirement-removed", "POST /pets", "breaking", "safe")]


# -- scheme definitions ---------------------------------------------------------------------------

def _flow(**changes: Any) -> dict[str, Any]:
    flow = {**OAUTH["flows"]["authorizationCode"], **changes}  # type: ignore[index]
    return {"type": "oauth2", "flows": {"authorizationCode": flow}}


@pytest.mark.parametrize("new, expected", [
    ({"tokenUrl": "https://login.example.com/token"}, ("dangerous", "dangerous")),
    ({"authorizationUrl": "https://login.example.com/authorize"}, ("dangerous", "dangerous")),
    ({"refreshUrl": "https://auth.example.com/refresh"}, ("safe", "dangerous")),
    ({"scopes": {"read": "read pets"}}, ("breaking", "safe")),
    ({"scopes": {"read": "", "write": "", "admin": ""}}, ("safe", "breaking")),
])
def test_oauth_flow_changes(new: dict[str, Any], expected: tuple[str, str]) -> None:
    old_doc, new_doc = doc(schemes={"oauth": OAUTH}), doc(schemes={"oauth": _flow(**new)})
    assert verdicts(old_doc, new_doc) == [("security-scheme-changed", "security scheme oauth", *expected)]


def test_oauth_url_change_is_reported_once_on_the_scheme_not_on_operations() -> None:
    old = doc([{"oauth": ["read"]}], schemes={"oauth": OAUTH})
    new = doc([{"oauth": ["read"]}], schemes={"oauth": _flow(tokenUrl="https://login.example.com/token")})
    assert messages(old, new) == ["security scheme oauth changed: authorizationCode tokenUrl "
                                  "https://auth.example.com/token → https://login.example.com/token"]


def test_open_id_connect_url_change() -> None:
    oidc = {"type": "openIdConnect", "openIdConnectUrl": "https://auth.example.com/.well-known/openid-configuration"}
    moved = {**oidc, "openIdConnectUrl": "https://login.example.com/.well-known/openid-configuration"}
    assert verdicts(doc(schemes={"o": oidc}), doc(schemes={"o": moved})) == [
        ("security-scheme-changed", "security scheme o", "dangerous", "dangerous")]


@pytest.mark.parametrize("old, new, expected", [
    (API_KEY, {**API_KEY, "in": "query"}, ("breaking", "breaking")),
    (API_KEY, {**API_KEY, "name": "X-Key"}, ("breaking", "breaking")),
    (API_KEY, {"type": "http", "scheme": "bearer"}, ("breaking", "breaking")),
    ({"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}, {"type": "http", "scheme": "bearer"},
     ("safe", "safe")),
    (OAUTH, {"type": "oauth2", "flows": {**OAUTH["flows"], "clientCredentials": {  # type: ignore[dict-item]
        "tokenUrl": "https://auth.example.com/token", "scopes": {}}}}, ("safe", "breaking")),
])
def test_scheme_definition_changes(old: dict[str, Any], new: dict[str, Any], expected: tuple[str, str]) -> None:
    assert verdicts(doc(schemes={"s": old}), doc(schemes={"s": new})) == [
        ("security-scheme-changed", "security scheme s", *expected)]


def test_swagger_basic_is_openapi_http_basic() -> None:
    v2 = json.dumps({"swagger": "2.0", "info": {"title": "t", "version": "1"},
                     "paths": {"/pets": {"get": {"security": [{"basic": []}], "responses": OK}}},
                     "securityDefinitions": {"basic": {"type": "basic"}}})
    v3 = doc([{"basicAuth": []}], schemes={"basicAuth": {"type": "http", "scheme": "basic"}})
    assert [c for c in verdicts(v2, v3) if c[0].startswith("security-requirement")] == []
