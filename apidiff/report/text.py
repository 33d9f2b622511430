"""Terminal text: grouped by severity, coloured on a terminal, plain when piped."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from apidiff.core.change import Severity
from apidiff.core.result import Report
from apidiff.report._common import ICONS, grouped, impact_line, impact_what, impact_where, summary_line, used_by, where

if TYPE_CHECKING:
    from rich.text import Text

STYLES = {Severity.BREAKING: "bold red", Severity.DANGEROUS: "yellow", Severity.SAFE: "green"}

# A line is a list of (text, style) spans; style "" is unstyled.
Line = list[tuple[str, str]]


def _lines(report: Report) -> list[Line]:
    out: list[Line] = [
        [(f"{report.old.source} → {report.new.source} ({report.new.kind}, mode {report.mode.value})", "bold")],
        [(summary_line(report), "")],
    ]
    users = report.users()
    for severity, changes in grouped(report):
        style = STYLES[severity]
        icon = f"{ICONS[severity]} "
        out.append([])
        out.append([(f"{severity.value.upper()} ({len(changes)})", style)])
        for c in changes:
            out.append([("  ", ""), (icon, style), (c.message, "")])
            detail = f"    {c.id} · {c.direction.value} · backward {c.backward.value}, forward {c.forward.value}"
            loc = where(c)
            out.append([(detail + (f" · {loc}" if loc else ""), "dim")])
            use = used_by(report, c, users) if severity is not Severity.SAFE else None
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
