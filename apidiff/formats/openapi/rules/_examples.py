"""Small OpenAPI documents for rule examples (JSON text: valid YAML too, and cheap to build)."""

from __future__ import annotations

import json
from typing import Any

from apidiff.core.rule import Example

OK = {"200": {"description": "ok"}}

# how an element is deprecated in each removal variant's example
HTTP_DEPRECATIONS: dict[str, dict[str, Any]] = {
    "": {"deprecated": True},
    "without-deprecation": {},
    "before-sunset": {"deprecated": True, "x-sunset": "2999-01-01"},
    "after-sunset": {"deprecated": True, "x-sunset": "2001-01-01"},
}


def document(paths: dict[str, Any], schemas: dict[str, Any] | None = None, **extra: Any) -> str:
    doc: dict[str, Any] = {"openapi": "3.0.3", "info": {"title": "Pets", "version": "1.0.0"}, "paths": paths}
    if schemas:
        doc["components"] = {"schemas": schemas}
    doc.update(extra)
    return json.dumps(doc, indent=2)


def request(schema: dict[str, Any], *, required: bool = True) -> str:
    return document({"/pets": {"post": {
        "requestBody": {"required": required, "content": {"application/json": {"schema": schema}}},
        "responses": OK}}})


def response(schema: dict[str, Any], status: str = "200") -> str:
    return document({"/pets": {"get": {"responses": {
        status: {"description": "ok", "content": {"application/json": {"schema": schema}}}}}}})


def parameters(*params: dict[str, Any], path: str = "/pets") -> str:
    return document({path: {"get": {"parameters": list(params), "responses": OK}}})


def operation(op: dict[str, Any], path: str = "/pets", method: str = "get") -> str:
    return document({path: {method: {"responses": OK, **op}}})


def pair(old: str, new: str) -> Example:
    return Example(old, new, format="openapi")


def obj(properties: dict[str, Any], required: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": properties, **extra}
    if required:
        out["required"] = list(required)
    return out
