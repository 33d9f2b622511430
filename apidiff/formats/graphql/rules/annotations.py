"""Descriptions and deprecations: safe on their own, but worth a line in the changelog."""

from __future__ import annotations

from collections.abc import Iterator
from string import Template
from typing import Any

from apidiff.core.change import Hit
from apidiff.core.pair import Pair
from apidiff.core.rule import SAFE, Example, Policy, description_message, rule
from apidiff.formats.graphql.rules._base import example as sdl_example

_ROLLOUT = "Nothing to roll out: documentation and deprecation notices change no behaviour."


def annotation_rules(kind: str, noun: str, template: str, inspector: str, deprecatable: bool = True) -> None:
    """Declare ``<kind>-description-changed`` and, when the element can be deprecated,
    ``<kind>-deprecated``, ``-undeprecated`` and ``-deprecation-reason-changed``.

    ``template`` is a schema with ``$desc`` (the element's description) and ``$dep`` (its
    deprecation) placeholders, from which each rule's example is made.
    """

    def example(old: str, new: str) -> Example:
        def fill(annotation: str) -> str:
            is_desc = annotation.startswith('"')
            return Template(template).substitute(desc=annotation if is_desc else "",
                                                 dep="" if is_desc else annotation)
        return sdl_example(fill(old), fill(new))

    @rule(id=f"{kind}-description-changed", kind=kind, mirror=f"{kind}-description-changed", severity=SAFE,
          message=f"description of {noun} {{subject}} {{change}}",
          equivalents=(f"graphql-inspector {inspector}_DESCRIPTION_CHANGED",),
          example=example('"old text"', '"new text"'),
          doc=f"""The description of a {noun} was added, changed or removed.

          Descriptions are documentation; no client behaves differently. The change is listed so
          that changelogs and reviews see it.

          ## Safe rollout
          {_ROLLOUT}""")
    def description_changed(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
        if pair.old is not None and pair.new is not None and pair.old.description != pair.new.description:
            yield Hit(description_message(pair.old.description, pair.new.description))

    if not deprecatable:
        return

    @rule(id=f"{kind}-deprecated", kind=kind, family=f"{kind}-deprecation", mirror=f"{kind}-deprecation",
          severity=SAFE, message=f"{noun} {{subject}} was deprecated: {{reason}}",
          equivalents=(f"graphql-inspector {inspector}_DEPRECATION_ADDED",),
          example=example('', '@deprecated(reason: "Use `b`.")'),
          doc=f"""A {noun} was marked as deprecated.

          Deprecation changes no behaviour: clients keep working, and tools warn their authors.
          It starts the clock of the deprecation policy: with a sunset date in the reason
          (`Removal on 2026-03-01.`), the later removal is judged against that date.

          ## Safe rollout
          This is the *expand → migrate* step of a removal: deprecate with a reason that names the
          replacement and the removal date, serve both, watch usage fall, then remove.""")
    def deprecated(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
        if pair.old is not None and pair.new is not None and pair.old.deprecation is None \
                and pair.new.deprecation is not None:
            yield Hit({"reason": pair.new.deprecation.reason or ""})

    @rule(id=f"{kind}-undeprecated", kind=kind, family=f"{kind}-deprecation", mirror=f"{kind}-deprecation",
          severity=SAFE, message=f"{noun} {{subject}} is no longer deprecated",
          equivalents=(f"graphql-inspector {inspector}_DEPRECATION_REMOVED",),
          example=example('@deprecated(reason: "Use `b`.")', ''),
          doc=f"""A deprecated {noun} is no longer deprecated.

          Clients are unaffected; a planned removal has been called off.

          ## Safe rollout
          {_ROLLOUT}""")
    def undeprecated(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
        if pair.old is not None and pair.new is not None and pair.old.deprecation is not None \
                and pair.new.deprecation is None:
            yield Hit()

    @rule(id=f"{kind}-deprecation-reason-changed", kind=kind, family=f"{kind}-deprecation",
          mirror=f"{kind}-deprecation", severity=SAFE,
          message=f"deprecation reason of {noun} {{subject}} changed from {{old}} to {{new}}",
          equivalents=(f"graphql-inspector {inspector}_DEPRECATION_REASON_CHANGED",),
          example=example('@deprecated(reason: "Use `b`.")', '@deprecated(reason: "Use `c`.")'),
          doc=f"""The deprecation reason of a {noun} changed.

          Clients are unaffected. If the reason carries the sunset date, a changed date moves the
          point after which removal is no longer breaking.

          ## Safe rollout
          {_ROLLOUT}""")
    def deprecation_reason_changed(pair: Pair[Any], policy: Policy) -> Iterator[Hit]:
        old = pair.old.deprecation if pair.old is not None else None
        new = pair.new.deprecation if pair.new is not None else None
        if old is not None and new is not None and old.reason != new.reason:
            yield Hit({"old": repr(old.reason or ""), "new": repr(new.reason or "")})
