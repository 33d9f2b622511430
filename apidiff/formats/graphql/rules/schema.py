"""The schema's root operation types."""

from __future__ import annotations

from collections.abc import Iterator

from apidiff.core.change import Hit
from apidiff.core.pair import Pair
from apidiff.core.rule import BREAKING, SAFE, Policy, rule
from apidiff.formats.graphql.model import Member
from apidiff.formats.graphql.rules._base import example

_M = "type Query { a: String } type Mutation { m: Int } type Other { m: Int }"


@rule(id="schema-root-added", kind="schema-root", mirror="schema-root-removed", severity=SAFE,
      message="the schema now has a {operation} root type {type}",
      example=example("type Query { a: String }", "type Query { a: String } type Mutation { m: Int }"))
def schema_root_added(pair: Pair[Member], policy: Policy) -> Iterator[Hit]:
    """The schema gained a root operation type (for example, mutations).

    Existing operations are unaffected; operations of the new kind fail against the old schema
    (forward).

    ## Safe rollout
    Nothing to stage.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"operation": pair.new.name, "type": pair.new.target})


@rule(id="schema-root-removed", kind="schema-root", mirror="schema-root-added", severity=BREAKING,
      message="the schema no longer has a {operation} root type (was {type})",
      example=example("type Query { a: String } type Mutation { m: Int }", "type Query { a: String }"))
def schema_root_removed(pair: Pair[Member], policy: Policy) -> Iterator[Hit]:
    """A root operation type was removed: no more mutations, or no more subscriptions.

    Every operation of that kind fails validation, whatever fields it selects.

    ## Safe rollout
    Deprecate every root field first, remove them after the sunset, and only then the root.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"operation": pair.old.name, "type": pair.old.target})


@rule(id="schema-root-changed", kind="schema-root", mirror="schema-root-changed", severity=BREAKING,
      message="the {operation} root type changed from {old} to {new}",
      example=example("schema { query: Query mutation: Mutation } " + _M,
                      "schema { query: Query mutation: Other } " + _M),
      equivalents=("graphql-inspector SCHEMA_QUERY_TYPE_CHANGED", "graphql-inspector SCHEMA_MUTATION_TYPE_CHANGED",
                   "graphql-inspector SCHEMA_SUBSCRIPTION_TYPE_CHANGED"))
def schema_root_changed(pair: Pair[Member], policy: Policy) -> Iterator[Hit]:
    """A root operation type was replaced by another type.

    Operations are validated against the fields of the new root type; every root field that
    the new type lacks, or types differently, breaks the operations that use it. The fields
    themselves are not compared across the two types, so this is reported as breaking.

    ## Safe rollout
    Keep the root type's name and evolve its fields instead.
    """
    if pair.old is not None and pair.new is not None and pair.old.target != pair.new.target:
        yield Hit({"operation": pair.new.name, "old": pair.old.target, "new": pair.new.target})
