"""JSON Schema 2020-12 keywords (OpenAPI 3.1) compared by value, ``minContains``/``maxContains``,
and ``x-extensible-enum``.

Keywords such as ``if``/``then``/``else``, ``dependentRequired`` or ``propertyNames`` each add a
condition a value must meet, so they follow the constraint pattern: added narrows (breaks
requests), removed widens (dangerous in responses), changed may do either. ``prefixItems``,
``contentEncoding`` and ``contentMediaType`` change what the bytes mean, so any change breaks
both directions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from apidiff.core.change import Hit
from apidiff.core.pair import Pair
from apidiff.core.rule import BREAKING, DANGEROUS, INPUT, OUTPUT, SAFE, Policy, rule
from apidiff.formats.openapi.model import Schema
from apidiff.formats.openapi.rules._examples import obj, pair, request
from apidiff.formats.openapi.rules.schemas import NARROWED, WIDENED, _bound_rules

STRUCTURE = ("contentEncoding", "contentMediaType", "prefixItems")
CONSTRAINTS = ("contains", "contentSchema", "dependentRequired", "dependentSchemas", "else", "if",
               "patternProperties", "propertyNames", "then", "unevaluatedItems", "unevaluatedProperties")


def _doc31(schema: dict[str, Any]) -> str:
    return request(obj({"name": schema})).replace('"openapi": "3.0.3"', '"openapi": "3.1.0"')


def _ex(old: dict[str, Any], new: dict[str, Any]) -> Any:
    return pair(_doc31(old), _doc31(new))


def _keyword_events(s_old: Schema, s_new: Schema, names: tuple[str, ...]) -> Iterator[tuple[str, str, str | None,
                                                                                           str | None]]:
    old, new = dict(s_old.keywords), dict(s_new.keywords)
    for name in names:
        o, n = old.get(name), new.get(name)
        if o == n:
            continue
        yield ("added" if o is None else "removed" if n is None else "changed"), name, o, n


def _oas(*suffixes: str) -> tuple[str, ...]:
    return tuple(f"oasdiff {where}-{suffix}" for suffix in suffixes
                 for where in ("request-body", "request-property", "response-body", "response-property"))


def _constraint_check(event: str) -> Callable[[Pair[Schema], Policy], Iterator[Hit]]:
    def check(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
        if pair.old is None or pair.new is None:
            return
        for found, name, o, n in _keyword_events(pair.old, pair.new, CONSTRAINTS):
            if found == event:
                yield Hit({"keyword": name, "old": _short(o), "new": _short(n)}, at=name)
    return check


def _short(text: str | None) -> str:
    if text is None:
        return "(none)"
    return text if len(text) <= 60 else text[:59] + "…"


_NAME = {"type": "string"}
_NAME_IF = {"type": "string", "if": {"minLength": 3}, "then": {"pattern": "^[a-z]+$"}}
_NAME_IF2 = {"type": "string", "if": {"minLength": 5}, "then": {"pattern": "^[a-z]+$"}}

rule(id="constraint-keyword-added", kind="schema", mirror="constraint-keyword-removed",
     severity=NARROWED, message="{keyword} was added to {subject}",
     example=_ex(_NAME, {**_NAME, "propertyNames": {"maxLength": 8}}),
     equivalents=_oas("if-added", "then-added", "else-added", "contains-added", "dependent-required-added",
                      "dependent-schema-added", "pattern-property-added", "property-names-added",
                      "unevaluated-items-added", "unevaluated-properties-added", "content-schema-added"),
     doc="A JSON Schema condition keyword (`if`/`then`/`else`, `contains`, `dependentRequired`, "
         "`dependentSchemas`, `patternProperties`, `propertyNames`, `unevaluatedItems`, "
         "`unevaluatedProperties`, `contentSchema`) was added.\n\n"
         "Values must now meet one more condition: requests that were valid may be rejected "
         "(breaking); responses stay within what clients expected (safe)."
         "\n\n## Safe rollout\nCheck what clients send before adding the condition; enforce it after a "
         "deprecation period.")(_constraint_check("added"))
rule(id="constraint-keyword-removed", kind="schema", mirror="constraint-keyword-added", severity=WIDENED,
     message="{keyword} was removed from {subject} (was {old})",
     example=_ex({**_NAME, "propertyNames": {"maxLength": 8}}, _NAME),
     equivalents=_oas("if-removed", "then-removed", "else-removed", "contains-removed",
                      "dependent-required-removed", "dependent-schema-removed", "pattern-property-removed",
                      "property-names-removed", "unevaluated-items-removed", "unevaluated-properties-removed",
                      "content-schema-removed"),
     doc="A JSON Schema condition keyword was removed.\n\n"
         "Every request that was valid still is (safe); responses may now carry values that fail the old "
         "condition, which strict clients may reject (dangerous)."
         "\n\n## Safe rollout\nTell consumers before responses rely on the looser schema.")(
    _constraint_check("removed"))
rule(id="constraint-keyword-changed", kind="schema", mirror="constraint-keyword-changed",
     severity={INPUT: BREAKING, OUTPUT: DANGEROUS}, message="{keyword} of {subject} changed from {old} to {new}",
     example=_ex(_NAME_IF, _NAME_IF2),
     equivalents=_oas("dependent-required-changed"),
     doc="The value of a JSON Schema condition keyword changed.\n\n"
         "Whether the new condition is stricter cannot be decided in general: treated as a narrowing for "
         "requests (breaking) and a widening for responses (dangerous)."
         "\n\n## Safe rollout\nIntroduce the new condition beside the old (for example with `anyOf`) and "
         "retire the old after a deprecation period.")(_constraint_check("changed"))


def _structure_check(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
    if pair.old is None or pair.new is None:
        return
    for found, name, o, n in _keyword_events(pair.old, pair.new, STRUCTURE):
        yield Hit({"keyword": name, "event": found, "old": _short(o), "new": _short(n)}, at=name)


rule(id="encoding-keyword-changed", kind="schema", mirror="encoding-keyword-changed", severity=BREAKING,
     message="{keyword} of {subject} was {event} ({old} → {new})",
     example=_ex({"type": "string", "contentEncoding": "base64"}, {"type": "string", "contentEncoding": "base32"}),
     equivalents=_oas("content-encoding-changed", "content-media-type-changed", "prefix-items-added",
                      "prefix-items-removed"),
     doc="`contentEncoding`, `contentMediaType` or `prefixItems` was added, removed or changed.\n\n"
         "These say how to read the value (base64 or not, JSON or XML inside a string, what each "
         "array position means). Readers and writers built on the old meaning misread the new one: "
         "breaking in both directions."
         "\n\n## Safe rollout\nAdd a new property with the new representation, migrate consumers, then "
         "remove the old one.")(_structure_check)

_bound_rules("max-contains", "max_contains", True,
             {"type": "array", "contains": {"type": "string"}, "maxContains": 5},
             {"type": "array", "contains": {"type": "string"}, "maxContains": 3}, example=_ex)
_bound_rules("min-contains", "min_contains", False,
             {"type": "array", "contains": {"type": "string"}, "minContains": 1},
             {"type": "array", "contains": {"type": "string"}, "minContains": 2}, example=_ex)


def _extensible(event: str) -> Callable[[Pair[Schema], Policy], Iterator[Hit]]:
    def check(pair: Pair[Schema], policy: Policy) -> Iterator[Hit]:
        if pair.old is None or pair.new is None:
            return
        old, new = set(pair.old.extensible_enum or ()), set(pair.new.extensible_enum or ())
        for value in sorted(old - new if event == "removed" else new - old):
            yield Hit({"value": value})
    return check


_STATUS = {"type": "string", "x-extensible-enum": ["active", "archived"]}
rule(id="extensible-enum-value-removed", at="x-extensible-enum", kind="schema", mirror="extensible-enum-value-added",
     severity={INPUT: BREAKING, OUTPUT: SAFE}, message="value {value} was removed from the x-extensible-enum of "
                                                       "{subject}",
     example=pair(request(obj({"status": _STATUS})),
                  request(obj({"status": {**_STATUS, "x-extensible-enum": ["active"]}}))),
     equivalents=("oasdiff request-parameter-x-extensible-enum-value-removed",
                  "oasdiff request-property-x-extensible-enum-value-removed"),
     doc="A known value was removed from an `x-extensible-enum` (an open enum: clients must accept "
         "values they do not know).\n\n"
         "Requests that send the removed value may now be rejected: breaking. Readers of responses were "
         "told to expect new values at any time: safe."
         "\n\n## Safe rollout\nKeep accepting the value in requests for a deprecation period.")(
    _extensible("removed"))
rule(id="extensible-enum-value-added", at="x-extensible-enum",
     kind="schema", mirror="extensible-enum-value-removed", severity=SAFE,
     message="value {value} was added to the x-extensible-enum of {subject}",
     example=pair(request(obj({"status": {**_STATUS, "x-extensible-enum": ["active"]}})),
                  request(obj({"status": _STATUS}))),
     doc="A value was added to an `x-extensible-enum`.\n\n"
         "That is what an extensible enum is for: clients already handle unknown values. Safe in both "
         "directions."
         "\n\n## Safe rollout\nNothing to stage; document the new value.")(_extensible("added"))
