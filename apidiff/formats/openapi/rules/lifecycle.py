"""Lifecycle rules for HTTP APIs: deprecation with a sunset date, and ``x-stability-level``.

Deprecating an element is one event with three variants, all in the ``<kind>-deprecation``
family: ``<kind>-deprecated`` (with a sunset far enough away), ``-deprecated-without-sunset`` and
``-deprecated-sunset-too-soon`` (the sunset comes before the policy's minimum deprecation period
ends). Moving the sunset of an element that stays deprecated is ``<kind>-sunset-moved-earlier``
(dangerous: clients planned for the old date) or ``<kind>-sunset-changed`` (later, set, or
cleared). Invalid ``x-sunset`` dates and unknown stability levels are load warnings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from apidiff.core.change import Hit
from apidiff.core.pair import Pair
from apidiff.core.rule import DANGEROUS, SAFE, Policy, deprecation_added, deprecation_variant, rule
from apidiff.formats.openapi.rules._examples import obj, operation, pair, parameters, request

_Q = {"name": "limit", "in": "query", "schema": {"type": "integer"}}


def _operation(extra: dict[str, Any]) -> str:
    return operation(extra)


def _parameter(extra: dict[str, Any]) -> str:
    return parameters({**_Q, **extra})


def _property(extra: dict[str, Any]) -> str:
    return request(obj({"name": {"type": "string"}, "tag": {"type": "string", **extra}}))


KINDS: dict[str, tuple[str, Callable[[dict[str, Any]], str], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    # kind: (noun, example builder, oasdiff ids for: sunset missing, sunset too soon, sunset moved earlier)
    "operation": ("operation", _operation, ("api-deprecated-sunset-missing",), ("api-sunset-date-too-small",),
                  ("api-sunset-date-changed-too-small",)),
    "parameter": ("parameter", _parameter, ("request-parameter-deprecated-sunset-missing",),
                  ("request-parameter-sunset-date-too-small",),
                  ("request-parameter-sunset-date-changed-too-small",)),
    "property": ("property", _property, ("request-property-deprecated-sunset-missing",
                                         "response-property-deprecated-sunset-missing"),
                 ("request-property-sunset-date-too-small", "response-property-sunset-date-too-small"), ()),
}


def _deprecation_rules(kind: str) -> None:
    noun, example, missing, too_soon, earlier = KINDS[kind]

    def check_for(variant: str) -> Callable[[Pair[Any], Policy], Iterator[Hit]]:
        def check(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
            if deprecation_added(pair) and deprecation_variant(pair.new.deprecation, policy) == variant:  # type: ignore[union-attr]
                sunset = pair.new.deprecation.sunset  # type: ignore[union-attr]
                yield Hit({"noun": noun, "sunset": sunset.isoformat() if sunset else "",
                           "days": str(policy.min_deprecation_days)})
        return check

    rule(id=f"{kind}-deprecated-without-sunset", at="deprecated", kind=kind, family=f"{kind}-deprecation",
         mirror=f"{kind}-deprecation", severity=SAFE,
         message="{noun} {subject} was deprecated without a sunset date (x-sunset)",
         example=pair(example({}), example({"deprecated": True})),
         equivalents=tuple(f"oasdiff {i}" for i in missing),
         doc=f"A {noun} was marked `deprecated: true` without an `x-sunset` date.\n\n"
             "Nothing changes for clients yet, but they cannot plan: they learn that the "
             f"{noun} will go, not when. A later removal is judged only by the minimum deprecation "
             "period. Safe by default; teams that require a sunset on every deprecation fail on this id."
             "\n\n## Safe rollout\nAdd `x-sunset: <YYYY-MM-DD>` next to `deprecated: true` and serve the "
             "`Deprecation` and `Sunset` response headers.")(check_for("without-sunset"))
    rule(id=f"{kind}-deprecated-sunset-too-soon", at="x-sunset", kind=kind, family=f"{kind}-deprecation",
         mirror=f"{kind}-deprecation", severity=DANGEROUS,
         message="{noun} {subject} was deprecated with a sunset ({sunset}) sooner than the "
                 "{days}-day minimum deprecation period",
         example=pair(example({}), example({"deprecated": True, "x-sunset": "2025-12-01"})),
         equivalents=tuple(f"oasdiff {i}" for i in too_soon),
         doc=f"A {noun} was deprecated with an `x-sunset` date that leaves clients less time than the "
             "policy's minimum deprecation period (or a date already past).\n\n"
             "Clients that follow the policy will not have migrated by the sunset; removing the "
             f"{noun} then would break them: dangerous.\n\n## Safe rollout\n"
             "Move `x-sunset` to at least the minimum period after the deprecation date "
             "(`--min-deprecation-days`).")(check_for("sunset-too-soon"))

    def moved(earlier_wanted: bool) -> Callable[[Pair[Any], Policy], Iterator[Hit]]:
        def check(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
            o, n = pair.old, pair.new
            if o is None or n is None or o.deprecation is None or n.deprecation is None:
                return
            old, new = o.deprecation.sunset, n.deprecation.sunset
            if old == new:
                return
            earlier = old is not None and new is not None and new < old
            if earlier == earlier_wanted:
                yield Hit({"noun": noun, "old": old.isoformat() if old else "(none)",
                           "new": new.isoformat() if new else "(none)"})
        return check

    dep = {"deprecated": True}
    rule(id=f"{kind}-sunset-moved-earlier", at="x-sunset", kind=kind, family=f"{kind}-sunset", mirror=f"{kind}-sunset",
         severity=DANGEROUS, message="the sunset of deprecated {noun} {subject} moved earlier, from {old} to {new}",
         example=pair(example({**dep, "x-sunset": "2027-06-01"}), example({**dep, "x-sunset": "2027-03-01"})),
         equivalents=tuple(f"oasdiff {i}" for i in earlier),
         doc=f"The `x-sunset` date of a deprecated {noun} moved earlier.\n\n"
             "Clients scheduled their migration against the announced date; the element may now "
             "disappear before they are done: dangerous.\n\n## Safe rollout\n"
             "Keep the announced date, or tell every consumer and confirm they have migrated.")(moved(True))
    rule(id=f"{kind}-sunset-changed", at="x-sunset", kind=kind, family=f"{kind}-sunset", mirror=f"{kind}-sunset",
         severity=SAFE, message="the sunset of deprecated {noun} {subject} changed from {old} to {new}",
         example=pair(example({**dep, "x-sunset": "2027-03-01"}), example({**dep, "x-sunset": "2027-06-01"})),
         equivalents=("oasdiff sunset-deleted",) + (("oasdiff request-parameter-sunset-deleted",)
                                                    if kind == "parameter" else ()),
         doc=f"The `x-sunset` date of a deprecated {noun} was set, moved later, or cleared.\n\n"
             "Clients get more time (or a date to plan against): safe.\n\n## Safe rollout\n"
             "Update the `Sunset` response header to match.")(moved(False))


for _kind in KINDS:
    _deprecation_rules(_kind)


_LEVELS = {"draft": 0, "alpha": 1, "beta": 2, "stable": 3}


def _stability_rules(kind: str, example: Callable[[dict[str, Any]], str], equivalents: tuple[str, ...]) -> None:
    def check_for(decreased: bool) -> Callable[[Pair[Any], Policy], Iterator[Hit]]:
        def check(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
            if pair.old is None or pair.new is None:
                return
            old, new = pair.old.stability or "stable", pair.new.stability or "stable"
            if old != new and (_LEVELS[new] < _LEVELS[old]) == decreased:
                yield Hit({"old": old, "new": new})
        return check

    noun = kind
    rule(id=f"{kind}-stability-decreased", at="x-stability-level",
         kind=kind, family=f"{kind}-stability", mirror=f"{kind}-stability",
         severity=DANGEROUS, message=noun + " {subject} became less stable: x-stability-level {old} → {new}",
         example=pair(example({"x-stability-level": "stable"}), example({"x-stability-level": "beta"})),
         equivalents=equivalents,
         doc=f"The `x-stability-level` of a {noun} went down (stable → beta → alpha → draft).\n\n"
             "Nothing changes on the wire now, but clients built on the old promise will see later "
             "changes relaxed by the lower level: dangerous.\n\n## Safe rollout\n"
             "Do not lower a level that clients rely on; add a new, unstable element instead.")(check_for(True))
    rule(id=f"{kind}-stability-increased", at="x-stability-level",
         kind=kind, family=f"{kind}-stability", mirror=f"{kind}-stability",
         severity=SAFE, message=noun + " {subject} became more stable: x-stability-level {old} → {new}",
         example=pair(example({"x-stability-level": "beta"}), example({"x-stability-level": "stable"})),
         equivalents=(),
         doc=f"The `x-stability-level` of a {noun} went up (draft → alpha → beta → stable).\n\n"
             "A stronger promise; nothing changes for clients: safe.\n\n## Safe rollout\n"
             "Nothing to stage.")(check_for(False))


_stability_rules("operation", _operation, ("oasdiff api-stability-decreased",))
_stability_rules("property", _property, ("oasdiff request-property-stability-decreased",
                                         "oasdiff response-property-stability-decreased"))
