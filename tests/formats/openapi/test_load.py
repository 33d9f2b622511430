"""Loading OpenAPI: versions, normalization, multi-file refs, cycles, and hostile documents."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from apidiff import ApidiffError, RefError, compare, load
from apidiff.formats.openapi.model import Bound
from tests.conftest import FIXTURES, TODAY

OA = FIXTURES / "openapi"


def changes(old: Path | str, new: Path | str) -> list[tuple[str, str, str, str]]:
    report = compare(old, new, today=TODAY)
    return [(c.id, c.subject, c.backward.value, c.forward.value) for c in report.changes]


def test_swagger2_body_formdata_and_definitions() -> None:
    api = load(OA / "swagger2" / "old.yaml")
    post = api.operations["POST /orders"]
    assert post.body is not None and list(post.body.content) == ["application/json"]
    assert post.body.content["application/json"].schema.ref == "Order"  # type: ignore[union-attr]
    assert list(post.parameters) == ["header x-request-id"]
    upload = api.operations["POST /upload"].body
    assert upload is not None and list(upload.content) == ["multipart/form-data"]
    assert api.schemas["Order"].properties["id"].format == "int64"
    assert changes(OA / "swagger2" / "old.yaml", OA / "swagger2" / "new.yaml") == [
        ("max-length-decreased", "Order.note", "breaking", "dangerous"),
        ("schema-enum-value-added", "Order.status", "dangerous", "breaking"),
        ("parameter-became-required", "POST /orders header parameter X-Request-Id", "breaking", "safe"),
        ("property-added-required", "POST /upload request body multipart/form-data.label", "breaking", "dangerous"),
    ]


def test_openapi31_types_null_const_and_webhooks() -> None:
    api = load(OA / "openapi31" / "old.yaml")
    event = api.schemas["Event"]
    assert event.properties["at"].types == frozenset({"string", "null"})
    assert event.properties["kind"].const == '"created"'
    assert event.properties["count"].minimum == Bound(0, exclusive=True)
    assert api.operations["WEBHOOK newEvent POST"].webhook
    # Event is sent to webhook consumers and returned by GET /events: output only
    assert changes(OA / "openapi31" / "old.yaml", OA / "openapi31" / "new.yaml") == [
        ("became-non-nullable", "Event.at", "safe", "breaking"),
        ("minimum-increased", "Event.count", "safe", "dangerous"),
    ]


def test_nullable_30_equals_null_type_31() -> None:
    def doc(version: str, schema: dict[str, object]) -> str:
        return json.dumps({"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}}}}})

    assert compare(doc("3.0.3", {"type": "string", "nullable": True}),
                   doc("3.1.0", {"type": ["string", "null"]})).changes == ()


def test_multi_file_refs_report_the_file_of_the_change() -> None:
    report = compare(OA / "multifile" / "v1" / "openapi.yaml", OA / "multifile" / "v2" / "openapi.yaml")
    (change,) = report.changes
    assert (change.id, change.subject, change.backward.value) == ("property-became-optional", "owner.email",
                                                                   "breaking")
    assert change.new_location is not None
    assert change.new_location.file.endswith("multifile/v2/schemas/owner.yaml")
    assert change.new_location.pointer == "/properties/email"


def test_circular_schemas_terminate_and_diff() -> None:
    assert changes(OA / "circular" / "old.yaml", OA / "circular" / "new.yaml") == [
        ("property-became-required", "Node.name", "safe", "breaking"),
        ("property-added-optional", "Node.size", "safe", "dangerous"),
    ]
    assert compare(OA / "circular" / "old.yaml", OA / "circular" / "old.yaml").changes == ()


def _spec(tmp_path: Path, schema_ref: str, extra: str = "") -> Path:
    spec = tmp_path / "api" / "openapi.yaml"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(f"""openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '{schema_ref}'
{extra}""")
    return spec


@pytest.mark.parametrize(("ref", "message"), [
    ("../../etc/passwd", "points outside the root document's folder"),
    ("../secret.yaml", "points outside the root document's folder"),
    ("http://127.0.0.1:9/schema.yaml", "needs the network; pass --allow-remote-refs"),
    ("https://example.com/s.json#/S", "needs the network"),
    ("file:///etc/passwd", "only relative file refs are allowed"),
    ("#/components/schemas/Missing", "cannot be resolved"),
    ("./missing.yaml", "no such file"),
])
def test_forbidden_and_broken_refs_are_one_line_errors(tmp_path: Path, ref: str, message: str) -> None:
    (tmp_path / "secret.yaml").write_text("type: string\n")
    spec = _spec(tmp_path, ref)
    start = time.monotonic()
    with pytest.raises(RefError) as info:
        load(spec)
    assert time.monotonic() - start < 5
    text = str(info.value)
    assert message in text and "\n" not in text and str(spec) in text


def test_ref_cycle_without_a_schema_is_an_error(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "#/components/schemas/A", """components:
  schemas:
    A: {$ref: '#/components/schemas/B'}
    B: {$ref: '#/components/schemas/A'}
""")
    with pytest.raises(RefError, match="cycle of refs"):
        load(spec)


def test_deeply_nested_schema_is_a_limit_not_a_crash(tmp_path: Path) -> None:
    depth = 3000
    schema = '{"type": "array", "items": ' * depth + '{"type": "string"}' + "}" * depth
    doc = ('{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": '
           '{"200": {"description": "ok", "content": {"application/json": {"schema": ' + schema + "}}}}}}}}")
    path = tmp_path / "deep.json"
    path.write_text(doc)
    with pytest.raises(ApidiffError) as info:
        load(path)
    assert "\n" not in str(info.value)


def test_allof_of_one_ref_reordered_oneof_and_moved_properties_are_no_change(tmp_path: Path) -> None:
    def doc(body: dict[str, object]) -> str:
        return json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"post": {
            "requestBody": {"content": {"application/json": {"schema": body}}},
            "responses": {"200": {"description": "ok"}}}}},
            "components": {"schemas": {
                "Cat": {"type": "object", "properties": {"meow": {"type": "boolean"}}},
                "Dog": {"type": "object", "properties": {"bark": {"type": "boolean"}}},
                "Base": {"type": "object", "properties": {"id": {"type": "string"}}},
            }}})

    cat = {"$ref": "#/components/schemas/Cat"}
    dog = {"$ref": "#/components/schemas/Dog"}
    assert compare(doc(cat), doc({"allOf": [cat]})).changes == ()
    assert compare(doc({"oneOf": [cat, dog]}), doc({"oneOf": [dog, cat]})).changes == ()
    inline_cat = {"type": "object", "properties": {"meow": {"type": "boolean"}}}
    assert compare(doc(cat), doc(inline_cat)).changes == ()  # $ref moved inline, same shape
    a = {"allOf": [{"$ref": "#/components/schemas/Base"},
                   {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}}}]}
    b = {"allOf": [{"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
                   {"type": "object", "properties": {"age": {"type": "integer"}}}]}
    assert compare(doc(a), doc(b)).changes == ()


def test_read_only_properties_do_not_count_in_requests() -> None:
    def doc(required: list[str]) -> str:
        return json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/P"}}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/P"}}}}}}}},
            "components": {"schemas": {"P": {"type": "object", "required": required, "properties": {
                "id": {"type": "string", "readOnly": True}, "name": {"type": "string"}}}}}})

    report = compare(doc(["name"]), doc(["name", "id"]))
    (change,) = report.changes
    # id is read-only: only responses see it, where becoming required is safe
    assert (change.id, change.direction.value, change.backward.value) == ("property-became-required", "output",
                                                                          "safe")
