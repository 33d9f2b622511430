"""JSON Schema rules, for request bodies, parameters, responses and headers alike.

Every rule here is written once and judged by direction: for a request (input) the question is
"is every value that was valid before still accepted?"; for a response (output) it is "can an old
client read every value that may be sent now?". Narrowing breaks input and is safe for output;
widening is safe for input and dangerous (or breaking) for output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from apidiff.core.change import Hit, Severity
from apidiff.core.pair import Pair
from apidiff.core.rule import (
    BREAKING,
    DANGEROUS,
    INPUT,
    OUTPUT,
    SAFE,
    Policy,
    deprecation_added,
    deprecation_removed,
    deprecation_variant,
    description_message,
    removal_rule,
    rule,
)
from apidiff.formats.jsonschema.model import JSON_TYPES, Number, comparable
from apidiff.formats.openapi.model import Bound, Discriminator, Schema
from apidiff.formats.openapi.rules._examples import HTTP_DEPRECATIONS, document, obj, pair, request, response

_CAT = {"type": "object", "title": "Cat", "properties": {"meow": {"type": "boolean"}}}
_DOG = {"type": "object", "title": "Dog", "properties": {"bark": {"type": "boolean"}}}

NARROWED = {INPUT: BREAKING, OUTPUT: SAFE}  # fewer values allowed
WIDENED = {INPUT: SAFE, OUTPUT: DANGEROUS}  # more values allowed
WIDENED_HARD = {INPUT: SAFE, OUTPUT: BREAKING}  # more values, of a kind old readers cannot handle


def _both(pair: Pair[Any]) -> bool:
    return pair.old is not None and pair.new is not None


def _req(old: dict[str, Any], new: dict[str, Any]) -> Any:
    return pair(request(obj({"name": old})), request(obj({"name": new})))


def _resp(old: dict[str, Any], new: dict[str, Any]) -> Any:
    return pair(response(obj({"name": old})), response(obj({"name": new})))


# -- types ----------------------------------------------------------------------------------------

def _plain(types: frozenset[str]) -> frozenset[str]:
    named = types - {"null"}
    return named | {"integer"} if "number" in named else named


def _value_type(text: str) -> str:
    """The narrowest JSON type of an enum or const value (canonical JSON text): ``integer`` for 2."""
    if text[:1] in ('"', "[", "{"):
        return {'"': "string", "[": "array", "{": "object"}[text[0]]
    if text in ("true", "false", "null"):
        return "null" if text == "null" else "boolean"
    try:
        return "integer" if Decimal(text) == Decimal(text).to_integral_value() else "number"
    except ArithmeticError:
        return "number"


def _held_types(s: Schema) -> frozenset[str]:
    """The types other than null of the values a schema accepts: its ``type``, cut down to the
    types of its ``enum`` or ``const`` values when it has them (``enum: [a, b]`` holds strings,
    with or without ``type: string``). A schema that accepts no such value keeps its ``type``."""
    named = s.types - {"null"}
    values = s.enum if s.enum is not None else (s.const,) if s.const is not None else None
    if values is None:
        return named
    declared = named or frozenset(JSON_TYPES)
    held = {t for t in map(_value_type, values) if t in declared or (t == "integer" and "number" in declared)}
    held.discard("null")
    if "number" in held:
        held.discard("integer")
    return frozenset(held) or named


def _type_label(s: Schema, types: frozenset[str]) -> str:
    named = sorted(types - {"null"})
    return "|".join(named) + (f" ({s.format})" if s.format else "") if named else s.type_label()


@rule(id="type-changed", at="type", kind="schema", mirror="type-changed", severity=BREAKING,
      message="type of {subject} changed from {old} to {new}",
      example=_req({"type": "integer"}, {"type": "string"}),
      equivalents=("oasdiff request-property-type-changed", "oasdiff response-property-type-changed",
                   "oasdiff request-parameter-type-changed", "oasdiff request-body-type-changed",
                   "oasdiff response-body-type-changed", "oasdiff request-property-list-of-types-narrowed",
                   "oasdiff response-property-list-of-types-widened", "oasdiff response-property-type-generalized"))
def type_changed(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """The JSON type of a value changed.

    A change to an unrelated type (`integer` → `string`) breaks both directions. A widening
    (`integer` → `number`, or a type list that grows) is safe for requests and breaking for
    responses; a narrowing is the reverse. When `type` changes, the verdict compares the types of
    the values really accepted: an `enum` or `const` implies the types of its values, so dropping
    `type: string` from `enum: [S, L]` accepts the same values and is not reported.

    ## Safe rollout
    Add a new property or parameter with the new type, deprecate the old one, and remove it after
    the sunset.
    """
    if (o := pair.old) is None or (n := pair.new) is None:
        return
    if o.types - {"null"} == n.types - {"null"}:
        return
    old, new = _held_types(o), _held_types(n)
    if old == new:
        return
    if not old or (new and _plain(new) < _plain(old)) or (new and _plain(new) <= _plain(old)):
        severity: Any = NARROWED
    elif not new or _plain(old) <= _plain(new):
        severity = WIDENED_HARD
    else:
        severity = BREAKING
    yield Hit({"old": _type_label(o, old), "new": _type_label(n, new)}, severity=severity)


# formats that hold every value of the one before them: every float is a double, every int32 an int64
_FORMAT_CHAINS = (("float", "double"), ("int32", "int64"))
# the widest format of a chain on its own type, which says what an unformatted value already is
_IMPLIED = {"integer": "int64", "number": "double"}


def _wider_format(old: str | None, new: str | None) -> bool | None:
    """Whether ``new`` holds more values than ``old`` (no format holds the most); None when unrelated."""
    if old is None or new is None:
        return old is not None
    for chain in _FORMAT_CHAINS:
        if old in chain and new in chain:
            return chain.index(new) > chain.index(old)
    return None


@rule(id="format-changed", at="format", kind="schema", mirror="format-changed", severity=DANGEROUS,
      message="format of {subject} changed from {old} to {new}",
      example=_req({"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}),
      equivalents=("oasdiff request-*-type-changed", "oasdiff response-*-type-changed"))
def format_changed(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """The `format` of a value was added, changed or removed.

    A format constrains values (`date`, `uuid`, `int32`). Adding one narrows what requests may
    send; removing one lets responses carry values clients may not parse. Moving up a chain
    (`float` → `double`, `int32` → `int64`: every float is a double) widens like a removal, and
    moving down one narrows like an addition; any other change (`uuid` → `email`) does both.
    Adding `int64` to an `integer` (or `double` to a `number`) is dangerous for requests, not
    breaking: `format` is an annotation by default in JSON Schema, and it names what an
    unformatted value already is in practice (64-bit integers and binary64 numbers, which is what
    servers and JSON parsers hold), so only a server that took larger values could start
    rejecting a request.

    ## Safe rollout
    Before a response moves up a chain (`int32` → `int64`), make sure clients store the wider
    values. Otherwise introduce a new field with the new format rather than changing it in place.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.format != n.format:
        ov, nv = o.format, n.format
        wider = _wider_format(ov, nv)
        severity: Any = {INPUT: BREAKING, OUTPUT: DANGEROUS} if wider is None else WIDENED if wider else NARROWED
        if ov is None and any(t in o.types and t in n.types and _IMPLIED[t] == nv for t in _IMPLIED):
            severity = {INPUT: DANGEROUS, OUTPUT: SAFE}
        yield Hit({"old": ov or "(none)", "new": nv or "(none)"}, severity=severity)


@rule(id="became-nullable", at="nullable", kind="schema", family="nullable", mirror="nullable", severity=WIDENED_HARD,
      message="{subject} became nullable",
      example=_resp({"type": "string"}, {"type": "string", "nullable": True}),
      equivalents=("oasdiff response-property-became-nullable", "oasdiff response-body-became-nullable"))
def became_nullable(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """A value may now be `null` (`nullable: true` in 3.0, `"null"` in the type list in 3.1).

    Requests may send null now: safe. Responses may contain null where clients never saw one:
    breaking.

    ## Safe rollout
    For responses, add a new nullable field and keep the old one non-null until clients move.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and not o.nullable and n.nullable:
        yield Hit()


@rule(id="became-non-nullable", at="nullable", kind="schema", family="nullable", mirror="nullable", severity=NARROWED,
      message="{subject} is no longer nullable",
      example=_req({"type": "string", "nullable": True}, {"type": "string"}),
      equivalents=("oasdiff request-property-became-not-nullable", "oasdiff request-body-became-not-nullable",
                   "oasdiff request-parameter-became-not-nullable"))
def became_non_nullable(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """A value may no longer be `null`.

    Requests that send null are rejected: breaking. Responses never contain null any more: safe.

    ## Safe rollout
    Treat null as "absent" on the server instead of rejecting it.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.nullable and not n.nullable:
        yield Hit()


# -- enums and const ------------------------------------------------------------------------------

@rule(id="schema-enum-value-added", at="enum", kind="schema", mirror="schema-enum-value-removed", severity=WIDENED,
      message="value {value} was added to the enum of {subject}",
      example=_resp({"type": "string", "enum": ["cat", "dog"]}, {"type": "string", "enum": ["cat", "dog", "bird"]}),
      equivalents=("oasdiff response-property-enum-value-added", "oasdiff request-property-enum-value-added"))
def schema_enum_value_added(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """A value was added to an enum.

    Requests may send it: safe. Responses may contain it, and an old client with an exhaustive
    switch or a generated enum type fails on it: dangerous.

    ## Safe rollout
    Make sure clients handle unknown values before responses start using the new one.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.enum is not None and n.enum is not None:
        for value in sorted(set(n.enum) - set(o.enum)):
            yield Hit({"value": value})


@rule(id="schema-enum-value-removed", at="enum", kind="schema", mirror="schema-enum-value-added", severity=NARROWED,
      message="value {value} was removed from the enum of {subject}",
      example=_req({"type": "string", "enum": ["cat", "dog"]}, {"type": "string", "enum": ["cat"]}),
      equivalents=("oasdiff request-property-enum-value-removed", "oasdiff request-parameter-enum-value-removed",
                   "oasdiff request-body-enum-value-removed", "oasdiff response-property-enum-value-removed"))
def schema_enum_value_removed(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """A value was removed from an enum.

    Requests that send it are rejected: breaking. Responses no longer contain it: safe.

    ## Safe rollout
    Stop producing the value first, keep accepting it for a deprecation period, then remove it.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.enum is not None and n.enum is not None:
        for value in sorted(set(o.enum) - set(n.enum)):
            yield Hit({"value": value})


@rule(id="became-enum", at="enum", kind="schema", family="enum", mirror="enum", severity=NARROWED,
      message="{subject} is now restricted to {values}",
      example=_req({"type": "string"}, {"type": "string", "enum": ["cat", "dog"]}),
      equivalents=("oasdiff request-property-became-enum", "oasdiff request-parameter-became-enum",
                   "oasdiff request-body-became-enum"))
def became_enum(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """A free value became an enum.

    Requests with any other value are rejected: breaking. Responses are narrower: safe.

    ## Safe rollout
    Check what clients send today before restricting it.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.enum is None and n.enum is not None:
        yield Hit({"values": ", ".join(n.enum)})


@rule(id="enum-removed", at="enum", kind="schema", family="enum", mirror="enum", severity=WIDENED,
      message="{subject} is no longer restricted to an enum",
      example=_resp({"type": "string", "enum": ["cat", "dog"]}, {"type": "string"}))
def enum_removed(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """An enum restriction was lifted.

    Requests may send more values: safe. Responses may contain values clients do not expect:
    dangerous.

    ## Safe rollout
    Tell consumers before responses use values outside the old enum.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.enum is not None and n.enum is None:
        yield Hit()


@rule(id="const-changed", at="const", kind="schema", mirror="const-changed", severity=BREAKING,
      message="const of {subject} changed from {old} to {new}",
      example=_req({"type": "string", "const": "v1"}, {"type": "string", "const": "v2"}),
      equivalents=("oasdiff request-property-const-added", "oasdiff request-property-const-changed",
                   "oasdiff response-property-const-removed", "oasdiff response-property-const-changed",
                   "oasdiff request-body-const-added", "oasdiff response-body-const-removed"))
def const_changed(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """The `const` of a value was added, changed or removed.

    A const allows exactly one value. Changing it breaks both directions; adding one narrows
    requests; removing one widens responses.

    ## Safe rollout
    Version the payload instead of changing a constant in place.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.const != n.const:
        ov, nv = o.const, n.const
        severity = NARROWED if ov is None else WIDENED if nv is None else BREAKING
        yield Hit({"old": ov or "(none)", "new": nv or "(none)"}, severity=severity)


@rule(id="default-changed", at="default",
      kind="schema", mirror="default-changed", severity={INPUT: DANGEROUS, OUTPUT: SAFE},
      message="default of {subject} changed from {old} to {new}",
      example=pair(request(obj({"limit": {"type": "integer", "default": 10}})),
                   request(obj({"limit": {"type": "integer", "default": 50}}))),
      equivalents=("oasdiff request-parameter-default-value-changed", "oasdiff request-property-default-value-changed",
                   "oasdiff request-parameter-default-value-added", "oasdiff request-parameter-default-value-removed"))
def default_changed(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """The default of a value was added, changed or removed.

    Requests that omit the value silently get different behaviour: dangerous. In responses a
    default is documentation only.

    ## Safe rollout
    Prefer a new parameter with the new default; otherwise announce the change.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.default != n.default:
        yield Hit({"old": o.default or "(none)", "new": n.default or "(none)"})


# -- numeric, length, size bounds ----------------------------------------------------------------

def _tighter_upper(old: Bound, new: Bound) -> bool:
    o, n = comparable(old.value, new.value)
    return n < o or (n == o and new.exclusive and not old.exclusive)


def _tighter_lower(old: Bound, new: Bound) -> bool:
    o, n = comparable(old.value, new.value)
    return n > o or (n == o and new.exclusive and not old.exclusive)


def _bound_rules(keyword: str, attr: str, upper: bool, example_old: dict[str, Any],
                 example_new: dict[str, Any],
                 example: Callable[[dict[str, Any], dict[str, Any]], Any] | None = None) -> None:
    """Four rules per bound: decreased, increased, added, removed (oasdiff ids: ``_oasdiff.EXTRA``)."""
    tighter = "decreased" if upper else "increased"
    looser = "increased" if upper else "decreased"
    base = keyword

    def get(s: Schema) -> Bound | None:
        value = getattr(s, attr)
        if value is None or isinstance(value, Bound):
            return value
        return Bound(float(value) if abs(value) <= 2**53 else value)  # a length past a float's range stays exact

    def narrower(o: Bound, n: Bound) -> bool:
        return _tighter_upper(o, n) if upper else _tighter_lower(o, n)

    def check_for(want: str) -> Callable[[Pair[Schema], Policy], Iterator[Hit]]:
        def check(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
            if pair.old is None or pair.new is None:
                return
            o, n = get(pair.old), get(pair.new)
            if o == n:
                return
            event = ("added" if o is None else "removed" if n is None
                     else tighter if narrower(o, n) else looser if narrower(n, o) else None)
            if event == want:
                yield Hit({"old": str(o) if o else "(none)", "new": str(n) if n else "(none)"})
        return check

    narrow_why = ("Requests that were valid may now be rejected: breaking. Responses stay within what clients "
                  "expected: safe.")
    wide_why = ("Every request that was valid still is: safe. Responses may now carry values outside what "
                "clients were told to expect (longer strings, bigger numbers, more items): dangerous.")
    narrow_rollout = ("Check the values clients actually send before narrowing; accept the old range for a "
                      "deprecation period.")
    wide_rollout = ("Tell consumers before responses use the wider range; make sure their storage and "
                    "validation accept it.")
    json_keyword = {"max-length": "maxLength", "min-length": "minLength", "max-items": "maxItems",
                    "min-items": "minItems", "max-properties": "maxProperties",
                    "min-properties": "minProperties", "max-contains": "maxContains",
                    "min-contains": "minContains"}.get(keyword, keyword)
    without = {k: v for k, v in example_old.items() if k != json_keyword}
    for event, severity, summary in (
        (tighter, NARROWED, f"The {keyword} of a value {tighter}: fewer values are allowed."),
        (looser, WIDENED, f"The {keyword} of a value {looser}: more values are allowed."),
        ("added", NARROWED, f"A {keyword} was set on a value: fewer values are allowed."),
        ("removed", WIDENED, f"The {keyword} of a value was removed: more values are allowed."),
    ):
        narrowing = severity is NARROWED
        mirror_event = {tighter: looser, looser: tighter, "added": "removed", "removed": "added"}[event]
        examples = {tighter: (example_old, example_new), looser: (example_new, example_old),
                    "added": (without, example_old), "removed": (example_old, without)}
        messages = {"added": "was set to {new}", "removed": "was removed (was {old})"}
        message = f"{json_keyword} of {{subject}} " + messages.get(event, event + " from {old} to {new}")
        why, rollout = (narrow_why, narrow_rollout) if narrowing else (wide_why, wide_rollout)
        rule(id=f"{base}-{event}", at=json_keyword, kind="schema", mirror=f"{base}-{mirror_event}", severity=severity,
             message=message, example=(example or _req)(*examples[event]),
             doc=f"{summary}\n\n{why}\n\n## Safe rollout\n{rollout}")(check_for(event))


_bound_rules("maximum", "maximum", True, {"type": "integer", "maximum": 100}, {"type": "integer", "maximum": 50})
_bound_rules("minimum", "minimum", False, {"type": "integer", "minimum": 1}, {"type": "integer", "minimum": 5})
_bound_rules("max-length", "max_length", True, {"type": "string", "maxLength": 100},
             {"type": "string", "maxLength": 50})
_bound_rules("min-length", "min_length", False, {"type": "string", "minLength": 1}, {"type": "string", "minLength": 3})
_bound_rules("max-items", "max_items", True, {"type": "array", "items": {"type": "string"}, "maxItems": 10},
             {"type": "array", "items": {"type": "string"}, "maxItems": 5})
_bound_rules("min-items", "min_items", False, {"type": "array", "items": {"type": "string"}, "minItems": 1},
             {"type": "array", "items": {"type": "string"}, "minItems": 2})
_bound_rules("max-properties", "max_properties", True, {"type": "object", "maxProperties": 10},
             {"type": "object", "maxProperties": 5})
_bound_rules("min-properties", "min_properties", False, {"type": "object", "minProperties": 1},
             {"type": "object", "minProperties": 2})


@rule(id="pattern-changed", at="pattern",
      kind="schema", mirror="pattern-changed", severity={INPUT: BREAKING, OUTPUT: DANGEROUS},
      message="pattern of {subject} changed from {old} to {new}",
      example=_req({"type": "string", "pattern": "^[a-z]+$"}, {"type": "string", "pattern": "^[a-z0-9]+$"}),
      equivalents=("oasdiff request-property-pattern-added", "oasdiff request-property-pattern-changed",
                   "oasdiff request-parameter-pattern-added", "oasdiff request-parameter-pattern-changed"))
def pattern_changed(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """The `pattern` of a string was added, changed or removed.

    apidiff cannot prove that one regular expression accepts everything another does, so a
    changed pattern is breaking for requests and dangerous for responses. An added pattern
    narrows (breaking for requests); a removed one widens (dangerous for responses).

    ## Safe rollout
    Test the new pattern against the values clients send today before changing it.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.pattern != n.pattern:
        ov, nv = o.pattern, n.pattern
        severity = NARROWED if ov is None else WIDENED if nv is None else None
        yield Hit({"old": repr(ov) if ov else "(none)", "new": repr(nv) if nv else "(none)"}, severity=severity)


@rule(id="multiple-of-changed", at="multipleOf", kind="schema", mirror="multiple-of-changed", severity=BREAKING,
      message="multipleOf of {subject} changed from {old} to {new}",
      example=_req({"type": "number", "multipleOf": 0.5}, {"type": "number", "multipleOf": 0.25}))
def multiple_of_changed(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """The `multipleOf` of a number changed.

    When every multiple of the old step is a multiple of the new one (10 → 5), more values are
    allowed: safe for requests, dangerous for responses; the reverse narrows; anything else breaks
    both.

    ## Safe rollout
    Prefer loosening the step; check stored values before tightening it.
    """
    if (o := pair.old) is None or (n := pair.new) is None or o.multiple_of == n.multiple_of:
        return
    ov, nv = o.multiple_of, n.multiple_of
    if ov is None:
        severity: Any = NARROWED
    elif nv is None or _divides(nv, ov):
        severity = WIDENED
    elif _divides(ov, nv):
        severity = NARROWED
    else:
        severity = BREAKING
    yield Hit({"old": ov if ov is not None else "(none)", "new": nv if nv is not None else "(none)"}, severity=severity)


def _divides(step: Number, value: Number) -> bool:
    if isinstance(step, Decimal) or isinstance(value, Decimal):  # exact decimals: exact arithmetic
        try:
            ratio = Decimal(str(value)) / Decimal(str(step))
        except (ArithmeticError, ValueError):
            return False
        return ratio.is_finite() and ratio == ratio.to_integral_value()
    quotient = value / step
    return abs(quotient - round(quotient)) < 1e-9


@rule(id="unique-items-changed", at="uniqueItems", kind="schema", mirror="unique-items-changed", severity=NARROWED,
      message="uniqueItems of {subject} changed from {old} to {new}",
      example=_req({"type": "array", "items": {"type": "string"}},
                   {"type": "array", "items": {"type": "string"}, "uniqueItems": True}))
def unique_items_changed(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """An array started or stopped requiring unique items.

    Requiring uniqueness rejects requests with duplicates (breaking) and is safe for responses;
    dropping it is safe for requests and dangerous for responses.

    ## Safe rollout
    De-duplicate on the server instead of rejecting duplicates.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.unique_items != n.unique_items:
        yield Hit({"old": o.unique_items, "new": n.unique_items},
                  severity=NARROWED if n.unique_items else WIDENED)


def _closed(s: Schema) -> bool:
    return s.additional is False


@rule(id="additional-properties-closed", at="additionalProperties", kind="schema", family="additional-properties",
      mirror="additional-properties", severity=NARROWED, message="{subject} no longer allows additional properties",
      example=_req({"type": "object"}, {"type": "object", "additionalProperties": False}))
def additional_properties_closed(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """An object no longer allows properties it does not declare (`additionalProperties: false`).

    Requests carrying any extra property are rejected: breaking. Responses are unaffected.

    ## Safe rollout
    Ignore unknown properties on the server instead of rejecting them.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and not _closed(o) and _closed(n):
        yield Hit()


@rule(id="additional-properties-opened", at="additionalProperties", kind="schema", family="additional-properties",
      mirror="additional-properties", severity=WIDENED, message="{subject} now allows additional properties",
      example=_resp({"type": "object", "additionalProperties": False}, {"type": "object"}))
def additional_properties_opened(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """A closed object now allows undeclared properties.

    Requests are unaffected; responses may carry properties that strict clients reject.

    ## Safe rollout
    Make sure clients ignore unknown properties.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and _closed(o) and not _closed(n):
        yield Hit()


@rule(id="discriminator-changed", at="discriminator", kind="schema", mirror="discriminator-changed", severity=BREAKING,
      message="discriminator of {subject} changed from {old} to {new}",
      example=pair(response({"oneOf": [_CAT, _DOG], "discriminator": {"propertyName": "kind"}}),
                   response({"oneOf": [_CAT, _DOG], "discriminator": {"propertyName": "type"}})),
      equivalents=("oasdiff request-body-discriminator-property-name-changed",
                   "oasdiff *-discriminator-mapping-changed"))
def discriminator_changed(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """The discriminator of a `oneOf`/`anyOf` changed (its property or mapping).

    Clients pick the variant of a value by the discriminator; with another property or mapping
    they pick the wrong one or none.

    ## Safe rollout
    Keep the discriminator; add new mapping entries only.
    """
    if (o := pair.old) is None or (n := pair.new) is None or o.discriminator == n.discriminator:
        return
    ov, nv = o.discriminator, n.discriminator
    only_added = (ov is not None and nv is not None and ov.property == nv.property
                  and set(ov.mapping) <= set(nv.mapping))
    yield Hit({"old": _disc(ov), "new": _disc(nv)}, severity=WIDENED if only_added else None)


def _disc(d: Discriminator | None) -> str:
    if d is None:
        return "(none)"
    return d.property + (f" {dict(d.mapping)}" if d.mapping else "")


@rule(id="schema-description-changed", at="description",
      kind="schema", mirror="schema-description-changed", severity=SAFE,
      message="description of {subject} {change}",
      example=_req({"type": "string", "description": "old"}, {"type": "string", "description": "new"}),
      equivalents=())
def schema_description_changed(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """The description of a schema was added, changed or removed.

    Documentation only: no value is accepted or returned differently. Listed for changelogs.

    ## Safe rollout
    Nothing to stage.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.description != n.description:
        yield Hit(description_message(o.description, n.description))


def _media(media: dict[str, Any]) -> str:
    return document({"/pets": {"post": {"requestBody": {"content": {"application/json": media}},
                                        "responses": {"200": {"description": "ok"}}}}})


@rule(id="schema-added", kind="schema", mirror="schema-removed", severity=NARROWED,
      message="{subject} now has a schema",
      example=pair(_media({}), _media({"schema": obj({"name": {"type": "string"}})})))
def schema_added(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """A value that had no schema (any value) now has one.

    Requests may now be rejected: breaking. Responses are described more narrowly: safe.

    ## Safe rollout
    Describe what clients send today.
    """
    if pair.old is None and pair.new is not None:
        yield Hit()


@rule(id="schema-removed", kind="schema", mirror="schema-added", severity=WIDENED,
      message="{subject} no longer has a schema",
      example=pair(_media({"schema": obj({"name": {"type": "string"}})}), _media({})))
def schema_removed(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """A value lost its schema: anything may now be sent or returned.

    Safe for requests; dangerous for responses, where anything may now arrive.

    ## Safe rollout
    Keep describing responses precisely.
    """
    if pair.new is None and pair.old is not None:
        yield Hit()


# -- properties -----------------------------------------------------------------------------------

def _prop_ex(old_props: dict[str, Any], old_req: tuple[str, ...], new_props: dict[str, Any],
             new_req: tuple[str, ...], side: Callable[[dict[str, Any]], str] = request) -> Any:
    return pair(side(obj(old_props, old_req)), side(obj(new_props, new_req)))


_N = {"name": {"type": "string"}}
_NT = {"name": {"type": "string"}, "tag": {"type": "string"}}


@rule(id="property-added-required", kind="property", family="property-added", mirror="property-removed",
      severity=NARROWED, message="required property {subject} was added",
      example=_prop_ex(_N, ("name",), _NT, ("name", "tag")),
      equivalents=("oasdiff new-required-request-property", "oasdiff new-required-request-property-with-default",
                   "oasdiff response-required-property-added"))
def property_added_required(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
    """A required property was added to an object.

    Requests that lack it are rejected: breaking. Responses gain a property: safe.

    ## Safe rollout
    Add it as optional with a server-side default, migrate clients, then make it required.
    """
    if pair.old is None and pair.new is not None and pair.new.required:
        yield Hit()


@rule(id="property-added-optional", kind="property", family="property-added", mirror="property-removed",
      severity=SAFE, message="optional property {subject} was added",
      example=_prop_ex(_N, ("name",), _NT, ("name",)),
      equivalents=("oasdiff new-optional-request-property", "oasdiff response-optional-property-added"))
def property_added_optional(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
    """An optional property was added to an object.

    Requests do not have to send it; responses carry one more property, which clients ignore.

    ## Safe rollout
    Nothing to stage (clients must ignore unknown properties).
    """
    if pair.old is None and pair.new is not None and not pair.new.required:
        yield Hit()


def _removed_severity(prop: Any) -> dict[Any, Severity]:
    return {INPUT: DANGEROUS, OUTPUT: BREAKING if prop.required else DANGEROUS}


@removal_rule(base="property-removed", kind="property", noun="property", mirror="property-added",
              message="property {subject} was removed", severity={INPUT: DANGEROUS, OUTPUT: BREAKING},
              deprecations=HTTP_DEPRECATIONS,
              example=lambda dep: _prop_ex({**_N, "tag": {"type": "string", **dep}}, ("name", "tag"), _N, ("name",),
                                           response),
              equivalents=("oasdiff response-required-property-removed", "oasdiff response-optional-property-removed",
                           "oasdiff request-property-removed"),
              rollout="Expand: add the replacement property. Migrate: mark the old one `deprecated: true` with "
                      "`x-sunset`, keep sending and accepting it. Contract: remove it after the sunset.")
def property_removed(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
    """In responses, a required property removed breaks clients that read it; an optional one is
    dangerous. In requests, clients still send it and the server ignores it: dangerous."""
    yield Hit(severity=_removed_severity(pair.old))


@rule(id="property-became-required", kind="property", family="property-required", mirror="property-required",
      severity=NARROWED, message="property {subject} became required",
      example=_prop_ex(_NT, ("name",), _NT, ("name", "tag")),
      equivalents=("oasdiff request-property-became-required", "oasdiff response-property-became-required"))
def property_became_required(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
    """An optional property became required.

    Requests that omit it are rejected: breaking. Responses now always carry it: safe.

    ## Safe rollout
    Migrate clients to always send it before requiring it.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and not o.required and n.required:
        yield Hit()


@rule(id="property-became-optional", kind="property", family="property-required", mirror="property-required",
      severity=WIDENED_HARD, message="property {subject} became optional",
      example=_prop_ex(_NT, ("name", "tag"), _NT, ("name",), response),
      equivalents=("oasdiff response-property-became-optional", "oasdiff request-property-became-optional"))
def property_became_optional(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
    """A required property became optional.

    Requests may omit it: safe. Responses may lack it, and clients that read it unconditionally
    fail: breaking.

    ## Safe rollout
    Keep sending it in responses until consumers handle its absence.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.required and not n.required:
        yield Hit()


@rule(id="property-became-read-only", at="readOnly",
      kind="property", family="property-read-only", mirror="property-read-only",
      severity={INPUT: DANGEROUS, OUTPUT: SAFE}, message="property {subject} became read-only",
      example=_prop_ex(_NT, (), {**_N, "tag": {"type": "string", "readOnly": True}}, ()),
      equivalents=("oasdiff request-*-property-became-read-only",))
def property_became_read_only(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
    """A property became `readOnly`: servers ignore it in requests.

    Clients that set it in requests silently lose what they sent: dangerous.

    ## Safe rollout
    Tell clients first; reject rather than ignore it if silent loss is worse.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and not o.schema.read_only and n.schema.read_only:
        yield Hit()


@rule(id="property-became-write-only", at="writeOnly",
      kind="property", family="property-write-only", mirror="property-write-only",
      severity={INPUT: SAFE, OUTPUT: BREAKING}, message="property {subject} became write-only",
      example=_prop_ex(_NT, (), {**_N, "tag": {"type": "string", "writeOnly": True}}, (), response),
      equivalents=("oasdiff response-*-property-became-write-only",))
def property_became_write_only(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
    """A property became `writeOnly`: responses no longer return it.

    Clients that read it from responses no longer get it: breaking.

    ## Safe rollout
    Add a new write-only property instead and deprecate the old one.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and not o.schema.write_only and n.schema.write_only:
        yield Hit()


@rule(id="property-no-longer-read-only", at="readOnly", kind="property", family="property-read-only",
      mirror="property-read-only", severity=SAFE, message="property {subject} is no longer read-only",
      example=_prop_ex({**_N, "tag": {"type": "string", "readOnly": True}}, (), _NT, ()))
def property_no_longer_read_only(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
    """A property is no longer `readOnly`: requests may now set it.

    Responses carried it already; requests that set it are now honoured instead of ignored. Safe
    (a required property that clients must now send is reported as that).

    ## Safe rollout
    Nothing to stage for most clients.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.schema.read_only and not n.schema.read_only:
        yield Hit()


@rule(id="property-no-longer-write-only", at="writeOnly", kind="property", family="property-write-only",
      mirror="property-write-only", severity={INPUT: SAFE, OUTPUT: DANGEROUS},
      message="property {subject} is no longer write-only",
      example=_prop_ex({**_N, "tag": {"type": "string", "writeOnly": True}}, (), _NT, (), response))
def property_no_longer_write_only(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
    """A property is no longer `writeOnly`: responses may now carry it.

    Clients that validate responses strictly meet a property they did not expect: dangerous.

    ## Safe rollout
    Tell consumers before responses carry it; never expose a secret this way.
    """
    if (o := pair.old) is not None and (n := pair.new) is not None and o.schema.write_only and not n.schema.write_only:
        yield Hit()


@rule(id="property-deprecated", at="deprecated",
      kind="property", family="property-deprecation", mirror="property-deprecation",
      severity=SAFE, message="property {subject} was deprecated",
      example=_prop_ex(_NT, (), {**_N, "tag": {"type": "string", "deprecated": True, "x-sunset": "2027-03-01"}}, ()),
      equivalents=("oasdiff request-property-deprecated", "oasdiff response-property-deprecated"))
def property_deprecated(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
    """A property was marked `deprecated: true`.

    Nothing changes for clients yet; its removal is announced.

    ## Safe rollout
    Set `x-sunset` so that the removal can be judged against a date.
    """
    if deprecation_added(pair) and deprecation_variant(pair.new.deprecation, policy) == "":  # type: ignore[union-attr]
        yield Hit()


@rule(id="property-undeprecated", at="deprecated",
      kind="property", family="property-deprecation", mirror="property-deprecation",
      severity=SAFE, message="property {subject} is no longer deprecated",
      example=_prop_ex({**_N, "tag": {"type": "string", "deprecated": True}}, (), _NT, ()),
      equivalents=("oasdiff request-property-reactivated", "oasdiff response-property-reactivated"))
def property_undeprecated(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
    """A deprecated property is no longer deprecated.

    Clients are unaffected; a planned removal was called off.

    ## Safe rollout
    Nothing to stage.
    """
    if deprecation_removed(pair):
        yield Hit()


# -- composition ----------------------------------------------------------------------------------



def _in_all_of(pair: Pair[Any]) -> bool:
    branch = pair.old if pair.old is not None else pair.new
    parent = pair.parent
    if parent is None:
        return False
    owner = parent.old if pair.old is not None else parent.new
    return owner is not None and any(b is branch for b in owner.all_of)


@rule(id="branch-added", kind="branch", mirror="branch-removed", severity=WIDENED,
      message="a branch was added to {subject}",
      example=pair(response({"oneOf": [_CAT]}), response({"oneOf": [_CAT, _DOG]})),
      equivalents=("oasdiff response-body-one-of-added", "oasdiff response-property-one-of-added",
                   "oasdiff request-body-all-of-added", "oasdiff request-property-all-of-added"))
def branch_added(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """A branch was added to a `oneOf` or `anyOf` (or, reversed in meaning, to an `allOf`).

    A new `oneOf`/`anyOf` branch lets more values through: safe for requests, dangerous for
    responses, whose clients may meet a shape they do not know. A new `allOf` member adds
    constraints: breaking for requests, safe for responses.

    ## Safe rollout
    For responses, make sure clients skip shapes they do not know before sending the new one.
    """
    if pair.old is None and pair.new is not None:
        yield Hit(severity=NARROWED if _in_all_of(pair) else None)


@rule(id="branch-removed", kind="branch", mirror="branch-added", severity=NARROWED,
      message="a branch was removed from {subject}",
      example=pair(request({"oneOf": [_CAT, _DOG]}), request({"oneOf": [_CAT]})),
      equivalents=("oasdiff request-body-one-of-removed", "oasdiff request-property-one-of-removed",
                   "oasdiff request-body-any-of-removed", "oasdiff request-property-any-of-removed",
                   "oasdiff request-body-all-of-removed", "oasdiff request-property-all-of-removed"))
def branch_removed(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    """A branch was removed from a `oneOf` or `anyOf` (or from an `allOf`).

    Requests in the removed shape are rejected: breaking; responses no longer use it: safe.
    Removing an `allOf` member drops constraints: safe for requests, dangerous for responses.

    ## Safe rollout
    Stop producing the shape first and keep accepting it for a deprecation period.
    """
    if pair.new is None and pair.old is not None:
        yield Hit(severity=WIDENED if _in_all_of(pair) else None)
