"""GitHub Actions workflow commands: one annotation per group of changes, then a plain summary line.

A group of one (most changes) is its change's annotation; a group of many (236 values added to one
enum, a parameter change on six operations) is one annotation at its first change's place, whose
message is the group's line (every member of a breaking group listed).

``::error file=F,line=L,col=C,title=<rule id>::<message> (backward X, forward Y)`` for a breaking change,
``::warning`` for a dangerous one and ``::notice`` for a safe one (the report's mode); ``file`` is where
the change is written in the new document, else in the old one; ``line`` and ``col`` are left out when
unknown, ``file`` too for pseudo files (``<text>``). Report warnings become ``::warning title=apidiff::``.

Escaping follows the runner's command parser (actions/toolkit ``command.ts``): in the message
``%`` → ``%25``, CR → ``%0D``, LF → ``%0A``; in property values also ``:`` → ``%3A`` and ``,`` → ``%2C``.
So no text from a schema can end the command early or start another one.
"""

from __future__ import annotations

from typing import Any

from apidiff.core.change import Change, Severity
from apidiff.core.groups import SINGLE
from apidiff.core.result import Report
from apidiff.report._common import MEMBERS_SHOWN, group_used_by, groups_of, headline, impact_line, summary_line, used_by

COMMANDS = {Severity.BREAKING: "error", Severity.DANGEROUS: "warning", Severity.SAFE: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: str | int) -> str:
    """One workflow command line; properties in the order given."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def annotation(change: Change, use: str | None = None, revision: str | None = None, *,
               message: str | None = None) -> str:
    """One workflow command; ``revision`` (``REF:``) names old-side files read from git: a change
    known only there (a removal) is pointed at the working-tree file of that name, without a line."""
    properties: dict[str, str | int] = {}
    loc = change.new_location or change.old_location
    if loc is not None and loc.file and not (loc.file.startswith("<") and loc.file.endswith(">")):
        in_git = change.new_location is None and revision is not None and loc.file.startswith(revision)
        properties["file"] = loc.file[len(revision):] if in_git and revision else loc.file
        if loc.line > 0 and not in_git:
            properties["line"] = loc.line
            if loc.column > 0:
                properties["col"] = loc.column
    properties["title"] = change.id
    message = f"{message or change.message} (backward {change.backward.value}, forward {change.forward.value})"
    if use:
        message += f"; {use}"
    return command(COMMANDS[change.severity], message, **properties)


def _revision(source: str) -> str | None:
    """``REF:`` when the old side was read from git (``REF:path``, ``git:REF:path``), else None."""
    from pathlib import Path

    head, sep, rest = source.removeprefix("git:").partition(":")
    if not sep or not rest or len(head) < 2 or Path(source).exists():
        return None
    return head + sep


def render(report: Report, **_: Any) -> str:
    users = report.users()
    revision = _revision(report.old.source)
    lines = []
    for g in groups_of(report):
        first = report.changes[g.changes[0]]
        if g.kind == SINGLE:
            use = used_by(report, first, users) if first.severity is not Severity.SAFE else None
            lines.append(annotation(first, use, revision))
            continue
        use = group_used_by(report, g, users) if g.severity is not Severity.SAFE else None
        limit = None if g.severity is Severity.BREAKING else MEMBERS_SHOWN
        lines.append(annotation(first, use, revision, message=headline(report, g, limit=limit)))
    lines += [command("warning", w, title="apidiff") for w in report.warnings]
    # plain text, not a command: it starts with "apidiff:" and is kept on one line, so that a source name
    # cannot turn it into one
    summary = f"apidiff: {summary_line(report)} ({report.old.source} → {report.new.source}, mode {report.mode.value})"
    lines.append(" ".join(summary.splitlines()))
    if report.impact is not None:
        lines.append(f"apidiff: consumer impact: {impact_line(report)}")
    return "\n".join(lines) + "\n"
