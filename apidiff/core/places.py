"""Which directions a change matters in, and which side of a comparison clients use: what every
format's places (the migration guide's sections, a usage reader's routes) build on.

A change inside a shared element (a named schema, a GraphQL type) lands on every operation that
uses the element in a direction where the change is not safe (:func:`relevant`: an enum value
added matters where the enum is read, not where it is sent); :func:`sides` says which API to
look in for what an operation uses.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TypeVar

from apidiff.core.change import Change, Mode, Severity
from apidiff.core.direction import Direction
from apidiff.core.model import Api
from apidiff.core.rule import REGISTRY, Rule

__all__ = ["relevant", "rule_tables", "sides"]

_SIDES = (Direction.INPUT, Direction.OUTPUT)
A = TypeVar("A", bound=Api)


def rule_tables() -> tuple[Mapping[str, Rule], Mapping[str, list[Rule]]]:
    """The rules by id, and by family: of every rule declared so far (formats declare theirs when
    they are first used, so the tables are rebuilt when the registry grows)."""
    return _tables(len(REGISTRY))


@functools.lru_cache(maxsize=1)
def _tables(count: int) -> tuple[Mapping[str, Rule], Mapping[str, list[Rule]]]:
    rules = REGISTRY[:count]
    by_family: dict[str, list[Rule]] = {}
    for rule in rules:
        by_family.setdefault(rule.family, []).append(rule)
    return {r.id: r for r in rules}, by_family


def relevant(change: Change, mode: Mode) -> frozenset[Direction]:
    """Where a change is not safe (input, output or both), from its rule's verdict table: an enum
    value added matters where the enum is read, not where it is sent. Both when unknown."""
    by_id, by_family = rule_tables()
    rule = by_id.get(change.id)
    if rule is None:
        return frozenset(_SIDES)
    back = {d for d in _SIDES if rule.severity_for(d) > Severity.SAFE}
    fwd = {d for d in _SIDES if any(r.severity_for(d) > Severity.SAFE for r in by_family.get(rule.mirror, ()))}
    dirs = back if mode is Mode.BACKWARD else fwd if mode is Mode.FORWARD else back | fwd
    return frozenset(dirs) or frozenset(_SIDES)


def sides(old: A, new: A, mode: Mode) -> tuple[A, ...]:
    """Where to look for what an operation uses: the old API for existing clients (backward), the
    new one for clients built against it (forward), both in full mode. A type an operation only
    starts to use in the new API cannot break the operation's existing clients."""
    if mode is Mode.BACKWARD:
        return (old,)
    if mode is Mode.FORWARD:
        return (new,)
    return (old, new)
