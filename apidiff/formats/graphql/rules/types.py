"""Named types: added, removed, kind changed, description, @oneOf, @specifiedBy."""

from __future__ import annotations

from collections.abc import Iterator

from apidiff.core.change import Hit
from apidiff.core.pair import Pair
from apidiff.core.rule import BREAKING, DANGEROUS, SAFE, Policy, rule
from apidiff.formats.graphql.model import TypeDef
from apidiff.formats.graphql.rules._base import example
from apidiff.formats.graphql.rules.annotations import annotation_rules


@rule(id="type-added", kind="type", mirror="type-removed", severity=SAFE,
      message="{kind} type {subject} was added",
      example=example("type Query { a: String }", "type Query { a: String } type B { b: String }"),
      equivalents=("graphql-inspector TYPE_ADDED",))
def type_added(pair: Pair[TypeDef], policy: Policy) -> Iterator[Hit]:
    """A named type was added.

    Adding a type changes nothing for existing clients. Clients written against the new schema
    that use it fail against the old one, so a rollback is breaking (forward).

    ## Safe rollout
    Nothing to stage for existing clients. If new clients must survive a rollback, ship them
    only after the new schema is live everywhere.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"kind": pair.new.kind.label})


@rule(id="type-removed", kind="type", mirror="type-added", severity=BREAKING,
      message="{kind} type {subject} was removed",
      example=example("type A { a: Int } type Query { a: A x: Int }", "type Query { x: Int }"),
      equivalents=("graphql-inspector TYPE_REMOVED", "graphql-core TYPE_REMOVED"))
def type_removed(pair: Pair[TypeDef], policy: Policy) -> Iterator[Hit]:
    """A named type was removed.

    Operations that name the type (fragments `... on T`, variables of type `T`) no longer
    validate, and fields that returned it are gone with it.

    ## Safe rollout
    Expand: add the replacement type and fields beside the old ones. Migrate: deprecate every
    field and argument that uses the type, with a removal date. Contract: remove them, and the
    type, after the date.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"kind": pair.old.kind.label})


@rule(id="type-kind-changed", kind="type", mirror="type-kind-changed", severity=BREAKING,
      message="type {subject} changed from {old} to {new}",
      example=example("type A { a: Int } type Query { a: A }", "interface A { a: Int } type Query { a: A }"),
      equivalents=("graphql-inspector TYPE_KIND_CHANGED", "graphql-core TYPE_CHANGED_KIND"))
def type_kind_changed(pair: Pair[TypeDef], policy: Policy) -> Iterator[Hit]:
    """A named type changed its kind (for example, from object to interface).

    Selections, fragments and variables written for one kind are invalid for another: an
    interface needs fragments to reach fields of implementations, an input object cannot be
    selected, and so on.

    ## Safe rollout
    Never change a kind in place. Add a new type of the new kind under a new name, serve both,
    deprecate the fields that return the old one, and remove it after the sunset.
    """
    if pair.old is not None and pair.new is not None and pair.old.kind is not pair.new.kind:
        yield Hit({"old": pair.old.kind.label, "new": pair.new.kind.label})


@rule(id="input-type-became-one-of", kind="type", family="input-type-one-of", mirror="input-type-one-of",
      severity=BREAKING, message="input object {subject} became @oneOf",
      example=example("input In { a: Int b: Int } type Query { q(i: In): Int }",
                      "input In @oneOf { a: Int b: Int } type Query { q(i: In): Int }"),
      equivalents=("graphql-inspector DIRECTIVE_USAGE_INPUT_OBJECT_ADDED (oneOf)",))
def input_type_became_one_of(pair: Pair[TypeDef], policy: Policy) -> Iterator[Hit]:
    """An input object became a @oneOf input object.

    A @oneOf input accepts exactly one non-null field. Clients that sent several fields, or
    none, are now rejected.

    ## Safe rollout
    Add a new @oneOf input type and an argument that takes it beside the old one; deprecate the
    old argument; remove it after the sunset.
    """
    if pair.old is not None and pair.new is not None and not pair.old.one_of and pair.new.one_of:
        yield Hit()


@rule(id="input-type-no-longer-one-of", kind="type", family="input-type-one-of", mirror="input-type-one-of",
      severity=SAFE, message="input object {subject} is no longer @oneOf",
      example=example("input In @oneOf { a: Int b: Int } type Query { q(i: In): Int }",
                      "input In { a: Int b: Int } type Query { q(i: In): Int }"),
      equivalents=("graphql-inspector DIRECTIVE_USAGE_INPUT_OBJECT_REMOVED (oneOf)",))
def input_type_no_longer_one_of(pair: Pair[TypeDef], policy: Policy) -> Iterator[Hit]:
    """A @oneOf input object lost its @oneOf constraint.

    Every input that satisfied the constraint is still valid, so existing clients are safe.
    A rollback would reject inputs that new clients are now allowed to send.

    ## Safe rollout
    Nothing to stage for existing clients.
    """
    if pair.old is not None and pair.new is not None and pair.old.one_of and not pair.new.one_of:
        yield Hit()


@rule(id="scalar-specified-by-changed", kind="type", mirror="scalar-specified-by-changed", severity=DANGEROUS,
      message="@specifiedBy of scalar {subject} changed from {old} to {new}",
      example=example('scalar D @specifiedBy(url: "https://a.example/v1") type Query { d: D }',
                      'scalar D @specifiedBy(url: "https://a.example/v2") type Query { d: D }'))
def scalar_specified_by_changed(pair: Pair[TypeDef], policy: Policy) -> Iterator[Hit]:
    """The specification URL of a custom scalar was added, changed or removed.

    The URL names the format of the scalar's values. A new URL usually means a new format, which
    clients may parse or produce differently: dangerous. A URL added to a scalar that had none (or
    removed) documents the format it always had: safe.

    ## Safe rollout
    Introduce a new scalar for the new format and move fields to it one by one, deprecating
    the old ones.
    """
    if pair.old is not None and pair.new is not None and pair.old.specified_by != pair.new.specified_by:
        changed = pair.old.specified_by is not None and pair.new.specified_by is not None
        yield Hit({"old": repr(pair.old.specified_by) if pair.old.specified_by else "(none)",
                   "new": repr(pair.new.specified_by) if pair.new.specified_by else "(none)"},
                  severity=DANGEROUS if changed else SAFE)


annotation_rules("type", "type", "$desc type T { a: Int } type Query { t: T }", "TYPE", deprecatable=False)
