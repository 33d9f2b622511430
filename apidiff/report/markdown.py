"""Markdown for pull-request comments: a summary table, then collapsible details per severity."""

from __future__ import annotations

from typing import Any

from apidiff.core.result import Report
from apidiff.report._common import ICONS, grouped, impact_line, impact_what, impact_where, summary_line, used_by, where

LIMIT = 65_000  # GitHub refuses comments over 65,536 characters


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(report: Report, *, limit: int = LIMIT, **_: Any) -> str:
    s = report.summary
    head = [
        f"## apidiff: {summary_line(report)}",
        "",
        f"`{report.old.source}` → `{report.new.source}` ({report.new.kind}, mode `{report.mode.value}`)",
        "",
        "| breaking | dangerous | safe |",
        "|---:|---:|---:|",
        f"| {s['breaking']} | {s['dangerous']} | {s['safe']} |",
        "",
        "",
    ]
    overview = impact_line(report)
    if overview is not None:
        head[-2:-2] = [f"**Consumer impact:** {overview}", ""]
    out = "\n".join(head)
    shown = 0
    cut = False
    users = report.users()
    with_use = report.impact is not None
    for severity, changes in grouped(report):
        opened = " open" if severity.value == "breaking" else ""
        block = [f"<details{opened}><summary>{ICONS[severity]} {severity.value} ({len(changes)})</summary>", "",
                 "| change | rule | direction | where |" + (" used by |" if with_use else ""),
                 "|---|---|---|---|" + ("---|" if with_use else "")]
        size = len(out) + sum(len(b) + 1 for b in block)
        for c in changes:
            row = f"| {_cell(c.message)} | `{c.id}` | {c.direction.value} | {_cell(where(c))} |"
            if with_use:
                use = used_by(report, c, users, limit=3) or ""
                row += f" {_cell(use.removeprefix('used by '))} |"
            if size + len(row) + 300 > limit:
                cut = True
                break
            block.append(row)
            size += len(row) + 1
            shown += 1
        block += ["", "</details>", ""]
        out += "\n".join(block) + "\n"
        if cut:
            break
    if report.impact is not None and report.impact.impacts and not cut:
        block = ["### Consumer impact", "", "| consumer | operation | where | severity | what breaks |",
                 "|---|---|---|---|---|"]
        for i in report.impact.impacts:
            row = (f"| {_cell(i.usage.consumer)} | {_cell(i.usage.operation)} | {_cell(impact_where(i))} | "
                   f"{ICONS[i.severity]} {i.severity.value} | {_cell(impact_what(i))} |")
            if len(out) + sum(len(b) + 1 for b in block) + len(row) + 300 > limit:
                block.append(f"| … | {len(report.impact.impacts) - len(block) + 4} more | | | |")
                break
            block.append(row)
        out += "\n".join(block) + "\n"
    if cut:
        out += f"\n_Report cut to {limit:,} characters: {shown} of {len(report.changes)} changes shown. " \
               "Use `--format json` for the full list._\n"
    return out
