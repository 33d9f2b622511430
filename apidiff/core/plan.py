"""Deprecation plans: for each breaking change, the zero-downtime path in three phases.

- **expand**: add the new element beside the old one (or keep the old one, marked deprecated
  with its sunset date) and release that instead of the change;
- **migrate**: serve both while consumers move; the affected responses carry the ``Deprecation``,
  ``Sunset`` and ``Link`` headers (see :mod:`apidiff.core.headers`);
- **contract**: after the sunset, remove the old element (or apply the change).

Each phase has steps, snippets to apply (in the format's own language, at a place of the OLD
document, and ``http`` response headers) and a rollback sentence. The expand phase also carries
machine-applicable :class:`Edit` objects, whose ``op`` values each format defines; the format's
``apply_expand`` (:meth:`apidiff.core.format.Format.apply_expand`, reached through
:func:`apidiff.api.apply_expand`) applies them to the old document's text, and
``apidiff diff OLD EXPANDED`` then reports no breaking change.

This module is the format-neutral part: the plan's data, which changes get a plan, the strategy, the
dates and the phases' texts (:func:`design_plan`). What depends on the schema language (where an
element is, how it is marked deprecated, what the edits are, which operations it reaches) comes
from the format's :class:`Planner` (:meth:`apidiff.core.format.Format.planner`);
:class:`BasePlanner` is the default, a plan without edits and without format-specific snippets.

Dates: the deprecation date is ``since`` (default: ``today``); the sunset is ``sunset_days`` (default
90) after it. An element that is already deprecated keeps its announced sunset.

Which changes get a plan: every change whose severity (in the report's mode) is breaking, and every
removal that did not go through a deprecation and its sunset (``…-removed-without-deprecation``,
``…-removed-before-sunset``, ``…-removed``), whatever its severity. Removals after their sunset
(``…-removed-after-sunset``) are the contract phase of an earlier plan: they are listed as completed.

Strategies (the ``strategy`` key):

- ``deprecate-then-remove``: a removal. Keep the element, mark it deprecated, remove it after the sunset.
- ``add-new-then-remove-old``: a rename (``args["renamed_to"]``) or a type change (the ids the
  planner lists in :attr:`Planner.type_changes`). Add the new element beside the old one (for a type
  change under a suggested new name, ``<name>V2``), deprecate the old one, remove it after the
  sunset. Never an in-place change.
- ``optional-then-required``: a new required input, or an input that became required (the ids in
  :attr:`Planner.required_later`). Add (or keep) it optional, let consumers start sending it, then
  require it.
- ``announce-then-apply``: anything else that cannot live beside the old definition (a narrowed
  constraint, a removed status code …). Announce it, let consumers adapt, then apply it.
- ``staged-rollout``: a change between the owners of the schema rather than its consumers (a
  federated graph's subgraphs and router: an entity key moved, a field taken over with ``@override``).
  The ids are the planner's :attr:`Planner.rollouts`, planned whatever their severity unless safe; the
  format writes the steps of each phase; no deprecation headers (clients see no change).

The JSON form (:func:`apidiff.report.plan.render_json`), a stable contract::

    {
      "plan_version": 1,
      "old": {"source", "kind", "version"}, "new": {...},
      "policy": {"today", "deprecation_date", "sunset_date", "sunset_days", "docs_url"},
      "items": [{
        "change": {"id", "severity", "backward", "forward", "direction", "subject", "message",
                   "old_location", "new_location", "args"},       # as in the JSON report
        "strategy", "element", "replacement", "successor", "operations": [...],
        "deprecation_date", "sunset_date",
        "headers": [{"name", "value"}, ...],                      # the migrate phase's response headers
        "after_sunset_id",                                        # the id the final removal gets, or null
        "phases": [{"name": "expand" | "migrate" | "contract", "starts", "ends",
                    "steps": [markdown, ...],
                    "snippets": [{"language", "caption", "file", "target", "line", "code"}],
                    "rollback": markdown}],
        "edits": [{"file", "op", "target", "value"}]              # the expand phase, machine-applicable
      }],
      "completed": [change, ...],                                 # removals after their sunset
      "warnings": [text, ...]                                     # e.g. a sunset sooner than the policy allows
    }

Dates are ISO 8601 (``YYYY-MM-DD``). The edit ops are the format's: see the ``plan`` module of each
format package (:mod:`apidiff.formats.openapi.plan`, :mod:`apidiff.formats.graphql.plan`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

from apidiff.core.change import Change, Severity
from apidiff.core.direction import Direction
from apidiff.core.guide import some
from apidiff.core.headers import response_headers
from apidiff.core.location import Location
from apidiff.core.model import Api, Deprecation
from apidiff.core.result import Report, SourceInfo
from apidiff.core.rule import REGISTRY, Rule

__all__ = ["DEFAULT_SUNSET_DAYS", "OPERATIONS_SHOWN", "PHASES", "PLAN_VERSION", "STRATEGIES", "BasePlanner", "Dates",
           "Design", "Edit", "Phase", "Plan", "PlanItem", "Planner", "Snippet", "design_plan", "fresh_name",
           "needs_plan", "removal_base", "rule_of", "some", "staged_requests"]

PLAN_VERSION = 1
OPERATIONS_SHOWN = 10  # operations a plan's text names per item; the JSON lists them all, the text counts the rest
PHASES = ("expand", "migrate", "contract")
STRATEGIES = {
    "deprecate-then-remove": "deprecate, then remove after the sunset",
    "add-new-then-remove-old": "add the new beside the old, migrate, remove the old",
    "optional-then-required": "add it optional, migrate, then require it",
    "announce-then-apply": "announce, migrate, then apply",
    "staged-rollout": "roll out in stages between the schema's owners",
}
DEFAULT_SUNSET_DAYS = 90


# -- the plan ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Snippet:
    """Text to apply: ``language`` is the format's (``yaml``, ``json``, ``graphql`` …) or ``http``;
    ``target`` is the format's address of the element (a JSON pointer for OpenAPI, a schema
    coordinate for GraphQL) in ``file``, at ``line`` when known."""

    language: str
    code: str
    caption: str
    file: str | None = None
    target: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"language": self.language, "caption": self.caption, "file": self.file, "target": self.target,
                "line": self.line, "code": self.code}


@dataclass(frozen=True, slots=True, kw_only=True)
class Edit:
    """One machine-applicable change to the old document; the format defines the ``op`` values
    (see the ``plan`` module of its package)."""

    file: str
    op: str
    target: str
    value: Any

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "op": self.op, "target": self.target, "value": self.value}


@dataclass(frozen=True, slots=True, kw_only=True)
class Phase:
    name: str  # expand | migrate | contract
    starts: date
    ends: date | None
    steps: tuple[str, ...]
    snippets: tuple[Snippet, ...]
    rollback: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "starts": self.starts.isoformat(),
                "ends": self.ends.isoformat() if self.ends else None, "steps": list(self.steps),
                "snippets": [s.to_dict() for s in self.snippets], "rollback": self.rollback}


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanItem:
    """The plan for one change."""

    change: Change
    kind: str  # the format's name (Api.kind of the old side)
    strategy: str
    element: str  # property, operation, parameter, field, argument, input field, enum value, type, …
    replacement: str | None  # the element that replaces it, when there is one
    successor: str | None  # the URL (or URI template) of a replacement endpoint
    operations: tuple[str, ...]  # operations (or GraphQL root fields) whose traffic is affected
    deprecation_date: date
    sunset_date: date
    headers: tuple[tuple[str, str], ...]
    after_sunset_id: str | None
    phases: tuple[Phase, ...]
    edits: tuple[Edit, ...]

    def phase(self, name: str) -> Phase:
        return next(p for p in self.phases if p.name == name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "change": self.change.to_dict(),
            "strategy": self.strategy,
            "element": self.element,
            "replacement": self.replacement,
            "successor": self.successor,
            "operations": list(self.operations),
            "deprecation_date": self.deprecation_date.isoformat(),
            "sunset_date": self.sunset_date.isoformat(),
            "headers": [{"name": n, "value": v} for n, v in self.headers],
            "after_sunset_id": self.after_sunset_id,
            "phases": [p.to_dict() for p in self.phases],
            "edits": [e.to_dict() for e in self.edits],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    old: SourceInfo
    new: SourceInfo
    today: date
    deprecation_date: date
    sunset_date: date
    sunset_days: int
    docs_url: str | None
    items: tuple[PlanItem, ...]
    completed: tuple[Change, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan_version": PLAN_VERSION,
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "policy": {"today": self.today.isoformat(), "deprecation_date": self.deprecation_date.isoformat(),
                       "sunset_date": self.sunset_date.isoformat(), "sunset_days": self.sunset_days,
                       "docs_url": self.docs_url},
            "items": [i.to_dict() for i in self.items],
            "completed": [c.to_dict() for c in self.completed],
            "warnings": list(self.warnings),
        }


# -- which changes, which strategy -------------------------------------------------------------------

_REMOVAL_SUFFIXES = ("-without-deprecation", "-before-sunset", "-after-sunset")
_BY_ID: dict[str, Rule] = {}  # an index of the declared rules (REGISTRY), extended as formats load theirs


def rule_of(rule_id: str) -> Rule | None:
    """The declared rule with this id, when its format's rules are loaded."""
    if len(_BY_ID) < len(REGISTRY) and rule_id not in _BY_ID:
        for declared in REGISTRY:
            _BY_ID.setdefault(declared.id, declared)
    return _BY_ID.get(rule_id)


def removal_base(rule_id: str) -> str | None:
    """``property-removed`` for ``property-removed-without-deprecation`` (and the base itself);
    None when the id is not one of the removal rules that know deprecations."""
    base = rule_id
    for suffix in _REMOVAL_SUFFIXES:
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    if not base.endswith("-removed"):
        return None
    return base if rule_of(f"{base}-after-sunset") is not None else None


def needs_plan(change: Change) -> bool:
    """Breaking, or a removal that skipped its deprecation or its sunset."""
    if change.severity is Severity.BREAKING:
        return True
    return removal_base(change.id) is not None and not change.id.endswith("-after-sunset")


def _rollouts(planner: Planner) -> frozenset[str]:
    return getattr(planner, "rollouts", frozenset())


def _strategy(change: Change, planner: Planner) -> str:
    if change.id in _rollouts(planner):
        return "staged-rollout"
    if removal_base(change.id) is not None:
        return "add-new-then-remove-old" if change.args.get("renamed_to") else "deprecate-then-remove"
    if change.id in planner.type_changes:
        return "add-new-then-remove-old"
    if change.id in planner.required_later:
        return "optional-then-required"
    return "announce-then-apply"


@dataclass(slots=True)
class Dates:
    deprecation: date
    sunset: date


@dataclass(slots=True)
class Design:
    """What a format-specific planner decides for one change; the phases are written from it."""

    strategy: str
    element: str
    where: str  # Markdown: the file, line and pointer/coordinate of the element in the old document
    replacement: str | None = None
    suggested_name: bool = False  # the replacement's name is a suggestion (type changes)
    successor: str | None = None
    operations: tuple[str, ...] = ()
    edits: list[Edit] = field(default_factory=list)
    expand_snippets: list[Snippet] = field(default_factory=list)
    contract_snippets: list[Snippet] = field(default_factory=list)
    expand_steps: list[str] = field(default_factory=list)  # format-specific, after the first step
    marker: str = ""  # Markdown: how the old element is marked deprecated
    already: Deprecation | None = None
    recognised: bool = True  # whether apidiff will see the deprecation (then the removal is after-sunset)
    headers_where: str = ""  # Markdown: which responses carry the headers
    migrate_steps: list[str] = field(default_factory=list)  # format-specific, after the header step
    contract_steps: list[str] = field(default_factory=list)  # a staged rollout's contract phase
    rollback: str = ""  # a staged rollout's way back at every phase (default: publish the previous schema)


# -- what the builder asks a format ------------------------------------------------------------------


class Planner(Protocol):
    """What :func:`design_plan` asks a format (:meth:`apidiff.core.format.Format.planner`) about the
    changes of one comparison. :class:`BasePlanner` answers for any format, without format knowledge."""

    type_changes: frozenset[str]  # rule ids of type changes: add a new element beside the old one
    required_later: frozenset[str]  # rule ids of inputs that become required: optional first, required later
    after_sunset_ids: Mapping[str, str]  # element noun -> the id its removal gets after the sunset
    # optional: rule ids of changes between the schema's owners, planned as a ``staged-rollout``
    # rollouts: frozenset[str]

    def prefetch(self, changes: Sequence[Change]) -> None:
        """Called once with every change that gets a plan, before the first :meth:`existing`."""
        ...

    def existing(self, change: Change) -> Deprecation | None:
        """The deprecation the changed element already has in the old document, if any."""
        ...

    def design(self, change: Change, strategy: str, dates: Dates) -> Design:
        """The plan of ``change`` under the strategy chosen for it (which it may fall back from to
        ``announce-then-apply``); the builder writes the phases from it."""
        ...


def _where(loc: Location) -> str:
    return f"`{loc}`" + (f", at `{loc.pointer}`" if loc.pointer else "")


class BasePlanner:
    """The planner of a format that has none of its own: the phases, the dates and the headers, but
    no edits and no snippets in the format's language. The element is named after its rule's kind,
    its place is the change's location; the deprecation marker is described, not written."""

    type_changes: frozenset[str] = frozenset()
    required_later: frozenset[str] = frozenset()
    after_sunset_ids: Mapping[str, str] = {}

    def __init__(self, old: Api, new: Api, report: Report) -> None:
        self.old, self.new, self.report = old, new, report

    def prefetch(self, changes: Sequence[Change]) -> None:
        pass

    def existing(self, change: Change) -> Deprecation | None:
        return None  # a format's model keeps its deprecations where only the format knows

    def element(self, change: Change) -> str:
        """A noun for the changed element: its rule's kind (``input-field`` → ``input field``)."""
        rule = rule_of(change.id)
        return (rule.kind.replace("-", " ") if rule is not None else "") or "element"

    def where(self, change: Change) -> str:
        if change.old_location is not None:
            return _where(change.old_location)
        if change.new_location is not None:
            return f"{_where(change.new_location)} in the new document"
        return "n/a"

    def design(self, change: Change, strategy: str, dates: Dates) -> Design:
        d = Design(strategy=strategy, element=self.element(change), where=self.where(change))
        if strategy == "add-new-then-remove-old":
            renamed = change.args.get("renamed_to")
            if renamed:
                d.replacement = str(renamed)
            else:  # a type change needs a new element's definition, which only the format can write
                d.strategy = "announce-then-apply"
        if d.strategy in ("deprecate-then-remove", "add-new-then-remove-old"):
            d.marker = f"as the schema language allows, with the sunset {dates.sunset.isoformat()}"
        uses = staged_requests(change, d)
        d.headers_where = f"responses to requests {uses}" if uses else ""
        return d


# -- the builder ---------------------------------------------------------------------------------------


def design_plan(report: Report, old_api: Api, new_api: Api, planner: Planner, *, today: date,
                since: date | None = None, sunset_days: int = DEFAULT_SUNSET_DAYS, docs_url: str | None = None,
                min_deprecation_days: int = 0) -> Plan:
    """The deprecation plan for ``report`` (a comparison of ``old_api`` with ``new_api``), with what
    depends on the format asked of ``planner``.

    ``since`` is the deprecation date (default ``today``); the sunset comes ``sunset_days`` later.
    ``docs_url`` is linked from the ``Link`` headers (``rel="deprecation"`` and ``rel="sunset"``).
    ``min_deprecation_days`` is the policy's minimum (a shorter sunset gives a warning).
    """
    if sunset_days < 0:
        raise ValueError("sunset_days must be 0 or more: the sunset cannot come before the deprecation")
    deprecation = since or today
    sunset = deprecation + timedelta(days=sunset_days)
    items = []
    completed = [c for c in report.changes if c.id.endswith("-removed-after-sunset")]
    rollouts = _rollouts(planner)
    planned = [c for c in report.changes if (needs_plan(c) or (c.id in rollouts and c.severity is not Severity.SAFE))
               and not c.id.endswith("-removed-after-sunset")]
    planner.prefetch(planned)
    for change in planned:
        existing = planner.existing(change)
        dates = _item_dates(existing, deprecation, sunset, today)
        design = planner.design(change, _strategy(change, planner), dates)
        design.already = existing
        items.append(_item(change, old_api.kind, design, dates, docs_url, planner))
    warnings = []
    if sunset_days < min_deprecation_days:
        warnings.append(f"The sunset ({sunset_days} days) is sooner than the minimum deprecation period "
                        f"({min_deprecation_days} days): apidiff reports each deprecation as "
                        "`…-deprecated-sunset-too-soon` (dangerous). Use a longer sunset.")
    return Plan(old=report.old, new=report.new, today=today, deprecation_date=deprecation, sunset_date=sunset,
                sunset_days=sunset_days, docs_url=docs_url, items=tuple(items), completed=tuple(completed),
                warnings=tuple(warnings))


def _item_dates(existing: Deprecation | None, deprecation: date, sunset: date, today: date) -> Dates:
    """The policy's dates, except that an element already deprecated keeps its date and its sunset."""
    if existing is not None and existing.since is not None and existing.since < deprecation:
        deprecation = existing.since
    if existing is not None and existing.sunset is not None and existing.sunset >= max(deprecation, today):
        sunset = existing.sunset
    return Dates(deprecation, max(sunset, deprecation))


def _item(change: Change, kind: str, design: Design, dates: Dates, docs_url: str | None,
          planner: Planner) -> PlanItem:
    headers = () if design.strategy == "staged-rollout" else \
        response_headers(dates.deprecation, dates.sunset, docs_url=docs_url, successor=design.successor)
    base = removal_base(change.id)
    after = f"{base}-after-sunset" if base and design.strategy != "announce-then-apply" else None
    if design.strategy == "add-new-then-remove-old" and base is None:
        after = planner.after_sunset_ids.get(design.element)
    phases = _phases(change, design, dates, headers, docs_url, after)
    return PlanItem(change=change, kind=kind, strategy=design.strategy, element=design.element,
                    replacement=design.replacement, successor=design.successor, operations=design.operations,
                    deprecation_date=dates.deprecation, sunset_date=dates.sunset, headers=headers,
                    after_sunset_id=after if design.recognised else None, phases=phases, edits=tuple(design.edits))


# -- the phases, written once for every format -------------------------------------------------------


def _phases(change: Change, d: Design, dates: Dates, headers: Sequence[tuple[str, str]],
            docs_url: str | None, after: str | None) -> tuple[Phase, ...]:
    s = f"`{change.subject}`"
    t = dates.sunset.isoformat()
    r = f"`{d.replacement}`" if d.replacement else ""
    http = Snippet(language="http", code="\n".join(f"{n}: {v}" for n, v in headers),
                   caption=f"Response headers for {d.headers_where or 'the affected responses'}")
    docs = (f"Announce it: changelog, and the page behind the `Link` headers ({docs_url})." if docs_url else
            "Announce it in the changelog and on a deprecation page; pass its URL (`--docs-url`) to add the "
            "`Link: <…>; rel=\"deprecation\"` and `rel=\"sunset\"` headers (RFC 9745 §3, RFC 8594 §3).")
    header_step = (f"Serve the `Deprecation` (RFC 9745) and `Sunset` (RFC 8594) headers below on "
                   f"{d.headers_where or 'the affected responses'}.")
    release = ("Release this instead of the change: `apidiff diff` of the old document and this one reports "
               "no breaking change.")
    apidiff_after = (f"`apidiff diff` then reports `{after}` (dangerous, not breaking) instead of `{change.id}`."
                     if after and d.recognised else
                     f"`apidiff diff` still reports `{change.id}`: record the decision (an `ignore` with a reason "
                     "and an expiry in the apidiff configuration) rather than turning the rule off.")
    if d.already is not None and d.already.sunset is not None and d.already.sunset == dates.sunset:
        keep = f" It is already deprecated with the sunset {t}: keep that promise."
    else:
        keep = ""
    expand: list[str]
    contract: list[str]
    migrate: list[str]
    if d.strategy == "staged-rollout":
        owners = d.rollback or ("Publish the previous version of the schema again: each step keeps the one before "
                                "it working, so going back one step is safe.")
        return (
            Phase(name="expand", starts=dates.deprecation, ends=dates.deprecation, steps=tuple(d.expand_steps),
                  snippets=tuple(d.expand_snippets), rollback=owners),
            Phase(name="migrate", starts=dates.deprecation, ends=dates.sunset, steps=tuple(d.migrate_steps),
                  snippets=(), rollback=owners),
            Phase(name="contract", starts=dates.sunset, ends=None, steps=tuple(d.contract_steps),
                  snippets=tuple(d.contract_snippets), rollback=owners),
        )
    if d.strategy == "deprecate-then-remove":
        expand = [f"Do not remove the {d.element} {s} yet: keep it ({d.where}).{keep}"]
        if d.marker:
            expand.append(f"Mark it deprecated: {d.marker}.")
        expand += [*d.expand_steps, release]
        expand_rollback = ("Remove the deprecation marker again and redeploy: un-deprecating changes nothing on "
                           "the wire and is safe.")
        migrate = [f"Keep serving {s} unchanged until {t} while consumers stop using it.", header_step, docs,
                   f"Track who still uses {s} (access logs, field-usage metrics) and contact them. If they need "
                   "more time, move the sunset later, never earlier (an earlier sunset is reported as dangerous)."]
        contract = [f"On or after {t}, once nobody uses it, remove {s} (as the new document does).", apidiff_after]
        contract.append("Answer requests to the removed operation with `410 Gone` and keep the `Link` to the docs."
                        if d.element == "operation" else
                        "Stop sending the `Deprecation` and `Sunset` headers for it.")
        contract_rollback = (f"Restore {s} from the expanded document (still deprecated, same sunset) and "
                             "redeploy: an addition, safe for every consumer.")
    elif d.strategy == "add-new-then-remove-old":
        if change.args.get("renamed_to"):
            expand = [f"Do not rename in place: add {r} beside {s} (as the new document defines it), keeping "
                      f"{s} ({d.where})."]
        else:
            what = f" ({change.args['old']} → {change.args['new']})" if "old" in change.args else ""
            expand = [f"Do not change {s} in place{what}: add a new {d.element} {r} with the new definition "
                      f"beside it, keeping {s} ({d.where})."
                      + (f" {r} is a suggested name: choose the final one before you release." if d.suggested_name
                         else "")]
        expand += d.expand_steps
        if d.marker:
            expand.append(f"Deprecate {s} in favour of {r}: {d.marker}.")
        expand += [_both(change.direction, s, r, d.element), release]
        expand_rollback = (f"Remove {r} and the deprecation marker again and redeploy: safe while no consumer uses "
                           f"{r} yet (after that, removing {r} is a breaking change of its own).")
        migrate = [f"Serve both until {t}; consumers switch from {s} to {r}.", header_step]
        if d.successor:
            migrate.append(f"The `Link: <…>; rel=\"successor-version\"` header (RFC 5829) points at the replacement"
                           f" `{d.successor}`" + (" (expand the URI template for each request)."
                                                  if "{" in d.successor else "."))
        migrate += [docs, f"Track who still uses {s} and contact them; move the sunset later if they need more "
                          "time, never earlier."]
        contract = [f"On or after {t}, once nobody uses it, remove {s}; {r} stays.", apidiff_after]
        if d.suggested_name:
            contract.append(f"{r} keeps its new name: taking the old name back would be another plan of its own.")
        if d.element == "operation":
            contract.append("Answer requests to the old operation with `410 Gone` and the `Link` to its successor, "
                            "or with `308 Permanent Redirect` when the successor takes the same request.")
        contract_rollback = (f"Restore {s} from the expanded document (still deprecated, same sunset) and redeploy:"
                             " an addition, safe for every consumer.")
    elif d.strategy == "optional-then-required":
        added = "-added-" in change.id
        if added:
            expand = [f"Do not add {s} as required: add it as optional first ({d.where}), and let the server "
                      "handle requests without it as before (a default)."]
            expand_rollback = f"Remove the optional {s} again and redeploy: safe while no consumer sends it yet."
        else:
            expand = [f"Keep {s} optional for now ({d.where}) and announce that it becomes required after {t}."]
            expand_rollback = "Revert the announcement: nothing else changed."
        expand += [*d.expand_steps, release]
        migrate = [f"Consumers start sending {s} in every request.",
                   "Log requests that omit it, and answer those with the headers below so that their owners "
                   "notice.", docs]
        contract = [f"On or after {t}, once no request omits it, make {s} required (as the new document does).",
                    apidiff_after]
        contract_rollback = f"Make {s} optional again and redeploy: relaxing a request requirement is safe."
    else:
        expand = [f"The change ({change.message}) cannot be served beside the old definition: keep the old one for "
                  f"now ({d.where}) and announce the change for {t}.", *d.expand_steps, release]
        expand_rollback = "Revert the announcement: nothing else changed."
        adapt = {Direction.INPUT: "their requests are valid under both the old and the new definition",
                 Direction.OUTPUT: "they handle responses under both the old and the new definition"}
        migrate = [f"Consumers adapt so that {adapt.get(change.direction, 'they work with both definitions')}.",
                   ("Log requests that the new definition would reject, and answer those with the headers below."
                    if change.direction is Direction.INPUT else header_step), docs]
        contract = [f"On or after {t}, apply the change (as the new document does).", apidiff_after]
        contract_rollback = ("Restore the old definition and redeploy; `apidiff diff NEW OLD` shows whether the "
                             "rollback affects consumers that adopted the new one.")
    if d.migrate_steps:
        at = next((i + 1 for i, step in enumerate(migrate) if "headers below" in step), len(migrate))
        migrate[at:at] = d.migrate_steps
    migrate_rollback = ("Stop sending the headers, or move the sunset later (and update `Sunset`): the API itself "
                        "does not change in this phase, so consumers need do nothing.")
    return (
        Phase(name="expand", starts=dates.deprecation, ends=dates.deprecation, steps=tuple(expand),
              snippets=tuple(d.expand_snippets), rollback=expand_rollback),
        Phase(name="migrate", starts=dates.deprecation, ends=dates.sunset, steps=tuple(migrate), snippets=(http,),
              rollback=migrate_rollback),
        Phase(name="contract", starts=dates.sunset, ends=None, steps=tuple(contract),
              snippets=tuple(d.contract_snippets), rollback=contract_rollback),
    )


def _both(direction: Direction, s: str, r: str, element: str) -> str:
    if element == "operation":
        return f"Both operations serve the same data; {s} stays unchanged."
    if direction is Direction.OUTPUT:
        return f"The server fills both {s} and {r} in every response."
    if direction is Direction.INPUT:
        return f"The server accepts either {s} or {r}; when a request sends both, {r} wins."
    return f"The server fills both {s} and {r} in responses and accepts either in requests ({r} wins)."


# -- helpers the formats' planners share -------------------------------------------------------------


def staged_requests(change: Change, d: Design) -> str | None:
    """Which requests get the headers when only some requests are affected (a new requirement on
    input, a narrowed input); None when every response that can carry the element is."""
    if d.strategy == "optional-then-required":
        return f"that omit `{change.subject}`"
    if d.strategy == "announce-then-apply" and change.direction is Direction.INPUT:
        return "that the new definition would reject"
    return None


def fresh_name(name: str, taken: set[Any]) -> str:
    candidate, n = f"{name}V2", 2
    while candidate in taken:
        n += 1
        candidate = f"{name}V{n}"
    return candidate
