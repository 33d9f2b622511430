"""Walks the pairs, asks the rules it is given, and stamps every hit into a :class:`Change`.

``forward`` is never written by a rule: it is the backward verdict of the mirrored change, found
by running the same rules on the swapped pair (old and new exchanged) and taking the hits of the
rule family named by the rule's ``mirror``. Each rule is therefore written once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from apidiff.core.change import Change, Hit, Mode, RuleLike, Severity, by_direction
from apidiff.core.location import Location
from apidiff.core.pair import Pair
from apidiff.core.renames import RenameKey, annotate, default_rename_key, find_renames

# Changes inside an operation that promises less than "stable" are capped: draft and alpha
# operations may change freely (safe), beta ones may change with notice (at most dangerous).
STABILITY_CAP = {"draft": Severity.SAFE, "alpha": Severity.SAFE, "beta": Severity.DANGEROUS}


def _hits(rules: Sequence[RuleLike], pair: Pair[Any], context: object) -> list[tuple[RuleLike, Hit]]:
    return [(rule, hit) for rule in rules for hit in rule.check(pair, context)]  # type: ignore[call-arg, unused-ignore]


def _below(location: Location | None, at: str | None) -> Location | None:
    """The location of keyword ``at`` inside an element located by JSON pointer (the line is
    found later; an absent keyword falls back to the element)."""
    if at is None or location is None or location.pointer is None or location.line:
        return location
    return Location(location.file, pointer=f"{location.pointer}/{at}")


def _surfaces(rule: RuleLike, hit: Hit) -> dict[str, Severity] | None:
    """A hit's verdicts per surface, over its rule's; None for a rule of one surface."""
    table = getattr(rule, "surfaces", None)
    if not table and not hit.surfaces:
        return None
    return {**(table or {}), **(hit.surfaces or {})}


def classify(rules: Iterable[RuleLike], pair_list: Iterable[Pair[Any]], context: object, mode: Mode) -> list[Change]:
    """The changes the ``rules`` find in ``pair_list``, unsorted."""
    by_kind: dict[str, list[RuleLike]] = {}
    for rule in rules:
        by_kind.setdefault(rule.kind, []).append(rule)
    changes: list[Change] = []
    for pair in pair_list:
        kind_rules = by_kind.get(pair.kind)
        if not kind_rules:
            continue
        hits = _hits(kind_rules, pair, context)
        if not hits:
            continue
        # the worst backward verdict of the swapped pair per rule family, once per pair: a rule that
        # yields one hit per element (n enum values removed) must not compare n hits with n others
        reverse: dict[str, Severity] = {}
        reverse_surfaces: dict[str, dict[str, Severity]] = {}
        for r, h in _hits(kind_rules, pair.swapped(), context):
            verdict = by_direction(h.severity or r.severity, pair.direction)
            have = reverse.get(r.family)
            if have is None or verdict > have:
                reverse[r.family] = verdict
            for name, v in (_surfaces(r, h) or {}).items():
                family = reverse_surfaces.setdefault(r.family, {})
                family[name] = max(family.get(name, Severity.SAFE), v)
        for rule, hit in hits:
            backward = by_direction(hit.severity or rule.severity, pair.direction)
            forward = reverse.get(rule.mirror, Severity.SAFE)
            cap = (getattr(context, "stability_caps", None) or STABILITY_CAP).get(pair.stability) \
                if pair.stability else None
            surfaces: dict[str, tuple[Severity, Severity]] = {}
            own = _surfaces(rule, hit)
            if own:
                mirrored = reverse_surfaces.get(rule.mirror, {})
                surfaces = {name: (min(v, cap) if cap else v, min(mirrored.get(name, Severity.SAFE), cap) if cap
                                   else mirrored.get(name, Severity.SAFE)) for name, v in own.items()}
                backward = max(b for b, _ in surfaces.values())
                forward = max(f for _, f in surfaces.values())
            at = hit.at or getattr(rule, "at", None)
            if cap is not None:
                backward, forward = min(backward, cap), min(forward, cap)
            args = {"subject": pair.subject, "owner": pair.owner, **hit.args}
            changes.append(Change(
                id=rule.id,
                severity=mode.pick(backward, forward),
                backward=backward,
                forward=forward,
                direction=pair.direction,
                subject=pair.subject,
                message=rule.message.format(**args) + (f" (x-stability-level: {pair.stability})"
                                                       if cap is not None else ""),
                old_location=_below(pair.old_location, at),
                new_location=_below(pair.new_location, at),
                args={**hit.args, "stability": pair.stability} if cap is not None else dict(hit.args),
                surfaces=surfaces,
            ))
    return changes


def diff(pair_list: Iterable[Pair[Any]], rules: Iterable[RuleLike], *, context: object = None,
         mode: Mode = Mode.BACKWARD, renameable: frozenset[str] = frozenset(),
         rename_key: RenameKey = default_rename_key) -> list[Change]:
    """Every change the ``rules`` find in a format's pairs, sorted by (subject, id, message), with
    rename hints for the pair kinds in ``renameable``."""
    candidates: list[Pair[Any]] = []

    def tap(stream: Iterable[Pair[Any]]) -> Iterator[Pair[Any]]:
        for pair in stream:
            if pair.kind in renameable and (pair.old is None) != (pair.new is None):
                candidates.append(pair)
            yield pair

    changes = classify(rules, tap(pair_list), context, mode)
    changes = annotate(changes, find_renames(candidates, rename_key))
    changes.sort(key=lambda c: c.sort_key)
    return changes
