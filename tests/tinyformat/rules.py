"""The constants format's two rules: a constant added, a constant removed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apidiff.core.change import Hit
from apidiff.core.pair import Pair
from apidiff.core.rule import BREAKING, SAFE, Example, Policy, rule


@rule(id="constant-added", kind="constant", mirror="constant-removed", severity=SAFE,
      message="constant {subject} was added with value {value}",
      example=Example("# consts\nRED = 1\n", "# consts\nRED = 1\nGREEN = 2\n", "consts"))
def constant_added(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
    """A constant was added.

    Clients built against the old file do not know it and are not affected. Clients built for the
    new file that read it from the old one find nothing: a rollback breaks them.

    ## Safe rollout
    Release the file first, then the clients that read the new constant.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"value": pair.new.value})


@rule(id="constant-removed", kind="constant", mirror="constant-added", severity=BREAKING,
      message="constant {subject} was removed",
      example=Example("# consts\nRED = 1\nGREEN = 2\n", "# consts\nRED = 1\n", "consts"))
def constant_removed(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
    """A constant was removed.

    Clients that read it find nothing where they expected a value.

    ## Safe rollout
    Expand: keep the constant and announce its end. Migrate: move clients off it. Contract: remove it.
    """
    if pair.new is None and pair.old is not None:
        yield Hit()
