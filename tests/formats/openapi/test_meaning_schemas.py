"""What schema changes mean: verdicts judged by the values a schema really accepts or produces.

A request (input) position is backward-safe when the accepted set did not shrink, a response
(output) position when the produced set did not grow. Formats form chains (every float is a
double, every int32 an int64); an `enum` or `const` implies the type of its values.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from apidiff import compare
from tests.conftest import TODAY


def request(schema: dict[str, Any]) -> str:
    return json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/pets": {"post": {
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "properties": {"x": schema}}}}},
        "responses": {"200": {"description": "ok"}}}}}})


def response(schema: dict[str, Any]) -> str:
    return json.dumps({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/pets": {"get": {
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"x": schema}}}}}}}}}})


def verdicts(old: str, new: str) -> list[tuple[str, str, str]]:
    return [(c.id, c.backward.value, c.forward.value) for c in compare(old, new, today=TODAY).changes]


def fmt(type_: str, format_: str | None) -> dict[str, Any]:
    return {"type": type_, **({"format": format_} if format_ else {})}


# (type, old format, new format, request verdict (backward, forward), response verdict)
FORMATS = [
    pytest.param("number", "float", "double", ("safe", "breaking"), ("dangerous", "safe"), id="float-to-double"),
    pytest.param("number", "double", "float", ("breaking", "safe"), ("safe", "dangerous"), id="double-to-float"),
    pytest.param("integer", "int32", "int64", ("safe", "breaking"), ("dangerous", "safe"), id="int32-to-int64"),
    pytest.param("integer", "int64", "int32", ("breaking", "safe"), ("safe", "dangerous"), id="int64-to-int32"),
    pytest.param("integer", "int32", None, ("safe", "breaking"), ("dangerous", "safe"), id="int32-removed"),
    pytest.param("integer", None, "int32", ("breaking", "safe"), ("safe", "dangerous"), id="int32-added"),
    pytest.param("integer", None, "int64", ("dangerous", "safe"), ("safe", "dangerous"), id="int64-added"),
    pytest.param("integer", "int64", None, ("safe", "dangerous"), ("dangerous", "safe"), id="int64-removed"),
    pytest.param("number", None, "double", ("dangerous", "safe"), ("safe", "dangerous"), id="double-added"),
    pytest.param("number", None, "float", ("breaking", "safe"), ("safe", "dangerous"), id="float-added"),
    pytest.param("string", None, "int64", ("breaking", "safe"), ("safe", "dangerous"), id="int64-added-to-string"),
    pytest.param("string", "uuid", "email", ("breaking", "breaking"), ("dangerous", "dangerous"), id="unrelated"),
    pytest.param("string", None, "uuid", ("breaking", "safe"), ("safe", "dangerous"), id="uuid-added"),
]


@pytest.mark.parametrize(("type_", "old", "new", "req", "resp"), FORMATS)
def test_a_format_change_is_judged_by_the_values_it_allows(
        type_: str, old: str | None, new: str | None, req: tuple[str, str], resp: tuple[str, str]) -> None:
    assert verdicts(request(fmt(type_, old)), request(fmt(type_, new))) == [("format-changed", *req)]
    assert verdicts(response(fmt(type_, old)), response(fmt(type_, new))) == [("format-changed", *resp)]


def test_int64_added_to_a_path_parameter_is_not_breaking() -> None:
    """GitHub REST 22.0.0 to 23.0.2 adds `format: int64` to integer path parameters."""
    def doc(schema: dict[str, Any]) -> str:
        return json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/repos/{id}": {
            "get": {"parameters": [{"name": "id", "in": "path", "required": True, "schema": schema}],
                    "responses": {"200": {"description": "ok"}}}}}})

    old, new = doc({"type": "integer"}), doc({"type": "integer", "format": "int64"})
    assert verdicts(old, new) == [("format-changed", "dangerous", "safe")]
    assert compare(old, new, today=TODAY).changes[0].message == \
        "format of GET /repos/{id} path parameter id changed from (none) to int64"


# old and new schemas that accept exactly the same values: no type change
SAME_VALUES = [
    pytest.param({"type": "string", "enum": ["S", "L", ""]}, {"enum": ["S", "L", ""]}, id="string-enum"),
    pytest.param({"type": "string", "const": "v1"}, {"const": "v1"}, id="string-const"),
    pytest.param({"type": "integer", "enum": [1, 2]}, {"enum": [1, 2]}, id="integer-enum"),
    pytest.param({"type": "number", "enum": [1, 2]}, {"type": "integer", "enum": [1, 2]}, id="whole-numbers"),
    pytest.param({"type": ["string", "integer"], "enum": ["a"]}, {"type": "string", "enum": ["a"]}, id="type-list"),
    pytest.param({"type": "string", "nullable": True, "enum": ["a", None]}, {"nullable": True, "enum": ["a", None]},
                 id="nullable-enum"),
]


@pytest.mark.parametrize(("old", "new"), SAME_VALUES)
def test_an_enum_or_const_implies_its_type(old: dict[str, Any], new: dict[str, Any]) -> None:
    for doc in (request, response):
        assert verdicts(doc(old), doc(new)) == []
        assert verdicts(doc(new), doc(old)) == []


def test_a_type_dropped_beside_an_enum_that_grows_is_still_a_type_change() -> None:
    old, new = {"type": "string", "enum": ["a"]}, {"enum": ["a", 3]}
    report = compare(response(old), response(new), today=TODAY)
    changed = next(c for c in report.changes if c.id == "type-changed")
    assert (changed.backward.value, changed.forward.value) == ("breaking", "safe")
    assert changed.args == {"old": "string", "new": "integer|string"}
    assert ("type-changed", "safe", "breaking") in verdicts(request(old), request(new))


def test_a_type_dropped_without_an_enum_is_still_a_type_change() -> None:
    assert verdicts(request({"type": "string"}), request({})) == [("type-changed", "safe", "breaking")]
    assert verdicts(response({"type": "string"}), response({})) == [("type-changed", "breaking", "safe")]
