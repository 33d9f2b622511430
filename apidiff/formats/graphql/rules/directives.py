"""Directive definitions, and directives applied to schema elements."""

from __future__ import annotations

from collections.abc import Iterator

from apidiff.core.change import Hit
from apidiff.core.pair import Pair
from apidiff.core.rule import BREAKING, DANGEROUS, SAFE, Policy, rule
from apidiff.formats.graphql.model import AppliedDirective, Directive, Member
from apidiff.formats.graphql.rules._base import example
from apidiff.formats.graphql.rules.annotations import annotation_rules

_Q = " type Query { a: String }"


@rule(id="directive-added", kind="directive", mirror="directive-removed", severity=SAFE,
      message="directive {subject} was added",
      example=example(_Q, "directive @tag on FIELD" + _Q), equivalents=("graphql-inspector DIRECTIVE_ADDED",))
def directive_added(pair: Pair[Directive], policy: Policy) -> Iterator[Hit]:
    """A directive definition was added.

    Nothing uses it yet; existing operations are unaffected.

    ## Safe rollout
    Nothing to stage.
    """
    if pair.old is None:
        yield Hit()


@rule(id="directive-removed", kind="directive", mirror="directive-added", severity=BREAKING,
      message="directive {subject} was removed",
      example=example("directive @cache(ttl: Int) on FIELD_DEFINITION" + _Q, _Q),
      equivalents=("graphql-inspector DIRECTIVE_REMOVED", "graphql-core DIRECTIVE_REMOVED"))
def directive_removed(pair: Pair[Directive], policy: Policy) -> Iterator[Hit]:
    """A directive definition was removed.

    Operations that use the directive no longer validate; for type-system directives, tools
    that read the schema (federation, code generators) may depend on it.

    ## Safe rollout
    Stop giving the directive meaning first, announce the removal, and remove the definition
    once no operation uses it.
    """
    if pair.new is None:
        yield Hit()


@rule(id="directive-repeatable-removed", kind="directive", family="directive-repeatable",
      mirror="directive-repeatable", severity=BREAKING, message="directive {subject} is no longer repeatable",
      example=example("directive @tag repeatable on FIELD" + _Q, "directive @tag on FIELD" + _Q),
      equivalents=("graphql-inspector DIRECTIVE_REPEATABLE_REMOVED", "graphql-core DIRECTIVE_REPEATABLE_REMOVED"))
def directive_repeatable_removed(pair: Pair[Directive], policy: Policy) -> Iterator[Hit]:
    """A repeatable directive is no longer repeatable.

    Operations that apply it more than once to one location no longer validate.

    ## Safe rollout
    Add a new non-repeatable directive beside the old one and migrate; remove the old one later.
    """
    if pair.old is not None and pair.new is not None and pair.old.repeatable and not pair.new.repeatable:
        yield Hit()


@rule(id="directive-repeatable-added", kind="directive", family="directive-repeatable",
      mirror="directive-repeatable", severity=SAFE, message="directive {subject} became repeatable",
      example=example("directive @tag on FIELD" + _Q, "directive @tag repeatable on FIELD" + _Q),
      equivalents=("graphql-inspector DIRECTIVE_REPEATABLE_ADDED",))
def directive_repeatable_added(pair: Pair[Directive], policy: Policy) -> Iterator[Hit]:
    """A directive became repeatable.

    Every existing use of the directive is still valid; operations that repeat it fail against
    the old schema (forward).

    ## Safe rollout
    Nothing to stage.
    """
    if pair.old is not None and pair.new is not None and not pair.old.repeatable and pair.new.repeatable:
        yield Hit()


@rule(id="directive-location-added", kind="directive-location", mirror="directive-location-removed",
      severity=SAFE, message="directive {owner} may now be used on {location}",
      example=example("directive @tag on FIELD" + _Q, "directive @tag on FIELD | QUERY" + _Q),
      equivalents=("graphql-inspector DIRECTIVE_LOCATION_ADDED",))
def directive_location_added(pair: Pair[Member], policy: Policy) -> Iterator[Hit]:
    """A directive may be used at one more location.

    Every existing use of the directive is still valid; operations written for the new schema
    that use the new location fail against the old one (forward).

    ## Safe rollout
    Nothing to stage.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"location": pair.new.name})


@rule(id="directive-location-removed", kind="directive-location", mirror="directive-location-added",
      severity=BREAKING, message="directive {owner} may no longer be used on {location}",
      example=example("directive @tag on FIELD | QUERY" + _Q, "directive @tag on FIELD" + _Q),
      equivalents=("graphql-inspector DIRECTIVE_LOCATION_REMOVED", "graphql-core DIRECTIVE_LOCATION_REMOVED"))
def directive_location_removed(pair: Pair[Member], policy: Policy) -> Iterator[Hit]:
    """A directive may no longer be used at a location.

    Operations that use it there no longer validate.

    ## Safe rollout
    Announce the change and remove the location once no operation uses the directive there.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"location": pair.old.name})


annotation_rules("directive", "directive", "$desc directive @tag on FIELD" + _Q, "DIRECTIVE", deprecatable=False)


_USE = 'directive @key(fields: String) repeatable on OBJECT type Query {{ a: String }} type T {use} {{ id: ID }}'


@rule(id="directive-usage-added", kind="directive-usage", mirror="directive-usage-removed", severity=DANGEROUS,
      message="directive {directive} was applied to {owner}",
      example=example(_USE.format(use=""), _USE.format(use='@key(fields: "id")')),
      equivalents=("graphql-inspector DIRECTIVE_USAGE_*_ADDED",))
def directive_usage_added(pair: Pair[AppliedDirective], policy: Policy) -> Iterator[Hit]:
    """A directive was applied to an existing schema element.

    Applied directives carry meaning for the tools that read the schema (federation gateways,
    code generators, authorization layers): their behaviour for this element may change.

    ## Safe rollout
    Check what the directive means to each consumer of the schema before applying it.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"directive": str(pair.new)})


@rule(id="directive-usage-removed", kind="directive-usage", mirror="directive-usage-added", severity=DANGEROUS,
      message="directive {directive} was removed from {owner}",
      example=example(_USE.format(use='@key(fields: "id")'), _USE.format(use="")),
      equivalents=("graphql-inspector DIRECTIVE_USAGE_*_REMOVED",))
def directive_usage_removed(pair: Pair[AppliedDirective], policy: Policy) -> Iterator[Hit]:
    """A directive applied to a schema element was removed.

    Tools that read the schema may stop treating the element specially.

    ## Safe rollout
    Check what the directive means to each consumer of the schema before removing it.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"directive": str(pair.old)})


@rule(id="directive-usage-changed", kind="directive-usage", mirror="directive-usage-changed", severity=DANGEROUS,
      message="directive applied to {owner} changed from {old} to {new}",
      example=example(_USE.format(use='@key(fields: "id")'), _USE.format(use='@key(fields: "uuid")')),
      equivalents=("graphql-inspector DIRECTIVE_USAGE_ARGUMENT_ADDED",
                   "graphql-inspector DIRECTIVE_USAGE_ARGUMENT_REMOVED"))
def directive_usage_changed(pair: Pair[AppliedDirective], policy: Policy) -> Iterator[Hit]:
    """The arguments of a directive applied to a schema element changed.

    Tools that read the schema may now treat the element differently.

    ## Safe rollout
    Check what the directive means to each consumer of the schema before changing it.
    """
    if pair.old is not None and pair.new is not None and pair.old != pair.new:
        yield Hit({"old": str(pair.old), "new": str(pair.new)})
