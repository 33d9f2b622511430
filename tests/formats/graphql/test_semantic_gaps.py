"""The last gaps of plain GraphQL, each checked against graphql-core where it has the answer: field merging (its
validation is the oracle), defaults compared by value, new implementations of an interface, ``@specifiedBy``."""

from __future__ import annotations

import itertools

import pytest
from graphql import build_schema, find_breaking_changes, find_dangerous_changes, parse, validate

from apidiff import compare, load
from apidiff.formats.graphql.merging import types_conflict
from apidiff.formats.graphql.model import GraphQLApi
from tests.conftest import TODAY

SHAPES = ("String", "String!", "[String]", "[String!]", "[String]!", "[[String]]", "Int", "E", "E!", "O", "O!",
          "[O]", "P")
SCHEMA = """enum E {{ X }} type O {{ v: Int }} type P {{ v: Int }}
interface N {{ id: ID }} type A implements N {{ id: ID f: {a} }} type B implements N {{ id: ID f: {b} }}
type Query {{ n: N }}"""


@pytest.mark.parametrize(("a", "b"), list(itertools.combinations_with_replacement(SHAPES, 2)))
def test_types_conflict_exactly_where_graphql_core_refuses_to_merge(a: str, b: str) -> None:
    sdl = SCHEMA.format(a=a, b=b)
    schema = build_schema(sdl)
    sub = " { v }" if a.strip("[]!") in "OP" else ""
    sub_b = " { v }" if b.strip("[]!") in "OP" else ""
    query = parse(f"{{ n {{ ... on A {{ f{sub} }} ... on B {{ f{sub_b} }} }} }}")
    refused = bool(validate(schema, query))
    api = load(sdl)
    assert isinstance(api, GraphQLApi)
    assert types_conflict(api, api.types["A"].fields["f"].type, api.types["B"].fields["f"].type) == refused


MERGE = "interface N {{ id: ID }} type A implements N {{ id: ID url: {a} }} " \
        "type B implements N {{ id: ID url: String }} type C {{ url: Int }} type Query {{ n: N c: C }}"


def test_a_change_safe_on_its_own_that_breaks_field_merging_names_the_sibling() -> None:
    old, new = MERGE.format(a="String"), MERGE.format(a="String!")
    query = parse("{ n { ... on A { url } ... on B { url } } }")
    assert validate(build_schema(old), query) == [] and validate(build_schema(new), query) != []
    report = compare(old, new, today=TODAY)
    by_id = {c.id: c for c in report.changes}
    assert by_id["field-became-non-nullable"].backward.value == "safe"
    merge = by_id["field-merge-conflict-added"]
    assert (merge.subject, merge.backward.value, merge.forward.value) == ("A.url", "dangerous", "safe")
    assert merge.args["siblings"] == "B.url" and merge.args["via"] == "N"
    back = {c.id for c in compare(new, old, today=TODAY).changes}
    assert "field-merge-conflict-removed" in back
    # a type outside the abstract type (C) never meets A in one selection set: no change
    other = compare(MERGE.format(a="String"), MERGE.format(a="String").replace("url: Int", "url: String!"),
                    today=TODAY)
    assert "field-merge-conflict-added" not in {c.id for c in other.changes}


def test_defaults_compare_by_value_and_an_explicit_null_changes_nothing() -> None:
    old = "input F { a: Int = 1 b: Int } type Query { q(f: F = {a: 1, b: 2}, x: Float = 1.0, s: String): Int }"
    new = 'input F { a: Int = 1 b: Int = null } type Query { q(f: F = {b: 2, a: 1}, x: Float = 1, s: String = null):' \
          ' Int }'
    assert compare(old, new, today=TODAY).changes == ()
    core = [c.description for c in (*find_breaking_changes(build_schema(old), build_schema(new)),
                                    *find_dangerous_changes(build_schema(old), build_schema(new)))]
    # graphql-core agrees that the reordered object and the explicit null change nothing; it compares the spelling of
    # the Float default, where 1.0 and 1 coerce to the same value
    assert core == ["Query.q(x:) has changed defaultValue from 1.0 to 1."]
    changed = compare(old, old.replace("{a: 1, b: 2}", "{a: 1, b: 3}"), today=TODAY)
    assert [c.id for c in changed.changes] == ["argument-default-changed"]
    assert [c.id for c in compare(old.replace("a: Int = 1", "a: Int = 2"), old, today=TODAY).changes] == [
        "input-field-default-changed"]


def test_a_new_type_implementing_an_interface_is_a_new_possible_type() -> None:
    old = "interface Node { id: ID! } type A implements Node { id: ID! } type Query { node: Node }"
    new = old.replace("type Query", "type B implements Node { id: ID! } type Query")
    fragment = parse("{ node { ... on B { id } } }")
    assert validate(build_schema(old), fragment) != [] and validate(build_schema(new), fragment) == []
    report = compare(old, new, today=TODAY)
    added = next(c for c in report.changes if c.id == "interface-added")
    assert (added.subject, added.backward.value, added.forward.value) == ("B implements Node", "dangerous",
                                                                           "breaking")
    back = compare(new, old, today=TODAY)
    assert {c.id for c in back.changes} == {"type-removed", "interface-removed"}


def test_specified_by_added_documents_a_scalar_and_changed_is_dangerous() -> None:
    base = "scalar D{mark} type Query {{ d: D }}"
    none, one = base.format(mark=""), base.format(mark=' @specifiedBy(url: "https://a.example/v1")')
    two = base.format(mark=' @specifiedBy(url: "https://a.example/v2")')
    assert [(c.id, c.backward.value) for c in compare(none, one, today=TODAY).changes] == [
        ("scalar-specified-by-changed", "safe")]
    assert [(c.id, c.backward.value) for c in compare(one, two, today=TODAY).changes] == [
        ("scalar-specified-by-changed", "dangerous")]
