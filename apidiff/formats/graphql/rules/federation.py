"""Apollo Federation: what a subgraph change does to the graph's clients and to its supergraph.

Each rule has two surfaces: ``clients`` (the client-facing API schema: what operations see) and
``supergraph`` (the router and the other subgraphs: entity fetches, composition). A change to the
composed schema itself (a field removed, a type added) is judged by the ordinary GraphQL rules;
these rules judge what only federation knows. Where the other subgraphs are known (a folder of
subgraphs composed by apidiff, or a supergraph) a verdict can be certain; for one subgraph alone it
is at most dangerous where it depends on the others.
"""

from __future__ import annotations

from collections.abc import Iterator

from apidiff.core.change import Hit, Severity
from apidiff.core.pair import Pair
from apidiff.core.rule import BREAKING, DANGEROUS, SAFE, Example, Policy, rule
from apidiff.formats.graphql.fedmatch import facts_text, override_text
from apidiff.formats.graphql.model import Mark, Subgraph, SubgraphField
from apidiff.formats.graphql.rules._base import example

_IMPORT = '["@key", "@shareable", "@external", "@requires", "@provides", "@override", "@tag", "@inaccessible"]'
_SUB = ('extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ' + _IMPORT + ')\n'
        "type Product @key(fields: \"id\") {{ id: ID! {body} }}\n"
        "type Query {{ product(id: ID!): Product }}\n")


def _sub(old: str, new: str) -> Example:
    """Two versions of a one-subgraph schema, differing in the body of its entity ``Product``."""
    return example(_SUB.format(body=old), _SUB.format(body=new))


_KEYED = ('extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\n'
          "type Product {keys} {{ id: ID! sku: String! }}\n"
          "type Query {{ product(id: ID!): Product }}\n")


def _keys(old: str, new: str) -> Example:
    return example(_KEYED.format(keys=old), _KEYED.format(keys=new))


_SUPERGRAPH = """schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
{{
  query: Query
}}

directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, \
external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, \
resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM \
| INPUT_OBJECT | SCALAR
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

scalar join__FieldSet
scalar link__Import
enum link__Purpose {{ SECURITY EXECUTION }}

enum join__Graph {{
  PRODUCTS @join__graph(name: "products", url: "http://products")
  {inventory}
}}

type Product @join__type(graph: PRODUCTS, key: "id") {product} {{
  id: ID!
  price: Int @join__field(graph: {price})
}}

type Query @join__type(graph: PRODUCTS) {query} {{
  product(id: ID!): Product @join__field(graph: PRODUCTS)
}}
"""


def _supergraph(price: str, inventory: bool = True) -> str:
    has = inventory or price != "PRODUCTS"
    return _SUPERGRAPH.format(
        inventory='INVENTORY @join__graph(name: "inventory", url: "http://inventory")' if has else "",
        product='@join__type(graph: INVENTORY, key: "id")' if has else "",
        query="@join__type(graph: INVENTORY)" if has else "", price=price)


def _surfaces(clients: Severity, supergraph: Severity) -> dict[str, Severity]:
    return {"clients": clients, "supergraph": supergraph}


def _depends(known: bool, certain: Severity, others: bool) -> Severity:
    """A supergraph verdict that depends on the other subgraphs: ``certain`` when they are known to
    be affected, safe when they are known not to be, dangerous when they are not known."""
    if not known:
        return DANGEROUS
    return certain if others else SAFE


# -- subgraphs ---------------------------------------------------------------------------------------------


@rule(id="subgraph-added", kind="subgraph", mirror="subgraph-removed", surfaces=_surfaces(SAFE, SAFE),
      message="subgraph {name} was added to the graph",
      example=example(_supergraph("PRODUCTS", inventory=False), _supergraph("PRODUCTS")))
def subgraph_added(pair: Pair[Subgraph], policy: Policy) -> Iterator[Hit]:
    """A subgraph joined the graph.

    The new subgraph's types and fields reach clients through the composed schema, where the
    ordinary rules judge them; the subgraph itself takes nothing from the others.

    ## Safe rollout
    Deploy the subgraph's service first, then publish its schema so that the router's new query
    plans find it running.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"name": pair.new.name})


@rule(id="subgraph-removed", kind="subgraph", mirror="subgraph-added", surfaces=_surfaces(SAFE, DANGEROUS),
      message="subgraph {name} was removed from the graph",
      example=example(_supergraph("PRODUCTS"), _supergraph("PRODUCTS", inventory=False)))
def subgraph_removed(pair: Pair[Subgraph], policy: Policy) -> Iterator[Hit]:
    """A subgraph left the graph.

    What clients lose is reported as removals in the composed schema. For the supergraph, every
    entity the others reach through this subgraph's keys, every `@requires` on its fields and
    every field it alone resolved must be gone or moved before the router stops calling it.

    ## Safe rollout
    Move the fields it resolves to other subgraphs (with `@override`), publish the graph without
    the subgraph, and shut its service down only after the router runs the new supergraph.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"name": pair.old.name})


# -- entity keys -------------------------------------------------------------------------------------------


def _key_verdict(side: Mark) -> Severity:
    """Losing a key: breaking when another subgraph declaring the entity shares no key with this one any more."""
    return BREAKING if not side.known or side.others else SAFE


@rule(id="entity-key-added", kind="entity-key", mirror="entity-key-removed", surfaces=_surfaces(SAFE, SAFE),
      message="subgraph {subgraph} added {key} to entity {type}",
      example=_keys('@key(fields: "id")', '@key(fields: "id") @key(fields: "sku")'),
      equivalents=("graphql-inspector DIRECTIVE_USAGE_OBJECT_ADDED",))
def entity_key_added(pair: Pair[Mark], policy: Policy) -> Iterator[Hit]:
    """An entity gained a `@key` in a subgraph.

    The router may now fetch the entity from this subgraph by the new field set, which no one
    used before; composition and clients are unaffected.

    ## Safe rollout
    Deploy the subgraph's reference resolver (`__resolveReference`) for the new key before
    publishing the schema that declares it.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"subgraph": pair.new.subgraph, "key": pair.new.text, "type": pair.new.coordinate})


@rule(id="entity-key-removed", kind="entity-key", mirror="entity-key-added", surfaces=_surfaces(SAFE, BREAKING),
      message="subgraph {subgraph} removed {key} from entity {type}",
      example=_keys('@key(fields: "id") @key(fields: "sku")', '@key(fields: "id")'),
      equivalents=("graphql-inspector DIRECTIVE_USAGE_OBJECT_REMOVED",))
def entity_key_removed(pair: Pair[Mark], policy: Policy) -> Iterator[Hit]:
    """An entity lost a `@key` in a subgraph.

    Other subgraphs that return the entity reach this subgraph's fields through its keys: the
    router's entity fetches (`_entities` with the key's fields) from them no longer plan, and
    composition fails where another subgraph can only provide this key. With the other subgraphs
    known, the verdict is breaking when one of them declares the entity but would share no key with
    this subgraph any more, and safe otherwise.

    ## Safe rollout
    Add the replacement key first and let the other subgraphs provide its fields; remove the old
    key once no subgraph declares the entity with only the old one.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"subgraph": pair.old.subgraph, "key": pair.old.text, "type": pair.old.coordinate,
                   "others": sorted(pair.old.others)}, surfaces=_surfaces(SAFE, _key_verdict(pair.old)))


@rule(id="entity-key-changed", kind="entity-key", mirror="entity-key-changed", surfaces=_surfaces(SAFE, BREAKING),
      message="subgraph {subgraph} changed the key of entity {type} from {old} to {new}",
      example=_keys('@key(fields: "id")', '@key(fields: "sku")'))
def entity_key_changed(pair: Pair[Mark], policy: Policy) -> Iterator[Hit]:
    """An entity's `@key` field set changed in a subgraph (or a key became `resolvable: false`).

    To the router the old key is gone: other subgraphs that reference the entity by the old
    fields can no longer reach this subgraph's fields. A key that becomes resolvable again is
    safe.

    ## Safe rollout
    Declare the new key next to the old one (an entity may have several `@key`s), move the other
    subgraphs to it, then remove the old key.
    """
    if pair.old is None or pair.new is None or pair.old.text == pair.new.text:
        return
    lost = "resolvable: false" in pair.new.text or pair.old.text.replace(", resolvable: false", "") != \
        pair.new.text.replace(", resolvable: false", "")
    yield Hit({"subgraph": pair.new.subgraph, "type": pair.new.coordinate, "old": pair.old.text,
               "new": pair.new.text, "others": sorted(pair.old.others)},
              surfaces=_surfaces(SAFE, _key_verdict(pair.old) if lost else SAFE))


# -- field facts -------------------------------------------------------------------------------------------


def _override_args(pair: Pair[SubgraphField]) -> dict[str, str]:
    assert pair.old is not None and pair.new is not None
    return {**_args(pair), "old": override_text(pair.old.facts), "new": override_text(pair.new.facts)}


def _args(pair: Pair[SubgraphField]) -> dict[str, str]:
    assert pair.old is not None and pair.new is not None
    return {"subgraph": pair.new.subgraph, "field": pair.new.coordinate,
            "old": facts_text(pair.old.facts) or "no federation directive",
            "new": facts_text(pair.new.facts) or "no federation directive"}


@rule(id="field-shareable-added", kind="subgraph-field", mirror="field-shareable-removed",
      surfaces=_surfaces(SAFE, SAFE), message="{field} became shareable in subgraph {subgraph}",
      example=_sub("name: String", "name: String @shareable"))
def field_shareable_added(pair: Pair[SubgraphField], policy: Policy) -> Iterator[Hit]:
    """A field became `@shareable` in a subgraph.

    Other subgraphs may now resolve the same field; nothing changes until one does.

    ## Safe rollout
    Nothing to roll out; a subgraph that starts resolving the field must return the same values.
    """
    if pair.old is not None and pair.new is not None and not pair.old.facts.shareable and pair.new.facts.shareable:
        yield Hit(_args(pair))


@rule(id="field-shareable-removed", kind="subgraph-field", mirror="field-shareable-added",
      surfaces=_surfaces(SAFE, BREAKING), message="{field} is no longer shareable in subgraph {subgraph}",
      example=_sub("name: String @shareable", "name: String"),
      equivalents=("apollo INVALID_FIELD_SHARING",))
def field_shareable_removed(pair: Pair[SubgraphField], policy: Policy) -> Iterator[Hit]:
    """A field is no longer `@shareable` in a subgraph (or no longer in a key, which shares it implicitly).

    Federation 2 composes a field that several subgraphs resolve only when every one of them
    marks it `@shareable`: if another subgraph still resolves it, composition fails
    (`INVALID_FIELD_SHARING`) and the graph cannot be published. Breaking when another subgraph
    is known to resolve the field, safe when none is, dangerous for one subgraph alone.

    ## Safe rollout
    Remove the field (or mark it `@external`) in the other subgraphs first, or move it with
    `@override`; drop `@shareable` when this subgraph is its only resolver.
    """
    if pair.old is not None and pair.new is not None and pair.old.facts.shareable and not pair.new.facts.shareable:
        yield Hit(_args(pair), surfaces=_surfaces(SAFE, _depends(pair.new.known, BREAKING, bool(pair.new.others))))


@rule(id="field-external-added", kind="subgraph-field", mirror="field-external-removed",
      surfaces=_surfaces(SAFE, BREAKING), message="subgraph {subgraph} marked {field} @external: it no longer "
      "resolves it",
      example=_sub("weight: Int @shareable", "weight: Int @external"))
def field_external_added(pair: Pair[SubgraphField], policy: Policy) -> Iterator[Hit]:
    """A field became `@external` in a subgraph: the subgraph stops resolving it.

    Another subgraph must resolve the field from now on; if none does, composition fails and the
    field cannot be served. Safe when another subgraph is known to resolve it, breaking when none
    does, dangerous for one subgraph alone.

    ## Safe rollout
    Make sure another subgraph resolves the field (`@shareable` there, or moved with
    `@override`), then mark it `@external` here.
    """
    if pair.old is not None and pair.new is not None and not pair.old.facts.external and pair.new.facts.external:
        yield Hit(_args(pair), surfaces=_surfaces(SAFE, _depends(pair.new.known, BREAKING,
                                                                 not pair.new.others)))


@rule(id="field-external-removed", kind="subgraph-field", mirror="field-external-added",
      surfaces=_surfaces(SAFE, BREAKING), message="subgraph {subgraph} no longer marks {field} @external: it now "
      "resolves it",
      example=_sub("weight: Int @external", "weight: Int"))
def field_external_removed(pair: Pair[SubgraphField], policy: Policy) -> Iterator[Hit]:
    """A field is no longer `@external` in a subgraph: the subgraph now resolves it itself.

    If another subgraph resolves the field too, both must mark it `@shareable` or composition
    fails (`INVALID_FIELD_SHARING`); `@requires` and `@provides` that named it now refer to a
    field of the subgraph's own. Breaking when another known subgraph resolves it and this one
    does not mark it shareable, dangerous for one subgraph alone.

    ## Safe rollout
    Mark the field `@shareable` in every subgraph that resolves it, or take it over with
    `@override(from: "other")`.
    """
    if pair.old is not None and pair.new is not None and pair.old.facts.external and not pair.new.facts.external:
        # a subgraph taking the field over with @override may share it with the one it overrides
        clash = bool(pair.new.others - {pair.new.facts.override}) and not pair.new.facts.shareable
        yield Hit(_args(pair), surfaces=_surfaces(SAFE, _depends(pair.new.known, BREAKING, clash)))


@rule(id="field-requires-changed", kind="subgraph-field", mirror="field-requires-changed",
      surfaces=_surfaces(SAFE, DANGEROUS), message="subgraph {subgraph} changed {field} from {old} to {new}",
      example=_sub('weight: Int @external size: Int @requires(fields: "weight")',
                   'weight: Int @external height: Int @external size: Int @requires(fields: "weight height")'))
def field_requires_changed(pair: Pair[SubgraphField], policy: Policy) -> Iterator[Hit]:
    """The `@requires` field set of a field changed.

    The router fetches the required fields from the subgraphs that own them before it calls this
    resolver: a new field set changes every query plan through the field, needs the fields to be
    `@external` here and resolvable elsewhere, and the resolver must read what it now receives.
    Dropping `@requires` is safe.

    ## Safe rollout
    Deploy a resolver that works with both the old and the new representation first, then
    publish the new field set.
    """
    if pair.old is None or pair.new is None or pair.old.facts.requires == pair.new.facts.requires:
        return
    yield Hit(_args(pair), surfaces=_surfaces(SAFE, SAFE if pair.new.facts.requires is None else DANGEROUS))


@rule(id="field-provides-changed", kind="subgraph-field", mirror="field-provides-changed",
      surfaces=_surfaces(SAFE, DANGEROUS), message="subgraph {subgraph} changed {field} from {old} to {new}",
      example=example(
          _SUB.format(body="name: String") + "type Review @key(fields: \"id\") { id: ID! product: Product }\n",
          _SUB.format(body="name: String @external")
          + "type Review @key(fields: \"id\") { id: ID! product: Product @provides(fields: \"name\") }\n"))
def field_provides_changed(pair: Pair[SubgraphField], policy: Policy) -> Iterator[Hit]:
    """The `@provides` field set of a field changed.

    `@provides` tells the router that on this path the subgraph returns fields another subgraph
    owns, so query plans skip that fetch: a field set the resolver does not really fill gives
    clients nulls or stale values. Dropping `@provides` is safe (the router fetches the owner).

    ## Safe rollout
    Deploy the resolver that returns the provided fields first, then publish the `@provides`.
    """
    if pair.old is None or pair.new is None or pair.old.facts.provides == pair.new.facts.provides:
        return
    yield Hit(_args(pair), surfaces=_surfaces(SAFE, SAFE if pair.new.facts.provides is None else DANGEROUS))


@rule(id="field-override-added", kind="subgraph-field", mirror="field-override-removed",
      surfaces=_surfaces(SAFE, DANGEROUS), message="subgraph {subgraph} takes {field} over with {new}",
      example=_sub("price: Int", 'price: Int @override(from: "inventory")'))
def field_override_added(pair: Pair[SubgraphField], policy: Policy) -> Iterator[Hit]:
    """A field gained `@override(from:)`: the router now calls this subgraph for it.

    Clients see the same field; the supergraph moves its resolution from one service to another
    at once (or for a share of requests with a `label`), so the new resolver must return the same
    values under production traffic.

    ## Safe rollout
    Move the field progressively: publish `@override(from: "x", label: "percent(10)")` in the
    subgraph taking it over, watch errors and latency, raise the percentage, then drop the label
    (the whole field moves) and finally remove the field from `x` and the `@override`.
    """
    if pair.old is not None and pair.new is not None and pair.old.facts.override is None \
            and pair.new.facts.override is not None:
        yield Hit(_override_args(pair))


@rule(id="field-override-removed", kind="subgraph-field", mirror="field-override-added",
      surfaces=_surfaces(SAFE, DANGEROUS), message="subgraph {subgraph} no longer overrides {field} ({old})",
      example=_sub('price: Int @override(from: "inventory")', "price: Int"))
def field_override_removed(pair: Pair[SubgraphField], policy: Policy) -> Iterator[Hit]:
    """A field lost its `@override(from:)`.

    If the overridden subgraph still resolves the field, the router goes back to calling it (or
    composition fails where neither marks the field `@shareable`). Once the overridden subgraph
    has removed the field, dropping `@override` is the migration's last, safe step: safe when the
    other subgraphs are known and it no longer resolves the field.

    ## Safe rollout
    Remove the field from the overridden subgraph first; then drop the `@override`.
    """
    if pair.old is None or pair.new is None or pair.old.facts.override is None \
            or pair.new.facts.override is not None:
        return
    back = pair.old.facts.override in pair.new.others
    yield Hit(_override_args(pair), surfaces=_surfaces(SAFE, _depends(pair.new.known, DANGEROUS, back)))


@rule(id="field-override-changed", kind="subgraph-field", mirror="field-override-changed",
      surfaces=_surfaces(SAFE, DANGEROUS), message="subgraph {subgraph} changed {field} from {old} to {new}",
      example=_sub('price: Int @override(from: "inventory", label: "percent(10)")',
                   'price: Int @override(from: "inventory", label: "percent(50)")'))
def field_override_changed(pair: Pair[SubgraphField], policy: Policy) -> Iterator[Hit]:
    """The `@override` of a field changed: its `label` (the share of traffic moved) or its `from`.

    A progressive override moves a share of requests (`percent(n)`) or the requests with a
    router-set label to the new resolver; raising it, or dropping the label, sends more
    production traffic to the new service.

    ## Safe rollout
    Raise the percentage in steps, watching the new resolver's errors and latency at each.
    """
    o, n = pair.old, pair.new
    if o is None or n is None or o.facts.override is None or n.facts.override is None:
        return
    if (o.facts.override, o.facts.override_label) != (n.facts.override, n.facts.override_label):
        yield Hit(_override_args(pair))


# -- resolvers, tags and marks -----------------------------------------------------------------------------


@rule(id="field-resolvers-changed", kind="field-resolvers", mirror="field-resolvers-changed",
      surfaces=_surfaces(SAFE, SAFE), message="{subject} is now resolved by {new} (was {old})",
      example=example(_supergraph("PRODUCTS"), _supergraph("INVENTORY")))
def field_resolvers_changed(pair: Pair[Mark], policy: Policy) -> Iterator[Hit]:
    """The subgraphs that resolve a field of the composed graph changed.

    Clients see the same field; the router calls another service for it. This is how a
    supergraph shows a field moved with `@override` or shared with `@shareable`: no client-facing
    change, listed so that owners see where the field is served from.

    ## Safe rollout
    Nothing to roll out for clients; watch the new resolver's errors and latency.
    """
    if pair.old is not None and pair.new is not None and pair.old.others != pair.new.others:
        yield Hit({"old": pair.old.subgraph, "new": pair.new.subgraph})


_TAGGED = ('extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@tag", '
           '"@inaccessible"])\n'
           "type Product @key(fields: \"id\") {{ id: ID! name: String {marks} }}\n"
           "type Query {{ product(id: ID!): Product }}\n")


def _tagged(old: str, new: str) -> Example:
    return example(_TAGGED.format(marks=old), _TAGGED.format(marks=new))


@rule(id="tag-added", kind="tag", mirror="tag-removed", surfaces=_surfaces(DANGEROUS, SAFE),
      message="{element} was tagged {tag}",
      example=_tagged("", '@tag(name: "internal")'),
      equivalents=("graphql-inspector DIRECTIVE_USAGE_FIELD_DEFINITION_ADDED",))
def tag_added(pair: Pair[Mark], policy: Policy) -> Iterator[Hit]:
    """An element gained a `@tag`.

    Contracts (the variants of a graph served to partners or to the public) include or exclude
    elements by tag: a contract that excludes the tag loses the element, a removal for its
    clients; one that includes it gains it.

    ## Safe rollout
    Check which contracts filter on the tag; treat it as a removal (deprecate first) for every
    contract that excludes it.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"element": pair.new.coordinate, "tag": pair.new.text})


@rule(id="tag-removed", kind="tag", mirror="tag-added", surfaces=_surfaces(DANGEROUS, SAFE),
      message="{element} is no longer tagged {tag}",
      example=_tagged('@tag(name: "public")', ""),
      equivalents=("graphql-inspector DIRECTIVE_USAGE_FIELD_DEFINITION_REMOVED",))
def tag_removed(pair: Pair[Mark], policy: Policy) -> Iterator[Hit]:
    """An element lost a `@tag`.

    A contract that includes elements by this tag no longer serves the element: for that
    contract's clients it is a removal.

    ## Safe rollout
    Check which contracts include the tag; treat it as a removal (deprecate first) for each.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"element": pair.old.coordinate, "tag": pair.old.text})


@rule(id="inaccessible-added", kind="inaccessible", mirror="inaccessible-removed", surfaces=_surfaces(SAFE, SAFE),
      message="{element} was marked @inaccessible: it is hidden from clients",
      example=_tagged("", "@inaccessible"))
def inaccessible_added(pair: Pair[Mark], policy: Policy) -> Iterator[Hit]:
    """An element was marked `@inaccessible`.

    The element stays in the supergraph (other subgraphs may still use it in keys and
    `@requires`) but leaves the API schema. Clients lose it: that removal is reported on its own,
    with the verdict and deprecation policy of any removal; this change says why.

    ## Safe rollout
    Deprecate the element first, as for a removal; mark it `@inaccessible` after its sunset.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"element": pair.new.coordinate})


@rule(id="inaccessible-removed", kind="inaccessible", mirror="inaccessible-added", surfaces=_surfaces(SAFE, SAFE),
      message="{element} is no longer @inaccessible: clients can see it",
      example=_tagged("@inaccessible", ""))
def inaccessible_removed(pair: Pair[Mark], policy: Policy) -> Iterator[Hit]:
    """An element is no longer `@inaccessible`.

    The element joins the API schema, an addition for clients (reported on its own).

    ## Safe rollout
    Nothing to roll out: make sure the element is ready to be served to clients.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"element": pair.old.coordinate})
