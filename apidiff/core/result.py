"""The report: the changes of one comparison, their summary and the JSON contract."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from apidiff.core.change import Change, Mode, Severity
from apidiff.core.errors import UsageError
from apidiff.core.groups import Group, facet_for, group_changes, group_index
from apidiff.core.usage import Impact, ImpactReport, consumer_sections

SCHEMA_VERSION = 1
FAIL_ON = ("breaking", "dangerous", "safe", "never")


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What was compared on one side."""

    source: str
    kind: str
    version: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "kind": self.kind, "version": self.version}


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """The result of :func:`apidiff.compare`."""

    mode: Mode
    old: SourceInfo
    new: SourceInfo
    changes: tuple[Change, ...]
    warnings: tuple[str, ...] = field(default=())
    ignored: tuple[Mapping[str, str], ...] = field(default=())  # left out by configuration: id, subject, reason
    impact: ImpactReport | None = None  # with usage (--usage): which consumers the changes touch
    groups: tuple[Group, ...] | None = field(default=None, compare=False)  # as read from JSON; else computed
    _grouped: list[Group] | None = field(default=None, init=False, compare=False, repr=False)  # computed once

    def change_groups(self) -> list[Group]:
        """The changes in groups (:mod:`apidiff.core.groups`), with the format's grouping hook; the
        groups read from a JSON report when they still cover exactly its changes."""
        if self.groups is not None and sorted(i for g in self.groups for i in g.changes) == list(
                range(len(self.changes))):
            return list(self.groups)
        if self._grouped is None:  # every renderer asks, some twice (10,000 changes: 0.7 s each time)
            object.__setattr__(self, "_grouped", group_changes(self.changes, facet_for(self.new.kind)))
        assert self._grouped is not None
        return list(self._grouped)

    def users(self) -> dict[Change, list[Impact]]:
        """Each change touched by a known usage, with the usages (operations, routes) it touches."""
        out: dict[Change, list[Impact]] = {}
        for impact in self.impact.impacts if self.impact is not None else ():
            for change in impact.changes:
                out.setdefault(change, []).append(impact)
        return out

    def used(self, change: Change) -> bool | None:
        """Whether a known consumer uses what ``change`` touches; None without usage data."""
        if self.impact is None:
            return None
        return any(change in i.changes for i in self.impact.impacts)

    @property
    def summary(self) -> Mapping[str, int]:
        counts = {s.value: 0 for s in (Severity.BREAKING, Severity.DANGEROUS, Severity.SAFE)}
        for change in self.changes:
            counts[change.severity.value] += 1
        return counts

    @property
    def breaking(self) -> bool:
        """Whether any change is breaking in the report's mode."""
        return any(c.severity is Severity.BREAKING for c in self.changes)

    def fails(self, fail_on: str, *, usage_only: bool = False) -> bool:
        """Whether a change reaches ``fail_on`` (``breaking``, ``dangerous``, ``safe`` or ``never``);
        with ``usage_only``, only changes that a known consumer uses count (and operations that
        no longer validate, which fail at ``breaking``)."""
        if fail_on not in FAIL_ON:
            raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON)}")
        if fail_on == "never":
            return False
        threshold = Severity(fail_on)
        if usage_only and self.impact is not None:
            used = self.users()
            return any(c.severity >= threshold for c in used) or any(
                i.errors and threshold <= Severity.BREAKING for i in self.impact.impacts)
        return any(c.severity >= threshold for c in self.changes)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "mode": self.mode.value,
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "summary": dict(self.summary),
            "changes": [c.to_dict() for c in self.changes],
            "groups": [],
            "warnings": list(self.warnings),
            "ignored": [dict(i) for i in self.ignored],
        }
        groups = self.change_groups()
        for data, group_id in zip(out["changes"], group_index(groups, len(self.changes)), strict=True):
            data["group"] = group_id
        out["groups"] = [g.to_dict() for g in groups]
        if self.impact is not None:
            users = self.users()
            for change, data in zip(self.changes, out["changes"], strict=True):
                data["used_by"] = [{"consumer": i.usage.consumer, "operation": i.usage.operation}
                                   for i in users.get(change, ())]
            out["usage"] = self.impact.to_dict()
            out["impact"] = [i.to_dict() for i in self.impact.impacts]
        return out

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON: with ``indent``, its sections and their members each on a line of their own (one
        change per line), each member written by the C encoder, which ``json.dumps(indent=…)`` cannot use (5×
        faster on a report of 40,000 changes); without, compact."""
        if indent is None:
            return json.dumps(self.to_dict(), ensure_ascii=False)
        return _pretty(self.to_dict(), " " * indent, 0)

    @classmethod
    def from_json(cls, text: str) -> Report:
        data = json.loads(text)
        changes = tuple(Change.from_dict(c) for c in data["changes"])
        return cls(
            mode=Mode(data["mode"]),
            old=SourceInfo(**data["old"]),
            new=SourceInfo(**data["new"]),
            changes=changes,
            warnings=tuple(data.get("warnings") or ()),
            ignored=tuple(data.get("ignored") or ()),
            impact=None if "impact" not in data else ImpactReport.from_dict(data, changes),
            groups=tuple(Group.from_dict(g) for g in data["groups"]) if "groups" in data else None,
        )


def consumer_impacts(report: Report, consumer: str) -> list[Impact]:
    """The affected usages of one consumer (an error naming the known ones when there is none by that name)."""
    if report.impact is None:
        raise UsageError("no usage given: name client operations or traffic with --usage")
    return consumer_sections(report.impact, consumer)[0][2]


def _pretty(value: Any, step: str, depth: int) -> str:
    """``value`` as JSON, expanded two levels deep (the report's sections and their members), compact below."""
    pad, inner = step * depth, step * (depth + 1)
    if depth < 2 and isinstance(value, dict) and value:
        items = (f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {_pretty(v, step, depth + 1)}"
                 for k, v in value.items())
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if depth < 2 and isinstance(value, list) and value:
        return "[\n" + ",\n".join(inner + _pretty(v, step, depth + 1) for v in value) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
