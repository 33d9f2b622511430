"""Output fields of object and interface types."""

from __future__ import annotations

from collections.abc import Iterator

from apidiff.core.change import Hit
from apidiff.core.pair import Pair
from apidiff.core.rule import BREAKING, DANGEROUS, SAFE, Policy, rule
from apidiff.formats.graphql.model import Field, FieldMerge
from apidiff.formats.graphql.rules._base import example, removal_rule
from apidiff.formats.graphql.rules._variance import only_nullability, safe_for_output
from apidiff.formats.graphql.rules.annotations import annotation_rules


@rule(id="field-added", kind="field", mirror="field-removed", severity=SAFE,
      message="field {subject} was added",
      example=example("type Query { a: String }", "type Query { a: String b: Int }"),
      equivalents=("graphql-inspector FIELD_ADDED",))
def field_added(pair: Pair[Field], policy: Policy) -> Iterator[Hit]:
    """A field was added to an object or interface type.

    Existing operations do not select it, so they are unaffected. New clients that select it
    fail against the old schema: a rollback is breaking (forward).

    ## Safe rollout
    Nothing to stage for existing clients. Ship clients that use the field after the schema.
    """
    if pair.old is None:
        yield Hit()


@removal_rule(base="field-removed", kind="field", noun="field", mirror="field-added",
              message="field {subject} was removed",
              example=lambda dep: example(f"type Query {{ a: String b: Int {dep} }}", "type Query { a: String }"),
              equivalents=("graphql-inspector FIELD_REMOVED", "graphql-core FIELD_REMOVED"),
              rollout="Expand: add the replacement field. Migrate: deprecate the old field with "
                      "`@deprecated(reason: \"Use `newField`. Removal on <date>.\")` and watch its usage. "
                      "Contract: remove it after the date, once no client selects it.")
def field_removed(pair: Pair[Field], policy: Policy) -> Iterator[Hit]:
    yield Hit()


@rule(id="field-type-changed", kind="field", family="field-type", mirror="field-type",
      severity=BREAKING, message="type of field {subject} changed from {old} to {new}",
      example=example("type Query { a: String }", "type Query { a: Int }"),
      equivalents=("graphql-inspector FIELD_TYPE_CHANGED", "graphql-core FIELD_CHANGED_KIND"))
def field_type_changed(pair: Pair[Field], policy: Policy) -> Iterator[Hit]:
    """The type of an output field changed (other than only its outer nullability).

    Output types are covariant: the change is safe only when every value of the new type is a
    value an old reader understands, such as `[String]` → `[String!]`. Any other change (another
    named type, a list unwrapped or added, non-null dropped inside a list) breaks clients that
    read the field.

    ## Safe rollout
    Add a field with the new type under a new name, deprecate the old field, migrate clients,
    and remove the old field after its sunset.
    """
    old, new = pair.old, pair.new
    if old is not None and new is not None and old.type != new.type and only_nullability(old.type, new.type) is None:
        yield Hit({"old": str(old.type), "new": str(new.type)},
                  severity=SAFE if safe_for_output(old.type, new.type) else BREAKING)


@rule(id="field-became-nullable", kind="field", family="field-type", mirror="field-type", severity=BREAKING,
      message="field {subject} became nullable ({old} to {new})",
      example=example("type Query { a: String! }", "type Query { a: String }"),
      equivalents=("graphql-inspector FIELD_TYPE_CHANGED", "graphql-core FIELD_CHANGED_KIND"))
def field_became_nullable(pair: Pair[Field], policy: Policy) -> Iterator[Hit]:
    """An output field that was non-null may now return null.

    Clients, and code generated for them, rely on the value never being null; they fail on
    the first null.

    ## Safe rollout
    Add a nullable field under a new name, deprecate the non-null one, migrate, remove after
    the sunset.
    """
    if pair.old is not None and pair.new is not None and only_nullability(pair.old.type, pair.new.type) == "nullable":
        yield Hit({"old": str(pair.old.type), "new": str(pair.new.type)})


@rule(id="field-became-non-nullable", kind="field", family="field-type", mirror="field-type", severity=SAFE,
      message="field {subject} became non-null ({old} to {new})",
      example=example("type Query { a: String }", "type Query { a: String! }"),
      equivalents=("graphql-inspector FIELD_TYPE_CHANGED",))
def field_became_non_nullable(pair: Pair[Field], policy: Policy) -> Iterator[Hit]:
    """An output field that could return null never does now.

    Old clients handle null and non-null values alike, so they are unaffected. Clients built
    against the new schema may skip null checks and fail against the old one (forward).

    ## Safe rollout
    Nothing to stage for existing clients.
    """
    if pair.old is not None and pair.new is not None and only_nullability(pair.old.type, pair.new.type) == "non-null":
        yield Hit({"old": str(pair.old.type), "new": str(pair.new.type)})


annotation_rules("field", "field", "type Query { $desc a: String $dep b: String }", "FIELD")


_MERGE = ("interface N {{ id: ID }} type A implements N {{ id: ID url: {a} }} "
          "type B implements N {{ id: ID url: String }} type Query {{ n: N }}")


@rule(id="field-merge-conflict-added", kind="field-merge", mirror="field-merge-conflict-removed",
      severity=DANGEROUS,
      message="field {subject} can no longer be selected beside {siblings} (through {via}): their response shapes "
      "differ",
      example=example(_MERGE.format(a="String"), _MERGE.format(a="String!")))
def field_merge_conflict_added(pair: Pair[FieldMerge], policy: Policy) -> Iterator[Hit]:
    """A field of one possible type of an abstract type no longer merges with the same field of another.

    GraphQL lets a query select `... on A { url } ... on B { url }` under an interface or a
    union only when the two `url` fields have the same response shape (both lists or neither,
    both non-null or neither, the same scalar or enum). A change that is safe for the field on
    its own, such as `String` to `String!` in an output, makes such queries fail validation: the
    sibling field is named. Queries that alias one of the two, or select only one, still work.

    ## Safe rollout
    Change the sibling fields together (every possible type's field in one release), or add the
    new shape as a new field and deprecate the old one.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"siblings": ", ".join(pair.new.siblings), "via": ", ".join(pair.new.via)})


@rule(id="field-merge-conflict-removed", kind="field-merge", mirror="field-merge-conflict-added", severity=SAFE,
      message="field {subject} can now be selected beside {siblings} (through {via}): their response shapes agree",
      example=example(_MERGE.format(a="String!"), _MERGE.format(a="String")))
def field_merge_conflict_removed(pair: Pair[FieldMerge], policy: Policy) -> Iterator[Hit]:
    """A field of one possible type of an abstract type now merges with the same field of another.

    Queries may now select both fields in one selection set without an alias; nothing that
    worked before stops working.

    ## Safe rollout
    Nothing to roll out.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"siblings": ", ".join(pair.old.siblings), "via": ", ".join(pair.old.via)})
