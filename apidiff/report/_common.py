"""Helpers shared by the human-readable reports."""

from __future__ import annotations

from apidiff.diff.change import Change, Severity
from apidiff.diff.result import Report

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
