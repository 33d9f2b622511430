"""Helpers shared by the human-readable reports."""

from __future__ import annotations

from apidiff.core.change import Change, Severity
from apidiff.core.result import Report
from apidiff.core.usage import Impact

ORDER = (Severity.BREAKING, Severity.DANGEROUS, Severity.SAFE)
ICONS = {Severity.BREAKING: "✖", Severity.DANGEROUS: "⚠", Severity.SAFE: "✔"}


def grouped(report: Report) -> list[tuple[Severity, list[Change]]]:
    """Changes by severity, most severe first; empty groups left out."""
    groups: dict[Severity, list[Change]] = {s: [] for s in ORDER}
    for change in report.changes:
        groups[change.severity].append(change)
    return [(s, groups[s]) for s in ORDER if groups[s]]


def where(change: Change) -> str:
    loc = change.new_location or change.old_location
    return str(loc) if loc is not None else ""


def summary_line(report: Report) -> str:
    s = report.summary
    ignored = f" ({len(report.ignored)} ignored by configuration)" if report.ignored else ""
    if not report.changes:
        return "no changes" + ignored
    return f"{s['breaking']} breaking, {s['dangerous']} dangerous, {s['safe']} safe" + ignored


def used_by(report: Report, change: Change, users: dict[Change, list[Impact]], *, limit: int = 5) -> str | None:
    """``used by web: GetBook, ios: BookList`` / ``no known consumer``; None without usage data."""
    if report.impact is None:
        return None
    found = users.get(change, [])
    if not found:
        return "no known consumer"
    names = [f"{i.usage.consumer}: {i.usage.operation}" for i in found]
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return "used by " + ", ".join(names[:limit]) + more


def impact_line(report: Report) -> str | None:
    """``3 of 12 operations affected (web 2 of 5, ios 1 of 4, billing 0 of 3)``."""
    impact = report.impact
    if impact is None:
        return None
    noun = impact.unit
    per: dict[str, int] = {}
    for i in impact.impacts:
        per[i.usage.consumer] = per.get(i.usage.consumer, 0) + 1
    parts = ", ".join(f"{name} {per.get(name, 0)} of {count}" for name, count in sorted(impact.consumers.items()))
    return f"{impact.affected} of {impact.usages} {noun} affected" + (f" ({parts})" if parts else "")


def impact_where(impact: Impact) -> str:
    u = impact.usage
    return f"{u.file}:{u.line}" if u.line else u.file


def impact_what(impact: Impact) -> str:
    """The touched changes (worst first) and the validation errors, in one line."""
    changes = sorted(impact.changes, key=lambda c: -c.severity.rank)
    parts = [f"{c.id} {c.subject}" for c in changes if c.severity is not Severity.SAFE]
    parts += [f"invalid: {e}" for e in impact.errors]
    if impact.usage.kind == "http" and impact.usage.requests:
        parts.append(f"{impact.requests} of {impact.usage.requests} requests")
    return "; ".join(parts)
