"""OpenAPI's rules: one module per family, each rule one declaration (see :mod:`apidiff.core.rule`).

Importing the package also adds, to each rule's ``equivalents``, the oasdiff checks that
:mod:`._oasdiff` maps to it."""

from dataclasses import replace

from apidiff.core.rule import REGISTRY, Rule
from apidiff.formats.openapi.rules import (  # noqa: F401  (importing a family registers its rules)
    keywords,
    lifecycle,
    operations,
    schemas,
)
from apidiff.formats.openapi.rules._oasdiff import EXTRA


def _with_oasdiff(rule: Rule) -> Rule:
    extra = tuple(f"oasdiff {p}" for p in EXTRA.get(rule.id, ()) if f"oasdiff {p}" not in rule.equivalents)
    return replace(rule, equivalents=rule.equivalents + extra) if extra else rule


REGISTRY[:] = [_with_oasdiff(r) for r in REGISTRY]
