"""The vocabulary of verdicts: severities, modes, a rule's hit and the change it becomes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

from apidiff.core.direction import Direction
from apidiff.core.location import Location


class Severity(str, Enum):
    """How a change affects a correct client, ordered: ``max()`` is the stricter verdict."""

    SAFE = "safe"
    DANGEROUS = "dangerous"
    BREAKING = "breaking"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return _RANK[self] < _RANK[other]

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return _RANK[self] <= _RANK[other]

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return _RANK[self] > _RANK[other]

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return _RANK[self] >= _RANK[other]


_RANK = {Severity.SAFE: 0, Severity.DANGEROUS: 1, Severity.BREAKING: 2}


class Mode(str, Enum):
    """Which compatibility ``Change.severity`` reports."""

    BACKWARD = "backward"  # existing clients against the new API
    FORWARD = "forward"  # clients built for the new API against the old one (a rollback)
    FULL = "full"  # the worse of the two

    def pick(self, backward: Severity, forward: Severity) -> Severity:
        if self is Mode.BACKWARD:
            return backward
        if self is Mode.FORWARD:
            return forward
        return max(backward, forward)


SeverityTable = Mapping[Direction, Severity]


def by_direction(table: SeverityTable | Severity, direction: Direction) -> Severity:
    """A verdict for ``direction``; ``both`` and ``none`` take the stricter of input and output."""
    if isinstance(table, Severity):
        return table
    if direction in table:
        return table[direction]
    return max(table.get(Direction.INPUT, Severity.SAFE), table.get(Direction.OUTPUT, Severity.SAFE))


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule yields: the message arguments and, when the verdict depends on the values,
    the severity (a table by direction or one verdict). The engine does the rest."""

    args: Mapping[str, Any] = field(default_factory=dict)
    severity: SeverityTable | Severity | None = None
    at: str | None = None  # a JSON-pointer suffix below the element: where the change is written
    # where a format has several surfaces (a federated graph's clients and its supergraph): one verdict each,
    # overriding the rule's; ``severity`` is then the worst of them
    surfaces: Mapping[str, Severity] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """One classified change; the fields are the keys of the JSON report."""

    id: str
    severity: Severity
    backward: Severity
    forward: Severity
    direction: Direction
    subject: str
    message: str
    old_location: Location | None
    new_location: Location | None
    args: Mapping[str, Any] = field(default_factory=dict, compare=False)
    # the verdicts per surface, (backward, forward), when the rule judges several: ``{"clients": (safe, safe),
    # "supergraph": (breaking, safe)}``; ``backward`` and ``forward`` are then the worst of them
    surfaces: Mapping[str, tuple[Severity, Severity]] = field(default_factory=dict, compare=False)

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (self.subject, self.id, self.message)

    def to_dict(self) -> dict[str, Any]:
        text = _TEXT  # an enum's ``.value`` is a descriptor call: a report of 47,000 changes made 630,000
        return {
            "id": self.id,
            "severity": text[self.severity],
            "backward": text[self.backward],
            "forward": text[self.forward],
            "direction": self.direction.value,
            "subject": self.subject,
            "message": self.message,
            "old_location": self.old_location.to_dict() if self.old_location else None,
            "new_location": self.new_location.to_dict() if self.new_location else None,
            "args": dict(self.args),
            **({"surfaces": {name: {"backward": text[b], "forward": text[f]}
                             for name, (b, f) in self.surfaces.items()}} if self.surfaces else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Change:
        return cls(
            id=data["id"],
            severity=Severity(data["severity"]),
            backward=Severity(data["backward"]),
            forward=Severity(data["forward"]),
            direction=Direction(data["direction"]),
            subject=data["subject"],
            message=data["message"],
            old_location=Location.from_dict(data["old_location"]) if data.get("old_location") else None,
            new_location=Location.from_dict(data["new_location"]) if data.get("new_location") else None,
            args=dict(data.get("args") or {}),
            surfaces={name: (Severity(v["backward"]), Severity(v["forward"]))
                      for name, v in (data.get("surfaces") or {}).items()},
        )


class RuleLike(Protocol):
    """What the engine needs of a rule (declared with :mod:`apidiff.core.rule`, collected per format)."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def family(self) -> str: ...
    @property
    def mirror(self) -> str: ...
    @property
    def severity(self) -> SeverityTable | Severity: ...
    @property
    def message(self) -> str: ...
    @property
    def check(self) -> Callable[..., Iterable[Hit]]: ...


_TEXT: dict[Severity, str] = {s: s.value for s in Severity}
