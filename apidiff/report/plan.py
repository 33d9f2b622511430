"""Deprecation plans: for each breaking change, the zero-downtime path in three phases.

- **expand**: add the new element beside the old one (or keep the old one, marked deprecated
  with its sunset date) and release that instead of the change;
- **migrate**: serve both while consumers move; the affected responses carry the ``Deprecation``,
  ``Sunset`` and ``Link`` headers (see :mod:`apidiff.core.headers`);
- **contract**: after the sunset, remove the old element (or apply the change).

Each phase has steps, snippets to apply (``yaml``/``json`` at a JSON pointer of the OLD document,
``graphql`` in the context of its type, ``http`` response headers) and a rollback sentence. The
expand phase also carries machine-applicable :class:`Edit` objects; :func:`apply_expand` applies
them to the old document's text, and ``apidiff diff OLD EXPANDED`` then reports no breaking change.

Dates: the deprecation date is ``since`` (default: ``today``); the sunset is ``sunset_days`` (default
90) after it. An element that is already deprecated keeps its announced sunset.

Which changes get a plan: every change whose severity (in the report's mode) is breaking, and every
removal that did not go through a deprecation and its sunset (``…-removed-without-deprecation``,
``…-removed-before-sunset``, ``…-removed``), whatever its severity. Removals after their sunset
(``…-removed-after-sunset``) are the contract phase of an earlier plan: they are listed as completed.

Strategies (the ``strategy`` key):

- ``deprecate-then-remove``: a removal. Keep the element, mark it deprecated, remove it after the sunset.
- ``add-new-then-remove-old``: a rename (``args["renamed_to"]``) or a type change. Add the new element
  beside the old one (for a type change under a suggested new name, ``<name>V2``), deprecate the old
  one, remove it after the sunset. Never an in-place change.
- ``optional-then-required``: a new required input, or an input that became required. Add (or keep)
  it optional, let consumers start sending it, then require it.
- ``announce-then-apply``: anything else that cannot live beside the old definition (a narrowed
  constraint, a removed status code …). Announce it, let consumers adapt, then apply it.

The JSON form (:func:`render_json`), a stable contract::

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

Dates are ISO 8601 (``YYYY-MM-DD``). Edit ops: OpenAPI ``merge`` (keys into the mapping at the JSON
pointer ``target``), ``set`` (the value at ``target``, creating missing parents; a last token ``-``
appends to a list); GraphQL ``deprecate`` (put the ``@deprecated`` directive ``value`` on the element
at the schema coordinate ``target``, replacing one already there; a required argument or input field
becomes nullable, as the GraphQL spec requires), ``add-field`` (the SDL ``value`` as the last member of
type ``target``), ``add-argument`` (the SDL ``value`` as the last argument of field ``target``) and
``add-definition`` (the SDL ``value`` appended to the document).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apidiff.core.change import Change, Severity
from apidiff.core.result import Report, SourceInfo
from apidiff.formats.graphql.model import Api, Deprecation, EnumValue, Field, InputValue, TypeDef, TypeKind
from apidiff.formats.openapi.model import Operation, Schema
from apidiff.core.location import Location, escape_pointer_token
from apidiff.core.direction import Direction
from apidiff.core.headers import response_headers

if TYPE_CHECKING:
    from apidiff.rules import Rule

PLAN_VERSION = 1
PHASES = ("expand", "migrate", "contract")
STRATEGIES = {
    "deprecate-then-remove": "deprecate, then remove after the sunset",
    "add-new-then-remove-old": "add the new beside the old, migrate, remove the old",
    "optional-then-required": "add it optional, migrate, then require it",
    "announce-then-apply": "announce, migrate, then apply",
}
DEFAULT_SUNSET_DAYS = 90

_REMOVAL_SUFFIXES = ("-without-deprecation", "-before-sunset", "-after-sunset")
TYPE_CHANGES = frozenset({
    "field-type-changed", "field-became-nullable", "argument-type-changed", "input-field-type-changed",
    "type-changed", "became-nullable", "became-non-nullable", "format-changed", "became-enum",
})
REQUIRED_LATER = frozenset({
    "property-added-required", "parameter-added-required", "request-body-added-required",
    "argument-added-required", "input-field-added-required",
    "property-became-required", "parameter-became-required", "request-body-became-required",
    "argument-became-non-nullable", "input-field-became-non-nullable",
})
_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace", "query"})
_BUILTIN_SCALARS = frozenset({"Boolean", "Float", "ID", "Int", "String"})


# -- the plan ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Snippet:
    """Text to apply: ``language`` is ``yaml``, ``json``, ``graphql`` or ``http``; ``target`` is a
    JSON pointer (OpenAPI) or a schema coordinate (GraphQL) in ``file``, at ``line`` when known."""

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
    """One machine-applicable change to the old document (see the module docstring for ``op``)."""

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
    kind: str  # openapi | graphql
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


def _rule(rule_id: str) -> Rule | None:
    from apidiff.rules import get

    try:
        return get(rule_id)
    except KeyError:
        return None


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
    return base if _rule(f"{base}-after-sunset") is not None else None


def needs_plan(change: Change) -> bool:
    """Breaking, or a removal that skipped its deprecation or its sunset."""
    if change.severity is Severity.BREAKING:
        return True
    return removal_base(change.id) is not None and not change.id.endswith("-after-sunset")


def _strategy(change: Change) -> str:
    if removal_base(change.id) is not None:
        return "add-new-then-remove-old" if change.args.get("renamed_to") else "deprecate-then-remove"
    if change.id in TYPE_CHANGES:
        return "add-new-then-remove-old"
    if change.id in REQUIRED_LATER:
        return "optional-then-required"
    return "announce-then-apply"


def _rule_at(rule_id: str) -> str | None:
    rule = _rule(rule_id)
    return rule.at if rule is not None else None


@dataclass(slots=True)
class _Dates:
    deprecation: date
    sunset: date


@dataclass(slots=True)
class _Design:
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


# -- the builder ---------------------------------------------------------------------------------------


def build_plan(report: Report, old_api: Api, new_api: Api, *, today: date, since: date | None = None,
               sunset_days: int = DEFAULT_SUNSET_DAYS, docs_url: str | None = None,
               sunset_extension: str = "x-sunset", min_deprecation_days: int = 0) -> Plan:
    """The deprecation plan for ``report`` (a comparison of ``old_api`` with ``new_api``).

    ``since`` is the deprecation date (default ``today``); the sunset comes ``sunset_days`` later.
    ``docs_url`` is linked from the ``Link`` headers (``rel="deprecation"`` and ``rel="sunset"``).
    ``sunset_extension`` names the OpenAPI extension that carries the sunset date;
    ``min_deprecation_days`` is the policy's minimum (a shorter sunset gives a warning).
    """
    if sunset_days < 0:
        raise ValueError("sunset_days must be 0 or more: the sunset cannot come before the deprecation")
    deprecation = since or today
    sunset = deprecation + timedelta(days=sunset_days)
    planner: _OpenApiPlanner | _GraphQLPlanner
    if old_api.kind == "graphql":
        planner = _GraphQLPlanner(old_api, new_api, report)
    else:
        planner = _OpenApiPlanner(old_api, new_api, report, sunset_extension)
    items = []
    completed = [c for c in report.changes if c.id.endswith("-removed-after-sunset")]
    planned = [c for c in report.changes if needs_plan(c) and not c.id.endswith("-removed-after-sunset")]
    planner.prefetch(planned)
    for change in planned:
        existing = planner.existing(change)
        dates = _item_dates(existing, deprecation, sunset, today)
        design = planner.design(change, _strategy(change), dates)
        design.already = existing
        items.append(_item(change, old_api.kind, design, dates, docs_url))
    warnings = []
    if sunset_days < min_deprecation_days:
        warnings.append(f"The sunset ({sunset_days} days) is sooner than the minimum deprecation period "
                        f"({min_deprecation_days} days): apidiff reports each deprecation as "
                        "`…-deprecated-sunset-too-soon` (dangerous). Use a longer sunset.")
    return Plan(old=report.old, new=report.new, today=today, deprecation_date=deprecation, sunset_date=sunset,
                sunset_days=sunset_days, docs_url=docs_url, items=tuple(items), completed=tuple(completed),
                warnings=tuple(warnings))


def _item_dates(existing: Deprecation | None, deprecation: date, sunset: date, today: date) -> _Dates:
    """The policy's dates, except that an element already deprecated keeps its date and its sunset."""
    if existing is not None and existing.since is not None and existing.since < deprecation:
        deprecation = existing.since
    if existing is not None and existing.sunset is not None and existing.sunset >= max(deprecation, today):
        sunset = existing.sunset
    return _Dates(deprecation, max(sunset, deprecation))


def _item(change: Change, kind: str, design: _Design, dates: _Dates, docs_url: str | None) -> PlanItem:
    headers = response_headers(dates.deprecation, dates.sunset, docs_url=docs_url, successor=design.successor)
    base = removal_base(change.id)
    after = f"{base}-after-sunset" if base and design.strategy != "announce-then-apply" else None
    if design.strategy == "add-new-then-remove-old" and base is None:
        after = _after_sunset_for_kind(design.element)
    phases = _phases(change, design, dates, headers, docs_url, after)
    return PlanItem(change=change, kind=kind, strategy=design.strategy, element=design.element,
                    replacement=design.replacement, successor=design.successor, operations=design.operations,
                    deprecation_date=dates.deprecation, sunset_date=dates.sunset, headers=headers,
                    after_sunset_id=after if design.recognised else None, phases=phases, edits=tuple(design.edits))


def _after_sunset_for_kind(element: str) -> str | None:
    return {"property": "property-removed-after-sunset", "parameter": "parameter-removed-after-sunset",
            "field": "field-removed-after-sunset", "argument": "argument-removed-after-sunset",
            "input field": "input-field-removed-after-sunset"}.get(element)


# -- the phases, written once for both formats ---------------------------------------------------------


def _phases(change: Change, d: _Design, dates: _Dates, headers: Sequence[tuple[str, str]],
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


# -- OpenAPI ------------------------------------------------------------------------------------------


class _Missing:
    pass


MISSING: Any = _Missing()


def _tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def _pointer(tokens: Iterable[str]) -> str:
    return "".join("/" + escape_pointer_token(t) for t in tokens)


def resolve_pointer(doc: Any, pointer: str) -> Any:
    """The value at ``pointer`` in ``doc``, or :data:`MISSING`."""
    node = doc
    for token in _tokens(pointer):
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return MISSING
    return node


def _append_text(existing: Any, note: str) -> str:
    return f"{existing.rstrip()}\n\n{note}" if isinstance(existing, str) and existing.strip() else note


class _Docs:
    """The parsed documents of one side, from the loader's texts (or the files)."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.texts: dict[str, str] = dict(getattr(api.locate, "texts", None) or {})
        self.parsed: dict[str, Any] = {}
        self.lines: dict[tuple[str, str], int | None] = {}

    def text(self, file: str) -> str | None:
        if file not in self.texts:
            try:
                self.texts[file] = Path(file).read_text(encoding="utf-8")
            except (OSError, ValueError):
                return None
        return self.texts[file]

    def doc(self, file: str) -> Any:
        if file not in self.parsed:
            from apidiff.core._yaml import parse_document

            text = self.text(file)
            self.parsed[file] = MISSING if text is None else parse_document(text, file)
        return self.parsed[file]

    def node(self, file: str, pointer: str) -> Any:
        doc = self.doc(file)
        return MISSING if doc is MISSING else resolve_pointer(doc, pointer)

    def prefetch(self, file: str, pointers: Iterable[str]) -> None:
        """Find the lines of many pointers (and their ancestors) with one scan of ``file``."""
        text = self.text(file)
        if text is None:
            return
        from apidiff.core._positions import json_pointer_positions
        from apidiff.core._yaml import yaml_pointer_positions

        wanted = set()
        for pointer in pointers:
            while (file, pointer) not in self.lines and pointer not in wanted:
                wanted.add(pointer)
                if not pointer:
                    break
                pointer = pointer.rsplit("/", 1)[0]
        if not wanted:
            return
        find = json_pointer_positions if text.lstrip()[:1] in ("{", "[") else yaml_pointer_positions
        found = find(text, wanted)
        for pointer in wanted:
            pos = found.get(pointer)
            self.lines[(file, pointer)] = pos[0] if pos else None

    def line(self, file: str, pointer: str) -> int | None:
        if (file, pointer) not in self.lines:
            self.prefetch(file, [pointer])
        return self.lines.get((file, pointer))

    def is_json(self, file: str) -> bool:
        text = self.text(file)
        return text is not None and text.lstrip()[:1] in ("{", "[")


class _OpenApiPlanner:
    def __init__(self, old: Api, new: Api, report: Report, sunset_key: str) -> None:
        self.old, self.new, self.report, self.key = old, new, report, sunset_key
        self.old_docs, self.new_docs = _Docs(old), _Docs(new)
        self.version = old.version or "3.0"
        self.traffic: dict[int, _Traffic] = {}

    def prefetch(self, changes: Sequence[Change]) -> None:
        """Find the lines of every element (and its ancestors) the plans will name, one scan per file."""
        for side, docs in (("old", self.old_docs), ("new", self.new_docs)):
            by_file: dict[str, list[str]] = {}
            for change in changes:
                spot = self.element(change, side)
                if spot is not None:
                    by_file.setdefault(spot[0], []).extend((spot[1], _pointer([*_tokens(spot[1])[:-2], "required"])))
            for file, pointers in by_file.items():
                docs.prefetch(file, pointers)

    # where things are
    def element(self, change: Change, side: str) -> tuple[str, str] | None:
        """(file, JSON pointer) of the changed element (not of the keyword) on ``side``."""
        loc = change.old_location if side == "old" else change.new_location
        if loc is None or loc.pointer is None:
            return None
        pointer = loc.pointer
        at = _rule_at(change.id) or change.args.get("keyword")
        if isinstance(at, str) and at and pointer.endswith("/" + escape_pointer_token(at)):
            pointer = pointer[: -len(at) - 1]
        return loc.file, pointer

    def where(self, file: str, pointer: str, docs: _Docs | None = None) -> str:
        line = (docs or self.old_docs).line(file, pointer)
        at = f" line {line}" if line else ""
        return f"`{file}`{at}, at `{pointer or '/'}`"

    def existing(self, change: Change) -> Deprecation | None:
        from apidiff.formats.openapi.load import parse_date

        spot = self.element(change, "old")
        if spot is None:
            return None
        node = self.old_docs.node(*spot)
        if not isinstance(node, Mapping) or node.get("deprecated") is not True:
            return None
        return Deprecation(sunset=parse_date(node.get(self.key)),
                           since=parse_date(node.get("x-deprecated-at") or node.get("x-deprecation-date")))

    # what kind of element a pointer names
    @staticmethod
    def kind_of(pointer: str) -> str:
        t = _tokens(pointer)
        if len(t) >= 2 and t[-2] == "properties":
            return "property"
        if len(t) >= 2 and t[-2] == "parameters" and t[-1].isdigit():
            return "parameter"
        if len(t) == 3 and t[0] in ("paths", "webhooks") and t[2] in _METHODS:
            return "operation"
        if t and t[-1] == "requestBody":
            return "request body"
        return "schema" if "schema" in t or (t[:2] == ["components", "schemas"]) or t[:1] == ["definitions"] \
            else "element"

    # the plan
    def design(self, change: Change, strategy: str, dates: _Dates) -> _Design:
        old_spot, new_spot = self.element(change, "old"), self.element(change, "new")
        spot = old_spot or new_spot
        element = self.kind_of(spot[1]) if spot else "element"
        d = _Design(strategy=strategy, element=element,
                    where=self.where(*old_spot) if old_spot else
                    (f"{self.where(*new_spot, docs=self.new_docs)} in the new document" if new_spot else "n/a"))
        d.operations = self.operations(change, spot)
        if strategy == "deprecate-then-remove" and old_spot and element in ("property", "parameter", "operation"):
            planned = self.plan_removal(change, d, old_spot, dates)
        elif strategy == "add-new-then-remove-old" and old_spot:
            planned = self.plan_replacement(change, d, old_spot, new_spot, dates)
        elif strategy == "optional-then-required":
            planned = self.plan_required_later(change, d, old_spot, new_spot, dates)
        else:
            planned = False
        if not planned:
            d.strategy = "announce-then-apply"
            self.plan_announcement(change, d, old_spot, new_spot, dates)
        d.headers_where = self.headers_where(change, d)
        return d

    def mark(self, file: str, pointer: str, dates: _Dates, note: str | None = None) -> tuple[Edit | None, bool]:
        """The edit that marks the element at ``pointer`` deprecated; whether apidiff will see the mark."""
        node = self.old_docs.node(file, pointer)
        if not isinstance(node, Mapping):
            return None, False
        keys: dict[str, Any] = {}
        if node.get("deprecated") is not True:
            keys["deprecated"] = True
        if not node.get(self.key):
            keys[self.key] = dates.sunset.isoformat()
        if note:
            keys["description"] = _append_text(node.get("description"), note)
        if not keys:
            return None, True
        if "$ref" not in node:
            return Edit(file=file, op="merge", target=pointer, value=keys), True
        # apidiff's loader reads no deprecation beside a $ref: the removal will not count as after the sunset
        if self.kind_of(pointer) != "property":
            return None, False
        if self.version.startswith("3.1"):
            return Edit(file=file, op="merge", target=pointer, value=keys), False
        # OpenAPI 2.0/3.0 ignore the siblings of $ref: wrap the reference in allOf
        wrapped = {"allOf": [dict(node)], **{k: v for k, v in node.items() if k != "$ref"}, **keys}
        return Edit(file=file, op="set", target=pointer, value=wrapped), False

    def marker_text(self, dates: _Dates) -> str:
        return f"`deprecated: true` and `{self.key}: '{dates.sunset.isoformat()}'`"

    def plan_removal(self, change: Change, d: _Design, spot: tuple[str, str], dates: _Dates) -> bool:
        edit, seen = self.mark(*spot, dates)
        d.recognised = seen
        if edit is not None:
            d.marker = self.marker_text(dates)
            d.edits.append(edit)
            if edit.op == "set":
                d.expand_steps.append("The element is a `$ref`, whose siblings OpenAPI "
                                      f"{self.version} ignores: the reference moves into `allOf`.")
        if d.element == "parameter" and spot[1].startswith("/components/"):
            d.expand_steps.append(f"`{spot[1]}` is shared: marking it deprecated deprecates it in every operation "
                                  "that refers to it (inline a copy to deprecate it in one operation only).")
        d.expand_snippets = self.snippets(d.edits)
        return True

    def plan_replacement(self, change: Change, d: _Design, old_spot: tuple[str, str],
                         new_spot: tuple[str, str] | None, dates: _Dates) -> bool:
        file, pointer = old_spot
        renamed = change.args.get("renamed_to")
        parent = _tokens(pointer)[:-1]
        name = _tokens(pointer)[-1] if pointer else ""
        if renamed:
            added = next((c for c in self.report.changes if c.args.get("renamed_from") == change.subject
                          and c.new_location is not None and c.new_location.pointer), None)
            if added is None or added.new_location is None or added.new_location.pointer is None:
                return False
            source = (added.new_location.file, added.new_location.pointer)
            new_tokens = _tokens(source[1])
            if d.element == "operation":
                target = source[1]
                replacement = str(renamed)
            else:
                target = _pointer([*parent, new_tokens[-1]])
                replacement = new_tokens[-1]
            value = self.new_docs.node(*source)
        else:
            if d.element not in ("property", "parameter") or new_spot is None:
                return False
            # the element at the same place in the new document; the change may point through a $ref
            same = (new_spot[0], pointer)
            source = same if isinstance(self.new_docs.node(*same), Mapping) else new_spot
            value = self.new_docs.node(*source)
            if not isinstance(value, Mapping):
                return False
            siblings = resolve_pointer(self.old_docs.doc(file), _pointer(parent))
            if d.element == "parameter":
                old_param = self.old_docs.node(file, pointer)
                if not isinstance(old_param, Mapping) or old_param.get("in") == "path":
                    return False  # a path parameter is part of the path: no second one beside it
                names = {p.get("name") for p in siblings if isinstance(p, Mapping)} if isinstance(
                    siblings, list) else set()
                replacement = _fresh(str(old_param.get("name")), names)
                value = {**value, "name": replacement, "required": False}
                target = _pointer([*parent, "-"])
            else:
                replacement = _fresh(name, set(siblings) if isinstance(siblings, Mapping) else set())
                target = _pointer([*parent, replacement])
        if value is MISSING:
            return False
        d.suggested_name = not renamed
        add = Edit(file=file, op="set", target=target, value=value)
        note = f"Deprecated: use `{replacement}` instead. Removal after {dates.sunset.isoformat()}."
        mark, seen = self.mark(file, pointer, dates, note=note)
        d.recognised = seen
        d.replacement = replacement if d.element == "operation" else _qualified(change.subject, name, replacement)
        d.marker = self.marker_text(dates) + ", and a description that names the replacement"
        d.edits = [add, *self.missing_refs(value, file, source[0]), *([mark] if mark else [])]
        if len(d.edits) > 1 + (1 if mark else 0):
            refs = ", ".join(f"`{e.target}`" for e in d.edits[1:-1 if mark else None])
            d.expand_steps.append(f"Also add what the new {d.element} refers to: {refs}.")
        if d.element == "operation":
            d.successor = self.operation_url(str(renamed))
        d.expand_snippets = self.snippets(d.edits)
        return True

    def plan_required_later(self, change: Change, d: _Design, old_spot: tuple[str, str] | None,
                            new_spot: tuple[str, str] | None, dates: _Dates) -> bool:
        if "-added-" in change.id:
            if new_spot is None:
                return False
            value = self.new_docs.node(*new_spot)
            counterpart = self.old_counterpart(*new_spot)
            if counterpart is None or not isinstance(value, Mapping):
                return False
            file, pointer = counterpart
            tokens = _tokens(pointer)
            if self.old_docs.node(file, _pointer(tokens[:-1 if d.element != "parameter" else -2])) is MISSING:
                return False
            if d.element == "parameter":
                if value.get("in") == "path":
                    return False
                value = {**value, "required": False}
                target = _pointer([*tokens[:-1], "-"])
            elif d.element == "request body":
                value = {**value, "required": False}
                target = pointer
            else:
                target = pointer
            d.where = self.where(file, _pointer(tokens[:-1])) if d.element != "parameter" else \
                self.where(file, _pointer(tokens[:-2]))
            d.edits = [Edit(file=file, op="set", target=target, value=value),
                       *self.missing_refs(value, file, new_spot[0])]
            d.expand_snippets = self.snippets(d.edits)
        else:
            if old_spot is None:
                return False
            note = f"Becomes required after {dates.sunset.isoformat()}: send it with every request."
            edit = self.describe(old_spot, note)
            d.edits = [edit] if edit else []
            d.expand_snippets = self.snippets(d.edits)
        d.contract_snippets = self.final_state(change, new_spot, d.element)
        return True

    def old_counterpart(self, file: str, pointer: str) -> tuple[str, str] | None:
        """Where the element at ``pointer`` of the new document goes in the old one: below the same
        operation or the same named schema, which may sit in another file or at another path."""
        tokens = _tokens(pointer)
        if len(tokens) >= 3 and tokens[0] in ("paths", "webhooks"):
            op_pointer = _pointer(tokens[:3])
            new_op = next((o for o in self.new.operations.values()
                           if o.location.file == file and o.location.pointer == op_pointer), None)
            old_op = self.old.operations.get(new_op.key) if new_op is not None else None
            if old_op is None or old_op.location.pointer is None:
                return None
            return old_op.location.file, old_op.location.pointer + pointer[len(op_pointer):]
        name = _schema_at(self.new, file, pointer)
        old_schema = self.old.schemas.get(name) if name is not None else None
        new_schema = self.new.schemas.get(name) if name is not None else None
        if old_schema is None or new_schema is None or old_schema.location.pointer is None \
                or new_schema.location.pointer is None:
            return None  # e.g. a shared parameter in components: where it is used is not known here
        return old_schema.location.file, old_schema.location.pointer + pointer[len(new_schema.location.pointer):]

    def plan_announcement(self, change: Change, d: _Design, old_spot: tuple[str, str] | None,
                          new_spot: tuple[str, str] | None, dates: _Dates) -> None:
        if old_spot is not None:
            note = f"Changes after {dates.sunset.isoformat()}: {change.message}."
            edit = self.describe(old_spot, note)
            if edit is not None:
                d.edits = [edit]
                d.expand_snippets = self.snippets(d.edits)
        d.contract_snippets = self.final_state(change, new_spot, d.element)

    def describe(self, spot: tuple[str, str], note: str) -> Edit | None:
        """An edit that appends ``note`` to the description of the element (or of the parameter,
        response or request body that holds a schema)."""
        file, pointer = spot
        tokens = _tokens(pointer)
        if tokens[-1:] == ["schema"] and len(tokens) >= 3 and tokens[-3] == "parameters":
            tokens = tokens[:-1]
        elif tokens[-1:] == ["schema"] and len(tokens) >= 4 and tokens[-3] == "content":
            tokens = tokens[:-3]
        elif len(tokens) >= 3 and tokens[-2] == "content":  # a media type object has no description
            tokens = tokens[:-2]
        target = _pointer(tokens)
        node = self.old_docs.node(file, target)
        if not isinstance(node, Mapping) or "$ref" in node:
            return None
        return Edit(file=file, op="merge", target=target, value={"description": _append_text(node.get("description"),
                                                                                              note)})

    def final_state(self, change: Change, new_spot: tuple[str, str] | None, element: str) -> list[Snippet]:
        if new_spot is None:
            return []
        file, pointer = new_spot
        if change.id in ("property-added-required", "property-became-required"):
            pointer = _pointer([*_tokens(pointer)[:-2], "required"])
        value = self.new_docs.node(file, pointer)
        if value is MISSING:
            return []
        return [self.snippet(file, pointer, value, self.new_docs, "The new definition, to apply after the sunset")]

    # the snippets
    def snippets(self, edits: Sequence[Edit]) -> list[Snippet]:
        out = []
        for e in edits:
            if e.op == "merge":
                node = self.old_docs.node(e.file, e.target)
                full = {**node, **e.value} if isinstance(node, Mapping) else dict(e.value)
                caption = "Add these keys" if len(e.value) > 1 else "Add this key"
                out.append(self.snippet(e.file, e.target, full, self.old_docs, f"{caption} to the old document",
                                        only=set(e.value)))
            else:
                exists = self.old_docs.node(e.file, e.target) is not MISSING
                out.append(self.snippet(e.file, e.target, e.value, self.old_docs,
                                        "Replace the element in the old document with" if exists else
                                        "Add to the old document"))
        return out

    def snippet(self, file: str, pointer: str, value: Any, docs: _Docs, caption: str,
                only: set[str] | None = None) -> Snippet:
        tokens = _tokens(pointer)
        key = tokens[-1] if tokens else ""
        line_pointer = pointer if docs.node(file, pointer) is not MISSING else _pointer(tokens[:-1])
        line = docs.line(file, line_pointer)
        shown = value
        if only is not None and isinstance(value, Mapping) and len(_dump({key: value}, False).splitlines()) > 12:
            shown = {k: v for k, v in value.items() if k in only}
            caption += " (the other keys stay as they are)"
        if docs.is_json(file):
            code = json.dumps([shown] if key == "-" or key.isdigit() else {key: shown}, indent=2, ensure_ascii=False)
            language = "json"
        else:
            code = _dump([shown] if key == "-" or key.isdigit() else {key: shown}, True)
            language = "yaml"
        where = f"`{pointer}`" if line_pointer == pointer else f"`{pointer}` (under `{line_pointer or '/'}`)"
        at = f" line {line}" if line else ""
        return Snippet(language=language, code=code.rstrip("\n"), caption=f"{caption}: `{file}`{at}, at {where}",
                       file=file, target=pointer, line=line)

    def missing_refs(self, value: Any, file: str, new_file: str) -> list[Edit]:
        """Edits that copy the local ``$ref`` targets ``value`` (from ``new_file``) needs and the old
        document ``file`` lacks."""
        out: list[Edit] = []
        seen: set[str] = set()
        stack = [value]
        while stack:
            node = stack.pop()
            if isinstance(node, Mapping):
                ref = node.get("$ref")
                if isinstance(ref, str) and ref.startswith("#/") and ref not in seen:
                    seen.add(ref)
                    pointer = ref[1:]
                    if self.old_docs.node(file, pointer) is MISSING:
                        target = self.new_docs.node(new_file, pointer)
                        if target is not MISSING:
                            out.append(Edit(file=file, op="set", target=pointer, value=target))
                            stack.append(target)
                stack.extend(v for k, v in node.items() if k != "$ref")
            elif isinstance(node, list):
                stack.extend(node)
        return sorted(out, key=lambda e: e.target)

    # the traffic
    def operations(self, change: Change, spot: tuple[str, str] | None) -> tuple[str, ...]:
        if spot is None:
            return ()
        file, pointer = spot
        tokens = _tokens(pointer)
        apis = (self.old, self.new) if change.old_location is not None else (self.new,)
        for api in apis:
            if len(tokens) >= 3 and tokens[0] in ("paths", "webhooks"):
                op_pointer = _pointer(tokens[:3])
                for op in api.operations.values():
                    if op.location.pointer == op_pointer and op.location.file == file:
                        return (_op_label(op),)
            name = _schema_at(api, file, pointer)
            if name is not None:
                traffic = self.traffic.get(id(api))
                if traffic is None:
                    traffic = self.traffic[id(api)] = _Traffic(api)
                return tuple(sorted(_op_label(op) for op in traffic.users(name, change.direction)))
        return ()

    def headers_where(self, change: Change, d: _Design) -> str:
        ops = ", ".join(f"`{o}`" for o in d.operations) or "the operations that use it"
        uses = _staged_requests(change, d)
        return f"responses to requests to {ops} {uses}" if uses else f"every response of {ops}"

    def operation_url(self, subject: str) -> str:
        method, _, path = subject.partition(" ")
        op = next((o for o in self.new.operations.values() if o.method.upper() == method.upper() and o.path == path),
                  None)
        base = op.servers[0].rstrip("/") if op is not None and op.servers else ""
        return base + path


def _qualified(subject: str, old_name: str, new_name: str) -> str:
    """``Pet.tagV2`` for ``Pet.tag``: the subject with its last name replaced."""
    return subject[: -len(old_name)] + new_name if old_name and subject.endswith(old_name) else new_name


def _fresh(name: str, taken: set[Any]) -> str:
    candidate, n = f"{name}V2", 2
    while candidate in taken:
        n += 1
        candidate = f"{name}V{n}"
    return candidate


def _dump(value: Any, yaml_style: bool) -> str:
    import yaml

    return str(yaml.safe_dump(value, sort_keys=False, allow_unicode=True, default_flow_style=False,
                              width=1_000_000))


def _op_label(op: Operation) -> str:
    return f"{op.method.upper()} {op.path}" if not op.webhook else f"webhook {op.key}"


def _schema_at(api: Api, file: str, pointer: str) -> str | None:
    best: tuple[int, str] | None = None
    for name, schema in api.schemas.items():
        loc = schema.location
        inside = loc.pointer is not None and (pointer == loc.pointer or pointer.startswith(loc.pointer + "/"))
        if inside and loc.file == file and loc.pointer is not None and (best is None or len(loc.pointer) > best[0]):
            best = (len(loc.pointer), name)
    return best[1] if best else None


def _refs(schema: Schema | None) -> set[str]:
    """Named schemas that ``schema`` refers to directly (through inline parts, not through refs)."""
    out: set[str] = set()
    stack = [schema] if schema is not None else []
    while stack:
        s = stack.pop()
        if s.ref is not None:
            out.add(s.ref)
            continue
        stack.extend(s.properties.values())
        stack.extend(x for x in (s.items, s.not_) if x is not None)
        if isinstance(s.additional, Schema):
            stack.append(s.additional)
        stack.extend((*s.one_of, *s.any_of, *s.all_of))
    return out


class _Traffic:
    """Which operations use which named schemas, computed once per API."""

    def __init__(self, api: Api) -> None:
        self.referrers: dict[str, set[str]] = {}
        for other, schema in api.schemas.items():
            for ref in _refs(schema):
                self.referrers.setdefault(ref, set()).add(other)
        self.ops: list[tuple[Operation, set[str], set[str]]] = []
        for op in api.operations.values():
            request: set[str] = set()
            for p in op.parameters.values():
                request |= _refs(p.schema)
            for m in (op.body.content.values() if op.body else ()):
                request |= _refs(m.schema)
            response: set[str] = set()
            for r in op.responses.values():
                for m in r.content.values():
                    response |= _refs(m.schema)
                for h in r.headers.values():
                    response |= _refs(h.schema)
            if op.webhook:  # a webhook's request is what the API sends
                request, response = response, request
            self.ops.append((op, request, response))

    def users(self, name: str, direction: Direction) -> list[Operation]:
        """Operations whose requests (input) or responses (output) reach the named schema."""
        reach = {name}
        stack = [name]
        while stack:
            for user in self.referrers.get(stack.pop(), ()):
                if user not in reach:
                    reach.add(user)
                    stack.append(user)
        out = []
        for op, request, response in self.ops:
            wanted = (request if direction is not Direction.OUTPUT else set()) | \
                     (response if direction is not Direction.INPUT else set())
            if wanted & reach:
                out.append(op)
        return out


# -- GraphQL ------------------------------------------------------------------------------------------

_COORDINATE = re.compile(r"^(?P<type>[_A-Za-z]\w*)(?:\.(?P<member>[_A-Za-z]\w*)(?:\((?P<arg>[_A-Za-z]\w*):\))?)?$")
_ELEMENTS = {"field": "field", "argument": "argument", "input-field": "input field", "enum-value": "enum value",
             "type": "type"}

GraphQLElement = TypeDef | Field | InputValue | EnumValue


def graphql_element(api: Api, coordinate: str) -> GraphQLElement | None:
    """The element a schema coordinate names (``Type``, ``Type.field``, ``Type.field(arg:)``)."""
    m = _COORDINATE.match(coordinate)
    if m is None:
        return None
    t = api.types.get(m["type"])
    if t is None or m["member"] is None:
        return t
    member = m["member"]
    if t.kind is TypeKind.ENUM:
        return t.values.get(member)
    if t.kind is TypeKind.INPUT_OBJECT:
        return t.input_fields.get(member)
    f = t.fields.get(member)
    if f is None or m["arg"] is None:
        return f
    return f.args.get(m["arg"])


def _graphql_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid GraphQL string


def deprecated_directive(reason: str) -> str:
    return f"@deprecated(reason: {_graphql_string(reason)})"


def _is_required(value: InputValue) -> bool:
    return value.type.non_null and value.default is None


def _sdl_input(value: InputValue, *, name: str | None = None, nullable: bool = False,
               directive: str | None = None) -> str:
    type_ = value.type.unwrap() if nullable and value.type.non_null else value.type
    text = f"{name or value.name}: {type_}"
    if value.default is not None:
        text += f" = {value.default}"
    for applied in value.applied.values():
        text += f" {applied}"
    if directive:
        text += f" {directive}"
    elif value.deprecation is not None:
        text += " " + deprecated_directive(value.deprecation.reason or "No longer supported")
    return text


def _sdl_field(f: Field, *, name: str | None = None, directive: str | None = None,
               arg_directives: Mapping[str, str] | None = None, extra_args: Sequence[str] = ()) -> str:
    arg_directives = arg_directives or {}
    args = [_sdl_input(a, directive=arg_directives.get(a.name), nullable=a.name in arg_directives)
            for a in f.args.values()]
    args += extra_args
    text = f"{name or f.name}({', '.join(args)}): {f.type}" if args else f"{name or f.name}: {f.type}"
    for applied in f.applied.values():
        text += f" {applied}"
    if directive:
        text += f" {directive}"
    elif f.deprecation is not None:
        text += " " + deprecated_directive(f.deprecation.reason or "No longer supported")
    return text


def _sdl_enum_value(v: EnumValue, directive: str | None = None) -> str:
    text = v.name + "".join(f" {a}" for a in v.applied.values())
    if directive:
        text += f" {directive}"
    elif v.deprecation is not None:
        text += " " + deprecated_directive(v.deprecation.reason or "No longer supported")
    return text


_KEYWORDS = {TypeKind.OBJECT: "type", TypeKind.INTERFACE: "interface", TypeKind.INPUT_OBJECT: "input",
             TypeKind.ENUM: "enum", TypeKind.UNION: "union", TypeKind.SCALAR: "scalar"}


def sdl_type(t: TypeDef) -> str:
    """SDL for a type of the model (descriptions and applied directives included)."""
    lines = [f'"""{t.description}"""'] if t.description and '"""' not in t.description else []
    head = f"{_KEYWORDS[t.kind]} {t.name}"
    if t.interfaces:
        head += " implements " + " & ".join(t.interfaces)
    head += "".join(f" {a}" for a in t.applied.values())
    if t.one_of:
        head += " @oneOf"
    if t.specified_by:
        head += f" @specifiedBy(url: {_graphql_string(t.specified_by)})"
    if t.kind is TypeKind.SCALAR:
        return "\n".join([*lines, head])
    if t.kind is TypeKind.UNION:
        return "\n".join([*lines, f"{head} = {' | '.join(t.members)}"])
    if t.kind is TypeKind.ENUM:
        body = [_sdl_enum_value(v) for v in t.values.values()]
    elif t.kind is TypeKind.INPUT_OBJECT:
        body = [_sdl_input(v) for v in t.input_fields.values()]
    else:
        body = [_sdl_field(f) for f in t.fields.values()]
    return "\n".join([*lines, head + " {", *(f"  {b}" for b in body), "}"])


def _type_refs(t: TypeDef) -> list[str]:
    refs = [f.type.name for f in t.fields.values()]
    refs += [a.type.name for f in t.fields.values() for a in f.args.values()]
    refs += [v.type.name for v in t.input_fields.values()]
    refs += [*t.members, *t.interfaces]
    return refs


class _GraphQLPlanner:
    def __init__(self, old: Api, new: Api, report: Report) -> None:
        self.old, self.new, self.report = old, new, report
        self.referrers: dict[int, dict[str, set[str]]] = {}

    def prefetch(self, changes: Sequence[Change]) -> None:
        pass  # GraphQL locations carry their lines

    def existing(self, change: Change) -> Deprecation | None:
        element = graphql_element(self.old, change.subject)
        return getattr(element, "deprecation", None) if element is not None else None

    @staticmethod
    def element_kind(change: Change) -> str:
        rule = _rule(change.id)
        kind = rule.kind if rule is not None else ""
        if kind == "type" or (kind == "" and "." not in change.subject):
            return "type"
        return _ELEMENTS.get(kind, kind.replace("-", " ") or "element")

    def where(self, loc: Location | None, coordinate: str) -> str:
        if loc is None:
            return "n/a"
        at = f" line {loc.line}" if loc.line else ""
        return f"`{loc.file}`{at}, at `{coordinate}`"

    def reason(self, replacement: str | None, dates: _Dates, existing: Deprecation | None) -> str:
        when = f"Removal after {dates.sunset.isoformat()}."
        if replacement:
            return f"Use `{replacement}`. {when}"
        if existing is not None and existing.reason:
            return f"{existing.reason.rstrip()} {when}"
        return f"No longer supported. {when}"

    def design(self, change: Change, strategy: str, dates: _Dates) -> _Design:
        element = self.element_kind(change)
        loc = change.old_location or change.new_location
        d = _Design(strategy=strategy, element=element,
                    where=self.where(change.old_location, change.subject) if change.old_location else
                    f"{self.where(change.new_location, change.subject)} in the new document")
        d.operations = self.operations(change.subject, self.old if change.old_location else self.new)
        owner = self.old.types.get(change.subject.split(".", 1)[0].split("(", 1)[0])
        file = owner.location.file if owner is not None else (loc.file if loc and change.old_location
                                                              else self.old.source)
        old_element = graphql_element(self.old, change.subject)
        if strategy == "deprecate-then-remove" and old_element is not None:
            self.plan_removal(change, d, file, old_element, dates)
        elif strategy == "add-new-then-remove-old" and old_element is not None and self.plan_replacement(
                change, d, file, old_element, dates):
            pass
        elif strategy == "optional-then-required":
            self.plan_required_later(change, d, file)
        else:
            d.strategy = "announce-then-apply"
            d.contract_snippets = self.final_state(change)
        d.expand_snippets = self.snippets(d.edits, d)
        d.headers_where = self.headers_where(change, d)
        return d

    def deprecate(self, file: str, coordinate: str, element: GraphQLElement, reason: str, d: _Design) -> None:
        existing = getattr(element, "deprecation", None)
        if existing is not None and existing.sunset is not None and existing.reason and not d.replacement:
            return  # already deprecated with a removal date
        owner = self.old.types.get(coordinate.split(".", 1)[0])
        file = owner.location.file if owner is not None else file  # a folder of SDL files: the type's own file
        d.edits.append(Edit(file=file, op="deprecate", target=coordinate, value=deprecated_directive(reason)))
        d.marker = _code(deprecated_directive(reason))
        if isinstance(element, InputValue) and _is_required(element):
            d.expand_steps.append(f"Make `{coordinate}` nullable as well: GraphQL does not allow deprecating a "
                                  "required argument or input field (making it nullable is safe).")

    def plan_removal(self, change: Change, d: _Design, file: str, element: GraphQLElement, dates: _Dates) -> None:
        reason = self.reason(None, dates, getattr(element, "deprecation", None))
        if isinstance(element, TypeDef):
            users = self.type_users(element.name)
            for coordinate, user in users:
                self.deprecate(file, coordinate, user, reason, d)
            d.marker = (f"a type cannot carry `@deprecated`; deprecate what uses it instead: {_code(reason)}"
                        if users else "")
            d.recognised = False
            d.expand_steps.append("A GraphQL type cannot be deprecated itself: the fields, arguments and input "
                                  "fields that use it are deprecated instead." if users else
                                  "No field, argument or input field uses this type: removing it affects only "
                                  "clients that name it in fragments.")
            return
        self.deprecate(file, change.subject, element, reason, d)

    def plan_replacement(self, change: Change, d: _Design, file: str, element: GraphQLElement,
                         dates: _Dates) -> bool:
        if isinstance(element, (TypeDef, EnumValue)):
            return False
        m = _COORDINATE.match(change.subject)
        assert m is not None
        renamed = change.args.get("renamed_to")
        new_element = graphql_element(self.new, str(renamed) if renamed else change.subject)
        if new_element is None or isinstance(new_element, (TypeDef, EnumValue)):
            return False
        if renamed:
            rm = _COORDINATE.match(str(renamed))
            assert rm is not None
            new_name = rm["arg"] or rm["member"]
        else:
            owner = self.old.types[m["type"]]
            taken = set(owner.fields) | set(owner.input_fields)
            if m["arg"]:
                taken = set(owner.fields[m["member"]].args)
            new_name = _fresh(element.name, taken)
            d.suggested_name = True
        d.replacement = f"{m['type']}.{m['member']}({new_name}:)" if m["arg"] else f"{m['type']}.{new_name}"
        if m["arg"]:
            assert isinstance(new_element, InputValue)
            text = _sdl_input(new_element, name=new_name, nullable=True)
            self.add(file, "add-argument", f"{m['type']}.{m['member']}", text, d)
        elif isinstance(new_element, Field):
            self.add(file, "add-field", m["type"], _sdl_field(new_element, name=new_name), d)
        else:
            assert isinstance(new_element, InputValue)
            self.add(file, "add-field", m["type"], _sdl_input(new_element, name=new_name, nullable=True), d)
        self.add_missing_types(file, new_element, d)
        self.deprecate(file, change.subject, element, self.reason(new_name, dates, None), d)
        # the additions come first in the text, the deprecation first in the list: order them for reading
        d.edits.sort(key=lambda e: {"deprecate": 0, "add-argument": 1, "add-field": 1}.get(e.op, 2))
        return True

    def add(self, file: str, op: str, target: str, text: str, d: _Design) -> None:
        d.edits.append(Edit(file=file, op=op, target=target, value=text))

    def add_missing_types(self, file: str, element: Field | InputValue, d: _Design) -> None:
        wanted = [element.type.name] + ([a.type.name for a in element.args.values()]
                                        if isinstance(element, Field) else [])
        seen: set[str] = set()
        added = []
        while wanted:
            name = wanted.pop(0)
            if name in seen or name in self.old.types or name in _BUILTIN_SCALARS:
                continue
            seen.add(name)
            t = self.new.types.get(name)
            if t is None:
                continue
            added.append(name)
            self.add(file, "add-definition", name, sdl_type(t), d)
            wanted.extend(_type_refs(t))
        if added:
            d.expand_steps.append("Also add the types it needs, which the old schema lacks: "
                                  + ", ".join(f"`{n}`" for n in added) + ".")

    def plan_required_later(self, change: Change, d: _Design, file: str) -> None:
        if "-added-" in change.id:
            m = _COORDINATE.match(change.subject)
            new_element = graphql_element(self.new, change.subject)
            if m is not None and isinstance(new_element, InputValue):
                text = _sdl_input(new_element, nullable=True)
                if m["arg"]:
                    self.add(file, "add-argument", f"{m['type']}.{m['member']}", text, d)
                else:
                    self.add(file, "add-field", m["type"], text, d)
                d.where = f"`{file}`, in `{m['type']}`" + (f".`{m['member']}`" if m["arg"] else "")
        d.contract_snippets = self.final_state(change)

    def final_state(self, change: Change) -> list[Snippet]:
        m = _COORDINATE.match(change.subject)
        element = graphql_element(self.new, change.subject)
        if m is None or element is None or isinstance(element, TypeDef):
            return []
        owner = self.new.types[m["type"]]
        if isinstance(element, Field):
            line = _sdl_field(element)
        elif isinstance(element, EnumValue):
            line = _sdl_enum_value(element)
        elif m["arg"]:
            line = _sdl_field(owner.fields[m["member"]])
        else:
            line = _sdl_input(element)
        loc = change.new_location
        return [Snippet(language="graphql", code=_in_type(owner, [line]),
                        caption="The new definition, to apply after the sunset" + (
                            f": `{loc.file}` line {loc.line}" if loc and loc.line else ""),
                        file=loc.file if loc else None, target=change.subject, line=loc.line if loc else None)]

    def snippets(self, edits: Sequence[Edit], d: _Design) -> list[Snippet]:
        """The expand edits as SDL, one snippet per type (in the context of that type)."""
        by_type: dict[str, dict[str, Any]] = {}
        out = []
        for e in edits:
            if e.op == "add-definition":
                continue
            m = _COORDINATE.match(e.target)
            assert m is not None
            entry = by_type.setdefault(m["type"], {"deprecate": {}, "args": {}, "fields": []})
            if e.op == "deprecate":
                entry["deprecate"][(m["member"], m["arg"])] = e.value
            elif e.op == "add-argument":
                entry["args"].setdefault(m["member"], []).append(e.value)
            else:
                entry["fields"].append(e.value)
        for type_name, entry in by_type.items():
            t = self.old.types.get(type_name)
            if t is None:
                continue
            lines = []
            members: Iterable[str] = (t.values if t.kind is TypeKind.ENUM else
                                      t.input_fields if t.kind is TypeKind.INPUT_OBJECT else t.fields)
            for name in members:
                directive = entry["deprecate"].get((name, None))
                arg_directives = {arg: v for (member, arg), v in entry["deprecate"].items()
                                  if member == name and arg is not None}
                extra = entry["args"].get(name, [])
                if directive is None and not arg_directives and not extra:
                    continue
                if t.kind is TypeKind.ENUM:
                    lines.append(_sdl_enum_value(t.values[name], directive))
                elif t.kind is TypeKind.INPUT_OBJECT:
                    value = t.input_fields[name]
                    lines.append(_sdl_input(value, directive=directive, nullable=directive is not None))
                else:
                    lines.append(_sdl_field(t.fields[name], directive=directive, arg_directives=arg_directives,
                                            extra_args=extra))
            lines += entry["fields"]
            loc = t.location
            out.append(Snippet(language="graphql", code=_in_type(t, lines, elided=len(lines) < _count(t)),
                               caption=f"In the old schema: `{loc.file}` line {loc.line}, type `{type_name}`",
                               file=loc.file, target=type_name, line=loc.line))
        for e in edits:
            if e.op == "add-definition":
                out.append(Snippet(language="graphql", code=str(e.value),
                                   caption=f"Add to the old schema (`{e.file}`): type `{e.target}`", file=e.file,
                                   target=e.target))
        return out

    # the traffic
    def type_users(self, name: str) -> list[tuple[str, GraphQLElement]]:
        out: list[tuple[str, GraphQLElement]] = []
        for t in self.old.types.values():
            for f in t.fields.values():
                if f.type.name == name:
                    out.append((f"{t.name}.{f.name}", f))
                out += [(f"{t.name}.{f.name}({a.name}:)", a) for a in f.args.values() if a.type.name == name]
            out += [(f"{t.name}.{v.name}", v) for v in t.input_fields.values() if v.type.name == name]
        return sorted(out, key=lambda x: x[0])

    def operations(self, subject: str, api: Api) -> tuple[str, ...]:
        """The root fields (``Query.book``) whose requests or responses reach the element."""
        m = _COORDINATE.match(subject)
        if m is None:
            return ()
        roots = {r.target for r in api.roots.values() if r.target}
        if m["type"] in roots and m["member"]:
            return (f"{m['type']}.{m['member']}",)
        users = self.referrers.get(id(api))
        if users is None:
            users = self.referrers[id(api)] = {}
            for t in api.types.values():
                for ref in _type_refs(t):
                    users.setdefault(ref, set()).add(t.name)
                for iface in t.interfaces:  # reaching the interface reaches its implementations
                    users.setdefault(t.name, set()).add(iface)
        reach = {m["type"]}
        stack = [m["type"]]
        while stack:
            for user in users.get(stack.pop(), ()):
                if user not in reach:
                    reach.add(user)
                    stack.append(user)
        out = []
        for root in sorted(roots):
            root_type = api.types.get(root)
            for f in root_type.fields.values() if root_type else ():
                if f.type.name in reach or any(a.type.name in reach for a in f.args.values()):
                    out.append(f"{root}.{f.name}")
        return tuple(out)

    def headers_where(self, change: Change, d: _Design) -> str:
        uses = _staged_requests(change, d)
        if uses:
            pass
        elif d.element == "enum value":
            uses = f"that can send or receive `{change.subject}`"
        elif change.direction is Direction.INPUT:
            uses = f"that pass `{change.subject}`"
        else:
            uses = f"that select `{change.subject}`"
        ops = ", ".join(f"`{o}`" for o in d.operations)
        d.migrate_steps.append("GraphQL serves every operation on one endpoint, which is not itself deprecated: "
                               "send the headers only on those responses (check the request in the resolver, or "
                               "with a validation rule)"
                               + (f"; the operations that can reach `{change.subject}`: {ops}." if ops else "."))
        return f"responses to requests {uses}"


def _staged_requests(change: Change, d: _Design) -> str | None:
    """Which requests get the headers when only some requests are affected (a new requirement on
    input, a narrowed input); None when every response that can carry the element is."""
    if d.strategy == "optional-then-required":
        return f"that omit `{change.subject}`"
    if d.strategy == "announce-then-apply" and change.direction is Direction.INPUT:
        return "that the new definition would reject"
    return None


def _code(text: str) -> str:
    """Inline Markdown code for ``text``, which may hold backticks itself."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _count(t: TypeDef) -> int:
    return len(t.values) + len(t.input_fields) + len(t.fields)


def _in_type(t: TypeDef, lines: Sequence[str], elided: bool = True) -> str:
    keyword = _KEYWORDS[t.kind]
    body = (["  # … the other members stay as they are"] if elided else []) + [f"  {line}" for line in lines]
    return "\n".join([f"{keyword} {t.name} {{", *body, "}"])


# -- applying the expand phase -------------------------------------------------------------------------


def apply_expand(old_text: str, item: PlanItem, *, file: str | None = None) -> str:
    """The old document's text with the expand phase's edits applied (those for ``file`` only,
    when given). OpenAPI YAML comes back re-serialised (comments and key quoting are not kept;
    JSON stays JSON); GraphQL SDL is edited in place."""
    edits = [e for e in item.edits if file is None or e.file == file]
    if item.kind == "graphql":
        return _apply_graphql(old_text, edits)
    return _apply_openapi(old_text, edits)


def _apply_openapi(text: str, edits: Sequence[Edit]) -> str:
    import copy

    from apidiff.core._yaml import parse_document

    doc = parse_document(text, "<old>")
    for e in edits:
        tokens = _tokens(e.target)
        if e.op == "merge":
            node = resolve_pointer(doc, e.target)
            if not isinstance(node, dict):
                raise ValueError(f"no mapping at {e.target} to merge into")
            node.update(copy.deepcopy(e.value))
        elif e.op == "set":
            parent: Any = doc
            for i, token in enumerate(tokens[:-1]):
                if isinstance(parent, list):
                    parent = parent[int(token)]
                    continue
                if token not in parent:
                    parent[token] = [] if tokens[i + 1] == "-" else {}
                parent = parent[token]
            last = tokens[-1]
            if isinstance(parent, list):
                if last == "-":
                    parent.append(copy.deepcopy(e.value))
                else:
                    parent[int(last)] = copy.deepcopy(e.value)
            else:
                parent[last] = copy.deepcopy(e.value)
        else:
            raise ValueError(f"unknown OpenAPI edit {e.op!r}")
    if text.lstrip()[:1] in ("{", "["):
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    return _dump(doc, True)


def _apply_graphql(text: str, edits: Sequence[Edit]) -> str:
    from graphql import parse
    from graphql.language import ast

    document = parse(text)
    patches: list[tuple[int, int, str, int]] = []

    def definition(name: str, with_members: bool = False) -> Any:
        found = [d for d in document.definitions
                 if isinstance(d, (ast.TypeDefinitionNode, ast.TypeExtensionNode)) and d.name.value == name]
        if with_members:
            found = [d for d in found if getattr(d, "fields", None) or getattr(d, "values", None)] or found
        if not found:
            raise ValueError(f"type {name} is not in this document")
        return found[0]

    def member(coordinate: str) -> Any:
        m = _COORDINATE.match(coordinate)
        if m is None or m["member"] is None:
            raise ValueError(f"not a member coordinate: {coordinate}")
        for d in document.definitions:
            if not isinstance(d, (ast.TypeDefinitionNode, ast.TypeExtensionNode)) or d.name.value != m["type"]:
                continue
            for node in (getattr(d, "fields", None) or getattr(d, "values", None) or ()):
                if node.name.value != m["member"]:
                    continue
                if m["arg"] is None:
                    return node
                for arg in node.arguments or ():
                    if arg.name.value == m["arg"]:
                        return arg
        raise ValueError(f"{coordinate} is not in this document")

    for seq, e in enumerate(edits):
        value = str(e.value)
        if e.op == "add-definition":
            patches.append((len(text), len(text), "\n" + value + "\n", seq))
        elif e.op == "deprecate":
            node = member(e.target)
            old = next((d for d in node.directives or () if d.name.value == "deprecated"), None)
            if old is not None:
                patches.append((old.loc.start, old.loc.end, value, seq))
            else:
                patches.append((node.loc.end, node.loc.end, " " + value, seq))
            if (isinstance(node, ast.InputValueDefinitionNode) and isinstance(node.type, ast.NonNullTypeNode)
                    and node.default_value is None):
                outer, inner = node.type.loc, node.type.type.loc
                assert outer is not None and inner is not None
                patches.append((outer.start, outer.end, text[inner.start:inner.end], seq))
        elif e.op == "add-field":
            d = definition(e.target, with_members=True)
            members = getattr(d, "fields", None) or getattr(d, "values", None) or ()
            if members:
                last = members[-1]
                line_start = text.rfind("\n", 0, last.loc.start) + 1
                indent = text[line_start:last.loc.start]
                indent = indent if indent.strip() == "" else "  "
                patches.append((last.loc.end, last.loc.end, "\n" + indent + value, seq))
            else:
                patches.append((d.loc.end, d.loc.end, " {\n  " + value + "\n}", seq))
        elif e.op == "add-argument":
            node = member(e.target)
            if node.arguments:
                end = node.arguments[-1].loc.end
                patches.append((end, end, ", " + value, seq))
            else:
                patches.append((node.name.loc.end, node.name.loc.end, f"({value})", seq))
        else:
            raise ValueError(f"unknown GraphQL edit {e.op!r}")
    out = []
    pos = 0
    for start, end, replacement, _ in sorted(patches, key=lambda p: (p[0], p[3])):
        if start < pos:
            raise ValueError("overlapping edits")
        out += [text[pos:start], replacement]
        pos = end
    out.append(text[pos:])
    return "".join(out)


# -- rendering -----------------------------------------------------------------------------------------


def render_json(plan: Plan, *, indent: int | None = 2) -> str:
    """The plan as JSON (keys documented in the module docstring)."""
    return json.dumps(plan.to_dict(), indent=indent, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _fence(snippet: Snippet) -> list[str]:
    ticks = "````" if "```" in snippet.code else "```"
    return [f"{snippet.caption}:", "", f"{ticks}{snippet.language}", snippet.code, ticks, ""]


def render_markdown(plan: Plan) -> str:
    """The plan as Markdown: a summary table, then each change's three phases."""
    lines = [
        "# Deprecation plan",
        "",
        f"`{plan.old.source}` → `{plan.new.source}` ({plan.new.kind})",
        "",
        f"Deprecation on {plan.deprecation_date.isoformat()}, sunset on {plan.sunset_date.isoformat()} "
        f"({plan.sunset_days} days later). Each change is staged in three phases: **expand** (add the new beside "
        "the old, or mark the old deprecated), **migrate** (serve both while consumers move) and **contract** "
        "(remove or apply after the sunset).",
        "",
    ]
    lines += [f"> **Warning**: {w}\n" for w in plan.warnings]
    if not plan.items:
        lines += ["No change needs a staged rollout.", ""]
    else:
        lines += ["| # | change | rule | strategy | sunset |", "|---:|---|---|---|---|"]
        for n, item in enumerate(plan.items, 1):
            lines.append(f"| {n} | `{_cell(item.change.subject)}` | `{item.change.id}` | "
                         f"{STRATEGIES[item.strategy]} | {item.sunset_date.isoformat()} |")
        lines.append("")
    for n, item in enumerate(plan.items, 1):
        c = item.change
        lines += [f"## {n}. `{c.subject}`", "",
                  f"{c.message} (`{c.id}`, {c.severity.value}, {c.direction.value}).", ""]
        facts = [f"Strategy: {STRATEGIES[item.strategy]} (`{item.strategy}`)."]
        if item.replacement:
            facts.append(f"Replacement: `{item.replacement}`.")
        if item.operations:
            facts.append("Affected: " + ", ".join(f"`{o}`" for o in item.operations) + ".")
        lines += [" ".join(facts), ""]
        titles = {"expand": f"expand, now ({item.deprecation_date.isoformat()})",
                  "migrate": f"migrate, {item.deprecation_date.isoformat()} to {item.sunset_date.isoformat()}",
                  "contract": f"contract, on or after {item.sunset_date.isoformat()}"}
        for i, phase in enumerate(item.phases, 1):
            lines += [f"### {n}.{i} {titles[phase.name]}", ""]
            lines += [f"{k}. {step}" for k, step in enumerate(phase.steps, 1)]
            lines.append("")
            for snippet in phase.snippets:
                lines += _fence(snippet)
            lines += [f"Rollback: {phase.rollback}", ""]
    if plan.completed:
        lines += ["## Already past their sunset", "",
                  "These removals are the contract phase of an earlier deprecation: nothing to stage.", ""]
        lines += [f"- `{c.subject}`: {c.message} (`{c.id}`)" for c in plan.completed]
        lines.append("")
    return "\n".join(lines)


def plan(old: Any, new: Any, *, format: str = "markdown", today: date | None = None, since: date | None = None,
         sunset_days: int = DEFAULT_SUNSET_DAYS, docs_url: str | None = None, **compare_options: Any) -> str:
    """Load both sides, compare them and render the deprecation plan (``markdown`` or ``json``).

    ``compare_options`` go to :func:`apidiff.compare` (``mode``, ``config`` …)."""
    from apidiff.api import compare, load

    if format not in ("markdown", "json"):
        raise ValueError(f"unknown plan format {format!r}; expected markdown or json")
    config = compare_options.get("config")
    sunset_key = getattr(config, "sunset_extension", "x-sunset")
    given = compare_options.get("min_deprecation_days")
    min_days = int(given if given is not None else getattr(config, "min_deprecation_days", 0))
    old_api, new_api = load(old, sunset_extension=sunset_key), load(new, sunset_extension=sunset_key)
    today = today or date.today()
    report = compare(old_api, new_api, today=today, **compare_options)
    result = build_plan(report, old_api, new_api, today=today, since=since, sunset_days=sunset_days,
                        docs_url=docs_url, sunset_extension=sunset_key, min_deprecation_days=min_days)
    return render_json(result) if format == "json" else render_markdown(result)


__all__ = ["Edit", "Phase", "Plan", "PlanItem", "Snippet", "apply_expand", "build_plan", "needs_plan", "plan",
           "render_json", "render_markdown"]
