"""A changelog entry in the Keep a Changelog style, ready to paste into CHANGELOG.md.

Sections: Breaking (every change that breaks old clients, whatever its kind), then Deprecated,
Added, Changed, Removed, and Documentation; within each, changes are grouped by operation
(OpenAPI: ``GET /pets``) or type (GraphQL: ``Query``), in the report's deterministic order.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from apidiff.diff.change import Change, Severity
from apidiff.diff.result import Report

SECTIONS = ("Breaking", "Deprecated", "Added", "Changed", "Removed", "Documentation")
_METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "QUERY")


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
    """The operation (``GET /pets``, ``webhook newPet POST``) or type (``Query``) a change is about."""
    subject = change.subject
    words = subject.split(" ")
    if words[0] in _METHODS and len(words) > 1:
        return f"{words[0]} {words[1]}"
    if words[0] == "webhook" and len(words) > 2:
        return " ".join(words[:3])
    for prefix in ("security scheme ", "directive "):
        if subject.startswith(prefix):
            return subject
    if subject.startswith("@"):
        return subject.split("(", 1)[0]
    return subject.split("(", 1)[0].split(".", 1)[0].split(" ", 1)[0]


def render(report: Report, *, old_version: str | None = None, new_version: str | None = None,
           today: date | None = None, **_: Any) -> str:
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


def changelog(old: Any, new: Any, *, old_version: str | None = None, new_version: str | None = None,
              today: date | None = None, **compare_options: Any) -> str:
    """Load both sides, compare them and render the changelog; versions default to the documents'
    ``info.version``."""
    from apidiff.api import compare, load

    old_api, new_api = load(old), load(new)
    report = compare(old_api, new_api, today=today, **compare_options)
    return render(report, old_version=old_version or old_api.api_version,
                  new_version=new_version or new_api.api_version, today=today)
