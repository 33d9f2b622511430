"""The rule catalogue: one module per family, each rule one declaration (see ``_declare``)."""

from __future__ import annotations

from dataclasses import replace

from apidiff.rules import (  # noqa: F401  (importing a family registers its rules)
    directives,
    enums,
    fields,
    inputs,
    keywords,
    lifecycle,
    operations,
    schema,
    schemas,
    types,
    unions,
)
from apidiff.rules._declare import ID_PATTERN, REGISTRY, Example, Policy, Rule
from apidiff.rules._oasdiff import EXTRA


def _with_oasdiff(rule: Rule) -> Rule:
    extra = tuple(f"oasdiff {p}" for p in EXTRA.get(rule.id, ()) if f"oasdiff {p}" not in rule.equivalents)
    return replace(rule, equivalents=rule.equivalents + extra) if extra else rule


REGISTRY[:] = [_with_oasdiff(r) for r in REGISTRY]

__all__ = ["ID_PATTERN", "REGISTRY", "Example", "Policy", "Rule", "all_rules", "get"]

_BY_ID = {r.id: r for r in REGISTRY}


def all_rules() -> tuple[Rule, ...]:
    """Every rule, sorted by id."""
    return tuple(sorted(REGISTRY, key=lambda r: r.id))


def get(rule_id: str) -> Rule:
    return _BY_ID[rule_id]
