"""Terminal text: grouped by severity, coloured on a terminal, plain when piped."""

from __future__ import annotations

import io
from typing import Any

from apidiff.core.change import Severity
from apidiff.core.result import Report
from apidiff.report._common import ICONS, grouped, impact_line, impact_what, impact_where, summary_line, used_by, where

STYLES = {Severity.BREAKING: "bold red", Severity.DANGEROUS: "yellow", Severity.SAFE: "green"}


def render(report: Report, *, color: bool = False, width: int = 100, **_: Any) -> str:
    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, soft_wrap=True, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False, emoji=False)
    console.print(Text(f"{report.old.source} → {report.new.source} ({report.new.kind}, mode {report.mode.value})",
                       style="bold"))
    console.print(summary_line(report))
    users = report.users()
    for severity, changes in grouped(report):
        console.print()
        console.print(Text(f"{severity.value.upper()} ({len(changes)})", style=STYLES[severity]))
        for c in changes:
            line = Text("  ")
            line.append(f"{ICONS[severity]} ", style=STYLES[severity])
            line.append(c.message)
            console.print(line)
            detail = f"    {c.id} · {c.direction.value} · backward {c.backward.value}, forward {c.forward.value}"
            loc = where(c)
            console.print(Text(detail + (f" · {loc}" if loc else ""), style="dim"))
            use = used_by(report, c, users) if severity is not Severity.SAFE else None
            if use is not None:
                console.print(Text(f"    {use}", style="dim" if use.startswith("no known") else "bold"))
    overview = impact_line(report)
    if overview is not None and report.impact is not None:
        console.print()
        console.print(Text(f"CONSUMER IMPACT: {overview}", style="bold"))
        for consumer, impacts in report.impact.by_consumer().items():
            console.print(Text(f"  {consumer}", style="bold"))
            for i in impacts:
                line = Text("    ")
                line.append(f"{ICONS[i.severity]} ", style=STYLES[i.severity])
                line.append(f"{i.usage.operation} ({impact_where(i)})")
                console.print(line)
                console.print(Text(f"      {impact_what(i)}", style="dim"))
        for note in report.impact.notes:
            console.print(Text(f"  note: {note}", style="dim"))
    for warning in report.warnings:
        console.print(Text(f"warning: {warning}", style="yellow"))
    return buffer.getvalue()
