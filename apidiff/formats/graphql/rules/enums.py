"""Enum values."""

from __future__ import annotations

from collections.abc import Iterator

from apidiff.core.change import Hit
from apidiff.core.pair import Pair
from apidiff.core.rule import DANGEROUS, INPUT, OUTPUT, SAFE, Policy, rule
from apidiff.formats.graphql.model import EnumValue
from apidiff.formats.graphql.rules._base import example, removal_rule
from apidiff.formats.graphql.rules.annotations import annotation_rules


@rule(id="enum-value-added", kind="enum-value", mirror="enum-value-removed",
      severity={INPUT: SAFE, OUTPUT: DANGEROUS},
      message="enum value {subject} was added",
      example=example("enum Color { RED } type Query { c: Color }", "enum Color { RED GREEN } type Query { c: Color }"),
      equivalents=("graphql-inspector ENUM_VALUE_ADDED", "graphql-core VALUE_ADDED_TO_ENUM"))
def enum_value_added(pair: Pair[EnumValue], policy: Policy) -> Iterator[Hit]:
    """A value was added to an enum.

    In input positions this is safe: clients may send the new value, and old values still work.
    In output positions it is dangerous: an old client may receive a value it does not know and
    fail on an exhaustive `switch`, or drop data. An enum used in both takes the stricter verdict.

    ## Safe rollout
    For enums in responses, tell consumers first and make sure they handle unknown values
    (a default branch); then start returning the new value.
    """
    if pair.old is None:
        yield Hit()


@removal_rule(base="enum-value-removed", kind="enum-value", noun="enum value", mirror="enum-value-added",
              message="enum value {subject} was removed",
              example=lambda dep: example(f"enum Color {{ RED GREEN {dep} }} type Query {{ c(x: Color): String }}",
                                          "enum Color { RED } type Query { c(x: Color): String }"),
              equivalents=("graphql-inspector ENUM_VALUE_REMOVED", "graphql-core VALUE_REMOVED_FROM_ENUM"),
              rollout="Expand: add the replacement value. Migrate: deprecate the old value with a removal "
                      "date, stop returning it, keep accepting it. Contract: remove it after the date.")
def enum_value_removed(pair: Pair[EnumValue], policy: Policy) -> Iterator[Hit]:
    yield Hit()


annotation_rules("enum-value", "enum value", "enum Color { RED $desc GREEN $dep } type Query { c: Color }",
                 "ENUM_VALUE")
