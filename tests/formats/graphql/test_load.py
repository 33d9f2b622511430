"""Loading GraphQL: SDL files, folders, extensions, roots, introspection, lenient loading, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from graphql import build_schema, introspection_from_schema

from apidiff import ApidiffError, LimitExceeded, ParseError, SourceError, compare, load
from apidiff.core.direction import Direction
from apidiff.formats.graphql.model import TypeKind, TypeRef
from apidiff.formats.graphql.reach import Reach

SDL = '''
"The root"
type Query {
  user(id: ID!, filter: UserFilter = {active: true}): User
  users(first: Int = 10): [User!]! @deprecated(reason: "Use `search`. Removal on 2030-01-01.")
  node(id: ID!): Node
}
interface Node { id: ID! }
type User implements Node @key(fields: "id") { id: ID! name: String role: Role }
enum Role { ADMIN USER @deprecated }
input UserFilter { active: Boolean role: Role }
union Result = User
scalar Date @specifiedBy(url: "https://example.com/date")
directive @key(fields: String!) repeatable on OBJECT | INTERFACE
'''


def test_sdl_builds_the_graph() -> None:
    api = load(SDL)
    assert api.kind == "graphql"
    user = api.types["User"]
    assert user.kind is TypeKind.OBJECT
    assert list(user.interfaces) == ["Node"]
    assert [str(d) for d in user.applied.values()] == ['@key(fields: "id")']
    q = api.types["Query"]
    assert q.description == "The root"
    assert q.fields["users"].type == TypeRef("User", ("!", "[]", "!"))
    assert str(q.fields["users"].type) == "[User!]!"
    dep = q.fields["users"].deprecation
    assert dep is not None and dep.sunset is not None and dep.sunset.isoformat() == "2030-01-01"
    assert q.fields["user"].args["filter"].default in ("{active: true}", "{ active: true }")
    assert api.types["Role"].values["USER"].deprecation is not None
    assert api.types["Date"].specified_by == "https://example.com/date"
    assert api.directives["key"].repeatable
    assert q.fields["user"].location.line == 4
    assert api.roots["query"].target == "Query"


def test_reachability_gives_directions() -> None:
    reach = Reach(load(SDL))
    assert reach.direction("User") is Direction.OUTPUT
    assert reach.direction("UserFilter") is Direction.INPUT
    assert reach.direction("Role") is Direction.BOTH
    assert reach.direction("Result") is Direction.NONE  # unused union


def test_folder_of_files_with_extensions(tmp_path: Path) -> None:
    (tmp_path / "a.graphql").write_text("type Query { a: String }\n")
    sub = tmp_path / "more"
    sub.mkdir()
    (sub / "b.graphqls").write_text("extend type Query { b: Int }\n")
    (sub / "c.gql").write_text("type Thing { x: Int }\n")
    (sub / "notes.txt").write_text("not a schema")
    api = load(tmp_path)
    assert list(api.types["Query"].fields) == ["a", "b"]
    assert api.types["Query"].fields["b"].location.file.endswith("b.graphqls")
    assert "Thing" in api.types


def test_custom_root_types_are_followed() -> None:
    old = "schema { query: Root } type Root { a: String b: String }"
    new = "schema { query: Root } type Root { a: String }"
    (change,) = compare(old, new).changes
    assert change.id == "field-removed-without-deprecation"
    assert change.direction is Direction.OUTPUT


def test_introspection_equals_sdl(tmp_path: Path) -> None:
    """The same schema as SDL and as introspection JSON (both wrappings) compares equal."""
    schema = build_schema(SDL)
    data = introspection_from_schema(schema)
    wrapped = tmp_path / "schema.json"
    wrapped.write_text(json.dumps({"data": data}, indent=2))
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps(data))
    assert compare(SDL, wrapped).changes == ()
    assert compare(wrapped, bare).changes == ()


def test_introspection_changes_have_lines(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    new = tmp_path / "new.json"
    old.write_text(json.dumps({"data": introspection_from_schema(build_schema(SDL))}, indent=2))
    new.write_text(json.dumps({"data": introspection_from_schema(build_schema(
        SDL.replace("name: String role: Role", "role: Role")))}, indent=2))
    (change,) = compare(old, new).changes
    assert change.id == "field-removed-without-deprecation" and change.subject == "User.name"
    assert change.old_location is not None
    line = old.read_text().splitlines()[change.old_location.line - 1]
    assert '"name": "name"' in line


def test_duplicate_field_with_same_signature_is_a_warning() -> None:
    api = load('type Query { a: String\n "again" a: String }')
    assert list(api.types["Query"].fields) == ["a"]
    assert any("Query.a is defined twice" in w and ":2:" in w for w in api.warnings)


def test_conflicting_duplicate_is_an_error() -> None:
    with pytest.raises(ParseError, match=r"<text>:2:2: Query.a is defined twice with different definitions"):
        load("type Query { a: String\n a: Int }")


def test_an_undefined_directive_is_a_warning_an_undefined_type_an_error() -> None:
    api = load("type Query { a: String @custom }")
    assert any("directive @custom is used but not defined" in w for w in api.warnings)
    with pytest.raises(ParseError) as info:  # every verdict about a type that does not exist would be a guess
        load("type Query {\n  a: Missing @custom\n}")
    assert str(info.value) == "<text>:2:3: Query.a refers to type Missing, which is not defined"
    machinery = load('directive @key(fields: _FieldSet!) on OBJECT\ntype Query { a: String }\ntype T @key(fields: "a") '
                     "{ a: _Any }")
    # federation's machinery (_FieldSet, _Any) is known without definitions: a Federation 1 subgraph, no warning
    assert machinery.warnings == () and machinery.federation is not None
    assert machinery.federation.subgraphs["<text>"].version == "1"


def test_syntax_error_is_one_line_with_position(tmp_path: Path) -> None:
    bad = tmp_path / "bad.graphql"
    bad.write_text("type Query {\n  a: String\n  b: Int(\n}\n")
    with pytest.raises(ParseError) as info:
        load(bad)
    assert str(info.value) == f"{bad}:3:9: GraphQL syntax error: Expected Name, found '('."


def test_operations_are_not_a_schema() -> None:
    with pytest.raises(ParseError, match="operation definition is not allowed"):
        load("query { a }")


def test_missing_file_and_bad_bytes(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        load(tmp_path / "nope.graphql")
    binary = tmp_path / "bin.graphql"
    binary.write_bytes(b"type Query {\n a: \xff }")
    with pytest.raises(SourceError, match=r":2:5: not UTF-8"):
        load(binary)


def test_deep_nesting_is_a_limit_error() -> None:
    deep = "type Query { a(x: Int = " + "[" * 100_000 + "]" * 100_000 + "): Int }"
    with pytest.raises(ApidiffError) as info:
        load(deep)
    assert isinstance(info.value, LimitExceeded | ParseError)
    assert "\n" not in str(info.value)
