"""Markdown for pull-request comments: the summary first (counts by severity, by rule, by area), then
every breaking change, then the dangerous ones, then the safe ones collapsed, one table row per group.

Under a size limit (a GitHub comment holds 65,536 characters, a job summary 1 MiB) the summary and
every breaking change are always kept; what is cut is safe detail first, then dangerous detail, and
the cut says what was left out, with counts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apidiff.core.change import Severity
from apidiff.core.groups import Group
from apidiff.core.result import Report
from apidiff.report._common import (
    ICONS,
    MEMBERS_SHOWN,
    ORDER,
    by_severity,
    counts_by_area,
    counts_by_rule,
    group_used_by,
    group_where,
    groups_of,
    headline,
    impact_line,
    impact_what,
    impact_where,
    section_title,
    summary_line,
)

LIMIT = 65_000  # GitHub refuses comments over 65,536 characters
RULES_SHOWN = 15
AREAS_SHOWN = 10
TITLES = {Severity.BREAKING: "Breaking", Severity.DANGEROUS: "Dangerous", Severity.SAFE: "Safe"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _count_table(title: str, rows: list[tuple[str, dict[Severity, int]]], shown: int, noun: str) -> list[str]:
    out = [f"| {title} | breaking | dangerous | safe |", "|---|---:|---:|---:|"]
    for key, counts in rows[:shown]:
        out.append(f"| {_cell(key)} | " + " | ".join(str(counts[s] or "") for s in ORDER) + " |")
    if len(rows) > shown:
        rest = {s: sum(c[s] for _, c in rows[shown:]) for s in ORDER}
        out.append(f"| … {len(rows) - shown} more {noun} | " + " | ".join(str(rest[s] or "") for s in ORDER) + " |")
    return [*out, ""]


def render(report: Report, *, limit: int = LIMIT, size: Callable[[str], int] = len, **_: Any) -> str:
    """``size`` measures text against ``limit`` (``len``: characters; the job summary counts bytes)."""
    s = report.summary
    groups = groups_of(report)
    head = [
        f"## apidiff: {summary_line(report)}",
        "",
        f"`{report.old.source}` → `{report.new.source}` ({report.new.kind}, mode `{report.mode.value}`)",
        "",
        "| breaking | dangerous | safe |",
        "|---:|---:|---:|",
        f"| {s['breaking']} | {s['dangerous']} | {s['safe']} |",
        "",
    ]
    overview = impact_line(report)
    if overview is not None:
        head += [f"**Consumer impact:** {overview}", ""]
    if groups:
        if len(groups) != len(report.changes):
            head += [f"{len(report.changes)} changes in {len(groups)} groups.", ""]
        rules = counts_by_rule(groups)
        areas = counts_by_area(report)
        head += _count_table("rule", rules, RULES_SHOWN, "rules")
        head += _count_table("area", areas, AREAS_SHOWN, "areas")
    out = "\n".join(head) + "\n"
    users = report.users()
    with_use = report.impact is not None
    columns = ["| change | rule | direction | where |" + (" used by |" if with_use else ""),
               "|---|---|---|---|" + ("---|" if with_use else "")]

    def row(g: Group, members: int | None) -> str:
        directions = ", ".join(dict.fromkeys(report.changes[i].direction.value for i in g.changes))
        text = f"| {ICONS[g.severity]} {_cell(headline(report, g, limit=members))} | `{g.rule}` | {directions} | " \
               f"{_cell(group_where(report, g))} |"
        if with_use:
            use = group_used_by(report, g, users, limit=3) or ""
            text += f" {_cell(use.removeprefix('used by '))} |"
        return text

    sections = by_severity(groups)
    reserve = 600  # the closing lines and the notes of what was cut
    budget = limit - size(out) - reserve
    blocks: dict[Severity, list[str]] = {}
    notes: dict[Severity, str] = {}
    # breaking first, always: every member listed, or the first few when that does not fit
    for severity, members in sections:
        if severity is not Severity.BREAKING:
            continue
        rows = [row(g, None) for g in members]
        for members_shown in (200, 50, 20, MEMBERS_SHOWN):  # too long with every member: fewer per group
            if sum(size(r) + 1 for r in rows) <= budget:
                break
            rows = [row(g, members_shown) for g in members]
        blocks[severity] = rows
        budget -= sum(size(r) + 1 for r in rows)
    impact_block: list[str] = []
    if report.impact is not None and report.impact.impacts:
        impact_block = ["### Consumer impact", "", "| consumer | operation | where | severity | what breaks |",
                        "|---|---|---|---|---|"]
        for n, i in enumerate(report.impact.impacts):
            line = (f"| {_cell(i.usage.consumer)} | {_cell(i.usage.operation)} | {_cell(impact_where(i))} | "
                    f"{ICONS[i.severity]} {i.severity.value} | {_cell(impact_what(i))} |")
            if size(line) + 1 > budget:
                impact_block.append(f"| … | {len(report.impact.impacts) - n} more | | | |")
                break
            impact_block.append(line)
            budget -= size(line) + 1
    for severity, members in sections:
        if severity is Severity.BREAKING:
            continue
        rows = []
        for n, g in enumerate(members):
            line = row(g, MEMBERS_SHOWN)
            if size(line) + 1 > budget:
                left = members[n:]
                notes[severity] = (f"_Cut to fit {limit:,} characters: {len(left)} of {len(members)} {severity.value} "
                                   f"groups ({sum(g.count for g in left)} of {sum(g.count for g in members)} changes) "
                                   "not shown. Use `--format json` for the full list._")
                budget = 0
                break
            rows.append(line)
            budget -= size(line) + 1
        blocks[severity] = rows
    for severity, members in sections:
        title = f"{ICONS[severity]} {TITLES[severity]} ({section_title(severity, members)})"
        body = [*columns, *blocks[severity]] if blocks[severity] else []
        note = [notes[severity], ""] if severity in notes else []
        opened = "" if severity is Severity.SAFE else " open"  # breaking and dangerous shown, safe collapsed
        part = [f"<details{opened}><summary>{title}</summary>", "", *body, "", *note, "</details>", ""]
        out += "\n".join(part) + "\n"
    if impact_block:
        out += "\n".join(impact_block) + "\n"
    return out
