"""The per-consumer view (``apidiff impact``): for each consumer, the operations or routes that
break and why. Text, Markdown or JSON; ``consumer`` keeps one consumer's part."""

from __future__ import annotations

import json
from typing import Any

from apidiff.core.change import Severity
from apidiff.core.errors import UsageError
from apidiff.core.result import Report, consumer_impacts
from apidiff.core.usage import Impact, consumer_sections
from apidiff.report._common import ICONS, impact_line, impact_where

__all__ = ["FORMATS", "consumer_impacts", "render"]

FORMATS = ("text", "markdown", "json")


def _lines(i: Impact) -> list[str]:
    out = [f"{ICONS[c.severity]} {c.message} ({c.id})" for c in sorted(i.changes, key=lambda c: -c.severity.rank)
           if c.severity is not Severity.SAFE]
    out += [f"{ICONS[Severity.BREAKING]} no longer valid: {e}" for e in i.errors]
    if i.usage.kind == "http" and i.usage.requests:
        out.append(f"{i.requests} of {i.usage.requests} observed requests touched")
    return out


def render(report: Report, format: str = "text", *, consumer: str | None = None, **_: Any) -> str:
    if report.impact is None:
        raise UsageError("no usage given: name client operations or traffic with --usage")
    sections = consumer_sections(report.impact, consumer)
    noun = report.impact.unit
    if format == "json":
        return json.dumps({
            "old": report.old.to_dict(), "new": report.new.to_dict(), "mode": report.mode.value,
            "usage": report.impact.to_dict(),
            "consumers": [{"consumer": name, "usages": count, "affected": len(found),
                           "impact": [i.to_dict() for i in found]} for name, count, found in sections],
        }, indent=2, ensure_ascii=False) + "\n"
    if format == "markdown":
        out = [f"## Consumer impact: {impact_line(report)}", "",
               f"`{report.old.source}` → `{report.new.source}` ({report.new.kind}, mode `{report.mode.value}`)", ""]
        for name, count, found in sections:
            out += [f"### {name}: {len(found)} of {count} {noun} affected", ""]
            for i in found:
                out.append(f"- {ICONS[i.severity]} **{i.usage.operation}** (`{impact_where(i)}`)")
                out += [f"  - {line}" for line in _lines(i)]
            out.append("")
        return "\n".join(out)
    if format != "text":
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    out = [f"{report.old.source} → {report.new.source} ({report.new.kind}, mode {report.mode.value})",
           f"consumer impact: {impact_line(report)}"]
    for name, count, found in sections:
        out += ["", f"{name}: {len(found)} of {count} {noun} affected"]
        for i in found:
            out.append(f"  {ICONS[i.severity]} {i.usage.operation}  {impact_where(i)}")
            out += [f"      {line}" for line in _lines(i)]
    out += [f"note: {n}" for n in report.impact.notes]
    return "\n".join(out) + "\n"
