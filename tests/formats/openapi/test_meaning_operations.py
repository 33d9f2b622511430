"""OpenAPI operations and parameters judged by meaning: what the wire sees, not how it is spelled.

Serialization is compared after the defaults (``form``/``explode: true`` in query and cookie,
``simple``/``explode: false`` in path and header), and not at all for ``explode`` on a scalar; the
header parameters the specification says to ignore (``Accept``, ``Content-Type``,
``Authorization``) are ignored; a trailing slash keeps the operation but is reported.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from apidiff import compare
from tests.conftest import TODAY

ARRAY = {"type": "array", "items": {"type": "string"}}


def doc(*params: dict[str, Any], path: str = "/pets", method: str = "get") -> str:
    return json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                       "paths": {path: {method: {"parameters": list(params),
                                                 "responses": {"200": {"description": "ok"}}}}}}, indent=2)


def query(schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": "tag", "in": "query", "schema": schema, **extra}


def verdicts(old: str, new: str) -> list[tuple[str, str, str]]:
    return [(c.id, c.backward.value, c.forward.value) for c in compare(old, new, today=TODAY).changes]


# -- 1. serialization -----------------------------------------------------------------------------

@pytest.mark.parametrize("old, new", [
    ({"explode": False}, {}),  # was: parameter-serialization-changed, breaking, "explode=None"
    ({"explode": True}, {"explode": False}),
    ({"style": "form", "explode": False}, {"style": "simple", "explode": True}),
])
def test_explode_and_form_or_simple_make_no_difference_to_a_scalar(old: dict[str, Any], new: dict[str, Any]) -> None:
    for schema in ({"type": "integer"}, {"type": "string", "nullable": True}):
        assert verdicts(doc(query(schema, **old)), doc(query(schema, **new))) == []
        assert verdicts(doc(query(schema, **new)), doc(query(schema, **old))) == []


def test_a_scalar_behind_a_ref_is_a_scalar() -> None:
    def with_ref(**extra: Any) -> str:
        d = json.loads(doc(query({"$ref": "#/components/schemas/Limit"}, **extra)))
        d["components"] = {"schemas": {"Limit": {"type": "integer"}}}
        return json.dumps(d)

    assert verdicts(with_ref(explode=False), with_ref()) == []


def test_a_scalar_path_parameter_moving_to_matrix_is_still_reported() -> None:
    def path(**extra: Any) -> str:
        return doc({"name": "id", "in": "path", "required": True, "schema": {"type": "string"}, **extra},
                   path="/pets/{id}")

    assert verdicts(path(), path(style="matrix")) == [("parameter-serialization-changed", "breaking", "breaking")]


@pytest.mark.parametrize("written", [{"style": "form"}, {"explode": True}, {"style": "form", "explode": True}])
def test_an_array_with_its_defaults_written_out_is_no_change(written: dict[str, Any]) -> None:
    assert verdicts(doc(query(ARRAY)), doc(query(ARRAY, **written))) == []
    assert verdicts(doc(query(ARRAY, **written)), doc(query(ARRAY))) == []


def test_a_header_array_defaults_to_simple_without_explode() -> None:
    header = {"name": "X-Tags", "in": "header", "schema": ARRAY}
    assert verdicts(doc(header), doc({**header, "style": "simple", "explode": False})) == []
    assert verdicts(doc(header), doc({**header, "explode": True})) == \
        [("parameter-serialization-changed", "breaking", "breaking")]


def test_an_array_losing_explode_is_reported_with_its_defaults_named() -> None:
    report = compare(doc(query(ARRAY, explode=False)), doc(query(ARRAY)), today=TODAY)
    [change] = report.changes
    assert (change.id, change.backward.value, change.forward.value) == \
        ("parameter-serialization-changed", "breaking", "breaking")
    assert change.message == ("serialization of query parameter tag of GET /pets changed from "
                              "style=form (default), explode=false to style=form (default), explode=true (default)")
    assert "None" not in change.message


# -- 2. header parameters that SHALL be ignored ---------------------------------------------------

@pytest.mark.parametrize("name", ["Content-Type", "accept", "AUTHORIZATION"])
def test_ignored_header_parameters_are_no_change(name: str) -> None:
    header = {"name": name, "in": "header", "required": True, "schema": {"type": "string"}}
    # was: parameter-added-required, breaking / dangerous
    assert verdicts(doc(), doc(header)) == []
    assert verdicts(doc(header), doc()) == []
    assert verdicts(doc(header), doc({**header, "required": False, "schema": {"type": "integer"}})) == []


def test_other_header_parameters_are_still_compared() -> None:
    header = {"name": "X-Request-Id", "in": "header", "required": True, "schema": {"type": "string"}}
    assert verdicts(doc(), doc(header)) == [("parameter-added-required", "breaking", "dangerous")]


# -- 3. a trailing slash --------------------------------------------------------------------------

def test_a_trailing_slash_keeps_the_operation_and_is_reported_both_ways() -> None:
    # was: no change at all
    old, new = doc(path="/metrics"), doc(path="/metrics/")
    assert verdicts(old, new) == [("path-trailing-slash-changed", "dangerous", "dangerous")]
    assert verdicts(new, old) == [("path-trailing-slash-changed", "dangerous", "dangerous")]
    [change] = compare(new, old, today=TODAY).changes
    assert change.message == "the path of GET /metrics changed from /metrics/ to /metrics: a trailing slash was removed"


def test_a_trailing_slash_beside_another_change_reports_both_and_no_removal() -> None:
    old = doc(query({"type": "string"}), path="/metrics")
    new = doc(query({"type": "string"}, required=True), path="/metrics/")
    assert sorted(verdicts(old, new)) == [("parameter-became-required", "breaking", "safe"),
                                          ("path-trailing-slash-changed", "dangerous", "dangerous")]


def test_a_renamed_path_parameter_is_no_trailing_slash_change() -> None:
    def item(name: str) -> str:
        return doc({"name": name, "in": "path", "required": True, "schema": {"type": "string"}},
                   path=f"/pets/{{{name}}}")

    assert [v[0] for v in verdicts(item("petId"), item("id"))] == ["path-parameter-renamed"]


def test_a_response_content_type_header_is_ignored() -> None:
    """OpenAPI 3.x: a response header named Content-Type SHALL be ignored; others are still compared."""
    def doc(headers: dict[str, object]) -> str:
        return json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/pets": {"get": {
            "responses": {"200": {"description": "ok", "headers": headers}}}}}})

    content_type = {"Content-Type": {"required": True, "schema": {"type": "string"}}}
    assert not compare(doc({}), doc(content_type)).changes
    assert not compare(doc(content_type), doc({})).changes
    other = {"X-Rate-Limit": {"required": True, "schema": {"type": "integer"}}}
    assert compare(doc(other), doc({})).changes
