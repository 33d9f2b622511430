"""Input values: field arguments, input-object fields and directive arguments.

The three share one set of rules (declared once per kind below): they are all values a client
sends, so their types are judged contravariantly and a new required one breaks callers.
"""

from __future__ import annotations

from collections.abc import Iterator
from string import Template

from apidiff.core.change import Hit
from apidiff.core.pair import Pair
from apidiff.core.rule import BREAKING, DANGEROUS, SAFE, Example, Policy, rule
from apidiff.formats.graphql.model import InputValue
from apidiff.formats.graphql.rules._base import example, removal_rule
from apidiff.formats.graphql.rules._variance import only_nullability, safe_for_input
from apidiff.formats.graphql.rules.annotations import annotation_rules

KINDS = {
    # kind: (noun, schema template around $decl, graphql-inspector prefix, graphql-core prefix, annotation template)
    "argument": ("argument", "type Query { a($decl): String }", "FIELD_ARGUMENT", "ARG",
                 "type Query { a($desc x: Int $dep, y: Int): String }"),
    "input-field": ("input field", "input In { $decl } type Query { q(i: In): String }", "INPUT_FIELD",
                    "INPUT_FIELD", "input In { $desc x: Int $dep y: Int } type Query { q(i: In): String }"),
    "directive-argument": ("directive argument", "directive @d($decl) on FIELD type Query { a: String }",
                           "DIRECTIVE_ARGUMENT", "DIRECTIVE_ARG",
                           "directive @d($desc x: Int $dep, y: Int) on FIELD type Query { a: String }"),
}


def _declare(kind: str, noun: str, template: str, inspector: str, core: str, annotations: str) -> None:
    def ex(old: str, new: str) -> Example:
        return example(Template(template).substitute(decl=old), Template(template).substitute(decl=new))

    def added(pair: Pair[InputValue]) -> InputValue | None:
        return pair.new if pair.old is None else None

    @rule(id=f"{kind}-added-required", kind=kind, family=f"{kind}-added", mirror=f"{kind}-removed",
          severity=BREAKING, message=f"required {noun} {{subject}} of type {{type}} was added",
          example=ex("x: Int", "x: Int, y: Int!"),
          equivalents=(f"graphql-inspector {inspector}_ADDED", f"graphql-core REQUIRED_{core}_ADDED"),
          doc=f"""A required {noun} (non-null, no default) was added.

          Every existing caller omits it, and is now rejected.

          ## Safe rollout
          Add it as optional (nullable, or non-null with a default), migrate callers to send it,
          and only then make it required, once no caller omits it.""")
    def added_required(pair: Pair[InputValue], policy: Policy) -> Iterator[Hit]:
        new = added(pair)
        if new is not None and new.required:
            yield Hit({"type": str(new.type)})

    @rule(id=f"{kind}-added-required-with-default", kind=kind, family=f"{kind}-added",
          mirror=f"{kind}-removed", severity=SAFE,
          message=f"non-null {noun} {{subject}} of type {{type}} with default {{default}} was added",
          example=ex("x: Int", "x: Int, y: Int! = 3"),
          equivalents=(f"graphql-inspector {inspector}_ADDED",),
          doc=f"""A non-null {noun} with a default value was added.

          Callers that omit it get the default, so existing callers keep working. Callers
          built against the new schema that send it fail against the old one (forward).

          ## Safe rollout
          Nothing to stage for existing callers.""")
    def added_required_with_default(pair: Pair[InputValue], policy: Policy) -> Iterator[Hit]:
        new = added(pair)
        if new is not None and new.type.non_null and new.default is not None:
            yield Hit({"type": str(new.type), "default": new.default})

    @rule(id=f"{kind}-added-optional", kind=kind, family=f"{kind}-added", mirror=f"{kind}-removed",
          severity=SAFE, message=f"optional {noun} {{subject}} of type {{type}} was added",
          example=ex("x: Int", "x: Int, y: Int"),
          equivalents=(f"graphql-inspector {inspector}_ADDED", f"graphql-core OPTIONAL_{core}_ADDED"),
          doc=f"""An optional (nullable) {noun} was added.

          Existing callers omit it and keep working. graphql-core calls this dangerous because a
          server might treat an omitted value differently from before; apidiff reports it as
          safe, as graphql-inspector does, since omitting an optional value is the old behaviour.

          ## Safe rollout
          Nothing to stage for existing callers.""")
    def added_optional(pair: Pair[InputValue], policy: Policy) -> Iterator[Hit]:
        new = added(pair)
        if new is not None and not new.type.non_null:
            yield Hit({"type": str(new.type)})

    @removal_rule(base=f"{kind}-removed", kind=kind, noun=noun, mirror=f"{kind}-added",
                  message=f"{noun} {{subject}} was removed",
                  example=lambda dep: ex(f"x: Int, y: Int {dep}", "x: Int"),
                  equivalents=(f"graphql-inspector {inspector}_REMOVED", f"graphql-core {core}_REMOVED"),
                  rollout=f"Expand: accept the replacement beside the old {noun}. Migrate: deprecate the "
                          f"old {noun} with a removal date and keep accepting it. Contract: remove it after "
                          "the date.")
    def removed(pair: Pair[InputValue], policy: Policy) -> Iterator[Hit]:
        yield Hit()

    @rule(id=f"{kind}-type-changed", kind=kind, family=f"{kind}-type", mirror=f"{kind}-type",
          severity=BREAKING, message=f"type of {noun} {{subject}} changed from {{old}} to {{new}}",
          example=ex("x: Int", "x: String"),
          equivalents=(f"graphql-inspector {inspector}_TYPE_CHANGED", f"graphql-core {core}_CHANGED_KIND"),
          doc=f"""The type of a {noun} changed (other than only its outer nullability).

          Input types are contravariant: the change is safe only when every value a caller could
          send before is still accepted, such as `[Int!]` → `[Int]`. Any other change rejects
          values that callers send today.

          ## Safe rollout
          Add a new {noun} with the new type beside the old one, deprecate the old one, migrate
          callers, and remove it after the sunset.""")
    def type_changed(pair: Pair[InputValue], policy: Policy) -> Iterator[Hit]:
        old, new = pair.old, pair.new
        if old is not None and new is not None and old.type != new.type \
                and only_nullability(old.type, new.type) is None:
            yield Hit({"old": str(old.type), "new": str(new.type)},
                      severity=SAFE if safe_for_input(old.type, new.type) else BREAKING)

    @rule(id=f"{kind}-became-non-nullable", kind=kind, family=f"{kind}-type", mirror=f"{kind}-type",
          severity=BREAKING, message=f"{noun} {{subject}} became non-null ({{old}} to {{new}})",
          example=ex("x: Int", "x: Int!"),
          equivalents=(f"graphql-inspector {inspector}_TYPE_CHANGED", f"graphql-core {core}_CHANGED_KIND"),
          doc=f"""A nullable {noun} became non-null.

          Callers that omit it or send an explicit null are rejected (with a default, only an
          explicit null is).

          ## Safe rollout
          Keep it nullable and treat null as the default on the server; or add a new non-null
          {noun}, deprecate the old one, and remove it after the sunset.""")
    def became_non_nullable(pair: Pair[InputValue], policy: Policy) -> Iterator[Hit]:
        if pair.old is not None and pair.new is not None \
                and only_nullability(pair.old.type, pair.new.type) == "non-null":
            yield Hit({"old": str(pair.old.type), "new": str(pair.new.type)})

    @rule(id=f"{kind}-became-nullable", kind=kind, family=f"{kind}-type", mirror=f"{kind}-type",
          severity=SAFE, message=f"{noun} {{subject}} became nullable ({{old}} to {{new}})",
          example=ex("x: Int!", "x: Int"),
          equivalents=(f"graphql-inspector {inspector}_TYPE_CHANGED",),
          doc=f"""A non-null {noun} became nullable (optional).

          Everything callers sent before is still accepted. Callers built against the new schema
          may omit it and fail against the old one (forward).

          ## Safe rollout
          Nothing to stage for existing callers.""")
    def became_nullable(pair: Pair[InputValue], policy: Policy) -> Iterator[Hit]:
        if pair.old is not None and pair.new is not None \
                and only_nullability(pair.old.type, pair.new.type) == "nullable":
            yield Hit({"old": str(pair.old.type), "new": str(pair.new.type)})

    @rule(id=f"{kind}-default-changed", kind=kind, severity=DANGEROUS, mirror=f"{kind}-default-changed",
          message=f"default value of {noun} {{subject}} changed from {{old}} to {{new}}",
          example=ex("x: Int = 1", "x: Int = 2"),
          equivalents=(f"graphql-inspector {inspector}_DEFAULT_CHANGED",
                       f"graphql-core {core}_DEFAULT_VALUE_CHANGE"),
          doc=f"""The default value of a {noun} was added, changed or removed.

          Callers that omit the {noun} silently get a different value: dangerous. Removing the
          default of a non-null {noun} makes it required, which breaks callers that omit it;
          adding a default to a non-null {noun} makes it optional, which is safe.

          ## Safe rollout
          Prefer a new {noun} with the new default; otherwise announce the change and check
          the callers that rely on the default.""")
    def default_changed(pair: Pair[InputValue], policy: Policy) -> Iterator[Hit]:
        old, new = pair.old, pair.new
        if old is not None and new is not None and old.default != new.default:
            if {old.default, new.default} == {None, "null"} and not old.type.non_null and not new.type.non_null:
                return  # a nullable value omitted is null: an explicit `= null` changes nothing for callers
            severity = DANGEROUS
            if old.type == new.type and old.required != new.required:
                severity = BREAKING if new.required else SAFE
            yield Hit({"old": old.default if old.default is not None else "(none)",
                       "new": new.default if new.default is not None else "(none)"}, severity=severity)

    annotation_rules(kind, noun, annotations, inspector)


for _kind, _spec in KINDS.items():
    _declare(_kind, *_spec)
