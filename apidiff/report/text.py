"""Terminal text: grouped by severity, coloured on a terminal, plain when piped."""

from __future__ import annotations

import io
from typing import Any

from apidiff.diff.change import Severity
from apidiff.diff.result import Report
from apidiff.report._common import ICONS, grouped, summary_line, where

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
    for warning in report.warnings:
        console.print(Text(f"warning: {warning}", style="yellow"))
    return buffer.getvalue()
