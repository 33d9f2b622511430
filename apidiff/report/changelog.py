"""A changelog entry in the Keep a Changelog style, ready to paste into CHANGELOG.md.

Sections: Breaking (every change that breaks old clients, whatever its kind), then Deprecated,
Added, Changed, Removed, and Documentation; within each, changes are grouped by the element the
format names (an operation ``GET /pets``, a type ``Query``), in the report's deterministic order.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from apidiff.core.change import Change, Severity
from apidiff.core.result import Report

SECTIONS = ("Breaking", "Deprecated", "Added", "Changed", "Removed", "Documentation")


def section(change: Change) -> str:
    """Which section a change belongs to."""
    rule = change.id
    if change.backward is Severity.BREAKING:
        return "Breaking"
    if "description" in rule:
        return "Documentation"
    if "-removed" in rule:
        return "Removed"
    if "undeprecated" not in rule and ("-deprecated" in rule or "sunset" in rule):
        return "Deprecated"
    if rule.endswith("-added") or "-added-" in rule:
        return "Added"
    return "Changed"


def group_of(change: Change) -> str:
    """The element a change is about by default: its subject up to the first ``.``, ``(`` or space
    (``Query`` for ``Query.books(first:)``); formats give better groups (operations, schemes)."""
    return change.subject.split("(", 1)[0].split(".", 1)[0].split(" ", 1)[0]


def render(report: Report, *, old_version: str | None = None, new_version: str | None = None,
           today: date | None = None, group_of: Callable[[Change], str] = group_of, **_: Any) -> str:
    """The changelog entry; ``group_of`` names the element each change is listed under."""
    new_label = new_version or "Unreleased"
    heading = f"## [{new_label}] - {(today or date.today()).isoformat()}" if new_version else f"## [{new_label}]"
    lines = [heading, ""]
    if old_version:
        lines += [f"Compared with {old_version}.", ""]
    if not report.changes:
        return "\n".join([*lines, "No API changes.", ""])
    by_section: dict[str, dict[str, list[Change]]] = {s: {} for s in SECTIONS}
    for change in report.changes:
        by_section[section(change)].setdefault(group_of(change), []).append(change)
    for name in SECTIONS:
        groups = by_section[name]
        if not groups:
            continue
        lines += [f"### {name}", ""]
        for group in sorted(groups):
            changes = groups[group]
            if len(changes) == 1 and changes[0].subject == group:
                lines.append(f"- {_item(changes[0])}")
                continue
            lines.append(f"- `{group}`")
            lines += [f"  - {_item(c)}" for c in changes]
        lines.append("")
    return "\n".join(lines)


def _item(change: Change) -> str:
    return f"{_escape(change.message)} (`{change.id}`)"


def _escape(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")
