"""What clients use, and what a comparison breaks for them.

A *usage* is one thing one consumer does: a GraphQL operation (from a ``.graphql`` file, a
persisted-query map or an operation manifest) or an HTTP route seen in traffic (HAR, access
logs). Each usage reader turns its files into :class:`Usage` records and, given the report's
changes and both APIs, into :class:`Impact` records: one per usage that a change touches.
Usages no change touches are counted, not listed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from apidiff.core.change import Change, Severity
from apidiff.core.errors import UsageError
from apidiff.core.sources import Text

UNKNOWN_CONSUMER = "(unknown)"


@dataclass(frozen=True, slots=True)
class UsageFile:
    """One usage file: its text, its kind (named by the format that reads it) and default consumer."""

    text: Text
    kind: str
    consumer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Usage:
    """One operation of one consumer (GraphQL) or one route called by one consumer (HTTP)."""

    kind: str  # "graphql" | "http"
    consumer: str
    operation: str  # GraphQL: the operation's name ("(anonymous)" when it has none); HTTP: "GET /pets/{petId}"
    file: str  # where it was found
    line: int = 0  # 1-based; 0 when unknown
    requests: int = 0  # HTTP: requests observed for this route and consumer


@dataclass(frozen=True, slots=True, kw_only=True)
class Impact:
    """A usage that at least one change touches (or, for GraphQL, that no longer validates)."""

    usage: Usage
    changes: tuple[Change, ...]  # the report's changes this usage touches, in report order
    errors: tuple[str, ...] = ()  # GraphQL: validation errors against the new schema, "line:col message"
    requests: int = 0  # HTTP: how many of the usage's requests the breaking/dangerous changes touch

    @property
    def severity(self) -> Severity:
        """The worst verdict among the touched changes; an operation that no longer validates breaks."""
        worst = max((c.severity for c in self.changes), default=Severity.SAFE)
        return Severity.BREAKING if self.errors else worst

    def to_dict(self) -> dict[str, Any]:
        u = self.usage
        out: dict[str, Any] = {
            "consumer": u.consumer,
            "kind": u.kind,
            "operation": u.operation,
            "file": u.file,
            "line": u.line or None,
            "severity": self.severity.value,
            "changes": sorted({c.id for c in self.changes}),
            "details": [{"id": c.id, "subject": c.subject, "severity": c.severity.value} for c in self.changes],
            "errors": list(self.errors),
        }
        if u.kind == "http":
            out["requests"] = u.requests
            out["affected_requests"] = self.requests
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class ImpactReport:
    """The impact of one comparison on the given usages."""

    usages: int  # how many usages were checked
    impacts: tuple[Impact, ...] = ()
    sources: tuple[str, ...] = field(default=())  # the usage files read
    consumers: Mapping[str, int] = field(default_factory=dict)  # usages per consumer
    notes: tuple[str, ...] = ()  # what the readers could not use (unparsed log lines, unmatched requests)
    unit: str = field(default="usages", compare=False)  # what one usage is, plural: "operations", "routes"

    @property
    def affected(self) -> int:
        return len(self.impacts)

    @property
    def unaffected(self) -> int:
        return self.usages - len(self.impacts)

    def by_consumer(self) -> Mapping[str, Sequence[Impact]]:
        out: dict[str, list[Impact]] = {}
        for impact in self.impacts:
            out.setdefault(impact.usage.consumer, []).append(impact)
        return dict(sorted(out.items()))

    def to_dict(self) -> dict[str, Any]:
        affected: dict[str, int] = {}
        for impact in self.impacts:
            affected[impact.usage.consumer] = affected.get(impact.usage.consumer, 0) + 1
        return {
            "usages": self.usages,
            "affected": self.affected,
            "unaffected": self.unaffected,
            "consumers": {name: {"usages": count, "affected": affected.get(name, 0)}
                          for name, count in sorted(self.consumers.items())},
            "sources": list(self.sources),
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], changes: Sequence[Change]) -> ImpactReport:
        """From a JSON report's ``usage`` and ``impact`` members; ``changes`` are the report's."""
        by_key: dict[tuple[str, str], list[Change]] = {}
        for change in changes:
            by_key.setdefault((change.id, change.subject), []).append(change)
        impacts = []
        for item in data.get("impact") or ():
            usage = Usage(kind=item["kind"], consumer=item["consumer"], operation=item["operation"], file=item["file"],
                          line=item.get("line") or 0, requests=item.get("requests") or 0)
            touched = tuple(dict.fromkeys(c for d in item.get("details") or ()
                                          for c in by_key.get((d["id"], d["subject"]), ())))
            impacts.append(Impact(usage=usage, changes=touched, errors=tuple(item.get("errors") or ()),
                                  requests=item.get("affected_requests") or 0))
        summary = data.get("usage") or {}
        return cls(usages=summary.get("usages", len(impacts)), impacts=tuple(impacts),
                   sources=tuple(summary.get("sources") or ()), notes=tuple(summary.get("notes") or ()),
                   consumers={k: v["usages"] for k, v in (summary.get("consumers") or {}).items()})


def consumer_sections(impact: ImpactReport, consumer: str | None) -> list[tuple[str, int, list[Impact]]]:
    """(consumer, usages, affected usages), consumers in name order; only ``consumer`` when given
    (an error naming the known ones when there is none by that name)."""
    names = sorted(impact.consumers)
    if consumer is not None:
        if consumer not in impact.consumers:
            known = ", ".join(names) or "none"
            raise UsageError(f"no consumer named {consumer!r} in the usage (known: {known})")
        names = [consumer]
    grouped = impact.by_consumer()
    return [(name, impact.consumers[name], list(grouped.get(name, ()))) for name in names]
