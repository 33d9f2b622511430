"""The migration guide's examples show their change: on every rule's documented example, an entry
with an example before and after shows two different snippets.

A change that cannot show in a request, a response or an operation (a new operationId, a
description) has one snippet, valid on both sides (``Entry.same``): those rules are listed in
:data:`SAME`, each with the reason, and nowhere else may the two sides be equal.
"""

from __future__ import annotations

from datetime import date

import pytest

from apidiff import compare, formats, load
from apidiff.api import build_guide
from apidiff.core.guide import Entry, family
from apidiff.core.rule import Rule

EXAMPLE_DAY = date(2026, 1, 1)  # as scripts/gen_rule_docs.py

# rule family -> why its example cannot differ before and after (the change is not on the wire)
SAME: dict[str, str] = {
    "operation-id-changed": "an operationId names the generated methods: requests and responses stay the same",
    "operation-stability-decreased": "x-stability-level is documentation: the request is the same",
    "property-stability-decreased": "x-stability-level is documentation: the request is the same",
    "operation-deprecated-sunset-too-soon": "a sunset date says when, not what: the request is the same",
    "parameter-deprecated-sunset-too-soon": "a sunset date says when, not what: the request is the same",
    "property-deprecated-sunset-too-soon": "a sunset date says when, not what: the request is the same",
    "operation-sunset-moved-earlier": "a sunset date says when, not what: the request is the same",
    "parameter-sunset-moved-earlier": "a sunset date says when, not what: the request is the same",
    "property-sunset-moved-earlier": "a sunset date says when, not what: the request is the same",
    "pattern-changed": "samples are not built from patterns: no value is made to match one and not the other",
    "discriminator-changed": "the discriminator names the property to branch on; the value sent is the same",
    "constraint-keyword-added": "keywords compared by value (propertyNames, if/then/else …) are not sampled",
    "constraint-keyword-changed": "keywords compared by value (propertyNames, if/then/else …) are not sampled",
    "encoding-keyword-changed": "contentEncoding changes how the string is decoded, not the sample's text",
    "scalar-specified-by-changed": "the scalar's specification changes how values are read, not the operation",
    "type-kind-changed": "the example's selection is valid on both kinds (object to interface)",
}


def _rules() -> list[Rule]:
    return [r for r in formats.all_rules() if r.example.format in ("openapi", "graphql")]


def _entries(rule: Rule) -> list[Entry]:
    old, new = load(rule.example.old), load(rule.example.new)
    report = compare(old, new, today=EXAMPLE_DAY)
    built = build_guide(report, old, new)
    return [e for s in built.sections for e in s.entries]


@pytest.mark.parametrize("rule", _rules(), ids=lambda r: r.id)
def test_before_and_after_differ(rule: Rule) -> None:
    for entry in _entries(rule):
        fam = family(entry.change.id)
        if entry.before is not None and entry.after is not None:
            assert entry.before.code != entry.after.code, entry.change.id
        if entry.same:
            assert entry.before is not None and entry.after is None
            assert fam in SAME, f"{entry.change.id}: the same example before and after\n{entry.before.code}"


def test_the_allow_list_is_needed() -> None:
    """Every family in :data:`SAME` has a rule example whose entry is still the same on both sides."""
    same = {family(e.change.id) for r in _rules() for e in _entries(r) if e.same}
    assert set(SAME) <= same, sorted(set(SAME) - same)
