"""Federation rules: what a subgraph change does to clients and to the supergraph, judged per surface.

Apollo's composition (run from npm) is the oracle: a change apidiff calls breaking for the supergraph is one
Apollo refuses to compose, and the fixture pull request, which Apollo composes, has no such change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from apidiff import compare
from apidiff.core.change import Change, Severity
from apidiff.formats import all_rules
from apidiff.formats.graphql.model import GraphQLApi
from tests.conftest import TODAY
from tests.formats.graphql.test_federation import FIXTURES, client_sdl, run
from tests.peers import apollo

BEFORE, AFTER = FIXTURES / "before", FIXTURES / "after"
RULES = {r.id: r for r in all_rules()}
SAFE, DANGEROUS, BREAKING = Severity.SAFE, Severity.DANGEROUS, Severity.BREAKING


def _compose(folder: Path) -> dict[str, object]:
    return apollo.compose({p.stem: p for p in sorted(folder.glob("*.graphql"))})


def _verdicts(changes: tuple[Change, ...] | list[Change]) -> set[tuple[str, str, str, str]]:
    """(rule, subject, clients' backward verdict, supergraph's) of the federation changes; '-' for one surface."""
    return {(c.id, c.subject, *(c.surfaces[s][0].value if c.surfaces else "-" for s in ("clients", "supergraph")))
            for c in changes}


def test_the_fixture_pull_request_composes_and_is_judged_per_surface() -> None:
    for folder in (BEFORE, AFTER):
        assert "errors" not in _compose(folder), folder
    report = compare(str(BEFORE), str(AFTER), today=TODAY)
    assert _verdicts(report.changes) == {
        ("subgraph-added", "subgraph inventory", "safe", "safe"),
        ("entity-key-removed", 'subgraph products: Product @key(fields: "sku")', "safe", "safe"),
        ("field-shareable-removed", "subgraph products: Product.sku", "safe", "safe"),
        ("tag-added", 'Product.price @tag(name: "partner")', "dangerous", "safe"),
        ("tag-removed", 'Product.price @tag(name: "public")', "dangerous", "safe"),
        ("inaccessible-removed", "Product.internalCode @inaccessible", "safe", "safe"),
        ("inaccessible-added", "User.email @inaccessible", "safe", "safe"),
        ("field-removed-without-deprecation", "User.email", "-", "-"),
        ("field-added", "Product.internalCode", "-", "-"),
        ("field-added", "Product.inStock", "-", "-"),
        ("field-override-added", "subgraph reviews: Product.weight", "safe", "dangerous"),
        ("field-external-removed", "subgraph reviews: Product.weight", "safe", "safe"),
        ("field-requires-changed", "subgraph reviews: Product.shippingEstimate", "safe", "safe"),
        ("field-provides-changed", "subgraph reviews: Review.author", "safe", "safe"),
        ("field-resolvers-changed", "Product.weight", "safe", "safe"),
        ("field-resolvers-changed", "Product.id", "safe", "safe"),
    }
    # Apollo composed the new graph: nothing in it is breaking for the supergraph; what clients lose is the field
    # hidden with @inaccessible, a removal like any other (without deprecation: breaking)
    assert [(c.id, c.subject) for c in report.changes if c.backward is BREAKING] == [
        ("field-removed-without-deprecation", "User.email")]
    override = next(c for c in report.changes if c.id == "field-override-added")
    assert override.new_location is not None and override.new_location.file.endswith("after/reviews.graphql")
    assert override.new_location.line == 21


def test_swapping_old_and_new_swaps_backward_and_forward_per_surface() -> None:
    ahead = compare(str(BEFORE), str(AFTER), today=TODAY)
    back = compare(str(AFTER), str(BEFORE), today=TODAY)
    for c in ahead.changes:
        if not c.surfaces:
            continue
        mirror = RULES[c.id].mirror
        mirrors = [m for m in back.changes if m.subject == c.subject and RULES[m.id].family == mirror]
        assert mirrors, c.id
        for surface, (_, forward) in c.surfaces.items():
            assert max(m.surfaces[surface][0] for m in mirrors) == forward, (c.id, surface)


CASES = {
    # reviews drops @shareable from Product.name, which products still resolves
    "shareable": ("reviews.graphql", "  name: String @shareable\n", "  name: String\n",
                  "INVALID_FIELD_SHARING", ("field-shareable-removed", "subgraph reviews: Product.name")),
    # products keys Product by sku only: reviews and inventory, keyed by id, cannot reach it, and id is no
    # longer a key field there (so no longer shared)
    "key": ("products.graphql", 'type Product @key(fields: "id") {', 'type Product @key(fields: "sku") {',
            "INVALID_FIELD_SHARING", ("entity-key-changed", "subgraph products: Product @key")),
    # reviews stops resolving shippingEstimate, which no other subgraph resolves
    "external": ("reviews.graphql", "  shippingEstimate: Int\n", "  shippingEstimate: Int @external\n",
                 "EXTERNAL_UNUSED", ("field-external-added", "subgraph reviews: Product.shippingEstimate")),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_what_apidiff_calls_breaking_for_the_supergraph_apollo_refuses_to_compose(case: str, tmp_path: Path) -> None:
    file, old, new, code, (rule_id, subject) = CASES[case]
    folder = tmp_path / "pr"
    shutil.copytree(AFTER, folder)
    text = (folder / file).read_text()
    assert old in text
    (folder / file).write_text(text.replace(old, new))
    composed = _compose(folder)
    assert code in {str(e["code"]) for e in composed.get("errors", [])}, composed  # type: ignore[attr-defined]
    report = compare(str(AFTER), str(folder), today=TODAY)
    hit = next(c for c in report.changes if (c.id, c.subject) == (rule_id, subject))
    assert hit.surfaces["supergraph"][0] is BREAKING and hit.surfaces["clients"][0] is SAFE
    assert hit.backward is BREAKING
    exit_code, out, _ = run("diff", str(AFTER), str(folder))
    assert exit_code == 1 and rule_id in out and "supergraph breaking" in out


ONE = '''extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@override"])
type Product @key(fields: "id") {{ id: ID! price: Int {mark} }}
type Query {{ product(id: ID!): Product }}
'''


def test_two_files_of_one_subgraph_pair_whatever_their_names(tmp_path: Path) -> None:
    (tmp_path / "v1.graphql").write_text(ONE.format(mark=""))
    (tmp_path / "v2.graphql").write_text(ONE.format(mark='@override(from: "inventory")'))
    report = compare(str(tmp_path / "v1.graphql"), str(tmp_path / "v2.graphql"), today=TODAY)
    assert _verdicts(report.changes) == {("field-override-added", "subgraph v2: Product.price", "safe", "dangerous")}
    # one subgraph alone: whether another subgraph resolves a field is not known, so dropping @shareable is
    # dangerous, not breaking
    shared = ONE.replace('"@override"]', '"@shareable"]')
    report = compare(shared.format(mark="@shareable"), shared.format(mark=""), today=TODAY)
    assert _verdicts(report.changes) == {
        ("field-shareable-removed", "subgraph <text>: Product.price", "safe", "dangerous")}


def test_supergraphs_say_what_clients_see_and_where_fields_moved(tmp_path: Path) -> None:
    """Apollo's supergraphs of the fixture PR: the client-facing changes are those of the composed folders, a field
    whose ``@join__field`` graph moved is no client change, and the progressive override is still reported."""
    sides = []
    for name, folder in (("old", BEFORE), ("new", AFTER)):
        composed = _compose(folder)
        assert "errors" not in composed, composed
        path = tmp_path / f"{name}.graphql"
        path.write_text(str(composed["supergraph"]))
        sides.append(path)
    supergraphs = compare(str(sides[0]), str(sides[1]), today=TODAY)
    folders = compare(str(BEFORE), str(AFTER), today=TODAY)
    clients = {(c.id, c.subject) for c in supergraphs.changes if not c.surfaces}
    assert clients == {(c.id, c.subject) for c in folders.changes if not c.surfaces}
    federation = _verdicts([c for c in supergraphs.changes if c.surfaces])
    assert ("field-resolvers-changed", "Product.weight", "safe", "safe") in federation
    assert ("field-override-added", "subgraph reviews: Product.weight", "safe", "dangerous") in federation
    assert ("subgraph-added", "subgraph inventory", "safe", "safe") in federation
    assert not any(rule.startswith(("entity-key", "field-shareable")) for rule, *_ in federation)
    api = compare(str(sides[1]), str(sides[1]), today=TODAY)
    assert api.changes == ()
    old_api, new_api = (apollo_api for apollo_api in (_compose(BEFORE)["api"], _compose(AFTER)["api"]))
    assert old_api != new_api


def test_the_plan_of_a_progressive_override_gives_the_rollout(tmp_path: Path) -> None:
    from apidiff.api import plan

    text = plan(str(BEFORE), str(AFTER), format="markdown", today=TODAY)
    assert "`staged-rollout`" in text
    assert '@override(from: "products", label: "percent(10)")' in text
    assert "10 → 25 → 50 → 100" in text
    assert "Deprecation:" not in text.split("subgraph reviews: Product.weight", 1)[1].split("\n## ", 1)[0]


def test_the_composed_client_schema_is_apollos_for_the_new_graph_too() -> None:
    composed = _compose(AFTER)
    assert "errors" not in composed, composed
    from apidiff.api import load

    api = load(str(AFTER))
    assert isinstance(api, GraphQLApi)
    assert client_sdl(api) == str(composed["api"]).strip()


def test_client_operations_are_checked_against_the_composed_schema(tmp_path: Path) -> None:
    """A PR that removes a field from the one subgraph that resolves it: the operation that selects it, written
    against the whole graph, is named; the one that does not is not."""
    folder = tmp_path / "pr"
    shutil.copytree(AFTER, folder)
    reviews = folder / "reviews.graphql"
    reviews.write_text(reviews.read_text().replace("  shippingEstimate: Int\n", ""))
    ops = tmp_path / "ops"
    ops.mkdir()
    (ops / "web.graphql").write_text(
        "query Product($id: ID!) { product(id: $id) { id name price reviews { body author { username } } } }\n")
    (ops / "admin.graphql").write_text("query Top { topProducts { sku shippingEstimate } }\n")
    code, out, _ = run("diff", str(AFTER), str(folder), "--usage", str(ops))
    assert code == 1
    assert "field Product.shippingEstimate was removed" in out
    assert "used by ops: Top" in out and "1 of 2 operations affected" in out
