"""Federation inputs: subgraphs (Federation 1 and 2) and supergraphs, through the loader and the command line;
the API schema derived from a supergraph checked against Apollo's own composition."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from graphql import build_schema, lexicographic_sort_schema, print_schema

from apidiff.api import load
from apidiff.cli import main
from apidiff.formats.graphql.model import GraphQLApi
from apidiff.formats.graphql.printer import print_sdl
from tests.peers import apollo

FIXTURES = Path(__file__).parents[2].parent / "fixtures" / "federation"
SUBGRAPHS = ("products", "reviews", "users")

ISSUE_SUBGRAPH = '''extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
type Product @key(fields: "id") { id: ID! name: String @shareable }
type Query { product(id: ID!): Product }
'''


def sorted_sdl(sdl: str) -> str:
    return print_schema(lexicographic_sort_schema(build_schema(sdl)))


def client_sdl(api: GraphQLApi) -> str:
    return sorted_sdl(print_sdl(api))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--no-config"], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_the_issues_subgraph_loads_and_is_no_change_against_itself(tmp_path: Path) -> None:
    (tmp_path / "products.graphql").write_text(ISSUE_SUBGRAPH)
    (tmp_path / "copy.graphql").write_text(ISSUE_SUBGRAPH)
    code, out, err = run("diff", str(tmp_path / "products.graphql"), str(tmp_path / "copy.graphql"))
    assert (code, err) == (0, "")
    assert "No changes" in out or "no changes" in out.lower()
    api = load(str(tmp_path / "products.graphql"))
    assert isinstance(api, GraphQLApi) and api.federation is not None
    sub = api.federation.subgraphs["products"]
    assert [k.fields for k in sub.types["Product"].keys] == ["id"]
    assert sub.fields["Product.name"].shareable
    # the client view: no federation machinery
    expected = "type Product { id: ID! name: String } type Query { product(id: ID!): Product }"
    assert client_sdl(api) == sorted_sdl(expected)


def test_renamed_and_namespaced_imports_are_federation_directives() -> None:
    reviews = load(str(FIXTURES / "before" / "reviews.graphql"))
    users = load(str(FIXTURES / "before" / "users.graphql"))
    assert isinstance(reviews, GraphQLApi) and isinstance(users, GraphQLApi)
    assert reviews.federation is not None and users.federation is not None
    r = reviews.federation.subgraphs["reviews"]
    assert {t: [k.fields for k in f.keys] for t, f in r.types.items()} == {
        "Product": ["id"], "Review": ["id"], "User": ["id"]}  # @primaryKey is @key
    assert r.fields["Product.weight"].external and r.fields["Product.shippingEstimate"].requires == "weight"
    assert r.fields["Review.author"].provides == "username"
    assert [k.fields for k in users.federation.subgraphs["users"].types["User"].keys] == ["id"]  # @federation__key
    # no directive of federation's is left on the elements clients see
    assert "@primaryKey" not in print_sdl(reviews) and "federation__" not in print_sdl(users)


def test_inaccessible_elements_are_not_in_the_client_view_and_tags_are_kept_as_facts() -> None:
    products = load(str(FIXTURES / "before" / "products.graphql"))
    assert isinstance(products, GraphQLApi) and products.federation is not None
    assert "internalCode" not in products.types["Product"].fields
    sub = products.federation.subgraphs["products"]
    assert sub.inaccessible == frozenset({"Product.internalCode"})
    assert sub.tags == {"Product.price": ("public",)}
    assert [k.fields for k in sub.types["Product"].keys] == ["id", "sku"]


def test_a_federation_1_subgraph_loads_with_its_entity_machinery_unwritten(tmp_path: Path) -> None:
    path = tmp_path / "inventory.graphql"
    path.write_text('''extend type Product @key(fields: "upc") {
  upc: String! @external
  weight: Int @external
  inStock: Boolean
  shippingEstimate: Int @requires(fields: "weight")
}
extend type Query { _dummy: String }
''')
    api = load(str(path))
    assert isinstance(api, GraphQLApi) and api.federation is not None
    sub = api.federation.subgraphs["inventory"]
    assert sub.version == "1"
    assert [k.fields for k in sub.types["Product"].keys] == ["upc"]
    assert sub.fields["Product.upc"].external and sub.fields["Product.shippingEstimate"].requires == "weight"
    code, _, err = run("diff", str(path), str(path))
    assert (code, err) == (0, "")


@pytest.mark.parametrize(("text", "expected"), [
    ('extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n'
     'type Product @key(fields: "upc") { id: ID! }\ntype Query { p: Product }\n',
     ":2:15: Product @key(fields: \"upc\"): Product has no field upc"),
    ('extend schema @link(url: "https://specs.apollo.dev/federation/v2.99", import: ["@key"])\n'
     'type Query { a: Int }\n',
     "unknown Federation version: https://specs.apollo.dev/federation/v2.99"),
    ('schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/join/v0.3", '
     'for: EXECUTION) { query: Query }\n'
     'directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA\n'
     'scalar link__Import\nenum link__Purpose { SECURITY EXECUTION }\nenum join__Graph { A }\n'
     'type Query { a: Int }\n',
     "supergraph without subgraphs"),
])
def test_bad_federation_input_is_one_located_line_and_exit_2(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "bad.graphql"
    path.write_text(text)
    code, out, err = run("diff", str(path), str(path))
    assert code == 2, (out, err)
    assert len(err.strip().splitlines()) == 1 and err.startswith("apidiff: error: ")
    assert str(path) in err and expected in err


def test_the_api_schema_of_a_supergraph_is_apollos(tmp_path: Path) -> None:
    """Apollo composes the fixture subgraphs; apidiff reads Apollo's supergraph and derives the API schema the
    router serves, which must be Apollo's own ``toAPISchema()``, printed sorted."""
    composed = apollo.compose({name: FIXTURES / "before" / f"{name}.graphql" for name in SUBGRAPHS})
    assert "errors" not in composed, composed
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(composed["supergraph"])
    api = load(str(supergraph))
    assert isinstance(api, GraphQLApi) and api.federation is not None
    assert api.federation.role == "supergraph"
    assert sorted(api.federation.subgraphs) == sorted(SUBGRAPHS)
    assert client_sdl(api) == composed["api"].strip()
    assert [k.fields for k in api.federation.subgraphs["products"].types["Product"].keys] == ["id", "sku"]
    code, _, err = run("diff", str(supergraph), str(supergraph))
    assert (code, err) == (0, "")


def test_a_folder_of_subgraphs_is_composed_into_apollos_api_schema() -> None:
    """apidiff composes a folder of subgraph files itself; the API schema must be the one Apollo's composition
    gives for the same subgraphs (printed sorted)."""
    composed = apollo.compose({name: FIXTURES / "before" / f"{name}.graphql" for name in SUBGRAPHS})
    assert "errors" not in composed, composed
    api = load(str(FIXTURES / "before"))
    assert isinstance(api, GraphQLApi) and api.federation is not None
    assert api.federation.role == "subgraphs" and sorted(api.federation.subgraphs) == sorted(SUBGRAPHS)
    assert client_sdl(api) == composed["api"].strip()
    # each subgraph keeps its own facts; what one marks @inaccessible is hidden from the whole graph
    assert api.federation.subgraphs["reviews"].fields["Product.weight"].external
    assert api.federation.inaccessible == frozenset({"Product.internalCode"})
    code, _, err = run("diff", str(FIXTURES / "before"), str(FIXTURES / "before"))
    assert (code, err) == (0, "")


INTERFACES = {
    "a": '''extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
"""Something sold."""
interface Item { id: ID! title: String }
type Book implements Item @key(fields: "id") { id: ID! title: String @shareable pages: Int
  cover(size: Int, dpi: Int): String @shareable }
enum Color { RED GREEN }
enum Size { S M L }
input Filter { size: Size first: Int = 10 tag: String }
union Result = Book
type Query { items(filter: Filter, limit: Int): [Item] @shareable search(q: String!): [Result!] color: Color }
''',
    "b": '''extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
"""Something sold."""
interface Item { id: ID! title: String }
type Movie implements Item @key(fields: "id") { id: ID! title: String minutes: Int! }
type Book @key(fields: "id") { id: ID! title: String! @shareable cover(size: Int): String @shareable }
enum Color { RED BLUE }
enum Size { S M }
input Filter { size: Size first: Int = 10 }
union Result = Movie
type Query { featured(filter: Filter): Item movie(id: ID!): Movie tint: Color }
''',
}


def test_composition_merges_interfaces_unions_enums_arguments_and_inputs_as_apollo_does(tmp_path: Path) -> None:
    """Fields and members are unions, arguments and input fields intersections, an output field's type the most
    general one, an output enum the union of its values: checked against Apollo on the same subgraphs."""
    for name, text in INTERFACES.items():
        (tmp_path / f"{name}.graphql").write_text(text)
    composed = apollo.compose({name: tmp_path / f"{name}.graphql" for name in INTERFACES})
    assert "errors" not in composed, composed
    api = load(str(tmp_path))
    assert isinstance(api, GraphQLApi)
    assert client_sdl(api) == composed["api"].strip()
    assert "tag" not in api.types["Filter"].input_fields and sorted(api.types["Color"].values) == [
        "BLUE", "GREEN", "RED"]
    assert sorted(api.types["Size"].values) == ["M", "S"] and list(api.types["Book"].fields["cover"].args) == ["size"]


def test_subgraphs_that_cannot_compose_are_one_located_line_and_exit_2(tmp_path: Path) -> None:
    head = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n'
    (tmp_path / "a.graphql").write_text(head + "type Thing { id: ID }\ntype Query { thing: Thing }\n")
    (tmp_path / "b.graphql").write_text(head + "enum Thing { ONE }\ntype Query { other: Thing }\n")
    code, out, err = run("diff", str(tmp_path), str(tmp_path))
    assert code == 2, (out, err)
    assert len(err.strip().splitlines()) == 1 and "type Thing is defined with different kinds" in err
    assert "b.graphql:2:" in err
