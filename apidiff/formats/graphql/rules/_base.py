"""What GraphQL's rules share: examples written as SDL, and deprecations written as ``@deprecated``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apidiff.core.rule import CheckFn, Example
from apidiff.core.rule import removal_rule as _removal_rule

NAME = "graphql"

# how an element is deprecated in each removal variant's example
DEPRECATIONS = {
    "": '@deprecated(reason: "Use `a`.")',
    "without-deprecation": "",
    "before-sunset": '@deprecated(reason: "Use `a`. Removal on 2999-01-01.")',
    "after-sunset": '@deprecated(reason: "Use `a`. Removal on 2001-01-01.")',
}


def example(old: str, new: str) -> Example:
    """A before/after pair of SDL documents."""
    return Example(old, new, format=NAME)


def removal_rule(**kwargs: Any) -> Callable[[CheckFn], CheckFn]:
    """:func:`apidiff.core.rule.removal_rule` with GraphQL's ``@deprecated`` marks."""
    return _removal_rule(deprecations=DEPRECATIONS, **kwargs)
