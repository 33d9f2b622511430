"""Terminal text: a summary (counts by severity, rule and area), then the changes in groups by severity,
breaking and dangerous with their details, safe one line per group; coloured on a terminal, plain when piped."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from apidiff.core.change import Severity
from apidiff.core.groups import SINGLE, Group
from apidiff.core.result import Report
from apidiff.report._common import (
    ICONS,
    MEMBERS_SHOWN,
    ORDER,
    by_severity,
    counts_by_area,
    counts_by_rule,
    group_detail,
    group_used_by,
    groups_of,
    headline,
    impact_line,
    impact_what,
    impact_where,
    section_title,
    severity_counts,
    summary_line,
    where,
)

if TYPE_CHECKING:
    from rich.text import Text

STYLES = {Severity.BREAKING: "bold red", Severity.DANGEROUS: "yellow", Severity.SAFE: "green"}

# A line is a list of (text, style) spans; style "" is unstyled.
Line = list[tuple[str, str]]


AREAS_SHOWN = 10  # areas in the summary before "… N more areas"


def _lines(report: Report) -> list[Line]:
    out: list[Line] = [
        [(f"{report.old.source} → {report.new.source} ({report.new.kind}, mode {report.mode.value})", "bold")],
        [(summary_line(report), "")],
    ]
    groups = groups_of(report)
    if groups:
        out += _summary(report, groups)
    users = report.users()
    for severity, members in by_severity(groups):
        style = STYLES[severity]
        icon = f"{ICONS[severity]} "
        out.append([])
        out.append([(f"{severity.value.upper()} ({section_title(severity, members)})", style)])
        limit = None if severity is Severity.BREAKING else MEMBERS_SHOWN
        for g in members:
            out.append([("  ", ""), (icon, style), (headline(report, g, limit=limit), "")])
            if severity is Severity.SAFE:
                continue  # the safe groups: one line each
            if g.kind == SINGLE:
                c = report.changes[g.changes[0]]
                detail = f"    {c.id} · {c.direction.value} · backward {c.backward.value}, forward {c.forward.value}"
                if c.surfaces:  # one verdict per surface: which one carries it
                    detail += " (" + ", ".join(f"{name} {b.value}" for name, (b, _) in c.surfaces.items()) + ")"
                loc = where(c)
                out.append([(detail + (f" · {loc}" if loc else ""), "dim")])
            else:
                out.append([(f"    {group_detail(report, g)}", "dim")])
            use = group_used_by(report, g, users)
            if use is not None:
                out.append([(f"    {use}", "dim" if use.startswith("no known") else "bold")])
    overview = impact_line(report)
    if overview is not None and report.impact is not None:
        out.append([])
        out.append([(f"CONSUMER IMPACT: {overview}", "bold")])
        for consumer, impacts in report.impact.by_consumer().items():
            out.append([(f"  {consumer}", "bold")])
            for i in impacts:
                out.append([("    ", ""), (f"{ICONS[i.severity]} ", STYLES[i.severity]),
                            (f"{i.usage.operation} ({impact_where(i)})", "")])
                out.append([(f"      {impact_what(i)}", "dim")])
        for note in report.impact.notes:
            out.append([(f"  note: {note}", "dim")])
    for warning in report.warnings:
        out.append([(f"warning: {warning}", "yellow")])
    return out


def _summary(report: Report, groups: list[Group]) -> list[Line]:
    """Counts by rule and by area, worst first."""
    counted = [[(f"{len(report.changes)} changes in {len(groups)} groups", "")]] if len(groups) != len(report.changes) \
        else []
    out: list[Line] = [*counted, [], [("BY RULE", "bold")]]
    rules = counts_by_rule(groups)
    width = max(len(rule) for rule, _ in rules)
    for rule, counts in rules:
        worst = next(s for s in ORDER if counts[s])
        out.append([("  ", ""), (f"{ICONS[worst]} ", STYLES[worst]),
                    (f"{rule:<{width}}  {severity_counts(counts)}", "")])
    areas = counts_by_area(report)
    out += [[], [("BY AREA", "bold")]]
    width = max(len(area) for area, _ in areas[:AREAS_SHOWN])
    for area, counts in areas[:AREAS_SHOWN]:
        out.append([(f"  {area:<{width}}  {severity_counts(counts)}", "")])
    if len(areas) > AREAS_SHOWN:
        rest = sum(sum(c.values()) for _, c in areas[AREAS_SHOWN:])
        out.append([(f"  … {len(areas) - AREAS_SHOWN} more areas ({rest} changes)", "dim")])
    return out


def render(report: Report, *, color: bool = False, width: int = 100, **_: Any) -> str:
    lines = _lines(report)
    if not color:  # plain: no wrapping (soft wrap), no styles; rich would print exactly these characters
        return "".join("".join(text for text, _ in line) + "\n" for line in lines)
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, soft_wrap=True, force_terminal=True, color_system="standard",
                      highlight=False, emoji=False)
    console.print(_join(lines), end="\n")
    return buffer.getvalue()


def _join(lines: list[Line]) -> Text:
    from rich.text import Text

    whole = Text()
    for n, line in enumerate(lines):
        if n:
            whole.append("\n")
        for text, style in line:
            whole.append(text, style=style or None)
    return whole
