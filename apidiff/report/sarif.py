"""SARIF 2.1.0 for code-scanning tools (GitHub code scanning, Azure DevOps, IDE viewers).

One run; ``tool.driver.rules`` lists the rules that fired, in order of first appearance, each with
its summary, rationale and documentation page; one result per change, in report order:

- ``level``: breaking → ``error``, dangerous → ``warning``, safe → ``note`` (the report's mode);
- ``locations``: where the change is written in the new document, else in the old one, as a
  ``physicalLocation`` (the file as given, with forward slashes, percent-encoded; an absolute path
  becomes a ``file:`` URI; ``region`` only when the line is known) and a ``logicalLocation`` whose
  ``fullyQualifiedName`` is the subject; pseudo files such as ``<text>`` get no physical location;
- ``relatedLocations``: the old location too, when both sides have one;
- ``properties``: ``backward``, ``forward`` and ``direction``.

Report warnings become ``toolExecutionNotifications`` of the run's invocation.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from apidiff._version import __version__
from apidiff.core.change import Change, Severity
from apidiff.core.direction import Direction
from apidiff.core.location import Location
from apidiff.core.result import Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"
INFORMATION_URI = "https://github.com/apidiff/apidiff"
DOCS_BASE = "https://github.com/apidiff/apidiff/blob/main/docs/rules/"  # SARIF wants an absolute helpUri
LEVELS = {Severity.BREAKING: "error", Severity.DANGEROUS: "warning", Severity.SAFE: "note"}


def artifact_uri(file: str) -> str | None:
    """The ``artifactLocation.uri`` of a file name: a relative URI reference with forward slashes, or a
    ``file:`` URI for an absolute path; ``None`` for pseudo files (``<text>``, ``<stdin>``, ``<builtin>``)."""
    if not file or (file.startswith("<") and file.endswith(">")):
        return None
    if PurePosixPath(file).is_absolute():
        return PurePosixPath(file).as_uri()
    if PureWindowsPath(file).is_absolute():
        return PureWindowsPath(file).as_uri()
    return quote(file.replace("\\", "/"), safe="/-._~!$&'()*+,;=@")


def _physical(loc: Location) -> dict[str, Any] | None:
    uri = artifact_uri(loc.file)
    if uri is None:
        return None
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if loc.line > 0:
        region = {"startLine": loc.line}
        if loc.column > 0:
            region["startColumn"] = loc.column
        physical["region"] = region
    return physical


def _paragraphs(text: str) -> str:
    """Docstring text with its hard line wraps undone (paragraph breaks kept)."""
    return "\n\n".join(" ".join(p.split()) for p in text.strip().split("\n\n") if p.strip())


def _rule(rule_id: str, changes: list[Change]) -> dict[str, Any]:
    from apidiff.formats import get_rule

    try:
        declared = get_rule(rule_id)
    except KeyError:  # not in the catalogue (a report read back from JSON, a newer version's id)
        level = LEVELS[max(c.severity for c in changes)]
        return {"id": rule_id, "shortDescription": {"text": rule_id}, "helpUri": f"{DOCS_BASE}{rule_id}.md",
                "defaultConfiguration": {"level": level}}
    descriptor: dict[str, Any] = {"id": rule_id, "shortDescription": {"text": _paragraphs(declared.summary)}}
    if declared.rationale.strip():
        descriptor["fullDescription"] = {"text": _paragraphs(declared.rationale)}
    descriptor["helpUri"] = f"{DOCS_BASE}{rule_id}.md"
    # the declared backward verdict, the stricter of input and output; each result states its own level
    descriptor["defaultConfiguration"] = {"level": LEVELS[declared.severity_for(Direction.BOTH)]}
    return descriptor


def _result(change: Change, rule_index: int) -> dict[str, Any]:
    location: dict[str, Any] = {}
    primary = change.new_location or change.old_location
    physical = _physical(primary) if primary is not None else None
    if physical is not None:
        location["physicalLocation"] = physical
    location["logicalLocations"] = [{"fullyQualifiedName": change.subject}]
    result: dict[str, Any] = {
        "ruleId": change.id,
        "ruleIndex": rule_index,
        "level": LEVELS[change.severity],
        "message": {"text": change.message},
        "locations": [location],
    }
    if change.new_location is not None and change.old_location is not None:
        old = _physical(change.old_location)
        if old is not None:
            result["relatedLocations"] = [{"id": 1, "physicalLocation": old,
                                           "message": {"text": "before the change"}}]
    result["properties"] = {"backward": change.backward.value, "forward": change.forward.value,
                            "direction": change.direction.value}
    return result


def to_sarif(report: Report) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dictionary."""
    by_rule: dict[str, list[Change]] = {}
    for change in report.changes:
        by_rule.setdefault(change.id, []).append(change)
    index = {rule_id: n for n, rule_id in enumerate(by_rule)}
    driver = {"name": "apidiff", "version": __version__, "informationUri": INFORMATION_URI,
              "rules": [_rule(rule_id, changes) for rule_id, changes in by_rule.items()]}
    run: dict[str, Any] = {"tool": {"driver": driver}}
    if report.warnings:
        run["invocations"] = [{
            "executionSuccessful": True,
            "toolExecutionNotifications": [{"level": "warning", "message": {"text": w}} for w in report.warnings],
        }]
    run["results"] = [_result(c, index[c.id]) for c in report.changes]
    if report.impact is not None:  # which consumers use what each change touches
        users = report.users()
        for change, result in zip(report.changes, run["results"], strict=True):
            result["properties"]["usedBy"] = [f"{i.usage.consumer}: {i.usage.operation}" for i in users.get(change, ())]
    return {"$schema": SCHEMA, "version": VERSION, "runs": [run]}


def render(report: Report, **_: Any) -> str:
    return json.dumps(to_sarif(report), indent=2, ensure_ascii=False) + "\n"
