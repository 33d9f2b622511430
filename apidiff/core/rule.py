"""How a rule is declared: one decorator call holding everything about it.

A rule reads one kind of :class:`~apidiff.formats.graphql.match.Pair` and yields :class:`~apidiff.core.change.Hit`
objects; the engine adds the id, subject, locations, direction, both severities and the message.
The docstring of the check function is the rule's documentation: a one-line summary, a paragraph
on why it matters, and a ``## Safe rollout`` section; ``docs/rules/<id>.md`` is generated from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from apidiff.core.change import Hit, Severity, SeverityTable
from apidiff.core.direction import Direction
from apidiff.core.model import Deprecation
from apidiff.core.pair import Pair

ID_PATTERN = re.compile(r"^[a-z]+(-[a-z]+)*$")

SAFE, DANGEROUS, BREAKING = Severity.SAFE, Severity.DANGEROUS, Severity.BREAKING
INPUT, OUTPUT = Direction.INPUT, Direction.OUTPUT


@dataclass(frozen=True, slots=True)
class Policy:
    """What rules may consult besides the pair: today's date and the deprecation policy."""

    today: date = field(default_factory=date.today)
    min_deprecation_days: int = 0
    stability_caps: Mapping[str, Severity] | None = None  # x-stability-level -> the most severe verdict


@dataclass(frozen=True, slots=True)
class Example:
    """A before/after pair that triggers the rule; it is shown in the docs and run as a test."""

    old: str
    new: str
    format: str  # the name of the format that reads old and new


CheckFn = Callable[[Pair[Any], Policy], Iterable[Hit]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    id: str
    kind: str  # the element kind of the pairs it reads
    family: str  # rules that describe the same event (field-removed and its deprecation variants)
    mirror: str  # the family of the event seen with old and new swapped
    severity: SeverityTable | Severity
    message: str  # a template with named placeholders, filled from the hit's args
    summary: str
    rationale: str
    rollout: str
    example: Example
    check: CheckFn
    equivalents: tuple[str, ...] = ()
    at: str | None = None  # the keyword the rule is about, to point reports at its line
    # verdicts per surface where the format has several ({"clients": SAFE, "supergraph": BREAKING});
    # ``severity`` is then their worst
    surfaces: Mapping[str, Severity] | None = None
    module: str = field(default="", compare=False)  # where it is declared: which format's package owns it

    @property
    def formats(self) -> tuple[str, ...]:
        return (self.example.format,)

    def severity_for(self, direction: Direction) -> Severity:
        from apidiff.core.change import by_direction

        return by_direction(self.severity, direction)


REGISTRY: list[Rule] = []


def _sections(doc: str | None, rule_id: str) -> tuple[str, str, str]:
    if not doc:
        raise ValueError(f"rule {rule_id} has no docstring")
    text = "\n".join(line.strip() for line in doc.strip().splitlines())
    body, _, rollout = text.partition("## Safe rollout")
    summary, _, rationale = body.strip().partition("\n\n")
    return summary.strip(), rationale.strip(), rollout.strip()


def rule(*, id: str, kind: str, mirror: str, message: str, severity: SeverityTable | Severity = SAFE,
         example: Example, family: str | None = None, equivalents: tuple[str, ...] = (),
         doc: str | None = None, at: str | None = None,
         surfaces: Mapping[str, Severity] | None = None) -> Callable[[CheckFn], CheckFn]:
    """Declare a rule; the decorated function is its check. ``at`` names the keyword the rule is
    about (``maximum``, ``required``): reports point at its line rather than the element's.
    ``surfaces`` gives one verdict per surface (a federated graph's clients and its supergraph);
    ``severity`` is then left out: it is their worst."""

    def register(check: CheckFn) -> CheckFn:
        summary, rationale, rollout = _sections(doc or check.__doc__, id)
        REGISTRY.append(Rule(id=id, kind=kind, family=family or id, mirror=mirror,
                             severity=max(surfaces.values()) if surfaces else severity,
                             message=message, summary=summary, rationale=rationale, rollout=rollout,
                             example=example, check=check, equivalents=equivalents, at=at, surfaces=surfaces,
                             module=check.__module__))
        return check

    return register


# -- removals and the deprecation policy ---------------------------------------------------------

def deprecation_variant(deprecation: Deprecation, policy: Policy) -> str:
    """``""``, ``"without-sunset"`` or ``"sunset-too-soon"`` for a newly deprecated element."""
    if deprecation.sunset is None:
        return "without-sunset"
    start = deprecation.since or policy.today
    if deprecation.sunset < start + timedelta(days=policy.min_deprecation_days):
        return "sunset-too-soon"
    return ""


def removal_variant(deprecation: Deprecation | None, policy: Policy) -> str:
    """Which removal rule applies to an element with this deprecation."""
    if deprecation is None:
        return "without-deprecation"
    if (deprecation.since is not None and policy.min_deprecation_days
            and policy.today < deprecation.since + timedelta(days=policy.min_deprecation_days)):
        return "before-sunset"
    if deprecation.sunset is None:
        return ""
    return "after-sunset" if deprecation.sunset <= policy.today else "before-sunset"


_VARIANT_TEXT = {
    "": ("A deprecated {noun} was removed; its deprecation announced no removal date.",
         "The {noun} was deprecated, so clients were warned, but no sunset date was announced: apidiff "
         "cannot tell whether clients had time to move, and treats the removal as breaking. Announce the "
         "removal date in the deprecation (`Removal on 2026-03-01.` in the reason, or `x-sunset`) so that a "
         "removal after that date is reported as `{base}-after-sunset`."),
    "without-deprecation": ("A {noun} was removed without being deprecated first.",
                            "Clients that use the {noun} fail as soon as the new version is served, and they "
                            "had no warning: no deprecation, no announced date."),
    "before-sunset": ("A deprecated {noun} was removed before its announced sunset date.",
                      "The deprecation promised clients the {noun} until its sunset date; removing it earlier "
                      "breaks that promise and every client that has not moved yet."),
    "after-sunset": ("A deprecated {noun} was removed after its announced sunset date.",
                     "The removal was announced and its date has passed: this is the planned end of a "
                     "deprecation, not a surprise. Clients that still use the {noun} will fail, so it is "
                     "reported as dangerous rather than breaking, which the default `--fail-on breaking` "
                     "lets through and `--fail-on dangerous` does not."),
}


def _cap(severity: SeverityTable | Severity | None, limit: Severity) -> SeverityTable | Severity | None:
    if severity is None:
        return None
    if isinstance(severity, Severity):
        return min(severity, limit)
    return {d: min(s, limit) for d, s in severity.items()}


def removal_rule(*, base: str, kind: str, noun: str, mirror: str, message: str,
                 example: Callable[[Any], Example], severity: SeverityTable | Severity = BREAKING,
                 equivalents: tuple[str, ...] = (), rollout: str,
                 deprecations: Mapping[str, Any]) -> Callable[[CheckFn], CheckFn]:
    """Declare ``base`` and its deprecation variants (``-without-deprecation``, ``-before-sunset``,
    ``-after-sunset``) in one go; the check yields hits for removals, the policy picks the id.

    ``example`` receives ``deprecations[variant]`` (how the format writes a deprecation of that
    variant: a ``@deprecated`` directive, ``deprecated: true`` with a sunset …) and returns the
    example pair for that variant. A removal after the sunset is never reported
    as worse than dangerous.
    """
    marks = deprecations

    def register(check: CheckFn) -> CheckFn:
        for variant, (summary, rationale) in _VARIANT_TEXT.items():
            rule_id = f"{base}-{variant}" if variant else base

            def variant_check(pair: Pair[Any], policy: Policy, _variant: str = variant) -> Iterator[Hit]:
                if (pair.new is None and pair.old is not None
                        and removal_variant(getattr(pair.old, "deprecation", None), policy) == _variant):
                    for hit in check(pair, policy):
                        yield Hit(hit.args, _cap(hit.severity, DANGEROUS)) if _variant == "after-sunset" else hit

            REGISTRY.append(Rule(
                id=rule_id, kind=kind, family=base, mirror=mirror,
                severity=_cap(severity, DANGEROUS) if variant == "after-sunset" else severity,  # type: ignore[arg-type]
                message=message + _VARIANT_SUFFIX[variant],
                summary=summary.format(noun=noun, base=base),
                rationale=rationale.format(noun=noun, base=base),
                rollout=rollout, example=example(marks[variant]), check=variant_check,
                equivalents=equivalents, module=check.__module__))
        return check

    return register


_VARIANT_SUFFIX = {
    "": " (it was deprecated)",
    "without-deprecation": " without deprecation",
    "before-sunset": " before its sunset date",
    "after-sunset": " after its sunset date",
}


def deprecation_added(pair: Pair[Any]) -> bool:
    """Both sides exist and only the new one is deprecated."""
    return (pair.old is not None and pair.new is not None and pair.old.deprecation is None
            and pair.new.deprecation is not None)


def deprecation_removed(pair: Pair[Any]) -> bool:
    """Both sides exist and only the old one is deprecated."""
    return (pair.old is not None and pair.new is not None and pair.old.deprecation is not None
            and pair.new.deprecation is None)


def description_message(old: str | None, new: str | None) -> dict[str, str]:
    """Hit args for a description change: ``change`` reads "added", "removed" or "changed"."""
    change = "added" if old is None else "removed" if new is None else "changed"
    return {"change": change, "old": _short(old), "new": _short(new)}


def _short(text: str | None, limit: int = 80) -> str:
    if text is None:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
